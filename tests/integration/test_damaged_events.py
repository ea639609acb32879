"""A damaged stored event, broken with sqlite3 itself in a copy of the demo's store: every
reader of the log names it (position, record, version) and the command line exits with 65,
never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner, Result

from domain.account import account_id_for
from projections import attach, read_models
from registry.cli import main
from registry.config import Settings
from registry.demo import load_demo
from registry.errors import CorruptEvent
from registry.facade import Registry
from tests.factories import ADMIN, registered_school
from tests.tampering import damage

EXIT_DAMAGED = 65  # the documented exit status (registry --help, docs/reliability.md)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's data directory, its read models caught up, loaded once for the module."""
    directory = tmp_path_factory.mktemp("demo") / "var"
    app = Registry(Settings(data_dir=directory))
    attach(app)
    load_demo(app)
    app.close()
    return directory


@pytest.fixture
def store(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo's data directory that the command line uses."""
    copy = tmp_path / "var"
    shutil.copytree(demo_store, copy)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(copy))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return copy


def first_record(store: Path, topic_suffix: str) -> UUID:
    with closing(sqlite3.connect(store / "events.sqlite3")) as conn:
        (found,) = conn.execute(
            "SELECT originator_id FROM stored_events WHERE topic LIKE ? ORDER BY rowid LIMIT 1",
            (f"%{topic_suffix}",),
        ).fetchone()
    return UUID(found)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_names(result: Result, position: int, record: UUID, version: int) -> None:
    assert result.exit_code == EXIT_DAMAGED, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"damaged event at position {position} of the log" in result.output
    assert f"record {record}, version {version}" in result.output


@pytest.fixture
def lagging(store: Path) -> Iterator[tuple[Registry, int]]:
    """The demo plus events a process saved and died before projecting: (its registry, the
    read models' position)."""
    app = Registry(Settings(data_dir=store))
    yield app, app.max_position()
    app.close()


@pytest.fixture
def school(store: Path) -> UUID:
    """The demo's first school (it has opened majors since its registration)."""
    return first_record(store, "School.Registered")


def test_stats_names_the_damaged_event_and_exits_65(store: Path, school: UUID) -> None:
    position = damage(store, school, 1)
    assert_names(run("stats"), position, school, 1)


def test_history_names_the_damaged_event_and_exits_65(store: Path, school: UUID) -> None:
    position = damage(store, school, 2)
    assert_names(run("history", str(school)), position, school, 2)


def test_a_rebuild_says_which_event_stopped_it_and_keeps_the_live_read_models(
    store: Path, school: UUID
) -> None:
    live = (store / "read" / "CURRENT").read_text()
    position = damage(store, school, 1)
    refused = run("rebuild")  # the log no longer matches its ledger: verified first
    assert refused.exit_code == EXIT_DAMAGED
    assert f"Not rebuilt: the event at position {position} ({school} version 1)" in refused.output
    result = run("rebuild", "--accept-unverified")
    assert_names(result, position, school, 1)
    assert "The rebuild stopped at this event" in result.output
    assert (store / "read" / "CURRENT").read_text() == live
    assert sorted(p.name for p in (store / "read").glob("views-*.sqlite3")) == [live.strip()]


def test_project_stops_just_before_the_damaged_event(
    store: Path, lagging: tuple[Registry, int]
) -> None:
    app, projected = lagging
    for serial in (900, 901, 902):
        registered_school(app, serial)  # one event each
    second = app.recorder.select_notifications(start=projected + 2, limit=1)[0]
    position = damage(store, second.originator_id, 1)
    assert position == projected + 2
    result = run("project")
    assert_names(result, position, second.originator_id, 1)
    assert f"The read models stay at position {projected + 1}, before it." in result.output
    assert read_models(app).position() == projected + 1


def test_serve_refuses_to_start_past_a_damaged_event(
    store: Path, lagging: tuple[Registry, int]
) -> None:
    app, _ = lagging
    record = registered_school(app, 900)
    position = damage(store, record, 1)
    assert_names(run("serve", "--port", "5105"), position, record, 1)


def test_demo_if_empty_names_a_damaged_account(store: Path) -> None:
    account = account_id_for("admin")
    position = damage(store, account, 1)
    assert_names(run("demo", "--if-empty"), position, account, 1)


def test_a_command_on_a_damaged_record_raises_corrupt_event_naming_it(
    store: Path, school: UUID, lagging: tuple[Registry, int]
) -> None:
    app, _ = lagging
    position = damage(store, school, 3)
    with pytest.raises(CorruptEvent) as raised:
        app.open_major(school, name="工业机器人", year=2026, actor=ADMIN)
    found = raised.value
    assert (found.position, found.originator_id, found.version) == (position, school, 3)
    assert found.stopped == "read"


def test_a_parallel_rebuild_names_an_event_only_its_second_process_reads(
    store: Path, lagging: tuple[Registry, int]
) -> None:
    app, _ = lagging
    changed = first_record(store, "Account.PasswordChanged")
    with closing(sqlite3.connect(store / "events.sqlite3")) as conn:
        (version,) = conn.execute(
            "SELECT originator_version FROM stored_events WHERE originator_id = ?"
            " AND topic LIKE '%PasswordChanged' ORDER BY rowid LIMIT 1",
            (changed.hex,),
        ).fetchone()
    position = damage(store, changed, version)
    models = read_models(app)
    models.parallel_from = 0
    with pytest.raises(CorruptEvent) as raised:
        models.rebuild()
    found = raised.value
    assert (found.position, found.originator_id, found.version) == (position, changed, version)
    assert found.stopped == "rebuild"


def damage_in(settings: Settings, record: UUID, version: int) -> int:
    """``damage`` on either store: sqlite3 for the file, psycopg's own SQL for PostgreSQL."""
    if not settings.uses_postgres:
        return damage(settings.data_dir, record, version)
    import psycopg

    with psycopg.connect(settings.event_store, autocommit=True) as conn:
        found = conn.execute(
            "UPDATE registry_events SET state = '['::bytea || substring(state from 2)"
            " WHERE originator_id = %s AND originator_version = %s RETURNING notification_id",
            (record, version),
        ).fetchone()
    assert found is not None
    return int(found[0])


def test_every_store_names_a_damaged_event_to_commands_and_catch_ups(
    any_store: Registry, store_settings: Settings
) -> None:
    # read models, then two schools registered by a process that did not project them
    models = read_models(any_store)
    models.catch_up()
    registered_school(any_store, 1)
    first = any_store.max_position()
    second = registered_school(any_store, 2)
    position = damage_in(store_settings, second, 1)
    # a command on the damaged record names it
    with pytest.raises(CorruptEvent) as read:
        any_store.open_major(second, name="数控加工", year=2026, actor=ADMIN)
    assert (read.value.position, read.value.originator_id, read.value.version) == (
        position,
        second,
        1,
    )
    # the read models take the first school and stop before the second
    with pytest.raises(CorruptEvent) as caught_up:
        models.catch_up()
    assert (caught_up.value.position, caught_up.value.stopped) == (position, "catch_up")
    assert caught_up.value.kept == first
    assert models.position() == first
