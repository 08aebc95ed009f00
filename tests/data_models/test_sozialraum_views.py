"""data_models/sozialraum_views.year_table: all indicators of one year, Sozialräume beside the Gesamtwert."""
import pandas as pd

from data_models.indicators.catalogue import CATALOGUE
from data_models.sozialraum_views import mark, year_table


def _ind():
    rows = [  # jahr, sozialraum_id, indikator, wert
        (2023, "GESAMT", "hze_dichte", 20.0), (2023, "N", "hze_dichte", 22.5), (2023, "S", "hze_dichte", 17.9),
        (2023, "GESAMT", "sgb2_quote_u15", 10.0), (2023, "N", "sgb2_quote_u15", None),
        (2023, "S", "sgb2_quote_u15", 10.5), (2022, "N", "hze_dichte", 99.0),
    ]
    return pd.DataFrame(rows, columns=["jahr", "sozialraum_id", "indikator", "wert"])


def test_mark_uses_ten_percent_around_the_gesamtwert():
    # 22.5 > 20 × 1.1 = 22 -> above; 17.9 < 20 × 0.9 = 18 -> below; 21 and 18 are within; no Gesamtwert: nothing
    assert mark([22.5, 17.9, 21.0, 18.0, 5.0], [20, 20, 20, 20, None]) == ["▲", "▼", "", "", ""]


def test_year_table_values_and_text():
    values, shown = year_table(_ind(), 2023, {"N": "Nord", "S": "Süd"})
    assert list(values.columns) == ["Kennzahl", "Einheit", "Gesamt", "Nord", "Süd"]
    row = values[values["Kennzahl"] == CATALOGUE["hze_dichte"].label].iloc[0]
    assert (row["Gesamt"], row["Nord"], row["Süd"]) == (20.0, 22.5, 17.9)  # the 2022 value (99) is not used
    assert row["Einheit"] == CATALOGUE["hze_dichte"].unit
    text = shown[shown["Kennzahl"] == CATALOGUE["hze_dichte"].label].iloc[0]
    assert (text["Gesamt"], text["Nord"], text["Süd"]) == ("20,0", "22,5 ▲", "17,9 ▼")
    quote = shown[shown["Kennzahl"] == CATALOGUE["sgb2_quote_u15"].label].iloc[0]
    assert (quote["Nord"], quote["Süd"]) == ("keine Daten", "10,5")  # 10.5 is within 10 % of 10.0
