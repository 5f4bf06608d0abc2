"""The README's receiver code, run verbatim (taken from README.md at test time) against real deliveries."""

import json
import re
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
APP_SECRET = "readme-app-secret"
SHOPPEX = {"Authorization": "Bearer shx_readme"}
SHOPLAZZA = {"access-token": "shx_readme"}


def readme_verifiers() -> dict:
    """The functions of the README's python block that defines verify_shoppex."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (code,) = [block for block in blocks if "def verify_shoppex(" in block]
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)
    return namespace


def subscribe(client, url: str) -> str:
    """Subscribe `url` to order:paid; returns the subscription's signing secret."""
    hook_id = client.post("/dev/v1/webhooks", json={"url": url, "events": ["order:paid"]}, headers=SHOPPEX).get_json()["data"]["id"]
    return client.get(f"/dev/v1/webhooks/{hook_id}", headers=SHOPPEX).get_json()["data"]["secret"]


@pytest.fixture
def app():
    app = create_app(Settings(shoplazza_app_secret=APP_SECRET, webhook_retry_scale=0.001))
    yield app
    app.extensions["mockserver"].deliveries.close()


def test_the_readme_verifiers_accept_real_deliveries_with_the_clock_running(app, receiver):
    verify = readme_verifiers()
    client = app.test_client()
    secret = subscribe(client, receiver.url)
    payment = client.post(
        "/dev/v1/payments",
        json={"title": "T", "email": "p@example.com", "value": 3, "currency": "USD", "webhook": receiver.url},
        headers=SHOPPEX,
    ).get_json()["data"]
    client.post("/openapi/2025-06/webhooks", json={"webhook": {"address": receiver.url, "topic": "orders/update"}}, headers=SHOPLAZZA)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=SHOPPEX)
    client.post("/openapi/2025-06/orders/365154185097449134715/cancel", json={}, headers=SHOPLAZZA)
    # order:created to the payment's own URL, order:paid to the subscription, orders/update to Shoplazza's.
    received = receiver.wait_for(3)
    secrets_by_kind = {"subscription": secret, "payment": payment["webhook_secret"]}
    kinds = []
    for request in received:
        headers, raw = request["headers"], request["body"]
        if "X-Shoplazza-Topic" in headers:
            kinds.append("shoplazza")
            assert verify["verify_shoplazza"](APP_SECRET, headers, raw)
            assert not verify["verify_shoplazza"]("another-secret", headers, raw)
            continue
        kind = "payment" if json.loads(raw)["data"]["uniqid"] == payment["uniqid"] else "subscription"
        kinds.append(kind)
        assert verify["verify_shoppex"](secrets_by_kind[kind], headers, raw), kind
        assert verify["verify_shoppex_legacy"](secrets_by_kind[kind], headers, raw), kind
        assert not verify["verify_shoppex"](secrets_by_kind[kind], headers, raw + b" "), kind
    assert sorted(kinds) == ["payment", "shoplazza", "subscription"]


def test_a_frozen_clock_stamps_deliveries_with_the_mocks_time(app, receiver):
    """Timestamps follow the server clock (reproducible frozen-clock tests); the signature still verifies."""
    app.extensions["mockserver"].clock.freeze(1_711_956_360)  # 2024: minutes from any real "now"
    client = app.test_client()
    secret = subscribe(client, receiver.url)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=SHOPPEX)
    request = receiver.wait_for(1)[0]
    headers, raw = request["headers"], request["body"]
    assert headers["X-Shoppex-Timestamp"] == "1711956360" and json.loads(raw)["created_at"] == 1711956360
    verify = readme_verifiers()
    assert verify["verify_shoppex_legacy"](secret, headers, raw)
    # Against real time the freshness check refuses it; given the mock's time (GET /__admin/clock) it passes.
    assert not verify["verify_shoppex"](secret, headers, raw)
    mock_now = client.get("/__admin/clock").get_json()["now"]
    assert verify["verify_shoppex"](secret, headers, raw, now=mock_now)
    assert not verify["verify_shoppex"](secret, headers, raw + b" ", now=mock_now)
