"""The demo recorded over time: its events stamped from January 2019 to today, in position
order, so the registry can be read as it stood on any past day; real commands keep the real
clock (docs/demo.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from domain.actors import Actor, Role
from domain.annual_return import AnnualReturn
from domain.school import School
from projections import attach
from projections.agreement_queries import list_agreements
from projections.engine.asof import position_on
from projections.returns import list_returns
from projections.schools import list_schools
from registry.cli import main
from registry.clock import SHANGHAI, local_day, local_time, today
from registry.config import Settings
from registry.demo.parties import school_uscc
from registry.facade import Registry

ADMIN = Actor("system:tests", Role.SYSTEM)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Registry, str]]:
    """The demo loaded by ``registry demo``, and what the command printed."""
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    env = {"REGISTRY_DATA_DIR": str(data_dir), "REGISTRY_EVENT_STORE": None}
    result = CliRunner().invoke(main, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    app = Registry(Settings(data_dir=data_dir))
    attach(app)
    yield app, result.output
    app.close()


def recorded(app: Registry) -> list[Any]:
    """Every event of the log, in position order."""
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10_000)]


def test_demo_events_are_recorded_from_2019_to_today_in_position_order(
    demo: tuple[Registry, str],
) -> None:
    app, output = demo
    events = recorded(app)
    moments = [event.timestamp for event in events]
    assert moments == sorted(moments)
    assert local_day(moments[0]) == date(2019, 1, 2)
    assert local_day(moments[-1]) <= today()
    # spread over the years, not bunched on the day of loading
    years = {local_day(moment).year for moment in moments}
    assert set(range(2019, 2026)) <= years
    assert (
        "Its recorded-at times are simulated: its events are stamped from "
        f"2019-01-02T09:00:00+08:00 to {local_time(moments[-1])}"
    ) in output


def test_the_demo_as_recorded_by_an_earlier_day_holds_fewer_records(
    demo: tuple[Registry, str],
) -> None:
    app, _ = demo
    with attach(app).reading() as db:
        counts = [
            (
                list_schools(db, at=position_on(db, day), limit=1).total,
                list_agreements(db, at=position_on(db, day), limit=1).total,
                list_returns(db, at=position_on(db, day), limit=1).total,
            )
            for day in (date(2018, 12, 31), date(2019, 12, 31), date(2022, 6, 30), today())
        ]
    assert counts[0] == (0, 0, 0)  # nothing was recorded before the registry opened
    schools, agreements, returns = zip(*counts[1:], strict=True)
    assert schools[0] == 99 and schools[-1] >= 107
    assert agreements[0] < agreements[1] < agreements[2]
    assert returns[0] == 0 < returns[1] < returns[2]


def test_demo_returns_are_recorded_on_the_day_they_say_before_or_after_the_deadline(
    demo: tuple[Registry, str],
) -> None:
    app, _ = demo
    deadline = app.return_deadline(2025)
    assert deadline == date(2026, 3, 31)
    with attach(app).reading() as db:
        listed = list_returns(db, year=2025, limit=500).items
    filed = [app.get(AnnualReturn, UUID(r["id"])) for r in listed]
    late = [r for r in filed if r.late]
    assert 0 < len(late) < len(filed)
    for annual_return in filed:
        # the day a return says it was filed is the day its event was recorded
        filed_on = local_day(annual_return.created_on)
        assert filed_on == annual_return.revisions[0].recorded_on
        assert (filed_on > deadline) is annual_return.late


def test_a_real_command_after_the_demo_records_the_real_time(
    demo: tuple[Registry, str],
) -> None:
    app, _ = demo
    assert today() == datetime.now(SHANGHAI).date()
    before = datetime.now(UTC)
    school_id = app.register_school(
        uscc=school_uscc(999, "510100"),
        name="成都新建技工学校",
        kind="technical_school",
        prefecture="510100",
        established_on=date(2026, 9, 1),
        actor=ADMIN,
    )
    stamped = app.get(School, school_id).created_on
    assert before <= stamped <= datetime.now(UTC)
    assert recorded(app)[-1].timestamp == stamped
