"""Where a GET by id spends its time beyond the bare-Flask floor: one request path with parts switched off.

Usage: python benchmarks/breakdown.py [--requests 10000] [--rounds 5] [--instructions]

Each variant runs in its own process and calls the WSGI app directly (no server, no sockets) with an
environ shaped like granian's (the process environment plus the request's keys). It reports the CPU time
per request (best of `--rounds` runs of `--requests` each), so the figures say what each part of
mockserver's request path costs, which the load test in run.py cannot separate. With `--instructions`
it counts instructions instead, under valgrind's callgrind (Debian package `valgrind`): the count of a run
of 600 requests minus one of 100, divided by 500. Counts repeat exactly from run to run whatever else the
machine is doing, which CPU times on a shared machine do not. Variants switch a part off by replacing it
with a no-op; they measure, they are not configurations to run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PATH = "/dev/v1/orders/ord_123"
VARIANTS = {
    "floor": "bare Flask app returning the same JSON (floor_app.py)",
    "full": "mockserver as it serves",
    "no-journal": "without the request journal",
    "no-after": "without the app's after-request hook (journal, request-id headers)",
    "no-before": "without the app's before-request hook (request id, fault check)",
    "no-blueprint-hooks": "without the Shoppex blueprint's hooks (auth, Idempotency-Key)",
    "static-view": "the view answering fixed bytes (no backend, store, expiry check or cached body)",
    "bare": "all of the above off: Flask, routing and a fixed-bytes view",
}


def build(variant: str):
    """The WSGI app for one variant."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    if variant == "floor":
        import floor_app

        return floor_app.app
    from flask import Response, g

    import mockserver.app as app_module
    from mockserver import create_app
    from mockserver.config import Settings

    off = {
        "no-journal": {"journal"},
        "no-after": {"after"},
        "no-before": {"before"},
        "no-blueprint-hooks": {"blueprint"},
        "static-view": {"view"},
        "bare": {"after", "before", "blueprint", "view"},
    }.get(variant, set())
    if "journal" in off:
        app_module.record_request = lambda *args: None
    app = create_app(Settings(fixtures=ROOT / "fixtures"))
    body = b"".join(app.test_client().get(PATH, headers={"Authorization": "Bearer bench"}).response)
    if "after" in off:
        app.after_request_funcs[None] = []
    if "before" in off:
        app.before_request_funcs[None] = []
    if "blueprint" in off:

        def namespace_only() -> None:
            g.namespace = "bench"

        app.before_request_funcs["shoppex"] = [namespace_only]
        app.after_request_funcs["shoppex"] = []
        app.teardown_request_funcs["shoppex"] = []
    if "view" in off:
        app.view_functions["shoppex.get_order"] = lambda order_id: Response(body, content_type="application/json")
    return app


def environ() -> dict:
    """A GET by id as granian hands it over: the process environment merged with the request's keys."""
    base = {**os.environ, "SCRIPT_NAME": "", "wsgi.input_terminated": True, "wsgi.multithread": True, "wsgi.multiprocess": False}
    request = {"REQUEST_METHOD": "GET", "PATH_INFO": PATH, "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8787", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
               "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.run_once": False, "HTTP_HOST": "127.0.0.1:8787",
               "HTTP_AUTHORIZATION": "Bearer bench", "HTTP_USER_AGENT": "wrk", "HTTP_ACCEPT": "*/*"}  # fmt: skip
    return {**base, **request}


def caller(variant: str):
    """A function that sends one GET by id to the variant's app."""
    app, template = build(variant), environ()

    def call() -> None:
        env = dict(template)
        env["wsgi.input"] = io.BytesIO(b"")
        response = app(env, lambda status, headers, exc_info=None: None)
        assert b"ord_123" in b"".join(response)

    return call


def measure(variant: str, requests: int, rounds: int) -> float:
    """CPU microseconds per request, best of `rounds`."""
    call = caller(variant)
    for _ in range(500):
        call()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            call()
        best = min(best, (time.process_time() - started) / requests)
    return best * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="count instructions under callgrind instead of timing")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant and args.calls is not None:
        call = caller(args.variant)
        for _ in range(args.calls):
            call()
        return 0
    if args.variant:
        print(json.dumps(measure(args.variant, args.requests, args.rounds)))
        return 0
    if args.instructions:
        if not shutil.which("valgrind"):
            print("valgrind not found (apt-get install -y valgrind)", file=sys.stderr)
            return 1
        best = {name: instructions(name) for name in VARIANTS}
        unit, digits = "thousand instructions per request", 0
    else:
        # Each variant in a fresh process (the switches patch modules), the whole set twice, alternated.
        results: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(2):
            for name in VARIANTS:
                command = [sys.executable, __file__, "--variant", name, "--requests", str(args.requests), "--rounds", str(args.rounds)]
                results[name].append(json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout))
        best = {name: min(values) for name, values in results.items()}
        unit, digits = "CPU µs per request", 1
    print(f"| variant | {unit} | vs full | what |")
    print("|---|---|---|---|")
    for name, what in VARIANTS.items():
        print(f"| {name} | {best[name]:.{digits}f} | {best[name] - best['full']:+.{digits}f} | {what} |")
    return 0


def instructions(variant: str) -> float:
    """Thousands of instructions one request costs: (a run of 600 requests - a run of 100) / 500."""
    counts = []
    for calls in (100, 600):
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
                   "--variant", variant, "--calls", str(calls)]  # fmt: skip
        stderr = subprocess.run(command, capture_output=True, text=True, check=True).stderr
        counts.append(int(re.search(r"Collected : (\d+)", stderr).group(1)))
    return (counts[1] - counts[0]) / 500 / 1000


if __name__ == "__main__":
    sys.exit(main())
