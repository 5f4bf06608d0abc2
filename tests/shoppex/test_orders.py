"""Orders and invoices: lookups, the two views, completion and affiliate attribution."""

import json

import pytest

from mockserver.shoppex.models import INVOICES
from mockserver.shoppex.records import INVOICE_ONLY_FIELDS
from tests.conftest import EXAMPLES

SEEDED = json.loads((EXAMPLES.parent.parent / "fixtures/shoppex/invoices/invoices-get.inv_2.json").read_text())
ORDER = "/dev/v1/orders/{}"


def stored(runtime, key, namespace="shx_test_key"):
    return runtime.store.get(namespace, INVOICES, key)


def seed_order(runtime, status, namespace="shx_test_key", **fields):
    doc = {"id": f"inv_{status.lower()}", "uniqid": f"uniq-{status.lower()}", "status": status, "payment_status": "PENDING"}
    doc.update(fields)
    runtime.store.insert(namespace, INVOICES, doc)
    return doc


@pytest.mark.parametrize("key", [SEEDED["id"], SEEDED["uniqid"]])
def test_get_order_by_id_or_uniqid(client, auth, key):
    response = client.get(ORDER.format(key), headers=auth)
    assert response.status_code == 200
    assert response.get_json()["data"]["id"] == SEEDED["id"]


def test_order_view_leaves_out_invoice_only_fields(client, auth):
    order = client.get(ORDER.format(SEEDED["id"]), headers=auth).get_json()["data"]
    assert order == {k: v for k, v in SEEDED.items() if k not in INVOICE_ONLY_FIELDS}
    invoice = client.get(f"/dev/v1/invoices/{SEEDED['uniqid']}", headers=auth).get_json()["data"]
    assert invoice == SEEDED


def test_unknown_order_is_the_documented_not_found(client, auth):
    response = client.get(ORDER.format("ord_missing"), headers=auth)
    assert response.status_code == 404
    # The errors page names no ORDER_NOT_FOUND.
    assert response.get_json()["error"]["code"] == "NOT_FOUND"
    assert "ord_missing" in response.get_json()["error"]["message"]


def test_invoice_is_found_by_uniqid_only(client, auth):
    response = client.get(f"/dev/v1/invoices/{SEEDED['id']}", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "INVOICE_NOT_FOUND"


@pytest.mark.parametrize("status", ["PENDING", "PENDING_PAYMENT"])
def test_complete_from_completable_status(client, runtime, auth, status):
    seed_order(runtime, status)
    at = runtime.clock.now() + 60
    runtime.clock.freeze(at)
    response = client.post(ORDER.format(f"inv_{status.lower()}") + "/complete", json={"note": "paid"}, headers=auth)
    assert response.status_code == 200
    body = response.get_json()["data"]
    assert (body["status"], body["payment_status"], body["status_details"], body["updated_at"]) == (
        "COMPLETED",
        "COMPLETED",
        "Completed",
        at,
    )
    assert stored(runtime, f"inv_{status.lower()}")["status"] == "COMPLETED"


@pytest.mark.parametrize("status", ["COMPLETED", "VOIDED", "WAITING_FOR_CONFIRMATIONS", "PARTIAL", "REFUNDED", "REVERSED"])
def test_complete_is_refused_for_other_statuses_and_changes_nothing(client, runtime, auth, status):
    before = seed_order(runtime, status)
    response = client.post(ORDER.format(before["id"]) + "/complete", json={}, headers=auth)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["message"] == "Invoice already COMPLETED, or status is not completable."
    assert stored(runtime, before["id"]) == before


def test_second_complete_is_refused(client, auth):
    first = client.post(ORDER.format("inv_complete_1") + "/complete", headers=auth)
    second = client.post(ORDER.format("inv_complete_1") + "/complete", headers=auth)
    assert (first.status_code, second.status_code) == (200, 422)


def test_complete_validates_its_body(client, runtime, auth):
    before = stored(runtime, "inv_complete_1")
    response = client.post(ORDER.format("inv_complete_1") + "/complete", json={"suppress_emails": "perhaps"}, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "suppress_emails"
    assert stored(runtime, "inv_complete_1") == before


@pytest.mark.parametrize("field", ["affiliate_code", "affiliateCode", "referral_code", "referralCode"])
def test_attribution_by_code_under_each_name(client, runtime, auth, field):
    link = runtime.store.get("shx_test_key", "shoppex.affiliate_links", "creator123")
    response = client.patch(ORDER.format("inv_put_1"), json={field: link["code"]}, headers=auth)
    assert response.status_code == 200
    body = response.get_json()["data"]
    assert (body["affiliate_link_id"], body["affiliate_customer_id"], body["affiliate_code"]) == (
        link["id"],
        link["customer_id"],
        link["code"],
    )


@pytest.mark.parametrize("field", ["affiliate_id", "affiliateId"])
@pytest.mark.parametrize("attr", ["id", "customer_id"])
def test_attribution_by_affiliate_id(client, runtime, auth, field, attr):
    link = runtime.store.get("shx_test_key", "shoppex.affiliate_links", "creator123")
    response = client.patch(ORDER.format("inv_put_1"), json={field: link[attr]}, headers=auth)
    assert response.status_code == 200
    assert response.get_json()["data"]["affiliate_code"] == link["code"]


def test_attribution_does_not_recalculate_totals(client, runtime, auth):
    before = stored(runtime, "inv_put_1")
    body = client.put(ORDER.format("inv_put_1"), json={"referral_code": "creator123"}, headers=auth).get_json()["data"]
    assert [body[k] for k in ("subtotal", "discount", "total")] == [before[k] for k in ("subtotal", "discount", "total")]


def test_null_clears_attribution(client, runtime, auth):
    client.patch(ORDER.format("inv_put_1"), json={"referral_code": "creator123"}, headers=auth)
    body = client.patch(ORDER.format("inv_put_1"), json={"referral_code": None}, headers=auth).get_json()["data"]
    assert (body["affiliate_link_id"], body["affiliate_customer_id"], body["affiliate_code"]) == (None, None, None)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"referral_code": "no-such-code"}, "referral_code"),
        ({"affiliate_id": "link_missing"}, "affiliate_id"),
        ({"affiliate_code": 42}, "affiliate_code"),
        ({"affiliate_code": ""}, "affiliate_code"),
        ({}, "affiliate_code"),
        ({"affiliate_code": "creator123", "referral_code": "partner999"}, "affiliate_code"),
    ],
)
def test_bad_attribution_is_refused_naming_the_field(client, runtime, auth, payload, field):
    before = stored(runtime, "inv_put_1")
    response = client.patch(ORDER.format("inv_put_1"), json=payload, headers=auth)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert field in [d["field"] for d in error["details"]]
    assert stored(runtime, "inv_put_1") == before


def test_attribution_only_on_pending_orders(client, runtime, auth):
    client.post(ORDER.format("inv_put_1") + "/complete", headers=auth)
    before = stored(runtime, "inv_put_1")
    response = client.patch(ORDER.format("inv_put_1"), json={"referral_code": "creator123"}, headers=auth)
    # A business rule, not a field's value, refuses it: the errors page's 400.
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "BAD_REQUEST")
    assert response.get_json()["error"]["details"][0]["field"] == "referral_code"
    assert stored(runtime, "inv_put_1") == before


def test_writes_do_not_leak_between_namespaces(client, runtime):
    client.post(ORDER.format("inv_complete_1") + "/complete", headers={"Authorization": "Bearer shx_a"})
    other = client.get(ORDER.format("inv_complete_1"), headers={"Authorization": "Bearer shx_b"}).get_json()["data"]
    assert other["status"] == "PENDING"
