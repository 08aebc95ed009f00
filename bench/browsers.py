"""Real browsers against a real `streamlit run` server on loopback (used by `bench/run.py`).

- `first_paint`: fresh Chromium contexts open the start page; first contentful paint (Performance API), the load
  event, when the websocket opened and its first message arrived, and the time until the start page's heading is
  visible; then the same page again in the same context (scripts from the HTTP cache).
- `one_participant_cpu`: one workshop participant alone in Chromium; the server's CPU seconds per step and the
  static files fetched per step (replayed by the websocket participants of ws_clients.py).
- `workshop`: N participants, each in its own headless Chromium context (spread over a few browser processes),
  open the demo, switch the year, open the map, switch the indicator (optionally paced like ws_clients.Pacing);
  time until the page has settled after each step, errors (timeouts, Streamlit exceptions), and the server's CPU
  time and memory read from /proc/<pid>. On 2 cores the browsers themselves eat the CPU, so this runs with a few
  participants as a cross-check; the 10 / 25 / 50 levels use ws_clients.py.
Bounded: every step times out after STEP_TIMEOUT seconds (counted as an error), a whole level after LEVEL_TIMEOUT.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-extensions"]
STEP_TIMEOUT = 60.0
LEVEL_TIMEOUT = 240.0
CLK = os.sysconf("SC_CLK_TCK")
SETTLED_JS = ("() => !!document.querySelector('[data-testid=\"stApp\"]') && "
              "(!document.querySelector('[data-testid=\"stStatusWidget\"]') || "
              "!document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running'))")


def free_port(start: int | None = None) -> int:
    """The first free loopback port from `start` (default: $BENCH_PORT or 8600)."""
    start = start or int(os.environ.get("BENCH_PORT", "8600"))
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError(f"no free port from {start}")


class Server:
    """`streamlit run app.py` on 127.0.0.1 with the given environment (database URL, data dir)."""

    def __init__(self, env: dict, log_path: Path, port: int | None = None, root: Path = ROOT,
                 args: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             *args],
            cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start: " + log_path.read_text()[-2000:])

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime

    def memory(self) -> dict:
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024  # MB
        return out

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Sampler(threading.Thread):
    """Samples the server's resident memory every 0.25 s while a level runs."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.peak, self.stop_flag = server, 0.0, threading.Event()

    def run(self):
        while not self.stop_flag.is_set():
            try:
                self.peak = max(self.peak, self.server.memory().get("VmRSS", 0.0))
            except OSError:
                return
            self.stop_flag.wait(0.25)


async def _settled(page, timeout: float) -> None:
    await page.wait_for_function(SETTLED_JS, timeout=timeout * 1000)


async def _no_exception(page) -> None:
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("Streamlit-Exception auf der Seite")


class Probe:
    """Watches one Chromium participant: the server's CPU seconds per step and the same-origin HTTP requests of each
    step, split into those before the step's first websocket message and those after it (for ws_clients.StaticPlan).
    """

    def __init__(self, server: Server):
        self.server, self.step, self.cpu_marks = server, None, {}
        self.before: dict[str, list[str]] = {}
        self.after: dict[str, list[str]] = {}
        self._ws_sent = False

    def start(self, step: str) -> None:
        self.step, self._ws_sent = step, False
        self.cpu_marks[step] = self.server.cpu_seconds()
        self.before[step], self.after[step] = [], []

    def request(self, url: str) -> None:
        base = self.server.url
        if self.step is None or not url.startswith(base) or "/_stcore/stream" in url:
            return
        (self.after if self._ws_sent else self.before)[self.step].append(url[len(base):] or "/")

    def ws_sent(self, _frame) -> None:
        self._ws_sent = True

    def attach(self, page) -> None:
        page.on("request", lambda r: self.request(r.url))
        page.on("websocket", lambda ws: ws.on("framesent", self.ws_sent))

    def cpu_per_step(self, end_cpu: float) -> dict[str, float]:
        names = list(self.cpu_marks)
        return {a: (self.cpu_marks[b] if b else end_cpu) - self.cpu_marks[a]
                for a, b in zip(names, names[1:] + [None])}


async def participant(browser, base: str, i: int, year: str, pacing=None, probe: Probe | None = None) -> dict:
    """One workshop participant. Returns the seconds per step and an error text (or None). `pacing`
    (ws_clients.Pacing): start offset and think time between steps, the same as the websocket participants."""
    import random

    rng = random.Random((pacing.seed if pacing else 8) * 1000 + i)
    if pacing and pacing.ramp:
        await asyncio.sleep(rng.uniform(0, pacing.ramp))
    steps: dict[str, float] = {}
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
    page = await ctx.new_page()
    page.set_default_timeout(STEP_TIMEOUT * 1000)
    if probe:
        probe.attach(page)

    async def think():
        if pacing and pacing.think[1] > 0:
            await asyncio.sleep(rng.uniform(*pacing.think))

    def begin(name):
        if probe:
            probe.start(name)
        return name, time.perf_counter()

    step = "Demo öffnen"
    try:
        step, t0 = begin("Demo öffnen")
        await page.goto(base + "/?demo=1")
        await page.get_by_role("heading", name="Übersicht").first.wait_for()
        await _settled(page, STEP_TIMEOUT)
        await _no_exception(page)
        steps[step] = time.perf_counter() - t0
        await think()

        step = "Jahr wechseln"
        await page.get_by_label("Jahr").first.click()
        step, t0 = begin(step)
        await page.get_by_role("option", name=year, exact=True).click()
        await page.wait_for_function(f"() => location.search.includes('jahr={year}')", timeout=STEP_TIMEOUT * 1000)
        await _settled(page, STEP_TIMEOUT)
        await _no_exception(page)
        steps[step] = time.perf_counter() - t0
        await think()

        step, t0 = begin("Karte öffnen")
        await page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Karte", exact=True).click()
        await page.get_by_role("heading", name="Karte").first.wait_for()
        await page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for()
        await _settled(page, STEP_TIMEOUT)
        await _no_exception(page)
        steps[step] = time.perf_counter() - t0
        await think()

        step = "Kennzahl wechseln"
        await page.get_by_label("Kennzahl").first.click()
        step, t0 = begin(step)
        await page.get_by_role("option").nth(1).click()
        await page.wait_for_function("() => location.search.includes('indikator=') && "
                                     "!location.search.includes('indikator=hze_dichte')", timeout=STEP_TIMEOUT * 1000)
        await _settled(page, STEP_TIMEOUT)
        await _no_exception(page)
        steps[step] = time.perf_counter() - t0
        if probe:
            await asyncio.sleep(pacing.think[0] if pacing else 1.0)  # late fetches of the last step
        error = None
    except Exception as exc:  # noqa: BLE001 - every failure is an error of this participant
        error = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    finally:
        await ctx.close()
    return {"steps": steps, "error": error}


async def _workshop(base: str, n: int, browsers: int, year: str, pacing=None) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        bs = [await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS) for _ in range(browsers)]
        try:
            tasks = [participant(bs[i % browsers], base, i, year, pacing) for i in range(n)]
            try:
                return await asyncio.wait_for(asyncio.gather(*tasks), timeout=LEVEL_TIMEOUT)
            except asyncio.TimeoutError:
                return [{"steps": {}, "error": f"Zeitlimit der Stufe ({LEVEL_TIMEOUT:.0f} s) überschritten"}] * n
        finally:
            for b in bs:
                await b.close()


def workshop(server: Server, n: int, year: str = "2019", pacing=None) -> dict:
    """N participants at once; per step and overall settle times, errors, server CPU and memory."""
    browsers = 1 if n <= 10 else (2 if n <= 25 else 3)
    sampler = Sampler(server)
    sampler.start()
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    results = asyncio.run(_workshop(server.url, n, browsers, year, pacing))
    wall = time.perf_counter() - t0
    cpu = server.cpu_seconds() - cpu0
    sampler.stop_flag.set()
    sampler.join()
    return {"participants": n, "browsers": browsers, "wall_s": wall, "server_cpu_s": cpu,
            "server_cpu_pct": 100 * cpu / wall if wall else None, "server_rss_peak_mb": sampler.peak,
            "results": results}


def one_participant_cpu(server: Server, pause: float = 1.0, year: str = "2019") -> dict:
    """One Chromium participant alone, `pause` seconds between steps: the server's CPU seconds per step (from the
    step's start to the next step's start) and the static requests per step (a ws_clients.StaticPlan)."""
    from ws_clients import Pacing, StaticPlan

    probe = Probe(server)

    async def run():
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            b = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return await participant(b, server.url, 0, year, Pacing(think=(pause, pause)), probe)
            finally:
                await b.close()

    res = asyncio.run(run())
    cpu = probe.cpu_per_step(server.cpu_seconds())
    return {"steps": res["steps"], "error": res["error"], "server_cpu_s": cpu,
            "static": StaticPlan(before=probe.before, after=probe.after)}


async def _visit(ctx, base: str, server: Server | None) -> dict:
    """Open the start page in a new tab of `ctx`: heading visible (wall time from the navigation's start), first
    contentful paint and the load event (all scripts fetched and run) from the Performance API, when the websocket
    opened and its first message arrived, and the server's CPU seconds for the visit."""
    page = await ctx.new_page()
    ws_times: dict[str, float] = {}
    c0 = server.cpu_seconds() if server else None
    t0 = time.perf_counter()

    def on_ws(ws):
        ws_times.setdefault("ws_open_s", time.perf_counter() - t0)
        ws.on("framereceived", lambda _f: ws_times.setdefault("first_message_s", time.perf_counter() - t0))

    page.on("websocket", on_ws)
    await page.goto(base + "/")
    await page.get_by_role("heading", name="Strategiekarte", exact=True).first.wait_for(timeout=60_000)
    heading = time.perf_counter() - t0
    perf = await page.evaluate(
        "() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; "
        "const n = performance.getEntriesByType('navigation')[0]; "
        "return {fcp: e ? e.startTime / 1000 : null, load: n ? n.loadEventEnd / 1000 : null}; }")
    await page.wait_for_timeout(300)  # late requests of this visit, counted in its server CPU
    cpu = server.cpu_seconds() - c0 if server else None
    await page.close()
    return {"fcp_s": perf["fcp"], "heading_s": heading, "load_s": perf["load"], "server_cpu_s": cpu,
            "ws_open_s": ws_times.get("ws_open_s"), "first_message_s": ws_times.get("first_message_s")}


async def _first_paint(base: str, repeats: int, server: Server | None) -> list[dict]:
    from playwright.async_api import async_playwright

    out = []
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(repeats + 1):  # the first visit warms the server (not counted)
                ctx = await b.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
                cold = await _visit(ctx, base, server)  # fresh context: empty HTTP cache (a first visit)
                warm = await _visit(ctx, base, server)  # same context again: scripts from the HTTP cache
                await ctx.close()
                if i:
                    out.append({**cold, "warm": warm})
        finally:
            await b.close()
    return out


def first_paint(server: Server, repeats: int = 5) -> list[dict]:
    return asyncio.run(_first_paint(server.url, repeats, server))
