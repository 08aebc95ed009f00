"""Page reruns through Streamlit's AppTest (server-side script time), run as a child of `bench/run.py`.

`pages_bench.py URL SLUG USERNAME N`: for every dashboard page, as an admin of the tenant (the session seam
`sk_user`): open the page (the first page pays for loading and deriving the data and computing the indicators; later
pages hit the process caches, as in a running server), then N filter changes (the year selectbox; pages without a
year: the indicator selectbox; otherwise a plain rerun), each timed as one `AppTest.run()` (wall time, and the
process's CPU time, which other load on the machine does not inflate). Prints one JSON object.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ["uebersicht", "karte", "sozialraeume", "entwicklung", "leistungen", "ressourcen", "gefaehrdung",
         "inobhutnahmen", "datenqualitaet"]


def _widget(at, label: str):
    for sb in at.selectbox:
        if sb.label == label:
            return sb
    return None


def main(argv: list[str]) -> int:
    url, slug, username, n = argv[0], argv[1], argv[2], int(argv[3])
    os.environ["STRATEGIEKARTE_DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    from data_models import accounts
    from data_models.db import get_engine
    from data_models.indicators.catalogue import CATALOGUE

    eng = get_engine(url)
    u = accounts.get_user_by_name(eng, username)
    user = {"username": u.username, "role": u.role, "tenant_id": u.tenant_id, "name": u.name,
            "started_ms": accounts.epoch_now() + 1}
    out = {}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.session_state["sk_user"] = user
        t0 = time.perf_counter()
        at.run()
        t1 = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        t2 = time.perf_counter()
        errors = [e.message for e in at.exception]
        w = _widget(at, "Jahr")
        filt = "Jahr"
        if w is None:
            filt = next((lab for lab in ("Kennzahl", "Kennzahl für Karte und Vergleich") if _widget(at, lab)), "")
            w = _widget(at, filt) if filt else None
        options = list(w.options) if w is not None else []
        times, cpu = [], []
        for i in range(n):
            if w is not None and options:
                k = (i + 1) % len(options)
                k = k if k != w.index else (k + 1) % len(options)
                # the options are shown labels; a selectbox with format_func needs the value (indicator id)
                if filt == "Jahr":
                    w.set_value(w.options[k])
                else:
                    fmt = w.format_func
                    by_label = {str(fmt(c)): c for c in CATALOGUE}
                    w.set_value(by_label[options[k]])
            t3, c3 = time.perf_counter(), time.process_time()
            at.run()
            times.append(time.perf_counter() - t3)
            cpu.append(time.process_time() - c3)
            errors += [e.message for e in at.exception]
            if filt:
                w = _widget(at, filt)
        out[page] = {"start_s": t1 - t0, "open_s": t2 - t1, "filter": filt or "(Neulauf)", "rerun_s": times,
                     "rerun_cpu_s": cpu, "errors": errors[:3]}
    sys.stdout.write("\n" + json.dumps({"ok": True, "pages": out}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
