"""Any key keeps its namespace across a --db restart: names are stored whole, never split or escaped by hand."""

from __future__ import annotations

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.fixtures import Fixtures
from mockserver.shoppex.kinds import STORE_KEYS
from mockserver.shoppex.models import INVOICES
from mockserver.store import Store

# Keys as clients send them: base64 with "/" and "+", colons, spaces, percent signs, quotes.
WIRE_KEYS = [
    "shx_ab/cd+ef==",
    "a/b/c",
    "/leading-slash",
    "trailing/",
    "shx:with:colons",
    "with space",
    "100%25%",
    "quote'and\"double",
    "shx_test/shoppex.invoices",
]
# The store takes any string a header could carry, and more.
STORE_NAMES = [*WIRE_KEYS, "", "ключ/キー/🔑", "tab\there", "back\\slash", "ns/kind/doc", "lone \ud800 surrogate"]
SEED = {"id": "inv_1", "uniqid": "u-1", "status": "PENDING"}


def make_store(db):
    return Store(Fixtures({INVOICES: (SEED,)}), STORE_KEYS, db)


@pytest.mark.parametrize("name", STORE_NAMES)
def test_a_namespace_of_any_name_keeps_its_documents_across_a_restart(tmp_path, name):
    store = make_store(tmp_path / "db.json")
    store.insert(name, INVOICES, {"id": "inv_new", "uniqid": "u-new", "status": "PENDING"})
    store.modify(name, INVOICES, "inv_1", lambda doc: {**doc, "status": "COMPLETED"})
    # No close(): the acknowledged writes are already on disk.
    reopened = make_store(tmp_path / "db.json")
    assert reopened.namespaces() == [name]
    assert reopened.get(name, INVOICES, "u-new")["id"] == "inv_new"
    assert reopened.get(name, INVOICES, "inv_1")["status"] == "COMPLETED"


def test_names_that_share_a_prefix_never_mix(tmp_path):
    names = ["k", "k/shoppex.invoices", "k/", "/k"]
    store = make_store(tmp_path / "db.json")
    for number, name in enumerate(names):
        store.modify(name, INVOICES, "inv_1", lambda doc, n=number: {**doc, "status": f"S{n}"})
    reopened = make_store(tmp_path / "db.json")
    assert [reopened.get(name, INVOICES, "inv_1")["status"] for name in names] == ["S0", "S1", "S2", "S3"]
    assert [len(reopened.all(name, INVOICES)) for name in names] == [1, 1, 1, 1]


@pytest.mark.parametrize("key", WIRE_KEYS)
def test_an_api_key_of_any_characters_finds_its_orders_and_fixtures_after_a_restart(tmp_path, key):
    db = tmp_path / "state.json"
    auth = {"Authorization": f"Bearer {key}"}
    client = create_app(Settings(db=db)).test_client()
    created = client.post("/dev/v1/orders", headers=auth, json={"email": "buyer@example.com", "items": [{"product_id": "prod_3"}]})
    assert created.status_code == 201, created.get_json()
    seeded = client.get("/dev/v1/orders/ord_123", headers=auth).get_json()

    restarted = create_app(Settings(db=db)).test_client()
    order = restarted.get(f"/dev/v1/orders/{created.get_json()['data']['id']}", headers=auth)
    # GET shows the create answer's order fields (the create answer also has a few invoice fields).
    assert order.status_code == 200 and order.get_json()["data"].items() <= created.get_json()["data"].items()
    invoice = restarted.get(f"/dev/v1/invoices/{created.get_json()['data']['uniqid']}", headers=auth).get_json()["data"]
    assert created.get_json()["data"].items() <= invoice.items()
    assert restarted.get("/dev/v1/orders/ord_123", headers=auth).get_json() == seeded
