"""Namespaces cost next to nothing until they write, seeding and reset cost a small constant each, and they are capped."""

from __future__ import annotations

import gc
import json
import tracemalloc

import pytest

from mockserver import create_app
from mockserver.app import KINDS
from mockserver.config import Settings, bundled_fixtures_dir
from mockserver.fixtures import load_fixtures
from mockserver.labels import namespace_label

READERS = 1_000
MAX_BYTES_PER_READER = 8 * 1024
RESET_NAMESPACES = 5_000
# What resetting a namespace may cost at its peak (its seed operation and its name in the answer).
MAX_RESET_BYTES_PER_NAMESPACE = 2 * 1024
INVOICE_UNIQID = "22222222-2222-4222-8222-222222222222"


def fixture_invoice(uniqid: str) -> dict:
    return next(doc for doc in load_fixtures(bundled_fixtures_dir(), KINDS).records["shoppex.invoices"] if doc["uniqid"] == uniqid)


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_a_namespace_that_only_reads_costs_under_8_kb():
    client = create_app(Settings(webhooks=False)).test_client()
    expected = {"data": fixture_invoice(INVOICE_UNIQID)}
    client.get(f"/dev/v1/invoices/{INVOICE_UNIQID}", headers=bearer("shx_warm_up"))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(READERS):
            response = client.get(f"/dev/v1/invoices/{INVOICE_UNIQID}", headers=bearer(f"shx_reader_{number:05}"))
            # Each new namespace reads the seeded record exactly as its fixture file holds it.
            assert (response.status_code, response.get_json()) == (200, expected)
        gc.collect()
        per_reader = (tracemalloc.get_traced_memory()[0] - before) / READERS
    finally:
        tracemalloc.stop()
    assert per_reader < MAX_BYTES_PER_READER, f"{per_reader:.0f} bytes per namespace"


def test_seeding_writes_the_same_small_line_however_many_namespaces_exist(tmp_path):
    app = create_app(Settings(db=tmp_path / "state.json", webhooks=False))
    store, log = app.extensions["mockserver"].store, tmp_path / "state.json.log"
    sizes = []
    for number in range(3_000):
        size = log.stat().st_size
        store.ensure_namespace(f"shx_{number:05}")
        sizes.append(log.stat().st_size - size)
    # Only the seeding time is written: no fixture document is copied, whatever came before.
    assert set(sizes) == {sizes[0]} and sizes[0] < 100, sorted(set(sizes))
    assert json.loads(log.read_bytes().splitlines()[-1]) == [["seed", "shx_02999", store.seeded_at("shx_02999")]]


def test_a_namespace_that_never_wrote_comes_back_after_a_restart_as_the_fixtures(tmp_path):
    db = tmp_path / "state.json"
    first = create_app(Settings(db=db, webhooks=False))
    first.test_client().get(f"/dev/v1/invoices/{INVOICE_UNIQID}", headers=bearer("shx_reader"))
    seeded_at = first.extensions["mockserver"].store.seeded_at("shx_reader")
    second = create_app(Settings(db=db, webhooks=False))
    response = second.test_client().get(f"/dev/v1/invoices/{INVOICE_UNIQID}", headers=bearer("shx_reader"))
    assert response.get_json() == {"data": fixture_invoice(INVOICE_UNIQID)}
    assert second.extensions["mockserver"].store.seeded_at("shx_reader") == seeded_at


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "db"])
def test_reset_costs_one_small_seed_per_namespace_however_much_it_holds(tmp_path, on_disk):
    db = tmp_path / "state.json"
    app = create_app(Settings(db=db if on_disk else None, webhooks=False))
    client, store = app.test_client(), app.extensions["mockserver"].store
    for number in range(RESET_NAMESPACES):
        store.ensure_namespace(f"shx_{number:05}")
    # Some namespaces wrote; reset puts them back too.
    for number in range(0, RESET_NAMESPACES, 500):
        assert client.post("/dev/v1/orders/inv_complete_1/complete", headers=bearer(f"shx_{number:05}")).status_code == 200
    log = db.with_name(db.name + ".log")
    logged = log.stat().st_size if on_disk else 0
    gc.collect()
    tracemalloc.start()
    try:
        response = client.post("/__admin/reset")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200 and len(response.get_json()["reset"]) == RESET_NAMESPACES
    # No fixture document is copied: the reset's memory and its log lines stay small per namespace.
    assert peak / RESET_NAMESPACES < MAX_RESET_BYTES_PER_NAMESPACE, f"{peak / RESET_NAMESPACES:.0f} bytes per namespace"
    if on_disk:
        # One seed operation per namespace is logged (its name and time), never its documents.
        assert (log.stat().st_size - logged) / RESET_NAMESPACES < 64
    assert client.get("/dev/v1/orders/inv_complete_1", headers=bearer("shx_00500")).get_json()["data"]["status"] == "PENDING"


def test_a_new_key_past_the_cap_is_refused_in_each_apis_envelope():
    client = create_app(Settings(max_namespaces=3, webhooks=False)).test_client()
    for key in ("shx_a", "shx_b", "shx_c"):
        assert client.get("/dev/v1/orders/ord_123", headers=bearer(key)).status_code == 200

    shoppex = client.get("/dev/v1/orders/ord_123", headers=bearer("shx_d"))
    assert shoppex.status_code == 507
    error = shoppex.get_json()["error"]
    assert list(error) == ["code", "message", "doc_url", "details"] and "MOCKSERVER_MAX_NAMESPACES" in error["message"]
    assert "shx_d" not in error["message"]  # keys are never shown whole
    shoplazza = client.get("/openapi/2025-06/orders", headers={"access-token": "slz_e"})
    assert shoplazza.status_code == 507 and "MOCKSERVER_MAX_NAMESPACES" in shoplazza.get_json()["message"]
    admin = client.post("/__admin/fixtures?namespace=shx_f", json={"records": {}})
    assert admin.status_code == 507 and "MOCKSERVER_MAX_NAMESPACES" in admin.get_json()["error"]["message"]

    # Nothing was created by the refusals; the keys already there keep working, and reset keeps them.
    labels = [namespace_label(key) for key in ("shx_a", "shx_b", "shx_c")]
    assert client.get("/__admin/namespaces").get_json() == {"namespaces": labels}
    assert client.post("/dev/v1/orders/inv_complete_1/complete", headers=bearer("shx_a")).status_code == 200
    assert client.post("/__admin/reset").get_json() == {"reset": labels}


def test_the_cap_is_a_setting_with_its_variable():
    assert Settings().max_namespaces == 10_000
    assert Settings.from_env({"MOCKSERVER_MAX_NAMESPACES": "25"}).max_namespaces == 25
