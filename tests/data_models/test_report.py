"""The report for the demo municipality, end to end through `manage.py report`: the PDF is turned into PNG pages
(pdftoppm) and text (pdftotext); the key figures in the text equal `manage.py indicators`; the workbook holds the
same numbers; generation is timed; the audit log names the report without figures."""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import ROOT

YEAR = 2024
BUDGET_S = 20.0


def need_poppler() -> None:
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("pdftoppm/pdftotext fehlen: bitte als root 'apt-get install poppler-utils' ausführen "
                    "(tests/run_all.sh installiert es).")


def de(value: float, decimals: int) -> str:
    """German number text, rounded half away from zero (written here independently of the app)."""
    d = Decimal(f"{value:.15g}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(d):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if d < 0 else "") + text


def shown(value: float, unit: str, is_count: bool) -> str:
    if unit == "EUR":
        return de(value, 0) + " €"
    if unit == "%":
        return de(value, 1) + " %"
    if unit == "Verhältnis":
        return de(value, 2)
    if is_count:
        return de(value, 0)
    return de(value, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    need_poppler()
    tmp = tmp_path_factory.mktemp("report")
    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=f"sqlite:///{tmp / 'demo.sqlite'}",
               STRATEGIEKARTE_DATA_DIR=str(tmp), STRATEGIEKARTE_BCRYPT_ROUNDS="4")

    def run(*args, check=0):
        p = subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                           text=True)
        assert p.returncode == check, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
        return p

    run("seed-demo")
    pdf, xlsx = tmp / "bericht.pdf", tmp / "bericht.xlsx"
    load = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = run("report", "--tenant", "musterstadt", "--year", YEAR, "--out", pdf, "--xlsx", xlsx)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    load = max(load, os.getloadavg()[0])
    ind = {}
    for y in (YEAR - 1, YEAR):
        ind[y] = json.loads(run("indicators", "--tenant", "musterstadt", "--year", y).stdout)
    return {"run": run, "tmp": tmp, "pdf": pdf, "xlsx": xlsx, "stderr": p.stderr, "wall": wall, "cpu": cpu,
            "load": load, "ind": ind, "env": env}


def page_texts(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def value_of(demo, year: int, sozialraum: str, indicator: str) -> dict:
    rows = [r for r in demo["ind"][year] if r["sozialraum_id"] == sozialraum and r["indikator"] == indicator]
    assert len(rows) == 1
    return rows[0]


def test_generation_time_is_within_budget(demo):
    print(f"\nmanage.py report (Demo, {YEAR}, PDF + Excel): {demo['wall']:.1f} s Laufzeit, {demo['cpu']:.1f} s CPU, "
          f"Last {demo['load']:.1f} auf {os.cpu_count()} Kernen")
    # on a machine shared with other jobs (load above the number of cores) the wall clock measures the neighbours;
    # then the CPU time of the command is what it costs itself
    measured = demo["wall"] if demo["load"] <= (os.cpu_count() or 1) else demo["cpu"]
    assert measured < BUDGET_S, f"Bericht brauchte {measured:.1f} s (Budget {BUDGET_S} s)"
    assert f"Bericht {YEAR} geschrieben" in demo["stderr"]


def test_pdf_pages_as_png_and_page_numbers(demo, tmp_path):
    from PIL import Image

    info = subprocess.run(["pdfinfo", str(demo["pdf"])], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(demo["pdf"]), str(tmp_path / "seite")], check=True)
    pngs = sorted(tmp_path.glob("seite-*.png"))
    assert len(pngs) == pages
    assert 12 <= pages <= 30, pages  # title, contents, eight sections over several pages
    for png in pngs:  # every page has something on it (no blank page)
        lo, _hi = Image.open(png).convert("L").getextrema()
        assert lo < 128, png.name
    texts = page_texts(demo["pdf"])
    assert len(texts) == pages
    title = " ".join(texts[0].split())
    assert "Bericht für den Jugendhilfeausschuss" in title and "Musterstadt" in title
    assert "Seite" not in texts[0]  # the title page has no footer
    for k, t in enumerate(texts[1:], start=2):
        assert f"Seite {k} von {pages}" in t
    # table of contents: every entry points at the page that carries the heading
    toc = re.findall(r"^(\S.*?)\s*(?:\. )+\.?\s*(\d+)\s*$", texts[1], flags=re.M)
    titles = [t.strip() for t, _p in toc]
    assert titles[0] == f"Auf einen Blick: Kennzahlen {YEAR}" and titles[-1] == "Anhang: Datenqualität"
    assert len(toc) == 8
    for title, page in toc:
        assert title in texts[int(page) - 1], (title, page)


def test_title_page_names_the_data_versions(demo):
    versions = json.loads(demo["run"]("versions", "--tenant", "musterstadt", "--format", "json").stdout)
    title = page_texts(demo["pdf"])[0]
    assert "Verwendete Daten" in title and f"Berichtsjahr {YEAR}" in title and "Interne Fassung" in title
    for v in versions:
        assert v["datei"] in title.replace("\n", " ") or v["datei"].split(".")[0] in title
    assert f"Version {versions[-1]['version']}" in title


def test_key_figures_equal_manage_py_indicators(demo):
    from data_models.indicators.catalogue import CATALOGUE
    from data_models.report.content import KEY_FIGURES

    texts = page_texts(demo["pdf"])
    summary = next(t for t in texts if f"Auf einen Blick: Kennzahlen {YEAR}" in t and "Veränderung" in t)
    lines = summary.splitlines()
    checked = 0
    for _group, ids in KEY_FIGURES:
        for i in ids:
            ind = CATALOGUE[i]
            now = value_of(demo, YEAR, "GESAMT", i)
            before = value_of(demo, YEAR - 1, "GESAMT", i)
            assert now["wert"] is not None
            label_head = ind.label[:30]
            line = next(l for l in lines if l.strip().startswith(label_head))
            cells = re.split(r"\s{2,}", line.strip())
            expected = shown(now["wert"], ind.unit, ind.is_count)
            assert expected in cells, (i, expected, cells)
            if before["wert"] is not None:
                assert shown(before["wert"], ind.unit, ind.is_count) in cells, (i, cells)
                if ind.unit == "%":
                    change = now["wert"] - before["wert"]
                    text = ("±" if de(abs(change), 1) == "0,0" else "+" if change > 0 else "-") + \
                        de(abs(change), 1) + " Pp."
                else:
                    change = (now["wert"] / before["wert"] - 1) * 100
                    text = ("+" if change > 0 else "-") + de(abs(change), 1) + " %"
                assert text in cells, (i, text, cells)
            checked += 1
    assert checked == sum(len(ids) for _g, ids in KEY_FIGURES) >= 15
    # the Eckwert HzE of every Sozialraum in the comparison table
    table = next(t for t in texts if f"Eckwert HzE nach Sozialraum, {YEAR}" in t)
    for r in demo["ind"][YEAR]:
        if r["indikator"] != "hze_dichte" or r["sozialraum_id"] in ("GESAMT", "OHNE"):
            continue
        line = next(l for l in table.splitlines() if l.strip().startswith(r["sozialraum"] + " "))
        faelle = value_of(demo, YEAR, r["sozialraum_id"], "hze_faelle")["wert"]
        cells = re.split(r"\s{2,}", line.strip())
        assert cells[1] == de(faelle, 0) and cells[3] == de(r["wert"], 1), (r["sozialraum"], cells)


def test_every_indicator_is_explained(demo):
    from data_models.indicators.catalogue import CATALOGUE

    text = " ".join(" ".join(page_texts(demo["pdf"])).split())
    start = text.index("Erläuterung der Kennzahlen Jede Kennzahl")
    explained = text[start:]
    for ind in CATALOGUE.values():
        assert f"{ind.label} ({ind.unit})" in explained, ind.id
    assert "Anhang: Datenqualität" in explained and "Vorhandene Daten je Jahr" in explained


def test_workbook_has_the_same_numbers_and_a_sheet_per_section(demo):
    from openpyxl import load_workbook

    from data_models.indicators.catalogue import CATALOGUE

    wb = load_workbook(demo["xlsx"])
    assert wb.sheetnames == ["Bericht", "Auf einen Blick", "Eckwert HzE Sozialräume", "Entwicklung", "Leistungen",
                             "Ressourcen", "Wächteramt", "Datenqualität", "Indikatoren"]
    ws = wb["Auf einen Blick"]
    header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "Kennzahl")
    assert ws.freeze_panes == f"B{header + 1}"
    years = [ws.cell(header, c).value for c in range(1, 6)]
    assert years == ["Kennzahl", "Einheit", str(YEAR - 1), str(YEAR), "Veränderung"]
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, header + 40) if ws.cell(r, 1).value}
    for i, fmt in (("hze_dichte", "#,##0.0"), ("hze_faelle", "#,##0"), ("anteil_stationaer", '0.0 "%"'),
                   ("ausgaben_hze", '#,##0 "€"')):
        c = ws.cell(rows[CATALOGUE[i].label], 4)
        assert c.value == pytest.approx(value_of(demo, YEAR, "GESAMT", i)["wert"], rel=1e-12)
        assert c.number_format == fmt
    assert ws.column_dimensions["A"].width >= 30
    assert ws.tables  # an Excel table with filter buttons
    ind = wb["Indikatoren"]
    assert ind.freeze_panes == "C2"
    assert {ind.cell(r, 1).value for r in range(2, ind.max_row + 1)} == set(CATALOGUE)
    soz = wb["Eckwert HzE Sozialräume"]
    names = {soz.cell(r, 1).value: r for r in range(1, soz.max_row + 1)}
    altstadt = value_of(demo, YEAR, "01", "hze_dichte")
    assert soz.cell(names[altstadt["sozialraum"]], 4).value == pytest.approx(altstadt["wert"], rel=1e-12)


def test_report_creation_is_audited_without_figures(demo):
    from data_models.accounts import get_tenant_by_slug
    from data_models.audit import read_log
    from data_models.db import get_engine

    engine = get_engine(demo["env"]["STRATEGIEKARTE_DATABASE_URL"])
    log = read_log(engine, get_tenant_by_slug(engine, "musterstadt").id)
    entries = log[log["Aktion"] == "Bericht"]
    assert len(entries) == 1
    details = entries.iloc[0]["Details"]
    assert entries.iloc[0]["Benutzer"] == "Kommandozeile"
    assert details.startswith(f"Bericht {YEAR} (intern; PDF/Excel; Datenstand ")
    hze = value_of(demo, YEAR, "GESAMT", "hze_faelle")["wert"]
    assert de(hze, 0) not in details and str(int(hze)) not in details


def test_usage_errors(demo):
    run, tmp = demo["run"], demo["tmp"]
    assert "keine Daten" in run("report", "--tenant", "musterstadt", "--year", 1990, "--out", tmp / "x.pdf",
                                check=2).stderr
    assert "gibt es nicht" in run("report", "--tenant", "gibtsnicht", "--year", YEAR, "--out", tmp / "x.pdf",
                                  check=2).stderr
    p = run("report", "--tenant", "musterstadt", "--year", YEAR, "--out", tmp / "fehlt" / "x.pdf", check=1)
    assert "lässt sich nicht schreiben" in p.stderr
    assert not (tmp / "x.pdf").exists()
