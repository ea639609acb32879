"""The rows views write during one catch-up transaction, buffered and flushed in batches.

Handlers change rows by primary key (``get`` → change → ``put``) or add rows that are never
changed (``append``). Many events touching the same row collapse into one write, and each
table's rows go to SQLite in one ``executemany`` per statement shape, which is what makes
catching up fast: sqlite-utils' per-row ``upsert`` manages about 10,000 rows/s, batched
``executemany`` 20–35 times that. Any other statement (``select``/``execute``) flushes first,
so a handler always sees its own earlier writes.

Values must be what SQLite stores: text, numbers (booleans as 0/1), None or bytes. Events
reach views with plain values already (see projections/events.py); a JSON column gets
``json_text(value)``. Rows converts nothing itself, because this is the hot path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

import orjson

Row = dict[str, Any]
Key = tuple[Any, ...]
_UNKNOWN: Any = object()


def json_text(value: Any) -> str:
    """Compact JSON text for a JSON column, Chinese text kept readable."""
    return orjson.dumps(value).decode()


class Rows:
    """A write-behind identity map over one read-model connection, for one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._keys: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, tuple[str, ...]] = {}
        self._known: dict[str, dict[Key, Row | None]] = {}
        self._partial: dict[str, set[Key]] = {}
        self._dirty: dict[str, set[Key]] = {}
        self._appended: dict[str, list[Row]] = {}
        self._key_of: dict[str, Callable[[Row], Key]] = {}

    def _key_columns(self, table: str) -> tuple[str, ...]:
        keys = self._keys.get(table)
        if keys is None:
            info = self._conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            if not info:
                raise LookupError(f"no table {table!r} in the read model")
            self._columns[table] = tuple(column[1] for column in info)
            keys = tuple(column[1] for column in sorted(info, key=lambda c: c[5]) if column[5])
            self._keys[table] = keys
        return keys

    # --- rows by primary key ----------------------------------------------------------------

    def get(self, table: str, *key: Any) -> Row | None:
        """The row with this primary key as the transaction sees it now, or None."""
        known = self._known.get(table)
        if known is not None and key in known and key not in self._partial.get(table, ()):
            row = known[key]
            return dict(row) if row is not None else None
        keys = self._key_columns(table)
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        found = self._conn.execute(f'SELECT * FROM "{table}" WHERE {where}', key).fetchone()
        row = dict(zip(self._columns[table], found, strict=True)) if found else None
        known = self._known.setdefault(table, {})
        partial = self._partial.setdefault(table, set())
        if key in partial:
            partial.discard(key)
            # a row put with some columns and not yet written: the rest are still NULL
            base = row or dict.fromkeys(self._columns[table])
            row = {**base, **known[key]}  # type: ignore[dict-item]
        known[key] = row
        return dict(row) if row is not None else None

    def put(self, table: str, row: Row) -> None:
        """Insert the row, or change the columns it names on the row with the same key.

        Changing a few columns needs no ``get`` first: the write names only those columns.
        """
        key_of = self._key_of.get(table) or self._key_getter(table)
        key = key_of(row)
        known = self._known.get(table)
        if known is None:
            known = self._known[table] = {}
        current = known.get(key, _UNKNOWN)
        if current is _UNKNOWN:
            known[key] = dict(row)
            if len(row) < len(self._columns[table]):
                self._partial.setdefault(table, set()).add(key)
        elif current is None:
            known[key] = dict(row)
        else:
            current.update(row)
        dirty = self._dirty.get(table)
        if dirty is None:
            dirty = self._dirty[table] = set()
        dirty.add(key)

    def _key_getter(self, table: str) -> Callable[[Row], Key]:
        keys = self._key_columns(table)
        if len(keys) == 1:
            (only,) = keys
            self._key_of[table] = lambda row: (row[only],)
        else:
            self._key_of[table] = itemgetter(*keys)
        return self._key_of[table]

    def delete(self, table: str, *key: Any) -> None:
        self._key_columns(table)
        self._known.setdefault(table, {})[key] = None
        self._partial.setdefault(table, set()).discard(key)
        self._dirty.setdefault(table, set()).add(key)

    # --- rows that are only ever added ------------------------------------------------------

    def append(self, table: str, row: Row) -> None:
        """Add a row that no handler changes later (a log entry); Rows keeps the dict."""
        appended = self._appended.get(table)
        if appended is None:
            appended = self._appended[table] = []
        appended.append(row)

    # --- anything else --------------------------------------------------------------------

    def select(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        self.flush()
        cursor = self._conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, found, strict=True)) for found in cursor.fetchall()]

    def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """Run a statement that may change many rows (e.g. renaming a party everywhere)."""
        self.flush()
        self._conn.execute(sql, list(params))
        self._known.clear()
        self._partial.clear()

    # --- writing ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write buffered rows to the open transaction, one ``executemany`` per statement."""
        for table, dirty in self._dirty.items():
            keys, known = self._keys[table], self._known[table]
            deleted = [key for key in dirty if known[key] is None]
            if deleted:
                where = " AND ".join(f'"{k}" = ?' for k in keys)
                self._write(table, f'DELETE FROM "{table}" WHERE {where}', deleted)
            shapes: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
            for key in dirty:
                row = known[key]
                if row is not None:
                    shapes.setdefault(tuple(row), []).append(tuple(row.values()))
            for columns, values in shapes.items():
                self._write(table, _upsert(table, columns, keys), values)
        self._dirty.clear()
        for table, appended in self._appended.items():
            batches: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
            for row in appended:
                batches.setdefault(tuple(row), []).append(tuple(row.values()))
            for columns, values in batches.items():
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                self._write(table, f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        self._appended.clear()

    def _write(self, table: str, sql: str, values: list[tuple[Any, ...]]) -> None:
        try:
            self._conn.executemany(sql, values)
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError) as error:
            error.add_note(f"writing {table}: give text, numbers, None or bytes (json_text)")
            raise

    def forget(self) -> None:
        """Drop everything buffered or cached (after a commit or a rollback)."""
        self._known.clear()
        self._partial.clear()
        self._dirty.clear()
        self._appended.clear()


def _upsert(table: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in keys)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    conflict = ", ".join(f'"{k}"' for k in keys)
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({conflict}) {action}'
