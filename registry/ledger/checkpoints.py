"""Where signed checkpoints are kept: every node sees every one.

With the SQLite event store, a file of its own in the data directory
(``checkpoints.sqlite3``); with PostgreSQL, a table in the shared database beside the other
side stores. A checkpoint's tree size is its key, so two nodes can never keep two different
checkpoints of one size; cutting happens under a lock (SQLite's write lock, a PostgreSQL
advisory lock), one node at a time. The time a checkpoint was cut is kept beside it,
unsigned. The outcome of the last ``registry verify`` is kept here too, for the auditor's
page and the record pages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from registry.private_files import private_file
from registry.stores.postgres import Database

CUT_LOCK = 0x5EC5_1ED6


@dataclass(frozen=True)
class Kept:
    """A signed checkpoint as kept: its size, root, the signed note and when it was cut."""

    size: int
    root: bytes
    note: str
    cut_at: str


@dataclass(frozen=True)
class Verification:
    """The outcome of one ``registry verify``."""

    at: str
    size: int
    checkpoint: int | None
    ok: bool
    position: int | None = None
    record_id: str | None = None
    version: int | None = None
    problem: str | None = None


class Cutting(Protocol):
    def latest(self) -> Kept | None: ...
    def add(self, kept: Kept) -> Kept: ...


class CheckpointStore(Protocol):
    def latest(self) -> Kept | None: ...
    def at(self, size: int) -> Kept | None: ...
    def all(self) -> list[Kept]: ...
    def cutting(self) -> AbstractContextManager[Cutting]: ...
    def record_verification(self, verification: Verification) -> None: ...
    def last_verification(self) -> Verification | None: ...


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS ledger_checkpoints (size BIGINT PRIMARY KEY,"
    " root BYTEA NOT NULL, note TEXT NOT NULL, cut_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ledger_verifications (at TEXT NOT NULL, size BIGINT NOT NULL,"
    " checkpoint BIGINT, ok BOOLEAN NOT NULL, position BIGINT, record_id TEXT,"
    " version BIGINT, problem TEXT)",
)
KEPT = "SELECT size, root, note, cut_at FROM ledger_checkpoints"
LAST_VERIFICATION = (
    "SELECT at, size, checkpoint, ok, position, record_id, version, problem"
    " FROM ledger_verifications ORDER BY at DESC LIMIT 1"
)


def _kept(row: Any) -> Kept | None:
    return None if row is None else Kept(int(row[0]), bytes(row[1]), row[2], row[3])


def _verification(row: Any) -> Verification | None:
    if row is None:
        return None
    return Verification(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7])


def _values(v: Verification) -> tuple[Any, ...]:
    return (v.at, v.size, v.checkpoint, v.ok, v.position, v.record_id, v.version, v.problem)


class SQLiteCheckpoints:
    def __init__(self, path: Path) -> None:
        self.path = path
        private_file(path)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in SCHEMA:
                conn.execute(statement.replace("BYTEA", "BLOB"))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    def latest(self) -> Kept | None:
        with self._connect() as conn:
            return _kept(conn.execute(f"{KEPT} ORDER BY size DESC LIMIT 1").fetchone())

    def at(self, size: int) -> Kept | None:
        with self._connect() as conn:
            return _kept(conn.execute(f"{KEPT} WHERE size = ?", [size]).fetchone())

    def all(self) -> list[Kept]:
        with self._connect() as conn:
            return [k for r in conn.execute(f"{KEPT} ORDER BY size") if (k := _kept(r))]

    @contextmanager
    def cutting(self) -> Iterator[Cutting]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteCutting(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def record_verification(self, verification: Verification) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO ledger_verifications VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                _values(verification),
            )

    def last_verification(self) -> Verification | None:
        with self._connect() as conn:
            return _verification(conn.execute(LAST_VERIFICATION).fetchone())


class _SQLiteCutting:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def latest(self) -> Kept | None:
        return _kept(self.conn.execute(f"{KEPT} ORDER BY size DESC LIMIT 1").fetchone())

    def add(self, kept: Kept) -> Kept:
        self.conn.execute(
            "INSERT INTO ledger_checkpoints VALUES (?, ?, ?, ?) ON CONFLICT (size) DO NOTHING",
            [kept.size, kept.root, kept.note, kept.cut_at],
        )
        stored = _kept(self.conn.execute(f"{KEPT} WHERE size = ?", [kept.size]).fetchone())
        assert stored is not None
        return stored


class PostgresCheckpoints:
    def __init__(self, database: Database) -> None:
        self.database = database
        database.create(SCHEMA)

    def latest(self) -> Kept | None:
        with self.database.connection() as conn:
            return _kept(conn.execute(KEPT + " ORDER BY size DESC LIMIT 1").fetchone())

    def at(self, size: int) -> Kept | None:
        with self.database.connection() as conn:
            return _kept(conn.execute(KEPT + " WHERE size = %s", [size]).fetchone())

    def all(self) -> list[Kept]:
        with self.database.connection() as conn:
            return [k for r in conn.execute(KEPT + " ORDER BY size") if (k := _kept(r))]

    @contextmanager
    def cutting(self) -> Iterator[Cutting]:
        with self.database.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [CUT_LOCK])
            yield _PostgresCutting(conn)

    def record_verification(self, verification: Verification) -> None:
        with self.database.connection() as conn:
            conn.execute(
                "INSERT INTO ledger_verifications VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                _values(verification),
            )

    def last_verification(self) -> Verification | None:
        with self.database.connection() as conn:
            return _verification(conn.execute(LAST_VERIFICATION).fetchone())


class _PostgresCutting:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def latest(self) -> Kept | None:
        return _kept(self.conn.execute(KEPT + " ORDER BY size DESC LIMIT 1").fetchone())

    def add(self, kept: Kept) -> Kept:
        self.conn.execute(
            "INSERT INTO ledger_checkpoints VALUES (%s, %s, %s, %s) ON CONFLICT (size) DO NOTHING",
            [kept.size, kept.root, kept.note, kept.cut_at],
        )
        stored = _kept(self.conn.execute(KEPT + " WHERE size = %s", [kept.size]).fetchone())
        assert stored is not None
        return stored
