"""Help popovers beside tiles, charts and maps; the page "Kennzahlen erklärt" for every role; the expected-value
scatter on "Sozialräume" (AppTest against the demo)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_models import accounts
from data_models.indicators import regression
from data_models.indicators.catalogue import CATALOGUE
from tests.conftest import ROOT
from tests.pages.conftest import login_as, texts

PW = "sicheres-passwort-1"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hilfe') / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STRATEGIEKARTE_DATABASE_URL", url)
        from data_models.database import init_db
        from data_models.seed import seed_demo

        engine = init_db(url)
        seed_demo(engine)
        accounts.create_user(engine, username="koordination", email="k@programm.de", password=PW,
                             role="coordinator", name="Kim Koordination")
        yield engine, accounts.get_tenant_by_slug(engine, "musterstadt").id


@pytest.fixture
def env(demo_db, monkeypatch):
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", str(demo_db[0].url))
    return demo_db


def open_page(env, page, query=None, guest=True, user=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if guest:
        at.session_state["sk_guest"] = env[1]
    if user:
        at.session_state["sk_user"] = user
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    return at


def plain(at) -> str:
    """The visible text without Markdown escapes."""
    return texts(at).replace("\\", "")


def popovers(at) -> list:
    return [n for n in at.main if getattr(n, "type", None) == "popover"]


def popover_markdown(p) -> str:
    return "\n".join(str(m.value) for m in p if getattr(m, "type", None) == "markdown")


def test_every_kpi_tile_has_a_help_popover_with_the_full_definition(env):
    at = open_page(env, "uebersicht", query={"jahr": "2023"})
    pops = [p for p in popovers(at) if p.proto.popover.label == "Erläuterung"]
    assert len(at.metric) == 8 and len(pops) == len(at.metric)
    first = popover_markdown(pops[0])
    assert first.startswith("#### Eckwert HzE (ohne EB)")
    for part in ("**Zähler:**", "**Nenner:**", "**Einheit:**", "**Zählregel:**", "**Wie lesen:**", "**Datenquelle:**"):
        assert part in first
    assert "weder gut noch schlecht" in first
    assert at.metric[0].help.startswith("Zähler: HzE-Fälle ohne Erziehungsberatung")  # short tooltip


def test_charts_and_maps_carry_help_popovers(env):
    at = open_page(env, "gefaehrdung", query={"jahr": "2023"})
    texts_ = [popover_markdown(p) for p in popovers(at)]
    assert sum("**Zähler:**" in t for t in texts_) >= 6 + 2  # six tiles and the rate/share charts
    assert any(t.startswith("#### Gefährdungseinschätzungen nach Ergebnis") for t in texts_)  # breakdown chart
    assert any("#### Kindeswohlgefährdungen nach Art" in t for t in texts_)
    at = open_page(env, "karte", query={"jahr": "2023", "indikator": "hze_dichte"})
    assert any(popover_markdown(p).startswith("#### Eckwert HzE (ohne EB)") for p in popovers(at))
    assert "Farben: hell = niedrigerer, dunkel = höherer Wert. Die Farben werten nicht." in plain(at)


def test_map_colours_around_the_municipality_value_name_it(env):
    at = open_page(env, "karte", query={"jahr": "2023", "indikator": "hze_dichte"})
    at.radio(key="f_farben").set_value("Abstand zum Gesamtwert der Kommune").run()
    assert not at.exception
    gesamt = [m for m in plain(at).split("\n") if m.startswith("Farben: Abstand zum Bezugswert Gesamt 2023 = ")]
    assert gesamt and "je 1.000 unter 21" in gesamt[0]


def test_sozialraeume_scatter_with_line_equation_and_caveat(env):
    at = open_page(env, "sozialraeume", query={"jahr": "2023"})
    shown = plain(at)
    assert "Ausgleichsgerade 2023: Eckwert HzE = 15,30 + 0,78 × SGB-II-Quote" in shown
    assert "R² = 0,92; 11 Sozialräume" in shown
    assert "Kein Sozialraum auffällig" in shown  # per year no |z| > 2 in the demo
    assert regression.CAVEAT in shown
    helps = [popover_markdown(p) for p in popovers(at)]
    assert any("#### Eckwert HzE (ohne EB)" in t and "#### SGB-II-Quote unter 15" in t for t in helps)
    at.radio(key="f_gerade").set_value("alle Jahre").run()
    assert not at.exception
    shown = plain(at)
    assert "Ausgleichsgerade 2015–2024" in shown and "104 Punkte" in shown
    assert "**Auffällig**" in shown and "Am Mühlbach (über der Geraden" in shown and "Ostend" in shown


@pytest.mark.parametrize("who", ["demo", "member", "coordinator", "visitor"])
def test_kennzahlen_page_for_every_role(env, who):
    engine, demo = env
    if who == "demo":
        at = open_page(env, "kennzahlen")
    elif who == "coordinator":
        at = open_page(env, "kennzahlen", guest=False, user=login_as(engine, "koordination"))
    elif who == "member":
        if not accounts.get_user_by_name(engine, "mia"):
            accounts.signup(engine, office="Jugendamt Beispielkreis", typ="landkreis", key=None, name="Mia",
                            email="mia@kreis.de", username="mia", password=PW, password2=PW)
        at = open_page(env, "kennzahlen", guest=False, user=login_as(engine, "mia"))
    else:
        at = open_page(env, "kennzahlen", guest=False)
    assert at.title[0].value == "Kennzahlen erklärt"
    labels = [e.label for e in at.expander]
    for ind in CATALOGUE.values():
        assert (ind.label if ind.unit in ind.label else f"{ind.label} ({ind.unit})") in labels
    assert [t.label for t in at.tabs][:5] == ["Sozialstruktur", "Hilfedichte", "Leistungen", "Ressourcen",
                                              "Wächteramt"]
    assert "weder gut noch schlecht" in texts(at)
    if who == "visitor":
        assert "Fiktive Demo-Kommune" not in texts(at)
