"""Building fresh read models from the whole log into a new file, then switching to it.

A rebuild runs under the directory's rebuild lock. It builds every view into a new
generation with its secondary indexes dropped (made again once the rows are in), seals the
file, catches it up to the log's head while holding the old file's lock, and only then
replaces the pointer (projections/engine/pointer.py). A rebuild that fails leaves the live
file as it was and removes what it built. On a log longer than ``PARALLEL_FROM`` the views
``apart`` are built in a second process (projections/engine/second_process.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from projections.engine.connections import connect, create_indexes, drop_secondary_indexes, seal
from projections.engine.locks import exclusive
from projections.engine.pointer import Generations
from projections.engine.projector import EventLog, Progress, Projector, outdated, prepare
from projections.engine.second_process import Opener, build_in_two
from projections.engine.view import View
from registry.errors import CorruptEvent

BATCH = 5000
"""Notifications per transaction of a rebuild (its file has no journal: commits are cheap)."""
PARALLEL_FROM = 50_000
"""A rebuild of a log longer than this builds the views ``apart`` in a second process; on a
shorter one, starting that process and importing the views costs more than it saves
(docs/benchmarks.md, "Figures behind the engine's settings")."""


@dataclass(frozen=True)
class Rebuilds:
    """How the read models of one directory are rebuilt: which views, from which log, in how
    many processes (``opener`` and ``apart``: how a second process opens the log and views,
    and which views it builds on a log of more than ``parallel_from`` notifications)."""

    files: Generations
    views: Sequence[View]
    log: EventLog
    batch: int = BATCH
    opener: Opener | None = None
    apart: Collection[str] = frozenset()
    parallel_from: int = PARALLEL_FROM

    def if_outdated(self, generation: int, progress: Progress | None) -> None:
        """Rebuild if ``generation`` is still live and built by other view code."""
        with exclusive(self.files.rebuild_lock()):
            if self.files.live() != generation:
                return
            conn = connect(self.files.path(generation), reading=True)
            try:
                differences = outdated(conn, self.views)
            finally:
                conn.close()
            if differences:
                self.run(progress)

    def run(self, progress: Progress | None) -> int:
        """Build a new generation and switch to it (the caller holds the rebuild lock)."""
        old = self.files.live()
        generation = 1 + max({old or 0, *self.files.on_disk()})
        path = self.files.path(generation)
        conn = connect(path, building=True)
        part = self.files.part_path(generation)
        try:
            prepare(Database(conn, execute_plugins=False), self.views)
            indexes = drop_secondary_indexes(conn)
            head = self.log.head()
            if self.opener is not None and self.apart and head > self.parallel_from:
                here = [view for view in self.views if view.name not in self.apart]
                task = (self.opener, self.apart, part, head, self.batch)
                build_in_two(conn, here, self.log, task, indexes, progress)
            else:
                Projector(conn, self.views, self.log).follow(None, self.batch, progress)
                create_indexes(conn, indexes)
            projector = Projector(conn, self.views, self.log)
            seal(conn, path)
            if old is None:
                self.files.point_to(generation)
            else:
                # Switch while holding the old file's lock: a command that caught up the old
                # file and then reads the pointer is sure to find its position in either file.
                with exclusive(self.files.lock_path(old)):
                    projector.follow(None, self.batch, progress)
                    self.files.point_to(generation)
        except BaseException as failure:
            conn.close()
            if self.files.live() != generation:
                self.files.remove(generation)  # never live: no one has it open
            if isinstance(failure, CorruptEvent):
                raise failure.stopping("rebuild") from failure
            raise
        finally:
            conn.close()
            part.unlink(missing_ok=True)
        for stale in self.files.on_disk():
            if old is not None and stale < old:
                self.files.remove(stale)
        return generation
