"""Workshop participants at the websocket level: Python clients that speak Streamlit's own protocol to a real
`streamlit run` server (used by `bench/run.py`, part `browsers`).

Why: on this 2-core machine 50 headless Chromium contexts eat the CPU themselves, so a browser-driven workshop
measures the browsers, not the server. A participant here does what the browser does on the wire and nothing else:

- it opens `ws://HOST:PORT/_stcore/stream` (subprotocol `streamlit`, same Origin, permessage-deflate offered as
  Chromium does) and sends `BackMsg.rerun_script` with the `ClientState` the Streamlit frontend sends: query string,
  page script hash, the widget states of every widget on the current page (defaults as the frontend registers them on
  mount, the changed one with its new value), the hashes of cached messages (the frontend's ForwardMsg cache, so the
  server sends references instead of large elements again) and the context info;
- it reads every `ForwardMsg`, keeps the query string the server sets (`page_info_changed`), the pages of
  `st.navigation`, the widgets of the run (ids and options taken from the received delta elements), resolves
  `ref_hash` messages from its cache, and counts `exception` elements;
- a step is done when `script_finished` arrives (successfully or with an error); the time from sending the step
  to that message is the step's time;
- optionally (`static`), per step it also fetches with plain HTTP/1.1 GETs (6 keep-alive connections, as Chromium
  uses per host) the same static files a real Chromium fetched in that step (JavaScript chunks, CSS, fonts,
  `/_stcore/health`, `/_stcore/host-config`), recorded from a real browser session by `browsers.py`. What it leaves
  out: parsing and running the JavaScript and rendering (client-side work that a participant's own laptop does).

The workshop: open the demo (`?demo=1`, the shared demo link), switch the year, open the map page, switch the
indicator. Errors: exception elements in the deltas, a step without `script_finished` within STEP_TIMEOUT, a closed
connection, a failed static fetch. Bounded: STEP_TIMEOUT per step, LEVEL_TIMEOUT per level; loopback only.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STEP_TIMEOUT = 60.0
LEVEL_TIMEOUT = 300.0
YEAR = "2019"
STEPS = ("Demo öffnen", "Jahr wechseln", "Karte öffnen", "Kennzahl wechseln")
DECK_SELECTION = '{"selection":{"indices":{},"objects":{}}}'
MAX_CACHED_AGE = 2  # runs a cached message is kept without being used (server config max_cached_message_age)


class StepError(Exception):
    pass


@dataclass
class Widget:
    id: str
    kind: str
    element: object


@dataclass
class RunResult:
    seconds: float
    exceptions: list[str]
    status: int


@dataclass
class StaticPlan:
    """Paths a real Chromium fetched per step (recorded by browsers.py); `before` the websocket run or after it."""
    before: dict[str, list[str]] = field(default_factory=dict)
    after: dict[str, list[str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(v) for v in self.before.values()) + sum(len(v) for v in self.after.values())


class Participant:
    """One browser tab, on the wire."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.ws = None
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.widgets: dict[str, Widget] = {}  # widgets of the last finished run
        self.user_values: dict[str, object] = {}  # widget id -> value the participant chose
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, run number last used)
        self.runs = 0
        self.headings: list[str] = []  # headings of the last finished run, "<Karte>" for a deck.gl map
        self._run_widgets: dict[str, Widget] = {}
        self._run_headings: list[str] = []
        self._run_exceptions: list[str] = []
        self._finished: asyncio.Queue = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self.closed: str | None = None
        self.bytes_in = 0

    # --- connection ---------------------------------------------------------------------------------------------
    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(f"ws://{self.host}:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                origin=f"http://{self.host}:{self.port}", max_size=None, open_timeout=STEP_TIMEOUT,
                                ping_interval=None, user_agent_header="strategiekarte-bench")
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                self.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:  # noqa: BLE001 - a broken connection is an error of the running step
            self.closed = f"{type(exc).__name__}: {exc}"
        else:
            self.closed = "Verbindung vom Server geschlossen"
        self._finished.put_nowait(None)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self._run_exceptions.append(f"unbekannte Referenz {msg.ref_hash}")
                return
            self.cache[msg.ref_hash] = (cached[0], self.runs)
            full = ForwardMsg()
            full.CopyFrom(cached[0])
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, self.runs)
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            for p in msg.navigation.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            if etype == "exception":
                self._run_exceptions.append(f"{el.exception.type}: {el.exception.message[:160]}")
            elif etype == "heading":
                self._run_headings.append(el.heading.body)
            elif etype == "deck_gl_json_chart":
                self._run_headings.append("<Karte>")
                if el.deck_gl_json_chart.id:
                    self._run_widgets[el.deck_gl_json_chart.id] = Widget(el.deck_gl_json_chart.id, etype,
                                                                         el.deck_gl_json_chart)
            elif etype is not None:
                inner = getattr(el, etype)
                wid = getattr(inner, "id", "")
                if wid:
                    self._run_widgets[wid] = Widget(wid, etype, inner)
        elif kind == "script_finished":
            self._finished.put_nowait(msg.script_finished)

    # --- widget states as the frontend keeps them ---------------------------------------------------------------
    def _widget_states(self, changed: dict[str, object]):
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        values = {**self.user_values, **changed}
        for wid, w in self.widgets.items():
            value = values.get(wid, self._default(w))
            if value is None:
                continue
            s = states.widgets.add()
            s.id = wid
            if isinstance(value, bool):
                s.bool_value = value
            else:
                s.string_value = str(value)
        return states

    @staticmethod
    def _default(w: Widget):
        el = w.element
        if w.kind in ("selectbox", "radio"):
            if el.set_value and el.raw_value:
                return el.raw_value
            return el.options[el.default] if len(el.options) > el.default >= 0 else None
        if w.kind == "deck_gl_json_chart":
            return DECK_SELECTION if len(el.selection_mode) else None
        if w.kind in ("checkbox",):
            return bool(el.default)
        return None  # buttons (triggers) and other widgets: nothing, as the frontend sends no value for them

    # --- one script run -----------------------------------------------------------------------------------------
    async def rerun(self, *, page: str | None = None, changed: dict[str, object] | None = None,
                    query: str | None = None) -> RunResult:
        from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo

        changed = changed or {}
        if page is not None:  # navigation in the sidebar: the frontend drops the query string and the old widgets
            page_hash, self.query, self.widgets, self.user_values = self.pages[page], "", {}, {}
        else:
            page_hash = self.page_hash
        if query is not None:
            self.query = query
        cs = ClientState(query_string=self.query, page_script_hash=page_hash,
                         context_info=ContextInfo(timezone="Europe/Berlin", timezone_offset=-60, locale="de-DE",
                                                  url=f"http://{self.host}:{self.port}/", is_embedded=False,
                                                  color_scheme="light"))
        cs.widget_states.CopyFrom(self._widget_states(changed))
        self.runs += 1
        for h in [h for h, (_, used) in self.cache.items() if self.runs - used > MAX_CACHED_AGE]:
            del self.cache[h]
        cs.cached_message_hashes.extend(self.cache)
        self.user_values.update(changed)
        self._run_widgets, self._run_headings, self._run_exceptions = {}, [], []
        t0 = time.perf_counter()
        await self.ws.send(BackMsg(rerun_script=cs).SerializeToString())
        deadline = t0 + STEP_TIMEOUT
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise StepError(f"kein script_finished nach {STEP_TIMEOUT:.0f} s")
            try:
                fin = await asyncio.wait_for(self._finished.get(), remaining)
            except asyncio.TimeoutError:
                raise StepError(f"kein script_finished nach {STEP_TIMEOUT:.0f} s") from None
            if fin is None:
                raise StepError(f"Verbindung getrennt ({self.closed})")
            if fin in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                break
            # FINISHED_EARLY_FOR_RERUN (st.rerun, st.switch_page): the next run follows
        self.widgets, self.headings = dict(self._run_widgets), list(self._run_headings)
        return RunResult(time.perf_counter() - t0, list(self._run_exceptions), fin)

    def value(self, w: Widget):
        """The widget's value as the frontend holds it: the participant's choice, else the default sent by the app."""
        return self.user_values.get(w.id, self._default(w))

    def widget(self, label: str) -> Widget:
        for w in self.widgets.values():
            if getattr(w.element, "label", None) == label:
                return w
        raise StepError(f"kein Auswahlfeld „{label}“ in den empfangenen Elementen")


# --- static files over plain HTTP/1.1 --------------------------------------------------------------------------------

async def fetch_static(host: str, port: int, paths: list[str], connections: int = 6) -> int:
    """GET every path over `connections` keep-alive connections (as Chromium does per host); returns body bytes.
    Raises StepError on a status other than 200/304."""
    if not paths:
        return 0
    todo = list(paths)
    total = 0

    async def worker():
        nonlocal total
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while todo:
                path = todo.pop(0)
                writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: strategiekarte-bench\r\n"
                              "Accept: */*\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
                              "Accept-Language: de-DE\r\nConnection: keep-alive\r\n\r\n").encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {ln.split(":", 1)[0].strip().lower(): ln.split(":", 1)[1].strip()
                           for ln in lines[1:] if ":" in ln}
                if "content-length" in headers:
                    body = await reader.readexactly(int(headers["content-length"]))
                    total += len(body)
                elif headers.get("transfer-encoding", "").lower() == "chunked":
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        await reader.readexactly(size + 2)
                        total += size
                        if size == 0:
                            break
                else:
                    total += len(await reader.read())
                    break
                if status not in (200, 304):
                    raise StepError(f"HTTP {status} für {path}")
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(min(connections, len(paths)))))
    return total


# --- the workshop ----------------------------------------------------------------------------------------------------

@dataclass
class Pacing:
    """When participants act: start spread over `ramp` seconds, `think` seconds (min, max) between steps."""
    ramp: float = 0.0
    think: tuple[float, float] = (0.0, 0.0)
    seed: int = 8


async def participant(host: str, port: int, i: int, pacing: Pacing, static: StaticPlan | None,
                      on_step=None) -> dict:
    """One workshop participant: seconds per step, bytes received, an error text (or None)."""
    rng = random.Random(pacing.seed * 1000 + i)
    await asyncio.sleep(rng.uniform(0, pacing.ramp))
    p = Participant(host, port)
    steps: dict[str, float] = {}
    step = STEPS[0]
    static_bytes = 0

    async def do(name, action):
        nonlocal static_bytes
        if on_step:
            on_step(name, "start")
        t0 = time.perf_counter()
        if static and static.before.get(name):
            static_bytes += await fetch_static(host, port, static.before[name])
        res = await action()
        if static and static.after.get(name):
            static_bytes += await fetch_static(host, port, static.after[name])
        steps[name] = time.perf_counter() - t0
        if on_step:
            on_step(name, "end")
        if res.exceptions:
            raise StepError("Streamlit-Exception: " + res.exceptions[0])

    async def think():
        if pacing.think[1] > 0:
            await asyncio.sleep(rng.uniform(*pacing.think))

    try:
        async def open_demo():
            await p.connect()
            return await p.rerun(query="demo=1")
        await do(step, open_demo)
        if not any("Übersicht" in h for h in p.headings):
            raise StepError("Demo ohne Übersicht (keine Demo-Kommune?)")
        await think()

        step = STEPS[1]
        year = p.widget("Jahr")
        if YEAR not in year.element.options:
            raise StepError(f"Jahr {YEAR} nicht unter den Optionen")
        await do(step, lambda: p.rerun(changed={year.id: YEAR}))
        if f"jahr={YEAR}" not in p.query:
            raise StepError(f"Jahr {YEAR} nicht in der URL ({p.query})")
        await think()

        step = STEPS[2]
        if "karte" not in p.pages:
            raise StepError("keine Seite „karte“ in der Navigation")
        await do(step, lambda: p.rerun(page="karte"))
        if "<Karte>" not in p.headings:
            raise StepError("Karte ohne Kartenelement")
        await think()

        step = STEPS[3]
        ind = p.widget("Kennzahl")
        current = p.value(ind)
        other = next(o for o in ind.element.options if o != current)
        await do(step, lambda: p.rerun(changed={ind.id: other}))
        if "indikator=" not in p.query:
            raise StepError(f"Kennzahl nicht in der URL ({p.query})")
        error = None
    except Exception as exc:  # noqa: BLE001 - every failure is an error of this participant
        error = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    finally:
        await p.close()
    return {"steps": steps, "error": error, "ws_bytes": p.bytes_in, "static_bytes": static_bytes}


async def _workshop(host: str, port: int, n: int, pacing: Pacing, static: StaticPlan | None) -> list[dict]:
    tasks = [asyncio.create_task(participant(host, port, i, pacing, static)) for i in range(n)]
    done, pending = await asyncio.wait(tasks, timeout=LEVEL_TIMEOUT)
    for t in pending:
        t.cancel()
    out = []
    for t in tasks:
        if t in done and not t.cancelled() and t.exception() is None:
            out.append(t.result())
        else:
            out.append({"steps": {}, "error": f"Zeitlimit der Stufe ({LEVEL_TIMEOUT:.0f} s) überschritten",
                        "ws_bytes": 0, "static_bytes": 0})
    return out


def workshop(server, n: int, pacing: Pacing | None = None, static: StaticPlan | None = None) -> dict:
    """N websocket participants against `server` (browsers.Server); per-step times, errors, server CPU and memory."""
    from browsers import Sampler

    pacing = pacing or Pacing()
    sampler = Sampler(server)
    sampler.start()
    cpu0, t0, c0 = server.cpu_seconds(), time.perf_counter(), time.process_time()
    results = asyncio.run(_workshop("127.0.0.1", server.port, n, pacing, static))
    wall = time.perf_counter() - t0
    cpu = server.cpu_seconds() - cpu0
    client_cpu = time.process_time() - c0
    sampler.stop_flag.set()
    sampler.join()
    return {"participants": n, "wall_s": wall, "server_cpu_s": cpu, "server_cpu_pct": 100 * cpu / wall if wall else None,
            "server_rss_peak_mb": sampler.peak, "client_cpu_s": client_cpu, "results": results}


def one_participant_cpu(server, static: StaticPlan | None = None, pause: float = 1.0) -> dict:
    """One participant alone, `pause` seconds between steps: the server's CPU seconds per step, from the step's start
    to the next step's start (as browsers.one_participant_cpu measures a Chromium participant)."""
    marks: dict[str, float] = {}

    def on_step(name, what):
        if what == "start":
            marks[name] = server.cpu_seconds()

    async def run():
        res = await participant("127.0.0.1", server.port, 0, Pacing(think=(pause, pause)), static, on_step=on_step)
        await asyncio.sleep(pause)
        return res

    res = asyncio.run(run())
    end = server.cpu_seconds()
    names = list(marks)
    cpu = {a: (marks[b] if b else end) - marks[a] for a, b in zip(names, names[1:] + [None])}
    return {"steps": res["steps"], "server_cpu_s": cpu, "error": res["error"], "ws_bytes": res["ws_bytes"],
            "static_bytes": res["static_bytes"]}


def static_only_cpu(server, static: StaticPlan) -> dict:
    """The static files of one participant alone, fetched with plain GETs: the server's CPU seconds and bytes."""
    paths = [x for d in (static.before, static.after) for v in d.values() for x in v]
    c0, t0 = server.cpu_seconds(), time.perf_counter()
    n = asyncio.run(fetch_static("127.0.0.1", server.port, paths))
    time.sleep(0.3)
    return {"requests": len(paths), "bytes": n, "server_cpu_s": server.cpu_seconds() - c0,
            "wall_s": time.perf_counter() - t0}
