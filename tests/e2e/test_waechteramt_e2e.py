"""The two Wächteramt pages in a real browser: open the demo from the start page, go to both pages through the
sidebar, change the year, no exception anywhere; screenshots to /tmp/sk/ at 1400×1000 and 1280×720."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server, open_nav, settle

SHOTS = Path("/tmp/sk")
ERROR_TEXTS = ("Traceback", "Exception", "Error:", "Fehler beim Ausführen")


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator('[data-testid="stMain"]').inner_text()
    for text in ERROR_TEXTS:
        assert text not in body, f"{text!r} on the page"


def open_demo(page, base) -> None:
    page.goto(base)
    settle(page)
    page.get_by_role("button", name="Demo ansehen").click()
    settle(page)
    expect(page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Gefährdungseinschätzungen")
           ).to_be_visible()


def goto(page, title: str) -> None:
    open_nav(page, title)
    page.wait_for_timeout(1500)  # plotly and the map draw after the script has finished


def choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(6):  # right after another selectbox was used, the first click only moves the focus
        box.click()
        try:
            wanted.wait_for(timeout=3000)
            break
        except Exception:
            page.keyboard.press("Escape")
            settle(page)
            continue
    wanted.click()
    settle(page)
    page.wait_for_timeout(1500)


def choose_year(page, year: int) -> None:
    choose(page, "Jahr", str(year))


def shoot_whole_page(page, name: str, width: int) -> None:
    """The whole page (Streamlit scrolls inside its own container, so a tall viewport instead of full_page)."""
    page.set_viewport_size({"width": width, "height": 7000})
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 5", timeout=30000)
    page.wait_for_timeout(2500)
    shoot(page, name)


def first_tile(page):
    return page.locator('[data-testid="stMetricLabel"]').first


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width,height,suffix", [(1400, 1000, ""), (1280, 720, "_1280")])
def test_waechteramt_pages_in_demo(demo_server, browser, width, height, suffix):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    page = ctx.new_page()
    page.set_default_timeout(30000)
    try:
        open_demo(page, demo_server.url)

        goto(page, "Gefährdungseinschätzungen")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Verfahren, nicht Kinder:")).to_be_visible()
        expect(first_tile(page)).to_have_text("Gefährdungseinschätzungen 2024")
        expect(main.get_by_text("Mehrfachnennungen").first).to_be_visible()
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= 5
        expect(page.locator('[data-testid="stDeckGlJsonChart"]')).to_have_count(1)
        assert_no_exception(page)
        shoot(page, "gefaehrdung" + suffix)

        choose_year(page, 2022)
        expect(first_tile(page)).to_have_text("Gefährdungseinschätzungen 2022")
        assert "jahr=2022" in page.url
        assert_no_exception(page)
        # the indicator of map and comparison (inside a fragment) goes into the URL too
        choose(page, "Kennzahl für Karte und Vergleich", "Anteil festgestellter Gefährdungen")
        assert "indikator=kwg_quote" in page.url
        title = "Anteil festgestellter Gefährdungen (%) nach Sozialraum, 2022"
        expect(main.get_by_role("figure", name=title, exact=True)).to_be_visible()  # the ranking
        expect(main.get_by_role("figure", name=f"Karte: {title}. Die Werte stehen in der Tabelle unten.")
               ).to_be_visible()
        assert_no_exception(page)

        goto(page, "Inobhutnahmen")
        expect(main.get_by_text("Unbegleitete Einreise (§ 42a")).to_be_visible()
        # the year chosen on the other page is kept
        expect(first_tile(page)).to_have_text("Inobhutnahmen 2022")
        choose_year(page, 2024)
        expect(first_tile(page)).to_have_text("Inobhutnahmen 2024")
        expect(main.get_by_text("Mehrfachnennungen").first).to_be_visible()
        expect(page.locator('[data-testid="stDeckGlJsonChart"]')).to_have_count(1)
        assert_no_exception(page)
        shoot(page, "inobhutnahmen" + suffix)
        if not suffix:  # for looking at: the whole pages
            shoot_whole_page(page, "inobhutnahmen_ganz", width)
            goto(page, "Gefährdungseinschätzungen")
            shoot_whole_page(page, "gefaehrdung_ganz", width)
            assert_no_exception(page)
    finally:
        ctx.close()
