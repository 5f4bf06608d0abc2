"""The journal keeps no secret: credential headers, secret body and query fields, namespace keys."""

import pytest

from mockserver.labels import namespace_label

KEY = "shx_journal_secret_key_0001"
A = {"Authorization": f"Bearer {KEY}"}
ORDER = "/dev/v1/orders/ord_123"
SECRET = "very-secret-value-0123456789"


def journal_text(client) -> str:
    response = client.get("/__admin/requests")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header, value",
    [
        ("Authorization", f"Bearer {SECRET}"),
        ("Proxy-Authorization", f"Basic {SECRET}"),
        ("Set-Cookie", f"session={SECRET}"),
        ("Access-Token", SECRET),
        ("X-Api-Key", SECRET),
        ("X-Mockserver-Admin-Token", SECRET),
        ("X-Shoplazza-Hmac-Sha256", SECRET),
        ("X-Custom-Auth-Token", SECRET),
    ],
)
def test_every_credential_header_is_masked(client, header, value):
    # Through the environ: the test client would replace a Cookie header with its own cookie jar.
    client.get(ORDER, headers=A, environ_overrides={"HTTP_" + header.upper().replace("-", "_"): value})
    text = journal_text(client)
    assert SECRET not in text and KEY not in text
    headers = client.get("/__admin/requests").get_json()["requests"][0]["headers"]
    assert header.lower() in {name.lower() for name in headers}


def test_cookies_are_masked(client):
    # The test client sends its own cookie jar as the Cookie header.
    client.set_cookie("session", SECRET)
    client.get(ORDER, headers=A)
    assert SECRET not in journal_text(client)
    assert "Cookie" in client.get("/__admin/requests").get_json()["requests"][0]["headers"]


def test_the_webhook_secret_of_a_payment_is_not_kept(client):
    body = {"title": "T", "email": "p@example.com", "value": 3, "currency": "USD", "webhook": "http://127.0.0.1:9/hook"}
    created = client.post("/dev/v1/payments", json=body, headers=A).get_json()["data"]
    assert created["webhook_secret"]  # the client gets it once
    assert created["webhook_secret"] not in journal_text(client)
    entry = client.get("/__admin/requests").get_json()["requests"][0]
    assert entry["response"]["data"]["webhook_secret"] == "***"


def test_secret_fields_of_request_bodies_and_queries_are_masked(client):
    fields = ["secret", "webhook_secret", "client_secret", "access_token", "password", "api_key"]
    body = {"note": "kept", "nested": [{name: f"{SECRET}-{name}" for name in fields}], "count": 1}
    client.post(f"/dev/v1/orders?access_token={SECRET}-q&page=2", json=body, headers=A)
    client.post(ORDER, data=f"password={SECRET}-form&user=me", headers=A, content_type="application/x-www-form-urlencoded")
    text = journal_text(client)
    assert SECRET not in text
    first, second = client.get("/__admin/requests").get_json()["requests"]
    assert first["body"]["nested"][0] == dict.fromkeys(fields, "***") and first["body"]["note"] == "kept"
    assert first["query"] == {"access_token": ["***"], "page": ["2"]}
    assert second["body"] == "password=***&user=me"


def test_fields_that_only_resemble_secret_names_are_kept(client):
    # "token" alone, or a name that merely contains "secret" or "password", holds no secret by these rules.
    body = {"token": "dynamic_123", "secret_santa": "Ada", "password_hint": "pet", "API_KEY": SECRET, "PassWord": SECRET}
    client.post("/dev/v1/orders", json=body, headers=A)
    kept = client.get("/__admin/requests").get_json()["requests"][0]["body"]
    assert kept == {"token": "dynamic_123", "secret_santa": "Ada", "password_hint": "pet", "API_KEY": "***", "PassWord": "***"}


def test_namespaces_are_shown_by_label_and_filtered_by_key_or_label(client):
    client.get(ORDER, headers=A)
    client.get(ORDER, headers={"access-token": "shx_other_token_0002"})
    label = namespace_label(KEY)
    assert [e["namespace"] for e in client.get("/__admin/requests").get_json()["requests"]] == [
        label,
        namespace_label("shx_other_token_0002"),
    ]
    for name in (KEY, label):
        assert [e["namespace"] for e in client.get(f"/__admin/requests?namespace={name}").get_json()["requests"]] == [label]
        assert client.post("/__admin/requests/count", json={"namespace": name}).get_json() == {"count": 1}
    text = journal_text(client) + client.get("/__admin/namespaces").get_data(as_text=True)
    assert KEY not in text and "shx_other_token_0002" not in text
    assert client.delete(f"/__admin/requests?namespace={label}").get_json() == {"cleared": 1}
