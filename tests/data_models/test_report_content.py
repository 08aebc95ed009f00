"""The report on small hand-made data: suppression in the public version (PDF and workbook), exact small counts in
the internal one, chosen sections and the user's own text, German errors, quality lines without small counts."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest

from data_models.report import ReportError, ReportRequest, build_report
from data_models.report.content import public_quality_text, quality_rows
from tests.data_models.factories import Builder, sozialraum


def small_town(name_03: str = "Sozialraum 03"):
    """Three Sozialräume with 1.000 Einwohnern unter 21 each; HzE-Fälle 2023: 2, 10, 20 (2022: 5, 10, 20)."""
    b = Builder([sozialraum("01"), sozialraum("02"), sozialraum("03", name_03)], tenant_name="Kleinstadt")
    for y in (2022, 2023):
        for sr in ("01", "02", "03"):
            b.pop(y, sr, u15=700, u18=800, u21=1000, insgesamt=4000)
    for y, counts in ((2022, (5, 10, 20)), (2023, (2, 10, 20))):
        for sr, n in zip(("01", "02", "03"), counts):
            b.hze(y, sr, "07", andauernd=n)
    return b.build()


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext fehlt: bitte als root 'apt-get install poppler-utils' ausführen.")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def row(text: str, name: str) -> list[str]:
    line = next(l for l in text.splitlines() if l.strip().startswith(name + " "))
    return re.split(r"\s{2,}", line.strip())


def test_internal_report_shows_exact_small_counts(tmp_path):
    files = build_report(small_town(), ReportRequest(year=2023, sections=["karte"]), xlsx=False)
    text = pdf_text(files.pdf, tmp_path)
    # Sozialraum | HzE-Fälle | unter 21 | Eckwert 2023 | SGB-II-Quote | Vorjahr | Veränderung
    assert row(text, "Sozialraum 01")[:4] == ["Sozialraum 01", "2", "1.000", "2,0"]
    assert row(text, "Sozialraum 01")[5:] == ["5,0", "-60,0 %"]
    assert row(text, "Gesamt")[:4] == ["Gesamt", "32", "3.000", "10,7"]  # 32 / 3.000 × 1.000
    assert "Sozialraumgrenzen" in text  # no geometry: said instead of a map
    assert "Interne Fassung" in text


def test_public_report_suppresses_small_counts_in_pdf_and_workbook(tmp_path):
    from openpyxl import load_workbook

    files = build_report(small_town(), ReportRequest(year=2023, sections=["karte", "zusammenfassung"], public=True))
    text = pdf_text(files.pdf, tmp_path)
    # 2 Fälle in 01 is suppressed; with Gesamt published, the smallest other part (02: 10) too (privacy.md rule 3)
    assert row(text, "Sozialraum 01")[:4] == ["Sozialraum 01", ".", "1.000", "."]
    assert row(text, "Sozialraum 02")[:4] == ["Sozialraum 02", ".", "1.000", "."]
    assert row(text, "Sozialraum 01")[-1] == "–"  # no change computed from a suppressed value
    assert row(text, "Sozialraum 03")[:4] == ["Sozialraum 03", "20", "1.000", "20,0"]
    assert row(text, "Gesamt")[:4] == ["Gesamt", "32", "3.000", "10,7"]
    flat = " ".join(text.split())
    assert "aus Datenschutzgründen unterdrückt" in flat and "Öffentliche Fassung" in flat
    assert " 2 " not in " ".join(row(text, "Sozialraum 01"))
    wb = load_workbook(io.BytesIO(files.xlsx))
    ws = wb["Eckwert HzE Sozialräume"]
    cells = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 5)] for r in range(1, ws.max_row + 1)}
    assert cells["Sozialraum 01"] == [".", 1000, "."]
    assert cells["Sozialraum 03"] == [20, 1000, 20]
    assert any("unterdrückt" in str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1))
    cover = wb["Bericht"]
    assert "öffentlich" in " ".join(str(c.value) for c in cover["B"] if c.value)


def test_chosen_sections_and_own_text(tmp_path):
    from openpyxl import load_workbook

    own = "Für die Sitzung am 12.03.: <b>Bitte</b> beachten & prüfen.\n\nZweiter Absatz."
    files = build_report(small_town(), ReportRequest(year=2023, sections=["datenqualitaet", "zusammenfassung"],
                                                     texts={"zusammenfassung": own, "karte": "nicht gewählt"}))
    text = pdf_text(files.pdf, tmp_path)
    flat = " ".join(text.split())
    assert "Für die Sitzung am 12.03.: <b>Bitte</b> beachten & prüfen." in flat  # shown as written, not markup
    assert "Zweiter Absatz." in flat and "nicht gewählt" not in flat
    toc = re.findall(r"^(\S.*?)\s*(?:\. )+\.?\s*(\d+)\s*$", text.split("\f")[1], flags=re.M)
    assert [t.strip() for t, _p in toc] == ["Auf einen Blick: Kennzahlen 2023", "Anhang: Datenqualität"]
    assert "Eckwert HzE nach Sozialräumen" not in flat
    wb = load_workbook(io.BytesIO(files.xlsx))
    assert wb.sheetnames == ["Bericht", "Auf einen Blick", "Datenqualität", "Indikatoren"]


def test_names_that_look_like_formulas_stay_text_in_the_workbook():
    from openpyxl import load_workbook

    files = build_report(small_town('=HYPERLINK("http://x","y")'), ReportRequest(year=2023, sections=["karte"]),
                         pdf=False)
    assert files.pdf is None
    ws = load_workbook(io.BytesIO(files.xlsx))["Eckwert HzE Sozialräume"]
    cell = next(c for r in ws.iter_rows() for c in r if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_german_errors_for_year_without_data_and_unknown_section():
    ds = small_town()
    with pytest.raises(ReportError, match="Für das Jahr 2019 liegen keine Daten vor. Vorhandene Jahre: 2022, 2023"):
        build_report(ds, ReportRequest(year=2019))
    with pytest.raises(ReportError, match="Unbekannter Abschnitt: karten"):
        build_report(ds, ReportRequest(year=2023, sections=["karten"]))
    with pytest.raises(ReportError, match="mindestens einen Abschnitt"):
        build_report(ds, ReportRequest(year=2023, sections=[]))


def test_quality_lines_of_several_years_are_grouped_and_public_lines_hide_small_counts():
    from data_models.quality import QualityLine

    advice = "Ergänzen Sie die Sozialraum-ID."
    lines = [QualityLine("Hinweis", "HzE-Einzeldaten", y,
                         f"{n} von {t} Einzeldatensätzen ({p}) sind keinem Sozialraum zugeordnet (sie zählen im "
                         "Gesamtwert, nicht auf der Karte).", advice)
             for y, n, t, p in ((2022, 2, 100, "2,0 %"), (2023, 5, 120, "4,2 %"))]
    lines.append(QualityLine("Warnung", "Bevölkerung", 2023, "Keine vollständige Bevölkerung für: Nord (01).",
                             "Tragen Sie die Altersgruppen ein."))
    rows = quality_rows(lines, public=False)
    assert rows[0][:3] == ["Hinweis", "HzE-Einzeldaten", "2022, 2023"]
    assert rows[0][3] == ("2022: 2 von 100 Einzeldatensätzen (2,0 %)\n2023: 5 von 120 Einzeldatensätzen (4,2 %)\n"
                          "– jeweils: sind keinem Sozialraum zugeordnet (sie zählen im Gesamtwert, nicht auf der "
                          "Karte).")
    assert rows[0][4] == advice
    assert rows[1][3] == "Keine vollständige Bevölkerung für: Nord (01)."
    public = quality_rows(lines, public=True)
    assert public[0][3].startswith("2022: . von 100 Einzeldatensätzen (.)\n2023: 5 von 120 Einzeldatensätzen (4,2 %)")
    assert public_quality_text("1 von 2 Einzeldatensätzen (50,0 %) x") == ". von . Einzeldatensätzen (.) x"
    assert public_quality_text("Keine Bevölkerung.") == "Keine Bevölkerung."


@pytest.mark.parametrize("public", [False, True])
def test_every_section_renders_for_a_tenant_with_little_data(tmp_path, public):
    """No geometry, no costs, no staff, no § 8a/§ 42, no records: every section still renders and says what is
    missing instead of failing."""
    files = build_report(small_town(), ReportRequest(year=2023, public=public))
    text = " ".join(pdf_text(files.pdf, tmp_path).split())
    assert "Für die Karte fehlen die Sozialraumgrenzen" in text
    assert "Für das Wächteramt liegen keine Daten vor" in text
    assert "Kennzahlen der Ressourcen 2023 (Gesamt)" in text and "Anhang: Datenqualität" in text
    assert "Es sind keine Sozialraumgrenzen hinterlegt." in text  # from the data-quality check
