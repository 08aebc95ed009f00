"""Small-number suppression (privacy.md, rules 1–3) for figures that leave their tenant.

`suppress(frame, kind, public=True)` takes a tidy indicator frame (`kind="indicators"`, columns of cli.md), a
breakdown frame (`kind="breakdown"`) or a coordinators' comparison frame (`kind="compare"`, GESAMT rows per
tenant) and returns a copy where every suppressed value is null and `unterdrueckt` is true. With `public=False`
the frame is returned unchanged (an `unterdrueckt` column of False is added when missing).

The rules:
1. A count (Personen, Fälle, Verfahren, Maßnahmen) of 1 or 2 is suppressed; 0 stays 0.
2. A rate or share is suppressed when its numerator or denominator is a count of 1 or 2, or its denominator is a
   population below 100. A suppressed row has `wert`, `zaehler` and `nenner` null.
3. No suppressed cell may be computable by subtraction from a published total and the other published parts:
   while some suppressed value can be derived, the smallest remaining part that is not 0 of the relation that
   derives it is suppressed too (ties: the first in Sozialraum or category order).

How it works: every count shown by a row (the value of a count, the numerator or denominator of a rate) is a
*quantity* of a unit (year and Sozialraum). The same quantity appears in several rows (`hze_faelle` is the value of
`hze_faelle`, the numerator of `hze_dichte`, the denominator of `anteil_ambulant`), so a suppressed quantity
suppresses every row that shows it, and a rate over a suppressed count is suppressed too. Relations between
quantities are sums:
- Sozialräume (incl. OHNE) and GESAMT, per quantity and year (kind "indicators" and "breakdown");
- within a unit: kwg = akut + latent, akut + latent + Hilfebedarf = kwg + Hilfebedarf, verfahren_8a = that +
  kein Hilfebedarf (§ 8a results vs all procedures, kwg_faelle parts); inobhutnahmen = ohne UMA + UMA (so
  `inobhutnahmen_ohne_uma_dichte` is suppressed when UMA is 1 or 2); hze_faelle = the four segments; stationär =
  Vollzeitpflege + Heim + § 27 außerhalb; u21 = u18 + 18–21, u18 = u15 + 15–18, insgesamt = u21 + the rest;
- breakdowns: the categories of a unit and their total (which each share reveals: anzahl × 100 / anteil), and each
  category over the units.
Parts that are never shown (latent, UMA, ...) take part as unknowns; a value is derivable when it is the only
unknown of a relation whose other members are shown or derivable (repeated to a fixed point). The suppression
repeats until no suppressed quantity and no hidden count of 1 or 2 is derivable. Which value goes next: see
`_Problem._candidate` (between Sozialräume exactly rule 3; within a unit a derived indicator goes before a
headline count, e.g. with Hilfebedarf 1 or 2 `hilfebedarf_quote` rather than `kwg_faelle`). In breakdowns, hiding a
unit's total suppresses its shares (`anteil`), not its counts; for multiple answers the number of cases comes from
`frame.attrs["nenner"]` (set by compute_breakdown), and shares over 1 or 2 cases are suppressed.

Decisions: the caseload per team (`faelle_je_vollzeitstelle`) is suppressed when its numerator is 1 or 2, but teams
are not related to GESAMT (the frame does not say which Sozialraum belongs to which team). Complements of single
shares (e.g. Inobhutnahmen not within 2 weeks) are not treated as published parts. Money is never suppressed.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_models.indicators.catalogue import CATALOGUE
from data_models.schema import GESAMT

SYMBOL = "."  # "geheim zu halten" (spreadsheets, UI)
FOOTNOTE = ("„.“ = aus Datenschutzgründen unterdrückt: Fallzahlen von 1 oder 2 und Werte, aus denen sie sich "
            "errechnen ließen, sowie Quoten auf einer Bevölkerung unter 100.")
KINDS = ("indicators", "breakdown", "compare")

# within-unit sums of the indicator quantities: (total, shown parts, name of the part that is never shown)
WITHIN = [
    ("kwg", ["akut"], "latent"),
    ("hb", ["kwg"], "hilfebedarf"),
    ("v8a", ["hb"], "kein_hilfebedarf"),
    ("io", ["io_ohne_uma"], "uma"),
    ("hze_faelle", ["amb", "teil", "stat", "p35a"], "seg_rest"),
    ("stat", ["f0910", "f11"], "f15"),
    ("u21", ["u18"], "a18_21"),
    ("u18", ["u15"], "a15_18"),
    ("insgesamt", ["u21"], "a21_plus"),
]
NON_ADDITIVE = {"laufend_team"}  # one team figure repeated in each of its Sozialräume


def is_small(value) -> bool:
    """A count of 1 or 2 (rule 1)."""
    return value is not None and not pd.isna(value) and 0 < float(value) < 3


@dataclass
class _Problem:
    """Quantities (members), the rows' cells that show them, and sum relations between them."""

    values: list[float] = field(default_factory=list)
    real: list[bool] = field(default_factory=list)  # shown by some cell (hiding it suppresses cells)
    primary: list[bool] = field(default_factory=list)  # a headline count: hidden only when nothing else helps
    member_cells: list[list[int]] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)
    cell_refs: list[list[tuple[int, bool]]] = field(default_factory=list)  # (member, the cell reveals it)
    cell_unreliable: list[bool] = field(default_factory=list)
    relations: list[tuple[int, list[int]]] = field(default_factory=list)  # (total, parts in order)

    def member(self, key: tuple, value: float, real: bool = True, primary: bool = False) -> int:
        m = self.index.get(key)
        if m is None:
            m = len(self.values)
            self.index[key] = m
            self.values.append(float(value))
            self.real.append(real)
            self.primary.append(primary)
            self.member_cells.append([])
        return m

    def cell(self, refs: list[tuple[int, bool]], unreliable: bool = False) -> int:
        c = len(self.cell_refs)
        self.cell_refs.append(refs)
        self.cell_unreliable.append(unreliable)
        for m, _ in refs:
            self.member_cells[m].append(c)
        return c

    def relation(self, total: int, parts: list[int], rest_key: tuple | None = None) -> None:
        """total = Σ parts (+ an unknown rest when the shown parts do not add up)."""
        rest = self.values[total] - sum(self.values[p] for p in parts)
        if rest_key is not None and abs(rest) > 1e-9:
            parts = [*parts, self.member(rest_key, rest, real=False)]
        self.relations.append((total, parts))

    # ---------------------------------------------------------------------------------------------- solving
    def solve(self) -> list[bool]:
        """Hide members until nothing secret is derivable; returns per cell whether it is suppressed."""
        n = len(self.values)
        hidden = [is_small(v) for v in self.values]
        rels_of: list[list[int]] = [[] for _ in range(n)]
        for r, (t, parts) in enumerate(self.relations):
            for m in (t, *parts):
                rels_of[m].append(r)
        for component in _components(n, self.relations):
            rels = sorted({r for m in component for r in rels_of[m]})
            if rels:
                self._solve_component(component, rels, rels_of, hidden)
        return [self.cell_unreliable[c] or any(hidden[m] for m, _ in refs) for c, refs in enumerate(self.cell_refs)]

    def _published(self, m: int, hidden: list[bool]) -> bool:
        if not self.real[m] or hidden[m]:
            return False
        for c in self.member_cells[m]:
            refs = self.cell_refs[c]
            if self.cell_unreliable[c] or any(hidden[x] for x, _ in refs):
                continue
            if any(x == m and rev for x, rev in refs):
                return True
        return False

    def _solve_component(self, members: list[int], rels: list[int], rels_of, hidden: list[bool]) -> None:
        secret = {m for m in members if hidden[m]}
        while True:
            published = {m for m in members if self._published(m, hidden)}
            known = set(published)
            derived_by: dict[int, int] = {}
            unknown = {r: sum(1 for m in (self.relations[r][0], *self.relations[r][1]) if m not in known)
                       for r in rels}
            queue = deque(r for r in rels if unknown[r] == 1)
            while queue:
                r = queue.popleft()
                if unknown[r] != 1:
                    continue
                t, parts = self.relations[r]
                m = next(x for x in (t, *parts) if x not in known)
                known.add(m)
                derived_by[m] = r
                for r2 in rels_of[m]:
                    if r2 in unknown:
                        unknown[r2] -= 1
                        if unknown[r2] == 1:
                            queue.append(r2)
            # the first secret derived: its relation's other members are shown (or derived but not secret), so
            # hiding one of them breaks the chain at its root
            leaks = [m for m in derived_by if m in secret]
            if not leaks:
                return
            leak = leaks[0]
            cand = self._candidate(leak, derived_by, published)
            if cand is None:  # pragma: no cover - unreachable: a value > 0 is derived from a shown value > 0
                t, parts = self.relations[derived_by[leak]]
                shown = [m for m in (t, *parts) if m in published]
                if not shown:
                    return
                for m in shown:
                    hidden[m] = True
                    secret.add(m)
                continue
            hidden[cand] = True
            secret.add(cand)

    def _candidate(self, leak: int, derived_by: dict[int, int], published: set[int]) -> int | None:
        """What to hide so that `leak` is no longer derivable, from the relation that derives it:
        1. the smallest shown part > 0 that is not a headline count (ties: first in order) — for the Sozialräume
           of one quantity these are all its parts, so this is rule 3 of privacy.md;
        2. the total, when it is not a headline count (two indicators differing by a suppressed count: the
           derived one goes, e.g. `hilfebedarf_quote` rather than `kwg_faelle`);
        3. the smallest shown headline part > 0;
        4. the same in the relations that derive the other unknown members (breadth first), so an ineffective
           suppression is made effective; a headline total only as a last resort."""
        seen: set[int] = set()
        queue = deque([derived_by[leak]])
        fallback = None

        def shown(m):
            return m != leak and m in published and self.values[m] > 0

        while queue:
            r = queue.popleft()
            if r in seen:
                continue
            seen.add(r)
            t, parts = self.relations[r]
            cands = [(self.values[p], i, p) for i, p in enumerate(parts) if shown(p) and not self.primary[p]]
            if cands:
                return min(cands)[2]
            if shown(t) and not self.primary[t]:
                return t
            cands = [(self.values[p], i, p) for i, p in enumerate(parts) if shown(p)]
            if cands:
                return min(cands)[2]
            if fallback is None and shown(t):
                fallback = t
            for m in (*parts, t):
                if m != leak and m in derived_by and derived_by[m] not in seen:
                    queue.append(derived_by[m])
        return fallback


def _components(n: int, relations: list[tuple[int, list[int]]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t, parts in relations:
        for p in parts:
            a, b = find(t), find(p)
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = {}
    for m in range(n):
        groups.setdefault(find(m), []).append(m)
    return list(groups.values())


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


# -------------------------------------------------------------------------------------------------- indicators
def _unit_columns(frame: pd.DataFrame, kind: str) -> list[str]:
    cols = ["jahr"]
    if kind == "compare" and "tenant" in frame.columns:
        cols.append("tenant")
    if "sozialraum_id" in frame.columns:
        cols.append("sozialraum_id")
    return cols


def _suppress_indicators(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    p = _Problem()
    ucols = _unit_columns(frame, kind)
    unit_keys = list(zip(*(frame[c].tolist() for c in ucols)))
    wert, zaehler, nenner = _num(frame["wert"]), _num(frame["zaehler"]), _num(frame["nenner"])
    units_in_order = list(dict.fromkeys(unit_keys))
    headline = {i.zaehler_q for i in CATALOGUE.values() if i.is_count}
    for i, (unit, ind_id) in enumerate(zip(unit_keys, frame["indikator"].tolist())):
        ind = CATALOGUE.get(ind_id)
        refs: list[tuple[int, bool]] = []
        unreliable = False
        if ind is not None:
            if ind.is_count:
                if ind.zaehler_q and not np.isnan(wert[i]):
                    refs.append((p.member((unit, ind.zaehler_q), wert[i], primary=True), True))
            else:
                if ind.zaehler_q and not np.isnan(zaehler[i]):
                    q = ind.zaehler_q
                    refs.append((p.member((unit, q), zaehler[i], primary=q in headline), True))
                if ind.nenner_q and not np.isnan(nenner[i]):
                    q = ind.nenner_q
                    refs.append((p.member((unit, q), nenner[i], primary=q in headline), True))
                unreliable = bool(ind.nenner_population and not np.isnan(nenner[i]) and nenner[i] < 100
                                  and not np.isnan(wert[i]))
        p.cell(refs, unreliable)
    # within-unit sums
    for unit in units_in_order:
        for total, shown, hidden_part in WITHIN:
            t = p.index.get((unit, total))
            parts = [p.index.get((unit, s)) for s in shown]
            if t is None or any(x is None for x in parts):
                continue
            p.relation(t, parts, rest_key=(unit, hidden_part))
    # Sozialräume vs GESAMT, per year and quantity (not for the coordinators' comparison)
    if kind == "indicators" and "sozialraum_id" in ucols:
        sid_pos = ucols.index("sozialraum_id")
        by_year: dict[tuple, list[tuple]] = {}
        for unit in units_in_order:
            by_year.setdefault(unit[:sid_pos] + unit[sid_pos + 1:], []).append(unit)
        names = {k[1] for k in p.index if isinstance(k, tuple) and len(k) == 2 and isinstance(k[0], tuple)}
        for year_key, units in by_year.items():
            g_unit = next((u for u in units if u[sid_pos] == GESAMT), None)
            if g_unit is None:
                continue
            parts_units = [u for u in units if u[sid_pos] != GESAMT]
            for name in sorted(names - NON_ADDITIVE):
                t = p.index.get((g_unit, name))
                if t is None:
                    continue
                parts = [p.index[(u, name)] for u in parts_units if (u, name) in p.index]
                p.relation(t, parts, rest_key=(year_key, "__rest__", name))
    suppressed = np.array(p.solve(), dtype=bool)
    out = frame.copy()
    for c in ("wert", "zaehler", "nenner"):
        col = out[c].astype("Float64")
        out[c] = col.mask(suppressed)
    prior = out["unterdrueckt"].to_numpy(dtype=bool) if "unterdrueckt" in out else np.zeros(len(out), dtype=bool)
    out["unterdrueckt"] = suppressed | prior
    return out


# -------------------------------------------------------------------------------------------------- breakdowns
def _is_multiple(frame: pd.DataFrame, table: str | None) -> bool:
    from data_models.indicators.breakdowns import BREAKDOWNS

    table = table or frame.attrs.get("breakdown")
    if table in BREAKDOWNS:
        return BREAKDOWNS[table].multiple
    # detect: single-answer shares add up to 100 in every unit with a denominator
    sums = frame.groupby(["jahr", "sozialraum_id"], sort=False)["anteil"].sum(min_count=1).dropna()
    return bool(len(sums)) and not np.allclose(sums.to_numpy(dtype="float64"), 100.0)


def _suppress_breakdown(frame: pd.DataFrame, table: str | None) -> pd.DataFrame:
    multiple = _is_multiple(frame, table)
    p = _Problem()
    n = len(frame)
    unit_keys = list(zip(frame["jahr"].tolist(), frame["sozialraum_id"].tolist()))
    cats = frame["kategorie_code"].tolist()
    anzahl, anteil = _num(frame["anzahl"]), _num(frame["anteil"])
    rows_of: dict[tuple, list[int]] = {}
    for i, u in enumerate(unit_keys):
        rows_of.setdefault(u, []).append(i)
    # members: category counts, and per unit the total (single answer) or the case count (multiple answers)
    cat_member = [p.member((unit_keys[i], "cat", cats[i]), anzahl[i]) if not np.isnan(anzahl[i]) else None
                  for i in range(n)]
    total_member: dict[tuple, int] = {}
    given = frame.attrs.get("nenner") or {}
    for u, rows in rows_of.items():
        vals = anzahl[rows]
        if multiple:
            d = given.get(u)
            if d is None:  # not given: anzahl × 100 / anteil of a row with both > 0
                ratio = [anzahl[i] * 100.0 / anteil[i] for i in rows
                         if not np.isnan(anteil[i]) and anteil[i] > 0 and anzahl[i] > 0]
                d = round(ratio[0]) if ratio else None
            if d is not None:
                total_member[u] = p.member((u, "total"), d, primary=True)
        elif not np.isnan(vals).any():
            total_member[u] = p.member((u, "total"), float(vals.sum()), primary=True)
    anzahl_cell, anteil_cell = [], []
    for i in range(n):
        m = cat_member[i]
        anzahl_cell.append(p.cell([(m, True)]) if m is not None else None)
        if m is not None and not np.isnan(anteil[i]):
            refs = [(m, True)]
            t = total_member.get(unit_keys[i])
            if t is not None:
                refs.append((t, anzahl[i] > 0))
            anteil_cell.append(p.cell(refs))
        else:
            anteil_cell.append(None)
    # relations
    if not multiple:
        for u, rows in rows_of.items():
            if u in total_member:
                p.relation(total_member[u], [cat_member[i] for i in rows])
    by_year: dict = {}
    for u in rows_of:
        by_year.setdefault(u[0], []).append(u)
    for year, units in by_year.items():
        g = (year, GESAMT)
        if g not in rows_of:
            continue
        others = [u for u in units if u != g]
        for cat in dict.fromkeys(cats[i] for i in rows_of[g]):
            t = p.index.get((g, "cat", cat))
            if t is None:
                continue
            p.relation(t, [p.index[(u, "cat", cat)] for u in others if (u, "cat", cat) in p.index],
                       rest_key=(year, "__rest__", cat))
        if g in total_member and all(u in total_member for u in others):
            p.relation(total_member[g], [total_member[u] for u in others], rest_key=(year, "__rest__", "total"))
    suppressed = p.solve()
    anz_s = np.array([c is not None and suppressed[c] for c in anzahl_cell], dtype=bool)
    ant_s = np.array([c is not None and suppressed[c] for c in anteil_cell], dtype=bool) | anz_s
    out = frame.copy()
    out["anzahl"] = out["anzahl"].astype("Int64").mask(anz_s)
    out["anteil"] = out["anteil"].astype("Float64").mask(ant_s)
    prior = out["unterdrueckt"].to_numpy(dtype=bool) if "unterdrueckt" in out else np.zeros(n, dtype=bool)
    out["unterdrueckt"] = anz_s | ant_s | prior
    return out


def suppress(frame: pd.DataFrame, kind: str = "indicators", public: bool = True, table: str | None = None
             ) -> pd.DataFrame:
    """Apply privacy.md rules 1–3 to a copy of `frame` (see the module docstring). `kind`: "indicators",
    "breakdown" or "compare"; `table`: the breakdown name (else taken from `frame.attrs["breakdown"]` or detected).

    Run it on the complete frame (all Sozialräume and indicators of the years) and filter afterwards, so the
    totals and related indicators are protected.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not public or not len(frame):
        out = frame.copy()
        if "unterdrueckt" not in out:
            out["unterdrueckt"] = False
        return out
    if kind == "breakdown":
        return _suppress_breakdown(frame, table)
    return _suppress_indicators(frame, kind)
