"""One look for every chart, map and table: palette, plotly template, German formats, source line.

Pure (no Streamlit). Colours:
- categories: Okabe-Ito (distinguishable with the common colour-vision deficiencies); black is kept for the
  reference (`GESAMT`), so it is not in the category cycle;
- levels (maps, classes): ColorBrewer "Blues", light = low, dark = high;
- a diverging scale (ColorBrewer "PuOr": orange below, purple above) only around a stated reference value (the
  municipality's value, a peer median, the regression line), and the reference is named in the legend;
- colours carry no judgement: no red/green "traffic light", no alarm colour for a selection or a high value;
  a highlighted (selected) Sozialraum is a darker shade of the bar colour;
- "keine Daten" and suppressed values: neutral grey, always named in text as well (no meaning by colour alone).
"""
from __future__ import annotations

import html
import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go

from data_models.tabular_export import SUPPRESSED, SUPPRESSED_FOOTNOTE, safe_filename

# --- German number format ------------------------------------------------------------------------------
try:  # the shared formatter, once the helper that owns it has written it
    from data_models.formatting import fmt_de  # type: ignore[attr-defined]
except ModuleNotFoundError as exc:  # pragma: no cover - fallback until data_models/formatting.py exists
    if exc.name != "data_models.formatting":
        raise

    def fmt_de(value, decimals: int = 1) -> str:
        """German number text: 1234.56 -> "1.234,6"; rounds half away from zero (as Excel); None/NaN -> "".

        `decimals=0` for counts. Uses Decimal on the shortest repr, so 31.45 -> "31,5" (not "31,4").
        """
        if value is None:
            return ""
        try:
            if value != value:  # NaN, pd.NA raises TypeError below
                return ""
        except TypeError:
            return ""
        if isinstance(value, float) and math.isinf(value):
            return ""
        d = Decimal(repr(float(value))) if not isinstance(value, int) else Decimal(value)
        q = Decimal(1).scaleb(-decimals)
        d = d.quantize(q, rounding=ROUND_HALF_UP)
        if d == 0:
            d = abs(d)  # no "-0,0"
        text = f"{d:,.{decimals}f}"  # 1,234.6
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


NO_DATA = "keine Daten"
NO_DATA_FOOTNOTE = "„keine Daten“ = eine benötigte Angabe fehlt oder die Bezugsgröße ist 0."


def is_missing(value) -> bool:
    """True for None, NaN and pd.NA."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pd.NA
        return True


def records(frame) -> list[dict]:
    """Rows as dicts of plain Python values, None for every kind of missing value (like
    `frame.astype(object).where(frame.notna(), None).to_dict("records")`, a few times faster: charts and maps
    call it on every rerun)."""
    if frame is None or len(frame) == 0:
        return []
    cols = list(frame.columns)
    data = [[None if is_missing(v) else v for v in frame[c].tolist()] for c in cols]
    return [dict(zip(cols, row)) for row in zip(*data)]


def fmt_value(value, decimals: int = 1, *, suppressed: bool = False, unit: str | None = None) -> str:
    """A value as shown in the UI: German number (+ unit), "." when suppressed, "keine Daten" when null."""
    if suppressed:
        return SUPPRESSED
    if is_missing(value):
        return NO_DATA
    text = fmt_de(value, decimals)
    return f"{text} {unit_suffix(unit)}".rstrip() if unit else text


def unit_suffix(unit: str | None) -> str:
    """The unit as written after a number ("31,4 je 1.000 unter 21", "12,5 %", "1.234 EUR")."""
    return unit or ""


def decimals_for(unit: str | None) -> int:
    """Counts are whole numbers, everything else one decimal."""
    return 0 if unit in COUNT_UNITS else 1


COUNT_UNITS = ("Personen", "Fälle", "Verfahren", "Maßnahmen")


def fmt_date_de(value) -> str:
    """A date as 31.12.2024 (datetime, date or ISO text)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def fmt_change(change, kind: str) -> str:
    """Change to the previous year: kind "%" -> "+5,2 %", kind "pp" -> "+3,0 Prozentpunkte"; None -> "".

    The sign comes from the rounded number ("±0,0" when it rounds to zero) and is a plain ASCII "-", so that
    Streamlit's metric draws the arrow the right way round.
    """
    if is_missing(change):
        return ""
    magnitude = fmt_de(abs(float(change)), 1)
    if magnitude == fmt_de(0.0, 1):
        sign = "±"
    else:
        sign = "-" if change < 0 else "+"
    return f"{sign}{magnitude} Prozentpunkte" if kind == "pp" else f"{sign}{magnitude} %"


# --- escaping user text -------------------------------------------------------------------------------
def esc(text) -> str:
    """HTML-escape user text (names) for plotly labels/hover text; plotly shows the entities as characters."""
    return html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def md_escape(text) -> str:
    """Escape user text for Streamlit markdown (labels, captions): HTML entities and markdown characters."""
    s = html.escape("" if text is None else str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


# --- palette ------------------------------------------------------------------------------------------
# Okabe & Ito (2008), without black (reserved for the reference) and with yellow last (weak on white).
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
REFERENCE_COLOR = "#000000"  # GESAMT, reference lines
HIGHLIGHT_COLOR = "#08306B"  # a selected Sozialraum: the darkest "Blues" shade (no alarm colour)
NO_DATA_COLOR = "#BDBDBD"  # keine Daten / geheim zu halten
GRID_COLOR = "#E5E5E5"
TEXT_COLOR = "#262730"
# patterns added to category colours from the 9th category on (no meaning by colour alone)
PATTERNS = ["", "/", "x", ".", "\\", "+", "-", "|"]

# ColorBrewer "Blues" (Cynthia Brewer, colorbrewer2.org), sequential, colour-blind safe
_BLUES = {
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    8: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
    9: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
}
# ColorBrewer "PuOr" (orange = below, purple = above the reference), colour-blind safe
_PUOR = {
    5: ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
}
SEQUENTIAL = _BLUES[9]
BELOW_COLOR, NEUTRAL_COLOR, ABOVE_COLOR = _PUOR[5][0], _PUOR[5][2], _PUOR[5][4]  # around a stated reference
LEVELS_NOTE = "Farben: hell = niedrigerer, dunkel = höherer Wert. Die Farben werten nicht."


def sequential(k: int) -> list[str]:
    """k sequential colours (light -> dark), 1 <= k <= 9."""
    if not 1 <= k <= 9:
        raise ValueError("classes must be between 1 and 9")
    if k == 1:
        return [_BLUES[3][1]]
    if k == 2:
        return [_BLUES[3][0], _BLUES[3][2]]
    return list(_BLUES[k])


def diverging(k: int = 5) -> list[str]:
    """k diverging colours (below reference -> neutral -> above), k = 5 or 7. Use only around a stated reference."""
    return list(_PUOR[k])


def category_color(i: int) -> str:
    return CATEGORICAL[i % len(CATEGORICAL)]


def category_pattern(i: int) -> str:
    return PATTERNS[(i // len(CATEGORICAL)) % len(PATTERNS)]


def hex_to_rgba(color: str, alpha: int = 255) -> list[int]:
    c = color.lstrip("#")
    return [int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha]


# --- plotly template ----------------------------------------------------------------------------------
FONT_FAMILY = '"Source Sans", "Source Sans Pro", Arial, sans-serif'

TEMPLATE = go.layout.Template(
    layout=dict(
        separators=",.",  # decimal comma, thousands dot
        font=dict(family=FONT_FAMILY, size=14, color=TEXT_COLOR),
        title=dict(x=0, xanchor="left", font=dict(size=17)),
        colorway=CATEGORICAL,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13), bgcolor="#FFFFFF"),
        legend=dict(title=dict(text=""), bgcolor="rgba(255,255,255,0)"),
        xaxis=dict(gridcolor=GRID_COLOR, zerolinecolor="#BBBBBB", linecolor="#888888", ticks="outside",
                   automargin=True, title=dict(standoff=8)),
        yaxis=dict(gridcolor=GRID_COLOR, zerolinecolor="#BBBBBB", linecolor="#888888", ticks="outside",
                   automargin=True, title=dict(standoff=8),
                   exponentformat="none", separatethousands=True),  # 15.000, not 15k
        margin=dict(l=10, r=20, t=70, b=95),
        hovermode="closest",
    )
)
TEMPLATE_NAME = "strategiekarte"


def register_template() -> None:
    """Register the template under plotly.io.templates["strategiekarte"] (optional; figures carry it anyway)."""
    import plotly.io as pio

    pio.templates[TEMPLATE_NAME] = TEMPLATE


def axis_title(label: str, unit: str | None) -> str:
    """'Eckwert HzE (ohne EB), je 1.000 unter 21' / 'Anteil unter 21 in %' / 'Ausgaben HzE in EUR'."""
    if not unit:
        return label
    if unit.startswith("je "):
        return f"{label}, {unit}"
    return f"{label} in {unit}"


def years_text(years) -> str:
    ys = sorted({int(y) for y in years if not is_missing(y)})
    if not ys:
        return ""
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def chart_title(what: str, unit: str | None, years, where: str | None = None, by: str | None = None) -> str:
    """A title that says what is counted, per what, by what, where and for which year(s):
    'Eckwert HzE (ohne EB) je 1.000 unter 21 nach Sozialraum, 2023'. `where` (user text) is escaped here."""
    head = what
    if unit and unit.startswith("je "):
        head = f"{what} {unit}"
    elif unit:
        head = f"{what} ({unit})"
    if by:
        head = f"{head} {by}"
    parts = [head]
    if where:
        parts.append(esc(where))
    yt = years_text(years if isinstance(years, (list, tuple, set)) else [years])
    if yt:
        parts.append(yt)
    return ", ".join(parts)


def source_line(version: int | None = None, uploaded_at=None, *, tenant: str | None = None,
                app: str = "Strategiekarte", extra: str | None = None) -> str:
    """'Quelle: Upload Version 3 vom 12.03.2025 · Strategiekarte' (plain text; escape where it goes into HTML)."""
    parts = []
    if version is not None:
        upload = f"Upload Version {int(version)}"
        if uploaded_at:
            upload += f" vom {fmt_date_de(uploaded_at)}"
        parts.append(upload)
    elif uploaded_at:
        parts.append(f"Upload vom {fmt_date_de(uploaded_at)}")
    if tenant:
        parts.append(str(tenant))
    if extra:
        parts.append(str(extra))
    parts.append(app)
    return "Quelle: " + " · ".join(parts)


def plotly_config(filename: str = "diagramm") -> dict:
    """st.plotly_chart(config=...): PNG download from the modebar with a safe file name, German UI where possible."""
    safe = safe_filename(filename, default="diagramm")
    return {
        "locale": "de",
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": safe, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
