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
from registry.registry import Registry
from tests.factories import ADMIN, enterprise_user, school_user, uscc
from tests.readmodels import dump, from_scratch


def test_read_models_follow_the_store_across_gaps_in_its_ids(
    any_store: Registry, store_settings: Settings
) -> None:
    models = attach(any_store)
    school_id = any_store.register_school(
        uscc=uscc("12", 1),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    enterprise_id = any_store.register_enterprise(
        uscc=uscc("91", 1),
        name="四川测试有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    agreement_id = any_store.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title="订单班",
        modes=["order_class"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=enterprise_user(enterprise_id),
    )
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
