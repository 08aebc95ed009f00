"""Cached access to a tenant's data for pages: keyed by (tenant id, data version), never by session state.

The data version comes from the database on every run, so a second app process sees a new upload on its next rerun.
The derived Dataset is shared read-only through `st.cache_resource` (copying large record frames on every rerun
would cost more than the rerun budget); indicator and breakdown frames are small and go through `st.cache_data`.
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
    return load_dataset(session.engine(), tenant_id, tenant_name)


def data_version(tenant_id: int) -> int:
    return store.data_version(session.engine(), tenant_id)


def version_key(tenant) -> tuple:
    """What makes a cached frame the tenant's current one: its data version, its creation time and the database.
    The id alone is not enough: SQLite hands the id of a deleted tenant (the last one) to the next new tenant,
    whose data version starts again at 1, and one process may serve several databases (tests)."""
    return data_version(tenant.id), tenant.created_at.isoformat(), str(session.engine().url)


def dataset(ctx) -> Dataset:
    """The current Dataset of the context's tenant (do not mutate: it is shared)."""
    return _dataset(ctx.tenant.id, version_key(ctx.tenant), ctx.tenant.name)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _indicators(tenant_id: int, version: int, tenant_name: str, public: bool) -> pd.DataFrame:
    from data_models.indicators.engine import compute_indicators

    frame = compute_indicators(_dataset(tenant_id, version, tenant_name))
    if public:
        from data_models.privacy import suppress

        frame = suppress(frame, kind="indicators", public=True)
    return frame


def indicators(ctx) -> pd.DataFrame:
    """All indicators of the tenant (suppressed when the figures leave the tenant)."""
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


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def _breakdown(tenant_id: int, version: int, tenant_name: str, table: str, public: bool) -> pd.DataFrame:
    from data_models.indicators.breakdowns import compute_breakdown

    frame = compute_breakdown(_dataset(tenant_id, version, tenant_name), table)
    if public:
        from data_models.privacy import suppress

        frame = suppress(frame, kind="breakdown", public=True)
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
