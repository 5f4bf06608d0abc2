"""Product serials: upload, list page by page, claim; the pool is the product's (or variant's) stock."""

import json
import re
from pathlib import Path

import pytest

from mockserver.config import bundled_fixtures_dir
from tests.shoppex.test_catalog import AUTH, is_type

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "shoppex-fields" / "serials.json").read_text())
PRO = json.loads((bundled_fixtures_dir() / "shoppex" / "products" / "invoices-get.prod_2.json").read_text())
ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def conforms(doc, spec):
    """Exactly the documented fields, each of its documented JSON type."""
    types = {k: [v] if isinstance(v, str) else v for k, v in spec.items()}
    return set(doc) == set(spec) and all(any(is_type(doc[k], t) for t in allowed) for k, allowed in types.items())


@pytest.fixture
def product(client):
    body = {"title": "Keys", "price": 3, "type": "SERIALS", "serials": "K1\nK2\nK1", "remove_duplicates": True}
    return client.post("/dev/v1/products", json=body, headers=AUTH).get_json()["data"]


def test_serials_sent_with_a_product_fill_its_pool_and_stock(client, product):
    assert product["stock"] == 2
    listed = client.get(f"/dev/v1/products/{product['id']}/serials", headers=AUTH).get_json()
    assert [s["serial"] for s in listed["data"]] == ["K1", "K2"]
    assert all(conforms(s, SPEC["fields"]) and ISO_MILLIS.match(s["created_at"]) for s in listed["data"])
    assert conforms(listed["pagination"], SPEC["pagination"])


def test_upload_pages_and_claim(client, product):
    path = f"/dev/v1/products/{product['uniqid']}/serials"
    added = client.post(path, json={"serials": ["K3", "K2", "K4", "K5"], "remove_duplicates": True}, headers=AUTH).get_json()["data"]
    assert added == {"added_count": 3}
    second = client.get(f"{path}?page=2&limit=2", headers=AUTH).get_json()
    assert [s["serial"] for s in second["data"]] == ["K3", "K4"]
    assert second["pagination"] == {"total": 5, "page": 2, "limit": 2, "total_pages": 3, "has_more": True}
    claimed = client.post(f"{path}/claim", json={"amount": 2}, headers=AUTH).get_json()["data"]
    assert conforms(claimed, SPEC["claim"]) and (claimed["claimed_count"], claimed["remaining_stock"]) == (2, 3)
    assert [s["serial"] for s in claimed["serials"]] == ["K1", "K2"]
    assert client.get(f"/dev/v1/products/{product['id']}", headers=AUTH).get_json()["data"]["stock"] == 3


def test_a_claim_beyond_the_pool_is_refused_and_takes_nothing(client, runtime, product):
    before = runtime.store.export("shx_test_key")
    response = client.post(f"/dev/v1/products/{product['id']}/serials/claim", json={"amount": 3}, headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["details"][0]["field"]) == (422, "amount")
    assert runtime.store.export("shx_test_key") == before


def test_variant_pools_are_their_variants_stock(client):
    gold = PRO["variants"][1]
    path = f"/dev/v1/products/{PRO['id']}/variants/{gold['id']}/serials"
    assert client.post(path, json={"serials": "G1\nG2"}, headers=AUTH).get_json()["data"] == {"added_count": 2}
    listed = client.get(path, headers=AUTH).get_json()["data"]
    assert {(s["variant_id"], s["variant_title"]) for s in listed} == {(gold["id"], gold["title"])}
    variants = client.get(f"/dev/v1/products/{PRO['id']}", headers=AUTH).get_json()["data"]["variants"]
    assert [v["stock"] for v in variants] == [PRO["variants"][0]["stock"], 2]


@pytest.mark.parametrize(
    "method, path, body, status, field",
    [
        ("post", f"/products/{PRO['id']}/serials", {"serials": "X"}, 422, "id"),
        ("get", f"/products/{PRO['id']}/variants/var_missing/serials", None, 404, "variantId"),
        ("post", "/products/prod_missing/serials", {"serials": "X"}, 404, "id"),
        ("post", "/products/prod_1/serials", {"serials": ""}, 422, "serials"),
        ("post", "/products/prod_1/serials", {"serials": [1, 2]}, 422, "serials"),
        ("post", "/products/prod_1/serials/claim", {"amount": 501}, 422, "amount"),
        ("get", "/products/prod_1/serials?limit=0", None, 422, "limit"),
    ],
)
def test_serial_mistakes_name_what_is_wrong(client, method, path, body, status, field):
    response = getattr(client, method)(f"/dev/v1{path}", json=body, headers=AUTH) if body else client.get(f"/dev/v1{path}", headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["details"][0]["field"]) == (status, field)
