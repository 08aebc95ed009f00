"""Hilfedichte: how many helps (indicators.md). HzE = Art der Hilfe 04–16 (without Erziehungsberatung);
Fälle = running at 31.12. + ended in the year; Eckwerte per 1,000 under 21."""
from __future__ import annotations

from data_models.indicators.formula import Quantities, Result, count, formula, rate


@formula("hze_faelle")
def hze_faelle(q: Quantities) -> Result:
    """HzE-Fälle (ohne EB) = Σ over codes 04–16 of (andauernd am 31.12. + beendet) (Fälle)."""
    return count(q["hze_faelle"])


@formula("hze_dichte")
def hze_dichte(q: Quantities) -> Result:
    """Eckwert HzE = hze_faelle × 1,000 / u21 (je 1.000 unter 21)."""
    return rate(q["hze_faelle"], q["u21"], 1000)


@formula("hze_begonnen")
def hze_begonnen(q: Quantities) -> Result:
    """begonnene HzE = Σ over codes 04–16 of `begonnen` (Fälle)."""
    return count(q["hze_begonnen"])


@formula("hze_begonnen_dichte")
def hze_begonnen_dichte(q: Quantities) -> Result:
    """Eckwert begonnene HzE = hze_begonnen × 1,000 / u21 (je 1.000 unter 21)."""
    return rate(q["hze_begonnen"], q["u21"], 1000)


@formula("hze_junge_menschen")
def hze_junge_menschen(q: Quantities) -> Result:
    """junge Menschen in HzE = Σ over codes 04–16 of `junge Menschen` (Personen); <NA> in a year where the column
    is empty everywhere, or for a unit with an empty cell in a counted row."""
    return count(q["jm"])


@formula("hze_junge_menschen_dichte")
def hze_junge_menschen_dichte(q: Quantities) -> Result:
    """Eckwert junge Menschen = hze_junge_menschen × 1,000 / u21 (je 1.000 unter 21)."""
    return rate(q["jm"], q["u21"], 1000)


@formula("eb_faelle")
def eb_faelle(q: Quantities) -> Result:
    """Erziehungsberatung = Σ over codes 01–03 of (andauernd + beendet) (Fälle); in a year whose HzE data have no
    Erziehungsberatung at all (no row with codes 01–03 and a count > 0, no EB record), `Beratung` § 28."""
    return count(q["eb"])


@formula("eb_dichte")
def eb_dichte(q: Quantities) -> Result:
    """Eckwert Erziehungsberatung = eb_faelle × 1,000 / u21 (je 1.000 unter 21)."""
    return rate(q["eb"], q["u21"], 1000)


@formula("beratung_16_18")
def beratung_16_18(q: Quantities) -> Result:
    """Beratung §§ 16–18 = sum of the filled cells § 16, § 17, § 18 (Fälle); <NA> if all three are empty."""
    return count(q["b1618"])


@formula("beratung_16_18_dichte")
def beratung_16_18_dichte(q: Quantities) -> Result:
    """Eckwert Beratung §§ 16–18 = beratung_16_18 × 1,000 / u21 (je 1.000 unter 21)."""
    return rate(q["b1618"], q["u21"], 1000)
