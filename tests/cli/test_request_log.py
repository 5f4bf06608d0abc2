"""--verbose / MOCKSERVER_VERBOSE=1: one stderr line per request, with the namespace's label and never its key."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from mockserver.labels import namespace_label

KEY = "shx_live_secret_key_0001"
SECRET_QUERY = "coupon-secret-value"
LINE = re.compile(r"mockserver\.requests (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d) ms (?P<label>\S+)$")


def get(url: str, key: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def request_lines(stderr: str) -> list[dict]:
    return [match.groupdict() for match in map(LINE.search, stderr.splitlines()) if match]


@pytest.mark.parametrize("how", ["flag", "env"])
def test_each_request_is_one_line_with_the_label_and_no_secret(live_server, how):
    server = live_server("--verbose") if how == "flag" else live_server(env={"MOCKSERVER_VERBOSE": "1"})
    assert get(f"{server.url}/dev/v1/orders/ord_123?code={SECRET_QUERY}", KEY) == 200
    assert get(f"{server.url}/dev/v1/orders/nope", KEY) == 404
    server.stop()
    lines = [line for line in request_lines(server.stderr) if line["path"] != "/__admin/health"]
    assert [(line["method"], line["path"], line["status"], line["label"]) for line in lines] == [
        ("GET", "/dev/v1/orders/ord_123", "200", namespace_label(KEY)),
        ("GET", "/dev/v1/orders/nope", "404", namespace_label(KEY)),
    ]
    assert KEY not in server.stderr and SECRET_QUERY not in server.stderr


def test_a_request_without_a_key_shows_a_dash(live_server):
    server = live_server("--verbose")
    server.stop()
    health = [line for line in request_lines(server.stderr) if line["path"] == "/__admin/health"]
    assert health and {line["label"] for line in health} == {"-"}


def test_quiet_by_default(live_server):
    server = live_server()
    assert get(f"{server.url}/dev/v1/orders/ord_123", KEY) == 200
    server.stop()
    assert request_lines(server.stderr) == [] and server.stderr == ""


# In the server's worker, the app is built from the settings; --verbose must make every mockserver.* logger speak.
WORKER = """
import logging, sys
from mockserver import create_app
from mockserver.config import Settings
create_app(Settings(verbose=sys.argv[1] == "1"))
logging.getLogger("mockserver.webhooks").info("attempt 1 of delivery d_1: 200")
"""


@pytest.mark.parametrize(("verbose", "shown"), [("1", True), ("0", False)])
def test_verbose_sends_info_of_the_mockserver_loggers_to_stderr(verbose, shown):
    result = subprocess.run([sys.executable, "-c", WORKER, verbose], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert ("mockserver.webhooks attempt 1 of delivery d_1: 200" in result.stderr) is shown
