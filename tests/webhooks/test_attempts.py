"""What one attempt does and records: redirects are answers, secrets are never kept, one log line each."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from mockserver.labels import namespace_label
from tests.receiver import Receiver, wait_until
from tests.webhooks.helpers import (
    AUTH,
    COMPLETABLE_ORDER,
    SHOPLAZZA_ORDER,
    SHOPPEX_KEY,
    TOKEN,
    create_payment,
    deliveries,
    free_port,
    subscribe_shoplazza,
    subscribe_shoppex,
)

LOGGER = "mockserver.webhooks"


def settled(client, count: int = 1) -> list[dict]:
    """Wait until `count` deliveries have finished (succeeded or failed); returns them."""
    return wait_until(
        lambda: (done := [d for d in deliveries(client) if d["status"] in ("succeeded", "failed")]) and len(done) >= count and done
    )


def test_a_redirect_is_a_failed_attempt_and_is_never_followed(make_app):
    elsewhere = Receiver()
    redirecting = Receiver(answers=[302, 302, 302, 302, 302], location=elsewhere.url)
    try:
        client = make_app().test_client()
        subscribe_shoppex(client, redirecting.url)
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        (failed,) = settled(client)
        # The first attempt and the documented four retries, each a 302 recorded as such.
        assert failed["status"] == "failed"
        assert [a["response"]["status"] for a in failed["attempts"]] == [302] * 5
        assert all(a["error"] is None for a in failed["attempts"])
        assert len(redirecting.received) == 5 and elsewhere.received == []
    finally:
        redirecting.close()
        elsewhere.close()


def test_a_redirect_then_200_is_retried_until_it_succeeds(make_app):
    receiver = Receiver(answers=[307])
    receiver.location = receiver.url + "/moved"
    try:
        client = make_app().test_client()
        subscribe_shoplazza(client, receiver.url)
        client.post(f"{SHOPLAZZA_ORDER}/cancel", json={}, headers=TOKEN)
        (done,) = settled(client)
        assert done["status"] == "succeeded" and [a["response"]["status"] for a in done["attempts"]] == [307, 200]
        assert [r["path"] for r in receiver.received] == ["/hook", "/hook"]
    finally:
        receiver.close()


def test_secrets_never_appear_in_delivery_logs_even_when_a_receiver_echoes_them(make_app):
    receiver = Receiver()
    try:
        app = make_app(shoplazza_app_secret="lz-app-secret-echoed")
        client = app.test_client()
        hook_id = subscribe_shoppex(client, receiver.url).get_json()["data"]["id"]
        secret = client.get(f"/dev/v1/webhooks/{hook_id}", headers=AUTH).get_json()["data"]["secret"]
        payment = create_payment(client, receiver.url).get_json()["data"]
        # The payment's secret is shown once, on creation, as documented.
        payment_secret = payment["webhook_secret"]
        subscribe_shoplazza(client, receiver.url)
        # Creating the payment fires order:created on its own; it is answered before the receiver turns careless.
        earlier = {d["id"] for d in settled(client, len(deliveries(client)))}
        # A careless receiver answers with every secret it knows.
        receiver.reply = json.dumps({"seen": [secret, payment_secret, "lz-app-secret-echoed"]}).encode()
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        client.post(f"/dev/v1/payments/{payment['uniqid']}/complete", headers=AUTH)
        client.post(f"{SHOPLAZZA_ORDER}/cancel", json={}, headers=TOKEN)
        done = [d for d in settled(client, len(earlier) + 4) if d["id"] not in earlier]
        assert len(done) >= 4 and all('"[redacted]"' in d["attempts"][0]["response"]["body"] for d in done)
        listings = [
            client.get("/__admin/webhooks").get_data(as_text=True),
            client.get("/dev/v1/webhooks/logs", headers=AUTH).get_data(as_text=True),
        ]
        for listing in listings:
            for shown in (secret, payment_secret, "lz-app-secret-echoed"):
                assert shown not in listing
    finally:
        receiver.close()


def test_one_info_line_per_attempt_without_secrets_or_query(make_app, caplog):
    receiver = Receiver(answers=[500])
    try:
        client = make_app().test_client()
        url = receiver.url + "?token=query-secret-value"
        hook_id = subscribe_shoppex(client, url).get_json()["data"]["id"]
        secret = client.get(f"/dev/v1/webhooks/{hook_id}", headers=AUTH).get_json()["data"]["secret"]
        with caplog.at_level(logging.INFO, logger=LOGGER):
            client.post(COMPLETABLE_ORDER, headers=AUTH)
            (done,) = settled(client)
            wait_until(lambda: len([r for r in caplog.records if r.name == LOGGER]) >= 2)
        lines = [r for r in caplog.records if r.name == LOGGER]
        assert [r.levelno for r in lines] == [logging.INFO, logging.INFO]
        signatures = {a["request"]["headers"]["X-Shoppex-Signature-V2"] for a in done["attempts"]}
        for number, (record, status) in enumerate(zip(lines, ("500", "200"), strict=True), start=1):
            text = record.getMessage()
            for part in (done["id"], f"attempt {number}", "order:paid", receiver.url, status, " ms", namespace_label(SHOPPEX_KEY)):
                assert part in text, (part, text)
            for hidden in (secret, SHOPPEX_KEY, "query-secret-value", *signatures):
                assert hidden not in text
    finally:
        receiver.close()


def test_a_connection_error_is_logged_with_its_reason(make_app, caplog):
    client = make_app().test_client()
    url = f"http://127.0.0.1:{free_port()}/hook"
    subscribe_shoplazza(client, url)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.post(f"{SHOPLAZZA_ORDER}/cancel", json={}, headers=TOKEN)
        wait_until(lambda: [r for r in caplog.records if r.name == LOGGER])
    text = next(r for r in caplog.records if r.name == LOGGER).getMessage()
    assert "attempt 1" in text and "orders/update" in text and urlsplit(url).netloc in text and "error:" in text
    assert namespace_label(TOKEN["access-token"]) in text and TOKEN["access-token"] not in text
