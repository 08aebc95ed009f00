"""Data quality of a tenant: what is present per year and data kind, what is missing, and what to upload or fix.

Every line says what to do. Pure pandas; the page `Datenqualität` and the dashboards' quality line use it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_models.schema import GESAMT, KIND_LABELS, OHNE, SHEETS, Dataset

RECORD_SOURCE = {"hze": "hze_records", "s8a": "s8a_records", "s8a_melder": "s8a_records", "s42": "s42_records"}
# indicators checked for outliers (a rate more than 3 x the Sozialraum's median of the other years)
OUTLIER_INDICATORS = ("hze_dichte", "eb_dichte", "verfahren_8a_dichte", "inobhutnahmen_dichte")


@dataclass(frozen=True)
class QualityLine:
    schwere: str  # Warnung | Hinweis
    bereich: str
    jahr: int | None
    meldung: str
    was_tun: str

    def as_dict(self) -> dict:
        return {"Schwere": self.schwere, "Bereich": self.bereich, "Jahr": "" if self.jahr is None else self.jahr,
                "Befund": self.meldung, "Was zu tun ist": self.was_tun}


def existing_ids(ds: Dataset, year: int) -> list[str]:
    soz = ds["sozialraeume"]
    ids = []
    for r in soz.itertuples():
        if r.sozialraum_id == OHNE:
            continue
        if pd.notna(r.gueltig_ab) and year < int(r.gueltig_ab):
            continue
        if pd.notna(r.gueltig_bis) and year > int(r.gueltig_bis):
            continue
        ids.append(r.sozialraum_id)
    return ids


def presence(ds: Dataset) -> pd.DataFrame:
    """Rows = years, columns = data kinds; cell: 'Einzeldaten', 'Tabelle', 'Einzeldaten + Tabelle' or '–'."""
    years = ds.years()
    cols = {}
    for kind, label in SHEETS.items():
        if kind == "sozialraeume":
            continue
        frame = ds[kind]
        have = set(int(y) for y in frame["jahr"].dropna().unique()) if len(frame) else set()
        rec_years = ds.record_years.get(RECORD_SOURCE.get(kind, ""), set()) or ds.record_years.get(kind, set())
        col = []
        for y in years:
            if y in rec_years:
                col.append("Einzeldaten")
            elif y in have:
                col.append("Tabelle")
            else:
                col.append("–")
        cols[label] = col
    frame = pd.DataFrame(cols, index=pd.Index(years, name="Jahr"))
    return frame.reset_index()


def _u21(bev: pd.DataFrame) -> pd.Series:
    parts = ["a0_3", "a3_6", "a6_10", "a10_15", "a15_18", "a18_21"]
    return bev[parts].sum(axis=1, min_count=len(parts)).where(bev[parts].notna().all(axis=1))


def check(ds: Dataset, indicators: pd.DataFrame | None = None, stored_sheet_years: dict | None = None) -> list[QualityLine]:
    """All quality lines, most important first."""
    lines: list[QualityLine] = []
    soz = ds["sozialraeume"]
    if not len(soz):
        return [QualityLine("Warnung", "Sozialräume", None, "Es sind noch keine Sozialräume hinterlegt.",
                            "Laden Sie die Masterdatei mit mindestens dem Blatt „Sozialräume“ hoch.")]
    names = dict(zip(soz["sozialraum_id"], soz["name"]))
    years = ds.years()

    # population per existing Sozialraum and year
    bev = ds["bevoelkerung"]
    for y in years:
        rows = bev[bev["jahr"] == y]
        have = set(rows.loc[_u21(rows).notna(), "sozialraum_id"]) if len(rows) else set()
        missing = [s for s in existing_ids(ds, y) if s not in have]
        if missing:
            text = ", ".join(f"{names.get(s, s)} ({s})" for s in missing)
            lines.append(QualityLine("Warnung", "Bevölkerung", y, f"Keine vollständige Bevölkerung für: {text}.",
                                     "Tragen Sie die Altersgruppen im Blatt „Bevölkerung“ für dieses Jahr ein. Bis "
                                     "dahin sind Dichten dieser Sozialräume und der Gesamtwert „keine Daten“."))

    # geometry
    geo = ds["geometrie"]
    if not len(geo):
        lines.append(QualityLine("Hinweis", "Geometrie", None, "Es sind keine Sozialraumgrenzen hinterlegt.",
                                 "Laden Sie die Grenzen als GeoJSON oder gezipptes Shapefile hoch, damit die Karte "
                                 "gezeichnet werden kann."))
    else:
        without = [s for s in soz["sozialraum_id"] if s != OHNE and s not in set(geo["sozialraum_id"])]
        if without:
            lines.append(QualityLine("Warnung", "Geometrie", None,
                                     "Ohne Grenzen (nicht auf der Karte): "
                                     + ", ".join(f"{names.get(s, s)} ({s})" for s in without) + ".",
                                     "Laden Sie eine Geometrie hoch, die diese Sozialraum-IDs enthält."))

    # unassigned records
    from data_models.derive import unassigned_share

    share = unassigned_share(ds)
    for r in share.itertuples():
        if r.ohne:
            severe = bool(r.flagged)
            lines.append(QualityLine(
                "Warnung" if severe else "Hinweis", KIND_LABELS.get(r.kind, r.kind), int(r.jahr),
                f"{int(r.ohne)} von {int(r.total)} Einzeldatensätzen ({_pct(float(r.share))}) sind keinem Sozialraum "
                "zugeordnet (sie zählen im Gesamtwert, nicht auf der Karte)" + (" – mehr als 10 %." if severe else "."),
                "Ergänzen Sie die Sozialraum-ID in den Einzeldaten, laden Sie eine Zuordnungstabelle (Kennnummer → "
                "Sozialraum) hoch oder tragen Sie die Gemeindeschlüssel im Blatt „Sozialräume“ ein."))

    # records take precedence over the aggregated sheet
    for kind, rec_kind in (("hze", "hze_records"), ("s8a", "s8a_records"), ("s42", "s42_records")):
        sheet_years = set((stored_sheet_years or {}).get(kind, []))
        both = sorted(sheet_years & set(ds.record_years.get(rec_kind, set())))
        if both:
            lines.append(QualityLine("Hinweis", SHEETS[kind], None,
                                     f"Für {', '.join(map(str, both))} gibt es Einzeldaten und das Blatt „{SHEETS[kind]}“: "
                                     "es gelten die Einzeldaten.",
                                     "Nichts zu tun, wenn die Einzeldaten vollständig sind."))

    # a year present in one sheet but missing in another
    pres = presence(ds)
    for y_row in pres.itertuples(index=False):
        y = y_row[0]
        row = dict(zip(pres.columns, y_row))
        has_cases = any(row.get(SHEETS[k]) != "–" for k in ("hze", "s8a", "s42"))
        if row.get(SHEETS["hze"]) == "–" and row.get(SHEETS["bevoelkerung"]) != "–":
            lines.append(QualityLine("Hinweis", "HzE", int(y), "Für dieses Jahr gibt es keine HzE-Fallzahlen; "
                                     "Eckwerte und Leistungsmix bleiben leer.",
                                     "Laden Sie die HzE-Einzeldaten des Jahres hoch oder füllen Sie das Blatt „HzE“."))
        if has_cases and row.get(SHEETS["bevoelkerung"]) == "–":
            lines.append(QualityLine("Warnung", "Bevölkerung", int(y), "Für dieses Jahr gibt es Fallzahlen, aber "
                                     "keine Bevölkerung.", "Ergänzen Sie das Blatt „Bevölkerung“ für dieses Jahr."))

    # outliers: more than 3x the Sozialraum's median of its other years
    if indicators is not None and len(indicators):
        sub = indicators[indicators["indikator"].isin(OUTLIER_INDICATORS) & indicators["wert"].notna()
                         & (indicators["sozialraum_id"] != OHNE)]
        for (sr, ind), g in sub.groupby(["sozialraum_id", "indikator"]):
            if len(g) < 3:
                continue
            # plain arrays: this runs on every rerun of the Übersicht, for every Sozialraum and indicator
            jahre = g["jahr"].to_numpy(dtype=np.int64)
            werte = g["wert"].to_numpy(dtype=float)
            for jahr, wert in zip(jahre, werte):
                others = werte[jahre != jahr]
                med = float(np.median(others)) if len(others) else float("nan")
                if med > 0 and float(wert) > 3 * med:
                    where = "Gesamt" if sr == GESAMT else f"{names.get(sr, sr)} ({sr})"
                    lines.append(QualityLine("Warnung", "Plausibilität", int(jahr),
                                             f"{where}: {ind} ist mehr als dreimal so hoch wie der Median der "
                                             "anderen Jahre.", "Prüfen Sie die Fallzahlen und die Bevölkerung dieses "
                                             "Jahres."))
    order = {"Warnung": 0, "Hinweis": 1}
    return sorted(lines, key=lambda l: (order[l.schwere], l.bereich, l.jahr or 0))


def _pct(x: float) -> str:
    return f"{x:.1f} %".replace(".", ",")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(lines: list[QualityLine]) -> str:
    """One German sentence for the dashboards' data-quality line ("1 Warnung, 11 Hinweise")."""
    n_warn = sum(1 for l in lines if l.schwere == "Warnung")
    if not lines:
        return "Datenqualität: keine Auffälligkeiten."
    unassigned = [l for l in lines if "keinem Sozialraum" in l.meldung and "mehr als 10 %" in l.meldung]
    extra = (f" Mehr als 10 % nicht zuordenbare Fälle in {_count(len(unassigned), 'Jahr', 'Jahren')}."
             if unassigned else "")
    return (f"Datenqualität: {_count(n_warn, 'Warnung', 'Warnungen')}, "
            f"{_count(len(lines) - n_warn, 'Hinweis', 'Hinweise')}.{extra} Details auf der Seite „Datenqualität“.")
