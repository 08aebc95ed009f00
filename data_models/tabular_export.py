"""Tables as downloadable bytes: CSV for German Excel and XLSX. Pure (no Streamlit).

CSV ("csv-de"): semicolon, decimal comma, no thousands separator, UTF-8 with BOM, CRLF line ends; null = empty
field; a suppressed value = "."; text cells that a spreadsheet would read as a formula (starting with = + - @, tab
or carriage return) are prefixed with an apostrophe (OWASP "CSV injection").
XLSX: numbers as numbers (full precision; Excel shows them in the reader's locale), every text cell written as a
string cell, so "=HYPERLINK(...)" stays text and never becomes a formula.

Suppression flags: a boolean column `unterdrueckt` marks `wert`, `zaehler` and `nenner` of its row as suppressed
(privacy.md); a column `<name>_unterdrueckt` marks the column `<name>`. Flags are written as "ja"/"nein".
When any value is suppressed, a footnote is written below the table.
"""
from __future__ import annotations

import csv
import io
import math
import numbers
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Mapping

import pandas as pd

SUPPRESSED = "."
SUPPRESSED_FOOTNOTE = (
    "„.“ = geheim zu halten: Der Wert beruht auf einer Fallzahl von 1 oder 2 oder auf einer Bevölkerung unter "
    "100 Personen und wird zum Schutz der betroffenen Familien nicht gezeigt."
)
SUPPRESSION_FLAG = "unterdrueckt"
FLAGGED_BY_ROW = ("wert", "zaehler", "nenner")

# German headers of the tidy indicator frame (cli.md) and of breakdown tables
TIDY_COLUMNS_DE = {
    "jahr": "Jahr",
    "sozialraum_id": "Sozialraum-ID",
    "sozialraum": "Sozialraum",
    "indikator": "Indikator",
    "wert": "Wert",
    "zaehler": "Zähler",
    "nenner": "Nenner",
    "einheit": "Einheit",
    "unterdrueckt": "unterdrückt",
    "kategorie_code": "Kategorie-Code",
    "kategorie": "Kategorie",
    "anzahl": "Anzahl",
    "anteil": "Anteil (%)",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "§": "P"})


def safe_filename(text: str, default: str = "export") -> str:
    """An ASCII file name stem: "HzE-Fälle § 27 / 2023" -> "HzE-Faelle_P_27_2023"."""
    s = str(text or "").translate(_TRANSLIT)
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", s).strip("_-")
    return s[:80] or default


def neutralise_formula(text: str) -> str:
    """Prefix text that a spreadsheet would evaluate ("=SUMME(...)", "+49 ...", "@A1") with an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)
    except TypeError:  # pd.NA
        return True


def _number_text(v) -> str:
    """Full precision, decimal comma, no exponent, no thousands separator."""
    if isinstance(v, numbers.Integral):
        return str(int(v))
    f = float(v)
    if math.isinf(f):
        return ""
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    text = format(Decimal(repr(f)), "f")
    return text.replace(".", ",")


def suppression_masks(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """column -> boolean mask of suppressed cells."""
    masks: dict[str, pd.Series] = {}

    def flag(col: str) -> pd.Series:
        return frame[col].astype("boolean").fillna(False).astype(bool)

    if SUPPRESSION_FLAG in frame.columns:
        m = flag(SUPPRESSION_FLAG)
        for c in FLAGGED_BY_ROW:
            if c in frame.columns:
                masks[c] = m
    for col in frame.columns:
        if col.endswith("_" + SUPPRESSION_FLAG):
            target = col[: -len(SUPPRESSION_FLAG) - 1]
            if target in frame.columns:
                masks[target] = masks[target] | flag(col) if target in masks else flag(col)
    return masks


def is_flag_column(col: str) -> bool:
    return col == SUPPRESSION_FLAG or col.endswith("_" + SUPPRESSION_FLAG)


def _prepare(frame: pd.DataFrame, columns_de: Mapping[str, str] | None):
    """(header texts, rows of python values with "." for suppressed cells, any suppressed?)."""
    masks = suppression_masks(frame)
    names = columns_de if columns_de is not None else TIDY_COLUMNS_DE
    headers = [str(names.get(c, c)) for c in frame.columns]
    cols = []
    for c in frame.columns:
        values = frame[c].astype(object).tolist()
        if is_flag_column(c):
            values = [None if _missing(v) else ("ja" if bool(v) else "nein") for v in values]
        if c in masks:
            m = masks[c].tolist()
            values = [SUPPRESSED if s else v for v, s in zip(values, m)]
        cols.append(values)
    rows = list(zip(*cols)) if cols else []
    any_suppressed = any(bool(m.any()) for m in masks.values())
    return headers, rows, any_suppressed


def _csv_cell(v) -> str:
    if _missing(v):
        return ""
    if isinstance(v, str):
        return v if v == SUPPRESSED else neutralise_formula(v)
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return "ja" if bool(v) else "nein"
    if isinstance(v, (numbers.Number, Decimal)):
        return _number_text(v)
    if isinstance(v, (datetime, date, pd.Timestamp)):
        return v.strftime("%d.%m.%Y")
    return neutralise_formula(str(v))


def csv_de_bytes(frame: pd.DataFrame, columns_de: Mapping[str, str] | None = None, *,
                 source: str | None = None, footnote: bool = True) -> bytes:
    """The frame as CSV for German Excel. `columns_de` maps column names to headers (default: TIDY_COLUMNS_DE,
    other columns keep their names). With `footnote`, a blank line and the suppression footnote follow the table
    when any value is suppressed; `source` adds a "Quelle: ..." line there too."""
    headers, rows, any_suppressed = _prepare(frame, columns_de)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow([neutralise_formula(h) for h in headers])
    for row in rows:
        w.writerow([_csv_cell(v) for v in row])
    notes = []
    if source:
        notes.append(neutralise_formula(source))
    if footnote and any_suppressed:
        notes.append(SUPPRESSED_FOOTNOTE)
    if notes:
        w.writerow([])
        for n in notes:
            w.writerow([n])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_sheet_name(name: str) -> str:
    s = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or "Daten"
    return s[:31]


def xlsx_bytes(frame: pd.DataFrame, columns_de: Mapping[str, str] | None = None, *, sheet_name: str = "Daten",
               source: str | None = None, footnote: bool = True) -> bytes:
    """The frame as an XLSX workbook (one sheet, header row frozen, autofilter). Text cells are string cells
    (never formulas); null = empty cell; suppressed = "."; source and footnote below the table."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    headers, rows, any_suppressed = _prepare(frame, columns_de)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_xlsx_sheet_name(sheet_name))
    ws.freeze_panes = "A2"
    widths = [len(h) for h in headers]

    def text_cell(text: str, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", text))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if bold:
            cell.font = Font(bold=True)
        return cell

    def value_cell(v):
        if _missing(v):
            return None
        if isinstance(v, str):
            return text_cell(v)
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return text_cell("ja" if bool(v) else "nein")
        if isinstance(v, numbers.Integral):
            return int(v)
        if isinstance(v, (numbers.Real, Decimal)):
            f = float(v)
            return None if math.isinf(f) else f
        if isinstance(v, (datetime, date, pd.Timestamp)):
            if isinstance(v, datetime) and v.tzinfo is not None:  # Excel has no time zones: German local time
                from zoneinfo import ZoneInfo

                v = v.astimezone(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)
            cell = WriteOnlyCell(ws, value=v)
            cell.number_format = "DD.MM.YYYY"
            return cell
        return text_cell(str(v))

    out_rows = [[text_cell(h, bold=True) for h in headers]]
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            cells.append(value_cell(v))
            if not _missing(v):
                widths[i] = max(widths[i], min(len(str(v)), 60))
        out_rows.append(cells)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, w + 2)
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    for r in out_rows:
        ws.append(r)
    notes = []
    if source:
        notes.append(source)
    if footnote and any_suppressed:
        notes.append(SUPPRESSED_FOOTNOTE)
    if notes:
        ws.append([])
        for n in notes:
            ws.append([text_cell(n)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
