"""What the pages show of the peer groups (data_models/peer_groups.py): a tenant's own comparison (group in words,
tenant bands only, nobody else's name or value) and the coordinators' table of groups, with hand-computed numbers."""
from __future__ import annotations

import math

import pandas as pd

from data_models import peer_groups as pg
from data_models.peer_groups import Assignment, Structure
from tests.data_models.test_peer_groups import compare_rows, structures

TYPES = {s.tenant: s.typ for s in structures()}


def test_tenant_group_text_names_type_and_third_but_no_cut_point():
    def text(key):
        return pg.tenant_group_text(Assignment("x", key, "label", ""))

    assert text("landkreis/typ_sgb2-1") == ("Landkreise mit mittlerer SGB-II-Quote unter 15 (mittleres Drittel der "
                                            "Landkreise im Programmvergleich)")
    assert text("stadt/typ_sgb2-0") == ("Kreisfreie Städte mit niedriger SGB-II-Quote unter 15 (unteres Drittel der "
                                        "kreisfreien Städte im Programmvergleich)")
    assert text("sgb2-2") == ("Jugendämter mit hoher SGB-II-Quote unter 15 (oberes Drittel aller zustimmenden "
                              "Jugendämter im Programmvergleich)")
    assert text("groesse-0").startswith("Jugendämter mit niedriger Einwohnerzahl unter 21 (unteres Drittel")
    assert text("kreisangehoerig") == "Kreisangehörige Städte mit eigenem Jugendamt im Programmvergleich"
    assert text("alle") == "alle zustimmenden Jugendämter im Programmvergleich"
    assert text(None) == "keine Vergleichsgruppe"
    # the label of the default method carries the cut points (7,3 / 11,3 %), the tenant's text does not
    a = pg.assign_groups(structures())
    assert "7,3" in a["lk-c"].label and not any(ch.isdigit() for ch in pg.tenant_group_text(a["lk-c"]).replace(
        "15", "").replace("21", ""))


def test_begruendung_in_the_genitive_of_the_type():
    s = [Structure("st-1", "stadt", 10.0, 1), Structure("st-2", "stadt", 20.0, 1), Structure("st-3", "stadt", 30.0, 1)]
    # thirds of 10 20 30: t1 at position 2/3 → 16,67, t2 at 4/3 → 23,33: 20 is in the middle third
    assert pg.assign_groups(s)["st-2"].begruendung == ("SGB-II-Quote 20,0 % liegt im mittleren Drittel der "
                                                       "kreisfreien Städte.")


def test_group_order_type_then_third():
    keys = ["stadt", "landkreis/typ_sgb2-2", "alle", "landkreis/typ_sgb2-0", "sonstige/typ_sgb2-1",
            "stadt/typ_sgb2-1", "sgb2-1", "sgb2-0"]
    assert sorted(keys, key=pg.group_order) == [
        "alle", "stadt", "stadt/typ_sgb2-1", "landkreis/typ_sgb2-0", "landkreis/typ_sgb2-2", "sonstige/typ_sgb2-1",
        "sgb2-0", "sgb2-1"]


def test_tenant_comparison_by_type_has_quartiles_only_and_nothing_of_others():
    cmp = compare_rows()
    # method "typ": the 5 Landkreise, Eckwert 20 25 30 40 60 → Q1 25, median 30, Q3 40 (QUARTILE.INC)
    c = pg.tenant_comparison(cmp, TYPES, "lk-d", 2023, ["hze_dichte", "sgb2_quote_u15", "eb_dichte"], method="typ")
    assert (c.status, c.mitglieder, c.jahr) == ("ok", 5, 2023)
    assert c.gruppe_text == "Landkreise im Programmvergleich"
    b = c.bands["hze_dichte"]
    assert (b.n, b.q1, b.median, b.q3, b.minimum, b.maximum) == (5, 25.0, 30.0, 40.0, None, None)
    # SGB-II-Quote of the Landkreise 4 6 10 12 30 → Q1 6, median 10, Q3 12
    q = c.bands["sgb2_quote_u15"]
    assert (q.q1, q.median, q.q3) == (6.0, 10.0, 12.0)
    assert c.bands["eb_dichte"] is None  # no values at all
    assert c.shown() == ["hze_dichte", "sgb2_quote_u15"]
    # nothing in it names another office or holds a single office's value (20 and 60 are minimum and maximum)
    text = repr(c)
    assert not [t for t in TYPES if t != "lk-d" and t in text]
    assert "20.0" not in text and "60.0" not in text


def test_tenant_comparison_default_method_small_groups_and_missing_structure():
    cmp = compare_rows()
    # default: Landkreise in thirds (lk-d and lk-e are the upper third): 2 members, too few for a tenant band
    c = pg.tenant_comparison(cmp, TYPES, "lk-d", 2023)
    assert c.status == "ok" and c.mitglieder == 2 and c.shown() == []
    assert set(c.bands) == set(pg.TENANT_INDICATORS) and all(b is None for b in c.bands.values())
    assert c.gruppe_text.startswith("Landkreise mit hoher SGB-II-Quote unter 15")
    assert c.begruendung == "SGB-II-Quote 12,0 % liegt im oberen Drittel der Landkreise."
    # no SGB-II-Quote up to 2021: no group
    c = pg.tenant_comparison(cmp, TYPES, "ka-h", 2021)
    assert (c.status, c.bands) == ("keine_gruppe", {}) and "fehlt" in c.begruendung
    # not a participant
    assert pg.tenant_comparison(cmp, TYPES, "lk-x", 2023).status == "nicht_im_vergleich"


def test_group_table_for_coordinators():
    cmp = compare_rows()
    t = pg.group_table(cmp, pg.assign_groups(structures(), "typ"), "hze_dichte", 2023)
    assert list(t.columns) == pg.GROUP_TABLE_COLUMNS
    assert t["gruppe"].tolist() == ["stadt", "landkreis", "kreisangehoerig"]  # order of the types
    assert t["label"].tolist() == ["Kreisfreie Städte", "Landkreise", "Kreisangehörige Städte mit eigenem Jugendamt"]
    assert t["mitglieder"].tolist() == [2, 5, 1] and t["werte"].tolist() == [2, 5, 1]
    lk = t.iloc[1]
    assert tuple(lk[["minimum", "q1", "median", "q3", "maximum"]]) == (20.0, 25.0, 30.0, 40.0, 60.0)
    assert all(math.isnan(x) for x in t.iloc[0][["minimum", "q1", "median", "q3", "maximum"]])  # 2 < 3 values
    # the default method: Landkreise in thirds; ka-h has a group of its own (quota of 2022), Städte one group
    d = pg.group_table(cmp, pg.assign_from_compare(cmp, TYPES, 2023), "hze_dichte", 2023)
    assert d["gruppe"].tolist() == ["stadt", "landkreis/typ_sgb2-0", "landkreis/typ_sgb2-1", "landkreis/typ_sgb2-2",
                                    "kreisangehoerig"]
    assert d["werte"].tolist() == [2, 2, 1, 2, 1] and d["q1"].isna().all()
    # a suppressed value does not count: one more Landkreis in the "typ" group with a suppressed Eckwert
    extra = pd.concat([cmp, pd.DataFrame([(2023, "lk-y", "hze_dichte", None, True)], columns=cmp.columns)])
    a = pg.assign_groups(structures() + [Structure("lk-y", "landkreis", 5.0, 100)], "typ")
    row = pg.group_table(extra, a, "hze_dichte", 2023).set_index("gruppe").loc["landkreis"]
    assert (row["mitglieder"], row["werte"], row["median"]) == (6, 5, 30.0)
