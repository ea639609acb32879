"""Damage done to a real store with sqlite3 alone, never through the project's code."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from uuid import UUID


def damage(data_dir: Path, record: UUID, version: int, change: bytes = b"[") -> int:
    """Replace the first byte of the stored event's JSON; return the event's position."""
    with closing(sqlite3.connect(data_dir / "events.sqlite3")) as conn:
        position, state = conn.execute(
            "SELECT rowid, state FROM stored_events"
            " WHERE originator_id = ? AND originator_version = ?",
            (record.hex, version),
        ).fetchone()
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (change + state[1:], position)
        )
        conn.commit()
    return int(position)
