"""The Sozialraum map: a pydeck choropleth without basemap tiles, built by pure functions.

- `classify(values, k, method)`: class edges by quantiles (linear interpolation, like Excel's PERCENTILE.INC) or
  equal intervals; intervals are closed on the right: [e0, e1], (e1, e2], ... (ek-1, ek].
- `build_choropleth(...)`: a `pydeck.Deck` with `map_provider=None` and pydeck's default map-style sentinel (no tiles, no base map, works offline),
  a GeoJsonLayer (id "sozialraeume") with a precomputed `[r, g, b, a]` fill per feature, grey for "keine Daten"
  and suppressed values, outlines, and a TextLayer with name (and value) at a point inside each district.
  Feature properties are reduced to what the tooltip and the selection need; coordinates are rounded to 5 decimals.
- `legend_items(...)`: the class ranges with units, computed exactly as the map's colours.
- Colours carry no judgement: levels use one sequential hue (light = lower, dark = higher). Only with a stated
  `reference` (e.g. the municipality's `GESAMT` of the year, or a peer-group median) are the classes diverging
  around it (`classify_around`): ≤ 80 %, over 80 to 90 %, over 90 to 110 %, over 110 to 120 %, over 120 % of the
  reference – orange below, purple above, neutral near it (ColorBrewer PuOr) – and the reference is named in the
  legend.

The tooltip is a `text` tooltip: deck.gl writes it with `innerText`, so names from uploads cannot inject HTML in
any renderer. (Streamlit 1.67 also HTML-escapes values it substitutes into an `html` tooltip; escaping them here
as well would show "&amp;" to the user.)
"""
from __future__ import annotations

import bisect
import json
import math
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd
import pydeck as pdk

from data_models.memo import memoize

from components.theme import (
    LEVELS_NOTE,
    NO_DATA,
    NO_DATA_COLOR,
    diverging,
    SUPPRESSED,
    decimals_for,
    fmt_de,
    fmt_value,
    hex_to_rgba,
    is_missing,
    md_escape,
    records,
    sequential,
    unit_suffix,
)
from data_models.schema import GESAMT, OHNE

LAYER_ID = "sozialraeume"
FILL_ALPHA = 220
LINE_COLOR = [80, 80, 80, 255]
SELECTED_LINE_COLOR = [0, 0, 0, 255]
COORD_DECIMALS = 5
WORLD_PX = 512.0  # deck.gl world size at zoom 0
LABEL_FONT = '"Source Sans", "Source Sans Pro", Arial, sans-serif'
METHODS = ("quantile", "gleich")  # quantile classes, equal intervals


# --- classes ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Classes:
    edges: tuple[float, ...]  # ascending, len = number of classes + 1 (±inf at the ends around a reference)
    colors: tuple[str, ...]  # one per class, light -> dark (sequential) or below -> above (diverging)
    method: str = "quantile"
    reference: float | None = None  # diverging classes: the stated reference value

    @property
    def k(self) -> int:
        return len(self.colors)

    def index(self, value) -> int | None:
        """Class of a value (0-based), None for missing values."""
        if is_missing(value) or not self.edges:
            return None
        return min(bisect.bisect_left(self.edges[1:-1], float(value)), self.k - 1)

    def color(self, value) -> str:
        i = self.index(value)
        return NO_DATA_COLOR if i is None else self.colors[i]


def _quantile(sorted_vals: Sequence[float], p: float) -> float:
    """Linear interpolation between order statistics (numpy's default, Excel's PERCENTILE.INC)."""
    pos = (len(sorted_vals) - 1) * p
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def classify(values: Sequence, k: int = 5, method: str = "quantile") -> Classes:
    """Class edges for the non-missing `values`. Equal edges are merged, so fewer classes may result
    (e.g. all values equal: one class)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if not 1 <= k <= 9:
        raise ValueError("classes must be between 1 and 9")
    vals = sorted(float(v) for v in values if not is_missing(v))
    if not vals:
        return Classes((), (), method)
    lo, hi = vals[0], vals[-1]
    if method == "quantile":
        edges = [_quantile(vals, i / k) for i in range(k + 1)]
    else:
        edges = [lo + (hi - lo) * i / k for i in range(k + 1)]
    edges = [round(e, 10) for e in edges]
    edges[0], edges[-1] = lo, hi
    unique: list[float] = []
    for e in edges:
        if not unique or e > unique[-1]:
            unique.append(e)
    if len(unique) == 1:  # all values equal
        unique = [lo, hi]
    n = len(unique) - 1
    return Classes(tuple(unique), tuple(sequential(n)), method)


DIVERGING_RATIOS = (0.8, 0.9, 1.1, 1.2)  # class edges as shares of the reference (closed on the right)


def classify_around(reference: float, ratios: Sequence[float] = DIVERGING_RATIOS) -> Classes:
    """Five diverging classes around a positive `reference`: (−∞, 0.8 r], (0.8 r, 0.9 r], (0.9 r, 1.1 r],
    (1.1 r, 1.2 r], (1.2 r, ∞). ValueError for a reference that is missing, 0 or negative (no share of it)."""
    if is_missing(reference) or float(reference) <= 0:
        raise ValueError("a diverging scale needs a positive reference value")
    r = float(reference)
    edges = (-math.inf, *(round(r * q, 10) for q in ratios), math.inf)
    return Classes(edges, tuple(diverging(len(ratios) + 1)), "bezug", r)


# --- frame -> values per Sozialraum -------------------------------------------------------------------
@memoize(maxsize=256)
def _rows_by_id(frame: pd.DataFrame) -> dict[str, dict]:
    if frame is None or len(frame) == 0:
        return {}
    if "indikator" in frame.columns and frame["indikator"].nunique(dropna=True) > 1:
        raise ValueError("the frame holds more than one indicator; filter it first")
    if "jahr" in frame.columns and frame["jahr"].nunique(dropna=True) > 1:
        raise ValueError("the frame holds more than one year; filter it first")
    out = {}
    for r in records(frame):
        sid = r.get("sozialraum_id")
        if sid in (GESAMT, OHNE) or sid is None:
            continue
        out[str(sid)] = r
    return out


def _suppressed(row: dict | None) -> bool:
    if not row:
        return False
    v = row.get("unterdrueckt")
    return False if is_missing(v) else bool(v)


def _value(row: dict | None) -> float | None:
    if not row or _suppressed(row) or is_missing(row.get("wert")):
        return None
    return float(row["wert"])


def classes_for(frame: pd.DataFrame, classes: int = 5, method: str = "quantile") -> Classes:
    """The classes of the Sozialraum values of a one-year, one-indicator tidy frame (GESAMT and OHNE left out)."""
    return classify([_value(r) for r in _rows_by_id(frame).values()], classes, method)


def _classes(frame: pd.DataFrame, classes: int, method: str, reference: float | None) -> Classes:
    if reference is not None:
        return classify_around(reference)
    return classify([_value(r) for r in _rows_by_id(frame).values()], classes, method)


@memoize(maxsize=128)
def legend_items(frame: pd.DataFrame, unit: str | None, classes: int = 5, method: str = "quantile", *,
                 decimals: int | None = None, reference: float | None = None,
                 reference_label: str = "Bezugswert") -> list[dict]:
    """Legend rows: {"farbe", "text", "von", "bis", "anzahl"} per class (first "von a bis b", then "über a bis b",
    with unit), then "keine Daten" and "geheim zu halten" (grey) where such Sozialräume exist. With a
    `reference`, the diverging classes around it, each text naming its share of the reference, and the neutral
    class naming the reference itself ("`reference_label`: 32,0 …")."""
    dec = decimals_for(unit) if decimals is None else decimals
    rows = _rows_by_id(frame)
    cls = _classes(frame, classes, method, reference)
    counts = [0] * cls.k
    for r in rows.values():
        i = cls.index(_value(r))
        if i is not None:
            counts[i] += 1
    u = f" {unit_suffix(unit)}" if unit else ""
    items = []
    if cls.reference is not None:
        pct = [fmt_de(q * 100, 0) for q in DIVERGING_RATIOS]
        ref_text = f"{reference_label}: {fmt_de(cls.reference, dec)}{u}"
        for i in range(cls.k):
            lo, hi = cls.edges[i], cls.edges[i + 1]
            if i == 0:
                text = f"bis {fmt_de(hi, dec)}{u} (bis {pct[0]} % des Bezugswerts)"
            elif i == cls.k - 1:
                text = f"über {fmt_de(lo, dec)}{u} (über {pct[-1]} % des Bezugswerts)"
            else:
                text = (f"über {fmt_de(lo, dec)} bis {fmt_de(hi, dec)}{u} (über {pct[i - 1]} bis {pct[i]} % des "
                        f"Bezugswerts)")
            if lo < cls.reference <= hi:
                text += f" – {ref_text}"
            items.append({"farbe": cls.colors[i], "text": text, "von": lo, "bis": hi, "anzahl": counts[i]})
        return items + _grey_items(rows)
    for i in range(cls.k):
        lo, hi = cls.edges[i], cls.edges[i + 1]
        if lo == hi:
            text = f"{fmt_de(lo, dec)}{u}"
        elif i == 0:
            text = f"von {fmt_de(lo, dec)} bis {fmt_de(hi, dec)}{u}"
        else:
            text = f"über {fmt_de(lo, dec)} bis {fmt_de(hi, dec)}{u}"
        items.append({"farbe": cls.colors[i], "text": text, "von": lo, "bis": hi, "anzahl": counts[i]})
    return items + _grey_items(rows)


def _grey_items(rows: dict[str, dict]) -> list[dict]:
    items = []
    n_missing = sum(1 for r in rows.values() if not _suppressed(r) and is_missing(r.get("wert")))
    n_supp = sum(1 for r in rows.values() if _suppressed(r))
    if n_missing:
        items.append({"farbe": NO_DATA_COLOR, "text": NO_DATA, "von": None, "bis": None, "anzahl": n_missing})
    if n_supp:
        items.append({"farbe": NO_DATA_COLOR, "text": f"„{SUPPRESSED}“ geheim zu halten", "von": None, "bis": None,
                      "anzahl": n_supp})
    return items


def legend_note(unit: str | None = None, reference: float | None = None, reference_label: str = "Bezugswert",
                decimals: int | None = None) -> str:
    """The sentence under the legend that says what the colours mean (and that they do not judge)."""
    if reference is None:
        return LEVELS_NOTE
    dec = decimals_for(unit) if decimals is None else decimals
    u = f" {unit_suffix(unit)}" if unit else ""
    return (f"Farben: Abstand zum Bezugswert {reference_label} = {fmt_de(reference, dec)}{u} – orange darunter, "
            "lila darüber, hell in der Nähe (± 10 %). Die Farben werten nicht.")


def legend_frame(items: list[dict]) -> pd.DataFrame:
    """The legend as a small table (colour hex, German class text, number of Sozialräume)."""
    return pd.DataFrame({
        "Farbe": [i["farbe"] for i in items],
        "Klasse": [i["text"] for i in items],
        "Sozialräume": [i["anzahl"] for i in items],
    })


# --- geometry -----------------------------------------------------------------------------------------
def _round_ring(ring, nd: int) -> list:
    pts = [[round(float(x), nd), round(float(y), nd)] for x, y, *_ in ring]
    out = [pts[0]] if pts else []
    for p in pts[1:]:
        if p != out[-1]:
            out.append(p)
    if len(out) < 4:  # collapsed by rounding: keep all points
        return pts
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def round_geometry(geom: dict, nd: int = COORD_DECIMALS) -> dict:
    """A Polygon/MultiPolygon with coordinates rounded to `nd` decimals (about 1 m at 5) and repeated points
    removed."""
    t = geom.get("type")
    if t == "Polygon":
        return {"type": "Polygon", "coordinates": [_round_ring(r, nd) for r in geom["coordinates"]]}
    if t == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_round_ring(r, nd) for r in poly] for poly in geom["coordinates"]]}
    raise ValueError(f"unsupported geometry type {t!r}")


_CACHE_LOCK = threading.Lock()
_FC_CACHE: "OrderedDict[tuple, dict]" = OrderedDict()  # geometry rows -> parsed FeatureCollection
_GEOM_CACHE: "OrderedDict[int, tuple]" = OrderedDict()  # id(geometry) -> (geometry, rounded, label point, bounds)
FC_CACHE_SIZE, GEOM_CACHE_SIZE = 16, 2048


def _remember(cache: OrderedDict, key, value, size: int) -> None:
    with _CACHE_LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)


def feature_collection_from_rows(geometry: pd.DataFrame, column: str = "geometrie") -> dict:
    """The stored `geometrie` table (sozialraum_id, GeoJSON text in WGS84) as a FeatureCollection. Parsing the
    GeoJSON costs more than a page rerun may, so the result is kept per content (a small process-wide cache):
    the returned dict is shared, do not change it (`waechteramt_views.name_features` copies what it changes)."""
    texts = geometry[column].tolist()
    key = None
    if all(isinstance(g, str) for g in texts):
        key = (tuple(str(s) for s in geometry["sozialraum_id"]), tuple(texts))
        with _CACHE_LOCK:
            hit = _FC_CACHE.get(key)
        if hit is not None:
            return hit
    fc = _parse_feature_collection(geometry, column)
    if key is not None:
        _remember(_FC_CACHE, key, fc, FC_CACHE_SIZE)
    return fc


def _parse_feature_collection(geometry: pd.DataFrame, column: str) -> dict:
    feats = []
    for sid, g in zip(geometry["sozialraum_id"], geometry[column]):
        if is_missing(g):
            continue
        feats.append({"type": "Feature", "properties": {"sozialraum_id": str(sid)},
                      "geometry": json.loads(g) if isinstance(g, str) else g})
    return {"type": "FeatureCollection", "features": feats}


def _label_point(geom: dict) -> tuple[float, float]:
    """The centroid of the largest part when it lies inside it (the natural label place), else a point that is
    guaranteed to lie inside (shapely's representative point)."""
    from shapely import make_valid
    from shapely.geometry import shape

    shp = shape(geom)
    if not shp.is_valid:
        shp = make_valid(shp)
    parts = [g for g in getattr(shp, "geoms", [shp]) if g.area > 0] or [shp]
    part = max(parts, key=lambda g: g.area)
    p = part.centroid
    if not part.contains(p):
        p = part.representative_point()
    return round(p.x, COORD_DECIMALS), round(p.y, COORD_DECIMALS)


class RawGeometry(Mapping):
    """A rounded geometry (read-only mapping) that also carries its JSON text: `CompactDeck.to_json` pastes the
    text instead of encoding thousands of coordinates again on every rerun."""

    def __init__(self, geom: dict):
        self._geom = geom
        self.json = json.dumps(geom, separators=(",", ":"))

    def __getitem__(self, k):
        return self._geom[k]

    def __iter__(self):
        return iter(self._geom)

    def __len__(self) -> int:
        return len(self._geom)


def _prepared(geom: dict) -> tuple[RawGeometry, tuple[float, float], tuple | None]:
    """A geometry rounded for display, its label point and its bounds, kept per geometry object (the cached
    FeatureCollection hands out the same objects on every rerun; rounding and shapely cost more than a rerun
    may)."""
    with _CACHE_LOCK:
        hit = _GEOM_CACHE.get(id(geom))
    if hit is not None and hit[0] is geom:
        return hit[1], hit[2], hit[3]
    rounded = round_geometry(geom)
    label = _label_point(rounded)
    bounds = _bounds([rounded])
    rounded = RawGeometry(rounded)
    _remember(_GEOM_CACHE, id(geom), (geom, rounded, label, bounds), GEOM_CACHE_SIZE)
    return rounded, label, bounds


def _union_bounds(parts: list) -> tuple[float, float, float, float] | None:
    parts = [b for b in parts if b is not None]
    if not parts:
        return None
    return (min(b[0] for b in parts), min(b[1] for b in parts), max(b[2] for b in parts), max(b[3] for b in parts))


def _bounds(geoms: list[dict]) -> tuple[float, float, float, float] | None:
    xs, ys = [], []
    for g in geoms:
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            for x, y in poly[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _merc(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(bounds: tuple[float, float, float, float] | None, width: int = 700, height: int = 500,
             padding: float = 0.08) -> pdk.ViewState:
    """A web-mercator view that shows `bounds` (lon/lat) in a `width` × `height` pixel map, with a margin.
    deck.gl's world is 512 × 2^zoom pixels wide (math.gl web-mercator), not 256 as for raster tiles."""
    if bounds is None:
        return pdk.ViewState(latitude=51.1, longitude=10.4, zoom=5, pitch=0, bearing=0)  # Germany
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-6) * (1 + 2 * padding)
    y0, y1 = _merc(miny), _merc(maxy)
    y_span = max(y1 - y0, 1e-8) * (1 + 2 * padding)
    zx = math.log2(width * 360.0 / (WORLD_PX * lon_span))
    zy = math.log2(height * 2 * math.pi / (WORLD_PX * y_span))
    zoom = max(0.0, min(zx, zy, 16.0))
    lat = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    return pdk.ViewState(latitude=round(lat, 6), longitude=round((minx + maxx) / 2, 6), zoom=round(zoom, 3),
                         pitch=0, bearing=0)


# --- deck ---------------------------------------------------------------------------------------------
TOOLTIP_STYLE = {"backgroundColor": "#FFFFFF", "color": "#262730", "fontSize": "13px",
                 "border": "1px solid #888888", "padding": "6px 8px", "maxWidth": "320px"}


@memoize(maxsize=64)
def build_choropleth(frame: pd.DataFrame, feature_collection: dict | str, indicator_label: str, unit: str | None,
                     classes: int = 5, *, method: str = "quantile", decimals: int | None = None,
                     id_property: str = "sozialraum_id", name_property: str = "name",
                     label_values: bool = True, selected: str | None = None,
                     width: int = 700, height: int = 500, reference: float | None = None) -> pdk.Deck:
    """The choropleth of one indicator and year. `frame`: tidy rows (GESAMT/OHNE are ignored); features are
    matched on `properties[id_property]` (text). Districts without a row or value are grey ("keine Daten"),
    suppressed ones grey with ".". Sequential colours by default; diverging around `reference` when one is
    given (then pass the same reference to `legend_items`)."""
    fc = json.loads(feature_collection) if isinstance(feature_collection, str) else feature_collection
    dec = decimals_for(unit) if decimals is None else decimals
    rows = _rows_by_id(frame)
    cls = _classes(frame, classes, method, reference)
    features, labels, bounds = [], [], []
    for feat in fc.get("features", []):
        props = feat.get("properties") or {}
        sid = props.get(id_property, feat.get("id"))
        if sid is None or not feat.get("geometry"):
            continue
        sid = str(sid)
        row = rows.get(sid)
        name = str((row or {}).get("sozialraum") or props.get(name_property) or sid)
        v = _value(row)
        supp = _suppressed(row)
        color = hex_to_rgba(cls.color(v), FILL_ALPHA)
        geom, (lon, lat), bb = _prepared(feat["geometry"])
        bounds.append(bb)
        z = None if supp or not row else row.get("zaehler")
        n = None if supp or not row else row.get("nenner")
        detail = ""
        if not is_missing(n):
            detail = f"Zähler: {_count_text(z)} · Nenner: {_count_text(n)}"
        features.append({
            "type": "Feature",
            "geometry": geom,
            "properties": {
                "id": sid,
                "name": name,
                "wert": fmt_value(v, dec, suppressed=supp, unit=unit) + (" (geheim zu halten)" if supp else ""),
                "zaehler": _count_text(z),
                "nenner": _count_text(n),
                "detail": detail,
                "fill": color,
                "line": SELECTED_LINE_COLOR if sid == selected else LINE_COLOR,
                "lw": 3 if sid == selected else 1,
            },
        })
        short = fmt_value(v, dec, suppressed=supp)
        labels.append({"position": [lon, lat], "text": f"{name}\n{short}" if label_values else name})
    geo_layer = pdk.Layer(
        "GeoJsonLayer",
        data={"type": "FeatureCollection", "features": features},
        id=LAYER_ID,
        pickable=True,
        stroked=True,
        filled=True,
        auto_highlight=True,
        highlight_color=[0, 0, 0, 40],
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.lw",
        line_width_units='"pixels"',
        line_width_min_pixels=1,
    )
    text_layer = pdk.Layer(
        "TextLayer",
        data=labels,
        id="beschriftung",
        get_position="position",
        get_text="text",
        get_size=12,
        size_units='"pixels"',
        get_color=[25, 25, 25, 255],
        get_text_anchor='"middle"',
        get_alignment_baseline='"center"',
        background=True,
        get_background_color=[255, 255, 255, 210],
        background_padding=[3, 1],
        pickable=False,
    )
    # glyphs beyond ASCII (umlauts, ß, "–") must be listed; set after construction so pydeck keeps the list
    text_layer.font_family = LABEL_FONT  # set directly: pydeck would turn a string argument into an expression
    text_layer.character_set = sorted(set("".join(lab["text"] for lab in labels)) | set("0123456789,.– "))
    tooltip = {
        "text": f"{{name}}\n{indicator_label}: {{wert}}\n{{detail}}",
        "style": TOOLTIP_STYLE,
    }
    return CompactDeck(
        layers=[geo_layer, text_layer],
        initial_view_state=fit_view(_union_bounds(bounds), width, height),
        map_provider=None,
        # no map_style: pydeck then sends its sentinel "__MAP_STYLE__", which Streamlit's frontend drops without
        # loading a base map; map_style=None would make it load CARTO's basemap from basemaps.cartocdn.com
        # (an outside request from every browser, which privacy.md rules out)
        tooltip=tooltip,
    )


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no indentation (pydeck indents by 2, which doubles a map's payload;
    Streamlit sends `to_json()` as it is)."""

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize

        nonce, raws = uuid.uuid4().hex, []

        def default(o):
            if isinstance(o, RawGeometry):  # a placeholder now, the cached JSON text below
                raws.append(o.json)
                return f"@geom-{nonce}-{len(raws) - 1}@"
            return default_serialize(o)

        text = json.dumps(self, sort_keys=True, default=default, separators=(",", ":"), ensure_ascii=False)
        if not raws:
            return text
        return re.sub(f'"@geom-{nonce}-([0-9]+)@"', lambda m: raws[int(m.group(1))], text)


def _count_text(v) -> str:
    if is_missing(v):
        return ""
    return fmt_de(v, 0 if float(v).is_integer() else 1)


def deck_payload_size(deck: pdk.Deck) -> int:
    """Bytes of the deck's JSON as sent to the browser."""
    return len(deck.to_json().encode("utf-8"))


# --- Streamlit ----------------------------------------------------------------------------------------
def selected_sozialraum(event: Any) -> str | None:
    """The Sozialraum id of a `st.pydeck_chart(..., on_select="rerun")` selection, or None."""
    try:
        selection = event["selection"] if isinstance(event, dict) else event.selection
        objects = selection["objects"] if isinstance(selection, dict) else selection.objects
        picked = objects.get(LAYER_ID) or []
    except (AttributeError, KeyError, TypeError):
        return None
    for obj in picked:
        props = (obj or {}).get("properties") or {}
        if props.get("id") is not None:
            return str(props["id"])
    return None


def render_choropleth(deck: pdk.Deck, legend: list[dict], *, key: str, height: int = 520,
                      title: str | None = None, source: str | None = None, alt: str | None = None,
                      indicator: str | None = None, note: str | None = None) -> str | None:
    """Show the map (click selects a Sozialraum), its legend as a table with the sentence what the colours mean
    (`note`, default: levels, no judgement), the help popover of `indicator` and the source line.
    Returns the selected Sozialraum id (or None). Put it inside `@st.fragment` with its controls."""
    import streamlit as st

    from components.indicator_help import help_popover

    if title:
        st.markdown(f"**{md_escape(title)}**")
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=key, height=height,
                            alt=alt or title or "Karte der Sozialräume")
    render_legend(legend)
    st.caption(md_escape(note or LEVELS_NOTE))
    if indicator:
        help_popover(indicator, key=f"{key}_hilfe")
    if source:
        st.caption(md_escape(source))
    return selected_sozialraum(event)


def render_legend(items: list[dict]) -> None:
    import streamlit as st

    frame = legend_frame(items)
    styler = frame.style.map(lambda c: f"background-color: {c}; color: {c}", subset=["Farbe"])
    st.dataframe(styler, hide_index=True, width="content",
                 column_config={"Farbe": st.column_config.TextColumn("Farbe", width="small"),
                                "Sozialräume": st.column_config.NumberColumn("Sozialräume", format="%d")})
