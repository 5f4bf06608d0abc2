"""A full disk with --db: a write that cannot be persisted is answered 507 in the API's envelope and leaves nothing.

The server runs with RLIMIT_FSIZE (and SIGXFSZ ignored), so writing past the limit gets a short
write and then EFBIG, as on a disk that fills up. After a restart without the limit, exactly the
acknowledged writes are there, and retrying a refused request with its Idempotency-Key acts once.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

from mockserver.app import KINDS
from mockserver.config import bundled_fixtures_dir
from mockserver.fixtures import load_fixtures
from mockserver.labels import namespace_label
from tests.e2e.conftest import LiveServer

from .helpers import NEW_SHOPLAZZA_ORDER, NEW_SHOPPEX_ORDER, assert_error, assert_shoppex_error, call, fresh, snapshot

# Room for the first snapshot and a few dozen orders, then no more.
FILE_SIZE_LIMIT = 48 * 1024
FAILURES_WANTED = 4
INSUFFICIENT_STORAGE = 507


def _limit_file_size() -> None:
    # In the child before exec: the limit and the ignored signal are inherited by the server and its worker.
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class FullDiskServer(LiveServer):
    """`mockserver serve --db PATH` whose files cannot grow past FILE_SIZE_LIMIT bytes."""

    def __init__(self, db):
        command = [sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--no-webhooks", "--db", str(db)]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            start_new_session=True,
            preexec_fn=_limit_file_size,
        )
        self.banner = self.process.stdout.readline().strip()
        if not self.banner:
            raise RuntimeError(f"server did not start: {self.process.stderr.read()}")
        self.url = self.banner.split(" ")[3]
        self.wait_healthy()


def create(server, key: str, idempotency_key: str):
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": idempotency_key}
    return call(server, "POST", "/dev/v1/orders", NEW_SHOPPEX_ORDER, headers=headers)


def invoice_ids(server, key: str) -> set[str]:
    return {doc["id"] for doc in snapshot(server, key)["shoppex.invoices"]}


def test_a_write_the_full_disk_refuses_is_answered_507_and_never_appears(tmp_path):
    db = tmp_path / "state.json"
    key = fresh("shx_full")
    acknowledged, refused = [], []
    server = FullDiskServer(db)
    try:
        # Write until the disk has refused several times: each answer is a 201 kept, or a 507 envelope.
        for number in range(400):
            response = create(server, key, f"order-{number}")
            if response.status == 201:
                acknowledged.append(response.json["data"]["id"])
                continue
            error = assert_shoppex_error(response, INSUFFICIENT_STORAGE)
            assert "out of space" in error["message"], error
            refused.append(f"order-{number}")
            if len(refused) == FAILURES_WANTED:
                break
        assert acknowledged and len(refused) == FAILURES_WANTED, (len(acknowledged), refused)

        # The other APIs answer the same refusal in their own envelopes, and change nothing either.
        shoplazza = call(server, "POST", "/openapi/2025-06/orders", NEW_SHOPLAZZA_ORDER, headers={"access-token": key})
        assert_error("shoplazza", shoplazza, INSUFFICIENT_STORAGE)
        # Small writes (a new namespace each) still fit for a while; the first that does not is refused whole.
        for _ in range(400):
            newcomer = fresh("shx_new")
            admin = call(server, "POST", f"/__admin/fixtures?namespace={newcomer}", {"records": {}})
            if admin.status != 200:
                break
        assert admin.status == INSUFFICIENT_STORAGE and list(admin.json["error"]) == ["code", "message", "details"], admin
        assert namespace_label(newcomer) not in call(server, "GET", "/__admin/namespaces").json["namespaces"]

        # Before the restart: exactly the acknowledged orders were added, and a retry is refused again.
        seeded = {doc["id"] for doc in load_fixtures(bundled_fixtures_dir(), KINDS).records["shoppex.invoices"]}
        assert invoice_ids(server, key) == seeded | set(acknowledged)
        assert create(server, key, refused[0]).status == INSUFFICIENT_STORAGE
    finally:
        server.stop(signal.SIGKILL)

    restarted = LiveServer("--no-webhooks", "--db", str(db))
    try:
        assert invoice_ids(restarted, key) == seeded | set(acknowledged)
        # The refused request was never recorded under its Idempotency-Key: a retry acts once, then replays.
        retried = create(restarted, key, refused[0])
        assert retried.status == 201, retried
        replayed = create(restarted, key, refused[0])
        assert (replayed.status, replayed.json) == (201, retried.json)
        assert replayed.headers.get("idempotent-replayed") == "true"
        assert invoice_ids(restarted, key) == seeded | set(acknowledged) | {retried.json["data"]["id"]}
    finally:
        restarted.stop()
