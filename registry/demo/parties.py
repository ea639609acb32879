"""Demo schools and enterprises in all 21 prefectures.

The 2020 school counts match the plan's baseline (§一: 99 technical schools, of which 21
technician colleges, 16 senior technical schools and 62 technical schools); upgrades and new
schools after 2020 move toward the 2025 targets, leaving 甘孜 without a technician college so
that 专栏3's rule has something to flag.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.prefectures import PREFECTURES
from domain.uscc import party_id_for, with_check_character
from registry.demo.base import (
    OPENING_DAY,
    DemoContext,
    DemoEnterprise,
    DemoSchool,
    Story,
    acting_for,
)
from registry.demo.timeline import step, unless_recorded
from registry.facade import Registry

# prefecture: (technician colleges, senior technical schools, technical schools) in 2020
SCHOOLS_2020: dict[str, tuple[int, int, int]] = {
    "510100": (6, 2, 10),
    "510300": (1, 1, 3),
    "510400": (1, 0, 3),
    "510500": (1, 1, 3),
    "510600": (2, 1, 3),
    "510700": (2, 1, 3),
    "510800": (1, 0, 3),
    "510900": (1, 0, 3),
    "511000": (1, 1, 3),
    "511100": (1, 1, 3),
    "511300": (1, 1, 3),
    "511400": (1, 0, 2),
    "511500": (1, 1, 3),
    "511600": (0, 1, 2),
    "511700": (1, 0, 3),
    "511800": (0, 1, 2),
    "511900": (0, 1, 2),
    "512000": (0, 1, 2),
    "513200": (0, 1, 1),
    "513300": (0, 0, 2),
    "513400": (0, 1, 3),
}
# (prefecture, kind, established_on) of schools founded after 2020
NEW_SCHOOLS = [
    ("510100", "technical_school", date(2021, 9, 1)),
    ("510100", "senior_technical_school", date(2022, 9, 1)),
    ("510100", "technical_school", date(2024, 3, 1)),
    ("510700", "technical_school", date(2022, 3, 1)),
    ("511500", "senior_technical_school", date(2023, 9, 1)),
    ("510600", "technical_school", date(2023, 3, 1)),
    ("511300", "technical_school", date(2024, 9, 1)),
    ("510500", "technical_school", date(2025, 3, 1)),
]
# the first senior technical school of these prefectures becomes a technician college
UPGRADES = {
    "511600": date(2021, 9, 1),
    "511800": date(2022, 9, 1),
    "512000": date(2022, 9, 1),
    "510100": date(2023, 9, 1),
    "513400": date(2023, 9, 1),
    "511900": date(2024, 9, 1),
    "513200": date(2024, 9, 1),
}
WITHDRAWN = ("511000", date(2023, 6, 30), "并入内江技师学院（学校合并）")
NEW_MAJORS_ON = date(2023, 3, 1)
DECERTIFIED_ON = date(2024, 12, 31)

KIND_NAMES = {
    "technician_college": "技师学院",
    "senior_technical_school": "高级技工学校",
    "technical_school": "技工学校",
}
ORDINALS = ["", *(f"第{n}" for n in "二三四五六七八九十"), *(f"第十{n}" for n in "一二三四五")]
MAJORS = [
    "数控加工",
    "汽车维修",
    "电气自动化设备安装与维修",
    "计算机网络应用",
    "电子商务",
    "中式烹调",
    "酒店管理",
    "建筑施工",
    "护理",
    "焊接加工",
    "模具制造",
    "物流服务与管理",
]
NEW_MAJORS = ["工业机器人应用与维护", "新能源汽车检测与维修", "智能制造技术应用"]
INDUSTRIES = [
    "装备制造",
    "电子信息",
    "汽车",
    "食品饮料",
    "能源化工",
    "建筑",
    "现代物流",
    "数字经济",
    "医药健康",
    "文化旅游",
]
BRANDS = ["蜀兴", "天府", "锦江", "岷山", "川创", "峨眉", "嘉陵", "巴蜀", "雪域", "安宁"]
OWNERSHIP = ["private", "state_owned", "private", "mixed", "private", "foreign"]


def short_name(prefecture: str) -> str:
    name = PREFECTURES[prefecture]
    for suffix in ("藏族羌族自治州", "藏族自治州", "彝族自治州", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def school_uscc(serial: int, prefecture: str) -> str:
    prefix = "52" if serial % 7 == 0 else "12"
    return with_check_character(f"{prefix}{prefecture}MB{serial:07d}")


def enterprise_uscc(serial: int, prefecture: str) -> str:
    return with_check_character(f"91{prefecture}MA{serial:07d}")


def _school_plan() -> list[tuple[str, str, date]]:
    plan: list[tuple[str, str, date]] = []
    serial = 0
    for prefecture, counts in SCHOOLS_2020.items():
        for kind, count in zip(KIND_NAMES, counts, strict=True):
            for _ in range(count):
                serial += 1
                plan.append((prefecture, kind, date(1985 + serial % 35, 1 + serial % 12, 1)))
    return plan + NEW_SCHOOLS


def load(context: DemoContext) -> list[Story]:
    return [*_schools(context), *_enterprises(context)]


def _schools(context: DemoContext) -> list[Story]:
    """Schools of the time are entered in the registry's first week, later ones when founded;
    upgrades, new majors and the withdrawal on their dates."""
    rng = context.rng
    seen: dict[tuple[str, str], int] = {}
    stories = []
    for serial, (prefecture, kind, established_on) in enumerate(_school_plan(), start=1):
        ordinal = seen.get((prefecture, kind), 0)
        seen[(prefecture, kind)] = ordinal + 1
        name = f"{short_name(prefecture)}{ORDINALS[ordinal]}{KIND_NAMES[kind]}"
        uscc = school_uscc(serial, prefecture)
        majors = rng.sample(MAJORS, 3)
        opened = [max(rng.randint(2008, 2019), established_on.year) for _ in majors]
        upgraded_on = None
        if kind == "senior_technical_school" and ordinal == 0 and prefecture in UPGRADES:
            upgraded_on = UPGRADES[prefecture]
        current_kind = "technician_college" if upgraded_on else kind
        new_major = None
        if current_kind == "technician_college" and serial % 3 == 0:
            new_major = NEW_MAJORS[serial % len(NEW_MAJORS)]
        all_majors = [*majors, new_major] if new_major else majors
        withdrawn = (prefecture, kind, ordinal) == (WITHDRAWN[0], "technical_school", 1)
        school = DemoSchool(
            party_id_for(uscc),
            name,
            current_kind,
            prefecture,
            all_majors,
            withdrawn,
            first_kind=kind,
            established_on=established_on,
            upgraded_on=upgraded_on,
            new_major_on=max(upgraded_on or NEW_MAJORS_ON, NEW_MAJORS_ON) if new_major else None,
            withdrawn_on=WITHDRAWN[1] if withdrawn else None,
        )
        context.schools.append(school)
        registered_on = max(established_on, OPENING_DAY + timedelta(days=serial // 25))
        context.registered_on[school.id] = registered_on
        app, admin = context.app, acting_for()
        steps = [
            step(
                registered_on,
                _register_school,
                app,
                school,
                uscc,
                list(zip(majors, opened, strict=True)),
            )
        ]
        if upgraded_on:
            steps.append(
                step(
                    upgraded_on,
                    app.upgrade_school,
                    school.id,
                    to_kind=current_kind,
                    on=upgraded_on,
                    actor=admin,
                )
            )
        if school.new_major_on and new_major:
            steps.append(
                step(
                    school.new_major_on,
                    app.open_major,
                    school.id,
                    name=new_major,
                    year=2023,
                    actor=admin,
                )
            )
        if withdrawn:
            steps.append(
                step(
                    WITHDRAWN[1],
                    app.withdraw_school,
                    school.id,
                    on=WITHDRAWN[1],
                    reason=WITHDRAWN[2],
                    actor=admin,
                )
            )
        stories.append(unless_recorded(app, school.id, steps))
    return stories


def _register_school(
    app: Registry, school: DemoSchool, uscc: str, majors: list[tuple[str, int]]
) -> None:
    admin = acting_for()
    app.register_school(
        uscc=uscc,
        name=school.name,
        kind=school.first_kind,
        prefecture=school.prefecture,
        established_on=school.established_on,
        actor=admin,
    )
    for major, year in majors:
        app.open_major(school.id, name=major, year=year, actor=admin)


def _enterprises(context: DemoContext) -> list[Story]:
    app = context.app
    prefectures = list(PREFECTURES)
    stories = []
    for serial in range(1, 81):
        prefecture = "510100" if serial % 3 == 0 else prefectures[serial % len(prefectures)]
        industry = INDUSTRIES[serial % len(INDUSTRIES)]
        brand = BRANDS[serial % len(BRANDS)]
        name = f"四川{short_name(prefecture)}{brand}{industry}有限公司（{serial:02d}）"
        uscc = enterprise_uscc(serial, prefecture)
        enterprise_id = party_id_for(uscc)
        above = serial % 5 != 0
        context.enterprises.append(DemoEnterprise(enterprise_id, name, prefecture, industry, above))
        registered_on = OPENING_DAY + timedelta(days=serial // 20)
        context.registered_on[enterprise_id] = registered_on
        admin = acting_for()
        steps = [
            step(
                registered_on,
                app.register_enterprise,
                uscc=uscc,
                name=name,
                prefecture=prefecture,
                industry=industry,
                above_designated_size=above,
                ownership=OWNERSHIP[serial % len(OWNERSHIP)],
                actor=admin,
            )
        ]
        if serial % 7 == 0:
            certified_on = date(2021 + serial % 3, 6, 1)
            steps.append(
                step(
                    certified_on,
                    app.certify_enterprise,
                    enterprise_id,
                    on=certified_on,
                    actor=admin,
                )
            )
        if serial == 14:
            steps.append(
                step(
                    DECERTIFIED_ON,
                    app.decertify_enterprise,
                    enterprise_id,
                    on=DECERTIFIED_ON,
                    reason="年度复核未通过",
                    actor=admin,
                )
            )
        stories.append(unless_recorded(app, enterprise_id, steps))
    return stories
