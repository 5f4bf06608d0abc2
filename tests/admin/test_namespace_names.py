"""Admin calls name a namespace by key or label; one nobody has used is a 404 unless the call creates it."""

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.labels import namespace_label

A = {"Authorization": "Bearer shx_a_long_enough_key"}
KEY = "shx_a_long_enough_key"
ORDER = "/dev/v1/orders/ord_123"
RECORDS = {"records": {}}

# Every admin call that takes a namespace and does not exist to create one.
NAMING_CALLS = [
    ("POST", "/__admin/reset?namespace={}", None),
    ("GET", "/__admin/snapshot?namespace={}", None),
    ("GET", "/__admin/requests?namespace={}", None),
    ("DELETE", "/__admin/requests?namespace={}", None),
    ("POST", "/__admin/requests/count?namespace={}", {}),
    ("POST", "/__admin/requests/count", {"namespace": "{}"}),
    ("POST", "/__admin/faults?namespace={}", {"status": 503}),
    ("POST", "/__admin/faults", {"status": 503, "namespace": "{}"}),
    ("GET", "/__admin/faults?namespace={}", None),
    ("DELETE", "/__admin/faults?namespace={}", None),
]


def call(client, method, path, body, name):
    body = None if body is None else {k: (name if v == "{}" else v) for k, v in body.items()}
    return client.open(path.format(name), method=method, json=body)


def state(client):
    return client.get("/__admin/namespaces").get_json(), client.get("/__admin/faults").get_json()


@pytest.mark.parametrize("method, path, body", NAMING_CALLS)
@pytest.mark.parametrize("name", ["typo", namespace_label("never_seen_key_123")])
def test_a_namespace_nobody_used_is_a_404_and_creates_nothing(client, method, path, body, name):
    client.get(ORDER, headers=A)
    before = state(client)
    response = call(client, method, path, body, name)
    assert response.status_code == 404, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "NOT_FOUND" and error["details"][0]["field"] == "namespace"
    assert "namespace:" in error["message"] and "never been used" in error["message"]
    assert state(client) == before


@pytest.mark.parametrize("method, path, body", NAMING_CALLS)
@pytest.mark.parametrize("name", [KEY, namespace_label(KEY)])
def test_a_namespace_in_use_is_named_by_key_or_label(client, method, path, body, name):
    client.get(ORDER, headers=A)
    response = call(client, method, path, body, name)
    assert response.status_code in (200, 201), response.get_json()


def test_a_typo_in_a_secret_key_is_shown_by_label_in_the_404(client):
    message = client.post("/__admin/reset?namespace=shx_live_secret_key_typo").get_json()["error"]["message"]
    assert "shx_live_secret_key_typo" not in message and namespace_label("shx_live_secret_key_typo") in message


@pytest.mark.parametrize(
    "method, path",
    [("POST", "/__admin/fixtures?namespace={}"), ("PUT", "/__admin/snapshot?namespace={}")],
)
def test_loading_records_creates_a_namespace_and_answers_its_label(client, method, path):
    response = client.open(path.format("shx_brand_new_key"), method=method, json=RECORDS)
    assert response.status_code == 200 and response.get_json()["namespace"] == namespace_label("shx_brand_new_key")
    assert namespace_label("shx_brand_new_key") in client.get("/__admin/namespaces").get_json()["namespaces"]
    assert client.get("/__admin/snapshot?namespace=shx_brand_new_key").status_code == 200


def test_a_label_nobody_uses_never_creates_a_namespace(client):
    label = namespace_label("shx_nobody_has_this_key")
    assert client.post(f"/__admin/fixtures?namespace={label}", json=RECORDS).status_code == 404
    assert client.get("/__admin/namespaces").get_json() == {"namespaces": []}


def test_a_label_names_the_same_namespace_as_its_key(client):
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=A)
    label = namespace_label(KEY)
    assert client.post(f"/__admin/reset?namespace={label}").get_json() == {"reset": [label]}
    assert client.get("/dev/v1/orders/inv_complete_1", headers=A).get_json()["data"]["status"] == "PENDING"
    rule = client.post(f"/__admin/faults?namespace={label}", json={"path": ORDER, "status": 503}).get_json()["fault"]
    assert rule["namespace"] == label and client.get(ORDER, headers=A).status_code == 503
    assert client.post(f"/__admin/faults?namespace={KEY}", json={"status": 500, "namespace": label}).status_code == 201


def test_the_journal_answers_for_a_key_it_saw_even_if_it_was_refused(storage):
    client = create_app(Settings(db=storage, api_keys=("shx_accepted",))).test_client()
    # A key the server refuses never gets a namespace, but the journal keeps its requests (by label).
    assert client.get(ORDER, headers={"Authorization": "Bearer shx_refused_key"}).status_code == 401
    assert client.get("/__admin/namespaces").get_json() == {"namespaces": []}
    for name in ("shx_refused_key", namespace_label("shx_refused_key")):
        entries = client.get(f"/__admin/requests?namespace={name}").get_json()["requests"]
        assert [(e["namespace"], e["status"]) for e in entries] == [(namespace_label("shx_refused_key"), 401)]
