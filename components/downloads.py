"""Download buttons for tables (CSV for German Excel, XLSX). The bytes are built in
`data_models.tabular_export` (pure, tested there); charts download as PNG from plotly's own modebar
(`components.theme.plotly_config`, used by `components.charts.render_chart`).

The bytes are built only when a button is clicked (Streamlit calls the function then), and a click does not
rerun the page.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from data_models.tabular_export import CSV_MIME, XLSX_MIME, csv_de_bytes, safe_filename, xlsx_bytes


def download_buttons(frame: pd.DataFrame, name: str, *, key: str | None = None,
                     columns_de: Mapping[str, str] | None = None, source: str | None = None,
                     label: str = "Tabelle", sheet_name: str = "Daten") -> None:
    """Two buttons side by side: "<label> als CSV (Excel)" and "<label> als Excel-Datei"."""
    import streamlit as st

    stem = safe_filename(name)
    key = key or f"dl_{stem}"
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(
            f"{label} als CSV (Excel)",
            data=_audited(lambda: csv_de_bytes(frame, columns_de, source=source), f"{stem}.csv"),
            file_name=f"{stem}.csv",
            mime=CSV_MIME,
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/download:",
            help="Semikolon-getrennt, Dezimalkomma, UTF-8: öffnet sich in deutschem Excel direkt richtig.",
        )
    with c2:
        st.download_button(
            f"{label} als Excel-Datei",
            data=_audited(lambda: xlsx_bytes(frame, columns_de, source=source, sheet_name=sheet_name), f"{stem}.xlsx"),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )


def _audited(build, file_name: str):
    """Wrap a byte builder so that a download by a user of a tenant is written to the tenant's audit log.

    Streamlit runs the builder when the button is clicked (outside the script run), so who and which tenant are
    taken now, at render time. Guests and coordinators are not logged (they have no tenant log)."""
    try:
        from components import session

        u = session.current_user()
        target = (session.engine(), u["tenant_id"], u["username"]) if u and u.get("tenant_id") else None
    except Exception:  # no Streamlit session (bare mode): nothing to log
        target = None
    if target is None:
        return build

    def run():
        from data_models.audit import log

        data = build()
        log(target[0], target[1], target[2], "download", file_name)
        return data

    return run
