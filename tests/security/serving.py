"""What the security suite needs to act as a browser would: forms read from the rendered page
(every hidden input, whatever the page adds), a signed-in session over real HTTP, and the
registry served by ``registry serve`` (gunicorn) in a process group of its own, so that a test
can kill the master and its workers at once.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.conftest import free_port

REGISTRY = Path(sys.executable).parent / "registry"
SECRET = "security-suite-" + "s" * 40
Fields = dict[str, list[str]]


# --- forms as the page renders them ---------------------------------------------------------


class _FormReader(HTMLParser):
    """Collects each form's action and what a browser would send untouched: hidden inputs,
    filled-in values, ticked boxes, and each select's chosen (or first) option."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, Fields]] = []
        self._fields: Fields | None = None
        self._select: str | None = None
        self._chosen: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        name = found.get("name", "")
        if tag == "form":
            self._fields = {}
            self.forms.append((found.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self._fields.setdefault(name, []).append(found.get("value", "on"))
            elif kind not in ("submit", "button", "file") and found.get("value"):
                self._fields.setdefault(name, []).append(found["value"])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None:
            value = found.get("value", "")
            if "selected" in found or self._select not in self._chosen:
                self._chosen[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._fields is not None:
            if self._chosen.get(self._select):
                self._fields[self._select] = [self._chosen[self._select]]
            self._select = None
        elif tag == "form":
            self._fields = None


def form_fields(page: str, action: str) -> Fields:
    """What the page's form posting to ``action`` sends as rendered (CSRF token and any other
    hidden input included)."""
    reader = _FormReader()
    reader.feed(page)
    for found, fields in reader.forms:
        if urllib.parse.urlsplit(found).path == action:
            return {name: list(values) for name, values in fields.items()}
    raise LookupError(f"no form posting to {action} on the page")


def filled(rendered: Fields, values: Mapping[str, str | Sequence[str]]) -> list[tuple[str, str]]:
    """The rendered form with ``values`` typed in (a value replaces what the field held)."""
    fields = dict(rendered)
    for name, value in values.items():
        fields[name] = [value] if isinstance(value, str) else list(value)
    return [(name, value) for name, values in fields.items() for value in values]


# --- a browser's session over HTTP ------------------------------------------------------------


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class Browser:
    """One user's cookies against a served registry; redirects are answered, not followed,
    so a created record's id can be read from the ``Location`` of the 302."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        self.url = url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def request(self, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """Status, ``Location`` and body of one GET (or POST of ``form``)."""
        body = None if form is None else urllib.parse.urlencode(form).encode()
        try:
            with self._opener.open(f"{self.url}{path}", body, timeout=self.timeout) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as answer:
            text = answer.read().decode(errors="replace")
            return answer.code, answer.headers.get("Location", ""), text

    def submit(
        self, page: str, action: str, values: Mapping[str, str | Sequence[str]]
    ) -> tuple[int, str]:
        """Open ``page``, fill in its form posting to ``action``, send it: status and
        ``Location``."""
        status, _, text = self.request(page)
        if status != 200:
            raise RuntimeError(f"GET {page} answered {status}")
        answered, location, _ = self.request(action, filled(form_fields(text, action), values))
        return answered, location

    def another_tab(self) -> Browser:
        """A second client with this one's cookies (the same signed-in session)."""
        tab = Browser(self.url, self.timeout)
        for cookie in self.cookies:
            tab.cookies.set_cookie(cookie)
        return tab

    def sign_in(self, username: str, password: str) -> None:
        status, location = self.submit(
            "/login", "/login", {"username": username, "password": password}
        )
        if status != 302 or "/login" in location:
            raise RuntimeError(f"{username} could not sign in ({status})")


# --- the registry served by gunicorn --------------------------------------------------------


def port() -> int:
    """``REGISTRY_TEST_PORT`` if set (a machine that reserves ports), else a free one."""
    return int(os.environ.get("REGISTRY_TEST_PORT") or free_port())


class Served:
    """``registry serve`` on ``data``: started, stopped, or killed with its workers at once."""

    def __init__(self, data: Path, workers: int = 2) -> None:
        self.data = data
        self.workers = workers
        self.url = ""
        self.log = data.parent / f"{data.name}-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "REGISTRY_DATA_DIR": str(self.data),
            "REGISTRY_EVENT_STORE": "sqlite",
            "REGISTRY_SECRET_KEY": SECRET,
            "REGISTRY_LOGIN_RATE_LIMIT": "10000 per minute",
            "REGISTRY_FORM_RATE_LIMIT": "10000 per minute",
        }

    def start(self) -> None:
        number = port() if not self.url else int(self.url.rsplit(":", 1)[1])
        self.url = f"http://127.0.0.1:{number}"
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(REGISTRY), "serve", "--port", str(number), "--workers", str(self.workers)],
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: one signal reaches every worker
            )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}: {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def _signal_all(self, signum: signal.Signals) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)
        self.process.wait(timeout=30)
        self.process = None

    def kill(self) -> None:
        """SIGKILL to the master and every worker at the same moment: nothing runs after it."""
        self._signal_all(signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            self._signal_all(signal.SIGTERM)

    def tracebacks(self) -> list[str]:
        text = self.log.read_text() if self.log.exists() else ""
        return [part for part in text.split("Traceback")[1:]]
