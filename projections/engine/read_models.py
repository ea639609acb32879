"""The read models of one data directory: catch up, rebuild, and open for reading.

Its files are numbered generations named by a pointer (projections/engine/pointer.py); a
catch-up applies the log to the live one under its lock (projections/engine/locks.py); a
file built by other view code is rebuilt (projections/engine/rebuilds.py), and a catch-up
that finds the pointer moved meanwhile catches up the new file too. Followers keep files of
their own beside the generations (projections/engine/followers.py): every catch-up brings
them up to the same position, and no rebuild touches them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from projections.engine.connections import connect
from projections.engine.followers import Follower, FollowerFile
from projections.engine.locks import exclusive
from projections.engine.pointer import Generations
from projections.engine.projector import (
    EventLog,
    Progress,
    Projector,
    ReadModelsOutdated,
    outdated,
    prepare,
    tracked,
)
from projections.engine.rebuilds import BATCH, PARALLEL_FROM, Rebuilds
from projections.engine.second_process import Opener
from projections.engine.view import View, checked

CATCH_UP_BATCH = 20000
"""Notifications per transaction of a catch-up: a live file's commit writes every page the
batch dirtied to the WAL, and the same pages serve more events in a bigger batch, for more
memory (docs/benchmarks.md, "Figures behind the engine's settings")."""


class ReadModels:
    """The read models of one data directory: catch up, rebuild, and open for reading."""

    def __init__(
        self,
        directory: Path,
        views: Sequence[View],
        log: EventLog,
        batch: int = BATCH,
        catch_up_batch: int = CATCH_UP_BATCH,
        opener: Opener | None = None,
        apart: Collection[str] = (),
        parallel_from: int = PARALLEL_FROM,
        followers: Sequence[Follower] = (),
    ) -> None:
        """``opener`` and ``apart``: how a second process opens the log and views, and which
        views it builds during a rebuild of more than ``parallel_from`` notifications;
        ``followers``: the readers of the log that keep files of their own."""
        self.directory = directory
        self.views = checked(views)
        names = [follower.name for follower in followers]
        clashes = sorted({n for n in names if names.count(n) > 1 or n.startswith("views-")})
        if clashes or set(names) & {view.name for view in self.views}:
            raise ValueError(f"follower names must be unique: {clashes or names}")
        self.followers = {f.name: FollowerFile(directory, f, log) for f in followers}
        self.log = log
        self.batch = batch
        self.catch_up_batch = catch_up_batch
        self.opener = opener
        self.apart = frozenset(apart)
        unknown = self.apart - {view.name for view in self.views}
        if unknown:
            raise ValueError(f"no views named {', '.join(sorted(unknown))}")
        self.parallel_from = parallel_from
        self.files = Generations(directory)
        self._lock = threading.RLock()
        self._writer: tuple[int, Projector] | None = None

    @property
    def _rebuilds(self) -> Rebuilds:
        return Rebuilds(
            self.files,
            self.views,
            self.log,
            self.batch,
            self.opener,
            self.apart,
            self.parallel_from,
        )

    def path(self, generation: int) -> Path:
        return self.files.path(generation)

    def generation(self) -> int | None:
        """The live generation's number, as the pointer says now (None before the first build)."""
        return self.files.live()

    # --- reading ------------------------------------------------------------------------------

    def live(self) -> int:
        """The live generation, built first if there is none yet."""
        generation = self.generation()
        if generation is not None and self.path(generation).exists():
            return generation
        with self._lock, exclusive(self.files.rebuild_lock()):
            generation = self.generation()
            if generation is not None and self.path(generation).exists():
                return generation
            return self._rebuilds.run(None)

    @contextmanager
    def reading(self, at_least: int | None = None) -> Iterator[Database]:
        """A read-only snapshot of the live read models, caught up to ``at_least`` if given.

        Every query inside the block sees the same committed state. A file built by older
        view code is rebuilt first.
        """
        conn = self._snapshot()
        differences = outdated(conn, self.views)
        if differences or (at_least is not None and position_of(conn, self.views) < at_least):
            conn.close()
            self.catch_up(until=at_least)
            conn = self._snapshot()
        try:
            yield Database(conn, execute_plugins=False)
        finally:
            conn.close()

    def _snapshot(self) -> sqlite3.Connection:
        conn = connect(self.path(self.live()), reading=True)
        conn.execute("BEGIN")
        return conn

    def position(self) -> int:
        with self.reading() as db:
            return position_of(db.conn, self.views)

    # --- writing ------------------------------------------------------------------------------

    def catch_up(self, until: int | None = None, progress: Progress | None = None) -> int:
        """Apply the log up to ``until`` (default: its head now) to the live read models.

        Returns once the live file includes ``until``. If a rebuild switches files meanwhile,
        the new live file is caught up too, so the guarantee holds across the switch.
        """
        with self._lock:
            while True:
                generation = self.live()
                try:
                    projector = self._projector(generation)
                    # another process's catch-up often covers this one's events already:
                    # then there is nothing to wait for
                    position = projector.position()
                    if until is None or position < until:
                        with exclusive(self.files.lock_path(generation)):
                            position = projector.follow(until, self.catch_up_batch, progress)
                except ReadModelsOutdated as error:
                    if error.built_by_newer_code:
                        raise
                    self._rebuilds.if_outdated(generation, progress)
                    continue
                if self.generation() == generation:
                    break
            for follower in self.followers.values():
                follower.follow(position if until is None else until, self.catch_up_batch)
            return position

    def follower(self, name: str) -> FollowerFile:
        """The file of the follower named ``name`` (``reading()`` for a snapshot)."""
        return self.followers[name]

    def _projector(self, generation: int) -> Projector:
        if self._writer is not None and self._writer[0] == generation:
            return self._writer[1]
        if self._writer is not None:
            self._writer[1].conn.close()
            self._writer = None
        conn = connect(self.path(generation))
        differences = outdated(conn, self.views)
        if differences:
            conn.close()
            raise ReadModelsOutdated(differences)
        with exclusive(self.files.lock_path(generation)):
            prepare(Database(conn, execute_plugins=False), self.views)
        self._writer = (generation, Projector(conn, self.views, self.log))
        return self._writer[1]

    # --- rebuilding ---------------------------------------------------------------------------

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build fresh read models from the whole log in a new file, then switch to it."""
        with self._lock, exclusive(self.files.rebuild_lock()):
            return self._rebuilds.run(progress)


def position_of(conn: sqlite3.Connection, views: Sequence[View]) -> int:
    recorded = tracked(conn)
    return min((recorded.get(v.name, (0, 0))[1] for v in views), default=0)
