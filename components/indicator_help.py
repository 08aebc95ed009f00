"""The help popover next to charts, maps and KPI tiles: the German explanation of the indicators shown
(data_models/indicators/help.py). `popover_text` is pure (the markdown the popover holds); `help_popover` draws it.

The texts are ours (no user input), so they go to Markdown unescaped.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from data_models.indicators.breakdowns import BREAKDOWNS
from data_models.indicators.catalogue import CATALOGUE
from data_models.indicators.help import breakdown_markdown, help_markdown

LABEL = "Erläuterung"
ICON = ":material/help:"
NOTE = ("Kennzahlen beschreiben, sie bewerten nicht: ein hoher Wert ist für sich genommen weder gut noch schlecht. "
        "Alle Kennzahlen erklärt die Seite „Kennzahlen erklärt“.")


def _ids(indicators: str | Iterable[str] | None) -> list[str]:
    if indicators is None:
        return []
    items = [indicators] if isinstance(indicators, str) else list(indicators)
    return [i for i in dict.fromkeys(items) if i in CATALOGUE]


def indicators_in(table: pd.DataFrame | None) -> list[str]:
    """The catalogue indicators a tidy table holds (column `indikator`), in order of appearance."""
    if table is None or "indikator" not in getattr(table, "columns", ()):
        return []
    return _ids(str(v) for v in table["indikator"].dropna().unique())


def popover_text(indicators: str | Sequence[str] | None = None, breakdown: str | None = None) -> str | None:
    """The popover's markdown for the given indicators and/or breakdown; None when there is nothing to explain."""
    ids = _ids(indicators)
    parts = []
    if breakdown in BREAKDOWNS:
        parts.append(f"#### {BREAKDOWNS[breakdown].label}\n\n{breakdown_markdown(breakdown)}")
    for i in ids:
        parts.append(help_markdown(i, level=4))
    if not parts:
        return None
    parts.append(f"*{NOTE}*")
    return "\n\n".join(parts)


def help_popover(indicators: str | Sequence[str] | None = None, *, breakdown: str | None = None,
                 key: str | None = None, label: str = LABEL) -> bool:
    """Draw the popover (a small button that opens the explanation); returns False when there is nothing to
    explain (then nothing is drawn)."""
    import streamlit as st

    text = popover_text(indicators, breakdown)
    if text is None:
        return False
    with st.popover(label, icon=ICON, key=key, help="Was die Kennzahl zählt, was sie bewegt, wie sie zu lesen ist"):
        st.markdown(text)
    return True
