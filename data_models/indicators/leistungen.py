"""Leistungen: which helps, how they end (indicators.md). Segments by Art der Hilfe: ambulant 04–07, 12, 14, 16;
teilstationär 08; stationär 09–11, 15; § 35a 13. The last four indicators need single-case records (HzE 04–16) and
are <NA> in years with only the aggregated sheet."""
from __future__ import annotations

from data_models.indicators.formula import Quantities, Result, formula, rate


@formula("anteil_ambulant")
def anteil_ambulant(q: Quantities) -> Result:
    """Anteil ambulanter Hilfen = ambulant Fälle × 100 / hze_faelle (%)."""
    return rate(q["amb"], q["hze_faelle"], 100)


@formula("anteil_teilstationaer")
def anteil_teilstationaer(q: Quantities) -> Result:
    """Anteil teilstationärer Hilfen = Fälle 08 × 100 / hze_faelle (%)."""
    return rate(q["teil"], q["hze_faelle"], 100)


@formula("anteil_stationaer")
def anteil_stationaer(q: Quantities) -> Result:
    """Anteil stationärer Hilfen = Fälle 09–11, 15 × 100 / hze_faelle (%)."""
    return rate(q["stat"], q["hze_faelle"], 100)


@formula("anteil_35a")
def anteil_35a(q: Quantities) -> Result:
    """Anteil Eingliederungshilfe § 35a = Fälle 13 × 100 / hze_faelle (%)."""
    return rate(q["p35a"], q["hze_faelle"], 100)


@formula("vzp_heim_verhaeltnis")
def vzp_heim_verhaeltnis(q: Quantities) -> Result:
    """Vollzeitpflege je Heimerziehung = Fälle (09 + 10) / Fälle 11 (Verhältnis)."""
    return rate(q["f0910"], q["f11"], 1)


@formula("dauer_beendet")
def dauer_beendet(q: Quantities) -> Result:
    """durchschnittliche Dauer = Σ months / number of ended helps (Monate); months of one help =
    (end year × 12 + end month) − (begin year × 12 + begin month)."""
    return rate(q["ended_months"], q["ended_n"], 1)


@formula("beendet_gemaess_hilfeplan")
def beendet_gemaess_hilfeplan(q: Quantities) -> Result:
    """Beendigung gemäß Hilfeplan = ended with reason 10 × 100 / ended with a given reason other than 40 (%)."""
    return rate(q["hp_z"], q["hp_n"], 100)


@formula("transfer_quote")
def transfer_quote(q: Quantities) -> Result:
    """begonnene Hilfen mit Transferleistungen = started with 1 × 100 / started with 1 or 2 (%)."""
    return rate(q["tr_z"], q["tr_n"], 100)


@formula("anteil_nach_8a")
def anteil_nach_8a(q: Quantities) -> Result:
    """begonnene Hilfen nach Gefährdungseinschätzung = started with 1 × 100 / started with 1 or 2 (%)."""
    return rate(q["n8a_z"], q["n8a_n"], 100)
