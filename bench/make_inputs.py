"""Seeded generator of the large synthetic inputs for `make bench` (written under bench/work/, never committed).

What it writes (same seed, same files):
- `demo/`                      the demo municipality's files (data_models.demo, seed 2024): the source of realistic
                               HzE/§ 8a/§ 42 record rows;
- `sozialraeume_30.xlsx`       a Masterdatei with only the sheet Sozialräume (30 Sozialräume "01".."30");
- `hze_<n>.csv`                HzE records (einzeldaten.md columns) with n = 10,000 / 100,000 / 1,000,000 rows:
                               the demo's rows replicated with new Kennnummern (prefix per copy), the demo's 11
                               Sozialraum ids mapped onto the 30 (a different mapping per copy), all years of a copy
                               shifted by 0, -3, -6, -9 or -12 (report years 2003–2024);
- `hze_<n>.xlsx`               the same rows as a single-sheet workbook (codes as text cells, years/months as numbers);
- `masterdatei_30x10.xlsx`     a Masterdatei with all sheets for 30 Sozialräume × 2015–2024 (synthetic canonical
                               frames written with data_models.export_masterdatei.write_masterdatei);
- `hze_30x10.csv`, `8a_30x10.csv`, `42_30x10.csv`, `zuordnung_30x10.csv`
                               records for the 30 × 10 tenant (≈ 10,000 HzE rows per year, § 8a and § 42 records
                               scaled the same way) and the matching assignment table;
- `geometrie_30.geojson`       30 Sozialraum polygons (Voronoi cells with wiggly, densified borders, WGS84);
- `manifest.json`              seed, parameters and file sizes; a matching manifest means "already generated".

Command: `.venv/bin/python bench/make_inputs.py [--work DIR] [--seed N] [--sizes 10000,100000] [--xlsx-sizes ...]`.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GENERATOR_VERSION = 3  # bump when the output changes
SEED = 8_2025
DEMO_SEED = 2024
WORK = ROOT / "bench" / "work"
SIZES = (10_000, 100_000, 1_000_000)
XLSX_SIZES = (10_000, 100_000, 1_000_000)
N_SR = 30
YEARS = list(range(2015, 2025))
SHIFTS = (0, -3, -6, -9, -12)
IDS = [f"{i:02d}" for i in range(1, N_SR + 1)]
DEMO_IDS = [f"{i:02d}" for i in range(1, 12)]
NAMES = ["Altstadt", "Am Mühlbach", "Nordfeld", "Lindenhöhe", "Südhafen", "Ostend", "Westpark", "Kirchberg",
         "Eichenau", "Rosenthal", "Hafenviertel", "Auenwald", "Bergheim", "Brückenau", "Dornbusch", "Eschental",
         "Feldmark", "Gartenstadt", "Heideweg", "Im Grund", "Kastanienhof", "Lerchenberg", "Marktviertel",
         "Neue Mitte", "Obertor", "Parkstadt", "Quellental", "Riedwiesen", "Schlossberg", "Talaue"]
TEAMS = [f"ASD {t}" for t in ("Nord", "Nordost", "Ost", "Süd", "West", "Mitte")]
HZE_NUMERIC = {"Berichtsjahr", "Beginn Monat", "Beginn Jahr", "Ende Monat", "Ende Jahr", "Geburtsmonat",
               "Geburtsjahr", "Junge Menschen in der Familie"}
YEAR_COLUMNS = ("Berichtsjahr", "Beginn Jahr", "Ende Jahr", "Geburtsjahr")


# --- helpers ------------------------------------------------------------------------------------------------------

def read_csv_text(path: Path) -> pd.DataFrame:
    """A record CSV of the demo as text cells ("" for empty)."""
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Like the demo's files: `;`, CRLF, UTF-8 with BOM."""
    buf = io.StringIO()
    frame.to_csv(buf, sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def _shift_years(col: pd.Series, shift: int) -> pd.Series:
    if shift == 0:
        return col
    num = pd.to_numeric(col.where(col != ""), errors="coerce")
    out = (num + shift).astype("Int64").astype(str)
    return out.where(num.notna(), "")


def _copy(base: pd.DataFrame, c: int, shift: int, mapping: dict[str, str]) -> pd.DataFrame:
    """Copy `c` of the demo rows: new Kennnummern, Sozialraum ids mapped, years shifted."""
    df = base.copy()
    df["Kennnummer"] = f"B{c:03d}-" + df["Kennnummer"]
    sid = df["Sozialraum-ID"]
    df["Sozialraum-ID"] = sid.map(mapping).fillna("").where(sid != "", "")
    for col in YEAR_COLUMNS + ("Jahr",):
        if col in df.columns:
            df[col] = _shift_years(df[col], shift)
    return df


def _mappings(rng, copies: int) -> list[dict[str, str]]:
    """Per copy: the demo's 11 ids onto 11 distinct of the 30 ids."""
    return [dict(zip(DEMO_IDS, (IDS[i] for i in rng.choice(N_SR, size=len(DEMO_IDS), replace=False))))
            for _ in range(copies)]


def replicate(base: pd.DataFrame, n: int, rng, shifts=SHIFTS, sort_cols=("Berichtsjahr", "Kennnummer")) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """n rows drawn from copies of `base` (without replacement), in file order (year, Kennnummer)."""
    copies = math.ceil(n / len(base))
    maps = _mappings(rng, copies)
    parts = [_copy(base, c, shifts[c % len(shifts)], maps[c]) for c in range(copies)]
    full = pd.concat(parts, ignore_index=True)
    pick = np.sort(rng.choice(len(full), size=n, replace=False)) if n < len(full) else np.arange(len(full))
    out = full.iloc[pick]
    order = np.lexsort([out[c].to_numpy() for c in reversed(sort_cols)])
    return out.iloc[order].reset_index(drop=True), maps


# --- a fast xlsx writer (openpyxl needs ~50 s for 100,000 rows) ----------------------------------------------------

def _col_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "HzE", numeric: set[str] = frozenset()) -> None:
    """One sheet, shared strings for text cells, numbers for the `numeric` columns, empty text = no cell."""
    strings: dict[str, int] = {}
    n = len(frame)
    rownum = pd.Series(np.arange(2, n + 2)).astype(str)
    cells = []
    for j, col in enumerate(frame.columns):
        letter = _col_letter(j)
        vals = frame[col].astype(str)
        empty = (vals == "").to_numpy()
        ref = '<c r="' + letter + rownum
        if col in numeric:
            cell = ref + '"><v>' + vals + "</v></c>"
        else:
            codes, uniques = pd.factorize(vals)
            for u in uniques:
                strings.setdefault(u, len(strings))
            ids = np.array([strings[u] for u in uniques], dtype=np.int64)[codes] if len(uniques) else codes
            cell = ref + '" t="s"><v>' + pd.Series(ids).astype(str) + "</v></c>"
        cell = cell.where(~empty, "")
        cells.append(cell)
    body = '<row r="' + rownum + '">'
    for cell in cells:
        body = body + cell
    body = body + "</row>"
    header_ids = []
    for h in frame.columns:
        header_ids.append(strings.setdefault(h, len(strings)))
    header = '<row r="1">' + "".join(f'<c r="{_col_letter(j)}1" t="s"><v>{i}</v></c>'
                                     for j, i in enumerate(header_ids)) + "</row>"
    last = f"{_col_letter(len(frame.columns) - 1)}{n + 1}"
    sheet_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 f'<dimension ref="A1:{last}"/><sheetData>' + header + "".join(body.tolist()) +
                 "</sheetData></worksheet>")
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/sharedStrings.xml": sst,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


# --- the Masterdatei of 30 Sozialräume × 10 years ----------------------------------------------------------------

def sozialraeume_frame() -> pd.DataFrame:
    from data_models.schema import conform

    return conform("sozialraeume", pd.DataFrame({
        "sozialraum_id": IDS, "name": NAMES[:N_SR], "team": [TEAMS[i % len(TEAMS)] for i in range(N_SR)],
    }))


def masterdatei_frames(rng) -> dict[str, pd.DataFrame]:
    """Synthetic canonical frames of every Masterdatei sheet (magnitudes roughly as magnitudes.md)."""
    from data_models.codes import CODES, SEGMENT_OF_CODE
    from data_models.schema import conform

    u21_base = rng.integers(1_500, 8_000, size=N_SR)
    quota = rng.uniform(3, 45, size=N_SR)
    share = np.array([0.07, 0.07, 0.09, 0.12, 0.07, 0.07, 0.09])
    share = share / share[:6].sum()
    pop, sgb, hze, ber, zug, s8a, mel, s42, kos = ([] for _ in range(9))
    zugangswege = {"Eltern selbst": "2", "Soziale Dienste / ASD": "4", "Schule": "3", "Kita": "3", "Polizei": "5",
                   "Familiengericht": "5", "Jobcenter": "4", "Gesundheitswesen": "6", "Frühe Hilfen": "4",
                   "Junger Mensch selbst": "1", "Bekannte, Nachbarn": "7", "Sonstige": "8"}
    codes = list(CODES["art_der_hilfe"])
    melder = list(CODES["melder_8a"])
    for y in YEARS:
        g = 1 + 0.005 * (y - 2020)
        for k, sid in enumerate(IDS):
            u21 = u21_base[k] * g * rng.normal(1, 0.01)
            groups = np.round(u21 * share).astype(int)
            total = int(round(u21 / rng.uniform(0.17, 0.23)))
            pop.append([y, sid, *groups.tolist(), total])
            u15 = int(groups[:4].sum())
            q = quota[k] * rng.normal(1, 0.02) / 100
            lb = int(round(u15 * q))
            bg = int(round(lb / 1.8))
            sgb.append([y, sid, lb, bg, int(round(bg * 0.45))])
            dens = (10 + 0.9 * quota[k]) / 1000 * u21
            for c in codes:
                n = int(rng.poisson(dens / 16))
                beg = int(rng.binomial(n, 0.45)) if n else 0
                end = int(rng.binomial(n, 0.4)) if n else 0
                hze.append([y, sid, c, beg, end, n - end, n + int(rng.poisson(n * 0.3)) if c in ("07", "14", "15", "16") else n])
            ber.append([y, sid, int(rng.poisson(u21 * 0.009)), int(rng.poisson(u21 * 0.007)),
                        int(rng.poisson(u21 * 0.005)), int(rng.poisson(u21 * 0.02))])
            for z, a in zugangswege.items():
                zug.append([y, sid, z, int(rng.poisson(dens * 0.04)), a])
            u18 = int(groups[:5].sum())
            n8a = int(rng.poisson(u18 * (100 + 2 * quota[k]) / 10_000))
            res = rng.multinomial(n8a, [0.12, 0.18, 0.35, 0.35])
            kwg = int(res[0] + res[1])
            types = [int(rng.binomial(kwg, p)) for p in (0.6, 0.25, 0.3, 0.05)]
            s8a.append([y, sid, *res.tolist(), *types])
            for m, cnt in zip(melder, rng.multinomial(n8a, np.full(len(melder), 1 / len(melder)))):
                mel.append([y, sid, m, int(cnt)])
            n42 = int(rng.poisson(u18 * 30 / 10_000)) + 1
            s42.append([y, sid, n42, int(rng.binomial(n42, 0.15)), int(rng.binomial(n42, 0.2)),
                        int(rng.binomial(n42, 0.5)), int(rng.binomial(n42, 0.4)), int(rng.binomial(n42, 0.3))])
            for c in codes:  # Kosten per Sozialraum and code (GESAMT = their sum)
                seg = SEGMENT_OF_CODE.get(c, "ambulant")
                per_case = {"EB": 1_800, "ambulant": 12_000, "teilstationär": 32_000, "stationär": 55_000,
                            "§ 35a": 22_000}[seg]
                cases = dens / 16
                a = round(float(cases * per_case * rng.uniform(0.8, 1.2) * 1.035 ** (y - 2020)), 2)
                kos.append([y, sid, c, a, round(a * rng.normal(0.97, 0.04), -2), round(a * 0.02, 2)])
    pers = []
    for y in YEARS:
        for t in TEAMS:
            pers.append([y, t, float(round(rng.uniform(8, 16) * 2) / 2), float(rng.choice([0.0, 0.5, 1.0]))])
    f = {
        "sozialraeume": sozialraeume_frame(),
        "bevoelkerung": pd.DataFrame(pop, columns=["jahr", "sozialraum_id", "a0_3", "a3_6", "a6_10", "a10_15", "a15_18",
                                                    "a18_21", "a21_27", "insgesamt"]),
        "sgb2": pd.DataFrame(sgb, columns=["jahr", "sozialraum_id", "lb_u15", "bg_kinder", "bg_alleinerziehend"]),
        "hze": pd.DataFrame(hze, columns=["jahr", "sozialraum_id", "hilfeart", "begonnen", "beendet", "andauernd",
                                          "junge_menschen"]),
        "beratung": pd.DataFrame(ber, columns=["jahr", "sozialraum_id", "p16", "p17", "p18", "p28"]),
        "zugaenge": pd.DataFrame(zug, columns=["jahr", "sozialraum_id", "zugangsweg", "anzahl", "anregende"]),
        "s8a": pd.DataFrame(s8a, columns=["jahr", "sozialraum_id", "akut", "latent", "hilfebedarf", "kein_hilfebedarf",
                                          "vernachlaessigung", "koerperlich", "psychisch", "sexuell"]),
        "s8a_melder": pd.DataFrame(mel, columns=["jahr", "sozialraum_id", "melder", "anzahl"]),
        "s42": pd.DataFrame(s42, columns=["jahr", "sozialraum_id", "inobhutnahmen", "uma", "eigener_wunsch", "kurz",
                                          "rueckkehr", "ausserhalb"]),
        "kosten": pd.DataFrame(kos, columns=["jahr", "sozialraum_id", "hilfeart", "ausgaben", "ansatz", "einnahmen"]),
        "personal": pd.DataFrame(pers, columns=["jahr", "team", "vzst", "unbesetzt"]),
    }
    return {k: conform(k, v) for k, v in f.items()}


# --- geometry -----------------------------------------------------------------------------------------------------

def geometry(rng, spacing_m: float = 15.0) -> dict:
    """30 Voronoi cells in an invented city outline (UTM 32N), borders densified every `spacing_m` metres and
    displaced by one smooth noise field (shared borders stay shared), in WGS84 with 6 decimals."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import MultiPoint, Polygon, mapping

    cx, cy = 515_000.0, 5_595_000.0
    ring = []
    for k in range(360):
        t = 2 * math.pi * k / 360
        r = 1 + 0.05 * math.cos(3 * t + 0.4) + 0.03 * math.cos(5 * t + 1.3)
        ring.append((cx + 9_000 * r * math.cos(t), cy + 7_000 * r * math.sin(t)))
    outline = Polygon(ring)
    pts = []
    while len(pts) < N_SR:
        x, y = cx + rng.uniform(-8_500, 8_500), cy + rng.uniform(-6_500, 6_500)
        p = shapely.Point(x, y)
        if outline.buffer(-800).contains(p) and all(p.distance(q) > 1_300 for q in pts):
            pts.append(p)
    cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=outline.buffer(5_000))
    ph = rng.uniform(0, 2 * math.pi, size=6)

    def wiggle(x, y):
        dx = 60 * np.sin(x / 310 + ph[0]) * np.cos(y / 270 + ph[1]) + 25 * np.sin(x / 95 + y / 120 + ph[2])
        dy = 60 * np.cos(x / 290 + ph[3]) * np.sin(y / 330 + ph[4]) + 25 * np.cos(x / 105 - y / 85 + ph[5])
        return x + dx, y + dy

    to_wgs = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    features = []
    for k, p in enumerate(pts):
        cell = next(c for c in cells.geoms if c.contains(p))
        part = shapely.segmentize(cell.intersection(outline), spacing_m)
        part = shapely.transform(part, lambda a: np.column_stack(wiggle(a[:, 0], a[:, 1])))
        wgs = shapely.transform(part, lambda a: np.column_stack(to_wgs.transform(a[:, 0], a[:, 1])))
        geom = mapping(shapely.set_precision(wgs, 1e-6))
        features.append({"type": "Feature", "properties": {"sozialraum_id": IDS[k], "name": NAMES[k]},
                         "geometry": json.loads(json.dumps(geom))})
    return {"type": "FeatureCollection", "features": features}


# --- main -----------------------------------------------------------------------------------------------------------

def _manifest_key(seed: int, sizes, xlsx_sizes) -> dict:
    return {"generator": GENERATOR_VERSION, "seed": seed, "demo_seed": DEMO_SEED, "sizes": list(sizes),
            "xlsx_sizes": list(xlsx_sizes)}


def paths(work: Path = WORK, sizes=SIZES, xlsx_sizes=XLSX_SIZES) -> dict[str, Path]:
    out = {
        "sozialraeume": work / "sozialraeume_30.xlsx",
        "masterdatei": work / "masterdatei_30x10.xlsx",
        "hze_30x10": work / "hze_30x10.csv",
        "8a_30x10": work / "8a_30x10.csv",
        "42_30x10": work / "42_30x10.csv",
        "zuordnung_30x10": work / "zuordnung_30x10.csv",
        "geometrie": work / "geometrie_30.geojson",
    }
    out.update({f"hze_{n}_csv": work / f"hze_{n}.csv" for n in sizes})
    out.update({f"hze_{n}_xlsx": work / f"hze_{n}.xlsx" for n in xlsx_sizes})
    return out


def make_inputs(work: Path = WORK, seed: int = SEED, sizes=SIZES, xlsx_sizes=XLSX_SIZES, force: bool = False,
                log=print) -> dict[str, Path]:
    """Generate everything (or nothing when the manifest matches and all files exist). Returns {name: path}."""
    work.mkdir(parents=True, exist_ok=True)
    out = paths(work, sizes, xlsx_sizes)
    manifest = work / "manifest.json"
    key = _manifest_key(seed, sizes, xlsx_sizes)
    if not force and manifest.exists() and all(p.exists() for p in out.values()):
        old = json.loads(manifest.read_text())
        if {k: old.get(k) for k in key} == key:
            log("Eingaben vorhanden (manifest.json passt), nichts zu erzeugen.")
            return out
    t0 = time.perf_counter()
    from data_models.demo import generate_demo
    from data_models.export_masterdatei import write_masterdatei

    demo = generate_demo(work / "demo", DEMO_SEED)
    hze_base = read_csv_text(demo["hze"])
    s8a_base = read_csv_text(demo["8a"])
    s42_base = read_csv_text(demo["42"])
    zu_base = read_csv_text(demo["zuordnung"])

    write_masterdatei({"sozialraeume": sozialraeume_frame()}, out["sozialraeume"])
    for n in sorted(set(sizes) | set(xlsx_sizes)):
        rng = np.random.default_rng([seed, n])
        frame, _ = replicate(hze_base, n, rng)
        if n in sizes:
            write_csv(frame, out[f"hze_{n}_csv"])
        if n in xlsx_sizes:
            write_xlsx(frame, out[f"hze_{n}_xlsx"], numeric=HZE_NUMERIC)
        log(f"HzE {n:,} Zeilen geschrieben ({time.perf_counter() - t0:.1f} s)")
        del frame

    # the 30 × 10 tenant: Masterdatei, records of 2015–2024, assignment table, geometry
    rng = np.random.default_rng([seed, 30])
    write_masterdatei(masterdatei_frames(rng), out["masterdatei"])
    n_hze = round(len(hze_base) * 3.7)  # demo: ≈ 2,700 HzE rows per year for 11 Sozialräume -> ≈ 10,000
    hze, maps = replicate(hze_base, n_hze, rng, shifts=(0,))
    write_csv(hze, out["hze_30x10"])
    s8a, maps8a = replicate(s8a_base, len(s8a_base) * 3, rng, shifts=(0,), sort_cols=("Jahr", "Kennnummer"))
    write_csv(s8a, out["8a_30x10"])
    s42, maps42 = replicate(s42_base, len(s42_base) * 3, rng, shifts=(0,), sort_cols=("Jahr", "Kennnummer"))
    write_csv(s42, out["42_30x10"])
    zparts = []
    for art, mp in (("hze", maps), ("8a", maps8a), ("42", maps42)):
        base = zu_base[zu_base["Art"] == art]
        for c in range(len(mp)):
            z = base.copy()
            z["Kennnummer"] = f"B{c:03d}-" + z["Kennnummer"]
            z["Sozialraum-ID"] = z["Sozialraum-ID"].map(mp[c])
            zparts.append(z)
    write_csv(pd.concat(zparts, ignore_index=True), out["zuordnung_30x10"])
    out["geometrie"].write_text(json.dumps(geometry(rng), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    manifest.write_text(json.dumps({**key, "seconds": round(time.perf_counter() - t0, 1),
                                    "files": {k: p.stat().st_size for k, p in out.items()},
                                    "rows": {"hze_30x10": len(hze), "8a_30x10": len(s8a), "42_30x10": len(s42)}},
                                   indent=2))
    log(f"Eingaben erzeugt in {time.perf_counter() - t0:.1f} s unter {work}")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Synthetische Eingaben für make bench erzeugen (bench/work/)")
    p.add_argument("--work", type=Path, default=WORK)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--xlsx-sizes", default=",".join(map(str, XLSX_SIZES)))
    p.add_argument("--force", action="store_true")
    a = p.parse_args(argv)
    sizes = tuple(int(s) for s in a.sizes.split(",") if s)
    xs = tuple(int(s) for s in a.xlsx_sizes.split(",") if s)
    for k, v in make_inputs(a.work, a.seed, sizes, xs, a.force).items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
