"""kill -9 in the middle of a write load with --db: the file loads at restart and holds every acknowledged write."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time

from tests.e2e.conftest import LiveServer

from .helpers import NEW_SHOPPEX_ORDER, address, call

WRITERS = 6
# One key as base64 keys often are, with "/" and "+": its namespace must come back whole too.
NAMESPACES = ("shx_crash_a", "shx_crash/b+c==")
# When to kill, in writes acknowledged this round: almost at once, then deeper into the load.
KILL_AFTER = (1, 25, 80)


def write_until_killed(server, namespace: str, acknowledged: list, stop: threading.Event) -> None:
    """Create orders over one keep-alive connection; remember every id the server acknowledged (a 2xx read in full)."""
    host, port = address(server)
    headers = {"Authorization": f"Bearer {namespace}", "Content-Type": "application/json"}
    body = json.dumps(NEW_SHOPPEX_ORDER)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    deadline = time.monotonic() + 30
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                connection.request("POST", "/dev/v1/orders", body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                return  # the server is gone: this write was never acknowledged
            assert response.status == 201, (response.status, raw[:300])
            acknowledged.append((namespace, json.loads(raw)["data"]["id"]))
    finally:
        connection.close()


def test_acknowledged_writes_survive_kill_9_mid_load(tmp_path):
    db = tmp_path / "state.json"
    acknowledged: list[tuple[str, str]] = []
    for round_, target in enumerate(KILL_AFTER):
        server = LiveServer("--db", str(db))
        try:
            stop = threading.Event()
            before = len(acknowledged)
            writers = [
                threading.Thread(target=write_until_killed, args=(server, NAMESPACES[i % len(NAMESPACES)], acknowledged, stop))
                for i in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            deadline = time.monotonic() + 30
            while len(acknowledged) - before < target and time.monotonic() < deadline:
                time.sleep(0.005)
            # The whole process group: the granian main process and its worker die at once, mid-write.
            os.killpg(server.process.pid, signal.SIGKILL)
            stop.set()
            for writer in writers:
                writer.join(30)
                assert not writer.is_alive()
        finally:
            server.stop(signal.SIGKILL)
        assert len(acknowledged) > before, f"round {round_}: no write was acknowledged before the kill"

        # The file is whole JSON (never half-written) and a new server loads it.
        json.loads(db.read_bytes())
        restarted = LiveServer("--db", str(db))
        try:
            missing = [
                (namespace, order_id)
                for namespace, order_id in acknowledged
                if call(restarted, "GET", f"/dev/v1/orders/{order_id}", headers={"Authorization": f"Bearer {namespace}"}).status != 200
            ]
            assert missing == [], f"round {round_}: {len(missing)} of {len(acknowledged)} acknowledged orders lost"
        finally:
            restarted.stop()
