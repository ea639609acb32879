"""The replays auditors ran from the web, kept so that each result has a page of its own and a
form sent twice is answered with the first run's result (``web/pages/replay.py``).

A replay compares this host's read models with the log, so its results are this host's too:
a SQLite file in the data directory (``replays.sqlite3``), never the log, which a replay
only reads. Each result is the replay's JSON report, keyed by the id the form's submission
key derives (``registry.submissions.derived_id``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from registry.private_files import private_directory, private_file

FILE = "replays.sqlite3"
KEPT = 100
"""The most recent results kept; older ones are deleted as new ones are added."""


@dataclass(frozen=True)
class ReplayResult:
    id: UUID
    user: str
    ran_at: str
    report: dict[str, Any]


class ReplayResults:
    """The results kept in one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE

    def _connect(self) -> sqlite3.Connection:
        private_directory(self.path.parent)
        conn = sqlite3.connect(private_file(self.path), timeout=30, isolation_level=None)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS replays (id TEXT PRIMARY KEY, user TEXT NOT NULL,"
            " ran_at TEXT NOT NULL, report TEXT NOT NULL)"
        )
        return conn

    def add(self, result: ReplayResult) -> bool:
        """Keep ``result``; False if a result with its id is kept already (a twin's)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            added = conn.execute(
                "INSERT INTO replays (id, user, ran_at, report) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                [str(result.id), result.user, result.ran_at, json.dumps(result.report)],
            ).rowcount
            conn.execute(
                "DELETE FROM replays WHERE id NOT IN"
                " (SELECT id FROM replays ORDER BY ran_at DESC LIMIT ?)",
                [KEPT],
            )
            conn.execute("COMMIT")
            return added == 1
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()

    def get(self, result_id: UUID) -> ReplayResult | None:
        found = self._select("WHERE id = ?", [str(result_id)])
        return found[0] if found else None

    def recent(self, limit: int = 10) -> list[ReplayResult]:
        return self._select("ORDER BY ran_at DESC LIMIT ?", [limit])

    def _select(self, rest: str, params: list[Any]) -> list[ReplayResult]:
        if not self.path.exists():
            return []
        conn = self._connect()
        try:
            rows = conn.execute(f"SELECT id, user, ran_at, report FROM replays {rest}", params)
            return [ReplayResult(UUID(i), u, at, json.loads(r)) for i, u, at, r in rows]
        finally:
            conn.close()
