"""Wire-level helpers for the robustness tests: raw requests, envelope checks, state snapshots, worker RSS."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import time
import uuid
from urllib.parse import urlsplit

from tests.shoplazza.helpers import NEW_ORDER

SHOPPEX_COMPLETE = "/dev/v1/orders/inv_complete_1/complete"
SHOPPEX_ORDER = "/dev/v1/orders/inv_complete_1"
SHOPLAZZA_ORDER_ID = "365154185097449134715"
SHOPLAZZA_ORDER = f"/openapi/2025-06/orders/{SHOPLAZZA_ORDER_ID}"
SHOPLAZZA_PAY = f"{SHOPLAZZA_ORDER}/payment/success"
# The create bodies the robustness tests send: the Shoplazza one is the API tests' own.
NEW_SHOPLAZZA_ORDER = NEW_ORDER
NEW_SHOPPEX_ORDER = {"email": "buyer@example.com", "items": [{"product_id": "prod_3"}]}


def fresh(prefix: str) -> str:
    """A key/token nobody has used: its own namespace, seeded on first use."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def address(server) -> tuple[str, int]:
    parts = urlsplit(server.url)
    assert parts.hostname == "127.0.0.1", "robustness tests talk to loopback only"
    return parts.hostname, parts.port


def auth(api: str, token: str) -> dict:
    """The credential header of one API."""
    return {"Authorization": f"Bearer {token}"} if api == "shoppex" else {"access-token": token}


class Response:
    """A parsed HTTP response: status, headers (lower-cased names), raw body, and its JSON if it is JSON."""

    def __init__(self, status: int, headers: dict[str, str], raw: bytes):
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def json(self):
        return json.loads(self.raw)

    def __repr__(self) -> str:
        return f"<{self.status} {self.headers.get('content-type')} {self.raw[:300]!r}>"


def read_response(sock: socket.socket, method: str = "GET") -> Response:
    """Parse one HTTP/1.1 response from a socket (status line, headers, body by length or chunks)."""
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    raw = response.read()
    headers = {name.lower(): value for name, value in response.getheaders()}
    return Response(response.status, headers, raw)


def raw_request(server, data: bytes, timeout: float = 15.0, method: str = "GET") -> Response:
    """Send bytes exactly as given on a fresh connection and read the one response."""
    with socket.create_connection(address(server), timeout=timeout) as sock:
        sock.sendall(data)
        return read_response(sock, method)


def build(method: str, path: str, body: bytes | None = None, headers: dict | None = None, content_length: int | None = None) -> bytes:
    """A raw HTTP/1.1 request; Content-Length is the body's unless given (None body: no header)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body is not None or content_length is not None:
        lines.append(f"Content-Length: {len(body or b'') if content_length is None else content_length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def call(server, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 15.0) -> Response:
    """An ordinary request (JSON body when given a dict) through http.client on a fresh connection."""
    host, port = address(server)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, raw)
    finally:
        connection.close()


def assert_json(response: Response) -> dict:
    assert response.headers.get("content-type", "").startswith("application/json"), response
    assert not response.raw.lstrip().startswith(b"<"), response
    assert b"Traceback" not in response.raw, response
    return response.json


def assert_shoppex_error(response: Response, status: int, code: str | None = None) -> dict:
    """The documented Shoppex envelope {"error": {code, message, doc_url, details}} with this status."""
    assert response.status == status, response
    body = assert_json(response)
    assert list(body) == ["error"], body
    error = body["error"]
    assert set(error) == {"code", "message", "doc_url", "details"}, error
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["details"], list), error
    if code is not None:
        assert error["code"] == code, error
    return error


def assert_shoplazza_error(response: Response, status: int, code: str | None = None) -> dict:
    """The Shoplazza envelope {"code", "message"} with this status."""
    assert response.status == status, response
    body = assert_json(response)
    assert set(body) == {"code", "message"}, body
    assert isinstance(body["code"], str) and body["code"] != "Success" and isinstance(body["message"], str), body
    if code is not None:
        assert body["code"] == code, body
    return body


def assert_error(api: str, response: Response, status: int, code: str | None = None) -> dict:
    check = assert_shoppex_error if api == "shoppex" else assert_shoplazza_error
    return check(response, status, code)


def snapshot(server, namespace: str) -> dict:
    """Every record of a namespace (seeding it if new: loading no records creates it), through the admin API."""
    call(server, "POST", f"/__admin/fixtures?namespace={namespace}", body={"records": {}})
    response = call(server, "GET", f"/__admin/snapshot?namespace={namespace}")
    assert response.status == 200, response
    return response.json["records"]


def assert_healthy(server) -> None:
    response = call(server, "GET", "/__admin/health", timeout=5)
    assert (response.status, response.json) == (200, {"status": "ok"}), response


def worker_pid(server) -> int:
    """granian runs the app in a child of the server process: its pid."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        out = subprocess.run(["ps", "--ppid", str(server.process.pid), "-o", "pid="], capture_output=True, text=True).stdout
        pids = [int(p) for p in out.split()]
        if pids:
            assert len(pids) == 1, f"expected one worker, found {pids}"
            return pids[0]
        time.sleep(0.1)
    raise AssertionError("no granian worker process found")


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")
