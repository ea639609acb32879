"""Configuration from the environment, with safe defaults (embedded SQLite under ``var/``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from registry.private_files import private_file

LEDGER_NAME = "sichuan.registry.example/ledger"


class ConfigurationError(Exception):
    """A configuration value cannot be used."""


def positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    """Where the registry keeps its data.

    ``REGISTRY_DATA_DIR`` (default ``var``) holds every SQLite file. ``REGISTRY_EVENT_STORE``
    is ``sqlite`` (default: ``events.sqlite3`` in the data directory) or a PostgreSQL URL
    ``postgresql://user:password@host:port/dbname?schema=name`` for a shared log.
    """

    data_dir: Path
    event_store: str = "sqlite"
    ledger_key: Path | None = None
    ledger_name: str = LEDGER_NAME
    checkpoint_events: int = 1000
    checkpoint_minutes: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The ledger's settings (docs/ledger.md): ``REGISTRY_LEDGER_KEY`` the signing key's
        file (default ``ledger.key`` in the data directory, made on first use),
        ``REGISTRY_LEDGER_NAME`` the log's name in its checkpoints,
        ``REGISTRY_CHECKPOINT_EVENTS`` and ``REGISTRY_CHECKPOINT_MINUTES`` how often one is
        cut (whichever comes first)."""
        environ = os.environ if environ is None else environ
        key = environ.get("REGISTRY_LEDGER_KEY")
        return cls(
            data_dir=Path(environ.get("REGISTRY_DATA_DIR", "var")),
            event_store=environ.get("REGISTRY_EVENT_STORE", "sqlite"),
            ledger_key=Path(key) if key else None,
            ledger_name=environ.get("REGISTRY_LEDGER_NAME", LEDGER_NAME),
            checkpoint_events=positive(environ, "REGISTRY_CHECKPOINT_EVENTS", 1000),
            checkpoint_minutes=positive(environ, "REGISTRY_CHECKPOINT_MINUTES", 60),
        )

    @property
    def ledger_key_path(self) -> Path:
        return self.ledger_key or self.data_dir / "ledger.key"

    @property
    def checkpoints_path(self) -> Path:
        """Signed checkpoints with the SQLite event store (PostgreSQL keeps them in a table)."""
        return self.data_dir / "checkpoints.sqlite3"

    @property
    def key_store_path(self) -> Path:
        """Students' keys with the SQLite event store (PostgreSQL keeps them in tables)."""
        return self.data_dir / "keys.sqlite3"

    @property
    def access_log_path(self) -> Path:
        return self.data_dir / "access-log.sqlite3"

    @property
    def credentials_path(self) -> Path:
        return self.data_dir / "credentials.sqlite3"

    @property
    def uses_postgres(self) -> bool:
        return self.event_store.startswith(("postgresql://", "postgres://"))

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's settings; always explicit, never its in-memory default."""
        if self.event_store == "sqlite":
            events = private_file(self.data_dir / "events.sqlite3")
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(events),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        if self.uses_postgres:
            return postgres_env(self.event_store)
        raise ConfigurationError(
            "REGISTRY_EVENT_STORE must be 'sqlite' or a postgresql:// URL, "
            f"not {self.event_store!r}"
        )


def postgres_env(url: str) -> dict[str, str]:
    parsed = urlparse(url)
    if not parsed.hostname or not parsed.path.strip("/"):
        raise ConfigurationError(f"a PostgreSQL URL needs a host and a database name: {url!r}")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parsed.path.strip("/")),
        "POSTGRES_HOST": parsed.hostname,
        "POSTGRES_PORT": str(parsed.port or 5432),
        "POSTGRES_USER": unquote(parsed.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "5",
    }
    schema = parse_qs(parsed.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[0]
    return env
