"""Placements and insurance through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.coverage import Lapse
from domain.errors import NotPermitted
from domain.id_number import with_check_character
from domain.placement import (
    CoverMissing,
    IntermediaryAttempt,
    IntermediaryRefused,
    Placement,
    PlacementStatus,
    StudentUnder16,
)
from registry.config import Settings
from registry.errors import AlreadyRegistered
from registry.facade import Registry
from tests.factories import (
    ADMIN,
    enterprise_user,
    school_user,
)
from tests.integration.placement_builders import (
    START,
    add_placement,
    add_policy,
    add_student,
    setting,
)

# born 10 March 2009: 15 on START, 16 from 10 March 2025
YOUNG = with_check_character("51070320090310234")


def test_start_refused_for_missing_cover_then_started_once_a_policy_is_added(
    any_store: Registry, store_settings: Settings
) -> None:
    app = any_store
    school_id, _, agreement_id = setting(app)
    student_id = add_student(app, school_id)
    placement_id = add_placement(app, school_id, agreement_id, student_id)
    app.record_tripartite_agreement(placement_id, signed_on=date(2025, 2, 20), actor=ADMIN)
    liability = add_policy(app, school_id, "internship_liability", "L-2025")
    app.cover_placements(liability, placement_ids=[placement_id], on=START, actor=ADMIN)
    # the accident cover is missing: refused, naming the kind
    with pytest.raises(CoverMissing) as refused:
        app.start_placement(placement_id, on=START, actor=school_user(school_id))
    assert refused.value.params["kinds"] == ["personal_accident"]
    assert app.missing_cover(placement_id, START) == ["personal_accident"]
    # a cohort policy is added, and the placement starts
    accident = add_policy(app, school_id, "personal_accident", "A-2025")
    app.cover_placements(accident, placement_ids=[placement_id], on=START, actor=ADMIN)
    app.start_placement(placement_id, on=START, actor=school_user(school_id))
    # reloading from the log gives the same placement, and earlier versions stay readable
    fresh = Registry(store_settings)
    try:
        assert vars(fresh.get(Placement, placement_id)) == vars(app.get(Placement, placement_id))
        assert fresh.get(Placement, placement_id).status is PlacementStatus.STARTED
        assert fresh.get(Placement, placement_id, version=1).status is PlacementStatus.REGISTERED
    finally:
        fresh.close()


def test_cancelled_cohort_policy_is_a_lapse_for_every_placement(registry: Registry) -> None:
    school_id, _, agreement_id = setting(registry)
    numbers = [with_check_character(f"510104200701{n:02d}123") for n in range(1, 6)]
    placements = [
        add_placement(registry, school_id, agreement_id, add_student(registry, school_id, number))
        for number in numbers
    ]
    liability = add_policy(registry, school_id, "internship_liability", "L")
    accident = add_policy(registry, school_id, "personal_accident", "A")
    for policy_id in (liability, accident):
        registry.cover_placements(policy_id, placement_ids=placements, on=START, actor=ADMIN)
    for placement_id in placements:
        registry.record_tripartite_agreement(placement_id, signed_on=START, actor=ADMIN)
        registry.start_placement(placement_id, on=START, actor=ADMIN)
    registry.cancel_policy(
        accident, on=date(2025, 5, 10), reason="退保", actor=school_user(school_id)
    )
    for placement_id in placements:
        # the placement keeps running; the lapse is answered with its date
        assert registry.get(Placement, placement_id).status is PlacementStatus.STARTED
        assert registry.cover_lapses(placement_id, until=date(2025, 8, 31)) == [
            Lapse("personal_accident", date(2025, 5, 10))
        ]


def test_post_internship_refused_for_a_student_under_16(registry: Registry) -> None:
    school_id, _, agreement_id = setting(registry)
    student_id = add_student(registry, school_id, YOUNG)
    with pytest.raises(StudentUnder16) as refused:
        add_placement(registry, school_id, agreement_id, student_id)
    assert refused.value.params == {"age": 15, "on": "2025-03-01"}


def test_intermediary_placement_is_recorded_and_refused(registry: Registry) -> None:
    school_id, _, agreement_id = setting(registry)
    student_id = add_student(registry, school_id)
    with pytest.raises(IntermediaryRefused) as refused:
        registry.register_placement(
            student_id=student_id,
            agreement_id=agreement_id,
            kind="post_internship",
            position="操作工",
            workplace_prefecture="510100",
            starts_on=START,
            ends_on=date(2025, 6, 30),
            mentor="E-1",
            supervising_teacher="T-1",
            intermediary="某劳务派遣中介",
            actor=school_user(school_id),
        )
    attempt = registry.get(IntermediaryAttempt, UUID(refused.value.params["attempt_id"]))
    assert attempt.intermediary == "某劳务派遣中介" and attempt.student_id == student_id


def test_host_enterprise_reads_personal_data_only_while_the_placement_runs(
    registry: Registry,
) -> None:
    school_id, enterprise_id, agreement_id = setting(registry)
    student_id = add_student(registry, school_id)
    placement_id = add_placement(registry, school_id, agreement_id, student_id)
    host = enterprise_user(enterprise_id)
    with pytest.raises(NotPermitted):
        registry.reveal_student(student_id, reader=host, on=START)
    for kind, number in (("internship_liability", "L"), ("personal_accident", "A")):
        policy_id = add_policy(registry, school_id, kind, number)
        registry.cover_placements(policy_id, placement_ids=[placement_id], on=START, actor=ADMIN)
    registry.record_tripartite_agreement(placement_id, signed_on=START, actor=ADMIN)
    registry.start_placement(placement_id, on=START, actor=ADMIN)
    assert registry.reveal_student(student_id, reader=host, on=START).personal is not None
    registry.complete_placement(placement_id, on=date(2025, 6, 30), actor=host)
    with pytest.raises(NotPermitted):
        registry.reveal_student(student_id, reader=host, on=date(2025, 7, 1))


def test_fees_working_arrangements_incidents_and_claims_are_recorded(registry: Registry) -> None:
    school_id, enterprise_id, agreement_id = setting(registry)
    placement_id = add_placement(
        registry, school_id, agreement_id, add_student(registry, school_id)
    )
    accident = add_policy(registry, school_id, "personal_accident", "A")
    registry.cover_placements(accident, placement_ids=[placement_id], on=START, actor=ADMIN)
    registry.report_fee(
        placement_id,
        amount=Decimal("600"),
        purpose="住宿押金",
        reported_by="学生本人",
        charged_on=date(2025, 3, 3),
        actor=Actor("auditor-1", Role.AUDITOR),
    )
    registry.record_working_arrangement(
        placement_id,
        effective_on=START,
        pay=Decimal("2000"),
        post_wage=Decimal("3000"),
        night_shifts=True,
        actor=enterprise_user(enterprise_id),
    )
    registry.record_incident(
        placement_id,
        occurred_on=date(2025, 4, 1),
        severity="minor",
        description="轻微烫伤",
        actor=enterprise_user(enterprise_id),
    )
    number = registry.file_claim(
        placement_id,
        policy_id=accident,
        filed_on=date(2025, 4, 2),
        amount=Decimal("800"),
        actor=ADMIN,
    )
    placement = registry.get(Placement, placement_id)
    assert placement.fees[0].purpose == "住宿押金"
    assert placement.working_violations() == ["pay_below_80_percent", "night_shift"]
    assert placement.claims[number - 1].amount == Decimal("800")


def test_same_policy_number_cannot_be_registered_twice(registry: Registry) -> None:
    school_id, _, _ = setting(registry)
    add_policy(registry, school_id, "personal_accident", "A-1")
    with pytest.raises(AlreadyRegistered):
        add_policy(registry, school_id, "personal_accident", "A-1")


def test_cover_requirement_change_applies_to_later_placements_only(registry: Registry) -> None:
    school_id, _, agreement_id = setting(registry)
    first = add_placement(registry, school_id, agreement_id, add_student(registry, school_id))
    registry.set_cover_requirement(
        placement_kind="post_internship",
        policy_kinds=["internship_liability", "personal_accident", "work_injury"],
        reason="省厅要求岗位实习参加工伤保险",
        actor=ADMIN,
    )
    other = with_check_character("51010420070101123")
    second = add_placement(
        registry, school_id, agreement_id, add_student(registry, school_id, other)
    )
    assert "work_injury" not in registry.get(Placement, first).required_cover
    assert "work_injury" in registry.get(Placement, second).required_cover


def test_demo_has_placements_in_every_state_with_a_lapse_a_fee_and_an_overrun(
    registry: Registry,
) -> None:
    from registry.demo import load_demo
    from registry.stats import log_stats

    load_demo(registry)
    types = log_stats(registry).event_types
    for event_type in (
        "Placement.Started",
        "Placement.Completed",
        "Placement.EndedEarly",
        "Placement.Suspended",
        "Placement.FeeReported",
        "Placement.IncidentRecorded",
        "IntermediaryAttempt.Recorded",
        "InsurancePolicy.Cancelled",
    ):
        assert types[event_type] >= 1, event_type
    placements = [
        registry.get(Placement, event.originator_id)
        for _, event in registry.read_log()
        if type(event).__qualname__ == "Placement.Registered"
    ]
    assert any(p.status is PlacementStatus.REGISTERED for p in placements)
    assert any(
        p.status is PlacementStatus.STARTED and p.overrun_from() == date(2026, 3, 1)
        for p in placements
    )
    lapsed = [p for p in placements if registry.cover_lapses(p.id, until=date(2026, 8, 31))]
    assert lapsed and all(
        lapse.on == date(2025, 11, 1)
        for p in lapsed
        for lapse in registry.cover_lapses(p.id, until=date(2026, 8, 31))
    )
