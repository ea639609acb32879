"""Demo industry parks, associations and training groups in every formation stage.

Two groups are formed by the end of 2020 (专栏1 item 8's baseline); by 2025 six count, one
more was dissolved, and three are still in formation, each lacking something different.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from domain.school import SchoolKind
from domain.uscc import party_id_for, with_check_character
from registry.demo.base import FIRST_RECORDS, OPENING_DAY, DemoContext, Story, acting_for, demo_id
from registry.demo.timeline import Step, step, unless_recorded

# (USCC prefix, prefecture, kind, name): parks are run by administrative committees (11),
# associations are social organisations (51)
ORGANISATIONS = [
    ("11", "510100", "industry_park", "成都高新技术产业开发区"),
    ("11", "510600", "industry_park", "德阳经济技术开发区"),
    ("11", "511500", "industry_park", "宜宾临港经济技术开发区"),
    ("11", "510400", "industry_park", "攀枝花钒钛高新技术产业开发区"),
    ("51", "510100", "association", "四川省装备制造业协会"),
    ("51", "510100", "association", "四川省烹饪协会"),
    ("51", "510100", "association", "四川省汽车行业协会"),
]


@dataclass
class GroupPlan:
    name: str
    lead_prefecture: str
    prefectures: list[str]
    industry_focus: str
    proposed_on: date
    schools: int = 0
    enterprises: int = 0
    organisations: list[int] = field(default_factory=list)
    chartered_on: date | None = None
    operating_from: date | None = None
    removal: tuple[date, str] | None = None
    handover_on: date | None = None
    dissolution: tuple[date, str] | None = None


GROUPS = [
    GroupPlan(
        "成都智能制造技师学院集团", "510100", ["510100", "510600", "510700"], "装备制造",
        date(2018, 9, 1), 2, 3, [0, 4], date(2019, 6, 18), date(2019, 9, 1),
    ),
    GroupPlan(
        "川南现代服务业职业培训集团", "510500", ["510500", "511500", "510300", "511000"],
        "现代服务业", date(2020, 3, 1), 3, 2, [2, 5], date(2020, 11, 20), date(2021, 3, 1),
    ),
    GroupPlan(
        "川北汽车产业技师学院集团", "510700", ["510700", "510800", "511300"], "汽车",
        date(2021, 5, 1), 2, 3, [6], date(2022, 4, 15), date(2022, 10, 1),
        removal=(date(2024, 6, 30), "企业转产，退出集团"), handover_on=date(2024, 9, 1),
    ),
    GroupPlan(
        "德阳重装产教融合技师学院集团", "510600", ["510600"], "装备制造",
        date(2022, 9, 1), 1, 2, [1, 4], date(2023, 5, 20), date(2024, 1, 1),
    ),
    GroupPlan(
        "成渝地区电子信息技师学院集团", "510100", ["510100", "512000", "510900"], "电子信息",
        date(2023, 10, 1), 2, 2, [0], date(2024, 6, 1),
    ),
    GroupPlan(
        "攀西钒钛产业职业培训集团", "510400", ["510400", "513400"], "能源化工",
        date(2024, 6, 1), 1, 2, [3], date(2025, 4, 1),
    ),
    GroupPlan(
        "川东北文旅职业培训集团", "511300", ["511300", "511700", "511600"], "文化旅游",
        date(2024, 10, 1), 2,
    ),
    GroupPlan(
        "乐山眉山食品饮料技工教育集团", "511100", ["511100", "511400"], "食品饮料",
        date(2025, 3, 1), 0, 1, [5],
    ),
    GroupPlan("达州能源化工技师学院集团", "511700", ["511700"], "能源化工", date(2025, 9, 1)),
    GroupPlan(
        "遂宁锂电产业技师学院集团", "510900", ["510900", "511000"], "新能源",
        date(2020, 12, 1), 1, 1, [], date(2021, 6, 1),
        dissolution=(date(2023, 12, 31), "成员院校与企业并入川北汽车产业技师学院集团"),
    ),
]  # fmt: skip


def organisation_uscc(serial: int, prefix: str, prefecture: str) -> str:
    return with_check_character(f"{prefix}{prefecture}MC{serial:07d}")


def load(context: DemoContext) -> list[Story]:
    organisations = _organisations(context)
    colleges = _founding_colleges(context)
    leads: dict[str, int] = {}
    stories = [_register_organisations(context, organisations)]
    for number, plan in enumerate(GROUPS):
        group_id = demo_id("group", number)
        lead_id = colleges[plan.lead_prefecture][leads.get(plan.lead_prefecture, 0)]
        leads[plan.lead_prefecture] = leads.get(plan.lead_prefecture, 0) + 1
        members = _member_schools(context, plan, lead_id, colleges)
        members += [
            e.id
            for e in context.enterprises
            if e.prefecture in plan.prefectures or e.industry == plan.industry_focus
        ][: plan.enterprises]
        members += [organisations[i] for i in plan.organisations]
        steps = _group_steps(context, group_id, lead_id, plan, members)
        stories.append(unless_recorded(context.app, group_id, steps))
    return stories


def _organisations(context: DemoContext) -> list[UUID]:
    ids = []
    for serial, (prefix, prefecture, _, _) in enumerate(ORGANISATIONS, start=1):
        ids.append(party_id_for(organisation_uscc(serial, prefix, prefecture)))
        context.registered_on[ids[-1]] = OPENING_DAY
    return ids


def _register_organisations(context: DemoContext, ids: list[UUID]) -> Story:
    yield OPENING_DAY
    for serial, (prefix, prefecture, kind, name) in enumerate(ORGANISATIONS, start=1):
        if context.app.exists(ids[serial - 1]):
            continue
        context.app.register_organisation(
            uscc=organisation_uscc(serial, prefix, prefecture),
            name=name,
            kind=kind,
            prefecture=prefecture,
            actor=acting_for(),
        )


def _founding_colleges(context: DemoContext) -> dict[str, list[UUID]]:
    """Technician colleges that were technician colleges when registered, by prefecture."""
    colleges: dict[str, list[UUID]] = {}
    for school in context.schools:
        if school.first_kind == SchoolKind.TECHNICIAN_COLLEGE.value and not school.withdrawn:
            colleges.setdefault(school.prefecture, []).append(school.id)
    return colleges


def _group_steps(
    context: DemoContext, group_id: UUID, lead_id: UUID, plan: GroupPlan, members: list[UUID]
) -> list[Step]:
    """Proposed, members admitted, chartered and so on, each on the day it takes effect (the
    proposal of a group formed before the registry opened is entered in its first weeks)."""
    app = context.app
    steps = [
        step(
            max(plan.proposed_on, FIRST_RECORDS, context.registered_on[lead_id]),
            app.propose_group,
            group_id=group_id,
            lead_id=lead_id,
            name=plan.name,
            prefectures=plan.prefectures,
            industry_focus=plan.industry_focus,
            proposed_on=plan.proposed_on,
            actor=acting_for(lead_id),
        )
    ]
    secretariat = acting_for(group_id)
    admitted_on = plan.chartered_on or date(plan.proposed_on.year + 1, 1, 15)
    for offset, party_id in enumerate(members, start=1):
        day = min(plan.proposed_on + timedelta(days=7 * offset), admitted_on)
        steps.append(
            step(
                max(day, context.registered_on[party_id]),
                app.admit_to_group,
                group_id,
                party_id=party_id,
                on=day,
                actor=secretariat,
            )
        )
    if plan.chartered_on:
        steps.append(
            step(plan.chartered_on, app.charter_group, group_id, on=plan.chartered_on,
                 actor=secretariat)
        )  # fmt: skip
    if plan.operating_from:
        steps.append(
            step(plan.operating_from, app.declare_group_operating, group_id,
                 on=plan.operating_from, actor=secretariat)
        )  # fmt: skip
    if plan.removal:
        removed_on, reason = plan.removal
        steps.append(
            step(removed_on, app.remove_from_group, group_id, party_id=members[plan.schools],
                 on=removed_on, reason=reason, actor=secretariat)
        )  # fmt: skip
    if plan.handover_on:
        steps.append(
            step(plan.handover_on, app.hand_over_group_lead, group_id, to_id=members[0],
                 on=plan.handover_on, actor=acting_for(lead_id))
        )  # fmt: skip
    if plan.dissolution:
        dissolved_on, reason = plan.dissolution
        steps.append(
            step(dissolved_on, app.dissolve_group, group_id, on=dissolved_on, reason=reason,
                 actor=secretariat)
        )  # fmt: skip
    return steps


def _member_schools(
    context: DemoContext, plan: GroupPlan, lead_id: UUID, colleges: dict[str, list[UUID]]
) -> list[UUID]:
    """Other schools of the group's region; another founding college first if there is one
    (a lead can be handed only to a technician college)."""
    own = [c for c in colleges.get(plan.lead_prefecture, []) if c != lead_id]
    others = [
        s.id
        for s in context.schools
        if s.prefecture in plan.prefectures and not s.withdrawn and s.id != lead_id
    ]
    ordered = own + [s for s in others if s not in own]
    return ordered[: plan.schools]
