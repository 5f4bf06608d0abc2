"""Shoplazza fulfillments: the registry's seven commands on both versions, the order's lifecycle they drive, refusals, webhooks.

Response bodies are checked against the registry schema of the calling version (the registry's
v202601 response schemas; 2025-06, which has none of its own, against v202506.Fulfillment), and
every order against v202506.Order, fulfillments[] included.
"""

from __future__ import annotations

import json

import pytest

from mockserver.shoplazza.fulfillments import FULFILLMENTS
from mockserver.shoplazza.models import ORDERS
from tests.receiver import Receiver

from .conformance import COMMANDS, check_object, response_schema
from .helpers import ORDER_ID, TOKEN, Shoplazza, error_of, snapshot
from .test_order_schema import assert_order
from .test_webhooks import SECRET, deliveries, make_app, settled, subscribe, verified

# Every test on both API versions: each answers in its own version's shape.
pytestmark = pytest.mark.versions

# Every app test on memory and on a --db file: each fulfillment write goes through the file there.
STORAGES = ("memory", "file")
STATUS_FIELDS = ("status", "financial_status", "fulfillment_status")
FULFILLMENT_COMMANDS = (
    "fulfillment-create", "fulfillments", "fulfillment-count", "fulfillment-detail", "fulfillment-update",
    "fulfillment-complete", "fulfillment-cancel",
)  # fmt: skip
TRACKING = {"tracking_number": "1Z999AA10123456784", "tracking_company": "UPS", "tracking_company_code": "ups"}


def registry_path(command: str, version: str, order_id: str, fulfillment_id: str = "") -> tuple[str, str]:
    """The command's method and path from the registry, for `version` and the given ids."""
    http = COMMANDS[command]["http"]
    path = http["path"].replace("2026-01", version).format(order_id=order_id, fulfillment_id=fulfillment_id)
    return http["method"], path


def assert_conforms(command: str, version: str, data: dict) -> None:
    """`data` is the command's registry response schema in `version`'s shape: every field, of its type, no other."""
    problems: list[str] = []
    check_object(data, response_schema(command, version), "data", version, problems)
    assert not problems, "\n".join(problems)


def run(api: Shoplazza, command: str, order_id: str = ORDER_ID, fulfillment_id: str = "", body=None, query=None):
    """Call a registry command by its id on the api's version."""
    method, path = registry_path(command, api.version, order_id, fulfillment_id)
    return api.client.open(path, method=method, json=body, headers={"access-token": api.token}, query_string=query)


def ok(response) -> dict:
    """The data of a 200 success envelope."""
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["code"] == "Success"
    return body["data"]


def ship(api: Shoplazza, lines: list[dict], order_id: str = ORDER_ID, **tracking) -> dict:
    """Create a fulfillment of `lines` ({"id", "ship_quantity"?}) and return it."""
    return ok(run(api, "fulfillment-create", order_id, body={"fulfillment": {"line_items": lines, **tracking}}))["fulfillment"]


def stored(runtime, order: dict) -> dict:
    """The order as stored, every version's fields included (2026-01 shows no ship_quantity)."""
    return runtime.store.get(TOKEN, ORDERS, order["id"])


def summaries(fulfillments: list[dict]) -> list[dict]:
    """An order's fulfillments as the fulfillment commands answer them (2026-01's order adds tracking_items)."""
    return [{k: v for k, v in f.items() if k != "tracking_items"} for f in fulfillments]


def statuses(order: dict) -> tuple[str, str, str]:
    return tuple(order[field] for field in STATUS_FIELDS)


def full_snapshot(runtime) -> dict:
    """Every Shoplazza document of the namespace, fulfillments included."""
    return {**snapshot(runtime), FULFILLMENTS: [dict(doc) for doc in runtime.store.all(TOKEN, FULFILLMENTS)]}


@pytest.fixture
def paid(api) -> dict:
    """A created order (two lines: 3 mugs, 2 sticker packs), paid."""
    order = api.create()
    ok(api.pay(order["id"]))
    return api.order(order["id"])


# -- every command, on both versions, in the registry's shape ------------------------------------------------------


def test_every_registry_command_answers_in_its_versions_shape(api, paid, version):
    mugs, stickers = (line["id"] for line in paid["line_items"])
    created = ok(
        run(api, "fulfillment-create", paid["id"], body={"fulfillment": {"line_items": [{"id": mugs, "ship_quantity": 1}], **TRACKING}})
    )
    assert_conforms("fulfillment-create", version, created)
    fid = created["fulfillment"]["id"]
    other = ship(api, [{"id": stickers}], paid["id"])

    listed = ok(run(api, "fulfillments", paid["id"]))
    assert_conforms("fulfillments", version, listed)
    assert [f["id"] for f in listed["fulfillments"]] == [fid, other["id"]]
    counted = ok(run(api, "fulfillment-count", paid["id"]))
    assert_conforms("fulfillment-count", version, counted)
    assert counted == {"count": 2}

    detail = ok(run(api, "fulfillment-detail", paid["id"], fid))
    assert_conforms("fulfillment-detail", version, detail)
    if version == "2026-01":
        assert detail["fulfillment"]["tracking_items"] == [{**TRACKING, "tracking_url": ""}]
    assert {k: v for k, v in detail["fulfillment"].items() if k != "tracking_items"} == created["fulfillment"]

    for command, body in (
        ("fulfillment-update", {"fulfillment": {"tracking_url": "https://track.example/1Z"}}),
        ("fulfillment-complete", None),
    ):
        assert_conforms(command, version, ok(run(api, command, paid["id"], fid, body=body)))
    assert_conforms("fulfillment-cancel", version, ok(run(api, "fulfillment-cancel", paid["id"], other["id"])))
    assert_order(api.order(paid["id"]), version)


def test_the_shape_check_can_fail(api, paid, version):
    created = ok(run(api, "fulfillment-create", paid["id"], body={"fulfillment": {"line_items": [{"id": paid["line_items"][0]["id"]}]}}))
    broken = {"fulfillment": {k: v for k, v in created["fulfillment"].items() if k != "tracking_url"}}
    with pytest.raises(AssertionError):
        assert_conforms("fulfillment-create", version, broken)
    with pytest.raises(AssertionError):
        assert_conforms("fulfillment-create", version, {"fulfillment": {**created["fulfillment"], "status": 1}})
    with pytest.raises(AssertionError):
        assert_conforms("fulfillment-count", version, {"count": "1"})


# -- the order's lifecycle -------------------------------------------------------------------------------------


def test_create_pay_partially_fulfil_fulfil_complete(api, runtime, version):
    order = api.create()
    assert statuses(order) == ("opened", "waiting", "initialled")
    ok(api.pay(order["id"]))
    assert statuses(api.order(order["id"])) == ("placed", "paid", "waiting")
    mugs, stickers = (line["id"] for line in order["line_items"])

    # Partially: 2 of the 3 mugs.
    first = ship(api, [{"id": mugs, "ship_quantity": 2}], order["id"], **TRACKING)
    assert first["status"] == "shipped" and first["order_id"] == order["id"]
    assert [(line["id"], line["ship_quantity"], line["fulfillment_status"]) for line in first["line_items"]] == [(mugs, 2, "shipped")]
    now = api.order(order["id"])
    assert statuses(now) == ("placed", "paid", "partially_shipped")
    assert [(line["ship_quantity"], line["fulfillment_status"]) for line in stored(runtime, order)["line_items"]] == [
        (2, "partially_shipped"),
        (0, "waiting"),
    ]
    assert summaries(now["fulfillments"]) == [first]

    # The rest: ship_quantity 0 or absent ships all that remains.
    second = ship(api, [{"id": mugs, "ship_quantity": 0}, {"id": stickers}], order["id"])
    assert [line["ship_quantity"] for line in second["line_items"]] == [1, 2]
    now = api.order(order["id"])
    assert statuses(now) == ("placed", "paid", "shipped")
    assert [(line["ship_quantity"], line["fulfillment_status"]) for line in stored(runtime, order)["line_items"]] == [
        (3, "shipped"),
        (2, "shipped"),
    ]

    # Completing one, then the other: the order is finished.
    done = ok(run(api, "fulfillment-complete", order["id"], first["id"]))["fulfillment"]
    assert done["status"] == "finished" and {line["fulfillment_status"] for line in done["line_items"]} == {"finished"}
    assert statuses(api.order(order["id"])) == ("placed", "paid", "partially_finished")
    ok(run(api, "fulfillment-complete", order["id"], second["id"]))
    now = api.order(order["id"])
    assert statuses(now) == ("finished", "paid", "finished")
    assert now["finished_at"] == now["updated_at"] != ""
    assert [f["status"] for f in now["fulfillments"]] == ["finished", "finished"]
    assert_order(now, version)
    # A finished order takes no more fulfillments, and the refusal changes nothing.
    before = full_snapshot(runtime)
    refused = run(api, "fulfillment-create", order["id"], body={"fulfillment": {"line_items": [{"id": mugs}]}})
    assert error_of(refused, 500, "FailedPrecondition") == f"status: order {order['id']} is finished and cannot be fulfilled"
    assert full_snapshot(runtime) == before


def test_completing_a_finished_fulfillment_answers_it_unchanged(api, runtime, paid):
    fid = ship(api, [{"id": line["id"]} for line in paid["line_items"]], paid["id"])["id"]
    finished = ok(run(api, "fulfillment-complete", paid["id"], fid))["fulfillment"]
    before = full_snapshot(runtime)
    runtime.clock.advance(60)
    assert ok(run(api, "fulfillment-complete", paid["id"], fid))["fulfillment"] == finished
    assert full_snapshot(runtime) == before


def test_cancelling_a_fulfillment_gives_its_quantities_back(api, runtime, paid):
    mugs, stickers = (line["id"] for line in paid["line_items"])
    first = ship(api, [{"id": mugs, "ship_quantity": 1}], paid["id"])
    second = ship(api, [{"id": mugs}, {"id": stickers}], paid["id"])
    assert statuses(api.order(paid["id"])) == ("placed", "paid", "shipped")

    cancelled = ok(run(api, "fulfillment-cancel", paid["id"], second["id"]))["fulfillment"]
    assert cancelled["status"] == "cancelled" and {line["fulfillment_status"] for line in cancelled["line_items"]} == {"cancelled"}
    now = api.order(paid["id"])
    assert statuses(now) == ("placed", "paid", "partially_shipped")
    assert [line["ship_quantity"] for line in stored(runtime, paid)["line_items"]] == [1, 0]
    assert [f["status"] for f in now["fulfillments"]] == ["shipped", "cancelled"]

    ok(run(api, "fulfillment-cancel", paid["id"], first["id"]))
    now = api.order(paid["id"])
    assert statuses(now) == ("placed", "paid", "waiting")
    lines = stored(runtime, paid)["line_items"]
    assert [(line["ship_quantity"], line["fulfillment_status"]) for line in lines] == [(0, "waiting"), (0, "waiting")]
    # What was given back can be shipped again; cancelled fulfillments are still listed and counted.
    ship(api, [{"id": mugs}, {"id": stickers}], paid["id"])
    assert statuses(api.order(paid["id"])) == ("placed", "paid", "shipped")
    assert ok(run(api, "fulfillment-count", paid["id"])) == {"count": 3}


def test_while_a_fulfillment_is_finished_the_order_stays_partially_finished(api, paid):
    mugs, stickers = (line["id"] for line in paid["line_items"])
    first = ship(api, [{"id": mugs}], paid["id"])
    ok(run(api, "fulfillment-complete", paid["id"], first["id"]))
    assert statuses(api.order(paid["id"])) == ("placed", "paid", "partially_finished")
    # Shipping the rest, then cancelling it: some items are finished throughout.
    second = ship(api, [{"id": stickers}], paid["id"])
    now = api.order(paid["id"])
    assert statuses(now) == ("placed", "paid", "partially_finished")
    assert [line["fulfillment_status"] for line in now["line_items"]] == ["finished", "shipped"]
    ok(run(api, "fulfillment-cancel", paid["id"], second["id"]))
    now = api.order(paid["id"])
    assert statuses(now) == ("placed", "paid", "partially_finished")
    assert [line["fulfillment_status"] for line in now["line_items"]] == ["finished", "waiting"]
    # Shipping and completing the rest finishes the order.
    third = ship(api, [{"id": stickers}], paid["id"])
    ok(run(api, "fulfillment-complete", paid["id"], third["id"]))
    assert statuses(api.order(paid["id"])) == ("finished", "paid", "finished")


def test_update_changes_tracking_and_an_empty_update_changes_nothing(api, runtime, paid):
    fid = ship(api, [{"id": paid["line_items"][0]["id"]}], paid["id"])["id"]
    runtime.clock.advance(60)
    updated = ok(run(api, "fulfillment-update", paid["id"], fid, body={"fulfillment": {**TRACKING, "send_email": True}}))["fulfillment"]
    assert {name: updated[name] for name in TRACKING} == TRACKING
    assert updated["updated_at"] != updated["created_at"]
    assert summaries(api.order(paid["id"])["fulfillments"]) == [updated]
    before = full_snapshot(runtime)
    runtime.clock.advance(60)
    assert ok(run(api, "fulfillment-update", paid["id"], fid, body={"fulfillment": {}}))["fulfillment"] == updated
    assert ok(run(api, "fulfillment-update", paid["id"], fid, body={"fulfillment": TRACKING}))["fulfillment"] == updated
    assert full_snapshot(runtime) == before


def test_list_pages_with_a_cursor_and_filters_by_time(api, runtime, paid):
    runtime.clock.freeze(1_767_225_600)  # 2026-01-01T00:00:00Z
    made = []
    for _ in range(3):
        made.append(ship(api, [{"id": paid["line_items"][0]["id"], "ship_quantity": 1}], paid["id"])["id"])
        runtime.clock.advance(10)
    seen, cursor = [], None
    while True:
        data = ok(run(api, "fulfillments", paid["id"], query={"page_size": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [f["id"] for f in data["fulfillments"]]
        assert data["has_more"] == bool(data["cursor"])
        if not data["has_more"]:
            break
        cursor = data["cursor"]
    assert seen == made
    window = {"created_at_min": "2026-01-01T00:00:10Z", "created_at_max": "2026-01-01T00:00:20Z"}
    assert [f["id"] for f in ok(run(api, "fulfillments", paid["id"], query=window))["fulfillments"]] == made[1:]
    assert ok(run(api, "fulfillment-count", paid["id"], query=window)) == {"count": 2}
    assert ok(run(api, "fulfillment-count", paid["id"], query={"updated_at_min": "2026-01-02T00:00:00Z"})) == {"count": 0}


# -- refusals: the API's error body, nothing changed ----------------------------------------------------------


def test_unpaid_cancelled_and_unknown_orders_are_refused(api, runtime):
    unpaid = api.create()
    line = {"id": unpaid["line_items"][0]["id"]}
    body = {"fulfillment": {"line_items": [line]}}
    cancelled = api.create()
    ok(api.post(f"orders/{cancelled['id']}/cancel", {}))
    before = full_snapshot(runtime)
    message = error_of(run(api, "fulfillment-create", unpaid["id"], body=body), 500, "FailedPrecondition")
    assert message == f"financial_status: order {unpaid['id']} is waiting and cannot be fulfilled"
    message = error_of(run(api, "fulfillment-create", cancelled["id"], body=body), 500, "FailedPrecondition")
    assert message == f"status: order {cancelled['id']} is cancelled and cannot be fulfilled"
    for command in FULFILLMENT_COMMANDS:
        found = run(api, command, "999", "nope", body=body if "create" in command else {"fulfillment": {}})
        assert error_of(found, 404, "NotFound").startswith("order_id:")
    assert full_snapshot(runtime) == before


@pytest.mark.parametrize(
    "line_items, field",
    [
        ([{"id": "no-such-line"}], "fulfillment.line_items.0.id"),
        ([{"id": "MUGS", "ship_quantity": 4}], "fulfillment.line_items.0.ship_quantity"),
        ([{"id": "MUGS", "ship_quantity": 1}, {"id": "MUGS", "ship_quantity": 1}], "fulfillment.line_items.1.id"),
        ([{"id": "STICKERS"}, {"id": "MUGS", "ship_quantity": -1}], "fulfillment.line_items.1.ship_quantity"),
        ([{"id": "MUGS", "ship_quantity": "1"}], "fulfillment.line_items.0.ship_quantity"),
        ([{"id": "MUGS", "ship_quantity": 2**31}], "fulfillment.line_items.0.ship_quantity"),
        ([{"ship_quantity": 1}], "fulfillment.line_items.0.id"),
        ([{"id": ""}], "fulfillment.line_items.0.id"),
        ([], "fulfillment.line_items"),
        ("MUGS", "fulfillment.line_items"),
        (None, "fulfillment.line_items"),
    ],
)
def test_bad_line_items_are_invalid_parameters_naming_the_field(api, runtime, paid, line_items, field):
    ids = {"MUGS": paid["line_items"][0]["id"], "STICKERS": paid["line_items"][1]["id"]}

    def real(value):
        # The placeholders stand for the order's own line ids.
        return json.loads(json.dumps(value).replace('"MUGS"', json.dumps(ids["MUGS"])).replace('"STICKERS"', json.dumps(ids["STICKERS"])))

    fulfillment = {} if line_items is None else {"line_items": real(line_items)}
    before = full_snapshot(runtime)
    message = error_of(run(api, "fulfillment-create", paid["id"], body={"fulfillment": fulfillment}), 400, "InvalidParameter")
    assert message.startswith(f"{field}:"), message
    assert full_snapshot(runtime) == before


def test_nothing_ships_beyond_what_is_unfulfilled(api, runtime, paid):
    mugs = paid["line_items"][0]["id"]
    ship(api, [{"id": mugs, "ship_quantity": 2}], paid["id"])
    for quantity, left, field, message in (
        (2, 1, "ship_quantity", f"2 is more than the 1 of line item {mugs} unfulfilled"),
        (0, 0, "id", f"line item {mugs} has no unfulfilled quantity left"),
    ):
        if not left:
            ship(api, [{"id": mugs}], paid["id"])
        before = full_snapshot(runtime)
        body = {"fulfillment": {"line_items": [{"id": mugs, "ship_quantity": quantity}]}}
        assert (
            error_of(run(api, "fulfillment-create", paid["id"], body=body), 400, "InvalidParameter")
            == f"fulfillment.line_items.0.{field}: {message}"
        )
        assert full_snapshot(runtime) == before


@pytest.mark.parametrize(
    "command, body, field",
    [
        ("fulfillment-create", {}, "fulfillment"),
        ("fulfillment-create", {"fulfillment": "x"}, "fulfillment"),
        ("fulfillment-update", {}, "fulfillment"),
        ("fulfillment-update", {"fulfillment": {"tracking_number": ""}}, "fulfillment.tracking_number"),
        ("fulfillment-update", {"fulfillment": {"send_email": "yes"}}, "fulfillment.send_email"),
        ("fulfillment-update", {"fulfillment": {"tracking_url": 5}}, "fulfillment.tracking_url"),
    ],
)
def test_bad_bodies_are_invalid_parameters_naming_the_field(api, runtime, paid, command, body, field):
    fid = ship(api, [{"id": paid["line_items"][0]["id"]}], paid["id"])["id"]
    before = full_snapshot(runtime)
    message = error_of(run(api, command, paid["id"], fid, body=body), 400, "InvalidParameter")
    assert message.startswith(f"{field}:"), message
    assert full_snapshot(runtime) == before


@pytest.mark.parametrize(
    "query, field", [({"page_size": "0"}, "page_size"), ({"cursor": "nope"}, "cursor"), ({"created_at_min": "soon"}, "created_at_min")]
)
def test_bad_list_queries_are_invalid_parameters(api, paid, query, field):
    assert error_of(run(api, "fulfillments", paid["id"], query=query), 400, "InvalidParameter").startswith(f"{field}:")


def test_fulfillment_status_refusals(api, runtime, paid):
    mugs, stickers = (line["id"] for line in paid["line_items"])
    finished = ship(api, [{"id": mugs}], paid["id"])["id"]
    ok(run(api, "fulfillment-complete", paid["id"], finished))
    cancelled = ship(api, [{"id": stickers}], paid["id"])["id"]
    ok(run(api, "fulfillment-cancel", paid["id"], cancelled))
    before = full_snapshot(runtime)
    expected = [
        ("fulfillment-cancel", finished, f"status: fulfillment {finished} is finished and cannot be cancelled"),
        ("fulfillment-cancel", cancelled, f"status: fulfillment {cancelled} is cancelled and cannot be cancelled"),
        ("fulfillment-complete", cancelled, f"status: fulfillment {cancelled} is cancelled and cannot be completed"),
        ("fulfillment-update", cancelled, f"status: fulfillment {cancelled} is cancelled and cannot be updated"),
    ]
    for command, fid, message in expected:
        assert error_of(run(api, command, paid["id"], fid, body={"fulfillment": TRACKING}), 500, "FailedPrecondition") == message
    # Another order's fulfillment, or an unknown one, is not found under this order.
    assert error_of(run(api, "fulfillment-detail", ORDER_ID, finished), 404, "NotFound").startswith("fulfillment_id:")
    assert error_of(run(api, "fulfillment-cancel", paid["id"], "nope"), 404, "NotFound").startswith("fulfillment_id:")
    assert full_snapshot(runtime) == before


def test_scopes_reads_need_read_order_and_writes_write_order(version):
    app = make_app(shoplazza_tokens=("reader:read_order", "writer:write_order"))
    client = app.test_client()
    reader, writer = Shoplazza(client, version, "reader"), Shoplazza(client, version, "writer")
    body = {"fulfillment": {"line_items": [{"id": reader.order()["line_items"][0]["id"]}]}}
    ok(writer.pay(ORDER_ID))
    error_of(run(reader, "fulfillment-create", body=body), 403, "Forbidden")
    fid = ok(run(writer, "fulfillment-create", body=body))["fulfillment"]["id"]
    for command in ("fulfillment-update", "fulfillment-complete", "fulfillment-cancel"):
        error_of(run(reader, command, fulfillment_id=fid, body={"fulfillment": {}}), 403, "Forbidden")
    # Reads: the writer lacks read_order; the reader has it (each token is its own store, where the writer's fulfillment is not).
    for command in ("fulfillments", "fulfillment-count", "fulfillment-detail"):
        error_of(run(writer, command, fulfillment_id=fid), 403, "Forbidden")
    assert ok(run(reader, "fulfillments")) == {"fulfillments": [], "cursor": "", "has_more": False}
    assert ok(run(reader, "fulfillment-count")) == {"count": 0}
    error_of(run(reader, "fulfillment-detail", fulfillment_id=fid), 404, "NotFound")
    app.extensions["mockserver"].deliveries.close()
    app.extensions["mockserver"].store.close()


# -- webhooks --------------------------------------------------------------------------------------------------

TOPICS = ("fulfillments/create", "fulfillments/update", "orders/fulfilled", "orders/partially_fulfilled", "orders/update")


@pytest.fixture
def hooked():
    """An app with an app secret and fast retries, and a receiver subscribed to every fulfillment topic."""
    app, receiver = make_app(), Receiver()
    yield app, receiver
    receiver.close()
    app.extensions["mockserver"].deliveries.close()
    app.extensions["mockserver"].store.close()


def test_each_step_delivers_its_signed_events(hooked, version):
    app, receiver = hooked
    client = app.test_client()
    api = Shoplazza(client, version)
    for topic in TOPICS:
        subscribe(api, receiver.at("/" + topic.replace("/", "-")), topic)
    order = api.create()
    ok(api.pay(order["id"]))
    mugs, stickers = (line["id"] for line in order["line_items"])
    made: list[dict] = []
    steps = [
        (lambda: ship(api, [{"id": mugs, "ship_quantity": 1}], order["id"]), ["fulfillments/create", "orders/partially_fulfilled"]),
        (lambda: ship(api, [{"id": mugs}, {"id": stickers}], order["id"]), ["fulfillments/create", "orders/fulfilled"]),
        (lambda: run(api, "fulfillment-update", order["id"], made[0]["id"], body={"fulfillment": TRACKING}), ["fulfillments/update"]),
        (lambda: run(api, "fulfillment-complete", order["id"], made[0]["id"]), ["fulfillments/update"]),
        (lambda: run(api, "fulfillment-cancel", order["id"], made[1]["id"]), ["fulfillments/update"]),
        # Shipping all that remains while one fulfillment is finished: the order is fulfilled.
        (lambda: ship(api, [{"id": mugs}, {"id": stickers}], order["id"]), ["fulfillments/create", "orders/fulfilled"]),
    ]
    seen = {entry["id"] for entry in deliveries(client)}
    for index, (step, topics) in enumerate(steps):
        answer = step()
        fulfillment = answer if isinstance(answer, dict) else ok(answer)["fulfillment"]
        made.append(fulfillment)
        # Each step's own topics, and the order's update.
        log = [entry for entry in deliveries(client) if entry["id"] not in seen]
        seen |= {entry["id"] for entry in log}
        assert sorted(entry["event"] for entry in log) == sorted([*topics, "orders/update"]), (index, [e["event"] for e in log])
        current = api.order(order["id"])
        for entry in log:
            # fulfillments/* carry the fulfillment after the change; orders/* the order.
            assert entry["body"] == (fulfillment if entry["event"].startswith("fulfillments/") else current)
    # Every delivery arrives signed with the app secret and carries the subscription's version.
    settled(client)
    assert len(receiver.received) == len(seen)
    for request in receiver.received:
        assert verified(SECRET, request["headers"], request["body"])
        assert request["headers"]["X-Shoplazza-Api-Version"] == version
        assert request["path"] == "/" + request["headers"]["X-Shoplazza-Topic"].replace("/", "-")


def test_refused_and_unchanged_fulfillment_calls_fire_nothing(hooked):
    app, receiver = hooked
    client = app.test_client()
    api = Shoplazza(client, "2026-01")
    for topic in TOPICS:
        subscribe(api, receiver.at("/any"), topic)
    line = {"id": api.order()["line_items"][0]["id"]}
    error_of(run(api, "fulfillment-create", body={"fulfillment": {"line_items": [line]}}), 500, "FailedPrecondition")
    ok(api.pay(ORDER_ID))
    seen = len(deliveries(client))
    fid = ship(api, [line])["id"]
    ok(run(api, "fulfillment-complete", fulfillment_id=fid))
    seen_after = len(deliveries(client))
    ok(run(api, "fulfillment-complete", fulfillment_id=fid))
    ok(run(api, "fulfillment-update", fulfillment_id=fid, body={"fulfillment": {}}))
    error_of(run(api, "fulfillment-cancel", fulfillment_id=fid), 500, "FailedPrecondition")
    assert len(deliveries(client)) == seen_after > seen
