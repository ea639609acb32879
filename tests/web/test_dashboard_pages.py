"""Findings by scope and the province dashboard with its charts, through the test client."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import (
    ADMIN_PASSWORD,
    PASSWORD,
    Placed,
    account,
    add_admin,
    location_id,
    post,
    register_placement,
    sign_in,
)


def report_fee(registry: Registry, placed: Placed, client: FlaskClient) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    client.post("/logout", data={})
    registry.report_fee(
        placement,
        amount=Decimal(800),
        purpose="实习管理费",
        reported_by="学生家长",
        charged_on=date.today(),
        actor=Actor("parent-line", Role.SCHOOL_USER, placed.school),
    )


def rules(page: str) -> list[str]:
    return re.findall(r'<tr data-rule="(\w+)">', page)


def test_findings_are_scoped_to_the_users_school_enterprise_or_prefecture(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # construct: a fee charged to a placed student of the school (in 成都市)
    report_fee(registry, placed, client)
    account(registry, "officer", "prefecture_officer", prefecture="510300")
    add_admin(registry)
    # query: the school and the host enterprise see it; another prefecture's officer does not
    sign_in(client, "school", PASSWORD)
    assert "fee_charged_to_student" in rules(client.get("/findings/").get_data(as_text=True))
    client.post("/logout", data={})
    sign_in(client, "enterprise", PASSWORD)
    assert "fee_charged_to_student" in rules(client.get("/findings/").get_data(as_text=True))
    client.post("/logout", data={})
    sign_in(client, "officer", PASSWORD)
    officer = client.get("/findings/?prefecture=510100").get_data(as_text=True)
    assert "fee_charged_to_student" not in rules(officer)
    client.post("/logout", data={})
    sign_in(client, "admin", ADMIN_PASSWORD)
    only = client.get("/findings/?rule=fee_charged_to_student&state=open").get_data(as_text=True)
    assert set(rules(only)) == {"fee_charged_to_student"} and "¥800.00" in only


def test_findings_are_judged_for_the_day_chosen(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    report_fee(registry, placed, client)
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    before = client.get("/findings/?as_of=2020-01-01&rule=fee_charged_to_student")
    assert rules(before.get_data(as_text=True)) == []


def test_the_dashboard_shows_eight_indicators_and_the_groups(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/dashboard/?year={date.today().year}").get_data(as_text=True)
    assert len(re.findall(r'<tr data-indicator="\w+">', page)) == 8
    assert re.search(r'data-testid="value-schools">\s*1\s*<', page)
    assert re.search(r'data-testid="value-technician_colleges">\s*1\s*<', page)
    assert 'data-testid="chart-groups"' in page and 'data-testid="chart-prefectures"' in page


def test_charts_are_svg_with_text_and_the_same_bytes_each_time(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    for name in ("indicators", "prefectures", "groups"):
        first = client.get(f"/dashboard/charts/{name}.svg?year=2025")
        assert first.mimetype == "image/svg+xml"
        assert b"<dc:date>" not in first.data and b"<text" in first.data
        assert "default-src 'none'" in first.headers["Content-Security-Policy"]
    # a fresh process (no remembered answer) draws the same bytes
    from web import reads

    reads._ANSWERS.clear()
    again = client.get("/dashboard/charts/groups.svg?year=2025")
    assert again.data == client.get("/dashboard/charts/groups.svg?year=2025").data
    reads._ANSWERS.clear()
    assert client.get("/dashboard/charts/groups.svg?year=2025").data == again.data


def test_an_officer_sees_the_dashboard_of_their_prefecture_only(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    registry.register_school(
        uscc=uscc("12", 5, "510300"),
        name="自贡技工学校",
        kind="technical_school",
        prefecture="510300",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    account(registry, "officer", "prefecture_officer", prefecture="510300")
    sign_in(client, "officer", PASSWORD)
    page = client.get("/dashboard/?prefecture=510100").get_data(as_text=True)
    assert "自贡市" in page and 'id="prefecture"' not in page
    assert re.search(r'data-testid="value-technician_colleges">\s*0\s*<', page)
    client.post("/logout", data={})
    sign_in(client, "school", PASSWORD)
    assert client.get("/dashboard/").status_code == 403


def test_an_enterprise_home_shows_the_placements_it_hosts_and_its_open_findings(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # construct: a placement at the enterprise, with a fee charged to its student
    report_fee(registry, placed, client)
    # construct: another enterprise, whose home stays empty
    other = registry.register_enterprise(
        uscc=uscc("91", 2),
        name="另一家公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    account(registry, "other", "enterprise_user", party_id=other)
    # query: the host enterprise's home lists both, each leading to its full list
    sign_in(client, "enterprise", PASSWORD)
    home = client.get("/enterprise/").get_data(as_text=True)
    placements = home.split('data-testid="our-placements"')[1].split("</section>")[0]
    findings = home.split('data-testid="our-findings"')[1].split("</section>")[0]
    assert "数控车工" in placements and "成都技师学院" in placements
    assert 'href="/placements/"' in placements
    assert '<li data-rule="fee_charged_to_student">' in findings
    assert 'href="/findings/?state=open"' in findings
    assert "本企业接收的全部 1 项实习与学徒" in placements
    # query: in English, one placement is "the one", not "all 1"
    post(client, "/language", {"language": "en", "next": "/enterprise/"})
    english = client.get("/enterprise/").get_data(as_text=True)
    assert "The one placement we host" in english and "All 1 " not in english
    opened = len(re.findall(r"<li data-rule=", findings))
    assert ("The one open finding" if opened == 1 else f"All {opened} open findings") in english
    post(client, "/language", {"language": "zh_Hans", "next": "/enterprise/"})
    client.post("/logout", data={})
    # query: the other enterprise sees none of them
    sign_in(client, "other", PASSWORD)
    empty = client.get("/enterprise/").get_data(as_text=True)
    assert "数控车工" not in empty and "fee_charged_to_student" not in empty
    assert "本企业尚未接收实习或学徒。" in empty and "没有未关闭的发现。" in empty
