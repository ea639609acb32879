"""The auditor reads a correction in the audit trail: words, names and before → after, in
Chromium; a filter that names nothing says so."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

FULL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_auditor_reads_a_corrected_return_as_before_and_after(page: Page) -> None:
    sign_in(page, "auditor")
    # a school whose return was corrected after filing
    page.goto("/returns/?corrected=yes")
    first = page.locator("[data-testid=returns] tbody tr").first
    school = first.locator("td").nth(1).inner_text().splitlines()[0].strip()
    first.locator("a").first.click()
    # its history: each corrected figure as before → after
    expect(page.locator("[data-testid=timeline] del").first).to_be_visible()
    # the trail of that school, found by the name the pages show
    page.goto("/audit/")
    page.fill("#party", school)
    page.click("form.filters button[type=submit]")
    # sorted by record, its annual returns come first, the latest revision on top
    page.locator("[data-testid=audit] thead").get_by_role("link", name="记录", exact=True).click()
    expect(page.locator("[data-testid=audit] thead th[aria-sort]")).to_contain_text("记录")
    corrected = page.locator("[data-testid=audit] tbody tr", has=page.locator("del")).first
    expect(corrected).to_be_visible()
    expect(corrected).to_contain_text("年度统计报表")
    text = page.locator("[data-testid=audit]").inner_text()
    for raw in ("AnnualReturn", "school_id", "figures", "None", "{'", "['"):
        assert raw not in text, raw
    assert not FULL_ID.search(text)
    corrected.scroll_into_view_if_needed()
    screenshot(page, "auditor-correction")
    # a record that does not exist: said, and nothing listed
    page.fill("#record", "没有这样的记录")
    page.click("form.filters button[type=submit]")
    expect(page.locator("[data-testid=error-record]")).to_contain_text("没有这条记录")
    expect(page.locator("[data-testid=audit]")).to_have_count(0)
