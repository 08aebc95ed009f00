"""Cached access to a tenant's data for pages: keyed by (tenant id, data version), never by session state.

The data version comes from the database on every run, so a second app process sees a new upload on its next rerun.
The derived Dataset, the indicator and the breakdown frames are shared read-only through `st.cache_resource`:
copying them on every rerun would cost more than the rerun budget, and handing out the same objects lets the
memo of `data_models/memo.py` recognise them (the page's views and charts of one data version are then computed
once per process). Never change a frame you get from here (pandas' copy-on-write keeps filtering and `assign`
safe; `frame[col] = ...` on it is not).
"""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from components import session
from data_models import store
from data_models.schema import Dataset
from data_models.tenant_data import load_dataset


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _dataset(tenant_id: int, data_version: int, tenant_name: str) -> Dataset:
    ds = load_dataset(session.engine(), tenant_id, tenant_name)
    _freeze_long_lived()
    return ds


def _freeze_long_lived() -> None:
    """Move what is alive now (modules, plotly's validators, cached data) out of the garbage collector's sight.

    A full collection walks every tracked object; with the libraries and a loaded data version that took 140 ms,
    in the middle of some page rerun (bench/results/latest.md). After a data version is loaded (which costs a
    second anyway) we collect once and freeze the survivors (`gc.freeze`), so later full collections only walk
    what was created since. Frozen objects are still freed by reference counting when they are dropped."""
    import gc

    gc.collect()
    gc.freeze()


def data_version(tenant_id: int) -> int:
    return store.data_version(session.engine(), tenant_id)


def version_key(tenant) -> tuple:
    """What makes a cached frame the tenant's current one: its data version, its creation time and the database.
    The id alone is not enough: SQLite hands the id of a deleted tenant (the last one) to the next new tenant,
    whose data version starts again at 1, and one process may serve several databases (tests).
    The data version is the one read with the tenant at the start of this run (`session.context` reads the tenant
    from the database on every run): one query per run instead of one per cached frame. Pages that change data
    rerun afterwards."""
    version = getattr(tenant, "data_version", None)
    if version is None:
        version = data_version(tenant.id)
    return int(version), tenant.created_at.isoformat(), str(session.engine().url)


def dataset(ctx) -> Dataset:
    """The current Dataset of the context's tenant (do not mutate: it is shared)."""
    return _dataset(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name)


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _indicators(tenant_id: int, version: int, tenant_name: str, public: bool) -> pd.DataFrame:
    from data_models.indicators.engine import compute_indicators

    frame = compute_indicators(_dataset(tenant_id, version, tenant_name))
    if public:
        from data_models.privacy import suppress

        frame = suppress(frame, kind="indicators", public=True)
    return frame


def indicators(ctx) -> pd.DataFrame:
    """All indicators of the tenant (suppressed when the figures leave the tenant). Shared: do not change it."""
    return _indicators(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name, ctx.public)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _quality(tenant_id: int, version: int, tenant_name: str, public: bool) -> list:
    from data_models import quality

    ds = _dataset(tenant_id, version, tenant_name)
    return quality.check(ds, _indicators(tenant_id, version, tenant_name, public),
                         store.inventory(session.engine(), tenant_id))


def quality_lines(ctx) -> list:
    """The data-quality lines (`quality.check`) of the tenant, once per data version: the Übersicht shows their
    summary on every rerun, and the check costs more than a rerun may (bench/results/latest.md)."""
    return _quality(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name, ctx.public)


@st.cache_resource(max_entries=128, ttl=3600, show_spinner=False)
def _breakdown(tenant_id: int, version: int, tenant_name: str, table: str, public: bool) -> pd.DataFrame:
    from data_models.indicators.breakdowns import compute_breakdown

    frame = compute_breakdown(_dataset(tenant_id, version, tenant_name), table)
    if public:
        from data_models.privacy import suppress

        frame = suppress(frame, kind="breakdown", public=True)
    # `attrs` (the table name and the case counts of multiple-answer tables, used by the suppression above) is
    # deep-copied by pandas on every operation on the frame and its slices: with 300 entries that made each
    # filter on a page cost milliseconds. Pages take denominators from the indicators instead.
    frame.attrs = {}
    return frame


def breakdown(ctx, table: str) -> pd.DataFrame:
    return _breakdown(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name, table, ctx.public)


@st.cache_data(ttl=60, max_entries=64, show_spinner=False)
def _source(tenant_id: int, version: int, tenant_name: str) -> str:
    last = store.last_version(session.engine(), tenant_id)
    if last is None:
        return f"Quelle: Strategiekarte · {tenant_name} · noch keine Daten"
    return f"Quelle: Strategiekarte · {tenant_name} · Datenstand: Version {last.version} vom {last.zeitpunkt:%d.%m.%Y}"


def source_line(ctx) -> str:
    return _source(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name)


@st.cache_data(show_spinner=False)
def masterdatei_template() -> bytes:
    from data_models.template import write_template

    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


# --- the programme comparison for a tenant's own pages (peer-group bands) ----------------------------------------
def participants_key() -> tuple:
    """What makes the cached comparison current: every participant's id, data version, creation time, slug, type
    and name, and the database. A new upload of any participant, a consent given or withdrawn, a confirmation or a
    changed Gebietstyp changes it (one small query per run)."""
    from data_models import programme

    eng = session.engine()
    return (tuple((t.id, t.data_version, t.created_at.isoformat(), t.slug, t.typ, t.name)
                  for t in programme.participants(eng)), str(eng.url))


@st.cache_data(max_entries=4, show_spinner="Vergleich mit ähnlichen Jugendämtern wird berechnet …")
def _compare(key: tuple) -> tuple[pd.DataFrame, dict[str, str]]:
    """The programme comparison (all participants, indicators and years; `GESAMT` only, suppressed) and the
    participants' types. Each office's frame comes from the per-office cache of components/programme.py, so a new
    upload recomputes only that office."""
    from components.programme import office_gesamt
    from data_models import programme

    frame = programme.compare_frame(session.engine(), gesamt=office_gesamt)
    return frame, {slug: typ for (_id, _v, _c, slug, typ, _name) in key[0]}


def comparison_frame() -> pd.DataFrame:
    """The programme comparison of all participants (`programme.compare_frame`), cached by their data versions."""
    return _compare(participants_key())[0]


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _tenant_comparison(key: tuple, slug: str, year: int, indicators: tuple[str, ...]):
    from data_models.peer_groups import tenant_comparison

    frame, types = _compare(key)
    return tenant_comparison(frame, types, slug, year, indicators)


def tenant_comparison(ctx, year: int, indicators=None):
    """The context's tenant against its peer group (`peer_groups.TenantComparison`: no other office's name or
    value), cached by the participants' data versions; the caller checks consent and role first."""
    from data_models.peer_groups import TENANT_INDICATORS

    return _tenant_comparison(participants_key(), ctx.tenant.slug, int(year),
                              tuple(indicators or TENANT_INDICATORS))
