"""Pure helpers for the two Wächteramt pages (§ 8a Gefährdungseinschätzungen, § 42 Inobhutnahmen).

They reshape the tidy indicator frame (cli.md columns `jahr, sozialraum_id, sozialraum, indikator, wert, zaehler,
nenner, einheit, unterdrueckt`) and breakdown frames (`jahr, sozialraum_id, sozialraum, kategorie_code, kategorie,
anzahl, anteil[, unterdrueckt]`) into what the chart and table components take, and hold the German explanations
the pages show. No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from data_models.memo import memoize
from data_models.formatting import fmt_de, is_missing
from data_models.indicators.catalogue import CATALOGUE
from data_models.indicators.trends import change_to_previous
from data_models.schema import GESAMT, OHNE

# --- which indicators the pages show ------------------------------------------------------------------
KPI_8A = ("verfahren_8a", "verfahren_8a_dichte", "kwg_quote", "kwg_dichte", "akut_quote", "hilfebedarf_quote")
COMPARE_8A = ("verfahren_8a_dichte", "kwg_dichte", "kwg_quote", "akut_quote", "hilfebedarf_quote", "verfahren_8a",
              "kwg_faelle", "anteil_nach_8a")
RATES_8A = {"verfahren_8a_dichte": "alle Gefährdungseinschätzungen",  # same unit: one chart (legend texts)
            "kwg_dichte": "festgestellte Gefährdungen (akut + latent)"}
SHARES_8A = ("kwg_quote", "akut_quote", "hilfebedarf_quote")  # in %: one chart

KPI_42 = ("inobhutnahmen", "inobhutnahmen_dichte", "inobhutnahmen_ohne_uma_dichte", "anteil_io_kurz",
          "anteil_io_rueckkehr")
COMPARE_42 = ("inobhutnahmen_dichte", "inobhutnahmen_ohne_uma_dichte", "anteil_io_kurz", "anteil_io_rueckkehr",
              "inobhutnahmen")
RATES_42 = {"inobhutnahmen_dichte": "alle Inobhutnahmen", "inobhutnahmen_ohne_uma_dichte": "ohne unbegleitete Einreise"}
SHARES_42 = ("anteil_io_kurz", "anteil_io_rueckkehr")

# short tile labels (the tiles are narrow; the full label and definition are in the tile's help); for rates the
# label names the unit, so the tile's value is shown without it
KPI_LABELS = {
    "verfahren_8a": "Gefährdungseinschätzungen",
    "verfahren_8a_dichte": "Verfahren je 10.000 unter 18",
    "kwg_quote": "Gefährdung festgestellt",
    "kwg_dichte": "KWG je 10.000 unter 18",
    "akut_quote": "Anteil akuter Gefährdungen",
    "hilfebedarf_quote": "Verfahren mit Hilfebedarf",
    "inobhutnahmen": "Inobhutnahmen",
    "inobhutnahmen_dichte": "Maßnahmen je 10.000 unter 18",
    "inobhutnahmen_ohne_uma_dichte": "ohne UMA je 10.000 unter 18",
    "anteil_io_kurz": "bis 2 Wochen beendet",
    "anteil_io_rueckkehr": "Rückkehr zu Sorgeberechtigten",
}


# --- German texts (for a Jugendhilfeausschuss) --------------------------------------------------------
ERKLAERUNG_8A = """\
**Was hier gezählt wird**

- **Verfahren, nicht Kinder:** Gezählt werden die im Jahr *abgeschlossenen* Gefährdungseinschätzungen nach § 8a \
SGB VIII. Ein Kind mit zwei Verfahren im Jahr zählt zweimal; Geschwister haben je ein eigenes Verfahren.
- **Vier Ergebnisse:** *akute* Kindeswohlgefährdung – das Kind ist erheblich geschädigt oder eine Schädigung ist \
mit ziemlicher Sicherheit zu erwarten, es muss sofort gehandelt werden; *latente* Kindeswohlgefährdung – ob eine \
Gefahr besteht, lässt sich nicht eindeutig klären, sie ist aber nicht auszuschließen, die Familie braucht enge \
Begleitung; keine Gefährdung, aber Hilfebedarf; keine Gefährdung und kein Hilfebedarf.
- **Festgestellte Gefährdungen** (Kindeswohlgefährdungen, kurz KWG) sind die Verfahren mit akuter oder latenter \
Gefährdung.
- **Lesart:** Viele Verfahren zeigen zunächst, dass hingesehen und gemeldet wird – nicht, dass es mehr \
Gefährdungen gibt. Die Werte je 10.000 Einwohner unter 18 machen Sozialräume unterschiedlicher Größe vergleichbar.
"""

ERKLAERUNG_42 = """\
**Was hier gezählt wird**

- **Maßnahmen, nicht Kinder:** Gezählt werden Inobhutnahmen, die im Jahr *beendet* wurden (wie in der \
Bundesstatistik). Ein Kind, das zweimal in Obhut genommen wurde, zählt zweimal; eine am 31.12. noch laufende \
Inobhutnahme zählt erst im Jahr ihres Endes.
- **Inobhutnahme (§ 42 SGB VIII):** Das Jugendamt nimmt ein Kind oder eine Jugendliche vorläufig in seine Obhut – \
bei dringender Gefahr oder auf eigenen Wunsch –, etwa in einer Bereitschaftspflegefamilie oder einer Schutzstelle.
- **Unbegleitete Einreise (§ 42a, „UMA“):** Minderjährige, die ohne Eltern nach Deutschland kommen, werden zuerst \
vorläufig in Obhut genommen. Ihre Zahl folgt der Migration, nicht der Lage der Familien vor Ort. Deshalb zeigt die \
Seite die Werte auch **ohne unbegleitete Einreise**: das ist der Wert für den Kinderschutz vor Ort.
- **Lesart:** Die Werte je 10.000 Einwohner unter 18 machen Sozialräume unterschiedlicher Größe vergleichbar.
"""

MEHRFACH_HINWEIS = {
    "8a_art": "**Mehrfachnennungen:** Ein Verfahren kann mehrere Arten der Gefährdung aufweisen (z. B. "
              "Vernachlässigung und psychische Misshandlung). Die Anteile beziehen sich auf die Verfahren mit "
              "festgestellter (akuter oder latenter) Kindeswohlgefährdung und können zusammen mehr als 100 % "
              "ergeben.",
    "42_anlass": "**Mehrfachnennungen:** Für eine Inobhutnahme können mehrere Anlässe angegeben werden. Die Anteile "
                 "beziehen sich auf alle Inobhutnahmen und können zusammen mehr als 100 % ergeben.",
}

# what the share of a category is taken of (German, for axis titles and captions)
SHARE_OF = {
    "8a_ergebnis": "Anteil an allen Gefährdungseinschätzungen",
    "8a_art": "Anteil an den Verfahren mit festgestellter Gefährdung",
    "8a_melder": "Anteil an den Verfahren mit Angabe des Melders",
    "42_anlass": "Anteil an allen Inobhutnahmen",
    "42_anregende": "Anteil an den Inobhutnahmen mit Angabe",
    "42_anschluss": "Anteil an den Inobhutnahmen mit Angabe",
}


# --- indicators ---------------------------------------------------------------------------------------
def _values(frame: pd.DataFrame, col: str = "wert") -> np.ndarray:
    return frame[col].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def _float(v) -> float | None:
    return None if is_missing(v) else float(v)


@memoize()
def years_with_data(ind: pd.DataFrame, indicators: Iterable[str]) -> list[int]:
    """Years (ascending) in which at least one unit (a Sozialraum, `OHNE` or `GESAMT`) has a value of one of
    `indicators`."""
    f = ind[ind["indikator"].isin(list(indicators))]
    f = f[~np.isnan(_values(f))]
    return sorted({int(y) for y in f["jahr"]})


def has_values(ind: pd.DataFrame, indicators: Iterable[str]) -> bool:
    return bool(years_with_data(ind, indicators))


@dataclass(frozen=True)
class KpiFacts:
    """What a KPI tile of `indicator` shows for `year` (pages turn it into `components.kpi.Kpi`)."""
    indicator: str
    year: int
    value: float | None
    change: float | None  # to the previous calendar year: % or Prozentpunkte (see change_kind)
    change_kind: str  # "%" or "pp"
    history: tuple[float | None, ...]  # values of the years up to `year`, oldest first
    suppressed: bool
    zaehler: float | None = None
    nenner: float | None = None


@memoize()
def kpi_facts(ind: pd.DataFrame, indicators: Sequence[str], year: int, sozialraum: str = GESAMT) -> list[KpiFacts]:
    """One entry per indicator (in the given order) for `sozialraum` and `year`: value, change to the previous
    year (indicators.md: % for counts and rates, Prozentpunkte for indicators in %), and the history of the years
    up to `year`. An indicator without a row in that year has value None."""
    series = _kpi_series(ind, tuple(indicators), sozialraum)
    out = []
    for key in indicators:
        rows = series.get(key, [])
        kind = "pp" if CATALOGUE[key].unit == "%" else "%"
        history = tuple(r["wert"] for r in rows if r["jahr"] <= year)
        now = next((r for r in rows if r["jahr"] == year), None)
        if now is None:
            out.append(KpiFacts(key, int(year), None, None, kind, history, False))
            continue
        supp = now["unterdrueckt"]
        out.append(KpiFacts(key, int(year), now["wert"], None if supp else now["veraenderung"], kind, history, supp,
                            now["zaehler"], now["nenner"]))
    return out


@memoize(maxsize=128)
def _kpi_series(ind: pd.DataFrame, indicators: tuple[str, ...], sozialraum: str) -> dict[str, list[dict]]:
    """Indicator -> its rows of `sozialraum` over the years (sorted), with the change to the previous year: the
    part of `kpi_facts` that does not depend on the chosen year (computed once per data version)."""
    f = ind[(ind["sozialraum_id"] == sozialraum) & ind["indikator"].isin(list(indicators))]
    if not len(f):
        return {}
    ch = change_to_previous(f).sort_values(["indikator", "jahr"], kind="stable")
    supp = (ch["unterdrueckt"].astype("boolean").fillna(False).tolist() if "unterdrueckt" in ch.columns
            else [False] * len(ch))
    out: dict[str, list[dict]] = {}
    for k, y, w, v, z, n, sp in zip(ch["indikator"], ch["jahr"], ch["wert"].astype("Float64"),
                                    ch["veraenderung"].astype("Float64"), ch["zaehler"].astype("Float64"),
                                    ch["nenner"].astype("Float64"), supp):
        if is_missing(y):
            continue
        out.setdefault(k, []).append({"jahr": int(y), "wert": _float(w), "veraenderung": _float(v),
                                      "zaehler": _float(z), "nenner": _float(n), "unterdrueckt": bool(sp)})
    return out


@memoize()
def series_frame(ind: pd.DataFrame, indicators: Sequence[str], sozialraum: str = GESAMT,
                 names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Several indicators of one unit over the years as series for `components.charts.trend_chart`
    (`series="reihe", name_col="name"`): columns `jahr, reihe` (indicator id), `name` (legend text: `names[id]`,
    else the German label), `wert, zaehler, nenner, einheit, unterdrueckt`; sorted by the order of
    `indicators`, then year."""
    names = names or {}
    f = ind[(ind["sozialraum_id"] == sozialraum) & ind["indikator"].isin(list(indicators))].copy()
    order = {k: i for i, k in enumerate(indicators)}
    f["_o"] = f["indikator"].map(order)
    f = f.sort_values(["_o", "jahr"]).reset_index(drop=True)
    out = pd.DataFrame({
        "jahr": f["jahr"].astype("Int64"),
        "reihe": f["indikator"].astype(object),
        "name": f["indikator"].map(lambda k: names.get(k, CATALOGUE[k].label)).astype(object),
        "wert": f["wert"].astype("Float64"),
        "zaehler": f["zaehler"].astype("Float64"),
        "nenner": f["nenner"].astype("Float64"),
        "einheit": f["einheit"].astype(object),
        "unterdrueckt": f["unterdrueckt"].astype(bool) if "unterdrueckt" in f else False,
    })
    return out


@memoize()
def series_table(series: pd.DataFrame) -> pd.DataFrame:
    """The series frame as a table for people: `Kennzahl` (the full German label) instead of the id; tidy column
    names stay so the table components translate them and honour the suppression flag."""
    t = series.assign(Kennzahl=series["reihe"].map(lambda k: CATALOGUE[k].label).astype(object))
    return t[["jahr", "Kennzahl", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]]


@memoize()
def compare_table(ind: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """The Sozialräume (and `OHNE`, last) of one indicator and year, with `GESAMT` first: the table beside the
    map and the ranking."""
    f = ind[(ind["indikator"] == indicator) & (ind["jahr"] == year)]
    rank = f["sozialraum_id"].map(lambda s: 0 if s == GESAMT else (2 if s == OHNE else 1))
    f = f.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r")
    cols = [c for c in ("sozialraum_id", "sozialraum", "wert", "zaehler", "nenner", "einheit", "unterdrueckt")
            if c in f.columns]
    return f[cols].reset_index(drop=True)


@memoize()
def share_sentence(ind: pd.DataFrame, year: int, indicator: str = "anteil_nach_8a",
                   sozialraum: str = GESAMT) -> str | None:
    """German sentence for `anteil_nach_8a` (HzE started after a § 8a assessment) in `year`; None when there is
    no value (and no suppression)."""
    f = ind[(ind["indikator"] == indicator) & (ind["jahr"] == year) & (ind["sozialraum_id"] == sozialraum)]
    if f.empty:
        return None
    r = f.iloc[0]
    if "unterdrueckt" in r.index and not is_missing(r["unterdrueckt"]) and bool(r["unterdrueckt"]):
        return (f"{int(year)}: Der Anteil ist geheim zu halten („.“), weil er auf einer Fallzahl von 1 oder 2 "
                f"beruht.")
    if is_missing(r["wert"]):
        return None
    return (f"{int(year)} ging **{fmt_de(r['wert'], 1)} %** der begonnenen Hilfen zur Erziehung (ohne "
            f"Erziehungsberatung) eine Gefährdungseinschätzung nach § 8a voraus: {fmt_de(r['zaehler'], 0)} von "
            f"{fmt_de(r['nenner'], 0)} begonnenen Hilfen mit Angabe dazu.")


# --- breakdowns ---------------------------------------------------------------------------------------
@memoize()
def unit_rows(breakdown: pd.DataFrame, sozialraum: str = GESAMT, year: int | None = None) -> pd.DataFrame:
    """The rows of one unit (default `GESAMT`), all years or one year, in the frame's order."""
    by_unit, by_unit_year, _ = _unit_index(breakdown)
    pos = by_unit.get(sozialraum, []) if year is None else by_unit_year.get((sozialraum, int(year)), [])
    return breakdown.iloc[pos].reset_index(drop=True)


def has_counts(breakdown: pd.DataFrame, year: int | None = None) -> bool:
    """True when the breakdown has at least one count (or suppressed cell) — in `year` if given."""
    if breakdown is None or not len(breakdown):
        return False
    years = _unit_index(breakdown)[2]
    return bool(years) if year is None else int(year) in years


@memoize(maxsize=128)
def _unit_index(breakdown: pd.DataFrame) -> tuple[dict, dict, set]:
    """Row positions per unit and per (unit, year), and the years with a count or a suppressed cell (None for
    "any row without a year"): computed once per breakdown frame, so a filter change only looks things up."""
    by_unit: dict = {}
    by_unit_year: dict = {}
    years: set = set()
    present = ~np.isnan(_values(breakdown, "anzahl"))
    if "unterdrueckt" in breakdown.columns:
        present |= breakdown["unterdrueckt"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    for i, (sid, y, p) in enumerate(zip(breakdown["sozialraum_id"].tolist(), breakdown["jahr"].tolist(),
                                        present.tolist())):
        by_unit.setdefault(sid, []).append(i)
        missing_year = is_missing(y)
        if not missing_year:
            by_unit_year.setdefault((sid, int(y)), []).append(i)
        if p:
            years.add(None if missing_year else int(y))
    return by_unit, by_unit_year, years


@memoize()
def category_frame(breakdown: pd.DataFrame, year: int, *, sozialraum: str = GESAMT, value: str = "anteil",
                   einheit: str = "%", denominator: float | None = None, multiple: bool = False) -> pd.DataFrame:
    """One unit and year of a breakdown as a tidy-like frame for a horizontal bar chart
    (`components.charts.ranking_bar`): one row per category with `sozialraum_id` = category code, `sozialraum` =
    category label, `wert` = `value` (`anteil` in % or `anzahl`), and for shares `zaehler` = anzahl, `nenner` = the
    denominator of the share: `denominator` when given (for `multiple` answers the number of cases, which the
    counts do not give), otherwise for single answers the sum of the counts when none is missing."""
    f = unit_rows(breakdown, sozialraum, year)
    anzahl = f["anzahl"].astype("Float64")
    supp = (f["unterdrueckt"].astype("boolean").fillna(False).astype(bool) if "unterdrueckt" in f.columns
            else pd.Series(False, index=f.index))
    if denominator is None and not multiple and len(f) and not anzahl.isna().any():
        denominator = float(anzahl.sum())
    share = value == "anteil"
    return pd.DataFrame({
        "jahr": f["jahr"].astype("Int64"),
        "sozialraum_id": f["kategorie_code"].astype(object),
        "sozialraum": f["kategorie"].astype(object),
        "wert": f[value].astype("Float64"),
        "zaehler": anzahl if share else pd.array([pd.NA] * len(f), dtype="Float64"),
        "nenner": pd.array([denominator if share and denominator is not None else pd.NA] * len(f), dtype="Float64"),
        "einheit": einheit,
        "unterdrueckt": supp.to_numpy(dtype=bool),
    })


@memoize()
def breakdown_table(breakdown: pd.DataFrame, *, columns: Sequence[str] = ("jahr", "sozialraum_id", "sozialraum",
                                                                          "kategorie_code", "kategorie", "anzahl",
                                                                          "anteil")) -> pd.DataFrame:
    """A breakdown for tables and downloads: the row flag `unterdrueckt` becomes the column flags
    `anzahl_unterdrueckt` / `anteil_unterdrueckt` (set where that cell was suppressed, i.e. is null in a
    suppressed row), so tables show "." there instead of "keine Daten"."""
    t = breakdown[[c for c in columns if c in breakdown.columns]].copy()
    if "unterdrueckt" in breakdown.columns:
        flag = breakdown["unterdrueckt"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        for col in ("anzahl", "anteil"):
            if col in t.columns:
                t[f"{col}_unterdrueckt"] = flag & np.isnan(_values(t, col))
    return t


@memoize()
def name_features(feature_collection: Mapping, names: Mapping[str, str]) -> dict:
    """A copy of a FeatureCollection whose features carry `properties.name` (the Sozialraum name, or its id when
    unknown) for map labels and tooltips."""
    feats = []
    for feat in feature_collection.get("features", []):
        props = dict(feat.get("properties") or {})
        sid = str(props.get("sozialraum_id", ""))
        props["name"] = names.get(sid, sid)
        feats.append({**feat, "properties": props})
    return {"type": "FeatureCollection", "features": feats}
