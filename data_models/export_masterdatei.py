"""Export a tenant's canonical tables as a Masterdatei (the template's layout, without example rows).

`write_masterdatei(tables, path_or_buffer)`: `tables` maps kinds of `schema.SHEETS` to canonical frames; missing
kinds give sheets with only the header row. Importing the result with `import_masterdatei` gives equal frames.
Text cells are always string cells (a name like `=HYPERLINK(...)` stays harmless text).
"""
from __future__ import annotations

import io

import pandas as pd

from data_models.schema import SHEETS
from data_models.template import build_workbook


def write_masterdatei(tables: dict[str, pd.DataFrame], path_or_buffer) -> None:
    """Write the canonical frames (kinds of `schema.SHEETS`; others are ignored) as a Masterdatei workbook."""
    known = {k: v for k, v in (tables or {}).items() if k in SHEETS and v is not None}
    build_workbook(known, examples=False).save(path_or_buffer)


def masterdatei_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    write_masterdatei(tables, buf)
    return buf.getvalue()
