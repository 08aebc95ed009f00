"""What every dashboard page does first: check access, load the tenant's data, say honestly when data are missing."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import data_access, filters, session
from components.empty_state import render_empty_state
from components.text import escape_md
from data_models.indicators.catalogue import CATALOGUE
from data_models.indicators.catalogue import short_label as short_label_of
from data_models.memo import memoize
from data_models.schema import GESAMT, OHNE, Dataset


@dataclass
class Page:
    ctx: session.Context
    ds: Dataset
    ind: pd.DataFrame  # all indicators (suppressed when public)
    years: list[int]
    source: str

    def names(self) -> dict[str, str]:
        """Sozialraum id -> name, in sheet order (without OHNE). Shared: do not change it."""
        return _names(self.ds["sozialraeume"])

    def one(self, indicator: str, year: int | None = None, sozialraum: str | None = None) -> pd.DataFrame:
        """The rows of one indicator (and year, and unit). Shared: do not change it."""
        return _one(self.ind, indicator, year, sozialraum)

    def value(self, indicator: str, year: int, sozialraum: str = GESAMT):
        f = self.one(indicator, year, sozialraum)
        return None if f.empty or pd.isna(f["wert"].iloc[0]) else float(f["wert"].iloc[0])

    def available(self, section: str | None = None) -> dict[str, str]:
        """Indicators (id -> label) of a section that have at least one value."""
        return _available(self.ind, section)


# per data version (the frames are the shared objects of data_access), see data_models/memo.py
@memoize(maxsize=64)
def _by_indicator(ind: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {k: f for k, f in ind.groupby("indikator", sort=False, observed=True)}


@memoize(maxsize=1024)
def _one(ind: pd.DataFrame, indicator: str, year: int | None, sozialraum: str | None) -> pd.DataFrame:
    f = _by_indicator(ind).get(indicator)
    if f is None:
        f = ind.iloc[0:0]
    if year is not None:
        f = f[f["jahr"] == year]
    if sozialraum is not None:
        f = f[f["sozialraum_id"] == sozialraum]
    return f


@memoize(maxsize=64)
def _names(soz: pd.DataFrame) -> dict[str, str]:
    return {s: n for s, n in zip(soz["sozialraum_id"], soz["name"]) if s != OHNE}


@memoize(maxsize=256)
def _available(ind: pd.DataFrame, section: str | None) -> dict[str, str]:
    have = set(ind.loc[ind["wert"].notna(), "indikator"])
    return {i.id: i.label for i in CATALOGUE.values() if i.id in have and (section is None or i.section == section)}


def start(title: str, intro: str | None = None, action: str = "view_dashboard") -> Page:
    """Header, access check, data; stops the page with an honest empty state when nothing is uploaded."""
    ctx = session.require(action)
    filters.sync()
    st.title(title)
    if ctx.tenant.is_demo:
        if ctx.role == "guest":
            st.query_params["demo"] = "1"  # so that a copied link opens the demo for anyone
        st.caption("Fiktive Demo-Kommune „Musterstadt“: alle Zahlen sind erfunden.")
    elif ctx.public:
        st.caption("Workshop-Ansicht: kleine Zahlen (1 oder 2) sind unterdrückt (.).")
    if intro:
        st.markdown(intro)
    ds = data_access.dataset(ctx)
    if not len(ds["sozialraeume"]) or not ds.years():
        render_empty_state(["sozialraeume", "bevoelkerung", "hze"], what=title, is_admin=ctx.role == "admin")
        st.stop()
    ind = data_access.indicators(ctx)
    return Page(ctx, ds, ind, ds.years(), data_access.source_line(ctx))


def label(indicator: str) -> str:
    return CATALOGUE[indicator].label


def short_label(indicator: str) -> str:
    """The label for titles and axes that add the unit themselves ("Inobhutnahmen je 10.000 unter 18" ->
    "Inobhutnahmen"), so the unit is not named twice."""
    return short_label_of(label(indicator), unit(indicator))


def unit(indicator: str) -> str:
    return CATALOGUE[indicator].unit


def help_text(indicator: str) -> str:
    return CATALOGUE[indicator].help


def md(text) -> str:
    return escape_md(text)
