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

from domain.agreement import CooperationAgreement, Mode
from domain.enterprise import Enterprise
from domain.insurance import InsurancePolicy
from domain.placement import PLACEMENT_MODES, IntermediaryRefused
from registry.demo.agreements import AGREEMENTS
from registry.demo.base import DemoContext, DemoStudent, acting_for, demo_id

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
LAPSE_ON = date(2025, 11, 1)
RENEWAL = demo_id("agreement", AGREEMENTS)
"""The renewal the lapsed school proposes to its students' host (after the 160 agreements)."""


def load(context: DemoContext) -> None:
    app = context.app
    by_school: dict[UUID, list[DemoStudent]] = {}
    for student in context.students:
        if not student.forgotten and student.entry_year <= 2023:
            by_school.setdefault(student.school_id, []).append(student)
    placed = 0
    lapsed = False
    candidates = [a for s in AGREEMENT_SCENARIOS for a in context.agreements.get(s, [])]
    for agreement_id in candidates:
        agreement = app.get(CooperationAgreement, agreement_id)
        if agreement.school_id not in by_school:
            continue
        if not PLACEMENT_MODES.intersection(agreement.terms.modes):
            continue
        if not (agreement.terms.starts_on <= WINDOW[0] and agreement.terms.ends_on >= WINDOW[1]):
            continue
        policies = _cohort_policies(context, agreement.school_id)
        scenarios = []
        for student in by_school.pop(agreement.school_id):
            scenarios.append(SCENARIOS[placed % len(SCENARIOS)])
            _place(context, agreement, student, scenarios[-1], policies)
            placed += 1
        if not lapsed and "running" in scenarios:
            lapsed = True
            accident = app.get(InsurancePolicy, policies[1])
            if accident.cancelled_on is None:
                app.cancel_policy(
                    accident.id,
                    on=LAPSE_ON,
                    reason="保费未续缴，保险公司解除合同",
                    actor=acting_for(agreement.school_id),
                )
            _propose_renewal(context, agreement)


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


def _cohort_policies(context: DemoContext, school_id: UUID) -> list[UUID]:
    """A liability and an accident policy held by the school for its whole cohort."""
    app, ids = context.app, []
    for kind, prefix in (("internship_liability", "ZR"), ("personal_accident", "YW")):
        number = f"{prefix}2025{str(school_id)[:8].upper()}"
        policy_id = InsurancePolicy.create_id(INSURER, number)
        if not app.exists(policy_id):
            app.register_policy(
                holder_id=school_id,
                kind=kind,
                insurer=INSURER,
                policy_number=number,
                covers_from=date(2025, 1, 1),
                covers_until=date(2026, 12, 31),
                actor=acting_for(school_id),
            )
        ids.append(policy_id)
    return ids


def _place(
    context: DemoContext,
    agreement: CooperationAgreement,
    student: DemoStudent,
    scenario: str,
    policies: list[UUID],
) -> None:
    app = context.app
    placement_id = demo_id("placement", student.id)
    if app.exists(placement_id):
        return
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
    if scenario == "intermediary":
        with contextlib.suppress(IntermediaryRefused):
            app.register_placement(**details, intermediary="某人力资源服务（劳务派遣）公司")
        return
    app.register_placement(**details)
    if scenario == "awaiting_cover":
        return
    app.record_tripartite_agreement(placement_id, signed_on=starts_on, actor=school)
    for policy_id in policies:
        app.cover_placements(policy_id, placement_ids=[placement_id], on=starts_on, actor=school)
    if apprenticeship:
        injury = app.register_policy(
            holder_id=agreement.enterprise_id,
            kind="work_injury",
            insurer="四川省工伤保险经办机构",
            policy_number=f"GS{str(placement_id)[:8].upper()}",
            covers_from=starts_on,
            covers_until=ends_on,
            actor=host,
        )
        app.cover_placements(injury, placement_ids=[placement_id], on=starts_on, actor=host)
    app.start_placement(placement_id, on=starts_on, actor=school)
    app.record_working_arrangement(
        placement_id,
        effective_on=starts_on,
        pay=Decimal("2100") if scenario == "fee_reported" else Decimal("3200"),
        post_wage=Decimal("3600"),
        overtime=scenario == "fee_reported",
        actor=host,
    )
    if scenario == "completed":
        app.complete_placement(placement_id, on=ends_on, actor=school)
    elif scenario == "ended_early":
        app.end_placement_early(
            placement_id, on=date(2025, 5, 20), reason="学生因病休学", actor=school
        )
    elif scenario == "suspended":
        app.suspend_placement(
            placement_id, on=date(2025, 6, 1), reason="企业设备检修停工", actor=host
        )
    elif scenario == "fee_reported":
        app.report_fee(
            placement_id,
            amount=Decimal("800"),
            purpose="实习管理费",
            reported_by="学生家长来电反映",
            charged_on=date(2025, 3, 10),
            actor=acting_for(),
        )
        app.record_incident(
            placement_id,
            occurred_on=date(2025, 4, 18),
            severity="minor",
            description="操作中手部轻微划伤，已就医",
            actor=host,
        )
