"""Followers: readers of the log that keep a file of their own, beside the read models.

A view's rows can always be built again from the log, so the engine throws a view's file
away and rebuilds it when the view's code changes. Some readers keep what the log alone
cannot give again (a chain of digests and the checkpoints signed over it, for instance):
their file must outlive every rebuild. A ``Follower`` declares a name, a code version, its
tables' migrations and one ``apply`` for a batch of notifications; the engine keeps its file
``<name>.sqlite3`` in the read-model directory, outside the generations, and gives it the
same exactly-once guarantee as the views:

- its position (the last notification applied) is kept in its own file (``_follower``), and
  a batch's rows and the new position commit in one ``BEGIN IMMEDIATE`` transaction, so a
  crash changes nothing and a notification fed twice is skipped;
- it is given the notifications *after* its position, in order, never ``position + 1``, so
  a PostgreSQL log's gaps are harmless;
- a catch-up of the read models (``ReadModels.catch_up``, the hook every command runs)
  catches up every follower too, so a command returns once its followers include it;
- a rebuild never touches it; a file written by another version of the follower's code is
  not rebuilt but refused (``FollowerOutdated``): what it holds may not be rebuildable, so
  the follower's own code says how to carry it forward (a migration) before the version
  changes.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from projections.engine.connections import connect
from projections.engine.locks import exclusive
from projections.engine.projector import EventLog, Notification, Progress

POSITIONS = "_follower"


class FollowerOutdated(Exception):
    """The follower's file was written by another version of its code."""

    def __init__(self, name: str, found: int, wanted: int) -> None:
        self.name, self.found, self.wanted = name, found, wanted
        super().__init__(
            f"the file of follower {name} was written by version {found} of its code, "
            f"this is version {wanted}: migrate the file, it is never rebuilt"
        )


class Follower(ABC):
    """What a reader with a file of its own declares; the engine does the rest."""

    name: str
    version: int
    migrations: Migrations

    @abstractmethod
    def apply(self, db: Database, notifications: Sequence[Notification], log: EventLog) -> None:
        """Record ``notifications`` (all after the follower's position, in order) in ``db``.

        Runs inside the transaction that also moves the position: raising undoes both.
        ``log.decode`` turns a notification into the event it stores.
        """


class FollowerFile:
    """One follower's file: its position, catching up, reading."""

    def __init__(self, directory: Path, follower: Follower, log: EventLog) -> None:
        self.follower = follower
        self.log = log
        self.path = directory / f"{follower.name}.sqlite3"
        self.lock = directory / f"{follower.name}.lock"
        self._conn: sqlite3.Connection | None = None

    def _writer(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path)
            db = Database(conn, execute_plugins=False)
            with exclusive(self.lock):
                if POSITIONS not in db.table_names():
                    db.execute(
                        f"CREATE TABLE {POSITIONS} (name TEXT PRIMARY KEY,"
                        " version INTEGER NOT NULL, position INTEGER NOT NULL)"
                    )
                self.follower.migrations.apply(db)
                db.execute(
                    f"INSERT INTO {POSITIONS} (name, version, position) VALUES (?, ?, 0)"
                    " ON CONFLICT (name) DO NOTHING",
                    [self.follower.name, self.follower.version],
                )
            self._conn = conn
        return self._conn

    def _recorded(self, conn: sqlite3.Connection) -> int:
        version, position = conn.execute(
            f"SELECT version, position FROM {POSITIONS} WHERE name = ?", [self.follower.name]
        ).fetchone()
        if version != self.follower.version:
            raise FollowerOutdated(self.follower.name, version, self.follower.version)
        return int(position)

    def position(self) -> int:
        return self._recorded(self._writer())

    def apply(self, notifications: Sequence[Notification]) -> int:
        """Apply in one transaction the notifications after the follower's position."""
        conn = self._writer()
        conn.execute("BEGIN IMMEDIATE")
        try:
            before = self._recorded(conn)
            fresh = [n for n in notifications if n.id > before]
            if fresh:
                self.follower.apply(Database(conn, execute_plugins=False), fresh, self.log)
                conn.execute(
                    f"UPDATE {POSITIONS} SET position = ? WHERE name = ?",
                    [fresh[-1].id, self.follower.name],
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return fresh[-1].id if fresh else before

    def follow(
        self, until: int | None = None, batch: int = 5000, progress: Progress | None = None
    ) -> int:
        """Catch up to ``until`` (default: the log's head now); stops when the log has no more."""
        position = self.position()
        target = self.log.head() if until is None else until
        if position >= target:
            return position
        with exclusive(self.lock):
            position = self.position()
            while position < target:
                notifications = self.log.select(after=position, limit=batch)
                if not notifications:
                    break
                position = self.apply(notifications)
                if progress is not None:
                    progress(position)
        return position

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """A read-only snapshot of the follower's file (built first if there is none)."""
        self._writer()
        conn = connect(self.path, reading=True)
        conn.execute("BEGIN")
        try:
            yield Database(conn, execute_plugins=False)
        finally:
            conn.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
