"""What a server must not share: its port (even with SO_REUSEPORT sockets) and its --db file."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import stat
import time
import urllib.request
from pathlib import Path

from .helpers import one_error_line, run_cli

ORDER = "/dev/v1/orders/ord_123"


def port_of(server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def answers(url: str, key: str = "shx_k") -> int:
    request = urllib.request.Request(url + ORDER, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def test_a_port_held_by_any_listening_socket_is_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        line = one_error_line(run_cli("--port", str(port)))
    assert line == f"mockserver: error: port {port} on 127.0.0.1 is already in use"


def test_a_second_server_on_a_busy_port_is_refused_and_the_first_keeps_every_request(live_server):
    first = live_server()
    line = one_error_line(run_cli("--port", str(port_of(first))))
    assert "already in use" in line
    # Nothing else accepts on the port: every request reaches the first server.
    assert all(answers(first.url) == 200 for _ in range(20))


def test_a_second_server_on_the_same_db_file_is_refused(live_server, tmp_path):
    db = tmp_path / "state.json"
    first = live_server("--db", str(db))
    line = one_error_line(run_cli("--port", "0", "--db", str(db)))
    assert line == f"mockserver: error: --db {db} is in use by another mockserver (pid {first.process.pid})"
    assert stat.S_IMODE(os.stat(f"{db}.lock").st_mode) == 0o600
    assert answers(first.url) == 200


def test_the_db_lock_goes_with_a_killed_server(live_server, tmp_path):
    db = tmp_path / "state.json"
    first = live_server("--db", str(db))
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(10)
    # The worker follows its parent within a second (until then it still writes to the file, and holds it).
    assert lock_released(Path(f"{db}.lock"))
    second = live_server("--db", str(db))
    assert answers(second.url) == 200


def lock_released(path: Path, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with path.open("rb") as lock:
        while time.monotonic() < deadline:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                time.sleep(0.1)
                continue
            fcntl.flock(lock, fcntl.LOCK_UN)
            return True
    return False
