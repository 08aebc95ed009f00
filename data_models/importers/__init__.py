"""Importers, one module per input kind, and the dispatcher that detects the kind of a file.

`run_importer(data, filename, kind, ctx)` never writes to storage; it returns an ImportResult.
"""
from __future__ import annotations

import io
import json
import zipfile

from data_models.findings import FEHLER, Finding
from data_models.importers.base import ImportContext, ImportResult
from data_models.schema import IMPORT_KINDS

KIND_LABELS = {
    "masterdatei": "Masterdatei (Excel)",
    "hze": "HzE-Einzeldaten (Tabelle)",
    "hze-festbreite": "HzE-Einzeldaten (Festbreite 2007)",
    "8a": "§ 8a-Einzeldaten",
    "42": "§ 42-Einzeldaten",
    "zuordnung": "Zuordnungstabelle",
    "geometrie": "Geometrie (GeoJSON / Shapefile)",
}


def _importer(kind: str):
    if kind == "masterdatei":
        from data_models.importers.masterdatei import import_masterdatei as f
    elif kind == "hze":
        from data_models.importers.records_hze import import_hze as f
    elif kind == "hze-festbreite":
        from data_models.importers.hze_festbreite import import_hze_festbreite as f
    elif kind == "8a":
        from data_models.importers.records_8a import import_8a as f
    elif kind == "42":
        from data_models.importers.records_42 import import_42 as f
    elif kind == "zuordnung":
        from data_models.importers.zuordnung import import_zuordnung as f
    elif kind == "geometrie":
        from data_models.importers.geometrie import import_geometrie as f
    else:
        raise ValueError(f"unknown import kind {kind!r}")
    return f


# header sets (normalised) that identify record kinds
_SIGNATURES = [
    ("hze", {"artderhilfe", "beginnjahr"}),
    ("hze", {"hilfeart", "beginnjahr"}),
    ("8a", {"kennnummer", "ergebnis"}),
    ("42", {"kennnummer", "artdermassnahme"}),
    ("42", {"kennnummer", "beginn", "ende"}),
    ("zuordnung", {"kennnummer", "sozialraumid"}),
]


def detect_kind(data: bytes, filename: str) -> str | None:
    """Best guess of the import kind, or None when the file does not say."""
    from data_models.importers.reading import normalise_header, read_raw, sniff_container

    name = filename.lower()
    container = sniff_container(data, filename)
    if name.endswith((".geojson", ".json")):
        return "geometrie"
    if container == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if any(n.lower().endswith(".shp") for n in zf.namelist()):
                    return "geometrie"
        except zipfile.BadZipFile:
            return None
    if container == "text":
        head = data[:4096].lstrip()
        if head.startswith(b"{"):
            try:
                json.loads(data.decode("utf-8-sig"))
                return "geometrie"
            except (UnicodeDecodeError, ValueError):
                return None
        first = data.split(b"\n", 1)[0].rstrip(b"\r")
        if first[:1] == b"A" and 140 <= len(first) <= 160:
            return "hze-festbreite"
    if container not in ("xlsx", "xls", "ods", "csv", "text"):
        return None
    sheets, findings = read_raw(data, filename, ImportContext())
    if any(f.schwere == FEHLER for f in findings) or not sheets:
        return None
    names = {normalise_header(s.name) for s in sheets}
    if "sozialraeume" in names:
        return "masterdatei"
    for sheet in sheets:
        head = sheet.cells.head(10)
        for _, row in head.iterrows():
            cells = {normalise_header(v) for v in row if v is not None and str(v).strip()}
            for kind, needed in _SIGNATURES:
                if needed <= cells:
                    return kind
    return None


def _mb(n: int) -> str:
    """Bytes as German megabytes: 209715201 -> "200,0"."""
    return f"{n / 2**20:,.1f}".replace(",", "§").replace(".", ",").replace("§", ".")


def run_importer(data: bytes, filename: str, kind: str | None, ctx: ImportContext) -> ImportResult:
    """Detect the kind when not given, run its importer; unreadable input becomes a Fehler finding."""
    if kind is not None and kind not in IMPORT_KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    if not data:
        return ImportResult(kind or "unbekannt", filename, findings=[Finding(
            FEHLER, "Die Datei ist leer.", datei=filename, art="leer")])
    if len(data) > ctx.max_file_bytes:  # before detection and parsing: no importer ever reads an oversized file
        return ImportResult(kind or "unbekannt", filename, findings=[Finding(
            FEHLER, f"Die Datei ist zu groß ({_mb(len(data))} MB; erlaubt sind {_mb(ctx.max_file_bytes)} MB). Bitte "
            "nur die benötigten Blätter, Jahre oder Zeilen hochladen.", datei=filename, art="zu_gross",
            wert=len(data))])
    if kind is None:
        kind = detect_kind(data, filename)
        if kind is None:
            return ImportResult("unbekannt", filename, findings=[Finding(
                FEHLER, "Die Art der Datei ließ sich nicht erkennen. Erwartet wird eine Masterdatei (Excel mit Blatt "
                "„Sozialräume“), Einzeldaten (CSV/Excel), eine Zuordnungstabelle, ein Festbreiten-Satz oder eine "
                "Geometrie (GeoJSON, gezipptes Shapefile). Bitte die Art ausdrücklich wählen (--kind).",
                datei=filename, art="art")])
    return _importer(kind)(data, filename, ctx)
