"""derive_dataset: Sozialraum assignment of records and the aggregated tables built from them."""
from __future__ import annotations

import pandas as pd

from data_models.derive import assignment_findings, canonical, derive_dataset, unassigned_share
from data_models.findings import WARNUNG
from data_models.schema import OHNE, TABLES


def soz(rows):
    """rows: (id, gemeindeschluessel, gueltig_ab, gueltig_bis)."""
    return canonical("sozialraeume", pd.DataFrame(
        [{"sozialraum_id": i, "name": f"SR {i}", "gemeindeschluessel": g, "gueltig_ab": a, "gueltig_bis": b}
         for i, g, a, b in rows]))


def hze_rec(kennung, jahr=2023, sr=None, ags=None, art="07", by=2022, ey=None, em=None, jm=1):
    return {"jahr": jahr, "kennung": kennung, "sozialraum_id": sr, "gemeindeschluessel": ags, "hilfeart": art,
            "beginn_monat": 1, "beginn_jahr": by, "ende_monat": em if em is not None else (6 if ey else None),
            "ende_jahr": ey, "junge_menschen": jm}


def frame(kind, rows):
    return canonical(kind, pd.DataFrame(rows))


def zu(rows):
    """rows: (kennung, sozialraum_id, art, berichtsjahr)."""
    return frame("zuordnung", [dict(zip(["kennung", "sozialraum_id", "art", "berichtsjahr"], r)) for r in rows])


SOZ3 = [("01", "01001000;01001001", None, None), ("02", "01002000", None, None), ("03", None, 2024, None)]


def assigned(ds, kind="hze_records"):
    t = ds[kind]
    return dict(zip(t["kennung"], t["sozialraum_id"]))


def test_assignment_order_each_step():
    recs = frame("hze_records", [
        hze_rec("own", sr="02", ags="01001000"),  # 1. own id wins over table and AGS
        hze_rec("own_num", sr="2"),  # own id numerically equal -> "02"
        hze_rec("table", ags="01002000"),  # 2. assignment table (-> 01) beats AGS (-> 02)
        hze_rec("ags", ags="01001001"),  # 3. second AGS of the ";"-list of 01
        hze_rec("none", ags="09999999"),  # 4. unknown AGS -> OHNE
        hze_rec("empty"),  # 4. nothing -> OHNE
    ])
    ds = derive_dataset({"sozialraeume": soz(SOZ3), "hze_records": recs,
                         "zuordnung": zu([("own", "01", None, None), ("table", "01", None, None)])})
    assert assigned(ds) == {"own": "02", "own_num": "02", "table": "01", "ags": "01", "none": OHNE, "empty": OHNE}
    assert ds["hze_records"]["sozialraum_id"].dtype == object


def test_more_specific_assignment_row_wins():
    ids = [(i, None, None, None) for i in ("A", "B", "C", "D", "E")]
    z = zu([("x", "A", None, None), ("x", "B", "hze", None), ("x", "C", "hze", 2023), ("x", "D", None, 2023),
            ("x", "E", "8a", 2023)])
    hze = frame("hze_records", [hze_rec("x", jahr=2023), hze_rec("x", jahr=2022, by=2021)])
    s8a = frame("s8a_records", [{"jahr": 2023, "kennung": "x", "ergebnis": "1"},
                                {"jahr": 2022, "kennung": "x", "ergebnis": "1"}])
    s42 = frame("s42_records", [{"jahr": 2023, "kennung": "x", "art": "1", "dauer_tage": 3},
                                {"jahr": 2022, "kennung": "x", "art": "1", "dauer_tage": 3}])
    ds = derive_dataset({"sozialraeume": soz(ids), "zuordnung": z, "hze_records": hze, "s8a_records": s8a,
                         "s42_records": s42})
    # hze 2023: Art + Jahr row (C) beats Art-only (B), Jahr-only (D) and the general row (A)
    # hze 2022: Art-only (B); 8a 2023: its own Art + Jahr row (E); 8a 2022: general row (A)
    # 42 2023: Jahr-only row (D); 42 2022: general row (A)
    assert ds["hze_records"]["sozialraum_id"].tolist() == ["C", "B"]
    assert ds["s8a_records"]["sozialraum_id"].tolist() == ["E", "A"]
    assert ds["s42_records"]["sozialraum_id"].tolist() == ["D", "A"]


def test_art_only_beats_year_only():
    ids = [("A", None, None, None), ("B", None, None, None)]
    z = zu([("x", "A", None, 2023), ("x", "B", "hze", None)])
    ds = derive_dataset({"sozialraeume": soz(ids), "zuordnung": z, "hze_records": frame("hze_records", [hze_rec("x")])})
    assert assigned(ds) == {"x": "B"}


def test_reassignment_when_sozialraeume_change():
    recs = frame("hze_records", [hze_rec("a", sr="01", ags="01001000"), hze_rec("b", ags="01001000")])
    before = derive_dataset({"sozialraeume": soz([("01", "01001000", None, None), ("02", None, None, None)]),
                             "hze_records": recs})
    assert assigned(before) == {"a": "01", "b": "01"}
    # new Sozialräume: 01 is gone, its Gemeinde now belongs to 02 -> both records move to 02
    after = derive_dataset({"sozialraeume": soz([("02", "01001000", None, None)]), "hze_records": recs})
    assert assigned(after) == {"a": "02", "b": "02"}
    h = after["hze"]
    assert set(h["sozialraum_id"]) == {"02"}
    assert int(h[h["hilfeart"] == "07"]["andauernd"].sum()) == 2
    # the stored frame is not modified
    assert recs["sozialraum_id"].tolist() == ["01", None]


def test_gemeindeschluessel_respects_gueltigkeit():
    s = soz([("alt", "01001000", None, 2022), ("neu", "01001000", 2023, None)])
    recs = frame("hze_records", [hze_rec("a", jahr=2022, by=2021, ags="01001000"), hze_rec("b", ags="01001000")])
    ds = derive_dataset({"sozialraeume": s, "hze_records": recs})
    assert assigned(ds) == {"a": "alt", "b": "neu"}


def test_hze_table_from_records():
    recs = frame("hze_records", [
        hze_rec("a", sr="01", art="07", by=2023, jm=3),  # begonnen, andauernd, 3 junge Menschen
        hze_rec("b", sr="01", art="07", by=2021, ey=2023, jm=None),  # beendet, junge Menschen default 1
        hze_rec("c", sr="01", art="11", by=2023, ey=2023),  # begonnen and beendet
        hze_rec("d", art="13", by=2020),  # unassigned: OHNE
    ])
    ds = derive_dataset({"sozialraeume": soz(SOZ3), "hze_records": recs})
    h = ds["hze"]
    assert list(h.columns) == list(TABLES["hze"])
    assert h["jahr"].dtype == "Int64" and h["sozialraum_id"].dtype == object and h["hilfeart"].dtype == object

    def cell(sr, art):
        r = h[(h["jahr"] == 2023) & (h["sozialraum_id"] == sr) & (h["hilfeart"] == art)]
        assert len(r) == 1
        return tuple(int(r.iloc[0][c]) for c in ("begonnen", "beendet", "andauernd", "junge_menschen"))

    # 07 in 01: begonnen a = 1; beendet b = 1; andauernd a = 1; junge Menschen 3 + 1 = 4
    assert cell("01", "07") == (1, 1, 1, 4)
    assert cell("01", "11") == (1, 1, 0, 1)
    assert cell("01", "05") == (0, 0, 0, 0)  # complete grid: zero row
    assert cell("02", "07") == (0, 0, 0, 0)  # Sozialraum without records: zero rows
    assert cell(OHNE, "13") == (0, 0, 1, 1)
    # 03 exists only from 2024: no rows in 2023; rows: 2 Sozialräume x 16 codes + 1 OHNE row
    assert "03" not in set(h["sozialraum_id"])
    assert len(h) == 2 * 16 + 1
    assert ds.record_years["hze"] == {2023}


def test_records_override_sheet_only_for_their_years():
    sheet = frame("hze", [
        {"jahr": 2022, "sozialraum_id": "01", "hilfeart": "07", "begonnen": 5, "beendet": 4, "andauernd": 9},
        {"jahr": 2023, "sozialraum_id": "01", "hilfeart": "07", "begonnen": 50, "beendet": 40, "andauernd": 90},
        {"jahr": 2023, "sozialraum_id": "02", "hilfeart": "09", "begonnen": 7, "beendet": 7, "andauernd": 7},
    ])
    recs = frame("hze_records", [hze_rec("a", sr="01", art="07", by=2023)])
    ds = derive_dataset({"sozialraeume": soz(SOZ3), "hze": sheet, "hze_records": recs})
    h = ds["hze"]
    y22 = h[h["jahr"] == 2022]
    assert len(y22) == 1 and int(y22.iloc[0]["begonnen"]) == 5 and int(y22.iloc[0]["andauernd"]) == 9
    y23 = h[h["jahr"] == 2023]
    r = y23[(y23["sozialraum_id"] == "01") & (y23["hilfeart"] == "07")]
    assert int(r.iloc[0]["begonnen"]) == 1 and int(r.iloc[0]["andauernd"]) == 1  # records, not 50 / 90
    assert int(y23[(y23["sozialraum_id"] == "02") & (y23["hilfeart"] == "09")].iloc[0]["begonnen"]) == 0
    assert ds.record_years == {"hze": {2023}, "hze_records": {2023}}


def test_s8a_and_melder_from_records():
    s = soz([("A", None, None, None), ("B", None, None, None)])
    rows = [
        {"kennung": "1", "sozialraum_id": "A", "ergebnis": "1", "vernachlaessigung": True, "psychisch": True,
         "melder": "02"},
        {"kennung": "2", "sozialraum_id": "A", "ergebnis": "2", "vernachlaessigung": True, "melder": "02"},
        {"kennung": "3", "sozialraum_id": "A", "ergebnis": "3", "melder": "01"},
        {"kennung": "4", "sozialraum_id": "A", "ergebnis": "4"},
        {"kennung": "5", "sozialraum_id": None, "ergebnis": "1", "sexuell": True, "melder": "05"},
    ]
    for r in rows:
        r["jahr"] = 2023
        for t in ("vernachlaessigung", "koerperlich", "psychisch", "sexuell"):
            r.setdefault(t, False)
    sheet_melder = frame("s8a_melder", [{"jahr": 2021, "sozialraum_id": "A", "melder": "01", "anzahl": 9}])
    ds = derive_dataset({"sozialraeume": s, "s8a_records": frame("s8a_records", rows), "s8a_melder": sheet_melder})
    t = ds["s8a"].set_index("sozialraum_id")
    cols = ["akut", "latent", "hilfebedarf", "kein_hilfebedarf", "vernachlaessigung", "koerperlich", "psychisch",
            "sexuell"]
    assert [int(t.loc["A", c]) for c in cols] == [1, 1, 1, 1, 2, 0, 1, 0]
    assert [int(t.loc["B", c]) for c in cols] == [0] * 8
    assert [int(t.loc[OHNE, c]) for c in cols] == [1, 0, 0, 0, 0, 0, 0, 1]
    m = ds["s8a_melder"]
    a23 = m[(m["jahr"] == 2023) & (m["sozialraum_id"] == "A")].set_index("melder")["anzahl"]
    assert len(a23) == 12 and int(a23["02"]) == 2 and int(a23["01"]) == 1 and int(a23.sum()) == 3
    assert int(m[(m["jahr"] == 2023) & (m["sozialraum_id"] == OHNE)]["anzahl"].sum()) == 1
    assert int(m[m["jahr"] == 2021]["anzahl"].sum()) == 9  # sheet year kept
    assert ds.record_years["s8a"] == {2023} and ds.record_years["s8a_melder"] == {2023}


def test_s8a_types_unknown_when_not_delivered():
    rows = [{"jahr": 2023, "kennung": "1", "sozialraum_id": "A", "ergebnis": "1"}]  # type columns NA
    ds = derive_dataset({"sozialraeume": soz([("A", None, None, None)]), "s8a_records": frame("s8a_records", rows)})
    t = ds["s8a"]
    assert int(t.iloc[0]["akut"]) == 1 and t["vernachlaessigung"].isna().all()
    assert "s8a_melder" not in ds.record_years and len(ds["s8a_melder"]) == 0  # no Melder in the records


def test_s42_from_records():
    s = soz([("1", None, None, None), ("2", None, None, None)])
    rows = [
        {"kennung": "a", "sozialraum_id": "1", "art": "2", "anlass": "1", "dauer_tage": 14, "anschluss": "1"},
        {"kennung": "b", "sozialraum_id": "1", "art": "1", "anlass": "1;8", "dauer_tage": 15, "anschluss": "3"},
        {"kennung": "c", "sozialraum_id": "1", "art": "1", "anlass": None, "dauer_tage": 0, "anschluss": "5"},
        {"kennung": "d", "sozialraum_id": "1", "art": "1", "anlass": "10", "dauer_tage": 40, "anschluss": "2"},
    ]
    for r in rows:
        r["jahr"] = 2023
    ds = derive_dataset({"sozialraeume": s, "s42_records": frame("s42_records", rows)})
    t = ds["s42"].set_index("sozialraum_id")
    cols = ["inobhutnahmen", "uma", "eigener_wunsch", "kurz", "rueckkehr", "ausserhalb"]
    # uma: a (art 2), b (Anlass 8) = 2; eigener Wunsch: a, b = 2 (Anlass "10" is not "1"); kurz <= 14 days: a, c = 2;
    # Rückkehr: a = 1; außerhalb (2, 3, 4): b, d = 2
    assert [int(t.loc["1", c]) for c in cols] == [4, 2, 2, 2, 1, 2]
    assert [int(t.loc["2", c]) for c in cols] == [0] * 6


def test_s42_breakdowns_unknown_when_not_delivered():
    rows = [{"jahr": 2023, "kennung": "a", "sozialraum_id": "1", "art": "2", "dauer_tage": 3}]
    ds = derive_dataset({"sozialraeume": soz([("1", None, None, None)]), "s42_records": frame("s42_records", rows)})
    r = ds["s42"].iloc[0]
    assert int(r["inobhutnahmen"]) == 1 and int(r["uma"]) == 1 and int(r["kurz"]) == 1
    assert pd.isna(r["eigener_wunsch"]) and pd.isna(r["rueckkehr"]) and pd.isna(r["ausserhalb"])


def test_ohne_counting_and_warning():
    s = soz([("01", None, None, None)])
    recs = [hze_rec(f"a{i}", jahr=2022, by=2021, sr="01" if i >= 2 else None) for i in range(20)]  # 2 of 20
    recs += [hze_rec(f"b{i}", jahr=2023, sr="01" if i else None) for i in range(4)]  # 1 of 4
    ds = derive_dataset({"sozialraeume": s, "hze_records": frame("hze_records", recs)})
    share = unassigned_share(ds)
    assert list(share.columns) == ["jahr", "kind", "total", "ohne", "share", "flagged"]
    rows = {int(r.jahr): r for r in share.itertuples()}
    # 2022: 2 / 20 = 10 % (not more than 10 %); 2023: 1 / 4 = 25 %
    assert (rows[2022].total, rows[2022].ohne, rows[2022].share, rows[2022].flagged) == (20, 2, 10.0, False)
    assert (rows[2023].total, rows[2023].ohne, rows[2023].share, rows[2023].flagged) == (4, 1, 25.0, True)
    f = assignment_findings(ds)
    assert [x.schwere for x in f] == [WARNUNG, WARNUNG]
    assert [x.art for x in f] == ["zuordnung_ohne", "zuordnung_ohne_ueber_10"]
    assert "2 von 20" in f[0].meldung and "10,0 %" in f[0].meldung
    assert "1 von 4" in f[1].meldung and "25,0 %" in f[1].meldung and "Mehr als 10 %" in f[1].meldung
    h = ds["hze"]
    assert int(h[(h["jahr"] == 2022) & (h["sozialraum_id"] == OHNE)]["andauernd"].sum()) == 2


def test_no_records_no_change():
    sheet = frame("hze", [{"jahr": 2022, "sozialraum_id": "01", "hilfeart": "07", "begonnen": 5}])
    ds = derive_dataset({"sozialraeume": soz(SOZ3), "hze": sheet}, tenant_name="Musterstadt", data_version=7)
    assert ds.record_years == {}
    assert ds["hze"] is sheet
    assert ds.tenant_name == "Musterstadt" and ds.data_version == 7
    assert set(ds.tables) == set(TABLES)
    assert len(unassigned_share(ds)) == 0 and assignment_findings(ds) == []


def test_fixed_width_records_end_to_end_by_gemeinde():
    from data_models.importers.base import ImportContext
    from data_models.importers.hze_festbreite import import_hze_festbreite

    line = ("A" + "01001001" + "123456" + "00042" + "03" + "2022" + " " + "07" + "01" + "10" + "1" + "05" + "2010"
            + " " * 72 + "01" + "1211" + "2" + "   " + "1" + " " * 7 + "11" + " " * 4 + " " * 6 + " " * 8 + " " * 5)
    assert len(line) == 155
    s = soz(SOZ3)
    ctx = ImportContext(sozialraeume=s, hash_key=b"k", year=2023)
    res = import_hze_festbreite((line + "\n").encode(), "f.txt", ctx)
    assert res.ok, [f.text() for f in res.findings]
    ds = derive_dataset({"sozialraeume": s, **res.tables})
    assert ds["hze_records"]["sozialraum_id"].tolist() == ["01"]
    h = ds["hze"]
    r = h[(h["sozialraum_id"] == "01") & (h["hilfeart"] == "07")].iloc[0]
    assert (int(r["begonnen"]), int(r["andauernd"])) == (0, 1)
