"""Building blocks of the formulas: counts and rates over the quantities (one entry per year and unit).

Every formula function takes the quantities `q` (name -> float array, NaN = keine Daten; see inputs.py) and returns
a `Result` of three aligned float arrays: `zaehler`, `nenner`, `wert`. Rules of indicators.md:
- a rate is `zaehler × factor / nenner`, multiplied first and divided once (1571 × 1000 / 50000 = 31.42 exactly);
- it is null when an input is null or the denominator is 0 (never silently 0);
- a count has `zaehler` = `wert` and `nenner` = null.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

Quantities = Mapping[str, np.ndarray]


@dataclass
class Result:
    zaehler: np.ndarray
    nenner: np.ndarray
    wert: np.ndarray


FORMULAS: dict[str, Callable[[Quantities], Result]] = {}


def formula(indicator_id: str):
    """Register the decorated function as the formula of `indicator_id`."""

    def register(fn):
        if indicator_id in FORMULAS:
            raise ValueError(f"formula {indicator_id} registered twice")
        FORMULAS[indicator_id] = fn
        fn.indicator_id = indicator_id
        return fn

    return register


def count(value) -> Result:
    v = np.asarray(value, dtype="float64")
    return Result(v, np.full(v.shape, np.nan), v)


def rate(zaehler, nenner, factor: float = 1) -> Result:
    """`zaehler × factor / nenner`; null when an input is null or `nenner` is 0 (or negative)."""
    z = np.asarray(zaehler, dtype="float64")
    n = np.asarray(nenner, dtype="float64")
    ok = n > 0  # False for NaN
    with np.errstate(divide="ignore", invalid="ignore"):
        wert = np.where(ok, (z * factor) / np.where(ok, n, 1.0), np.nan)
    return Result(z, n, wert)
