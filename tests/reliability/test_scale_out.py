"""Scale-out (issue 8, point 6): two `streamlit run` processes on different ports share one PostgreSQL database.

- A Masterdatei uploaded through process A's upload page is visible in process B on B's next rerun (B had already
  shown the old data and holds it in its process caches; the data version read from the database on every run
  invalidates them).
- Five failed logins through A lock the account in B as well (the throttle lives in the database).

Runs only against PostgreSQL (`TEST_DATABASE_URL`, set by `make test`); skipped with a reason otherwise.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PG_URL, ROOT
from tests.e2e.conftest import open_nav

pytestmark = pytest.mark.e2e
PW = "sicheres-passwort-1"
WAIT = 30_000  # ms: a shared 2-core machine
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def masterdatei(years, andauernd: int) -> bytes:
    from data_models.export_masterdatei import masterdatei_bytes
    from tests.data_models.factories import frame, population_row, sozialraum

    ids = {"01": "Nord", "02": "Süd"}
    return masterdatei_bytes({
        "sozialraeume": frame("sozialraeume", [sozialraum(i, n) for i, n in ids.items()]),
        "bevoelkerung": frame("bevoelkerung", [population_row(y, i, u15=500, u18=750, u21=1000)
                                               for y in years for i in ids]),
        "hze": frame("hze", [{"jahr": y, "sozialraum_id": i, "hilfeart": "07", "andauernd": andauernd,
                              "beendet": 1, "begonnen": 2} for y in years for i in ids]),
    })


class App:
    """One app process on its own port against the shared database."""

    def __init__(self, env: dict, log: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, log: Path):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit did not start: " + log.read_text())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Tenant `skala` with admin `ada` and member `bob`, version 1 = 2022–2023; two app processes A and B."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL ist nicht gesetzt (make test setzt es): der Test braucht PostgreSQL")
    from data_models import accounts
    from data_models.database import init_db
    from data_models.tenant_data import import_file
    from tests.conftest import _truncate_all

    engine = init_db(PG_URL)
    _truncate_all(engine)
    t = accounts.create_tenant(engine, slug="skala", name="Jugendamt Skalenstadt", typ="stadt")
    accounts.create_user(engine, username="ada", email="ada@skala.de", password=PW, role="admin", tenant_slug="skala")
    accounts.create_user(engine, username="bob", email="bob@skala.de", password=PW, role="member",
                         tenant_slug="skala")
    assert import_file(engine, t.id, "ada", masterdatei((2022, 2023), 4), "v1.xlsx", kind="masterdatei").version == 1
    tmp = tmp_path_factory.mktemp("scale_out")
    apps = []
    for name in ("a", "b"):
        data = tmp / name
        data.mkdir()
        env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=PG_URL, STRATEGIEKARTE_DATA_DIR=str(data),
                   STRATEGIEKARTE_COOKIE_KEY="scale-out-shared-key-" + "x" * 32)
        apps.append(App(env, data / "server.log"))
    try:
        for app, name in zip(apps, ("a", "b")):
            app.wait(tmp / name / "server.log")
        yield engine, t, apps[0], apps[1]
    finally:
        for app in apps:
            app.stop()
        _truncate_all(engine)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    return page


def settle(page):
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')")
    page.wait_for_timeout(300)


def open_login(page, base):
    # through the start page's navigation (`Anmelden`, capitalised). A fresh server can first answer with
    # Streamlit's file-based page list (`anmelden`, lower case) instead of the app's navigation, and a login
    # there never leaves the form: load the start page again until the app's navigation is there.
    nav = page.locator('[data-testid="stSidebarNav"]')
    for _ in range(4):
        page.goto(base + "/")
        settle(page)
        page.wait_for_timeout(800)  # the cookie component's first report triggers a second run
        settle(page)
        if nav.get_by_role("link", name="Anmelden", exact=True).count():
            break
    nav.get_by_role("link", name="Anmelden", exact=True).click()
    settle(page)
    page.locator('[data-testid="stForm"]').get_by_label("Benutzername").wait_for()


def submit_login(page, username, password):
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Benutzername").fill(username)
    form.get_by_label("Passwort").fill(password)
    form.get_by_role("button", name="Anmelden").click()
    settle(page)


def click_until(page, button: str, done, tries: int = 3):
    """Click a button until `done()` holds: a click while a script run is still replacing the page can be lost."""
    for attempt in range(tries):
        settle(page)
        page.get_by_role("button", name=button).click()
        settle(page)
        try:
            done(10_000 if attempt < tries - 1 else WAIT)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise
            if not page.get_by_role("button", name=button).count():  # the click did land: the page moved on
                done(WAIT)
                return


def until(page, username, password, done, tries: int = 3):
    """Submit the login form until `done()` holds: a click during the cookie component's extra run can be lost
    (as for a very fast user), which shows as nothing happening."""
    for _ in range(tries - 1):
        submit_login(page, username, password)
        try:
            done(10_000)
            return
        except AssertionError:
            continue
    submit_login(page, username, password)
    done(WAIT)


def failed_logins(engine, username: str) -> int:
    from sqlalchemy import func, select

    from data_models import db

    a = db.login_attempts
    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(a.c.username_key == username,
                                                       a.c.success.is_(False))).scalar_one()


def year_options(page) -> list[str]:
    page.get_by_label("Jahr").first.click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return [o.strip() for o in options]


def test_upload_through_a_is_visible_in_b_on_its_next_rerun(shared, browser):
    from playwright.sync_api import expect

    _engine, _t, a, b = shared
    # B shows version 1 (and caches it in its process)
    pb = new_page(browser)
    open_login(pb, b.url)
    until(pb, "ada", PW, lambda t: expect(pb.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=t))
    expect(pb.get_by_text("Datenstand: Version 1").first).to_be_visible(timeout=WAIT)
    assert year_options(pb) == ["2023", "2022"]

    # upload 2024 through A's upload page
    pa = new_page(browser)
    open_login(pa, a.url)
    until(pa, "ada", PW, lambda t: expect(pa.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=t))
    open_nav(pa, "Daten hochladen")  # repeats a click that a running script run swallowed
    pa.locator('input[type="file"]').set_input_files(files=[{
        "name": "v2.xlsx", "buffer": masterdatei((2024,), 9),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    settle(pa)
    click_until(pa, "Datei prüfen",
                lambda t: expect(pa.get_by_role("button", name="Übernehmen")).to_be_visible(timeout=t))
    click_until(pa, "Übernehmen",
                lambda t: expect(pa.get_by_text("Die Daten sind übernommen (Version 2).")).to_be_visible(timeout=t))

    # B's next rerun (navigation inside the same session, no reload) shows version 2 and the new year
    open_nav(pb, "Übersicht")
    expect(pb.get_by_text("Datenstand: Version 2").first).to_be_visible(timeout=WAIT)
    assert year_options(pb) == ["2024", "2023", "2022"]
    pa.context.close()
    pb.context.close()


def test_login_throttle_set_through_a_holds_in_b(shared, browser):
    from playwright.sync_api import expect

    engine, _t, a, b = shared
    pa = new_page(browser)
    open_login(pa, a.url)
    # failed logins through A until the lock: exactly MAX_FAILED_PER_USER are recorded (a lost click records none)
    for _ in range(12):
        before = failed_logins(engine, "bob")
        if before == 5:
            break
        submit_login(pa, "bob", "falsches-passwort")
        deadline = time.time() + 10
        while failed_logins(engine, "bob") == before and time.time() < deadline:
            time.sleep(0.2)
    assert failed_logins(engine, "bob") == 5
    expect(pa.get_by_text("Zu viele fehlgeschlagene Anmeldeversuche").first).to_be_visible(timeout=WAIT)
    pa.context.close()

    # B: the right password is refused for bob; ada (not locked) still gets in through B
    pb = new_page(browser)
    open_login(pb, b.url)
    until(pb, "bob", PW, lambda t: expect(pb.get_by_text("Zu viele fehlgeschlagene Anmeldeversuche").first)
          .to_be_visible(timeout=t))
    expect(pb.get_by_text("Angemeldet als")).to_have_count(0)
    assert failed_logins(engine, "bob") == 5
    pb.context.close()
    pc = new_page(browser)
    open_login(pc, b.url)
    until(pc, "ada", PW, lambda t: expect(pc.get_by_text("Angemeldet als")).to_be_visible(timeout=t))
    pc.context.close()
