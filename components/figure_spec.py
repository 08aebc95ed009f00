"""A plotly figure built as plain dicts, wrapped into a `go.Figure` once at the end without plotly's validation.

plotly validates every property on every `go.Scatter(...)`, `add_trace` and `update_*` call; for our charts that
cost 20–50 ms per chart and 350 ms for the small multiples of 30 Sozialräume (bench/results/latest.md), more than
a whole page rerun may take. `Spec` offers the few `go.Figure` methods our builders use (`add_trace`,
`add_annotation`, `add_shape`, `update_layout`, `update_xaxes`, `update_yaxes`, subplots through `subplots`) on
dicts; `figure()` returns a real `go.Figure` (`_validate=False`: plotly trusts the dicts). The builders' output is
still checked against plotly's schema in the tests (tests/components/test_figure_spec.py validates every builder's
figure with validation on).
"""
from __future__ import annotations

import copy
from functools import lru_cache

import plotly.graph_objects as go


def _merge(into: dict, new: dict) -> dict:
    """Nested update like plotly's `update_layout`: dicts merge, everything else replaces."""
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = copy.deepcopy(v) if isinstance(v, (dict, list)) else v
    return into


def _axis_name(kind: str, index: int) -> str:
    return f"{kind}axis" if index == 1 else f"{kind}axis{index}"


class Spec:
    """The dict form of a figure: `data` (trace dicts with `type`) and `layout`."""

    def __init__(self, data: list[dict] | None = None, layout: dict | None = None, *, cols: int = 1):
        self.data: list[dict] = list(data or [])
        self.layout: dict = layout if layout is not None else {}
        self._cols = cols

    # traces and decorations
    def add_trace(self, trace: dict, row: int | None = None, col: int | None = None) -> "Spec":
        trace = dict(trace)
        if row is not None and col is not None:
            k = (row - 1) * self._cols + col
            trace["xaxis"], trace["yaxis"] = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
        self.data.append(trace)
        return self

    def add_annotation(self, **kw) -> "Spec":
        self.layout.setdefault("annotations", []).append(kw)
        return self

    def add_shape(self, **kw) -> "Spec":
        self.layout.setdefault("shapes", []).append(kw)
        return self

    def update_layout(self, **kw) -> "Spec":
        _merge(self.layout, kw)
        return self

    def _update_axes(self, kind: str, row: int | None, col: int | None, kw: dict) -> "Spec":
        if row is not None and col is not None:
            names = [_axis_name(kind, (row - 1) * self._cols + col)]
        else:
            names = [k for k in self.layout if k == f"{kind}axis" or (k.startswith(f"{kind}axis")
                                                                      and k[len(kind) + 4:].isdigit())]
            names = names or [f"{kind}axis"]
        for n in names:
            _merge(self.layout.setdefault(n, {}), kw)
        return self

    def update_xaxes(self, row: int | None = None, col: int | None = None, **kw) -> "Spec":
        return self._update_axes("x", row, col, kw)

    def update_yaxes(self, row: int | None = None, col: int | None = None, **kw) -> "Spec":
        return self._update_axes("y", row, col, kw)

    def figure(self) -> go.Figure:
        return go.Figure({"data": self.data, "layout": self.layout}, _validate=False)


@lru_cache(maxsize=64)
def _subplot_layout(rows: int, cols: int, n_titles: int, vertical_spacing: float, horizontal_spacing: float,
                    shared: bool) -> dict:
    """The layout plotly's `make_subplots` creates (axes with their domains and anchors, one title annotation per
    panel), computed by plotly once per grid and then reused (make_subplots alone costs about 150 ms for 10 × 3)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=rows, cols=cols, shared_xaxes="all" if shared else False,
                        shared_yaxes="all" if shared else False,
                        subplot_titles=[f"\x00{i}" for i in range(n_titles)] or [""],
                        vertical_spacing=vertical_spacing, horizontal_spacing=horizontal_spacing)
    return fig.to_dict()["layout"]


def subplots(rows: int, cols: int, titles: list[str], *, vertical_spacing: float, horizontal_spacing: float,
             shared: bool = True) -> Spec:
    """A `Spec` laid out like `make_subplots(rows, cols, shared_xaxes="all", shared_yaxes="all",
    subplot_titles=titles, ...)`; traces go to a panel with `add_trace(trace, row=, col=)`."""
    layout = copy.deepcopy(_subplot_layout(rows, cols, len(titles), vertical_spacing, horizontal_spacing, shared))
    for ann, text in zip(layout.get("annotations", []), titles):
        ann["text"] = text
    return Spec(layout=layout, cols=cols)
