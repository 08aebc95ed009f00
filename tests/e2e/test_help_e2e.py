"""Issue 11 in a real browser: the help popover beside a KPI tile opens and explains the indicator; the page
"Kennzahlen erklärt"; the Sozialräume scatter with its line. Set SK_SCREENSHOTS=<dir> to keep screenshots."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server, open_nav, settle


def shot(page, name: str, locator=None) -> None:
    folder = os.environ.get("SK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(path=str(Path(folder) / f"{name}.png"))


def test_help_popover_kennzahlen_page_and_scatter(demo_server, page):
    page.goto(demo_server.url + "/?jahr=2023")
    settle(page)
    page.get_by_role("button", name="Demo ansehen").click()
    settle(page)
    expect(page.get_by_role("heading", name="Übersicht", exact=True)).to_be_visible()

    # the popover beside the first tile opens and explains the Eckwert
    buttons = page.locator('[data-testid="stPopover"] button').filter(has_text="Erläuterung")
    expect(buttons.first).to_be_visible()
    assert buttons.count() >= 8
    buttons.first.click()
    body = page.locator('[data-testid="stPopoverBody"]').first
    expect(body).to_be_visible()
    expect(body.get_by_text("Eckwert HzE (ohne EB)", exact=True)).to_be_visible()
    text = body.inner_text()
    for part in ("Zähler:", "Nenner:", "Einheit:", "Zählregel:", "Was den Wert bewegt:", "Wie lesen:",
                 "Datenquelle:", "weder gut noch schlecht"):
        assert part in text
    shot(page, "popover_uebersicht")
    page.keyboard.press("Escape")
    settle(page)

    # the page "Kennzahlen erklärt": every section as a tab, an indicator opens
    open_nav(page, "Kennzahlen erklärt")
    page.get_by_role("tab", name="Wächteramt").click()
    page.get_by_text("Inobhutnahmen bis 2 Wochen (%)").click()
    expect(page.get_by_text("Inobhutnahmen, die innerhalb von 2 Wochen beendet wurden").first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "kennzahlen_seite")

    # the Sozialräume scatter: line with equation and R² and the caveat beside it
    open_nav(page, "Sozialräume")
    scatter = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    scatter.scroll_into_view_if_needed()
    expect(scatter.get_by_text(re.compile(r"^Eckwert = \d+,\d\d [+−] \d+,\d\d × Quote, R² = \d,\d\d$")).first
           ).to_be_visible()  # the equation written on the chart
    expect(page.get_by_text("ist ein Anlass zum Gespräch, kein Urteil").first).to_be_visible()
    page.get_by_text("alle Jahre", exact=True).click()
    settle(page)
    expect(page.get_by_text("Ausgleichsgerade 2015–2024").first).to_be_visible()
    scatter = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    scatter.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "streudiagramm", scatter)
    assert page.locator('[data-testid="stException"]').count() == 0
