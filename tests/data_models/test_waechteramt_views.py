"""The pure helpers of the Wächteramt pages, with hand-computed values."""
from __future__ import annotations

import pandas as pd
import pytest

from data_models import waechteramt_views as vw
from data_models.indicators.breakdowns import compute_breakdown
from data_models.indicators.engine import compute_indicators
from data_models.privacy import suppress
from data_models.schema import GESAMT, OHNE
from tests.data_models.factories import dataset, population_row


def s8a_row(jahr, sr, akut, latent, hb, kein, **art):
    return {"jahr": jahr, "sozialraum_id": sr, "akut": akut, "latent": latent, "hilfebedarf": hb,
            "kein_hilfebedarf": kein, **art}


@pytest.fixture(scope="module")
def small():
    """One Sozialraum with 1,000 under 18; § 8a 2023: 2/4/8/6 (20 procedures), 2024: 3/5/10/12 (30)."""
    ds = dataset(
        sozialraeume=["01"],
        bevoelkerung=[population_row(2023, "01", u15=800, u18=1000, u21=1150),
                      population_row(2024, "01", u15=800, u18=1000, u21=1150)],
        s8a=[s8a_row(2023, "01", 2, 4, 8, 6),
             s8a_row(2024, "01", 3, 5, 10, 12, vernachlaessigung=5, koerperlich=2, psychisch=4, sexuell=1)],
    )
    return ds, compute_indicators(ds)


def facts_by_id(ind, year):
    return {f.indicator: f for f in vw.kpi_facts(ind, vw.KPI_8A, year)}


def test_kpi_facts_values_changes_and_history(small):
    _, ind = small
    f = facts_by_id(ind, 2024)
    assert list(f) == list(vw.KPI_8A)  # in the given order
    # verfahren_8a = 3 + 5 + 10 + 12 = 30; 2023: 2 + 4 + 8 + 6 = 20; change (30 / 20 − 1) × 100 = +50 %
    assert f["verfahren_8a"].value == 30
    assert f["verfahren_8a"].change == pytest.approx(50.0)
    assert f["verfahren_8a"].change_kind == "%"
    assert f["verfahren_8a"].history == (20.0, 30.0)
    # dichte = 30 × 10,000 / 1,000 = 300; 2023: 200 → +50 %
    assert f["verfahren_8a_dichte"].value == pytest.approx(300.0)
    assert f["verfahren_8a_dichte"].zaehler == 30 and f["verfahren_8a_dichte"].nenner == 1000
    # kwg_quote = (3 + 5) × 100 / 30 = 26.67 %; 2023: 6 × 100 / 20 = 30 % → −3.33 Prozentpunkte (not −11 %)
    assert f["kwg_quote"].value == pytest.approx(800 / 30)
    assert f["kwg_quote"].change == pytest.approx(800 / 30 - 30)
    assert f["kwg_quote"].change_kind == "pp"
    # kwg_dichte = 8 × 10,000 / 1,000 = 80; 2023: 60 → +33.3 %
    assert f["kwg_dichte"].change == pytest.approx((80 / 60 - 1) * 100)
    # akut_quote 3 / 30 = 10 % and 2 / 20 = 10 % → ±0 Prozentpunkte
    assert f["akut_quote"].value == pytest.approx(10.0) and f["akut_quote"].change == pytest.approx(0.0)
    # hilfebedarf_quote (3 + 5 + 10) / 30 = 60 %; 2023 (2 + 4 + 8) / 20 = 70 % → −10 Prozentpunkte
    assert f["hilfebedarf_quote"].change == pytest.approx(-10.0)


def test_kpi_facts_first_year_has_no_change_and_missing_indicator_is_none(small):
    _, ind = small
    f = facts_by_id(ind, 2023)
    assert f["verfahren_8a"].value == 20 and f["verfahren_8a"].change is None
    assert f["verfahren_8a"].history == (20.0,)
    io = vw.kpi_facts(ind, ["inobhutnahmen"], 2024)[0]  # no § 42 data at all
    assert io.value is None and io.change is None and not io.suppressed


def test_kpi_facts_suppressed_value_has_no_change():
    ind = pd.DataFrame({
        "jahr": [2023, 2024], "sozialraum_id": [GESAMT, GESAMT], "sozialraum": ["Gesamt", "Gesamt"],
        "indikator": ["inobhutnahmen", "inobhutnahmen"], "wert": [10.0, None], "zaehler": [10.0, None],
        "nenner": [None, None], "einheit": ["Maßnahmen", "Maßnahmen"], "unterdrueckt": [False, True],
    })
    f = vw.kpi_facts(ind, ["inobhutnahmen"], 2024)[0]
    assert f.suppressed and f.value is None and f.change is None


def test_years_with_data(small):
    _, ind = small
    assert vw.years_with_data(ind, vw.COMPARE_8A) == [2023, 2024]
    assert vw.years_with_data(ind, vw.COMPARE_42) == []
    assert vw.has_values(ind, vw.KPI_8A) and not vw.has_values(ind, vw.KPI_42)


def test_series_frame_and_table(small):
    _, ind = small
    s = vw.series_frame(ind, list(vw.RATES_8A), names=vw.RATES_8A)
    assert list(s.columns) == ["jahr", "reihe", "name", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]
    assert s["reihe"].tolist() == ["verfahren_8a_dichte", "verfahren_8a_dichte", "kwg_dichte", "kwg_dichte"]
    assert s["name"].tolist()[::2] == ["alle Gefährdungseinschätzungen", "festgestellte Gefährdungen (akut + latent)"]
    # 2023: 20 × 10,000 / 1,000 = 200, 2024: 300; kwg 60 and 80
    assert s["wert"].astype(float).tolist() == pytest.approx([200.0, 300.0, 60.0, 80.0])
    t = vw.series_table(s)
    assert t["Kennzahl"].tolist()[0] == "Gefährdungseinschätzungen je 10.000 unter 18"  # the full label
    assert "reihe" not in t.columns and "unterdrueckt" in t.columns


def test_compare_table_puts_gesamt_first_and_ohne_last():
    ind = pd.DataFrame({
        "jahr": [2024] * 4 + [2023], "sozialraum_id": [OHNE, "01", GESAMT, "02", "01"],
        "sozialraum": ["nicht zuordenbar", "A", "Gesamt", "B", "A"], "indikator": ["kwg_faelle"] * 5,
        "wert": [1.0, 5.0, 9.0, 3.0, 4.0], "zaehler": [1.0, 5.0, 9.0, 3.0, 4.0], "nenner": [None] * 5,
        "einheit": ["Verfahren"] * 5, "unterdrueckt": [False] * 5,
    })
    t = vw.compare_table(ind, "kwg_faelle", 2024)
    assert t["sozialraum_id"].tolist() == [GESAMT, "01", "02", OHNE]


def test_category_frame_multiple_answers_shares_of_kwg(small):
    ds, ind = small
    art = compute_breakdown(ds, "8a_art")
    kwg = vw.kpi_facts(ind, ["kwg_faelle"], 2024)[0].value
    assert kwg == 8  # akut 3 + latent 5
    f = vw.category_frame(art, 2024, denominator=kwg, multiple=True)
    assert f["sozialraum"].tolist() == ["Vernachlässigung", "körperliche Misshandlung", "psychische Misshandlung",
                                        "sexuelle Gewalt"]
    # 5 / 8 = 62.5 %, 2 / 8 = 25 %, 4 / 8 = 50 %, 1 / 8 = 12.5 %: together 150 % (multiple answers)
    assert f["wert"].astype(float).tolist() == pytest.approx([62.5, 25.0, 50.0, 12.5])
    assert f["wert"].astype(float).sum() == pytest.approx(150.0)
    assert f["zaehler"].astype(float).tolist() == [5.0, 2.0, 4.0, 1.0]
    assert f["nenner"].astype(float).tolist() == [8.0] * 4
    # without the number of cases the denominator is unknown (never the sum 12 of the answers)
    g = vw.category_frame(art, 2024, multiple=True)
    assert g["nenner"].isna().all()


def test_category_frame_single_answer_denominator_is_the_sum(small):
    ds, _ = small
    erg = compute_breakdown(ds, "8a_ergebnis")
    f = vw.category_frame(erg, 2024)
    # 3 + 5 + 10 + 12 = 30; akut 3 / 30 = 10 %, kein Hilfebedarf 12 / 30 = 40 %
    assert f["nenner"].astype(float).tolist() == [30.0] * 4
    assert f["wert"].astype(float).tolist() == pytest.approx([10.0, 50 / 3, 100 / 3, 40.0])
    counts = vw.category_frame(erg, 2024, value="anzahl", einheit="Verfahren")
    assert counts["wert"].astype(float).tolist() == [3.0, 5.0, 10.0, 12.0]
    assert counts["nenner"].isna().all() and counts["zaehler"].isna().all()


def test_breakdown_table_marks_suppressed_cells():
    # one Sozialraum with akut 1: a public view suppresses it (rule 1), and rule 3 the next smallest part
    ds = dataset(sozialraeume=["01"], s8a=[s8a_row(2024, "01", 1, 5, 10, 12)])
    bd = suppress(compute_breakdown(ds, "8a_ergebnis"), kind="breakdown", public=True)
    t = vw.breakdown_table(bd)
    assert "unterdrueckt" not in t.columns
    g = t[t["sozialraum_id"] == GESAMT].set_index("kategorie_code")
    assert bool(g.loc["1", "anzahl_unterdrueckt"]) and bool(g.loc["1", "anteil_unterdrueckt"])
    assert not bool(g.loc["4", "anzahl_unterdrueckt"])  # 12 stays
    assert vw.has_counts(bd) and vw.has_counts(bd, 2024) and not vw.has_counts(bd, 2023)
    # the table component shows "." for these cells
    from components.tables import format_table

    shown, notes = format_table(t)
    assert shown.loc[0, "Anzahl"] == "."
    assert any("geheim zu halten" in n for n in notes)


def test_has_counts_empty():
    assert not vw.has_counts(pd.DataFrame(columns=["jahr", "anzahl"]))


def test_share_sentence():
    def frame(wert, z, n, supp=False):
        return pd.DataFrame({"jahr": [2024], "sozialraum_id": [GESAMT], "sozialraum": ["Gesamt"],
                             "indikator": ["anteil_nach_8a"], "wert": [wert], "zaehler": [z], "nenner": [n],
                             "einheit": ["%"], "unterdrueckt": [supp]})

    # 35 of 169 started helps: 35 × 100 / 169 = 20.71 → "20,7 %"
    text = vw.share_sentence(frame(35 * 100 / 169, 35.0, 169.0), 2024)
    assert "**20,7 %**" in text and "35 von 169" in text
    assert vw.share_sentence(frame(None, None, None), 2024) is None
    assert vw.share_sentence(frame(None, None, 0.0), 2023) is None  # other year: no row
    assert "geheim zu halten" in vw.share_sentence(frame(None, None, None, True), 2024)


def test_kpi_labels():
    for key in (*vw.KPI_8A, *vw.KPI_42):
        assert key in vw.KPI_LABELS


def test_name_features_uses_names_and_falls_back_to_id():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"sozialraum_id": "01"}, "geometry": None},
        {"type": "Feature", "properties": {"sozialraum_id": "99"}, "geometry": None}]}
    out = vw.name_features(fc, {"01": "Altstadt <b>"})
    assert [f["properties"]["name"] for f in out["features"]] == ["Altstadt <b>", "99"]
    assert "name" not in fc["features"][0]["properties"]  # input untouched


def test_texts_say_what_is_counted():
    assert "Verfahren, nicht Kinder" in vw.ERKLAERUNG_8A and "latente" in vw.ERKLAERUNG_8A
    assert "Maßnahmen, nicht Kinder" in vw.ERKLAERUNG_42 and "§ 42a" in vw.ERKLAERUNG_42
    assert all("mehr als 100 %" in t for t in vw.MEHRFACH_HINWEIS.values())
    assert set(vw.SHARE_OF) == {"8a_ergebnis", "8a_art", "8a_melder", "42_anlass", "42_anregende", "42_anschluss"}
