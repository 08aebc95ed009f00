"""`make bench`: speed and scale of Strategiekarte, measured on this machine, written to bench/results/latest.json and
bench/results/latest.md (machine, versions, date, every figure with its target and whether it holds).

Figures (issue 8):
1. import of HzE records (CSV and xlsx; 10,000 / 100,000 / 1,000,000 rows) from file to stored version and derived
   aggregates, each in its own child process (wall time, rows/s, peak RSS of the child via os.wait4); DuckDB runs the
   same aggregation on the same CSV right after each repeat (side by side) and the ratio is taken per repeat;
2. a Masterdatei of 30 Sozialräume × 10 years with all sheets;
3. all indicators for 30 Sozialräume × 10 years with records (load + derive, then compute);
4. page reruns through AppTest (open each dashboard page, then filter changes), on SQLite and PostgreSQL;
5. a real `streamlit run` server on loopback: start page first paint in Chromium; one workshop participant alone in
   Chromium and as a websocket client side by side (the server's CPU per step: do the clients load the server like
   a browser?); then 10 / 25 / 50 workshop participants as websocket clients speaking Streamlit's protocol
   (bench/ws_clients.py; with the static files a browser fetches), 50 without the static files (served by a proxy),
   50 all at the same instant (stress), and 5 in headless Chromium as a cross-check (settle times, errors, server
   CPU and memory).
Every timed figure is the median of at least 3 repeats unless latest.md says otherwise. Inputs come from the
seeded bench/make_inputs.py under bench/work/ (git-ignored).

Command: `.venv/bin/python bench/run.py [--quick] [--only import,masterdatei,indicators,pages,browsers]`
(`--quick`: small sizes and fewer repeats, for trying the script; writes bench/work/quick.*, not latest.*;
`--only` with fewer than all parts writes bench/work/partial.*, not latest.*).
PostgreSQL: `BENCH_DATABASE_URL` (default: database `strategiekarte_bench` on 127.0.0.1:5432, created if missing);
unreachable -> the PostgreSQL figures are missing with a note.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("STRATEGIEKARTE_BCRYPT_ROUNDS", "4")

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/strategiekarte_bench"
PASSWORD = "bench-passwort-123"

TARGETS = {
    "import_csv_100k_s": ("100.000 HzE-Datensätze CSV → gespeichert", "< 5 s", 5.0),
    "import_csv_1m_s": ("1.000.000 HzE-Datensätze CSV → gespeichert", "< 30 s", 30.0),
    "import_csv_1m_peak_mb": ("1.000.000 CSV: Spitzen-Speicher", "< 3 GB", 3 * 1024.0),
    "import_csv_1m_vs_duckdb": ("1.000.000 CSV: Verhältnis zu DuckDB", "≤ 3×", 3.0),
    "masterdatei_s": ("Masterdatei 30 × 10, alle Blätter", "< 3 s", 3.0),
    "indicators_s": ("alle Kennzahlen, 30 × 10", "< 1 s", 1.0),
    "rerun_p95_sqlite_ms": ("Seiten-Neulauf nach Filterwechsel, p95 (SQLite)", "< 150 ms", 150.0),
    "rerun_p95_postgres_ms": ("Seiten-Neulauf nach Filterwechsel, p95 (PostgreSQL)", "< 150 ms", 150.0),
    "workshop_50_p95_s": ("50 gleichzeitige Teilnehmende (WebSocket-Clients, Workshop-Takt), p95 bis zur Ruhe",
                          "< 2 s", 2.0),
    "workshop_50_errors": ("50 gleichzeitige Teilnehmende (WebSocket-Clients), Fehler", "0", 0.0),
    "workshop_50_proxy_p95_s": ("50 Teilnehmende wie oben, statische Dateien vom Reverse-Proxy (nur WebSocket), p95",
                                "– (Annahme: Proxy)", None),
    "workshop_50_burst_p95_s": ("50 Teilnehmende alle im selben Augenblick, ohne Pause (Stresstest), p95",
                                "– (kein Ziel)", None),
    "workshop_chromium_p95_s": ("5 Teilnehmende in Chromium (Gegenprobe, Workshop-Takt), p95 bis zur Ruhe",
                                "– (Gegenprobe)", None),
    "first_paint_s": ("Startseite, erster Paint in Chromium", "< 1,5 s", 1.5),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pct(xs, q: float):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# --- child processes ------------------------------------------------------------------------------------------------

def child(args: list[str], timeout: float = 900, env: dict | None = None) -> dict:
    """Run `python args...` and return its JSON (last stdout line) plus wall time and the child's peak RSS (MB)."""
    with tempfile.TemporaryFile() as out, open(WORK / "child.log", "ab") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        lines = [ln for ln in out.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    try:
        res = json.loads(lines[-1])
    except (IndexError, ValueError):
        res = {"ok": False, "error": f"Kindprozess ohne Ergebnis (Exit {p.returncode}, siehe bench/work/child.log)"}
    res["child_wall_s"] = wall
    # the child's own high-water mark when it reports one (ru_maxrss includes the parent's, see runner.vm_hwm_mb)
    res["peak_rss_mb"] = res.get("vm_hwm_mb") or usage.ru_maxrss / 1024
    return res


# --- machine --------------------------------------------------------------------------------------------------------

def _version(mod: str) -> str:
    try:
        from importlib.metadata import version

        return version(mod)
    except Exception:  # noqa: BLE001
        return "?"


def machine(pg_url: str | None) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "nicht gefunden"
    pg = None
    if pg_url:
        try:
            from sqlalchemy import text

            from data_models.db import get_engine

            with get_engine(pg_url).connect() as c:
                pg = c.execute(text("SHOW server_version")).scalar()
        except Exception:  # noqa: BLE001
            pg = None
    try:  # BENCH_COMMIT: when measuring a `git archive` copy of a commit
        commit = os.environ.get("BENCH_COMMIT") or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        commit = "?"
    return {
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(int(mem) / 1024 ** 2, 1),
        "os": platform.platform(), "python": platform.python_version(), "commit": commit,
        "loadavg_start": os.getloadavg(),
        "versions": {m: _version(m) for m in ("streamlit", "pandas", "pyarrow", "numpy", "SQLAlchemy", "psycopg",
                                             "python-calamine", "duckdb", "playwright")},
        "chromium": chromium, "postgresql": pg,
    }


# --- PostgreSQL -----------------------------------------------------------------------------------------------------

def postgres_url() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    try:
        import psycopg

        base = url.replace("postgresql+psycopg://", "postgresql://")
        server, dbname = base.rsplit("/", 1)
        with psycopg.connect(server + "/postgres", autocommit=True, connect_timeout=5) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                c.execute(f'CREATE DATABASE "{dbname}"')
        return url
    except Exception as exc:  # noqa: BLE001
        log(f"PostgreSQL nicht erreichbar ({exc}); PostgreSQL-Zahlen fehlen.")
        return None


def fresh_database(url: str):
    """An empty database at the newest schema (SQLite: new file; PostgreSQL: all tables truncated)."""
    from data_models.database import init_db
    from data_models.db import metadata

    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
            if p.exists():
                p.unlink()
        return init_db(url)
    eng = init_db(url)
    with eng.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE")
    return eng


def setup_tenant30(url: str, inputs: dict) -> dict:
    """The 30 × 10 tenant with all sheets, records, assignment table and geometry; an admin `bench_admin`."""
    from data_models.accounts import create_tenant, create_user
    from data_models.tenant_data import import_file

    eng = fresh_database(url)
    t = create_tenant(eng, slug="bench30", name="Jugendamt Benchstadt", typ="stadt")
    create_user(eng, username="bench_admin", email="admin@bench.example", password=PASSWORD, role="admin",
                tenant_slug="bench30", name="Bench Admin")
    t0 = time.perf_counter()
    for key, kind in (("masterdatei", "masterdatei"), ("zuordnung_30x10", "zuordnung"), ("hze_30x10", "hze"),
                      ("8a_30x10", "8a"), ("42_30x10", "42"), ("geometrie", "geometrie")):
        path = inputs[key]
        o = import_file(eng, t.id, "bench", path.read_bytes(), path.name, kind=kind)
        if not o.version:
            raise RuntimeError(f"{path.name} abgelehnt: " + "; ".join(f.text() for f in o.result.findings[:5]))
    return {"url": url, "slug": "bench30", "setup_s": time.perf_counter() - t0}


# --- sections -------------------------------------------------------------------------------------------------------

def bench_import(inputs: dict, sizes, xlsx_sizes, repeats: int, one_shot_xlsx: int | None) -> dict:
    out = {"csv": {}, "xlsx": {}}
    for n in sizes:
        path = inputs[f"hze_{n}_csv"]
        runs, ducks = [], []
        for r in range(repeats):
            res = child(["bench/runner.py", "import", str(path), "hze"])
            duck = child(["bench/runner.py", "duckdb", str(path)])
            runs.append(res)
            ducks.append(duck)
            log(f"CSV {n:>9,}: {res.get('total_s', float('nan')):6.2f} s, {res['peak_rss_mb']:7.0f} MB; "
                f"DuckDB {duck.get('total_s', float('nan')):5.2f} s")
        out["csv"][str(n)] = summarise_import(n, runs, ducks)
    for n in xlsx_sizes:
        path = inputs[f"hze_{n}_xlsx"]
        runs, extra = [], {}
        reps = 1 if n == one_shot_xlsx else repeats
        if n == one_shot_xlsx:
            refused = child(["bench/runner.py", "import", str(path), "hze"])
            extra["app_refuses"] = {"ok": refused.get("ok"), "errors": refused.get("errors"),
                                    "seconds": refused.get("total_s")}
        for r in range(reps):
            args = ["bench/runner.py", "import", str(path), "hze"] + (["--raise-limit"] if n == one_shot_xlsx else [])
            res = child(args, timeout=1200)
            runs.append(res)
            log(f"xlsx {n:>9,}: {res.get('total_s', float('nan')):6.2f} s, {res['peak_rss_mb']:7.0f} MB "
                f"{'' if res.get('ok') else res.get('errors') or res.get('error')}")
        out["xlsx"][str(n)] = {**summarise_import(n, runs, None), **extra, "repeats": reps,
                               "limit_raised": n == one_shot_xlsx}
    return out


def summarise_import(n: int, runs: list[dict], ducks: list[dict] | None) -> dict:
    ok = [r for r in runs if r.get("ok")]
    d = {
        "rows": n, "repeats": len(runs), "ok": len(ok) == len(runs),
        "errors": [r.get("errors") or r.get("error") for r in runs if not r.get("ok")][:2],
        "total_s": median([r.get("total_s") for r in ok]),
        "cpu_s": median([r.get("cpu_s") for r in ok]),
        "import_s": median([r.get("import_s") for r in ok]),
        "derive_s": median([r.get("derive_s") for r in ok]),
        "peak_rss_mb": max((r["peak_rss_mb"] for r in runs), default=None),
        "all_total_s": [r.get("total_s") for r in runs],
        "hze_begonnen": ok[0].get("hze_begonnen") if ok else None,
    }
    d["rows_per_s"] = n / d["total_s"] if d["total_s"] else None
    if ducks:
        dk = [x for x in ducks if x.get("ok")]
        d["duckdb_s"] = median([x["total_s"] for x in dk])
        d["duckdb_cpu_s"] = median([x.get("cpu_s") for x in dk])
        d["duckdb_peak_rss_mb"] = max((x["peak_rss_mb"] for x in dk), default=None)
        d["duckdb_threads"] = dk[0].get("threads") if dk else None
        d["duckdb_begonnen"] = dk[0].get("begonnen") if dk else None
        ratios = [r["total_s"] / x["total_s"] for r, x in zip(runs, ducks) if r.get("ok") and x.get("ok")]
        d["ratio_to_duckdb"] = median(ratios)
        d["all_ratios"] = ratios
    return d


def bench_masterdatei(inputs: dict, repeats: int) -> dict:
    runs = [child(["bench/runner.py", "import", str(inputs["masterdatei"]), "masterdatei"]) for _ in range(repeats)]
    ok = [r for r in runs if r.get("ok")]
    log(f"Masterdatei 30×10: {[round(r.get('total_s', 0), 2) for r in runs]}")
    return {"repeats": repeats, "ok": len(ok) == len(runs), "total_s": median([r["total_s"] for r in ok]),
            "cpu_s": median([r.get("cpu_s") for r in ok]),
            "import_s": median([r["import_s"] for r in ok]), "derive_s": median([r["derive_s"] for r in ok]),
            "peak_rss_mb": max((r["peak_rss_mb"] for r in runs), default=None),
            "errors": [r.get("errors") or r.get("error") for r in runs if not r.get("ok")][:2],
            "all_total_s": [r.get("total_s") for r in runs]}


def bench_indicators(tenant: dict, repeats: int) -> dict:
    res = child(["bench/runner.py", "indicators", tenant["url"], tenant["slug"], str(repeats)])
    if not res.get("ok"):
        return {"ok": False, "error": res.get("error")}
    log(f"Kennzahlen 30×10: laden+ableiten {res['load_s']}, berechnen {res['compute_s']}")
    return {"ok": True, "repeats": repeats, "load_s": median(res["load_s"]), "compute_s": median(res["compute_s"]),
            "load_cpu_s": median(res["load_cpu_s"]), "compute_cpu_s": median(res["compute_cpu_s"]),
            "all_load_s": res["load_s"], "all_compute_s": res["compute_s"], "rows": res["rows"],
            "indicators": res["indicators"], "years": res["years"], "sozialraeume": res["sozialraeume"],
            "peak_rss_mb": res["peak_rss_mb"]}


def bench_pages(tenant: dict, n: int) -> dict:
    env = dict(os.environ, STRATEGIEKARTE_DATA_DIR=str(WORK / "appdata"), STRATEGIEKARTE_COOKIE_KEY="bench-" + "k" * 40)
    res = child(["bench/pages_bench.py", tenant["url"], tenant["slug"], "bench_admin", str(n)], timeout=900, env=env)
    if not res.get("ok"):
        return {"ok": False, "error": res.get("error")}
    pages = res["pages"]
    allr = [t for p in pages.values() for t in p["rerun_s"]]
    allc = [t for p in pages.values() for t in p["rerun_cpu_s"]]
    summary = {}
    for name, p in pages.items():
        summary[name] = {"filter": p["filter"], "open_ms": p["open_s"] * 1000,
                         "p50_ms": pct(p["rerun_s"], 0.5) * 1000, "p95_ms": pct(p["rerun_s"], 0.95) * 1000,
                         "max_ms": max(p["rerun_s"]) * 1000, "cpu_p50_ms": pct(p["rerun_cpu_s"], 0.5) * 1000,
                         "cpu_p95_ms": pct(p["rerun_cpu_s"], 0.95) * 1000, "errors": p["errors"]}
    log(f"Seiten ({tenant['url'].split(':')[0]}): p50 {pct(allr, .5) * 1000:.0f} ms, p95 {pct(allr, .95) * 1000:.0f} ms"
        f" (CPU p95 {pct(allc, .95) * 1000:.0f} ms)")
    return {"ok": True, "reruns_per_page": n, "p50_ms": pct(allr, 0.5) * 1000, "p95_ms": pct(allr, 0.95) * 1000,
            "cpu_p50_ms": pct(allc, 0.5) * 1000, "cpu_p95_ms": pct(allc, 0.95) * 1000,
            "errors": sum(len(p["errors"]) for p in pages.values()), "pages": summary,
            "peak_rss_mb": res["peak_rss_mb"]}


def _level(r: dict, n: int) -> dict:
    """Settle times (all steps together and per step), errors, server CPU and memory of one workshop level."""
    settle = [t for x in r["results"] for t in x["steps"].values()]
    per_step: dict[str, list[float]] = {}
    for x in r["results"]:
        for k, v in x["steps"].items():
            per_step.setdefault(k, []).append(v)
    errors = [x["error"] for x in r["results"] if x["error"]]
    return {"participants": n, "wall_s": r["wall_s"],
            "p50_s": pct(settle, 0.5), "p95_s": pct(settle, 0.95), "max_s": max(settle) if settle else None,
            "steps": {k: {"p50_s": pct(v, 0.5), "p95_s": pct(v, 0.95), "n": len(v)} for k, v in per_step.items()},
            "errors": len(errors), "error_samples": errors[:5],
            "server_cpu_s": r["server_cpu_s"], "server_cpu_pct": r["server_cpu_pct"],
            "server_rss_peak_mb": r["server_rss_peak_mb"], "client_cpu_s": r.get("client_cpu_s"),
            "browsers": r.get("browsers"), "loadavg_after": os.getloadavg(),
            "ws_mb": sum(x.get("ws_bytes", 0) for x in r["results"]) / 1e6,
            "static_mb": sum(x.get("static_bytes", 0) for x in r["results"]) / 1e6}


def _median_steps(runs: list[dict]) -> dict:
    steps = [k for k in runs[0]] if runs else []
    return {k: median([r.get(k) for r in runs]) for k in steps}


# pacing of a workshop: participants open the link within WORKSHOP_RAMP seconds after the facilitator's "bitte
# öffnen", then read for WORKSHOP_THINK seconds (uniform, seeded) before the next step
WORKSHOP_RAMP = 30.0
WORKSHOP_THINK = (5.0, 15.0)


def bench_browsers(levels, repeats_paint: int, fair_repeats: int = 3, chromium_n: int = 5,
                   burst: tuple = (50,), proxy: int | None = 50) -> dict:
    import browsers
    import ws_clients

    data = WORK / "server"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = dict(os.environ, STRATEGIEKARTE_DATA_DIR=str(data),
               STRATEGIEKARTE_DATABASE_URL=f"sqlite:///{data / 'server.sqlite'}",
               STRATEGIEKARTE_COOKIE_KEY="bench-" + "k" * 40)
    subprocess.run([sys.executable, "manage.py", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = browsers.Server(env, data / "server.log")
    pacing = ws_clients.Pacing(ramp=WORKSHOP_RAMP, think=WORKSHOP_THINK)
    out: dict = {"database": "SQLite (Demo Musterstadt)", "levels": {}, "levels_proxy": {}, "burst": {},
                 "chromium_levels": {},
                 "pacing": {"ramp_s": pacing.ramp, "think_s": list(pacing.think), "seed": pacing.seed}}
    try:
        paints = browsers.first_paint(server, repeats_paint)
        out["first_paint"] = {"repeats": len(paints), "fcp_s": median([p["fcp_s"] for p in paints]),
                              "heading_s": median([p["heading_s"] for p in paints]),
                              "load_s": median([p["load_s"] for p in paints]),
                              "server_cpu_s": median([p["server_cpu_s"] for p in paints]),
                              "ws_open_s": median([p["ws_open_s"] for p in paints]),
                              "first_message_s": median([p["first_message_s"] for p in paints]),
                              "warm_heading_s": median([p["warm"]["heading_s"] for p in paints]),
                              "warm_fcp_s": median([p["warm"]["fcp_s"] for p in paints]),
                              "all": paints}
        fp = out["first_paint"]
        log(f"Erster Paint: FCP {fp['fcp_s']}, Überschrift {fp['heading_s']:.2f} s (mit Skripten im Cache "
            f"{fp['warm_heading_s']:.2f} s), Server-CPU je Aufruf {fp['server_cpu_s']:.2f} s")

        # the facilitator opens the demo first in Chromium (caches warm; records the static files of each step)
        warm = browsers.one_participant_cpu(server)
        out["warmup"] = {"steps": warm["steps"], "error": warm["error"]}
        plan = warm["static"]
        if warm["error"] or not plan.count():
            raise RuntimeError(f"Aufwärmen in Chromium fehlgeschlagen: {warm['error']}")

        # fairness: the server's CPU per step for one participant, Chromium vs websocket client, side by side
        fair = {"chromium": [], "ws": [], "ws_static": [], "static_only": []}
        for _ in range(fair_repeats):
            c = browsers.one_participant_cpu(server)
            fair["chromium"].append(c["server_cpu_s"])
            fair["ws"].append(ws_clients.one_participant_cpu(server)["server_cpu_s"])
            fair["ws_static"].append(ws_clients.one_participant_cpu(server, plan)["server_cpu_s"])
            fair["static_only"].append(ws_clients.static_only_cpu(server, plan))
        f = {k: _median_steps(fair[k]) for k in ("chromium", "ws", "ws_static")}
        totals = {k: sum(v for v in f[k].values() if v is not None) for k in f}
        so = fair["static_only"]
        out["fairness"] = {
            "repeats": fair_repeats, "per_step_cpu_s": f, "per_participant_cpu_s": totals,
            "ratio_ws_static_to_chromium": totals["ws_static"] / totals["chromium"] if totals["chromium"] else None,
            "static": {"requests": so[0]["requests"], "mb": so[0]["bytes"] / 1e6,
                       "server_cpu_s": median([x["server_cpu_s"] for x in so])},
            "all": {k: fair[k] for k in ("chromium", "ws", "ws_static")}}
        log(f"Server-CPU je Teilnehmer: Chromium {totals['chromium']:.2f} s, WebSocket {totals['ws']:.2f} s, "
            f"WebSocket + statische Dateien {totals['ws_static']:.2f} s; statische Dateien allein "
            f"{out['fairness']['static']['server_cpu_s']:.2f} s ({so[0]['requests']} Anfragen)")

        def run_ws(n, pace, bucket, static=plan):
            r = ws_clients.workshop(server, n, pace, static)
            lvl = _level(r, n)
            out[bucket][str(n)] = lvl
            log(f"{n} WebSocket-Teilnehmende ({bucket}): p50 {lvl['p50_s']}, p95 {lvl['p95_s']}, Fehler "
                f"{lvl['errors']}, Server-CPU {r['server_cpu_s']:.1f} s ({lvl['server_cpu_pct']:.0f} %), "
                f"RSS {r['server_rss_peak_mb']:.0f} MB, Client-CPU {r['client_cpu_s']:.1f} s")

        for n in levels:
            run_ws(n, pacing, "levels")
        if proxy:  # the same workshop with the static files served by a reverse proxy: only the websocket here
            run_ws(proxy, pacing, "levels_proxy", static=None)
        for n in burst:
            run_ws(n, ws_clients.Pacing(), "burst")
        if chromium_n:
            r = browsers.workshop(server, chromium_n, pacing=pacing)
            lvl = _level(r, chromium_n)
            out["chromium_levels"][str(chromium_n)] = lvl
            log(f"{chromium_n} Chromium-Teilnehmende: p50 {lvl['p50_s']}, p95 {lvl['p95_s']}, Fehler {lvl['errors']}")
        out["server_rss_hwm_mb"] = server.memory().get("VmHWM")
    finally:
        server.stop()
    return out


# --- evaluation and report ------------------------------------------------------------------------------------------

def figures(res: dict) -> dict:
    f: dict[str, float | None] = {}
    imp = res.get("import", {}).get("csv", {})
    if "100000" in imp:
        f["import_csv_100k_s"] = imp["100000"]["total_s"]
    if "1000000" in imp:
        f["import_csv_1m_s"] = imp["1000000"]["total_s"]
        f["import_csv_1m_peak_mb"] = imp["1000000"]["peak_rss_mb"]
        f["import_csv_1m_vs_duckdb"] = imp["1000000"].get("ratio_to_duckdb")
    if res.get("masterdatei", {}).get("ok"):
        f["masterdatei_s"] = res["masterdatei"]["total_s"]
    if res.get("indicators", {}).get("ok"):
        f["indicators_s"] = res["indicators"]["compute_s"]
    for db in ("sqlite", "postgres"):
        p = res.get("pages", {}).get(db)
        if p and p.get("ok"):
            f[f"rerun_p95_{db}_ms"] = p["p95_ms"]
    b = res.get("browsers", {})
    if "50" in b.get("levels", {}):
        f["workshop_50_p95_s"] = b["levels"]["50"]["p95_s"]
        f["workshop_50_errors"] = b["levels"]["50"]["errors"]
    if "50" in b.get("levels_proxy", {}):
        f["workshop_50_proxy_p95_s"] = b["levels_proxy"]["50"]["p95_s"]
    if "50" in b.get("burst", {}):
        f["workshop_50_burst_p95_s"] = b["burst"]["50"]["p95_s"]
    for lvl in b.get("chromium_levels", {}).values():
        f["workshop_chromium_p95_s"] = lvl["p95_s"]
    if b.get("first_paint"):
        f["first_paint_s"] = b["first_paint"]["heading_s"]
    out = {}
    for key, (label, target, limit) in TARGETS.items():
        v = f.get(key)
        holds = None if v is None or limit is None else (v <= limit if key.endswith("errors") or key.endswith("duckdb") else v < limit)
        if key == "workshop_50_p95_s" and v is None and f.get("workshop_50_errors"):
            holds = False  # every participant failed: no settle time to report, and certainly not < 2 s
        out[key] = {"figure": label, "value": v, "target": target, "holds": holds}
    return out


def _n(x, digits=2, unit=""):
    if x is None:
        return "–"
    s = f"{x:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return s + (f" {unit}" if unit else "")


def render_md(res: dict, notes: list[str]) -> str:
    m = res["machine"]
    lines = ["# Strategiekarte: `make bench`", "",
             f"Gemessen am {m['date']} auf {m['cpu']} ({m['cores']} Kerne, {m['ram_gb']} GB RAM), {m['os']}, "
             f"Python {m['python']}, Commit `{m['commit']}`. Dauer des Laufs: {_n(res['duration_s'] / 60, 1)} min.", "",
             "Versionen: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
             + f", {m['chromium']}, PostgreSQL {m['postgresql'] or '–'}.", "",
             f"Last (1/5/15 min) zu Beginn: {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}; am Ende: "
             f"{', '.join(f'{x:.2f}' for x in res['loadavg_end'])}.", ""]
    if notes:
        lines += ["**Hinweise zum Lauf:**", ""] + [f"- {n}" for n in notes] + [""]
    lines += ["## Ziele", "", "| Kennzahl | gemessen | Ziel | erfüllt |", "|---|---|---|---|"]
    for key, f in res["figures"].items():
        v = f["value"]
        if v is None:
            shown = "– (alle mit Fehler)" if key == "workshop_50_p95_s" and f["holds"] is False else "–"
        elif key.endswith("_ms"):
            shown = _n(v, 0, "ms")
        elif key.endswith("_mb"):
            shown = _n(v / 1024, 2, "GB")
        elif key.endswith("duckdb"):
            shown = _n(v, 1) + " ×"
        elif key.endswith("errors"):
            shown = str(int(v))
        else:
            shown = _n(v, 2, "s")
        holds = {True: "ja", False: "**nein**", None: "nicht gemessen"}[f["holds"]]
        if f["holds"] is None and v is not None:
            holds = "–"  # a figure without a target of its own (stress test, cross-check)
        lines.append(f"| {f['figure']} | {shown} | {f['target']} | {holds} |")
    lines += [""]
    imp = res.get("import")
    if imp:
        lines += ["## Import von HzE-Einzeldaten (Datei → gespeicherte Version → abgeleitete Aggregate)", "",
                  "Jeder Lauf in einem eigenen Kindprozess (frische SQLite-Datenbank, Mandant mit 30 Sozialräumen "
                  "vorab angelegt, nicht gemessen). Gemessen: Datei lesen, prüfen, Kennnummern hashen, als Version "
                  "speichern (`import_file`, wie `manage.py import`), dann `load_dataset` (Zuordnung zu Sozialräumen, "
                  "Tabelle `hze` je Jahr × Sozialraum × Hilfeart). Spitzen-Speicher = VmHWM des Kindprozesses "
                  "(sein eigener Höchststand, inklusive Python, pandas usw., ca. 0,2 GB). DuckDB: dieselbe Aggregation (begonnen, beendet, "
                  "andauernd, junge Menschen je Jahr × Sozialraum × Hilfeart) auf derselben CSV, direkt nach jedem "
                  "Lauf; das Verhältnis ist der Median der Verhältnisse je Wiederholung.", "",
                  "| Datei | Zeilen | Wdh. | gesamt | davon Import | davon Ableiten | CPU | Zeilen/s | Spitzen-RSS | "
                  "DuckDB (CPU) | Verhältnis |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for fmt in ("csv", "xlsx"):
            for n, d in imp.get(fmt, {}).items():
                lines.append(
                    f"| {fmt}{' (Grenze angehoben)' if d.get('limit_raised') else ''} | {_n(int(n), 0)} | "
                    f"{d['repeats']} | {_n(d['total_s'], 2, 's')} | {_n(d['import_s'], 2, 's')} | "
                    f"{_n(d['derive_s'], 2, 's')} | {_n(d.get('cpu_s'), 2, 's')} | {_n(d['rows_per_s'], 0)} | "
                    f"{_n(d['peak_rss_mb'], 0, 'MB')} | "
                    f"{(_n(d.get('duckdb_s'), 2, 's') + ' (' + _n(d.get('duckdb_cpu_s'), 2, 's') + ')') if fmt == 'csv' else '–'} | "
                    f"{(_n(d.get('ratio_to_duckdb'), 1) + ' ×') if d.get('ratio_to_duckdb') else '–'} |")
        for fmt in ("csv", "xlsx"):
            for n, d in imp.get(fmt, {}).items():
                if d.get("app_refuses"):
                    a = d["app_refuses"]
                    lines += ["", f"{fmt} mit {_n(int(n), 0)} Zeilen über `import_file` wie in der App: "
                                  f"{'angenommen' if a['ok'] else 'abgelehnt'} nach {_n(a['seconds'], 1, 's')}"
                                  + (f" – „{a['errors'][0]}“" if a.get("errors") else "")]
                if not d["ok"]:
                    lines += ["", f"{fmt} {n}: Fehler {d['errors']}"]
        lines += [""]
    md = res.get("masterdatei")
    if md:
        lines += ["## Masterdatei 30 Sozialräume × 10 Jahre, alle Blätter", "",
                  f"{md['repeats']} Wiederholungen: gesamt {_n(md['total_s'], 2, 's')}, CPU {_n(md.get('cpu_s'), 2, 's')} (Import "
                  f"{_n(md['import_s'], 2, 's')}, Laden + Ableiten {_n(md['derive_s'], 2, 's')}), Spitzen-RSS "
                  f"{_n(md['peak_rss_mb'], 0, 'MB')}; Einzelwerte {[round(x, 2) for x in md['all_total_s'] if x]}.", ""]
    ind = res.get("indicators")
    if ind and ind.get("ok"):
        lines += ["## Alle Kennzahlen 30 × 10 mit Einzeldaten", "",
                  f"Mandant mit Masterdatei (alle Blätter), HzE-, § 8a- und § 42-Einzeldaten 2015–2024, "
                  f"Zuordnungstabelle und Geometrie ({ind['sozialraeume']} Sozialräume, {ind['years']} Jahre). "
                  f"`compute_indicators` über alles: {_n(ind['compute_s'], 3, 's')}, CPU {_n(ind.get('compute_cpu_s'), 3, 's')} "
                  f"(Median von {ind['repeats']}; "
                  f"{ind['rows']:,} Zeilen, {ind['indicators']} Kennzahlen). Davor Laden aus der Datenbank + Ableiten "
                  f"(`load_dataset`): {_n(ind['load_s'], 2, 's')}, CPU {_n(ind.get('load_cpu_s'), 2, 's')}. Die App hält beides im Prozess-Cache je "
                  "Datenstand, ein Filterwechsel rechnet es nicht neu.", ""]
    pages = res.get("pages", {})
    if pages:
        lines += ["## Seiten-Neuläufe (AppTest, Serverzeit)", "",
                  "Angemeldet als Administration des 30 × 10-Mandanten. Je Seite: öffnen (die erste Seite lädt und "
                  "leitet die Daten ab, die folgenden treffen den Prozess-Cache), dann Filterwechsel (Jahr; ohne "
                  "Jahr: Kennzahl), jeder als ein `AppTest.run()` gemessen.", ""]
        for db, p in pages.items():
            if not p.get("ok"):
                lines += [f"{db}: nicht gemessen ({p.get('error')})", ""]
                continue
            lines += [f"**{db}**: alle Filterwechsel p50 {_n(p['p50_ms'], 0, 'ms')}, p95 {_n(p['p95_ms'], 0, 'ms')} "
                      f"({p['reruns_per_page']} je Seite), Fehler {p['errors']}; CPU-Zeit des Prozesses je Neulauf "
                      f"p50 {_n(p['cpu_p50_ms'], 0, 'ms')}, p95 {_n(p['cpu_p95_ms'], 0, 'ms')}.", "",
                      "| Seite | Filter | öffnen | p50 | p95 | max | CPU p50 | CPU p95 |",
                      "|---|---|---|---|---|---|---|---|"]
            for name, s in p["pages"].items():
                lines.append(f"| {name} | {s['filter']} | {_n(s['open_ms'], 0, 'ms')} | {_n(s['p50_ms'], 0, 'ms')} | "
                             f"{_n(s['p95_ms'], 0, 'ms')} | {_n(s['max_ms'], 0, 'ms')} | "
                             f"{_n(s['cpu_p50_ms'], 0, 'ms')} | {_n(s['cpu_p95_ms'], 0, 'ms')} |")
            lines += [""]
    b = res.get("browsers")
    if b:
        lines += _render_browsers(b)
    if res.get("explanations"):
        lines += ["## Ziele, die nicht erreicht sind oder knapp halten: warum, und was helfen würde", ""]
        lines += [f"- {e}" for e in res["explanations"]] + [""]
    return "\n".join(lines)


def _render_level_table(levels: dict, label: str) -> list[str]:
    out = [f"| {label} | p50 | p95 | max | Fehler | Dauer | Server-CPU | Server-CPU % | Server-RSS max |",
           "|---|---|---|---|---|---|---|---|---|"]
    for n, lv in levels.items():
        out.append(f"| {n} | {_n(lv['p50_s'], 2, 's')} | {_n(lv['p95_s'], 2, 's')} | {_n(lv['max_s'], 2, 's')} | "
                   f"{lv['errors']} | {_n(lv['wall_s'], 1, 's')} | {_n(lv['server_cpu_s'], 1, 's')} | "
                   f"{_n(lv['server_cpu_pct'], 0, '%')} | {_n(lv['server_rss_peak_mb'], 0, 'MB')} |")
    out.append("")
    for n, lv in levels.items():
        steps = "; ".join(f"{k} p50 {_n(v['p50_s'], 2, 's')} / p95 {_n(v['p95_s'], 2, 's')}"
                          for k, v in lv["steps"].items())
        out.append(f"- {n}: {steps}" + (f"; Fehler z. B.: {lv['error_samples'][:2]}" if lv["errors"] else ""))
    return out + [""]


def _render_browsers(b: dict) -> list[str]:
    fp = b.get("first_paint", {})
    lines = ["## Echter Server: erster Paint und Workshop", "",
             f"`streamlit run` auf 127.0.0.1 mit der Konfiguration des Projekts (`.streamlit/config.toml`), "
             f"Datenbank {b['database']}.", "",
             "### Erster Paint der Startseite (Chromium)", "",
             f"Frischer Browser-Kontext (leerer HTTP-Cache, wie beim ersten Besuch), Median von {fp.get('repeats')}: "
             f"Überschrift „Strategiekarte“ sichtbar nach **{_n(fp.get('heading_s'), 2, 's')}** (daran wird das "
             f"Ziel gemessen), First Contentful Paint {_n(fp.get('fcp_s'), 2, 's')}, `load`-Ereignis (Streamlits "
             f"JavaScript geladen und ausgeführt) {_n(fp.get('load_s'), 2, 's')}, WebSocket offen nach "
             f"{_n(fp.get('ws_open_s'), 2, 's')}, erste Nachricht des Servers nach "
             f"{_n(fp.get('first_message_s'), 2, 's')}; Server-CPU je Aufruf "
             f"{_n(fp.get('server_cpu_s'), 2, 's')}. Zweiter Aufruf im selben Kontext (Skripte aus dem HTTP-Cache, "
             f"wie bei wiederkehrenden Teilnehmenden): Überschrift nach {_n(fp.get('warm_heading_s'), 2, 's')}, "
             f"FCP {_n(fp.get('warm_fcp_s'), 2, 's')}.", ""]
    fair = b.get("fairness")
    pace = b.get("pacing", {})
    lines += ["### Workshop: Teilnehmende als WebSocket-Clients", "",
              "Jede Teilnehmerin spricht Streamlits eigenes Protokoll (`bench/ws_clients.py`): WebSocket "
              "`/_stcore/stream`, `BackMsg.rerun_script` mit Query-String, Seite, Widget-Zuständen (IDs aus den "
              "empfangenen Elementen) und den Hashes zwischengespeicherter Nachrichten – wie das Streamlit-Frontend. "
              "Dazu holt sie je Schritt per HTTP dieselben statischen Dateien, die ein echtes Chromium in diesem "
              "Schritt geholt hat (JavaScript, CSS, Schriften, `health`, `host-config`). Schritte: Demo öffnen "
              "(`?demo=1`), Jahr wechseln, Karte öffnen, Kennzahl wechseln; ein Schritt ist fertig, wenn "
              "`script_finished` eintrifft (und seine statischen Dateien geladen sind). Fehler: Exceptions in den "
              "Elementen, Zeitüberschreitung (60 s je Schritt), getrennte Verbindung, fehlgeschlagene Datei. "
              "Nicht enthalten ist, was der Browser selbst rechnet (JavaScript ausführen, Karte und Tabellen "
              "zeichnen) – das geschieht im Workshop auf den Rechnern der Teilnehmenden, nicht auf dem Server.", ""]
    if fair:
        f, t = fair["per_step_cpu_s"], fair["per_participant_cpu_s"]
        lines += ["**Belastet ein WebSocket-Client den Server wie ein Browser?** Eine Teilnehmerin allein, 1 s Pause "
                  f"zwischen den Schritten, Server-CPU je Schritt aus /proc (Median von {fair['repeats']}):", "",
                  "| Schritt | Chromium | WebSocket + statische Dateien | nur WebSocket |", "|---|---|---|---|"]
        for step in f["chromium"]:
            lines.append(f"| {step} | {_n(f['chromium'].get(step), 2, 's')} | {_n(f['ws_static'].get(step), 2, 's')} | "
                         f"{_n(f['ws'].get(step), 2, 's')} |")
        lines += [f"| **je Teilnehmerin** | **{_n(t['chromium'], 2, 's')}** | **{_n(t['ws_static'], 2, 's')}** "
                  f"({_n(100 * (fair['ratio_ws_static_to_chromium'] or 0), 0, '%')} von Chromium) | "
                  f"{_n(t['ws'], 2, 's')} |", "",
                  f"Die statischen Dateien allein (dieselben {fair['static']['requests']} GET-Anfragen, "
                  f"{_n(fair['static']['mb'], 1, 'MB')}) kosten den Server {_n(fair['static']['server_cpu_s'], 2, 's')} "
                  "CPU je Teilnehmerin – in Produktion liefert sie besser der Reverse-Proxy aus "
                  "(docs/deployment.md).", ""]
    lines += [f"Workshop-Takt: die Teilnehmenden öffnen den Link verteilt über {_n(pace.get('ramp_s'), 0, 's')} "
              f"und lesen zwischen den Schritten {_n((pace.get('think_s') or [0, 0])[0], 0)}–"
              f"{_n((pace.get('think_s') or [0, 0])[1], 0, 's')} (gleichverteilt, fester Seed). Vorher öffnet die "
              "Moderation die Demo einmal in Chromium (nicht gezählt), damit die Daten im Cache des Servers liegen: "
              f"{', '.join(f'{k} {_n(v, 2, chr(115))}' for k, v in b.get('warmup', {}).get('steps', {}).items())}.",
              ""]
    lines += _render_level_table(b.get("levels", {}), "WebSocket-Teilnehmende")
    if b.get("levels_proxy"):
        lines += ["Derselbe Workshop-Takt, die statischen Dateien liefert ein Reverse-Proxy (die Clients sprechen nur "
                  "WebSocket mit dem App-Prozess):", ""]
        lines += _render_level_table(b["levels_proxy"], "WebSocket-Teilnehmende")
    if b.get("burst"):
        lines += ["Stresstest: alle im selben Augenblick, ohne Pause zwischen den Schritten:", ""]
        lines += _render_level_table(b["burst"], "WebSocket-Teilnehmende")
    if b.get("chromium_levels"):
        lines += ["### Gegenprobe mit echten Browsern", "",
                  "Wenige Teilnehmende in headless Chromium (eigener Kontext je Person), im selben Workshop-Takt; "
                  "gemessen bis die Seite zur Ruhe gekommen ist (Skript fertig, erwarteter Inhalt gezeichnet). Die "
                  "Browser teilen sich die 2 Kerne mit dem Server; die Karte zeichnet Chromium ohne GPU.", ""]
        lines += _render_level_table(b["chromium_levels"], "Chromium-Teilnehmende")
    return lines


EXPLANATIONS_FILE = BENCH / "explanations.md"


def _explanations() -> list[str]:
    """Why a target is missed and what would fix it: bench/explanations.md, one `- ` line each (kept by hand,
    rendered into latest.md)."""
    if not EXPLANATIONS_FILE.exists():
        return []
    return [ln[2:].strip() for ln in EXPLANATIONS_FILE.read_text(encoding="utf-8").splitlines() if ln.startswith("- ")]


ALL_PARTS = "import,masterdatei,indicators,pages,browsers"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="make bench")
    ap.add_argument("--quick", action="store_true", help="kleine Größen, wenige Wiederholungen; schreibt nicht latest.*")
    ap.add_argument("--only", default=ALL_PARTS, help="Teile, durch Komma getrennt; ohne alle Teile schreibt der Lauf "
                    "bench/work/partial.* statt bench/results/latest.*")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--note", action="append", default=[], help="Hinweis für latest.md (mehrfach möglich)")
    ap.add_argument("--render", action="store_true", help="nur latest.md aus latest.json neu schreiben")
    a = ap.parse_args(argv)
    if a.render:
        res = json.loads((RESULTS / "latest.json").read_text(encoding="utf-8"))
        res["explanations"] = _explanations()
        (RESULTS / "latest.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str) + "\n",
                                             encoding="utf-8")
        (RESULTS / "latest.md").write_text(render_md(res, res.get("notes", [])), encoding="utf-8")
        return 0
    only = set(a.only.split(","))
    t_start = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (WORK / "child.log").write_bytes(b"")

    from make_inputs import SIZES, XLSX_SIZES, make_inputs

    sizes, xlsx_sizes = (SIZES, XLSX_SIZES) if not a.quick else ((10_000,), (10_000,))
    levels = (10, 25, 50) if not a.quick else (2, 4)
    repeats = max(3, a.repeats) if not a.quick else 1
    pg = postgres_url()
    res: dict = {"machine": machine(pg), "quick": a.quick, "only": sorted(only)}
    log(f"Maschine: {res['machine']['cpu']}, {res['machine']['cores']} Kerne; Last {res['machine']['loadavg_start']}")
    inputs = {}
    if only & {"import", "masterdatei", "indicators", "pages"}:  # the browser part needs no generated inputs
        t0 = time.perf_counter()
        inputs = make_inputs(sizes=SIZES, xlsx_sizes=XLSX_SIZES, log=log) if not a.quick else make_inputs(log=log)
        res["inputs_s"] = time.perf_counter() - t0

    if "import" in only:
        res["import"] = bench_import(inputs, sizes, xlsx_sizes, repeats,
                                     one_shot_xlsx=max(xlsx_sizes) if max(xlsx_sizes) >= 1_000_000 else None)
    if "masterdatei" in only:
        res["masterdatei"] = bench_masterdatei(inputs, repeats)
    tenants = {}
    if only & {"indicators", "pages"}:
        tenants["sqlite"] = setup_tenant30(f"sqlite:///{WORK / 'bench30.sqlite'}", inputs)
        if pg:
            tenants["postgres"] = setup_tenant30(pg, inputs)
        res["tenant30_setup_s"] = {k: v["setup_s"] for k, v in tenants.items()}
    if "indicators" in only:
        res["indicators"] = bench_indicators(tenants["sqlite"], repeats)
    if "pages" in only:
        res["pages"] = {db: bench_pages(t, 12 if not a.quick else 3) for db, t in tenants.items()}
        if not pg:
            res["pages"]["postgres"] = {"ok": False, "error": "PostgreSQL nicht erreichbar"}
    if "browsers" in only:
        res["browsers"] = (bench_browsers(levels, 5) if not a.quick else
                           bench_browsers(levels, 2, fair_repeats=1, chromium_n=2, burst=(4,), proxy=4))

    res["figures"] = figures(res)
    res["loadavg_end"] = os.getloadavg()
    res["duration_s"] = time.perf_counter() - t_start
    res["explanations"] = _explanations()
    notes = list(a.note)
    if a.quick:
        notes.append("--quick: kleine Größen, eine Wiederholung – keine gültigen Zielwerte.")
    partial = only != set(ALL_PARTS.split(","))
    if partial:
        notes.append(f"Nur Teile {', '.join(sorted(only))} gemessen (--only) – nicht der vollständige Lauf.")
    res["notes"] = notes
    md = render_md(res, notes)
    # only a complete, full-size run replaces bench/results/latest.*; --quick and --only write under bench/work/
    target = (WORK / "quick") if a.quick else (WORK / "partial") if partial else (RESULTS / "latest")
    target.with_suffix(".json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str) + "\n",
                                          encoding="utf-8")
    target.with_suffix(".md").write_text(md, encoding="utf-8")
    log(f"fertig in {res['duration_s'] / 60:.1f} min: {target.with_suffix('.md').relative_to(ROOT)}")
    print()
    print("\n".join(ln for ln in md.splitlines() if ln.startswith("|"))[:4000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
