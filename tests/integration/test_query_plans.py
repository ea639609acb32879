"""Every filter a page offers is served by an index, never by reading a whole table."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlite_utils import Database

from projections import attach
from projections.agreement_queries import count_agreements, list_agreements
from projections.audit import actors_starting, audit_trail, has_acted, records, records_starting
from projections.engine.versions import versions_of
from projections.enterprises import list_enterprises
from projections.finding_queries import findings
from projections.groups import list_groups, list_organisations
from projections.investments import investment_by_year, list_investments
from projections.placements import list_placements
from projections.policies import list_policies
from projections.returns import list_returns
from projections.schools import list_schools
from projections.students import list_students
from projections.teachers import list_teachers
from registry.demo import load_demo
from registry.facade import Registry

FILTERS: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (list_agreements, {"prefecture": "510100"}),
    (list_agreements, {"mode": "order_class"}),
    (list_agreements, {"status": "active"}),
    (list_agreements, {"status": "proposed"}),
    (list_agreements, {"industry": "装备制造"}),
    (list_agreements, {"party": "x"}),
    (count_agreements, {"by": "mode", "prefecture": "510100"}),
    (list_schools, {"prefecture": "510100"}),
    (list_schools, {"kind": "technician_college"}),
    (list_schools, {"withdrawn": True}),
    (list_enterprises, {"prefecture": "510100"}),
    (list_enterprises, {"industry": "装备制造"}),
    (list_enterprises, {"ownership": "private"}),
    (list_enterprises, {"above_designated_size": True}),
    (list_enterprises, {"certified_on": date(2024, 1, 1)}),
    (list_investments, {"year": 2024}),
    (list_investments, {"enterprise_id": "x"}),
    (list_investments, {"agreement_id": "x"}),
    (investment_by_year, {"prefecture": "510100"}),
    (audit_trail, {"aggregate_id": "x"}),
    (audit_trail, {"actor": "x"}),
    (audit_trail, {"party": "x"}),
    (audit_trail, {"since": date(2024, 1, 1), "before": date(2024, 2, 1)}),
    (audit_trail, {"aggregate_id": ["x", "y"], "order": "newest"}),
    (audit_trail, {"actor": ["x", "y"], "order": "actor"}),
    (records_starting, {"prefix": "0123abcd"}),
    (records, {"ids": ["x", "y"]}),
    (has_acted, {"actor": "x"}),
    (actors_starting, {"prefix": "system:cli"}),
    (list_groups, {"prefecture": "510100"}),
    (list_groups, {"member": "x"}),
    (list_organisations, {"kind": "association"}),
    (list_students, {"school_id": "x"}),
    (list_students, {"entry_year": 2024}),
    (list_students, {"major": "x"}),
    (list_students, {"gender": "female"}),
    (list_students, {"forgotten": True}),
    (list_placements, {"school_id": "x"}),
    (list_placements, {"enterprise_id": "x"}),
    (list_placements, {"agreement_id": "x"}),
    (list_placements, {"student_id": "x"}),
    (list_placements, {"kind": "apprenticeship"}),
    (list_placements, {"status": "started"}),
    (list_placements, {"running": True}),
    (list_placements, {"policy_id": "x"}),
    (list_policies, {"holder": "x"}),
    (list_policies, {"kind": "work_injury"}),
    (list_policies, {"insurer": "x"}),
    (list_policies, {"placement": "x"}),
    (list_policies, {"ending_from": date(2025, 1, 1), "ending_until": date(2025, 2, 1)}),
    (list_teachers, {"school_id": "x"}),
    (list_teachers, {"prefecture": "510100"}),
    (list_returns, {"year": 2024}),
    (list_returns, {"school_id": "x"}),
    (list_returns, {"prefecture": "510100"}),
    # the findings events opened; those computed for a day read that day's population
    (findings, {"rule": "fee_charged_to_student"}),
    (findings, {"severity": "low", "school": "x"}),
    (findings, {"rule": "overtime", "enterprise": "x"}),
    (findings, {"rule": "return_late", "prefecture": "510100", "state": "open"}),
]
# tables whose size grows with the registry's activity; the province's ~120 schools and the
# small lookup tables may be read whole
LARGE = {
    "a",
    "agreements",
    "i",
    "investments",
    "audit_events",
    "enterprises",
    "students",
    "placements",
    "policies",
    "p",
    "policy_placements",
    "teachers",
    "t",
    "teacher_periods",
    "annual_returns",
    "r",
    "return_revisions",
    "group_members",
    "m",
    "findings",
    "f",
}
LARGE |= {versions_of(table) for table in LARGE}


def executed(db: Database, query: Any, filters: dict[str, Any]) -> list[str]:
    """The SELECT statements ``query(db, **filters)`` runs, as SQLite ran them: the trace
    gives each with its parameters bound."""
    run: list[str] = []
    db.conn.set_trace_callback(run.append)
    try:
        query(db, **filters)
    finally:
        db.conn.set_trace_callback(None)
    return list(dict.fromkeys(sql for sql in run if sql.lstrip().upper().startswith("SELECT")))


def planned(db: Database, sql: str) -> tuple[list[str], set[str]]:
    """``sql``'s query plan, and the tables of ``main`` it reads (from the authorizer)."""
    read: set[str] = set()

    def note(action: int, table: str | None, _c: str | None, schema: str | None, _v: Any) -> int:
        if action == sqlite3.SQLITE_READ and schema == "main" and table:
            read.add(table)
        return sqlite3.SQLITE_OK

    db.conn.set_authorizer(note)
    try:
        plan = [row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    finally:
        db.conn.set_authorizer(None)
    return plan, read


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from registry.config import Settings

    app = Registry(Settings(data_dir=tmp_path_factory.mktemp("plans")))
    models = attach(app)
    load_demo(app)
    yield models
    app.close()


# every query that answers as of a position, with each of its filters
AS_OF = [(q, f) for q, f in FILTERS if "at" in inspect.signature(q).parameters]


def served_by_indexes(db: Database, query: Any, filters: dict[str, Any]) -> None:
    statements = executed(db, query, filters)
    assert statements
    versioned = {
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [versions_of(name)]
        ).fetchone()
    }
    for sql in statements:
        plan, read = planned(db, sql)
        scans = [step for step in plan if step.startswith("SCAN ")]
        assert not [s for s in scans if s.split()[1] in LARGE], (sql, plan)
        if filters.get("at") is not None:
            # as of a position, a view table is read only through its row versions
            assert not read & versioned, (sql, read & versioned)


@pytest.mark.parametrize(("query", "filters"), FILTERS, ids=lambda v: getattr(v, "__name__", v))
def test_filter_is_served_by_an_index(demo: Any, query: Any, filters: dict[str, Any]) -> None:
    with demo.reading() as db:
        served_by_indexes(db, query, filters)


@pytest.mark.parametrize(("query", "filters"), AS_OF, ids=lambda v: getattr(v, "__name__", v))
def test_filter_as_of_a_position_is_served_by_an_index(
    demo: Any, query: Any, filters: dict[str, Any]
) -> None:
    with demo.reading() as db:
        # half way along the log: the row versions' mirrored indexes serve the filters
        served_by_indexes(db, query, {**filters, "at": demo.position() // 2})


def test_the_main_queries_answer_as_of_a_position() -> None:
    assert {q.__name__ for q, _ in AS_OF} >= {
        "list_agreements",
        "count_agreements",
        "list_schools",
        "list_enterprises",
        "list_investments",
        "investment_by_year",
        "audit_trail",
    }
