"""Fair comparison of Jugendämter: peer groups by social structure and distribution bands.

Benchmarking rings compare an office only with structurally similar ones and show where it lies in their
distribution. Strategiekarte does the same with a simple method anyone can retrace:

**Peer groups** (`assign_groups`) of the confirmed, consenting tenants (the coordinators' comparison, `GESAMT`
values only). A tenant's structure is its Gebietstyp (`tenants.typ`, chosen at sign-up, changeable by an admin:
kreisfreie Stadt, Landkreis, kreisangehörige Stadt, sonstiges Jugendamt), its SGB-II-Quote unter 15
(`sgb2_quote_u15`) and its size (Einwohner unter 21, `bev_u21`) of the comparison year – or, where that year is
missing, of the latest earlier year. Methods (`METHODS`):
- `typ_sgb2` (default): within each Gebietstyp the offices are split into thirds by their SGB-II-Quote ("niedrig",
  "mittel", "hoch"). Thirds within the type (not across all offices) keep the groups about equally large, and a
  Landkreis is compared with Landkreise of similar social burden. A type with fewer than 3 offices with a quota is
  not split.
- `sgb2`: thirds of the SGB-II-Quote over all offices, regardless of type.
- `groesse`: thirds of the Einwohner unter 21 over all offices.
- `typ`: the Gebietstyp alone.
- `alle`: one group of all consenting offices.
Thirds: the cut points are the 1/3 and 2/3 percentiles with linear interpolation (Excel PERCENTIL.INKL / numpy's
and pandas' default), t1 and t2; a value ≤ t1 is in the lower third, ≤ t2 in the middle, above t2 in the upper
third (equal values land in the same third). An office without the needed value is in no group (`gruppe` None).

**Distribution bands** (`band`): minimum, lower quartile, median, upper quartile and maximum of a group's values of
one indicator and year. Quartiles like Excel's QUARTILE.INC (linear interpolation at position (n − 1) × k / 4;
the same as pandas' `quantile(..., interpolation="linear")`), via `data_models.indicators.trends.quartile_inc`.
Suppressed and missing values do not count. Who sees what (indicators.md, privacy.md):
- a *tenant* sees a band only when at least 5 values (`MIN_MEMBERS_TENANT`) are in it, and then only Q1, median
  and Q3 – never minimum or maximum, which are single offices' values – and never another office's name;
- a *coordinator* (who sees each consenting office's `GESAMT` value anyway) gets the band from 3 values on
  (`MIN_MEMBERS_COORDINATOR`), with minimum and maximum.
The band of a tenant's own group includes the tenant's own value, as in benchmarking rings.

**What the pages show**: `tenant_comparison` gives a consenting tenant's own Übersicht its group in words
(`tenant_group_text`: type and third, without the cut points, which with few offices are one office's quota) and
a tenant band per key indicator (`TENANT_INDICATORS`); `group_table` gives the coordinators' Vergleich one row per
group (members, values, minimum … maximum) in `group_order`.

Pure functions, except `set_tenant_type` (the admin setting of the Gebietstyp, written with an audit entry).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import update
from sqlalchemy.engine import Engine

from data_models import db
from data_models.accounts import TENANT_TYPES, AccountError
from data_models.audit import log_event
from data_models.formatting import fmt_de
from data_models.indicators.trends import quartile_inc

METHODS = {
    "typ_sgb2": "Gebietstyp und SGB-II-Quote (Drittel je Typ)",
    "sgb2": "SGB-II-Quote (Drittel)",
    "groesse": "Größe (Einwohner unter 21, Drittel)",
    "typ": "Gebietstyp",
    "alle": "alle zustimmenden Jugendämter",
}
DEFAULT_METHOD = "typ_sgb2"
TYPE_PLURAL = {
    "stadt": "kreisfreie Städte",
    "landkreis": "Landkreise",
    "kreisangehoerig": "kreisangehörige Städte mit eigenem Jugendamt",
    "sonstige": "sonstige Jugendämter",
}
TYPE_GENITIVE = {  # "im mittleren Drittel der …"
    "stadt": "kreisfreien Städte",
    "landkreis": "Landkreise",
    "kreisangehoerig": "kreisangehörigen Städte mit eigenem Jugendamt",
    "sonstige": "sonstigen Jugendämter",
}
THIRDS = ("niedrig", "mittel", "hoch")
MIN_SPLIT = 3  # a set of fewer offices with a value is not split into thirds
MIN_MEMBERS_TENANT = 5  # indicators.md: a band is shown to a tenant only from 5 members on
MIN_MEMBERS_COORDINATOR = 3  # coordinators: from 3 values on (they see the single values anyway)
SGB2, U21 = "sgb2_quote_u15", "bev_u21"

METHOD_EXPLANATION = (
    "Verglichen wird nur mit strukturähnlichen Jugendämtern. Vorgabe: Innerhalb jedes Gebietstyps (kreisfreie "
    "Stadt, Landkreis, kreisangehörige Stadt, sonstiges Jugendamt) werden die zustimmenden Jugendämter nach ihrer "
    "SGB-II-Quote unter 15 in drei gleich große Drittel geteilt (niedrig, mittel, hoch). Die Grenzen der Drittel "
    "sind das 33,3- und das 66,7-Perzentil (lineare Interpolation wie Excels PERZENTIL.INKL). Gezeigt werden "
    "Median und Quartile der Gruppe (wie Excels QUARTILE.INKL); einem Jugendamt nur, wenn mindestens 5 "
    "Jugendämter in der Gruppe einen Wert haben, und nie Minimum, Maximum oder Namen anderer Jugendämter."
)


# --- structure --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Structure:
    tenant: str  # slug
    typ: str  # key of accounts.TENANT_TYPES
    sgb2_quote: float | None  # SGB-II-Quote unter 15 in %
    u21: float | None  # Einwohner unter 21
    jahr_sgb2: int | None = None  # the year the quota is from
    jahr_u21: int | None = None


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _latest(frame: pd.DataFrame, tenant: str, indicator: str, year: int) -> tuple[float | None, int | None]:
    f = frame[(frame["tenant"] == tenant) & (frame["indikator"] == indicator) & (frame["jahr"] <= year)]
    if "unterdrueckt" in f.columns:
        f = f[~f["unterdrueckt"].fillna(False).astype(bool)]
    f = f[f["wert"].notna()].sort_values("jahr")
    if f.empty:
        return None, None
    return _num(f["wert"].iloc[-1]), int(f["jahr"].iloc[-1])


def structures_from_compare(compare: pd.DataFrame, types: Mapping[str, str], year: int) -> list[Structure]:
    """The structure of every tenant in `types` (slug -> Gebietstyp) from the comparison rows (`manage.py compare`
    columns `jahr, tenant, indikator, wert[, unterdrueckt]`, GESAMT values): SGB-II-Quote and Einwohner unter 21 of
    `year`, or of the latest earlier year that has a (not suppressed) value."""
    out = []
    for tenant, typ in types.items():
        q, jq = _latest(compare, tenant, SGB2, year)
        u, ju = _latest(compare, tenant, U21, year)
        out.append(Structure(tenant, typ if typ in TENANT_TYPES else "sonstige", q, u, jq, ju))
    return out


# --- thirds and groups ------------------------------------------------------------------------------------
def percentile_inc(values: Iterable[float], p: float) -> float | None:
    """Excel PERCENTILE.INC / numpy's default: linear interpolation at position (n − 1) × p of the sorted values."""
    xs = sorted(v for v in (_num(x) for x in values) if v is not None)
    if not xs:
        return None
    pos = (len(xs) - 1) * p
    lo = math.floor(pos)
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + (pos - lo) * (xs[lo + 1] - xs[lo])


def tercile_cuts(values: Iterable[float]) -> tuple[float, float] | None:
    vals = [v for v in (_num(x) for x in values) if v is not None]
    if len(vals) < MIN_SPLIT:
        return None
    return percentile_inc(vals, 1 / 3), percentile_inc(vals, 2 / 3)


def tercile(value: float, cuts: tuple[float, float]) -> int:
    """0 (lower third: value ≤ t1), 1 (middle: ≤ t2) or 2 (upper)."""
    t1, t2 = cuts
    return 0 if value <= t1 else (1 if value <= t2 else 2)


@dataclass(frozen=True)
class Assignment:
    tenant: str
    gruppe: str | None  # a stable key ("landkreis/sgb2-0"); None: no group (value missing)
    label: str  # German, without any office name
    begruendung: str  # German: why this group


def _third_label(i: int, cuts: tuple[float, float], what: str, unit: str, dec: int) -> str:
    t1, t2 = (fmt_de(c, dec) for c in cuts)
    rng = (f"bis {t1}{unit}", f"über {t1} bis {t2}{unit}", f"über {t2}{unit}")[i]
    return f"{what} {THIRDS[i]} ({rng})"


def assign_groups(structures: Sequence[Structure], method: str = DEFAULT_METHOD) -> dict[str, Assignment]:
    """Tenant slug -> its group (see the module docstring for the methods)."""
    if method not in METHODS:
        raise ValueError(f"Unbekannte Methode {method!r}. Möglich: {', '.join(METHODS)}")
    out: dict[str, Assignment] = {}
    if method == "alle":
        for s in structures:
            out[s.tenant] = Assignment(s.tenant, "alle", "alle zustimmenden Jugendämter", "Vergleich mit allen.")
        return out
    if method == "typ":
        for s in structures:
            out[s.tenant] = Assignment(s.tenant, s.typ, _cap(TYPE_PLURAL[s.typ]),
                                       f"Gebietstyp: {TENANT_TYPES[s.typ]}.")
        return out
    attr, what, unit, dec = ((("u21", "Einwohner unter 21", "", 0)) if method == "groesse"
                             else ("sgb2_quote", "SGB-II-Quote", " %", 1))
    pools: dict[str, list[Structure]] = {}
    for s in structures:
        pools.setdefault(s.typ if method == "typ_sgb2" else "", []).append(s)
    for pool_key, members in pools.items():
        prefix = _cap(TYPE_PLURAL[pool_key]) + ", " if pool_key else ""
        cuts = tercile_cuts(getattr(s, attr) for s in members)
        for s in members:
            v = getattr(s, attr)
            if v is None:
                out[s.tenant] = Assignment(s.tenant, None, "keine Gruppe",
                                           f"Keine Gruppe: {what} fehlt für das Vergleichsjahr und die Jahre davor.")
            elif cuts is None:  # too few to split: the type (or all) as one group
                label = _cap(TYPE_PLURAL[pool_key]) if pool_key else "alle zustimmenden Jugendämter"
                out[s.tenant] = Assignment(s.tenant, pool_key or "alle", label,
                                           f"Zu wenige Jugendämter für eine Teilung nach {what}.")
            else:
                i = tercile(v, cuts)
                key = f"{pool_key + '/' if pool_key else ''}{method}-{i}"
                label = prefix + _third_label(i, cuts, what, unit, dec)
                where = f"der {TYPE_GENITIVE[pool_key]}" if pool_key else "aller zustimmenden Jugendämter"
                out[s.tenant] = Assignment(
                    s.tenant, key, label,
                    f"{what} {fmt_de(v, dec)}{unit} liegt im {('unteren', 'mittleren', 'oberen')[i]} Drittel {where}.")
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def group_members(assignments: Mapping[str, Assignment], gruppe: str | None) -> list[str]:
    """The tenants of a group (sorted slugs); empty for None."""
    if gruppe is None:
        return []
    return sorted(t for t, a in assignments.items() if a.gruppe == gruppe)


# --- bands ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    n: int  # values in the band
    q1: float
    median: float
    q3: float
    minimum: float | None = None  # only for coordinators
    maximum: float | None = None


def band(values: Iterable, audience: str = "tenant") -> Band | None:
    """The distribution of a group's values (missing ones left out): None when too few for the audience
    ("tenant": at least 5, without minimum and maximum; "coordinator": at least 3, with them)."""
    if audience not in ("tenant", "coordinator"):
        raise ValueError("audience must be 'tenant' or 'coordinator'")
    vals = sorted(v for v in (_num(x) for x in values) if v is not None)
    need = MIN_MEMBERS_TENANT if audience == "tenant" else MIN_MEMBERS_COORDINATOR
    if len(vals) < need:
        return None
    q1, med, q3 = (quartile_inc(vals, k) for k in (1, 2, 3))
    if audience == "tenant":
        return Band(len(vals), q1, med, q3)
    return Band(len(vals), q1, med, q3, vals[0], vals[-1])


def _values(compare: pd.DataFrame, tenants: Sequence[str], indicator: str, year: int) -> list[float | None]:
    f = compare[compare["tenant"].isin(list(tenants)) & (compare["indikator"] == indicator)
                & (compare["jahr"] == year)]
    if "unterdrueckt" in f.columns:
        f = f[~f["unterdrueckt"].fillna(False).astype(bool)]
    return [_num(v) for v in f["wert"]]


def group_bands(compare: pd.DataFrame, assignments: Mapping[str, Assignment], indicator: str, year: int,
                audience: str = "coordinator") -> dict[str, Band | None]:
    """Group key -> band of `indicator` in `year` (None where the group is too small), for every group."""
    keys = sorted({a.gruppe for a in assignments.values() if a.gruppe is not None})
    return {k: band(_values(compare, group_members(assignments, k), indicator, year), audience) for k in keys}


@dataclass(frozen=True)
class TenantBand:
    """What a tenant may see: its own value against its group's band (no other office's value or name)."""
    tenant: str
    indicator: str
    jahr: int
    wert: float | None
    gruppe: str
    gruppe_label: str
    band: Band  # q1, median, q3 only
    lage: str  # German: where the own value lies


def position(value: float | None, b: Band) -> str:
    """Where a value lies in a band: "kein_wert", "unter", "ueber" (outside the quartiles), "median",
    "mitte_unter" or "mitte_ueber" (in the middle half)."""
    if value is None:
        return "kein_wert"
    if value < b.q1:
        return "unter"
    if value > b.q3:
        return "ueber"
    if value == b.median:
        return "median"
    return "mitte_unter" if value < b.median else "mitte_ueber"


POSITION_TEXT = {
    "kein_wert": "Für das eigene Jugendamt liegt kein Wert vor.",
    "unter": "unter dem unteren Quartil: niedriger als bei drei Vierteln der Vergleichsgruppe",
    "ueber": "über dem oberen Quartil: höher als bei drei Vierteln der Vergleichsgruppe",
    "median": "genau beim Median der Vergleichsgruppe",
    "mitte_unter": "in der mittleren Hälfte der Vergleichsgruppe, unter dem Median",
    "mitte_ueber": "in der mittleren Hälfte der Vergleichsgruppe, über dem Median",
}
POSITION_SHORT = {  # for a table cell; the chart's sentence says it in full
    "kein_wert": "kein eigener Wert",
    "unter": "unter dem unteren Quartil",
    "ueber": "über dem oberen Quartil",
    "median": "beim Median",
    "mitte_unter": "mittlere Hälfte, unter dem Median",
    "mitte_ueber": "mittlere Hälfte, über dem Median",
}


def position_text(value: float | None, b: Band, short: bool = False) -> str:
    """Neutral German description of where a value lies in a band (no judgement)."""
    return (POSITION_SHORT if short else POSITION_TEXT)[position(value, b)]


def tenant_band(compare: pd.DataFrame, assignments: Mapping[str, Assignment], tenant: str, indicator: str,
                year: int) -> TenantBand | None:
    """The band a consenting tenant sees on its own pages; None when the tenant has no group or the group has
    fewer than 5 values. `compare` holds the comparison rows of all consenting tenants (suppressed)."""
    a = assignments.get(tenant)
    if a is None or a.gruppe is None:
        return None
    b = band(_values(compare, group_members(assignments, a.gruppe), indicator, year), "tenant")
    if b is None:
        return None
    own = _values(compare, [tenant], indicator, year)
    value = own[0] if own else None
    return TenantBand(tenant, indicator, int(year), value, a.gruppe, a.label, b, position_text(value, b))


def group_column(compare: pd.DataFrame, assignments: Mapping[str, Assignment]) -> pd.Series:
    """The group label per row (by `tenant`) for one set of assignments; "keine Gruppe" where the tenant has
    none."""
    labels = {t: a.label for t, a in assignments.items()}
    return compare["tenant"].map(lambda t: labels.get(t, "keine Gruppe")).astype(object)


def assign_from_compare(structure: pd.DataFrame, types: Mapping[str, str], year: int,
                        method: str = DEFAULT_METHOD) -> dict[str, Assignment]:
    """`structures_from_compare` + `assign_groups` in one call. `structure`: comparison rows that include the
    indicators `sgb2_quote_u15` and `bev_u21` (do not filter them away), `types`: slug -> Gebietstyp of the
    participating tenants."""
    return assign_groups(structures_from_compare(structure, types, year), method)


def peer_group_column(frame: pd.DataFrame, structure: pd.DataFrame, types: Mapping[str, str],
                      method: str = DEFAULT_METHOD) -> pd.Series:
    """The column `vergleichsgruppe` of `manage.py compare --peer-group`: for every row (`jahr`, `tenant`) the
    label of the tenant's group in that year (groups are formed per year from `structure`, see
    `assign_from_compare`)."""
    labels = np.full(len(frame), "keine Gruppe", dtype=object)
    years = frame["jahr"].to_numpy()
    for year in sorted({int(y) for y in frame["jahr"].dropna()}):
        rows = years == year
        labels[rows] = group_column(frame[rows], assign_from_compare(structure, types, year, method)).to_numpy()
    return pd.Series(labels, index=frame.index, dtype=object)


# --- what the pages show -------------------------------------------------------------------------------------
TENANT_INDICATORS = ("hze_dichte", "eb_dichte", "anteil_ambulant", "anteil_stationaer", "anteil_35a",
                     "ausgaben_je_u21")
"""The key figures of a tenant's Übersicht that get a band: rates and shares only. Counts (HzE-Fälle) depend on the
office's size and say nothing in a comparison; the SGB-II-Quote is what the default groups are formed by."""
_LEVEL = {"niedrig": "niedriger", "mittel": "mittlerer", "hoch": "hoher"}
_ORDINAL = ("unteres", "mittleres", "oberes")


def _split_key(key: str) -> tuple[str, str, int] | None:
    """"landkreis/typ_sgb2-1" -> ("landkreis", "typ_sgb2", 1); "sgb2-0" -> ("", "sgb2", 0); None for a key
    without thirds ("alle", a type)."""
    pool, _, rest = key.rpartition("/")
    method, dash, i = rest.rpartition("-")
    if not dash or method not in METHODS or not i.isdigit() or int(i) > 2:
        return None
    return pool, method, int(i)


def group_order(key: str | None) -> tuple:
    """Display order of group keys: "alle" first, then by Gebietstyp (order of TENANT_TYPES), then low to high third;
    None (no group) last."""
    if key is None:
        return (9, 0, 0, "")
    if key == "alle":
        return (0, 0, 0, "")
    types = list(TENANT_TYPES)
    parts = _split_key(key)
    pool, third = (parts[0], parts[2]) if parts else (key, -1)
    return (1, types.index(pool) if pool in types else (len(types) if pool == "" else len(types) + 1), third, key)


def tenant_group_text(a: Assignment) -> str:
    """A tenant's own group in words for its own pages: the type and the third – never the cut points of the
    thirds (with few offices a cut point is one office's value) and never an office's name."""
    key = a.gruppe
    if key is None:
        return "keine Vergleichsgruppe"
    if key == "alle":
        return "alle zustimmenden Jugendämter im Programmvergleich"
    parts = _split_key(key)
    if parts is None:  # a Gebietstyp as one group
        return f"{_cap(TYPE_PLURAL.get(key, 'Jugendämter'))} im Programmvergleich"
    pool, method, i = parts
    what = "Einwohnerzahl unter 21" if method == "groesse" else "SGB-II-Quote unter 15"
    head = _cap(TYPE_PLURAL[pool]) if pool in TYPE_PLURAL else "Jugendämter"
    among = f"der {TYPE_GENITIVE[pool]}" if pool in TYPE_GENITIVE else "aller zustimmenden Jugendämter"
    return f"{head} mit {_LEVEL[THIRDS[i]]} {what} ({_ORDINAL[i]} Drittel {among} im Programmvergleich)"


@dataclass(frozen=True)
class TenantComparison:
    """What a consenting tenant's own Übersicht shows of the comparison: its group in words, the group's size and a
    tenant band (Q1, median, Q3; None below 5 values) per indicator. No other office's name or value."""
    tenant: str
    jahr: int
    status: str  # "ok", "keine_gruppe" (a structure value is missing), "nicht_im_vergleich" (not a participant)
    gruppe_text: str = ""
    begruendung: str = ""
    mitglieder: int = 0  # offices in the group (including the tenant)
    bands: Mapping[str, Band | None] = None  # type: ignore[assignment]

    def shown(self) -> list[str]:
        """The indicators that have a band, in the order asked for."""
        return [k for k, b in (self.bands or {}).items() if b is not None]


def tenant_comparison(compare: pd.DataFrame, types: Mapping[str, str], tenant: str, year: int,
                      indicators: Sequence[str] = TENANT_INDICATORS,
                      method: str = DEFAULT_METHOD) -> TenantComparison:
    """The comparison a tenant sees on its own pages (see TenantComparison); `compare` and `types` (slug ->
    Gebietstyp) of all participants, as for `assign_from_compare`."""
    year = int(year)
    if tenant not in types:
        return TenantComparison(tenant, year, "nicht_im_vergleich", bands={})
    # only the rows that matter (a tenth of the frame or less: the lookups below filter it many times)
    compare = compare[compare["indikator"].isin([SGB2, U21, *indicators]) & (compare["jahr"] <= year)]
    assignments = assign_from_compare(compare, types, year, method)
    a = assignments[tenant]
    if a.gruppe is None:
        return TenantComparison(tenant, year, "keine_gruppe", tenant_group_text(a), a.begruendung, 0, {})
    members = group_members(assignments, a.gruppe)
    bands = {i: band(_values(compare, members, i, year), "tenant") for i in indicators}
    return TenantComparison(tenant, year, "ok", tenant_group_text(a), a.begruendung, len(members), bands)


GROUP_TABLE_COLUMNS = ["gruppe", "label", "mitglieder", "werte", "minimum", "q1", "median", "q3", "maximum"]


def group_table(compare: pd.DataFrame, assignments: Mapping[str, Assignment], indicator: str, year: int,
                audience: str = "coordinator") -> pd.DataFrame:
    """One row per group (in `group_order`): key, label, offices in the group, offices with a value of `indicator`
    in `year` (suppressed and missing ones do not count), and the band for the audience (NaN where the group has
    too few values)."""
    rows = []
    keys = sorted({a.gruppe for a in assignments.values() if a.gruppe is not None}, key=group_order)
    for k in keys:
        members = group_members(assignments, k)
        vals = [v for v in _values(compare, members, indicator, year) if v is not None]
        b = band(vals, audience)
        nan = float("nan")
        rows.append({"gruppe": k, "label": assignments[members[0]].label, "mitglieder": len(members),
                     "werte": len(vals),
                     "minimum": nan if b is None or b.minimum is None else b.minimum,
                     "q1": nan if b is None else b.q1, "median": nan if b is None else b.median,
                     "q3": nan if b is None else b.q3,
                     "maximum": nan if b is None or b.maximum is None else b.maximum})
    return pd.DataFrame(rows, columns=GROUP_TABLE_COLUMNS)


# --- the Gebietstyp setting ---------------------------------------------------------------------------------
def set_tenant_type(engine: Engine, tenant_id: int, actor: str, typ: str) -> None:
    """Change the Gebietstyp of a tenant (admin setting); AccountError with a German message for an unknown type."""
    if typ not in TENANT_TYPES:
        raise AccountError({"typ": "Bitte die Art des Jugendamts auswählen."})
    with db.write_transaction(engine) as conn:
        conn.execute(update(db.tenants).where(db.tenants.c.id == tenant_id).values(typ=typ))
        log_event(conn, tenant_id, actor, "gebietstyp", typ)
