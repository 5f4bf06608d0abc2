"""The Shoppex catalogue: products, coupons and customers in the documented shapes, and as the state POST /orders reads."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from mockserver.config import bundled_fixtures_dir

AUTH = {"Authorization": "Bearer shx_test_key"}
FIELDS = Path(__file__).resolve().parents[2] / "docs" / "shoppex-fields"
FIXTURES = bundled_fixtures_dir() / "shoppex"
JSON_TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "array": list, "object": dict}


def documented(name):
    return json.loads((FIELDS / f"{name}.json").read_text())


def fixture(kind, name):
    return json.loads((FIXTURES / kind / name).read_text())


PRO = fixture("products", "invoices-get.prod_2.json")
BONUS = fixture("products", "invoices-get.prod_3.json")
SPRING = fixture("coupons", "spring10.json")
CUSTOMER = fixture("customers", "orders-get.cus_1.json")
NEW_PRODUCT = {"title": "Created Product", "price": 19.99, "type": "DYNAMIC", "dynamic_webhook": "https://example.com/hook"}
NEW_COUPON = {"code": "TAKE15", "discount_value": 15, "discount_type": "PERCENTAGE"}


def type_problems(doc, name):
    """Every way `doc` differs from the documented field list `name`: a missing or extra field, or a wrong JSON type."""
    spec = documented(name)["fields"]
    problems = [f"missing {f}" for f in spec if f not in doc] + [f"undocumented {f}" for f in doc if f not in spec]
    for field, types in spec.items():
        allowed = [types] if isinstance(types, str) else types
        value = doc.get(field)
        if field in doc and not any(is_type(value, t) for t in allowed):
            problems.append(f"{field}: {value!r} is not {allowed}")
    return problems


def is_type(value, json_type):
    """Whether `value` is of a JSON type ("integer" and "number" exclude booleans)."""
    if json_type == "null":
        return value is None
    if json_type == "boolean":
        return isinstance(value, bool)
    return isinstance(value, JSON_TYPES[json_type]) and not isinstance(value, bool)


def post(client, path, body):
    return client.post(f"/dev/v1{path}", json=body, headers=AUTH)


def created(client, path, body):
    response = post(client, path, body)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["data"]


def order(client, items, coupon=None, email="catalog.buyer@example.com"):
    return post(client, "/orders", {"email": email, "items": items, **({"coupon_code": coupon} if coupon else {})})


# -- the documented fields ---------------------------------------------------------------


def test_every_product_carries_the_57_documented_fields_with_their_types(client):
    listed = client.get("/dev/v1/products", headers=AUTH).get_json()
    new = created(client, "/products", NEW_PRODUCT)
    searched = client.get("/dev/v1/products/search?q=starter", headers=AUTH).get_json()
    for product in [*listed["data"], new, *searched["data"]]:
        assert type_problems(product, "products") == [], product["id"]
        for variant in product["variants"]:
            assert type_problems(variant, "variants") == []
    assert type_problems(listed["stats"], "product_stats") == [] and type_problems(searched["stats"], "product_stats") == []


def test_every_coupon_carries_the_17_documented_fields_with_their_types(client):
    listed = client.get("/dev/v1/coupons", headers=AUTH).get_json()["data"]
    for coupon in [*listed, created(client, "/coupons", NEW_COUPON)]:
        assert type_problems(coupon, "coupons") == [], coupon["id"]


def test_every_customer_carries_the_19_documented_fields_with_their_types(client):
    listed = client.get("/dev/v1/customers", headers=AUTH).get_json()["data"]
    for customer in [*listed, created(client, "/customers", {"email": "fields@example.com"})]:
        assert type_problems(customer, "customers") == [], customer["id"]


def test_the_documented_coupon_example_is_served_exactly_by_id_uniqid_and_code(client):
    example = documented("coupons")["example"]
    for path in (example["id"], example["uniqid"], f"code/{example['code']}", f"code/{example['code'].upper()}"):
        assert client.get(f"/dev/v1/coupons/{path}", headers=AUTH).get_json()["data"] == example


def test_documented_coupon_create_body_becomes_the_documented_shape(client):
    # The create-coupon page's request, with a product of this shop bound: code lower-cased, times as Unix seconds.
    body = {**NEW_COUPON, "code": "SAVE20", "max_uses": 100, "products_bound": [PRO["id"]], "min_order_amount": 20}
    body |= {"max_discount": 50, "valid_from": "2026-04-01T00:00:00.000Z", "valid_until": "2027-05-01T00:00:00.000Z"}
    coupon = created(client, "/coupons", body)
    assert (coupon["code"], coupon["type"], coupon["discount"], coupon["used"]) == ("save20", "PERCENTAGE", 15, 0)
    assert (coupon["valid_from"], coupon["valid_until"], coupon["products_count"]) == (1775001600, 1809129600, 1)
    assert client.get(f"/dev/v1/coupons/{coupon['id']}", headers=AUTH).get_json()["data"] == coupon


# -- catalogue writes are what orders read -----------------------------------------------------


def test_a_created_product_prices_orders_and_its_changes_reprice_new_ones(client):
    product = created(client, "/products", NEW_PRODUCT)
    first = order(client, [{"product_id": product["id"], "quantity": 2}]).get_json()["data"]
    assert (first["subtotal"], first["total"], first["items"][0]["product_title"]) == (39.98, 39.98, NEW_PRODUCT["title"])
    patched = client.patch(f"/dev/v1/products/{product['uniqid']}", json={"price": 5, "title": "Renamed"}, headers=AUTH)
    assert patched.status_code == 200 and patched.get_json()["data"]["price_display"] == 5
    second = order(client, [{"product_id": product["uniqid"], "quantity": 2}]).get_json()["data"]
    assert (second["total"], second["items"][0]["product_title"]) == (10, "Renamed")
    # The first order keeps the price it was created with.
    assert client.get(f"/dev/v1/orders/{first['id']}", headers=AUTH).get_json()["data"]["total"] == 39.98


def test_a_deleted_product_cannot_be_ordered_but_open_orders_keep_their_lines(client):
    product = created(client, "/products", NEW_PRODUCT)
    placed = order(client, [{"product_id": product["id"]}]).get_json()["data"]
    assert client.delete(f"/dev/v1/products/{product['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/dev/v1/products/{product['id']}", headers=AUTH).status_code == 404
    refused = order(client, [{"product_id": product["id"]}])
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (404, "PRODUCT_NOT_FOUND")
    completed = client.post(f"/dev/v1/orders/{placed['id']}/complete", headers=AUTH).get_json()["data"]
    assert (completed["status"], completed["items"]) == ("COMPLETED", placed["items"])


def test_a_created_coupon_discounts_orders_and_a_deleted_one_is_refused(client):
    coupon = created(client, "/coupons", {**NEW_COUPON, "products_bound": [BONUS["uniqid"]]})
    placed = order(client, [{"product_id": BONUS["id"]}], coupon="TAKE15").get_json()["data"]
    assert Decimal(str(placed["discount"])) == (Decimal(str(BONUS["price"])) * 15 / 100).quantize(Decimal("0.01"))
    assert client.get(f"/dev/v1/coupons/{coupon['id']}", headers=AUTH).get_json()["data"]["used"] == 1
    assert client.delete(f"/dev/v1/coupons/{coupon['id']}", headers=AUTH).status_code == 204
    refused = order(client, [{"product_id": BONUS["id"]}], coupon="TAKE15")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (404, "COUPON_NOT_FOUND")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"is_active": False}, "not active"),
        ({"valid_until": "2020-01-01T00:00:00Z"}, "expired"),
        ({"valid_from": "2999-01-01T00:00:00Z"}, "not valid yet"),
        ({"min_order_amount": 1000}, "at least"),
        ({"products_bound": [PRO["id"]]}, "does not apply"),
        ({"max_uses": 1, "used_count": 1}, "no uses left"),
    ],
)
def test_each_documented_coupon_limit_is_enforced_by_orders(client, runtime, change, message):
    coupon = created(client, "/coupons", NEW_COUPON)
    assert client.patch(f"/dev/v1/coupons/{coupon['id']}", json=change, headers=AUTH).status_code == 200
    before = runtime.store.export("shx_test_key")
    refused = order(client, [{"product_id": BONUS["id"]}], coupon=coupon["code"])
    assert refused.status_code == 422 and message in refused.get_json()["error"]["message"]
    assert refused.get_json()["error"]["details"][0]["field"] == "coupon_code"
    assert runtime.store.export("shx_test_key") == before


def test_max_discount_caps_a_percentage(client):
    created(client, "/coupons", {"code": "HALF", "discount_value": 50, "max_discount": 1})
    placed = order(client, [{"product_id": PRO["id"]}], coupon="half").get_json()["data"]
    assert placed["discount"] == 1


def test_orders_attach_the_customer_with_the_buyers_email(client):
    assert order(client, [{"product_id": BONUS["id"]}], email=CUSTOMER["email"]).get_json()["data"]["customer_id"] == CUSTOMER["id"]
    customer = created(client, "/customers", {"email": "new.customer@example.com", "name": "New"})
    placed = order(client, [{"product_id": BONUS["id"]}], email=customer["email"]).get_json()["data"]
    assert placed["customer_id"] == customer["id"]
    assert client.delete(f"/dev/v1/customers/{customer['id']}", headers=AUTH).status_code == 204
    assert order(client, [{"product_id": BONUS["id"]}], email=customer["email"]).get_json()["data"]["customer_id"] is None


# -- customers ---------------------------------------------------------------------------


def test_customer_create_get_update_upsert_delete(client):
    body = {"email": "berlin@example.com", "name": "Berlin Buyer", "country_code": "de", "city": "Berlin"}
    response = post(client, "/customers", body)
    customer = response.get_json()["data"]
    assert response.status_code == 200 and (customer["country_code"], customer["surname"], customer["customer_balance"]) == ("DE", None, 0)
    assert client.get(f"/dev/v1/customers/{customer['id']}", headers=AUTH).get_json()["data"] == customer
    duplicate = post(client, "/customers", {"email": body["email"]})
    assert (duplicate.status_code, duplicate.get_json()["error"]["details"][0]["field"]) == (422, "email")
    upserted = created(client, "/customers", {"email": body["email"], "city": "Hamburg", "upsert": True})
    assert (upserted["id"], upserted["city"], upserted["name"]) == (customer["id"], "Hamburg", "Berlin Buyer")
    patched = client.patch(f"/dev/v1/customers/{customer['id']}", json={"customerBalance": 12, "surname": "B"}, headers=AUTH)
    assert (patched.get_json()["data"]["customer_balance"], patched.get_json()["data"]["surname"]) == (12, "B")
    assert client.delete(f"/dev/v1/customers/{customer['id']}", headers=AUTH).status_code == 204
    gone = client.get(f"/dev/v1/customers/{customer['id']}", headers=AUTH)
    assert (gone.status_code, gone.get_json()["error"]["code"]) == (404, "CUSTOMER_NOT_FOUND")


@pytest.mark.parametrize(
    "method, path, body, status, field",
    [
        ("post", "/customers", {"name": "No email"}, 422, "email"),
        ("post", "/customers", {"email": "not-an-email"}, 422, "email"),
        ("post", "/customers", {"email": "a@example.com", "country_code": "DEU"}, 422, "country_code"),
        ("patch", f"/customers/{CUSTOMER['id']}", {"email": "pro.buyer@example.com"}, 422, "email"),
        ("patch", "/customers/cus_missing", {"name": "x"}, 404, "id"),
        ("post", "/products", {"title": "No price", "type": "SERIALS"}, 422, "price"),
        ("post", "/products", {**NEW_PRODUCT, "price": "19.99"}, 422, "price"),
        ("post", "/products", {**NEW_PRODUCT, "type": "serials"}, 422, "type"),
        ("patch", "/products/prod_missing", {"price": 1}, 404, "id"),
        ("post", "/coupons", {"code": "X"}, 422, "discount_value"),
        ("post", "/coupons", {**NEW_COUPON, "code": SPRING["code"].lower()}, 422, "code"),
        ("post", "/coupons", {**NEW_COUPON, "discount_value": 101}, 422, "discount_value"),
        ("post", "/coupons", {**NEW_COUPON, "products_bound": ["prod_missing"]}, 404, "products_bound.0"),
        ("post", "/coupons", {**NEW_COUPON, "valid_until": "tomorrow"}, 422, "valid_until"),
        ("patch", f"/coupons/{SPRING['id']}", {"code": "FIVEOFF"}, 422, "code"),
        ("patch", "/coupons/cpn_missing", {"is_active": False}, 404, "id"),
    ],
)
def test_client_mistakes_get_the_documented_error_and_change_nothing(client, runtime, method, path, body, status, field):
    before = runtime.store.export("shx_test_key")
    response = getattr(client, method)(f"/dev/v1{path}", json=body, headers=AUTH)
    error = response.get_json()["error"]
    assert (response.status_code, error["details"][0]["field"]) == (status, field), error
    assert error["doc_url"] == f"https://docs.shoppex.io/api/errors#{error['code']}"
    assert runtime.store.export("shx_test_key") == before


@pytest.mark.parametrize("path", ["/products/prod_missing", "/coupons/cpn_missing", "/customers/cus_missing"])
def test_deleting_what_is_not_there_is_a_404_with_the_resources_code(client, path):
    response = client.delete(f"/dev/v1{path}", headers=AUTH)
    code = {"products": "PRODUCT_NOT_FOUND", "coupons": "COUPON_NOT_FOUND", "customers": "CUSTOMER_NOT_FOUND"}[path.split("/")[1]]
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, code)


# -- lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/products", "/products/search", "/coupons", "/customers"])
@pytest.mark.parametrize("parameter", ["filters", "sorts"])
def test_filters_and_sorts_are_refused_naming_the_parameter_not_ignored(client, path, parameter):
    response = client.get(f"/dev/v1{path}?{parameter}=created_at", headers=AUTH)
    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == [parameter]


@pytest.mark.parametrize("path", ["/products", "/coupons", "/customers"])
def test_catalogue_lists_page_with_limit_and_cursor(client, path):
    seen, cursor = [], None
    while True:
        query = f"?limit=1&cursor={cursor}" if cursor else "?limit=1"
        body = client.get(f"/dev/v1{path}{query}", headers=AUTH).get_json()
        seen += [doc["id"] for doc in body["data"]]
        cursor = body["pagination"]["next_cursor"]
        if not body["pagination"]["has_more"]:
            break
    everything = client.get(f"/dev/v1{path}?limit=100", headers=AUTH).get_json()["data"]
    assert seen == [doc["id"] for doc in everything] and len(seen) == len(set(seen)) > 1
    assert client.get(f"/dev/v1{path}?limit=0", headers=AUTH).status_code == 422


def test_search_finds_by_title_slug_or_id_and_stats_count_the_shop(client):
    search = lambda q: [p["id"] for p in client.get(f"/dev/v1/products/search?q={q}", headers=AUTH).get_json()["data"]]  # noqa: E731
    assert search("PRO pack") == [PRO["id"]] and search(PRO["uniqid"]) == [PRO["id"]] and search("bonus-pack") == [BONUS["id"]]
    assert search("nothing-like-this") == []
    created(client, "/products", {**NEW_PRODUCT, "stock": 0, "unlisted": True})
    created(client, "/products", {**NEW_PRODUCT, "stock": 2})
    stats = client.get("/dev/v1/products/search?q=nothing-like-this", headers=AUTH).get_json()["stats"]
    total = len(list((FIXTURES / "products").glob("*.json"))) + 2
    assert stats == {"total": total, "published": total - 1, "low_stock": 0, "out_of_stock": 1}


def test_include_variants_false_leaves_variants_out(client):
    assert client.get(f"/dev/v1/products/{PRO['id']}?include_variants=false", headers=AUTH).get_json()["data"]["variants"] == []
    assert client.get(f"/dev/v1/products/{PRO['id']}", headers=AUTH).get_json()["data"] == PRO


def test_product_create_takes_the_documented_camel_case_spellings_and_derives_display_fields(client):
    body = {"title": "Camel Pack", "price": 4.5, "type": "SERVICE", "dynamicWebhook": "https://example.com/hook"}
    body |= {"cryptoConfirmationsNeeded": 3, "blockVpnProxies": True, "sortPriority": 7, "cost": 1.25}
    product = created(client, "/products", body)
    assert (product["dynamic_webhook"], product["crypto_confirmations"], product["block_vpn_proxies"]) == (
        "https://example.com/hook",
        3,
        True,
    )
    assert (product["sort_priority"], product["slug"], product["price_display"], product["cost_display"]) == (7, "camel-pack", 4.5, 1.25)
