"""Generated histories read as of past positions: row versions against rebuilds and aggregates.

The same drawn command histories as tests/integration/test_histories.py. For positions
drawn along the log, every view table read as of the position (``asof.source``) must equal
the table of a fresh rebuild stopped there, and its versions up to the position must equal
the rebuild's own. The agreement and investment queries as of the position, on drawn
effective dates, must agree with the aggregates as they stood at that position.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from domain.errors import DomainError
from projections import VIEWS, attach
from projections.agreement_queries import STATUSES, agreement, list_agreements
from projections.engine.asof import position_on, source
from projections.engine.projector import ApplicationLog, Projector, prepare
from projections.engine.truncated import Truncated
from projections.engine.versions import versions_of, view_tables
from projections.investments import list_investments
from registry.clock import local_day
from registry.config import Settings
from registry.facade import Registry
from tests.integration.histories import DAY0, PRELUDE, History, steps

Tables = dict[str, list[tuple[Any, ...]]]


INTERNAL_TABLES = {table for view in VIEWS for table in view.internal}
LOG_TABLES = {table for view in VIEWS for table in view.logs}
OWNERS = {table: view for view in VIEWS for table in view.unversioned}


def view_source(table: str, at: int) -> str:
    """``source``, or for a log its view's own (a log's past is its rows up to ``at``)."""
    owner = OWNERS.get(table)
    return owner.source(table, at) if owner else source(table, at)


def columns(conn: sqlite3.Connection, table: str) -> str:
    return ", ".join(f'"{c[1]}"' for c in conn.execute(f'PRAGMA table_info("{table}")'))


def as_of(conn: sqlite3.Connection, position: int) -> tuple[Tables, Tables]:
    """Every view table as of ``position``, and each table's versions cut off there."""
    tables, versions = {}, {}
    for table in view_tables(conn):
        if table in INTERNAL_TABLES:
            continue  # no query reads a view's working state, now or in the past
        names = columns(conn, table)
        found = conn.execute(f"SELECT {names} FROM {view_source(table, position)}").fetchall()
        tables[table] = sorted(found, key=repr)
        if table not in LOG_TABLES:
            cut = conn.execute(
                f"SELECT {names}, valid_from, CASE WHEN valid_to > ? THEN NULL ELSE valid_to END"
                f' FROM "{versions_of(table)}" WHERE valid_from <= ?',
                [position, position],
            ).fetchall()
            versions[table] = sorted(cut, key=repr)
    return tables, versions


def rebuilt_at(app: Registry, position: int) -> tuple[Tables, Tables]:
    """The views built from the log up to ``position`` into a fresh database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        prepare(Database(conn, execute_plugins=False), VIEWS)
        Projector(conn, VIEWS, Truncated(ApplicationLog(app), position)).follow()
        tables, versions = {}, {}
        for table in view_tables(conn):
            if table in INTERNAL_TABLES:
                continue
            names = columns(conn, table)
            tables[table] = sorted(conn.execute(f"SELECT {names} FROM {table}"), key=repr)
            if table not in LOG_TABLES:
                found = conn.execute(f'SELECT * FROM "{versions_of(table)}"').fetchall()
                versions[table] = sorted(found, key=repr)
        return tables, versions
    finally:
        conn.close()


def versions_at(app: Registry, position: int) -> dict[UUID, int]:
    """Each record's aggregate version after the events up to ``position``."""
    found: dict[UUID, int] = {}
    for at, event in app.read_log():
        if at > position:
            break
        found[event.originator_id] = event.originator_version
    return found


def agrees_with_the_aggregates_at(
    app: Registry, db: Database, history: History, position: int, days: list[date]
) -> None:
    versions = versions_at(app, position)
    standing: dict[UUID, CooperationAgreement] = {
        agreement_id: app.repository.get(agreement_id, version=versions[agreement_id])
        for agreement_id, _, _ in history.agreements
        if agreement_id in versions
    }
    for agreement_id, _, enterprise_id in history.agreements:
        found = agreement(db, str(agreement_id), on=days[0], at=position)
        aggregate = standing.get(agreement_id)
        if aggregate is None:
            assert found is None, (agreement_id, position)
            continue
        assert found is not None
        assert found["modes"] == [m.value for m in aggregate.terms.modes]
        assert found["ends_on"] == aggregate.terms.ends_on.isoformat()
        for day in days:
            on_day = agreement(db, str(agreement_id), on=day, at=position)
            assert on_day is not None
            assert on_day["status_on"] == aggregate.status_on(day), (agreement_id, day, position)
        enterprise: Enterprise = app.repository.get(enterprise_id, version=versions[enterprise_id])
        invested = list_investments(db, agreement_id=str(agreement_id), at=position)
        assert sorted((i["number"], i["amount"], i["invested_on"]) for i in invested) == [
            (i.number, i.amount, i.invested_on.isoformat()) for i in aggregate.investments
        ]
        for row in invested:
            assert row["certified"] == enterprise.certified_during(
                date.fromisoformat(row["invested_on"])
            )
    for day in days:
        for status in STATUSES:
            listed = list_agreements(db, status=status, on=day, at=position, limit=500)
            assert {row["id"] for row in listed.items} == {
                str(agreement_id)
                for agreement_id, aggregate in standing.items()
                if aggregate.status_on(day) == status
            }, (status, day, position)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    steps,
    st.lists(st.floats(0, 1), min_size=1, max_size=3),
    st.lists(st.integers(-2, 14), min_size=1, max_size=3),
)
def test_views_as_of_a_position_equal_a_rebuild_stopped_there_and_the_aggregates(
    drawn: list[tuple[str, int, int, int]], fractions: list[float], day_numbers: list[int]
) -> None:
    days = [DAY0 + timedelta(days=90 * n) for n in day_numbers]
    with tempfile.TemporaryDirectory() as directory:
        app = Registry(Settings(data_dir=Path(directory)))
        try:
            models = attach(app)
            history = History(app)
            for step in [*PRELUDE, *drawn]:
                try:
                    history.run(*step)
                except DomainError:
                    continue
            head = app.max_position()
            with models.reading() as db:
                for position in sorted({round(f * head) for f in fractions}):
                    assert as_of(db.conn, position) == rebuilt_at(app, position)
                    agrees_with_the_aggregates_at(app, db, history, position, days)
                # the whole history was recorded within a day or two (Asia/Shanghai)
                recorded = [local_day(event.timestamp) for _, event in app.read_log()]
                assert position_on(db, recorded[-1]) == head
                assert position_on(db, recorded[0] - timedelta(days=1)) == 0
        finally:
            app.close()
