"""?namespace=TOKEN limits every admin call that takes it; a body naming another namespace is a 400."""

import pytest

from mockserver.labels import namespace_label

A = {"Authorization": "Bearer shx_a"}
B = {"Authorization": "Bearer shx_b"}
ORDER = "/dev/v1/orders/ord_123"


def paths(client, query=""):
    return [(e["namespace"], e["path"]) for e in client.get(f"/__admin/requests{query}").get_json()["requests"]]


def test_a_fault_added_with_namespace_in_the_query_fails_only_that_namespace(client):
    client.get(ORDER, headers=A)
    created = client.post("/__admin/faults?namespace=shx_a", json={"path": ORDER, "status": 503})
    assert created.status_code == 201 and created.get_json()["fault"]["namespace"] == namespace_label("shx_a")
    assert client.get(ORDER, headers=B).status_code == 200
    assert client.get(ORDER, headers=A).status_code == 503


def test_listing_faults_of_a_namespace_shows_only_its_rules(client):
    for key in (A, B, {"Authorization": "Bearer shx_c"}):
        client.get(ORDER, headers=key)
    client.post("/__admin/faults", json={"path": ORDER, "status": 503, "namespace": "shx_a"})
    client.post("/__admin/faults?namespace=shx_b", json={"path": ORDER, "status": 502})
    client.post("/__admin/faults", json={"path": "/nowhere", "status": 500})
    assert [r["status"] for r in client.get("/__admin/faults?namespace=shx_b").get_json()["faults"]] == [502]
    assert [r["status"] for r in client.get("/__admin/faults?namespace=shx_a").get_json()["faults"]] == [503]
    assert len(client.get("/__admin/faults").get_json()["faults"]) == 3
    assert client.get("/__admin/faults?namespace=shx_c").get_json()["faults"] == []


def test_the_journal_is_read_counted_and_cleared_per_namespace(client):
    client.get(ORDER, headers=A)
    client.get(ORDER, headers=B)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=B)
    assert paths(client, "?namespace=shx_a") == [(namespace_label("shx_a"), ORDER)]
    assert len(paths(client, "?namespace=")) == 3  # empty means every namespace
    assert client.post("/__admin/requests/count?namespace=shx_b", json={}).get_json() == {"count": 2}
    assert client.post("/__admin/requests/count?namespace=shx_b", json={"method": "POST"}).get_json() == {"count": 1}
    assert client.post("/__admin/requests/count?namespace=shx_b", json={"namespace": "shx_b"}).get_json() == {"count": 2}
    assert client.delete("/__admin/requests?namespace=shx_a").get_json() == {"cleared": 1}
    assert [ns for ns, _ in paths(client)] == [namespace_label("shx_b")] * 2
    assert client.delete("/__admin/requests").get_json() == {"cleared": 2}


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/__admin/faults?namespace=shx_a", {"status": 503, "namespace": "shx_b"}),
        ("POST", "/__admin/requests/count?namespace=shx_a", {"namespace": "shx_b"}),
    ],
)
def test_a_body_and_a_query_naming_different_namespaces_is_a_400(client, method, path, body):
    response = client.open(path, method=method, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "BAD_REQUEST" and error["details"] == [
        {"field": "namespace", "message": "The query and the body name different namespaces."}
    ]
    assert client.get("/__admin/faults").get_json()["faults"] == []


def test_the_journal_since_filter(client, runtime):
    runtime.clock.freeze(1_700_000_000)
    client.get(ORDER, headers=A)
    runtime.clock.advance(10)
    client.get("/dev/v1/orders/inv_complete_1", headers=A)
    assert [p for _, p in paths(client, "?since=1700000005")] == ["/dev/v1/orders/inv_complete_1"]
    assert len(paths(client, "?since=1700000000")) == 2
    assert client.post("/__admin/requests/count", json={"since": 1_700_000_010.5}).get_json() == {"count": 0}
    assert client.get("/__admin/requests?since=soon").status_code == 422
