"""Demo cooperation agreements in every lifecycle state, with investments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from registry.demo.base import DemoContext, DemoEnterprise, DemoSchool, acting_for, demo_id

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


def parties_of(context: DemoContext, number: int) -> tuple[DemoSchool, DemoEnterprise]:
    """The school and enterprise of the demo agreement ``number``."""
    schools = [s for s in context.schools if not s.withdrawn]
    return (
        schools[(number * 5) % len(schools)],
        context.enterprises[(number * 7) % len(context.enterprises)],
    )


def load(context: DemoContext) -> None:
    app = context.app
    for number in range(AGREEMENTS):
        scenario = SCENARIOS[number % len(SCENARIOS)]
        school, enterprise = parties_of(context, number)
        modes = MODE_SETS[number % len(MODE_SETS)]
        majors = [school.majors[-1]] if "co_built_major" in modes else []
        starts_on = date(2019 + number % 6, 1 + number % 12, 1)
        if scenario == "expired":
            starts_on = date(2019 + number % 2, 3, 1)
        if scenario == "not_yet_started":
            starts_on = date(2027, 3, 1)
        ends_on = starts_on.replace(year=starts_on.year + 3) - timedelta(days=1)
        agreement_id = demo_id("agreement", number)
        context.agreements.setdefault(scenario, []).append(agreement_id)
        if app.exists(agreement_id):
            continue
        by_school = scenario in ("active_by_school", "awaiting_countersign_by_enterprise")
        proposer = acting_for(school.id if by_school else enterprise.id)
        other = acting_for(enterprise.id if by_school else school.id)
        app.propose_agreement(
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
        if scenario.startswith("awaiting_countersign"):
            continue
        if scenario == "declined":
            app.decline_agreement(agreement_id, reason="合作方向与本校专业设置不符", actor=other)
            continue
        app.countersign_agreement(agreement_id, on=starts_on - timedelta(days=14), actor=other)
        if scenario in ("active", "active_by_school", "resumed") and number % 3 == 0:
            for year in range(starts_on.year, min(ends_on.year, 2025) + 1):
                app.record_investment(
                    agreement_id,
                    kind="equipment" if year % 2 else "money",
                    amount=Decimal(50_000 + 10_000 * (number % 9)) * (1 + year % 3),
                    invested_on=min(max(starts_on, date(year, 6, 30)), ends_on),
                    description="实训设备捐赠" if year % 2 else "奖学金与实训耗材经费",
                    actor=acting_for(enterprise.id),
                )
        if scenario == "amendment_pending":
            app.propose_amendment(
                agreement_id,
                modes=[*modes, "curriculum"],
                starts_on=starts_on,
                ends_on=ends_on + timedelta(days=365),
                majors=majors,
                reason="增加共同开发课程并延长一年",
                actor=proposer,
            )
        if scenario == "amended":
            app.propose_amendment(
                agreement_id,
                modes=modes,
                starts_on=starts_on,
                ends_on=ends_on + timedelta(days=730),
                majors=majors,
                reason="合作成效良好，续期两年",
                actor=other,
            )
            app.accept_amendment(agreement_id, actor=proposer)
        if scenario in ("suspended", "resumed"):
            app.suspend_agreement(
                agreement_id,
                on=starts_on + timedelta(days=200),
                reason="企业停产整顿",
                actor=acting_for(enterprise.id),
            )
        if scenario == "resumed":
            app.resume_agreement(
                agreement_id, on=starts_on + timedelta(days=320), actor=acting_for(school.id)
            )
        if scenario == "terminated":
            app.terminate_agreement(
                agreement_id,
                on=starts_on + timedelta(days=400),
                reason="企业经营范围调整，双方协商提前终止",
                actor=proposer,
            )
