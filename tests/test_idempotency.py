"""Idempotency-Key on Shoppex writes: replay, mismatch, namespaces, 24 h expiry, concurrency."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.idempotency import KIND, KeyLocks, locks_of
from mockserver.shoppex.models import INVOICES, ShoppexBackend

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

NAMESPACE = "shx_test_key"
COMPLETE = "/dev/v1/orders/inv_complete_1/complete"
UPDATE = "/dev/v1/orders/inv_put_1"
ATTRIBUTE = {"referral_code": "creator123"}
T0 = 1_750_000_000
DAY = 24 * 60 * 60


def stored(runtime, order_id: str, namespace: str = NAMESPACE) -> dict:
    return dict(runtime.store.get(namespace, INVOICES, order_id))


def with_key(auth: dict, key: str) -> dict:
    return {**auth, "Idempotency-Key": key}


def assert_key_refused(response) -> None:
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == ["Idempotency-Key"]
    assert "Idempotent-Replayed" not in response.headers


@pytest.fixture
def frozen(runtime):
    """The clock stopped at T0."""
    runtime.clock.freeze(T0)
    return runtime.clock


def test_replay_returns_the_first_response_without_acting_again(client, runtime, auth, frozen):
    first = client.post(COMPLETE, headers=with_key(auth, "k-complete"))
    assert first.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    assert stored(runtime, "inv_complete_1")["updated_at"] == T0

    frozen.advance(60)
    replay = client.post(COMPLETE, headers=with_key(auth, "k-complete"))
    # A plain second complete is a 422; the replay is the first 200, byte for byte.
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.mimetype == "application/json"
    assert replay.get_data() == first.get_data()
    assert stored(runtime, "inv_complete_1")["updated_at"] == T0
    assert client.post(COMPLETE, headers=auth).status_code == 422


def test_replay_of_a_patch(client, runtime, auth, frozen):
    first = client.patch(UPDATE, json=ATTRIBUTE, headers=with_key(auth, "k-patch"))
    assert first.status_code == 200
    assert first.get_json()["data"]["affiliate_code"] == "creator123"
    frozen.advance(60)
    replay = client.patch(UPDATE, json=ATTRIBUTE, headers=with_key(auth, "k-patch"))
    assert (replay.status_code, replay.headers.get("Idempotent-Replayed")) == (200, "true")
    assert replay.get_json() == first.get_json()
    assert stored(runtime, "inv_put_1")["updated_at"] == T0


def test_same_key_different_request_is_refused_and_changes_nothing(client, runtime, auth, frozen):
    assert client.post(COMPLETE, headers=with_key(auth, "k-shared")).status_code == 200
    order_before = stored(runtime, "inv_put_1")
    record_before = runtime.store.get(NAMESPACE, KIND, "k-shared")
    frozen.advance(60)

    assert_key_refused(client.post(COMPLETE, json={"note": "different body"}, headers=with_key(auth, "k-shared")))
    assert_key_refused(client.post(COMPLETE + "?x=1", headers=with_key(auth, "k-shared")))
    assert_key_refused(client.patch(UPDATE, json=ATTRIBUTE, headers=with_key(auth, "k-shared")))
    assert stored(runtime, "inv_put_1") == order_before
    assert runtime.store.get(NAMESPACE, KIND, "k-shared") == record_before


def test_keys_are_scoped_per_api_key(client, runtime, auth, frozen):
    assert client.post(COMPLETE, headers=with_key(auth, "k-ns")).status_code == 200
    frozen.advance(60)
    other = client.post(COMPLETE, headers={"Authorization": "Bearer shx_other_key", "Idempotency-Key": "k-ns"})
    # The other key's own order is completed now, not replayed from the first namespace.
    assert other.status_code == 200
    assert "Idempotent-Replayed" not in other.headers
    assert other.get_json()["data"]["updated_at"] == T0 + 60
    assert stored(runtime, "inv_complete_1", "shx_other_key")["status"] == "COMPLETED"


def test_a_key_is_forgotten_after_24_hours_of_clock_time(client, runtime, auth, frozen):
    assert client.post(COMPLETE, headers=with_key(auth, "k-day")).status_code == 200
    frozen.advance(DAY - 1)
    assert client.post(COMPLETE, headers=with_key(auth, "k-day")).headers["Idempotent-Replayed"] == "true"
    frozen.advance(1)
    # Forgotten: the request acts anew, and completing a completed order is the documented 422.
    anew = client.post(COMPLETE, headers=with_key(auth, "k-day"))
    assert anew.status_code == 422
    assert "Idempotent-Replayed" not in anew.headers
    assert anew.get_json()["error"]["details"][0]["field"] == "status"
    # That 422 is now the key's recorded response.
    assert client.post(COMPLETE, headers=with_key(auth, "k-day")).headers["Idempotent-Replayed"] == "true"


def test_a_recorded_4xx_replays_as_that_4xx(client, runtime, auth):
    assert client.post(COMPLETE, headers=auth).status_code == 200
    refused = client.post(COMPLETE, headers=with_key(auth, "k-4xx"))
    assert refused.status_code == 422

    # Make the order completable again: a replay still answers the recorded 422 and acts on nothing.
    runtime.store.modify(NAMESPACE, INVOICES, "inv_complete_1", lambda doc: {**doc, "status": "PENDING"})
    replay = client.post(COMPLETE, headers=with_key(auth, "k-4xx"))
    assert (replay.status_code, replay.headers.get("Idempotent-Replayed")) == (422, "true")
    assert replay.get_json() == refused.get_json()
    assert stored(runtime, "inv_complete_1")["status"] == "PENDING"


def test_a_5xx_is_not_recorded_and_the_key_can_be_retried(client, runtime, auth, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(ShoppexBackend, "complete_order", broken)
        assert client.post(COMPLETE, headers=with_key(auth, "k-5xx")).status_code == 500
    assert runtime.store.get(NAMESPACE, KIND, "k-5xx") is None
    assert len(locks_of(client.application)) == 0
    retry = client.post(COMPLETE, headers=with_key(auth, "k-5xx"))
    assert (retry.status_code, retry.headers.get("Idempotent-Replayed")) == (200, None)


def test_get_ignores_the_header(client, runtime, auth):
    for _ in range(2):
        response = client.get("/dev/v1/orders/ord_123", headers=with_key(auth, "k-get"))
        assert response.status_code == 200
        assert "Idempotent-Replayed" not in response.headers
    assert client.get("/dev/v1/orders/ord_123", headers=with_key(auth, "x" * 300)).status_code == 200
    assert runtime.store.get(NAMESPACE, KIND, "k-get") is None


@pytest.mark.parametrize("key", ["", "   ", "x" * 256])
def test_empty_or_overlong_keys_are_refused(client, runtime, auth, key):
    assert_key_refused(client.post(COMPLETE, headers=with_key(auth, key)))
    assert stored(runtime, "inv_complete_1")["status"] == "PENDING"


def test_a_255_character_key_is_accepted(client, auth):
    key = "k" * 255
    assert client.post(COMPLETE, headers=with_key(auth, key)).status_code == 200
    assert client.post(COMPLETE, headers=with_key(auth, key)).headers["Idempotent-Replayed"] == "true"


def test_keys_survive_a_restart_with_a_db_file(tmp_path, auth):
    settings = Settings(db=tmp_path / "db.json")
    first_app = create_app(settings)
    first = first_app.test_client().post(COMPLETE, headers=with_key(auth, "k-restart"))
    first_app.extensions["mockserver"].store.close()

    second_app = create_app(settings)
    try:
        replay = second_app.test_client().post(COMPLETE, headers=with_key(auth, "k-restart"))
        assert (replay.status_code, replay.headers.get("Idempotent-Replayed")) == (200, "true")
        assert replay.get_data() == first.get_data()
    finally:
        second_app.extensions["mockserver"].store.close()


def test_concurrent_requests_in_process_act_once_and_leave_no_locks(app, runtime, auth, monkeypatch):
    # A slow action widens the window in which an unserialised second request would act too.
    complete = ShoppexBackend.complete_order

    def slow_complete(self, *args, **kwargs):
        time.sleep(0.05)
        return complete(self, *args, **kwargs)

    monkeypatch.setattr(ShoppexBackend, "complete_order", slow_complete)
    barrier = threading.Barrier(8)
    responses = []

    def call():
        client = app.test_client()
        barrier.wait()
        responses.append(client.post(COMPLETE, headers=with_key(auth, "k-threads")))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [200] * 8
    assert sum("Idempotent-Replayed" not in r.headers for r in responses) == 1
    assert len(locks_of(app)) == 0


def test_key_locks_are_dropped_when_free():
    locks = KeyLocks()
    locks.acquire(("ns", "a"))
    waiter = threading.Thread(target=lambda: (locks.acquire(("ns", "a")), locks.release(("ns", "a"))))
    waiter.start()
    locks.release(("ns", "a"))
    waiter.join(5)
    assert not waiter.is_alive()
    assert len(locks) == 0


def post(url: str, headers: dict) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(url, data=b"", headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Idempotent-Replayed")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Idempotent-Replayed")


@pytest.mark.parametrize("db", [False, True], ids=["memory", "file"])
def test_sixteen_concurrent_replays_against_a_live_server_act_once(tmp_path, db):
    from tests.e2e.conftest import LiveServer

    # With --db every write reaches the file, a wide window for a second request to act unserialised.
    server = LiveServer(*(["--db", str(tmp_path / "db.json")] if db else []))
    try:
        url = server.url + COMPLETE
        headers = {"Authorization": "Bearer shx_live", "Idempotency-Key": "k-live"}
        barrier = threading.Barrier(16)
        results = []

        def call():
            barrier.wait()
            results.append(post(url, headers))

        threads = [threading.Thread(target=call) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        assert len(results) == 16
        assert {status for status, _, _ in results} == {200}
        assert len({body for _, body, _ in results}) == 1
        assert json.loads(results[0][1])["data"]["status"] == "COMPLETED"
        assert sorted(replayed or "" for _, _, replayed in results) == [""] + ["true"] * 15
        # Completed exactly once: without the key a second complete is the documented 422.
        status, body, _ = post(url, {"Authorization": "Bearer shx_live"})
        assert status == 422
        assert json.loads(body)["error"]["details"][0]["field"] == "status"
    finally:
        server.stop()
