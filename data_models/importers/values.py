"""Cell values -> typed values, with German error and hint texts (the Masterdatei rules of masterdatei.md).

Every function takes one raw cell value (as `reading.read_raw` gives it: str, int, float, bool, date, datetime,
time, None) and returns `Parsed(value, error, hint)`:
- `value`: the typed value, or None (no data / error);
- `error`: a German sentence when the cell is invalid (the importer makes a `Fehler` of it), else None;
- `hint`: a German sentence for a `Hinweis` (accepted, but read in a way the user should know), else None.
Empty cells (None, NaN, "", whitespace) give `Parsed(None)`: *no data*, not 0.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, NamedTuple

from data_models.codes import CODES, normalise_code
from data_models.importers.reading import CellProblem

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_COUNT = 10**12  # larger counts are typos (and would overflow Int64 arithmetic)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's 1900 date system (serial 1 = 1900-01-01, with the 1900 leap bug)


class Parsed(NamedTuple):
    value: Any = None
    error: str | None = None
    hint: str | None = None


NO_DATA_SYMBOLS = {".", "x", "X", "…", "...", "·"}
ZERO_SYMBOLS = {"-", "–", "—", "−"}
_HINT_NO_DATA = ("„{s}“ bedeutet „keine Daten“ (Zahlenwert unbekannt oder geheim zu halten); "
                 "die Zelle wird wie eine leere Zelle behandelt.")

_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 1.234 / 1.234.567
_GERMAN_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")  # 1.234,56 / 1234,5
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ENGLISH_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.56
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _is_empty(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str):
        return v.strip() == ""
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def _is_formula_marker(v) -> bool:
    """True for the markers of `reading` (formula without cached result, Excel error value)."""
    return v.__class__ is CellProblem


def _show(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d.%m.%Y")
    return str(v)


def _de(x: float) -> str:
    """German number text for messages (1234.5 -> '1.234,5')."""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", ".")
    s = f"{x:,.6f}".rstrip("0").rstrip(".")
    return s.replace(",", "§").replace(".", ",").replace("§", ".")


def _number_from_text(s: str, money: bool) -> tuple[float | None, str | None, bool]:
    """(number, error, read_as_german_thousands). `money`: a lone `1.234` is German thousands."""
    t = _SPACES.sub("", s)
    t = re.sub(r"(?i)(eur|€)$", "", t).strip()
    t = re.sub(r"(?i)^(eur|€)", "", t).strip()
    if t.startswith("+"):
        t = t[1:]
    if not t:
        return None, "Die Zelle enthält keine Zahl.", False
    if _GERMAN_THOUSANDS.match(t):
        return float(t.replace(".", "")), None, True
    if "," in t and _GERMAN_NUMBER.match(t):
        return float(t.replace(".", "").replace(",", ".")), None, False
    if _PLAIN_NUMBER.match(t):
        return float(t), None, False
    if _ENGLISH_NUMBER.match(t):
        return float(t.replace(",", "")), None, False
    return None, f"„{s}“ ist keine Zahl.", False


def to_count(v) -> Parsed:
    """A count: whole number ≥ 0. `2.0` is 2, `2.5` an error; German thousands `1.234` = 1234; `-`/`–` = 0;
    `.`, `x`, `…` = no data (with a hint)."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, bool):
        return Parsed(None, f"„{v}“ ist keine Anzahl; bitte eine ganze Zahl eintragen.")
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return Parsed(None, f"Hier steht ein Datum/eine Uhrzeit ({_show(v)}); erwartet wird eine Anzahl "
                            "(ganze Zahl ≥ 0). Bitte das Zellformat auf „Zahl“ stellen.")
    hint = None
    if isinstance(v, str):
        s = v.strip()
        if s in ZERO_SYMBOLS:
            return Parsed(0)
        if s in NO_DATA_SYMBOLS:
            return Parsed(None, None, _HINT_NO_DATA.format(s=s))
        num, err, _ = _number_from_text(s, money=False)
        if err:
            return Parsed(None, f"„{s}“ ist keine Anzahl; bitte eine ganze Zahl ≥ 0 eintragen.")
        x = num
    else:
        try:
            x = float(v)
        except (TypeError, ValueError):
            return Parsed(None, f"„{v}“ ist keine Anzahl; bitte eine ganze Zahl ≥ 0 eintragen.")
    if math.isnan(x) or math.isinf(x):
        return Parsed(None, f"„{_show(v)}“ ist keine Anzahl.")
    if not float(x).is_integer():
        return Parsed(None, f"Die Anzahl {_de(x)} ist keine ganze Zahl; bitte eine ganze Zahl eintragen.")
    if x < 0:
        return Parsed(None, f"Die Anzahl {_de(x)} ist negativ; Anzahlen müssen 0 oder größer sein.")
    if x > MAX_COUNT:
        return Parsed(None, f"Die Anzahl {_de(x)} ist unplausibel groß; bitte prüfen.")
    return Parsed(int(x), None, hint)


def to_money(v) -> Parsed:
    """An amount in EUR (decimals allowed, negative allowed): `1.234,56` (German), `1234.56` (plain);
    a text `1.234` is read as German 1234 with a hint. Symbols `-` = 0, `.`/`x`/`…` = no data."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return Parsed(None, f"„{_show(v)}“ ist kein Geldbetrag; bitte einen Betrag in Euro eintragen.")
    if isinstance(v, str):
        s = v.strip()
        if s in ZERO_SYMBOLS:
            return Parsed(0.0)
        if s in NO_DATA_SYMBOLS:
            return Parsed(None, None, _HINT_NO_DATA.format(s=s))
        num, err, german = _number_from_text(s, money=True)
        if err:
            return Parsed(None, f"„{s}“ ist kein Geldbetrag; bitte einen Betrag wie 1.234,56 eintragen.")
        hint = None
        if german and s.count(".") == 1:
            hint = (f"„{s}“ wurde als {_de(num)} Euro gelesen (Punkt als Tausendertrennzeichen). "
                    "Falls Nachkommastellen gemeint waren, bitte ein Komma verwenden.")
        return Parsed(num, None, hint)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return Parsed(None, f"„{v}“ ist kein Geldbetrag.")
    if math.isnan(x) or math.isinf(x):
        return Parsed(None, f"„{v}“ ist kein Geldbetrag.")
    return Parsed(x)


def to_float(v) -> Parsed:
    """A decimal number (e.g. full-time equivalents): `1,5` and `1.5` are 1.5; `1.234,5` is German.
    A lone dot is a decimal point here (unlike money). `-` = 0, `.`/`x`/`…` = no data."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return Parsed(None, f"„{_show(v)}“ ist keine Zahl.")
    if isinstance(v, str):
        s = v.strip()
        if s in ZERO_SYMBOLS:
            return Parsed(0.0)
        if s in NO_DATA_SYMBOLS:
            return Parsed(None, None, _HINT_NO_DATA.format(s=s))
        t = _SPACES.sub("", s)
        if _PLAIN_NUMBER.match(t.lstrip("+")):
            return Parsed(float(t))
        num, err, _ = _number_from_text(s, money=False)
        if err:
            return Parsed(None, f"„{s}“ ist keine Zahl; bitte eine Zahl wie 1,5 eintragen.")
        return Parsed(num)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return Parsed(None, f"„{v}“ ist keine Zahl.")
    if math.isnan(x) or math.isinf(x):
        return Parsed(None, f"„{v}“ ist keine Zahl.")
    return Parsed(x)


def to_year(v) -> Parsed:
    """A four-digit year 2000–2100 (`2023`, `2023.0`, `"2023"`). Dates and two-digit years are errors."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, (dt.date, dt.datetime)):
        return Parsed(None, f"Hier steht ein Datum ({_show(v)}); erwartet wird eine vierstellige Jahreszahl "
                            "(z. B. 2024). Bitte das Zellformat auf „Zahl“ oder „Standard“ stellen und das Jahr "
                            "eintragen.")
    if isinstance(v, bool) or isinstance(v, (dt.time, dt.timedelta)):
        return Parsed(None, f"„{_show(v)}“ ist keine Jahreszahl; bitte eine vierstellige Jahreszahl eintragen.")
    if isinstance(v, str):
        s = v.strip()
        m = re.fullmatch(r"(\d+)(?:[.,]0+)?", s)
        if not m:
            return Parsed(None, f"„{s}“ ist keine Jahreszahl; bitte eine vierstellige Jahreszahl (z. B. 2024) "
                                "eintragen.")
        digits = m.group(1)
        year = int(digits)
    else:
        try:
            x = float(v)
        except (TypeError, ValueError):
            return Parsed(None, f"„{v}“ ist keine Jahreszahl.")
        if math.isnan(x) or not x.is_integer():
            return Parsed(None, f"„{_show(v)}“ ist keine Jahreszahl; bitte eine vierstellige Jahreszahl eintragen.")
        year = int(x)
        digits = str(abs(year))
    if len(digits) != 4:
        return Parsed(None, f"„{_show(v)}“ ist keine vierstellige Jahreszahl; bitte das Jahr vollständig "
                            "eintragen (z. B. 2024).")
    if not YEAR_MIN <= year <= YEAR_MAX:
        return Parsed(None, f"Das Jahr {year} liegt außerhalb des erlaubten Bereichs {YEAR_MIN} bis {YEAR_MAX}.")
    return Parsed(year)


def to_id(v) -> Parsed:
    """An identifier as text: text as written (stripped; `"01"` stays `"01"`), an Excel number `1.0` -> `"1"`."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return Parsed(None, f"„{_show(v)}“ ist keine gültige Kennung; bitte die Kennung als Text oder Zahl "
                            "eintragen.")
    if isinstance(v, float):
        if math.isinf(v):
            return Parsed(None, f"„{v}“ ist keine gültige Kennung.")
        if v.is_integer():
            return Parsed(str(int(v)))
        return Parsed(repr(v))
    if isinstance(v, int):
        return Parsed(str(v))
    return Parsed(str(v).strip())


_LABELLED_CODE = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—:=]|\s)\s*(\S.*)$")


def to_code(list_name: str, v) -> Parsed:
    """A code of `codes.json` list `list_name`: whole numbers however written (`1`, `1.0`, `"1"` -> `"01"` for
    two-digit lists), a label matching exactly one code, or a drop-down entry `"07 – <label>"`."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    codes = CODES[list_name]
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.time, dt.timedelta)):
        return Parsed(None, _unknown_code(list_name, v))
    if isinstance(v, float) and not v.is_integer():
        return Parsed(None, _unknown_code(list_name, v))
    code = normalise_code(list_name, v)
    if code is not None:
        return Parsed(code)
    if isinstance(v, str):
        m = _LABELLED_CODE.match(v)
        if m:
            c = normalise_code(list_name, m.group(1))
            rest = m.group(2).strip().casefold()
            if c is not None and (codes[c].casefold() == rest or codes[c].casefold().startswith(rest)
                                  or rest.startswith(codes[c].casefold())):
                return Parsed(c)
            if c is not None:
                return Parsed(None, f"„{v.strip()}“ ist widersprüchlich: Code {c} bedeutet „{codes[c]}“.")
    return Parsed(None, _unknown_code(list_name, v))


LIST_LABELS = {
    "art_der_hilfe": "Art der Hilfe",
    "melder_8a": "Melder (§ 8a)",
    "anregende_institution": "Anregende Institution",
    "ergebnis_8a": "Ergebnis der Gefährdungseinschätzung",
    "geschlecht": "Geschlecht",
}


def _unknown_code(list_name: str, v) -> str:
    codes = list(CODES[list_name])
    allowed = f"{codes[0]} bis {codes[-1]}" if len(codes) > 6 else ", ".join(codes)
    what = LIST_LABELS.get(list_name, list_name)
    return (f"„{_show(v).strip()}“ ist kein gültiger Code für „{what}“. Erlaubt sind die Codes {allowed} "
            "(oder eine eindeutige Bezeichnung aus der Code-Liste).")


def to_date(v) -> Parsed:
    """A date: TT.MM.JJJJ, T.M.JJJJ, ISO (JJJJ-MM-TT, optionally with time), Excel serial numbers, date/datetime
    objects. Two-digit years are an error. Returns a `datetime.date`."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, dt.datetime):
        return Parsed(v.date())
    if isinstance(v, dt.date):
        return Parsed(v)
    if isinstance(v, bool) or isinstance(v, (dt.time, dt.timedelta)):
        return Parsed(None, f"„{_show(v)}“ ist kein Datum; bitte ein Datum wie 31.12.2024 eintragen.")
    if isinstance(v, (int, float)):
        x = float(v)
        if math.isnan(x) or math.isinf(x):
            return Parsed(None, f"„{v}“ ist kein Datum.")
        if 1 <= x <= 2958465:  # Excel's range 1900-01-01 .. 9999-12-31
            return Parsed((EXCEL_EPOCH + dt.timedelta(days=int(x))).date())
        return Parsed(None, f"„{_show(v)}“ ist kein Datum; bitte ein Datum wie 31.12.2024 eintragen.")
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d+)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", s)
    if m:
        d, mo, y = m.groups()
        if len(y) != 4:
            return Parsed(None, f"„{s}“ hat keine vierstellige Jahreszahl; bitte das Datum als TT.MM.JJJJ "
                                "eintragen (z. B. 31.12.2024).")
        return _mkdate(s, int(y), int(mo), int(d))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", s)
    if m:
        y, mo, d = m.groups()
        return _mkdate(s, int(y), int(mo), int(d))
    if re.fullmatch(r"\d+(?:[.,]0+)?", s):
        return to_date(float(s.replace(",", ".")))
    return Parsed(None, f"„{s}“ ist kein Datum; bitte ein Datum wie 31.12.2024 eintragen.")


def _mkdate(s: str, y: int, mo: int, d: int) -> Parsed:
    try:
        return Parsed(dt.date(y, mo, d))
    except ValueError:
        return Parsed(None, f"„{s}“ ist kein gültiges Datum.")


def to_text(v) -> Parsed:
    """Text as written (outer spaces removed). A cell starting with `=`, `+`, `-` or `@` stays plain text.
    Numbers become their text (`1.0` -> `"1"`)."""
    if _is_formula_marker(v):
        return Parsed(None, v.message)
    if _is_empty(v):
        return Parsed()
    if isinstance(v, float) and v.is_integer():
        return Parsed(str(int(v)))
    if isinstance(v, (dt.datetime, dt.date)):
        return Parsed(_show(v))
    return Parsed(str(v).strip())
