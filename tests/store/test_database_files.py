"""The --db files: refused when damaged or inconsistent (one line, exit 2, nothing touched), written 0600, whole lines only."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
from unittest import mock

import pytest

import mockserver.storage as storage
from mockserver import cli
from mockserver.fixtures import Fixtures
from mockserver.shoppex.kinds import STORE_KEYS
from mockserver.shoppex.models import INVOICES
from mockserver.storage import ChangeLog, DatabaseFileError
from mockserver.store import Store

SEED = {"id": "inv_1", "uniqid": "u-1", "status": "PENDING"}
ORDERS = 40


def make_store(db):
    return Store(Fixtures({INVOICES: (SEED,)}), STORE_KEYS, db)


def with_orders(tmp_path):
    """A database holding ORDERS acknowledged orders, all of them still in its log."""
    db = tmp_path / "state.json"
    store = make_store(db)
    for number in range(ORDERS):
        store.insert("shx_key", INVOICES, {"id": f"inv_{number}", "status": "PENDING"})
    store.close()
    return db


def files_of(directory) -> dict:
    """Every file's bytes and modification time (nanoseconds)."""
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(directory.iterdir())}


def serve(db) -> tuple[int, str]:
    """`mockserver serve --db`, run in this process: its exit status and stderr (it must refuse before serving)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    stderr = io.StringIO()
    refuse_to_serve = mock.patch.object(cli, "serve", side_effect=AssertionError("it went on to serve"))
    with mock.patch.dict(os.environ, environment, clear=True), refuse_to_serve, contextlib.redirect_stderr(stderr):
        status = cli.main(["serve", "--port", "0", "--db", str(db)])
    return status, stderr.getvalue()


def assert_refused(db, expected: str) -> None:
    # Exit 2, one line naming the problem, and not one byte or timestamp changed.
    before = files_of(db.parent)
    status, stderr = serve(db)
    assert status == 2, (status, stderr)
    assert stderr.count("\n") == 1 and stderr.startswith("mockserver: "), stderr
    assert expected in stderr, stderr
    assert "Traceback" not in stderr
    assert files_of(db.parent) == before


# -- a snapshot that does not go with its log ------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t ", b"\n"], ids=["empty", "blanks", "newline"])
def test_an_empty_snapshot_beside_a_log_of_changes_is_refused(tmp_path, content):
    db = with_orders(tmp_path)
    db.write_bytes(content)
    assert_refused(db, "is empty but its change log")


def test_a_missing_snapshot_beside_a_log_of_changes_is_refused(tmp_path):
    db = with_orders(tmp_path)
    db.unlink()
    assert_refused(db, "is missing but its change log")


def test_an_empty_snapshot_with_an_empty_log_is_a_new_database(tmp_path):
    db = tmp_path / "state.json"
    db.write_bytes(b"  \n")
    (tmp_path / "state.json.log").write_bytes(b"")
    store = make_store(db)
    store.insert("k", INVOICES, {"id": "inv_9", "status": "PENDING"})
    assert make_store(db).get("k", INVOICES, "inv_9")["status"] == "PENDING"


# -- content that is not what the server writes -----------------------------------------

NOT_OPERATIONS = ["42", "{}", '["put"]', "[]", "null", '"text"', '[["put"]]', '[["seed", "k"]]', '[["put", "k", "kind", 1, 5]]', "[42]"]


@pytest.mark.parametrize("line", NOT_OPERATIONS)
@pytest.mark.parametrize("newline", [True, False], ids=["terminated", "last"])
def test_a_log_line_that_is_json_but_no_transaction_is_refused(tmp_path, line, newline):
    db = with_orders(tmp_path)
    log = tmp_path / "state.json.log"
    good = log.read_bytes()
    log.write_bytes(good + line.encode() + (b"\n" if newline else b""))
    assert_refused(db, f"is damaged at line {len(good.splitlines()) + 1}")


def snapshot_with(namespaces) -> bytes:
    return json.dumps({"format": "mockserver-db", "version": 2, "namespaces": namespaces}).encode()


V1_FORMAT = {"1": {"format": "mockserver-db", "version": 1}}
BAD_SNAPSHOTS = {
    "namespaces not an object": snapshot_with([]),
    "namespace not an object": snapshot_with({"k": 5}),
    "seeded_at not a number": snapshot_with({"k": {"seeded_at": "x", "kinds": {}}}),
    "kind not a list": snapshot_with({"k": {"seeded_at": 0, "kinds": {INVOICES: {"1": SEED}}}}),
    "record not an object": snapshot_with({"k": {"seeded_at": 0, "kinds": {INVOICES: [[1, 5]]}}}),
    "record without id": snapshot_with({"k": {"seeded_at": 0, "kinds": {INVOICES: [SEED]}}}),
    "v1 table not an object": json.dumps({"_mockserver": V1_FORMAT, "k/shoppex.invoices": 5}).encode(),
    "v1 record not an object": json.dumps({"_mockserver": V1_FORMAT, "k/shoppex.invoices": {"1": [1]}}).encode(),
}


@pytest.mark.parametrize("content", BAD_SNAPSHOTS.values(), ids=BAD_SNAPSHOTS.keys())
def test_a_snapshot_whose_tables_or_records_are_not_objects_is_refused(tmp_path, content):
    db = tmp_path / "state.json"
    db.write_bytes(content)
    assert_refused(db, "refusing to use it")


def test_only_a_torn_last_line_is_dropped(tmp_path):
    db = with_orders(tmp_path)
    log = tmp_path / "state.json.log"
    log.write_bytes(log.read_bytes() + b'[["put","shx_key","shoppex.invoices",99,{"id":"inv_t')
    ChangeLog.check(db)  # reading drops nothing: the file is cut only when the server starts writing
    store = make_store(db)
    assert [doc["id"] for doc in store.all("shx_key", INVOICES)][-1] == f"inv_{ORDERS - 1}"
    store.insert("shx_key", INVOICES, {"id": "inv_after", "status": "PENDING"})
    assert make_store(db).get("shx_key", INVOICES, "inv_after") is not None


def test_a_damaged_line_before_the_last_is_refused(tmp_path):
    db = with_orders(tmp_path)
    log = tmp_path / "state.json.log"
    log.write_bytes(b'[["put", broken\n' + log.read_bytes())
    with pytest.raises(DatabaseFileError, match="damaged at line 1"):
        make_store(db)


# -- how the files are written -----------------------------------------------------------


def test_every_file_the_server_writes_is_0600(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "MIN_COMPACT_BYTES", 2048)
    replaced_modes = []
    real_replace = os.replace

    def replace(source, target):
        replaced_modes.append(stat.S_IMODE(os.stat(source).st_mode))
        return real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", replace)
    # An existing log from an older version, readable by others, is closed to them too.
    (tmp_path / "state.json.log").touch(mode=0o644)
    os.chmod(tmp_path / "state.json.log", 0o644)
    (tmp_path / "state.json").write_bytes(b"")
    store = make_store(tmp_path / "state.json")
    for number in range(30):
        store.insert("k", INVOICES, {"id": f"inv_{number}", "padding": "x" * 200})
    assert len(replaced_modes) >= 2  # the first snapshot and at least one fold of the log
    assert set(replaced_modes) == {0o600}
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()} == {"state.json": 0o600, "state.json.log": 0o600}


def test_a_short_write_is_completed_not_dropped(tmp_path, monkeypatch):
    db = tmp_path / "state.json"
    store = make_store(db)
    real_write = os.write
    # A disk under pressure: every write takes at most 7 bytes.
    monkeypatch.setattr(storage.os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    store.insert("k", INVOICES, {"id": "inv_short", "status": "PENDING", "note": "x" * 500})
    monkeypatch.undo()
    assert make_store(db).get("k", INVOICES, "inv_short")["note"] == "x" * 500


def test_a_write_that_fails_midway_leaves_the_log_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "state.json"
    store = make_store(db)
    store.insert("k", INVOICES, {"id": "inv_ok", "status": "PENDING"})
    log_before = (tmp_path / "state.json.log").read_bytes()
    calls = []
    real_write = os.write

    def fill_up(fd, data):
        # Half of the line fits, then the disk is full.
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "write", fill_up)
    with pytest.raises(Exception) as refused:
        store.insert("k", INVOICES, {"id": "inv_lost", "status": "PENDING"})
    monkeypatch.undo()
    assert refused.value.status == 507 and "out of space" in refused.value.message
    assert store.get("k", INVOICES, "inv_lost") is None
    assert (tmp_path / "state.json.log").read_bytes() == log_before
    store.insert("k", INVOICES, {"id": "inv_next", "status": "PENDING"})
    reopened = make_store(db)
    assert [doc["id"] for doc in reopened.all("k", INVOICES)] == ["inv_1", "inv_ok", "inv_next"]


def test_a_version_1_database_is_read_and_converted(tmp_path):
    # Written by the previous format: tables named "namespace/kind", one operation per log line.
    db = tmp_path / "state.json"
    table = "shx_old/key/shoppex.invoices"
    v1 = {
        "_mockserver": {"1": {"format": "mockserver-db", "version": 1}},
        "_namespaces": {"1": {"name": "shx_old/key", "seeded_at": 5}},
        table: {"1": SEED, "2": {"id": "inv_2", "status": "COMPLETED"}},
    }
    db.write_text(json.dumps(v1))
    log_lines = [
        ["put", table, 3, {"id": "inv_3", "status": "PENDING"}],
        ["del", table, 1],
        ["put", table, 2, {"id": "inv_2", "status": "VOIDED"}],
    ]
    (tmp_path / "state.json.log").write_text("".join(json.dumps(line) + "\n" for line in log_lines))
    ChangeLog.check(db)
    for _ in range(2):
        store = make_store(db)
        assert store.namespaces() == ["shx_old/key"] and store.seeded_at("shx_old/key") == 5
        assert [(doc["id"], doc["status"]) for doc in store.all("shx_old/key", INVOICES)] == [("inv_2", "VOIDED"), ("inv_3", "PENDING")]
        store.close()
    assert json.loads(db.read_text())["version"] == 2 and (tmp_path / "state.json.log").read_bytes() == b""
