"""An agreement's second steps in Chromium: the demo enterprise reads the renewal it is asked
to countersign beside the agreement it renews, and is asked again, with the preconditions,
before countersigning; the demo school proposes to an enterprise it names by name, then
withdraws the proposal with a reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from registry.demo.placements import RENEWAL
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_enterprise_reads_the_renewal_and_is_asked_before_countersigning(page: Page) -> None:
    sign_in(page, "enterprise")
    page.goto(f"/agreements/{RENEWAL}")
    # the renewal names the agreement it renews, and what changes between the two
    renewed = page.locator("[data-testid=renews] a")
    expect(renewed).to_be_visible()
    changes = page.locator("[data-testid=renewal-changes]")
    expect(changes).to_contain_text("续签有何变化")
    expect(changes.locator("tr.changed").first).to_be_visible()
    expect(page.locator("[data-testid=checklist]")).to_contain_text("您代表该提议所致的一方")
    expect(page.locator("[data-testid=record-id]")).to_have_text(str(RENEWAL))
    screenshot(page, "renewal")
    # countersigning first shows what would be recorded, with the preconditions
    page.click("[data-testid=countersign]")
    step = page.locator("[data-testid=confirm-step]")
    expect(step).to_contain_text("确认会签本协议？")
    expect(page.locator("[data-testid=confirm-event]")).to_have_text("已会签")
    expect(page.locator("[data-testid=checklist] li")).to_have_count(3)
    screenshot(page, "confirm-countersign")
    # going back records nothing
    page.click("[data-testid=go-back]")
    expect(page.locator("[data-testid=countersign]")).to_be_visible()
    # the renewed agreement links its renewal
    renewed.click()
    expect(
        page.locator(f"[data-testid=renewed-by] a[href='/agreements/{RENEWAL}']")
    ).to_be_visible()


def test_school_names_the_enterprise_by_name_and_withdraws_its_proposal(page: Page) -> None:
    sign_in(page, "enterprise")
    name = page.locator("[data-testid=party-name]").inner_text()
    page.context.clear_cookies()
    sign_in(page, "school")
    page.goto("/school/partnerships/new")
    page.fill("#enterprise", name)
    page.get_by_label("实习基地").check()
    page.fill("#starts_on", "2027-09-01")
    page.fill("#ends_on", "2030-08-31")
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("已提议")
    expect(page.locator("[data-testid=agreement-title]")).to_contain_text(name)
    agreement = re.sub(r"^https?://[^/]+", "", page.url)
    # a mistaken proposal: withdrawn with a reason, after a second step
    page.fill("#withdraw-reason", "合作方式选错，重新提议")
    page.click("[data-testid=withdraw]")
    expect(page.locator("[data-testid=confirm-event]")).to_have_text("撤回提议")
    expect(page.locator("[data-testid=to-be-recorded]")).to_contain_text("合作方式选错")
    screenshot(page, "confirm-withdrawal")
    page.click("[data-testid=confirm]")
    expect(page.get_by_role("status")).to_contain_text("撤回")
    assert re.sub(r"^https?://[^/]+", "", page.url) == agreement
    expect(page.locator(".badge")).to_contain_text("已由提议方撤回")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("合作方式选错")
