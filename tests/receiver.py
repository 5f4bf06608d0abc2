"""A real local webhook receiver for tests: records what arrives and answers as scripted."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from werkzeug.datastructures import Headers


class Receiver:
    """An HTTP server on a free loopback port; `answers` is the status for each successive request (then 200).

    `reply` is the response body; a 3xx answer sends `Location: location`. Received headers are case-insensitive.
    """

    def __init__(self, answers: list[int] | None = None, hang: float = 0.0, reply: bytes = b'{"ok": true}', location: str = ""):
        self.received: list[dict] = []
        self.lock = threading.Lock()
        self.answers = list(answers or [])
        self.hang, self.reply, self.location = hang, reply, location
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = Headers(list(self.headers.items()))
                with receiver.lock:
                    entry = {"method": self.command, "path": self.path, "headers": headers, "body": raw, "at": time.time()}
                    receiver.received.append(entry)
                    status = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.hang:
                    time.sleep(receiver.hang)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.end_headers()
                self.wfile.write(receiver.reply)

            do_PUT = do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = self.base + "/hook"
        # A short poll interval: close() waits for the serving loop to notice, up to one interval.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def at(self, path: str) -> str:
        """The URL of `path` on this receiver (each subscription its own path, to tell deliveries apart)."""
        return self.base + path

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        """Block until `count` requests arrived (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.received) >= count, f"expected {count} deliveries, got {len(self.received)}"
        return self.received

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def wait_until(predicate, timeout: float = 10.0):
    """Poll `predicate` until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")
