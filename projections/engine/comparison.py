"""Two read-model files compared table by table, row by row, at one position of the log.

One connection holds the file built afresh from the log as ``main`` and the live file,
attached read-only, as ``live``. Each view table of the fresh file is compared with the live
table as it stood at the position: the table itself when the live file is at that position,
else its row versions valid there (a log: its rows up to the position; a view's internal
table has no past and is left out). Each table's row versions are compared too, the live
ones cut off at the position, so a version altered by hand is found whichever the position.

SQLite finds the rows present on one side only (``EXCEPT``), sorted by primary key; the two
sorted streams are merged here, so a row whose key is on both sides with other values is
one changed row, and memory holds only the first few differences of a table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from projections.engine.versions import SUFFIX, VALID_FROM, VALID_TO, quoted, versions_of
from projections.engine.view import View

Row = dict[str, Any]
LIVE = "live"


@dataclass(frozen=True)
class Difference:
    """One row that differs: changed (same key, other values), missing from the live file,
    or extra in it (present there, absent from what the log builds)."""

    table: str
    kind: str
    key: Row
    live: Row | None
    rebuilt: Row | None

    @property
    def columns(self) -> list[str]:
        """The columns whose values differ (every column of a missing or extra row)."""
        if self.live is None or self.rebuilt is None:
            return list((self.live or self.rebuilt or {}).keys())
        return [name for name, value in self.live.items() if self.rebuilt.get(name) != value]

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "kind": self.kind,
            "key": self.key,
            "columns": self.columns,
            "live": self.live,
            "rebuilt": self.rebuilt,
        }


@dataclass(frozen=True)
class TableComparison:
    table: str
    differences: int
    first: list[Difference]


@dataclass(frozen=True)
class ViewComparison:
    """One view's tables compared; ``skipped``: its internal tables, which have no past."""

    name: str
    tables: list[TableComparison]
    skipped: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return all(table.differences == 0 for table in self.tables)

    @property
    def differences(self) -> int:
        return sum(table.differences for table in self.tables)

    def first(self, count: int) -> list[Difference]:
        """The first ``count`` differing rows, table by table in name order."""
        return [d for table in self.tables for d in table.first][:count]


def tables_of(views: Sequence[View]) -> dict[str, list[str]]:
    """Each view's tables, found by running its migrations alone on an empty database."""
    owned: dict[str, list[str]] = {}
    for view in views:
        conn = sqlite3.connect(":memory:")
        try:
            db = Database(conn, execute_plugins=False)
            view.migrations.apply(db)
            owned[view.name] = sorted(
                name for name in db.table_names() if not name.startswith(("_", "sqlite_"))
            )
        finally:
            conn.close()
    return owned


def compare(
    conn: sqlite3.Connection,
    views: Sequence[View],
    position: int,
    *,
    current: bool,
    rows: int = 3,
) -> list[ViewComparison]:
    """Every view's tables in ``main`` (built from the log up to ``position``) against the
    attached ``live`` file as it stood at ``position``; ``current``: the live file is at
    ``position`` now, so its tables themselves are compared, internal ones included."""
    if type(position) is not int or position < 0:
        raise ValueError(f"a position is a whole number at least 0, not {position!r}")
    compared = []
    owned = tables_of(views)
    for view in views:
        tables, skipped = [], []
        for table in owned[view.name]:
            if table in view.internal and not current:
                skipped.append(table)
                continue
            tables.append(_table(conn, view, table, position, current, rows))
            if table not in view.unversioned:
                tables.append(_versions(conn, table, position, rows))
        compared.append(ViewComparison(view.name, tables, skipped))
    return compared


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """The table's columns and its primary key's (every column when it has none)."""
    info = conn.execute(f'PRAGMA main.table_info("{table}")').fetchall()
    names = [column[1] for column in info]
    keys = [column[1] for column in sorted(info, key=lambda c: c[5]) if column[5]]
    return names, keys or names


def _table(
    conn: sqlite3.Connection, view: View, table: str, at: int, current: bool, rows: int
) -> TableComparison:
    names, keys = _columns(conn, table)
    columns = quoted(names)
    live = f'SELECT {columns} FROM {LIVE}."{table}"'
    if not current:
        log = view.logs.get(table)
        if log is not None:
            live += f' WHERE "{log}" <= {at}'
        else:
            live = (
                f'SELECT {columns} FROM {LIVE}."{versions_of(table)}" WHERE {VALID_FROM} <= {at}'
                f" AND ({VALID_TO} IS NULL OR {VALID_TO} > {at})"
            )
    rebuilt = f'SELECT {columns} FROM main."{table}"'
    return _differences(conn, table, names, keys, live, rebuilt, rows)


def _versions(conn: sqlite3.Connection, table: str, at: int, rows: int) -> TableComparison:
    history = versions_of(table)
    names, keys = _columns(conn, table)
    names, keys = [*names, VALID_FROM, VALID_TO], [*keys, VALID_FROM]
    held = quoted(names[:-1])
    live = (
        f'SELECT {held}, CASE WHEN {VALID_TO} > {at} THEN NULL ELSE {VALID_TO} END AS "{VALID_TO}"'
        f' FROM {LIVE}."{history}" WHERE {VALID_FROM} <= {at}'
    )
    rebuilt = f'SELECT {quoted(names)} FROM main."{history}"'
    return _differences(conn, history, names, keys, live, rebuilt, rows)


def _differences(
    conn: sqlite3.Connection,
    table: str,
    names: list[str],
    keys: list[str],
    live: str,
    rebuilt: str,
    rows: int,
) -> TableComparison:
    order = ", ".join(f'"{key}" COLLATE BINARY' for key in keys)
    only_live = conn.execute(f"SELECT * FROM ({live} EXCEPT {rebuilt}) ORDER BY {order}")
    only_rebuilt = conn.execute(f"SELECT * FROM ({rebuilt} EXCEPT {live}) ORDER BY {order}")
    at_key = [names.index(key) for key in keys]
    found: list[Difference] = []
    count = 0
    for kind, here, there in _merged(only_live, only_rebuilt, at_key):
        count += 1
        if len(found) < rows:
            sample = here if here is not None else there
            assert sample is not None
            found.append(
                Difference(
                    table,
                    kind,
                    {key: _plain(sample[i]) for key, i in zip(keys, at_key, strict=True)},
                    None if here is None else _row(names, here),
                    None if there is None else _row(names, there),
                )
            )
    return TableComparison(table, count, found)


def _merged(
    live: Iterator[tuple[Any, ...]], rebuilt: Iterator[tuple[Any, ...]], at_key: list[int]
) -> Iterator[tuple[str, tuple[Any, ...] | None, tuple[Any, ...] | None]]:
    """Pair two streams sorted by key: ("changed", a, b), ("extra", a, None), ("missing",
    None, b)."""
    here, there = next(live, None), next(rebuilt, None)
    while here is not None or there is not None:
        mine = None if here is None else _order([here[i] for i in at_key])
        theirs = None if there is None else _order([there[i] for i in at_key])
        if theirs is None or (mine is not None and mine < theirs):
            yield "extra", here, None
            here = next(live, None)
        elif mine is None or theirs < mine:
            yield "missing", None, there
            there = next(rebuilt, None)
        else:
            yield "changed", here, there
            here, there = next(live, None), next(rebuilt, None)


def _order(values: list[Any]) -> tuple[tuple[int, Any], ...]:
    """A key that sorts as SQLite's BINARY collation does: NULL, numbers, text (UTF-8
    order, which is code point order), then blobs."""
    ranked: list[tuple[int, Any]] = []
    for value in values:
        if value is None:
            ranked.append((0, 0))
        elif isinstance(value, int | float):
            ranked.append((1, value))
        elif isinstance(value, str):
            ranked.append((2, value))
        else:
            ranked.append((3, bytes(value)))
    return tuple(ranked)


def _row(names: list[str], values: tuple[Any, ...]) -> Row:
    return {name: _plain(value) for name, value in zip(names, values, strict=True)}


def _plain(value: Any) -> Any:
    """A value as JSON can carry it: a blob as its hexadecimal digits."""
    return value.hex() if isinstance(value, bytes) else value


def is_versions(table: str) -> bool:
    return table.endswith(SUFFIX)
