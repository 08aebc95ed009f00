"""The fictitious demo municipality "Musterstadt": a seeded generator of its files (2015–2024).

`generate_demo(out_dir, seed)` writes, deterministically (same seed, same bytes):
- `musterstadt_masterdatei.xlsx`  Masterdatei (masterdatei.md): Hinweise, Sozialräume, Bevölkerung, SGB II, Beratung,
  Zugänge, Kosten, Personal (HzE, § 8a, § 42 come from the records);
- `hze_einzeldaten.csv`, `8a_einzeldaten.csv`, `42_einzeldaten.csv`  single-case records (einzeldaten.md);
- `zuordnung.csv`  assignment table for the records without their own Sozialraum-ID;
- `musterstadt.geojson`  boundaries (Voronoi cells in an invented city outline, WGS84, 5 decimals);
- `README.md`.
Magnitudes follow magnitudes.md. Deliberate data-quality issues: Sozialraum 07 has no population for 2016,
Sozialraum 11 exists from 2020 (split off 05; before that its area is reported under 05), about 3 % of the records
cannot be assigned (OHNE).

Command: `.venv/bin/python -m data_models.demo [--out DIR] [--seed N]` (default: assets/demo, seed 2024).
"""
from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, Polygon, mapping

SEED = 2024
YEARS = list(range(2015, 2025))
SIM_START = 1996  # helps are simulated from here so that running helps of 2015 have a history
SPLIT_YEAR = 2020  # Sozialraum 11 is split off 05 in this year
MISSING_POPULATION = ("07", 2016)  # deliberate gap: no Bevölkerung row
FIXED_TIMESTAMP = datetime(2025, 1, 1, 0, 0, 0)  # workbook properties and zip entries (byte-stable output)

FILES = {
    "masterdatei": "musterstadt_masterdatei.xlsx",
    "hze": "hze_einzeldaten.csv",
    "8a": "8a_einzeldaten.csv",
    "42": "42_einzeldaten.csv",
    "zuordnung": "zuordnung.csv",
    "geometrie": "musterstadt.geojson",
    "readme": "README.md",
}


@dataclass(frozen=True)
class District:
    id: str
    name: str
    team: str
    u21_2024: int  # under 21 at 31.12.2024
    quota: float  # base SGB II quota under 15 in %
    share_u21: float  # u21 / all inhabitants
    centre: tuple[float, float]  # km east / north of the city centre


DISTRICTS = [
    District("01", "Altstadt", "ASD Mitte", 2300, 21.0, 0.13, (0.0, 0.0)),
    District("02", "Am Mühlbach", "ASD Mitte", 3900, 12.0, 0.18, (2.1, 1.7)),
    District("03", "Nordfeld", "ASD Nord", 5800, 33.0, 0.21, (-0.4, 3.4)),
    District("04", "Lindenhöhe", "ASD Nord", 4800, 5.5, 0.22, (3.1, 4.0)),
    District("05", "Südhafen", "ASD Süd", 5200, 43.0, 0.21, (1.6, -2.3)),
    District("06", "Ostend", "ASD Mitte", 4200, 35.0, 0.20, (4.4, 0.5)),
    District("07", "Westpark", "ASD West", 3000, 8.5, 0.19, (-3.1, -0.2)),
    District("08", "Kirchberg", "ASD West", 4400, 3.2, 0.23, (-5.7, 1.0)),
    District("09", "Eichenau", "ASD West", 6800, 16.0, 0.21, (-2.3, -3.5)),
    District("10", "Rosenthal", "ASD Nord", 7300, 26.0, 0.22, (-3.4, 3.3)),
    District("11", "Hafenviertel", "ASD Süd", 2500, 30.0, 0.22, (4.5, -3.2)),
]
IDS = [d.id for d in DISTRICTS]
BY_ID = {d.id: d for d in DISTRICTS}
TEAMS = ["ASD Nord", "ASD Mitte", "ASD Süd", "ASD West"]
GROWTH_11 = 0.045  # the new quarter grows fast
OUTLIER = {"02": 1.35}  # one district far above the quota line (shows as "auffällig")
QUOTA_TREND = {2015: 1.00, 2016: 1.02, 2017: 1.04, 2018: 1.01, 2019: 0.97, 2020: 0.98, 2021: 0.96, 2022: 0.98,
               2023: 1.01, 2024: 1.02}
UMA = {2015: 160, 2016: 120, 2017: 40, 2018: 25, 2019: 20, 2020: 15, 2021: 22, 2022: 75, 2023: 85, 2024: 40}

# Art der Hilfe: share of HzE Fälle (without EB, %), mean duration (months), gamma shape, age at begin range,
# cost per case-year (EUR, prices of 2020)
HELP = {
    "04": (3, 10, 2.0, (8, 15), 6_000),
    "05": (10, 14, 1.6, (9, 17), 12_000),
    "06": (2, 9, 2.0, (14, 19), 9_000),
    "07": (22, 15, 1.6, (0, 14), 18_000),
    "12": (2, 12, 1.5, (13, 19), 50_000),
    "14": (6, 9, 1.6, (3, 16), 12_000),
    "16": (2, 7, 1.5, (3, 17), 9_000),
    "08": (3, 20, 2.0, (6, 13), 32_000),
    "09": (15, 48, 1.3, (0, 14), 15_000),
    "10": (2, 36, 1.3, (0, 14), 28_000),
    "11": (16, 22, 1.4, (6, 17), 62_000),
    "15": (1, 12, 1.5, (10, 17), 55_000),
    "13": (16, 16, 1.6, (5, 17), 22_000),
}
EB_HELP = {"01": (0.40, 6), "02": (0.35, 5), "03": (0.25, 5)}  # share of EB, mean months
EB_RATE = 25.0  # EB Fälle per 1,000 under 21
EB_COST = 1_800
SEGMENT = {"01": "EB", "02": "EB", "03": "EB", "04": "ambulant", "05": "ambulant", "06": "ambulant",
           "07": "ambulant", "12": "ambulant", "14": "ambulant", "16": "ambulant", "08": "teilstationär",
           "09": "stationär", "10": "stationär", "11": "stationär", "15": "stationär", "13": "§ 35a"}
FAMILY = ("07", "14", "15", "16")
# second-level access paths -> first-level code (Anregende Institution); probabilities for HzE and for EB
ZUGANG = {
    "Eltern selbst": ("2", 0.25, 0.58),
    "Soziale Dienste / ASD": ("4", 0.17, 0.02),
    "Schule": ("3", 0.15, 0.12),
    "Kita": ("3", 0.06, 0.05),
    "Polizei": ("5", 0.07, 0.00),
    "Familiengericht": ("5", 0.05, 0.02),
    "Jobcenter": ("4", 0.04, 0.00),
    "Gesundheitswesen": ("6", 0.06, 0.06),
    "Frühe Hilfen": ("4", 0.05, 0.02),
    "Junger Mensch selbst": ("1", 0.05, 0.08),
    "Bekannte, Nachbarn": ("7", 0.02, 0.03),
    "Sonstige": ("8", 0.03, 0.02),
}
# assignment of records: own Sozialraum-ID, only via the assignment table, not at all
ASSIGN_P = (0.89, 0.08, 0.03)

# the city: an invented outline of about 15 x 12 km, centred on a point in ETRS89 / UTM 32N
CITY_CENTRE_UTM = (515_000.0, 5_595_000.0)
CITY_SEMI_AXES_KM = (7.5, 6.0)


# ---------------------------------------------------------------------------------------------------------------
def generate_demo(out_dir: Path, seed: int = SEED) -> dict[str, Path]:
    """Write the Musterstadt files into `out_dir`; returns {kind: path} (kinds as in FILES)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    pop = _population(rng)
    quota = _quotas(rng)
    helps = _simulate_helps(rng, pop, quota)
    hze_rows, hze_map = _hze_rows(helps)
    s8a_rows, s8a_map = _s8a_rows(rng, pop, quota)
    s42_rows, s42_map = _s42_rows(rng, pop, quota)

    paths = {k: out_dir / v for k, v in FILES.items()}
    _write_csv(paths["hze"], HZE_HEADERS, hze_rows)
    _write_csv(paths["8a"], S8A_HEADERS, s8a_rows)
    _write_csv(paths["42"], S42_HEADERS, s42_rows)
    _write_csv(paths["zuordnung"], ["Kennnummer", "Sozialraum-ID", "Art", "Berichtsjahr"], hze_map + s8a_map + s42_map)
    _write_workbook(paths["masterdatei"], _workbook_sheets(rng, pop, quota, helps, seed))
    paths["geometrie"].write_text(json.dumps(_geometry(rng), ensure_ascii=False, separators=(",", ":")) + "\n",
                                  encoding="utf-8")
    paths["readme"].write_text(README.format(seed=seed), encoding="utf-8")
    return paths


# ---------------------------------------------------------------------------------------------------------------
# population and SGB II quotas per area (01..11; area 11 is reported under 05 before SPLIT_YEAR)
# ---------------------------------------------------------------------------------------------------------------
AGE_GROUPS = [("0 bis unter 3", 0, 3), ("3 bis unter 6", 3, 6), ("6 bis unter 10", 6, 10),
              ("10 bis unter 15", 10, 15), ("15 bis unter 18", 15, 18), ("18 bis unter 21", 18, 21)]


def _population(rng) -> dict[tuple[str, int], dict[str, int]]:
    """(area, year) -> age groups, a21_27, insgesamt for every simulated year."""
    out = {}
    for d in DISTRICTS:
        growth = GROWTH_11 if d.id == "11" else rng.uniform(0.0, 0.008)
        tilt = rng.uniform(-0.15, 0.15)  # young families (+) or older children (-)
        weights = np.array([1 + tilt * (10 - a) / 10 for a in range(21)])
        shares = np.array([weights[lo:hi].sum() for _, lo, hi in AGE_GROUPS]) / weights.sum()
        older = rng.uniform(1.05, 1.25) if d.id != "01" else 1.6  # students in the old town
        noise = rng.normal(0, 0.004, size=len(YEARS))
        for year in range(SIM_START, YEARS[-1] + 1):
            n = min(year, YEARS[-1]) - YEARS[-1]
            u21 = d.u21_2024 * (1 + growth) ** max(n, YEARS[0] - YEARS[-1])
            if year >= YEARS[0]:
                u21 *= 1 + noise[year - YEARS[0]]
            groups = _split(u21, shares)
            a21_27 = round(u21 * 6 / 21 * older)
            total = round(u21 / d.share_u21)
            out[(d.id, year)] = {**dict(zip([g for g, _, _ in AGE_GROUPS], groups)), "21 bis unter 27": a21_27,
                                 "insgesamt": total}
    return out


def _split(total: float, shares: np.ndarray) -> list[int]:
    raw = total * shares
    base = np.floor(raw).astype(int)
    rest = int(round(total)) - int(base.sum())
    for i in np.argsort(-(raw - base))[:max(rest, 0)]:
        base[i] += 1
    return [int(v) for v in base]


def _u(pop_row: dict, upto: int) -> int:
    return sum(pop_row[g] for g, _, hi in AGE_GROUPS if hi <= upto)


def _quotas(rng) -> dict[tuple[str, int], float]:
    out = {}
    for d in DISTRICTS:
        noise = rng.normal(0, 0.012, size=len(YEARS))
        for year in range(SIM_START, YEARS[-1] + 1):
            y = min(max(year, YEARS[0]), YEARS[-1])
            q = d.quota * QUOTA_TREND[y] * (1 + noise[y - YEARS[0]])
            out[(d.id, year)] = float(min(max(q, 3.0), 45.0))
    return out


def reported_id(area: str, year: int) -> str:
    return "05" if area == "11" and year < SPLIT_YEAR else area


def _reported_population(pop) -> dict[tuple[str, int], dict[str, int]]:
    out = {}
    for (area, year), row in pop.items():
        if year < YEARS[0]:
            continue
        key = (reported_id(area, year), year)
        if key in out:
            out[key] = {k: out[key][k] + v for k, v in row.items()}
        else:
            out[key] = dict(row)
    return out


# ---------------------------------------------------------------------------------------------------------------
# HzE: a monthly start process per area and Art der Hilfe, durations, then one row per help and report year
# ---------------------------------------------------------------------------------------------------------------
def _density(area: str, year: int, quota, factor: dict) -> float:
    """HzE Fälle without EB per 1,000 under 21: 10 + 0.9 x quota, district noise, a rise of 2.5 % a year."""
    base = (10 + 0.9 * quota[(area, year)]) * factor[area]
    return min(max(base, 16.5), 45.0) * 1.025 ** (min(year, YEARS[-1]) - 2020)


def _durations(rng, code: str, n: int, ages: np.ndarray) -> np.ndarray:
    if code in EB_HELP:
        mean, shape, limit = EB_HELP[code][1], 1.5, 27
    else:
        _, mean, shape, _, _ = HELP[code]
        limit = 21
    d = np.floor(rng.gamma(shape, mean / shape, size=n)).astype(int)
    return np.minimum(d, np.maximum((limit - ages) * 12 - 1, 0))


def _ages(rng, code: str, n: int) -> np.ndarray:
    if code in EB_HELP:
        return rng.integers(2, 21, size=n)
    lo, hi = HELP[code][3]
    if code in ("09", "10"):
        return np.floor(rng.beta(1.2, 2.5, size=n) * (hi - lo + 1) + lo).astype(int)
    return rng.integers(lo, hi + 1, size=n)


def _simulate_helps(rng, pop, quota) -> dict[str, np.ndarray]:
    """Helps per area and Art der Hilfe, year by year: the helps started in a year are the year's target Fälle
    (running at 31.12. + ended) minus the helps carried over from earlier years, so every year meets its rate."""
    factor = {d.id: OUTLIER.get(d.id, float(np.clip(rng.normal(1, 0.07), 0.88, 1.12))) for d in DISTRICTS}
    eb_factor = {d.id: float(np.clip(rng.normal(1, 0.08), 0.85, 1.15)) for d in DISTRICTS}
    codes = list(HELP) + list(EB_HELP)
    parts = []
    for d in DISTRICTS:
        for code in codes:
            begins, ages, durs = [np.empty(0, dtype=int)], [np.empty(0, dtype=int)], [np.empty(0, dtype=int)]
            ends = np.empty(0, dtype=int)
            for year in range(SIM_START, YEARS[-1] + 1):
                u21 = _u(pop[(d.id, year)], 21)
                if code in EB_HELP:
                    target = u21 / 1000 * EB_RATE * eb_factor[d.id] * EB_HELP[code][0] * 1.01 ** (year - 2020)
                else:
                    target = u21 / 1000 * _density(d.id, year, quota, factor) * HELP[code][0] / 100
                carry = int((ends >= year * 12).sum())
                n = max(int(math.floor(target - carry + rng.random())), 0)
                begin = np.sort(year * 12 + rng.integers(0, 12, size=n))
                age = _ages(rng, code, n)
                dur = _durations(rng, code, n, age)
                begins.append(begin)
                ages.append(age)
                durs.append(dur)
                ends = np.concatenate([ends, begin + dur])
            begin = np.concatenate(begins)
            parts.append({"area": np.full(len(begin), d.id), "code": np.full(len(begin), code), "begin": begin,
                          "age": np.concatenate(ages), "dur": np.concatenate(durs)})
    helps = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((helps["code"], helps["area"], helps["begin"]))
    helps = {k: v[order] for k, v in helps.items()}
    _help_attributes(rng, helps, quota)
    return helps


def _pick(rng, options: dict, n: int) -> np.ndarray:
    keys = list(options)
    p = np.array([options[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _by_group(rng, codes: np.ndarray, table: dict[tuple, dict]) -> np.ndarray:
    out = np.empty(len(codes), dtype=object)
    for group, options in table.items():
        mask = np.isin(codes, group)
        out[mask] = _pick(rng, options, int(mask.sum()))
    return out


AMB = ("04", "05", "06", "07", "12", "14", "16")
STAT = ("10", "11", "15")
EB = ("01", "02", "03")
ORT = {
    EB: {"06": 1},
    ("04", "05", "06", "12", "14", "16"): {"01": 0.45, "06": 0.4, "10": 0.1, "05": 0.05},
    ("07",): {"01": 0.95, "06": 0.05},
    ("08",): {"07": 1},
    ("09",): {"03": 0.75, "02": 0.25},
    ("10",): {"03": 1},
    ("11", "15"): {"08": 0.55, "09": 0.25, "10": 0.15, "12": 0.05},
    ("13",): {"05": 0.45, "06": 0.3, "08": 0.1, "01": 0.15},
}
TRAEGER = {
    EB: {"10": 0.4, "25": 0.2, "24": 0.2, "22": 0.1, "21": 0.1},
    AMB + ("08", "13"): {"10": 0.12, "21": 0.15, "22": 0.18, "23": 0.05, "24": 0.15, "25": 0.15, "28": 0.1,
                         "30": 0.1},
    ("09", "10"): {"40": 0.85, "10": 0.15},
    STAT[1:]: {"21": 0.1, "22": 0.15, "24": 0.2, "25": 0.2, "28": 0.1, "30": 0.25},
}
GRUND = {
    EB: {"15": 0.45, "17": 0.25, "16": 0.15, "18": 0.15},
    ("04", "05", "06", "12", "14", "16"): {"16": 0.3, "18": 0.2, "15": 0.15, "13": 0.15, "17": 0.1, "14": 0.1},
    ("07", "08"): {"13": 0.3, "14": 0.2, "11": 0.2, "12": 0.12, "15": 0.13, "16": 0.05},
    ("09", "10", "11", "15"): {"12": 0.3, "13": 0.2, "14": 0.12, "16": 0.15, "11": 0.1, "17": 0.08, "10": 0.05},
    ("13",): {"17": 0.8, "18": 0.2},
}
AUFENTHALT = {
    EB + AMB + ("08", "13"): {"01": 0.9, "04": 0.04, "11": 0.06},
    ("09", "10"): {"01": 0.3, "05": 0.3, "04": 0.2, "06": 0.1, "11": 0.1},
    ("11", "15"): {"01": 0.4, "04": 0.25, "06": 0.15, "05": 0.05, "11": 0.15},
}


def _help_attributes(rng, h: dict, quota) -> None:
    n = len(h["code"])
    code, begin = h["code"], h["begin"]
    begin_year = begin // 12
    is_eb = np.isin(code, EB)
    h["sex"] = np.where(rng.random(n) < np.where(np.isin(code, ("11", "13", "06", "12")), 0.6, 0.54), "1", "2")
    late = (begin_year >= 2022) & (rng.random(n) < 0.006)
    h["sex"] = np.where(late, np.where(rng.random(n) < 0.4, "3", "4"), h["sex"])
    h["birth"] = begin - h["age"] * 12 - rng.integers(0, 12, size=n)
    h["ort"] = _by_group(rng, code, ORT)
    h["traeger"] = _by_group(rng, code, TRAEGER)
    g1 = _by_group(rng, code, GRUND)
    all_grounds = [str(c) for c in range(10, 19)]
    g2 = np.array(rng.choice(all_grounds, size=n), dtype=object)
    g3 = np.array(rng.choice(all_grounds, size=n), dtype=object)
    g2 = np.where((rng.random(n) < 0.6) & (g2 != g1), g2, None)
    g3 = np.where((rng.random(n) < 0.25) & (g2 != None) & (g3 != g1) & (g3 != g2), g3, None)  # noqa: E711
    h["g1"], h["g2"], h["g3"] = g1, g2, g3
    names = list(ZUGANG)
    zu = np.empty(n, dtype=object)
    zu[~is_eb] = _pick(rng, {k: ZUGANG[k][1] for k in names}, int((~is_eb).sum()))
    zu[is_eb] = _pick(rng, {k: ZUGANG[k][2] for k in names if ZUGANG[k][2] > 0}, int(is_eb.sum()))
    h["zugang"] = zu
    h["anregende"] = np.array([ZUGANG[z][0] for z in zu], dtype=object)
    h["situation"] = _pick(rng, {"1": 0.3, "2": 0.42, "3": 0.2, "4": 0.02, "5": 0.06}, n)
    q = np.array([quota[(a, int(y))] for a, y in zip(h["area"], np.minimum(begin_year, YEARS[-1]))])
    p_transfer = np.clip(0.2 + 1.1 * q / 100, 0.2, 0.75) * np.where(is_eb, 0.6, 1.0)
    r = rng.random(n)
    h["transfer"] = np.where(rng.random(n) < 0.04, None, np.where(r < p_transfer, "1", "2"))
    reason = _pick(rng, {"10": 0.665, "20": 0.10, "21": 0.05, "22": 0.035, "40": 0.05, "50": 0.10}, n)
    reason = np.where(is_eb & (rng.random(n) < 0.3), "10", reason)
    adoption = np.isin(code, ("09", "10")) & (h["age"] < 3) & (rng.random(n) < 0.05)
    h["reason"] = np.where(adoption, "30", reason)
    h["aufenthalt"] = _by_group(rng, code, AUFENTHALT)
    nach = _pick(rng, {"6": 0.6, "4": 0.2, "3": 0.08, "2": 0.07, "5": 0.05}, n)
    h["nachfolgende"] = np.where(h["reason"] == "40", "1", nach)
    p8a = np.select([is_eb, np.isin(code, ("07",)), np.isin(code, ("09", "10", "15")), code == "11", code == "12"],
                    [0.03, 0.25, 0.3, 0.35, 0.2], 0.1)
    h["nach_8a"] = np.where(rng.random(n) < 0.05, None, np.where(rng.random(n) < p8a, "1", "2"))
    p42 = np.where(np.isin(code, ("09", "10", "11", "15")), 0.2, 0.02)
    h["nach_42"] = np.where(rng.random(n) < p42, "1", "2")
    h["jm"] = np.where(np.isin(code, FAMILY), 1 + np.minimum(rng.poisson(1.3, size=n), 7), 0)
    h["assign"] = rng.choice(3, size=n, p=ASSIGN_P)  # 0 own id, 1 assignment table, 2 none


HZE_HEADERS = ["Kennnummer", "Berichtsjahr", "Sozialraum-ID", "Art der Hilfe", "Beginn Monat", "Beginn Jahr",
               "Ende Monat", "Ende Jahr", "Geschlecht", "Geburtsmonat", "Geburtsjahr", "Ort der Durchführung",
               "Träger", "Grund 1", "Grund 2", "Grund 3", "Anregende Institution", "Situation Herkunftsfamilie",
               "Transferleistungen", "Beendigungsgrund", "Anschließender Aufenthalt", "Nachfolgende Hilfe",
               "Vorangegangene Gefährdungseinschätzung", "Nach vorläufiger Schutzmaßnahme",
               "Junge Menschen in der Familie"]
LAST_MONTH = YEARS[-1] * 12 + 11


def _numbers(prefix: str, years: np.ndarray) -> list[str]:
    seen: dict[int, int] = {}
    out = []
    for y in years:
        seen[int(y)] = seen.get(int(y), 0) + 1
        out.append(f"{prefix}-{int(y)}-{seen[int(y)]:05d}")
    return out


def _hze_rows(h: dict) -> tuple[list[list], list[list]]:
    """One row per help and report year; returns (rows, assignment rows)."""
    begin = h["begin"]
    end = begin + h["dur"]
    h["end"] = np.where(end > LAST_MONTH, -1, end)  # -1: still running at 31.12.2024
    h["number"] = np.array(_numbers("HZ", begin // 12), dtype=object)
    rows, assignment = [], []
    for i in range(len(begin)):
        b, e = int(begin[i]), int(h["end"][i])
        first = max(b // 12, YEARS[0])
        last = YEARS[-1] if e < 0 else e // 12
        if last < YEARS[0]:
            continue
        ids = []
        for year in range(first, last + 1):
            sid = reported_id(h["area"][i], year)
            ids.append(sid)
            ended = e >= 0 and e // 12 == year
            code = h["code"][i]
            rows.append([
                h["number"][i], year, sid if h["assign"][i] == 0 else None, code, b % 12 + 1, b // 12,
                e % 12 + 1 if ended else None, e // 12 if ended else None, h["sex"][i],
                int(h["birth"][i]) % 12 + 1, int(h["birth"][i]) // 12, h["ort"][i], h["traeger"][i], h["g1"][i],
                h["g2"][i], h["g3"][i], h["anregende"][i], h["situation"][i], h["transfer"][i],
                h["reason"][i] if ended else None, h["aufenthalt"][i] if ended else None,
                h["nachfolgende"][i] if ended else None, h["nach_8a"][i], h["nach_42"][i],
                int(h["jm"][i]) if code in FAMILY else None,
            ])
        if h["assign"][i] == 1:
            if len(set(ids)) == 1:
                assignment.append([h["number"][i], ids[0], "hze", None])
            else:
                assignment += [[h["number"][i], sid, "hze", y] for y, sid in zip(range(first, last + 1), ids)]
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows, assignment


# ---------------------------------------------------------------------------------------------------------------
# § 8a and § 42 records
# ---------------------------------------------------------------------------------------------------------------
S8A_HEADERS = ["Kennnummer", "Jahr", "Sozialraum-ID", "Geschlecht", "Geburtsjahr", "Ergebnis", "Vernachlässigung",
               "körperliche Misshandlung", "psychische Misshandlung", "sexuelle Gewalt", "Melder",
               "Inanspruchnahme einer Hilfe zum Zeitpunkt", "Anrufung des Familiengerichts"]
S42_HEADERS = ["Kennnummer", "Jahr", "Sozialraum-ID", "Art der Maßnahme", "Beginn", "Ende", "Geschlecht",
               "Geburtsjahr", "Anlass", "Anregende", "Anschließend"]
MELDER = {"01": 0.24, "02": 0.12, "03": 0.06, "04": 0.12, "05": 0.08, "06": 0.08, "07": 0.02, "08": 0.05,
          "09": 0.08, "10": 0.05, "11": 0.02, "12": 0.05, None: 0.03}
# KWG types (multiple answers): marginal targets 60/25/30/5 %, drawn independently and redrawn while none is set
KWG_TYPES = np.array([0.60, 0.25, 0.30, 0.05]) * 0.452


def _areas_of_year(year: int) -> list[str]:
    return [i for i in IDS if not (i == "11" and year < SPLIT_YEAR)]


def _modes(rng, n: int) -> np.ndarray:
    """Assignment modes (0 own id, 1 assignment table, 2 none) in the exact shares of ASSIGN_P, shuffled."""
    mode = np.zeros(n, dtype=int)
    idx = rng.permutation(n)
    k1, k2 = round(n * ASSIGN_P[1]), max(1, round(n * ASSIGN_P[2]))
    mode[idx[:k1]] = 1
    mode[idx[k1:k1 + k2]] = 2
    return mode


def _s8a_rows(rng, pop, quota):
    rep = _reported_population(pop)
    factor = {i: float(np.clip(rng.normal(1, 0.08), 0.85, 1.15)) for i in IDS}
    rows, assignment = [], []
    types_of = np.array(["1", None], dtype=object)
    for year in YEARS:
        entries = []
        for sid in _areas_of_year(year):
            u18 = _u(rep[(sid, year)], 18)
            rate = (100 + 2.0 * _quota_reported(pop, quota, sid, year)) * factor[sid] * 1.02 ** (year - 2020)
            entries += [sid] * int(rng.poisson(u18 * rate / 10_000))
        n = len(entries)
        numbers = _numbers("GE", np.full(n, year))
        mode = _modes(rng, n)
        result = (rng.choice(4, size=n, p=[0.12, 0.18, 0.35, 0.35]) + 1).astype(str)
        kwg = np.isin(result, ("1", "2"))
        types = rng.random((n, 4)) < KWG_TYPES
        while True:  # every KWG has at least one type
            redo = kwg & ~types.any(axis=1)
            if not redo.any():
                break
            types[redo] = rng.random((int(redo.sum()), 4)) < KWG_TYPES
        types &= kwg[:, None]
        age = np.where(rng.random(n) < 0.6, rng.integers(0, 18, size=n), rng.integers(0, 6, size=n))
        sex = rng.choice(np.array(["1", "2"], dtype=object), size=n)
        melder = _pick(rng, MELDER, n)
        help_p = np.where(np.isin(result, ("1", "2", "3")), 0.4, 0.15)
        court_p = np.select([result == "1", result == "2"], [0.35, 0.1], 0.02)
        helped = np.where(rng.random(n) < help_p, "1", "2")
        court = np.where(rng.random(n) < court_p, "1", "2")
        for i in range(n):
            sid = entries[i]
            rows.append([numbers[i], year, sid if mode[i] == 0 else None, sex[i], year - int(age[i]), result[i],
                         *types_of[(~types[i]).astype(int)], melder[i], helped[i], court[i]])
            if mode[i] == 1:
                assignment.append([numbers[i], sid, "8a", year])
    return rows, assignment


def _quota_reported(pop, quota, sid: str, year: int) -> float:
    areas = [a for a in IDS if reported_id(a, year) == sid]
    u15 = [_u(pop[(a, year)], 15) for a in areas]
    return sum(quota[(a, year)] * w for a, w in zip(areas, u15)) / sum(u15)


ANLASS_MAIN = {"2": 0.4, "3": 0.15, "4": 0.15, "5": 0.05, "6": 0.03, "7": 0.15, "9": 0.02, "10": 0.01, "11": 0.07,
               "12": 0.05, "13": 0.05}


def _s42_rows(rng, pop, quota):
    rep = _reported_population(pop)
    rows, assignment = [], []
    for year in YEARS:
        sids = _areas_of_year(year)
        weights = np.array([_u(rep[(s, year)], 18) * (0.5 + _quota_reported(pop, quota, s, year) / 20) for s in sids])
        total_u18 = sum(_u(rep[(s, year)], 18) for s in sids)
        n_local = int(rng.poisson(total_u18 * 30 / 10_000))
        uma_w = np.array([4.0 if s in ("05", "06") else 1.0 for s in sids])
        sid = np.concatenate([rng.choice(sids, size=n_local, p=weights / weights.sum()),
                              rng.choice(sids, size=UMA[year], p=uma_w / uma_w.sum())])
        uma = np.arange(len(sid)) >= n_local
        order = rng.permutation(len(sid))
        sid, uma = sid[order], uma[order]
        n = len(sid)
        numbers = _numbers("IO", np.full(n, year))
        mode = _modes(rng, n)
        end_day = rng.integers(0, 365, size=n)
        art = np.where(uma & (rng.random(n) < 0.75), "2", "1")
        short = rng.random(n) < 0.5
        longer = 15 + np.minimum(rng.exponential(45, size=n), 330).astype(int)
        days = np.where(short, rng.integers(0, 15, size=n), longer)
        days = np.where(uma, np.where(art == "2", rng.integers(2, 36, size=n), rng.integers(10, 120, size=n)), days)
        age = np.where(rng.random(n) < 0.6, rng.integers(12, 18, size=n), rng.integers(0, 12, size=n))
        age = np.where(uma, rng.integers(14, 18, size=n), age)
        sex = np.where(rng.random(n) < np.where(uma, 0.9, 0.48), "1", "2")
        main = _pick(rng, ANLASS_MAIN, n)
        own = (age >= 12) & (rng.random(n) < 0.3)
        extra = np.where(rng.random(n) < 0.3, rng.choice(["2", "3", "7", "9", "11"], size=n), None)
        anregende = np.where(uma, _pick(rng, {"4": 0.5, "3": 0.3, "1": 0.15, "8": 0.05}, n),
                             _pick(rng, {"1": 0.2, "2": 0.12, "3": 0.3, "4": 0.25, "5": 0.06, "6": 0.04, "7": 0.02,
                                         "8": 0.01}, n))
        anschluss = np.where(uma, _pick(rng, {"3": 0.55, "2": 0.1, "5": 0.2, "6": 0.15}, n),
                             _pick(rng, {"1": 0.42, "2": 0.08, "3": 0.25, "4": 0.04, "5": 0.15, "6": 0.06}, n))
        for i in range(n):
            if uma[i]:
                anlass = ["8"]
            else:
                anlass = (["1"] if own[i] else []) + [main[i]]
                if extra[i] is not None and extra[i] not in anlass:
                    anlass.append(extra[i])
            end = date(year, 1, 1) + timedelta(days=int(end_day[i]))
            begin = end - timedelta(days=int(days[i]))
            rows.append([numbers[i], year, str(sid[i]) if mode[i] == 0 else None, art[i], begin.strftime("%d.%m.%Y"),
                         end.strftime("%d.%m.%Y"), sex[i], year - int(age[i]), ";".join(anlass), anregende[i],
                         anschluss[i]])
            if mode[i] == 1:
                assignment.append([numbers[i], str(sid[i]), "42", year])
    return rows, assignment


# ---------------------------------------------------------------------------------------------------------------
# the Masterdatei
# ---------------------------------------------------------------------------------------------------------------
HINWEISE = [
    "Musterstadt – Masterdatei der Demo-Kommune",
    "",
    "ACHTUNG: Musterstadt ist frei erfunden. Alle Namen, Grenzen und Zahlen sind fiktiv und mit einem Zufallsgenerator "
    "(Seed {seed}) erzeugt.",
    "Die Größenordnungen orientieren sich an veröffentlichten bundesweiten Werten; Rückschlüsse auf eine reale "
    "Kommune sind nicht möglich.",
    "",
    "Inhalt: Sozialräume, Bevölkerung, SGB II, Beratung, Zugänge, Kosten (gesamte Stadt, nach Segmenten) und Personal "
    "für 2015–2024.",
    "HzE, § 8a und § 42 kommen aus den Einzeldaten (hze_einzeldaten.csv, 8a_einzeldaten.csv, 42_einzeldaten.csv) "
    "und der Zuordnungstabelle (zuordnung.csv).",
    "Zugänge zählen die begonnenen HzE ohne Erziehungsberatung; § 28 im Blatt Beratung bleibt leer, weil die "
    "Erziehungsberatung in den Einzeldaten steht.",
    "",
    "Absichtliche Datenlücken (für die Seite Datenqualität):",
    "– Sozialraum 07 hat für 2016 keine Bevölkerungszahlen.",
    "– Sozialraum 11 (Hafenviertel) entstand 2020 aus Sozialraum 05 (gültig ab 2020); bis 2019 ist er in 05 enthalten "
    "(daher der Sprung der Einwohnerzahl von 05 zwischen 2019 und 2020).",
    "– Etwa 3 % der Einzeldaten lassen sich keinem Sozialraum zuordnen (nicht zuordenbar).",
    "",
    "Neu erzeugen: .venv/bin/python -m data_models.demo (oder Dateien löschen und manage.py seed-demo --reset).",
]


def _workbook_sheets(rng, pop, quota, helps, seed) -> list[tuple[str, list[str], list[list]]]:
    rep = _reported_population(pop)
    sheets = []
    sheets.append(("Sozialräume", ["Sozialraum-ID", "Name", "Team", "Gemeindeschlüssel", "gültig ab", "gültig bis"],
                   [[d.id, d.name, d.team, None, SPLIT_YEAR if d.id == "11" else None, None] for d in DISTRICTS]))

    groups = [g for g, _, _ in AGE_GROUPS] + ["21 bis unter 27"]
    bev, sgb, ber = [], [], []
    for year in YEARS:
        for sid in _areas_of_year(year):
            row = rep[(sid, year)]
            if (sid, year) != MISSING_POPULATION:
                bev.append([year, sid, *[row[g] for g in groups], row["insgesamt"]])
            u15, u21 = _u(row, 15), _u(row, 21)
            q = _quota_reported(pop, quota, sid, year)
            lb = round(u15 * q / 100)
            bg = round(lb / rng.uniform(1.7, 1.9))
            sgb.append([year, sid, lb, bg, round(bg * rng.uniform(0.4, 0.5))])
            ber.append([year, sid, int(rng.poisson(u21 * 9 / 1000)), int(rng.poisson(u21 * 7 / 1000 * (0.7 + q / 50))),
                        int(rng.poisson(u21 * 5 / 1000)), None])
    sheets.append(("Bevölkerung", ["Jahr", "Sozialraum-ID", *groups, "insgesamt"], bev))
    sheets.append(("SGB II", ["Jahr", "Sozialraum-ID", "Leistungsberechtigte unter 15",
                              "Bedarfsgemeinschaften mit Kindern", "davon Alleinerziehende"], sgb))
    sheets.append(("Beratung", ["Jahr", "Sozialraum-ID", "§ 16", "§ 17", "§ 18", "§ 28 Erziehungsberatung"], ber))

    # Zugänge: started HzE without EB per assigned Sozialraum (OHNE where the records cannot be assigned)
    begin_year = helps["begin"] // 12
    counts: dict[tuple, int] = {}
    for i in np.flatnonzero(~np.isin(helps["code"], EB) & (begin_year >= YEARS[0])):
        y = int(begin_year[i])
        sid = "OHNE" if helps["assign"][i] == 2 else reported_id(helps["area"][i], y)
        key = (y, sid, helps["zugang"][i])
        counts[key] = counts.get(key, 0) + 1
    order = {s: k for k, s in enumerate(IDS + ["OHNE"])}
    zug_names = list(ZUGANG)
    zug = [[y, s, z, n, ZUGANG[z][0]] for (y, s, z), n in
           sorted(counts.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], zug_names.index(kv[0][2])))]
    sheets.append(("Zugänge", ["Jahr", "Sozialraum-ID", "Zugangsweg", "Anzahl", "Anregende Institution"], zug))

    # Kosten: months active in the year x cost per case-year, prices rising 3.5 % a year
    end = np.where(helps["end"] < 0, LAST_MONTH, helps["end"])
    cost = np.array([EB_COST if c in EB else HELP[c][4] for c in helps["code"]], dtype=float)
    seg = np.array([SEGMENT[c] for c in helps["code"]], dtype=object)
    income = {"EB": 0.0, "ambulant": 0.01, "teilstationär": 0.03, "stationär": 0.07, "§ 35a": 0.02}
    kosten = []
    for year in YEARS:
        active = np.clip(np.minimum(end, year * 12 + 11) - np.maximum(helps["begin"], year * 12) + 1, 0, 12)
        spend = active / 12 * cost * 1.035 ** (year - 2020)
        for s in ("EB", "ambulant", "teilstationär", "stationär", "§ 35a"):
            a = round(float(spend[seg == s].sum()), 2)
            plan = round(a * rng.normal(0.97, 0.04), -3)
            kosten.append([year, s, a, plan, round(a * income[s] * rng.uniform(0.8, 1.2), 2), None])
    sheets.append(("Kosten", ["Jahr", "Hilfeart", "Ausgaben (EUR)", "Ansatz (EUR)", "Einnahmen (EUR)", "Sozialraum-ID"],
                   kosten))

    # Personal: posts such that running HzE (without EB) per occupied post lie between 30 and 50
    team_of = {d.id: d.team for d in DISTRICTS}
    personal = []
    team_before = np.array([team_of[reported_id(a, SPLIT_YEAR - 1)] for a in helps["area"]], dtype=object)
    team_after = np.array([team_of[a] for a in helps["area"]], dtype=object)
    hze = ~np.isin(helps["code"], EB) & (helps["assign"] != 2)
    for year in YEARS:
        running = hze & (helps["begin"] <= year * 12 + 11) & ((helps["end"] < 0) | (helps["end"] > year * 12 + 11))
        teams = team_before if year < SPLIT_YEAR else team_after
        for team in TEAMS:
            mine = running & (teams == team)
            r = int(mine.sum())
            vacant = float(rng.choice([0.0, 0.0, 0.5, 1.0, 1.5]))
            occupied = max(round(r / rng.uniform(33, 45) * 2) / 2, 1.0)
            personal.append([year, team, occupied + vacant, vacant if vacant else None])
    sheets.append(("Personal", ["Jahr", "Team", "Vollzeitstellen", "davon unbesetzt"], personal))
    hinweise = [[line.format(seed=seed)] for line in HINWEISE]
    return [("Hinweise", ["Hinweise"], hinweise)] + sheets


def _write_workbook(path: Path, sheets) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(name)
        if name == "Hinweise":
            for r in rows:
                ws.append(r)
            ws["A1"].font = Font(bold=True, size=14)
            ws["A3"].font = Font(bold=True, color="C00000")
            ws.column_dimensions["A"].width = 120
            continue
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
        for col, h in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(col)].width = max(12, len(h) + 2)
            if h == "Sozialraum-ID":
                for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    c.number_format = "@"
            if h.endswith("(EUR)"):
                for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    c.number_format = "#,##0.00"
        ws.freeze_panes = "A2"
    wb.properties.creator = "Strategiekarte Demo-Generator"
    wb.properties.title = "Musterstadt (fiktiv) – Masterdatei"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # not save_workbook(): it stamps the current time
    path.write_bytes(_restamp_zip(buf.getvalue()))


def _restamp_zip(data: bytes) -> bytes:
    """The same archive with a fixed timestamp on every entry (byte-stable output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = info.external_attr
            zout.writestr(new, zin.read(info.filename))
    return out.getvalue()


def _write_csv(path: Path, headers: list[str], rows: list[list]) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


# ---------------------------------------------------------------------------------------------------------------
# geometry: Voronoi cells around the district centres, clipped to an invented outline, in WGS84
# ---------------------------------------------------------------------------------------------------------------
def _geometry(rng) -> dict:
    cx, cy = CITY_CENTRE_UTM
    ax, ay = CITY_SEMI_AXES_KM
    phases = rng.uniform(0, 2 * math.pi, size=4)
    amps = rng.uniform(0.02, 0.06, size=4)
    ring = []
    for k in range(240):
        t = 2 * math.pi * k / 240
        r = 1 + sum(a * math.cos((j + 2) * t + p) for j, (a, p) in enumerate(zip(amps, phases)))
        ring.append((cx + ax * 1000 * r * math.cos(t), cy + ay * 1000 * r * math.sin(t)))
    outline = Polygon(ring)
    centres = {d.id: (cx + (d.centre[0] + rng.uniform(-0.25, 0.25)) * 1000,
                      cy + (d.centre[1] + rng.uniform(-0.25, 0.25)) * 1000) for d in DISTRICTS}
    cells = shapely.voronoi_polygons(MultiPoint(list(centres.values())), extend_to=outline.buffer(5000))
    transformer = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
    features = []
    for d in DISTRICTS:
        point = shapely.Point(centres[d.id])
        cell = next(c for c in cells.geoms if c.contains(point))
        part = cell.intersection(outline)
        wgs = shapely.transform(part, lambda x, y: transformer.transform(x, y), interleaved=False)
        wgs = shapely.set_precision(wgs, 1e-5)
        features.append({"type": "Feature", "properties": {"sozialraum_id": d.id, "name": d.name},
                         "geometry": _rounded(mapping(wgs))})
    return {"type": "FeatureCollection", "name": "Musterstadt (fiktiv)",
            "hinweis": "Fiktive Demo-Kommune: Grenzen frei erfunden (Voronoi-Zellen).", "features": features}


def _rounded(geom: dict) -> dict:
    def r(obj):
        if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (int, float)):
            return [round(float(obj[0]), 5), round(float(obj[1]), 5)]
        return [r(o) for o in obj]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


README = """# Musterstadt – Demo-Kommune (fiktiv)

**Musterstadt gibt es nicht.** Alle Namen, Grenzen und Zahlen in diesem Ordner sind frei erfunden und mit einem
Zufallsgenerator (Seed {seed}) erzeugt. Die Größenordnungen folgen veröffentlichten bundesweiten Werten
(rund 250.000 Einwohner, 50.000 unter 21, elf Sozialräume, Berichtsjahre 2015–2024).

| Datei | Inhalt |
|---|---|
| `musterstadt_masterdatei.xlsx` | Masterdatei: Sozialräume, Bevölkerung, SGB II, Beratung, Zugänge, Kosten, Personal |
| `hze_einzeldaten.csv` | HzE-Einzeldaten (§§ 27 ff., mit Erziehungsberatung), eine Zeile je Hilfe und Berichtsjahr |
| `8a_einzeldaten.csv` | Gefährdungseinschätzungen nach § 8a |
| `42_einzeldaten.csv` | Inobhutnahmen nach § 42 / § 42a |
| `zuordnung.csv` | Zuordnung Kennnummer → Sozialraum für Einzeldaten ohne eigene Sozialraum-ID |
| `musterstadt.geojson` | Sozialraumgrenzen (WGS84) |

Absichtliche Datenlücken für die Seite „Datenqualität“: Sozialraum 07 ohne Bevölkerung 2016; Sozialraum 11 erst
ab 2020 (vorher Teil von 05); etwa 3 % der Einzeldaten nicht zuordenbar.

Die Dateien werden erzeugt, nicht von Hand bearbeitet. Neu erzeugen (gleicher Seed, gleiche Dateien):

    .venv/bin/python -m data_models.demo

`manage.py seed-demo --reset` legt die Demo-Kommune neu an und importiert diese Dateien (fehlende Dateien erzeugt
es vorher mit dem Generator).
"""


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Dateien der fiktiven Demo-Kommune Musterstadt erzeugen")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "assets" / "demo")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for kind, path in generate_demo(args.out, args.seed).items():
        print(f"{kind}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
