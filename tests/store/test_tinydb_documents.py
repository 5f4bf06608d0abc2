"""TinyDB holds the store's documents: TinyDB's own API finds them, writes cost O(1), copy-on-write copies a TinyDB table."""

from __future__ import annotations

import gc
import time

from tinydb import Query

from mockserver.fixtures import Fixtures
from mockserver.state import State, undo_all
from mockserver.tables import InPlaceTable

KIND = "test.records"
KEYS = {KIND: ("id", "uniqid")}
SEEDS = ({"id": "seed_1", "uniqid": "u1", "colour": "red"}, {"id": "seed_2", "uniqid": "u2", "colour": "blue"})


def new_state() -> State:
    state = State(Fixtures({KIND: SEEDS}), KEYS)
    state.apply(["seed", "ns", 0])
    return state


def write(state: State, op: list) -> list:
    """Apply `op` as the store does (copying the shared table on a namespace's first write to a kind); returns the undo."""
    undo = []
    if not state.owns(op[1], op[2]):
        undo.append(state.copy_kind(op[1], op[2])[1])
    undo.append(state.apply(op))
    return undo


def stored_tables(state: State) -> dict:
    """Every TinyDB table's raw stored dict, by table name."""
    return state.read_table("ns", KIND).tinydb_table().storage.read()


def test_tinydbs_own_api_reads_the_documents_a_namespace_wrote():
    state = new_state()
    write(state, ["put", "ns", KIND, 3, {"id": "new", "colour": "green"}])
    write(state, ["put", "ns", KIND, 1, {"id": "seed_1", "colour": "black"}])
    write(state, ["del", "ns", KIND, 2])
    tiny = state.read_table("ns", KIND).tinydb_table()

    assert isinstance(tiny, InPlaceTable)
    assert tiny.get(doc_id=1) == {"id": "seed_1", "colour": "black"} and tiny.get(doc_id=2) is None
    assert [(doc.doc_id, doc["id"]) for doc in tiny.all()] == [(1, "seed_1"), (3, "new")]
    assert [doc.doc_id for doc in tiny.search(Query().colour == "green")] == [3]
    assert [doc.doc_id for doc in tiny] == [1, 3] and len(tiny) == 2 and tiny.contains(doc_id=3)
    # The store reads what TinyDB holds.
    assert [doc["id"] for doc in map(state.read_table("ns", KIND).document, [1, 3])] == ["seed_1", "new"]


def test_the_shared_fixture_documents_are_in_tinydb_and_a_reading_namespace_adds_no_table():
    state = new_state()
    before = set(stored_tables(state))
    shared = state.read_table("ns", KIND).tinydb_table()
    assert [doc["id"] for doc in shared] == ["seed_1", "seed_2"] and shared.get(doc_id=2)["uniqid"] == "u2"
    for number in range(50):
        state.apply(["seed", f"reader_{number}", 0])
        assert state.read_table(f"reader_{number}", KIND).tinydb_table() is shared
    assert set(stored_tables(state)) == before


def test_a_first_write_copies_the_kind_into_a_new_tinydb_table_and_leaves_the_shared_one():
    state = new_state()
    shared = state.read_table("ns", KIND).tinydb_table()
    write(state, ["put", "ns", KIND, 2, {"id": "seed_2", "colour": "white"}])
    own = state.read_table("ns", KIND).tinydb_table()
    assert own.name != shared.name and own.name in stored_tables(state)
    assert [doc["colour"] for doc in own] == ["red", "white"]
    assert [doc["colour"] for doc in shared] == ["red", "blue"]
    assert [doc["colour"] for doc in state.read_table("other", KIND).tinydb_table()] == ["red", "blue"]


def test_undoing_writes_puts_back_what_tinydb_held():
    state = new_state()
    undo = write(state, ["put", "ns", KIND, 1, {"id": "seed_1", "colour": "black"}])
    undo += write(state, ["del", "ns", KIND, 2])
    undo += write(state, ["put", "ns", KIND, 3, {"id": "new"}])
    own = state.read_table("ns", KIND)
    undo_all(undo[1:])
    # The namespace's table is back to the copy of the fixtures, documents and index alike.
    assert [(doc.doc_id, dict(doc)) for doc in own.tinydb_table()] == [(1, SEEDS[0]), (2, SEEDS[1])]
    assert (own.find("u2"), own.find("new")) == (2, None)


def test_a_table_no_one_holds_any_more_leaves_tinydb():
    state = new_state()
    write(state, ["put", "ns", KIND, 3, {"id": "new"}])
    name = state.read_table("ns", KIND).tinydb_table().name
    assert name in stored_tables(state)
    # A reset replaces the namespace; once its old tables are gone, so are their TinyDB tables.
    state.apply(["seed", "ns", 1])
    gc.collect()
    assert name not in stored_tables(state)


def test_a_write_changes_only_the_document_it_touches():
    state = new_state()
    for doc_id in range(3, 1_003):
        write(state, ["put", "ns", KIND, doc_id, {"id": f"r{doc_id}"}])
    raw = stored_tables(state)[state.read_table("ns", KIND).tinydb_table().name]
    others = {key: id(doc) for key, doc in raw.items() if key != "500"}
    write(state, ["put", "ns", KIND, 500, {"id": "r500", "colour": "red"}])
    write(state, ["put", "ns", KIND, 5_000, {"id": "r5000"}])
    write(state, ["del", "ns", KIND, 7])
    # The same stored dict, changed in place; every other document is the object it was.
    assert stored_tables(state)[state.read_table("ns", KIND).tinydb_table().name] is raw
    assert all(id(raw[key]) == others[key] for key in others if key != "7") and "7" not in raw
    assert raw["500"] == {"id": "r500", "colour": "red"} and list(raw)[-1] == "5000"


def per_write_seconds(state: State, first_id: int, count: int = 500) -> float:
    """CPU seconds per put of a new document, best of three runs of `count` (no garbage collection in between)."""
    best = float("inf")
    gc.disable()
    try:
        for run in range(3):
            started = time.process_time()
            for doc_id in range(first_id + run * count, first_id + (run + 1) * count):
                state.apply(["put", "ns", KIND, doc_id, {"id": f"r{doc_id}", "colour": "red"}])
            best = min(best, (time.process_time() - started) / count)
    finally:
        gc.enable()
    return best


def test_a_write_costs_the_same_with_100_or_10000_documents_stored():
    state = new_state()
    write(state, ["put", "ns", KIND, 3, {"id": "r3"}])
    small = per_write_seconds(state, 100)
    for doc_id in range(2_000, 12_000):
        state.apply(["put", "ns", KIND, doc_id, {"id": f"r{doc_id}"}])
    large = per_write_seconds(state, 20_000)
    # TinyDB's own write rebuilds the table (100 times the work at 10,000 documents); these stay flat.
    assert large < 3 * small, f"{small * 1e6:.1f} us -> {large * 1e6:.1f} us per write"
