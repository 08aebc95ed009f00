"""Suppression (privacy.md rules 1-3): unit cases worked out by hand, and property tests (hypothesis) that no
published count is 1 or 2 and no suppressed value can be recovered by subtraction.

Hypothesis profile: env HYPOTHESIS_PROFILE=ci runs few examples (default "dev": 25; "thorough": 400).
"""
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_models.indicators import CATALOGUE, compute_breakdown, compute_indicators
from data_models.privacy import suppress
from tests.data_models.factories import Builder, cell

_EXAMPLES = {"ci": 8, "thorough": 400}
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
# a local profile (the global one is left alone for other test modules)
PROPERTY = settings(max_examples=_EXAMPLES.get(_PROFILE, 25), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def supp(ds, **kw):
    return suppress(compute_indicators(ds, **kw), kind="indicators", public=True)


def hidden(f, jahr, sr, ind):
    rows = f[(f["jahr"] == jahr) & (f["sozialraum_id"] == sr) & (f["indikator"] == ind)]
    assert len(rows) == 1
    r = rows.iloc[0]
    if r["unterdrueckt"]:
        assert pd.isna(r["wert"]) and pd.isna(r["zaehler"]) and pd.isna(r["nenner"])
    return bool(r["unterdrueckt"])


def three(a, b, c, **pop):
    b_ = Builder(["01", "02", "03"])
    for sr, n in zip(("01", "02", "03"), (a, b, c)):
        b_.hze(2023, sr, "07", andauernd=n).pop(2023, sr, u15=500, u18=800, u21=1000)
    return b_.build()


# ------------------------------------------------------------------------------------------------ rules 1 and 2
def test_counts_of_one_or_two_are_suppressed_zero_stays():
    f = supp(three(2, 0, 7))
    assert hidden(f, 2023, "01", "hze_faelle")
    assert not hidden(f, 2023, "02", "hze_faelle") and cell(f, 2023, "02", "hze_faelle")[0] == 0
    # rule 3: 9 - 2 - 0 = 7 would reveal 01, so the smallest part that is not 0 (03: 7) goes too
    assert hidden(f, 2023, "03", "hze_faelle")
    assert cell(f, 2023, "GESAMT", "hze_faelle") == (9, 9, None)
    # a rate over a suppressed count is suppressed with zaehler and nenner
    assert hidden(f, 2023, "01", "hze_dichte") and hidden(f, 2023, "03", "hze_dichte")
    assert cell(f, 2023, "02", "hze_dichte") == (0.0, 0, 1000)


def test_nothing_small_nothing_suppressed():
    f = supp(three(3, 10, 7))
    assert not f["unterdrueckt"].any()


def test_rate_with_small_numerator_or_denominator():
    ds = (Builder(["01", "02"]).pop(2023, "01", u15=500, u18=800, u21=1000).pop(2023, "02", u15=500, u18=800, u21=1000)
          .s8a(2023, "01", akut=0, latent=0, hilfebedarf=1, kein_hilfebedarf=1)
          .s8a(2023, "02", akut=5, latent=5, hilfebedarf=5, kein_hilfebedarf=5).build())
    f = supp(ds)
    # 01: verfahren_8a = 2 (suppressed), so every quote over it too; kwg = 0 stays
    assert hidden(f, 2023, "01", "verfahren_8a") and hidden(f, 2023, "01", "kwg_quote")
    assert cell(f, 2023, "01", "kwg_faelle") == (0, 0, None)


def test_population_below_100_suppresses_the_rate_but_not_the_counts():
    ds = (Builder(["01", "02"]).pop(2023, "01", u15=50, u18=70, u21=99).pop(2023, "02", u15=50, u18=70, u21=100)
          .hze(2023, "01", "07", andauernd=5).hze(2023, "02", "07", andauernd=5).build())
    f = supp(ds)
    assert hidden(f, 2023, "01", "hze_dichte")  # 99 young people
    assert cell(f, 2023, "01", "hze_faelle") == (5, 5, None)
    assert cell(f, 2023, "01", "bev_u21") == (99, 99, None)
    assert cell(f, 2023, "02", "hze_dichte") == (50.0, 5, 100)  # 100 is enough


def test_public_false_and_empty_frames_are_unchanged():
    f = compute_indicators(three(2, 0, 7))
    out = suppress(f, public=False)
    assert out.equals(f)
    assert suppress(f.iloc[0:0]).empty
    with pytest.raises(ValueError):
        suppress(f, kind="tabelle")


# ------------------------------------------------------------------------------------------------ rule 3
def test_ties_go_to_the_first_in_sozialraum_order():
    f = supp(three(1, 5, 5))
    assert [hidden(f, 2023, sr, "hze_faelle") for sr in ("01", "02", "03")] == [True, True, False]


def test_ohne_is_a_part_of_gesamt():
    ds = (Builder(["01", "02"]).hze(2023, "01", "07", andauernd=2).hze(2023, "02", "07", andauernd=10)
          .hze(2023, "OHNE", "07", andauernd=4).build())
    f = supp(ds)
    assert hidden(f, 2023, "01", "hze_faelle") and hidden(f, 2023, "OHNE", "hze_faelle")  # 4 < 10
    assert not hidden(f, 2023, "02", "hze_faelle")


def test_two_suppressed_parts_are_safe_and_no_extra_cell_is_taken():
    f = supp(three(1, 2, 9))
    assert [hidden(f, 2023, sr, "hze_faelle") for sr in ("01", "02", "03")] == [True, True, False]


def test_kwg_parts_and_8a_results():
    ds = (Builder(["01", "02"]).pop(2023, "01", u18=800).pop(2023, "02", u18=800)
          .s8a(2023, "01", akut=4, latent=1, hilfebedarf=6, kein_hilfebedarf=9)
          .s8a(2023, "02", akut=3, latent=3, hilfebedarf=3, kein_hilfebedarf=3).build())
    f = supp(ds)
    # latent = 1 is never shown, but kwg_faelle (5) − akut (4, numerator of akut_quote) would give it:
    # the smallest part that is not 0 besides latent (akut) is suppressed
    assert hidden(f, 2023, "01", "akut_quote")
    assert cell(f, 2023, "01", "kwg_faelle") == (5, 5, None)
    # and akut of 01 must not follow from GESAMT: akut 02 is suppressed too (GESAMT 7 − 3 = 4)
    assert hidden(f, 2023, "02", "akut_quote")
    assert not hidden(f, 2023, "GESAMT", "akut_quote")


def test_hilfebedarf_of_two_hides_the_hilfebedarf_quote():
    ds = (Builder(["01"]).pop(2023, "01", u18=800)
          .s8a(2023, "01", akut=5, latent=5, hilfebedarf=2, kein_hilfebedarf=20).build())
    f = supp(ds)
    # (akut + latent + Hilfebedarf) 12 − kwg 10 = 2 -> the numerator of hilfebedarf_quote may not be shown
    assert hidden(f, 2023, "01", "hilfebedarf_quote")
    assert not hidden(f, 2023, "01", "kwg_quote") and not hidden(f, 2023, "01", "verfahren_8a")


def test_inobhutnahmen_ohne_uma_suppressed_when_uma_is_small():
    ds = (Builder(["01", "02"]).pop(2023, "01", u18=800).pop(2023, "02", u18=800)
          .s42(2023, "01", 10, uma=2, kurz=5, rueckkehr=5).s42(2023, "02", 10, uma=5, kurz=5, rueckkehr=5).build())
    f = supp(ds)
    assert hidden(f, 2023, "01", "inobhutnahmen_ohne_uma_dichte")  # 10 − 8 would give the 2
    assert cell(f, 2023, "01", "inobhutnahmen") == (10, 10, None)
    # 01's "ohne UMA" (8) would follow from GESAMT (13) − 02 (5): 02's is suppressed too, GESAMT stays
    assert hidden(f, 2023, "02", "inobhutnahmen_ohne_uma_dichte")
    assert not hidden(f, 2023, "GESAMT", "inobhutnahmen_ohne_uma_dichte")


def test_segments_are_parts_of_hze_faelle():
    ds = Builder(["01"]).hze(2023, "01", "08", andauernd=1).hze(2023, "01", "07", andauernd=6) \
        .hze(2023, "01", "11", andauernd=9).build()
    f = supp(ds)
    assert hidden(f, 2023, "01", "anteil_teilstationaer")  # 1 Fall
    # 16 − 6 − 9 − 0 = 1: the smallest other segment (ambulant, 6) goes too
    assert hidden(f, 2023, "01", "anteil_ambulant")
    assert not hidden(f, 2023, "01", "anteil_stationaer")


def test_compare_kind_has_no_relation_between_tenants():
    f = pd.DataFrame({
        "jahr": [2023, 2023], "tenant": ["a", "b"], "name": ["A", "B"], "indikator": ["hze_faelle", "hze_faelle"],
        "wert": pd.array([2, 5], dtype="Float64"), "zaehler": pd.array([2, 5], dtype="Float64"),
        "nenner": pd.array([None, None], dtype="Float64"), "einheit": ["Fälle", "Fälle"], "unterdrueckt": False,
    })
    out = suppress(f, kind="compare")
    assert out["unterdrueckt"].tolist() == [True, False]
    assert out["wert"].iloc[1] == 5


def test_breakdown_categories_vs_total_and_vs_gesamt():
    ds = (Builder(["01", "02"]).hze(2023, "01", "07", andauernd=1).hze(2023, "01", "11", andauernd=5)
          .hze(2023, "01", "09", andauernd=8).hze(2023, "02", "07", andauernd=4).hze(2023, "02", "11", andauernd=6)
          .build())
    b = suppress(compute_breakdown(ds, "hilfeart"), "breakdown")

    def hid(sr, code):
        r = b[(b["sozialraum_id"] == sr) & (b["kategorie_code"] == code)].iloc[0]
        return bool(r["unterdrueckt"]) and pd.isna(r["anzahl"])

    assert hid("01", "07")  # 1
    assert hid("01", "11")  # 14 − 8 − 1: smallest other part of 01 that is not 0 (5)
    assert not hid("01", "09")
    assert hid("02", "07")  # GESAMT 07 (5) − 02 would reveal 01's 1
    # ... and then 02's 07 (4) from 02's total: its smallest other part (11: 6) goes too
    assert hid("02", "11")
    zero = b[(b["sozialraum_id"] == "01") & (b["kategorie_code"] == "04")].iloc[0]
    assert zero["anzahl"] == 0 and not zero["unterdrueckt"]


def test_breakdown_multiple_answers_small_denominator_hides_the_shares():
    ds = (Builder(["01", "02"]).s8a(2023, "01", akut=1, latent=1, hilfebedarf=3, kein_hilfebedarf=3,
                                    vernachlaessigung=0, koerperlich=0, psychisch=0, sexuell=0)
          .s8a(2023, "02", akut=3, latent=3, hilfebedarf=3, kein_hilfebedarf=3, vernachlaessigung=3, koerperlich=4,
               psychisch=0, sexuell=0).build())
    b = suppress(compute_breakdown(ds, "8a_art"), "breakdown")
    r = b[(b["sozialraum_id"] == "01") & (b["kategorie_code"] == "vernachlaessigung")].iloc[0]
    # 0 of 2 KWG: the count 0 stays, the share over 2 cases is suppressed (rule 2)
    assert r["anzahl"] == 0 and pd.isna(r["anteil"]) and r["unterdrueckt"]
    # 02's shares reveal its 6 cases, and GESAMT's its 8: 8 − 6 = 2 -> 02's shares go, its counts stay
    r02 = b[(b["sozialraum_id"] == "02") & (b["kategorie_code"] == "koerperlich")].iloc[0]
    assert r02["anzahl"] == 4 and pd.isna(r02["anteil"])
    g = b[(b["sozialraum_id"] == "GESAMT") & (b["kategorie_code"] == "koerperlich")].iloc[0]
    assert g["anzahl"] == 4 and g["anteil"] == pytest.approx(4 * 100 / 8)


# ------------------------------------------------------------------------------------------------ properties
WITHIN = [("kwg", ["akut", "latent"]), ("hb", ["kwg", "hilfebedarf"]), ("v8a", ["hb", "kein"]),
          ("io", ["io_ohne_uma", "uma"]), ("hze_faelle", ["amb", "teil", "stat", "p35a"]),
          ("stat", ["f0910", "f11", "f15"]), ("u21", ["u18", "a18_21"]), ("u18", ["u15", "a15_18"]),
          ("insgesamt", ["u21", "a21_plus"])]


def _quantities(frame):
    """(year, unit, quantity) -> value for every count a row of `frame` shows (plus the never-shown parts)."""
    q = {}
    for r in frame.itertuples(index=False):
        ind = CATALOGUE[r.indikator]
        unit = (r.jahr, r.sozialraum_id)
        if ind.is_count and ind.zaehler_q and not pd.isna(r.wert):
            q[unit + (ind.zaehler_q,)] = float(r.wert)
        elif not ind.is_count:
            if ind.zaehler_q and not pd.isna(r.zaehler):
                q[unit + (ind.zaehler_q,)] = float(r.zaehler)
            if ind.nenner_q and not pd.isna(r.nenner):
                q[unit + (ind.nenner_q,)] = float(r.nenner)
    for unit in {k[:2] for k in list(q)}:
        for total, parts in WITHIN:
            *shown, rest = parts
            if unit + (total,) in q and all(unit + (s,) in q for s in shown):
                q[unit + (rest,)] = q[unit + (total,)] - sum(q[unit + (s,)] for s in shown)
    return q


def _relations(q):
    rels = []
    units = {k[:2] for k in q}
    for unit in units:
        for total, parts in WITHIN:
            keys = [unit + (total,)] + [unit + (p,) for p in parts]
            if all(k in q for k in keys):
                rels.append(keys)
    names = {k[2] for k in q} - {"laufend_team"}
    for year in {k[0] for k in q}:
        for name in names:
            g = (year, "GESAMT", name)
            if g in q:
                parts = [k for k in q if k[0] == year and k[2] == name and k[1] != "GESAMT"]
                rest = q[g] - sum(q[p] for p in parts)
                rels.append([g] + parts + ([("rest", year, name)] if abs(rest) > 1e-9 else []))
    return rels


def _derivable(known: set, rels) -> set:
    known = set(known)
    changed = True
    while changed:
        changed = False
        for keys in rels:
            unknown = [k for k in keys if k not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return known


small = st.sampled_from([0, 0, 1, 2, 3, 4, 7])
pop = st.sampled_from([0, 1, 2, 40, 150, 600])


@st.composite
def datasets(draw):
    n = draw(st.integers(2, 4))
    ids = [f"{i + 1:02d}" for i in range(n)]
    b = Builder(ids)
    units = ids + (["OHNE"] if draw(st.booleans()) else [])
    for sr in units:
        if sr != "OHNE":
            u15, d18, d21 = draw(pop), draw(pop), draw(pop)
            b.pop(2023, sr, u15=u15, u18=u15 + d18, u21=u15 + d18 + d21, insgesamt=u15 + d18 + d21 + draw(pop))
            b.sgb2(2023, sr, min(draw(small), u15))
        for code in ("01", "07", "08", "09", "11", "13", "15"):
            n_ = draw(small)
            if n_:
                b.hze(2023, sr, code, andauernd=n_, begonnen=min(n_, draw(small)))
        b.s8a(2023, sr, akut=draw(small), latent=draw(small), hilfebedarf=draw(small), kein_hilfebedarf=draw(small))
        io = draw(small)
        b.s42(2023, sr, io, uma=min(io, draw(small)), kurz=min(io, draw(small)), rueckkehr=min(io, draw(small)))
    return b.build()


@PROPERTY
@given(datasets())
def test_property_no_small_count_published_and_nothing_recoverable(ds):
    full = compute_indicators(ds)
    out = suppress(full, kind="indicators")
    true_q = _quantities(full)
    # rules 1 and 2: no shown count is 1 or 2 (the value of a count; numerator and denominator when counts)
    for r in out[~out["unterdrueckt"]].itertuples(index=False):
        ind = CATALOGUE[r.indikator]
        shown = [r.wert] if ind.is_count else [v for q, v in ((ind.zaehler_q, r.zaehler), (ind.nenner_q, r.nenner)) if q]
        assert not any(not pd.isna(v) and 0 < v < 3 for v in shown), (r.sozialraum_id, r.indikator, shown)
        if ind.nenner_population and not pd.isna(r.wert):
            assert r.nenner >= 100
    sup = out[out["unterdrueckt"]]
    assert sup["wert"].isna().all() and sup["zaehler"].isna().all() and sup["nenner"].isna().all()
    # rule 3: nothing suppressed is derivable by repeated subtraction from what is shown
    rels = _relations(true_q)
    known = _derivable(_shown_keys(out), rels)
    for key, value in true_q.items():
        if 0 < value < 3:
            assert key not in known, f"{key} = {value} can be recovered"
    for r in full[out["unterdrueckt"].to_numpy()].itertuples(index=False):
        ind = CATALOGUE[r.indikator]
        unit = (r.jahr, r.sozialraum_id)
        if ind.is_count:
            assert unit + (ind.zaehler_q,) not in known, f"suppressed {unit} {r.indikator} recoverable"


def _shown_keys(out) -> set:
    keys = set()
    for r in out[~out["unterdrueckt"]].itertuples(index=False):
        ind = CATALOGUE[r.indikator]
        unit = (r.jahr, r.sozialraum_id)
        if ind.is_count and ind.zaehler_q and not pd.isna(r.wert):
            keys.add(unit + (ind.zaehler_q,))
        elif not ind.is_count:
            if ind.zaehler_q and not pd.isna(r.zaehler):
                keys.add(unit + (ind.zaehler_q,))
            if ind.nenner_q and not pd.isna(r.nenner):
                keys.add(unit + (ind.nenner_q,))
    return keys


@PROPERTY
@given(st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 3, 5, 9]), min_size=4, max_size=4), min_size=2, max_size=5),
       st.booleans())
def test_property_breakdown(counts, with_ohne):
    ids = [f"{i + 1:02d}" for i in range(len(counts))]
    b = Builder(ids)
    codes_ = ("01", "07", "11", "13")
    for sr, row in zip(ids + (["OHNE"] if with_ohne else []), counts + ([[1, 0, 2, 0]] if with_ohne else [])):
        for code, n in zip(codes_, row):
            b.hze(2023, sr, code, andauernd=n)
    full = compute_breakdown(b.build(), "hilfeart")
    full = full[full["kategorie_code"].isin(codes_)]  # the other codes are 0 everywhere
    full.attrs["breakdown"] = "hilfeart"
    out = suppress(full, "breakdown")
    vals = {(r.sozialraum_id, r.kategorie_code): float(r.anzahl) for r in full.itertuples()}
    shown = {(r.sozialraum_id, r.kategorie_code) for r in out.itertuples() if not pd.isna(r.anzahl)}
    # no shown count is 1 or 2; a suppressed count has no share either
    assert all(not 0 < vals[k] < 3 for k in shown)
    assert out.loc[out["anzahl"].isna(), "anteil"].isna().all()
    # totals: a unit's total is shown through any shown share of a shown category > 0 (anzahl × 100 / anteil)
    units = list(dict.fromkeys(full["sozialraum_id"]))
    totals = {u: sum(v for (uu, _), v in vals.items() if uu == u) for u in units}
    with_share = {(r.sozialraum_id, r.kategorie_code) for r in out.itertuples() if not pd.isna(r.anteil)}
    known = set(shown) | {("T", u) for u in units
                          if any(k in shown and k in with_share and vals[k] > 0 and k[0] == u for k in vals)}
    rels = [[("T", u)] + [(u, c) for c in codes_] for u in units]
    rels += [[("GESAMT", c)] + [(u, c) for u in units if u != "GESAMT"] for c in codes_]
    rels += [[("T", "GESAMT")] + [("T", u) for u in units if u != "GESAMT"]]
    derived = _derivable(known, rels)
    for k, v in vals.items():
        if k not in shown and v > 0:
            assert k not in derived, f"{k} = {v} can be recovered"
    for u, t in totals.items():
        if 0 < t < 3:
            assert ("T", u) not in derived
