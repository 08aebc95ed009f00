"""Data-quality lines: missing population, missing geometry, unassigned records, outliers, presence table."""
from __future__ import annotations

from data_models import quality
from data_models.indicators.engine import compute_indicators
from tests.data_models.factories import Builder, dataset, population_row, sozialraum


def test_missing_population_names_the_sozialraum_and_year_and_respects_gueltig_ab():
    ds = dataset(
        sozialraeume=[sozialraum("01", "Altstadt"), sozialraum("02", "Neustadt"), sozialraum("03", "Neu", ab=2024)],
        bevoelkerung=[population_row(2023, "01", u21=1000), population_row(2024, "01", u21=1000),
                      population_row(2024, "02", u21=900), population_row(2024, "03", u21=500)],
    )
    lines = quality.check(ds)
    pop = [l for l in lines if l.bereich == "Bevölkerung"]
    # 2023: 02 missing (03 does not exist before 2024, so it is not missing); 2024 complete
    assert [(l.jahr, l.schwere) for l in pop] == [(2023, "Warnung")]
    assert "Neustadt (02)" in pop[0].meldung and "Neu (03)" not in pop[0].meldung
    assert "Bevölkerung" in pop[0].was_tun


def test_geometry_hint_and_unassigned_share_above_ten_percent():
    b = Builder(["01"]).pop(2024, "01", u21=1000)
    # 9 assigned records and 2 without any Sozialraum: 2 / 11 = 18.2 % unassigned -> Warnung
    for _ in range(9):
        b.hze_record(2024, "01", "07")
    for _ in range(2):
        b.hze_record(2024, "OHNE", "07")  # as derive assigns records without any match
    ds = b.build()
    lines = quality.check(ds)
    geo = [l for l in lines if l.bereich == "Geometrie"]
    assert geo and geo[0].schwere == "Hinweis"
    unassigned = [l for l in lines if "keinem Sozialraum" in l.meldung]
    assert len(unassigned) == 1 and unassigned[0].schwere == "Warnung"
    assert "2 von 11" in unassigned[0].meldung and "18,2 %" in unassigned[0].meldung
    assert "Mehr als 10 % nicht zuordenbare Fälle in 1 Jahr." in quality.summary_line(lines)


def test_summary_line_counts_in_proper_german():
    def line(schwere):
        return quality.QualityLine(schwere, "HzE", 2024, "…", "…")

    assert quality.summary_line([]) == "Datenqualität: keine Auffälligkeiten."
    assert quality.summary_line([line("Warnung"), line("Hinweis"), line("Hinweis")]).startswith(
        "Datenqualität: 1 Warnung, 2 Hinweise.")
    assert quality.summary_line([line("Warnung"), line("Warnung"), line("Hinweis")]).startswith(
        "Datenqualität: 2 Warnungen, 1 Hinweis.")


def test_outlier_more_than_three_times_the_median_of_other_years():
    b = Builder(["01"])
    for year, cases in ((2020, 10), (2021, 11), (2022, 12), (2023, 40)):
        b.pop(year, "01", u21=1000).hze(year, "01", "07", andauernd=cases)
    ds = b.build()
    lines = quality.check(ds, compute_indicators(ds))
    odd = [l for l in lines if l.bereich == "Plausibilität"]
    # hze_dichte 2023 = 40 > 3 × median(10, 11, 12) = 33; the other years are not
    assert {l.jahr for l in odd} == {2023}


def test_presence_table():
    ds = Builder(["01"]).pop(2023, "01", u21=100).hze(2023, "01", "07", andauernd=1).build()
    table = quality.presence(ds)
    row = table[table["Jahr"] == 2023].iloc[0]
    assert row["Bevölkerung"] == "Tabelle" and row["HzE"] == "Tabelle" and row["§ 8a"] == "–"
