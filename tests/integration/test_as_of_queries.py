"""Every query of every view, asked as of a past position of the demo, answers what it would
have answered then: the same result as on read models rebuilt from the log stopped there."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from projections import VIEWS, attach
from projections.accounts import list_accounts
from projections.agreement_queries import agreement, count_agreements, list_agreements
from projections.audit import audit_trail
from projections.engine.projector import ApplicationLog
from projections.engine.read_models import ReadModels
from projections.engine.truncated import Truncated
from projections.enterprises import count_enterprises, enterprise, list_enterprises
from projections.finding_queries import count_findings, findings, upcoming
from projections.groups import group, group_progress, list_groups, list_organisations
from projections.indicators import group_formation, indicator_table, indicators
from projections.investments import investment_by_year, list_investments
from projections.placements import count_placements, list_placements, placement
from projections.policies import list_policies, policy
from projections.returns import list_returns, return_deadlines, return_totals
from projections.schools import count_schools, list_schools, majors, school
from projections.students import count_students, list_students
from projections.teachers import list_teachers, teacher
from registry.config import Settings
from registry.demo import load_demo
from registry.facade import Registry

DAY = date(2024, 9, 1)
Query = tuple[Callable[..., Any], dict[str, Any]]
QUERIES: list[Query] = [
    (list_schools, {"limit": 500}),
    (count_schools, {"by": "kind"}),
    (majors, {}),
    (list_enterprises, {"limit": 500, "certified_on": DAY}),
    (count_enterprises, {"by": "prefecture"}),
    (list_agreements, {"on": DAY, "limit": 500}),
    (count_agreements, {"by": "status", "on": DAY}),
    (count_agreements, {"by": "prefecture", "on": DAY}),
    (list_investments, {}),
    (investment_by_year, {}),
    (audit_trail, {"limit": 500}),
    (list_accounts, {"limit": 500}),
    (list_groups, {"on": DAY}),
    (group_progress, {"on": DAY}),
    (list_organisations, {}),
    (list_students, {"limit": 500}),
    (count_students, {"by": "entry_year"}),
    (list_placements, {"on": DAY, "limit": 500}),
    (count_placements, {"by": "status", "on": DAY}),
    (list_policies, {"on": DAY, "limit": 500}),
    (list_teachers, {"on": DAY, "limit": 500}),
    (list_returns, {"limit": 500}),
    (return_totals, {"year": 2024}),
    (return_deadlines, {}),
    (indicators, {"year": 2024}),
    (indicator_table, {"year": 2023}),
    (group_formation, {"on": DAY}),
    (findings, {"on": DAY, "limit": 500}),
    (count_findings, {"by": "rule", "on": DAY}),
    (upcoming, {"on": DAY, "limit": 500}),
]
# one record of each kind, asked about by id
RECORDS: dict[str, tuple[Callable[..., Any], str]] = {
    "schools": (school, "SELECT id FROM schools"),
    "enterprises": (enterprise, "SELECT id FROM enterprises"),
    "agreements": (agreement, "SELECT id FROM agreements"),
    "groups": (group, "SELECT id FROM groups"),
    "placements": (placement, "SELECT id FROM placements"),
    "policies": (policy, "SELECT id FROM policies"),
    "teachers": (teacher, "SELECT id FROM teachers"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Registry, ReadModels]]:
    app = Registry(Settings(data_dir=tmp_path_factory.mktemp("demo")))
    models = attach(app)
    load_demo(app)
    yield app, models
    app.close()


def rebuilt_at(app: Registry, position: int, directory: Path) -> ReadModels:
    """Read models built from the log up to ``position`` only."""
    models = ReadModels(directory, VIEWS, Truncated(ApplicationLog(app), position))
    models.rebuild()
    return models


@pytest.mark.parametrize("share", [0.2, 0.6, 0.9])
def test_every_query_as_of_a_position_answers_as_it_did_then(
    demo: tuple[Registry, ReadModels], share: float, tmp_path: Path
) -> None:
    app, live = demo
    position = round(app.max_position() * share)
    then = rebuilt_at(app, position, tmp_path)
    with live.reading() as now_db, then.reading() as then_db:
        for query, arguments in QUERIES:
            assert query(now_db, **arguments, at=position) == query(then_db, **arguments), (
                query.__name__
            )
        for table, (query, ids) in RECORDS.items():
            for (record_id,) in then_db.execute(f"{ids} ORDER BY id LIMIT 5").fetchall():
                asked = query(now_db, record_id, at=position)
                assert asked is not None and asked == query(then_db, record_id), table
        # the whole demo is there by the end, nothing of it before the start
        assert list_agreements(now_db, at=0).total == 0
        assert list_groups(now_db, on=DAY, at=0).total == 0


def test_reading_as_of_a_position_only_reads(demo: tuple[Registry, ReadModels]) -> None:
    _, live = demo
    with live.reading() as db:
        now = list_groups(db, on=DAY)
        run: list[str] = []
        db.conn.set_trace_callback(run.append)
        try:
            assert list_groups(db, on=DAY, at=0).total == 0
            assert group_progress(db, on=DAY, at=live.position() // 2)
            assert findings(db, on=DAY, at=live.position() // 2).total
        finally:
            db.conn.set_trace_callback(None)
        # nothing is created on the connection and its guard is never lifted: only SELECTs,
        # and the savepoints sqlite-utils wraps a query's cursor in
        done = {sql.split()[0].upper() for sql in run}
        assert "SELECT" in done and done <= {"SELECT", "SAVEPOINT", "RELEASE"}, run
        assert db.execute("PRAGMA query_only").fetchone()[0] == 1
        assert list_groups(db, on=DAY) == now
        with pytest.raises(sqlite3.OperationalError, match="attempt to write a readonly"):
            db.execute("DELETE FROM groups")
