"""The server as a process: banner, free port, signals, --db durability, start-up refusals."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

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
        except urllib.error.URLError:
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
    assert json.loads(snapshot.read_text())["namespace"] == "shx_src"
    imported = subprocess.run(
        [*cli, "import", str(snapshot), "--url", server.url, "--namespace", "shx_dst"], capture_output=True, text=True, timeout=30
    )
    assert imported.returncode == 0 and "shx_dst" in imported.stdout
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
