"""Each API version answers in its own order shape: 2026-01's notification settings and browser_ip, 2025-06 without them."""

from __future__ import annotations

import copy
import json

from tests.receiver import Receiver

from .conformance import SCHEMAS, assert_conforms
from .helpers import NEW_ORDER, ORDER_ID, Shoplazza, error_of, snapshot
from .test_webhooks import make_app, subscribe

NOTIFY = {"order_confirm_notify": 2, "fulfillment_notify": 1, "partial_fulfillment_notify": 0, "order_delivered_notify": 2}
V202506_FIELDS = {field["name"] for field in SCHEMAS["v202506.Order"]["fields"]}
V202601_ONLY = [field["name"] for field in SCHEMAS["v202601.Order"]["fields"] if field["name"] not in V202506_FIELDS]


def _both(client) -> tuple[Shoplazza, Shoplazza]:
    return Shoplazza(client, "2025-06"), Shoplazza(client, "2026-01")


def test_notify_settings_sent_on_create_are_echoed_on_2026_01_only(client):
    old, new = _both(client)
    body = copy.deepcopy(NEW_ORDER)
    body["order"].update(NOTIFY)
    response = new.post("orders", body)
    assert_conforms(response.get_json(), "order-create", "2026-01")
    created = response.get_json()["data"]["order"]
    assert {name: created[name] for name in NOTIFY} == NOTIFY
    assert created["browser_ip"] == ""
    assert {name: new.order(created["id"])[name] for name in NOTIFY} == NOTIFY
    # The same order read on 2025-06 is a v202506.Order: none of 2026-01's fields.
    assert not set(V202601_ONLY) & set(old.order(created["id"]))


def test_notify_settings_default_to_zero_and_update_moves_them(client):
    _, new = _both(client)
    created = new.create()
    assert {name: created[name] for name in NOTIFY} == dict.fromkeys(NOTIFY, 0)
    response = new.put(f"orders/{created['id']}", {"order": {"fulfillment_notify": 2}})
    assert_conforms(response.get_json(), "order-update", "2026-01")
    assert response.get_json()["data"]["order"]["fulfillment_notify"] == 2
    assert new.order(created["id"])["fulfillment_notify"] == 2


def test_a_notify_setting_outside_0_to_2_is_refused_naming_it(client, runtime):
    _, new = _both(client)
    before = snapshot(runtime)
    body = copy.deepcopy(NEW_ORDER)
    body["order"]["order_confirm_notify"] = 3
    assert "order.order_confirm_notify" in error_of(new.post("orders", body), 400, "InvalidParameter")
    update = new.put(f"orders/{ORDER_ID}", {"order": {"fulfillment_notify": "1"}})
    assert "order.fulfillment_notify" in error_of(update, 400, "InvalidParameter")
    assert snapshot(runtime) == before


def test_the_seeded_order_shows_its_browser_ip_and_settings_on_2026_01(client):
    old, new = _both(client)
    seeded = new.order()
    assert seeded["browser_ip"] and all(isinstance(seeded[name], int) for name in NOTIFY)
    assert "ship_quantity" in old.order()["line_items"][0]
    assert "ship_quantity" not in seeded["line_items"][0]
    # Apart from the version's own fields, the two shapes are the same order.
    same = {k: v for k, v in seeded.items() if k not in V202601_ONLY and k != "line_items"}
    assert same == {k: v for k, v in old.order().items() if k != "line_items"}


def test_cancel_and_payment_answer_the_registrys_v202506_order_on_2026_01(client):
    old, new = _both(client)
    paid = new.pay(ORDER_ID, {}).get_json()
    assert_conforms(paid, "order-pay-success", "2026-01")
    assert paid["data"]["order"] == old.order()
    cancelled = new.post(f"orders/{new.create()['id']}/cancel", {}).get_json()
    assert_conforms(cancelled, "order-cancel", "2026-01")
    assert not set(V202601_ONLY) & set(cancelled["data"]["order"])


def test_a_webhook_body_is_the_order_in_its_subscriptions_version():
    """A subscription made on 2025-06 receives v202506.Order bodies, one made on 2026-01 v202601.Order bodies."""
    app, receiver = make_app(), Receiver()
    try:
        old, new = _both(app.test_client())
        for api in (old, new):
            subscribe(api, receiver.at(f"/{api.version}"), "orders/update")
        new.put(f"orders/{ORDER_ID}", {"order": {"note": "ring twice"}})
        bodies = {request["path"].lstrip("/"): json.loads(request["body"]) for request in receiver.wait_for(2)}
        assert bodies == {"2025-06": old.order(), "2026-01": new.order()}
        assert_conforms({"code": "Success", "message": "", "data": {"order": bodies["2026-01"]}}, "order-detail", "2026-01")
        assert_conforms({"code": "Success", "message": "", "data": {"order": bodies["2025-06"]}}, "order-detail", "2025-06")
        assert "browser_ip" in bodies["2026-01"] and "browser_ip" not in bodies["2025-06"]
    finally:
        app.extensions["mockserver"].deliveries.close()
        app.extensions["mockserver"].store.close()
        receiver.close()
