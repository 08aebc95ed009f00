"""UI pieces of the coordinators' pages: the cached comparison (per office and data version), the board table and
the comparison charts (built by the shared chart builders, with offices in place of Sozialräume).

Only `data_models.programme` produces what these functions show: the board has no figures, and the comparison has
`GESAMT` rows only, already suppressed. The cache key of an office's frame is its id and data version (never a value
from the browser), so two offices never share a cached frame.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import session
from components.charts import ranking_bar, scatter_sgb2_eckwert, small_multiples
from components.theme import chart_title, fmt_date_de
from data_models import programme
from data_models.accounts import Tenant

BOARD_COLUMNS_DE = {
    "name": "Jugendamt", "typ": "Art", "schluessel": "Schlüssel", "registriert": "registriert am",
    "status": "Status", "zustimmung": "Programmvergleich", "daten": "Hochgeladene Daten (Arten und Jahre)",
    "letzter_upload": "letzter Upload", "uploads": "Uploads",
}


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _office_gesamt(tenant_id: int, version: tuple, slug: str, name: str) -> pd.DataFrame:
    from data_models.tenant_data import load_dataset

    return programme.tenant_gesamt(load_dataset(session.engine(), tenant_id, name), slug, name)


def _cached(t: Tenant) -> pd.DataFrame:
    # the key: id, data version, creation time and database (an id can come back after a deletion on SQLite)
    return _office_gesamt(t.id, (t.data_version, t.created_at.isoformat(), str(session.engine().url)), t.slug, t.name)


def comparison(peer_group: bool = False) -> pd.DataFrame:
    """The comparison of all confirmed, consenting offices (all years and indicators), suppressed."""
    return programme.compare_frame(session.engine(), peer_group_column=peer_group, gesamt=_cached)


def board_table(board: pd.DataFrame) -> pd.DataFrame:
    """The board in German words (dates as 31.12.2024, ja/nein), columns of BOARD_COLUMNS_DE."""
    out = pd.DataFrame({
        "name": board["name"], "typ": board["typ"], "schluessel": board["schluessel"],
        "registriert": board["registriert"].map(fmt_date_de),
        "status": board["bestaetigt"].map(lambda b: "bestätigt" if b else "unbestätigt"),
        "zustimmung": board["zustimmung"].map(lambda b: "stimmt zu" if b else "nein"),
        "daten": board["daten"],
        "letzter_upload": board["letzter_upload"].map(lambda d: fmt_date_de(d) if d is not None and d == d else "–"),
        "uploads": board["uploads"].astype(int),
    }, columns=list(BOARD_COLUMNS_DE))
    return out.rename(columns=BOARD_COLUMNS_DE)


def _relabel(fig: go.Figure, series_name: str = "Jugendamt") -> go.Figure:
    for trace in fig.data:
        if trace.name in ("Sozialraum",):
            trace.name = series_name
    return fig


def ranking(frame: pd.DataFrame, label: str, unit: str, year: int, source: str) -> go.Figure:
    """Bars of the offices on one indicator and year, highest on top, suppressed ones labelled ".". No reference
    line: offices are compared with each other, not with a total."""
    fig = ranking_bar(frame, label, unit, year, source=source,
                      title=chart_title(label, unit, [year], by="nach Jugendamt"))
    fig.update_yaxes(title=dict(text="Jugendamt"))
    return fig


def multiples(frame: pd.DataFrame, label: str, unit: str, source: str) -> go.Figure:
    years = frame["jahr"].dropna().astype(int).tolist()
    fig = small_multiples(frame, label, unit, source=source,
                          title=chart_title(label, unit, years, by="je Jugendamt über die Jahre"))
    return _relabel(fig)


def scatter(points: pd.DataFrame, year: int, source: str) -> tuple[go.Figure, tuple | None]:
    """SGB-II-Quote against Eckwert HzE, one point per office (area ∝ Einwohner unter 21), with the least-squares
    line from 3 offices on."""
    fit = programme.least_squares(points)
    slope, intercept = (fit[0], fit[1]) if fit else (None, None)
    fig = scatter_sgb2_eckwert(points, slope=slope, intercept=intercept, year=year, source=source,
                               title=f"Eckwert HzE (ohne EB) je 1.000 unter 21 und SGB-II-Quote unter 15 (%) "
                                     f"nach Jugendamt, {int(year)}")
    return _relabel(fig), fit


def source_line(n_offices: int) -> str:
    return (f"Quelle: Strategiekarte · Programmvergleich von {n_offices} Jugendämtern (Gesamtwerte) · Stand "
            f"{fmt_date_de(pd.Timestamp.now())}")
