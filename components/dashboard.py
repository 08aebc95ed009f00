"""What every dashboard page does first: check access, load the tenant's data, say honestly when data are missing."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import data_access, filters, session
from components.empty_state import render_empty_state
from components.text import escape_md
from data_models.indicators.catalogue import CATALOGUE
from data_models.schema import GESAMT, OHNE, Dataset


@dataclass
class Page:
    ctx: session.Context
    ds: Dataset
    ind: pd.DataFrame  # all indicators (suppressed when public)
    years: list[int]
    source: str

    def names(self) -> dict[str, str]:
        """Sozialraum id -> name, in sheet order (without OHNE)."""
        soz = self.ds["sozialraeume"]
        return {s: n for s, n in zip(soz["sozialraum_id"], soz["name"]) if s != OHNE}

    def one(self, indicator: str, year: int | None = None, sozialraum: str | None = None) -> pd.DataFrame:
        f = self.ind[self.ind["indikator"] == indicator]
        if year is not None:
            f = f[f["jahr"] == year]
        if sozialraum is not None:
            f = f[f["sozialraum_id"] == sozialraum]
        return f

    def value(self, indicator: str, year: int, sozialraum: str = GESAMT):
        f = self.one(indicator, year, sozialraum)
        return None if f.empty or pd.isna(f["wert"].iloc[0]) else float(f["wert"].iloc[0])

    def available(self, section: str | None = None) -> dict[str, str]:
        """Indicators (id -> label) of a section that have at least one value."""
        have = set(self.ind.loc[self.ind["wert"].notna(), "indikator"])
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


def unit(indicator: str) -> str:
    return CATALOGUE[indicator].unit


def help_text(indicator: str) -> str:
    return CATALOGUE[indicator].help


def md(text) -> str:
    return escape_md(text)
