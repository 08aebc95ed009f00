"""The catalogue: every indicator of indicators.md with label, section, unit, help text and a formula."""
import re

import pytest

from data_models.indicators.catalogue import CATALOGUE, IDS, PERCENT, PP, SECTIONS, by_section, get
from data_models.indicators.formula import FORMULAS

# id -> (label, unit) exactly as in indicators.md (plus hze_junge_menschen*, kosten_je_fall_<segment>)
CONTRACT = {
    "bev_insgesamt": ("Einwohner insgesamt", "Personen"),
    "bev_u18": ("Einwohner unter 18", "Personen"),
    "bev_u21": ("Einwohner unter 21", "Personen"),
    "anteil_u21": ("Anteil unter 21", "%"),
    "sgb2_quote_u15": ("SGB-II-Quote unter 15", "%"),
    "hze_faelle": ("HzE-Fälle (ohne EB)", "Fälle"),
    "hze_dichte": ("Eckwert HzE (ohne EB)", "je 1.000 unter 21"),
    "hze_begonnen": ("begonnene HzE (ohne EB)", "Fälle"),
    "hze_begonnen_dichte": ("Eckwert begonnene HzE", "je 1.000 unter 21"),
    "hze_junge_menschen": (None, "Personen"),
    "hze_junge_menschen_dichte": (None, "je 1.000 unter 21"),
    "eb_faelle": ("Erziehungsberatung", "Fälle"),
    "eb_dichte": ("Eckwert Erziehungsberatung", "je 1.000 unter 21"),
    "beratung_16_18": ("Beratung §§ 16–18", "Fälle"),
    "beratung_16_18_dichte": ("Eckwert Beratung §§ 16–18", "je 1.000 unter 21"),
    "anteil_ambulant": ("Anteil ambulanter Hilfen", "%"),
    "anteil_teilstationaer": ("Anteil teilstationärer Hilfen", "%"),
    "anteil_stationaer": ("Anteil stationärer Hilfen", "%"),
    "anteil_35a": ("Anteil Eingliederungshilfe § 35a", "%"),
    "vzp_heim_verhaeltnis": ("Vollzeitpflege je Heimerziehung", "Verhältnis"),
    "dauer_beendet": ("durchschnittliche Dauer beendeter Hilfen", "Monate"),
    "beendet_gemaess_hilfeplan": ("Beendigung gemäß Hilfeplan", "%"),
    "transfer_quote": ("begonnene Hilfen mit Transferleistungen", "%"),
    "anteil_nach_8a": ("begonnene Hilfen nach Gefährdungseinschätzung", "%"),
    "ausgaben_hze": ("Ausgaben HzE", "EUR"),
    "ausgaben_je_u21": ("Ausgaben je Einwohner unter 21", "EUR"),
    "kosten_je_fall_ambulant": (None, "EUR"),
    "kosten_je_fall_teilstationaer": (None, "EUR"),
    "kosten_je_fall_stationaer": (None, "EUR"),
    "kosten_je_fall_35a": (None, "EUR"),
    "haushalt_ausschoepfung": ("Ausschöpfung des Ansatzes", "%"),
    "faelle_je_vollzeitstelle": ("laufende Fälle je Vollzeitstelle ASD", "Fälle"),
    "verfahren_8a": ("Gefährdungseinschätzungen § 8a", "Verfahren"),
    "verfahren_8a_dichte": ("Gefährdungseinschätzungen je 10.000 unter 18", "je 10.000 unter 18"),
    "kwg_faelle": ("festgestellte Kindeswohlgefährdungen", "Verfahren"),
    "kwg_quote": ("Anteil festgestellter Gefährdungen", "%"),
    "akut_quote": ("Anteil akuter Gefährdungen", "%"),
    "hilfebedarf_quote": ("Verfahren mit Hilfebedarf", "%"),
    "kwg_dichte": ("Kindeswohlgefährdungen je 10.000 unter 18", "je 10.000 unter 18"),
    "inobhutnahmen": ("Inobhutnahmen § 42 / § 42a", "Maßnahmen"),
    "inobhutnahmen_dichte": ("Inobhutnahmen je 10.000 unter 18", "je 10.000 unter 18"),
    "inobhutnahmen_ohne_uma_dichte": ("Inobhutnahmen ohne unbegleitete Einreise je 10.000 unter 18",
                                      "je 10.000 unter 18"),
    "anteil_io_kurz": ("Inobhutnahmen bis 2 Wochen", "%"),
    "anteil_io_rueckkehr": ("Rückkehr zu den Sorgeberechtigten", "%"),
}
COUNTS = {"bev_insgesamt", "bev_u18", "bev_u21", "hze_faelle", "hze_begonnen", "hze_junge_menschen", "eb_faelle",
          "beratung_16_18", "verfahren_8a", "kwg_faelle", "inobhutnahmen"}


def test_catalogue_has_exactly_the_contract_ids_and_a_formula_each():
    assert set(CATALOGUE) == set(CONTRACT)
    assert set(FORMULAS) == set(CONTRACT)
    assert list(IDS) == sorted(CONTRACT)


@pytest.mark.parametrize("ind_id", sorted(CONTRACT))
def test_label_and_unit_match_the_contract(ind_id):
    label, unit = CONTRACT[ind_id]
    ind = CATALOGUE[ind_id]
    assert ind.unit == unit
    if label is not None:
        assert ind.label == label
    assert ind.section in SECTIONS
    assert ind.is_count == (ind_id in COUNTS)


@pytest.mark.parametrize("ind_id", sorted(CONTRACT))
def test_every_indicator_has_a_german_help_text(ind_id):
    ind = CATALOGUE[ind_id]
    for part in (ind.definition, ind.drivers, ind.reading, ind.source):
        assert len(part.strip()) > 20, f"{ind_id}: help part missing"
    text = ind.help
    assert ind.unit in text and ind.label in text
    for heading in ("Definition:", "Was den Wert beeinflusst:", "Lesart:", "Datenquelle:"):
        assert heading in text
    # the definition names numerator and denominator of every rate
    if not ind.is_count and ind.id != "ausgaben_hze":
        assert "Zähler" in ind.definition and "Nenner" in ind.definition


def test_kind_of_change_percent_vs_prozentpunkte():
    for ind in CATALOGUE.values():
        assert ind.change == (PP if ind.unit == "%" else PERCENT)
    assert CATALOGUE["kwg_quote"].change_label == "Prozentpunkte"
    assert CATALOGUE["hze_dichte"].change_label == "%"


def test_sections_group_all_indicators_and_get_rejects_unknown_ids():
    grouped = by_section()
    assert sum(len(v) for v in grouped.values()) == len(CATALOGUE)
    assert [i.id for i in grouped["Ressourcen"]][:2] == ["ausgaben_hze", "ausgaben_je_u21"]
    with pytest.raises(KeyError, match="Unbekannter Indikator"):
        get("gibt_es_nicht")


def test_suppression_facts_of_rates():
    # population denominators are flagged (rule 2: below 100 suppressed)
    assert CATALOGUE["hze_dichte"].nenner_population and CATALOGUE["kwg_dichte"].nenner_population
    assert not CATALOGUE["kwg_quote"].nenner_population
    # quantities shared between indicators carry the same name
    assert CATALOGUE["hze_dichte"].zaehler_q == CATALOGUE["hze_faelle"].zaehler_q == \
        CATALOGUE["anteil_ambulant"].nenner_q == "hze_faelle"
    assert CATALOGUE["dauer_beendet"].zaehler_q is None  # months are not a count
    for ind in CATALOGUE.values():
        assert re.fullmatch(r"[a-z0-9_]+", ind.id)


def test_short_label_drops_a_trailing_unit():
    from data_models.indicators.catalogue import short_label

    assert short_label("Inobhutnahmen je 10.000 unter 18", "je 10.000 unter 18") == "Inobhutnahmen"
    assert short_label("Anteil akuter Gefährdungen", "%") == "Anteil akuter Gefährdungen"
    assert short_label("je 10.000 unter 18", "je 10.000 unter 18") == "je 10.000 unter 18"  # nothing left: keep

