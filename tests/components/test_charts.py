import math

import pandas as pd
import pytest

from components import charts, theme
from tests.components.factories import EVIL, SOURCE, strings_in, trend_frame

UNIT = "je 1.000 unter 21"
LABEL = "Eckwert HzE (ohne EB)"


def _ann(fig, name):
    found = [a for a in fig.layout.annotations if a.name == name]
    assert found, f"no annotation {name!r}"
    return found[0]


def _no_raw_script(fig):
    texts = strings_in(fig.to_plotly_json())
    assert not [t for t in texts if "<script" in t]
    assert any("&lt;script&gt;" in t for t in texts)


def _common(fig):
    assert fig.layout.separators == ",."
    assert fig.layout.template.layout.separators == ",."
    assert _ann(fig, "quelle").text == "Quelle: Upload Version 3 vom 12.03.2025 · Strategiekarte"


def test_trend_chart():
    fig = charts.trend_chart(trend_frame(), LABEL, UNIT, source=SOURCE)
    _common(fig)
    assert fig.layout.title.text == "Eckwert HzE (ohne EB) je 1.000 unter 21, 2021–2023"
    assert fig.layout.yaxis.title.text == "Eckwert HzE (ohne EB), je 1.000 unter 21"
    assert fig.layout.xaxis.title.text == "Jahr"
    assert list(fig.layout.xaxis.ticktext) == ["2021", "2022", "2023"]  # no "2.023"
    names = [t.name for t in fig.data]
    # GESAMT first, OHNE left out, the evil name escaped
    assert names == ["Gesamt", "Nord", "&lt;script&gt;alert(1)&lt;/script&gt;"]
    ges, nord, evil = fig.data
    assert ges.line.color == theme.REFERENCE_COLOR and ges.line.dash == "dash"
    assert nord.line.color == theme.CATEGORICAL[0] and evil.line.color == theme.CATEGORICAL[1]
    # 31.45 is shown as 31,5 (half away from zero); 1571 and 50000 with thousands dots
    assert nord.hovertext[2] == "<b>Nord</b><br>2023: 31,5 je 1.000 unter 21<br>Zähler: 1.571 · Nenner: 50.000"
    # the suppressed 2023 value is a gap with "." in the hover and a footnote
    assert list(evil.y) == [40.0, 41.0, None]
    assert "2023: ." in evil.hovertext[2] and "Zähler" not in evil.hovertext[2]
    assert theme.SUPPRESSED_FOOTNOTE in _ann(fig, "fussnote").text.replace("<br>", " ")
    _no_raw_script(fig)


def test_trend_chart_refuses_mixed_indicators():
    f = trend_frame()
    f.loc[0, "indikator"] = "hze_faelle"
    with pytest.raises(ValueError):
        charts.trend_chart(f, LABEL, UNIT)


def test_ranking_bar():
    fig = charts.ranking_bar(trend_frame(), LABEL, UNIT, 2023, source=SOURCE, highlight="01")
    _common(fig)
    assert fig.layout.title.text == "Eckwert HzE (ohne EB) je 1.000 unter 21 nach Sozialraum, 2023"
    assert fig.layout.xaxis.title.text == "Eckwert HzE (ohne EB), je 1.000 unter 21"
    bar = fig.data[0]
    # 2023: Nord 31.45, evil suppressed (bottom, "."), GESAMT and OHNE not bars
    assert list(bar.y) == ["Nord", "&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert list(bar.text) == ["31,5", "."]
    assert list(bar.x) == [31.45, 0.0]
    assert list(bar.marker.color) == [theme.HIGHLIGHT_COLOR, theme.CATEGORICAL[0]]
    assert fig.layout.yaxis.autorange == "reversed"  # highest on top
    ref = [s for s in fig.layout.shapes if s.name == "referenz"][0]
    assert ref.x0 == ref.x1 == 32.0  # GESAMT 2023
    assert _ann(fig, "referenz").text == "Gesamt: 32,0 je 1.000 unter 21"
    _no_raw_script(fig)


def test_ranking_bar_sorts_descending_with_missing_last():
    f = trend_frame()
    extra = f[(f.jahr == 2023) & (f.sozialraum_id == "01")].copy()
    extra["sozialraum_id"], extra["sozialraum"], extra["wert"] = "03", "Ost", 40.0
    extra2 = extra.copy()
    extra2["sozialraum_id"], extra2["sozialraum"], extra2["wert"] = "04", "West", pd.NA
    fig = charts.ranking_bar(pd.concat([f, extra, extra2]), LABEL, UNIT, 2023)
    assert list(fig.data[0].y)[:2] == ["Ost", "Nord"]
    assert list(fig.data[0].text) == ["40,0", "31,5", ".", "keine Daten"]
    assert theme.NO_DATA_FOOTNOTE in _ann(fig, "fussnote").text.replace("<br>", " ")


def _breakdown(n_cats: int) -> pd.DataFrame:
    rows = []
    for j in (2022, 2023):
        for c in range(n_cats):
            rows.append(dict(jahr=j, sozialraum_id="GESAMT", sozialraum="Gesamt", kategorie_code=f"{c:02d}",
                             kategorie=f"Kat {c}", anzahl=10 * (c + 1), anteil=100 / n_cats))
    return pd.DataFrame(rows)


def test_stacked_bar():
    fig = charts.stacked_bar(_breakdown(9), "HzE-Fälle nach Art der Hilfe", "%", source=SOURCE, where="Gesamt")
    _common(fig)
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "HzE-Fälle nach Art der Hilfe (%), Gesamt, 2022–2023"
    assert fig.layout.yaxis.title.text == "HzE-Fälle nach Art der Hilfe in %"
    assert list(fig.layout.yaxis.range) == [0, 100]
    assert [t.marker.color for t in fig.data[:8]] == theme.CATEGORICAL
    # the 9th category repeats the first colour, with a pattern
    assert fig.data[8].marker.color == theme.CATEGORICAL[0]
    assert fig.data[8].marker.pattern.shape == "/" and fig.data[0].marker.pattern.shape == ""
    # 100 / 9 = 11.11.. -> "11,1 %"
    assert fig.data[0].hovertext[0] == "<b>Kat 0</b><br>2022: 11,1 %"


def test_scatter_sgb2_eckwert():
    pts = pd.DataFrame({
        "sozialraum_id": ["GESAMT", "01", "02", "03", "04", "05"],
        "sozialraum": ["Gesamt", "Nord", EVIL, "Ost", "West", "Süd"],
        "sgb2_quote_u15": [15.0, 10.0, 20.0, 30.0, None, 25.0],
        "hze_dichte": [30.0, 25.0, 45.0, 80.0, 20.0, 20.0],
        "bev_u21": [20000.0, 4000.0, 1000.0, 2000.0, 3000.0, 1500.0],
        "auffaellig": [False, False, False, True, False, True],
    })
    fig = charts.scatter_sgb2_eckwert(pts, slope=2.0, intercept=5.0, year=2023, source=SOURCE, r2=0.456,
                                      line_years="2023")
    _common(fig)
    assert fig.layout.title.text == (
        "Eckwert HzE (ohne EB) je 1.000 unter 21 und SGB-II-Quote unter 15 (%) nach Sozialraum, 2023")
    assert fig.layout.xaxis.title.text == "SGB-II-Quote unter 15 in %"
    assert fig.layout.yaxis.title.text == "Eckwert HzE (ohne EB), je 1.000 unter 21"
    normal, above, below, line = fig.data
    assert list(normal.text) == ["Nord", "&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert list(normal.marker.size) == [4000.0, 1000.0]
    # area sizing: sizeref = 2 * max size / 44^2 = 2 * 4000 / 1936
    assert normal.marker.sizemode == "area" and math.isclose(normal.marker.sizeref, 8000 / 1936)
    # Ost: 80 > 5 + 2·30 = 65 -> above the line (purple); Süd: 20 < 5 + 2·25 = 55 -> below (orange)
    assert list(above.text) == ["Ost"] and above.marker.symbol == "diamond"
    assert above.marker.color == theme.ABOVE_COLOR and above.name.startswith("auffällig über der Geraden")
    assert list(below.text) == ["Süd"] and below.marker.color == theme.BELOW_COLOR
    assert "erwartet: 65,0 je 1.000 unter 21" in above.hovertext[0]
    # line from min x 10 to max x 30: y = 5 + 2x -> 25 and 65 (West has no x and is left out)
    assert list(line.x) == [10.0, 30.0] and list(line.y) == [25.0, 65.0]
    assert "Eckwert HzE (ohne EB) = 5,00 + 2,00 · SGB-II-Quote unter 15" == line.hovertext[0]
    # the reference is named in the legend, with equation and R²; the equation is written on the chart too
    assert line.name == "erwarteter Wert: Ausgleichsgerade 2023 (Eckwert = 5,00 + 2,00 × Quote, R² = 0,46)"
    assert _ann(fig, "gleichung").text == "Eckwert = 5,00 + 2,00 × Quote, R² = 0,46"
    note = _ann(fig, "fussnote").text.replace("<br>", " ")
    assert "Punktgröße: Einwohner unter 21" in note and "1 Sozialraum ohne Daten" in note
    assert "Einwohner unter 21: 4.000" in normal.hovertext[0]
    _no_raw_script(fig)


def test_wide_by_sozialraum():
    wide = charts.wide_by_sozialraum(trend_frame(), 2023, ["hze_dichte"])
    assert list(wide.sozialraum_id) == ["01", "02"]  # GESAMT and OHNE left out
    assert wide.hze_dichte.iloc[0] == 31.45 and math.isnan(wide.hze_dichte.iloc[1])  # suppressed -> NaN


def test_sparkline():
    fig = charts.sparkline([2021, 2022, 2023], [1200, None, 1571.0], unit="Fälle")
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert list(fig.data[0].hovertext) == ["2021: 1.200 Fälle", "2022: keine Daten", "2023: 1.571 Fälle"]
    assert fig.layout.separators == ",."


def test_small_multiples():
    fig = charts.small_multiples(trend_frame(), LABEL, UNIT, source=SOURCE, cols=2)
    _common(fig)
    titles = [a.text for a in fig.layout.annotations if a.name not in ("quelle", "fussnote")]
    assert titles == ["Nord", "&lt;script&gt;alert(1)&lt;/script&gt;"]
    # per panel a GESAMT reference and the Sozialraum: 2 panels x 2 traces; GESAMT in the legend once
    assert len(fig.data) == 4
    assert [t.name for t in fig.data if t.showlegend] == ["Gesamt", "Sozialraum"]
    assert fig.layout.title.text == "Eckwert HzE (ohne EB) je 1.000 unter 21 nach Sozialraum, 2021–2023"
    _no_raw_script(fig)
