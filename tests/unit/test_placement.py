"""Placements: cover before start, the national internship rules, lapses, fees and claims."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.agreement import CooperationAgreement
from domain.cover_requirements import CoverRequirements
from domain.coverage import Lapse, lapses, missing_kinds
from domain.errors import EndBeforeStart, InvalidTransition, InvalidValue, NotPermitted
from domain.insurance import InsurancePolicy, PolicyCancelled
from domain.placement import (
    DEFAULT_REQUIRED_COVER,
    AgreementAllowsNoPlacements,
    CoverMissing,
    FirstSchoolYear,
    IntermediaryAttempt,
    Placement,
    PlacementOutsideAgreement,
    PlacementStatus,
    PostInternshipTooLong,
    StudentNotAtSchool,
    StudentUnder16,
    TripartiteAgreementMissing,
    last_day_within_six_months,
)
from domain.student import StudentFacts, age_on, school_year_on
from tests.factories import ADMIN, agreement, enterprise, enterprise_user, school, school_user

START = date(2025, 3, 1)


@pytest.fixture
def setting() -> tuple[object, object, CooperationAgreement]:
    s, e = school(), enterprise()
    a = agreement(s, e, modes=("internship_base", "apprenticeship"))
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    return s, e, a


def facts(school_id: UUID, age: int = 18, year: int = 2) -> StudentFacts:
    return StudentFacts(student_id=uuid4(), school_id=school_id, age=age, school_year=year)


def register(
    a: CooperationAgreement,
    student: StudentFacts,
    kind: str = "post_internship",
    starts_on: date = START,
    ends_on: date = date(2025, 6, 30),
    exception: str = "",
) -> Placement:
    return Placement.register(
        student=student,
        agreement=a,
        kind=kind,
        position="数控操作工",
        workplace_prefecture="510100",
        starts_on=starts_on,
        ends_on=ends_on,
        pay=Decimal("3200"),
        mentor="E-0007",
        supervising_teacher="T-0042",
        required_cover=DEFAULT_REQUIRED_COVER[kind],
        actor=school_user(a.school_id),
        duration_exception=exception,
    )


def policy(
    holder: UUID,
    kind: str,
    placements: list[Placement],
    covers_from: date = date(2025, 1, 1),
    covers_until: date = date(2025, 12, 31),
    number: str = "P-1",
) -> InsurancePolicy:
    p = InsurancePolicy.register(
        holder_id=holder,
        kind=kind,
        insurer="中国人保四川分公司",
        policy_number=number,
        covers_from=covers_from,
        covers_until=covers_until,
        actor=ADMIN,
    )
    if placements:
        p.add_placements(placements=placements, on=covers_from, actor=ADMIN)
    return p


def ready_post_internship(a: CooperationAgreement, student: StudentFacts) -> Placement:
    placement = register(a, student)
    placement.record_tripartite_agreement(
        signed_on=date(2025, 2, 20), actor=school_user(a.school_id)
    )
    return placement


def full_cover(a: CooperationAgreement, placements: list[Placement]) -> list[InsurancePolicy]:
    return [
        policy(a.school_id, "internship_liability", placements, number="L-1"),
        policy(a.school_id, "personal_accident", placements, number="A-1"),
    ]


def test_placement_starts_when_required_cover_is_in_force(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    # construct: a post internship with its tripartite agreement and both kinds of cover
    placement = ready_post_internship(a, student)
    policies = full_cover(a, [placement])
    # evolve: it starts on its planned day
    placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)
    # query: running from the start day
    assert placement.status is PlacementStatus.STARTED
    assert placement.is_running_on(START) and not placement.is_running_on(START - timedelta(1))
    assert placement.required_cover == ("internship_liability", "personal_accident")


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ([], ["internship_liability", "personal_accident"]),
        (["internship_liability"], ["personal_accident"]),
        (["personal_accident"], ["internship_liability"]),
    ],
)
def test_start_refused_naming_each_missing_kind(setting, present, missing) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    placement = ready_post_internship(a, student)
    policies = [policy(s.id, kind, [placement], number=kind) for kind in present]
    with pytest.raises(CoverMissing) as refused:
        placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)
    assert refused.value.params == {"kinds": missing, "on": "2025-03-01"}
    assert placement.status is PlacementStatus.REGISTERED


def test_apprenticeship_requires_work_injury_cover(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id, age=17, year=1)
    placement = register(a, student, kind="apprenticeship", ends_on=date(2025, 12, 31))
    policies = full_cover(a, [placement])
    with pytest.raises(CoverMissing) as refused:
        placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)
    assert refused.value.params["kinds"] == ["work_injury"]


@pytest.mark.parametrize(
    ("covers_from", "covers_until", "starts"),
    [
        (date(2024, 3, 1), START - timedelta(days=1), False),  # cover ends the day before start
        (START, date(2025, 12, 31), True),  # cover starts on the start day
        (START + timedelta(days=1), date(2025, 12, 31), False),  # the day after
        (date(2024, 3, 1), START, True),  # cover's last day is the start day
    ],
)
def test_coverage_boundary_days(setting, covers_from, covers_until, starts) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    placement = ready_post_internship(a, student)
    policies = [
        policy(s.id, kind, [placement], covers_from, covers_until, number=kind)
        for kind in ("internship_liability", "personal_accident")
    ]
    if starts:
        placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)
    else:
        with pytest.raises(CoverMissing):
            placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)


def test_age_16_on_the_start_date_but_not_the_day_before() -> None:
    birth = date(2009, 3, 1)
    assert age_on(birth, date(2025, 2, 28)) == 15
    assert age_on(birth, date(2025, 3, 1)) == 16


@pytest.mark.parametrize(("age", "allowed"), [(15, False), (16, True)])
def test_post_internship_needs_a_student_of_16(setting, age, allowed) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    if allowed:
        register(a, facts(s.id, age=age))
    else:
        with pytest.raises(StudentUnder16) as refused:
            register(a, facts(s.id, age=age))
        assert refused.value.params == {"age": 15, "on": "2025-03-01"}


def test_age_is_checked_again_on_the_actual_start_day(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    placement = ready_post_internship(a, facts(s.id))
    young = facts(s.id, age=15)
    with pytest.raises(StudentUnder16):
        placement.start(
            on=START, agreement=a, student=young, policies=full_cover(a, [placement]), actor=ADMIN
        )


def test_first_school_year_student_gets_no_post_internship(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    with pytest.raises(FirstSchoolYear):
        register(a, facts(s.id, year=1))
    # a cognitive internship is allowed in the first year
    register(a, facts(s.id, year=1, age=15), kind="cognitive_internship")


def test_school_year_changes_on_the_first_of_september() -> None:
    assert school_year_on(2024, date(2024, 9, 1)) == 1
    assert school_year_on(2024, date(2025, 8, 31)) == 1
    assert school_year_on(2024, date(2025, 9, 1)) == 2


def test_six_month_boundary(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    limit = last_day_within_six_months(START)
    assert limit == date(2025, 8, 31)
    register(a, facts(s.id), ends_on=limit)
    with pytest.raises(PostInternshipTooLong) as refused:
        register(a, facts(s.id), ends_on=limit + timedelta(days=1))
    assert refused.value.params == {"ends_on": "2025-09-01", "limit": "2025-08-31"}
    longer = register(a, facts(s.id), ends_on=limit + timedelta(days=1), exception="企业轮岗需要")
    assert longer.duration_exception == "企业轮岗需要"


def test_overrun_dated_from_the_day_after_six_months(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    placement = ready_post_internship(a, student)
    placement.start(
        on=START, agreement=a, student=student, policies=full_cover(a, [placement]), actor=ADMIN
    )
    assert placement.overrun_from() == date(2025, 9, 1)
    placement.record_duration_exception(reason="项目延期", actor=ADMIN)
    assert placement.overrun_from() is None


def test_post_internship_needs_a_tripartite_agreement_before_start(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    placement = register(a, student)
    policies = full_cover(a, [placement])
    with pytest.raises(TripartiteAgreementMissing):
        placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)
    placement.record_tripartite_agreement(signed_on=START, actor=enterprise_user(a.enterprise_id))
    placement.start(on=START, agreement=a, student=student, policies=policies, actor=ADMIN)


def test_placement_must_fall_within_an_active_agreement(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    with pytest.raises(PlacementOutsideAgreement) as refused:
        register(a, facts(s.id), starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 31))
    assert refused.value.params["agreement_ends_on"] == "2026-12-31"


def test_agreement_needs_a_placement_mode() -> None:
    s, e = school(), enterprise()
    a = agreement(s, e, modes=("curriculum",))
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    with pytest.raises(AgreementAllowsNoPlacements):
        register(a, facts(s.id))


def test_student_must_be_at_the_agreement_school(setting) -> None:  # type: ignore[no-untyped-def]
    _, _, a = setting
    with pytest.raises(StudentNotAtSchool):
        register(a, facts(school(9).id))


def test_end_before_start_refused(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    with pytest.raises(EndBeforeStart):
        register(a, facts(s.id), ends_on=START - timedelta(days=1))


def test_enterprise_user_cannot_register_placements(setting) -> None:  # type: ignore[no-untyped-def]
    s, e, a = setting
    with pytest.raises(NotPermitted):
        Placement.register(
            student=facts(s.id),
            agreement=a,
            kind="cognitive_internship",
            position="x",
            workplace_prefecture="510100",
            starts_on=START,
            ends_on=START,
            pay=None,
            mentor="m",
            supervising_teacher="t",
            required_cover=["personal_accident"],
            actor=enterprise_user(e.id),
        )


def test_intermediary_attempt_is_recorded_as_its_own_record(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    attempt = IntermediaryAttempt.record(
        student=facts(s.id),
        agreement=a,
        kind="post_internship",
        intermediary="某人力资源中介公司",
        actor=school_user(s.id),
    )
    assert attempt.intermediary == "某人力资源中介公司"
    assert type(attempt.pending_events[0]).__name__ == "Recorded"


def test_cohort_policy_lapsing_lapses_for_every_placement(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    cohort = [register(a, facts(s.id), kind="cognitive_internship") for _ in range(30)]
    liability = policy(s.id, "internship_liability", cohort, number="L-cohort")
    accident = policy(s.id, "personal_accident", cohort, date(2025, 1, 1), date(2026, 12, 31), "A")
    liability.cancel(on=date(2025, 5, 1), reason="学校未续保", actor=ADMIN)
    for placement in cohort:
        assert lapses(
            placement.required_cover, [liability, accident], placement.id, START, date(2025, 6, 30)
        ) == [Lapse("internship_liability", date(2025, 5, 1))]


def test_lapse_when_cover_ends_while_running_and_renewal_gap(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    student = facts(s.id)
    placement = ready_post_internship(a, student)
    liability = policy(
        s.id, "internship_liability", [placement], date(2025, 1, 1), date(2025, 4, 30), "L"
    )
    accident = policy(
        s.id, "personal_accident", [placement], date(2025, 1, 1), date(2025, 12, 31), "A"
    )
    placement.start(
        on=START, agreement=a, student=student, policies=[liability, accident], actor=ADMIN
    )
    liability.renew(covers_from=date(2025, 5, 3), covers_until=date(2025, 12, 31), actor=ADMIN)
    # the two days between periods are a lapse, dated the first day without cover
    found = lapses(
        placement.required_cover, [liability, accident], placement.id, START, date(2025, 6, 30)
    )
    assert found == [Lapse("internship_liability", date(2025, 5, 1))]
    assert (
        missing_kinds(
            placement.required_cover, [liability, accident], placement.id, date(2025, 5, 3)
        )
        == []
    )


def test_removing_a_placement_from_a_policy_ends_its_cover(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    one, two = register(a, facts(s.id)), register(a, facts(s.id))
    liability = policy(s.id, "internship_liability", [one, two])
    liability.remove_placements(placement_ids=[two.id], on=date(2025, 4, 1), actor=ADMIN)
    assert liability.covers(one.id, date(2025, 4, 1))
    assert liability.covers(two.id, date(2025, 3, 31)) and not liability.covers(
        two.id, date(2025, 4, 1)
    )


def test_cancelled_policy_accepts_no_changes(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    p = policy(s.id, "personal_accident", [])
    p.cancel(on=date(2025, 2, 1), reason="退保", actor=ADMIN)
    with pytest.raises(PolicyCancelled):
        p.extend(covers_until=date(2026, 1, 1), actor=ADMIN)
    with pytest.raises(PolicyCancelled):
        p.add_placements(placements=[register(a, facts(s.id))], on=date(2025, 2, 1), actor=ADMIN)


def test_policy_extension_must_be_later(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, _ = setting
    p = policy(s.id, "personal_accident", [])
    with pytest.raises(InvalidValue):
        p.extend(covers_until=date(2025, 6, 1), actor=ADMIN)
    p.extend(covers_until=date(2026, 6, 30), actor=ADMIN)
    assert p.in_force_on(date(2026, 6, 30)) and not p.in_force_on(date(2026, 7, 1))


def test_only_the_holder_manages_its_policy(setting) -> None:  # type: ignore[no-untyped-def]
    s, e, _ = setting
    with pytest.raises(NotPermitted):
        InsurancePolicy.register(
            holder_id=s.id,
            kind="work_injury",
            insurer="x",
            policy_number="1",
            covers_from=START,
            covers_until=START,
            actor=enterprise_user(e.id),
        )


def test_lifecycle_suspend_resume_complete(setting) -> None:  # type: ignore[no-untyped-def]
    s, e, a = setting
    student = facts(s.id)
    placement = ready_post_internship(a, student)
    placement.start(
        on=START, agreement=a, student=student, policies=full_cover(a, [placement]), actor=ADMIN
    )
    placement.suspend(on=date(2025, 4, 1), reason="企业停产", actor=enterprise_user(e.id))
    with pytest.raises(InvalidTransition):
        placement.complete(on=date(2025, 4, 2), actor=ADMIN)
    placement.resume(on=date(2025, 4, 15), actor=school_user(s.id))
    placement.complete(on=date(2025, 6, 30), actor=school_user(s.id))
    assert placement.status is PlacementStatus.COMPLETED
    assert not placement.is_running_on(date(2025, 6, 30))


def test_ending_early_needs_a_reason(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    placement = register(a, facts(s.id))
    with pytest.raises(InvalidValue):
        placement.end_early(on=START, reason=" ", actor=ADMIN)
    placement.end_early(on=START, reason="学生退学", actor=ADMIN)
    assert placement.status is PlacementStatus.ENDED_EARLY


def test_working_arrangement_violations_are_recorded_not_refused(setting) -> None:  # type: ignore[no-untyped-def]
    s, e, a = setting
    placement = register(a, facts(s.id))
    placement.record_working_arrangement(
        effective_on=START,
        pay=Decimal("2399"),
        post_wage=Decimal("3000"),
        night_shifts=True,
        overtime=False,
        holiday_work=True,
        actor=enterprise_user(e.id),
    )
    assert placement.working_violations() == ["pay_below_80_percent", "night_shift", "holiday_work"]
    placement.record_working_arrangement(
        effective_on=date(2025, 4, 1),
        pay=Decimal("2400"),
        post_wage=Decimal("3000"),
        night_shifts=False,
        overtime=False,
        holiday_work=False,
        actor=enterprise_user(e.id),
    )
    assert placement.working_violations() == []


def test_fee_charged_to_a_student_is_recorded_in_any_state(setting) -> None:  # type: ignore[no-untyped-def]
    s, _, a = setting
    placement = register(a, facts(s.id))
    placement.end_early(on=START, reason="学生退学", actor=ADMIN)
    # a fee reported after the end is still recorded, whoever reports it
    from domain.actors import Actor, Role

    placement.report_fee(
        amount=Decimal("800"),
        purpose="实习管理费",
        reported_by="学生家长",
        charged_on=date(2025, 3, 5),
        actor=Actor("auditor-1", Role.AUDITOR),
    )
    assert placement.fees[0].amount == Decimal("800")


def test_incidents_and_claims(setting) -> None:  # type: ignore[no-untyped-def]
    s, e, a = setting
    placement = register(a, facts(s.id))
    accident = policy(s.id, "personal_accident", [placement])
    placement.link_policy(policy=accident, actor=ADMIN)
    placement.record_incident(
        occurred_on=date(2025, 4, 2),
        severity="serious",
        description="手部划伤",
        actor=enterprise_user(e.id),
    )
    number = placement.file_claim(
        policy_id=accident.id, filed_on=date(2025, 4, 5), amount=Decimal("5000"), actor=ADMIN
    )
    placement.settle_claim(number=number, outcome="paid", amount_paid=Decimal("4200"), actor=ADMIN)
    assert placement.claims[0].amount_paid == Decimal("4200")
    with pytest.raises(InvalidValue):
        placement.file_claim(
            policy_id=uuid4(), filed_on=date(2025, 4, 5), amount=Decimal(1), actor=ADMIN
        )


def test_cover_requirements_change_only_future_placements() -> None:
    requirements = CoverRequirements.establish(actor=ADMIN)
    assert requirements.required_for("cognitive_internship") == [
        "internship_liability",
        "personal_accident",
    ]
    requirements.set_required(
        placement_kind="cognitive_internship",
        policy_kinds=["internship_liability", "personal_accident", "work_injury"],
        reason="省厅新规",
        actor=ADMIN,
    )
    assert "work_injury" in requirements.required_for("cognitive_internship")
