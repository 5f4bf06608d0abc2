"""Query strings of the orders and webhooks lists, as shoplazza/queries.py parses them: repeats, blanks, precedence."""

from __future__ import annotations

import pytest

from .helpers import ORDER_ID, error_of


@pytest.mark.parametrize("path", ["orders", "orders/count"])
def test_the_first_bad_order_parameter_in_checking_order_is_named(api, path):
    # status is checked before the times, the amounts, page_size and the sort.
    query = {"sort_by": "colour", "page_size": "0", "total_min": "x", "created_at_min": "x", "status": "open"}
    assert error_of(api.get(path, query=query), 400, "InvalidParameter").startswith("status: 'open' is not one of")
    del query["status"]
    assert error_of(api.get(path, query=query), 400, "InvalidParameter").startswith("created_at_min: must be an ISO 8601 time")


def test_order_filters_take_the_last_non_empty_value_of_a_repeated_key(api):
    found = api.get("orders", query=[("sort_direction", "sideways"), ("sort_direction", "ASC"), ("sort_direction", "")])
    assert found.status_code == 200
    assert [o["id"] for o in found.get_json()["data"]["orders"]] == [ORDER_ID]
    assert api.get("orders", query=[("status[]", "opened"), ("status", "nope")]).status_code == 400


def test_webhook_filters_take_the_first_value_of_a_repeated_key(api):
    assert error_of(api.get("webhooks", query=[("page_size", "0"), ("page_size", "5")]), 400, "InvalidParameter").startswith("page_size:")
    assert api.get("webhooks", query=[("page_size", "5"), ("page_size", "0")]).status_code == 200
    # A blank first value is an absent parameter.
    assert api.get("webhooks", query=[("page_size", ""), ("page_size", "0")]).status_code == 200


def test_a_topic_list_is_checked_topic_by_topic(api):
    message = error_of(api.get("webhooks/count", query={"topic": "orders/create, nope"}), 400, "InvalidParameter")
    assert message.startswith("topic: 'nope' is not one of orders/create")
    # Only separators: a list of no topics, which selects nothing.
    api.post("webhooks", {"webhook": {"address": "http://127.0.0.1:9/hook", "topic": "orders/create"}})
    assert api.get("webhooks/count").get_json()["data"]["count"] == 1
    assert api.get("webhooks/count", query={"topic": " , "}).get_json()["data"]["count"] == 0
