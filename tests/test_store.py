"""The store: persistence with --db, refusal of foreign files, namespaces and reset."""

import json

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.fixtures import Fixtures
from mockserver.shoppex.kinds import STORE_KEYS
from mockserver.shoppex.models import INVOICES
from mockserver.storage import DatabaseFileError
from mockserver.store import Store

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

AUTH = {"Authorization": "Bearer shx_test_key"}
COMPLETE = "/dev/v1/orders/inv_complete_1/complete"


def test_acknowledged_writes_survive_a_restart(tmp_path):
    db = tmp_path / "state.json"
    first = create_app(Settings(db=db))
    assert first.test_client().post(COMPLETE, headers=AUTH).status_code == 200
    # No close(): an acknowledged write must already be on disk.
    second = create_app(Settings(db=db))
    order = second.test_client().get("/dev/v1/orders/inv_complete_1", headers=AUTH).get_json()["data"]
    assert order["status"] == "COMPLETED"


def test_writes_leave_no_temporary_files(tmp_path):
    db = tmp_path / "state.json"
    client = create_app(Settings(db=db)).test_client()
    client.post(COMPLETE, headers=AUTH)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.log"]
    json.loads(db.read_text())


@pytest.mark.parametrize("content", [b"not json at all", b'{"some": "other app"}', b"[1, 2, 3]", b"\xff\xfe"])
def test_foreign_database_file_is_refused_and_left_untouched(tmp_path, content):
    db = tmp_path / "foreign.json"
    db.write_bytes(content)
    with pytest.raises(DatabaseFileError) as info:
        create_app(Settings(db=db))
    assert str(db) in str(info.value)
    assert "\n" not in str(info.value)
    assert db.read_bytes() == content


def test_an_empty_file_is_a_new_database(tmp_path):
    db = tmp_path / "empty.json"
    db.touch()
    client = create_app(Settings(db=db)).test_client()
    assert client.get("/dev/v1/orders/ord_123", headers=AUTH).status_code == 200


def make_store(tmp_path=None):
    fixtures = Fixtures({INVOICES: ({"id": "inv_1", "uniqid": "u-1", "status": "PENDING", "items": [{"quantity": 1}]},)})
    return Store(fixtures, STORE_KEYS, tmp_path / "db.json" if tmp_path else None)


@pytest.mark.parametrize("on_disk", [False, True])
def test_namespaces_are_seeded_separately_and_reset_alone(tmp_path, on_disk):
    store = make_store(tmp_path if on_disk else None)
    store.modify("a", INVOICES, "inv_1", lambda d: {**d, "status": "COMPLETED"})
    store.modify("b", INVOICES, "u-1", lambda d: {**d, "status": "VOIDED"})
    assert store.get("a", INVOICES, "u-1")["status"] == "COMPLETED"
    assert store.get("b", INVOICES, "inv_1")["status"] == "VOIDED"
    assert store.namespaces() == ["a", "b"]
    store.reset("a")
    assert store.get("a", INVOICES, "inv_1")["status"] == "PENDING"
    assert store.get("b", INVOICES, "inv_1")["status"] == "VOIDED"
    store.reset()
    assert store.get("b", INVOICES, "inv_1")["status"] == "PENDING"


def test_a_failed_change_writes_nothing():
    store = make_store()

    def half_done(doc):
        doc["status"] = "COMPLETED"
        raise ValueError("refused")

    with pytest.raises(ValueError):
        store.modify("a", INVOICES, "inv_1", half_done)
    assert store.get("a", INVOICES, "inv_1")["status"] == "PENDING"


def test_fixtures_are_not_mutated_by_writes():
    store = make_store()

    def change_in_place(doc):
        doc["items"][0]["quantity"] = 5
        return doc

    store.modify("a", INVOICES, "inv_1", change_in_place)
    assert store.get("a", INVOICES, "inv_1")["items"] == [{"quantity": 5}]
    assert store.get("fresh", INVOICES, "inv_1")["items"] == [{"quantity": 1}]


def test_the_change_log_is_folded_into_the_snapshot_and_replays(tmp_path, monkeypatch):
    import mockserver.storage as storage

    monkeypatch.setattr(storage, "MIN_COMPACT_BYTES", 2048)
    db = tmp_path / "db.json"
    store = make_store(tmp_path)
    for i in range(50):
        store.insert("a", INVOICES, {"id": f"inv_{i:03}", "uniqid": f"u-{i}", "status": "PENDING", "padding": "x" * 100})
    log = tmp_path / "db.json.log"
    assert log.stat().st_size < 4096  # folded at least once instead of growing with every write
    assert '"inv_049"' in db.read_text() + log.read_text()
    reopened = make_store(tmp_path)
    assert [d["id"] for d in reopened.all("a", INVOICES)][-1] == "inv_049"
    assert len(reopened.all("a", INVOICES)) == 51


def test_a_torn_last_log_line_is_dropped_and_a_damaged_one_refused(tmp_path):
    store = make_store(tmp_path)
    store.modify("a", INVOICES, "inv_1", lambda d: {**d, "status": "COMPLETED"})
    log = tmp_path / "db.json.log"
    log.write_bytes(log.read_bytes() + b'["put","a/shoppex.inv')  # a write cut short by a crash
    assert make_store(tmp_path).get("a", INVOICES, "inv_1")["status"] == "COMPLETED"
    log.write_bytes(b'["put", broken\n' + log.read_bytes())
    with pytest.raises(DatabaseFileError) as info:
        make_store(tmp_path)
    assert "damaged" in str(info.value)


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_derived_value_is_computed_once_per_stored_version(tmp_path, on_disk):
    store = make_store(tmp_path if on_disk else None)
    calls = []

    def render(doc):
        calls.append(doc["status"])
        return doc["status"]

    # Two reads of one version: derived once.
    assert store.derived(store.get("a", INVOICES, "inv_1"), render) == "PENDING"
    assert store.derived(store.get("a", INVOICES, "u-1"), render) == "PENDING"
    assert calls == ["PENDING"]
    # A change is a new version; another namespace that never wrote shares the seeded version.
    store.modify("a", INVOICES, "inv_1", lambda doc: {**doc, "status": "COMPLETED"})
    assert store.derived(store.get("a", INVOICES, "inv_1"), render) == "COMPLETED"
    assert store.derived(store.get("b", INVOICES, "inv_1"), render) == "PENDING"
    assert calls == ["PENDING", "COMPLETED"]


def test_a_reset_document_never_shows_a_value_derived_from_its_old_version():
    # After a reset the table starts again at doc id 1: only a revision that never repeats tells the versions apart.
    store = make_store()

    def status_of(doc):
        return doc["status"]

    store.modify("a", INVOICES, "inv_1", lambda doc: {**doc, "status": "COMPLETED"})
    assert store.derived(store.get("a", INVOICES, "inv_1"), status_of) == "COMPLETED"
    store.reset("a")
    assert store.derived(store.get("a", INVOICES, "inv_1"), status_of) == "PENDING"


def test_a_replaced_key_stops_finding_the_document():
    store = make_store()
    store.upsert("a", INVOICES, {"id": "inv_1", "uniqid": "u-2", "status": "PENDING", "items": []})
    assert store.get("a", INVOICES, "u-1") is None
    assert store.get("a", INVOICES, "u-2")["id"] == "inv_1"
    assert store.get("a", INVOICES, "inv_1")["uniqid"] == "u-2"


def test_documents_alike_share_their_nested_parts_and_change_apart():
    store = make_store()
    config = {"market": {"currency": "GBP", "rate": 1.0}, "requires_shipping": True}
    for number in (1, 2):
        store.insert("a", INVOICES, {"id": f"inv_c{number}", "config": json.loads(json.dumps(config)), "status": "PENDING"})
    first, second = store.get("a", INVOICES, "inv_c1"), store.get("a", INVOICES, "inv_c2")
    assert first["config"] is second["config"]  # kept once
    store.modify("a", INVOICES, "inv_c1", lambda doc: {**doc, "config": {**doc["config"], "requires_shipping": False}})
    assert store.get("a", INVOICES, "inv_c1")["config"]["requires_shipping"] is False
    assert store.get("a", INVOICES, "inv_c2")["config"] == config
