"""Shoplazza webhooks: the subscriptions API on both versions, and order topics delivered for real to a local receiver.

Signatures are checked with an implementation written here from the documented algorithm
(base64 of HMAC-SHA256 of the raw body, keyed with the app secret), never with the server's signer.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.labels import namespace_label
from tests.receiver import Receiver, wait_until

from .helpers import NEW_ORDER, ORDER_ID, TOKEN, VERSIONS, Shoplazza, error_of

SECRET = "test-secret"
SHOP_DOMAIN = "hooks-test.myshoplaza.com"
ORDER_TOPICS = ("orders/create", "orders/update", "orders/cancelled", "orders/delete")
HEADERS = (
    "X-Shoplazza-Topic",
    "X-Shoplazza-Hmac-Sha256",
    "X-Shoplazza-Shop-Domain",
    "X-Shoplazza-Api-Version",
    "X-Shoplazza-Deduplication-ID",
)
WEBHOOK_FIELDS = {"id", "address", "topic", "created_at", "updated_at", "format"}
START = 1_767_225_600  # 2026-01-01T00:00:00Z


def expected_hmac(secret: str, raw: bytes) -> str:
    """The documented X-Shoplazza-Hmac-Sha256: base64 of HMAC-SHA256 of the raw body, keyed with the app secret."""
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def verified(secret: str, headers, raw: bytes) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(headers.get("X-Shoplazza-Hmac-Sha256", ""), expected_hmac(secret, raw))


# -- fixtures ----------------------------------------------------------------------


# Fast retries, and a secret and shop domain of the tests' own.
SETTINGS = dict(webhook_retry_scale=0.001, webhook_timeout=1, shoplazza_app_secret=SECRET, shoplazza_shop_domain=SHOP_DOMAIN)


def make_app(**overrides):
    app = create_app(Settings(**{**SETTINGS, **overrides}))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def settings() -> Settings:
    """The settings of this module's `app` (the session's app for them, renewed after each test: tests/conftest.py)."""
    return Settings(**SETTINGS)


def subscribe(api: Shoplazza, address: str, topic: str) -> dict:
    response = api.post("webhooks", {"webhook": {"address": address, "topic": topic}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["code"] == "Success"
    return body["data"]["webhook"]


def deliveries(client, **filters) -> list[dict]:
    response = client.get("/__admin/webhooks", query_string={"api": "shoplazza", **filters})
    assert response.status_code == 200
    return response.get_json()["deliveries"]


def settled(client) -> list[dict]:
    """The Shoplazza delivery log once no delivery is pending or retrying."""
    return wait_until(
        lambda: (lambda found: found if all(d["status"] in ("succeeded", "failed") for d in found) else None)(deliveries(client))
    )


# -- the signature check itself can fail ------------------------------------------------


def test_the_independent_check_rejects_a_wrong_secret_or_a_changed_body():
    raw = b'{"id":"1"}'
    headers = {"X-Shoplazza-Hmac-Sha256": expected_hmac(SECRET, raw)}
    assert verified(SECRET, headers, raw)
    assert not verified("other-secret", headers, raw)
    assert not verified(SECRET, headers, b'{"id":"2"}')
    # A hex digest of the right HMAC is not the documented (base64) encoding.
    assert not verified(SECRET, {"X-Shoplazza-Hmac-Sha256": hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()}, raw)


# -- subscriptions API ---------------------------------------------------------------------


def test_create_get_list_count_update_delete(api, runtime, version):
    runtime.clock.freeze(START)
    hook = subscribe(api, "https://example.com/hooks/orders", "orders/create")
    assert set(hook) == WEBHOOK_FIELDS
    assert hook["address"] == "https://example.com/hooks/orders" and hook["topic"] == "orders/create"
    assert hook["format"] == "json"
    assert hook["created_at"] == hook["updated_at"] == "2026-01-01T00:00:00Z"
    assert isinstance(hook["id"], str) and hook["id"]

    got = api.get(f"webhooks/{hook['id']}")
    assert got.status_code == 200 and got.get_json() == {"code": "Success", "message": "Success", "data": {"webhook": hook}}
    assert got.headers["Request-Id"]

    listed = api.get("webhooks").get_json()["data"]
    assert listed == {"webhooks": [hook], "cursor": "", "has_more": False}
    assert api.get("webhooks/count").get_json()["data"] == {"count": 1}

    runtime.clock.advance(60)
    put = api.put(f"webhooks/{hook['id']}", {"webhook": {"topic": "orders/update"}})
    assert put.status_code == 200, put.get_json()
    updated = put.get_json()["data"]["webhook"]
    assert updated == {**hook, "topic": "orders/update", "updated_at": "2026-01-01T00:01:00Z"}
    moved = api.put(f"webhooks/{hook['id']}", {"webhook": {"address": "http://127.0.0.1:9/x"}}).get_json()["data"]["webhook"]
    assert moved["address"] == "http://127.0.0.1:9/x" and moved["topic"] == "orders/update"
    assert api.get(f"webhooks/{hook['id']}").get_json()["data"]["webhook"] == moved

    deleted = api.delete(f"webhooks/{hook['id']}")
    assert deleted.status_code == 200 and deleted.get_json() == {"code": "Success", "message": "Success", "data": {}}
    assert "webhook" in error_of(api.get(f"webhooks/{hook['id']}"), 404, "NotFound")
    error_of(api.delete(f"webhooks/{hook['id']}"), 404, "NotFound")
    error_of(api.put(f"webhooks/{hook['id']}", {"webhook": {"topic": "orders/create"}}), 404, "NotFound")
    assert api.get("webhooks/count").get_json()["data"] == {"count": 0}


@pytest.mark.versions
def test_subscriptions_are_shared_by_both_versions_and_private_to_the_token(client, version):
    hook = subscribe(Shoplazza(client, version), "https://example.com/a", "orders/delete")
    for other in VERSIONS:
        assert Shoplazza(client, other).get(f"webhooks/{hook['id']}").get_json()["data"]["webhook"] == hook
    stranger = Shoplazza(client, version, token="another-store")
    error_of(stranger.get(f"webhooks/{hook['id']}"), 404, "NotFound")
    assert stranger.get("webhooks").get_json()["data"]["webhooks"] == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "webhook"),
        ({"webhook": "orders/create"}, "webhook"),
        ({"webhook": {"topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": "https://example.com/h"}}, "webhook.topic"),
        ({"webhook": {"address": "", "topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": "not a url", "topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": "ftp://example.com/h", "topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": "example.com/h", "topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": 42, "topic": "orders/create"}}, "webhook.address"),
        ({"webhook": {"address": "https://example.com/h", "topic": "orders/paid"}}, "webhook.topic"),
        ({"webhook": {"address": "https://example.com/h", "topic": ""}}, "webhook.topic"),
        ({"webhook": {"address": "https://example.com/h", "topic": "ORDERS/CREATE"}}, "webhook.topic"),
    ],
)
def test_create_refuses_bad_bodies_naming_the_field(api, runtime, body, field):
    message = error_of(api.post("webhooks", body), 400, "InvalidParameter")
    assert message.startswith(f"{field}:") or f"; {field}:" in message, message
    assert runtime.store.all(TOKEN, "shoplazza.webhooks") == []


def test_create_refuses_a_body_that_is_not_json(api):
    response = api.client.post(api.path("webhooks"), data="{", headers={"access-token": TOKEN}, content_type="application/json")
    error_of(response, 400, "InvalidParameter")


@pytest.mark.parametrize(
    "topic", ["orders/create", "orders/update", "orders/cancelled", "orders/delete", "products/create", "app/uninstalled"]
)
def test_every_reference_topic_can_be_subscribed(api, topic):
    assert subscribe(api, "http://localhost:3000/webhooks", topic)["topic"] == topic


def test_update_validates_and_refuses_duplicates(api, runtime):
    hook = subscribe(api, "https://example.com/h", "orders/create")
    other = subscribe(api, "https://example.com/h", "orders/update")
    before = runtime.store.all(TOKEN, "shoplazza.webhooks")
    assert "webhook.topic" in error_of(api.put(f"webhooks/{hook['id']}", {"webhook": {"topic": "orders/paid"}}), 400, "InvalidParameter")
    assert "webhook.address" in error_of(
        api.put(f"webhooks/{hook['id']}", {"webhook": {"address": "mailto:x@example.com"}}), 400, "InvalidParameter"
    )
    assert "webhook" in error_of(api.put(f"webhooks/{hook['id']}", {}), 400, "InvalidParameter")
    # Same address and topic as another subscription: refused on update and on create.
    assert error_of(api.put(f"webhooks/{other['id']}", {"webhook": {"topic": "orders/create"}}), 400, "InvalidParameter").startswith(
        "address:"
    )
    assert error_of(
        api.post("webhooks", {"webhook": {"address": "https://example.com/h", "topic": "orders/create"}}), 400, "InvalidParameter"
    )
    assert runtime.store.all(TOKEN, "shoplazza.webhooks") == before
    # Re-sending a subscription's own values is not a duplicate of itself.
    assert api.put(f"webhooks/{hook['id']}", {"webhook": {"topic": "orders/create"}}).status_code == 200


def test_list_filters_and_cursor(api, runtime):
    runtime.clock.freeze(START)
    made = []
    specs = [("h0", "orders/create"), ("h1", "orders/update"), ("h2", "orders/create"), ("h1", "orders/cancelled"), ("h0", "orders/delete")]
    for path, topic in specs:
        made.append(subscribe(api, f"https://example.com/{path}", topic))
        runtime.clock.advance(10)

    def ids(**query):
        response = api.get("webhooks", query=query)
        assert response.status_code == 200, response.get_json()
        return [w["id"] for w in response.get_json()["data"]["webhooks"]]

    def count(**query):
        return api.get("webhooks/count", query=query).get_json()["data"]["count"]

    assert ids() == [h["id"] for h in made]
    assert ids(topic="orders/create") == [made[0]["id"], made[2]["id"]] and count(topic="orders/create") == 2
    assert ids(topic="orders/update,orders/cancelled") == [made[1]["id"], made[3]["id"]]
    assert count(topic="orders/update,orders/cancelled") == 2
    assert ids(address="https://example.com/h1") == [made[1]["id"], made[3]["id"]] and count(address="https://example.com/h1") == 2
    assert ids(address="https://example.com/h0", topic="orders/create") == [made[0]["id"]]
    assert count(address="https://example.com/h0", topic="orders/create") == 1
    assert ids(address="https://example.com/nowhere") == [] and count(topic="app/uninstalled") == 0
    assert ids(created_at_min="2026-01-01T00:00:10Z", created_at_max="2026-01-01T00:00:30Z") == [h["id"] for h in made[1:4]]

    runtime.clock.advance(100)
    api.put(f"webhooks/{made[0]['id']}", {"webhook": {"address": "https://example.com/moved"}})
    assert ids(updated_at_min="2026-01-01T00:02:00Z") == [made[0]["id"]]
    assert ids(updated_at_max="2026-01-01T00:01:00Z") == [h["id"] for h in made[1:]]

    # Cursor paging walks every subscription exactly once.
    seen, cursor = [], None
    for _ in range(5):
        query = {"page_size": 2, **({"cursor": cursor} if cursor else {})}
        data = api.get("webhooks", query=query).get_json()["data"]
        seen += [w["id"] for w in data["webhooks"]]
        assert data["has_more"] == bool(data["cursor"])
        cursor = data["cursor"]
        if not data["has_more"]:
            break
    assert seen == [h["id"] for h in made]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "251"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "\u00b2"}, "page_size"),
        ({"page_size": "\uff11"}, "page_size"),
        ({"page_size": "9" * 5000}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b"[" * 100_000).decode()}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'["webhooks", true]').decode()}, "cursor"),
        ({"topic": "orders/paid"}, "topic"),
        ({"created_at_min": "yesterday"}, "created_at_min"),
        ({"updated_at_max": "2026-13-01T00:00:00Z"}, "updated_at_max"),
    ],
)
def test_list_refuses_bad_query_parameters(api, query, field):
    assert error_of(api.get("webhooks", query=query), 400, "InvalidParameter").startswith(f"{field}:")


def test_scopes_reads_need_read_order_and_writes_write_order(version):
    app = make_app(shoplazza_tokens=("reader:read_order", "writer:write_order", "admin"))
    client = app.test_client()
    reader, writer, admin = (Shoplazza(client, version, token) for token in ("reader", "writer", "admin"))
    body = {"webhook": {"address": "https://example.com/h", "topic": "orders/create"}}
    error_of(reader.post("webhooks", body), 403, "Forbidden")
    error_of(writer.get("webhooks"), 403, "Forbidden")
    error_of(Shoplazza(client, version, "nobody").get("webhooks"), 401, "Unauthorized")
    error_of(Shoplazza(client, version, None).get("webhooks"), 401, "Unauthorized")
    assert writer.post("webhooks", body).status_code == 200
    assert reader.get("webhooks").status_code == 200 and reader.get("webhooks/count").status_code == 200
    assert admin.post("webhooks", body).status_code == 200
    app.extensions["mockserver"].store.close()


def test_unknown_version_is_a_404(client):
    error_of(Shoplazza(client, "2024-01").get("webhooks"), 404, "NotFound")


# -- deliveries -----------------------------------------------------------------------------------


def subscribe_all(api: Shoplazza, receiver: Receiver) -> dict[str, dict]:
    """One subscription per order topic, each at its own path of the receiver."""
    return {topic: subscribe(api, receiver.at("/" + topic.replace("/", "-")), topic) for topic in ORDER_TOPICS}


def check_delivery(request: dict, topic: str, version: str, order: dict) -> dict:
    headers, raw = request["headers"], request["body"]
    assert request["method"] == "POST"
    assert request["path"] == "/" + topic.replace("/", "-")
    for name in HEADERS:
        assert headers.get(name), f"{name} missing from {dict(headers)}"
    assert headers["X-Shoplazza-Topic"] == topic
    assert verified(SECRET, headers, raw), "X-Shoplazza-Hmac-Sha256 does not verify with the app secret"
    assert not verified("shoplazza-app-secret", headers, raw)
    assert headers["X-Shoplazza-Shop-Domain"] == SHOP_DOMAIN
    assert headers["X-Shoplazza-Api-Version"] == version
    assert headers["Content-Type"].startswith("application/json")
    body = json.loads(raw)
    assert body == order, "the body is the order as GET returns it, not wrapped"
    return body


TRANSITIONS = {
    "create": ["orders/create"],
    "update": ["orders/update"],
    "pay": ["orders/update"],
    "cancel": ["orders/cancelled", "orders/update"],
    "delete": ["orders/delete"],
}


@pytest.mark.versions
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_each_order_change_fires_its_topics_signed_as_documented(api, client, runtime, receiver, version, action):
    runtime.clock.freeze(START)  # so a deleted order's body can be compared to its last GET
    subscribe_all(api, receiver)
    before = None
    if action == "create":
        order_id = api.create()["id"]
    elif action == "update":
        order_id = ORDER_ID
        assert api.put(f"orders/{order_id}", {"order": {"note": "ring twice", "tags": ["a", "b"]}}).status_code == 200
    elif action == "pay":
        order_id = ORDER_ID
        assert api.pay(order_id, {"gateway": "customize"}).status_code == 200
    elif action == "cancel":
        order_id = ORDER_ID
        assert api.post(f"orders/{order_id}/cancel", {"reason": "customer"}).status_code == 200
    else:
        order_id = ORDER_ID
        before = api.order(order_id)
        assert api.delete(f"orders/{order_id}").status_code == 200
    expected_topics = TRANSITIONS[action]

    order = (
        api.order(order_id) if before is None else {**before, "deleted_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    )
    received = receiver.wait_for(len(expected_topics))
    log = settled(client)
    assert sorted(d["event"] for d in log) == sorted(expected_topics)
    assert len(receiver.received) == len(expected_topics), "a topic fired that this change should not fire"
    assert sorted(r["headers"]["X-Shoplazza-Topic"] for r in received) == sorted(expected_topics)
    dedup_ids = set()
    for request in received:
        body = check_delivery(request, request["headers"]["X-Shoplazza-Topic"], version, order)
        assert body["id"] == order_id
        dedup_ids.add(request["headers"]["X-Shoplazza-Deduplication-ID"])
    assert len(dedup_ids) == len(expected_topics), "each event has its own Deduplication-ID"
    for entry in log:
        assert entry["status"] == "succeeded" and entry["api"] == "shoplazza" and entry["namespace"] == namespace_label(TOKEN)
        assert len(entry["attempts"]) == 1 and entry["attempts"][0]["response"]["status"] == 200
        assert entry["body"] == order
        assert "signing" not in entry and SECRET not in json.dumps(entry)


def test_api_version_header_is_the_subscriptions_version_and_dedup_id_is_per_event(client, receiver):
    old, new = Shoplazza(client, "2025-06"), Shoplazza(client, "2026-01")
    subscribe(old, receiver.at("/old"), "orders/update")
    subscribe(new, receiver.at("/new"), "orders/update")
    # The change is made through the other version: the header follows each subscription.
    assert new.put(f"orders/{ORDER_ID}", {"order": {"note": "one"}}).status_code == 200
    assert old.put(f"orders/{ORDER_ID}", {"order": {"note": "two"}}).status_code == 200
    received = receiver.wait_for(4)
    by_path: dict[str, list] = {}
    for request in received:
        assert verified(SECRET, request["headers"], request["body"])
        by_path.setdefault(request["path"], []).append(request)
    assert {r["headers"]["X-Shoplazza-Api-Version"] for r in by_path["/old"]} == {"2025-06"}
    assert {r["headers"]["X-Shoplazza-Api-Version"] for r in by_path["/new"]} == {"2026-01"}
    notes = {}
    for request in received:
        notes.setdefault(json.loads(request["body"])["note"], set()).add(request["headers"]["X-Shoplazza-Deduplication-ID"])
    # Both subscriptions of one event share its Deduplication-ID; the two events differ.
    assert len(notes["one"]) == 1 and len(notes["two"]) == 1 and notes["one"] != notes["two"]


def test_only_subscribed_topics_of_the_same_token_are_delivered(api, client, receiver, version):
    subscribe(api, receiver.at("/delete-only"), "orders/delete")
    subscribe(api, receiver.at("/products"), "products/create")
    api.create()
    api.put(f"orders/{ORDER_ID}", {"order": {"note": "x"}})
    api.pay(ORDER_ID)
    api.post(f"orders/{ORDER_ID}/cancel", {})
    # Another store's changes never reach this store's subscriptions.
    Shoplazza(client, version, token="another-store").delete(f"orders/{ORDER_ID}")
    # Deliveries are logged on the request path, so the log is complete as soon as the calls return.
    assert deliveries(client) == []
    api.delete(f"orders/{ORDER_ID}")
    assert [d["event"] for d in deliveries(client)] == ["orders/delete"]
    receiver.wait_for(1)
    settled(client)
    assert [r["path"] for r in receiver.received] == ["/delete-only"]


def test_refused_changes_and_deleted_subscriptions_fire_nothing(api, client, receiver):
    hook = subscribe(api, receiver.at("/upd"), "orders/update")
    assert api.pay(ORDER_ID).status_code == 200
    assert len(deliveries(client)) == 1
    error_of(api.pay(ORDER_ID), 500, "FailedPrecondition")
    error_of(
        api.put(f"orders/{ORDER_ID}", {"order": {"shipping_line": {"shipping_name": "x", "shipping_price": "1.00"}}}),
        500,
        "FailedPrecondition",
    )
    error_of(api.put("orders/nope", {"order": {"note": "x"}}), 404, "NotFound")
    error_of(api.put(f"orders/{ORDER_ID}", {"order": {"tags": 5}}), 400, "InvalidParameter")
    # An update that changes nothing is no event either.
    assert api.put(f"orders/{ORDER_ID}", {"order": {}}).status_code == 200
    assert len(deliveries(client)) == 1
    assert api.delete(f"webhooks/{hook['id']}").status_code == 200
    assert api.put(f"orders/{ORDER_ID}", {"order": {"note": "after unsubscribing"}}).status_code == 200
    assert len(deliveries(client)) == 1
    receiver.wait_for(1)
    settled(client)
    assert len(receiver.received) == 1


def test_a_500_then_200_is_retried_once_and_both_attempts_are_logged(api, client):
    receiver = Receiver(answers=[500])
    try:
        hook = subscribe(api, receiver.at("/flaky"), "orders/create")
        order = api.create()
        received = receiver.wait_for(2)
        done = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])
        assert len(done) == 1 and len(deliveries(client)) == 1
        entry = done[0]
        assert entry["webhook_id"] == hook["id"] and entry["event"] == "orders/create" and entry["url"] == receiver.at("/flaky")
        attempts = entry["attempts"]
        assert [a["attempt"] for a in attempts] == [1, 2]
        assert [a["response"]["status"] for a in attempts] == [500, 200]
        assert all(a["error"] is None for a in attempts)
        assert attempts[0]["response"]["body"] == receiver.reply.decode()
        # Both attempts carry the same body, signature and Deduplication-ID, on the wire and in the log.
        assert received[0]["body"] == received[1]["body"]
        for request in received:
            assert verified(SECRET, request["headers"], request["body"])
            assert json.loads(request["body"]) == api.order(order["id"])
        assert received[0]["headers"]["X-Shoplazza-Deduplication-ID"] == received[1]["headers"]["X-Shoplazza-Deduplication-ID"]
        logged = [a["request"]["headers"] for a in attempts]
        assert logged[0] == logged[1]
        assert logged[0]["X-Shoplazza-Deduplication-ID"] == received[0]["headers"]["X-Shoplazza-Deduplication-ID"]
        assert set(HEADERS) <= set(logged[0])
        # The body is logged once, with the delivery, not again with each attempt.
        assert entry["body"] == json.loads(received[0]["body"]) and all("body" not in a["request"] for a in attempts)
        # The scaled retry schedule: no third attempt.
        time.sleep(0.2)
        assert len(receiver.received) == 2 and len(deliveries(client)[0]["attempts"]) == 2
    finally:
        receiver.close()


def test_the_admin_log_filters_by_event_and_status(api, client, receiver):
    subscribe_all(api, receiver)
    api.post(f"orders/{ORDER_ID}/cancel", {})
    receiver.wait_for(2)
    settled(client)
    assert [d["event"] for d in deliveries(client, event="orders/cancelled")] == ["orders/cancelled"]
    assert len(deliveries(client, status="succeeded")) == 2
    assert deliveries(client, status="failed") == []
    assert client.get("/__admin/webhooks", query_string={"api": "shoppex"}).get_json()["deliveries"] == []


def test_no_webhooks_logs_but_sends_nothing(receiver, version):
    app = make_app(webhooks=False)
    try:
        client = app.test_client()
        api = Shoplazza(client, version)
        subscribe_all(api, receiver)
        order = api.create(copy.deepcopy(NEW_ORDER))
        api.pay(order["id"])
        log = deliveries(client)
        assert sorted(d["event"] for d in log) == ["orders/create", "orders/update"]
        assert all(d["status"] == "not_sent" and d["attempts"] == [] and d["next_attempt_at"] is None for d in log)
        assert [d["body"] for d in log if d["event"] == "orders/update"] == [api.order(order["id"])]
        time.sleep(0.3)
        assert receiver.received == []
        assert all(d["status"] == "not_sent" for d in deliveries(client))
    finally:
        app.extensions["mockserver"].deliveries.close()
        app.extensions["mockserver"].store.close()


def test_file_storage_keeps_subscriptions_and_deliveries(tmp_path, receiver):
    db = tmp_path / "db.json"
    app = make_app(db=db)
    api = Shoplazza(app.test_client(), "2026-01")
    hook = subscribe(api, receiver.at("/persist"), "orders/update")
    api.put(f"orders/{ORDER_ID}", {"order": {"note": "kept"}})
    receiver.wait_for(1)
    settled(app.test_client())
    app.extensions["mockserver"].deliveries.close()
    app.extensions["mockserver"].store.close()

    again = make_app(db=db)
    try:
        client = again.test_client()
        api = Shoplazza(client, "2025-06")
        assert api.get(f"webhooks/{hook['id']}").get_json()["data"]["webhook"] == hook
        assert [d["status"] for d in deliveries(client)] == ["succeeded"]
        api.put(f"orders/{ORDER_ID}", {"order": {"note": "after restart"}})
        received = receiver.wait_for(2)
        assert received[1]["headers"]["X-Shoplazza-Api-Version"] == "2026-01"
        assert verified(SECRET, received[1]["headers"], received[1]["body"])
    finally:
        again.extensions["mockserver"].deliveries.close()
        again.extensions["mockserver"].store.close()
