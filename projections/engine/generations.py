"""Read-model files ("generations") under one directory, and the pointer to the live one.

``<dir>/CURRENT`` names the live file, ``<dir>/views-<n>.sqlite3``. Every connection reads
the pointer when it opens, so a rebuild writes a fresh ``views-<n+1>.sqlite3`` beside the
live file, catches it up, and switches by replacing the small pointer file: no database
file is ever renamed or replaced while another process has it open. Processes that still
hold the old file finish what they are doing on it and open the new one next time.

A rebuild of a long log builds some views (``apart``, e.g. the audit trail) in a second
process, into a file of their own, while this process builds the rest; their tables are then
copied into the new file before it goes live (``_rebuild``), so both of the machine's cores
work and readers still see one file.

Writers of one file take its lock file (``views-<n>.lock``, ``flock``) for a whole catch-up;
a process that needs a position another process is writing simply waits for the lock and
then finds the position reached. SQLite's own write lock (``BEGIN IMMEDIATE``) still guards
every transaction, so exactly-once never depends on the lock file.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from projections.engine.asof import RECORDED_DAYS
from projections.engine.projector import (
    TRACKING,
    EventLog,
    Progress,
    Projector,
    ReadModelsOutdated,
    outdated,
    prepare,
    tracked,
)
from projections.engine.versions import KEY_INDEX, SUFFIX
from projections.engine.view import View
from registry.errors import CorruptEvent
from registry.private_files import private_directory, private_file

POINTER = "CURRENT"
_GENERATION = re.compile(r"views-(\d+)\.(sqlite3|lock|part\.sqlite3)(-wal|-shm)?$")


CACHE_KIB = 65536
CHECKPOINT_PAGES = 65536
BATCH = 5000
"""Notifications per transaction of a rebuild (its file has no journal: commits are cheap)."""
CATCH_UP_BATCH = 20000
"""Notifications per transaction of a catch-up: a live file's commit writes every page the
batch dirtied to the WAL, and the same pages serve more events in a bigger batch, for more
memory (docs/benchmarks.md, "Figures behind the engine's settings")."""
PARALLEL_FROM = 50_000
"""A rebuild of a log longer than this builds the views ``apart`` in a second process; on a
shorter one, starting that process and importing the views costs more than it saves
(docs/benchmarks.md, "Figures behind the engine's settings")."""

DAMAGED = 65
"""The second process's exit status when a damaged event stopped it (its last line of error
output is then the event, as JSON)."""

Opener = Callable[[], tuple[EventLog, Sequence[View]]]
"""Opens the log and the views again in another process: a picklable module-level callable
(e.g. a ``functools.partial`` of one) returning the same log and views."""


def connect(path: Path, *, reading: bool = False, building: bool = False) -> sqlite3.Connection:
    """A connection with explicit transactions only.

    A live file is in WAL mode (readers never wait for the writer). A file being built is
    seen by no one until the pointer names it, and a failed build is never used, so it is
    written without a journal or fsync; ``seal`` makes it a WAL file on disk before it
    goes live.
    """
    if not reading:
        private_file(path)
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    if building:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        return conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    if reading:
        conn.execute("PRAGMA query_only = 1")
    else:
        # checkpoint (and fsync) every 256 MiB of WAL rather than every 4 MiB: a batch with
        # row versions dirties far more than 4 MiB of pages, the same ones again and again
        conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    return conn


def drop_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes the migrations made (not primary keys); return how to make them again.

    Building an index once over sorted rows is much cheaper than keeping it up to date
    through every insert, so a rebuild loads the rows first. Handlers look rows up by
    primary key, which stays indexed throughout.
    """
    found = [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        if not name.endswith(SUFFIX + KEY_INDEX)
    ]
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def seal(conn: sqlite3.Connection, path: Path) -> None:
    """Turn a freshly built file into a live one: WAL mode, everything on disk."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the block."""
    with open(private_file(path), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    ) -> None:
        """``opener`` and ``apart``: how a second process opens the log and views, and which
        views it builds during a rebuild of more than ``parallel_from`` notifications."""
        self.directory = directory
        self.views = list(views)
        self.log = log
        self.batch = batch
        self.catch_up_batch = catch_up_batch
        self.opener = opener
        self.apart = frozenset(apart)
        unknown = self.apart - {view.name for view in self.views}
        if unknown:
            raise ValueError(f"no views named {', '.join(sorted(unknown))}")
        self.parallel_from = parallel_from
        self._lock = threading.RLock()
        self._writer: tuple[int, Projector] | None = None

    # --- files ------------------------------------------------------------------------------

    def path(self, generation: int) -> Path:
        return self.directory / f"views-{generation}.sqlite3"

    def _lock_path(self, generation: int) -> Path:
        return self.directory / f"views-{generation}.lock"

    def generation(self) -> int | None:
        """The live generation's number, as the pointer says now (None before the first build)."""
        try:
            name = (self.directory / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        match = _GENERATION.match(name)
        if match is None:
            raise RuntimeError(f"{self.directory / POINTER} names no read-model file: {name!r}")
        return int(match.group(1))

    def _point_to(self, generation: int) -> None:
        pointer = self.directory / POINTER
        temporary = pointer.with_name(f"{POINTER}.{os.getpid()}.tmp")
        with open(private_file(temporary), "w") as handle:
            handle.write(self.path(generation).name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, pointer)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _generations_on_disk(self) -> set[int]:
        found = (_GENERATION.match(p.name) for p in self.directory.iterdir())
        return {int(m.group(1)) for m in found if m}

    def _part_path(self, generation: int) -> Path:
        return self.directory / f"views-{generation}.part.sqlite3"

    def _remove_generation(self, generation: int) -> None:
        for suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".lock", ".part.sqlite3"):
            self.directory.joinpath(f"views-{generation}{suffix}").unlink(missing_ok=True)

    # --- reading ------------------------------------------------------------------------------

    def live(self) -> int:
        """The live generation, built first if there is none yet."""
        generation = self.generation()
        if generation is not None and self.path(generation).exists():
            return generation
        with self._lock, exclusive(self._rebuild_lock()):
            generation = self.generation()
            if generation is not None and self.path(generation).exists():
                return generation
            return self._rebuild(None)

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
                        with exclusive(self._lock_path(generation)):
                            position = projector.follow(until, self.catch_up_batch, progress)
                except ReadModelsOutdated as error:
                    if error.built_by_newer_code:
                        raise
                    self._rebuild_outdated(generation, progress)
                    continue
                if self.generation() == generation:
                    return position

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
        with exclusive(self._lock_path(generation)):
            prepare(Database(conn, execute_plugins=False), self.views)
        self._writer = (generation, Projector(conn, self.views, self.log))
        return self._writer[1]

    # --- rebuilding ---------------------------------------------------------------------------

    def _rebuild_lock(self) -> Path:
        private_directory(self.directory)
        return self.directory / "rebuild.lock"

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build fresh read models from the whole log in a new file, then switch to it."""
        with self._lock, exclusive(self._rebuild_lock()):
            return self._rebuild(progress)

    def _rebuild_outdated(self, generation: int, progress: Progress | None) -> None:
        with exclusive(self._rebuild_lock()):
            if self.generation() != generation:
                return
            conn = connect(self.path(generation), reading=True)
            try:
                differences = outdated(conn, self.views)
            finally:
                conn.close()
            if differences:
                self._rebuild(progress)

    def _rebuild(self, progress: Progress | None) -> int:
        old = self.generation()
        generation = 1 + max({old or 0, *self._generations_on_disk()})
        conn = connect(self.path(generation), building=True)
        part = self._part_path(generation)
        try:
            prepare(Database(conn, execute_plugins=False), self.views)
            indexes = drop_secondary_indexes(conn)
            head = self.log.head()
            in_two = self.opener is not None and bool(self.apart) and head > self.parallel_from
            if in_two:
                self._build_in_two(conn, part, head, indexes, progress)
                _copy_part(conn, part)
            else:
                Projector(conn, self.views, self.log).follow(None, self.batch, progress)
                _create(conn, indexes)
            projector = Projector(conn, self.views, self.log)
            seal(conn, self.path(generation))
            if old is None:
                self._point_to(generation)
            else:
                # Switch while holding the old file's lock: a command that caught up the old
                # file and then reads the pointer is sure to find its position in either file.
                with exclusive(self._lock_path(old)):
                    projector.follow(None, self.batch, progress)
                    self._point_to(generation)
        except BaseException as failure:
            conn.close()
            if self.generation() != generation:
                self._remove_generation(generation)  # never live: no one has it open
            if isinstance(failure, CorruptEvent):
                raise failure.stopping("rebuild") from failure
            raise
        finally:
            conn.close()
            part.unlink(missing_ok=True)
        for stale in self._generations_on_disk():
            if old is not None and stale < old:
                self._remove_generation(stale)
        return generation

    def _build_in_two(
        self,
        conn: sqlite3.Connection,
        part: Path,
        head: int,
        indexes: Sequence[str],
        progress: Progress | None,
    ) -> None:
        """Build the views ``apart`` up to ``head`` in a second process, into ``part``, and the
        others here, into ``conn``'s file, then create its ``indexes`` while the second
        process may still be working."""
        here = [view for view in self.views if view.name not in self.apart]
        task = pickle.dumps((self.opener, sorted(self.apart), part, head, self.batch))
        # a fresh interpreter (not a fork: this process holds open connections) that needs
        # no ``if __name__ == "__main__"`` guard from whatever program runs this one
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
        with subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from projections.engine.generations import part_main; part_main()",
            ],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        ) as there:
            assert there.stdin is not None and there.stderr is not None
            try:
                there.stdin.write(task)
                there.stdin.close()
            except BrokenPipeError:
                pass  # it has ended already: its exit status and error output say why
            try:
                Projector(conn, here, self.log).follow(head, self.batch, progress)
                _create(conn, indexes)
            except BaseException:
                there.kill()
                raise
            failure = there.stderr.read().decode(errors="replace")
            if there.wait() == DAMAGED:
                raise CorruptEvent.from_params(json.loads(failure.splitlines()[-1]))
            if there.returncode != 0:
                raise RuntimeError(
                    f"building {', '.join(sorted(self.apart))} in a second process failed:\n"
                    f"{failure}"
                )


def part_main() -> None:
    """The second process of a rebuild: the task comes pickled on stdin (``_build_in_two``)."""
    opener, names, path, until, batch = pickle.loads(sys.stdin.buffer.read())
    try:
        build_part(opener, names, path, until, batch)
    except CorruptEvent as damaged:
        sys.stderr.write(json.dumps(damaged.params()) + "\n")
        sys.exit(DAMAGED)


def build_part(opener: Opener, names: Collection[str], path: Path, until: int, batch: int) -> None:
    """Build the views named ``names`` from the log up to ``until`` into a file of their own
    (in the second process of a rebuild): every table with its indexes, tracking positions
    and recorded days, ready for ``_copy_part``."""
    log, views = opener()
    chosen = [view for view in views if view.name in names]
    path.unlink(missing_ok=True)
    conn = connect(path, building=True)
    try:
        prepare(Database(conn, execute_plugins=False), chosen)
        indexes = drop_secondary_indexes(conn)
        Projector(conn, chosen, log).follow(until, batch)
        _create(conn, indexes)
    finally:
        conn.close()


def _create(conn: sqlite3.Connection, indexes: Sequence[str]) -> None:
    for sql in indexes:
        conn.execute(sql)


def _copy_part(conn: sqlite3.Connection, part: Path) -> None:
    """Copy the tables, positions and recorded days a second process built into ``conn``.

    The views' tables in ``conn`` are empty and have the same columns and indexes as in
    ``part``, so SQLite copies each table and its indexes record by record, without
    decoding rows or sorting index entries again.
    """
    conn.execute("ATTACH DATABASE ? AS part", (str(part),))
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM part.sqlite_master WHERE type = 'table'"
                " AND substr(name, 1, 1) != '_' AND name NOT LIKE 'sqlite%'"
            )
        ]
        conn.execute("BEGIN")
        for table in tables:
            conn.execute(f'INSERT INTO main."{table}" SELECT * FROM part."{table}"')
        conn.execute(
            f"UPDATE main.{TRACKING} SET position = built.position"
            f" FROM part.{TRACKING} AS built WHERE built.view = {TRACKING}.view"
        )
        conn.execute(
            f"INSERT INTO main.{RECORDED_DAYS} (day, position)"
            f" SELECT day, position FROM part.{RECORDED_DAYS} WHERE true"
            " ON CONFLICT (day) DO UPDATE SET position = max(position, excluded.position)"
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("DETACH DATABASE part")


def position_of(conn: sqlite3.Connection, views: Sequence[View]) -> int:
    recorded = tracked(conn)
    return min((recorded.get(v.name, (0, 0))[1] for v in views), default=0)
