"""PATCH /invoices/{uniqid} (the buyer's checkout details of a pending invoice) and GET /me/capabilities."""

import json
from pathlib import Path

import pytest

AUTH = {"Authorization": "Bearer shx_test_key"}
DOCS = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())
EDIT = DOCS["update_invoice"]
PENDING = "/dev/v1/invoices/22222222-2222-4222-8222-222222222222"  # seed 003, PENDING


def test_the_docs_update_example_changes_the_checkout_details(client):
    response = client.patch(PENDING, json=EDIT["request"], headers=AUTH)
    assert response.status_code == 200, response.get_json()
    invoice = response.get_json()["data"]
    assert {stored: invoice[stored] for stored in EDIT["fields"].values()} == {
        stored: EDIT["request"][sent] for sent, stored in EDIT["fields"].items()
    }
    assert client.get(PENDING, headers=AUTH).get_json()["data"] == invoice


def test_a_completed_invoice_keeps_its_details(client):
    client.post(f"{PENDING}/complete", headers=AUTH)
    before = client.get(PENDING, headers=AUTH).get_json()["data"]
    refused = client.patch(PENDING, json={"name": "Late"}, headers=AUTH)
    assert refused.status_code in (400, 422)
    assert refused.get_json()["error"]["details"][0]["field"] == "status"
    assert client.get(PENDING, headers=AUTH).get_json()["data"] == before


@pytest.mark.parametrize(
    "body, field",
    [({}, "body"), ({"gateway": "BANANA"}, "gateway"), ({"addressCountry": "Germany"}, "addressCountry"), ({"name": 5}, "name")],
)
def test_bad_bodies_are_refused_naming_the_field(client, body, field):
    before = client.get(PENDING, headers=AUTH).get_json()["data"]
    refused = client.patch(PENDING, json=body, headers=AUTH)
    assert refused.status_code == 422
    assert field in [d["field"] for d in refused.get_json()["error"]["details"]]
    assert client.get(PENDING, headers=AUTH).get_json()["data"] == before


def test_an_unknown_invoice_is_404(client):
    response = client.patch("/dev/v1/invoices/no-such-uniqid", json={"name": "A"}, headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "INVOICE_NOT_FOUND")


def test_capabilities_name_the_shop_and_the_scopes(client):
    shop = client.get("/dev/v1/me", headers=AUTH).get_json()["data"]
    capabilities = client.get("/dev/v1/me/capabilities", headers=AUTH).get_json()["data"]
    assert capabilities == {"shop_id": shop["id"], "auth_type": "api_key", "scopes": ["*"]}
    assert client.get("/dev/v1/me/capabilities").status_code == 401
