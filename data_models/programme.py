"""The programme pages of the coordinators (privacy.md, role `coordinator`): the board of all offices and the
comparison of the confirmed offices that consented. Pure functions over the database; no Streamlit.

What a coordinator may see (privacy.md): which offices exist, whether they are confirmed, what each has uploaded
(kinds, years, date; no figures), and the comparison of the confirmed, consenting offices on their `GESAMT` values
only, suppressed. Never a Sozialraum figure or a record: `compare_frame` computes each office's indicators, keeps
the `GESAMT` rows and suppresses them (kind "compare") before anything leaves this module, and its rows carry no
Sozialraum column at all.

Decisions where the contract is silent:
- The demo municipality (fictitious) is neither on the board nor in the comparison.
- Suppression of the comparison runs on each office's complete `GESAMT` frame (all indicators of all years), so
  two indicators that differ by a suppressed count are both protected (rule 3 within the unit); there is no total
  over offices, so no relation between them.
- Rows are sorted by year, then office name (case-insensitive), then indicator id.
- Peer group (`--peer-group`, column `vergleichsgruppe`): the office's group in the row's year by the default method
  of `data_models/peer_groups.py` (Gebietstyp × thirds of the SGB-II-Quote), formed from the same suppressed
  `GESAMT` rows before any filter (so `--indicator hze_dichte` still groups by the SGB-II-Quote).
- A coordinator confirms an office, or removes an office that is not yet confirmed after typing its name; the
  removal deletes every row that carries the office's id (not a flag), like `delete-tenant`. Confirmed offices are
  never removed from the board (they delete themselves, or the operator runs `delete-tenant`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.engine import Engine

from data_models import db
from data_models.accounts import TENANT_TYPES, Tenant, _tenant, fold
from data_models.audit import log_event
from data_models.schema import GESAMT, KIND_LABELS, TABLES, Dataset

COMPARE_COLUMNS = ["jahr", "tenant", "name", "indikator", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]
BOARD_COLUMNS = ["tenant_id", "slug", "name", "typ", "schluessel", "registriert", "bestaetigt", "zustimmung",
                 "daten", "letzter_upload", "uploads"]
KIND_ORDER = list(TABLES)
WHOLE_YEAR = -1


class ProgrammeError(Exception):
    """A refusal in German (e.g. removing a confirmed office)."""


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------------------- board
def _years_text(years: list[int]) -> str:
    ys = sorted(set(years))
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def describe_inventory(inventory: dict[str, list[int] | None]) -> str:
    """German text of the uploaded kinds and years in the order of the data kinds, e.g.
    "Sozialräume; Bevölkerung 2019–2023; HzE 2021, 2023"; "noch keine Daten" when empty."""
    parts = []
    for kind in sorted(inventory, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)):
        years = inventory[kind]
        label = KIND_LABELS.get(kind, kind)
        parts.append(label if years is None else f"{label} {_years_text(years)}")
    return "; ".join(parts) if parts else "noch keine Daten"


def board(engine: Engine) -> pd.DataFrame:
    """One row per office (the demo left out), ordered by name: id, slug, name, type (German), key, sign-up date,
    confirmed, consent, the kinds and years currently stored (text), the date of the last upload and the number of
    uploads. No figures."""
    t, c, v = db.tenants, db.current_slices, db.versions
    with engine.connect() as conn:
        tenants = conn.execute(select(t).where(t.c.is_demo.is_(False)).order_by(t.c.name_key)).all()
        slices = conn.execute(select(c.c.tenant_id, c.c.kind, c.c.jahr)).all()
        uploads = conn.execute(select(v.c.tenant_id, func.max(v.c.created_at), func.count(v.c.id))
                               .group_by(v.c.tenant_id)).all()
    inventory: dict[int, dict[str, list[int] | None]] = {}
    for r in slices:
        inv = inventory.setdefault(r.tenant_id, {})
        if r.jahr == WHOLE_YEAR:
            inv[r.kind] = None
        else:
            inv.setdefault(r.kind, []).append(int(r.jahr))
    last = {r[0]: (_aware(r[1]), int(r[2])) for r in uploads}
    rows = []
    for r in tenants:
        when, n = last.get(r.id, (None, 0))
        rows.append({
            "tenant_id": r.id, "slug": r.slug, "name": r.name, "typ": TENANT_TYPES.get(r.typ, r.typ),
            "schluessel": r.schluessel or "", "registriert": _aware(r.created_at), "bestaetigt": bool(r.confirmed),
            "zustimmung": bool(r.consent), "daten": describe_inventory(inventory.get(r.id, {})),
            "letzter_upload": when, "uploads": n,
        })
    return pd.DataFrame(rows, columns=BOARD_COLUMNS)


def _office(conn, tenant_id: int):
    row = conn.execute(select(db.tenants).where(db.tenants.c.id == tenant_id)).first()
    if row is None or row.is_demo:
        raise ProgrammeError("Dieses Jugendamt gibt es nicht (mehr).")
    return row


def confirm_tenant(engine: Engine, tenant_id: int, actor: str) -> bool:
    """Mark an office as confirmed (genuine). True when it was unconfirmed before. Logged in the office's log."""
    with db.write_transaction(engine) as conn:
        row = _office(conn, tenant_id)
        if row.confirmed:
            return False
        conn.execute(update(db.tenants).where(db.tenants.c.id == tenant_id).values(confirmed=True))
        log_event(conn, tenant_id, actor, "jugendamt_bestaetigt", "von der Programmkoordination bestätigt")
    return True


def remove_unconfirmed(engine: Engine, tenant_id: int, actor: str, typed_name: str) -> str:
    """Delete an unconfirmed office that is not genuine, with all its rows, after its name was typed. Returns the
    name. Refuses (ProgrammeError) a confirmed office or a name that does not match. Check and deletion are one
    transaction, so an office confirmed meanwhile is not deleted."""
    with db.write_transaction(engine) as conn:
        row = _office(conn, tenant_id)
        if row.confirmed:
            raise ProgrammeError("Bestätigte Jugendämter können hier nicht entfernt werden.")
        if fold(typed_name or "") != row.name_key:
            raise ProgrammeError(f"Zum Entfernen bitte den Namen „{row.name}“ genau eintippen.")
        user_keys = list(conn.execute(select(db.users.c.username_key).where(db.users.c.tenant_id == tenant_id))
                         .scalars())
        for table in reversed(db.metadata.sorted_tables):  # dependent tables first
            if table is not db.tenants and "tenant_id" in table.c:
                conn.execute(delete(table).where(table.c.tenant_id == tenant_id))
        if user_keys:
            conn.execute(delete(db.login_attempts).where(db.login_attempts.c.username_key.in_(user_keys)))
        conn.execute(delete(db.tenants).where(and_(db.tenants.c.id == tenant_id,
                                                   db.tenants.c.confirmed.is_(False))))
        # the operator's log (no tenant): the office is gone, and no page shows this entry
        log_event(conn, None, actor, "jugendamt_geloescht",
                  f"unbestätigtes Jugendamt „{row.name}“ ({row.slug}) von der Programmkoordination entfernt")
    return row.name


# ---------------------------------------------------------------------------------------------------- comparison
def participants(engine: Engine) -> list[Tenant]:
    """The offices in the comparison: confirmed, consenting, not the demo; ordered by name."""
    t = db.tenants
    with engine.connect() as conn:
        rows = conn.execute(select(t).where(and_(t.c.confirmed.is_(True), t.c.consent.is_(True),
                                                 t.c.is_demo.is_(False))).order_by(t.c.name_key)).all()
    return [_tenant(r) for r in rows]


def tenant_gesamt(ds: Dataset, slug: str, name: str) -> pd.DataFrame:
    """One office's `GESAMT` rows of every indicator and year, suppressed (kind "compare"), in the columns of
    `compare` (cli.md). The only way a Dataset's figures reach a coordinator."""
    from data_models.indicators.engine import compute_indicators
    from data_models.privacy import suppress

    ind = compute_indicators(ds, sozialraum=GESAMT)
    frame = pd.DataFrame({
        "jahr": ind["jahr"], "tenant": slug, "name": name, "indikator": ind["indikator"], "wert": ind["wert"],
        "zaehler": ind["zaehler"], "nenner": ind["nenner"], "einheit": ind["einheit"],
        "unterdrueckt": ind["unterdrueckt"],
    }, columns=COMPARE_COLUMNS)
    frame["tenant"] = frame["tenant"].astype(object)
    frame["name"] = frame["name"].astype(object)
    return suppress(frame, kind="compare", public=True)


def _load_gesamt(engine: Engine) -> Callable[[Tenant], pd.DataFrame]:
    def load(t: Tenant) -> pd.DataFrame:
        from data_models.tenant_data import load_dataset

        return tenant_gesamt(load_dataset(engine, t.id, t.name), t.slug, t.name)

    return load


def empty_compare(peer: bool = False) -> pd.DataFrame:
    cols = COMPARE_COLUMNS + (["vergleichsgruppe"] if peer else [])
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out["jahr"] = out["jahr"].astype("Int64")
    for c in ("wert", "zaehler", "nenner"):
        out[c] = out[c].astype("Float64")
    out["unterdrueckt"] = out["unterdrueckt"].astype(bool)
    return out


def compare_frame(engine: Engine, years: Iterable[int] | int | None = None, indicators=None,
                  peer_group_column: bool = False,
                  gesamt: Callable[[Tenant], pd.DataFrame] | None = None) -> pd.DataFrame:
    """The coordinators' comparison (`manage.py compare`): one row per confirmed, consenting office, year and
    indicator, `GESAMT` only, suppressed. `years` and `indicators` filter after suppression (ValueError in German for
    an unknown indicator). `gesamt(tenant)` returns an office's suppressed frame (`tenant_gesamt`); pages pass a
    cached one keyed by office id and data version."""
    from data_models.indicators.engine import check_indicators

    ids = check_indicators(indicators)
    load = gesamt or _load_gesamt(engine)
    types = {}
    frames = []
    for t in participants(engine):
        f = load(t)
        if len(f):
            frames.append(f)
        types[t.slug] = t.typ
    if not frames:
        return empty_compare(peer_group_column)
    full = pd.concat(frames, ignore_index=True)
    out = full
    keep = out["indikator"].isin(ids)
    if years is not None:
        ys = [int(years)] if isinstance(years, (int, np.integer)) else [int(y) for y in years]
        keep &= out["jahr"].isin(ys)
    out = out[keep].copy()
    out["_key"] = out["name"].map(fold)
    out = out.sort_values(["jahr", "_key", "indikator"], kind="stable").drop(columns="_key").reset_index(drop=True)
    if peer_group_column:
        from data_models.peer_groups import peer_group_column as groups

        out["vergleichsgruppe"] = groups(out, full, types) if len(out) else pd.Series(dtype=object)
    return out


def compare_years(frame: pd.DataFrame) -> list[int]:
    """Years in which some office has a value (or a suppressed one)."""
    has = frame["wert"].notna() | frame["unterdrueckt"].astype(bool)
    return sorted(int(y) for y in frame.loc[has, "jahr"].dropna().unique())


def one_indicator(frame: pd.DataFrame, indicator: str, year: int | None = None) -> pd.DataFrame:
    """The rows of one indicator (and year) in the shape of the chart builders: the office slug as
    `sozialraum_id`, its name as `sozialraum`."""
    f = frame[frame["indikator"] == indicator]
    if year is not None:
        f = f[f["jahr"] == year]
    return f.rename(columns={"tenant": "sozialraum_id", "name": "sozialraum"}).reset_index(drop=True)


def scatter_points(frame: pd.DataFrame, year: int, x: str = "sgb2_quote_u15", y: str = "hze_dichte",
                   size: str = "bev_u21") -> pd.DataFrame:
    """One row per office of `year` with both `x` and `y` published (neither missing nor suppressed): columns
    `sozialraum_id` (slug), `sozialraum` (name), x, y, size, `auffaellig` (always False: offices are not flagged)."""
    f = frame[(frame["jahr"] == year) & frame["indikator"].isin([x, y, size])]
    rows: dict[str, dict] = {}
    for r in f.itertuples(index=False):
        rec = rows.setdefault(r.tenant, {"sozialraum_id": r.tenant, "sozialraum": r.name, x: np.nan, y: np.nan,
                                         size: np.nan})
        if not r.unterdrueckt and not pd.isna(r.wert):
            rec[r.indikator] = float(r.wert)
    out = pd.DataFrame(list(rows.values()), columns=["sozialraum_id", "sozialraum", x, y, size])
    out = out[out[x].notna() & out[y].notna()].reset_index(drop=True)
    out["auffaellig"] = False
    return out


def least_squares(points: pd.DataFrame, x: str = "sgb2_quote_u15", y: str = "hze_dichte"
                  ) -> tuple[float, float, float | None] | None:
    """(slope, intercept, R²) of the unweighted least-squares line over the points; None with fewer than 3
    points or equal x (a line through two offices says nothing)."""
    if len(points) < 3:
        return None
    xs, ys = points[x].to_numpy(dtype="float64"), points[y].to_numpy(dtype="float64")
    mx, my = xs.mean(), ys.mean()
    sxx = float(((xs - mx) ** 2).sum())
    if sxx == 0:
        return None
    slope = float(((xs - mx) * (ys - my)).sum() / sxx)
    intercept = float(my - slope * mx)
    sst = float(((ys - my) ** 2).sum())
    sse = float(((ys - (intercept + slope * xs)) ** 2).sum())
    return slope, intercept, (1 - sse / sst) if sst > 0 else None
