"""The journal keeps a bounded amount per request, marks what it cut, and renders whatever the API got."""

import gc
import tracemalloc

import pytest

from mockserver.admin.journal import MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADER_VALUE, MAX_URL_PART

A = {"Authorization": "Bearer shx_bounds"}
ORDERS = "/dev/v1/orders"
HUGE = 400 * 1024


def entries(client) -> list[dict]:
    response = client.get("/__admin/requests")
    assert response.status_code == 200, response.get_data()[:200]
    return response.get_json()["requests"]


def test_a_huge_header_value_is_cut_and_marked(client):
    client.get(ORDERS, headers={**A, "X-Huge": "h" * HUGE})
    entry = entries(client)[0]
    value = entry["headers"]["X-Huge"]
    assert value == "h" * MAX_HEADER_VALUE + f"…[truncated {HUGE - MAX_HEADER_VALUE} bytes]"
    assert entry["truncated"] is True


def test_headers_past_the_entry_budget_are_dropped_and_counted(client):
    many = {f"X-Filler-{n}": "f" * (MAX_HEADER_VALUE - 20) for n in range(40)}
    client.get(ORDERS, headers={**A, **many})
    entry = entries(client)[0]
    kept = sum(len(name) + len(value) for name, value in entry["headers"].items())
    assert kept <= MAX_HEADER_BYTES + 100
    assert entry["headers"]["X-Mockserver-Dropped-Headers"].endswith("more headers not kept")
    assert entry["truncated"] is True


def test_a_long_query_string_is_cut_and_marked(client):
    client.get(f"{ORDERS}?email={'q' * (2 * MAX_URL_PART)}", headers=A)
    entry = entries(client)[0]
    assert entry["truncated"] is True and "…[truncated " in entry["query"]["email"][0]


def test_a_huge_body_is_kept_cut_and_marked(client):
    body = b'{"note": "' + b"b" * (900 * 1024) + b'"}'
    client.post(f"{ORDERS}/inv_complete_1/complete", data=body, headers=A, content_type="application/json")
    entry = entries(client)[0]
    cut = len(body) - MAX_BODY_BYTES
    assert entry["body"].endswith(f"…[truncated {cut} bytes]") and len(entry["body"]) < MAX_BODY_BYTES + 100
    assert entry["truncated"] is True


def test_a_short_request_is_kept_whole(client):
    client.post(f"{ORDERS}/inv_complete_1/complete", json={"note": "paid"}, headers=A)
    entry = entries(client)[0]
    assert entry["body"] == {"note": "paid"} and entry["response"]["data"]["status"] == "COMPLETED"
    assert entry["truncated"] is False


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_too_deep_renders_as_text(client, depth):
    body = b"[" * depth + b"]" * depth
    refused = client.post(ORDERS, data=body, headers=A, content_type="application/json")
    assert refused.status_code == 400
    client.get(ORDERS, headers=A)
    first, second = entries(client)
    assert isinstance(first["body"], str) and first["body"].startswith("[[[[")
    assert second["path"] == ORDERS
    assert client.post("/__admin/requests/count", json={}).get_json() == {"count": 2}


def test_shallow_json_still_renders_as_json(client):
    nested = [[[[{"a": [1]}]]]]
    client.post(ORDERS, json={"items": nested}, headers=A)
    assert entries(client)[0]["body"] == {"items": nested}


def test_invalid_utf8_and_binary_bodies_render(client):
    client.post(ORDERS, data=b'{"email": "\xff\xfe\xc3"}', headers=A, content_type="application/json")
    client.post(ORDERS, data=bytes(range(256)) * 8, headers=A, content_type="application/octet-stream")
    first, second = entries(client)
    assert first["status"] == 400 and "\ufffd" in first["body"]["email"]
    assert isinstance(second["body"], str)


def test_memory_kept_for_requests_with_huge_headers_is_bounded(client):
    count, huge = 200, "h" * HUGE
    client.get(ORDERS, headers={**A, "X-Huge": huge})  # warm up the app's own caches
    tracemalloc.start()
    try:
        # Requests leave reference cycles behind (their environ with the header among them) until a collection.
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(count):
            # A new 400 KB string per request, as a server reads each request's headers anew.
            client.get(ORDERS, headers={**A, "X-Huge": f"{n:08d}{huge[8:]}"})
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # What an entry may keep is capped (headers, path, query, bodies); without the caps each kept the 400 KB header.
    per_entry = MAX_HEADER_BYTES + 2 * MAX_URL_PART + 2 * MAX_BODY_BYTES
    assert grown < count * per_entry
    assert grown < count * HUGE / 10
