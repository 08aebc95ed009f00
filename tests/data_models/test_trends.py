"""Trends: change to the previous year (% vs Prozentpunkte), index, comparison with GESAMT, regression, quartiles."""
import math

import pandas as pd
import pytest

from data_models.indicators.trends import (change_to_previous, compare_to_gesamt, index_to_base, peer_band,
                                           quartile_inc, quartiles, regression_sgb2_eckwert)


def frame(rows):
    """rows: (jahr, sozialraum_id, indikator, wert)"""
    f = pd.DataFrame(rows, columns=["jahr", "sozialraum_id", "indikator", "wert"])
    f["sozialraum"] = f["sozialraum_id"]
    f["wert"] = f["wert"].astype("Float64")
    return f


def get(f, jahr, sr, ind, col):
    v = f[(f["jahr"] == jahr) & (f["sozialraum_id"] == sr) & (f["indikator"] == ind)][col].iloc[0]
    return None if pd.isna(v) else v


def test_change_percent_for_counts_and_rates_prozentpunkte_for_shares():
    f = change_to_previous(frame([
        (2022, "01", "hze_faelle", 100), (2023, "01", "hze_faelle", 110),
        (2022, "01", "kwg_quote", 30), (2023, "01", "kwg_quote", 33),
        (2022, "01", "ausgaben_hze", 0), (2023, "01", "ausgaben_hze", 5),
        (2021, "01", "hze_dichte", 20), (2023, "01", "hze_dichte", 25),
        (2022, "01", "anteil_35a", None), (2023, "01", "anteil_35a", 10),
    ]))
    assert get(f, 2023, "01", "hze_faelle", "veraenderung") == pytest.approx(10.0)  # (110 / 100 - 1) × 100
    assert get(f, 2023, "01", "hze_faelle", "veraenderung_einheit") == "%"
    assert get(f, 2023, "01", "kwg_quote", "veraenderung") == pytest.approx(3.0)  # 33 - 30, not +10 %
    assert get(f, 2023, "01", "kwg_quote", "veraenderung_einheit") == "Prozentpunkte"
    assert get(f, 2023, "01", "ausgaben_hze", "veraenderung") is None  # previous value 0
    assert get(f, 2023, "01", "hze_dichte", "veraenderung") is None  # 2022 missing: no previous year
    assert get(f, 2023, "01", "anteil_35a", "veraenderung") is None  # previous null
    assert get(f, 2022, "01", "hze_faelle", "vorjahr") is None


def test_index_to_base_year():
    f = index_to_base(frame([(2020, "01", "hze_faelle", 80), (2021, "01", "hze_faelle", 100),
                             (2022, "01", "hze_faelle", 120), (2021, "02", "hze_faelle", 0),
                             (2022, "02", "hze_faelle", 5)]), 2021)
    assert get(f, 2021, "01", "hze_faelle", "index") == 100.0
    assert get(f, 2022, "01", "hze_faelle", "index") == 120.0  # 120 × 100 / 100
    assert get(f, 2020, "01", "hze_faelle", "index") == 80.0
    assert get(f, 2022, "02", "hze_faelle", "index") is None  # base 0
    assert (f["basisjahr"] == 2021).all()


def test_compare_to_gesamt_difference_ratio_rank():
    f = compare_to_gesamt(frame([
        (2023, "GESAMT", "hze_dichte", 20), (2023, "01", "hze_dichte", 30), (2023, "02", "hze_dichte", 10),
        (2023, "03", "hze_dichte", 30), (2023, "OHNE", "hze_dichte", 99), (2023, "04", "hze_dichte", None),
    ]))
    assert "GESAMT" not in set(f["sozialraum_id"])
    assert get(f, 2023, "01", "hze_dichte", "differenz") == 10.0  # 30 - 20
    assert get(f, 2023, "02", "hze_dichte", "verhaeltnis") == 0.5  # 10 / 20
    assert get(f, 2023, "01", "hze_dichte", "rang") == 1
    assert get(f, 2023, "03", "hze_dichte", "rang") == 1  # tie
    assert get(f, 2023, "02", "hze_dichte", "rang") == 3
    assert get(f, 2023, "OHNE", "hze_dichte", "rang") is None
    assert get(f, 2023, "04", "hze_dichte", "rang") is None


def _scatter(xs, ys, extra=()):
    rows = [(2023, "GESAMT", "sgb2_quote_u15", 5), (2023, "GESAMT", "hze_dichte", 5)]
    for i, (x, y) in enumerate(zip(xs, ys)):
        sr = f"{i + 1:02d}"
        rows += [(2023, sr, "sgb2_quote_u15", x), (2023, sr, "hze_dichte", y), (2023, sr, "bev_u21", 1000 + i)]
    return frame(rows + list(extra))


def test_regression_hand_computed():
    # x 0 1 2 3, y 1 3 2 4: mx 1.5, my 2.5, Sxx 5, Sxy 4 -> slope 0.8, intercept 2.5 - 0.8 × 1.5 = 1.3
    # fitted 1.3 2.1 2.9 3.7, residuals -0.3 0.9 -0.9 0.3, SSE 1.8, SST 5 -> R² 0.64, s = √(1.8 / 2)
    r = regression_sgb2_eckwert(_scatter([0, 1, 2, 3], [1, 3, 2, 4], [(2023, "OHNE", "sgb2_quote_u15", 50),
                                                                      (2023, "OHNE", "hze_dichte", 1)]), 2023)
    assert r.n == 4  # OHNE and GESAMT excluded
    assert r.steigung == pytest.approx(0.8) and r.achsenabschnitt == pytest.approx(1.3)
    assert r.r2 == pytest.approx(0.64)
    assert r.standardfehler == pytest.approx(math.sqrt(0.9))
    assert r.punkte["residuum"].tolist() == pytest.approx([-0.3, 0.9, -0.9, 0.3])
    assert r.punkte["std_residuum"].astype(float).tolist() == pytest.approx(
        [-0.3 / math.sqrt(0.9), 0.9 / math.sqrt(0.9), -0.9 / math.sqrt(0.9), 0.3 / math.sqrt(0.9)])
    assert not r.punkte["auffaellig"].any()
    assert r.punkte["groesse"].tolist() == [1000, 1001, 1002, 1003]


def test_regression_flags_the_outlier():
    # x 1..10, y = x except y(5) = 15: Sxy = 82.5 - 5 = 77.5 -> slope 31/33, intercept 6.5 - 31/33 × 5.5 = 4/3
    # residuals (2x - 44) / 33 for x ≠ 5 and 296 / 33 at x = 5; SSE = (10064 + 87616) / 1089
    # s = √(SSE / 8) ≈ 3.3485 -> standardised residual at x = 5 ≈ 8.97 / 3.35 ≈ 2.68 > 2, others < 0.4
    ys = list(range(1, 11))
    ys[4] = 15
    r = regression_sgb2_eckwert(_scatter(list(range(1, 11)), ys), 2023)
    assert r.steigung == pytest.approx(31 / 33) and r.achsenabschnitt == pytest.approx(4 / 3)
    assert r.standardfehler == pytest.approx(math.sqrt(97680 / 1089 / 8))
    assert r.punkte.loc[r.punkte["auffaellig"], "sozialraum_id"].tolist() == ["05"]
    assert float(r.punkte["std_residuum"].iloc[4]) == pytest.approx((296 / 33) / math.sqrt(97680 / 1089 / 8))


def test_regression_needs_two_points_with_different_x():
    assert regression_sgb2_eckwert(_scatter([1], [2]), 2023) is None
    assert regression_sgb2_eckwert(_scatter([1, 1, 1], [2, 3, 4]), 2023) is None
    r = regression_sgb2_eckwert(_scatter([1, 2, 3], [2, None, 4]), 2023)  # a null is left out
    assert r.n == 2 and r.steigung == pytest.approx(1.0) and r.standardfehler is None


def test_quartile_inc_like_excel():
    data = [1, 2, 4, 7, 8, 9, 10, 12]  # Excel's documentation example: QUARTILE.INC(...; 1) = 3.5
    assert quartile_inc(data, 1) == 3.5  # position 7 × 0.25 = 1.75: 2 + 0.75 × (4 - 2)
    assert quartile_inc(data, 2) == 7.5
    assert quartile_inc(data, 3) == 9.25  # position 5.25: 9 + 0.25 × 1
    assert quartile_inc(data, 0) == 1 and quartile_inc(data, 4) == 12
    assert quartiles([3, 1, 2, None]) == (1.5, 2.0, 2.5)
    assert quartile_inc([], 1) is None
    with pytest.raises(ValueError):
        quartile_inc(data, 5)


def test_peer_band_needs_five_members_and_hides_min_max():
    assert peer_band([1, 2, 3, 4]) is None
    band = peer_band([10, 20, 30, 40, 50])
    assert band == {"q1": 20.0, "median": 30.0, "q3": 40.0, "n": 5}
    assert "min" not in band and "max" not in band
