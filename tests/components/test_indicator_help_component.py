"""The help popover's text (components/indicator_help.py) and the KPI tile's help."""
from __future__ import annotations

import pandas as pd

from components import indicator_help as ih
from components.kpi import Kpi, kpi_view
from data_models.indicators.help import help_markdown, short_help


def test_popover_text_for_indicators_and_breakdowns():
    text = ih.popover_text("hze_dichte")
    assert text.startswith(help_markdown("hze_dichte", level=4)) and text.endswith(f"*{ih.NOTE}*")
    two = ih.popover_text(["verfahren_8a_dichte", "kwg_dichte", "verfahren_8a_dichte"])
    assert two.count("**Zähler:**") == 2 and two.index("#### Gefährdungseinschätzungen je") < two.index(
        "#### Kindeswohlgefährdungen je")
    bd = ih.popover_text(breakdown="8a_art")
    assert bd.startswith("#### Kindeswohlgefährdungen nach Art") and "Mehrfachnennungen" in bd
    assert ih.popover_text(None) is None and ih.popover_text(["kosten_je_fall"]) is None  # nothing known
    assert ih.popover_text([], breakdown="gibt_es_nicht") is None


def test_indicators_inferred_from_a_tidy_table():
    t = pd.DataFrame({"indikator": ["hze_dichte", "hze_dichte", None, "unbekannt", "eb_dichte"]})
    assert ih.indicators_in(t) == ["hze_dichte", "eb_dichte"]
    assert ih.indicators_in(pd.DataFrame({"Kennzahl": ["x"]})) == [] and ih.indicators_in(None) == []


def test_kpi_with_indicator_gets_the_short_tooltip():
    v = kpi_view(Kpi("Eckwert HzE (ohne EB)", 31.4, "je 1.000 unter 21", indicator="hze_dichte",
                     help="lang und ausführlich"))
    assert v.help == short_help("hze_dichte")
    assert v.help.startswith("Zähler: HzE-Fälle ohne Erziehungsberatung (hze_faelle). Nenner: Einwohner unter 21")
    assert kpi_view(Kpi("x", 1.0, "%", help="eigener Text")).help == "eigener Text"
