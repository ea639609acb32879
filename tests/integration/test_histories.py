"""Generated command histories: incremental views always equal a rebuild, and the write model.

Hypothesis draws a sequence of commands over a few schools, enterprises and agreements;
commands the domain refuses are simply skipped, as a user's refused form would be. After
every accepted command the views kept by the after-save hook must equal views built from
the whole log from scratch; at the end they must agree with the aggregates themselves.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.school import School
from projections import attach
from projections.agreement_queries import agreement
from projections.engine.read_models import ReadModels
from projections.investments import list_investments
from projections.schools import majors
from registry.config import Settings
from registry.facade import Registry
from tests.integration.histories import (
    DAY0,
    PRELUDE,
    History,
    steps,
)
from tests.readmodels import dump, from_scratch


def agrees_with_the_write_model(app: Registry, models: ReadModels, history: History) -> None:
    days = [DAY0 + timedelta(days=100 * i) for i in range(-1, 12)]
    with models.reading() as db:
        for agreement_id, _, enterprise_id in history.agreements:
            aggregate = app.get(CooperationAgreement, agreement_id)
            certified = app.get(Enterprise, enterprise_id).certified_during
            for day in days:
                found = agreement(db, str(agreement_id), on=day)
                assert found is not None
                assert found["status_on"] == aggregate.status_on(day), (agreement_id, day)
            assert found["modes"] == [m.value for m in aggregate.terms.modes]
            assert found["ends_on"] == aggregate.terms.ends_on.isoformat()
            invested = list_investments(db, agreement_id=str(agreement_id))
            assert sorted((i["number"], i["amount"], i["invested_on"]) for i in invested) == [
                (i.number, i.amount, i.invested_on.isoformat()) for i in aggregate.investments
            ]
            for row in invested:
                assert row["certified"] == certified(date.fromisoformat(row["invested_on"]))
        for school_id in history.schools:
            school = app.get(School, school_id)
            assert {m["name"]: m["closed_year"] for m in majors(db, school_id=str(school_id))} == {
                name: major.closed_year for name, major in school.majors.items()
            }


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps)
def test_incremental_views_equal_a_rebuild_after_every_event(
    drawn: list[tuple[str, int, int, int]],
) -> None:
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
                with models.reading() as db:
                    assert dump(db.conn) == from_scratch(app), step
            agrees_with_the_write_model(app, models, history)
        finally:
            app.close()
