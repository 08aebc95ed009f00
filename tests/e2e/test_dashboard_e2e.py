"""Issue 5 in a real browser: the demo through every HzE page, change the year, open a shared link, download."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server, open_nav, settle

PAGES = ["Übersicht", "Karte", "Sozialräume", "Entwicklung", "Leistungen", "Ressourcen", "Datenqualität"]


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_demo_walk_year_change_shared_link_and_download(demo_server, page, tmp_path):
    base = demo_server.url
    page.goto(base)
    settle(page)
    page.get_by_role("button", name="Demo ansehen").click()
    settle(page)
    expect(page.get_by_role("heading", name="Übersicht", exact=True)).to_be_visible()
    for name in PAGES:
        open_nav(page, name)
        no_exception(page)

    # change the year on Sozialräume; the URL carries it
    open_nav(page, "Sozialräume")
    page.get_by_label("Jahr").first.click()
    page.get_by_role("option", name="2019").click()
    settle(page)
    expect(page.get_by_text("nach Sozialraum, 2019").first).to_be_visible()
    assert "jahr=2019" in page.url
    shared = page.url

    # the year is kept when switching pages
    open_nav(page, "Karte")
    assert "jahr=2019" in page.url
    no_exception(page)

    # a table download (CSV for German Excel)
    open_nav(page, "Datenqualität")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Tabelle als CSV (Excel)").first.click()
    path = tmp_path / "tabelle.csv"
    dl.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data  # BOM and semicolons: opens in German Excel

    # the shared link opens the same view in a new browser (guest opens the demo first)
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 720})
    p2 = other.new_page()
    assert "demo=1" in shared  # the link itself opens the demo for a new visitor
    p2.goto(shared)
    settle(p2)
    expect(p2.get_by_role("heading", name="Alle Kennzahlen 2019", exact=False).first).to_be_visible()
    other.close()


def test_map_page_loads_nothing_from_outside_and_chart_table_opens(demo_server, page):
    """privacy.md: no request leaves the server (no base map, no fonts from a CDN); the data table under a chart is
    built when its expander is opened (lazy)."""
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((demo_server.url, "data:", "blob:", "about:")) else None)
    page.goto(demo_server.url)
    settle(page)
    page.get_by_role("button", name="Demo ansehen").click()
    settle(page)
    open_nav(page, "Karte")
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
    page.wait_for_timeout(2000)  # a base map would be requested as soon as the map mounts
    no_exception(page)

    open_nav(page, "Entwicklung")
    exp = page.locator('[data-testid="stExpander"]').filter(has_text="Daten als Tabelle").first
    expect(exp).to_be_visible()
    assert exp.locator('[data-testid="stDataFrame"]').count() == 0  # not built while closed
    exp.get_by_text("Daten als Tabelle").click()
    settle(page)
    expect(page.locator('[data-testid="stExpander"]').filter(has_text="Daten als Tabelle").first
           .locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=60_000)
    no_exception(page)
    assert outside == [], outside[:5]
