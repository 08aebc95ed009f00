"""Tests of the geometry importer (GeoJSON, zipped Shapefile) -- fixtures from tests/fixtures/make_geo_fixtures.py."""
from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, shape

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.geometrie import (
    MAX_DISPLAY_VERTICES,
    geometry_to_feature_collection,
    import_geometrie,
)
from data_models.schema import TABLES, conform

FIX = Path(__file__).resolve().parents[1] / "fixtures"
GOOD, BAD = FIX / "geo", FIX / "bad"


def ctx_with(ids, **kw) -> ImportContext:
    sr = conform("sozialraeume", pd.DataFrame({"sozialraum_id": ids, "name": [f"SR {i}" for i in ids]}))
    return ImportContext(sozialraeume=sr, **kw)


def run(path: Path, ctx: ImportContext):
    return import_geometrie(path.read_bytes(), path.name, ctx)


def errors(result):
    return [f for f in result.findings if f.schwere == FEHLER]


def sw_corner(geojson_text: str) -> tuple[float, float]:
    """The vertex on lon 9.0 (central meridian) with the lowest latitude: the image of (500000, 5700000).

    (Not the bounds: along a constant northing, latitude drops slightly away from the central meridian.)
    """
    xy = shapely.get_coordinates(shape(json.loads(geojson_text)))
    on_cm = [tuple(c) for c in xy if abs(c[0] - 9.0) < 1e-9]
    return min(on_cm, key=lambda c: c[1])


def utm32_lat_on_central_meridian(northing: float) -> float:
    """Independent check: on the central meridian (easting 500000) UTM northing = 0.9996 x meridian arc length.

    Meridian arc of the GRS80 ellipsoid M(phi) = integral_0^phi a(1-e2)/(1-e2 sin^2 p)^1.5 dp (Simpson rule),
    inverted by bisection. No pyproj involved.
    """
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)

    def arc(phi: float) -> float:
        n = 2000
        h = phi / n
        s = 0.0
        for i in range(n + 1):
            w = 1 if i in (0, n) else (4 if i % 2 else 2)
            s += w * a * (1 - e2) / (1 - e2 * math.sin(i * h) ** 2) ** 1.5
        return s * h / 3

    target = northing / 0.9996
    lo, hi = 0.5, 1.5  # radians
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if arc(mid) < target else (lo, mid)
    return math.degrees(lo)


def test_utm_geojson_with_crs_member_is_reprojected():
    res = run(GOOD / "utm32_mit_crs.geojson", ctx_with(["01", "02", "03"]))
    assert errors(res) == []
    assert res.info["crs"] == "EPSG:25832" and res.info["crs_quelle"] == "Datei"
    # SR_ID holds "01".."03" exactly; OBJECTID 1..3 matches only numerically -> SR_ID wins
    assert res.info["id_property"] == "SR_ID"
    frame = res.tables["geometrie"]
    assert list(frame.columns) == list(TABLES["geometrie"])
    assert list(frame["sozialraum_id"]) == ["01", "02", "03"]
    # the south-west corner of square 01 is (500000, 5700000): lon 9.0 (central meridian of zone 32), lat from the
    # meridian arc: 51.451182... (the often quoted 51.4554 is wrong by ~470 m)
    lat = utm32_lat_on_central_meridian(5_700_000)
    assert lat == pytest.approx(51.451182, abs=1e-6)
    orig = shape(json.loads(frame.loc[0, "geometrie_original"]))
    lon0, lat0 = sw_corner(frame.loc[0, "geometrie_original"])
    assert lon0 == 9.0 or lon0 == pytest.approx(9.0, abs=1e-9)
    assert lat0 == pytest.approx(lat, abs=1e-7)
    minx = orig.bounds[0]
    # display geometry: coordinates rounded to 5 decimals
    disp = json.loads(frame.loc[0, "geometrie"])
    coords = [c for ring in disp["coordinates"] for c in ring]
    assert [9.0, round(lat, 5)] in coords  # [9.0, 51.45118]
    assert all(c[0] == round(c[0], 5) and c[1] == round(c[1], 5) for c in coords)
    # 1 km square: east edge ~ 1000 m / (111320 m * cos 51.45 deg) ~ 0.01439 deg east of 9.0
    assert orig.bounds[2] - minx == pytest.approx(1000 / (111_320 * math.cos(math.radians(51.4512))), rel=2e-3)


def test_utm_without_crs_is_refused_with_german_systems():
    res = run(BAD / "geo_utm_ohne_crs.geojson", ctx_with(["01", "02", "03"]))
    [err] = errors(res)
    for code in ("EPSG:25832", "EPSG:25833", "EPSG:4647", "EPSG:5650", "EPSG:31466", "EPSG:31469", "--crs"):
        assert code in err.meldung
    assert "Koordinatensystem" in err.meldung
    assert not res.tables


@pytest.mark.parametrize("crs", ["EPSG:25832", "25832"])
def test_utm_without_crs_member_but_ctx_crs_is_ok(crs):
    res = run(BAD / "geo_utm_ohne_crs.geojson", ctx_with(["01", "02", "03"], crs=crs))
    assert errors(res) == []
    assert res.info["crs_quelle"] == "Angabe"
    _, lat0 = sw_corner(res.tables["geometrie"].loc[0, "geometrie_original"])
    assert lat0 == pytest.approx(utm32_lat_on_central_meridian(5_700_000), abs=1e-7)


def test_unknown_ctx_crs_is_an_error():
    res = run(BAD / "geo_utm_ohne_crs.geojson", ctx_with(["01"], crs="EPSG:999999"))
    assert len(errors(res)) == 1 and "unbekannt" in errors(res)[0].meldung


def test_bowtie_is_repaired_with_warning():
    res = run(GOOD / "bowtie.geojson", ctx_with(["01", "02"]))
    assert errors(res) == []
    repaired = [f for f in res.findings if f.art == "geo_repariert"]
    assert len(repaired) == 1 and repaired[0].schwere == WARNUNG and repaired[0].zeile == 1
    g = shape(json.loads(res.tables["geometrie"].loc[0, "geometrie_original"]))
    assert g.is_valid and g.geom_type == "MultiPolygon" and len(g.geoms) == 2
    # two triangles with base 0.01 deg (x = 9.0 and x = 9.01 edges) and height 0.005 deg: 2 * 0.01 * 0.005 / 2
    assert g.area == pytest.approx(5e-5, rel=1e-9)


def test_zipped_shapefile_prj_and_cp1252_umlauts():
    res = run(GOOD / "bezirke_cp1252.zip", ctx_with(["01", "02", "03"]))
    assert errors(res) == []
    assert res.info["format"] == "Shapefile" and res.info["encoding"] == "cp1252"
    assert res.info["crs"] == "EPSG:25832" and res.info["crs_quelle"] == "Datei"
    # BEZ_NR 1..3 matches "01".."03" numerically (Hinweis); OBJECTID 101..103 matches nothing
    assert res.info["id_property"] == "BEZ_NR"
    assert [f.art for f in res.findings if f.schwere == HINWEIS] == ["geo_id_numerisch"]
    names = next(c for c in res.info["id_candidates"] if c["eigenschaft"] == "NAME")["beispiele"]
    assert names == ["Südstadt", "Nördliche Aue", "Groß Weißenfeld"]
    frame = res.tables["geometrie"]
    assert list(frame["sozialraum_id"]) == ["01", "02", "03"]
    assert sw_corner(frame.loc[0, "geometrie_original"]) == pytest.approx(
        (9.0, utm32_lat_on_central_meridian(5_700_000)), abs=1e-7)


def test_shapefile_with_cpg_utf8():
    from tests.fixtures.make_geo_fixtures import shapefile_members, zip_bytes

    data = zip_bytes(shapefile_members("sr", encoding="utf-8", cpg="UTF-8"))
    res = import_geometrie(data, "sr.zip", ctx_with(["01", "02", "03"]))
    assert errors(res) == [] and res.info["encoding"] == "utf-8"
    names = next(c for c in res.info["id_candidates"] if c["eigenschaft"] == "NAME")["beispiele"]
    assert names[0] == "Südstadt"


def test_id_property_auto_pick_and_explicit_choice():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"fid": i, "code": f"A{i}", "sr": str(10 + i)},
         "geometry": Point(9 + i / 100, 51).buffer(0.004).__geo_interface__}
        for i in range(4)
    ]}
    data = json.dumps(fc).encode()
    ctx = ctx_with(["10", "11", "12", "13", "14"])
    res = import_geometrie(data, "x.geojson", ctx)
    assert errors(res) == []
    # sr = 10..13 matches 4 ids; fid = 0..3 matches none; code matches none
    assert res.info["id_property"] == "sr"
    assert [(c["eigenschaft"], c["treffer"]) for c in res.info["id_candidates"]] == [("sr", 4), ("fid", 0), ("code", 0)]
    missing = [f for f in res.findings if f.art == "geo_sozialraum_ohne_flaeche"]
    assert [(f.schwere, f.wert) for f in missing] == [(WARNUNG, "14")]
    # explicit property that does not exist: error naming the available ones
    bad = import_geometrie(data, "x.geojson", ctx_with(["10"], id_property="SRNR"))
    assert len(errors(bad)) == 1 and "„sr“" in errors(bad)[0].meldung
    # no property matches any id
    none = import_geometrie(data, "x.geojson", ctx_with(["X1", "X2"]))
    assert [f.art for f in errors(none)] == ["geo_keine_zuordnung"]


def test_unmatched_geometry_warning_and_duplicates_merged():
    boxes = [("01", 9.0), ("01", 9.01), ("99", 9.03)]  # two adjacent squares for 01, one for an unknown id
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": sid}, "geometry": shapely.box(x, 51.0, x + 0.01, 51.01).__geo_interface__}
        for sid, x in boxes]}
    res = import_geometrie(json.dumps(fc).encode(), "d.geojson", ctx_with(["01"]))
    assert errors(res) == []
    arts = sorted((f.art, f.schwere) for f in res.findings)
    assert arts == [("geo_doppelt", HINWEIS), ("geo_ohne_sozialraum", WARNUNG)]
    frame = res.tables["geometrie"]
    assert list(frame["sozialraum_id"]) == ["01"]
    merged = shape(json.loads(frame.loc[0, "geometrie_original"]))
    # two adjacent 0.01 x 0.01 squares -> one rectangle of area 2e-4
    assert merged.geom_type == "Polygon" and merged.area == pytest.approx(2e-4, rel=1e-9)


def test_many_vertices_are_simplified_for_display_original_kept():
    # a circle with 60,000 vertices (> 50,000): display is simplified, original keeps every vertex
    n = 60_000
    ring = [[9.0 + 0.05 * math.cos(2 * math.pi * k / n), 51.0 + 0.03 * math.sin(2 * math.pi * k / n)] for k in range(n)]
    ring.append(ring[0])
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "01"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    res = import_geometrie(json.dumps(fc).encode(), "c.geojson", ctx_with(["01"]))
    assert errors(res) == []
    assert res.info["vertices_original"] == n + 1
    assert res.info["vertices_display"] <= MAX_DISPLAY_VERTICES
    assert [f.art for f in res.findings] == ["geo_vereinfacht"]
    orig = json.loads(res.tables["geometrie"].loc[0, "geometrie_original"])
    assert len(orig["coordinates"][0]) == n + 1


def test_no_features_invalid_json_and_points_only():
    for name, art in [("geo_keine_features.geojson", "geo_keine_features"), ("geo_kein_json.geojson", "geo_kein_json"),
                      ("geo_nur_punkte.geojson", "geo_keine_features")]:
        res = run(BAD / name, ctx_with(["01"]))
        assert [f.art for f in errors(res)] == [art], name
        assert not res.tables


def test_zip_with_parent_path_is_refused():
    res = run(BAD / "geo_zip_pfad.zip", ctx_with(["01"]))
    [err] = errors(res)
    assert err.art == "geo_zip_pfad" and err.wert.startswith("../")


def test_absolute_path_in_zip_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("/etc/sr.geojson"), b"{}")
    res = import_geometrie(buf.getvalue(), "abs.zip", ctx_with(["01"]))
    assert [f.art for f in errors(res)] == ["geo_zip_pfad"]


def test_zip_bomb_by_directory_size():
    # the forged directory claims 4 members (.shp .shx .dbf .prj) x 0xF0000000 bytes
    # = 4 x 4,026,531,840 = 16,106,127,360 bytes > 500 MiB
    res = run(BAD / "geo_zipbombe.zip", ctx_with(["01"]))
    [err] = errors(res)
    assert err.art == "geo_zip_bombe" and err.wert == "16.106.127.360"
    # a real, highly compressible member above a small limit: 200,000 zero bytes > 100,000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", b" " * 200_000)
    small = import_geometrie(buf.getvalue(), "b.zip", ctx_with(["01"], max_unzipped_bytes=100_000))
    assert [f.art for f in errors(small)] == ["geo_zip_bombe"]


def test_geojson_inside_zip_and_feature_collection_output():
    src = (GOOD / "utm32_mit_crs.geojson").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("grenzen/sr.geojson", src)
    res = import_geometrie(buf.getvalue(), "g.zip", ctx_with(["01", "02", "03"]))
    assert errors(res) == []
    fc = geometry_to_feature_collection(res.tables["geometrie"])
    assert fc["type"] == "FeatureCollection"
    assert [f["properties"] for f in fc["features"]] == [{"sozialraum_id": s} for s in ("01", "02", "03")]
    assert fc["features"][0]["geometry"]["type"] == "Polygon"


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("geo_*")))
def test_every_bad_geo_fixture_is_refused(name):
    # also without any Sozialräume and through the kind detection of the dispatcher
    from data_models.importers import run_importer

    res = run_importer((BAD / name).read_bytes(), name, None, ImportContext())
    assert res.kind == "geometrie" and not res.ok and not res.tables


def test_shapefile_with_a_null_shape_gives_a_warning_not_a_crash():
    """pyshp cannot turn a NULL shape into GeoJSON (found by the fuzz test): the record is ignored with a warning."""
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    w.field("SR_ID", "C", 10)
    w.poly([[[7.0, 51.0], [7.0, 51.01], [7.01, 51.01], [7.01, 51.0], [7.0, 51.0]]])
    w.record("01")
    w.null()
    w.record("02")
    w.close()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("grenzen.shp", shp.getvalue())
        z.writestr("grenzen.shx", shx.getvalue())
        z.writestr("grenzen.dbf", dbf.getvalue())
        z.writestr("grenzen.prj", 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                                  'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')
    res = import_geometrie(buf.getvalue(), "grenzen.zip", ctx_with(["01", "02"]))
    nulls = [f for f in res.findings if f.art == "geo_ohne_geometrie"]
    assert len(nulls) == 1 and nulls[0].zeile == 2 and nulls[0].schwere == WARNUNG
