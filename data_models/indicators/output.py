"""Machine output of indicator, breakdown, comparison and trend frames (cli.md "Output of `indicators`").

- `to_json(frame)`: a JSON list of objects, one per row, keys = the frame's columns in order; numbers with full
  precision (whole numbers without ".0"), null for <NA>/NaN, booleans for `unterdrueckt`.
- `to_csv(frame)`: comma-separated, "." as decimal point, UTF-8 (no BOM), null as an empty field, booleans as
  `true`/`false`, header = column names, lines end with "\\n".
- `to_csv_de(frame)`: semicolon-separated, decimal comma, UTF-8 with BOM (opens correctly in German Excel), German
  column headers, null as empty, a suppressed value (`wert`, `anzahl`, `anteil` of a row with `unterdrueckt`) as
  ".", `unterdrueckt` as `ja`/`nein`, lines end with "\\r\\n".
Both CSV flavours keep text cells harmless in spreadsheets: a text starting with `=`, `+`, `-`, `@` (or a tab or
carriage return) gets a leading `'` (formula injection). Numbers are never prefixed. Numbers are written without
exponent and without thousands separators, with the shortest digits that read back to the same float.
"""
from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pandas as pd

HEADERS_DE = {
    "jahr": "Jahr", "sozialraum_id": "Sozialraum-ID", "sozialraum": "Sozialraum", "indikator": "Indikator",
    "bezeichnung": "Bezeichnung", "wert": "Wert", "zaehler": "Zähler", "nenner": "Nenner", "einheit": "Einheit",
    "unterdrueckt": "unterdrückt", "kategorie_code": "Kategorie-Code", "kategorie": "Kategorie", "anzahl": "Anzahl",
    "anteil": "Anteil (%)", "tenant": "Jugendamt-Kennung", "name": "Jugendamt", "vergleichsgruppe": "Vergleichsgruppe",
    "vorjahr": "Vorjahr", "veraenderung": "Veränderung zum Vorjahr", "veraenderung_einheit": "Einheit der Veränderung",
    "basisjahr": "Basisjahr", "index": "Index (Basisjahr = 100)", "gesamt": "Gesamt",
    "differenz": "Differenz zu Gesamt", "verhaeltnis": "Verhältnis zu Gesamt", "rang": "Rang",
}
SUPPRESSIBLE = ("wert", "anzahl", "anteil")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _is_null(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return not math.isfinite(float(v))
    return False


def _json_value(v):
    if _is_null(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return str(v)


def _rows(frame: pd.DataFrame):
    cols = list(frame.columns)
    arrays = [frame[c].to_numpy(dtype=object, na_value=None) for c in cols]
    return cols, zip(*arrays)


def to_json(frame: pd.DataFrame) -> str:
    cols, rows = _rows(frame)
    return json.dumps([{c: _json_value(v) for c, v in zip(cols, row)} for row in rows], ensure_ascii=False)


def protect(text: str) -> str:
    """A text cell made harmless for spreadsheets (formula injection)."""
    return "'" + text if text.startswith(_DANGEROUS) else text


def _number(v, decimal: str) -> str:
    f = float(v)
    text = str(int(f)) if f.is_integer() and abs(f) < 2**53 else np.format_float_positional(f, trim="-")
    return text.replace(".", decimal)


def _csv_cell(v, decimal: str, true: str, false: str) -> str:
    if _is_null(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return true if v else false
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return _number(v, decimal)
    return protect(str(v))


def _write(frame: pd.DataFrame, delimiter: str, decimal: str, true: str, false: str, headers: dict,
           terminator: str, suppressed_symbol: str | None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    cols, rows = _rows(frame)
    writer.writerow([protect(headers.get(c, str(c))) for c in cols])
    sup_idx = cols.index("unterdrueckt") if "unterdrueckt" in cols else None
    symbol_cols = {i for i, c in enumerate(cols) if c in SUPPRESSIBLE}
    for row in rows:
        cells = [_csv_cell(v, decimal, true, false) for v in row]
        if suppressed_symbol and sup_idx is not None and not _is_null(row[sup_idx]) and bool(row[sup_idx]):
            for i in symbol_cols:
                if cells[i] == "":
                    cells[i] = suppressed_symbol
        writer.writerow(cells)
    return buf.getvalue()


def to_csv(frame: pd.DataFrame) -> str:
    return _write(frame, ",", ".", "true", "false", {}, "\n", None)


def to_csv_de(frame: pd.DataFrame) -> bytes:
    text = _write(frame, ";", ",", "ja", "nein", HEADERS_DE, "\r\n", ".")
    return ("\ufeff" + text).encode("utf-8")


def render(frame: pd.DataFrame, fmt: str) -> str | bytes:
    """`fmt` = "json" | "csv" | "csv-de" (cli.md `--format`)."""
    if fmt == "json":
        return to_json(frame)
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "csv-de":
        return to_csv_de(frame)
    raise ValueError(f"Unbekanntes Format: {fmt!r} (json, csv, csv-de)")
