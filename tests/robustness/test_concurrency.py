"""32 simultaneous state changes on one order, against a live server: exactly one wins, state stays consistent."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import LiveServer

from .helpers import (
    SHOPLAZZA_ORDER,
    SHOPLAZZA_PAY,
    SHOPPEX_COMPLETE,
    SHOPPEX_ORDER,
    assert_shoplazza_error,
    assert_shoppex_error,
    call,
    fresh,
)

CALLERS = 32  # as many as the server has threads


@pytest.fixture(scope="module", params=["memory", "db"])
def server(request, tmp_path_factory):
    args = ("--db", str(tmp_path_factory.mktemp("race") / "state.json")) if request.param == "db" else ()
    live = LiveServer(*args)
    yield live
    live.stop()


def all_at_once(send) -> list:
    """Call `send()` from CALLERS threads released together; their responses."""
    barrier = threading.Barrier(CALLERS, timeout=30)

    def one(_):
        barrier.wait()
        return send()

    with ThreadPoolExecutor(CALLERS) as pool:
        return list(pool.map(one, range(CALLERS)))


def test_shoppex_complete_wins_once(server):
    headers = {"Authorization": f"Bearer {fresh('shx_race')}"}
    assert call(server, "GET", SHOPPEX_ORDER, headers=headers).json["data"]["status"] == "PENDING"

    responses = all_at_once(lambda: call(server, "POST", SHOPPEX_COMPLETE, {"note": "race"}, headers))

    won = [r for r in responses if r.status == 200]
    lost = [r for r in responses if r.status != 200]
    assert len(won) == 1, sorted(r.status for r in responses)
    assert len(lost) == CALLERS - 1
    for response in lost:
        error = assert_shoppex_error(response, 422, "VALIDATION_ERROR")
        assert error["details"] == [{"field": "status", "message": "status is COMPLETED"}]
    winner = won[0].json["data"]
    final = call(server, "GET", SHOPPEX_ORDER, headers=headers).json["data"]
    assert (final["status"], final["payment_status"], final["status_details"]) == ("COMPLETED", "COMPLETED", "Completed")
    # updated_at was set once, by the winner; no loser touched the record afterwards.
    assert final["updated_at"] == winner["updated_at"]
    assert final == {k: v for k, v in winner.items() if k in final}


def test_shoplazza_payment_success_wins_once(server):
    headers = {"access-token": fresh("slz_race")}
    before = call(server, "GET", SHOPLAZZA_ORDER, headers=headers).json["data"]["order"]
    assert before["financial_status"] == "waiting"

    responses = all_at_once(lambda: call(server, "POST", SHOPLAZZA_PAY, {}, headers))

    won = [r for r in responses if r.status == 200]
    lost = [r for r in responses if r.status != 200]
    assert len(won) == 1, sorted(r.status for r in responses)
    assert won[0].json["code"] == "Success"
    for response in lost:
        body = assert_shoplazza_error(response, 500, "FailedPrecondition")
        assert "already paid" in body["message"]
    order = call(server, "GET", SHOPLAZZA_ORDER, headers=headers).json["data"]["order"]
    assert (order["financial_status"], order["status"]) == ("paid", "placed")
    assert order["total_paid"] == order["total_price"]
    assert len(order["payment_lines"]) == 1
    assert order["tags"].split(",").count("test_order") == 1
    assert order["updated_at"] == won[0].json["data"]["order"]["updated_at"]
    transactions = call(server, "GET", f"{SHOPLAZZA_ORDER}/transactions", headers=headers).json["data"]["transactions"]
    assert len(transactions) == 1
    assert (transactions[0]["status"], transactions[0]["amount"]) == ("success", order["total_price"])
