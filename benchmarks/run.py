"""The benchmark: mockserver beside a bare Flask floor, in one run, written to benchmarks/results/latest.md.

Usage: python benchmarks/run.py [--seconds 10] [--quick] [--out benchmarks/results/latest.md] [--python-load]

Load comes from `wrk` (Debian package `wrk`, installed here when missing and run as root; -t2, 16 connections,
Lua scripts for POST bodies and for walking fresh ids); without wrk (or with --python-load) a small threaded
Python load generator stands in, which is itself GIL-bound, so its absolute figures are lower. Every server is
started here on a free loopback port: mockserver with `mockserver serve` (granian, 1 worker process, up to 256
threads, started on demand), the floor (`floor_app.py`, a bare Flask app returning the same JSON) with granian's
CLI at its fastest (1 blocking thread). Compare ratios, not absolutes.

Scenarios (each `--seconds`, after a 2 s warm-up):
- GET /dev/v1/orders/ord_123 on mockserver and on the floor, alternated over two rounds; GET /dev/v1/orders (one
  page); POST /dev/v1/orders; POST /dev/v1/orders/{id}/complete and Shoplazza POST .../payment/success, each
  request on a different pending / unpaid order pre-loaded through POST /__admin/fixtures (a 2 s probe sizes it);
- the same GET on a fresh server holding 10, 10,000 and 100,000 orders in the caller's namespace (then 10 again);
- with --db, POST /dev/v1/orders on a fresh database file holding 100, then (fresh again) 10,000 orders;
- cold start (process start to the first 200 on /__admin/health), median of 5, mockserver vs floor alternated;
- VmRSS of granian's worker process after 10,000 and after 100,000 GETs on a fresh server.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import http.client
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT / "fixtures"
CONNECTIONS = 16
WRK_THREADS = 2
GRANIAN_THREADS = 256  # mockserver.server.GRANIAN_THREADS
# The floor runs at its fastest: one blocking thread, no GIL contention (never a weakened baseline).
FLOOR_THREADS = 1
AUTH = {"Authorization": "Bearer bench"}
GET_PATH = "/dev/v1/orders/ord_123"
LIST_PATH = "/dev/v1/orders"
SHOPLAZZA_VERSION = "2025-06"
CREATE_BODY = json.dumps({"email": "bench.buyer@example.com", "items": [{"product_id": "prod_3", "quantity": 1}]})
# Measured servers run with default settings; bulk loads go through /__admin/fixtures in chunks under the
# default 1 MiB body limit. Only the --db loader (stopped before its file is measured) raises the limit.
CHUNK_BYTES = 900_000
# Servers run from this checkout, where nothing may have written bytecode (PYTHONDONTWRITEBYTECODE); an installed
# package has its .pyc files. Every server here writes and reads them in one cache of its own, like an install.
PYCACHE = Path(tempfile.mkdtemp(prefix="mockserver-bench-pycache-"))
LOADER_ENV = {"MOCKSERVER_MAX_BODY_BYTES": str(256 * 1024 * 1024)}


# -- processes -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mockserver_command(port: int, db: Path | None = None, debug: bool = False) -> list[str]:
    extra = [*(["--db", str(db)] if db else []), *(["--debug"] if debug else [])]
    return [sys.executable, "-m", "mockserver.cli", "serve", "--port", str(port), *extra]


def floor_command(port: int) -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--blocking-threads", str(FLOOR_THREADS), "--log-level", "error", "floor_app:app"]  # fmt: skip


class Server:
    """One server process group on a loopback port."""

    def __init__(self, name: str, command_for, env: dict | None = None, **kwargs):
        self.name = name
        self.port = free_port()
        extra = env or {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_") and k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        env.update(extra)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), str(ROOT), env.get("PYTHONPATH")]))
        # stderr goes to a file: the werkzeug server logs every request, and an unread pipe would fill and stall it.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(command_for(self.port, **kwargs), env=env, cwd=HERE, stdout=subprocess.DEVNULL,
                                     stderr=self.log, start_new_session=True)  # fmt: skip
        self.cold_start = wait_healthy(self.port, self.proc, self.log) - self.started

    def stop(self) -> None:
        self.log.close()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def worker_rss_kb(self) -> tuple[int, int]:
        """(pid, VmRSS in kB) of granian's worker: the biggest child of the server process."""
        children = subprocess.run(["ps", "--ppid", str(self.proc.pid), "-o", "pid="], capture_output=True, text=True).stdout.split()
        found = [(rss_kb(int(pid)), int(pid)) for pid in children]
        if not found:
            raise RuntimeError(f"{self.name}: no worker process under {self.proc.pid}")
        rss, pid = max(found)
        return pid, rss


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) if match else 0


def wait_healthy(port: int, proc: subprocess.Popen, log, timeout: float = 30.0) -> float:
    """perf_counter() of the first 200 on /__admin/health."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server on {port} exited: {log.read().decode(errors='replace')[-2000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/__admin/health")
            if conn.getresponse().status == 200:
                return time.perf_counter()
        except OSError:
            time.sleep(0.005)
        finally:
            conn.close()
    raise RuntimeError(f"server on {port} never became healthy")


def call(port: int, method: str, path: str, body=None, headers: dict | None = None) -> dict:
    """One JSON request; raises on a non-2xx."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body, separators=(",", ":")))
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        text = response.read()
        if not 200 <= response.status < 300:
            raise RuntimeError(f"{method} {path}: {response.status} {text[:300]!r}")
        return json.loads(text) if text else {}
    finally:
        conn.close()


# -- records -----------------------------------------------------------------------


def shoppex_orders(prefix: str, start: int, count: int) -> list[dict]:
    """Pending copies of the complete fixture with fresh ids (created now, so not expired)."""
    base = json.loads((FIXTURES / "shoppex/invoices/orders-complete.inv_complete_1.json").read_text())
    now = int(time.time())
    docs = []
    for i in range(start, start + count):
        doc = copy.deepcopy(base)
        doc.update(id=f"{prefix}{i}", uniqid=f"{prefix}-uniq-{i:09d}", created_at=now, updated_at=now)
        docs.append(doc)
    return docs


def shoplazza_orders(start: int, count: int) -> list[dict]:
    """Unpaid copies of the payment/success fixture with fresh ids and numbers."""
    base = json.loads((FIXTURES / "shoplazza/orders/payment-success.365154185097449134715.json").read_text())
    docs = []
    for i in range(start, start + count):
        doc = copy.deepcopy(base)
        doc.update(id=f"bench{i}", number=str(500000 + i))
        docs.append(doc)
    return docs


def load_records(port: int, namespace: str, kind: str, docs: list[dict]) -> None:
    """POST /__admin/fixtures, in as few calls as the default body limit allows."""
    chunk, size = [], 0
    for doc in docs:
        chunk.append(doc)
        size += len(json.dumps(doc, separators=(",", ":"))) + 1
        if size > CHUNK_BYTES:
            call(port, "POST", f"/__admin/fixtures?namespace={namespace}", {"records": {kind: chunk}})
            chunk, size = [], 0
    if chunk:
        call(port, "POST", f"/__admin/fixtures?namespace={namespace}", {"records": {kind: chunk}})


def grow_orders(port: int, namespace: str, total: int) -> int:
    """Add pending Shoppex orders until the namespace holds `total` (through /__admin/fixtures)."""
    have = order_count(port, namespace)
    if total > have:
        load_records(port, namespace, "shoppex.invoices", shoppex_orders("bulk_", have, total - have))
    return order_count(port, namespace)


def snapshot(port: int, namespace: str) -> dict:
    """The namespace's records, creating it first (the admin API exports only namespaces in use)."""
    call(port, "POST", f"/__admin/fixtures?namespace={namespace}", {"records": {}})
    return call(port, "GET", f"/__admin/snapshot?namespace={namespace}")["records"]


def order_count(port: int, namespace: str) -> int:
    return len(snapshot(port, namespace).get("shoppex.invoices", []))


def restore_orders(port: int, namespace: str, total: int) -> int:
    """Make the namespace hold exactly `total` Shoppex orders in one PUT /__admin/snapshot (one fsync with --db)."""
    records = snapshot(port, namespace)
    seeded = records.get("shoppex.invoices", [])[:total]
    records["shoppex.invoices"] = seeded + shoppex_orders("bulk_", len(seeded), total - len(seeded))
    call(port, "PUT", f"/__admin/snapshot?namespace={namespace}", {"records": records})
    return order_count(port, namespace)


# -- load generation ---------------------------------------------------------------


class Load:
    """What to send: a fixed request, or one walking ids `prefix{n}suffix` for n from `first` on."""

    def __init__(self, method: str, path: str, headers: dict, body: str | None = None, walk: tuple[str, str, int] | None = None):
        self.method, self.path, self.headers, self.body, self.walk = method, path, headers, body, walk


def lua_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def lua_script(load: Load, limit: int | None, done: str | None) -> str:
    """A wrk script: method/body/headers, each thread walking its own ids, optionally stopping after `limit` responses.

    wrk's main thread sleeps for the whole -d even when its threads stop, so a thread that reaches its share of
    `limit` also writes `done`.N; the caller then interrupts wrk (SIGINT), which prints the summary.
    """
    lines = [f"wrk.method = {lua_quote(load.method)}"]
    lines += [f"wrk.headers[{lua_quote(k)}] = {lua_quote(v)}" for k, v in load.headers.items()]
    if load.body is not None:
        lines += [f"wrk.body = {lua_quote(load.body)}", "wrk.headers['Content-Type'] = 'application/json'"]
    lines += [
        "local threads = 0",
        "function setup(thread) thread:set('tid', threads); threads = threads + 1 end",
        "local sent, received = 0, 0",
    ]
    if load.walk:
        prefix, suffix, first = load.walk
        lines += [
            "function request()",
            f"  local n = {first} + sent * {WRK_THREADS} + tid",
            "  sent = sent + 1",
            f"  return wrk.format(nil, {lua_quote(prefix)} .. n .. {lua_quote(suffix)})",
            "end",
        ]
    if limit:
        lines += [
            "function response(status, headers, body)",
            "  received = received + 1",
            f"  if received == {-(-limit // WRK_THREADS)} then",
            f"    local fh = io.open({lua_quote(done or '')} .. '.' .. tid, 'w'); fh:close()",
            "    wrk.thread:stop()",
            "  end",
            "end",
        ]
    return "\n".join(lines) + "\n"


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(port: int, load: Load, seconds: float, limit: int | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script, done = Path(tmp) / "load.lua", Path(tmp) / "done"
        script.write_text(lua_script(load, limit, str(done)))
        duration = f"{max(1, round(seconds))}s"
        command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", "-s", str(script),
                   f"http://127.0.0.1:{port}{load.path}"]  # fmt: skip
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + seconds + 120
        while proc.poll() is None:
            if limit and all(Path(f"{done}.{t}").exists() for t in range(WRK_THREADS)):
                proc.send_signal(signal.SIGINT)
                break
            if time.monotonic() > deadline:
                proc.kill()
                break
            time.sleep(0.05)
        out, err = proc.communicate(timeout=60)
        if "Requests/sec" not in out:
            raise RuntimeError(f"wrk failed: {out[-500:]} {err[-500:]}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_duration_ms(re.search(r"\n\s+50%\s+(\S+)", out).group(1)),
        "p99": parse_duration_ms(re.search(r"\n\s+99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def run_python(port: int, load: Load, seconds: float, limit: int | None = None) -> dict:
    """The fallback: CONNECTIONS threads on keep-alive connections (GIL-bound: a lower ceiling than wrk)."""
    lock, latencies, state = threading.Lock(), [], {"sent": 0, "non2xx": 0, "errors": 0}
    stop_at = time.perf_counter() + seconds

    def next_path() -> str | None:
        with lock:
            if limit is not None and state["sent"] >= limit:
                return None
            n, state["sent"] = state["sent"], state["sent"] + 1
        return f"{load.walk[0]}{load.walk[2] + n}{load.walk[1]}" if load.walk else load.path

    def worker() -> None:
        conn, mine = http.client.HTTPConnection("127.0.0.1", port, timeout=30), []
        headers = {**load.headers, **({"Content-Type": "application/json"} if load.body is not None else {})}
        while time.perf_counter() < stop_at and (path := next_path()) is not None:
            began = time.perf_counter()
            try:
                conn.request(load.method, path, body=load.body, headers=headers)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - began)
                if not 200 <= response.status < 400:
                    with lock:
                        state["non2xx"] += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    state["errors"] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")  # noqa: E731
    return {"rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99), "requests": len(latencies),
            "non2xx": state["non2xx"], "socket_errors": str(state["errors"]) if state["errors"] else ""}  # fmt: skip


# -- the run -----------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.seconds = args.seconds
        self.driver = run_python if args.python_load or not shutil.which("wrk") else run_wrk
        self.rows: list[dict] = []  # throughput rows
        self.facts: dict = {}
        self.notes: list[str] = []

    def hit(self, port: int, load: Load, seconds: float | None = None, limit: int | None = None) -> dict:
        return self.driver(port, load, self.seconds if seconds is None else seconds, limit)

    def warm(self, port: int, load: Load | None = None) -> None:
        self.hit(port, load or Load("GET", GET_PATH, AUTH), 2)

    def record(self, scenario: str, server: str, result: dict, note: str = "") -> dict:
        row = {"scenario": scenario, "server": server, **result, "note": note}
        self.rows.append(row)
        print(f"{scenario:55} {server:10} {result['rps']:9.0f} req/s  p50 {result['p50']:7.2f} ms  p99 {result['p99']:7.2f} ms  "
              f"non-2xx {result['non2xx']} {note}", flush=True)  # fmt: skip
        return row

    def walked(self, port: int, name: str, load_for, preload, probe_count: int) -> dict:
        """A write on a fresh record per request: probe 2 s on `probe_count` records to size the real run's preload."""
        preload(0, probe_count)
        probe = self.hit(port, load_for(0), 2)
        # Each wrk thread walks every other id at its own pace: ids used stay below 2 x (its requests + its connections).
        used = 2 * (probe["requests"] + CONNECTIONS)
        need = int(probe["rps"] * self.seconds * 2.2) + 2000
        preload(used, need)
        result = self.hit(port, load_for(used), self.seconds)
        if result["requests"] > need:
            result["note"] = f"ran out of fresh records ({need} pre-loaded)"
        return {**result, "preloaded": need}

    def endpoints(self) -> None:
        """GET by id beside the floor and the werkzeug dev server (two alternated rounds), list, create, complete, payment/success."""
        get = Load("GET", GET_PATH, AUTH)
        with (
            Server("floor", lambda port: floor_command(port)) as floor,
            Server("mockserver", mockserver_command) as mock,
            Server("mockserver --debug", lambda port: mockserver_command(port, debug=True)) as debug,
        ):
            servers = {"floor": floor, "mockserver": mock, "mockserver --debug": debug}
            for server in servers.values():
                self.warm(server.port)
            rounds = {name: [] for name in servers}
            for _ in range(2):
                for name, server in servers.items():
                    rounds[name].append(self.hit(server.port, get))
            for server, results in rounds.items():
                merged = {
                    "rps": statistics.mean(r["rps"] for r in results),
                    "p50": statistics.mean(r["p50"] for r in results),
                    "p99": max(r["p99"] for r in results),
                    "requests": sum(r["requests"] for r in results),
                    "non2xx": sum(r["non2xx"] for r in results),
                }
                rates = " / ".join(f"{r['rps']:.0f}" for r in results)
                self.record(f"GET {GET_PATH}", server, merged, f"mean of 2 alternated rounds ({rates}); p99 the worse")
            self.record(f"GET {LIST_PATH} (one page, default limit)", "mockserver", self.hit(mock.port, Load("GET", LIST_PATH, AUTH)))
            create = Load("POST", LIST_PATH, AUTH, CREATE_BODY)
            self.warm(mock.port, create)
            self.record(f"POST {LIST_PATH} (create order)", "mockserver", self.hit(mock.port, create))

            ns = "bench-complete"
            complete = self.walked(
                mock.port,
                "complete",
                lambda first: Load(
                    "POST",
                    "/dev/v1/orders/cmp_0/complete",
                    {"Authorization": f"Bearer {ns}"},
                    "{}",
                    ("/dev/v1/orders/cmp_", "/complete", first),
                ),
                lambda first, count: load_records(mock.port, ns, "shoppex.invoices", shoppex_orders("cmp_", first, count)),
                4000,
            )
            self.record("POST /dev/v1/orders/{id}/complete (a new pending order each)", "mockserver", complete, complete.pop("note", ""))

            token = "bench-shoplazza"
            base = f"/openapi/{SHOPLAZZA_VERSION}/orders/bench"
            paid = self.walked(
                mock.port,
                "payment",
                lambda first: Load("POST", f"{base}0/payment/success", {"access-token": token}, "{}", (base, "/payment/success", first)),
                lambda first, count: load_records(mock.port, token, "shoplazza.orders", shoplazza_orders(first, count)),
                3000,
            )
            self.record(f"POST /openapi/{SHOPLAZZA_VERSION}/orders/{{id}}/payment/success (a new unpaid order each)", "mockserver", paid,
                        paid.pop("note", ""))  # fmt: skip

    def scaling(self) -> None:
        """The same GET on one fresh server as the namespace grows, then shrunk back to the small size."""
        get = Load("GET", GET_PATH, AUTH)
        small, mid, big = self.args.sizes
        with Server("mockserver", mockserver_command) as mock:
            self.warm(mock.port)
            results = {}
            for size in (small, mid, big):
                held = grow_orders(mock.port, "bench", size) if size > small else restore_orders(mock.port, "bench", size)
                self.warm(mock.port)
                results[size] = self.record(f"GET {GET_PATH}, {held:,} orders stored", "mockserver", self.hit(mock.port, get))
            held = restore_orders(mock.port, "bench", small)
            self.warm(mock.port)
            again = self.record(f"GET {GET_PATH}, {held:,} orders stored (again, after shrinking)", "mockserver", self.hit(mock.port, get))
        self.facts["scale"] = {"small": small, "big": big, "small_rps": statistics.mean([results[small]["rps"], again["rps"]]),
                               "big_rps": results[big]["rps"]}  # fmt: skip

    def durable_writes(self) -> None:
        """POST create order with --db, on a fresh file holding 100, then 10,000 orders."""
        create = Load("POST", LIST_PATH, AUTH, CREATE_BODY)
        rates = {}
        for size in self.args.db_sizes:
            with tempfile.TemporaryDirectory(prefix="mockserver-bench-") as tmp:
                db = Path(tmp) / "state.json"
                # Build the file in one PUT /__admin/snapshot on a loader with a raised body limit, then measure a
                # fresh default server on that file (so start-up replay is part of its state, as in real use).
                with Server("loader", mockserver_command, env=LOADER_ENV, db=db) as loader:
                    restore_orders(loader.port, "bench", size)
                with Server("mockserver --db", mockserver_command, db=db) as mock:
                    held = order_count(mock.port, "bench")
                    self.warm(mock.port)  # a GET warm-up: the write runs start at `held` orders
                    result = self.hit(mock.port, create)
                    after = order_count(mock.port, "bench")
                    files = sum(p.stat().st_size for p in Path(tmp).iterdir())
                rates[size] = self.record(f"--db: POST {LIST_PATH}, {held:,} orders stored at start", "mockserver", result,
                                          f"{after:,} orders at the end; {files / 1e6:.1f} MB on disk")  # fmt: skip
        small, big = self.args.db_sizes
        self.facts["db"] = {"small": small, "big": big, "small_rps": rates[small]["rps"], "big_rps": rates[big]["rps"]}

    def cold_starts(self) -> None:
        times = {"mockserver": [], "floor": []}
        servers = (("mockserver", mockserver_command), ("floor", lambda port: floor_command(port)))
        # One unmeasured start each first, so every measured one finds its bytecode cached, as an installed package does.
        for name, command in servers:
            Server(name, command).stop()
        for _ in range(5):
            for name, command in servers:
                with Server(name, command) as server:
                    times[name].append(server.cold_start)
        self.facts["cold"] = {name: statistics.median(values) for name, values in times.items()}
        self.facts["cold_all"] = times
        print("cold start (s):", {k: [round(v, 3) for v in vals] for k, vals in times.items()}, flush=True)

    def rss(self) -> None:
        """VmRSS of the worker after `first` and after `total` GETs by id served (a fresh server)."""
        first, total = self.args.rss_counts
        get = Load("GET", GET_PATH, AUTH)
        with Server("mockserver", mockserver_command) as mock:
            served = self.hit(mock.port, get, 3600, limit=first)["requests"]
            pid, at_first = mock.worker_rss_kb()
            served += self.hit(mock.port, get, 3600, limit=total - served)["requests"]
            _, at_total = mock.worker_rss_kb()
        self.facts["rss"] = {"first": first, "total": total, "served": served, "pid": pid, "at_first": at_first, "at_total": at_total}
        print("rss:", self.facts["rss"], flush=True)


# -- the report --------------------------------------------------------------------


def version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    except OSError:
        match = None
    return match.group(1).strip() if match else platform.processor() or "unknown"


def code_state() -> str:
    """The commit, and whether the server's sources differed from it (the tree is shared with other work)."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    dirty = git("status", "--porcelain", "--", "mockserver").splitlines()
    return f"commit {git('rev-parse', '--short', 'HEAD') or '?'}" + (
        f", plus uncommitted changes to {len(dirty)} file(s) under mockserver/" if dirty else ""
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**MISS**"


def report(bench: Bench, started: datetime.datetime, elapsed: float) -> str:
    rows, facts, args = bench.rows, bench.facts, bench.args
    by = {(r["scenario"], r["server"]): r for r in rows}
    floor = by[(f"GET {GET_PATH}", "floor")]
    mock = by[(f"GET {GET_PATH}", "mockserver")]
    debug = by[(f"GET {GET_PATH}", "mockserver --debug")]
    load = "wrk 4 (-t2 -c16, Lua scripts)" if bench.driver is run_wrk else "the built-in Python load generator (16 threads; wrk missing)"
    try:
        wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1] if bench.driver is run_wrk else "-"
    except (OSError, IndexError):
        wrk_version = "?"
    load1, load5, _ = os.getloadavg()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''} --seconds {args.seconds:g}` "
        f"({'smoke run' if args.quick else 'full run'}, {elapsed / 60:.1f} min).",
        "",
        "| machine | |",
        "|---|---|",
        f"| date | {started:%Y-%m-%d %H:%M} UTC |",
        f"| CPU | {os.cpu_count()} cores, {cpu_model()} |",
        f"| load average before the run | {load1:.2f} (1 min), {load5:.2f} (5 min): a shared VM, other work was running |",
        f"| Python | {platform.python_version()} ({platform.python_implementation()}) |",
        f"| granian / Flask / Werkzeug | {version('granian')} / {version('flask')} / {version('werkzeug')} |",
        f"| load | {load}, {wrk_version}; {args.seconds:g} s per scenario after a 2 s warm-up |",
        f"| servers | granian WSGI, 1 worker process, log level error, loopback; mockserver up to {GRANIAN_THREADS} "
        f"blocking threads, the floor {FLOOR_THREADS} "
        f"(`mockserver --debug`: the werkzeug development server, threaded) |",
        f"| code measured | {code_state()} |",
        "",
        "## Throughput and latency (16 connections)",
        "",
        "| scenario | server | req/s | vs floor GET | p50 ms | p99 ms | non-2xx | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['scenario']} | {r['server']} | {r['rps']:.0f} | {r['rps'] / floor['rps']:.2f}x | {r['p50']:.2f} | "
                     f"{r['p99']:.2f} | {r['non2xx']} | {r['note']} |")  # fmt: skip
    cold, rss, scale, db = facts["cold"], facts["rss"], facts["scale"], facts["db"]
    cold_all = facts["cold_all"]
    lines += [
        "",
        "## Start-up and memory",
        "",
        "| measure | mockserver | floor / reference | ratio |",
        "|---|---|---|---|",
        f"| cold start to first 200 on /__admin/health, median of 5 (s) | {cold['mockserver']:.3f} "
        f"({', '.join(f'{v:.2f}' for v in cold_all['mockserver'])}) | {cold['floor']:.3f} "
        f"({', '.join(f'{v:.2f}' for v in cold_all['floor'])}) | {cold['mockserver'] / cold['floor']:.2f}x |",
        f"| worker VmRSS after {rss['first']:,} / {rss['served']:,} GETs served (MB) | {rss['at_first'] / 1024:.1f} → "
        f"{rss['at_total'] / 1024:.1f} | | {rss['at_total'] / rss['at_first']:.2f}x |",
        "",
        "## Targets (issue 7)",
        "",
        "| target | measured | result |",
        "|---|---|---|",
    ]
    targets = [
        ("GET by id ≥ 0.8x the bare-Flask floor", f"{mock['rps'] / floor['rps']:.2f}x ({mock['rps']:.0f} vs {floor['rps']:.0f} req/s)",
         mock["rps"] / floor["rps"] >= 0.8),
        ("GET by id p99 ≤ 10 ms at 16 connections", f"{mock['p99']:.2f} ms (floor: {floor['p99']:.2f} ms)", mock["p99"] <= 10),
        (f"GET by id with {scale['big']:,} orders ≥ 0.9x the rate with {scale['small']:,}",
         f"{scale['big_rps'] / scale['small_rps']:.2f}x ({scale['big_rps']:.0f} vs {scale['small_rps']:.0f} req/s)",
         scale["big_rps"] / scale["small_rps"] >= 0.9),
        (f"--db write rate at {db['big']:,} orders ≥ 0.5x the rate at {db['small']:,}",
         f"{db['big_rps'] / db['small_rps']:.2f}x ({db['big_rps']:.0f} vs {db['small_rps']:.0f} writes/s)",
         db["big_rps"] / db["small_rps"] >= 0.5),
        ("cold start ≤ 1.5x the bare Flask app's",
         f"{cold['mockserver'] / cold['floor']:.2f}x ({cold['mockserver']:.2f} vs {cold['floor']:.2f} s)",
         cold["mockserver"] / cold["floor"] <= 1.5),
        (f"RSS flat (within 10%) between {rss['first']:,} and {rss['total']:,} requests",
         f"{(rss['at_total'] / rss['at_first'] - 1) * 100:+.1f}% ({rss['at_first'] / 1024:.1f} → {rss['at_total'] / 1024:.1f} MB)",
         abs(rss["at_total"] / rss["at_first"] - 1) <= 0.10),
    ]  # fmt: skip
    lines += [f"| {name} | {measured} | {verdict(ok)} |" for name, measured, ok in targets]
    lines += ["", f"The default server (granian) serves GET by id at {mock['rps'] / debug['rps']:.1f}x the rate of the werkzeug "
              f"development server (`--debug`): {mock['rps']:.0f} vs {debug['rps']:.0f} req/s."]  # fmt: skip
    lines += ["", *bench.notes] if bench.notes else []
    return "\n".join(lines) + "\n"


def ensure_wrk() -> None:
    """Install wrk from Debian's packages when it is missing and this is root on a Debian-like machine."""
    if shutil.which("wrk") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # A fresh machine's package lists may be empty: update once, then install.
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], **quiet)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each scenario (default 10)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s scenarios, smaller stores and request counts")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator even if wrk is installed")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.md")
    args = parser.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 2)
        args.sizes, args.db_sizes, args.rss_counts = (10, 1_000, 10_000), (100, 1_000), (1_000, 10_000)
    else:
        args.sizes, args.db_sizes, args.rss_counts = (10, 10_000, 100_000), (100, 10_000), (10_000, 100_000)
    if not args.python_load:
        ensure_wrk()
    if not shutil.which("wrk") and not args.python_load:
        print("wrk not found (apt-get install -y wrk); using the Python load generator", file=sys.stderr)
    started, began = datetime.datetime.now(datetime.timezone.utc), time.perf_counter()
    bench = Bench(args)
    bench.endpoints()
    bench.scaling()
    bench.durable_writes()
    bench.cold_starts()
    bench.rss()
    text = report(bench, started, time.perf_counter() - began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
