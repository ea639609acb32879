"""Demo schools and enterprises in all 21 prefectures.

The 2020 school counts match the plan's baseline (§一: 99 technical schools, of which 21
technician colleges, 16 senior technical schools and 62 technical schools); upgrades and new
schools after 2020 move toward the 2025 targets, leaving 甘孜 without a technician college so
that 专栏3's rule has something to flag.
"""

from __future__ import annotations

from datetime import date

from domain.prefectures import PREFECTURES
from domain.uscc import party_id_for, with_check_character
from registry.demo.base import DemoContext, DemoEnterprise, DemoSchool, acting_for

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


def load(context: DemoContext) -> None:
    _load_schools(context)
    _load_enterprises(context)


def _load_schools(context: DemoContext) -> None:
    app, rng = context.app, context.rng
    seen: dict[tuple[str, str], int] = {}
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
            party_id_for(uscc), name, current_kind, prefecture, all_majors, withdrawn
        )
        context.schools.append(school)
        if app.exists(school.id):
            continue
        admin = acting_for()
        app.register_school(
            uscc=uscc,
            name=name,
            kind=kind,
            prefecture=prefecture,
            established_on=established_on,
            actor=admin,
        )
        for major, year in zip(majors, opened, strict=True):
            app.open_major(school.id, name=major, year=year, actor=admin)
        if upgraded_on:
            app.upgrade_school(school.id, to_kind=current_kind, on=upgraded_on, actor=admin)
        if new_major:
            app.open_major(school.id, name=new_major, year=2023, actor=admin)
        if withdrawn:
            app.withdraw_school(school.id, on=WITHDRAWN[1], reason=WITHDRAWN[2], actor=admin)


def _load_enterprises(context: DemoContext) -> None:
    app = context.app
    prefectures = list(PREFECTURES)
    for serial in range(1, 81):
        prefecture = "510100" if serial % 3 == 0 else prefectures[serial % len(prefectures)]
        industry = INDUSTRIES[serial % len(INDUSTRIES)]
        brand = BRANDS[serial % len(BRANDS)]
        name = f"四川{short_name(prefecture)}{brand}{industry}有限公司（{serial:02d}）"
        uscc = enterprise_uscc(serial, prefecture)
        enterprise_id = party_id_for(uscc)
        above = serial % 5 != 0
        context.enterprises.append(DemoEnterprise(enterprise_id, name, prefecture, industry, above))
        if app.exists(enterprise_id):
            continue
        admin = acting_for()
        app.register_enterprise(
            uscc=uscc,
            name=name,
            prefecture=prefecture,
            industry=industry,
            above_designated_size=above,
            ownership=OWNERSHIP[serial % len(OWNERSHIP)],
            actor=admin,
        )
        if serial % 7 == 0:
            app.certify_enterprise(enterprise_id, on=date(2021 + serial % 3, 6, 1), actor=admin)
        if serial == 14:
            app.decertify_enterprise(
                enterprise_id, on=date(2024, 12, 31), reason="年度复核未通过", actor=admin
            )
