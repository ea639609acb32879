"""Reading views as they stood at a past position, or as recorded by the end of a day.

Every view table has row versions (projections/versions.py), each valid from the position
of the event that made it up to the position of the next change. ``source(table, at)``
is SQL for a FROM clause: the table itself when ``at`` is None, else the versions valid at
position ``at``: the same rows a rebuild of the log stopped at ``at`` would hold, plus the
columns ``valid_from`` and ``valid_to`` (``as_stood`` drops them, as ``paging.page`` does).
Query functions take ``at: int | None`` and build their FROM clauses with it, so one query
answers both "now" and "as of P".

Queries written for the current tables answer as of a position unchanged inside
``as_of(db, at)``: temporary views named like the view tables shadow them on that
connection (SQLite resolves a name in ``temp`` before ``main``), each the table's versions
valid at ``at``. ``answers_as_of`` gives a query function an ``at`` parameter that way.

"As recorded by day D" is the state after the last event recorded on or before the end
of D (Asia/Shanghai): ``position_on(db, D)`` gives that position, from the engine's
``_recorded_days`` table (one row per day with events: the highest position recorded that
day). Effective dates ("in force on D") are another axis, answered by each view's own
date columns; the two combine: in force on D as recorded at P.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from sqlite_utils import Database

from projections.versions import VALID_FROM, VALID_TO, quoted, versions_of, view_tables
from projections.view import INTERNAL_TABLES, LOG_TABLES
from registry.clock import SHANGHAI

RECORDED_DAYS = "_recorded_days"
AS_OF_MARK = "_as_of"
Query = TypeVar("Query", bound=Callable[..., Any])


def source(table: str, at: int | None, alias: str | None = None) -> str:
    """SQL for ``FROM``: ``table`` now, or as it stood at position ``at``, named ``alias``.

    ``at`` is an int inlined into the SQL (it is never text from a request).
    """
    name = f'"{alias or table}"'
    if at is None:
        return f'"{table}" AS {name}' if alias else name
    _check(at)
    if table in INTERNAL_TABLES:
        raise ValueError(f"{table} is a view's internal table: it has no past to read")
    column = LOG_TABLES.get(table)
    if column is not None:
        return f'(SELECT * FROM "{table}" WHERE "{column}" <= {at}) AS {name}'
    return (
        f'(SELECT * FROM "{versions_of(table)}" WHERE {VALID_FROM} <= {at}'
        f" AND ({VALID_TO} IS NULL OR {VALID_TO} > {at})) AS {name}"
    )


@contextmanager
def as_of(db: Database, at: int | None) -> Iterator[Database]:
    """Within the block, every view table named in SQL on ``db`` means it as of ``at``.

    ``at`` None changes nothing. Nested blocks must ask for the same position.
    """
    if at is None:
        yield db
        return
    _check(at)
    conn = db.conn
    if _marked(db):
        (marked,) = conn.execute(f'SELECT position FROM temp."{AS_OF_MARK}"').fetchone()
        if marked != at:
            raise ValueError(f"already reading as of {marked}, not {at}")
        yield db
        return
    # internal tables are left out: no query reads them, and they have no past to read
    tables = [table for table in view_tables(conn) if table not in INTERNAL_TABLES]
    with _writable(db):
        conn.execute(f'CREATE TEMP VIEW "{AS_OF_MARK}" AS SELECT {at} AS position')
        for table in tables:
            names = quoted([c[1] for c in conn.execute(f'PRAGMA main.table_info("{table}")')])
            column = LOG_TABLES.get(table)
            if column is not None:
                stood = f'main."{table}" WHERE "{column}" <= {at}'
            else:
                stood = (
                    f'main."{versions_of(table)}" WHERE {VALID_FROM} <= {at}'
                    f" AND ({VALID_TO} IS NULL OR {VALID_TO} > {at})"
                )
            conn.execute(f'CREATE TEMP VIEW "{table}" AS SELECT {names} FROM {stood}')
    try:
        yield db
    finally:
        with _writable(db):
            for table in [*tables, AS_OF_MARK]:
                conn.execute(f'DROP VIEW IF EXISTS temp."{table}"')


def reading_as_of(db: Database) -> int | None:
    """The position ``db`` reads as of inside ``as_of``, or None when it reads now."""
    if not _marked(db):
        return None
    return int(db.execute(f'SELECT position FROM temp."{AS_OF_MARK}"').fetchone()[0])


def _marked(db: Database) -> bool:
    found = db.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE type = 'view' AND name = ?", [AS_OF_MARK]
    ).fetchone()
    return found is not None


@contextmanager
def _writable(db: Database) -> Iterator[None]:
    """Lift ``query_only`` (a reading connection's guard) for temporary objects only."""
    guarded = db.execute("PRAGMA query_only").fetchone()[0]
    db.execute("PRAGMA query_only = 0")
    try:
        yield
    finally:
        db.execute(f"PRAGMA query_only = {int(guarded)}")


def answers_as_of(query: Query) -> Query:
    """Make a query's ``at`` keyword (default None) answer as of that position.

    For queries written against the current tables: the call runs inside ``as_of``.
    """

    @functools.wraps(query)
    def asked(db: Database, *args: Any, **kwargs: Any) -> Any:
        at = kwargs.pop("at", None)
        if at is None:
            return query(db, *args, **kwargs)
        with as_of(db, at):
            return query(db, *args, **kwargs)

    return cast(Query, asked)


def _check(at: int) -> None:
    if type(at) is not int or at < 0:
        raise ValueError(f"a position is a whole number at least 0, not {at!r}")


def as_stood(row: dict[str, Any]) -> dict[str, Any]:
    """A row read through ``source`` as of a position, without its version's positions."""
    row.pop(VALID_FROM, None)
    row.pop(VALID_TO, None)
    return row


def position_on(db: Database, day: date) -> int:
    """The position after the last event recorded on or before ``day`` (Asia/Shanghai).

    0 when nothing was recorded by then; the read models' own position at most.
    """
    found = db.execute(
        f"SELECT max(position) FROM {RECORDED_DAYS} WHERE day <= ?", [day.isoformat()]
    ).fetchone()
    return int(found[0] or 0)


class RecordedDays:
    """Asia/Shanghai days of recorded-at timestamps (ISO text in UTC, as events carry them).

    Shanghai's offset has been a whole number of hours since 1901, so the day follows from
    the UTC date and hour; those are cached.
    """

    def __init__(self) -> None:
        self._days: dict[str, str] = {}

    def __call__(self, timestamp: str) -> str:
        hour = timestamp[:13]
        day = self._days.get(hour)
        if day is None:
            moment = datetime.fromisoformat(timestamp).astimezone(UTC)
            day = moment.astimezone(SHANGHAI).date().isoformat()
            if len(self._days) > 100_000:
                self._days.clear()
            self._days[hour] = day
        return day
