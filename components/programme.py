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


def office_gesamt(t: Tenant) -> pd.DataFrame:
    """One office's suppressed `GESAMT` frame (`programme.tenant_gesamt`), cached per office and data version."""
    # the key: id, data version, creation time and database (an id can come back after a deletion on SQLite)
    return _office_gesamt(t.id, (t.data_version, t.created_at.isoformat(), str(session.engine().url)), t.slug, t.name)


_cached = office_gesamt


def comparison(peer_group: bool = False) -> pd.DataFrame:
    """The comparison of all confirmed, consenting offices (all years and indicators), suppressed; without the peer
    group column it comes from the cache keyed by every participant's data version (data_access.comparison_frame),
    so a filter change on the Vergleich page does not assemble it again."""
    if not peer_group:
        from components import data_access

        return data_access.comparison_frame()
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


def ranking(frame: pd.DataFrame, label: str, unit: str, year: int, source: str) -> go.Figure:
    """Bars of the offices on one indicator and year, highest on top, suppressed ones labelled ".". No reference
    line: offices are compared with each other, not with a total."""
    fig = ranking_bar(frame, label, unit, year, source=source,
                      title=chart_title(label, unit, [year], by="nach Jugendamt"), y_title="Jugendamt")
    return fig


def multiples(frame: pd.DataFrame, label: str, unit: str, source: str) -> go.Figure:
    years = frame["jahr"].dropna().astype(int).tolist()
    return small_multiples(frame, label, unit, source=source, series_name="Jugendamt",
                           title=chart_title(label, unit, years, by="je Jugendamt über die Jahre"))


def scatter(points: pd.DataFrame, year: int, source: str) -> tuple[go.Figure, tuple | None]:
    """SGB-II-Quote against Eckwert HzE, one point per office (area ∝ Einwohner unter 21), with the least-squares
    line from 3 offices on."""
    fit = programme.least_squares(points)
    slope, intercept = (fit[0], fit[1]) if fit else (None, None)
    fig = scatter_sgb2_eckwert(points, slope=slope, intercept=intercept, year=year, source=source,
                               title=f"Eckwert HzE (ohne EB) je 1.000 unter 21 und SGB-II-Quote unter 15 (%) "
                                     f"nach Jugendamt, {int(year)}", point_name="Jugendamt")
    return fig, fit


def source_line(n_offices: int) -> str:
    return (f"Quelle: Strategiekarte · Programmvergleich von {n_offices} Jugendämtern (Gesamtwerte) · Stand "
            f"{fmt_date_de(pd.Timestamp.now())}")


# ------------------------------------------------------------------------------------------------- peer groups
GROUP_COLUMNS_DE = {"label": "Vergleichsgruppe", "mitglieder": "Jugendämter", "werte": "mit Wert",
                    "minimum": "Minimum", "q1": "unteres Quartil", "median": "Median", "q3": "oberes Quartil",
                    "maximum": "Maximum"}


def participant_types() -> dict[str, str]:
    """Slug -> Gebietstyp of the offices in the comparison (what the peer groups are formed by, with the
    SGB-II-Quote and the size from the comparison itself)."""
    return {t.slug: t.typ for t in programme.participants(session.engine())}


def without_band_text(row, minimum: int) -> str:
    """Why a group has no band: '„Landkreise, …“: kein Band – 2 von 4 Jugendämtern mit Wert (mindestens 3 nötig).'"""
    n, m = int(row["werte"]), int(row["mitglieder"])
    have = f"{n} von {m} Jugendämtern mit Wert" if m != 1 else f"{n} von 1 Jugendamt mit Wert"
    return f"„{row['label']}“: kein Band – {have} (mindestens {minimum} nötig)."


def render_group_bands(frame: pd.DataFrame, assignments: dict, indicator: str, year: int, source: str) -> None:
    """The coordinators' distribution bands of one indicator and year per peer group (minimum, quartiles, median,
    maximum; from 3 values on), with a sentence for each group too small for a band and the offices without a
    group named."""
    from components.bands import groups_figure
    from components.charts import render_chart
    from components.theme import md_escape
    from data_models.indicators.catalogue import CATALOGUE
    from data_models.peer_groups import MIN_MEMBERS_COORDINATOR, group_table

    ind = CATALOGUE[indicator]
    groups = group_table(frame, assignments, indicator, year, "coordinator")
    with_band = groups[groups["q1"].notna()]
    if len(with_band):
        table = with_band[list(GROUP_COLUMNS_DE)]
        render_chart(groups_figure(groups, ind.label, ind.unit, year=year, source=source),
                     filename=f"vergleichsgruppen_{indicator}_{year}", key="cmp_bands", indicator=indicator,
                     table=table.rename(columns=GROUP_COLUMNS_DE))
    elif len(groups):
        st.info(f"Keine Vergleichsgruppe hat {MIN_MEMBERS_COORDINATOR} oder mehr Werte für {ind.label} {year}: "
                "ein Verteilungsband braucht mindestens 3 Werte.")
    small = [md_escape(without_band_text(row, MIN_MEMBERS_COORDINATOR))
             for _, row in groups[groups["q1"].isna()].iterrows()]
    if small:
        st.caption("  \n".join(small))
    names = frame.drop_duplicates("tenant").set_index("tenant")["name"].to_dict() if len(frame) else {}
    alone = [names.get(t, t) for t, a in assignments.items() if a.gruppe is None]
    if alone:
        reason = next(a.begruendung for a in assignments.values() if a.gruppe is None)
        st.caption(md_escape(f"Ohne Vergleichsgruppe: {', '.join(sorted(alone))} – {reason}"))
