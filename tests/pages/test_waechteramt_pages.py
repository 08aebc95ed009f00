"""The Wächteramt pages (Gefährdungseinschätzungen, Inobhutnahmen) through AppTest: the demo as a guest, an own
office with a tiny Masterdatei (values computed by hand), and an office without data (empty states)."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from data_models import accounts
from data_models.findings import FEHLER
from tests.pages.conftest import login_as, run_app, texts

PW = "sicheres-passwort-1"
G8A, G42 = "pages/gefaehrdung.py", "pages/inobhutnahmen.py"
NAME = "Nordstadt <i>kursiv</i> *stern*"  # a user-provided name with HTML and markdown in it


def masterdatei() -> bytes:
    """One Sozialraum "01" with 1,000 under 18 in 2023 and 2024; § 8a 2023: akut 2, latent 4, Hilfebedarf 8,
    kein 6 (20); 2024: akut 3, latent 5, Hilfebedarf 10, kein 12 (30) with Art 5 / 2 / 4 / 1. No § 8a Melder,
    no § 42, no records, no geometry."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sozialräume"
    ws.append(["Sozialraum-ID", "Name"])
    ws.append(["01", NAME])
    ws = wb.create_sheet("Bevölkerung")
    ws.append(["Jahr", "Sozialraum-ID", "0 bis unter 3", "3 bis unter 6", "6 bis unter 10", "10 bis unter 15",
               "15 bis unter 18", "18 bis unter 21", "21 bis unter 27", "insgesamt"])
    for year in (2023, 2024):
        ws.append([year, "01", 200, 200, 200, 200, 200, 150, 300, 5000])  # u18 = 5 × 200 = 1,000
    ws = wb.create_sheet("§ 8a")
    ws.append(["Jahr", "Sozialraum-ID", "akute Kindeswohlgefährdung", "latente Kindeswohlgefährdung",
               "keine Kindeswohlgefährdung, aber Hilfebedarf", "keine Kindeswohlgefährdung und kein Hilfebedarf",
               "Vernachlässigung", "körperliche Misshandlung", "psychische Misshandlung", "sexuelle Gewalt"])
    ws.append([2023, "01", 2, 4, 8, 6, None, None, None, None])
    ws.append([2024, "01", 3, 5, 10, 12, 5, 2, 4, 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One database for the module: the demo (seeded once, a few seconds), office "Wächterstadt" with the tiny
    Masterdatei (user wanda, admin) and office "Leerstadt" without data (user leo, admin)."""
    from data_models.database import init_db
    from data_models.seed import seed_demo
    from data_models.tenant_data import import_file

    tmp = tmp_path_factory.mktemp("waechteramt_pages")
    url = f"sqlite:///{tmp / 'app.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STRATEGIEKARTE_DATABASE_URL", url)
        mp.setenv("STRATEGIEKARTE_DATA_DIR", str(tmp))
        engine = init_db(url)
        seed_demo(engine)
        tenant, _ = accounts.signup(engine, office="Jugendamt Wächterstadt", typ="stadt", key=None, name="Wanda",
                                    email="wanda@waechterstadt.de", username="wanda", password=PW, password2=PW)
        outcome = import_file(engine, tenant.id, "wanda", masterdatei(), "masterdatei.xlsx", kind="masterdatei")
        assert not [f for f in outcome.result.findings if f.schwere == FEHLER], outcome.result.findings
        accounts.signup(engine, office="Jugendamt Leerstadt", typ="stadt", key=None, name="Leo",
                        email="leo@leerstadt.de", username="leo", password=PW, password2=PW)
        yield engine


@pytest.fixture(scope="module")
def demo_id(db):
    return accounts.get_tenant_by_slug(db, accounts.DEMO_SLUG).id


def metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def plotly_specs(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def dataframes_text(at) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


# --- demo, guest ----------------------------------------------------------------------------------------
def test_demo_gefaehrdung_shows_all_sections(db, demo_id):
    at = run_app(guest=demo_id, page=G8A)
    assert not at.exception
    assert at.title[0].value == "Gefährdungseinschätzungen"
    shown = texts(at)
    for heading in ("Kennzahlen 2024 für die ganze Kommune", "Ergebnisse der Gefährdungseinschätzungen im Verlauf",
                    "Sozialräume im Vergleich, 2024", "Art der Gefährdung", "Wer hat die Gefährdung gemeldet?",
                    "Hilfen zur Erziehung nach einer Gefährdungseinschätzung"):
        assert heading in shown
    assert "Verfahren, nicht Kinder" in shown and "latente" in shown  # the explanation for the committee
    assert "können zusammen mehr als 100 % ergeben" in " ".join(i.value for i in at.info)  # beside the Art chart
    assert "Für diese Ansicht fehlen Daten" not in shown  # the demo has every input
    labels = [m.label for m in at.metric]
    assert labels == [f"{label} 2024" for label in ("Gefährdungseinschätzungen", "Verfahren je 10\\.000 unter 18",
                                                     "Gefährdung festgestellt", "KWG je 10\\.000 unter 18",
                                                     "Anteil akuter Gefährdungen", "Verfahren mit Hilfebedarf")]
    values = metrics(at)
    assert values["Gefährdungseinschätzungen 2024"][0].endswith(" Verfahren")
    assert values["Gefährdung festgestellt 2024"][1].endswith("Prozentpunkte")  # a share: change in pp
    assert values["Gefährdungseinschätzungen 2024"][1].endswith(" %")  # a count: change in %
    # the "HzE after an assessment" sentence from the demo's HzE records
    assert "eine Gefährdungseinschätzung nach § 8a voraus" in shown
    specs = plotly_specs(at)
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert any(t.startswith("Gefährdungseinschätzungen nach Ergebnis (Verfahren), Gesamt, 2015–2024") for t in titles)
    assert any("nach Art, Mehrfachnennungen (Anteil in %), Gesamt, 2024" in t for t in titles)
    for s in specs:  # every chart names its source
        assert any(a.get("name") == "quelle" and "Musterstadt" in a["text"] for a in s["layout"]["annotations"])
    assert len(at.get("deck_gl_json_chart")) == 1  # the map (the demo has geometry)
    at.radio[0].set_value("Anteil in %").run()  # the results as shares
    assert not at.exception
    titles = [s["layout"]["title"]["text"] for s in plotly_specs(at)]
    assert any(t.startswith("Gefährdungseinschätzungen nach Ergebnis (Anteil in %), Gesamt") for t in titles)
    # every table downloadable (CSV + XLSX): key figures, results, comparison, Art, Melder, HzE after § 8a
    assert len(at.get("download_button")) == 12


def test_demo_gefaehrdung_year_and_indicator_in_the_url(db, demo_id):
    at = run_app(guest=demo_id, page=G8A, query={"jahr": "2022", "indikator": "kwg_quote"})
    assert not at.exception
    assert at.metric[0].label == "Gefährdungseinschätzungen 2022"
    assert at.query_params["jahr"] == "2022" and at.query_params["indikator"] == "kwg_quote"
    box = [s for s in at.selectbox if s.label == "Kennzahl für Karte und Vergleich"][0]
    assert box.value == "kwg_quote"
    # choosing another year updates the tiles and the URL
    year = [s for s in at.selectbox if s.label == "Jahr"][0]
    year.select(2020).run()
    assert not at.exception
    assert at.metric[0].label == "Gefährdungseinschätzungen 2020"
    assert at.query_params["jahr"] == "2020"


def test_demo_inobhutnahmen_shows_all_sections(db, demo_id):
    at = run_app(guest=demo_id, page=G42)
    assert not at.exception
    assert at.title[0].value == "Inobhutnahmen"
    shown = texts(at)
    for heading in ("Kennzahlen 2024 für die ganze Kommune", "Entwicklung mit und ohne unbegleitete Einreise",
                    "Sozialräume im Vergleich, 2024", "Was folgte auf die Inobhutnahme?", "Anlass der Inobhutnahme",
                    "Wer hat die Inobhutnahme angeregt?"):
        assert heading in shown
    assert "Maßnahmen, nicht Kinder" in shown and "§ 42a" in shown
    assert "beziehen sich auf alle Inobhutnahmen und können zusammen mehr als 100 % ergeben" in \
        " ".join(i.value for i in at.info)
    assert "Für diese Ansicht fehlen Daten" not in shown
    labels = [m.label for m in at.metric]
    assert labels == [f"{label} 2024" for label in ("Inobhutnahmen", "Inobhutnahmen je 10\\.000 unter 18",
                                                     "ohne UMA je 10\\.000 unter 18", "bis 2 Wochen beendet",
                                                     "Rückkehr zu Sorgeberechtigten")]
    values = metrics(at)
    assert values["Inobhutnahmen 2024"][0].endswith(" Maßnahmen")
    assert values["bis 2 Wochen beendet 2024"][1].endswith("Prozentpunkte")
    # trend with and without unaccompanied minors: two series of the same unit in one chart
    specs = plotly_specs(at)
    trend = [s for s in specs if s["layout"]["title"]["text"].startswith("Inobhutnahmen mit und ohne unbegleitete")]
    assert [t["name"] for t in trend[0]["data"]] == ["alle Inobhutnahmen", "ohne unbegleitete Einreise"]
    assert len(at.get("deck_gl_json_chart")) == 1


# --- own office with the tiny Masterdatei ---------------------------------------------------------------
def test_own_office_gefaehrdung_values_by_hand(db):
    at = run_app(user=login_as(db, "wanda"), page=G8A)
    assert not at.exception
    values = metrics(at)
    # verfahren_8a = 3 + 5 + 10 + 12 = 30; 2023: 20 → +50,0 %
    assert values["Gefährdungseinschätzungen 2024"] == ("30 Verfahren", "+50,0 %")
    # 30 × 10,000 / 1,000 = 300,0 (the tile label names the unit); 2023: 200 → +50,0 %
    assert values["Verfahren je 10\\.000 unter 18 2024"] == ("300,0", "+50,0 %")
    # (3 + 5) / 30 = 26,67 % → "26,7 %"; 2023: 6 / 20 = 30 % → −3,3 Prozentpunkte
    assert values["Gefährdung festgestellt 2024"] == ("26,7 %", "-3,3 Prozentpunkte")
    # 8 × 10,000 / 1,000 = 80,0; 2023: 60 → +33,3 %
    assert values["KWG je 10\\.000 unter 18 2024"] == ("80,0", "+33,3 %")
    # akut 3 / 30 = 10,0 % (2023: 2 / 20 = 10 % → ±0,0); Hilfebedarf 18 / 30 = 60,0 % (2023: 70 % → −10,0)
    assert values["Anteil akuter Gefährdungen 2024"] == ("10,0 %", "±0,0 Prozentpunkte")
    assert values["Verfahren mit Hilfebedarf 2024"] == ("60,0 %", "-10,0 Prozentpunkte")
    # Art der Gefährdung: 5 / 8 = 62,5 %, 2 / 8 = 25,0 %, 4 / 8 = 50,0 %, 1 / 8 = 12,5 % (sum 150 %)
    tables = dataframes_text(at)
    assert "Vernachlässigung" in tables and "62,5" in tables and "12,5" in tables
    assert "mehr als 100 %" in " ".join(i.value for i in at.info)
    # what is missing is said, with what to upload
    shown = texts(at)
    assert "§ 8a Melder" in shown  # no Melder sheet
    assert "HzE-Einzeldaten" in shown  # anteil_nach_8a needs HzE records
    assert "Sozialraumgrenzen" in shown  # no geometry: no map, but the comparison
    assert len(at.get("deck_gl_json_chart")) == 0
    assert "Laden Sie die Daten auf der Seite „Daten hochladen“ hoch" in shown  # wanda is admin


def test_own_office_user_names_are_escaped(db):
    at = run_app(user=login_as(db, "wanda"), page=G8A)
    specs = json.dumps(plotly_specs(at), ensure_ascii=False)
    assert "<i>kursiv</i>" not in specs  # never as markup in a chart
    assert "&lt;i&gt;kursiv&lt;/i&gt;" in specs  # the ranking names the Sozialraum, escaped
    assert NAME in dataframes_text(at)  # tables show the name as plain text


def test_own_office_inobhutnahmen_without_42_data_says_what_to_upload(db):
    at = run_app(user=login_as(db, "wanda"), page=G42)
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "Für diese Ansicht fehlen Daten" in info
    assert "§ 42" in info and "Einzeldaten der Statistik der vorläufigen Schutzmaßnahmen" in info
    assert "Maßnahmen, nicht Kinder" in texts(at)  # the explanation is still there
    assert not at.metric


def test_office_without_data_gets_empty_state(db):
    for page in (G8A, G42):
        at = run_app(user=login_as(db, "leo"), page=page)
        assert not at.exception
        info = " ".join(i.value for i in at.info)
        assert "Für diese Ansicht fehlen Daten" in info and "Blatt „Sozialräume“" in info
        assert not at.metric
        assert "Jugendamt Wächterstadt" not in texts(at)  # nothing of another office
