"""Demo placements and insurance in every state.

Each school with an agreement in force from spring 2025 to autumn 2026 insures its placed
students with two cohort policies. Placements run through the lifecycle; the first school's
accident cover is cancelled mid-way (a lapse for all its running placements), a fee is
reported, a post internship runs past 6 months without an exception (an overrun), one start
waits for missing cover, and one placement through an intermediary agency is recorded and
refused. The school whose cover lapsed then proposes to renew its partnership with the
enterprise hosting those students, and the proposal awaits the enterprise's countersignature:
the demo enterprise account acts for that enterprise (registry/demo/accounts.py), so it finds
a proposal to answer, placements it hosts and open findings about them.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.agreement import CooperationAgreement, Mode
from domain.enterprise import Enterprise
from domain.insurance import InsurancePolicy
from domain.placement import PLACEMENT_MODES, IntermediaryRefused
from registry.demo.agreements import AGREEMENTS
from registry.demo.base import DemoContext, DemoStudent, Story, acting_for, demo_id
from registry.demo.timeline import Step, in_date_order, step
from registry.facade import Registry

WINDOW = (date(2025, 3, 1), date(2026, 8, 31))
AGREEMENT_SCENARIOS = ("active", "active_by_school", "amended", "resumed")
SCENARIOS = [
    "completed",
    "running",
    "overrun",
    "ended_early",
    "suspended",
    "awaiting_cover",
    "apprenticeship",
    "fee_reported",
    "intermediary",
]
INSURER = "中国人民财产保险股份有限公司四川省分公司"
INJURY_INSURER = "四川省工伤保险经办机构"
LAPSE_ON = date(2025, 11, 1)
PLANNED_ON = date(2025, 2, 10)
REGISTERED_AHEAD = timedelta(days=14)
RENEWAL_AFTER = timedelta(days=10)
RENEWAL = demo_id("agreement", AGREEMENTS)
"""The renewal the lapsed school proposes to its students' host (after the 160 agreements)."""


def load(context: DemoContext) -> list[Story]:
    return [_placements_story(context)]


def _placements_story(context: DemoContext) -> Story:
    """Planned in February 2025 from the agreements then in force; each step is then taken on
    the day it takes effect (a placement is registered two weeks before it starts)."""
    yield PLANNED_ON
    app = context.app
    by_school: dict[UUID, list[DemoStudent]] = {}
    for student in context.students:
        if not student.forgotten and student.entry_year <= 2023:
            by_school.setdefault(student.school_id, []).append(student)
    placed = 0
    lapsed = False
    steps: list[Step] = []
    candidates = [a for s in AGREEMENT_SCENARIOS for a in context.agreements.get(s, [])]
    for agreement_id in candidates:
        if not app.exists(agreement_id):
            continue  # proposed later, with a school founded since
        agreement = app.get(CooperationAgreement, agreement_id)
        if agreement.school_id not in by_school:
            continue
        if not PLACEMENT_MODES.intersection(agreement.terms.modes):
            continue
        if not (agreement.terms.starts_on <= WINDOW[0] and agreement.terms.ends_on >= WINDOW[1]):
            continue
        policies = _cohort_policies(context, agreement.school_id, steps)
        scenarios = []
        for student in by_school.pop(agreement.school_id):
            scenarios.append(SCENARIOS[placed % len(SCENARIOS)])
            steps.extend(_place(context, agreement, student, scenarios[-1], policies))
            placed += 1
        if not lapsed and "running" in scenarios:
            lapsed = True
            accident = policies[1]
            if not app.exists(accident) or app.get(InsurancePolicy, accident).cancelled_on is None:
                steps.append(
                    step(
                        LAPSE_ON,
                        app.cancel_policy,
                        accident,
                        on=LAPSE_ON,
                        reason="保费未续缴，保险公司解除合同",
                        actor=acting_for(agreement.school_id),
                    )
                )
            steps.append(step(LAPSE_ON + RENEWAL_AFTER, _propose_renewal, context, agreement))
    yield from in_date_order(steps)


def _propose_renewal(context: DemoContext, agreement: CooperationAgreement) -> None:
    """The school proposes the partnership's next three years; the enterprise has yet to answer."""
    app = context.app
    if app.exists(RENEWAL):
        return
    starts_on = agreement.terms.ends_on + timedelta(days=1)
    app.propose_agreement(
        agreement_id=RENEWAL,
        school_id=agreement.school_id,
        enterprise_id=agreement.enterprise_id,
        title=f"{agreement.title}（续签）",
        modes=[mode.value for mode in agreement.terms.modes],
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + 3) - timedelta(days=1),
        majors=list(agreement.terms.majors),
        actor=acting_for(agreement.school_id),
        renews=agreement.id,
    )


def _cohort_policies(context: DemoContext, school_id: UUID, steps: list[Step]) -> list[UUID]:
    """A liability and an accident policy held by the school for its whole cohort."""
    app, ids = context.app, []
    for kind, prefix in (("internship_liability", "ZR"), ("personal_accident", "YW")):
        number = f"{prefix}2025{str(school_id)[:8].upper()}"
        policy_id = InsurancePolicy.create_id(INSURER, number)
        if not app.exists(policy_id):
            steps.append(
                step(
                    PLANNED_ON,
                    app.register_policy,
                    holder_id=school_id,
                    kind=kind,
                    insurer=INSURER,
                    policy_number=number,
                    covers_from=date(2025, 1, 1),
                    covers_until=date(2026, 12, 31),
                    actor=acting_for(school_id),
                )
            )
        ids.append(policy_id)
    return ids


def _place(
    context: DemoContext,
    agreement: CooperationAgreement,
    student: DemoStudent,
    scenario: str,
    policies: list[UUID],
) -> list[Step]:
    app = context.app
    placement_id = demo_id("placement", student.id)
    if app.exists(placement_id):
        return []
    school, host = acting_for(agreement.school_id), acting_for(agreement.enterprise_id)
    apprenticeship = scenario == "apprenticeship" and Mode.APPRENTICESHIP in agreement.terms.modes
    kind = "apprenticeship" if apprenticeship else "post_internship"
    starts_on, ends_on = date(2025, 3, 1), date(2025, 8, 31)
    if scenario == "overrun":
        starts_on, ends_on = date(2025, 9, 1), date(2026, 2, 28)
    if apprenticeship:
        ends_on = date(2026, 8, 31)
    details: dict[str, Any] = {
        "student_id": student.id,
        "agreement_id": agreement.id,
        "kind": kind,
        "position": "机电维修学徒" if apprenticeship else "数控车床操作",
        "workplace_prefecture": app.get(Enterprise, agreement.enterprise_id).prefecture,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "pay": Decimal("3200"),
        "mentor": "E-0101",
        "supervising_teacher": "T-0201",
        "actor": school,
        "placement_id": placement_id,
    }
    registered_on = starts_on - REGISTERED_AHEAD
    if scenario == "intermediary":
        return [step(registered_on, _attempt_through_intermediary, app, details)]
    steps = [step(registered_on, app.register_placement, **details)]
    if scenario == "awaiting_cover":
        return steps
    steps.append(
        step(starts_on, app.record_tripartite_agreement, placement_id, signed_on=starts_on,
             actor=school)
    )  # fmt: skip
    for policy_id in policies:
        steps.append(
            step(starts_on, app.cover_placements, policy_id, placement_ids=[placement_id],
                 on=starts_on, actor=school)
        )  # fmt: skip
    if apprenticeship:
        number = f"GS{str(placement_id)[:8].upper()}"
        injury = InsurancePolicy.create_id(INJURY_INSURER, number)
        steps.append(
            step(starts_on, app.register_policy, holder_id=agreement.enterprise_id,
                 kind="work_injury", insurer=INJURY_INSURER, policy_number=number,
                 covers_from=starts_on, covers_until=ends_on, actor=host)
        )  # fmt: skip
        steps.append(
            step(starts_on, app.cover_placements, injury, placement_ids=[placement_id],
                 on=starts_on, actor=host)
        )  # fmt: skip
    steps.append(step(starts_on, app.start_placement, placement_id, on=starts_on, actor=school))
    steps.append(
        step(
            starts_on,
            app.record_working_arrangement,
            placement_id,
            effective_on=starts_on,
            pay=Decimal("2100") if scenario == "fee_reported" else Decimal("3200"),
            post_wage=Decimal("3600"),
            overtime=scenario == "fee_reported",
            actor=host,
        )
    )
    return steps + _outcome(context, placement_id, scenario, ends_on, school, host)


def _outcome(
    context: DemoContext,
    placement_id: UUID,
    scenario: str,
    ends_on: date,
    school: Actor,
    host: Actor,
) -> list[Step]:
    """How a started placement goes on: completed, ended early, suspended, or a fee reported
    by a parent and an incident recorded the next day."""
    app = context.app
    if scenario == "completed":
        return [step(ends_on, app.complete_placement, placement_id, on=ends_on, actor=school)]
    if scenario == "ended_early":
        ended_on = date(2025, 5, 20)
        return [
            step(ended_on, app.end_placement_early, placement_id, on=ended_on,
                 reason="学生因病休学", actor=school)
        ]  # fmt: skip
    if scenario == "suspended":
        suspended_on = date(2025, 6, 1)
        return [
            step(suspended_on, app.suspend_placement, placement_id, on=suspended_on,
                 reason="企业设备检修停工", actor=host)
        ]  # fmt: skip
    if scenario == "fee_reported":
        charged_on, occurred_on = date(2025, 3, 10), date(2025, 4, 18)
        return [
            step(
                charged_on + timedelta(days=10),
                app.report_fee,
                placement_id,
                amount=Decimal("800"),
                purpose="实习管理费",
                reported_by="学生家长来电反映",
                charged_on=charged_on,
                actor=acting_for(),
            ),
            step(
                occurred_on + timedelta(days=1),
                app.record_incident,
                placement_id,
                occurred_on=occurred_on,
                severity="minor",
                description="操作中手部轻微划伤，已就医",
                actor=host,
            ),
        ]
    return []


def _attempt_through_intermediary(app: Registry, details: dict[str, Any]) -> None:
    """Recorded as an attempt and refused (an agency may not place students)."""
    with contextlib.suppress(IntermediaryRefused):
        app.register_placement(**details, intermediary="某人力资源服务（劳务派遣）公司")
