"""Wächteramt: § 8a Gefährdungseinschätzungen (procedures completed in the year) and § 42 Inobhutnahmen (measures
ended in the year), indicators.md. Rates per 10,000 under 18."""
from __future__ import annotations

from data_models.indicators.formula import Quantities, Result, count, formula, rate


@formula("verfahren_8a")
def verfahren_8a(q: Quantities) -> Result:
    """Gefährdungseinschätzungen = akut + latent + Hilfebedarf + kein Hilfebedarf (Verfahren); <NA> if one is empty."""
    return count(q["v8a"])


@formula("verfahren_8a_dichte")
def verfahren_8a_dichte(q: Quantities) -> Result:
    """verfahren_8a × 10,000 / u18 (je 10.000 unter 18)."""
    return rate(q["v8a"], q["u18"], 10000)


@formula("kwg_faelle")
def kwg_faelle(q: Quantities) -> Result:
    """festgestellte Kindeswohlgefährdungen = akut + latent (Verfahren)."""
    return count(q["kwg"])


@formula("kwg_quote")
def kwg_quote(q: Quantities) -> Result:
    """kwg_faelle × 100 / verfahren_8a (%)."""
    return rate(q["kwg"], q["v8a"], 100)


@formula("akut_quote")
def akut_quote(q: Quantities) -> Result:
    """akut × 100 / verfahren_8a (%)."""
    return rate(q["akut"], q["v8a"], 100)


@formula("hilfebedarf_quote")
def hilfebedarf_quote(q: Quantities) -> Result:
    """(akut + latent + Hilfebedarf) × 100 / verfahren_8a (%)."""
    return rate(q["hb"], q["v8a"], 100)


@formula("kwg_dichte")
def kwg_dichte(q: Quantities) -> Result:
    """kwg_faelle × 10,000 / u18 (je 10.000 unter 18)."""
    return rate(q["kwg"], q["u18"], 10000)


@formula("inobhutnahmen")
def inobhutnahmen(q: Quantities) -> Result:
    """Inobhutnahmen § 42 / § 42a = column `Inobhutnahmen` (Maßnahmen)."""
    return count(q["io"])


@formula("inobhutnahmen_dichte")
def inobhutnahmen_dichte(q: Quantities) -> Result:
    """inobhutnahmen × 10,000 / u18 (je 10.000 unter 18)."""
    return rate(q["io"], q["u18"], 10000)


@formula("inobhutnahmen_ohne_uma_dichte")
def inobhutnahmen_ohne_uma_dichte(q: Quantities) -> Result:
    """(Inobhutnahmen − davon nach unbegleiteter Einreise) × 10,000 / u18 (je 10.000 unter 18); <NA> when the
    `davon` cell is empty."""
    return rate(q["io_ohne_uma"], q["u18"], 10000)


@formula("anteil_io_kurz")
def anteil_io_kurz(q: Quantities) -> Result:
    """davon innerhalb von 2 Wochen beendet × 100 / Inobhutnahmen (%)."""
    return rate(q["kurz"], q["io"], 100)


@formula("anteil_io_rueckkehr")
def anteil_io_rueckkehr(q: Quantities) -> Result:
    """anschließend Rückkehr zu den Sorgeberechtigten × 100 / Inobhutnahmen (%)."""
    return rate(q["rueckkehr"], q["io"], 100)
