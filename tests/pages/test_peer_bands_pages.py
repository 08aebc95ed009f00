"""Distribution bands of the peer groups through AppTest against the real app.py: the coordinator's Vergleich (group
column, bands with minimum and maximum, a sentence for a group too small), a consenting office's Übersicht (median
and quartiles only, no other office's name), and the offices that see no band and why.

Five Landkreise take part, all with SGB-II-Quote 10 % (one third: equal values land in the same third), Eckwert HzE
4, 6, 8, 12 and 20 (u21 2 × 1000, HzE 8, 12, 16, 24, 40) → Q1 6, median 8, Q3 12 (QUARTILE.INC), minimum 4,
maximum 20. Two kreisfreie Städte take part (Eckwert 10 and 14): a group of 2. A Landkreis that did not consent
(Eckwert 30) and a consenting, unconfirmed one (Eckwert 2) are not in the comparison."""
from __future__ import annotations

import json

import pytest

from data_models import accounts, workshops
from tests.data_models.factories import Builder
from tests.pages.conftest import login_as, run_app, texts
from tests.programme_factories import coordinator, office, store_dataset

LANDKREISE = {"lk1": ("Kreis Adlerfeld", 4), "lk2": ("Kreis Birkental", 6), "lk3": ("Kreis Corvey", 8),
              "lk4": ("Kreis Dornbach", 12), "lk5": ("Kreis Erlenau", 20)}
STAEDTE = {"st1": ("Stadt Falkenberg", 10), "st2": ("Stadt Goldstein", 14)}
OTHERS = {"lk6": ("Kreis Hainfeld", 30), "lk7": ("Kreis Ilmtal", 2)}
NAMES = [n for d in (LANDKREISE, STAEDTE, OTHERS) for n, _ in d.values()]


def builder(name: str, eckwert: float) -> Builder:
    """2023: two Sozialräume with u21 1000, u15 500 and SGB II 50 each (10 %); HzE 07 eckwert per Sozialraum, so
    the GESAMT Eckwert is `eckwert` per 1.000 unter 21."""
    b = Builder(["01", "02"], tenant_name=name)
    for sr in ("01", "02"):
        b.pop(2023, sr, u15=500, u18=800, u21=1000).sgb2(2023, sr, 50).hze(2023, sr, "07", andauernd=int(eckwert))
    return b


@pytest.fixture
def peer_db(app_db):
    for slug, (name, eck) in LANDKREISE.items():
        office(app_db, slug, name, typ="landkreis", builder=builder(name, eck),
               admin={"lk2": "lara"}.get(slug), member={"lk2": "lena"}.get(slug))
    for slug, (name, eck) in STAEDTE.items():
        office(app_db, slug, name, typ="stadt", builder=builder(name, eck), admin={"st1": "stefan"}.get(slug))
    office(app_db, "lk6", OTHERS["lk6"][0], typ="landkreis", consent=False, builder=builder(*OTHERS["lk6"]),
           admin="nora")
    office(app_db, "lk7", OTHERS["lk7"][0], typ="landkreis", confirmed=False, builder=builder(*OTHERS["lk7"]),
           admin="udo")
    coordinator(app_db)
    return app_db


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart(at, title_part: str) -> dict | None:
    found = [c for c in charts(at) if title_part in c["layout"]["title"]["text"]]
    return found[0] if found else None


def traces(spec: dict) -> dict:
    return {t.get("meta"): t for t in spec["data"]}


def plain(at) -> str:
    """Visible text without markdown escapes and bold markers."""
    return texts(at).replace("\\", "").replace("**", "")


def everything(at) -> str:
    """Visible text, tables and chart specs of the run."""
    parts = [texts(at)] + [df.value.to_csv(sep="|") for df in at.dataframe]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    return "\n".join(parts)


def uebersicht(user: dict, **query):
    at = run_app(user=user, query={"jahr": "2023", **query})
    at.switch_page("pages/uebersicht.py").run()
    assert not at.exception, at.exception
    return at


# --------------------------------------------------------------------------------------------- coordinator
def test_coordinator_sees_group_column_and_bands_with_minimum_and_maximum(peer_db):
    at = run_app(user=login_as(peer_db, "kora"), page="pages/vergleich.py",
                 query={"jahr": "2023", "indikator": "hze_dichte"})
    assert not at.exception, at.exception
    method = [s for s in at.selectbox if s.label == "Vergleichsgruppen nach"][0]
    assert method.value == "typ_sgb2"
    table = at.dataframe[0].value
    groups = dict(zip(table["Jugendamt"], table["Vergleichsgruppe"]))
    assert groups["Kreis Birkental"] == "Landkreise, SGB-II-Quote niedrig (bis 10,0 %)"
    assert groups["Stadt Falkenberg"] == "Kreisfreie Städte"
    assert "Kreis Hainfeld" not in groups and "Kreis Ilmtal" not in groups  # not consenting / not confirmed
    spec = chart(at, "in den Vergleichsgruppen")
    t = traces(spec)
    assert t["spanne"]["x"] == [4.0, 20.0, None]
    assert t["mitte"]["base"] == [6.0] and t["mitte"]["x"] == [6.0] and t["median"]["x"] == [8.0]
    assert t["mitte"]["y"] == ["Landkreise,<br>SGB-II-Quote niedrig (bis 10,0 %)"]
    assert any("Quelle: Strategiekarte · Programmvergleich von 7 Jugendämtern" in a.get("text", "")
               for a in spec["layout"]["annotations"])
    text = plain(at)
    assert "„Kreisfreie Städte“: kein Band – 2 von 2 Jugendämtern mit Wert (mindestens 3 nötig)." in text
    assert "Wie werden die Vergleichsgruppen gebildet?" in [e.label for e in at.expander]

    # all offices in one group: 7 values 4 6 8 10 12 14 20 → Q1 7, median 10, Q3 13
    method.set_value("alle").run()
    assert not at.exception
    t = traces(chart(at, "in den Vergleichsgruppen"))
    assert (t["spanne"]["x"], t["mitte"]["base"], t["median"]["x"]) == ([4.0, 20.0, None], [7.0], [10.0])
    assert t["mitte"]["x"] == [6.0]
    assert "kein Band" not in texts(at)


# ---------------------------------------------------------------------------------------------- tenants
def test_consenting_tenant_in_a_group_of_five_sees_quartiles_and_no_other_name(peer_db):
    for user in ("lara", "lena"):  # admin and member
        at = uebersicht(login_as(peer_db, user))
        text = plain(at)
        assert "Vergleich mit ähnlichen Jugendämtern 2023" in text
        assert ("Ihre Vergleichsgruppe: Landkreise mit niedriger SGB-II-Quote unter 15 (unteres Drittel der "
                "Landkreise im Programmvergleich) – 5 Jugendämter.") in text
        rows = {r["Kennzahl"]: r for r in at.dataframe[0].value.to_dict("records")}
        eck = rows["Eckwert HzE (ohne EB)"]
        assert (eck["Einheit"], eck["Ihr Wert"], eck["unteres Quartil"], eck["Median"], eck["oberes Quartil"]) == (
            "je 1.000 unter 21", "6,0", "6,0", "8,0", "12,0")
        assert eck["Lage"] == "mittlere Hälfte, unter dem Median"
        assert ("Ihr Jugendamt: 6,0 je 1.000 unter 21, in der mittleren Hälfte der Vergleichsgruppe, unter dem "
                "Median.") in text
        assert rows["Eckwert Erziehungsberatung"]["Lage"].startswith("kein Band")  # no EB data anywhere
        t = traces(chart(at, "Ihr Jugendamt und Vergleichsgruppe"))
        assert "spanne" not in t  # never minimum or maximum
        assert (t["mitte"]["base"], t["median"]["x"], t["wert"]["x"]) == ([6.0], [8.0], [6.0])
        shown = everything(at)
        assert not [n for n in NAMES if n != "Kreis Birkental" and n in shown]
        assert "20,0" not in shown and "4,0" not in shown  # the maximum and minimum stay hidden
        assert "Kreis Birkental" in shown  # the own name only (source line)


def test_band_follows_a_new_upload_of_another_office_and_a_changed_type(peer_db):
    at = uebersicht(login_as(peer_db, "lara"))
    assert traces(chart(at, "Vergleichsgruppe"))["median"]["x"] == [8.0]
    # Erlenau uploads again: Eckwert 2 instead of 20 → 2 4 6 8 12: Q1 4, median 6, Q3 8
    lk5 = accounts.get_tenant_by_slug(peer_db, "lk5")
    store_dataset(peer_db, lk5.id, builder("Kreis Erlenau", 2), datei="neu.xlsx")
    at.run()
    assert not at.exception
    t = traces(chart(at, "Vergleichsgruppe"))
    assert (t["mitte"]["base"], t["median"]["x"]) == ([4.0], [6.0])
    eck = {r["Kennzahl"]: r for r in at.dataframe[0].value.to_dict("records")}["Eckwert HzE (ohne EB)"]
    assert eck["Lage"] == "beim Median"
    # the admin of Birkental makes it a kreisfreie Stadt (Verwaltung → Einstellungen): now 3 Städte, too few
    at.switch_page("pages/verwaltung.py").run()
    setting = [t for t in at.tabs if t.label == "Einstellungen"][0]
    box = [s for s in setting.selectbox if s.label == "Art des Jugendamts"][0]
    assert box.value == "landkreis" and not box.disabled
    box.set_value("stadt").run()
    at.button(key="sk_gebietstyp_speichern").click().run()
    assert not at.exception
    assert accounts.get_tenant_by_slug(peer_db, "lk2").typ == "stadt"
    at.switch_page("pages/uebersicht.py").run()
    assert "zu wenige vergleichbare Jugendämter" in texts(at)
    assert chart(at, "Vergleichsgruppe") is None


def test_tenant_in_a_small_group_sees_the_explanation_and_no_band(peer_db):
    at = uebersicht(login_as(peer_db, "stefan"))
    text = plain(at)
    assert "Kreisfreie Städte im Programmvergleich – 2 Jugendämter" in text
    assert "Kein Vergleichsband für 2023: zu wenige vergleichbare Jugendämter" in text
    assert chart(at, "Vergleichsgruppe") is None
    assert not [df for df in at.dataframe if "Kennzahl" in df.value.columns]
    assert "Stadt Goldstein" not in everything(at)


def test_not_consenting_or_unconfirmed_tenant_sees_no_band(peer_db):
    at = uebersicht(login_as(peer_db, "nora"))
    text = texts(at)
    assert "nimmt nicht am Programmvergleich teil" in text and "Teilen und Workshops" in text
    assert chart(at, "Vergleichsgruppe") is None
    assert not [n for n in NAMES if n != "Kreis Hainfeld" and n in everything(at)]
    at = uebersicht(login_as(peer_db, "udo"))
    assert "noch nicht von der Programmkoordination bestätigt" in texts(at)
    assert chart(at, "Vergleichsgruppe") is None


def test_workshop_guest_and_demo_see_no_band(peer_db):
    # a (small) demo municipality, created first (the app caches the demo's id per database for a minute)
    demo = accounts.create_tenant(peer_db, slug=accounts.DEMO_SLUG, name="Musterstadt (Demo, fiktiv)", typ="stadt",
                                  is_demo=True)
    store_dataset(peer_db, demo.id, builder("Musterstadt (Demo, fiktiv)", 9))
    lk2 = accounts.get_tenant_by_slug(peer_db, "lk2")
    token, _ = workshops.create_link(peer_db, lk2.id, "lara", "Workshop")
    at = run_app(query={"workshop": token, "jahr": "2023"})
    assert not at.exception, at.exception
    assert "Workshop-Ansicht" in texts(at)
    assert "Vergleich mit ähnlichen Jugendämtern" not in texts(at) and chart(at, "Vergleichsgruppe") is None
    assert not [n for n in NAMES if n != "Kreis Birkental" and n in everything(at)]
    # the demo: a sentence what an office would see here, no band
    at = run_app(guest=demo.id, query={"jahr": "2023"})
    at.switch_page("pages/uebersicht.py").run()
    assert not at.exception, at.exception
    assert "In der Demo-Kommune gibt es keinen Vergleich mit anderen Jugendämtern" in texts(at)
    assert chart(at, "Vergleichsgruppe") is None
    assert not [n for n in NAMES if n in everything(at)]
