from datetime import date, datetime

import plotly.graph_objects as go

from components import theme


def _luminance(hex_color: str) -> float:
    r, g, b, _ = theme.hex_to_rgba(hex_color)

    def lin(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def test_template_has_german_separators_and_palette():
    assert theme.TEMPLATE.layout.separators == ",."  # decimal comma, thousands dot
    assert list(theme.TEMPLATE.layout.colorway) == theme.CATEGORICAL
    fig = go.Figure(layout=dict(template=theme.TEMPLATE))
    assert fig.layout.template.layout.separators == ",."


def test_categorical_is_okabe_ito_without_black():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    # all but the last (a neutral grey for an 8th category) are Okabe-Ito; black is reserved for the reference
    assert set(theme.CATEGORICAL[:7]) <= okabe_ito
    assert theme.REFERENCE_COLOR not in theme.CATEGORICAL
    assert len(set(theme.CATEGORICAL)) == len(theme.CATEGORICAL)


def test_sequential_gets_darker_for_every_class_count():
    for k in range(1, 10):
        colors = theme.sequential(k)
        assert len(colors) == k
        lum = [_luminance(c) for c in colors]
        assert lum == sorted(lum, reverse=True), k
    assert theme.sequential(5) == ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]  # ColorBrewer Blues 5


def test_hex_to_rgba():
    assert theme.hex_to_rgba("#08519c", 220) == [8, 81, 156, 220]  # 0x08=8, 0x51=81, 0x9c=156


def test_fmt_de_rounds_half_away_from_zero():
    assert theme.fmt_de(1234.56, 1) == "1.234,6"
    assert theme.fmt_de(31.45, 1) == "31,5"  # Excel rounding, not banker's / binary 31.4499..
    assert theme.fmt_de(1571, 0) == "1.571"
    assert theme.fmt_de(-2.25, 1) == "-2,3"


def test_fmt_value_and_change():
    assert theme.fmt_value(31.42, 1, unit="je 1.000 unter 21") == "31,4 je 1.000 unter 21"
    assert theme.fmt_value(None, 1) == "keine Daten"
    assert theme.fmt_value(5, 0, suppressed=True) == "."
    assert theme.fmt_change(3.0, "pp") == "+3,0 Prozentpunkte"
    assert theme.fmt_change(-5.24, "%") == "-5,2 %"
    assert theme.fmt_change(0.0, "%") == "±0,0 %"
    assert theme.fmt_change(None, "%") == ""


def test_source_line():
    assert theme.source_line(3, date(2025, 3, 12)) == "Quelle: Upload Version 3 vom 12.03.2025 · Strategiekarte"
    assert theme.source_line(4, datetime(2025, 1, 2, 13, 5), tenant="Jugendamt Musterstadt") == (
        "Quelle: Upload Version 4 vom 02.01.2025 · Jugendamt Musterstadt · Strategiekarte")
    assert theme.source_line() == "Quelle: Strategiekarte"


def test_escaping():
    assert theme.esc("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert theme.md_escape("<b>*Nord*</b>") == "&lt;b&gt;\\*Nord\\*&lt;/b&gt;"
    assert theme.md_escape("[Link](http://x)") == "\\[Link\\]\\(http\\://x\\)"


def test_titles_and_axis_titles():
    assert theme.axis_title("Eckwert HzE (ohne EB)", "je 1.000 unter 21") == "Eckwert HzE (ohne EB), je 1.000 unter 21"
    assert theme.axis_title("Anteil unter 21", "%") == "Anteil unter 21 in %"
    assert theme.chart_title("Eckwert HzE", "je 1.000 unter 21", [2021, 2022, 2023]) == (
        "Eckwert HzE je 1.000 unter 21, 2021–2023")
    assert theme.chart_title("Anteil unter 21", "%", [2023], where="<i>Süd</i>", by="nach Sozialraum") == (
        "Anteil unter 21 (%) nach Sozialraum, &lt;i&gt;Süd&lt;/i&gt;, 2023")
    assert theme.years_text([2019, 2021]) == "2019, 2021"


def test_plotly_config_png_download():
    cfg = theme.plotly_config("HzE-Fälle § 27 / 2023")
    assert cfg["locale"] == "de"
    assert cfg["toImageButtonOptions"]["format"] == "png"
    assert cfg["toImageButtonOptions"]["filename"] == "HzE-Faelle_P_27_2023"
