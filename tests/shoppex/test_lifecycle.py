"""Every (status, action) pair: the allowed ones move the record, the forbidden ones are refused and change nothing."""

import pytest

from mockserver.shoppex.models import INVOICES

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

STATUSES = [
    "PENDING",
    "PENDING_PAYMENT",
    "WAITING_FOR_CONFIRMATIONS",
    "PARTIAL",
    "COMPLETED",
    "VOIDED",
    "CUSTOMER_DISPUTE_ONGOING",
    "REVERSED",
    "REFUNDED",
]
# action: (method, path template, body, {status it may start from: status it leads to})
# Written from the docs (complete only from PENDING/PENDING_PAYMENT, void only when not completed,
# refund only what was paid), not read from the code under test.
ACTIONS = {
    "complete order": ("POST", "/dev/v1/orders/{id}/complete", {}, {"PENDING": "COMPLETED", "PENDING_PAYMENT": "COMPLETED"}),
    "complete invoice": ("POST", "/dev/v1/invoices/{uniqid}/complete", {}, {"PENDING": "COMPLETED", "PENDING_PAYMENT": "COMPLETED"}),
    "fulfill order": (
        "POST",
        "/dev/v1/orders/{id}/fulfill",
        {},
        {s: "COMPLETED" for s in ("PENDING", "PENDING_PAYMENT", "WAITING_FOR_CONFIRMATIONS", "PARTIAL", "COMPLETED")},
    ),
    "void invoice": (
        "POST",
        "/dev/v1/invoices/{uniqid}/void",
        {"void_details": "cancelled by test"},
        {s: "VOIDED" for s in ("PENDING", "PENDING_PAYMENT", "WAITING_FOR_CONFIRMATIONS", "PARTIAL")},
    ),
    "refund order": ("POST", "/dev/v1/orders/{id}/refund", {}, {"COMPLETED": "REFUNDED"}),
    "attribute order": (
        "PATCH",
        "/dev/v1/orders/{id}",
        {"referral_code": "creator123"},
        {"PENDING": "PENDING", "PENDING_PAYMENT": "PENDING_PAYMENT"},
    ),
    "complete payment": ("POST", "/dev/v1/payments/{uniqid}/complete", {}, {"PENDING": "COMPLETED", "PENDING_PAYMENT": "COMPLETED"}),
}
PAIRS = [(action, status) for action in ACTIONS for status in STATUSES]


@pytest.fixture
def record(runtime):
    """A record in a given status, created now (so it is not expired)."""

    def make(status):
        now = runtime.clock.now()
        doc = {
            "id": "inv_state",
            "uniqid": "uniq-state",
            "type": "PAYMENT",
            "customer_email": "state@example.com",
            "status": status,
            "payment_status": "COMPLETED" if status == "COMPLETED" else "PENDING",
            "gateway": "STRIPE",
            "total": 10,
            "created_at": now,
            "updated_at": now,
        }
        runtime.store.insert("shx_test_key", INVOICES, doc)
        return doc

    return make


@pytest.mark.parametrize("action, status", PAIRS, ids=[f"{a}-{s}" for a, s in PAIRS])
def test_status_action_pair(client, runtime, auth, record, action, status):
    method, template, body, allowed = ACTIONS[action]
    doc = record(status)
    response = client.open(template.format(**doc), method=method, json=body, headers=auth)
    after = runtime.store.get("shx_test_key", INVOICES, doc["id"])
    if status in allowed:
        assert response.status_code == 200, response.get_json()
        assert after["status"] == allowed[status]
    else:
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "VALIDATION_ERROR"
        assert after == doc
