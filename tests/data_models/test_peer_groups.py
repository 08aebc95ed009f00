"""Peer groups and distribution bands (data_models/peer_groups.py), with hand-computed thirds and quartiles."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from data_models import accounts, db
from data_models import peer_groups as pg
from data_models.peer_groups import Structure


def structures():
    return [
        # Landkreise: quotas 4, 6, 10, 12, 30 → t1 = 6 + (4/3 − 1)·(10 − 6) = 7,33…, t2 = 10 + (8/3 − 2)·2 = 11,33…
        Structure("lk-a", "landkreis", 4.0, 9000), Structure("lk-b", "landkreis", 6.0, 20000),
        Structure("lk-c", "landkreis", 10.0, 15000), Structure("lk-d", "landkreis", 12.0, 30000),
        Structure("lk-e", "landkreis", 30.0, 12000),
        # two kreisfreie Städte: too few to split
        Structure("st-f", "stadt", 20.0, 50000), Structure("st-g", "stadt", 30.0, 80000),
        # no quota: no group under the quota methods
        Structure("ka-h", "kreisangehoerig", None, 7000),
    ]


def test_percentile_and_tercile_cuts_by_hand():
    assert pg.percentile_inc([4, 6, 10, 12, 30], 1 / 3) == pytest.approx(6 + (1 / 3) * 4)
    assert pg.percentile_inc([30, 4, 12, 10, 6], 2 / 3) == pytest.approx(10 + (2 / 3) * 2)
    assert pg.percentile_inc([], 0.5) is None and pg.percentile_inc([7, None], 1.0) == 7
    assert pg.tercile_cuts([1, 2]) is None  # fewer than 3: not split
    cuts = pg.tercile_cuts([4, 6, 10, 12, 30])
    assert [pg.tercile(v, cuts) for v in (4, 6, 7.34, 10, 11.33, 11.34, 30)] == [0, 0, 1, 1, 1, 2, 2]
    # same as pandas' linear interpolation
    assert cuts == pytest.approx(tuple(pd.Series([4, 6, 10, 12, 30]).quantile([1 / 3, 2 / 3])))


def test_default_method_thirds_within_type():
    a = pg.assign_groups(structures())
    assert {t: a[t].gruppe for t in a} == {
        "lk-a": "landkreis/typ_sgb2-0", "lk-b": "landkreis/typ_sgb2-0", "lk-c": "landkreis/typ_sgb2-1",
        "lk-d": "landkreis/typ_sgb2-2", "lk-e": "landkreis/typ_sgb2-2", "st-f": "stadt", "st-g": "stadt",
        "ka-h": None}
    assert a["lk-a"].label == "Landkreise, SGB-II-Quote niedrig (bis 7,3 %)"
    assert a["lk-c"].label == "Landkreise, SGB-II-Quote mittel (über 7,3 bis 11,3 %)"
    assert a["lk-e"].label == "Landkreise, SGB-II-Quote hoch (über 11,3 %)"
    assert a["lk-c"].begruendung == "SGB-II-Quote 10,0 % liegt im mittleren Drittel der Landkreise."
    assert a["st-f"].label == "Kreisfreie Städte" and "Zu wenige" in a["st-f"].begruendung
    assert a["ka-h"].label == "keine Gruppe" and "fehlt" in a["ka-h"].begruendung
    assert pg.group_members(a, "landkreis/typ_sgb2-2") == ["lk-d", "lk-e"]
    assert pg.group_members(a, None) == []


def test_other_methods():
    s = structures()
    # all quotas sorted 4 6 10 12 20 30 30 (n = 7): t1 at position 2 → 10, t2 at position 4 → 20
    a = pg.assign_groups(s, "sgb2")
    assert sorted(t for t in a if a[t].gruppe == "sgb2-0") == ["lk-a", "lk-b", "lk-c"]
    assert sorted(t for t in a if a[t].gruppe == "sgb2-1") == ["lk-d", "st-f"]
    assert sorted(t for t in a if a[t].gruppe == "sgb2-2") == ["lk-e", "st-g"]
    assert a["lk-a"].label == "SGB-II-Quote niedrig (bis 10,0 %)" and a["ka-h"].gruppe is None
    # sizes sorted 7000 9000 12000 15000 20000 30000 50000 80000 (n = 8): t1 at 7/3 → 12000 + 1/3·3000 = 13000,
    # t2 at 14/3 → 20000 + 2/3·10000 = 26666,7 (positions count from 0)
    g = pg.assign_groups(s, "groesse")
    assert sorted(t for t in g if g[t].gruppe == "groesse-0") == ["ka-h", "lk-a", "lk-e"]
    assert sorted(t for t in g if g[t].gruppe == "groesse-1") == ["lk-b", "lk-c"]
    assert sorted(t for t in g if g[t].gruppe == "groesse-2") == ["lk-d", "st-f", "st-g"]
    assert g["lk-a"].label == "Einwohner unter 21 niedrig (bis 13.000)"
    t = pg.assign_groups(s, "typ")
    assert t["ka-h"].gruppe == "kreisangehoerig" and t["ka-h"].label.startswith("Kreisangehörige Städte")
    assert {x.gruppe for x in pg.assign_groups(s, "alle").values()} == {"alle"}
    with pytest.raises(ValueError):
        pg.assign_groups(s, "kmeans")


def test_band_quartiles_by_hand_and_minimum_sizes():
    # n = 6 sorted 1 2 4 7 11 16: Q1 at 1.25 → 2 + 0.25·2 = 2.5; median at 2.5 → 4 + 0.5·3 = 5.5; Q3 at 3.75 → 10
    b = pg.band([16, 1, 7, None, 2, 11, 4], "coordinator")
    assert (b.n, b.q1, b.median, b.q3, b.minimum, b.maximum) == (6, 2.5, 5.5, 10.0, 1.0, 16.0)
    assert (b.q1, b.median, b.q3) == tuple(pd.Series([1, 2, 4, 7, 11, 16]).quantile([0.25, 0.5, 0.75]))
    t = pg.band([16, 1, 7, 2, 11, 4], "tenant")
    assert (t.q1, t.median, t.q3, t.minimum, t.maximum) == (2.5, 5.5, 10.0, None, None)  # never min/max
    assert pg.band([1, 2, 3, 4], "tenant") is None  # tenants: at least 5
    assert pg.band([1, 2, 3, 4, 5], "tenant").q1 == 2.0
    c = pg.band([3, 1, 2], "coordinator")
    assert (c.q1, c.median, c.q3, c.minimum, c.maximum) == (1.5, 2.0, 2.5, 1.0, 3.0)
    assert pg.band([1, 2, float("nan")], "coordinator") is None  # coordinators: at least 3 values
    with pytest.raises(ValueError):
        pg.band([1, 2, 3], "public")


def compare_rows():
    """Comparison rows as `manage.py compare` gives them (GESAMT values, suppressed ones null)."""
    rows = []
    eck = {"lk-a": 20.0, "lk-b": 25.0, "lk-c": 30.0, "lk-d": 40.0, "lk-e": 60.0, "st-f": 50.0, "st-g": 70.0,
           "ka-h": 35.0}
    for s in structures():
        rows.append((2023, s.tenant, "sgb2_quote_u15", s.sgb2_quote, False))
        rows.append((2023, s.tenant, "bev_u21", s.u21, False))
        rows.append((2023, s.tenant, "hze_dichte", eck[s.tenant], False))
    rows.append((2022, "ka-h", "sgb2_quote_u15", 15.0, False))  # an earlier year fills the missing quota
    rows.append((2023, "lk-x", "hze_dichte", None, True))  # suppressed
    return pd.DataFrame(rows, columns=["jahr", "tenant", "indikator", "wert", "unterdrueckt"])


def test_structures_from_compare_take_the_latest_year_up_to_the_comparison_year():
    types = {"lk-a": "landkreis", "ka-h": "kreisangehoerig", "neu": "unbekannt"}
    s = {x.tenant: x for x in pg.structures_from_compare(compare_rows(), types, 2023)}
    assert (s["lk-a"].sgb2_quote, s["lk-a"].u21, s["lk-a"].jahr_sgb2) == (4.0, 9000.0, 2023)
    assert (s["ka-h"].sgb2_quote, s["ka-h"].jahr_sgb2) == (15.0, 2022)
    assert s["neu"].typ == "sonstige" and s["neu"].sgb2_quote is None
    s2022 = {x.tenant: x for x in pg.structures_from_compare(compare_rows(), types, 2022)}
    assert s2022["lk-a"].sgb2_quote is None  # no later year is used


def test_tenant_band_group_bands_and_group_column():
    cmp = compare_rows()
    a = pg.assign_groups(structures(), "typ")
    # Landkreise: 20 25 30 40 60 → Q1 25, median 30, Q3 40
    tb = pg.tenant_band(cmp, a, "lk-d", "hze_dichte", 2023)
    assert (tb.band.q1, tb.band.median, tb.band.q3, tb.band.n) == (25.0, 30.0, 40.0, 5)
    assert tb.band.minimum is None and tb.band.maximum is None
    assert tb.wert == 40.0 and tb.gruppe_label == "Landkreise"
    assert tb.lage == "in der mittleren Hälfte der Vergleichsgruppe, über dem Median"
    assert pg.tenant_band(cmp, a, "lk-e", "hze_dichte", 2023).lage.startswith("über dem oberen Quartil")
    assert pg.tenant_band(cmp, a, "st-f", "hze_dichte", 2023) is None  # 2 Städte: no band for a tenant
    assert pg.tenant_band(cmp, a, "lk-a", "hze_dichte", 2022) is None  # no values that year
    bands = pg.group_bands(cmp, a, "hze_dichte", 2023)
    assert set(bands) == {"landkreis", "stadt", "kreisangehoerig"}
    assert bands["stadt"] is None and bands["kreisangehoerig"] is None  # coordinators: from 3 values
    assert (bands["landkreis"].minimum, bands["landkreis"].maximum) == (20.0, 60.0)
    col = pg.group_column(cmp, pg.assign_groups(structures()))
    assert col[cmp["tenant"] == "lk-a"].unique().tolist() == ["Landkreise, SGB-II-Quote niedrig (bis 7,3 %)"]
    assert col[cmp["tenant"] == "lk-x"].unique().tolist() == ["keine Gruppe"]


def test_position_text():
    b = pg.Band(5, 10.0, 20.0, 30.0)
    assert pg.position_text(5, b).startswith("unter dem unteren Quartil")
    assert pg.position_text(20, b) == "genau beim Median der Vergleichsgruppe"
    assert pg.position_text(15, b) == "in der mittleren Hälfte der Vergleichsgruppe, unter dem Median"
    assert pg.position_text(None, b) == "Für das eigene Jugendamt liegt kein Wert vor."


def test_set_tenant_type_changes_type_and_logs(engine):
    t = accounts.create_tenant(engine, slug="kreis", name="Kreisjugendamt", typ="sonstige")
    pg.set_tenant_type(engine, t.id, "admin1", "landkreis")
    assert accounts.get_tenant(engine, t.id).typ == "landkreis"
    with engine.connect() as conn:
        log = conn.execute(select(db.audit_log.c.aktion, db.audit_log.c.details)
                           .where(db.audit_log.c.tenant_id == t.id)).all()
    assert ("gebietstyp", "landkreis") in [tuple(r) for r in log]
    with pytest.raises(accounts.AccountError):
        pg.set_tenant_type(engine, t.id, "admin1", "dorf")
    assert accounts.get_tenant(engine, t.id).typ == "landkreis"


def test_peer_group_column_per_year_for_manage_compare():
    cmp = compare_rows()
    types = {s.tenant: s.typ for s in structures()}
    frame = cmp[cmp["indikator"] == "hze_dichte"].copy()  # what `compare --indicator hze_dichte` prints
    frame = pd.concat([frame, pd.DataFrame([(2022, "ka-h", "hze_dichte", 30.0, False)], columns=frame.columns)])
    col = pg.peer_group_column(frame, cmp, types)
    by = dict(zip(zip(frame["jahr"], frame["tenant"]), col))
    assert by[(2023, "lk-a")] == "Landkreise, SGB-II-Quote niedrig (bis 7,3 %)"
    assert by[(2023, "st-f")] == "Kreisfreie Städte"
    # ka-h is alone among kreisangehörige Städte: one group of its type (quota from 2022 fills 2023)
    assert by[(2023, "ka-h")] == "Kreisangehörige Städte mit eigenem Jugendamt"
    assert by[(2022, "ka-h")] == "Kreisangehörige Städte mit eigenem Jugendamt"
    alle = pg.peer_group_column(frame, cmp, types, "alle")
    assert set(alle[frame["tenant"] != "lk-x"]) == {"alle zustimmenden Jugendämter"}
    assert set(alle[frame["tenant"] == "lk-x"]) == {"keine Gruppe"}  # not a participant
    assert list(alle.index) == list(frame.index)
