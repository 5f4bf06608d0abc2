"""Every (status, action) pair through the API, as the README's Lifecycle section documents it.

The statuses and the table of what each action is allowed from and leads to are read from the
README (the documented rules, not the code under test): the allowed pairs move the record as the
table says, the others are refused and change nothing; expiry voids exactly the statuses it names.
"""

import re
from pathlib import Path

import pytest

from mockserver.shoppex.models import INVOICES

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")
NAMESPACE = "shx_test_key"


def lifecycle_section() -> str:
    """The README's "### Lifecycle" section."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return readme.split("### Lifecycle", 1)[1].split("\n### ", 1)[0]


def documented_statuses() -> list[str]:
    """The status values the section lists ("`status` is one of the documented values ...")."""
    sentence = re.search(r"`status` is one of the documented values ([^.]*)\.", lifecycle_section(), re.DOTALL)
    return re.findall(r"[A-Z_]{3,}", sentence.group(1))


def documented_rows() -> dict[str, tuple[set[str], str | None, str | None]]:
    """action -> (statuses it is allowed from, status and payment_status it leads to; None: unchanged or not given)."""
    rows = {}
    for line in lifecycle_section().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("action", "---"):
            continue
        leads = re.match(r"([A-Z_]{3,})(?:, ([A-Z_]{3,}))?", cells[2])
        status, payment_status = leads.groups() if leads else (None, None)
        rows[cells[0].split()[0]] = (set(re.findall(r"[A-Z_]{3,}", cells[1])), status, payment_status)
    return rows


def refused_as_invalid() -> set[str]:
    """The actions the section says are refused with 422 (the others with 400)."""
    return set(re.findall(r"`(\w+)` with 422 `VALIDATION_ERROR`", lifecycle_section()))


STATUSES = documented_statuses()
INVALID = refused_as_invalid()
ROWS = documented_rows()
# How each documented action is asked for: (method, path template, body) per route that performs it.
REQUESTS = {
    "complete": [
        ("POST", "/dev/v1/orders/{id}/complete", {}),
        ("POST", "/dev/v1/invoices/{uniqid}/complete", {}),
        ("POST", "/dev/v1/payments/{uniqid}/complete", {}),
    ],
    "attribute": [("PATCH", "/dev/v1/orders/{id}", {"referral_code": "creator123"})],
    "fulfill": [("POST", "/dev/v1/orders/{id}/fulfill", {})],
    "void": [("POST", "/dev/v1/invoices/{uniqid}/void", {"void_details": "cancelled by test"})],
    "refund": [("POST", "/dev/v1/orders/{id}/refund", {})],
    "edit": [("PATCH", "/dev/v1/invoices/{uniqid}", {"name": "Alex"})],
}
# What only the platform does, played through the admin simulation route.
SIMULATED = [action for action, (_allowed, _status, _payment) in ROWS.items() if action not in (*REQUESTS, "expire")]
SIMULATE = f"/__admin/shoppex/orders/{{id}}/simulate?namespace={NAMESPACE}"
REQUESTS.update({event: [("POST", SIMULATE, {"event": event})] for event in SIMULATED})
CASES = [(action, request, status) for action, requests in REQUESTS.items() for request in requests for status in STATUSES]


def test_the_readme_documents_every_status_and_an_action_per_route():
    assert len(STATUSES) == 9 and "CUSTOMER_DISPUTE_ONGOING" in STATUSES
    assert set(ROWS) == {*REQUESTS, "expire"} and {"complete"} == INVALID
    # Every documented status is reached by some row.
    assert {status for _allowed, status, _payment in ROWS.values() if status} | {"PENDING"} == set(STATUSES)
    assert all(allowed <= set(STATUSES) for allowed, _status, _payment in ROWS.values())


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
        runtime.store.insert(NAMESPACE, INVOICES, doc)
        return doc

    return make


@pytest.mark.parametrize("action, request_, status", CASES, ids=[f"{r[1]}-{s}" for _a, r, s in CASES])
def test_status_action_pair(client, runtime, auth, record, action, request_, status):
    method, template, body = request_
    allowed, leads_to, payment_status = ROWS[action]
    doc = record(status)
    response = client.open(template.format(**doc), method=method, json=body, headers=auth)
    after = runtime.store.get(NAMESPACE, INVOICES, doc["id"])
    if status in allowed:
        assert response.status_code == 200, response.get_json()
        assert after["status"] == (leads_to or status)
        assert payment_status is None or after["payment_status"] == payment_status
    else:
        refusal = (422, "VALIDATION_ERROR") if action in INVALID else (400, "BAD_REQUEST")
        assert (response.status_code, response.get_json()["error"]["code"]) == refusal
        assert response.get_json()["error"]["details"][0]["field"] in ("status", *body)
        assert after == doc


@pytest.mark.parametrize("status", STATUSES)
def test_expiry_voids_what_it_is_documented_to(client, runtime, auth, record, status):
    allowed, leads_to, payment_status = ROWS["expire"]
    doc = record(status)
    deadline = doc["created_at"] + runtime.settings.invoice_ttl
    runtime.clock.freeze(deadline)
    response = client.get(f"/dev/v1/invoices/{doc['uniqid']}", headers=auth)
    assert response.status_code == 200, response.get_json()
    after = runtime.store.get(NAMESPACE, INVOICES, doc["id"])
    if status in allowed:
        assert (after["status"], after["payment_status"]) == (leads_to, payment_status)
        assert (after["status_details"], after["void_details"], after["updated_at"]) == ("Expired", "Expired", deadline)
    else:
        assert after == doc
