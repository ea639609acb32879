"""Reading views as they stood at a past position, or as recorded by the end of a day.

Every view table has row versions (projections/engine/versions.py), each valid from the position
of the event that made it up to the position of the next change. ``source(table, at)``
is SQL for a FROM clause: the table itself when ``at`` is None, else the versions valid at
position ``at``: the same rows a rebuild of the log stopped at ``at`` would hold, plus the
columns ``valid_from`` and ``valid_to`` (``as_stood`` drops them, as ``paging.page`` does).
Query functions take ``at: int | None`` and build every FROM clause with it, so one query
answers both "now" and "as of P", and reading the past creates nothing on the connection: a
reading connection keeps its ``query_only`` guard. A query that calls another passes ``at``
on; ``tests/integration/test_query_plans.py`` fails if an as-of query reads a current table.

"As recorded by day D" is the state after the last event recorded on or before the end
of D (Asia/Shanghai): ``position_on(db, D)`` gives that position, from the engine's
``_recorded_days`` table (one row per day with events: the highest position recorded that
day). Effective dates ("in force on D") are another axis, answered by each view's own
date columns; the two combine: in force on D as recorded at P.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database

from projections.engine.versions import VALID_FROM, VALID_TO, versions_of
from registry.clock import SHANGHAI

RECORDED_DAYS = "_recorded_days"


def source(table: str, at: int | None, alias: str | None = None) -> str:
    """SQL for ``FROM``: ``table`` now, or as it stood at position ``at``, named ``alias``.

    ``at`` is an int inlined into the SQL (it is never text from a request). For a view's
    logs and internal tables use its ``View.source``, which knows them.
    """
    name = f'"{alias or table}"'
    if at is None:
        return f'"{table}" AS {name}' if alias else name
    _check(at)
    return (
        f'(SELECT * FROM "{versions_of(table)}" WHERE {VALID_FROM} <= {at}'
        f" AND ({VALID_TO} IS NULL OR {VALID_TO} > {at})) AS {name}"
    )


def log_source(table: str, column: str, at: int, alias: str | None = None) -> str:
    """SQL for ``FROM``: the log ``table`` as it stood at ``at``, its rows positioned by
    ``column`` (a log keeps no versions: its past is its rows up to the position)."""
    _check(at)
    return f'(SELECT * FROM "{table}" WHERE "{column}" <= {at}) AS "{alias or table}"'


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
