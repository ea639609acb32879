"""Failed sign-ins, counted where every worker and every node sees them.

A client guessing passwords is held back per address and username; one spraying a
password over many usernames, per address. Counting in each worker's memory would let a
server of N workers allow N times the limit, and the ``limits`` package has no SQLite
storage, so the failures are rows in the credential store the workers already share: its
SQLite file, or with a PostgreSQL log ``registry/stores/postgres/sign_in_attempts.py`` in that
database, shared by every node. A row holds the address, the username tried and the time;
rows older than the longest window are deleted as new ones come.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from registry.private_files import private_file

USERNAME_KEPT = 64


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed sign-ins within ``seconds``."""

    failures: int
    seconds: float


class FailedSignIns(Protocol):
    def recent(self, address: str, since: float) -> list[tuple[str, float]]:
        """The address's failures since a time: (username, time), oldest first."""
        ...

    def add(self, address: str, username: str, at: float, forget_before: float) -> None: ...

    def clear(self, address: str, username: str) -> None: ...


class SQLiteFailedSignIns:
    """Failed sign-ins in the credential store's SQLite file, shared by the server's workers."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS failed_sign_ins ("
        " address TEXT NOT NULL, username TEXT NOT NULL, at REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS failed_sign_ins_address ON failed_sign_ins (address, at)",
        "CREATE INDEX IF NOT EXISTS failed_sign_ins_at ON failed_sign_ins (at)",
    )

    def __init__(self, path: Path) -> None:
        self.path = path
        private_file(path)
        conn = self._open()
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in self.SCHEMA:
                conn.execute(statement)
        finally:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def recent(self, address: str, since: float) -> list[tuple[str, float]]:
        conn = self._open()
        try:
            rows = conn.execute(
                "SELECT username, at FROM failed_sign_ins WHERE address = ? AND at > ? ORDER BY at",
                (address, since),
            ).fetchall()
        finally:
            conn.close()
        return [(str(username), float(at)) for username, at in rows]

    def add(self, address: str, username: str, at: float, forget_before: float) -> None:
        conn = self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM failed_sign_ins WHERE at <= ?", (forget_before,))
            conn.execute(
                "INSERT INTO failed_sign_ins (address, username, at) VALUES (?, ?, ?)",
                (address, username, at),
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    def clear(self, address: str, username: str) -> None:
        conn = self._open()
        try:
            conn.execute(
                "DELETE FROM failed_sign_ins WHERE address = ? AND username = ?",
                (address, username),
            )
        finally:
            conn.close()


def _wait(times: Sequence[float], limit: Limit, now: float) -> float:
    """Seconds until fewer than the limit's failures remain in its window (0: none)."""
    within = [at for at in times if at > now - limit.seconds]
    if len(within) < limit.failures:
        return 0.0
    return within[len(within) - limit.failures] + limit.seconds - now


class SignInThrottle:
    """Whether a sign-in may be checked now, and the count of those that failed."""

    def __init__(self, store: FailedSignIns, *, per_address: Limit, per_username: Limit) -> None:
        self.store = store
        self.per_address = per_address
        self.per_username = per_username
        self.window = max(per_address.seconds, per_username.seconds)

    @staticmethod
    def key(username: str) -> str:
        """The username as signing in reads it, cut short: an overlong one is still counted."""
        return username.strip().lower()[:USERNAME_KEPT]

    def wait(self, address: str, username: str, now: float | None = None) -> float:
        """Seconds to wait before this address may try this username again (0: try now)."""
        now = time.time() if now is None else now
        failures = self.store.recent(address, now - self.window)
        mine = [at for tried, at in failures if tried == self.key(username)]
        return max(
            _wait([at for _, at in failures], self.per_address, now),
            _wait(mine, self.per_username, now),
        )

    def failed(self, address: str, username: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.store.add(address, self.key(username), now, now - self.window)

    def succeeded(self, address: str, username: str) -> None:
        """The right password: that username's failures from this address are forgiven."""
        self.store.clear(address, self.key(username))
