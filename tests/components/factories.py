"""Small tidy frames for the component tests (columns as in cli.md)."""
from __future__ import annotations

import math

import pandas as pd

TIDY = ["jahr", "sozialraum_id", "sozialraum", "indikator", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]
EVIL = "<script>alert(1)</script>"
SOURCE = "Quelle: Upload Version 3 vom 12.03.2025 · Strategiekarte"


def tidy(rows: list[tuple]) -> pd.DataFrame:
    """rows: (jahr, sozialraum_id, sozialraum, wert, zaehler, nenner, unterdrueckt) of indicator hze_dichte."""
    recs = [dict(jahr=j, sozialraum_id=i, sozialraum=n, indikator="hze_dichte", wert=w, zaehler=z, nenner=d,
                 einheit="je 1.000 unter 21", unterdrueckt=u) for j, i, n, w, z, d, u in rows]
    frame = pd.DataFrame(recs, columns=TIDY)
    return frame.astype({"jahr": "Int64", "wert": "Float64", "zaehler": "Int64", "nenner": "Int64",
                         "unterdrueckt": "boolean"})


def trend_frame() -> pd.DataFrame:
    """GESAMT, Nord, an evil name, OHNE over 2021-2023; the evil district's 2023 value is suppressed."""
    rows = []
    for j, (g, n, e) in zip((2021, 2022, 2023), [(30.0, 25.0, 40.0), (31.0, 28.0, 41.0), (32.0, 31.45, None)]):
        rows.append((j, "GESAMT", "Gesamt", g, int(g * 50), 50000, False))
        rows.append((j, "01", "Nord", n, 1571, 50000, False))
        rows.append((j, "02", EVIL, e, None if e is None else 2050, None if e is None else 50000, e is None))
        rows.append((j, "OHNE", "nicht zuordenbar", 3.0, 3, 1000, False))
    return tidy(rows)


def square(x0: float, y0: float, size: float = 0.01, n: int = 4) -> dict:
    """A closed polygon ring approximating a square's circle with n points (n >= 4)."""
    cx, cy, r = x0 + size / 2, y0 + size / 2, size / 2
    ring = [[cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n)] for k in range(n)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def strings_in(obj) -> list[str]:
    """All strings anywhere in a nested dict/list (plotly or deck JSON)."""
    out = []
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.extend(strings_in(k))
            out.extend(strings_in(v))
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            out.extend(strings_in(v))
    return out
