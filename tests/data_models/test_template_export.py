"""The Masterdatei template and the export: structure, import of the empty and a filled template, round trip."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from data_models.codes import CODES, SEGMENTS
from data_models.export_masterdatei import masterdatei_bytes, write_masterdatei
from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.masterdatei import COLUMNS, import_masterdatei
from data_models.schema import SHEETS, TABLES
from data_models.template import CODE_LISTS, template_bytes, write_template
from tests.data_models.test_masterdatei import full_workbook
from tests.fixtures.make_bad_fixtures import xlsx_bytes


def obj(values) -> pd.Series:
    """A text column as the importers give it: object dtype, None for empty (pandas 3 would infer "str")."""
    return pd.Series(values, dtype=object)


@pytest.fixture(scope="module")
def template() -> bytes:
    return template_bytes()


def test_template_sheets_headers_and_layout(template, tmp_path):
    path = tmp_path / "vorlage.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Hinweise", *SHEETS.values(), "Codes"]
    for kind, name in SHEETS.items():
        ws = wb[name]
        headers = [c.value for c in ws[1]]
        assert headers == [c.headers[0] for c in COLUMNS[kind]] + ["Beispiel"]
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width >= 12
        # every example row is marked with x in the Beispiel column
        for row in ws.iter_rows(min_row=2, values_only=True):
            assert row[-1] == "x"
        assert ws.max_row >= 2
    hinweise = "\n".join(str(c.value) for c in wb["Hinweise"]["A"] if c.value)
    for name in SHEETS.values():
        assert f"Blatt „{name}“" in hinweise
    assert "Beispiel" in hinweise and "keine Daten" in hinweise


def test_template_drop_downs(template):
    wb = openpyxl.load_workbook(io.BytesIO(template))

    def validations(sheet):
        return {str(dv.sqref): dv.formula1 for dv in wb[sheet].data_validations.dataValidation}

    assert validations("HzE") == {"C2:C5000": "Codes!$A$2:$A$17"}  # 16 Art-der-Hilfe codes
    assert validations("§ 8a Melder") == {"C2:C5000": "Codes!$C$2:$C$13"}  # 12 Melder codes
    assert validations("Kosten") == {"C2:C5000": "Codes!$B$2:$B$23"}  # gesamt + 5 segments + 16 codes
    assert validations("Zugänge") == {"E2:E5000": "Codes!$D$2:$D$9"}
    codes = wb["Codes"]
    assert codes["A2"].value == "01 – " + CODES["art_der_hilfe"]["01"]
    assert [codes.cell(r, 2).value for r in range(2, 8)] == ["gesamt", *SEGMENTS]


def test_empty_template_imports_without_errors_and_without_rows(template):
    r = import_masterdatei(template, "vorlage.xlsx", ImportContext())
    assert r.tables == {}
    assert [f for f in r.findings if f.schwere in (FEHLER, WARNUNG)] == []
    assert [f.art for f in r.findings] == ["keine_zeilen"]  # Sozialräume unchanged, said as a Hinweis


def test_every_drop_down_entry_imports_as_its_code(template):
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Sozialräume"]
    ws.append(["01", "Nord"])
    hze = wb["HzE"]
    for entry in CODE_LISTS["code:art_der_hilfe"][1]:
        hze.append([2024, "01", entry, 1, 0, 1])
    kosten = wb["Kosten"]
    for year, entry in zip(range(2000, 2100), CODE_LISTS["kosten_hilfeart"][1]):
        kosten.append([year, None, entry, 1])  # one year each, so kinds are not mixed
    buf = io.BytesIO()
    wb.save(buf)
    r = import_masterdatei(buf.getvalue(), "v.xlsx", ImportContext())
    assert not [f for f in r.findings if f.schwere == FEHLER], [f.text() for f in r.findings][:5]
    assert r.tables["hze"]["hilfeart"].tolist() == list(CODES["art_der_hilfe"])
    assert r.tables["kosten"]["hilfeart"].tolist() == ["gesamt", *SEGMENTS, *CODES["art_der_hilfe"]]


def test_template_filled_by_code_imports_to_expected_frames(template):
    wb = openpyxl.load_workbook(io.BytesIO(template))
    wb["Sozialräume"].append(["A", "Altstadt", "Team 1", None, None, 2025])
    wb["Sozialräume"].append(["B", "Bergviertel", "Team 1"])
    wb["Bevölkerung"].append([2024, "A", 10, 20, 30, 40, 50, 60, 70, 300])  # groups sum to 280 <= 300
    wb["Bevölkerung"].append([2024, "B", 1, 2, 3, 4, 5, 6, 7, 28])  # 28 = sum, allowed
    wb["HzE"].append([2024, "A", "07 – § 31 Sozialpädagogische Familienhilfe", 2, 1, 3, 5])
    wb["HzE"].append([2024, "B", 11, 1, 0, 1])
    wb["Personal"].append([2024, "Team 1", 2.5])
    buf = io.BytesIO()
    wb.save(buf)
    r = import_masterdatei(buf.getvalue(), "ausgefuellt.xlsx", ImportContext())
    assert [f for f in r.findings if f.schwere != HINWEIS] == [], [f.text() for f in r.findings]
    assert list(r.tables) == ["sozialraeume", "bevoelkerung", "hze", "personal"]  # example rows skipped
    expected_sr = pd.DataFrame({"sozialraum_id": obj(["A", "B"]), "name": obj(["Altstadt", "Bergviertel"]),
                                "team": obj(["Team 1", "Team 1"]), "gemeindeschluessel": obj([None, None]),
                                "gueltig_ab": pd.array([None, None], dtype="Int64"),
                                "gueltig_bis": pd.array([2025, None], dtype="Int64")})
    pd.testing.assert_frame_equal(r.tables["sozialraeume"], expected_sr)
    hze = r.tables["hze"]
    assert hze[["sozialraum_id", "hilfeart"]].values.tolist() == [["A", "07"], ["B", "11"]]
    assert hze["junge_menschen"].tolist()[0] == 5 and pd.isna(hze["junge_menschen"].tolist()[1])
    assert r.tables["bevoelkerung"]["insgesamt"].tolist() == [300, 28]
    assert r.tables["personal"]["vzst"].tolist() == [2.5]


def test_round_trip_import_export_import():
    first = import_masterdatei(xlsx_bytes(full_workbook()), "m.xlsx", ImportContext())
    assert first.ok
    exported = masterdatei_bytes(first.tables)
    second = import_masterdatei(exported, "export.xlsx", ImportContext())
    assert [f for f in second.findings if f.schwere != HINWEIS] == []
    assert list(second.tables) == list(first.tables)
    for kind in first.tables:
        pd.testing.assert_frame_equal(first.tables[kind], second.tables[kind], obj=kind)


def test_export_keeps_formula_like_text_harmless_and_ids_as_text(tmp_path):
    sr = pd.DataFrame({"sozialraum_id": obj(["01", "1", "OST"]),
                       "name": obj(["=HYPERLINK(\"http://x\",\"klick\")", "+49", "@Ost"]),
                       "team": obj([None, "-Team-", None]), "gemeindeschluessel": obj(["05111000", None, None]),
                       "gueltig_ab": pd.array([None, 2020, None], dtype="Int64"),
                       "gueltig_bis": pd.array([None, None, None], dtype="Int64")})
    kosten = pd.DataFrame({"jahr": pd.array([2023, 2023], dtype="Int64"), "sozialraum_id": obj([None, "01"]),
                           "hilfeart": obj(["gesamt", "gesamt"]), "ausgaben": pd.array([1234.56, 99.5], dtype="Float64"),
                           "ansatz": pd.array([None, None], dtype="Float64"),
                           "einnahmen": pd.array([None, 1.0], dtype="Float64")})
    path = tmp_path / "export.xlsx"
    write_masterdatei({"sozialraeume": sr, "kosten": kosten}, path)
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)
    wb = openpyxl.load_workbook(path)
    assert wb["Sozialräume"]["B2"].data_type == "s" and wb["Sozialräume"]["A2"].value == "01"
    assert wb["Bevölkerung"].max_row == 1  # no data: header only
    r = import_masterdatei(path.read_bytes(), "export.xlsx", ImportContext())
    assert r.ok
    out = r.tables["sozialraeume"]
    assert out["name"].tolist() == sr["name"].tolist() and out["sozialraum_id"].tolist() == ["01", "1", "OST"]
    pd.testing.assert_frame_equal(out, sr)
    pd.testing.assert_frame_equal(r.tables["kosten"], kosten)


def test_export_columns_cover_the_schema():
    # every canonical column of a Masterdatei kind has a header in the template/export
    for kind in SHEETS:
        assert [c.name for c in COLUMNS[kind]] == list(TABLES[kind])
