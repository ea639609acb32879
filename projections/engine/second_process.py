"""A rebuild's second process: it builds some views (``apart``) into a file of its own while
the first builds the rest, and their tables are then copied into the new file before it goes
live, so both of the machine's cores work and readers still see one file."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from sqlite_utils import Database

from projections.engine.asof import RECORDED_DAYS
from projections.engine.connections import connect, create_indexes, drop_secondary_indexes
from projections.engine.projector import TRACKING, EventLog, Progress, Projector, prepare
from projections.engine.view import View
from registry.errors import CorruptEvent

DAMAGED = 65
"""The second process's exit status when a damaged event stopped it (its last line of error
output is then the event, as JSON)."""

Opener = Callable[[], tuple[EventLog, Sequence[View]]]
"""Opens the log and the views again in another process: a picklable module-level callable
(e.g. a ``functools.partial`` of one) returning the same log and views."""


def build_in_two(
    conn: sqlite3.Connection,
    here: Sequence[View],
    log: EventLog,
    task: tuple[Opener, Collection[str], Path, int, int],
    indexes: Sequence[str],
    progress: Progress | None,
) -> None:
    """Build the views ``here`` up to the task's head into ``conn``'s file and create its
    ``indexes``, while a second process builds the task's views into the task's part file;
    then copy what it built into ``conn``.

    ``task``: the opener, the names of the views apart, the part file, the head, the batch.
    """
    opener, apart, part, head, batch = task
    # a fresh interpreter (not a fork: this process holds open connections) that needs
    # no ``if __name__ == "__main__"`` guard from whatever program runs this one
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from projections.engine.second_process import part_main; part_main()",
        ],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    ) as there:
        assert there.stdin is not None and there.stderr is not None
        try:
            there.stdin.write(pickle.dumps((opener, sorted(apart), part, head, batch)))
            there.stdin.close()
        except BrokenPipeError:
            pass  # it has ended already: its exit status and error output say why
        try:
            Projector(conn, here, log).follow(head, batch, progress)
            create_indexes(conn, indexes)
        except BaseException:
            there.kill()
            raise
        failure = there.stderr.read().decode(errors="replace")
        if there.wait() == DAMAGED:
            raise CorruptEvent.from_params(json.loads(failure.splitlines()[-1]))
        if there.returncode != 0:
            raise RuntimeError(
                f"building {', '.join(sorted(apart))} in a second process failed:\n{failure}"
            )
    copy_part(conn, part)


def part_main() -> None:
    """The second process of a rebuild: the task comes pickled on stdin (``build_in_two``)."""
    opener, names, path, until, batch = pickle.loads(sys.stdin.buffer.read())
    try:
        build_part(opener, names, path, until, batch)
    except CorruptEvent as damaged:
        sys.stderr.write(json.dumps(damaged.params()) + "\n")
        sys.exit(DAMAGED)


def build_part(opener: Opener, names: Collection[str], path: Path, until: int, batch: int) -> None:
    """Build the views named ``names`` from the log up to ``until`` into a file of their own
    (in the second process of a rebuild): every table with its indexes, tracking positions
    and recorded days, ready for ``copy_part``."""
    log, views = opener()
    chosen = [view for view in views if view.name in names]
    path.unlink(missing_ok=True)
    conn = connect(path, building=True)
    try:
        prepare(Database(conn, execute_plugins=False), chosen)
        indexes = drop_secondary_indexes(conn)
        Projector(conn, chosen, log).follow(until, batch)
        create_indexes(conn, indexes)
    finally:
        conn.close()


def copy_part(conn: sqlite3.Connection, part: Path) -> None:
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
