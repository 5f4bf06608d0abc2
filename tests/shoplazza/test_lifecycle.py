"""The order lifecycle through the API: each operation from orders in the statuses docs/shoplazza.md names.

The expected statuses and refusals are the documented ones (docs/shoplazza.md, "Choices"), checked
word for word; the value sets are the registry's own (its list filters describe every value).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mockserver.shoplazza import lifecycle
from mockserver.shoplazza.models import ORDERS

from .helpers import ORDER_ID, TOKEN, error_of, snapshot

REGISTRY = Path(__file__).parent.parent / "schemas" / "shoplazza-openapi-orders.json"
STATUS_FIELDS = ("status", "financial_status", "fulfillment_status")
VALUE_SETS = dict(zip(STATUS_FIELDS, (lifecycle.STATUSES, lifecycle.FINANCIAL_STATUSES, lifecycle.FULFILLMENT_STATUSES), strict=True))
REPRICE = {"order": {"shipping_line": {"shipping_name": "Express", "shipping_price": "12.00"}}}
# Each operation as a request: (method, path under orders/{id}, body).
REQUESTS = {
    "pay": ("POST", "payment/success", {}),
    "cancel": ("POST", "cancel", {"reason": "customer"}),
    "reprice": ("PUT", "", REPRICE),
    "note": ("PUT", "", {"order": {"note": "still editable"}}),
}


def registry_values(field: str) -> tuple[str, ...]:
    """The values the registry's `GET orders` describes for the `field` filter ("- value: meaning.")."""
    for module in json.loads(REGISTRY.read_text())["modules"]:
        for command in module["commands"]:
            for parameter in command.get("parameters", []) if command["id"] == "orders" else []:
                if parameter["name"] == field:
                    return tuple(re.findall(r"- (\w+):", parameter["description"]))
    raise AssertionError(f"the registry describes no {field} filter")


@pytest.mark.parametrize("field", STATUS_FIELDS)
def test_the_table_names_every_documented_value_and_no_other(field):
    assert set(VALUE_SETS[field]) == set(registry_values(field))
    for transition in lifecycle.TRANSITIONS.values():
        moved = {value for move in transition.moves.get(field, {}).items() for value in move} - {lifecycle.ANY}
        allowed = {value for refusal in transition.refusals if refusal.field == field for value in refusal.allowed}
        assert moved | allowed <= set(VALUE_SETS[field])


def put_in(runtime, status: str, financial: str, fulfillment: str) -> None:
    """Put the seeded order in the given statuses (the platform-side states no request reaches yet)."""
    changes = dict(zip(STATUS_FIELDS, (status, financial, fulfillment), strict=True))
    runtime.store.modify(TOKEN, ORDERS, ORDER_ID, lambda doc: {**doc, **changes})


def send(api, operation: str):
    method, suffix, body = REQUESTS[operation]
    return api.call(method, f"orders/{ORDER_ID}/{suffix}".rstrip("/"), body)


# (statuses before, operation, statuses after): docs/shoplazza.md's Pay, Cancel and Update rules.
MOVES = [
    (("opened", "waiting", "initialled"), "pay", ("placed", "paid", "waiting")),
    (("opened", "failed", "initialled"), "pay", ("placed", "paid", "waiting")),
    (("opened", "authorized", "waiting"), "pay", ("placed", "paid", "waiting")),
    (("opened", "waiting", "initialled"), "cancel", ("cancelled", "cancelled", "cancelled")),
    (("opened", "partially_paid", "waiting"), "cancel", ("cancelled", "cancelled", "cancelled")),
    (("placed", "paid", "waiting"), "cancel", ("cancelled", "paid", "cancelled")),
    (("placed", "refunded", "returned"), "cancel", ("cancelled", "refunded", "returned")),
    (("opened", "paying", "initialled"), "reprice", ("opened", "paying", "initialled")),
    (("finished", "refunded", "returned"), "note", ("finished", "refunded", "returned")),
]


@pytest.mark.parametrize("before, operation, after", MOVES, ids=[f"{op}-{'-'.join(b)}" for b, op, _ in MOVES])
def test_an_allowed_operation_moves_the_statuses_as_documented(api, runtime, before, operation, after):
    put_in(runtime, *before)
    response = send(api, operation)
    assert response.status_code == 200, response.get_json()
    assert tuple(response.get_json()["data"]["order"][field] for field in STATUS_FIELDS) == after
    assert tuple(api.order()[field] for field in STATUS_FIELDS) == after


# (statuses, operation, the refusal's message): 500 FailedPrecondition, word for word.
REFUSALS = [
    (("cancelled", "cancelled", "cancelled"), "pay", "status: order {id} is cancelled and cannot be paid"),
    (("cancelled", "waiting", "initialled"), "pay", "status: order {id} is cancelled and cannot be paid"),
    (("placed", "paid", "waiting"), "pay", "financial_status: order {id} is already paid and cannot be paid again"),
    (("opened", "refunded", "initialled"), "pay", "financial_status: order {id} is already refunded and cannot be paid again"),
    (("placed", "waiting", "waiting"), "pay", "status: order {id} is placed and cannot be paid"),
    (("cancelled", "cancelled", "cancelled"), "cancel", "status: order {id} is cancelled and cannot be cancelled"),
    (("finished", "paid", "finished"), "cancel", "status: order {id} is finished and cannot be cancelled"),
    (("placed", "paid", "waiting"), "reprice", "shipping_line: the price of order {id} can no longer change (it is paid)"),
    (("cancelled", "cancelled", "cancelled"), "reprice", "shipping_line: the price of order {id} can no longer change (it is cancelled)"),
    (("cancelled", "waiting", "initialled"), "reprice", "status: order {id} is cancelled"),
    (
        ("placed", "paid", "shipped"),
        "cancel",
        "fulfillment_status: order {id} is shipped and cannot be cancelled (cancel its fulfillments first)",
    ),
    (
        ("placed", "partially_refunded", "partially_shipped"),
        "cancel",
        "fulfillment_status: order {id} is partially_shipped and cannot be cancelled (cancel its fulfillments first)",
    ),
]


@pytest.mark.parametrize("statuses, operation, message", REFUSALS, ids=[f"{op}-{'-'.join(s)}" for s, op, _ in REFUSALS])
def test_a_forbidden_operation_is_refused_with_its_message_and_changes_nothing(api, runtime, statuses, operation, message):
    put_in(runtime, *statuses)
    before = snapshot(runtime)
    assert error_of(send(api, operation), 500, "FailedPrecondition") == message.format(id=ORDER_ID)
    assert snapshot(runtime) == before


@pytest.mark.parametrize("statuses", [("opened", "waiting", "initialled"), ("cancelled", "paid", "shipped")])
def test_any_order_may_be_deleted_and_keeps_its_statuses(api, runtime, statuses):
    put_in(runtime, *statuses)
    assert api.delete(f"orders/{ORDER_ID}").status_code == 200
    stored = runtime.store.get(TOKEN, ORDERS, ORDER_ID)
    assert tuple(stored[field] for field in STATUS_FIELDS) == statuses and stored["deleted_at"]
