"""The dashboard's words and figures read as the plan (专栏1) prints them, and an officer's
dashboard is its prefecture's throughout, through the test client."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.factories import ADMIN, school_user, uscc
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, account, add_admin, sign_in

LAST_YEAR = date.today().year - 1
FIGURES = {
    "enrollment": 4321,
    "students": 12345,
    "senior_students": 5000,
    "graduates": 3000,
    "employed": 2950,
    "training_person_times": 8000,
}


def cell(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</td>', page, re.S)
    assert found, f"no cell {testid}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def school_in(registry: Registry, serial: int, prefecture: str, kind: str) -> UUID:
    return registry.register_school(
        uscc=uscc("12", serial, prefecture),
        name=f"测试学校{serial}",
        kind=kind,
        prefecture=prefecture,
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )


def formed_group(registry: Registry, serial: int, prefecture: str) -> UUID:
    """A group chartered in 2022 whose lead college is in ``prefecture``."""
    lead = school_in(registry, serial, prefecture, "technician_college")
    other = school_in(registry, serial + 1, prefecture, "technical_school")
    enterprise = registry.register_enterprise(
        uscc=uscc("91", serial, prefecture),
        name=f"四川测试有限公司{serial}",
        prefecture=prefecture,
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    group = registry.propose_group(
        lead_id=lead,
        name=f"测试技师学院集团{serial}",
        prefectures=[prefecture],
        industry_focus="装备制造",
        proposed_on=date(2022, 1, 1),
        actor=school_user(lead),
    )
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, group)
    for party in (other, enterprise):
        registry.admit_to_group(group, party_id=party, on=date(2022, 2, 1), actor=secretariat)
    registry.charter_group(group, on=date(2022, 3, 1), actor=secretariat)
    return group


def test_indicators_are_named_and_targeted_as_in_the_plan(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get("/dashboard/").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-indicator="(\w+)">(.*?)</tr>', page, re.S))
    assert (
        "技工院校数（所）" in rows["schools"] and "技师学院数（所）" in rows["technician_colleges"]
    )
    assert "技师学院（职业培训）集团" in rows["training_groups"]
    assert "高级技工学校、技师学院高级工班以上在校生比例（%）" in rows["senior_share"]
    assert cell(page, "target-senior_share") == "≥40"
    assert cell(page, "target-employment_rate") == "≥98"
    assert cell(page, "target-schools") == "120" and cell(page, "baseline-students") == "14.84"
    # the prefecture table's headers use the same names
    table = page.split('data-testid="by-prefecture"')[1].split("</thead>")[0]
    assert "技师学院（职业培训）集团" in table and ">职业培训集团<" not in table


def test_prefecture_figures_are_in_ten_thousands_to_two_decimals(
    client: FlaskClient, registry: Registry
) -> None:
    school = school_in(registry, 1, "510100", "technician_college")
    registry.file_annual_return(
        school_id=school, year=LAST_YEAR, figures=FIGURES, actor=school_user(school)
    )
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/dashboard/?prefecture=510100&year={LAST_YEAR}").get_data(as_text=True)
    assert cell(page, "value-students") == "1.23"  # 12,345 students
    assert cell(page, "value-enrollment") == "0.43"
    assert cell(page, "value-senior_share") == "40.5"
    assert "1.2345" not in page and "0.4321" not in page


def test_the_year_not_yet_ended_is_not_offered_for_review(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/dashboard/?year={date.today().year}").get_data(as_text=True)
    offered = re.findall(
        r'<option value="(\d{4})"', page.split('id="year"')[1].split("</select>")[0]
    )
    assert str(date.today().year) not in offered and offered[0] == str(LAST_YEAR)
    assert f'<option value="{LAST_YEAR}" selected>' in page


def test_a_blank_as_filed_figure_says_why(client: FlaskClient, registry: Registry) -> None:
    school = school_in(registry, 1, "510100", "technician_college")
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    # no return yet: the figures from returns say so; the counts are not filed at all
    page = client.get(f"/dashboard/?year={LAST_YEAR}").get_data(as_text=True)
    assert cell(page, "as-filed-schools") == "无需报送：按登记记录统计"
    assert cell(page, "as-filed-students") == f"尚无{LAST_YEAR}年报表"
    # a return filed after the deadline: nothing was filed by it, and the cell names the day
    registry.set_return_deadline(year=LAST_YEAR, due_on=date(LAST_YEAR + 1, 1, 2), actor=ADMIN)
    registry.file_annual_return(
        school_id=school, year=LAST_YEAR, figures=FIGURES, actor=school_user(school)
    )
    page = client.get(f"/dashboard/?year={LAST_YEAR}").get_data(as_text=True)
    assert cell(page, "as-filed-students") == f"截止日期（{LAST_YEAR + 1}-01-02）前无报送"


def svg_texts(svg: bytes) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode()) if t.strip()]


def test_count_charts_have_whole_number_axes(client: FlaskClient, registry: Registry) -> None:
    school_in(registry, 1, "510100", "technician_college")
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    texts = svg_texts(client.get(f"/dashboard/charts/prefectures.svg?year={LAST_YEAR}").data)
    ticks = [t for t in texts if re.fullmatch(r"[\d.]+", t)]
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks


def test_a_prefecture_dashboard_plots_no_share_of_a_target(
    client: FlaskClient, registry: Registry
) -> None:
    for serial in range(1, 4):
        school_in(registry, serial, "510100", "technician_college")
    account(registry, "officer", "prefecture_officer", prefecture="510100")
    sign_in(client, "officer", PASSWORD)
    texts = svg_texts(client.get(f"/dashboard/charts/indicators.svg?year={LAST_YEAR}").data)
    assert not any("%" in t for t in texts), texts  # 3 colleges against 专栏3's one: not 300%
    assert "3" in texts and all(not re.fullmatch(r"\d+\.\d+", t) for t in texts)


def test_an_officer_sees_the_groups_its_indicator_counts(
    client: FlaskClient, registry: Registry
) -> None:
    formed_group(registry, 1, "510100")
    formed_group(registry, 11, "510300")
    account(registry, "officer", "prefecture_officer", prefecture="510100")
    sign_in(client, "officer", PASSWORD)
    page = client.get(f"/dashboard/?year={LAST_YEAR}").get_data(as_text=True)
    listed = page.split('data-testid="groups"')[1].split("<ol")[1].split("</ol>")[0]
    assert "测试技师学院集团1<" in listed and "测试技师学院集团11" not in listed
    assert cell(page, "value-training_groups") == str(listed.count("<li>")) == "1"
    groups = page.split('data-testid="groups"')[1].split("</p>")[0]
    assert "1 formed" in groups or "已组建1个" in groups
