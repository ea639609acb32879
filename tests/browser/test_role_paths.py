"""One path per role through its main task, in Chromium against the served demo."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from registry.clock import today
from tests.browser.conftest import Served, screenshot, sign_in

pytestmark = pytest.mark.browser


def day(offset: int = 0) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def act(page: Page, action: str, fields: dict[str, str]) -> None:
    """Open one of a record's forms, fill it in and submit it."""
    page.click(f"[data-testid=action-{action}] summary")
    for name, value in fields.items():
        target = page.locator(f"#{action}-{name}")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    page.click(f"[data-testid=submit-{action}]")


def register_policy(page: Page, kind: str, number: str, position: str) -> None:
    """As the school: register a cohort policy and put the placement on it."""
    page.goto("/policies/new")
    page.select_option("#kind", kind)
    page.fill("#insurer", "中国人民财产保险股份有限公司四川省分公司")
    page.fill("#policy_number", number)
    page.fill("#covers_from", day(-5))
    page.fill("#covers_until", day(200))
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("保单已登记")
    page.click("[data-testid=action-cover] summary")
    page.locator("#cover-placements label", has_text=position).locator("input").check()
    page.click("[data-testid=submit-cover]")
    expect(page.get_by_role("status")).to_contain_text("实习已加入保单")


def test_school_starts_a_placement_once_its_cover_is_added(page: Page, served: Served) -> None:
    # construct: the school registers a placement under its internship agreement
    sign_in(page, "school")
    page.goto("/placements/new")
    page.locator("#student").select_option(index=1)
    page.select_option("#agreement", served.placement_agreement)
    page.select_option("#kind", "cognitive_internship")
    page.fill("#position", "仓储物流实习生")
    page.select_option("#workplace_prefecture", "510300")
    page.fill("#starts_on", day())
    page.fill("#ends_on", day(30))
    page.fill("#mentor", "刘师傅")
    page.fill("#supervising_teacher", "赵老师")
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("实习已登记")
    placement = page.url
    # evolve: the cover check shows both kinds missing, and the start is refused
    expect(page.locator("[data-testid=cover-warning]")).to_be_visible()
    act(page, "start", {"on": day()})
    expect(page.locator("[data-testid=error-on]")).to_contain_text("实习实训责任保险")
    screenshot(page, "placement-cover-refused")
    # evolve: two policies are registered and the placement put on each
    register_policy(page, "internship_liability", "PICC-SC-2026-0001", "仓储物流实习生")
    register_policy(page, "personal_accident", "PICC-SC-2026-0002", "仓储物流实习生")
    # query: the check passes and the placement starts
    page.goto(placement)
    expect(page.locator("[data-testid=cover-warning]")).to_have_count(0)
    act(page, "start", {"on": day()})
    expect(page.get_by_role("status")).to_contain_text("实习已开始")
    expect(page.locator("[data-testid=placement-status]")).to_contain_text("进行中")
    screenshot(page, "placement-started")


def test_secretariat_charters_the_group_once_a_school_and_an_enterprise_join(
    page: Page, served: Served
) -> None:
    # construct: the secretariat's start page is its group, lacking both members
    sign_in(page, "secretariat")
    expect(page.locator("[data-testid=record-title]")).to_contain_text("达州能源化工")
    expect(page.locator("[data-testid=step-second_school]")).to_have_class("unmet")
    expect(page.locator("[data-testid=step-enterprise]")).to_have_class("unmet")
    screenshot(page, "secretariat-group")
    # evolve: the second school and the first enterprise are admitted
    act(page, "admit", {"party": served.school_to_admit, "on": day()})
    expect(page.get_by_role("status")).to_contain_text("成员已加入")
    act(page, "admit", {"party": served.enterprise_to_admit, "on": day()})
    expect(page.locator("[data-testid=step-second_school]")).to_have_class("met")
    expect(page.locator("[data-testid=step-enterprise]")).to_have_class("met")
    # query: the group is chartered
    act(page, "charter", {"on": day()})
    expect(page.get_by_role("status")).to_contain_text("集团已组建")
    expect(page.locator("[data-testid=stage]")).to_contain_text("已成立")
    expect(page.locator("[data-testid=step-chartered]")).to_have_class("met")
    screenshot(page, "group-chartered")


def test_auditor_views_the_agreements_as_recorded_by_a_past_date(
    page: Page, served: Served
) -> None:
    # construct: the auditor's start page is the audit trail
    sign_in(page, "auditor")
    expect(page.locator("[data-testid=audit] tbody tr").first).to_be_visible()
    screenshot(page, "auditor-audit")
    # query: today's agreement is listed now ...
    today_agreement = f"a[href='/agreements/{served.placement_agreement}']"
    page.goto("/agreements/?prefecture=510100&mode=internship_base&status=active")
    expect(page.locator(today_agreement)).to_have_count(1)
    # ... and not as recorded by the day before, when the demo's agreements were
    page.fill("#as_of", day(-1))
    page.click("form.filters button[type=submit]")
    expect(page.locator("[data-testid=as-of-banner]")).to_contain_text(day(-1))
    expect(page.locator(today_agreement)).to_have_count(0)
    expect(page.locator("[data-testid=agreements] tbody tr").first).to_be_visible()
    expect(page.locator("#as_of")).to_have_value(day(-1))
    screenshot(page, "auditor-as-of")
    # and before the demo was recorded, nothing
    page.fill("#as_of", (served.demo_recorded_from - timedelta(days=1)).isoformat())
    page.click("form.filters button[type=submit]")
    expect(page.locator("[data-testid=agreements]")).to_have_count(0)


def test_officer_reads_the_prefectures_dashboard_and_findings(page: Page) -> None:
    sign_in(page, "officer")
    expect(page.locator("h1")).to_contain_text("成都市")
    expect(page.locator("[data-testid=indicators] tbody tr")).to_have_count(8)
    expect(page.locator("[data-testid=by-prefecture] tbody tr")).to_have_count(1)
    screenshot(page, "officer-dashboard")
    page.get_by_role("link", name="合规发现").first.click()
    expect(page.locator("main > p.muted").first).to_contain_text("成都市")
    page.select_option("#rule", "teacher_short_of_practice")
    page.click("form.filters button[type=submit]")
    rows = page.locator("[data-testid=findings] tbody tr")
    expect(rows.first).to_be_visible()
    assert all(
        rows.nth(i).get_attribute("data-rule") == "teacher_short_of_practice"
        for i in range(rows.count())
    )
    screenshot(page, "officer-findings")


def test_administrator_reads_the_dashboard_and_registers_a_school(page: Page) -> None:
    sign_in(page, "admin")
    expect(page.locator("[data-testid=indicators] tbody tr")).to_have_count(8)
    for chart in ("indicators", "prefectures", "groups"):
        image = page.locator(f"[data-testid=chart-{chart}]")
        expect(image).to_be_visible()
        assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    screenshot(page, "admin-dashboard")
    # a school registered with a mistyped code: the check character is named
    page.goto("/schools/new")
    code = "12511700MB0000901"
    from domain.uscc import with_check_character

    right = with_check_character(code)
    wrong = right[:17] + ("0" if right[17] != "0" else "1")
    page.fill("#uscc", wrong)
    page.fill("#name", "达州第二技师学院")
    page.select_option("#kind", "technician_college")
    page.select_option("#prefecture", "511700")
    page.fill("#established_on", "2026-09-01")
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.locator("[data-testid=error-uscc]")).to_contain_text(right[17])
    expect(page.locator("#name")).to_have_value("达州第二技师学院")
    page.fill("#uscc", right)
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("学校已登记")
    act(page, "open_major", {"name": "新能源汽车检测与维修", "year": str(today().year)})
    expect(page.locator("[data-testid=majors]")).to_contain_text("新能源汽车检测与维修")


def test_enterprise_records_an_investment_in_its_partnership(page: Page, served: Served) -> None:
    sign_in(page, "enterprise")
    page.goto(f"/agreements/{served.placement_agreement}")
    act(
        page,
        "record_investment",
        {
            "kind": "equipment",
            "amount": "120000",
            "invested_on": day(-10),
            "description": "数控机床2台",
        },
    )
    expect(page.get_by_role("status")).to_contain_text("投入已登记")
    expect(page.locator("[data-testid=investments]")).to_contain_text("¥120,000.00")
    expect(page.locator("[data-testid=timeline] li").last).to_contain_text("陈经理")
    assert re.search(r"数控机床", page.locator("[data-testid=investments]").inner_text())
