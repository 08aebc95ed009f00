"""End-to-end: a real `streamlit run` on a free loopback port, driven by Playwright in Debian's headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT

expect.set_options(timeout=20_000)  # a shared 2-core machine: give the server time

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path, seed_demo: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, STRATEGIEKARTE_DATA_DIR=str(data_dir),
                        STRATEGIEKARTE_DATABASE_URL=f"sqlite:///{data_dir / 'e2e.sqlite'}",
                        STRATEGIEKARTE_COOKIE_KEY="e2e-test-key-" + "x" * 32)
        py = sys.executable
        subprocess.run([py, "manage.py", "init-db"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        if seed_demo:
            subprocess.run([py, "manage.py", "seed-demo"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.log = open(data_dir / "server.log", "w")
        self.proc = subprocess.Popen(
            [py, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start: " + (data_dir / "server.log").read_text())

    def manage(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                              text=True)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("e2e"), seed_demo=getattr(pytest, "_sk_seed_demo", False))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """One server with the seeded demo, shared by the modules that look at the demo as guests (they change
    nothing; a test that logs in or writes starts its own `Server`)."""
    srv = Server(tmp_path_factory.mktemp("e2e_demo"), seed_demo=True)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    yield pg
    ctx.close()


def screenshot_dir(tmp_path: Path) -> Path:
    """Where a test writes its screenshots: $E2E_SCREENSHOTS (to look at them), else the test's tmp_path."""
    shots = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def new_page(browser, height: int = 1000):
    """A fresh browser context (own cookies) at desktop width; returns (context, page)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": height}, locale="de-DE")
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    return ctx, pg


def settle(page, timeout: float = 20000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout)
    page.wait_for_timeout(300)


def click_nav(page, title: str, tries: int = 3) -> None:
    """Click a sidebar link until it is the current page (`aria-current`): a click while a script run replaces the
    navigation can be lost. For pages whose heading is not the link's title (open_nav checks the heading)."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True)
    for _ in range(tries):
        settle(page)
        link.click()
        settle(page)
        if link.get_attribute("aria-current") == "page":
            return
    assert link.get_attribute("aria-current") == "page", f"Navigation zu {title!r} kam nicht an"


def open_nav(page, title: str, heading: str | None = None, tries: int = 3) -> None:
    """Click a sidebar link and wait for the page's heading; a click during a running script run can be lost
    (Streamlit replaces the navigation), so it is repeated."""
    from playwright.sync_api import expect

    wanted = page.get_by_role("heading", name=heading or title, exact=True).first
    for attempt in range(tries):
        settle(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
        settle(page)
        try:
            expect(wanted).to_be_visible(timeout=10000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise


def login(page, base: str, username: str, password: str, tries: int = 3) -> None:
    """Log in through the form on /anmelden, like a user who retypes when nothing happened.

    The form's cookie component (streamlit-authenticator's) reports once it has loaded and so triggers a second
    script run; on a loaded machine that run can drop what was typed or the click meanwhile. So the fields are
    checked before the click, and the whole login repeated when the click led neither to the logged-in sidebar
    nor to an error message."""
    from playwright.sync_api import expect

    outcome = page.get_by_text("Angemeldet als").or_(page.get_by_text("Benutzername oder Passwort ist falsch."))
    for attempt in range(tries):
        page.goto(base + "/anmelden")
        settle(page)
        page.wait_for_timeout(800)  # the cookie component's report and its script run
        settle(page)
        form = page.locator('[data-testid="stForm"]')
        for _ in range(3):
            form.get_by_label("Benutzername").fill(username)
            form.get_by_label("Passwort").fill(password)
            page.wait_for_timeout(300)
            settle(page)
            if (form.get_by_label("Benutzername").input_value() == username
                    and form.get_by_label("Passwort").input_value() == password):
                break
        form.get_by_role("button", name="Anmelden").click()
        settle(page)
        try:
            expect(outcome.first).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise
