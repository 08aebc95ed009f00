"""German number formats for the UI, reports and spreadsheets (never `locale.setlocale` in a server).

Rounding is half away from zero, as Excel does (31,45 -> 31,5; -0,25 -> -0,3): the float is first read with 15
significant digits (Excel's precision), so 31.449999999999996 from a division is shown as 31,5 like in Excel.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

KEINE_DATEN = "keine Daten"
DASH = "–"  # official symbol for "nothing" (a zero count in public tables) and a placeholder for no data
SUPPRESSED = "."  # "geheim zu halten"
PERCENT_UNITS = ("%",)
COUNT_UNITS = ("Personen", "Fälle", "Verfahren", "Maßnahmen")


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isinf(value))
    except TypeError:  # pd.NA comparisons raise in bool()
        return True


def round_half_away(value: float, decimals: int = 1) -> Decimal:
    """`value` rounded half away from zero to `decimals` places, as a Decimal."""
    d = Decimal(f"{float(value):.15g}")
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_de(value, decimals: int = 1, missing: str = KEINE_DATEN) -> str:
    """German format with thousands dots and decimal comma: 1234.5 -> "1.234,5"; None/NaN/<NA> -> `missing`
    ("keine Daten" by default, or e.g. "–")."""
    if is_missing(value):
        return missing
    d = round_half_away(value, decimals)
    if d == 0:
        d = abs(d)  # no "-0,0"
    sign = "-" if d < 0 else ""
    text = f"{abs(d):,.{decimals}f}"  # 1,234.5
    return sign + text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_int(value, missing: str = KEINE_DATEN, zero_dash: bool = False) -> str:
    """A count without decimals; with `zero_dash` a 0 is shown as "–" (public tables)."""
    if not is_missing(value) and zero_dash and float(value) == 0:
        return DASH
    return fmt_de(value, 0, missing)


def fmt_eur(value, decimals: int = 0, missing: str = KEINE_DATEN) -> str:
    """Money: 1234567.8 -> "1.234.568 €" (decimals=0) or "1.234.567,80 €"."""
    if is_missing(value):
        return missing
    return f"{fmt_de(value, decimals)} €"


def fmt_percent(value, decimals: int = 1, missing: str = KEINE_DATEN) -> str:
    if is_missing(value):
        return missing
    return f"{fmt_de(value, decimals)} %"


def fmt_change(value, kind: str = "percent", decimals: int = 1, missing: str = DASH) -> str:
    """A change to the previous year with its sign: kind "percent" -> "+10,0 %", kind "pp" -> "+3,0 Prozentpunkte"
    (for indicators in %: 30 % -> 33 % is +3 Prozentpunkte, not +10 %). Zero is "±0,0"."""
    if is_missing(value):
        return missing
    if kind not in ("percent", "pp"):
        raise ValueError(f"unknown kind of change {kind!r}")
    d = round_half_away(value, decimals)
    sign = "±" if d == 0 else ("+" if d > 0 else "-")
    number = fmt_de(abs(float(value)), decimals)
    unit = "Prozentpunkte" if kind == "pp" else "%"
    return f"{sign}{number} {unit}"


def fmt_value(value, unit: str, suppressed: bool = False, missing: str = KEINE_DATEN, public: bool = False) -> str:
    """An indicator value for display by its unit: counts without decimals ("–" for 0 in public tables), EUR without
    cents, "%" and rates with one decimal; a suppressed value is "."."""
    if suppressed:
        return SUPPRESSED
    if is_missing(value):
        return missing
    if unit in COUNT_UNITS:
        return fmt_int(value, missing, zero_dash=public)
    if unit == "EUR":
        return fmt_eur(value, 0, missing)
    if unit in PERCENT_UNITS:
        return fmt_percent(value, 1, missing)
    return fmt_de(value, 1, missing)
