"""Stored Parquet payloads: slices written by earlier versions (pandas `to_parquet`) and by `store.to_arrow`
(dictionary-encoded text) load into the same canonical frame, also mixed in one load."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data_models import store
from data_models.schema import conform, object_codes


def records() -> pd.DataFrame:
    rows = [
        {"jahr": 2022, "kennung": "a1", "sozialraum_id": "01", "hilfeart": "07", "beginn_monat": 3,
         "beginn_jahr": 2021, "geschlecht": "2", "junge_menschen": 3, "grund1": "Ärger"},
        {"jahr": 2022, "kennung": "b2", "sozialraum_id": None, "hilfeart": "07", "beginn_monat": 12,
         "beginn_jahr": 2022, "ende_monat": 5, "ende_jahr": 2022, "geschlecht": "1", "junge_menschen": 1},
        {"jahr": 2023, "kennung": "a1", "sozialraum_id": "01", "hilfeart": "11", "beginn_monat": 3,
         "beginn_jahr": 2021, "geschlecht": "2", "alter_beginn": 14, "junge_menschen": 1, "grund1": "Ärger"},
    ]
    return conform("hze_records", pd.DataFrame(rows))


def texts(s: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in s]


def test_old_and_new_payloads_load_to_the_same_frame():
    frame = conform("hze_records", pd.concat([records()] * 4, ignore_index=True))  # 12 rows: dictionary-encoded
    old = pq.read_table(io.BytesIO(store.serialise(frame)))  # as stored before: pandas to_parquet
    new = pq.read_table(io.BytesIO(store._write_parquet(store.to_arrow("hze_records", frame))))
    assert pa.types.is_dictionary(new.schema.field("hilfeart").type)  # few distinct values: dictionary-encoded
    for table in (old, new):
        got = store.from_arrow("hze_records", [table])
        pd.testing.assert_frame_equal(got, frame)
    both = store.from_arrow("hze_records", [old, new])
    assert texts(both["kennung"]) == ["a1", "b2", "a1"] * 8
    assert texts(both["sozialraum_id"]) == ["01", None, "01"] * 8
    assert texts(both["grund1"]) == ["Ärger", None, "Ärger"] * 8
    assert texts(both["gemeindeschluessel"]) == [None] * 24
    assert both["ende_jahr"].tolist() == [pd.NA, 2022, pd.NA] * 8
    assert str(both["ende_jahr"].dtype) == "Int64"
    assert both["gemeindeschluessel"].dtype == object  # no text at all: object, as conform gives it


def test_split_keeps_row_order_within_a_year_and_drops_rows_without_year():
    frame = pd.concat([records().iloc[[2, 0, 1]], records().iloc[[0]]], ignore_index=True)
    frame.loc[3, "jahr"] = pd.NA
    parts = store._split("hze_records", frame)
    assert [y for y, _ in parts] == [2022, 2023]
    assert parts[0][1].column("kennung").to_pylist() == ["a1", "b2"]
    assert parts[1][1].column("kennung").to_pylist() == ["a1"]


def test_object_codes_go_by_identity():
    a, b = "x" * 3, "".join(["x", "xx"])  # equal text, two objects
    values = np.array([a, None, a, b, None], dtype=object)
    codes, objects = object_codes(values)
    assert list(objects[codes]) == list(values)
    assert len(objects) == 3 and codes[0] == codes[2] and codes[1] == codes[4] and codes[0] != codes[3]
