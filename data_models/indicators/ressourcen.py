"""Ressourcen: money and staff (indicators.md, masterdatei.md `Kosten` / `Personal`).

Money quantities come from `Kosten` (see inputs._kosten): municipality rows (empty Sozialraum-ID) are the `GESAMT`
figures of their year; Sozialraum figures exist only where Sozialraum rows exist, and `GESAMT` is their sum when the
year has no municipality rows. EB rows never count. A year keeps to one of codes, segments or `gesamt`.
"""
from __future__ import annotations

from data_models.indicators.formula import Quantities, Result, count, formula, rate


@formula("ausgaben_hze")
def ausgaben_hze(q: Quantities) -> Result:
    """Ausgaben HzE = Σ `Ausgaben (EUR)` over codes 04–16 / segments other than EB / `gesamt` (EUR).
    zaehler = wert, nenner = <NA> (a sum like a count, but money: never suppressed)."""
    return count(q["aus_hze"])


@formula("ausgaben_je_u21")
def ausgaben_je_u21(q: Quantities) -> Result:
    """Ausgaben je Einwohner unter 21 = ausgaben_hze / u21 (EUR)."""
    return rate(q["aus_hze"], q["u21"], 1)


@formula("kosten_je_fall_ambulant")
def kosten_je_fall_ambulant(q: Quantities) -> Result:
    """Kosten je Fall ambulant = Ausgaben ambulant / ambulant Fälle (EUR)."""
    return rate(q["aus_amb"], q["amb"], 1)


@formula("kosten_je_fall_teilstationaer")
def kosten_je_fall_teilstationaer(q: Quantities) -> Result:
    """Kosten je Fall teilstationär = Ausgaben teilstationär / Fälle 08 (EUR)."""
    return rate(q["aus_teil"], q["teil"], 1)


@formula("kosten_je_fall_stationaer")
def kosten_je_fall_stationaer(q: Quantities) -> Result:
    """Kosten je Fall stationär = Ausgaben stationär / Fälle 09–11, 15 (EUR)."""
    return rate(q["aus_stat"], q["stat"], 1)


@formula("kosten_je_fall_35a")
def kosten_je_fall_35a(q: Quantities) -> Result:
    """Kosten je Fall § 35a = Ausgaben § 35a / Fälle 13 (EUR)."""
    return rate(q["aus_p35a"], q["p35a"], 1)


@formula("haushalt_ausschoepfung")
def haushalt_ausschoepfung(q: Quantities) -> Result:
    """Ausschöpfung des Ansatzes = Ausgaben × 100 / Ansatz over the HzE rows that have an Ansatz (%)."""
    return rate(q["ausch_z"], q["ausch_n"], 100)


@formula("faelle_je_vollzeitstelle")
def faelle_je_vollzeitstelle(q: Quantities) -> Result:
    """laufende Fälle je Vollzeitstelle = running HzE (04–16) at 31.12. in the team's Sozialräume / (Vollzeitstellen
    − davon unbesetzt) of the team (Fälle); GESAMT: all running HzE incl. OHNE / occupied posts of all teams."""
    return rate(q["team_laufend"], q["team_vzst"], 1)
