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
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from registry.config import Settings
from registry.demo import load_demo
from registry.demo.accounts import DEMO_PASSWORD
from registry.registry import Registry
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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
REGISTRY = Path(sys.executable).parent / "registry"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The registry with its demo data, served by gunicorn; yields its base URL."""
    data = tmp_path_factory.mktemp("served") / "var"
    app = Registry(Settings(data_dir=data))
    load_demo(app)
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
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        errors = (data / "server.log").read_text()
        assert "Traceback" not in errors, errors


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
