"""Issue 7 in Chromium, with several browser contexts open at once on one server: members of two offices with the
same Sozialraum ids and different figures, a coordinator, an admin who hands out a workshop link and a guest who
opens it in presentation mode; the link is revoked while the guest is watching.

Astadt: HzE 10 + 2 = 12 (Eckwert 6,0; Sozialraum 02 has 2 helps, suppressed for guests), Bstadt: 30 + 0 = 30 (30,0).
Screenshots of the board, the comparison and the workshop view go to the test's temporary folder, or to the folder
named by E2E_SCREENSHOTS."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, new_page, open_nav, screenshot_dir, settle
from tests.programme_factories import PW, coordinator, office, office_a, office_b



@pytest.fixture(scope="module")
def world(server):
    from data_models import accounts
    from data_models.database import init_db

    engine = init_db(server.env["STRATEGIEKARTE_DATABASE_URL"])
    office(engine, "astadt", "Jugendamt Astadt", builder=office_a(), admin="anna", member="arne")
    office(engine, "bstadt", "Jugendamt Bstadt", builder=office_b(hze_01=30), typ="landkreis", member="bert")
    accounts.signup(engine, office="Jugendamt Neu", typ="landkreis", key="05111", name="Nina", email="n@neu.de",
                    username="nina", password=PW, password2=PW)
    coordinator(engine)
    return server


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def test_members_coordinator_and_workshop_guest_at_once(world, browser, tmp_path):
    base = world.url
    SHOTS = screenshot_dir(tmp_path)
    contexts = []
    try:
        pages = {}
        for who in ("arne", "bert", "kora", "anna", "gast"):
            ctx, page = new_page(browser, 1800 if who in ("kora", "gast") else 1000)
            contexts.append(ctx)
            pages[who] = page
        pages["gast"].goto(base)  # the first run of the server registers the navigation
        settle(pages["gast"])
        for who in ("arne", "bert", "kora", "anna"):
            login(pages[who], base, who, PW)
            expect(pages[who].get_by_text("Angemeldet als")).to_be_visible()

        # members of A and B, side by side: same Sozialraum ids, each sees only their own figures
        for _ in range(2):
            for who, office_name, faelle in (("arne", "Jugendamt Astadt", "12"), ("bert", "Jugendamt Bstadt", "30")):
                p = pages[who]
                open_nav(p, "Übersicht")
                expect(metric(p, "HzE-Fälle")).to_contain_text(faelle)
                sidebar = p.locator('[data-testid="stSidebar"]')
                expect(sidebar.get_by_text(office_name)).to_be_visible()
                other = "Jugendamt Bstadt" if who == "arne" else "Jugendamt Astadt"
                expect(p.get_by_text(other)).to_have_count(0)
        # the coordinator: board without figures, confirm the new office, the comparison
        kora = pages["kora"]
        expect(kora.get_by_role("heading", name="Programmübersicht", exact=True)).to_be_visible()
        expect(kora.get_by_text("Jugendamt Neu").first).to_be_visible()
        kora.wait_for_timeout(500)
        kora.screenshot(path=str(SHOTS / "programmuebersicht.png"))
        kora.get_by_role("button", name="Bestätigen").click()
        expect(kora.get_by_text("„Jugendamt Neu“ ist bestätigt.")).to_be_visible()
        open_nav(kora, "Vergleich", "Vergleich der Jugendämter")
        expect(kora.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)  # plotly loads lazily
        table = kora.locator('[data-testid="stDataFrame"]').first
        expect(table).to_contain_text("Jugendamt Astadt")
        for text in ("Sozialraum 01", "Sozialraum 02"):
            expect(kora.get_by_text(text)).to_have_count(0)
        kora.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3",
                               timeout=90_000)
        kora.wait_for_timeout(1500)
        kora.screenshot(path=str(SHOTS / "vergleich.png"))
        # the admin of A creates a workshop link that opens the Sozialräume page in presentation mode
        anna = pages["anna"]
        open_nav(anna, "Teilen und Workshops")
        anna.get_by_label("Bezeichnung").fill("Workshop Jugendhilfeausschuss")
        anna.get_by_text("im Präsentationsmodus öffnen").click()
        anna.get_by_role("button", name="Workshop-Link erstellen").click()
        code = anna.locator('[data-testid="stCode"]').first
        expect(code).to_contain_text("?workshop=")
        url = code.inner_text().strip()
        assert url.startswith(base) and url.endswith("&praesentation=1"), url
        token = re.search(r"workshop=([\w-]+)", url).group(1)

        # the guest: presentation mode, no sidebar, suppressed figures, no administration
        gast = pages["gast"]
        gast.goto(f"{base}/sozialraeume?workshop={token}&praesentation=1&jahr=2023&indikator=hze_dichte")
        settle(gast)
        expect(gast.get_by_role("heading", name="Sozialräume", exact=True)).to_be_visible()
        expect(gast.get_by_role("main").get_by_text("Workshop-Ansicht").first).to_be_visible()
        expect(gast.get_by_role("button", name="Präsentationsmodus beenden")).to_be_visible()
        expect(gast.locator('[data-testid="stSidebar"]')).to_be_hidden()
        expect(gast.get_by_role("main").get_by_text("Jugendamt Astadt").first).to_be_visible()  # the sidebar is hidden
        gast.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
                               timeout=90_000)
        gast.wait_for_timeout(1500)
        gast.screenshot(path=str(SHOTS / "workshop_praesentation.png"))
        bars = gast.locator(".js-plotly-plot").first
        expect(bars).to_contain_text("Gesamt: 6,0")
        expect(bars).not_to_contain_text("10,0")  # Sozialraum 01 (10,0) goes with 02 (2 helps): rule 3
        assert gast.url.count("workshop=") == 1 and "jahr=2023" in gast.url
        # no upload page for guests, whatever the URL
        gast.goto(f"{base}/hochladen?workshop={token}")
        settle(gast)
        expect(gast.get_by_text("does not seem to exist")).to_be_visible()  # Streamlit: page not in the navigation
        expect(gast.locator('[data-testid="stFileUploader"]')).to_have_count(0)
        expect(gast.get_by_role("heading", name="Übersicht", exact=True)).to_be_visible()
        gast.keyboard.press("Escape")
        expect(gast.get_by_text("does not seem to exist")).to_have_count(0)

        # the admin revokes the link while the guest is watching: the guest's next click gets a German message
        open_nav(anna, "Teilen und Workshops")
        anna.get_by_role("button", name="Widerrufen").click()
        expect(anna.get_by_text("widerrufen").first).to_be_visible()
        revoked = gast.get_by_text("Dieser Workshop-Link wurde widerrufen")
        karte = gast.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Karte", exact=True)
        for _ in range(3):  # a click during a running script run can be lost; after the message the link is gone
            if karte.count():
                karte.click()
            settle(gast)
            try:
                expect(revoked).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                continue
        expect(revoked).to_be_visible()
        expect(gast.get_by_text("Jugendamt Astadt")).to_have_count(0)
        expect(gast.locator('[data-testid="stMetric"]')).to_have_count(0)
        gast.goto(f"{base}/?workshop={token}")
        settle(gast)
        expect(gast.get_by_text("Dieser Workshop-Link wurde widerrufen")).to_be_visible()
        expect(gast.get_by_role("button", name="Demo ansehen")).to_be_visible()

        # meanwhile the members still see their own figures
        for who, faelle in (("arne", "12"), ("bert", "30")):
            open_nav(pages[who], "Sozialräume")
            open_nav(pages[who], "Übersicht")
            expect(metric(pages[who], "HzE-Fälle")).to_contain_text(faelle)
    finally:
        for ctx in contexts:
            ctx.close()
