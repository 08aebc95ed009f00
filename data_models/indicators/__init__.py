"""Indicators, breakdowns, trends and their machine output (indicators.md, cli.md).

    from data_models.indicators import compute_indicators, compute_breakdown, CATALOGUE, BREAKDOWNS
"""
from data_models.indicators.breakdowns import BREAKDOWNS, compute_breakdown, public_breakdown
from data_models.indicators.catalogue import CATALOGUE, IDS, SECTIONS, Indicator
from data_models.indicators.engine import COLUMNS, compute_indicators, public_indicators

__all__ = ["BREAKDOWNS", "CATALOGUE", "COLUMNS", "IDS", "SECTIONS", "Indicator", "compute_breakdown",
           "compute_indicators", "public_breakdown", "public_indicators"]
