"""The distribution band (components/bands.py): quartiles, median and the own value; min/max only for coordinators;
no other office's name."""
from __future__ import annotations

from components import bands, theme
from data_models.peer_groups import band
from tests.components.factories import strings_in


def _trace(fig, meta):
    found = [t for t in fig.data if t.meta == meta]
    return found[0] if found else None


def test_tenant_band_figure_shows_quartiles_median_and_own_value_only():
    b = band([20, 25, 30, 40, 60], "tenant")  # Q1 25, median 30, Q3 40 (QUARTILE.INC)
    fig = bands.band_figure(b, 40.0, "Eckwert HzE (ohne EB)", "je 1.000 unter 21", year=2023,
                            group_label="Landkreise, SGB-II-Quote niedrig (bis 7,3 %)")
    mitte = _trace(fig, "mitte")
    assert list(mitte.base) == [25.0] and list(mitte.x) == [15.0] and mitte.marker.color == bands.BAND_COLOR
    assert list(_trace(fig, "median").x) == [30.0]
    own = _trace(fig, "wert")
    assert list(own.x) == [40.0] and list(own.text) == ["40,0"] and own.marker.color == theme.CATEGORICAL[0]
    assert _trace(fig, "spanne") is None  # never minimum or maximum for a tenant
    assert fig.layout.title.text == "Eckwert HzE (ohne EB) 2023: Ihr Jugendamt und Vergleichsgruppe"
    assert fig.layout.xaxis.title.text == "Eckwert HzE (ohne EB), je 1.000 unter 21"
    shown = strings_in(fig.to_plotly_json())
    assert not [t for t in shown if "60,0" in t or "20,0" in t]  # the single extreme values stay hidden
    assert all(60.0 not in (list(t.x) + list(getattr(t, "base", None) or [])) for t in fig.data)
    assert bands.band_text(b, 40.0, "je 1.000 unter 21") == (
        "Vergleichsgruppe: Median 30,0 je 1.000 unter 21 · mittlere Hälfte 25,0 bis 40,0 je 1.000 unter 21 · "
        "5 Jugendämter mit Wert. Ihr Jugendamt: 40,0 je 1.000 unter 21, in der mittleren Hälfte der "
        "Vergleichsgruppe, über dem Median.")


def test_coordinator_band_has_the_range_and_no_own_value():
    b = band([3, 1, 2], "coordinator")
    fig = bands.band_figure(b, None, "Anteil stationärer Hilfen", "%", year=2024, group_label="alle")
    spanne = _trace(fig, "spanne")
    assert list(spanne.x) == [1.0, 3.0]
    assert _trace(fig, "wert") is None
    assert fig.layout.title.text == "Anteil stationärer Hilfen 2024: Vergleichsgruppe"
    assert "Spanne 1,0 bis 3,0 %" in bands.band_text(b, None, "%")
    assert "weniger als 5 Jugendämter" in bands.NO_BAND_TEXT
