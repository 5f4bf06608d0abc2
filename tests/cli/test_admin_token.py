"""`mockserver export` / `import` carry the admin token, and a refused one is one line with exit 2."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockserver.config import Settings

from .helpers import clean_env, one_error_line, run_cli

TOKEN = "admin-token-for-tests"
HEADER = "X-Mockserver-Admin-Token"


class AdminStub(BaseHTTPRequestHandler):
    """An admin API that requires TOKEN and answers snapshots; it keeps the token header of each call."""

    seen: list

    def do_GET(self):
        self._answer({"namespace": "shx_k", "records": {}})

    def do_PUT(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer({"namespace": "shx_k", "restored": 0})

    def _answer(self, body: dict) -> None:
        self.seen.append(self.headers.get(HEADER))
        status = 200 if self.headers.get(HEADER) == TOKEN else 401
        data = json.dumps(body if status == 200 else {"error": {"code": "UNAUTHORIZED"}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def admin_stub():
    handler = type("Handler", (AdminStub,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # A short poll interval: shutdown() waits for the serving loop to notice, up to one interval.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    server.shutdown()
    server.server_close()


def transfer(command: str, url: str, *extra: str, env=None):
    args = [command, *(["-"] if command == "import" else []), "--url", url, "--namespace", "shx_k", *extra]
    if command == "import":
        return run_cli(*args, env=env, stdin_text=json.dumps({"namespace": "shx_k"}))
    return run_cli(*args, env=env)


@pytest.mark.parametrize("command", ["export", "import"])
@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_token_is_sent(admin_stub, command, how):
    url, seen = admin_stub
    extra, env = (["--admin-token", TOKEN], None) if how == "flag" else ([], clean_env(MOCKSERVER_ADMIN_TOKEN=TOKEN))
    result = transfer(command, url, *extra, env=env)
    assert (result.returncode, result.stderr, seen) == (0, "", [TOKEN])


@pytest.mark.parametrize("command", ["export", "import"])
@pytest.mark.parametrize("token", [None, "not-the-admin-token"])
def test_a_missing_or_wrong_token_is_one_line(admin_stub, command, token):
    url, _seen = admin_stub
    extra = ["--admin-token", token] if token else []
    line = one_error_line(transfer(command, url, *extra))
    assert line.startswith("mockserver: error: admin token missing or wrong")
    # A token is never echoed back.
    assert token is None or token not in line


def test_an_empty_token_variable_is_refused_before_any_call(admin_stub):
    url, seen = admin_stub
    line = one_error_line(transfer("export", url, env=clean_env(MOCKSERVER_ADMIN_TOKEN="")))
    assert line == "mockserver: error: MOCKSERVER_ADMIN_TOKEN: must not be empty"
    assert seen == []


def test_the_server_setting_comes_from_the_flag_or_the_variable():
    assert Settings.from_env({}).admin_token is None
    assert Settings.from_env({"MOCKSERVER_ADMIN_TOKEN": TOKEN}).admin_token == TOKEN
    assert Settings.from_env({"MOCKSERVER_ADMIN_TOKEN": "x"}, admin_token=TOKEN).admin_token == TOKEN
