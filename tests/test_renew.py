"""The suite's shared apps: after renew() an app is, to anything a test can observe, as create_app left it."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from mockserver.app import renew_app as renew
from mockserver.config import Settings
from tests.conftest import close, new_app
from tests.receiver import Receiver, wait_until

AUTH = {"Authorization": "Bearer shx_test_key"}
ORDER = "/dev/v1/orders/inv_put_1"
# Shoppex retries after 120 s, 240 s, ...: here after 0.12 s, 0.24 s, ...
SETTINGS = Settings(webhook_retry_scale=0.001, webhook_timeout=1)


def server_wide(client) -> dict:
    """What the admin API shows of the whole server (reading it seeds nothing)."""
    clock = client.get("/__admin/clock").get_json()
    return {
        "namespaces": client.get("/__admin/namespaces").get_json(),
        "clock": (clock["frozen"], abs(clock["now"] - time.time()) < 5),
        "requests": client.get("/__admin/requests").get_json(),
        "faults": client.get("/__admin/faults").get_json(),
        "deliveries": client.get("/__admin/webhooks").get_json(),
    }


def update_with_a_delivery(client, receiver: Receiver) -> None:
    """Subscribe the receiver to order updates and update an order."""
    client.post("/dev/v1/webhooks", json={"url": receiver.url, "events": ["order:updated"]}, headers=AUTH)
    assert client.patch(ORDER, json={"referral_code": "creator123"}, headers=AUTH).status_code == 200


def leave_everything_behind(client, receiver: Receiver) -> None:
    """What a test may leave: written records, journal entries, a fault rule, a retry due, a clock moved."""
    update_with_a_delivery(client, receiver)
    client.post("/__admin/faults", json={"path": "/dev/v1/products*", "status": 503})
    wait_until(lambda: [d for d in client.get("/__admin/webhooks").get_json()["deliveries"] if d["status"] == "retrying"])
    # Years back: the retry is not due until the clock is real again.
    client.post("/__admin/clock", json={"frozen_at": 1_000_000_000})


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "file"])
def test_a_renewed_app_shows_nothing_of_what_the_last_test_did(tmp_path, on_disk):
    receiver = Receiver(answers=[500] * 100)
    fresh, used = (new_app(replace(SETTINGS, db=tmp_path / name if on_disk else None)) for name in ("fresh.json", "used.json"))
    try:
        leave_everything_behind(used.test_client(), receiver)
        renew(used)
        attempts = len(receiver.received)
        # Time for a retry left due to be attempted (it would be sent, and seed its namespace again).
        time.sleep(0.3)
        assert len(receiver.received) == attempts, "a retry of the last test was sent"
        assert server_wide(used.test_client()) == server_wide(fresh.test_client())
        assert used.test_client().get(ORDER, headers=AUTH).get_json() == fresh.test_client().get(ORDER, headers=AUTH).get_json()
        # Deliveries work again.
        update_with_a_delivery(used.test_client(), receiver)
        receiver.wait_for(attempts + 1)
    finally:
        close(fresh), close(used), receiver.close()


def test_a_renewed_db_file_holds_nothing_of_the_last_test(tmp_path):
    db = tmp_path / "db.json"
    used = new_app(Settings(db=db))
    assert used.test_client().patch(ORDER, json={"referral_code": "creator123"}, headers=AUTH).status_code == 200
    renew(used)
    close(used)
    # A server started on the file afterwards finds it as new: no namespace, the seeded order.
    reopened, fresh = new_app(Settings(db=db)), new_app(Settings())
    try:
        assert reopened.test_client().get("/__admin/namespaces").get_json() == {"namespaces": []}
        assert reopened.test_client().get(ORDER, headers=AUTH).get_json() == fresh.test_client().get(ORDER, headers=AUTH).get_json()
    finally:
        close(reopened), close(fresh)
