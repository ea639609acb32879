"""What a handler's own SQL statement reads and writes, and which rows it changed.

``Rows`` buffers writes, so before a handler's ``select`` or ``execute`` runs, the tables
the statement touches must be flushed (and only those: flushing everything for every
lookup would cut the batches short). SQLite's authorizer names the tables a statement
reads and writes as it is compiled; the answer is kept per statement text. The rows an
``execute`` changes in a versioned table are noted by temporary triggers, so they get
versions like rows changed through ``put``.
"""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any

import orjson

TOUCHED = "_rows_touched"
_WRITES = (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE)
_fresh = itertools.count()
_IMAGES = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


class Statements:
    """The tables each statement text reads and writes, on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._tables: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def tables(self, sql: str, values: list[Any]) -> tuple[frozenset[str], frozenset[str]]:
        """(tables read, tables written) by ``sql`` in the main database."""
        found = self._tables.get(sql)
        if found is None:
            read: set[str] = set()
            written: set[str] = set()

            def note(action: int, table: str | None, _: Any, database: str | None, *__: Any) -> int:
                if table is not None and database in (None, "main"):
                    if action == sqlite3.SQLITE_READ:
                        read.add(table)
                    elif action in _WRITES:
                        written.add(table)
                return sqlite3.SQLITE_OK

            self._conn.set_authorizer(note)
            try:
                # a text the connection's statement cache cannot hold, so it is compiled
                self._conn.execute(f"/* {next(_fresh)} */ EXPLAIN {sql}", values).fetchall()
            finally:
                self._conn.set_authorizer(None)
            found = self._tables[sql] = (frozenset(read), frozenset(written))
        return found

    def run_noting_keys(
        self, sql: str, values: list[Any], keys: dict[str, tuple[str, ...]]
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """Run ``sql``; return (table, key) of each row it inserted, changed or deleted in
        the tables of ``keys`` (each table's primary key columns)."""
        conn = self._conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} (name TEXT, key TEXT)")
        triggers = []
        try:
            for number, (table, columns) in enumerate(keys.items()):
                if not columns:
                    raise ValueError(f"{table} has no primary key: change its rows with put")
                for when, images in _IMAGES.items():
                    trigger = f"_rows_{number}_{when.lower()}"
                    notes = " ".join(_note_key(table, columns, image) for image in images)
                    conn.execute(
                        f'CREATE TEMP TRIGGER "{trigger}" AFTER {when} ON main."{table}"'
                        f" BEGIN {notes} END"
                    )
                    triggers.append(trigger)
            conn.execute(sql, values)
            found = conn.execute(f"SELECT DISTINCT name, key FROM {TOUCHED}").fetchall()
        finally:
            for trigger in triggers:
                conn.execute(f'DROP TRIGGER temp."{trigger}"')
            conn.execute(f"DELETE FROM {TOUCHED}")
        return [(table, tuple(orjson.loads(key))) for table, key in found]


def _note_key(table: str, keys: tuple[str, ...], image: str) -> str:
    """Trigger SQL noting the key of the row image (OLD or NEW) a statement touched."""
    columns = ", ".join(f'{image}."{k}"' for k in keys)
    name = table.replace("'", "''")
    return f"INSERT INTO {TOUCHED} VALUES ('{name}', json_array({columns}));"
