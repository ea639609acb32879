"""Serving the web application under gunicorn: several worker processes, never Flask's
development server.

Each worker builds its own application with ``create_app`` after the fork (no preloading),
so no SQLite connection or file handle is ever shared between processes.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

from web import create_app
from web.config import WebConfig


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn serving the application ``factory`` builds in each worker."""

    def __init__(self, factory: Any, options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()


def gunicorn_options(
    *, host: str, port: int, workers: int | None = None, access_log: bool = True
) -> dict[str, Any]:
    """The registry's gunicorn settings (the benchmarks serve their baseline with them too)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "sync",
        "preload_app": False,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "proc_name": "registry-web",
        # no control socket: it lives at one path per user, which two servers would share
        "control_socket_disable": True,
    }


def serve(
    config: WebConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 5000,
    workers: int | None = None,
    access_log: bool = True,
) -> None:
    """Run until interrupted; ``config`` is read once, in the master process."""
    options = gunicorn_options(host=host, port=port, workers=workers, access_log=access_log)
    Server(lambda: create_app(config), options).run()
