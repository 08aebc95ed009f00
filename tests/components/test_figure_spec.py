"""components/figure_spec.py and the builders using it: the dict figures are valid plotly figures (they skip
plotly's validation when built, so the test validates them), subplots are laid out like make_subplots."""
import json

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components import charts
from components.figure_spec import Spec, subplots
from components.map import RawGeometry, build_choropleth
from tests.components.factories import SOURCE, square, tidy, trend_frame


def _valid(fig: go.Figure) -> go.Figure:
    """Raises ValueError when plotly's schema refuses a property."""
    return go.Figure(fig.to_dict())


def test_spec_methods_like_go_figure():
    s = Spec()
    s.add_trace(dict(type="bar", x=[1, 2], y=[3, 4]))
    s.update_xaxes(title=dict(text="Jahr"))
    s.update_yaxes(title=dict(text="Anzahl"), rangemode="tozero")
    s.update_layout(title=dict(text="T"), margin=dict(b=90))
    s.update_layout(margin=dict(t=40))  # merged, not replaced
    s.add_annotation(name="quelle", text="Q", x=0, y=0, xref="paper", yref="paper", showarrow=False)
    s.add_shape(type="line", x0=1, x1=1, y0=0, y1=1, yref="paper")
    fig = _valid(s.figure())
    assert fig.layout.xaxis.title.text == "Jahr" and fig.layout.yaxis.rangemode == "tozero"
    assert fig.layout.margin.b == 90 and fig.layout.margin.t == 40
    assert fig.layout.annotations[0].name == "quelle" and fig.layout.shapes[0].x0 == 1
    assert list(fig.data[0].y) == [3, 4]


def test_subplots_match_make_subplots():
    ours = subplots(2, 3, ["A", "B", "C", "D", "E"], vertical_spacing=0.12, horizontal_spacing=0.04)
    ours.add_trace(dict(type="scatter", x=[1], y=[2]), row=2, col=2)
    ours.update_xaxes(title=dict(text="Jahr"), row=2, col=1)
    theirs = make_subplots(rows=2, cols=3, shared_xaxes="all", shared_yaxes="all",
                           subplot_titles=["A", "B", "C", "D", "E"], vertical_spacing=0.12, horizontal_spacing=0.04)
    theirs.add_trace(go.Scatter(x=[1], y=[2]), row=2, col=2)
    theirs.update_xaxes(title=dict(text="Jahr"), row=2, col=1)
    a, b = ours.figure().to_dict(), theirs.to_dict()
    assert a["data"][0]["xaxis"] == b["data"][0]["xaxis"] == "x5"
    for k in ("xaxis", "xaxis4", "xaxis5", "yaxis5", "yaxis6"):
        assert a["layout"][k] == b["layout"][k], k
    assert [x["text"] for x in a["layout"]["annotations"]] == ["A", "B", "C", "D", "E"]
    assert a["layout"]["annotations"] == b["layout"]["annotations"]


def test_every_builder_gives_a_valid_figure():
    f = trend_frame()
    year = tidy([(2023, "N", "Nord", 31.45, 1571, 50000, False), (2023, "S", "Süd", 20.0, 200, 10000, False)])
    mix = tidy([(2022, "GESAMT", "Gesamt", 60.0, 6, 10, False)]).rename(columns={"wert": "anteil"})
    mix["kategorie_code"], mix["kategorie"] = "amb", "ambulant"
    points = charts.wide_by_sozialraum(year, 2023, ["hze_dichte"])
    points["sgb2_quote_u15"] = [10.0, 5.0]
    points["bev_u21"] = [5000.0, 1000.0]
    points["auffaellig"] = [True, False]
    figs = [
        charts.trend_chart(f, "Eckwert", "je 1.000 unter 21", source=SOURCE, y_tickformat=",.0f"),
        charts.ranking_bar(year, "Eckwert", "je 1.000 unter 21", 2023, source=SOURCE, highlight="N", y_title=""),
        charts.stacked_bar(mix, "Anteil", "%", source=SOURCE),
        charts.scatter_sgb2_eckwert(points, slope=1.0, intercept=2.0, year=2023, r2=0.5, source=SOURCE),
        charts.sparkline([2021, 2022], [1.0, None], unit="%"),
        charts.small_multiples(f, "Eckwert", "je 1.000 unter 21", source=SOURCE, series_name="Jugendamt"),
    ]
    for fig in figs:
        _valid(fig)
    assert figs[0].layout.yaxis.tickformat == ",.0f"
    assert figs[1].layout.yaxis.title.text == ""
    assert {t.name for t in figs[5].data} == {"Gesamt", "Jugendamt"}


def test_memoised_builder_returns_the_same_figure_for_the_same_frame():
    f = trend_frame()
    a = charts.trend_chart(f, "Eckwert", "je 1.000 unter 21", source=SOURCE)
    b = charts.trend_chart(f, "Eckwert", "je 1.000 unter 21", source=SOURCE)
    c = charts.trend_chart(f.copy(), "Eckwert", "je 1.000 unter 21", source=SOURCE)
    assert a is b and c is not a and c.to_dict() == a.to_dict()


def test_map_json_pastes_the_cached_geometry_text():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"sozialraum_id": "N"}, "geometry": square(7.0, 51.0, 0.01, 5)}]}
    frame = tidy([(2023, "N", "Nord", 31.45, 1571, 50000, False)])
    deck = build_choropleth(frame, fc, "Eckwert", "je 1.000 unter 21")
    geom = deck.layers[0].data["features"][0]["geometry"]
    assert isinstance(geom, RawGeometry) and geom["type"] == "Polygon"
    spec = json.loads(deck.to_json())
    assert spec["layers"][0]["data"]["features"][0]["geometry"] == json.loads(geom.json)
    assert "@geom-" not in deck.to_json()
