"""One measurement in a child process of `bench/run.py`, so that its peak memory (ru_maxrss, read by the parent with
os.wait4) belongs to this measurement alone. Prints one JSON object on the last line of stdout.

Modes (first argument):
- `import FILE KIND [--raise-limit]`: a fresh SQLite database with one tenant and the 30 Sozialräume (set-up, not
  timed), then timed: read the file, validate, store it as a version (`import_file`, as `manage.py import` does), and
  load the tenant's current data with the derived aggregates (`load_dataset`: records assigned to Sozialräume, the
  `hze` table per year × Sozialraum × Hilfeart built). `--raise-limit` lifts the 500 MB "unzipped" guard for the
  1,000,000-row workbook (the app itself refuses that file, see latest.md).
- `duckdb FILE`: DuckDB runs the same aggregation (jahr × Sozialraum × Hilfeart: begonnen, beendet, andauernd,
  junge Menschen) on the same CSV.
- `indicators URL SLUG`: load + derive the tenant's data once, then all indicators (`compute_indicators`), timed
  separately.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("STRATEGIEKARTE_BCRYPT_ROUNDS", "4")

WORK = ROOT / "bench" / "work"


def vm_hwm_mb() -> float | None:
    """This process's own peak RSS (VmHWM). ru_maxrss from wait4 is not enough: Linux keeps the larger of the
    parent's and the child's high-water mark across fork and exec, so after `bench/run.py` itself had generated the
    1,000,000-row workbook (5 GB) every child reported 5 GB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def emit(obj: dict) -> None:
    obj = {**obj, "vm_hwm_mb": vm_hwm_mb()}
    sys.stdout.write("\n" + json.dumps(obj) + "\n")
    sys.stdout.flush()


def mode_import(path: Path, kind: str, raise_limit: bool) -> dict:
    from data_models import store, tenant_data
    from data_models.accounts import create_tenant
    from data_models.database import init_db
    from data_models.importers import run_importer

    tmp = Path(tempfile.mkdtemp(prefix="imp_", dir=WORK))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    eng = init_db(url)
    t = create_tenant(eng, slug="bench", name="Bench", typ="stadt")
    if kind != "masterdatei":
        soz = (WORK / "sozialraeume_30.xlsx").read_bytes()
        o = tenant_data.import_file(eng, t.id, "bench", soz, "sozialraeume_30.xlsx", kind="masterdatei")
        assert o.version, [f.text() for f in o.result.findings]

    t0, c0 = time.perf_counter(), time.process_time()
    data = path.read_bytes()
    if raise_limit:  # import_file with the unzipped-size guard lifted (same steps otherwise)
        ctx = tenant_data.import_context(eng, t.id)
        ctx.max_unzipped_bytes = 4 * 1024 ** 3
        result = run_importer(data, path.name, kind, ctx)
        version = store.save_import(eng, t.id, "bench", result, data) if result.ok else None
    else:
        outcome = tenant_data.import_file(eng, t.id, "bench", data, path.name, kind=kind)
        result, version = outcome.result, outcome.version
    t1, c1 = time.perf_counter(), time.process_time()
    out = {"ok": bool(result.ok), "version": version, "import_s": t1 - t0, "import_cpu_s": c1 - c0,
           "errors": [f.text() for f in result.findings if f.schwere == "Fehler"][:3]}
    if result.ok:
        ds = tenant_data.load_dataset(eng, t.id, "Bench")
        t2, c2 = time.perf_counter(), time.process_time()
        table = "hze_records" if kind == "hze" else "sozialraeume"
        out.update(derive_s=t2 - t1, total_s=t2 - t0, cpu_s=c2 - c0, rows=int(len(ds[table])), hze_rows=int(len(ds["hze"])),
                   hze_begonnen=int(ds["hze"]["begonnen"].sum()) if len(ds["hze"]) else 0)
    else:
        out.update(total_s=t1 - t0, cpu_s=c1 - c0, rows=0)
    eng.dispose()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return out


DUCKDB_SQL = """
SELECT "Berichtsjahr" AS jahr, "Sozialraum-ID" AS sozialraum_id, "Art der Hilfe" AS hilfeart,
  sum(CASE WHEN "Beginn Jahr" = "Berichtsjahr" THEN 1 ELSE 0 END) AS begonnen,
  sum(CASE WHEN "Ende Jahr" IS NOT NULL OR "Ende Monat" IS NOT NULL THEN 1 ELSE 0 END) AS beendet,
  sum(CASE WHEN "Ende Jahr" IS NULL AND "Ende Monat" IS NULL THEN 1 ELSE 0 END) AS andauernd,
  sum(coalesce("Junge Menschen in der Familie", 1)) AS junge_menschen
FROM read_csv(?, delim=';', header=true)
GROUP BY ALL ORDER BY ALL
"""


def mode_duckdb(path: Path) -> dict:
    import duckdb

    t0, c0 = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    rows = con.execute(DUCKDB_SQL, [str(path)]).fetchall()
    t1, c1 = time.perf_counter(), time.process_time()
    return {"ok": True, "total_s": t1 - t0, "cpu_s": c1 - c0, "groups": len(rows), "begonnen": int(sum(r[3] for r in rows)),
            "threads": int(con.execute("SELECT current_setting('threads')").fetchone()[0])}


def mode_indicators(url: str, slug: str, repeats: int) -> dict:
    from data_models.accounts import get_tenant_by_slug
    from data_models.db import get_engine
    from data_models.indicators.engine import compute_indicators
    from data_models.tenant_data import load_dataset

    eng = get_engine(url)
    t = get_tenant_by_slug(eng, slug)
    loads, computes, cpu_loads, cpu_computes = [], [], [], []
    n = 0
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        ds = load_dataset(eng, t.id, t.name)
        t1, c1 = time.perf_counter(), time.process_time()
        frame = compute_indicators(ds)
        t2, c2 = time.perf_counter(), time.process_time()
        loads.append(t1 - t0)
        computes.append(t2 - t1)
        cpu_loads.append(c1 - c0)
        cpu_computes.append(c2 - c1)
        n = len(frame)
    return {"ok": True, "load_s": loads, "compute_s": computes, "load_cpu_s": cpu_loads, "compute_cpu_s": cpu_computes,
            "rows": n,
            "indicators": int(frame["indikator"].nunique()), "years": len(ds.years()),
            "sozialraeume": int(len(ds["sozialraeume"]))}


def main(argv: list[str]) -> int:
    mode = argv[0]
    try:
        if mode == "import":
            out = mode_import(Path(argv[1]), argv[2], "--raise-limit" in argv)
        elif mode == "duckdb":
            out = mode_duckdb(Path(argv[1]))
        elif mode == "indicators":
            out = mode_indicators(argv[1], argv[2], int(argv[3]) if len(argv) > 3 else 3)
        else:
            raise SystemExit(f"unknown mode {mode}")
    except Exception as exc:  # noqa: BLE001 - reported as a failed measurement
        import traceback

        traceback.print_exc()
        out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    emit(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
