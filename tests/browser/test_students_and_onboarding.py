"""In Chromium against the served demo: a school finds its students by 学号 and by full name
without a name on the list; an administrator reviews an enterprise's own registration facts
and approves the registration and the account in one step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from domain.id_number import with_check_character
from domain.uscc import with_check_character as uscc_with_check
from registry.clock import today
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

ID_NUMBER = with_check_character("51010420080808131")
UNREGISTERED = uscc_with_check("91510700MA0000777")


def test_school_finds_a_student_by_student_number_and_by_full_name(page: Page) -> None:
    # construct: the school registers a student with a 学号
    sign_in(page, "school")
    page.goto("/students/new")
    page.fill("#name", "欧阳明轩")
    page.fill("#student_number", "2025901")
    page.fill("#id_number", ID_NUMBER)
    page.select_option("#gender", "male")
    page.fill("#entry_year", str(today().year - 1))
    page.locator("#major").select_option(index=1)
    page.click("[data-testid=create-form] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("学生已登记")
    # query: by 学号, directly
    page.goto("/students/")
    page.fill("#student_number", "2025901")
    page.click("form.filters button[type=submit]")
    rows = page.locator("[data-testid=students] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-testid=student-number]")).to_have_text("2025901")
    # by exact full name, through the keyed index: the row shows no name
    page.fill("#student_number", "")
    page.fill("#person", "欧阳明轩")
    page.click("form.filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(page.locator("[data-testid=students]")).not_to_contain_text("欧阳明轩")
    expect(rows.first).to_contain_text("2025901")
    screenshot(page, "student-search")
    # the name is shown only through the logged read on the student's page
    rows.first.locator("a").click()
    page.fill("#reveal-reason", "核对实习报名")
    page.click("[data-testid=reveal]")
    expect(page.locator("[data-testid=student-name]")).to_have_text("欧阳明轩")


def test_administrator_registers_the_enterprise_and_approves_its_account_at_once(
    page: Page,
) -> None:
    # construct: an enterprise not registered yet asks, giving its registration facts
    page.goto("/accounts/request")
    page.fill("#organisation", "四川绵阳新禾食品有限公司")
    page.fill("#uscc", UNREGISTERED)
    page.select_option("#prefecture", "510700")
    page.fill("#industry", "食品制造")
    page.select_option("#above_designated_size", "yes")
    page.select_option("#ownership", "private")
    page.fill("#display_name", "周新禾")
    page.fill("#contact", "0816-6666888")
    page.fill("#username", "xinhe")
    page.fill("#password", "a long enough password")
    page.fill("#password_confirm", "a long enough password")
    page.click("form.stacked button[type=submit]")
    expect(page.locator("[data-testid=request-sent]")).to_contain_text("xinhe")
    # evolve: the administrator reviews the facts and approves both in one step
    sign_in(page, "admin")
    page.goto("/admin/accounts/?status=requested")
    page.get_by_role("link", name="xinhe", exact=True).click()
    facts = page.locator("[data-testid=requested-registration]")
    expect(facts).to_contain_text("绵阳市")
    expect(facts).to_contain_text("食品制造")
    screenshot(page, "onboarding-review")
    page.click("[data-testid=approve-registration]")
    expect(page.get_by_role("status")).to_contain_text("企业已登记")
    # query: the enterprise is on the enterprises list, bound to the new account
    page.goto("/enterprises/?prefecture=510700&industry=食品制造")
    expect(page.locator("main")).to_contain_text("四川绵阳新禾食品有限公司")
