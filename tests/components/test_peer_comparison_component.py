"""The tenant's table of its values against the group's band (components/peer_comparison.py), the coordinators'
figure of all groups (components/bands.groups_figure), and that the band figures, built as dicts without plotly's
validation, are valid plotly figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import bands
from components.peer_comparison import ROW_COLUMNS, band_rows
from data_models.peer_groups import position_text
from data_models import peer_groups as pg
from data_models.peer_groups import TenantComparison, band
from tests.components.factories import strings_in
from tests.data_models.test_peer_groups import compare_rows, structures


def test_band_rows_own_value_quartiles_and_position():
    cmp = TenantComparison("lk-d", 2023, "ok", "Landkreise im Programmvergleich", "", 5, {
        "hze_dichte": band([20, 25, 30, 40, 60], "tenant"),  # Q1 25, median 30, Q3 40
        "anteil_stationaer": band([10, 20, 30, 40], "tenant"),  # 4 values: no band for a tenant
        "ausgaben_je_u21": band([100, 200, 300, 400, 500, 600], "tenant"),  # Q1 225, median 350, Q3 475
    })
    rows = band_rows(cmp, {"hze_dichte": 22.5, "anteil_stationaer": 35.0, "ausgaben_je_u21": None})
    assert list(rows.columns) == ROW_COLUMNS
    assert rows.values.tolist() == [
        ["Eckwert HzE (ohne EB)", "je 1.000 unter 21", "22,5", "25,0", "30,0", "40,0", "unter dem unteren Quartil"],
        ["Anteil stationärer Hilfen", "%", "35,0", "–", "–", "–", "kein Band (unter 5 Werten)"],
        ["Ausgaben je Einwohner unter 21", "EUR", "keine Daten", "225,0", "350,0", "475,0", "kein eigener Wert"],
    ]
    b = band([20, 25, 30, 40, 60], "tenant")
    assert [position_text(v, b, short=True) for v in (20, 25, 29.9, 30, 30.1, 40, 40.1)] == [
        "unter dem unteren Quartil", "mittlere Hälfte, unter dem Median", "mittlere Hälfte, unter dem Median",
        "beim Median", "mittlere Hälfte, über dem Median", "mittlere Hälfte, über dem Median",
        "über dem oberen Quartil"]


def test_groups_figure_one_row_per_group_with_band_on_a_shared_axis():
    a = pg.assign_groups(structures(), "typ")
    t = pg.group_table(compare_rows(), a, "hze_dichte", 2023)  # only the Landkreise have 3 or more values
    fig = bands.groups_figure(t, "Eckwert HzE (ohne EB)", "je 1.000 unter 21", year=2023, source="Quelle: Test")
    by = {tr.meta: tr for tr in fig.data}
    assert list(by) == ["spanne", "mitte", "median"]
    assert list(by["spanne"].x) == [20.0, 60.0, None] and list(by["spanne"].y) == ["Landkreise", "Landkreise", None]
    assert list(by["mitte"].base) == [25.0] and list(by["mitte"].x) == [15.0]
    assert list(by["median"].x) == [30.0]
    assert fig.layout.title.text == "Eckwert HzE (ohne EB) 2023 in den Vergleichsgruppen"
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.xaxis.title.text == (
        "Eckwert HzE (ohne EB), je 1.000 unter 21")
    assert "Quelle: Test" in strings_in(fig.to_plotly_json())
    go.Figure(fig.to_dict())  # valid for plotly (raises otherwise)
    # two groups, a label with a comma wraps after it
    b = pg.assign_groups(structures(), "alle")
    t2 = pd.concat([t, pg.group_table(compare_rows(), b, "hze_dichte", 2023)], ignore_index=True)
    fig2 = bands.groups_figure(t2, "Eckwert HzE (ohne EB)", "je 1.000 unter 21", year=2023)
    assert list(fig2.data[1].y) == ["Landkreise", "alle zustimmenden Jugendämter"]
    t3 = t.assign(label=["A, B", "Landkreise, SGB-II-Quote hoch (über 11,3 %)", "C"])
    fig3 = bands.groups_figure(t3, "Eckwert HzE (ohne EB)", "je 1.000 unter 21", year=2023)
    assert list(fig3.data[1].y) == ["Landkreise,<br>SGB-II-Quote hoch (über 11,3 %)"]


def test_band_figures_are_valid_plotly():
    for b, value in ((band([20, 25, 30, 40, 60], "tenant"), 40.0), (band([3, 1, 2], "coordinator"), None)):
        fig = bands.band_figure(b, value, "Anteil stationärer Hilfen", "%", year=2024, group_label="Vergleichsgruppe",
                                source="Quelle: Test")
        go.Figure(fig.to_dict())
