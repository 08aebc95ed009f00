"""Views of the Sozialräume page that do not need Streamlit: the table of all indicators of one year with every
Sozialraum beside the municipality. Memoised per data version (data_models/memo.py): a filter change back to a
year seen before costs nothing."""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from data_models.formatting import fmt_de
from data_models.indicators.catalogue import CATALOGUE
from data_models.memo import memoize
from data_models.schema import GESAMT

ABOVE, BELOW = "▲", "▼"
MARGIN = 0.10  # more than 10 % away from the Gesamtwert


def mark(col_values, gesamt_values) -> list[str]:
    """▲ above the Gesamtwert by more than 10 %, ▼ below by more than 10 %, else empty (also without values or a
    Gesamtwert of 0)."""
    out = []
    for v, g in zip(col_values, gesamt_values):
        if v is None or g is None or pd.isna(v) or pd.isna(g) or g == 0:
            out.append("")
        elif v > g * (1 + MARGIN):
            out.append(ABOVE)
        elif v < g * (1 - MARGIN):
            out.append(BELOW)
        else:
            out.append("")
    return out


@memoize(maxsize=128)
def year_table(ind: pd.DataFrame, year: int, names: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, shown): one row per indicator of `year` (`Kennzahl`, `Einheit`, then `Gesamt` and one column per
    Sozialraum in `names` order, numbers), and the same as German text with ▲/▼ against the Gesamtwert."""
    values = ind[ind["jahr"] == year].pivot_table(index="indikator", columns="sozialraum_id", values="wert",
                                                   aggfunc="first")
    order = [s for s in [GESAMT, *names] if s in values.columns]
    table = values.reindex(columns=order)
    table.columns = ["Gesamt" if c == GESAMT else names.get(c, c) for c in table.columns]
    table.insert(0, "Einheit", [CATALOGUE[i].unit if i in CATALOGUE else "" for i in table.index])
    table.index = [CATALOGUE[i].label if i in CATALOGUE else i for i in table.index]
    table = table.reset_index().rename(columns={"index": "Kennzahl"})
    shown = table.copy()
    g = table["Gesamt"] if "Gesamt" in table.columns else [None] * len(table)
    for c in shown.columns[2:]:
        shown[c] = [("keine Daten" if pd.isna(v) else fmt_de(v, 1)) + (f" {m}" if m and c != "Gesamt" else "")
                    for v, m in zip(table[c], mark(table[c], g))]
    return table, shown
