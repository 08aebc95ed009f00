"""Suppression at the coordinators' boundary (`programme.tenant_gesamt`, kind "compare"), property-based: for random
offices with many small counts, no published count is 1 or 2, no rate over a population below 100 is published,
and no suppressed count can be recovered by subtraction from the published figures of the same office (its
indicators are related: Verfahren = KWG + the rest, Inobhutnahmen = ohne UMA + UMA, HzE = the segments, ...).
There is no total over offices, so offices are not related to each other."""
from __future__ import annotations

import os

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_models.indicators import CATALOGUE
from data_models.indicators.engine import compute_indicators
from data_models.privacy import suppress
from data_models.programme import COMPARE_COLUMNS, tenant_gesamt
from tests.data_models.factories import Builder
from tests.data_models.test_privacy import _derivable, _quantities, _relations, _shown_keys

PROPERTY = settings(max_examples={"ci": 10, "thorough": 400}.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 30),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
small = st.sampled_from([0, 0, 1, 2, 3, 5])
pop = st.sampled_from([0, 1, 30, 120, 700])


@st.composite
def office(draw):
    ids = [f"{i + 1:02d}" for i in range(draw(st.integers(1, 3)))]
    b = Builder(ids)
    for year in (2022, 2023):
        for sr in ids:
            u15, d18, d21 = draw(pop), draw(pop), draw(pop)
            b.pop(year, sr, u15=u15, u18=u15 + d18, u21=u15 + d18 + d21, insgesamt=u15 + d18 + d21 + draw(pop))
            b.sgb2(year, sr, min(draw(small), u15))
            for code in ("07", "08", "11", "13"):
                n = draw(small)
                if n:
                    b.hze(year, sr, code, andauernd=n, begonnen=min(n, draw(small)))
            b.s8a(year, sr, akut=draw(small), latent=draw(small), hilfebedarf=draw(small),
                  kein_hilfebedarf=draw(small))
            io = draw(small)
            b.s42(year, sr, io, uma=min(io, draw(small)), kurz=min(io, draw(small)), rueckkehr=0)
    return b.build()


def _as_units(frame: pd.DataFrame) -> pd.DataFrame:
    """The compare frame in the shape the checks of test_privacy read (the office as the unit)."""
    return frame.rename(columns={"tenant": "sozialraum_id"})


@PROPERTY
@given(st.lists(office(), min_size=1, max_size=3))
def test_property_compare_publishes_no_small_count_and_nothing_recoverable(datasets):
    frames = [tenant_gesamt(ds, f"amt{i}", f"Amt {i}") for i, ds in enumerate(datasets)]
    out = pd.concat(frames, ignore_index=True)
    assert list(out.columns) == COMPARE_COLUMNS
    true = pd.concat([compute_indicators(ds, sozialraum="GESAMT").assign(sozialraum_id=f"amt{i}")
                      for i, ds in enumerate(datasets)], ignore_index=True)
    for r in out[~out["unterdrueckt"]].itertuples(index=False):
        ind = CATALOGUE[r.indikator]
        shown = [r.wert] if ind.is_count else [v for q, v in ((ind.zaehler_q, r.zaehler), (ind.nenner_q, r.nenner))
                                               if q]
        assert not any(not pd.isna(v) and 0 < v < 3 for v in shown), (r.tenant, r.indikator, shown)
        if ind.nenner_population and not pd.isna(r.wert):
            assert r.nenner >= 100
    sup = out[out["unterdrueckt"]]
    assert sup["wert"].isna().all() and sup["zaehler"].isna().all() and sup["nenner"].isna().all()
    true_q = _quantities(true)
    known = _derivable(_shown_keys(_as_units(out)), _relations(true_q))
    for key, value in true_q.items():
        if 0 < value < 3:
            assert key not in known, f"{key} = {value} can be recovered"


@PROPERTY
@given(office())
def test_property_compare_rows_are_the_gesamt_rows_of_the_office(ds):
    """Nothing but GESAMT: every published value equals the office's own GESAMT value (never a Sozialraum's)."""
    out = tenant_gesamt(ds, "amt", "Amt")
    full = compute_indicators(ds)
    gesamt = full[full["sozialraum_id"] == "GESAMT"].reset_index(drop=True)
    assert out["indikator"].tolist() == gesamt["indikator"].tolist()
    assert out["jahr"].tolist() == gesamt["jahr"].tolist()
    pub = ~out["unterdrueckt"].to_numpy()
    pd.testing.assert_series_equal(out.loc[pub, "wert"].reset_index(drop=True),
                                   gesamt.loc[pub, "wert"].reset_index(drop=True), check_names=False)
    # suppression of the office frame alone equals suppress(kind="compare") on the same rows
    again = suppress(out.assign(wert=gesamt["wert"], zaehler=gesamt["zaehler"], nenner=gesamt["nenner"],
                                unterdrueckt=False), kind="compare")
    assert again["unterdrueckt"].tolist() == out["unterdrueckt"].tolist()
