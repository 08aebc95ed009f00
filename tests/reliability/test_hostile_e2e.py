"""Hostile names in a real browser (Debian's Chromium): an office whose Sozialräume are called `<script>…`,
`<img onerror=…>`, `=HYPERLINK(…)` … Logged in as its admin, the dashboard, the map (with its tooltip), the
Sozialraum comparison and the administration show the names as text; no script runs, no element from a name is
created; and the server log holds neither the password nor the cookie key.

The same checks without a browser, on every page: tests/reliability/test_hostile_input.py.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from data_models.export_masterdatei import masterdatei_bytes
from tests.e2e.conftest import Server, browser, login, open_nav, page, settle  # noqa: F401  (fixtures)
from tests.reliability.test_hostile_input import EVIL, EVIL_OFFICE, evil_geojson, evil_tables

pytestmark = pytest.mark.e2e
PW = "Browser-Passwort-geheim-1"
NAMES = list(EVIL.values())

# set before any page script: a name that became markup would call one of these
CANARY = """
window.__sk_xss = [];
window.alert = (m) => window.__sk_xss.push(String(m));
window.confirm = window.alert; window.prompt = window.alert;
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from data_models import accounts
    from data_models.db import make_engine
    from data_models.tenant_data import import_file

    srv = Server(tmp_path_factory.mktemp("hostile"))
    engine = make_engine(srv.env["STRATEGIEKARTE_DATABASE_URL"])  # the server's database (it already migrated it)
    try:
        t = accounts.create_tenant(engine, slug="xstadt", name=EVIL_OFFICE)
        accounts.create_user(engine, username="xadmin", email="x@xstadt.de", password=PW, role="admin",
                             tenant_slug="xstadt", name="Anna <img src=x onerror=alert('name')>")
        assert import_file(engine, t.id, "xadmin", masterdatei_bytes(evil_tables()), "md.xlsx").version == 1
        assert import_file(engine, t.id, "xadmin", evil_geojson(), "grenzen.geojson", kind="geometrie").version == 2
    finally:
        engine.dispose()
    yield srv
    srv.stop()


def _no_markup_from_names(page) -> None:
    assert page.evaluate("window.__sk_xss") == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="alert('sk')").count() == 0


def test_hostile_names_stay_text_in_the_browser(hostile_server, page):
    base = hostile_server.url
    page.add_init_script(CANARY)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    login(page, base, "xadmin", PW)
    expect(page.get_by_text("Angemeldet als")).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(EVIL_OFFICE, exact=True)).to_be_visible()  # the office name, literally
    _no_markup_from_names(page)

    # the map: names on the districts (canvas) and in the tooltip, which deck.gl fills with innerText
    open_nav(page, "Karte")
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    expect(canvas).to_be_visible(timeout=60_000)  # a loaded machine needs time for the WebGL map
    page.wait_for_timeout(1500)
    box = canvas.bounding_box()
    tooltips = set()
    for i in range(1, 24):
        page.mouse.move(box["x"] + box["width"] * i / 24, box["y"] + box["height"] / 2)
        page.wait_for_timeout(120)
        tip = page.locator(".deck-tooltip")
        if tip.count() and tip.first.is_visible():
            tooltips.add(tip.first.inner_text())
            assert tip.first.locator("img, script, b").count() == 0
    shown = {n for n in NAMES if any(n in t for t in tooltips)}
    assert {EVIL["01"], EVIL["02"]} <= shown, tooltips
    _no_markup_from_names(page)

    # the comparison of Sozialräume: chart labels and the table
    open_nav(page, "Sozialräume")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot text')]"
                           ".some(e => e.textContent.includes('onerror'))", timeout=60_000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    svg_text = " ".join(page.eval_on_selector_all(".js-plotly-plot text", "els => els.map(e => e.textContent)"))
    assert EVIL["01"] in svg_text and EVIL["02"] in svg_text, svg_text[:500]
    assert page.locator(".js-plotly-plot a").count() == 0  # "[Link](javascript:…)" and <a> never become links
    assert EVIL_OFFICE in body  # the source line under the chart: the office name as visible text, not markup
    _no_markup_from_names(page)

    # the administration: the admin's own display name and the log
    open_nav(page, "Verwaltung")
    expect(page.get_by_text("Anna <img src=x onerror=alert('name')>", exact=False).first).to_be_visible()
    _no_markup_from_names(page)
    assert dialogs == []

    with open(hostile_server.log.name, encoding="utf-8", errors="replace") as fh:
        log = fh.read()
    assert PW not in log and hostile_server.env["STRATEGIEKARTE_COOKIE_KEY"] not in log
