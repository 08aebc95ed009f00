"""Import of Sozialraum boundaries: GeoJSON FeatureCollection or zipped ESRI Shapefile -> table `geometrie`.

Contract: /work/shared/domain/geometry.md. The result holds one row per Sozialraum of the sheet `Sozialräume`
that has a geometry: `geometrie` (WGS84, simplified for display, coordinates rounded to 5 decimals) and
`geometrie_original` (WGS84, full precision, repaired where it was invalid), both as GeoJSON geometry text.
"""
from __future__ import annotations

import codecs
import io
import json
import math
import re
import zipfile
import zlib
from datetime import date
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding
from data_models.importers.base import ImportContext, ImportResult
from data_models.schema import conform

KIND = "geometrie"

# the coordinate reference systems German administrations use (offered when a file does not say)
GERMAN_CRS: dict[str, str] = {
    "EPSG:25832": "ETRS89 / UTM Zone 32N",
    "EPSG:25833": "ETRS89 / UTM Zone 33N",
    "EPSG:4647": "ETRS89 / UTM Zone 32N mit Zonenkennung (8-stelliger Rechtswert)",
    "EPSG:5650": "ETRS89 / UTM Zone 33N mit Zonenkennung (8-stelliger Rechtswert)",
    "EPSG:31466": "DHDN / Gauß-Krüger Zone 2",
    "EPSG:31467": "DHDN / Gauß-Krüger Zone 3",
    "EPSG:31468": "DHDN / Gauß-Krüger Zone 4",
    "EPSG:31469": "DHDN / Gauß-Krüger Zone 5",
}
WGS84 = "EPSG:4326"
DECIMALS = 5  # display coordinates: 5 decimals ≈ 1 m
DISPLAY_TOLERANCE = 1e-5  # degrees; simplification tolerance for display
MAX_DISPLAY_VERTICES = 50_000  # above this total the display geometry is simplified harder
MAX_TOLERANCE = 0.01  # degrees; never simplify harder than ≈ 1 km
DEFAULT_DBF_ENCODING = "cp1252"
GERMANY_BOUNDS = (5.0, 47.0, 16.0, 55.5)  # lon/lat box used for a plausibility warning
_POLYGONAL = ("Polygon", "MultiPolygon")


class _Refused(Exception):
    """The file cannot be used at all; the finding says why."""

    def __init__(self, finding: Finding):
        super().__init__(finding.meldung)
        self.finding = finding


# ---------------------------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------------------------
def import_geometrie(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    """Read district boundaries, reproject to WGS84, match them to the Sozialräume and build the `geometrie` table."""
    result = ImportResult(kind=KIND, datei=filename)
    findings = result.findings

    def fail(meldung: str, **kw) -> ImportResult:
        findings.append(Finding(FEHLER, meldung, datei=filename, **kw))
        return result

    try:
        features, file_crs, info = _read_features(data, filename, ctx, findings)
    except _Refused as exc:
        findings.append(exc.finding)
        return result
    result.info.update(info)
    if not features:
        return fail("Die Datei enthält keine Objekte (Features) mit Flächen. Bitte die Datei der Sozialraumgrenzen "
                    "prüfen.", art="geo_keine_features")

    # --- coordinate reference system ---------------------------------------------------------------------------
    crs, source = _choose_crs(file_crs, ctx, filename, findings)
    if crs is None and source == "fehler":
        return result
    geoms = [f["geom"] for f in features]
    if crs is None:
        if not _plausible_lonlat(geoms):
            return fail(_no_crs_message(geoms), art="geo_crs_fehlt")
        crs, source = CRS.from_user_input(WGS84), "Standard (WGS84)"
        if info.get("format") == "Shapefile":
            findings.append(Finding(HINWEIS, "Das Shapefile enthält keine .prj-Datei; die Koordinaten sehen nach "
                                    "Längen-/Breitengraden aus und werden als WGS84 (EPSG:4326) gelesen.",
                                    datei=filename, art="geo_crs_angenommen"))
    result.info["crs"] = _crs_label(crs)
    result.info["crs_quelle"] = source

    # --- validity (in the source CRS, where the geometry was drawn) -----------------------------------------------
    kept = []
    for f in features:
        geom = f["geom"]
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            repaired = _polygonal(shapely.make_valid(geom))
            if repaired is None or repaired.is_empty:
                findings.append(Finding(FEHLER, f"Die Fläche ist ungültig ({reason}) und lässt sich nicht reparieren. "
                                        "Bitte die Geometrie im GIS korrigieren.", datei=filename, zeile=f["nr"],
                                        wert=f["label"], art="geo_ungueltig"))
                continue
            findings.append(Finding(WARNUNG, f"Die Fläche war ungültig ({reason}) und wurde automatisch repariert. "
                                    "Bitte auf der Karte prüfen.", datei=filename, zeile=f["nr"], wert=f["label"],
                                    art="geo_repariert"))
            geom = repaired
        kept.append({**f, "geom": geom})
    if any(f.schwere == FEHLER for f in findings):
        return result

    # --- reproject to WGS84 -------------------------------------------------------------------------------------
    try:
        kept = _reproject(kept, crs)
    except _Refused as exc:
        findings.append(Finding(exc.finding.schwere, exc.finding.meldung, datei=filename, art=exc.finding.art))
        return result
    bounds = shapely.total_bounds([f["geom"] for f in kept])
    result.info["bounds"] = [round(float(b), 6) for b in bounds]
    if not _inside(bounds, GERMANY_BOUNDS):
        findings.append(Finding(WARNUNG, "Die Flächen liegen (teilweise) außerhalb Deutschlands. Bitte das "
                                f"Koordinatensystem prüfen (verwendet: {_crs_label(crs)}).", datei=filename,
                                art="geo_ausserhalb"))

    # --- id property and matching to the Sozialräume ------------------------------------------------------------
    try:
        prop, candidates = _choose_id_property(kept, info.get("properties", []), ctx)
    except _Refused as exc:
        findings.append(Finding(FEHLER, exc.finding.meldung, datei=filename, art=exc.finding.art))
        return result
    result.info["id_property"] = prop
    result.info["id_candidates"] = candidates

    sheet_ids = _sheet_ids(ctx.sozialraeume)
    by_id: dict[str, list] = {}
    numeric_hits: list[tuple[str, str]] = []
    for f in kept:
        raw = f["props"].get(prop)
        sid, exact = _match_id(raw, sheet_ids)
        if sid is None:
            findings.append(Finding(WARNUNG, "Diese Fläche gehört zu keinem Sozialraum des Blatts „Sozialräume“ und "
                                    "wird ignoriert.", datei=filename, zeile=f["nr"], spalte=prop,
                                    wert=_text(raw), art="geo_ohne_sozialraum"))
            continue
        if not exact:
            numeric_hits.append((_text(raw), sid))
        by_id.setdefault(sid, []).append(f)
    if numeric_hits:
        examples = ", ".join(f"{a} → {b}" for a, b in numeric_hits[:5])
        findings.append(Finding(HINWEIS, f"{len(numeric_hits)} Werte der Eigenschaft „{prop}“ passen nur als Zahl zu "
                                f"einer Sozialraum-ID und wurden zugeordnet ({examples}).", datei=filename,
                                spalte=prop, art="geo_id_numerisch"))
    if not by_id:
        return fail(f"Keine Fläche passt zu einem Sozialraum (Eigenschaft „{prop}“). Bitte die Eigenschaft mit der "
                    "Sozialraum-ID wählen (Kommandozeile: --id-property) oder die IDs prüfen.", spalte=prop,
                    art="geo_keine_zuordnung")

    merged: dict[str, object] = {}
    for sid, items in by_id.items():
        if len(items) > 1:
            nrs = ", ".join(str(i["nr"]) for i in items)
            findings.append(Finding(HINWEIS, f"Sozialraum {sid} hat {len(items)} Flächen (Objekte {nrs}); sie werden "
                                    "zu einer Fläche vereinigt.", datei=filename, spalte=prop, wert=sid,
                                    art="geo_doppelt"))
            geom = _polygonal(shapely.make_valid(unary_union([i["geom"] for i in items])))
        else:
            geom = items[0]["geom"]
        merged[sid] = geom

    this_year = date.today().year
    for sid, row in _sheet_rows(ctx.sozialraeume):
        if sid in merged:
            continue
        bis = row.get("gueltig_bis")
        if bis is not None and not pd.isna(bis) and int(bis) < this_year:
            continue  # no longer exists: not expected on the current map
        findings.append(Finding(WARNUNG, f"Für den Sozialraum {sid} enthält die Datei keine Fläche; er erscheint "
                                "nicht auf der Karte.", datei=filename, spalte=prop, wert=sid,
                                art="geo_sozialraum_ohne_flaeche"))

    # --- display simplification ---------------------------------------------------------------------------------
    order = [sid for sid in sheet_ids if sid in merged]
    originals = [merged[sid] for sid in order]
    display, tolerance = simplify_for_display(originals)
    n_orig = int(shapely.get_num_coordinates(originals).sum())
    n_disp = int(shapely.get_num_coordinates(display).sum())
    result.info.update(vertices_original=n_orig, vertices_display=n_disp, tolerance=tolerance, sozialraeume=len(order))
    if n_orig > MAX_DISPLAY_VERTICES:
        findings.append(Finding(HINWEIS, f"Die Flächen haben zusammen {_de(n_orig)} Eckpunkte; für die Karte werden "
                                f"sie auf {_de(n_disp)} vereinfacht. Das Original bleibt gespeichert.",
                                datei=filename, art="geo_vereinfacht"))

    frame = pd.DataFrame({
        "sozialraum_id": order,
        "geometrie": [_dump(g, DECIMALS) for g in display],
        "geometrie_original": [_dump(g, None) for g in originals],
    })
    result.tables[KIND] = conform(KIND, frame)
    return result


def geometry_to_feature_collection(frame: pd.DataFrame, original: bool = False) -> dict:
    """The `geometrie` table as a GeoJSON FeatureCollection (property `sozialraum_id`) for the map."""
    column = "geometrie_original" if original else "geometrie"
    features = []
    for sid, geom in zip(frame["sozialraum_id"], frame[column]):
        if not isinstance(geom, (str, dict)):  # None / NaN / NA: no geometry
            continue
        features.append({
            "type": "Feature",
            "properties": {"sozialraum_id": str(sid)},
            "geometry": json.loads(geom) if isinstance(geom, str) else geom,
        })
    return {"type": "FeatureCollection", "features": features}


def simplify_for_display(geoms: list, tolerance: float = DISPLAY_TOLERANCE,
                         max_vertices: int = MAX_DISPLAY_VERTICES) -> tuple[list, float]:
    """Simplified copies (WGS84) on a 5-decimal grid; harder simplification while the total exceeds `max_vertices`.

    A clean coverage (neighbours share edges, no overlaps) is simplified as a whole so shared borders stay shared.
    """
    if not geoms:
        return [], tolerance
    coverage = bool(shapely.coverage_is_valid(geoms))
    while True:
        out = [_simplify_one(g, s) for g, s in zip(geoms, _simplified(geoms, tolerance, coverage))]
        total = int(shapely.get_num_coordinates(out).sum())
        if total <= max_vertices or tolerance >= MAX_TOLERANCE:
            return out, tolerance
        tolerance = min(tolerance * 2, MAX_TOLERANCE)


# ---------------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------------
def _read_features(data: bytes, filename: str, ctx: ImportContext, findings: list[Finding]):
    """-> (features, crs from the file or None, info). Each feature: nr, geom (shapely, source CRS), props, label."""
    def refuse(meldung: str, art: str, **kw):
        raise _Refused(Finding(FEHLER, meldung, datei=filename, art=art, **kw))

    if not data:
        refuse("Die Datei ist leer.", "geo_leer")
    if len(data) > ctx.max_file_bytes:
        refuse(f"Die Datei ist mit {_de(len(data))} Bytes größer als erlaubt ({_de(ctx.max_file_bytes)} Bytes).",
               "geo_zu_gross")
    lower = filename.lower()
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or lower.endswith(".zip"):
        return _read_zip(data, filename, ctx, findings, refuse)
    if lower.endswith((".shp", ".shx", ".dbf", ".prj")):
        refuse("Ein Shapefile besteht aus mehreren Dateien. Bitte .shp, .shx, .dbf und .prj zusammen als ZIP-Datei "
               "hochladen.", "geo_shapefile_einzeln")
    return _read_geojson(data, filename, findings, refuse)


def _read_geojson(data: bytes, filename: str, findings: list[Finding], refuse):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        findings.append(Finding(HINWEIS, "Die Datei ist nicht UTF-8-kodiert; sie wird als Windows-1252 gelesen.",
                                datei=filename, art="geo_kodierung"))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        refuse(f"Die Datei ist kein gültiges GeoJSON/JSON (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg}). "
               "Bitte eine GeoJSON-Datei (FeatureCollection) oder ein gezipptes Shapefile hochladen.",
               "geo_kein_json", zeile=exc.lineno)
    if not isinstance(obj, dict):
        refuse("Die Datei ist kein GeoJSON-Objekt. Erwartet wird eine FeatureCollection.", "geo_kein_geojson")
    typ = obj.get("type")
    if typ == "Feature":
        raw_features = [obj]
    elif typ == "FeatureCollection":
        raw_features = obj.get("features")
        if not isinstance(raw_features, list):
            refuse("Die FeatureCollection hat keine Liste „features“.", "geo_kein_geojson")
    else:
        refuse(f"Erwartet wird eine GeoJSON-FeatureCollection, gefunden wurde „{typ}“. Die Flächen brauchen "
               "Eigenschaften mit der Sozialraum-ID.", "geo_kein_geojson", wert=typ)
    file_crs = _geojson_crs(obj.get("crs"), filename, refuse)

    features, names = [], []
    for i, feat in enumerate(raw_features, start=1):
        if not isinstance(feat, dict):
            findings.append(Finding(WARNUNG, "Dieses Objekt ist kein GeoJSON-Feature und wird ignoriert.",
                                    datei=filename, zeile=i, art="geo_kein_feature"))
            continue
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        for k in props:
            if k not in names:
                names.append(k)
        geom = _geojson_geometry(feat.get("geometry"), i, filename, findings)
        if geom is not None:
            features.append({"nr": i, "geom": geom, "props": props, "label": _label(props)})
    info = {"format": "GeoJSON", "features": len(raw_features), "properties": names}
    return features, file_crs, info


def _geojson_crs(member, filename: str, refuse) -> CRS | None:
    if member is None:
        return None
    name = None
    if isinstance(member, dict):
        props = member.get("properties") or {}
        name = props.get("name") or (f"EPSG:{props['code']}" if "code" in props else None)
    elif isinstance(member, str):
        name = member
    if not name:
        refuse("Das GeoJSON-Element „crs“ ist nicht lesbar. Bitte das Koordinatensystem als Name angeben "
               "(z. B. „EPSG:25832“) oder das Element entfernen und das System beim Hochladen wählen.",
               "geo_crs_ungueltig")
    try:
        return CRS.from_user_input(str(name))
    except CRSError:
        refuse(f"Das Koordinatensystem „{name}“ der Datei ist unbekannt.", "geo_crs_ungueltig", wert=name)


def _geojson_geometry(geom, nr: int, filename: str, findings: list[Finding]):
    if geom is None:
        findings.append(Finding(WARNUNG, "Dieses Objekt hat keine Geometrie und wird ignoriert.", datei=filename,
                                zeile=nr, art="geo_ohne_geometrie"))
        return None
    try:
        g = shape(geom)
    except Exception as exc:  # malformed coordinates, rings with < 4 points, ...
        findings.append(Finding(FEHLER, f"Die Geometrie dieses Objekts ist nicht lesbar ({exc}). Bitte im GIS "
                                "korrigieren.", datei=filename, zeile=nr, art="geo_ungueltig"))
        return None
    return _accept_type(g, nr, filename, findings)


def _accept_type(g, nr: int, filename: str, findings: list[Finding]):
    if g.geom_type == "GeometryCollection":
        g = _polygonal(g)
        if g is None:
            findings.append(Finding(WARNUNG, "Dieses Objekt enthält keine Fläche und wird ignoriert.",
                                    datei=filename, zeile=nr, art="geo_keine_flaeche"))
            return None
    if g.geom_type not in _POLYGONAL:
        findings.append(Finding(WARNUNG, f"Dieses Objekt ist keine Fläche ({g.geom_type}) und wird ignoriert. "
                                "Erwartet werden Polygon oder MultiPolygon.", datei=filename, zeile=nr,
                                wert=g.geom_type, art="geo_keine_flaeche"))
        return None
    if g.is_empty:
        findings.append(Finding(WARNUNG, "Dieses Objekt hat eine leere Fläche und wird ignoriert.", datei=filename,
                                zeile=nr, art="geo_ohne_geometrie"))
        return None
    if g.has_z:
        g = shapely.force_2d(g)
    return g


def _read_zip(data: bytes, filename: str, ctx: ImportContext, findings: list[Finding], refuse):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        refuse(f"Die ZIP-Datei ist beschädigt oder nicht lesbar ({exc}).", "geo_zip_defekt")
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            refuse("Die ZIP-Datei enthält einen unzulässigen Pfad (absolut oder mit „..“) und wird aus "
                   "Sicherheitsgründen abgelehnt. Bitte die Dateien ohne Ordnerangaben neu zippen.", "geo_zip_pfad",
                   wert=info.filename)
    total = sum(i.file_size for i in infos)
    if total > ctx.max_unzipped_bytes:
        refuse(f"Die ZIP-Datei würde entpackt {_de(total)} Bytes ergeben (erlaubt: {_de(ctx.max_unzipped_bytes)}). "
               "Sie wird aus Sicherheitsgründen abgelehnt.", "geo_zip_bombe", wert=_de(total))
    members = [i for i in infos if not i.is_dir() and not _junk(i.filename)]

    def read(info) -> bytes:
        try:
            with zf.open(info) as fh:
                out = fh.read(ctx.max_unzipped_bytes + 1)
        except RuntimeError as exc:  # encrypted
            refuse(f"Die ZIP-Datei ist verschlüsselt oder nicht lesbar ({exc}).", "geo_zip_defekt")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
            # damaged headers (negative offsets), unknown compression, a broken deflate stream
            refuse(f"Die ZIP-Datei ist beschädigt ({exc}).", "geo_zip_defekt", wert=info.filename)
        if len(out) > ctx.max_unzipped_bytes:
            refuse("Die ZIP-Datei ist entpackt zu groß und wird aus Sicherheitsgründen abgelehnt.", "geo_zip_bombe")
        return out

    shps = [i for i in members if i.filename.lower().endswith(".shp")]
    if not shps:
        jsons = [i for i in members if i.filename.lower().endswith((".geojson", ".json"))]
        if len(jsons) == 1:
            return _read_geojson(read(jsons[0]), filename, findings, refuse)
        refuse("Die ZIP-Datei enthält kein Shapefile (.shp). Bitte .shp, .shx, .dbf und .prj zusammen zippen.",
               "geo_zip_ohne_shp")
    if len(shps) > 1:
        refuse("Die ZIP-Datei enthält mehrere Shapefiles (" + ", ".join(i.filename for i in shps) + "). Bitte nur "
               "die Sozialraumgrenzen hochladen.", "geo_zip_mehrere")
    stem = shps[0].filename[:-4].lower()
    parts = {i.filename[len(stem):].lower(): i for i in members if i.filename.lower().startswith(stem)
             and i.filename[len(stem):].lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg")}
    if ".dbf" not in parts:
        refuse(f"Zum Shapefile {shps[0].filename} fehlt die .dbf-Datei mit den Eigenschaften (Sozialraum-ID).",
               "geo_shp_ohne_dbf")

    file_crs = None
    if ".prj" in parts:
        wkt = read(parts[".prj"]).decode("latin-1").strip()
        try:
            file_crs = CRS.from_wkt(wkt) if wkt else None
        except CRSError:
            refuse("Die .prj-Datei (Koordinatensystem) ist nicht lesbar.", "geo_crs_ungueltig", wert=wkt[:80])

    encoding = DEFAULT_DBF_ENCODING
    if ".cpg" in parts:
        cpg = read(parts[".cpg"]).decode("latin-1").strip()
        enc = _cpg_encoding(cpg)
        if enc is None:
            findings.append(Finding(WARNUNG, f"Die Kodierung „{cpg}“ der .cpg-Datei ist unbekannt; die Eigenschaften "
                                    "werden als Windows-1252 gelesen.", datei=filename, wert=cpg, art="geo_kodierung"))
        else:
            encoding = enc

    import shapefile  # pyshp

    blobs = {ext: io.BytesIO(read(info)) for ext, info in parts.items() if ext in (".shp", ".shx", ".dbf")}

    def records(errors: str):
        r = shapefile.Reader(shp=blobs[".shp"], shx=blobs.get(".shx"), dbf=blobs[".dbf"], encoding=encoding,
                             encodingErrors=errors)
        try:
            names = [f[0] for f in r.fields if f[0] != "DeletionFlag"]
            rows = [(sr.shape, sr.record.as_dict()) for sr in r.iterShapeRecords()]
        finally:
            r.close()
        for b in blobs.values():
            b.seek(0)
        return names, rows

    try:
        try:
            names, rows = records("strict")
        except UnicodeDecodeError:
            names, rows = records("replace")
            findings.append(Finding(WARNUNG, f"Einige Texte der .dbf-Datei passen nicht zur Kodierung {encoding}; "
                                    "unlesbare Zeichen wurden ersetzt. Bitte eine .cpg-Datei mitliefern.",
                                    datei=filename, art="geo_kodierung"))
    except Exception as exc:  # pyshp raises plain exceptions on broken files
        refuse(f"Das Shapefile ist nicht lesbar ({exc}).", "geo_shp_defekt")

    features = []
    for nr, (shp, props) in enumerate(rows, start=1):
        try:
            gi = shp.__geo_interface__
        except Exception:  # pyshp: a NULL shape "cannot be represented as GeoJSON"
            gi = None
        if not gi or gi.get("type") in (None, "Null") or not gi.get("coordinates"):
            findings.append(Finding(WARNUNG, "Dieser Datensatz hat keine Geometrie und wird ignoriert.",
                                    datei=filename, zeile=nr, art="geo_ohne_geometrie"))
            continue
        try:
            g = shape(gi)
        except Exception as exc:
            findings.append(Finding(FEHLER, f"Die Geometrie dieses Datensatzes ist nicht lesbar ({exc}).",
                                    datei=filename, zeile=nr, art="geo_ungueltig"))
            continue
        g = _accept_type(g, nr, filename, findings)
        if g is not None:
            features.append({"nr": nr, "geom": g, "props": props, "label": _label(props)})
    info = {"format": "Shapefile", "features": len(rows), "properties": names, "encoding": encoding,
            "shapefile": shps[0].filename}
    return features, file_crs, info


def _junk(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return "__MACOSX" in parts or (parts and parts[-1].startswith("._"))


def _cpg_encoding(text: str) -> str | None:
    t = text.strip().upper().replace("ANSI", "").strip()
    aliases = {"1252": "cp1252", "65001": "utf-8", "UTF8": "utf-8", "88591": "latin-1", "8859_1": "latin-1",
               "ISO88591": "latin-1", "1250": "cp1250", "437": "cp437", "850": "cp850"}
    t = aliases.get(t.replace("-", ""), aliases.get(t, t))
    try:
        return codecs.lookup(t).name
    except LookupError:
        return None


# ---------------------------------------------------------------------------------------------------------------
# CRS
# ---------------------------------------------------------------------------------------------------------------
def _choose_crs(file_crs: CRS | None, ctx: ImportContext, filename: str, findings: list[Finding]):
    """-> (CRS or None, source). None with source "fehler" when ctx.crs is unusable."""
    given = None
    if ctx.crs:
        text = str(ctx.crs).strip()
        if text.isdigit():
            text = f"EPSG:{text}"
        try:
            given = CRS.from_user_input(text)
        except CRSError:
            findings.append(Finding(FEHLER, f"Das angegebene Koordinatensystem „{ctx.crs}“ ist unbekannt. "
                                    + _crs_choices(), datei=filename, wert=ctx.crs, art="geo_crs_ungueltig"))
            return None, "fehler"
    if file_crs is not None:
        if given is not None and not given.equals(file_crs, ignore_axis_order=True):
            findings.append(Finding(WARNUNG, f"Die Datei nennt das Koordinatensystem {_crs_label(file_crs)}; die "
                                    f"Angabe {_crs_label(given)} wird ignoriert.", datei=filename,
                                    wert=ctx.crs, art="geo_crs_widerspruch"))
        return file_crs, "Datei"
    if given is not None:
        return given, "Angabe"
    return None, ""


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg(min_confidence=70)
    return f"EPSG:{epsg}" if epsg else crs.name


def _crs_choices() -> str:
    items = "; ".join(f"{code} ({name})" for code, name in GERMAN_CRS.items())
    return ("Übliche Koordinatensysteme in Deutschland: " + items + ". Bitte das System beim Hochladen wählen, auf "
            "der Kommandozeile mit --crs, z. B. --crs EPSG:25832.")


def _coords(geoms) -> np.ndarray:
    return shapely.get_coordinates(geoms)


def _plausible_lonlat(geoms) -> bool:
    xy = _coords(geoms)
    if len(xy) == 0:
        return False
    x, y = xy[:, 0], xy[:, 1]
    return bool(((abs(x) <= 180) & (abs(y) <= 90)).all())


def _guess_crs(geoms) -> list[str]:
    xy = _coords(geoms)
    x, y = float(xy[:, 0].mean()), float(xy[:, 1].mean())
    if not 5_200_000 <= y <= 6_200_000:
        return []
    if 32_000_000 <= x < 33_000_000:
        return ["EPSG:4647"]
    if 33_000_000 <= x < 34_000_000:
        return ["EPSG:5650"]
    if 100_000 <= x <= 900_000:
        return ["EPSG:25832", "EPSG:25833"]
    if 2_000_000 <= x < 6_000_000:
        return [f"EPSG:{31464 + int(x // 1_000_000)}"]
    return []


def _no_crs_message(geoms) -> str:
    xy = _coords(geoms)
    sample = f"x = {xy[0, 0]:.0f}, y = {xy[0, 1]:.0f}"
    guess = _guess_crs(geoms)
    hint = f" Nach den Zahlen vermutlich: {' oder '.join(guess)}." if guess else ""
    return ("Die Datei nennt kein Koordinatensystem, und die Koordinaten (z. B. " + sample + ") sind keine "
            "geografischen Längen und Breiten (WGS84)." + hint + " " + _crs_choices())


def _reproject(features: list[dict], crs: CRS) -> list[dict]:
    target = CRS.from_user_input(WGS84)
    if crs.equals(target, ignore_axis_order=True):
        out = features
    else:
        try:
            transformer = Transformer.from_crs(crs, target, always_xy=True)
        except ProjError as exc:  # a damaged or unusual .prj: a CRS without a way to WGS84
            raise _Refused(Finding(FEHLER, f"Aus dem Koordinatensystem {_crs_label(crs)} lässt sich nicht nach WGS84 "
                                   f"umrechnen ({exc}). " + _crs_choices(), art="geo_crs_ungueltig")) from None

        def fn(x, y):
            return transformer.transform(x, y)

        out = [{**f, "geom": shapely.transform(f["geom"], fn, interleaved=False)} for f in features]
    xy = _coords([f["geom"] for f in out])
    ok = np.isfinite(xy).all(axis=1) & (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)
    if not ok.all():
        raise _Refused(Finding(FEHLER, f"Die Koordinaten passen nicht zum Koordinatensystem {_crs_label(crs)} "
                               "(Umrechnung nach WGS84 ergibt keine gültigen Werte). " + _crs_choices(),
                               art="geo_crs_passt_nicht"))
    fixed = []
    for f in out:  # reprojection can in rare cases create tiny self-intersections
        g = f["geom"]
        if not g.is_valid:
            g = _polygonal(shapely.make_valid(g)) or g
        fixed.append({**f, "geom": g})
    return fixed


def _inside(bounds, box) -> bool:
    return bounds[0] >= box[0] and bounds[1] >= box[1] and bounds[2] <= box[2] and bounds[3] <= box[3]


# ---------------------------------------------------------------------------------------------------------------
# ids
# ---------------------------------------------------------------------------------------------------------------
def _sheet_rows(sozialraeume: pd.DataFrame):
    if sozialraeume is None or len(sozialraeume) == 0:
        return []
    return [(str(r["sozialraum_id"]), r) for _, r in sozialraeume.iterrows() if r.get("sozialraum_id") is not None]


def _sheet_ids(sozialraeume: pd.DataFrame) -> list[str]:
    return [sid for sid, _ in _sheet_rows(sozialraeume)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def _match_id(value, sheet_ids: list[str]) -> tuple[str | None, bool]:
    """-> (Sozialraum id, exact text match?)."""
    text = _text(value)
    if text == "":
        return None, False
    if text in sheet_ids:
        return text, True
    n = _number(value)
    if n is None:
        return None, False
    hits = [s for s in sheet_ids if _number(s) == n]
    return (hits[0], False) if len(hits) == 1 else (None, False)


_PREFERRED = ("sozialraumid", "sozialraum", "srid", "srnr", "id", "nr", "nummer")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _choose_id_property(features: list[dict], names: list[str], ctx: ImportContext):
    """-> (property name, candidates [{eigenschaft, treffer, exakt, beispiele}] best first)."""
    sheet_ids = _sheet_ids(ctx.sozialraeume)
    if not names:
        raise _Refused(Finding(FEHLER, "Die Flächen haben keine Eigenschaften; die Sozialraum-ID fehlt. Bitte eine "
                               "Eigenschaft (Attributspalte) mit der Sozialraum-ID mitliefern.", art="geo_keine_id"))
    candidates = []
    for name in names:
        values = [f["props"].get(name) for f in features]
        matched, exact = set(), set()
        for v in values:
            sid, is_exact = _match_id(v, sheet_ids)
            if sid is not None:
                matched.add(sid)
                if is_exact:
                    exact.add(sid)
        examples = []
        for v in values:
            t = _text(v)
            if t and t not in examples:
                examples.append(t)
            if len(examples) == 3:
                break
        candidates.append({"eigenschaft": name, "treffer": len(matched), "exakt": len(exact), "beispiele": examples})

    def pref(name: str) -> int:
        n = _norm(name)
        return _PREFERRED.index(n) if n in _PREFERRED else len(_PREFERRED)

    ranked = sorted(candidates, key=lambda c: (-c["treffer"], -c["exakt"], pref(c["eigenschaft"]),
                                               names.index(c["eigenschaft"])))
    listing = "; ".join(f"„{c['eigenschaft']}“ (z. B. {', '.join(c['beispiele']) or '–'})" for c in ranked[:8])

    if ctx.id_property:
        if ctx.id_property not in names:
            raise _Refused(Finding(FEHLER, f"Die Eigenschaft „{ctx.id_property}“ gibt es in der Datei nicht. "
                                   f"Vorhanden: {listing}.", wert=ctx.id_property, art="geo_id_eigenschaft"))
        return ctx.id_property, ranked
    if not sheet_ids:
        raise _Refused(Finding(FEHLER, "Es sind noch keine Sozialräume hinterlegt, daher lassen sich die Flächen "
                               "nicht zuordnen. Bitte zuerst die Masterdatei mit dem Blatt „Sozialräume“ hochladen.",
                               art="geo_keine_sozialraeume"))
    best = ranked[0]
    if best["treffer"] == 0:
        raise _Refused(Finding(FEHLER, "Keine Eigenschaft der Flächen enthält Sozialraum-IDs des Blatts "
                               f"„Sozialräume“. Vorhanden: {listing}. Bitte die IDs prüfen oder die Eigenschaft "
                               "angeben (Kommandozeile: --id-property).", art="geo_keine_zuordnung"))
    return best["eigenschaft"], ranked


def _label(props: dict) -> str:
    for k, v in props.items():
        if _norm(k) in ("name", "bezeichnung", "sozialraum", "srname") and v not in (None, ""):
            return str(v)
    return ""


# ---------------------------------------------------------------------------------------------------------------
# geometry helpers
# ---------------------------------------------------------------------------------------------------------------
def _polygonal(g):
    """The polygonal part of a geometry (None when there is none)."""
    if g is None or g.is_empty:
        return None
    if g.geom_type in _POLYGONAL:
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in _POLYGONAL and not p.is_empty]
    if not parts:
        return None
    u = unary_union(parts)
    return u if u.geom_type in _POLYGONAL else _polygonal(u)


def _simplified(geoms: list, tolerance: float, coverage: bool) -> list:
    if coverage:
        try:
            out = list(shapely.coverage_simplify(geoms, tolerance))
            if all(g is not None and not g.is_empty and g.is_valid for g in out):
                return out
        except Exception:  # fall back to simplifying each geometry
            pass
    return [g.simplify(tolerance, preserve_topology=True) for g in geoms]


def _simplify_one(original, simplified):
    grid = 10.0 ** -DECIMALS
    for candidate in (simplified, original):
        g = shapely.set_precision(candidate, grid)
        if not g.is_valid:
            g = shapely.make_valid(g)
        g = _polygonal(g)
        if g is not None and not g.is_empty:
            return g
    return original  # too small for the grid: keep it as it is


def _round(obj, decimals: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(c), decimals) for c in obj[:2]]
        return [_round(o, decimals) for o in obj]
    return obj


def _dump(geom, decimals: int | None) -> str:
    m = mapping(geom)
    coords = m["coordinates"]
    coords = _round(coords, decimals) if decimals is not None else json.loads(json.dumps(coords))
    return json.dumps({"type": m["type"], "coordinates": coords}, separators=(",", ":"))


def _de(n: int) -> str:
    return f"{n:,}".replace(",", ".")
