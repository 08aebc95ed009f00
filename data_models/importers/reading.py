"""Reading user files into raw cell grids, and finding the header row.

Shared by every table importer (Masterdatei and single-case records):

- `sniff_container` tells the container by its magic bytes first and its extension second;
- `read_raw` turns a file (xlsx/xlsm/xlsb, xls, ods via python-calamine; CSV with encoding and separator
  detection) into `RawSheet`s of raw cell values, or refuses it with a German `Fehler` (empty, unknown/HTML,
  password-protected, corrupt, oversized, zip bomb, unsafe zip paths, too many columns);
- `locate_header` finds the header row among the first 10 rows, maps the headers to canonical column names and
  returns a `Table` (index = Excel row / CSV line number).

Raw values are Python objects as the reader gives them (str, int, float, bool, date, datetime, time, timedelta);
empty cells are `None`. A formula cell without a cached value (xlsx) is the marker `FORMULA_WITHOUT_VALUE`, an
Excel error value (`#DIV/0!`) the marker `excel_error(code)` (both `CellProblem`); they stay in the table, and every
parser of `values.py` turns them into an error (so the finding carries the row and the header of its column like
any other invalid cell).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterable
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding
from data_models.importers.base import ImportContext

HEADER_SEARCH_ROWS = 10  # the header row must be among the first 10 rows
MAX_COLUMNS = 500  # more non-empty columns in one sheet is refused
MAX_CELLS = 30_000_000  # rows x columns of one sheet (memory guard)
EXCEL_KINDS = ("xlsx", "xls", "ods")
BEISPIEL = "beispiel"  # canonical name of the always-allowed example-marker column

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class CellProblem:
    """Marker for an xlsx cell whose value cannot be used: a formula without a cached result, or an Excel error
    value (`#DIV/0!`, `#NV` ...; calamine returns those as empty). `message` is the German error text the parsers
    of `values.py` report; `str()` is the value shown in findings. Compared by identity."""

    __slots__ = ("message", "shown")

    def __init__(self, message: str, shown: str):
        self.message, self.shown = message, shown

    def __repr__(self) -> str:
        return f"CellProblem({self.shown!r})"

    def __str__(self) -> str:
        return self.shown


FORMULA_WITHOUT_VALUE = CellProblem(
    "Die Zelle enthält eine Formel ohne gespeicherten Ergebnis-Wert. Bitte die Datei in Excel öffnen, neu berechnen "
    "lassen und speichern (oder die Formel durch ihren Wert ersetzen).", "(Formel ohne Wert)")
_EXCEL_ERRORS: dict[str, CellProblem] = {}


def excel_error(code: str) -> CellProblem:
    """The marker for an Excel error value such as `#DIV/0!` (one instance per code)."""
    if code not in _EXCEL_ERRORS:
        _EXCEL_ERRORS[code] = CellProblem(
            f"Die Zelle enthält den Excel-Fehlerwert {code}. Bitte die Formel oder den Wert in Excel korrigieren.", code)
    return _EXCEL_ERRORS[code]


# --------------------------------------------------------------------------------------------------------------
# header matching

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_DROP = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212_.,()/:§\u00a0\u200b]+")


def normalise_header(text) -> str:
    """Header/sheet name for matching: case, spaces, hyphens, underscores, line breaks, `. , ( ) / : §` ignored;
    ä/ae, ö/oe, ü/ue, ß/ss equal. `"Sozialraum-ID"`, `"sozialraum_id"` and `"Sozialraum ID"` give one key."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    s = unicodedata.normalize("NFC", str(text)).lower().translate(_UMLAUTS)
    s = s.casefold()
    return _DROP.sub("", s)


def column_letter(index0: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    n = index0 + 1
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# --------------------------------------------------------------------------------------------------------------
# container detection


def _extension(filename: str) -> str:
    name = (filename or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _zip_kind(data: bytes) -> str | None:
    """'xlsx', 'ods' or 'zip' for a readable zip; None when the zip directory cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mt = zf.read("mimetype")
                    if b"opendocument.spreadsheet" in mt:
                        return "ods"
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        return None


def _decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for data that looks like text, else None."""
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        if b"\x00" in data[:8192]:
            return None
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            enc = "cp1252"
    try:
        text = data.decode(enc, errors="strict" if enc != "cp1252" else "replace")
    except UnicodeDecodeError:
        return None
    return text, enc


def _looks_like_markup(head: bytes) -> str | None:
    h = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if h.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")):
        return "html"
    if h.startswith(b"<?xml") or h.startswith(b"<"):
        return "html" if b"<html" in head.lower() else "xml"
    return None


def _detect_separator(lines: list[str]) -> str | None:
    """';', '\\t' or ',' when most of the first lines split into the same number (> 1) of fields by it
    (preferred in this order, so `2023;1,5` is `;`-separated with a decimal comma). Title lines are tolerated."""
    sample = [ln for ln in lines if ln.strip()][:20]
    if not sample:
        return None
    for sep in (";", "\t", ","):
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=sep)]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        if multi.count(mode) >= max(1, (len(counts) + 1) // 2):
            return sep
    return None


def sniff_container(data: bytes, filename: str) -> str:
    """`"xlsx" | "xls" | "ods" | "csv" | "zip" | "text" | "unknown"` — by magic bytes first, extension second.

    xlsx covers xlsx/xlsm/xlsb; "xls" is any OLE/CFB file (old Excel, but also a password-protected xlsx);
    "zip" is a zip that is no workbook, or whose directory is unreadable; an HTML or XML page saved as `.xls`
    and PDFs are "unknown"; text with a consistent `;`/tab/`,` separator (or a `.csv`/`.tsv` name) is "csv",
    other text is "text".
    """
    if not data:
        return "unknown"
    ext = _extension(filename)
    if data.startswith(_ZIP_MAGICS):
        kind = _zip_kind(data)
        return kind or "zip"
    if data.startswith(_CFB_MAGIC):
        return "xls"
    if data.startswith(b"%PDF") or data.startswith(b"{\\rtf"):
        return "unknown"
    head = data[:2048]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and _looks_like_markup(head):
        return "unknown"
    decoded = _decode_text(data[:65536] if len(data) > 65536 else data)
    if decoded is None:
        # binary content without a known signature (maybe a truncated Excel file)
        return "unknown"
    text = decoded[0]
    if decoded[1] == "utf-16" and _looks_like_markup(text[:200].encode("utf-8", "replace")):
        return "unknown"
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return "text"  # JSON (e.g. GeoJSON) is no table
    lines = text.splitlines()[:50]
    if ext in ("csv", "tsv"):
        return "csv"
    return "csv" if _detect_separator(lines) else "text"


# --------------------------------------------------------------------------------------------------------------
# raw sheets


@dataclass
class RawSheet:
    datei: str
    name: str  # sheet name ("" for CSV)
    cells: pd.DataFrame  # raw values (object dtype, no header); index = Excel row number (1-based) / CSV line number
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based incl.
    encoding: str = ""  # CSV only
    separator: str = ""  # CSV only
    has_formula_without_value: bool = False


@dataclass
class Table:
    datei: str
    name: str
    frame: pd.DataFrame  # columns = canonical names; raw values (object); index = Excel row number
    header_row: int
    headers: dict[str, str]  # canonical column -> header as written in the file
    # canonical column -> Excel column letter (CSV: 1-based column number as text)
    letters: dict[str, str] = field(default_factory=dict)

    def header(self, column: str) -> str:
        """The header as written (for findings); the canonical name when the column is absent."""
        return self.headers.get(column, column)


def _fehler(meldung: str, datei: str, blatt: str = "", art: str = "datei", **kw) -> Finding:
    return Finding(FEHLER, meldung, datei=datei, blatt=blatt, art=art, **kw)


def _clean_cells(arr: np.ndarray, full: bool = True) -> np.ndarray:
    """Object array: "" -> None, and with `full` also whitespace-only text and NaN -> None (in place)."""
    if arr.size == 0:
        return arr
    arr[arr == ""] = None
    if not full:
        return arr
    flat = arr.ravel()
    # rare cases (whitespace-only text, NaN): one cheap pass over the non-None cells
    idx = [i for i, v in enumerate(flat) if v is not None and (
        (v.__class__ is str and not v.strip()) or (v.__class__ is float and v != v))]
    if idx:
        flat[idx] = None
    return arr


def _grid_to_frame(rows: list[list], first_row: int = 1) -> pd.DataFrame:
    """List of rows -> object frame with trailing empty rows/columns trimmed, '' -> None, index from first_row."""
    width = max((len(r) for r in rows), default=0)
    if rows and any(len(r) != width for r in rows):
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    arr = np.empty((len(rows), width), dtype=object)
    if rows and width:
        arr[:, :] = rows
    _clean_cells(arr, full=False)  # locate_header cleans the cells it uses
    filled = arr != None  # noqa: E711 - elementwise
    rows_any = filled.any(axis=1) if width else np.zeros(len(rows), dtype=bool)
    cols_any = filled.any(axis=0) if len(rows) else np.zeros(width, dtype=bool)
    n_rows = int(np.flatnonzero(rows_any)[-1]) + 1 if rows_any.any() else 0
    n_cols = int(np.flatnonzero(cols_any)[-1]) + 1 if cols_any.any() else 0
    frame = pd.DataFrame(arr[:n_rows, :n_cols], columns=range(n_cols), dtype=object)
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


def _check_zip(data: bytes, filename: str, ctx: ImportContext) -> list[Finding]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return [_fehler("Die Datei ist beschädigt (das ZIP-Archiv einer Excel-Datei lässt sich nicht lesen). "
                        "Bitte die Datei in Excel öffnen und neu als .xlsx speichern.", filename, art="zip_kaputt")]
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            name = info.filename.replace("\\", "/")
            if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
                return [_fehler(f"Die Datei enthält einen unzulässigen Pfad („{info.filename}“) und wird aus "
                                "Sicherheitsgründen nicht gelesen. Bitte die Arbeitsmappe in Excel neu speichern.",
                                filename, art="zip_pfad", wert=info.filename)]
            total += max(info.file_size, 0)
        if total > ctx.max_unzipped_bytes:
            return [_fehler(f"Die Datei würde entpackt {total / 2**20:,.0f} MB groß (erlaubt sind "
                            f"{ctx.max_unzipped_bytes / 2**20:,.0f} MB). Sie wird aus Sicherheitsgründen nicht gelesen "
                            "(mögliche ZIP-Bombe). Bitte nur die benötigten Blätter und Zeilen hochladen."
                            .replace(",", "."), filename, art="zip_bombe", wert=total)]
    return []


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """xlsx: sheet name -> worksheet XML path inside the zip (from workbook.xml and its relationships)."""
    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    try:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for el in rels.iter():
        if local(el.tag) == "Relationship":
            target = el.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[el.get("Id")] = target
    out = {}
    for el in wb.iter():
        if local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if local(k) == "id"), None)
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE_ATTR = re.compile(rb'\bt="([a-zA-Z]+)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE_TAG = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_VALUE_ANY = re.compile(rb"<(?:\w+:)?v[\s>/]")


def _letters_to_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_V_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)</")


def _problem_cells(xml: bytes) -> list[tuple[int, int, CellProblem]]:
    """(row, col0, marker) of formula cells without a cached value and of Excel error cells in a worksheet XML.
    Cheap: only the `<f>` tags and `t="e"` cells are looked at."""
    out: list[tuple[int, int, CellProblem]] = []
    if (b"<f" in xml or b":f" in xml) and _FORMULA_TAG.search(xml):  # bytes.find first: a regex scan is slow
        for m in _FORMULA_TAG.finditer(xml):
            pos = m.start()
            start = max(xml.rfind(b"<c ", 0, pos), xml.rfind(b":c ", 0, pos))
            end = xml.find(b"c>", pos)
            if start < 0 or end < 0:
                continue
            cell = xml[start:end + 2]
            if _VALUE_TAG.search(cell):
                continue  # has a cached value
            head = cell[: cell.find(b">") + 1]
            tm = _TYPE_ATTR.search(head)
            if tm and tm.group(1) == b"str" and _VALUE_ANY.search(cell):
                continue  # a cached empty text result
            ref = _CELL_REF.search(head)
            if ref:
                out.append((int(ref.group(2)), _letters_to_index(ref.group(1)), FORMULA_WITHOUT_VALUE))
    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref = _CELL_REF.search(m.group(1))
            val = _V_TEXT.search(m.group(2))
            if ref and val:
                code = val.group(1).decode("utf-8", "replace").strip() or "#FEHLER"
                out.append((int(ref.group(2)), _letters_to_index(ref.group(1)), excel_error(code)))
    return out


def _mark_problems(frame: pd.DataFrame, problems: list[tuple[int, int, CellProblem]]) -> pd.DataFrame:
    """Put the markers into the (possibly trimmed) frame; extend it when a marker lies beyond the last value."""
    max_row = max(r for r, _, _ in problems)
    max_col = max(c for _, c, _ in problems)
    n_rows = max(len(frame), max_row)
    n_cols = max(frame.shape[1], max_col + 1)
    if (n_rows, n_cols) != frame.shape:
        arr = np.full((n_rows, n_cols), None, dtype=object)
        arr[: frame.shape[0], : frame.shape[1]] = frame.to_numpy(dtype=object)
        frame = pd.DataFrame(arr, columns=range(n_cols), dtype=object)
        frame.index = pd.RangeIndex(1, n_rows + 1)
    for r, c, marker in problems:
        if frame.iat[r - 1, c] is None:
            frame.iat[r - 1, c] = marker
    return frame


def _read_excel(data: bytes, filename: str, kind: str, ctx: ImportContext,
                sheets: Callable[[str], bool] | None) -> tuple[list[RawSheet], list[Finding]]:
    import python_calamine as pc

    findings: list[Finding] = []
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        return [], [_fehler("Die Datei ist mit einem Kennwort geschützt. Bitte den Kennwortschutz in Excel entfernen "
                            "(Datei → Informationen → Arbeitsmappe schützen) und die Datei neu speichern.",
                            filename, art="kennwort")]
    except Exception:  # noqa: BLE001 - calamine raises several error types for broken files
        return [], [_fehler("Die Datei ist beschädigt oder kein gültiges Excel-/OpenDocument-Format und kann nicht "
                            "gelesen werden. Bitte die Datei in Excel öffnen und neu als .xlsx speichern.",
                            filename, art="kaputt")]
    xml_paths: dict[str, str] = {}
    zf = None
    if kind == "xlsx":
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            xml_paths = _sheet_paths(zf)
        except zipfile.BadZipFile:
            zf = None
    out: list[RawSheet] = []
    try:
        metas = {m.name: m for m in wb.sheets_metadata}
        for name in wb.sheet_names:
            meta = metas.get(name)
            if meta is not None and meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            if sheets is not None and not sheets(name):
                out.append(RawSheet(filename, name, pd.DataFrame(dtype=object)))
                continue
            try:
                sheet = wb.get_sheet_by_name(name)
                if sheet.end is not None:
                    n_rows, n_cols = sheet.end[0] + 1, sheet.end[1] + 1
                    if n_rows * n_cols > MAX_CELLS and n_cols > MAX_COLUMNS:
                        findings.append(_fehler(
                            f"Das Blatt ist zu groß ({n_rows:,} Zeilen × {n_cols:,} Spalten) und wird nicht gelesen. "
                            "Bitte nur die benötigten Zeilen und Spalten behalten.".replace(",", "."),
                            filename, name, art="zu_gross"))
                        continue
                rows = sheet.to_python(skip_empty_area=False)
                merged_raw = sheet.merged_cell_ranges or []
            except Exception:  # noqa: BLE001
                findings.append(_fehler("Das Blatt kann nicht gelesen werden (beschädigt oder nicht unterstützt).",
                                        filename, name, art="kaputt"))
                continue
            frame = _grid_to_frame(rows)
            if frame.shape[1] > MAX_COLUMNS:
                nonempty = int(frame.notna().any(axis=0).sum())
                if nonempty > MAX_COLUMNS:
                    findings.append(_fehler(
                        f"Das Blatt hat {nonempty:,} gefüllte Spalten; erlaubt sind höchstens {MAX_COLUMNS}. "
                        "Bitte überzählige Spalten löschen.".replace(",", "."), filename, name, art="zu_breit",
                        wert=nonempty))
                    continue
            merged = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in merged_raw]
            raw = RawSheet(filename, name, frame, merged=merged)
            if zf is not None and name in xml_paths:
                try:
                    info = zf.getinfo(xml_paths[name])
                    with zf.open(info) as fh:
                        xml = fh.read(ctx.max_unzipped_bytes + 1)
                    problems = _problem_cells(xml)
                except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
                    problems = []
                if problems:
                    frame = _mark_problems(frame, problems)
                    raw.cells = frame
                    raw.has_formula_without_value = any(p is FORMULA_WITHOUT_VALUE for _, _, p in problems)
            out.append(raw)
    finally:
        wb.close()
        if zf is not None:
            zf.close()
    return out, findings


def _read_csv(data: bytes, filename: str) -> tuple[list[RawSheet], list[Finding]]:
    decoded = _decode_text(data)
    if decoded is None:
        return [], [_fehler("Die Datei ist keine lesbare Textdatei (CSV).", filename, art="format")]
    text, enc = decoded
    findings = []
    if enc == "cp1252" and "\ufffd" in text:
        findings.append(Finding(WARNUNG, "Die Datei enthält Zeichen, die weder UTF-8 noch Windows-1252 sind; sie "
                                "wurden ersetzt. Bitte die Datei als „CSV UTF-8“ speichern.", datei=filename,
                                art="kodierung"))
    lines = text.splitlines()
    sep = _detect_separator(lines[:50]) or ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list] = []
    line_numbers: list[int] = []
    prev = 0
    try:
        for rec in reader:
            line_numbers.append(prev + 1)
            prev = reader.line_num
            rows.append([None if v.strip() == "" else v for v in rec])
    except csv.Error as exc:
        return [], [_fehler(f"Die CSV-Datei ist fehlerhaft (Zeile {prev + 1}): {exc}.", filename, zeile=prev + 1,
                            art="csv")]
    width = max((len(r) for r in rows), default=0)
    nonempty_cols = width
    if width > MAX_COLUMNS:
        nonempty_cols = len({i for r in rows for i, v in enumerate(r) if v is not None})
        if nonempty_cols > MAX_COLUMNS:
            return [], [_fehler(f"Die Datei hat {nonempty_cols:,} gefüllte Spalten; erlaubt sind höchstens "
                                f"{MAX_COLUMNS}.".replace(",", "."), filename, art="zu_breit", wert=nonempty_cols)]
    frame = _grid_to_frame(rows)
    frame.index = pd.Index(line_numbers[: len(frame)], dtype="int64")
    return [RawSheet(filename, "", frame, encoding=enc, separator=sep)], findings


def read_raw(data: bytes, filename: str, ctx: ImportContext,
             sheets: Callable[[str], bool] | None = None) -> tuple[list[RawSheet], list[Finding]]:
    """Read a file into raw sheets, or refuse it with a German `Fehler` (then the sheet list is empty).

    `sheets` (optional): a predicate on sheet names; sheets it rejects are listed with an empty `cells` frame
    and not read (cheap, and no findings about them).
    """
    ctx = ctx or ImportContext()
    if data is None or len(data) == 0 or not data.strip():
        return [], [_fehler("Die Datei ist leer.", filename, art="leer")]
    if len(data) > ctx.max_file_bytes:
        return [], [_fehler(f"Die Datei ist zu groß ({len(data) / 2**20:,.1f} MB; erlaubt sind "
                            f"{ctx.max_file_bytes / 2**20:,.1f} MB).".replace(",", "§").replace(".", ",")
                            .replace("§", "."), filename, art="zu_gross", wert=len(data))]
    kind = sniff_container(data, filename)
    ext = _extension(filename)
    if kind == "unknown":
        head = data[:2048]
        markup = _looks_like_markup(head)
        if markup == "html":
            msg = ("Die Datei ist eine Webseite (HTML), keine echte Excel-Datei – auch wenn sie auf „." + ext +
                   "“ endet. Bitte die Datei in Excel öffnen und als „Excel-Arbeitsmappe (.xlsx)“ speichern.")
        elif markup == "xml":
            msg = ("Die Datei ist eine XML-Datei, keine Excel-Arbeitsmappe. Bitte in Excel öffnen und als "
                   "„Excel-Arbeitsmappe (.xlsx)“ speichern.")
        elif data.startswith(b"%PDF"):
            msg = "Die Datei ist ein PDF-Dokument. Bitte eine Excel-Arbeitsmappe (.xlsx) oder CSV-Datei hochladen."
        else:
            msg = ("Das Dateiformat wird nicht erkannt. Erlaubt sind Excel-Arbeitsmappen (.xlsx, .xls), "
                   "OpenDocument-Tabellen (.ods) und CSV-Dateien.")
        return [], [_fehler(msg, filename, art="format")]
    if kind == "xls":
        if ext in ("xlsx", "xlsm", "xlsb") or "EncryptedPackage".encode("utf-16-le") in data:
            return [], [_fehler("Die Datei ist mit einem Kennwort geschützt (verschlüsselte Excel-Datei). Bitte den "
                                "Kennwortschutz in Excel entfernen (Datei → Informationen → Arbeitsmappe schützen → "
                                "Mit Kennwort verschlüsseln) und die Datei neu speichern.", filename, art="kennwort")]
        return _read_excel(data, filename, "xls", ctx, sheets)
    if kind in ("xlsx", "ods", "zip"):
        problems = _check_zip(data, filename, ctx)
        if problems:
            return [], problems
        if kind == "zip":
            return [], [_fehler("Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe. Bitte die Datei "
                                "entpacken und die Excel-Datei (.xlsx) hochladen.", filename, art="format")]
        return _read_excel(data, filename, kind, ctx, sheets)
    # csv / text
    return _read_csv(data, filename)


# --------------------------------------------------------------------------------------------------------------
# header row


def _cell_text(v) -> str:
    if v is None or isinstance(v, CellProblem):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def locate_header(raw: RawSheet, columns: dict[str, list[str]], required: list[str],
                  allowed_extra: Iterable[str] = (), clean: bool = True) -> tuple[Table | None, list[Finding]]:
    """Find the header row and map the sheet to canonical columns.

    `columns`: canonical name -> accepted header spellings (normalised with `normalise_header`).
    The header row is the first of the first 10 rows with at least two expected headers (one when only one
    column is expected). Returns `(None, findings)` when no header row is found or a required column is missing.
    Unknown extra columns give a `Hinweis`; `allowed_extra` headers and `Beispiel` are silently allowed.
    Entirely empty rows and rows with `Beispiel` = x are dropped. Columns the caller did not ask for are not in
    the frame (except `beispiel` when asked for). `clean=False` leaves whitespace-only text in the cells (for
    callers that trim every cell themselves, like the record importers: a row of blanks is dropped there).
    """
    datei, blatt = raw.datei, raw.name
    cells = raw.cells
    findings: list[Finding] = []
    lookup: dict[str, str] = {}
    for canon, spellings in columns.items():
        for sp in list(spellings) + [canon]:
            lookup.setdefault(normalise_header(sp), canon)
    allowed = {normalise_header(a) for a in allowed_extra} | {BEISPIEL}
    first_expected = {c: (s[0] if s else c) for c, s in columns.items()}
    need = 2 if len(columns) >= 2 else 1
    if cells.shape[1] == 0 or len(cells) == 0:
        findings.append(_fehler(f"Das Blatt ist leer; erwartet wird eine Kopfzeile mit den Spalten "
                                f"{_quote_list(first_expected[c] for c in required)}.", datei, blatt, art="kopfzeile"))
        return None, findings

    def hits(row_values) -> int:
        return len({lookup[k] for k in (normalise_header(_cell_text(v)) for v in row_values) if k in lookup})

    header_row = None
    for pos in range(min(HEADER_SEARCH_ROWS, len(cells))):
        if hits(cells.iloc[pos].tolist()) >= need:
            header_row = pos
            break
    if header_row is None:
        later = None
        for pos in range(HEADER_SEARCH_ROWS, min(len(cells), 1000)):
            if hits(cells.iloc[pos].tolist()) >= need:
                later = int(cells.index[pos])
                break
        expected = _quote_list(first_expected[c] for c in (required or list(columns))[:4])
        if later is not None:
            msg = (f"Die Kopfzeile steht erst in Zeile {later}; sie muss in einer der ersten {HEADER_SEARCH_ROWS} "
                   f"Zeilen stehen. Bitte die Zeilen darüber löschen.")
            findings.append(_fehler(msg, datei, blatt, art="kopfzeile", zeile=later))
        else:
            findings.append(_fehler(
                f"Keine Kopfzeile gefunden: In den ersten {HEADER_SEARCH_ROWS} Zeilen steht keine Zeile mit "
                f"mindestens {need} der erwarteten Überschriften ({expected}). Die Kopfzeile muss in einer der "
                f"Zeilen 1 bis {HEADER_SEARCH_ROWS} stehen.", datei, blatt, art="kopfzeile"))
        return None, findings

    header_excel_row = int(cells.index[header_row])
    header_values = cells.iloc[header_row].tolist()
    mapping: dict[int, str] = {}
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    is_csv = raw.name == "" and raw.separator != ""

    def col_label(i: int) -> str:
        return str(i + 1) if is_csv else column_letter(i)

    beispiel_col = None
    for i, v in enumerate(header_values):
        text = _cell_text(v)
        key = normalise_header(text)
        if not key:
            continue
        if key == BEISPIEL:
            beispiel_col = i
        if key in lookup:
            canon = lookup[key]
            if canon in headers:
                findings.append(_fehler(
                    f"Die Spalte „{text}“ kommt doppelt vor (Spalten {letters[canon]} und {col_label(i)}). "
                    "Bitte eine davon löschen oder umbenennen.", datei, blatt, art="spalte_doppelt",
                    zeile=header_excel_row, spalte=text))
                continue
            mapping[i] = canon
            headers[canon] = text
            letters[canon] = col_label(i)
        elif key in allowed:
            continue
        else:
            findings.append(Finding(HINWEIS, f"Die Spalte „{text}“ ist nicht vorgesehen und wird ignoriert.",
                                    datei=datei, blatt=blatt, zeile=header_excel_row, spalte=text, wert=text,
                                    art="spalte_unbekannt"))

    # merged cells touching the header row
    for r1, c1, r2, c2 in raw.merged:
        if r1 <= header_excel_row <= r2:
            ref = f"{col_label(c1 - 1)}{r1}:{col_label(c2 - 1)}{r2}"
            first_header = _cell_text(header_values[c1 - 1]) if c1 - 1 < len(header_values) else ""
            findings.append(Finding(
                WARNUNG, f"Die Kopfzeile enthält verbundene Zellen ({ref}). Bitte die Zellverbindung aufheben, "
                "damit jede Spalte genau eine eigene Überschrift hat.", datei=datei, blatt=blatt,
                zeile=header_excel_row, spalte=first_header or col_label(c1 - 1), wert=ref, art="verbundene_zellen"))

    missing = [c for c in required if c not in headers]
    for c in missing:
        findings.append(_fehler(f"Die Pflichtspalte „{first_expected[c]}“ fehlt im Blatt „{blatt or datei}“. "
                                f"Bitte eine Spalte mit der Überschrift „{first_expected[c]}“ ergänzen.",
                                datei, blatt, art="spalte_fehlt", zeile=header_excel_row, spalte=first_expected[c]))
    if missing:
        return None, findings

    body = cells.iloc[header_row + 1:]
    cols = list(mapping)
    frame = body[cols].copy() if cols else pd.DataFrame(index=body.index)
    frame.columns = [mapping[i] for i in cols]
    if len(frame) and len(frame.columns) and clean:
        # whitespace-only text counts as empty (raw sheets from read_raw are clean already; others may not be)
        arr = _clean_cells(frame.to_numpy(dtype=object, copy=True))
        frame = pd.DataFrame(arr, index=frame.index, columns=frame.columns, dtype=object)  # formula marker stays
    else:
        frame = frame.astype(object)
    keep = frame.notna().any(axis=1) if len(frame.columns) else pd.Series(False, index=frame.index)
    if beispiel_col is not None:
        ex = body[beispiel_col].map(lambda v: isinstance(v, str) and v.strip().lower() == "x")
        keep &= ~ex
    frame = frame[keep]

    return Table(datei, blatt, frame, header_excel_row, headers, letters), findings


def _quote_list(items: Iterable[str]) -> str:
    return ", ".join(f"„{i}“" for i in items)
