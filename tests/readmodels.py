"""Helpers for read-model tests: dump every view table, build views from scratch in memory."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from projections import VIEWS
from projections.engine.projector import ApplicationLog, Projector, prepare
from registry.application import RegistryApplication

SKIPPED = {"_sqlite_migrations"}


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the migrations' timestamps), in a stable order."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        if name not in SKIPPED
    ]
    return {
        table: sorted(
            conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=lambda row: repr(row)
        )
        for table in tables
    }


def from_scratch(app: RegistryApplication) -> dict[str, list[tuple[Any, ...]]]:
    """The views built from the whole log into a fresh in-memory database, dumped."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        prepare(Database(conn, execute_plugins=False), VIEWS)
        Projector(conn, VIEWS, ApplicationLog(app)).follow()
        return dump(conn)
    finally:
        conn.close()
