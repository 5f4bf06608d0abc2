"""Paged reads: the same pages a full sort gives, through every kind of write, at the cost of the page walked."""

from __future__ import annotations

import random

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.fixtures import Fixtures
from mockserver.store import Store

KIND = "test.records"
KEYS = {KIND: ("id",)}
SEEDS = tuple({"id": f"seed_{n}", "created_at": 100 + n * 7 % 5, "colour": "red"} for n in range(6))


def by_created(doc: dict) -> tuple:
    return (doc["created_at"], doc["id"])


def reference(store: Store, namespace: str, after, descending: bool, keep) -> list[str]:
    """The ids a full sort gives (the old way), for comparison."""
    docs = sorted(store.all(namespace, KIND), key=by_created, reverse=descending)
    if after is not None:
        docs = [d for d in docs if (by_created(d) < after if descending else by_created(d) > after)]
    return [d["id"] for d in docs if keep(d)]


def walk(store: Store, namespace: str, limit: int, descending: bool, keep) -> list[str]:
    """Every id, page by page, each page starting after the last one's final key."""
    ids, after = [], None
    while True:
        docs, has_more = store.page(namespace, KIND, by_created, limit, after=after, descending=descending, keep=keep)
        ids += [d["id"] for d in docs]
        assert len(docs) <= limit
        if not has_more:
            return ids
        assert len(docs) == limit
        after = by_created(docs[-1])


@pytest.mark.parametrize("seed", range(5))
def test_pages_match_a_full_sort_through_inserts_changes_deletes_and_resets(seed):
    rng = random.Random(seed)
    store = Store(Fixtures({KIND: SEEDS}), KEYS)
    namespaces = ["a", "b", "c"]
    for step in range(300):
        namespace = rng.choice(namespaces)
        doc_id = f"d{rng.randrange(60)}"
        action = rng.random()
        # Creation times out of insertion order (a clock set back, records loaded with old dates).
        if action < 0.45:
            store.upsert(namespace, KIND, {"id": doc_id, "created_at": rng.randrange(90, 130), "colour": rng.choice(["red", "blue"])})
        elif action < 0.7:
            store.modify(namespace, KIND, rng.choice([doc_id, "seed_2"]), lambda d: {**d, "created_at": rng.randrange(90, 130)})
        elif action < 0.9:
            store.delete(namespace, KIND, rng.choice([doc_id, "seed_3"]))
        elif action < 0.95:
            store.reset(namespace)
        if step % 25 == 0:
            for name in [*namespaces, "fresh"]:
                for descending in (True, False):
                    for keep in (lambda d: True, lambda d: d["colour"] == "red"):
                        assert walk(store, name, rng.randrange(1, 7), descending, keep) == reference(store, name, None, descending, keep)


def test_a_page_walks_only_what_it_returns_and_one_more():
    store = Store(Fixtures({}), KEYS)
    with store.lock:
        for number in range(5_000):
            store.insert("big", KIND, {"id": f"r{number:05}", "created_at": number, "colour": "red" if number % 2 else "blue"})
    seen = []

    def keep(doc):
        seen.append(doc["id"])
        return doc["colour"] == "red"

    docs, has_more = store.page("big", KIND, by_created, 20, keep=keep)
    assert [d["id"] for d in docs] == [f"r{n:05}" for n in range(4999, 4959, -2)] and has_more
    # 20 matches and the one that says "more": every other record matches, so 41 were looked at.
    assert len(seen) == 41


def test_a_namespace_that_never_wrote_pages_the_fixtures_and_its_first_write_is_its_own():
    store = Store(Fixtures({KIND: SEEDS}), KEYS)
    expected = reference(store, "reader", None, True, lambda d: True)
    assert walk(store, "reader", 4, True, lambda d: True) == expected
    store.insert("writer", KIND, {"id": "new", "created_at": 1_000, "colour": "red"})
    assert walk(store, "writer", 4, True, lambda d: True) == ["new", *expected]
    assert walk(store, "reader", 4, True, lambda d: True) == expected


def test_shoppex_and_shoplazza_lists_walk_pages_to_every_order_newest_first():
    client = create_app(Settings(webhooks=False)).test_client()
    shoppex, shoplazza = {"Authorization": "Bearer shx_pages"}, {"access-token": "slz_pages"}
    clock = {"frozen_at": 1_700_000_000}
    for number in range(12):
        # Creation times jump back and forth, so storing order is not listing order.
        clock["frozen_at"] += 3_600 * (5 if number % 3 else -7)
        client.post("/__admin/clock", json=clock)
        client.post("/dev/v1/orders", headers=shoppex, json={"email": f"b{number}@example.com", "items": [{"product_id": "prod_3"}]})
    stored = client.get("/__admin/snapshot?namespace=shx_pages").get_json()["records"]["shoppex.invoices"]
    expected = [d["id"] for d in sorted(stored, key=lambda d: (d["created_at"], d["id"]), reverse=True)]
    ids, cursor = [], None
    while True:
        page = client.get("/dev/v1/invoices?limit=5" + (f"&cursor={cursor}" if cursor else ""), headers=shoppex).get_json()
        ids += [d["id"] for d in page["data"]]
        cursor = page["pagination"]["next_cursor"]
        if not page["pagination"]["has_more"]:
            break
    assert ids == expected

    # The token's first request makes its namespace (the admin API exports only namespaces in use).
    assert client.get("/openapi/2025-06/orders", headers=shoplazza).status_code == 200
    orders = client.get("/__admin/snapshot?namespace=slz_pages").get_json()["records"]["shoplazza.orders"]
    listed, cursor = [], ""
    while True:
        body = client.get(f"/openapi/2025-06/orders?page_size=1&sort_direction=asc&cursor={cursor}", headers=shoplazza).get_json()
        listed += [o["id"] for o in body["data"]["orders"]]
        cursor = body["data"]["cursor"]
        if not body["data"]["has_more"]:
            break
    assert sorted(listed) == sorted(o["id"] for o in orders if not o.get("deleted_at")) and len(listed) == len(set(listed))
