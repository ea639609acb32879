"""The audit trail: who did what, before → after, masked personal data, trails by party."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor, Role
from projections import attach
from projections.audit import PERSONAL_DATA, audit_trail
from registry.facade import Registry
from tests.factories import ADMIN, partnership, uscc


class Trainee(Aggregate):
    """Stands in for a later aggregate: personal data encrypted, naming an agreement."""

    @event("Registered")
    def __init__(self, *, agreement_id: UUID, name_ciphertext: str, actor: Actor) -> None:
        self.agreement_id = agreement_id
        self.name_ciphertext = name_ciphertext

    @event("Corrected")
    def correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, value)


def seed(app: Registry) -> tuple[UUID, UUID, UUID]:
    return partnership(app)


def test_every_event_is_audited_with_actor_role_and_position(registry: Registry) -> None:
    models = attach(registry)
    _, enterprise_id, agreement_id = seed(registry)
    with models.reading() as db:
        trail = audit_trail(db, aggregate_id=str(agreement_id))
    assert [(e["event"], e["version"], e["role"]) for e in trail.items] == [
        ("Proposed", 1, "enterprise_user"),
        ("Countersigned", 2, "school_user"),
    ]
    proposed, countersigned = trail.items
    assert proposed["acting_for"] == str(enterprise_id)
    assert proposed["aggregate_type"] == "CooperationAgreement"
    assert ["modes", None, ["order_class"]] in proposed["changes"]
    assert countersigned["changes"] == [["on", None, "2023-12-20"]]
    assert countersigned["position"] == registry.max_position()
    assert countersigned["recorded_at"].endswith("+00:00")


def test_a_correction_shows_the_value_before_and_after(registry: Registry) -> None:
    models = attach(registry)
    _, enterprise_id, _ = seed(registry)
    registry.correct_enterprise(
        enterprise_id, field="name", value="四川更正有限公司", reason="笔误", actor=ADMIN
    )
    registry.change_enterprise(enterprise_id, actor=ADMIN, industry="电子信息")
    registry.change_enterprise(enterprise_id, actor=ADMIN, industry="数字经济")
    with models.reading() as db:
        trail = audit_trail(db, aggregate_id=str(enterprise_id)).items
    assert trail[1]["changes"] == [
        ["name", "四川测试有限公司", "四川更正有限公司"],
        ["reason", None, "笔误"],
    ]
    assert trail[2]["changes"][0] == ["industry", "装备制造", "电子信息"]
    assert trail[3]["changes"][0] == ["industry", "电子信息", "数字经济"]


def test_an_upgrade_overwrites_the_kind(registry: Registry) -> None:
    models = attach(registry)
    school_id = registry.register_school(
        uscc=uscc("12", 9),
        name="学校",
        kind="technical_school",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    registry.upgrade_school(
        school_id, to_kind="senior_technical_school", on=date(2022, 9, 1), actor=ADMIN
    )
    registry.correct_school(
        school_id, field="kind", value="technician_college", reason="录入错误", actor=ADMIN
    )
    with models.reading() as db:
        _, upgraded, corrected = audit_trail(db, aggregate_id=str(school_id)).items
    assert upgraded["changes"] == [
        ["kind", "technical_school", "senior_technical_school"],
        ["on", None, "2022-09-01"],
    ]
    assert corrected["changes"][0] == ["kind", "senior_technical_school", "technician_college"]


def test_personal_data_is_masked_and_never_stored(registry: Registry) -> None:
    models = attach(registry)
    _, _, agreement_id = seed(registry)
    trainee = Trainee(agreement_id=agreement_id, name_ciphertext="c2VjcmV0LW5hbWU=", actor=ADMIN)
    trainee.correct(field="name_ciphertext", value="bmV3LXNlY3JldA==", reason="改名", actor=ADMIN)
    registry.save_changes(trainee)
    with models.reading() as db:
        registered, corrected = audit_trail(db, aggregate_id=str(trainee.id)).items
    assert ["name_ciphertext", None, PERSONAL_DATA] in registered["changes"]
    assert corrected["changes"][0] == ["name_ciphertext", PERSONAL_DATA, PERSONAL_DATA]
    # no trace of either ciphertext anywhere in the read-model file
    models.catch_up()
    raw = b"".join(
        p.read_bytes() for p in models.directory.iterdir() if p.name.startswith("views-")
    )
    assert b"c2VjcmV0LW5hbWU=" not in raw and b"bmV3LXNlY3JldA==" not in raw


def test_a_partys_trail_spans_its_agreements_and_what_names_them(registry: Registry) -> None:
    models = attach(registry)
    school_id, enterprise_id, agreement_id = seed(registry)
    other_enterprise = registry.register_enterprise(
        uscc=uscc("91", 2),
        name="另一家公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=False,
        ownership="private",
        actor=ADMIN,
    )
    # a later record names the agreement: it concerns the agreement's parties too
    trainee = Trainee(agreement_id=agreement_id, name_ciphertext="eA==", actor=ADMIN)
    registry.save_changes(trainee)
    with models.reading() as db:
        mine = audit_trail(db, party=str(enterprise_id)).items
        theirs = audit_trail(db, party=str(other_enterprise)).items
        schools = audit_trail(db, party=str(school_id)).items
    assert [(e["aggregate_type"], e["event"]) for e in mine] == [
        ("Enterprise", "Registered"),
        ("CooperationAgreement", "Proposed"),
        ("CooperationAgreement", "Countersigned"),
        ("Trainee", "Registered"),
    ]
    assert [e["event"] for e in theirs] == ["Registered"]
    assert [e["aggregate_id"] for e in schools][-1] == str(trainee.id)


def test_trails_by_actor_and_by_time_range(registry: Registry) -> None:
    models = attach(registry)
    seed(registry)
    with models.reading() as db:
        by_school_user = audit_trail(db, actor="school-user").items
        everything = audit_trail(db, limit=500)
        now = datetime.now(UTC)
        recent = audit_trail(db, since=now - timedelta(minutes=5), before=now + timedelta(1))
        future = audit_trail(db, since=date.today() + timedelta(days=2))
    assert [e["event"] for e in by_school_user] == ["Countersigned"]
    assert recent.total == everything.total == 4
    assert future.total == 0


def test_an_actor_for_no_party_has_no_acting_for(registry: Registry) -> None:
    models = attach(registry)
    registry.register_school(
        uscc=uscc("12", 3),
        name="学校",
        kind="technical_school",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=Actor("admin-2", Role.PROVINCE_ADMIN),
    )
    with models.reading() as db:
        (entry,) = audit_trail(db).items
    assert (entry["actor"], entry["role"], entry["acting_for"]) == (
        "admin-2",
        "province_admin",
        None,
    )
