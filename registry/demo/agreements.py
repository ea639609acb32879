"""Demo cooperation agreements in every lifecycle state, with investments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from registry.demo.base import (
    FIRST_RECORDS,
    DemoContext,
    DemoEnterprise,
    DemoSchool,
    Story,
    acting_for,
    demo_id,
)
from registry.demo.timeline import Step, step, unless_recorded

# Twelve scenarios; the first two (active) recur more often, as they would in a registry.
SCENARIOS = [
    "active",
    "active_by_school",
    "awaiting_countersign",
    "awaiting_countersign_by_enterprise",
    "declined",
    "amendment_pending",
    "amended",
    "suspended",
    "resumed",
    "terminated",
    "expired",
    "not_yet_started",
    "active",
    "active_by_school",
    "active",
    "active",
]
MODE_SETS = [
    ["internship_base", "order_class"],
    ["co_built_major", "curriculum"],
    ["apprenticeship", "joint_enrollment"],
    ["teacher_practice_station", "training_base_in_enterprise"],
    ["training_base_in_school", "internship_base"],
    ["order_class", "apprenticeship", "teacher_practice_station"],
    ["co_built_major", "internship_base", "teacher_practice_station"],
]
AGREEMENTS = 160
PROPOSED_AHEAD = timedelta(days=60)
ANSWERED_AFTER = timedelta(days=14)
AMENDED_AFTER = timedelta(days=30)
REPORTED_AFTER = timedelta(days=10)


def parties_of(context: DemoContext, number: int) -> tuple[DemoSchool, DemoEnterprise]:
    """The school and enterprise of the demo agreement ``number``."""
    schools = [s for s in context.schools if not s.withdrawn]
    return (
        schools[(number * 5) % len(schools)],
        context.enterprises[(number * 7) % len(context.enterprises)],
    )


def load(context: DemoContext) -> list[Story]:
    stories = []
    for number in range(AGREEMENTS):
        scenario = SCENARIOS[number % len(SCENARIOS)]
        agreement_id = demo_id("agreement", number)
        context.agreements.setdefault(scenario, []).append(agreement_id)
        changes, investments = _steps(context, number, scenario, agreement_id)
        context.settled_on[agreement_id] = max(day for day, _ in changes)
        stories.append(unless_recorded(context.app, agreement_id, changes + investments))
    return stories


def _steps(
    context: DemoContext, number: int, scenario: str, agreement_id: UUID
) -> tuple[list[Step], list[Step]]:
    """The agreement's changes of status and terms, and its investments: proposed two
    months before it starts (five for one starting in 2027), answered two weeks before,
    amended soon after it starts, suspended, resumed or terminated on the dates these take
    effect, investments reported ten days after they are made."""
    app = context.app
    school, enterprise = parties_of(context, number)
    modes = MODE_SETS[number % len(MODE_SETS)]
    majors = [school.majors[-1]] if "co_built_major" in modes else []
    starts_on = date(2019 + number % 6, 1 + number % 12, 1)
    proposed_ahead = PROPOSED_AHEAD
    if scenario == "expired":
        starts_on = date(2019 + number % 2, 3, 1)
    if scenario == "not_yet_started":
        starts_on = date(2027, 3, 1)
        proposed_ahead = timedelta(days=150)
    ends_on = starts_on.replace(year=starts_on.year + 3) - timedelta(days=1)
    by_school = scenario in ("active_by_school", "awaiting_countersign_by_enterprise")
    proposer = acting_for(school.id if by_school else enterprise.id)
    other = acting_for(enterprise.id if by_school else school.id)
    proposed_on = max(
        starts_on - proposed_ahead,
        FIRST_RECORDS,
        context.registered_on[school.id],
        context.registered_on[enterprise.id],
        school.new_major_on if majors and school.new_major_on else FIRST_RECORDS,
    )
    steps = [
        step(
            proposed_on,
            app.propose_agreement,
            agreement_id=agreement_id,
            school_id=school.id,
            enterprise_id=enterprise.id,
            title=f"{school.name}与{enterprise.name[:-4]}校企合作协议",
            modes=modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=majors,
            actor=proposer,
        )
    ]
    investments: list[Step] = []
    if scenario.startswith("awaiting_countersign"):
        return steps, investments
    if scenario == "declined":
        steps.append(
            step(
                proposed_on + ANSWERED_AFTER,
                app.decline_agreement,
                agreement_id,
                reason="合作方向与本校专业设置不符",
                actor=other,
            )
        )
        return steps, investments
    countersigned_on = starts_on - timedelta(days=14)
    answered_on = countersigned_on
    if scenario == "not_yet_started":  # countersigned months ahead, to take effect later
        answered_on = proposed_on + ANSWERED_AFTER
    steps.append(
        step(answered_on, app.countersign_agreement, agreement_id, on=countersigned_on,
             actor=other)
    )  # fmt: skip
    if scenario in ("active", "active_by_school", "resumed") and number % 3 == 0:
        for year in range(starts_on.year, min(ends_on.year, 2025) + 1):
            invested_on = min(max(starts_on, date(year, 6, 30)), ends_on)
            investments.append(
                step(
                    invested_on + REPORTED_AFTER,
                    app.record_investment,
                    agreement_id,
                    kind="equipment" if year % 2 else "money",
                    amount=Decimal(50_000 + 10_000 * (number % 9)) * (1 + year % 3),
                    invested_on=invested_on,
                    description="实训设备捐赠" if year % 2 else "奖学金与实训耗材经费",
                    actor=acting_for(enterprise.id),
                )
            )
    amended_on = starts_on + AMENDED_AFTER
    if scenario == "amendment_pending":
        steps.append(
            step(
                amended_on,
                app.propose_amendment,
                agreement_id,
                modes=[*modes, "curriculum"],
                starts_on=starts_on,
                ends_on=ends_on + timedelta(days=365),
                majors=majors,
                reason="增加共同开发课程并延长一年",
                actor=proposer,
            )
        )
    if scenario == "amended":
        steps.append(
            step(
                amended_on,
                app.propose_amendment,
                agreement_id,
                modes=modes,
                starts_on=starts_on,
                ends_on=ends_on + timedelta(days=730),
                majors=majors,
                reason="合作成效良好，续期两年",
                actor=other,
            )
        )
        steps.append(
            step(amended_on + ANSWERED_AFTER, app.accept_amendment, agreement_id, actor=proposer)
        )
    if scenario in ("suspended", "resumed"):
        suspended_on = starts_on + timedelta(days=200)
        steps.append(
            step(
                suspended_on,
                app.suspend_agreement,
                agreement_id,
                on=suspended_on,
                reason="企业停产整顿",
                actor=acting_for(enterprise.id),
            )
        )
    if scenario == "resumed":
        resumed_on = starts_on + timedelta(days=320)
        steps.append(
            step(resumed_on, app.resume_agreement, agreement_id, on=resumed_on,
                 actor=acting_for(school.id))
        )  # fmt: skip
    if scenario == "terminated":
        terminated_on = starts_on + timedelta(days=400)
        steps.append(
            step(
                terminated_on,
                app.terminate_agreement,
                agreement_id,
                on=terminated_on,
                reason="企业经营范围调整，双方协商提前终止",
                actor=proposer,
            )
        )
    return steps, investments
