"""Pages read lists and records from the read models, never by replaying the log.

``read()`` opens one consistent snapshot of the read models, caught up to the end of the
log first if another process (a command line load, another node) wrote since; ``read(moment)``
the same snapshot, its queries answering as recorded at a past moment (the date picker's
choice): ``answer`` and ``names_of`` pass that position to the query functions as ``at``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask import current_app, g
from flask_babel import gettext
from sqlite_utils import Database

from projections.engine.asof import position_on
from projections.engine.connections import connect
from projections.engine.projector import outdated
from projections.engine.read_models import ReadModels, position_of
from projections.party_names import party_names
from registry.caches import LRU
from registry.clock import today
from web.auth import registry

PAGE_SIZE = 20
T = TypeVar("T")


class Reader:
    """Read-only connections to the live read-model file, one per thread, kept across
    requests so SQLite's page cache stays warm; each request reads in a transaction of its
    own. A connection is reopened when the generation pointer names another file, and a
    file built by older view code is left to ``ReadModels.reading`` to rebuild."""

    def __init__(self, models: ReadModels) -> None:
        self.models = models
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []

    def close(self) -> None:
        """Close every connection opened (when the application is done with)."""
        for conn in self._opened:
            conn.close()
        self._opened.clear()

    def _connection(self) -> sqlite3.Connection | None:
        generation = self.models.live()
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "held", None)
        if held is not None and held[0] == generation:
            return held[1]
        if held is not None:
            held[1].close()
            self._opened.remove(held[1])
            self._local.held = None
        conn = connect(self.models.path(generation), reading=True)
        if outdated(conn, self.models.views):
            conn.close()
            return None
        self._local.held = (generation, conn)
        self._opened.append(conn)
        return conn

    @contextmanager
    def reading(self, at_least: int) -> Iterator[tuple[Database, tuple[str, int, int]]]:
        """A snapshot caught up to ``at_least``, and which it is: the read models' directory,
        the generation and the position it holds."""
        conn = self._connection()
        if conn is None:
            with self.models.reading(at_least=at_least):
                pass
            conn = self._connection()
            assert conn is not None
        conn.execute("BEGIN")
        position = position_of(conn, self.models.views)
        if position < at_least:
            conn.execute("ROLLBACK")
            self.models.catch_up(until=at_least)
            conn = self._connection()
            assert conn is not None
            conn.execute("BEGIN")
            position = position_of(conn, self.models.views)
        generation = self._local.held[0]
        try:
            yield (
                Database(conn, execute_plugins=False),
                (str(self.models.directory), generation, position),
            )
        finally:
            conn.execute("ROLLBACK")


@contextmanager
def read(moment: AsOf | None = None) -> Iterator[Database]:
    """One consistent snapshot of the read models, caught up to the end of the log; with a
    ``moment`` chosen, ``answer`` and ``names_of`` read it as recorded then (``reading_at``:
    the one place the date picker's choice reaches the queries)."""
    reader: Reader = current_app.extensions["reader"]
    with reader.reading(at_least=registry().max_position()) as (db, snapshot):
        at = position_at(db, moment) if moment is not None else None
        g.snapshot = (*snapshot, at)
        yield db


def reading_at() -> int | None:
    """The log position the open ``read()`` answers as of (None: now)."""
    at: int | None = g.snapshot[3]
    return at


# --- answers remembered per log position ------------------------------------------------------

REMEMBERED = 256
_ANSWERS: LRU[tuple[Any, ...], Any] = LRU(REMEMBERED)


def remembered(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` and snapshot in this process.

    A read-model answer depends only on the log position it was read at (and the moment
    chosen), so it is kept, keyed by both, for the next request to the same page; a new
    event moves the position and so asks afresh. Call inside ``read()``.
    """
    found: T = _ANSWERS.remembered((g.snapshot, *key), compute)
    return found


def answer(query: Callable[..., T], db: Database, **filters: Any) -> T:
    """``query(db, **filters)`` as of the moment ``read()`` was asked for (``at``, which
    every query function takes), remembered for this snapshot (see ``remembered``)."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in filters.items()))
    at = reading_at()
    if at is not None:
        filters = {**filters, "at": at}
    return remembered((query.__module__, query.__qualname__, key), lambda: query(db, **filters))


def page_number(value: str | None) -> int:
    """The 1-based page asked for in ``?page=``; anything odd is page 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def offset(number: int, size: int = PAGE_SIZE) -> int:
    return (number - 1) * size


@dataclass(frozen=True)
class AsOf:
    """The moment a list is asked for: the end of a day, or a position in the log.

    Nothing chosen means now. A day means "as recorded by the end of that day"
    (docs/domain.md#dates-ratios-and-states-without-events),
    and states that follow from effective dates are judged on it.
    """

    day: date | None = None
    position: int | None = None
    refused: str = field(default="", compare=False)

    @property
    def chosen(self) -> bool:
        return self.day is not None or self.position is not None

    @property
    def effective_day(self) -> date:
        return self.day or today()

    def args(self) -> dict[str, str]:
        """The URL parameters that keep this moment across pages and filters."""
        found = {}
        if self.day is not None:
            found["as_of"] = self.day.isoformat()
        if self.position is not None:
            found["position"] = str(self.position)
        return found


EARLIEST = date(1949, 1, 1)
LATEST_POSITION = 2**62


def asked_day(value: str | None, latest: date = date(2100, 12, 31)) -> tuple[date | None, str]:
    """A date typed into a filter: the day, or a sentence saying what to type instead (an
    empty filter is neither). Days outside ``EARLIEST``..``latest`` are refused: nothing was
    recorded then, and a year 1 or 9999 overflows the arithmetic of days."""
    typed = (value or "").strip()
    if not typed:
        return None, ""
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= latest:
        return None, gettext(
            "Enter a date between %(earliest)s and %(latest)s, as year-month-day.",
            earliest=EARLIEST.isoformat(),
            latest=latest.isoformat(),
        )
    return day, ""


def asked_moment(args: Mapping[str, str]) -> AsOf:
    """The moment ``?as_of=YYYY-MM-DD`` or ``?position=N`` asks for; anything odd is now,
    with a sentence saying why (``AsOf.refused``)."""
    day, refused = asked_day(args.get("as_of"), latest=today())
    position: int | None
    try:
        position = int(args.get("position") or "")
    except ValueError:
        position = None
    if args.get("position") and (position is None or not 1 <= position <= LATEST_POSITION):
        position = None
        refused = gettext("A log position is a whole number from 1 upwards.")
    return AsOf(day, position, refused)


def position_at(db: Database, moment: AsOf) -> int | None:
    """The log position a moment means: the one chosen, or the last recorded by its day."""
    if moment.position is not None:
        return moment.position
    if moment.day is not None:
        return position_on(db, moment.day)
    return None


def names_of(db: Database, ids: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """The parties ``ids`` name (``projections.party_names``), remembered for this snapshot."""
    wanted = tuple(sorted({i for i in ids if i}))
    at = reading_at()
    return remembered(("party_names", wanted), lambda: party_names(db, wanted, at=at))
