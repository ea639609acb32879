"""Pages read lists and records from the read models, never by replaying the log.

``read()`` opens one consistent snapshot of the read models, caught up to the end of the
log first if another process (a command line load, another node) wrote since; ``read(moment)``
the same snapshot, its queries answering as recorded at a past moment (the date picker's
choice): ``answer`` and ``names_of`` pass that position to the query functions as ``at``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import current_app, g
from sqlite_utils import Database

from projections.engine.connections import connect
from projections.engine.projector import outdated
from projections.engine.read_models import ReadModels, position_of
from projections.party_names import party_names
from registry.caches import LRU
from web.auth import registry
from web.moments import AsOf, position_at

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


def names_of(db: Database, ids: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """The parties ``ids`` name (``projections.party_names``), remembered for this snapshot."""
    wanted = tuple(sorted({i for i in ids if i}))
    at = reading_at()
    return remembered(("party_names", wanted), lambda: party_names(db, wanted, at=at))
