"""The projector on a fake log: exactly once, in one transaction, never waiting on gaps."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlite_utils import Database

from projections.engine.asof import position_on
from projections.engine.events import Recorded
from projections.engine.projector import (
    FORMAT,
    FORMAT_KEY,
    Projector,
    ReadModelsOutdated,
    prepare,
    tracked,
)
from projections.engine.rows import Rows
from projections.engine.view import View, topic
from tests.readmodels import dump


def stamp(position: int) -> str:
    """Recorded-at text for a fake event: one an hour from 2024-01-01 08:00 UTC."""
    moment = datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(hours=position)
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Note:
    id: int
    topic: str


class FakeLog:
    """A log whose ids have gaps, as a PostgreSQL store's do after a failed insert."""

    def __init__(self, ids: Sequence[int]) -> None:
        self.notes = [Note(i, "shop:Till.Rang" if i % 2 else "shop:Till.Opened") for i in ids]
        self.selects: list[tuple[int, int]] = []

    def select(self, after: int, limit: int) -> Sequence[Note]:
        self.selects.append((after, limit))
        return [n for n in self.notes if n.id > after][:limit]

    def decode(self, notification: Note) -> Recorded:  # type: ignore[override]
        return Recorded(
            notification.id,
            notification.topic,
            "till-1",
            notification.id,
            stamp(notification.id),
            {},
            {},
            [],
        )

    def head(self) -> int:
        return max((n.id for n in self.notes), default=0)


def counting_view(name: str = "rings", version: int = 1) -> View:
    view = View(name, version)

    @view.migrations()
    def m001(db: Database) -> None:
        db.table(f"{name}_seen").create({"position": int, "topic": str}, pk="position")

    @view.handles("shop:Till.Rang")
    def rang(event: Recorded, rows: Rows) -> None:
        rows.append(f"{name}_seen", {"position": event.position, "topic": event.topic})

    return view


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    yield conn
    conn.close()


def projector(conn: sqlite3.Connection, log: FakeLog, *views: View) -> Projector:
    views = views or (counting_view(),)
    prepare(Database(conn, execute_plugins=False), views)
    return Projector(conn, views, log)  # type: ignore[arg-type]


def test_follow_reads_after_its_position_and_never_waits_on_gaps(
    conn: sqlite3.Connection,
) -> None:
    log = FakeLog([1, 2, 4, 7, 8])
    follower = projector(conn, log)
    assert follower.follow(batch=2) == 8
    # each read asks for what comes *after* the position reached, never for position + 1
    assert log.selects == [(0, 2), (2, 2), (7, 2)]
    assert conn.execute("SELECT position FROM rings_seen").fetchall() == [(1,), (7,)]


def test_until_beyond_the_log_returns_at_its_end(conn: sqlite3.Connection) -> None:
    follower = projector(conn, FakeLog([1, 3]))
    assert follower.follow(until=10) == 3


def test_feeding_the_same_notifications_twice_changes_nothing(conn: sqlite3.Connection) -> None:
    log = FakeLog([1, 2, 3, 5])
    follower = projector(conn, log)
    follower.apply(log.notes)
    once = dump(conn)
    # the same batch again, and a batch overlapping it
    follower.apply(log.notes)
    follower.apply(log.notes[2:])
    assert dump(conn) == once
    assert tracked(conn) == {"rings": (1, 5)}


def test_a_crash_before_commit_leaves_rows_and_position_as_they_were(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = FakeLog([1, 2, 3, 4])
    follower = projector(conn, log)
    follower.apply(log.notes[:2])
    before = dump(conn)

    # the rows are written, then the process fails before the position is recorded
    def crash(*_: object) -> None:
        assert conn.execute("SELECT count(*) FROM rings_seen").fetchone() == (2,)
        raise KeyboardInterrupt

    monkeypatch.setattr(Projector, "_advance", crash)
    with pytest.raises(KeyboardInterrupt):
        follower.apply(log.notes[2:])
    assert dump(conn) == before
    monkeypatch.undo()
    assert follower.follow() == 4
    assert conn.execute("SELECT position FROM rings_seen").fetchall() == [(1,), (3,)]


def test_a_failing_handler_names_the_view_and_notification(conn: sqlite3.Connection) -> None:
    view = counting_view()

    @view.handles("shop:Till.Opened")
    def broken(event: Recorded, rows: Rows) -> None:
        raise ValueError("broken handler")

    follower = projector(conn, FakeLog([1, 2]), view)
    with pytest.raises(ValueError, match="broken handler") as raised:
        follower.follow()
    assert raised.value.__notes__ == ["view rings applying notification 2 (shop:Till.Opened)"]
    assert tracked(conn) == {"rings": (1, 0)}


def test_a_view_behind_the_others_catches_up_alone(conn: sqlite3.Connection) -> None:
    log = FakeLog([1, 2, 3])
    first = counting_view("rings")
    projector(conn, log, first).follow()
    # a second view joins the same file later: it starts at 0, the first stays at 3
    second = counting_view("tills")
    follower = projector(conn, log, first, second)
    assert follower.follow() == 3
    assert conn.execute("SELECT count(*) FROM rings_seen").fetchone() == (2,)
    assert conn.execute("SELECT count(*) FROM tills_seen").fetchone() == (2,)


def test_views_of_another_code_version_are_refused(conn: sqlite3.Connection) -> None:
    log = FakeLog([1, 2])
    projector(conn, log, counting_view(version=1)).follow(until=1, batch=1)
    newer = Projector(conn, [counting_view(version=2)], log)  # type: ignore[arg-type]
    with pytest.raises(ReadModelsOutdated) as raised:
        newer.follow()
    assert raised.value.differences == {"rings": (1, 2)}
    assert not raised.value.built_by_newer_code
    older = Projector(conn, [counting_view(version=0)], log)  # type: ignore[arg-type]
    with pytest.raises(ReadModelsOutdated) as raised:
        older.follow()
    assert raised.value.built_by_newer_code


def test_topics_name_real_event_classes() -> None:
    from domain.agreement import CooperationAgreement

    assert (
        topic(CooperationAgreement, "Countersigned")
        == "domain.agreement:CooperationAgreement.Countersigned"
    )
    with pytest.raises(LookupError, match="no event class 'Signed'"):
        topic(CooperationAgreement, "Signed")


def test_every_view_table_gets_versions_but_logs(conn: sqlite3.Connection) -> None:
    view = counting_view()
    logged = View("ledger", 1, logs={"ledger_lines": "position"})

    @logged.migrations()
    def m001(db: Database) -> None:
        db.table("ledger_lines").create({"position": int, "what": str}, pk="position")

    projector(conn, FakeLog([1]), view, logged)
    tables = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert "rings_seen__versions" in tables
    assert "ledger_lines__versions" not in tables


def test_each_shanghai_day_maps_to_the_last_position_recorded_by_its_end(
    conn: sqlite3.Connection,
) -> None:
    # one event an hour from 2024-01-01 08:00 UTC (16:00 in Shanghai); the view handles the
    # odd positions, so even ones change no row and need no mapping
    projector(conn, FakeLog(range(1, 41))).follow()
    db = Database(conn, execute_plugins=False)
    # position 7 is 15:00 UTC = 23:00 in Shanghai, position 8 is midnight: the next day
    assert stamp(7).startswith("2024-01-01T15:00") and stamp(8).startswith("2024-01-01T16:00")
    assert position_on(db, date(2023, 12, 31)) == 0
    assert position_on(db, date(2024, 1, 1)) == 7
    assert position_on(db, date(2024, 1, 2)) == 31
    assert position_on(db, date(2024, 1, 3)) == 39
    assert position_on(db, date(2030, 1, 1)) == 39


def test_days_recorded_in_several_batches_keep_the_last_position(
    conn: sqlite3.Connection,
) -> None:
    # the same day spread over batches of three events
    projector(conn, FakeLog(range(1, 41))).follow(batch=3)
    db = Database(conn, execute_plugins=False)
    assert [position_on(db, date(2024, 1, d)) for d in (1, 2, 3)] == [7, 31, 39]


def test_a_file_of_another_engine_format_is_refused(conn: sqlite3.Connection) -> None:
    log = FakeLog([1, 2])
    projector(conn, log).follow(until=1, batch=1)
    # a file written before row versions existed says format 0
    conn.execute("PRAGMA user_version = 0")
    with pytest.raises(ReadModelsOutdated) as raised:
        Projector(conn, [counting_view()], log).follow()  # type: ignore[arg-type]
    assert raised.value.differences == {FORMAT_KEY: (0, FORMAT)}
    assert not raised.value.built_by_newer_code
