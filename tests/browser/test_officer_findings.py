"""A prefecture officer follows a finding about a placement to the placement, in Chromium
against the served demo: the page opens, read-only, naming the student by record number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_officer_follows_a_fee_finding_to_the_placement(page: Page) -> None:
    sign_in(page, "officer")
    page.goto("/findings/?rule=fee_charged_to_student&state=open")
    link = page.locator("[data-testid=findings] tbody tr a[href^='/placements/']").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/placements/[0-9a-f-]{36}$"))
    expect(page.locator("[data-testid=record-title]")).to_be_visible()
    expect(page.locator("[data-testid=cover]")).to_be_visible()
    # read-only, and no way into the student's personal page
    expect(page.locator("[data-testid=actions]")).to_have_count(0)
    expect(page.locator("a[href^='/students/']")).to_have_count(0)
