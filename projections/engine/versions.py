"""Row versions: every view table's past, kept beside it so views can be read as of a position.

For each table ``t`` a view creates, the engine creates ``t__versions``: the same columns
plus ``valid_from`` and ``valid_to``, the positions between which that state of the row held
(``valid_to`` NULL for the version that holds now). A row deleted at position P has its
last version closed at P and no open one. The table's primary key plus ``valid_from`` is
the version table's unique key (an index: versions are appended to a rowid table, which
costs less than placing whole rows in key order in a ``WITHOUT ROWID`` table, measured
in docs/benchmarks.md), and every index of the table is mirrored with ``valid_from``
appended, so a filter that uses an index now uses the same index as of a position.

Tables declared as logs (``View(logs=...)``: rows only ever appended, each carrying the
position of the event that added it) get no version table: as of P they are their rows
with that position at or below P. Internal tables (``View(internal=...)``: a view's
working state that no query reads) get none either.

Rows (projections/engine/rows.py) writes the versions; nothing else does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence

SUFFIX = "__versions"
KEY_INDEX = "_key"
VALID_FROM = "valid_from"
VALID_TO = "valid_to"


def versions_of(table: str) -> str:
    return f"{table}{SUFFIX}"


def quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def view_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables views made: not the engine's (``_…``), SQLite's, virtual or version tables."""
    found = conn.execute("PRAGMA main.table_list").fetchall()
    return sorted(
        name
        for _, name, kind, *_ in found
        if kind == "table" and not name.startswith(("_", "sqlite_")) and not name.endswith(SUFFIX)
    )


def ensure_versions(conn: sqlite3.Connection, unversioned: Collection[str] = ()) -> None:
    """Create (or complete) the version table and its indexes of every view table but
    ``unversioned`` ones (logs and internal tables).

    Idempotent: a column a migration added to a table is added to its versions (NULL in
    older versions), an index it added is mirrored.
    """
    for table in view_tables(conn):
        if table not in unversioned:
            _ensure(conn, table)


def _ensure(conn: sqlite3.Connection, table: str) -> None:
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    names = [column[1] for column in info]
    if VALID_FROM in names or VALID_TO in names:
        raise ValueError(f"{table}: {VALID_FROM} and {VALID_TO} are the engine's column names")
    versions = versions_of(table)
    existing = {c[1] for c in conn.execute(f'PRAGMA table_info("{versions}")').fetchall()}
    if not existing:
        keys = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]]
        columns = [f'"{c[1]}" {c[2]}'.rstrip() for c in info]
        columns += [f'"{VALID_FROM}" INTEGER NOT NULL', f'"{VALID_TO}" INTEGER']
        conn.execute(f'CREATE TABLE "{versions}" ({", ".join(columns)})')
        conn.execute(
            f'CREATE UNIQUE INDEX "{versions}{KEY_INDEX}" ON "{versions}"'
            f" ({quoted([*keys, VALID_FROM])})"
        )
    else:
        for column in info:
            if column[1] not in existing:
                conn.execute(f'ALTER TABLE "{versions}" ADD COLUMN "{column[1]}" {column[2]}')
    for index, origin in _indexes(conn, table):
        mirrored = _index_columns(conn, index)
        if mirrored is not None and origin in ("c", "u"):
            conn.execute(
                f'CREATE INDEX IF NOT EXISTS "{index}{SUFFIX}" ON "{versions}"'
                f' ({", ".join(mirrored)}, "{VALID_FROM}")'
            )


def _indexes(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    return [(row[1], row[3]) for row in conn.execute(f'PRAGMA index_list("{table}")')]


def _index_columns(conn: sqlite3.Connection, index: str) -> list[str] | None:
    """The index's key columns as SQL (with DESC), or None for an index on expressions."""
    columns = []
    for _, cid, name, descending, _, key in conn.execute(f'PRAGMA index_xinfo("{index}")'):
        if not key:
            continue
        if cid < 0:
            return None
        columns.append(f'"{name}"' + (" DESC" if descending else ""))
    return columns
