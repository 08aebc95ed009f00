"""Sozialstruktur: population and SGB II (indicators.md). Populations are sums of the age groups of `Bevölkerung`."""
from __future__ import annotations

from data_models.indicators.formula import Quantities, Result, count, formula, rate


@formula("bev_insgesamt")
def bev_insgesamt(q: Quantities) -> Result:
    """Einwohner insgesamt = column `insgesamt` (Personen)."""
    return count(q["insgesamt"])


@formula("bev_u18")
def bev_u18(q: Quantities) -> Result:
    """Einwohner unter 18 = 0–3 + 3–6 + 6–10 + 10–15 + 15–18 (Personen); <NA> if a group is empty."""
    return count(q["u18"])


@formula("bev_u21")
def bev_u21(q: Quantities) -> Result:
    """Einwohner unter 21 = u18 + 18–21 (Personen)."""
    return count(q["u21"])


@formula("anteil_u21")
def anteil_u21(q: Quantities) -> Result:
    """Anteil unter 21 = u21 × 100 / insgesamt (%)."""
    return rate(q["u21"], q["insgesamt"], 100)


@formula("sgb2_quote_u15")
def sgb2_quote_u15(q: Quantities) -> Result:
    """SGB-II-Quote unter 15 = Leistungsberechtigte unter 15 × 100 / u15 (%)."""
    return rate(q["lb_u15"], q["u15"], 100)
