"""Webhook URLs the server refuses: its own address and port (any API key could call /__admin), link-local and metadata."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest

from mockserver.pytest_plugin import _ThreadedServer
from mockserver.webhooks import targets
from tests.e2e.conftest import LiveServer
from tests.receiver import Receiver, wait_until
from tests.webhooks.helpers import (
    AUTH,
    COMPLETABLE_ORDER,
    SHOPLAZZA_ORDER,
    TOKEN,
    create_payment,
    deliveries,
    subscribe_shoplazza,
    subscribe_shoppex,
)

PORT = 18787
OTHER = {"Authorization": "Bearer shx_hooks_bystander"}
JSON_AUTH = {"Content-Type": "application/json", **AUTH}
OWN = [
    f"http://127.0.0.1:{PORT}/__admin/reset",
    f"http://localhost:{PORT}/__admin/reset",
    f"http://LOCALHOST.:{PORT}/x",
    f"http://app.localhost:{PORT}/x",
    f"http://[::1]:{PORT}/__admin/reset",
    f"http://0.0.0.0:{PORT}/__admin/reset",
    f"http://127.0.0.2:{PORT}/x",
    f"http://2130706433:{PORT}/x",
    f"http://{socket.gethostname()}:{PORT}/x",
]
LINK_LOCAL = [
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/latest/meta-data/",
    "http://[fe80::1]/hook",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://100.100.100.200/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
]
ALLOWED = [
    "http://127.0.0.1:9000/hook",
    f"http://127.0.0.1:{PORT + 1}/hook",
    "http://localhost:9000/hook",
    f"http://10.0.0.5:{PORT}/hook",
    "http://192.168.1.20/hook",
    "https://hooks.example.com/shoppex",
    f"http://receiver.internal:{PORT}/hook",
]


def assert_shoppex_refusal(response, field: str) -> None:
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and [d["field"] for d in error["details"]] == [field]


def assert_shoplazza_refusal(response) -> None:
    assert response.status_code == 400, response.get_json()
    body = response.get_json()
    assert body["code"] == "InvalidParameter" and body["message"].startswith("webhook.address: ")


@pytest.mark.parametrize("url", OWN + LINK_LOCAL)
def test_every_place_a_client_gives_a_url_refuses_it(make_app, url):
    client = make_app(port=PORT).test_client()
    assert_shoppex_refusal(subscribe_shoppex(client, url), "url")
    assert_shoppex_refusal(create_payment(client, url), "webhook")
    assert_shoplazza_refusal(subscribe_shoplazza(client, url))
    # Changing an existing subscription to such a URL is refused the same way.
    hook_id = subscribe_shoppex(client, "http://127.0.0.1:9000/hook").get_json()["data"]["id"]
    assert_shoppex_refusal(client.patch(f"/dev/v1/webhooks/{hook_id}", json={"url": url}, headers=AUTH), "url")
    lz_id = subscribe_shoplazza(client, "http://127.0.0.1:9000/hook").get_json()["data"]["webhook"]["id"]
    assert_shoplazza_refusal(client.put(f"/openapi/2025-06/webhooks/{lz_id}", json={"webhook": {"address": url}}, headers=TOKEN))
    # A refused request changes nothing.
    assert [h["url"] for h in client.get("/dev/v1/webhooks", headers=AUTH).get_json()["data"]] == ["http://127.0.0.1:9000/hook"]
    lz_hooks = client.get("/openapi/2025-06/webhooks", headers=TOKEN).get_json()["data"]["webhooks"]
    assert [h["address"] for h in lz_hooks] == ["http://127.0.0.1:9000/hook"]


@pytest.mark.parametrize("url", ALLOWED)
def test_loopback_private_and_public_receivers_on_other_ports_are_accepted(make_app, url):
    client = make_app(port=PORT).test_client()
    assert subscribe_shoppex(client, url).status_code == 201
    assert create_payment(client, url).status_code == 201
    assert subscribe_shoplazza(client, url).status_code == 200


@pytest.mark.parametrize("url", LINK_LOCAL)
def test_allow_private_accepts_link_local_and_metadata_but_never_the_server_itself(make_app, url):
    client = make_app(port=PORT, webhook_allow_private=True).test_client()
    assert subscribe_shoppex(client, url).status_code == 201
    assert subscribe_shoplazza(client, url).status_code == 200
    assert_shoppex_refusal(subscribe_shoppex(client, OWN[0]), "url")


def test_the_configured_host_name_is_the_servers_own(make_app):
    client = make_app(host="mock.test", port=PORT).test_client()
    assert_shoppex_refusal(subscribe_shoppex(client, f"http://Mock.Test:{PORT}/__admin/reset"), "url")
    assert subscribe_shoppex(client, "http://mock.test:9000/hook").status_code == 201


def test_validation_never_resolves_a_name(make_app, monkeypatch):
    parse = socket.getaddrinfo

    def numeric_only(host, port, *args, flags=0, **kwargs):
        # Parsing an IP literal is fine; a lookup would make the request wait for DNS.
        assert flags & socket.AI_NUMERICHOST, f"{host} was looked up while validating"
        return parse(host, port, *args, flags=flags, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)
    client = make_app(port=PORT).test_client()
    assert subscribe_shoppex(client, f"http://slow-dns.example.com:{PORT}/hook").status_code == 201
    assert_shoppex_refusal(subscribe_shoppex(client, f"http://127.0.0.1:{PORT}/x"), "url")


def test_a_name_that_resolves_to_the_server_itself_is_never_sent(make_app, monkeypatch):
    own = Receiver()  # listens where the mock server says it listens
    try:
        port = own.server.server_port
        client = make_app(port=port).test_client()
        assert subscribe_shoppex(client, f"http://rebound.example.com:{port}/__admin/reset").status_code == 201
        # The name passed validation; by delivery time it resolves to this machine.
        monkeypatch.setattr(targets, "resolve", lambda host, p: socket.getaddrinfo("127.0.0.1", p, 0, socket.SOCK_STREAM))
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        retried = wait_until(lambda: [d for d in deliveries(client) if len(d["attempts"]) >= 2])[0]
        assert all(a["response"]["status"] is None and a["error"].startswith("not sent") for a in retried["attempts"])
        assert own.received == []
    finally:
        own.close()


def test_a_port_learnt_after_subscribing_is_refused_at_delivery(make_app):
    own = Receiver()
    try:
        app = make_app(port=0)
        client = app.test_client()
        port = own.server.server_port
        assert subscribe_shoplazza(client, f"http://127.0.0.1:{port}/__admin/reset").status_code == 200
        app.extensions["mockserver"].deliveries.listening_on(port)
        client.post(f"{SHOPLAZZA_ORDER}/cancel", json={}, headers=TOKEN)
        failed = wait_until(lambda: [d for d in deliveries(client) if d["attempts"]])[0]
        assert failed["attempts"][0]["error"].startswith("not sent") and failed["status"] == "retrying"
        assert own.received == []
    finally:
        own.close()


def test_the_pytest_plugin_server_knows_its_port():
    server = _ThreadedServer()
    try:
        body = json.dumps({"url": f"{server.url}/__admin/reset", "events": ["order:paid"]}).encode()
        request = urllib.request.Request(f"{server.url}/dev/v1/webhooks", data=body, method="POST", headers=JSON_AUTH)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 422
        assert [d["field"] for d in json.loads(refused.value.read())["error"]["details"]] == ["url"]
    finally:
        server.stop()


def test_a_real_server_on_port_zero_refuses_its_own_reset_url():
    server = LiveServer()
    try:
        base = server.url
        # Another namespace's state, which the reset would have wiped.
        assert call(base, "POST", COMPLETABLE_ORDER, None, OTHER)[0] == 200
        status, body = call(base, "POST", "/dev/v1/webhooks", {"url": f"{base}/__admin/reset", "events": ["order:created"]}, AUTH)
        assert status == 422 and [d["field"] for d in body["error"]["details"]] == ["url"]
        localhost = base.replace("127.0.0.1", "localhost")
        status, body = call(
            base, "POST", "/openapi/2025-06/webhooks", {"webhook": {"address": f"{localhost}/x", "topic": "orders/create"}}, TOKEN
        )
        assert status == 400 and body["message"].startswith("webhook.address: ")
        assert call(base, "POST", "/dev/v1/orders", {"email": "n@example.com", "items": [{"product_id": "prod_3"}]}, AUTH)[0] == 201
        assert call(base, "GET", "/__admin/webhooks", None, {})[1]["deliveries"] == []
        assert call(base, "GET", "/dev/v1/orders/inv_complete_1", None, OTHER)[1]["data"]["status"] == "COMPLETED"
    finally:
        server.stop()


def call(base: str, method: str, path: str, payload, headers: dict) -> tuple[int, dict]:
    """One JSON request to a running server: (status, body)."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
