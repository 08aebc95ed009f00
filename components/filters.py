"""Filters that matter for sharing live in the URL (`st.query_params`): a copied link reopens the same view.

They are also remembered in the session, so they survive switching pages (navigation drops the query string).
Parameters: `jahr`, `indikator`, `sr` (Sozialraum ids, comma-separated), `basis` (base year).
"""
from __future__ import annotations

from typing import Sequence

import streamlit as st

PARAMS = ("jahr", "indikator", "sr", "basis")
_STORE = "sk_filters"


def sync() -> None:
    """URL wins on a fresh load; otherwise restore the remembered filters into the URL."""
    remembered = st.session_state.setdefault(_STORE, {})
    for p in PARAMS:
        if p in st.query_params:
            remembered[p] = st.query_params[p]
        elif p in remembered:
            st.query_params[p] = remembered[p]


def _set(param: str, value) -> None:
    remembered = st.session_state.setdefault(_STORE, {})
    if value is None or value == "" or value == []:
        remembered.pop(param, None)
        if param in st.query_params:
            del st.query_params[param]
        return
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    remembered[param] = text
    st.query_params[param] = text


def _int(text) -> int | None:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return None


def year(years: Sequence[int], label: str = "Jahr", key: str = "f_jahr", where=st) -> int | None:
    """Select a year (default: the latest)."""
    years = sorted(int(y) for y in years)
    if not years:
        return None
    wanted = _int(st.query_params.get("jahr"))
    value = wanted if wanted in years else years[-1]
    chosen = where.selectbox(label, years[::-1], index=years[::-1].index(value), key=f"{key}_{value}")
    _set("jahr", chosen)
    return chosen


def base_year(years: Sequence[int], key: str = "f_basis", where=st) -> int | None:
    years = sorted(int(y) for y in years)
    if not years:
        return None
    wanted = _int(st.query_params.get("basis"))
    value = wanted if wanted in years else years[0]
    chosen = where.selectbox("Basisjahr (= 100)", years, index=years.index(value), key=f"{key}_{value}")
    _set("basis", chosen)
    return chosen


def indicator(options: dict[str, str], default: str, label: str = "Kennzahl", key: str = "f_ind", where=st) -> str:
    """Select an indicator id among `options` (id -> German label)."""
    ids = list(options)
    wanted = st.query_params.get("indikator")
    value = wanted if wanted in options else (default if default in options else ids[0])
    chosen = where.selectbox(label, ids, index=ids.index(value), format_func=options.get, key=f"{key}_{value}")
    _set("indikator", chosen)
    return chosen


def sozialraeume(options: dict[str, str], label: str = "Sozialräume", key: str = "f_sr", where=st) -> list[str]:
    """Select Sozialräume (id -> name); empty selection = all."""
    wanted = [s for s in str(st.query_params.get("sr", "")).split(",") if s in options]
    chosen = where.multiselect(label, list(options), default=wanted, format_func=options.get,
                               key=f"{key}_{','.join(wanted)}", placeholder="alle")
    _set("sr", chosen)
    return chosen
