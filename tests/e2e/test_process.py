"""The server as a process: banner, free port, signals, --db durability, start-up refusals."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from mockserver.labels import namespace_label

COMPLETE = "/dev/v1/orders/inv_complete_1/complete"


def call(server, path, method="GET", token="shx_k"):
    request = urllib.request.Request(server.url + path, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_port_zero_prints_the_chosen_port_in_one_line(live_server):
    server = live_server()
    assert server.banner.startswith("mockserver listening on http://127.0.0.1:")
    assert not server.url.endswith(":0")
    assert call(server, "/dev/v1/orders/ord_123")[0] == 200


def test_the_banner_names_the_admin_index(live_server):
    server = live_server()
    assert server.banner == f"mockserver listening on {server.url} (granian, storage: memory); admin: {server.url}/__admin"
    admin_url = server.banner.rsplit("admin: ", 1)[1]
    with urllib.request.urlopen(admin_url + "/health", timeout=5) as response:
        assert response.status == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signal(live_server, sig):
    server = live_server()
    assert server.stop(sig) == 0
    assert "Traceback" not in server.stderr


def test_acknowledged_write_survives_kill_9(live_server, tmp_path):
    db = tmp_path / "state.json"
    first = live_server("--db", str(db))
    assert call(first, COMPLETE, "POST")[0] == 200
    # SIGKILL to the main process only: its worker must not linger holding the port and the state.
    os.kill(first.process.pid, signal.SIGKILL)
    assert port_closes(first.url)
    second = live_server("--db", str(db))
    status, body = call(second, "/dev/v1/orders/inv_complete_1")
    assert (status, body["data"]["status"]) == (200, "COMPLETED")


def port_closes(url, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/__admin/health", timeout=1).close()
        except OSError:  # refused, or reset by a worker exiting mid-request (URLError is an OSError)
            return True
        time.sleep(0.1)
    return False


def test_foreign_db_stops_the_server_with_one_line(tmp_path):
    db = tmp_path / "other.json"
    db.write_text('{"users": []}')
    result = subprocess.run([sys.executable, "-m", "mockserver.cli", "--db", str(db)], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(db) in result.stderr
    assert db.read_text() == '{"users": []}'


@pytest.mark.parametrize("how", ["flag", "env"])
def test_api_keys_from_flag_or_environment(live_server, how):
    server = (
        live_server("--api-key", "shx_one", "--api-key", "shx_two")
        if how == "flag"
        else live_server(env={"MOCKSERVER_API_KEYS": "shx_one,shx_two"})
    )
    assert call(server, "/dev/v1/orders/ord_123", token="shx_two")[0] == 200
    status, body = call(server, "/dev/v1/orders/ord_123", token="shx_three")
    assert (status, body["error"]["code"]) == (401, "UNAUTHORIZED")


def test_port_from_environment(live_server):
    server = live_server(env={"MOCKSERVER_HOST": "127.0.0.1"})
    assert server.url.startswith("http://127.0.0.1:")


def test_export_then_import_through_the_cli(live_server, tmp_path):
    server = live_server()
    assert call(server, COMPLETE, "POST", token="shx_src")[0] == 200
    snapshot = tmp_path / "snap.json"
    cli = [sys.executable, "-m", "mockserver.cli"]
    exported = subprocess.run([*cli, "export", "--url", server.url, "--namespace", "shx_src"], capture_output=True, text=True, timeout=30)
    assert exported.returncode == 0
    snapshot.write_text(exported.stdout)
    assert json.loads(snapshot.read_text())["namespace"] == namespace_label("shx_src")
    imported = subprocess.run(
        [*cli, "import", str(snapshot), "--url", server.url, "--namespace", "shx_dst"], capture_output=True, text=True, timeout=30
    )
    assert imported.returncode == 0 and namespace_label("shx_dst") in imported.stdout
    status, body = call(server, "/dev/v1/orders/inv_complete_1", token="shx_dst")
    assert (status, body["data"]["status"]) == (200, "COMPLETED")


def test_export_reports_an_unreachable_server(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mockserver.cli", "export", "--url", "http://127.0.0.1:9", "--namespace", "x"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "cannot reach" in result.stderr


def admin(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def subscribe(server, url, token="shx_k"):
    body = json.dumps({"url": url, "events": ["order:paid"]}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(server.url + "/dev/v1/webhooks", data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["data"]["id"]


def by_webhook(server):
    deliveries = admin(server, "GET", "/__admin/webhooks")["deliveries"]
    return {d["webhook_id"]: d for d in deliveries}


def test_sigterm_finishes_deliveries_in_flight_and_a_restart_resumes_the_rest(live_server, tmp_path):
    from tests.receiver import Receiver, wait_until

    db = tmp_path / "state.json"
    slow = Receiver(hang=2.0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused_url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    try:
        first = live_server("--db", str(db), "--webhook-timeout", "5")
        # Four workers: the refused one fails fast (a retry is due in 2 minutes), four go to the slow
        # receiver and are in flight at SIGTERM, the last waits for a free worker.
        refused = subscribe(first, refused_url)
        slow_hooks = [subscribe(first, slow.url) for _ in range(5)]
        assert call(first, COMPLETE, "POST")[0] == 200
        slow.wait_for(4)
        wait_until(lambda: by_webhook(first)[refused]["status"] == "retrying")
        time.sleep(0.2)
        assert len(slow.received) == 4
        started = time.monotonic()
        assert first.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started > 1.0, "the stop waited for the attempts in flight"
        assert "Traceback" not in first.stderr

        # With sending off, a restart shows the state as the stop left it, and sends nothing.
        slow.hang = 0
        paused = live_server("--db", str(db), "--no-webhooks")
        state = by_webhook(paused)
        in_flight = [h for h in slow_hooks if state[h]["status"] == "succeeded"]
        assert len(in_flight) == 4 and all([a["response"]["status"] for a in state[h]["attempts"]] == [200] for h in in_flight)
        (waiting,) = set(slow_hooks) - set(in_flight)
        assert (state[waiting]["status"], state[waiting]["attempts"]) == ("pending", [])
        assert state[refused]["status"] == "retrying" and len(state[refused]["attempts"]) == 1
        due = state[refused]["next_attempt_at"]
        assert due - state[refused]["attempts"][0]["at"] == 120
        time.sleep(0.3)
        assert len(slow.received) == 4
        assert paused.stop(signal.SIGTERM) == 0

        # Sending on: the pending delivery goes at once; the retry when the server clock reaches its due time.
        second = live_server("--db", str(db))
        wait_until(lambda: by_webhook(second)[waiting]["status"] == "succeeded")
        assert len(slow.received) == 5
        time.sleep(0.3)
        assert len(by_webhook(second)[refused]["attempts"]) == 1
        admin(second, "POST", "/__admin/clock", {"frozen_at": due})
        retried = wait_until(lambda: [a for a in by_webhook(second)[refused]["attempts"] if a["attempt"] == 2])
        assert retried[0]["at"] == due and retried[0]["error"]
    finally:
        slow.close()
