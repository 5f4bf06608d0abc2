"""Shoplazza order risks on both versions: the registry's paths and shapes, the required level, and the order left alone."""

from __future__ import annotations

import pytest

from .helpers import ORDER_ID, error_of, snapshot
from .test_refunds import conforms, registry_call

# Every test on both API versions: each answers in its own version's registry shape.
pytestmark = pytest.mark.versions

RISK = {"risk": {"level": "high", "details": ["billing and shipping countries differ", "new card"], "properties": {"score": "87"}}}


def create(api, order_id: str = ORDER_ID, body=None) -> dict:
    """POST a risk record (asserts it conforms) and return it."""
    return conforms("order-risk-create", registry_call(api, "order-risk-create", {"order_id": order_id}, body or RISK))["risk"]


def test_every_risk_command_answers_at_its_registry_path_in_its_registry_shape(api, runtime):
    order_before = api.order()
    risk = create(api)
    assert (risk["order_id"], risk["level"], risk["details"], risk["properties"]) == (ORDER_ID, *RISK["risk"].values())
    values = {"order_id": ORDER_ID, "id": risk["id"]}
    assert conforms("order-risk-detail", registry_call(api, "order-risk-detail", values))["risk"] == risk
    assessed = conforms("order-risk-assessments", registry_call(api, "order-risk-assessments", {"order_id": ORDER_ID}))
    assert assessed["assessments"] == ["high"]
    assert [info["describe"] for info in assessed["infos"]] == RISK["risk"]["details"]
    updated = conforms("order-risk-update", registry_call(api, "order-risk-update", values, {"risk": {"level": "low"}}))["risk"]
    assert (updated["level"], updated["details"], updated["id"]) == ("low", RISK["risk"]["details"], risk["id"])
    conforms("order-risk-delete", registry_call(api, "order-risk-delete", values))
    assert error_of(api.get(f"orders/{ORDER_ID}/risks/{risk['id']}"), 404, "NotFound").startswith("id:")
    # Risks never touch the order.
    assert api.order() == order_before


def test_deleting_one_risk_keeps_the_others(api):
    first, second = create(api), create(api, body={"risk": {"level": "medium"}})
    assert api.delete(f"orders/{ORDER_ID}/risks/{first['id']}").status_code == 200
    assert api.get(f"orders/{ORDER_ID}/risks").get_json()["data"] == {"assessments": ["medium"], "infos": []}
    assert api.get(f"orders/{ORDER_ID}/risks/{second['id']}").status_code == 200


def test_an_update_that_changes_nothing_keeps_updated_at(api, runtime, frozen):
    risk = create(api)
    runtime.clock.freeze(frozen + 60)
    same = api.put(f"orders/{ORDER_ID}/risks/{risk['id']}", {"risk": {"level": "high"}}).get_json()["data"]["risk"]
    assert same == risk
    moved = api.put(f"orders/{ORDER_ID}/risks/{risk['id']}", {"risk": {"details": ["chargeback history"]}}).get_json()["data"]["risk"]
    assert moved["updated_at"] != risk["updated_at"] and moved["created_at"] == risk["created_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "risk"),
        ({"risk": {}}, "risk.level"),
        ({"risk": {"level": "severe"}}, "risk.level"),
        ({"risk": {"level": "low", "details": []}}, "risk.details"),
        ({"risk": {"level": "low", "details": "one"}}, "risk.details"),
        ({"risk": {"level": "low", "properties": {"score": 87}}}, "risk.properties"),
    ],
)
def test_bad_risks_are_400_naming_the_field_and_change_nothing(api, runtime, body, field):
    api.order()
    before = snapshot(runtime)
    assert error_of(api.post(f"orders/{ORDER_ID}/risks", body), 400, "InvalidParameter").startswith(field)
    assert snapshot(runtime) == before


def test_risks_of_a_missing_order_or_of_another_order_are_404(api):
    risk = create(api)
    other = api.create()["id"]
    assert error_of(api.get("orders/404404/risks"), 404, "NotFound").startswith("order_id:")
    assert error_of(api.post("orders/404404/risks", RISK), 404, "NotFound").startswith("order_id:")
    for call in (api.get, api.delete):
        assert error_of(call(f"orders/{other}/risks/{risk['id']}"), 404, "NotFound").startswith("id:")
    assert error_of(api.put(f"orders/{other}/risks/{risk['id']}", {"risk": {"level": "low"}}), 404, "NotFound").startswith("id:")
