"""What the report says: the sections with their texts, tables and charts, built once from a tenant's Dataset.

All figures come from the indicator engine (`public_indicators`) and the breakdowns (`public_breakdown`), exactly
as `manage.py indicators` / `breakdown` give them; with `public` the suppression of privacy.md runs on the complete
frames (all years, Sozialräume and indicators) before anything is picked for the report.

Decisions:
- The report year must have data; the previous year is the calendar year before (its values may be "keine Daten").
- Changes to the previous year as in the app (`trends.change_to_previous`): Prozentpunkte for indicators in %,
  otherwise %.
- Sozialraum tables list the Sozialräume existing in the year (sheet order), then "nicht zuordenbar" when the year
  has such cases, then "Gesamt" (bold).
- Public report: the data-quality appendix names no small count either (counts of 1 or 2 unassigned records become
  "."), and the versions list leaves out file names.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_models.formatting import fmt_de, is_missing
from data_models.indicators.catalogue import CATALOGUE, by_section
from data_models.report import charts
from data_models.report.model import (Chart, Column, Num, PageBreak, Report, Section, Table, Text, VersionLine,
                                      format_for_unit)
from data_models.schema import GESAMT, GESAMT_NAME, OHNE, OHNE_NAME, Dataset

# section key -> title; the order of the report
SECTIONS: dict[str, str] = {
    "zusammenfassung": "Auf einen Blick",
    "karte": "Eckwert HzE nach Sozialräumen",
    "entwicklung": "Entwicklung über die Jahre",
    "leistungen": "Leistungen",
    "ressourcen": "Ressourcen",
    "waechteramt": "Wächteramt: Kinderschutz und Inobhutnahmen",
    "erlaeuterungen": "Erläuterung der Kennzahlen",
    "datenqualitaet": "Anhang: Datenqualität",
}

# the one-page summary: (group, indicator ids)
KEY_FIGURES: list[tuple[str, tuple[str, ...]]] = [
    ("Bevölkerung und soziale Lage", ("bev_u21", "sgb2_quote_u15")),
    ("Hilfen zur Erziehung", ("hze_faelle", "hze_dichte", "hze_begonnen_dichte", "eb_dichte")),
    ("Leistungsmix", ("anteil_ambulant", "anteil_stationaer", "anteil_35a")),
    ("Ressourcen", ("ausgaben_hze", "ausgaben_je_u21", "faelle_je_vollzeitstelle")),
    ("Wächteramt", ("verfahren_8a_dichte", "kwg_quote", "inobhutnahmen_dichte", "inobhutnahmen_ohne_uma_dichte")),
]
TREND_PANELS = ("hze_dichte", "hze_begonnen_dichte", "eb_dichte", "sgb2_quote_u15", "ausgaben_je_u21",
                "verfahren_8a_dichte")
TREND_YEARS = 6  # years shown in the wide tables (Sozialräume × years)
MAX_USER_TEXT = 3000  # characters of the user's own text per section

CHANGE_NOTE = "Veränderung zum Vorjahr: bei Anteilen in Prozentpunkten (Pp.), sonst in %."


class ReportError(ValueError):
    """A request the report cannot serve (German message): no data, unknown section or year."""


@dataclass
class ReportRequest:
    year: int
    sections: Sequence[str] = tuple(SECTIONS)
    texts: dict[str, str] = field(default_factory=dict)  # section key -> the user's own short text
    public: bool = False
    charts: bool = True  # False: tables only (the workbook needs no charts)


def check_request(ds: Dataset, req: ReportRequest) -> None:
    unknown = [s for s in req.sections if s not in SECTIONS]
    if unknown:
        raise ReportError(f"Unbekannter Abschnitt: {', '.join(unknown)}. Möglich: {', '.join(SECTIONS)}.")
    if not req.sections:
        raise ReportError("Bitte mindestens einen Abschnitt wählen.")
    years = ds.years()
    if not years:
        raise ReportError("Für dieses Jugendamt liegen noch keine Daten vor.")
    if req.year not in years:
        raise ReportError(f"Für das Jahr {req.year} liegen keine Daten vor. Vorhandene Jahre: "
                          f"{', '.join(str(y) for y in years)}.")


# --- access to the indicator frame ------------------------------------------------------------------------
class Figures:
    """Lookups in the (possibly suppressed) indicator frame."""

    def __init__(self, ind: pd.DataFrame, ds: Dataset, public: bool):
        self.ind = ind
        self.public = public
        self.ds = ds
        wert = ind["wert"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        sup = ind["unterdrueckt"].to_numpy(dtype=bool) if "unterdrueckt" in ind else np.zeros(len(ind), bool)
        self._cell = {(int(j), s, i): (None if np.isnan(w) else float(w), bool(u))
                      for j, s, i, w, u in zip(ind["jahr"], ind["sozialraum_id"], ind["indikator"], wert, sup)}
        soz = ds["sozialraeume"]
        self.names = {s: n for s, n in zip(soz["sozialraum_id"], soz["name"]) if s != OHNE}
        self.years = sorted({int(y) for y in ind["jahr"].dropna()})

    def get(self, year: int, sid: str, ind_id: str) -> tuple[float | None, bool]:
        return self._cell.get((year, sid, ind_id), (None, False))

    def num(self, year: int, sid: str, ind_id: str) -> Num:
        v, s = self.get(year, sid, ind_id)
        return Num(v, format_for(ind_id), s)

    def change(self, year: int, sid: str, ind_id: str) -> Num:
        """Change to the previous year (null when either value is missing or suppressed)."""
        v, s = self.get(year, sid, ind_id)
        p, ps = self.get(year - 1, sid, ind_id)
        pp = CATALOGUE[ind_id].unit == "%"
        if v is None or p is None or s or ps:
            return Num(None, "chg_pp" if pp else "chg_pct")
        if pp:
            return Num(v - p, "chg_pp")
        return Num(None if p == 0 else (v / p - 1) * 100, "chg_pct")

    def units(self, year: int) -> list[tuple[str, str]]:
        """(id, name) of the rows of a Sozialraum table: Sozialräume of the year, OHNE (if any), GESAMT."""
        ids = list(dict.fromkeys(s for (j, s, _i) in self._cell if j == year))
        srs = [s for s in ids if s not in (GESAMT, OHNE)]
        order = {s: i for i, s in enumerate(self.names)}
        srs.sort(key=lambda s: order.get(s, len(order)))
        out = [(s, self.names.get(s, s)) for s in srs]
        if OHNE in ids:
            out.append((OHNE, OHNE_NAME))
        out.append((GESAMT, GESAMT_NAME))
        return out

    def has_values(self, ids: Iterable[str], year: int | None = None, or_suppressed: bool = False) -> bool:
        """Whether some unit has a value of `ids` (in `year`); with `or_suppressed` a suppressed cell counts too
        (a table can show "."; a chart needs values)."""
        ids = set(ids)
        return any(v is not None or (or_suppressed and s) for (j, _sid, i), (v, s) in self._cell.items()
                   if i in ids and (year is None or j == year))

    def series(self, sid: str, ind_id: str, years: Sequence[int]) -> list[tuple[int, float | None]]:
        return [(y, self.get(y, sid, ind_id)[0]) for y in years]


def format_for(ind_id: str) -> str:
    """Display format of an indicator: counts without decimals, a rate counted in Fälle (caseload) with one."""
    ind = CATALOGUE[ind_id]
    fmt = format_for_unit(ind.unit)
    return "dec1" if fmt == "count" and not ind.is_count else fmt


def _chart(draw, *args, caption: str, height_cm: float, width_cm: float = 17.0, **kw) -> Chart:
    """Draw a chart at exactly the size it gets in the PDF (no stretching)."""
    return Chart(draw(*args, width_cm=width_cm, height_cm=height_cm, **kw), caption, width_cm, height_cm)


# short names for table headers and small chart titles (the full label is in the explanations)
SHORT = {
    "hze_dichte": "Eckwert HzE", "hze_begonnen_dichte": "Eckwert begonnene HzE", "eb_dichte": "Eckwert EB",
    "sgb2_quote_u15": "SGB-II-Quote u15", "ausgaben_je_u21": "Ausgaben je Einw. u21",
    "verfahren_8a_dichte": "§ 8a-Verfahren", "hze_faelle": "HzE-Fälle", "bev_u21": "Einwohner unter 21",
}
SHORT_UNITS = {"je 1.000 unter 21": "je 1.000 u21", "je 10.000 unter 18": "je 10.000 u18"}


def _short(ind_id: str) -> str:
    return SHORT.get(ind_id, _label(ind_id))


def _label(ind_id: str) -> str:
    return CATALOGUE[ind_id].label


def _unit(ind_id: str) -> str:
    return CATALOGUE[ind_id].unit


def _axis(ind_id: str) -> str:
    u = _unit(ind_id)
    return f"{_label(ind_id)}, {u}" if u.startswith("je ") else f"{_label(ind_id)} in {u}"


def indicator_table(f: Figures, title: str, ids: Sequence[str], year: int, *, groups=None, note: str = "",
                    sheet_title: str = "") -> Table:
    """Kennzahl | Einheit | Vorjahr | Jahr | Veränderung, for GESAMT."""
    cols = [Column("Kennzahl", 3.6, "LEFT"), Column("Einheit", 1.7, "LEFT"), Column(str(year - 1), 1.2),
            Column(str(year), 1.2), Column("Veränderung", 1.3)]
    rows, bold = [], set()
    for group, gids in (groups or [("", tuple(ids))]):
        if group:
            bold.add(len(rows))
            rows.append([group, None, None, None, None])
        for i in gids:
            rows.append([_label(i), _unit(i), f.num(year - 1, GESAMT, i), f.num(year, GESAMT, i),
                         f.change(year, GESAMT, i)])
    return Table(title, cols, rows, note=note, sheet_title=sheet_title, bold_rows=bold)


def sozialraum_table(f: Figures, title: str, ids: Sequence[str], year: int, *, headers: Sequence[str] | None = None,
                     note: str = "", sheet_title: str = "", with_change: str | None = None) -> Table:
    """One row per Sozialraum (and nicht zuordenbar, Gesamt); one column per indicator of `year`; optionally the
    previous year's value and the change of one indicator."""
    cols = [Column("Sozialraum", 2.6, "LEFT")]
    heads = list(headers or [f"{_label(i)} ({_unit(i)})" for i in ids])
    if with_change:  # the value of the compared indicator is the report year's
        heads[list(ids).index(with_change)] += f" {year}"
    cols += [Column(h, 1.3) for h in heads]
    if with_change:
        cols += [Column(f"Vorjahr {year - 1}", 1.1), Column("Veränderung", 1.3)]
    rows, bold = [], set()
    for sid, name in f.units(year):
        row = [name] + [f.num(year, sid, i) for i in ids]
        if with_change:
            row += [f.num(year - 1, sid, with_change), f.change(year, sid, with_change)]
        if sid == GESAMT:
            bold.add(len(rows))
        rows.append(row)
    return Table(title, cols, rows, note=note, sheet_title=sheet_title, bold_rows=bold)


def years_table(f: Figures, title: str, ind_id: str, years: Sequence[int], note: str = "",
                sheet_title: str = "") -> Table:
    """Sozialräume × years of one indicator."""
    cols = [Column("Sozialraum", 2.6, "LEFT")] + [Column(str(y), 1.0) for y in years]
    rows, bold = [], set()
    last = years[-1]
    for sid, name in f.units(last):
        if sid == GESAMT:
            bold.add(len(rows))
        rows.append([name] + [f.num(y, sid, ind_id) for y in years])
    return Table(title, cols, rows, note=note, sheet_title=sheet_title, bold_rows=bold)


# --- breakdowns -----------------------------------------------------------------------------------------
def _breakdown_rows(bd: pd.DataFrame, year: int, sid: str = GESAMT) -> pd.DataFrame:
    return bd[(bd["jahr"] == year) & (bd["sozialraum_id"] == sid)]


def breakdown_table(bd: pd.DataFrame, title: str, year: int, counted: str, note: str = "", sheet_title: str = "",
                    with_code: bool = False) -> Table | None:
    rows_ = _breakdown_rows(bd, year)
    if rows_.empty or not rows_["anzahl"].notna().any() and not rows_.get("unterdrueckt", pd.Series(False)).any():
        return None
    sup = rows_["unterdrueckt"].to_numpy(dtype=bool) if "unterdrueckt" in rows_ else np.zeros(len(rows_), bool)
    cols = ([Column("Code", 0.7, "LEFT")] if with_code else []) + [Column("Kategorie", 4.0, "LEFT"),
                                                                   Column(counted, 1.3), Column("Anteil", 1.2)]
    rows = []
    for r, s in zip(rows_.itertuples(), sup):
        anz = None if is_missing(r.anzahl) else float(r.anzahl)
        ant = None if is_missing(r.anteil) else float(r.anteil)
        row = ([str(r.kategorie_code)] if with_code else []) + [
            str(r.kategorie), Num(anz, "count", s and anz is None), Num(ant, "pct", s and ant is None)]
        rows.append(row)
    return Table(title, cols, rows, note=note, sheet_title=sheet_title)


# --- sections -------------------------------------------------------------------------------------------
def _user_text(req: ReportRequest, key: str) -> list[Text]:
    text = (req.texts or {}).get(key, "") or ""
    text = text.strip()[:MAX_USER_TEXT]
    return [Text(text, "user")] if text else []


def section_summary(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    y = req.year
    s = Section("zusammenfassung", f"{SECTIONS['zusammenfassung']}: Kennzahlen {y}")
    s.blocks += _user_text(req, "zusammenfassung")
    s.blocks.append(Text(f"Die wichtigsten Kennzahlen für das ganze Gebiet des Jugendamts im Jahr {y} im Vergleich "
                         f"zum Vorjahr {y - 1}. Eckwerte und Quoten machen Gebiete und Jahre unterschiedlicher Größe "
                         "vergleichbar; was jede Kennzahl zählt, steht in der Erläuterung der Kennzahlen."))
    s.blocks.append(indicator_table(f, f"Kennzahlen {y} und Veränderung zum Vorjahr (Gesamt)",
                                    [i for _g, ids in KEY_FIGURES for i in ids], y, groups=KEY_FIGURES,
                                    note=CHANGE_NOTE + " " + ctx["source"],
                                    sheet_title="Kennzahlen"))
    # three sentences on the Eckwert HzE
    sent = []
    v, sup = f.get(y, GESAMT, "hze_dichte")
    if v is not None:
        ch = f.change(y, GESAMT, "hze_dichte")
        sent.append(f"Der Eckwert HzE liegt {y} bei {fmt_de(v)} Hilfen je 1.000 Einwohner unter 21"
                    + (f" ({ch.text()} zum Vorjahr)." if ch.value is not None else "."))
        vals = [(n, f.get(y, sid, "hze_dichte")[0]) for sid, n in f.units(y) if sid not in (GESAMT, OHNE)]
        vals = [(n, x) for n, x in vals if x is not None]
        if len(vals) >= 2:
            hi = max(vals, key=lambda t: t[1])
            lo = min(vals, key=lambda t: t[1])
            sent.append(f"Am höchsten ist er in {hi[0]} ({fmt_de(hi[1])}), am niedrigsten in {lo[0]} "
                        f"({fmt_de(lo[1])}).")
    if sent:
        s.blocks.append(Text(" ".join(sent)))
    return s


def section_map(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    y = req.year
    s = Section("karte", SECTIONS["karte"])
    s.blocks += _user_text(req, "karte")
    ind = CATALOGUE["hze_dichte"]
    s.blocks.append(Text(f"{ind.label} ({ind.unit}): {ind.reading}"))
    geo = ctx["ds"]["geometrie"]
    if req.charts and len(geo):
        feats = []
        for sid, g in zip(geo["sozialraum_id"], geo["geometrie"]):
            if is_missing(g) or sid not in f.names:
                continue
            feats.append((sid, f.names[sid], json.loads(g) if isinstance(g, str) else g))
        values = {sid: f.get(y, sid, "hze_dichte") for sid, _n, _g in feats}
        if feats:
            s.blocks.append(_chart(charts.choropleth, feats, values, f"Eckwert HzE {y}\nje 1.000 unter 21",
                                   caption=f"Karte: Eckwert HzE (ohne EB) je 1.000 Einwohner unter 21 nach Sozialraum, "
                                   f"{y}. Hellere Flächen: niedrigere Werte, dunklere: höhere (Klassen nach "
                                   "Quantilen). Die Werte stehen auch in der Tabelle.", height_cm=10.0))
    elif not len(geo):
        s.blocks.append(Text("Für die Karte fehlen die Sozialraumgrenzen (Geometrie); der Vergleich steht in der "
                             "Tabelle.", "small"))
    s.blocks.append(sozialraum_table(
        f, f"Eckwert HzE nach Sozialraum, {y}", ["hze_faelle", "bev_u21", "hze_dichte", "sgb2_quote_u15"], y,
        headers=["HzE-Fälle", "unter 21", "Eckwert HzE", "SGB-II-Quote u15 (%)"], with_change="hze_dichte",
        note="HzE-Fälle ohne Erziehungsberatung (laufend am 31.12. und beendet); Eckwert je 1.000 Einwohner unter "
             "21; „Vorjahr“ und „Veränderung“ beziehen sich auf den Eckwert. " + ctx["source"],
        sheet_title="Eckwert HzE"))
    if req.charts:
        rows = [(n, *f.get(y, sid, "hze_dichte")) for sid, n in f.units(y) if sid not in (GESAMT, OHNE)]
        s.blocks.append(_chart(charts.ranking, rows, "Eckwert HzE (ohne EB), je 1.000 unter 21",
                               reference=f.get(y, GESAMT, "hze_dichte")[0],
                               caption=f"Eckwert HzE (ohne EB) je 1.000 Einwohner unter 21 nach Sozialraum, {y}, "
                               "absteigend; gestrichelt: Gesamt.", height_cm=min(10.0, 1.6 + 0.5 * len(rows))))
    return s


def section_trends(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    y = req.year
    years = [j for j in f.years if j <= y]
    s = Section("entwicklung", SECTIONS["entwicklung"])
    s.blocks += _user_text(req, "entwicklung")
    s.blocks.append(Text(f"Die Entwicklung der Kennzahlen für das ganze Gebiet von {years[0]} bis {y}. Eckwerte "
                         "und Quoten beziehen die Fälle auf die Bevölkerung und sind darum über die Jahre "
                         "vergleichbar, auch wenn die Bevölkerung wächst oder schrumpft."))
    panels = [i for i in TREND_PANELS if f.has_values([i])]
    if req.charts and panels:
        s.blocks.append(_chart(charts.small_multiples,
                               [(f"{_short(i)} ({_unit(i)})", f.series(GESAMT, i, years)) for i in panels],
                               caption=f"Kennzahlen für das ganze Gebiet (Gesamt), {years[0]}–{y}. Eine Lücke: "
                               "keine Daten in diesem Jahr.", height_cm=4.0 * ((len(panels) + 1) // 2) + 0.5))
    shown_years = years[-TREND_YEARS:]
    ids = [i for i in TREND_PANELS + ("hze_faelle", "bev_u21") if f.has_values([i])]
    cols = [Column("Jahr", 0.8, "LEFT")] + [Column(f"{_short(i)} ({SHORT_UNITS.get(_unit(i), _unit(i))})", 1.4)
                                            for i in ids]
    rows = [[Num(j, "year")] + [f.num(j, GESAMT, i) for i in ids] for j in years]
    s.blocks.append(Table(f"Kennzahlen Gesamt, {years[0]}–{y}", cols, rows,
                          note=ctx["source"], sheet_title="Kennzahlen je Jahr"))
    if req.charts and f.has_values(["hze_dichte"]):
        series = [(n, f.series(sid, "hze_dichte", years)) for sid, n in f.units(y) if sid != OHNE]
        s.blocks.append(PageBreak())
        s.blocks.append(_chart(charts.lines, series, "Eckwert HzE, je 1.000 unter 21", reference=GESAMT_NAME,
                               caption=f"Eckwert HzE (ohne EB) je 1.000 Einwohner unter 21 nach Sozialraum, "
                               f"{years[0]}–{y}; schwarz: Gesamt.", height_cm=9.0))
    s.blocks.append(years_table(f, f"Eckwert HzE nach Sozialraum, {shown_years[0]}–{y}", "hze_dichte", shown_years,
                                note="Eckwert HzE (ohne EB) je 1.000 Einwohner unter 21. " + ctx["source"],
                                sheet_title="Eckwert je Jahr"))
    return s


def section_leistungen(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    y = req.year
    s = Section("leistungen", SECTIONS["leistungen"])
    s.blocks += _user_text(req, "leistungen")
    s.blocks.append(Text("Welche Hilfen gewährt werden (Leistungsmix), wie lange sie dauern und wie sie enden. "
                         "Die Anteile rechnen ohne Erziehungsberatung; die Verteilung nach Segmenten unten zeigt "
                         "alle Fälle einschließlich Erziehungsberatung."))
    ids = [i.id for i in by_section()["Leistungen"]]
    s.blocks.append(indicator_table(f, f"Kennzahlen der Leistungen {y} (Gesamt)", ids, y,
                                    note=CHANGE_NOTE + " Dauer, Beendigung, Transferleistungen und Gefährdungs"
                                    "einschätzung nur aus HzE-Einzeldaten. " + ctx["source"], sheet_title="Kennzahlen"))
    seg = ctx["breakdown"]("segment")
    seg_years = sorted({int(j) for j in seg["jahr"]} & {j for j in f.years if j <= y})[-TREND_YEARS:]
    if req.charts and seg_years:
        cats = list(dict.fromkeys(seg["kategorie"]))
        shares = []
        for j in seg_years:
            rr = _breakdown_rows(seg, j)
            m = dict(zip(rr["kategorie"], rr["anteil"]))
            shares.append([None if is_missing(m.get(c)) else float(m.get(c)) for c in cats])
        s.blocks.append(_chart(charts.stacked_shares, seg_years, cats, shares,
                               caption=f"Fälle nach Segment (laufend am 31.12. und beendet, mit Erziehungsberatung), "
                               f"Anteil in %, Gesamt, {seg_years[0]}–{seg_years[-1]}.",
                               height_cm=2.6 + 0.55 * len(seg_years)))
    t = breakdown_table(seg, f"Fälle nach Segment, {y} (Gesamt)", y, "Fälle",
                        note="Fälle: laufend am 31.12. und im Jahr beendet, mit Erziehungsberatung; Anteil an allen "
                             "Fällen. " + ctx["source"], sheet_title="Segmente")
    if t:
        s.blocks.append(t)
    s.blocks.append(sozialraum_table(
        f, f"Leistungsmix nach Sozialraum, {y}", ["hze_faelle", "anteil_ambulant", "anteil_teilstationaer",
                                                  "anteil_stationaer", "anteil_35a"], y,
        headers=["HzE-Fälle", "ambulant (%)", "teilstationär (%)", "stationär (%)", "§ 35a (%)"],
        note="Anteile an den HzE-Fällen ohne Erziehungsberatung. " + ctx["source"],
        sheet_title="Leistungsmix"))
    t = breakdown_table(ctx["breakdown"]("hilfeart"), f"Fälle nach Art der Hilfe, {y} (Gesamt)", y, "Fälle",
                        note="Fälle: laufend am 31.12. und im Jahr beendet; Anteil an allen Fällen einschließlich "
                             "Erziehungsberatung. " + ctx["source"],
                        sheet_title="Art der Hilfe", with_code=True)
    if t:
        s.blocks.append(t)
    return s


def section_ressourcen(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    y = req.year
    years = [j for j in f.years if j <= y]
    s = Section("ressourcen", SECTIONS["ressourcen"])
    s.blocks += _user_text(req, "ressourcen")
    s.blocks.append(Text("Ausgaben für Hilfen zur Erziehung, Kosten je Fall nach Segment, die Ausschöpfung des "
                         "Haushaltsansatzes und die Fallbelastung im Allgemeinen Sozialen Dienst (ASD)."))
    ids = [i.id for i in by_section()["Ressourcen"]]
    s.blocks.append(indicator_table(f, f"Kennzahlen der Ressourcen {y} (Gesamt)", ids, y,
                                    note=CHANGE_NOTE + " Ausgaben: Ist-Ausgaben brutto ohne Erziehungsberatung. "
                                    + ctx["source"], sheet_title="Kennzahlen"))
    seg = [i for i in ("kosten_je_fall_ambulant", "kosten_je_fall_teilstationaer", "kosten_je_fall_stationaer",
                       "kosten_je_fall_35a") if f.has_values([i])]
    if req.charts and seg:
        series = [(_label(i).replace("Kosten je Fall ", ""), f.series(GESAMT, i, years)) for i in seg]
        s.blocks.append(_chart(charts.lines, series, "EUR je Fall", decimals=0,
                               caption=f"Kosten je Fall nach Segment (Ausgaben je laufendem oder beendetem Fall) in "
                               f"EUR, Gesamt, {years[0]}–{y}.", height_cm=7.5))
    if f.has_values(["faelle_je_vollzeitstelle"], y, or_suppressed=True):
        s.blocks.append(sozialraum_table(
            f, f"Laufende Fälle je Vollzeitstelle ASD nach Sozialraum, {y}", ["faelle_je_vollzeitstelle"], y,
            headers=["Fälle je Vollzeitstelle"], with_change="faelle_je_vollzeitstelle",
            note="Je Team berechnet und bei jedem Sozialraum des Teams gezeigt; „Gesamt“ umfasst alle laufenden "
                 "Hilfen einschließlich nicht zuordenbarer Fälle. " + ctx["source"],
            sheet_title="Fallbelastung"))
    return s


def section_waechteramt(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    from data_models import waechteramt_views as vw

    y = req.year
    years = [j for j in f.years if j <= y]
    s = Section("waechteramt", SECTIONS["waechteramt"])
    s.blocks += _user_text(req, "waechteramt")
    ids = [i.id for i in by_section()["Wächteramt"]]
    s.blocks.append(Text("Das Wächteramt des Jugendamts: Gefährdungseinschätzungen nach § 8a SGB VIII (im Jahr "
                         "abgeschlossene Verfahren) und Inobhutnahmen nach § 42 / § 42a SGB VIII (im Jahr beendete "
                         "Maßnahmen). Was gezählt wird, steht am Ende des Abschnitts."))
    if not f.has_values(ids, or_suppressed=True):
        s.blocks.append(Text("Für das Wächteramt liegen keine Daten vor (Blätter „§ 8a“ und „§ 42“ oder die "
                             "Einzeldaten)."))
        return s
    s.blocks.append(indicator_table(f, f"Kennzahlen des Wächteramts {y} (Gesamt)", ids, y,
                                    note=CHANGE_NOTE + " Gefährdungseinschätzungen: im Jahr abgeschlossene "
                                    "Verfahren; Inobhutnahmen: im Jahr beendete Maßnahmen. " + ctx["source"],
                                    sheet_title="Kennzahlen"))
    rates = [i for i in ("verfahren_8a_dichte", "kwg_dichte", "inobhutnahmen_dichte",
                         "inobhutnahmen_ohne_uma_dichte") if f.has_values([i])]
    if req.charts and rates:
        names = {"verfahren_8a_dichte": "Gefährdungseinschätzungen", "kwg_dichte": "festgestellte Gefährdungen",
                 "inobhutnahmen_dichte": "Inobhutnahmen",
                 "inobhutnahmen_ohne_uma_dichte": "Inobhutnahmen ohne unbegleitete Einreise"}
        s.blocks.append(_chart(charts.lines, [(names[i], f.series(GESAMT, i, years)) for i in rates],
                               "je 10.000 unter 18", legend="below",
                               caption=f"Gefährdungseinschätzungen, festgestellte Kindeswohlgefährdungen und "
                               f"Inobhutnahmen je 10.000 Einwohner unter 18, Gesamt, {years[0]}–{y}.",
                               height_cm=8.5))
    t = breakdown_table(ctx["breakdown"]("8a_ergebnis"), f"Gefährdungseinschätzungen nach Ergebnis, {y} (Gesamt)",
                        y, "Verfahren", note="Gezählt werden Verfahren, nicht Kinder. " + ctx["source"],
                        sheet_title="§ 8a Ergebnis")
    if t:
        s.blocks.append(t)
    s.blocks.append(sozialraum_table(
        f, f"Wächteramt nach Sozialraum, {y}", ["verfahren_8a_dichte", "kwg_dichte", "kwg_quote",
                                                "inobhutnahmen_dichte", "inobhutnahmen_ohne_uma_dichte"], y,
        headers=["§ 8a je 10.000 u18", "KWG je 10.000 u18", "Anteil KWG (%)", "Inobhutnahmen je 10.000 u18",
                 "ohne UMA je 10.000 u18"],
        note="§ 8a = Gefährdungseinschätzungen; KWG = festgestellte (akute oder latente) Kindeswohlgefährdungen; "
             "UMA = unbegleitete minderjährige Ausländer (vorläufige Inobhutnahme nach § 42a). " + ctx["source"],
        sheet_title="Sozialräume"))
    head = "**Was hier gezählt wird**"  # the pages' heading; the report names the subject
    s.blocks.append(Text(vw.ERKLAERUNG_8A.replace(head, "**Gefährdungseinschätzungen: was gezählt wird**", 1), "md"))
    s.blocks.append(Text(vw.ERKLAERUNG_42.replace(head, "**Inobhutnahmen: was gezählt wird**", 1)
                         .replace("zeigt die Seite", "zeigt der Bericht"), "md"))
    return s


def section_explanations(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    s = Section("erlaeuterungen", SECTIONS["erlaeuterungen"])
    s.blocks += _user_text(req, "erlaeuterungen")
    s.blocks.append(Text("Jede Kennzahl mit ihrer Definition (Zähler, Nenner, Einheit) und wie sie zu lesen ist. "
                         "„Fälle“ sind Hilfen, nicht Personen; „ohne EB“ heißt ohne Erziehungsberatung. Was den "
                         "Wert beeinflusst und woher die Daten kommen, steht ausführlich im Blatt „Indikatoren“ der "
                         "Excel-Datei zum Bericht und in der Hilfe der Strategiekarte."))
    for sec, inds in by_section().items():
        s.blocks.append(Text(sec, "h2"))
        for ind in inds:
            s.blocks.append(Text(
                f"**{ind.label}** ({ind.unit})\n*Definition:* {ind.definition} *Lesart:* {ind.reading}",
                "indicator"))
    return s


_UNASSIGNED = re.compile(r"^(\d+) von (\d+) Einzeldatensätzen \(([^)]*)\)")


def public_quality_text(text: str) -> str:
    """Counts of 1 or 2 in a quality line become "." (and the share with them), as privacy.md asks for counts."""
    m = _UNASSIGNED.match(text)
    if not m:
        return text
    ohne, total = int(m.group(1)), int(m.group(2))
    small = {1, 2}
    o = "." if ohne in small else m.group(1)
    t = "." if total in small else m.group(2)
    share = "." if ohne in small or total in small else m.group(3)
    return f"{o} von {t} Einzeldatensätzen ({share})" + text[m.end():]


def _years_text(years: list[int]) -> str:
    ys = sorted(set(years))
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def _common_suffix(texts: list[str]) -> str:
    """The longest common ending of `texts` that starts at a word."""
    first = texts[0]
    n = 0
    while n < len(first) and all(len(t) > n and t[-1 - n] == first[-1 - n] for t in texts):
        n += 1
    suffix = first[len(first) - n:]
    if all(len(t) == n for t in texts):
        return suffix
    # start at a word whose rest is complete: "(3,3 %) sind …" -> "sind …", not "%) sind …"
    for p in range(1, len(suffix)):
        rest = suffix[p:]
        if suffix[p - 1] == " " and rest.count("(") == rest.count(")"):
            return rest
    return ""


def quality_rows(lines, public: bool) -> list[list]:
    """Quality lines as table rows; lines of several years with the same kind, area and advice become one row
    (the years' findings listed, their common ending said once)."""
    groups: dict[tuple, list] = {}
    for l in lines:
        groups.setdefault((l.schwere, l.bereich, l.was_tun, l.jahr is None), []).append(l)
    rows = []
    for (schwere, bereich, was_tun, _no_year), ls in groups.items():
        texts = [public_quality_text(l.meldung) if public else l.meldung for l in ls]
        if len(ls) == 1:
            year = None if ls[0].jahr is None else Num(ls[0].jahr, "year")
            rows.append([schwere, bereich, year, texts[0], was_tun])
            continue
        suffix = _common_suffix(texts)
        if len(suffix) < 20:
            suffix = ""
        heads = [t[:len(t) - len(suffix)].rstrip() if suffix else t for t in texts]
        body = "\n".join(f"{l.jahr}: {h}" if l.jahr is not None else h for l, h in zip(ls, heads))
        if suffix:
            body += "\n– jeweils: " + suffix
        years = [l.jahr for l in ls if l.jahr is not None]
        rows.append([schwere, bereich, _years_text(years) if years else None, body, was_tun])
    return rows


def section_quality(f: Figures, req: ReportRequest, ctx: dict) -> Section:
    from data_models import quality

    ds = ctx["ds"]
    s = Section("datenqualitaet", SECTIONS["datenqualitaet"])
    s.blocks += _user_text(req, "datenqualitaet")
    s.blocks.append(Text("Welche Daten in welchem Jahr vorliegen und was bei der Prüfung aufgefallen ist. "
                         "„Einzeldaten“: aus den Einzeldatensätzen der Bundesstatistik gebildet; „Tabelle“: aus der "
                         "Masterdatei; „–“: keine Daten."))
    pres = quality.presence(ds)
    if len(pres):
        cols = [Column("Jahr", 0.7, "LEFT")] + [Column(c, 1.0, "LEFT") for c in pres.columns[1:]]
        rows = [[Num(r[0], "year")] + [str(v) for v in r[1:]] for r in pres.itertuples(index=False)]
        s.blocks.append(Table("Vorhandene Daten je Jahr", cols, rows, sheet_title="Vorhandene Daten", font_size=6.8))
    lines = quality.check(ds, ctx["ind"], ctx.get("inventory"))
    if lines:
        cols = [Column("Schwere", 1.0, "LEFT"), Column("Bereich", 1.6, "LEFT"), Column("Jahr", 0.9, "LEFT"),
                Column("Befund", 4.8, "LEFT"), Column("Was zu tun ist", 3.2, "LEFT")]
        s.blocks.append(Table("Befunde der Datenprüfung", cols, quality_rows(lines, req.public),
                              note="Gleichartige Befunde mehrerer Jahre sind zusammengefasst.",
                              sheet_title="Befunde"))
    else:
        s.blocks.append(Text("Die Datenprüfung hat keine Auffälligkeiten gefunden."))
    return s


BUILDERS = {
    "zusammenfassung": section_summary,
    "karte": section_map,
    "entwicklung": section_trends,
    "leistungen": section_leistungen,
    "ressourcen": section_ressourcen,
    "waechteramt": section_waechteramt,
    "erlaeuterungen": section_explanations,
    "datenqualitaet": section_quality,
}


def version_lines(versions, public: bool) -> list[VersionLine]:
    """The uploads whose data the report uses (those with something still current)."""
    from data_models.store import describe

    out = []
    for v in versions or []:
        if not v.aktuell:
            continue
        out.append(VersionLine(v.version, f"{v.zeitpunkt:%d.%m.%Y %H:%M}", "" if public else v.datei,
                               describe(v.aktuell)))
    return out


def build_content(ds: Dataset, req: ReportRequest, *, versions=None, inventory=None, source: str = "",
                  is_demo: bool = False, created: str = "") -> Report:
    """The report's content for `req` (raises ReportError for a year without data or an unknown section)."""
    from datetime import date

    from data_models.indicators.breakdowns import public_breakdown
    from data_models.indicators.engine import public_indicators

    check_request(ds, req)
    ind = public_indicators(ds, public=req.public)
    if "unterdrueckt" not in ind:
        ind["unterdrueckt"] = False
    f = Figures(ind, ds, req.public)
    cache: dict[str, pd.DataFrame] = {}

    def breakdown(name: str) -> pd.DataFrame:
        if name not in cache:
            cache[name] = public_breakdown(ds, name, public=req.public)
        return cache[name]

    src = source or f"Quelle: Strategiekarte · {ds.tenant_name}"
    ctx = {"ds": ds, "ind": ind, "breakdown": breakdown, "source": src, "inventory": inventory}
    sections = [BUILDERS[k](f, req, ctx) for k in SECTIONS if k in req.sections]
    return Report(tenant_name=ds.tenant_name, year=req.year, previous_year=req.year - 1, public=req.public,
                  created=created or f"{date.today():%d.%m.%Y}", versions=version_lines(versions, req.public),
                  sections=sections, source=src, is_demo=is_demo)
