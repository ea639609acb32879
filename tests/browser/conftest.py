"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright, against the
registry served by gunicorn (``registry serve``) on a free loopback port.

The server runs on a fresh data directory holding the demo data and demo accounts. A missing
Chromium skips these tests, except under ``CI=true`` where it fails them (``make test``
installs it when run as root).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from domain.account import Account, account_id_for
from domain.actors import Actor, Role
from domain.enterprise import Enterprise
from domain.school import School
from projections import read_models
from projections.groups import list_groups
from projections.schools import list_schools
from registry.clock import today
from registry.config import Settings
from registry.demo import load_demo
from registry.demo.accounts import DEMO_PASSWORD
from registry.demo.base import OPENING_DAY
from registry.facade import Registry
from tests.conftest import free_port, service_missing

CHROMIUM = Path(os.environ.get("REGISTRY_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# the README's screenshots are replaced only when asked (`make screenshots`); otherwise the
# tests still take every screenshot, into a scratch directory, and the checkout stays as it was
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if os.environ.get("REGISTRY_SCREENSHOTS") == "docs"
    else Path(tempfile.gettempdir()) / "registry-screenshots"
)
REGISTRY = Path(sys.executable).parent / "registry"


GROUP_IN_FORMATION = "达州能源化工技师学院集团"
SYSTEM = Actor("system:browser-tests", Role.SYSTEM)


@dataclass(frozen=True)
class Served:
    """The server's address and the facts the tests' paths start from."""

    url: str
    demo_recorded_from: date  # the first day the demo records (docs/demo.md)
    group_id: str
    school_to_admit: str
    enterprise_to_admit: str
    placement_agreement: str


def _prepare(app: Registry) -> Served:
    """What the role paths need besides the demo: a group secretariat's account for a group
    still in formation, and an internship agreement of the demo school in force today."""
    models = read_models(app)
    models.catch_up()
    with models.reading() as db:
        group = next(g for g in list_groups(db, limit=100).items if g["name"] == GROUP_IN_FORMATION)
        school = next(
            s
            for s in list_schools(db, prefecture="511700", withdrawn=False, limit=50).items
            if s["id"] != group["lead_on"]
        )
    if not app.exists(account_id_for("secretariat")):
        account = app.add_account(
            username="secretariat",
            display_name="周秘书",
            role="group_secretariat",
            party_id=UUID(group["id"]),
            actor=SYSTEM,
        )
        app.set_password(account, password=DEMO_PASSWORD, actor=SYSTEM)
    school_id = app.get(Account, account_id_for("school")).party_id
    enterprise_id = app.get(Account, account_id_for("enterprise")).party_id
    assert school_id is not None and enterprise_id is not None
    school_name = app.get(School, school_id).name
    enterprise_name = app.get(Enterprise, enterprise_id).name.rsplit("（", 1)[0]
    agreement = app.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title=f"{school_name}与{enterprise_name}实习基地协议",
        modes=["internship_base", "order_class"],
        starts_on=today() - timedelta(days=60),
        ends_on=today() + timedelta(days=700),
        actor=Actor(SYSTEM.user_id, Role.SYSTEM, school_id),
    )
    app.countersign_agreement(agreement, actor=Actor(SYSTEM.user_id, Role.SYSTEM, enterprise_id))
    models.catch_up()
    return Served(
        url="",
        demo_recorded_from=OPENING_DAY,
        group_id=group["id"],
        school_to_admit=app.get(School, UUID(school["id"])).uscc,
        enterprise_to_admit=app.get(Enterprise, enterprise_id).uscc,
        placement_agreement=str(agreement),
    )


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The registry with its demo data, served by gunicorn, and the facts paths start from."""
    data = tmp_path_factory.mktemp("served") / "var"
    app = Registry(Settings(data_dir=data))
    load_demo(app)
    facts = _prepare(app)
    app.close()
    port = free_port()
    env = {
        **os.environ,
        "REGISTRY_DATA_DIR": str(data),
        "REGISTRY_EVENT_STORE": "sqlite",
        "REGISTRY_SECRET_KEY": "browser-tests-" + "x" * 40,
        "REGISTRY_LOGIN_RATE_LIMIT": "1000 per minute",
        "REGISTRY_FORM_RATE_LIMIT": "1000 per minute",
    }
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [str(REGISTRY), "serve", "--port", str(port), "--workers", "2", "--quiet"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield Served(**{**facts.__dict__, "url": url})
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        errors = (data / "server.log").read_text()
        assert "Traceback" not in errors, errors


@pytest.fixture(scope="session")
def server(served: Served) -> str:
    return served.url


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within 60 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        service_missing(
            f"Chromium not found at {CHROMIUM}: "
            "install it with `sudo apt-get install -y chromium fonts-wqy-microhei`"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh browser context (no cookies) with its base URL set to the server."""
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 860}, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("[data-testid=signed-in-as]")


def screenshot(page: Page, name: str) -> None:
    """Save the page for the README; timestamps and today's dates are masked for stable images."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    volatile = page.locator("[data-volatile]")
    page.screenshot(
        path=str(SCREENSHOTS / f"{name}.png"),
        full_page=True,
        mask=[volatile],
        mask_color="#d5dce4",
        animations="disabled",
    )
