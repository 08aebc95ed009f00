"""An honest empty state: what is missing for this view and what to upload (with a link to the upload page for
admins; members are told who can upload). `empty_state_text` is pure; `render_empty_state` draws it."""
from __future__ import annotations

from typing import Sequence

from components.theme import md_escape
from data_models.schema import KIND_LABELS, SHEETS

UPLOAD_PAGE = "pages/hochladen.py"
UPLOAD_PAGE_LABEL = "Daten hochladen"

# where each data kind comes from (German, for the user)
SOURCES = {
    **{kind: f"Masterdatei, Blatt „{sheet}“" for kind, sheet in SHEETS.items()},
    "hze_records": "Einzeldaten der HzE-Statistik (§§ 27 ff. SGB VIII) als Tabelle oder Festbreiten-Datei",
    "s8a_records": "Einzeldaten der Statistik der Gefährdungseinschätzungen (§ 8a SGB VIII)",
    "s42_records": "Einzeldaten der Statistik der vorläufigen Schutzmaßnahmen (§ 42 SGB VIII)",
    "zuordnung": "Zuordnungstabelle (Kennnummer → Sozialraum)",
    "geometrie": "Sozialraumgrenzen als GeoJSON oder gezipptes Shapefile",
}


def missing_line(kind: str) -> str:
    """'Bevölkerung (Masterdatei, Blatt „Bevölkerung“)'; text that is not a known kind is escaped as it is."""
    if kind in SOURCES:
        return f"{KIND_LABELS.get(kind, kind)} ({SOURCES[kind]})"
    return md_escape(kind)


def empty_state_text(missing: Sequence[str] = (), *, what: str | None = None, year: int | None = None,
                     is_admin: bool = False) -> str:
    """Markdown in German. `missing`: data kinds of `data_models.schema` (or short German texts);
    `what`: what this view would show (our text)."""
    head = "Für diese Ansicht fehlen Daten" if missing else "Es sind noch keine Daten hochgeladen"
    if year is not None:
        head += f" für {int(year)}"
    parts = [f"**{head}.**"]
    if what:
        parts.append(f"Hier erscheint {what}, sobald die nötigen Daten vorliegen.")
    if missing:
        parts.append("Es fehlt:\n" + "\n".join(f"- {missing_line(k)}" for k in missing))
    if is_admin:
        parts.append(f"Laden Sie die Daten auf der Seite „{UPLOAD_PAGE_LABEL}“ hoch. Die Vorlage der Masterdatei "
                     f"finden Sie dort ebenfalls.")
    else:
        parts.append(f"Eine Administratorin oder ein Administrator Ihres Jugendamts kann die Daten auf der Seite "
                     f"„{UPLOAD_PAGE_LABEL}“ hochladen.")
    return "\n\n".join(parts)


def render_empty_state(missing: Sequence[str] = (), *, what: str | None = None, year: int | None = None,
                       is_admin: bool = False, upload_page=UPLOAD_PAGE) -> None:
    """The text in an info box, and for admins a link to the upload page (when it is registered)."""
    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    st.info(empty_state_text(missing, what=what, year=year, is_admin=is_admin), icon=":material/info:")
    if is_admin:
        try:
            st.page_link(upload_page, label=f"Zur Seite „{UPLOAD_PAGE_LABEL}“", icon=":material/upload:")
        except StreamlitAPIException:  # page not in this session's navigation (e.g. a test app)
            pass
