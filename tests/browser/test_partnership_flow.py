"""The partnership flow in Chromium: an enterprise registers, the school countersigns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def register_partnership(page: Page, school: str) -> str:
    """As the signed-in enterprise user, propose an agreement; return its page's path."""
    page.goto("/enterprise/partnerships/new")
    page.select_option("#prefecture", "510100")
    page.fill("#q", school)
    page.click("form.filters button[type=submit]")
    expect(page.locator("[data-testid=schools] tbody tr")).to_have_count(1)
    screenshot(page, "school-picker")
    page.locator("[data-testid=schools] tbody tr").first.get_by_role("link").click()
    expect(page.locator("[data-testid=chosen-school]")).to_contain_text(school)
    page.get_by_label("订单班/冠名班").check()
    page.get_by_label("企业新型学徒制").check()
    page.fill("#starts_on", "2026-09-01")
    page.fill("#ends_on", "2029-08-31")
    page.fill("#planned_investment", "300000")
    screenshot(page, "register-partnership")
    page.click("form.stacked button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("已登记")
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_enterprise_registers_and_school_countersigns(page: Page) -> None:
    # construct: the demo school user's school (in 成都), then the enterprise user's home
    sign_in(page, "school")
    school = page.locator("[data-testid=party-name]").inner_text()
    page.context.clear_cookies()
    sign_in(page, "enterprise")
    expect(page.locator("[data-testid=party-name]")).to_be_visible()
    screenshot(page, "enterprise-home")
    # evolve: it registers a partnership with the demo school through the form
    agreement = register_partnership(page, school)
    expect(page.locator("[data-testid=agreement-modes]")).to_contain_text("订单班/冠名班")
    # evolve: the school user finds it in the inbox and countersigns
    page.context.clear_cookies()
    sign_in(page, "school")
    expect(page.locator(f"[data-testid=proposals] a[href='{agreement}']")).to_be_visible()
    screenshot(page, "school-inbox")
    page.goto(agreement)
    page.click("[data-testid=countersign]")
    # a second step shows what will be recorded before it is
    expect(page.locator("[data-testid=confirm-event]")).to_contain_text("已会签")
    page.click("[data-testid=confirm]")
    expect(page.get_by_role("status")).to_contain_text("已会签")
    # query: the agreement page shows both events with their actors
    timeline = page.locator("[data-testid=timeline] li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("已提议")
    expect(timeline.nth(0)).to_contain_text("陈经理")
    expect(timeline.nth(1)).to_contain_text("计划投入")
    expect(timeline.nth(2)).to_contain_text("已会签")
    expect(timeline.nth(2)).to_contain_text("赵老师")
    screenshot(page, "agreement")


def test_enterprise_cannot_open_another_enterprises_agreement(page: Page) -> None:
    # construct: the school user lists its agreements with other enterprises
    sign_in(page, "enterprise")
    ours = page.locator("[data-testid=party-name]").inner_text()
    page.context.clear_cookies()
    sign_in(page, "school")
    page.goto("/school/agreements")
    rows = page.locator("[data-testid=agreements] tbody tr")
    others = [
        rows.nth(i).get_by_role("link").get_attribute("href")
        for i in range(rows.count())
        if ours not in rows.nth(i).inner_text()
    ]
    assert others, "the demo school should have an agreement with another enterprise"
    # query: the enterprise user asking for it by URL gets "not found"
    page.context.clear_cookies()
    sign_in(page, "enterprise")
    response = page.goto(str(others[0]))
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_contain_text("找不到")
    # and cannot answer it either
    assert page.request.post(f"{others[0]}/countersign").status in (400, 404)


def test_partnership_form_keeps_input_and_explains_errors(page: Page) -> None:
    sign_in(page, "enterprise")
    page.goto("/enterprise/partnerships/new?prefecture=510100")
    page.locator("[data-testid=schools] tbody tr").first.get_by_role("link").click()
    page.fill("#title", "联合培养协议")
    page.fill("#starts_on", "2026-09-01")
    page.fill("#ends_on", "2025-08-31")
    page.fill("#planned_investment", "三十万")
    page.click("form.stacked button[type=submit]")
    expect(page.locator("[data-testid=error-modes]")).to_contain_text("至少")
    expect(page.locator("[data-testid=error-ends_on]")).to_contain_text("早于")
    expect(page.locator("[data-testid=error-planned_investment]")).to_be_visible()
    expect(page.locator("#title")).to_have_value("联合培养协议")
    expect(page.locator("#starts_on")).to_have_value("2026-09-01")
    expect(page.locator("#planned_investment")).to_have_value("三十万")
    screenshot(page, "partnership-errors")
