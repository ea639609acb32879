"""SQLite read models fed by each event store the registry runs on, PostgreSQL included."""

from __future__ import annotations

from datetime import date

import pytest

from domain.agreement import CooperationAgreement
from projections import attach
from projections.agreement_queries import count_agreements
from projections.audit import audit_trail
from registry.config import Settings
from registry.errors import ConflictingChange
from registry.facade import Registry
from tests.factories import partnership, school_user
from tests.readmodels import dump, from_scratch


def test_read_models_follow_the_store_across_gaps_in_its_ids(
    any_store: Registry, store_settings: Settings
) -> None:
    models = attach(any_store)
    school_id, enterprise_id, agreement_id = partnership(any_store, countersigned=False)
    # two writers change the agreement at once: the loser's failed insert, on PostgreSQL,
    # uses up a notification id
    stale = any_store.get(CooperationAgreement, agreement_id)
    any_store.countersign_agreement(
        agreement_id, on=date(2023, 12, 1), actor=school_user(school_id)
    )
    stale.countersign(on=date(2023, 12, 2), actor=school_user(school_id))
    with pytest.raises(ConflictingChange):
        any_store.save_changes(stale)
    any_store.terminate_agreement(
        agreement_id, reason="提前终止", on=date(2025, 1, 1), actor=school_user(school_id)
    )
    ids = [n.id for n in any_store.recorder.select_notifications(start=None, limit=100)]
    if store_settings.uses_postgres:
        assert ids != list(range(1, len(ids) + 1)), "expected a gap in PostgreSQL's ids"
    assert models.position() == any_store.max_position() == ids[-1]
    with models.reading() as db:
        assert dump(db.conn) == from_scratch(any_store)
        assert count_agreements(db, "status", on=date(2025, 6, 1)) == {"terminated": 1}
        assert audit_trail(db, party=str(enterprise_id)).total == 4
    # a second process on the same stores finds the same live file caught up
    other = Registry(store_settings)
    try:
        assert attach(other).position() == ids[-1]
    finally:
        other.close()
