"""Accessibility in a real browser (BITV 2.0 / WCAG 2.1 AA): axe-core on every page of every role, the data table
beside every chart, and the main flows by keyboard alone (login, upload, filters).

axe-core comes from the PyPI package `axe-playwright-python` (requirements-dev.txt), which ships `axe.min.js`; we
inject that file and call `axe.run` ourselves with the WCAG 2.0/2.1 A and AA rules. A serious or critical violation
fails the test. Streamlit's own markup that the app cannot change is excluded narrowly: by rule id AND only inside
the named Streamlit element (KNOWN_STREAMLIT); the same rule anywhere else still fails.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.conftest import Server, click_nav

PW = "sicheres-passwort-1"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# rule id -> the Streamlit element it is accepted in (and nowhere else)
KNOWN_STREAMLIT = {
    # st.navigation with sections writes the section headings as <div> into the <ul> of the sidebar menu
    "list": '[data-testid="stSidebarNavItems"]',
    "listitem": '[data-testid="stSidebarNavItems"]',
    # st.metric(chart_data=...) draws its sparkline with Vega: empty mark groups carry role="graphics-symbol"
    # without a name. The tile's value and change are text; the series is on "Entwicklung" as chart and table.
    "svg-img-alt": '[data-testid="stMetric"]',
}


def axe_source() -> str:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")


AXE_RUN = """async ([tags, known]) => {
  const res = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const out = [];
  for (const v of res.violations) {
    if (!['serious', 'critical'].includes(v.impact)) continue;
    for (const n of v.nodes) {
      const el = document.querySelector(n.target[0]);
      if (known[v.id] && el && el.closest(known[v.id])) continue;
      out.push(`${v.id} (${v.impact}): ${n.target.join(' ')} ${n.html.slice(0, 160)} :: ${(n.failureSummary || '').replace(/\\n/g, ' ')}`);
    }
  }
  return out;
}"""

# every chart (plotly) and map (pydeck) needs its data as a table right after it, before the next chart:
# an expander "Daten als Tabelle" (one click away) or a table shown beside it
CHARTS_WITHOUT_TABLE = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stDeckGlJsonChart"]')];
  const tables = [...document.querySelectorAll('[data-testid="stExpander"], [data-testid="stDataFrame"], [data-testid="stTable"]')]
    .filter(e => e.getAttribute('data-testid') !== 'stExpander' || e.innerText.includes('Daten als Tabelle'));
  const F = Node.DOCUMENT_POSITION_FOLLOWING;
  return charts.filter((c, i) => !tables.some(t => (c.compareDocumentPosition(t) & F)
      && (!charts[i + 1] || (t.compareDocumentPosition(charts[i + 1]) & F))))
    .map(c => (c.querySelector('.gtitle') || {}).textContent || c.getAttribute('data-testid'));
}"""


WAIT = 90_000  # ms; a shared 2-core machine under load


def rendered(page) -> None:
    """The script has finished (Streamlit's own e2e tests wait for the same attribute), every page's title is drawn
    (until st.navigation has run once, Streamlit lists the files of pages/), nothing is left over from the previous
    page, and the charts are drawn."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=WAIT)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                           ".every(c => c.querySelector('.main-svg'))", timeout=WAIT)
    page.wait_for_timeout(700)


def violations(page) -> list[str]:
    rendered(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN, [TAGS, KNOWN_STREAMLIT])


def nav_links(page) -> list[str]:
    # a link's text starts with the name of its material icon ("home\n\nStart"): the label is the last line
    return [t.strip().split("\n")[-1].strip() for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def visit(page, name: str) -> None:
    click_nav(page, name)
    rendered(page)


def scan_every_page(page, skip=()) -> dict[str, list[str]]:
    """axe and the chart-table check on every page of the current navigation."""
    found = {}
    for name in nav_links(page):
        if name in skip:
            continue
        visit(page, name)
        problems = violations(page) + [f"Diagramm ohne Datentabelle: {t}" for t in page.evaluate(CHARTS_WITHOUT_TABLE)]
        if problems:
            found[name] = problems
    return found


def focus_by_tab(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `predicate_js` (a function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate_js})(el); }}"):
            return
    raise AssertionError(f"nicht mit der Tabulatortaste erreichbar: {predicate_js}")


def start_keyboard(page) -> None:
    """From here on keyboard only: nothing focused, Tab starts at the top of the page."""
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")


def label_is(text: str) -> str:
    return f"el => (el.getAttribute('aria-label') || '') === {text!r}"


def button_named(text: str) -> str:
    return f"el => el.tagName === 'BUTTON' && el.innerText.trim() === {text!r}"


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("e2e_a11y"), seed_demo=True)
    for args in (["create-tenant", "--slug", "astadt", "--name", "Jugendamt Astadt", "--type", "stadt"],
                 ["create-user", "--username", "anna", "--email", "anna@astadt.de", "--password", PW,
                  "--role", "admin", "--tenant", "astadt"],
                 ["create-user", "--username", "kora", "--email", "kora@programm.de", "--password", PW,
                  "--role", "coordinator"],
                 ["import", "--tenant", "astadt", str(ROOT / "assets/demo/musterstadt_masterdatei.xlsx")],
                 ["import", "--tenant", "astadt", str(ROOT / "assets/demo/musterstadt.geojson")]):
        p = srv.manage(*args)
        assert p.returncode == 0, p.stderr
    yield srv
    srv.stop()


def keyboard_login(page, base: str, username: str, tries: int = 3) -> None:
    page.set_default_timeout(WAIT)
    # the start page first: the first request a fresh server process gets on a deep link (/anmelden) is drawn
    # with Streamlit's file list of pages/ until st.navigation has run once (seen with Streamlit 1.67)
    page.goto(base)
    rendered(page)
    for attempt in range(tries):
        page.goto(base + "/anmelden")
        rendered(page)
        page.wait_for_timeout(800)  # the cookie component mounts and triggers a second run
        rendered(page)
        start_keyboard(page)
        focus_by_tab(page, label_is("Benutzername"))
        page.keyboard.type(username)
        focus_by_tab(page, label_is("Passwort"), limit=3)
        page.keyboard.type(PW)
        page.keyboard.press("Enter")
        try:  # on a loaded machine the cookie component's run can swallow what was typed: type again
            expect(page.get_by_text("Angemeldet als")).to_be_visible(timeout=WAIT if attempt == tries - 1 else 10_000)
            break
        except AssertionError:
            if attempt == tries - 1:
                raise
    rendered(page)


def test_public_and_demo_pages(a11y_server, page):
    base = a11y_server.url
    page.set_default_timeout(WAIT)
    page.goto(base)
    rendered(page)
    found = scan_every_page(page)
    assert {"Start", "Anmelden", "Jugendamt registrieren", "Impressum", "Datenschutz"} <= set(nav_links(page))
    page.goto(base + "/?demo=1")
    rendered(page)
    demo = nav_links(page)
    assert {"Übersicht", "Karte", "Gefährdungseinschätzungen", "Inobhutnahmen", "Datenqualität"} <= set(demo)
    found.update({f"Demo: {k}": v for k, v in scan_every_page(page, skip={"Anmelden"}).items()})
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_admin_pages_dialog_and_log_by_keyboard(a11y_server, page, tmp_path):
    base = a11y_server.url
    keyboard_login(page, base, "anna")
    found = scan_every_page(page)
    visit(page, "Verwaltung")
    for tab in ("Benutzer", "Einladungen", "Einstellungen", "Daten löschen", "Protokoll"):
        page.get_by_role("tab", name=tab).click()
        problems = violations(page)
        if problems:
            found[f"Verwaltung/{tab}"] = problems
    page.screenshot(path=str(tmp_path / "protokoll.png"), full_page=True)
    log = page.locator('[data-testid="stDataFrame"]').last
    expect(log).to_contain_text("Anmeldung")  # the keyboard login above is in the tenant's log
    # the deletion dialog: open it by keyboard, scan it, close it with Escape; nothing is deleted
    page.get_by_role("tab", name="Daten löschen").click()
    rendered(page)
    page.get_by_role("button", name="Jugendamt löschen …").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("nicht rückgängig")
    page.wait_for_timeout(500)
    problems = page.evaluate(AXE_RUN, [TAGS, KNOWN_STREAMLIT])
    if problems:
        found["Löschdialog"] = problems
    page.screenshot(path=str(tmp_path / "loeschdialog.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_coordinator_pages(a11y_server, page):
    keyboard_login(page, a11y_server.url, "kora")
    found = scan_every_page(page)
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_upload_and_year_filter_by_keyboard(a11y_server, page, tmp_path):
    base = a11y_server.url
    keyboard_login(page, base, "anna")
    visit(page, "Daten hochladen")
    for attempt in range(3):  # a rerun of the page (cookie component) can replace the focused button: try again
        rendered(page)
        start_keyboard(page)
        focus_by_tab(page, "el => el.tagName === 'BUTTON' && !!el.closest('[data-testid=\"stFileUploader\"]')")
        try:
            with page.expect_file_chooser(timeout=15000) as chooser:
                page.keyboard.press("Enter")
            break
        except PlaywrightTimeout:
            assert attempt < 2, "Enter auf „Upload“ öffnet keine Dateiauswahl"
    chooser.value.set_files(str(ROOT / "assets/demo/8a_einzeldaten.csv"))
    rendered(page)
    focus_by_tab(page, button_named("Datei prüfen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Vorschau: das würde sich ändern")).to_be_visible(timeout=WAIT)
    rendered(page)
    focus_by_tab(page, button_named("Übernehmen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Daten sind übernommen (Version 3).")).to_be_visible(timeout=WAIT)

    # a filter: the year on "Sozialräume", chosen with the arrow keys
    visit(page, "Sozialräume")
    year_box = page.get_by_role("combobox", name="Jahr", exact=True)
    before = year_box.input_value()
    start_keyboard(page)
    focus_by_tab(page, label_is("Jahr"))
    page.keyboard.press("ArrowDown")  # opens the list
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    rendered(page)
    after = year_box.input_value()
    assert re.fullmatch(r"20\d\d", before) and re.fullmatch(r"20\d\d", after) and after != before
    assert f"jahr={after}" in page.url
    expect(page.get_by_text(f"nach Sozialraum, {after}").first).to_be_visible()


def test_sidebar_caption_contrast_as_drawn(a11y_server, page):
    """axe cannot decide the sidebar captions (overlapping layers): measure what the browser draws."""
    page.set_default_timeout(WAIT)
    page.goto(a11y_server.url + "/?demo=1")
    rendered(page)
    drawn = page.evaluate("""() => {
      const cap = document.querySelector('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]');
      const cs = getComputedStyle(cap);
      return [cs.color, cs.opacity, getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).backgroundColor];
    }""")
    from tests.components.test_contrast import over, ratio

    def parse(css):
        return tuple(int(v) for v in re.findall(r"\d+", css)[:3])

    color, opacity, background = parse(drawn[0]), float(drawn[1]), parse(drawn[2])
    assert opacity == pytest.approx(0.75)
    assert ratio(over(color, opacity, background), background) >= 4.5
