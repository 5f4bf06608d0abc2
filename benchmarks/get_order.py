"""GET /dev/v1/orders/{id} under wrk: mockserver on granian vs its --debug werkzeug server vs a bare Flask floor.

Usage: python benchmarks/get_order.py [--seconds 10] [--connections 16] [--out benchmarks/results/get_order.md]
Needs `wrk` (Debian package `wrk`). All servers run in the same invocation, so compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATH = "/dev/v1/orders/ord_123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__admin/health", timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} never became healthy")


def servers(port: int) -> dict[str, list[str]]:
    """The contenders, each a command listening on `port`."""
    mockserver = [sys.executable, "-m", "mockserver.cli", "serve", "--port", str(port)]
    floor = [sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port), "--workers", "1",
             "--blocking-threads", "32", "--log-level", "error", "floor_app:app"]  # fmt: skip
    return {
        "mockserver (granian, 1 process, 32 threads)": mockserver,
        "mockserver --debug (werkzeug dev server)": [*mockserver, "--debug"],
        "bare Flask floor (granian, same settings)": floor,
    }


def run_wrk(port: int, seconds: int, connections: int) -> dict[str, str]:
    """One wrk run; returns req/s and latency percentiles."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Authorization: Bearer bench", f"http://127.0.0.1:{port}{PATH}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rate, "p50": p50, "p99": p99, "non2xx": errors.group(1) if errors else "0"}


def measure(name: str, command: list[str], port: int, seconds: int, connections: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(port)
        run_wrk(port, 2, connections)  # warm-up
        return {"name": name, **run_wrk(port, seconds, connections)}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "get_order.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is required: apt-get install -y wrk", file=sys.stderr)
        return 1
    rows = []
    for name, command in servers(port := free_port()).items():
        rows.append(measure(name, command, port, args.seconds, args.connections))
        print(rows[-1], flush=True)
    floor = float(rows[-1]["rps"])
    lines = [
        f"GET {PATH}, wrk -t2 -c{args.connections} -d{args.seconds}s; {datetime.date.today()}, {platform.node() or 'host'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| server | req/s | vs floor | p50 | p99 | non-2xx |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['name']} | {float(r['rps']):.0f} | {float(r['rps']) / floor:.2f}x | {r['p50']} | {r['p99']} | {r['non2xx']} |" for r in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
