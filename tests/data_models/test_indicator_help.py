"""Every indicator has a complete German help (data_models/indicators/help.py); a missing or empty part fails."""
from __future__ import annotations

import dataclasses

import pytest

from data_models.indicators import help as hp
from data_models.indicators.breakdowns import BREAKDOWNS
from data_models.indicators.catalogue import CATALOGUE, SECTIONS

# every indicator id of the domain contract (indicators.md, all sections incl. Wächteramt), pinned here
CONTRACT_IDS = {
    "Sozialstruktur": ["bev_insgesamt", "bev_u18", "bev_u21", "anteil_u21", "sgb2_quote_u15"],
    "Hilfedichte": ["hze_faelle", "hze_dichte", "hze_begonnen", "hze_begonnen_dichte", "eb_faelle", "eb_dichte",
                    "beratung_16_18", "beratung_16_18_dichte", "hze_junge_menschen", "hze_junge_menschen_dichte"],
    "Leistungen": ["anteil_ambulant", "anteil_teilstationaer", "anteil_stationaer", "anteil_35a",
                   "vzp_heim_verhaeltnis", "dauer_beendet", "beendet_gemaess_hilfeplan", "transfer_quote",
                   "anteil_nach_8a"],
    "Ressourcen": ["ausgaben_hze", "ausgaben_je_u21", "kosten_je_fall_ambulant", "kosten_je_fall_teilstationaer",
                   "kosten_je_fall_stationaer", "kosten_je_fall_35a", "haushalt_ausschoepfung",
                   "faelle_je_vollzeitstelle"],
    "Wächteramt": ["verfahren_8a", "verfahren_8a_dichte", "kwg_faelle", "kwg_quote", "akut_quote",
                   "hilfebedarf_quote", "kwg_dichte", "inobhutnahmen", "inobhutnahmen_dichte",
                   "inobhutnahmen_ohne_uma_dichte", "anteil_io_kurz", "anteil_io_rueckkehr"],
}
ALL_CONTRACT = [i for ids in CONTRACT_IDS.values() for i in ids]


def test_every_contract_indicator_is_in_the_catalogue_with_its_section():
    for section, ids in CONTRACT_IDS.items():
        for i in ids:
            assert CATALOGUE[i].section == section


@pytest.mark.parametrize("indicator", ALL_CONTRACT)
def test_contract_indicator_has_complete_help(indicator):
    assert hp.missing_help([indicator]) == {}
    h = hp.indicator_help(indicator)
    assert h.label == CATALOGUE[indicator].label and h.unit == CATALOGUE[indicator].unit
    md = hp.help_markdown(indicator)
    for part in ("**Zähler:**", "**Nenner:**", "**Einheit:**", "**Zählregel:**", "**Was den Wert bewegt:**",
                 "**Wie lesen:**", "**Datenquelle:**"):
        assert part in md
    if CATALOGUE[indicator].factor is not None:  # a rate names its denominator
        assert "keiner – der Wert ist eine Anzahl" not in md


def test_whole_catalogue_is_explained_and_nothing_stray():
    assert hp.missing_help() == {}
    assert set(hp.FORMULAS) == set(CATALOGUE)
    assert set(hp.BREAKDOWN_READING) == set(BREAKDOWNS)


def test_missing_or_thin_help_is_detected(monkeypatch):
    """The check fails when a text is missing or too short (so the test above can fail)."""
    thin = dataclasses.replace(hp.FORMULAS["kwg_quote"], zaehlregel="siehe oben")
    no_nenner = dataclasses.replace(hp.FORMULAS["hze_dichte"], nenner=None)
    formulas = {k: v for k, v in hp.FORMULAS.items() if k != "inobhutnahmen"}
    formulas.update(kwg_quote=thin, hze_dichte=no_nenner)
    monkeypatch.setattr(hp, "FORMULAS", formulas)
    assert hp.missing_help() == {"kwg_quote": ["zaehlregel"], "hze_dichte": ["nenner"], "inobhutnahmen": ["alles"]}
    with pytest.raises(KeyError):
        hp.indicator_help("inobhutnahmen")


def test_help_texts_say_how_to_read_and_count():
    md = hp.help_markdown("hze_dichte")
    assert md.startswith("#### Eckwert HzE (ohne EB)\n")
    assert "je 1.000 Einwohner unter 21 (Zähler × 1.000 ÷ Nenner)" in md
    assert "weder gut noch schlecht" in md
    assert "am 31.12. läuft oder im Jahr beendet" in md
    count = hp.help_markdown("verfahren_8a", heading=False)
    assert not count.startswith("#") and "**Nenner:** keiner – der Wert ist eine Anzahl" in count
    assert "nicht Kinder" in count
    assert hp.short_help("kwg_quote") == (
        "Zähler: Verfahren mit akuter oder latenter Kindeswohlgefährdung (kwg_faelle). Nenner: Alle "
        "Gefährdungseinschätzungen (verfahren_8a). Einheit: Prozent (Zähler × 100 ÷ Nenner); Veränderungen zum "
        "Vorjahr in Prozentpunkten. Mehr unter „Erläuterung“.")


def test_all_help_markdown_and_rows_cover_every_indicator_in_order():
    text = hp.all_help_markdown()
    for section in SECTIONS:
        assert f"\n## {section}\n" in text
    positions = [text.index(f"### {CATALOGUE[i].label}\n") for i in ALL_CONTRACT[:5]]
    assert positions == sorted(positions)
    assert hp.GENERAL_READING in text
    rows = hp.help_rows()
    assert [r["Kennung"] for r in rows] == [i.id for s in SECTIONS for i in CATALOGUE.values() if i.section == s]
    assert all(all(v for v in r.values()) for r in rows)
    assert rows[0]["Nenner"] == "– (Anzahl)"


@pytest.mark.parametrize("name", sorted(BREAKDOWNS))
def test_breakdown_help(name):
    md = hp.breakdown_markdown(name)
    assert "**Gezählt:**" in md and "**Wie lesen:**" in md and "**Datenquelle:**" in md
    if BREAKDOWNS[name].multiple:
        assert "Mehrfachnennungen" in md
