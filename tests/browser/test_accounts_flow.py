"""Accounts in Chromium: asking for one, approval, first sign-in; languages; bad input."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from domain.uscc import with_check_character
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

# a registered demo enterprise (serial 30, 成都) and the same code with a wrong last character
USCC = with_check_character("91510100MA0000030")
WRONG = USCC[:17] + ("0" if USCC[17] != "0" else "1")


def fill_request(page: Page, username: str, uscc: str) -> None:
    page.goto("/accounts/request")
    page.fill("#organisation", "四川成都蜀兴装备制造有限公司（30）")
    page.fill("#uscc", uscc)
    page.fill("#display_name", "周新")
    page.fill("#contact", "028-66668888")
    page.fill("#username", username)
    page.fill("#password", "a long enough password")
    page.fill("#password_confirm", "a long enough password")
    page.click("form.stacked button[type=submit]")


def test_a_wrong_check_character_is_named_and_input_kept(page: Page) -> None:
    fill_request(page, "zhou.xin", WRONG)
    error = page.locator("[data-testid=error-uscc]")
    expect(error).to_contain_text(f"应为 {USCC[17]}")
    expect(error).to_contain_text(f"而不是 {WRONG[17]}")
    expect(page.locator("#uscc")).to_have_value(WRONG)
    expect(page.locator("#organisation")).to_have_value("四川成都蜀兴装备制造有限公司（30）")
    expect(page.locator("#username")).to_have_value("zhou.xin")
    screenshot(page, "uscc-error")


def test_request_approval_and_first_sign_in(page: Page) -> None:
    # construct: an enterprise asks for an account
    fill_request(page, "zhou.xin", USCC)
    expect(page.locator("[data-testid=request-sent]")).to_contain_text("zhou.xin")
    # it cannot sign in before approval
    page.goto("/login")
    page.fill("#username", "zhou.xin")
    page.fill("#password", "a long enough password")
    page.click("form.stacked button[type=submit]")
    expect(page.locator("[data-testid=form-problems]")).to_contain_text("等待")
    # evolve: the province administrator approves it for the enterprise
    sign_in(page, "admin")
    page.click("[data-testid=requests-waiting]")
    page.get_by_role("link", name="zhou.xin").click()
    screenshot(page, "account-approval")
    page.click("[data-testid=approve]")
    expect(page.get_by_role("status")).to_contain_text("已批准")
    # query: the first sign-in lands on the enterprise's own home
    page.context.clear_cookies()
    sign_in(page, "zhou.xin", "a long enough password")
    expect(page.locator("[data-testid=party-name]")).to_contain_text("蜀兴装备制造")


def test_an_added_account_sets_its_password_through_a_one_time_link(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/admin/accounts/new")
    page.fill("#username", "mianyang.officer")
    page.fill("#display_name", "孙明")
    page.select_option("#role", "prefecture_officer")
    page.select_option("#prefecture", "510700")
    page.click("form.stacked button[type=submit]")
    link = page.locator("[data-testid=reset-url]").inner_text().strip()
    page.context.clear_cookies()
    page.goto(link)
    page.fill("#new", "officer password 1")
    page.fill("#new_confirm", "officer password 1")
    page.click("form.stacked button[type=submit]")
    sign_in(page, "mianyang.officer", "officer password 1")
    expect(page.locator("h1")).to_contain_text("绵阳市")
    # the link worked once only
    assert page.goto(link).status == 404  # type: ignore[union-attr]


def test_switching_language(page: Page) -> None:
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("登录")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Sign in")
    sign_in(page, "enterprise")
    expect(page.locator("[data-testid=signed-in-as]")).to_contain_text("Enterprise user")
    screenshot(page, "enterprise-home-en")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("[data-testid=signed-in-as]")).to_contain_text("企业用户")
