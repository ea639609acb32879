"""The access log: who read a student's decrypted personal data, when, and why.

Append-only (triggers refuse updates and deletions) and kept in its own file, apart from the
keys: keys must be destroyable and their backups short-lived, while the access log is evidence
that must outlive them. It holds pseudonymous ids and reasons, never the data read.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import LiteralString, Protocol
from uuid import UUID

from domain.actors import Actor
from registry.clock import local_time
from registry.private_files import private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS access_log (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    reader TEXT NOT NULL,
    role TEXT NOT NULL,
    party_id TEXT,
    subject_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    reason TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_subject ON access_log (subject_id, position);
CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"""


class Purpose(StrEnum):
    REVEAL = "reveal"
    EXPORT = "export"
    DERIVE = "derive"
    FIND_BY_NAME = "find_by_name"
    FIND_BY_ID_NUMBER = "find_by_id_number"


class Outcome(StrEnum):
    REVEALED = "revealed"
    ERASED = "erased"
    REFUSED = "refused"


@dataclass(frozen=True)
class AccessEntry:
    position: int
    at: str
    reader: str
    role: str
    party_id: str | None
    subject_id: str
    purpose: str
    reason: str
    outcome: str


def entries_query(
    mark: LiteralString, *, subject_id: object, reader: str | None, after: int, limit: int
) -> tuple[LiteralString, list[object]]:
    """The query of ``AccessLog.entries`` and its parameters, with ``mark`` as placeholder
    (SQLite's ``?``, PostgreSQL's ``%s``); ``subject_id`` as the store keeps it, or None."""
    where: list[LiteralString] = ["position > " + mark]
    params: list[object] = [after]
    if subject_id is not None:
        where.append("subject_id = " + mark)
        params.append(subject_id)
    if reader is not None:
        where.append("reader = " + mark)
        params.append(reader)
    query = (
        "SELECT position, at, reader, role, party_id, subject_id, purpose, reason, outcome"
        " FROM access_log WHERE " + " AND ".join(where) + " ORDER BY position LIMIT " + mark
    )
    return query, [*params, limit]


class AccessLog(Protocol):
    def record(
        self, *, reader: Actor, subject_id: UUID, purpose: Purpose, reason: str, outcome: Outcome
    ) -> int:
        """Append one entry; return its position."""

    def entries(
        self,
        *,
        subject_id: UUID | None = None,
        reader: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[AccessEntry]:
        """Entries in order after position ``after``, optionally for one subject or reader."""

    def close(self) -> None: ...


class SQLiteAccessLog:
    def __init__(self, path: Path) -> None:
        private_file(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)

    def record(
        self, *, reader: Actor, subject_id: UUID, purpose: Purpose, reason: str, outcome: Outcome
    ) -> int:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO access_log (at, reader, role, party_id, subject_id, purpose, reason,"
                " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                    reader.user_id,
                    reader.role.value,
                    str(reader.party_id) if reader.party_id else None,
                    str(subject_id),
                    purpose.value,
                    reason,
                    outcome.value,
                ),
            )
        return int(cursor.lastrowid or 0)

    def entries(
        self,
        *,
        subject_id: UUID | None = None,
        reader: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[AccessEntry]:
        query, params = entries_query(
            "?",
            subject_id=str(subject_id) if subject_id is not None else None,
            reader=reader,
            after=after,
            limit=limit,
        )
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [
            AccessEntry(row[0], local_time(datetime.fromisoformat(row[1])), *row[2:])
            for row in rows
        ]

    def close(self) -> None:
        with self._lock:
            self._db.close()
