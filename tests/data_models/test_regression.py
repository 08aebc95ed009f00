"""Least squares of the Eckwert HzE on the SGB-II-Quote (data_models/indicators/regression.py), computed by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from data_models.indicators import regression as rg


def test_fit_line_by_hand():
    # x 1..5, y 2 4 5 4 5: mean x 3, mean y 4; Sxx = 4+1+0+1+4 = 10; Sxy = 4+0+0+0+2 = 6
    # slope 0.6, intercept 4 − 0.6·3 = 2.2; fitted 2.8 3.4 4.0 4.6 5.2; residuals −0.8 0.6 1.0 −0.6 −0.2
    # SSE = 0.64+0.36+1+0.36+0.04 = 2.4; SST = 4+0+1+0+1 = 6 → R² = 0.6; s = √(2.4/3) = √0.8
    fit = rg.fit_line([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert fit.n == 5
    assert fit.slope == pytest.approx(0.6) and fit.intercept == pytest.approx(2.2)
    assert fit.fitted == pytest.approx((2.8, 3.4, 4.0, 4.6, 5.2))
    assert fit.residuals == pytest.approx((-0.8, 0.6, 1.0, -0.6, -0.2))
    assert fit.r2 == pytest.approx(0.6)
    assert fit.s == pytest.approx(math.sqrt(0.8))
    assert fit.std_residuals == pytest.approx(tuple(e / math.sqrt(0.8) for e in (-0.8, 0.6, 1.0, -0.6, -0.2)))
    assert fit.predict(10) == pytest.approx(8.2)
    assert not any(rg.is_auffaellig(z) for z in fit.std_residuals)


def test_outlier_is_auffaellig_by_hand():
    # x 0..6, y = x except y(3) = 10: mean x 3, mean y 28/7 = 4; Sxx = 28; Sxy = 12+6+2+0+0+2+6 = 28 → slope 1,
    # intercept 1; residuals −1 −1 −1 6 −1 −1 −1; SSE = 42 → s = √(42/5) = √8.4; z(3) = 6/√8.4 ≈ 2.07 > 2
    # SST = 16+9+4+36+0+1+4 = 70 → R² = 1 − 42/70 = 0.4
    ys = [0, 1, 2, 10, 4, 5, 6]
    fit = rg.fit_line(range(7), ys)
    assert fit.slope == pytest.approx(1.0) and fit.intercept == pytest.approx(1.0)
    assert fit.r2 == pytest.approx(0.4)
    assert fit.residuals == pytest.approx((-1, -1, -1, 6, -1, -1, -1))
    assert fit.std_residuals[3] == pytest.approx(6 / math.sqrt(8.4))
    assert [rg.is_auffaellig(z) for z in fit.std_residuals] == [False, False, False, True, False, False, False]
    assert rg.is_auffaellig(2.0) is False and rg.is_auffaellig(-2.01) is True and rg.is_auffaellig(None) is False


def test_no_line_for_too_few_points_or_equal_x_and_no_r2_for_equal_y():
    assert rg.fit_line([1], [2]) is None
    assert rg.fit_line([3, 3, 3], [1, 2, 3]) is None
    two = rg.fit_line([1, 3], [2, 6])
    assert two.slope == pytest.approx(2.0) and two.intercept == pytest.approx(0.0) and two.s is None
    assert two.std_residuals == (None, None)
    flat = rg.fit_line([1, 2, 3], [5, 5, 5])
    assert flat.slope == 0 and flat.r2 is None and flat.std_residuals == (None, None, None)  # s = 0
    with pytest.raises(ValueError):
        rg.fit_line([1, 2], [1])


def _tidy(points, extra=()):
    """points: (jahr, sozialraum_id, x, y, u21[, unterdrueckt y])"""
    rows = []
    for p in points:
        jahr, sid, x, y, u21 = p[:5]
        supp = p[5] if len(p) > 5 else False
        rows += [(jahr, sid, f"SR {sid}", "sgb2_quote_u15", x, False),
                 (jahr, sid, f"SR {sid}", "hze_dichte", None if supp else y, supp),
                 (jahr, sid, f"SR {sid}", "bev_u21", u21, False)]
    rows += list(extra)
    return pd.DataFrame(rows, columns=["jahr", "sozialraum_id", "sozialraum", "indikator", "wert", "unterdrueckt"])


def test_sozialraum_regression_one_year_leaves_out_gesamt_ohne_missing_and_suppressed():
    frame = _tidy([(2023, "01", 1, 2, 100), (2023, "02", 2, 4, 200), (2023, "03", 3, 5, 300),
                   (2023, "04", 4, 4, 400), (2023, "05", 5, 5, 500),
                   (2023, "06", 9, 99, 600, True),  # suppressed Eckwert: left out
                   (2023, "GESAMT", 3, 4, 2100), (2023, "OHNE", 50, 1, 0),
                   (2022, "01", 1, 50, 100)],  # another year: not in the 2023 line
                  extra=[(2023, "07", "SR 07", "sgb2_quote_u15", None, False),
                         (2023, "07", "SR 07", "hze_dichte", 3.0, False)])  # no quota: left out
    reg = rg.sgb2_eckwert(frame, 2023)
    assert reg.years == (2023,)
    # the same points as test_fit_line_by_hand
    assert reg.fit.n == 5 and reg.fit.slope == pytest.approx(0.6) and reg.fit.intercept == pytest.approx(2.2)
    assert reg.punkte["sozialraum_id"].tolist() == ["01", "02", "03", "04", "05"]
    assert reg.punkte["erwartet"].tolist() == pytest.approx([2.8, 3.4, 4.0, 4.6, 5.2])
    assert reg.punkte["groesse"].tolist() == [100, 200, 300, 400, 500]
    assert not reg.punkte["auffaellig"].any() and set(reg.punkte["richtung"]) == {""}
    assert not reg.flags_possible  # 5 points: |z| can never exceed √3 < 2
    assert rg.summary_text(reg) == ("Ausgleichsgerade 2023: Eckwert HzE = 2,20 + 0,60 × SGB-II-Quote (Eckwert je "
                                    "1.000 unter 21, Quote in %); R² = 0,60; 5 Sozialräume.")


def test_sozialraum_regression_pooled_years_flags_with_direction():
    # 2022: x 0..3 with y = x + 1; 2023: x 4..6 with y = x + 1 except (3, y = 10) moved to 2023 as "03"
    pts = [(2022, "00", 0, 0, 10), (2022, "01", 1, 1, 10), (2022, "02", 2, 2, 10),
           (2023, "03", 3, 10, 10), (2023, "04", 4, 4, 10), (2023, "05", 5, 5, 10), (2023, "06", 6, 6, 10)]
    reg = rg.sgb2_eckwert(_tidy(pts), [2023, 2022])
    assert reg.years == (2022, 2023) and reg.flags_possible
    assert reg.fit.slope == pytest.approx(1.0) and reg.fit.r2 == pytest.approx(0.4)  # as test_outlier_is_auffaellig
    odd = reg.punkte[reg.punkte["auffaellig"]]
    assert odd[["jahr", "sozialraum_id", "richtung"]].values.tolist() == [[2023, "03", "über der Geraden"]]
    assert reg.year(2023)["sozialraum_id"].tolist() == ["03", "04", "05", "06"]
    assert "2022–2023" in rg.summary_text(reg) and "7 Punkte (Sozialraum × Jahr)" in rg.summary_text(reg)


def test_equation_text_negative_slope_and_none_result():
    fit = rg.fit_line([0, 1, 2], [5, 3, 1])
    assert rg.equation_text(fit) == "Eckwert HzE = 5,00 − 2,00 × SGB-II-Quote"
    assert rg.r2_text(fit) == "R² = 1,00"
    assert rg.sgb2_eckwert(_tidy([(2023, "01", 1, 2, 10)]), 2023) is None
    assert "kein Urteil" in rg.CAVEAT
