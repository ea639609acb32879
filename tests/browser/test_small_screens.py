"""Every page of every role's menu on a phone (390 px wide) in Chromium: nothing scrolls
sideways, tables are stacked rows, a skip link leads to the content, one menu entry is the
current one, the choices of a picker that lead to different places have different names,
and the page has an icon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Served, screenshot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ROLES = ("enterprise", "school", "secretariat", "officer", "auditor", "admin")

# per page: how far it scrolls sideways, its current menu entries, its tables' row display,
# and the names that lead to more than one address within one picker's table
CHECK = """() => {
  const main = document.querySelector("main");
  const clashes = [];
  main.querySelectorAll("[data-testid$=picker] table").forEach((table) => {
    const seen = new Map();
    table.querySelectorAll("tbody a[href]").forEach((a) => {
      const name = (a.getAttribute("aria-label") || a.textContent).trim();
      const href = a.getAttribute("href");
      if (seen.has(name) && seen.get(name) !== href) clashes.push(name);
      seen.set(name, href);
    });
  });
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    current: [...document.querySelectorAll("header nav a[aria-current=page]")].map(
      (a) => a.textContent.trim()),
    rows: [...main.querySelectorAll("table tbody tr")].map((tr) => getComputedStyle(tr).display),
    clashes: clashes,
    icon: (document.querySelector("link[rel=icon]") || {}).href || null,
  };
}"""


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def menu_addresses(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "header nav a", "links => links.map((a) => a.getAttribute('href'))"
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_reads_on_a_phone(phone: Page, served: Served, role: str) -> None:
    sign_in(phone, role)
    addresses = menu_addresses(phone)
    assert addresses, f"{role} has no menu"
    problems = []
    for address in addresses:
        phone.goto(address)
        found = phone.evaluate(CHECK)
        if found["overflow"] > 0:
            problems.append(f"{address} scrolls sideways by {found['overflow']} px")
        if len(found["current"]) != 1:
            problems.append(f"{address} marks {found['current']} as current")
        if any(display != "block" for display in found["rows"]):
            problems.append(f"{address} has table rows that are not stacked")
        if found["clashes"]:
            problems.append(f"{address}: one link name for several places: {found['clashes']}")
        if not found["icon"] or phone.request.get(found["icon"]).status != 200:
            problems.append(f"{address} has no icon")
        # the first thing a keyboard reaches is the skip link, and it leads to the content
        phone.keyboard.press("Tab")
        focused = phone.evaluate("() => document.activeElement.getAttribute('href')")
        if focused != "#content" or phone.locator("#content").count() != 1:
            problems.append(f"{address} has no skip link first")
    assert not problems, "\n".join(problems)


def test_a_school_picker_names_each_choice(phone: Page, served: Served) -> None:
    sign_in(phone, "enterprise")
    phone.goto("/enterprise/partnerships/new")
    names = phone.eval_on_selector_all(
        "[data-testid=schools] a", "links => links.map((a) => a.getAttribute('aria-label'))"
    )
    assert len(names) > 1 and len(set(names)) == len(names) and None not in names


def test_a_list_on_a_phone(phone: Page, served: Served) -> None:
    """The screenshots of a list and of an officer's dashboard at phone width."""
    sign_in(phone, "admin")
    phone.goto("/returns/")
    screenshot(phone, "phone-returns")
    phone.context.clear_cookies()
    sign_in(phone, "officer")
    phone.goto("/dashboard/")
    phone.wait_for_load_state("networkidle")
    screenshot(phone, "phone-officer-dashboard")
