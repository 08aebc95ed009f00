"""Tables in fixed German format, and the importer's findings.

`format_table` and `findings_view` are pure; `render_table` and `findings_table` draw with Streamlit.
Cells are plain text in `st.dataframe` (no HTML, no markdown), so user text needs no escaping there; captions
that quote user text (sheet and column names) escape it.
"""
from __future__ import annotations

import numbers
from collections import OrderedDict
from typing import Iterable, Mapping, Sequence

import pandas as pd

from data_models.memo import memoize
from components.theme import (
    NO_DATA,
    NO_DATA_FOOTNOTE,
    SUPPRESSED,
    SUPPRESSED_FOOTNOTE,
    decimals_for,
    fmt_date_de,
    fmt_de,
    is_missing,
    md_escape,
)
from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding, findings_frame, sort_findings
from data_models.tabular_export import TIDY_COLUMNS_DE, is_flag_column, suppression_masks

YEAR_COLUMNS = ("jahr", "berichtsjahr", "gueltig_ab", "gueltig_bis", "beginn_jahr", "ende_jahr", "version", "zeile")
FINDINGS_PER_GROUP = 50


def _cell(v, decimals: int | None) -> str:
    if is_missing(v):
        return NO_DATA
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "ja" if v else "nein"
    if isinstance(v, numbers.Integral):
        return fmt_de(int(v), 0)
    if isinstance(v, numbers.Real):
        if decimals is None:
            decimals = 0 if float(v).is_integer() else 1
        return fmt_de(float(v), decimals)
    if hasattr(v, "strftime"):
        return fmt_date_de(v)
    return str(v)


@memoize(maxsize=256)
def format_table(frame: pd.DataFrame, *, columns_de: Mapping[str, str] | None = None,
                 decimals: int | Mapping[str, int] | None = None, zero_dash: bool = False
                 ) -> tuple[pd.DataFrame, list[str]]:
    """Every cell as German text: numbers 1.234,5 (rounded half away from zero), years without separator,
    "." for suppressed values (flag column `unterdrueckt` or `<col>_unterdrueckt`, dropped from the view),
    "keine Daten" for null, optionally "–" for 0. The value column `wert` of a tidy frame takes its decimals from
    the row's `einheit` (counts 0, else 1) unless `decimals` says otherwise. Returns (table, footnotes)."""
    masks = suppression_masks(frame)
    names = columns_de if columns_de is not None else TIDY_COLUMNS_DE
    out = {}
    any_missing = False
    units = frame["einheit"].astype(object).tolist() if "einheit" in frame.columns else None
    for col in frame.columns:
        if is_flag_column(col):
            continue
        values = frame[col].astype(object).tolist()
        if col in YEAR_COLUMNS:
            texts = ["" if is_missing(v) else str(int(v)) for v in values]
        else:
            dec = decimals.get(col) if isinstance(decimals, Mapping) else decimals
            texts = []
            for i, v in enumerate(values):
                d = dec
                if d is None and col == "wert" and units is not None and not is_missing(units[i]):
                    d = decimals_for(units[i])
                if zero_dash and isinstance(v, numbers.Number) and not is_missing(v) and v == 0:
                    texts.append("–")
                    continue
                if is_missing(v) and not (col in masks and bool(masks[col].iloc[i])):
                    any_missing = True
                texts.append(_cell(v, d))
        if col in masks:
            texts = [SUPPRESSED if s else t for t, s in zip(texts, masks[col].tolist())]
        out[str(names.get(col, col))] = texts
    table = pd.DataFrame(out, dtype=object)
    notes = []
    if any(bool(m.any()) for m in masks.values()):
        notes.append(SUPPRESSED_FOOTNOTE)
    if any_missing:
        notes.append(NO_DATA_FOOTNOTE)
    if zero_dash:
        notes.append("„–“ = genau null.")
    return table, notes


def numeric_columns(frame: pd.DataFrame, columns_de: Mapping[str, str] | None = None) -> list[str]:
    """German headers of the numeric columns (shown right-aligned)."""
    names = columns_de if columns_de is not None else TIDY_COLUMNS_DE
    return [str(names.get(c, c)) for c in frame.columns
            if not is_flag_column(c) and c not in YEAR_COLUMNS and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]


def render_table(frame: pd.DataFrame, *, columns_de: Mapping[str, str] | None = None,
                 decimals: int | Mapping[str, int] | None = None, zero_dash: bool = False,
                 caption: str | None = None, key: str | None = None, height="auto",
                 wide: Sequence[str] = ()) -> None:
    """A German-formatted table with its footnotes below ("." = geheim zu halten ...); `wide` names (shown) text
    columns that get the large width, so long texts are not cut."""
    import streamlit as st

    table, notes = format_table(frame, columns_de=columns_de, decimals=decimals, zero_dash=zero_dash)
    config = {c: st.column_config.TextColumn(c, alignment="right") for c in numeric_columns(frame, columns_de)}
    config.update({c: st.column_config.TextColumn(c, width="large") for c in wide if c in table.columns})
    st.dataframe(table, hide_index=True, column_config=config, key=key, height=height)
    for n in ([caption] if caption else []) + notes:
        st.caption(md_escape(n))


# --- findings -----------------------------------------------------------------------------------------
def _group_key(f: Finding) -> tuple:
    return (f.datei, f.blatt, f.spalte, f.art or f.schwere)


def limit_findings(findings: Iterable[Finding], per_group: int = FINDINGS_PER_GROUP
                   ) -> tuple[list[Finding], list[dict]]:
    """At most `per_group` findings per file, sheet, column and kind (`Finding.art`, else the severity), in the
    contract's order. Returns (shown, omitted groups: {"datei", "blatt", "spalte", "schwere", "beispiel",
    "weitere"})."""
    shown: list[Finding] = []
    groups: "OrderedDict[tuple, dict]" = OrderedDict()
    counts: dict[tuple, int] = {}
    for f in sort_findings(findings):
        key = _group_key(f)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= per_group:
            shown.append(f)
        else:
            g = groups.setdefault(key, {"datei": f.datei, "blatt": f.blatt, "spalte": f.spalte, "schwere": f.schwere,
                                        "beispiel": f.meldung, "weitere": 0})
            g["weitere"] += 1
    return shown, list(groups.values())


def findings_summary(findings: Sequence[Finding]) -> str:
    """'2 Fehler, 1 Warnung, 3 Hinweise' (only severities that occur); 'keine Meldungen' when empty."""
    forms = {FEHLER: ("Fehler", "Fehler"), WARNUNG: ("Warnung", "Warnungen"), HINWEIS: ("Hinweis", "Hinweise")}
    parts = []
    for sev in (FEHLER, WARNUNG, HINWEIS):
        n = sum(1 for f in findings if f.schwere == sev)
        if n:
            parts.append(f"{fmt_de(n, 0)} {forms[sev][0] if n == 1 else forms[sev][1]}")
    return ", ".join(parts) if parts else "keine Meldungen"


def omitted_text(group: dict) -> str:
    """German note for an omitted group; user text (file, sheet, column, message) is markdown-escaped."""
    where = []
    if group["blatt"]:
        where.append(f"Blatt „{md_escape(group['blatt'])}“")
    if group["spalte"]:
        where.append(f"Spalte „{md_escape(group['spalte'])}“")
    if group["datei"] and not where:
        where.append(f"Datei „{md_escape(group['datei'])}“")
    example = group["beispiel"] if len(group["beispiel"]) <= 90 else group["beispiel"][:87] + "…"
    n = group["weitere"]
    what = "weitere Meldung" if n == 1 else "weitere Meldungen"
    loc = f" in {', '.join(where)}" if where else ""
    return (f"… und {fmt_de(n, 0)} {what} ({md_escape(group['schwere'])}) wie „{md_escape(example)}“{loc}; "
            f"die vollständige Liste steht im Download.")


def findings_view(findings: Sequence[Finding], per_group: int = FINDINGS_PER_GROUP
                  ) -> tuple[pd.DataFrame, list[str]]:
    """The table shown (German headers Schwere, Datei, Blatt, Zeile, Spalte, Wert, Meldung) and the notes about
    what was left out."""
    shown, omitted = limit_findings(findings, per_group)
    frame = findings_frame(shown)
    return frame, [omitted_text(g) for g in omitted]


def findings_table(findings: Sequence[Finding], *, name: str = "meldungen", key: str | None = None,
                   per_group: int = FINDINGS_PER_GROUP, verdict: bool = False) -> None:
    """The counts per severity, the (limited) findings table, notes on what was left out, and downloads of the
    full list (`name` = file name stem of the downloads). With `verdict`, also a coloured box that says whether
    the file can be taken over (leave it off when the page says so itself)."""
    import streamlit as st

    from components.downloads import download_buttons
    from data_models.tabular_export import safe_filename

    key = key or f"meldungen_{safe_filename(name)}"
    findings = list(findings)
    summary = findings_summary(findings)
    if verdict:
        if any(f.schwere == FEHLER for f in findings):
            st.error(f"{summary}. Die Datei wurde nicht übernommen; bitte korrigieren Sie die Fehler und laden Sie "
                     f"sie erneut hoch.", icon=":material/error:")
        elif findings:
            st.warning(f"{summary}. Die Daten können übernommen werden.", icon=":material/warning:")
        else:
            st.success("Keine Meldungen: Die Datei ist in Ordnung.", icon=":material/check_circle:")
    if not findings:
        if not verdict:
            st.markdown("**Meldungen:** keine")
        return
    if not verdict:
        st.markdown(f"**Meldungen:** {summary}")
    frame, notes = findings_view(findings, per_group)
    st.dataframe(frame, hide_index=True, key=f"{key}_tabelle",
                 column_config={"Zeile": st.column_config.NumberColumn("Zeile", format="%d"),
                                "Meldung": st.column_config.TextColumn("Meldung", width="large")})
    for n in notes:
        st.caption(n)
    download_buttons(findings_frame(findings), name, key=key, columns_de={}, label="Alle Meldungen")
