"""Followers keep files of their own: exactly once, caught up after commands, never rebuilt."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from projections import read_models
from projections.engine import Follower, FollowerOutdated
from projections.engine.projector import EventLog, Notification
from projections.engine.read_models import ReadModels
from registry.config import Settings
from registry.facade import Registry
from tests.factories import registered_enterprise

chain_migrations = Migrations("chain")


@chain_migrations()
def m001_links(db: Database) -> None:
    db.execute("CREATE TABLE links (position INTEGER PRIMARY KEY, topic TEXT, digest TEXT)")


class Chain(Follower):
    """Each notification's digest over the one before it and the bytes the log stores."""

    name = "chain"
    version = 1
    migrations = chain_migrations

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at

    def apply(self, db: Database, notifications: Sequence[Notification], log: EventLog) -> None:
        row = db.execute("SELECT digest FROM links ORDER BY position DESC LIMIT 1").fetchone()
        digest = row[0] if row else ""
        for n in notifications:
            if n.id == self.fail_at:
                raise RuntimeError(f"failed at {n.id}")
            state: Any = n.state  # type: ignore[attr-defined]
            digest = hashlib.sha256(digest.encode() + bytes(state)).hexdigest()
            db.execute("INSERT INTO links VALUES (?, ?, ?)", [n.id, n.topic, digest])


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Registry]:
    app = Registry(Settings(data_dir=tmp_path / "var"))
    yield app
    app.close()


def with_chain(app: Registry, follower: Follower | None = None) -> ReadModels:
    models = read_models(app)
    return ReadModels(models.directory, models.views, models.log, followers=[follower or Chain()])


def links(models: ReadModels) -> list[tuple[int, str, str]]:
    with models.follower("chain").reading() as db:
        return [tuple(row) for row in db.execute("SELECT * FROM links ORDER BY position")]


def expected_chain(app: Registry) -> list[tuple[int, str, str]]:
    digest, chain = "", []
    for n in app.recorder.select_notifications(start=0, limit=10_000, inclusive_of_start=False):
        digest = hashlib.sha256(digest.encode() + bytes(n.state)).hexdigest()
        chain.append((n.id, n.topic, digest))
    return chain


def test_a_command_returns_once_the_follower_includes_its_events(app: Registry) -> None:
    models = with_chain(app)

    def catch_up(position: int) -> None:
        models.catch_up(until=position)

    app.on_saved(catch_up)
    registered_enterprise(app, 1)
    registered_enterprise(app, 2)
    assert links(models) == expected_chain(app)
    assert models.follower("chain").position() == app.max_position()


def test_a_batch_fed_twice_changes_nothing(app: Registry) -> None:
    registered_enterprise(app, 1)
    models = with_chain(app)
    notifications = models.log.select(after=0, limit=100)
    follower = models.follower("chain")
    follower.apply(notifications)
    once = links(models)
    assert follower.apply(notifications) == notifications[-1].id
    assert links(models) == once == expected_chain(app)


def test_a_failure_inside_a_batch_keeps_neither_rows_nor_position(app: Registry) -> None:
    registered_enterprise(app, 1)
    registered_enterprise(app, 2)
    head = app.max_position()
    models = with_chain(app, Chain(fail_at=head))
    with pytest.raises(RuntimeError, match=f"failed at {head}"):
        models.catch_up()
    assert links(models) == []
    assert models.follower("chain").position() == 0
    assert models.position() == head  # the views went on; the follower will retry
    fixed = with_chain(app)
    fixed.catch_up()
    assert links(fixed) == expected_chain(app)


def test_a_rebuild_leaves_the_followers_file_as_it_was(app: Registry) -> None:
    registered_enterprise(app, 1)
    models = with_chain(app)
    models.catch_up()
    before = links(models)
    generation = models.generation()
    models.rebuild()
    assert models.generation() != generation
    assert links(models) == before
    registered_enterprise(app, 2)
    models.catch_up()
    assert links(models) == expected_chain(app)
    assert len(links(models)) > len(before)


def test_a_file_written_by_another_version_is_refused_not_rebuilt(app: Registry) -> None:
    registered_enterprise(app, 1)
    with_chain(app).catch_up()

    class Chain2(Chain):
        version = 2

    newer = with_chain(app, Chain2())
    with pytest.raises(FollowerOutdated, match="version 1 of its code, this is version 2"):
        newer.catch_up()
    assert links(with_chain(app)) == expected_chain(app)


class Gapped:
    """A log whose ids skip, as a PostgreSQL log's may: every third notification is missing."""

    def __init__(self, log: EventLog) -> None:
        self._log = log

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        return [n for n in self._log.select(after, limit) if n.id % 3]

    def decode(self, notification: Notification) -> Any:
        return self._log.decode(notification)

    def head(self) -> int:
        return self._log.head()


def test_gaps_in_the_log_neither_stop_nor_repeat_a_follower(app: Registry) -> None:
    for serial in range(1, 4):
        registered_enterprise(app, serial)
    models = read_models(app)
    gapped = ReadModels(models.directory, models.views, Gapped(models.log), followers=[Chain()])
    gapped.follower("chain").follow(batch=2)
    positions = [row[0] for row in links(gapped)]
    assert positions == [n for n in range(1, app.max_position() + 1) if n % 3]


def test_follower_names_clashing_with_each_other_or_a_view_are_refused(app: Registry) -> None:
    models = read_models(app)

    class Audit(Chain):
        name = "audit"

    with pytest.raises(ValueError, match="unique"):
        ReadModels(models.directory, models.views, models.log, followers=[Chain(), Chain()])
    with pytest.raises(ValueError, match="unique"):
        ReadModels(models.directory, models.views, models.log, followers=[Audit()])
