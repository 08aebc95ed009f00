"""Issue 11 in Chromium: the coordinator's Vergleich draws the distribution band of each peer group (with minimum
and maximum), and a consenting office in a group of five sees its value against the group's quartiles on its
Übersicht, without any other office's name. The figures are those of tests/pages/test_peer_bands_pages.py (Eckwert
4, 6, 8, 12, 20 in five Landkreise: Q1 6, median 8, Q3 12). Screenshots go to the test's temporary folder, or to
the folder named by E2E_SCREENSHOTS."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, new_page, open_nav, screenshot_dir, settle
from tests.pages.test_peer_bands_pages import LANDKREISE, NAMES, STAEDTE, builder
from tests.programme_factories import PW, coordinator, office


@pytest.fixture(scope="module")
def world(server):
    from data_models.database import init_db

    engine = init_db(server.env["STRATEGIEKARTE_DATABASE_URL"])
    for slug, (name, eck) in LANDKREISE.items():
        office(engine, slug, name, typ="landkreis", builder=builder(name, eck), admin={"lk2": "lara"}.get(slug))
    for slug, (name, eck) in STAEDTE.items():
        office(engine, slug, name, typ="stadt", builder=builder(name, eck))
    coordinator(engine)
    return server


def test_coordinator_sees_group_bands_and_tenant_its_own_band(world, browser, tmp_path):
    base = world.url
    shots = screenshot_dir(tmp_path)
    contexts = []
    try:
        ctx, kora = new_page(browser, 1800)
        contexts.append(ctx)
        kora.goto(base)  # the first run of the server registers the navigation
        settle(kora)
        login(kora, base, "kora", PW)
        expect(kora.get_by_text("Angemeldet als")).to_be_visible()
        open_nav(kora, "Vergleich", "Vergleich der Jugendämter")
        expect(kora.get_by_role("heading", name="Verteilung in den Vergleichsgruppen")).to_be_visible()
        bands = kora.locator(".js-plotly-plot").filter(has_text="in den Vergleichsgruppen")
        expect(bands).to_have_count(1, timeout=90_000)  # plotly loads lazily
        expect(bands).to_contain_text("Landkreise,")
        expect(bands).to_contain_text("Spanne (Minimum bis Maximum)")
        expect(bands).to_contain_text("mittlere Hälfte (unteres bis oberes Quartil)")
        expect(bands.locator("g.barlayer path")).to_have_count(1)  # one group with a band: the Landkreise
        expect(kora.get_by_text("„Kreisfreie Städte“: kein Band – 2 von 2 Jugendämtern mit Wert")).to_be_visible()
        table = kora.locator('[data-testid="stDataFrame"]').first
        expect(table).to_contain_text("Vergleichsgruppe")
        bands.scroll_into_view_if_needed()
        kora.wait_for_timeout(1500)
        kora.screenshot(path=str(shots / "vergleich_baender.png"), full_page=True)

        ctx, lara = new_page(browser, 1800)
        contexts.append(ctx)
        login(lara, base, "lara", PW)
        expect(lara.get_by_text("Angemeldet als")).to_be_visible()
        open_nav(lara, "Übersicht")
        expect(lara.get_by_role("heading", name="Vergleich mit ähnlichen Jugendämtern 2023")).to_be_visible()
        own = lara.locator(".js-plotly-plot").filter(has_text="Ihr Jugendamt und Vergleichsgruppe")
        expect(own).to_have_count(1, timeout=90_000)
        expect(own).to_contain_text("Median")
        expect(own).not_to_contain_text("Spanne")
        main = lara.get_by_role("main")
        for name in NAMES:
            if name != "Kreis Birkental":
                expect(main.get_by_text(name)).to_have_count(0)
        own.scroll_into_view_if_needed()
        lara.wait_for_timeout(1500)
        lara.screenshot(path=str(shots / "uebersicht_band.png"), full_page=True)
    finally:
        for ctx in contexts:
            ctx.close()
