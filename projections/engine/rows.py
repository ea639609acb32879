"""The rows views write during one catch-up transaction, buffered and flushed in batches.

Handlers change rows by primary key (``get`` → change → ``put``) or add rows that are never
changed (``append``). Many events touching the same row collapse into one write, and each
table's rows go to SQLite in one ``executemany`` per statement shape, which is what makes
catching up fast: a per-row ``upsert`` pays a statement and a round trip through Python for
every row (docs/benchmarks.md, "Figures behind the engine's settings"). Any other statement
(``select``/``execute``) first flushes the tables it touches, so a handler always sees its
own earlier writes.

Rows also keeps each table's past (projections/engine/versions.py): the projector sets
``position`` to the event a handler runs for, and every change records a version of the
row valid from that position. Several changes to one row within one event are one
version; changes in different events of a batch are separate versions, so the versions
never depend on how the log was cut into batches. The rows an ``execute`` changes get
versions too (projections/engine/statements.py).

Values must be what SQLite stores: text, numbers (booleans as 0/1), None or bytes. Events
reach views with plain values already (see projections/engine/events.py); a JSON column gets
``json_text(value)``. Rows converts nothing itself, because this is the hot path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable
from operator import itemgetter
from typing import Any

import orjson

from projections.engine.statements import Statements
from projections.engine.versions import VALID_FROM, VALID_TO, quoted, versions_of

Row = dict[str, Any]
Key = tuple[Any, ...]
Values = list[tuple[Any, ...]]
# a row's state after an earlier event of the batch: (position, the row or None if it was
# deleted, whether the row holds only the columns changed since it was first touched)
Earlier = tuple[int, Row | None, bool]
_UNKNOWN: Any = object()


def json_text(value: Any) -> str:
    """Compact JSON text for a JSON column, Chinese text kept readable."""
    return orjson.dumps(value).decode()


class Rows:
    """A write-behind identity map over one read-model connection, for one transaction."""

    def __init__(self, conn: sqlite3.Connection, logs: Collection[str] = ()) -> None:
        self._conn = conn
        self._logs = frozenset(logs)
        self._statements = Statements(conn)
        self.position = 0
        """The position of the event whose handler runs now: versions start there."""
        self._keys: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, tuple[str, ...]] = {}
        self._blank: dict[str, Row] = {}
        self._versioned: dict[str, bool] = {}
        self._key_of: dict[str, Callable[[Row], Key]] = {}
        self._known: dict[str, dict[Key, Row | None]] = {}
        self._partial: dict[str, set[Key]] = {}
        self._changed: dict[str, dict[Key, int]] = {}
        self._earlier: dict[str, dict[Key, list[Earlier]]] = {}
        self._appended: dict[str, list[Row]] = {}
        self._appended_at: dict[str, list[int]] = {}
        self._flushed_at: dict[str, int] = {}

    def _key_columns(self, table: str) -> tuple[str, ...]:
        keys = self._keys.get(table)
        if keys is None:
            conn = self._conn
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            if not info:
                raise LookupError(f"no table {table!r} in the read model")
            self._columns[table] = tuple(column[1] for column in info)
            # what SQLite gives a column an INSERT leaves out: its default, else NULL
            self._blank[table] = {
                column[1]: None
                if column[4] is None
                else conn.execute(f"SELECT {column[4]}").fetchone()[0]
                for column in info
            }
            versions = conn.execute(f'PRAGMA table_info("{versions_of(table)}")').fetchall()
            self._versioned[table] = bool(versions)
            keys = tuple(column[1] for column in sorted(info, key=lambda c: c[5]) if column[5])
            self._keys[table] = keys
        return keys

    def _keep_earlier(self, table: str, key: Key, last: int, current: Row | None) -> None:
        """Keep the row's state after an earlier event of the batch: one of its versions."""
        state = None if current is None else dict(current)
        partly = key in self._partial.get(table, ())
        self._earlier.setdefault(table, {}).setdefault(key, []).append((last, state, partly))

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
            # a row put with some columns and not yet written: the rest are as stored, or
            # the columns' defaults (NULL) for a new row
            base = row or self._blank[table]
            row = {**base, **known[key]}  # type: ignore[dict-item]
            self._complete_earlier(table, key, base)
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
        changed = self._changed.get(table)
        if changed is None:
            changed = self._changed[table] = {}
        last = changed.get(key)
        if last is not None and last != self.position:
            self._keep_earlier(table, key, last, current)
        changed[key] = self.position
        if current is _UNKNOWN:
            known[key] = dict(row)
            if len(row) < len(self._columns[table]):
                self._partial.setdefault(table, set()).add(key)
        elif current is None:
            # deleted or absent: a new row, whole (a stored row deleted in this batch must
            # not lend it the columns this put leaves out)
            known[key] = {**self._blank[table], **row}
        else:
            current.update(row)

    def _key_getter(self, table: str) -> Callable[[Row], Key]:
        keys = self._key_columns(table)
        if table in self._logs:
            raise ValueError(f"{table} is a log: rows are only appended to it")
        if len(keys) == 1:
            (only,) = keys
            self._key_of[table] = lambda row: (row[only],)
        else:
            self._key_of[table] = itemgetter(*keys)
        return self._key_of[table]

    def delete(self, table: str, *key: Any) -> None:
        self._key_columns(table)
        if table in self._logs:
            raise ValueError(f"{table} is a log: rows are only appended to it")
        known = self._known.setdefault(table, {})
        changed = self._changed.setdefault(table, {})
        last = changed.get(key)
        if last is not None and last != self.position:
            self._keep_earlier(table, key, last, known[key])
        changed[key] = self.position
        known[key] = None
        self._partial.setdefault(table, set()).discard(key)

    # --- rows that are only ever added ------------------------------------------------------

    def append(self, table: str, row: Row) -> None:
        """Add a row that no handler changes later (a log entry); Rows keeps the dict."""
        appended = self._appended.get(table)
        if appended is None:
            self._key_columns(table)
            appended = self._appended[table] = []
            self._appended_at[table] = []
        appended.append(row)
        if self._versioned[table]:
            self._appended_at[table].append(self.position)

    # --- anything else --------------------------------------------------------------------

    def select(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        values = list(params)
        read, written = self._statements.tables(sql, values)
        self.flush(read | written)
        cursor = self._conn.execute(sql, values)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, found, strict=True)) for found in cursor.fetchall()]

    def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """Run a statement that may change many rows (e.g. renaming a party everywhere).

        The rows it changes get versions at ``position`` like any other change.
        """
        values = list(params)
        read, written = self._statements.tables(sql, values)
        self.flush(read | written)
        versioned = {t: self._key_columns(t) for t in sorted(written) if self._versioned_table(t)}
        if versioned:
            touched = self._statements.run_noting_keys(sql, values, versioned)
        else:
            touched = []
            self._conn.execute(sql, values)
        for table in written:
            self._known.pop(table, None)
            self._partial.pop(table, None)
        for table, key in touched:
            self.get(table, *key)
            self._changed.setdefault(table, {})[key] = self.position

    def _versioned_table(self, table: str) -> bool:
        self._key_columns(table)
        return self._versioned[table]

    # --- writing ----------------------------------------------------------------------------

    def flush(self, tables: Collection[str] | None = None) -> None:
        """Write buffered rows and their versions (of ``tables``, default all), batched."""
        for table in list(self._changed) if tables is None else self._changed.keys() & tables:
            self._flush_table(table, self._changed.pop(table))
            self._earlier.pop(table, None)
            self._flushed_at[table] = self.position
        for table in list(self._appended) if tables is None else self._appended.keys() & tables:
            appended, positions = self._appended.pop(table), self._appended_at.pop(table)
            self._flush_appended(table, appended, positions)

    def _flush_table(self, table: str, changed: dict[Key, int]) -> None:
        keys, known = self._keys[table], self._known[table]
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        versioned = self._versioned[table]
        earlier = self._earlier.get(table) if versioned else None
        if earlier:
            self._fill_earlier(table, earlier)
        deleted: list[Key] = []
        shapes: dict[tuple[str, ...], Values] = {}
        # versions: to close (valid_to) from the first change, to write, to copy from the table
        closing: Values = []
        again: Values = []
        versions: dict[tuple[str, ...], Values] = {}
        stored: Values = []
        flushed_at = self._flushed_at.get(table, -1)
        partial = self._partial.get(table, ())
        width, blank = len(self._columns[table]), self._blank[table]
        for key, at in changed.items():
            row = known[key]
            if versioned:
                states = earlier.get(key) if earlier else None
                first = states[0][0] if states else at
                closing.append((first, *key, first))
                if first == flushed_at:
                    # the same event changes the row again after a flush (a select in a
                    # handler): its version from before the flush is replaced
                    again.append((*key, first))
                if states:
                    _add_earlier(versions, states, at, width, blank)
            if row is None:
                deleted.append(key)
                continue
            columns, values = tuple(row), tuple(row.values())
            shape = shapes.get(columns)
            if shape is None:
                shape = shapes[columns] = []
            shape.append(values)
            if not versioned:
                continue
            if key in partial:
                stored.append((at, *key))
            elif len(values) == width:
                shape = versions.get(columns)
                if shape is None:
                    shape = versions[columns] = []
                shape.append((*values, at, None))
            else:
                full = {**blank, **row}
                versions.setdefault(tuple(full), []).append((*full.values(), at, None))
        if deleted:
            self._write(table, f'DELETE FROM "{table}" WHERE {where}', deleted)
        for columns, values_of in shapes.items():
            self._write(table, _upsert(table, columns, keys), values_of)
        if not versioned:
            return
        history = versions_of(table)
        if again:
            self._write(
                history, f'DELETE FROM "{history}" WHERE {where} AND {VALID_FROM} = ?', again
            )
        self._write(
            history,
            f'UPDATE "{history}" SET {VALID_TO} = ? WHERE {where}'
            f" AND {VALID_TO} IS NULL AND {VALID_FROM} < ?",
            closing,
        )
        self._insert_versions(table, versions)
        if stored:
            names = quoted(self._columns[table])
            self._write(
                history,
                f'INSERT INTO "{history}" ({names}, {VALID_FROM}, {VALID_TO})'
                f' SELECT {names}, ?, NULL FROM "{table}" WHERE {where}',
                stored,
            )

    def _flush_appended(self, table: str, appended: list[Row], positions: list[int]) -> None:
        batches: dict[tuple[str, ...], Values] = {}
        for row in appended:
            batches.setdefault(tuple(row), []).append(tuple(row.values()))
        for columns, values in batches.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            self._write(table, f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        if self._versioned[table]:
            width, blank = len(self._columns[table]), self._blank[table]
            versions: dict[tuple[str, ...], Values] = {}
            for row, at in zip(appended, positions, strict=True):
                full = row if len(row) == width else {**blank, **row}
                versions.setdefault(tuple(full), []).append((*full.values(), at, None))
            self._insert_versions(table, versions)

    def _insert_versions(self, table: str, versions: dict[tuple[str, ...], Values]) -> None:
        history = versions_of(table)
        for columns, values in versions.items():
            names = quoted([*columns, VALID_FROM, VALID_TO])
            marks = ", ".join("?" for _ in range(len(columns) + 2))
            self._write(history, f'INSERT INTO "{history}" ({names}) VALUES ({marks})', values)

    def _fill_earlier(self, table: str, earlier: dict[Key, list[Earlier]]) -> None:
        """Complete earlier states that hold only changed columns with the stored row."""
        where = " AND ".join(f'"{k}" = ?' for k in self._keys[table])
        for key, states in earlier.items():
            if any(partly for _, _, partly in states):
                found = self._conn.execute(f'SELECT * FROM "{table}" WHERE {where}', key)
                stored = found.fetchone()
                base = dict(zip(self._columns[table], stored, strict=True)) if stored else None
                self._complete_earlier(table, key, base or self._blank[table])

    def _complete_earlier(self, table: str, key: Key, base: Row) -> None:
        states = self._earlier.get(table, {}).get(key)
        if states:
            states[:] = [
                (at, {**base, **state} if partly and state is not None else state, False)
                for at, state, partly in states
            ]

    def _write(self, table: str, sql: str, values: Values) -> None:
        try:
            self._conn.executemany(sql, values)
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError) as error:
            error.add_note(f"writing {table}: give text, numbers, None or bytes (json_text)")
            raise

    def forget(self) -> None:
        """Drop everything buffered or cached (after a commit or a rollback)."""
        self._known.clear()
        self._partial.clear()
        self._changed.clear()
        self._earlier.clear()
        self._appended.clear()
        self._appended_at.clear()
        self._flushed_at.clear()


def _add_earlier(
    versions: dict[tuple[str, ...], Values],
    states: list[Earlier],
    last: int,
    width: int,
    blank: Row,
) -> None:
    """The versions a row had after earlier events of the batch, each valid until the next."""
    ends = [later for later, _, _ in states[1:]] + [last]
    for (since, state, _), until in zip(states, ends, strict=True):
        if state is not None:
            full = state if len(state) == width else {**blank, **state}
            versions.setdefault(tuple(full), []).append((*full.values(), since, until))


def _upsert(table: str, columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in keys)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    conflict = ", ".join(f'"{k}"' for k in keys)
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({conflict}) {action}'
