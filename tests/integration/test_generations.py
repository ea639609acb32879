"""Read-model files across processes: concurrent catch-up, hard crashes, rebuilds under readers.

The processes are real (multiprocessing, spawned), each with its own application and
connections, as several command-line or web processes would be.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate
from projections import read_models, reopen, schools
from projections.agreement_queries import count_agreements
from projections.engine.asof import position_on
from projections.engine.locks import exclusive
from projections.engine.projector import EventLog, Projector, ReadModelsOutdated, tracked
from projections.engine.read_models import ReadModels
from projections.engine.truncated import Truncated
from projections.engine.view import View
from projections.schools import list_schools
from registry.config import Settings
from registry.facade import Registry
from tests.readmodels import dump, from_scratch

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry of a few thousand events, shared read-only by this module's tests."""
    directory = tmp_path_factory.mktemp("log")
    generate(directory, events=3000, seed=5)
    return directory


@pytest.fixture
def app(log_dir: Path, tmp_path: Path) -> Iterator[Registry]:
    """The shared log, with read models in this test's own directory."""
    (tmp_path / "var").mkdir()
    shutil.copy(log_dir / "events.sqlite3", tmp_path / "var" / "events.sqlite3")
    app = Registry(Settings(data_dir=tmp_path / "var"))
    yield app
    app.close()


def behind(app: Registry, end: int) -> ReadModels:
    """Live read models that stop at position ``end`` of the application's log."""
    models = read_models(app)
    ReadModels(models.directory, models.views, Truncated(models.log, end)).catch_up()
    return models


def live_dump(models: ReadModels) -> dict[str, Any]:
    with models.reading() as db:
        return dump(db.conn)


# --- work done in other processes -----------------------------------------------------------


def catch_up_in_process(data_dir: str, barrier: Any, results: Any) -> None:
    models = read_models(Registry(Settings(data_dir=Path(data_dir))))
    models.batch = models.catch_up_batch = 50
    barrier.wait()
    results.put(models.catch_up())


def crash_before_commit(data_dir: str) -> None:
    """Write rows for the next batch, then die before the position is recorded."""

    def die(*_: object) -> None:
        os._exit(3)

    Projector._advance = die  # type: ignore[method-assign]
    models = read_models(Registry(Settings(data_dir=Path(data_dir))))
    models.catch_up()


def read_while_rebuilding(data_dir: str, started: Any, stop: Any, results: Any) -> None:
    """Ask questions whose answers must agree with each other, until told to stop."""
    models = read_models(Registry(Settings(data_dir=Path(data_dir))))
    reads, wrong, generations = 0, [], set()
    while not stop.is_set():
        generations.add(models.generation())
        with models.reading() as db:
            positions = {p for _, p in tracked(db.conn).values()}
            audited = db.execute("SELECT count(*) FROM audit_events").fetchone()[0]
            agreements = db.execute("SELECT count(*) FROM agreements").fetchone()[0]
            proposed = db.execute(
                "SELECT count(*) FROM audit_events"
                " WHERE event = 'Proposed' AND aggregate_type = 'CooperationAgreement'"
            ).fetchone()[0]
            by_status = sum(count_agreements(db, "status").values())
        reads += 1
        started.set()
        if len(positions) != 1 or audited != positions.pop():
            wrong.append(("position", audited))
        if not agreements == proposed == by_status:
            wrong.append(("agreements", agreements, proposed, by_status))
    results.put((reads, wrong, sorted(generations)))


# --- tests --------------------------------------------------------------------------------


def test_processes_catching_up_at_once_write_each_row_once(app: Registry) -> None:
    models = behind(app, 10)
    barrier, results = SPAWN.Barrier(3), SPAWN.Queue()
    processes = [
        SPAWN.Process(
            target=catch_up_in_process, args=(str(app.settings.data_dir), barrier, results)
        )
        for _ in range(3)
    ]
    for process in processes:
        process.start()
    positions = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    assert positions == [app.max_position()] * 3
    assert live_dump(models) == from_scratch(app)


def test_a_process_killed_before_commit_leaves_views_and_position_unchanged(
    app: Registry,
) -> None:
    models = behind(app, 1200)
    before = live_dump(models)
    crasher = SPAWN.Process(target=crash_before_commit, args=(str(app.settings.data_dir),))
    crasher.start()
    crasher.join(60)
    assert crasher.exitcode == 3
    assert live_dump(models) == before
    assert models.position() == 1200
    # the next catch-up finishes the work, each event applied once
    assert models.catch_up() == app.max_position()
    assert live_dump(models) == from_scratch(app)


def test_a_rebuild_under_a_reading_process_serves_consistent_answers(app: Registry) -> None:
    models = read_models(app)
    models.catch_up()
    started, stop, results = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
    reader = SPAWN.Process(
        target=read_while_rebuilding,
        args=(str(app.settings.data_dir), started, stop, results),
    )
    reader.start()
    try:
        assert started.wait(60)
        for _ in range(4):
            models.rebuild()
        stop.set()
        reads, wrong, generations = results.get(timeout=60)
    finally:
        stop.set()
        reader.join(60)
    assert wrong == []
    assert reads > 1 and len(generations) > 1


def test_a_rebuild_switches_files_and_keeps_only_the_previous_one(app: Registry) -> None:
    models = read_models(app)
    models.catch_up()
    first = models.generation()
    assert first is not None
    models.rebuild()
    models.rebuild()
    live = models.generation()
    assert live == first + 2
    names = sorted(p.name for p in models.directory.glob("views-*.sqlite3"))
    assert names == [f"views-{live - 1}.sqlite3", f"views-{live}.sqlite3"]
    assert (models.directory / "CURRENT").read_text() == f"views-{live}.sqlite3\n"
    assert live_dump(models) == from_scratch(app)


def opened_there(marker: Path, settings: Settings) -> tuple[EventLog, Sequence[View]]:
    """``projections.reopen``, leaving ``marker`` behind with the process id it ran in."""
    marker.write_text(str(os.getpid()))
    return reopen(settings)


def test_a_rebuild_in_two_processes_builds_what_one_process_builds(
    app: Registry, tmp_path: Path
) -> None:
    models = read_models(app)
    models.parallel_from = 0  # this log is short: build the views apart in a second process
    marker = tmp_path / "opened"
    models.opener = partial(opened_there, marker, app.settings)
    progress: list[int] = []

    models.rebuild(progress.append)

    built = live_dump(models)
    assert built == from_scratch(app)
    assert len(built["audit_events"]) == app.max_position()
    assert built["_tracking"] == sorted(
        ((view.name, view.version, app.max_position()) for view in models.views), key=repr
    )
    assert progress and progress[-1] == app.max_position()
    assert int(marker.read_text()) != os.getpid()
    assert not list(models.directory.glob("*.part.*"))


def unreachable_log() -> tuple[EventLog, Sequence[View]]:
    raise ConnectionError("the event store refused the connection")


def test_a_second_process_that_fails_fails_the_rebuild_and_the_live_file_stays(
    app: Registry,
) -> None:
    models = read_models(app)
    models.catch_up()
    live = models.generation()
    models.parallel_from = 0
    models.opener = unreachable_log

    with pytest.raises(RuntimeError, match="the event store refused the connection"):
        models.rebuild()

    assert models.generation() == live
    assert sorted(p.name for p in models.directory.glob("views-*.sqlite3")) == [
        f"views-{live}.sqlite3"
    ]
    assert live_dump(models) == from_scratch(app)


def test_views_apart_must_be_views_the_read_models_have(app: Registry) -> None:
    models = read_models(app)
    with pytest.raises(ValueError, match="no views named adits"):
        ReadModels(models.directory, models.views, models.log, apart=["audit", "adits"])


def test_a_view_whose_code_version_changed_is_rebuilt_on_start(
    app: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_models(app).catch_up(until=100)
    first = read_models(app).generation()
    assert first is not None
    monkeypatch.setattr(schools.view, "version", schools.view.version + 1)
    # a process with the new code builds a new file before it writes or reads
    models = read_models(app)
    with models.reading() as db:
        assert tracked(db.conn)["schools"][0] == schools.view.version
    assert models.generation() == first + 1
    assert models.position() == app.max_position()


def test_a_file_built_before_row_versions_is_rebuilt_with_them(app: Registry) -> None:
    read_models(app).catch_up(until=100)
    first = read_models(app).generation()
    assert first is not None
    # as a file from before row versions: no version tables, format 0
    conn = sqlite3.connect(read_models(app).path(first), isolation_level=None)
    found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    for (table,) in found:
        if table.endswith("__versions"):
            conn.execute(f'DROP TABLE "{table}"')
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    models = read_models(app)
    with models.reading() as db:
        assert position_on(db, date.max) == app.max_position()
        registered = [at for at, e in app.read_log() if type(e).__qualname__ == "School.Registered"]
        assert list_schools(db, at=100).total == len([at for at in registered if at <= 100])
    assert models.generation() == first + 1
    assert live_dump(models) == from_scratch(app)


def test_a_file_keeping_versions_of_internal_tables_is_rebuilt_without_them(
    app: Registry,
) -> None:
    read_models(app).catch_up(until=100)
    first = read_models(app).generation()
    assert first is not None
    # as a file of format 1, which kept versions of the audit's record attributes too
    conn = sqlite3.connect(read_models(app).path(first), isolation_level=None)
    conn.execute(
        "CREATE TABLE audit_records__versions AS SELECT *, 1 AS valid_from,"
        " NULL AS valid_to FROM audit_records"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    models = read_models(app)
    with models.reading() as db:
        found = db.execute("SELECT name FROM sqlite_master WHERE name = 'audit_records__versions'")
        assert found.fetchall() == []
    assert models.generation() == first + 1
    assert live_dump(models) == from_scratch(app)


def test_a_file_built_by_newer_code_is_not_touched(
    app: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_models(app).catch_up(until=100)
    monkeypatch.setattr(schools.view, "version", schools.view.version - 1)
    with pytest.raises(ReadModelsOutdated) as raised:
        read_models(app).catch_up()
    assert raised.value.built_by_newer_code


def test_reading_at_least_a_position_catches_up_first(app: Registry) -> None:
    models = behind(app, 10)
    with models.reading(at_least=2000) as db:
        position = min(p for _, p in tracked(db.conn).values())
    assert position >= 2000


def test_a_catch_up_to_a_position_already_reached_waits_for_no_writer(app: Registry) -> None:
    # construct: the file is at 1200; another process holds the writer's lock
    models = behind(app, 1200)
    assert models.catch_up(until=1200) == 1200
    generation = models.generation()
    assert generation is not None
    with exclusive(models.directory / f"views-{generation}.lock"):
        # evolve: a command whose events are at or below 1200 asks for its position
        done: queue.Queue[int] = queue.Queue()
        waiter = threading.Thread(target=lambda: done.put(models.catch_up(until=1000)))
        waiter.start()
        waiter.join(10)
        # query: it returned at once, the lock still held, without applying anything more
        assert not waiter.is_alive()
        assert done.get(timeout=1) == 1200
    assert models.position() == 1200
