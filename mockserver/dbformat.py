"""The --db file format: what a snapshot and a change-log line may hold, checked before anything is used.

Snapshot (version 2): `{"format": "mockserver-db", "version": 2, "namespaces": {NAME: {"seeded_at": INT,
"kinds": {KIND: [[DOC_ID, DOCUMENT], ...]}}}}`. A namespace's name is a JSON string and never part of
another name, so any key (with `/`, `:`, spaces, quotes, any Unicode) round-trips. A namespace lists only
the kinds it wrote; the others are read from the fixtures.

Change log: one line per committed transaction, a JSON array of operations:
`["seed", NAME, SEEDED_AT]` (the namespace is freshly seeded: it holds no kinds of its own),
`["kind", NAME, KIND, [[DOC_ID, DOCUMENT], ...]]` (the namespace's kind now holds exactly these),
`["put", NAME, KIND, DOC_ID, DOCUMENT]` and `["del", NAME, KIND, DOC_ID]`.

Version 1 files (tables named `namespace/kind`) are read and converted to version 2.
"""

from __future__ import annotations

FORMAT_NAME = "mockserver-db"
VERSION = 2
V1_FORMAT_TABLE = "_mockserver"
V1_FORMAT_DOC = {"format": FORMAT_NAME, "version": 1}
V1_NAMESPACES_TABLE = "_namespaces"


class FormatError(ValueError):
    """A snapshot or log line that is not what this server writes (the message says what is wrong)."""


def empty_snapshot() -> dict:
    """The snapshot of a database with no namespace yet."""
    return {"format": FORMAT_NAME, "version": VERSION, "namespaces": {}}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_docs(docs, where: str) -> None:
    # A kind's documents: [[doc id, object], ...] with distinct positive ids.
    if not isinstance(docs, list):
        raise FormatError(f"{where} is not a list of documents")
    seen = set()
    for number, entry in enumerate(docs):
        if not (isinstance(entry, list) and len(entry) == 2 and _is_int(entry[0]) and entry[0] > 0):
            raise FormatError(f"{where} entry {number} is not [document id, document]")
        if not isinstance(entry[1], dict):
            raise FormatError(f"{where} entry {number}: the document is not a JSON object")
        if entry[0] in seen:
            raise FormatError(f"{where} repeats document id {entry[0]}")
        seen.add(entry[0])


def check_snapshot(data) -> dict:
    """`data` as a version 2 snapshot (a version 1 one converted); FormatError if it is neither."""
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME and data.get("version") == VERSION:
        namespaces = data.get("namespaces")
        if not isinstance(namespaces, dict):
            raise FormatError("its namespaces are not a JSON object")
        for number, state in enumerate(namespaces.values()):
            where = f"namespace #{number}"
            if not (isinstance(state, dict) and _is_int(state.get("seeded_at")) and isinstance(state.get("kinds"), dict)):
                raise FormatError(f"{where} is not an object with seeded_at and kinds")
            for kind, docs in state["kinds"].items():
                _check_docs(docs, f"{where} kind {kind!r}")
        return data
    if isinstance(data, dict) and V1_FORMAT_DOC in _values(data.get(V1_FORMAT_TABLE)):
        return _from_v1(data)
    raise FormatError("was not written by mockserver")


def is_v1(data) -> bool:
    """True for a version 1 snapshot (its log holds version 1 operations)."""
    return isinstance(data, dict) and V1_FORMAT_DOC in _values(data.get(V1_FORMAT_TABLE))


def _values(table) -> list:
    return list(table.values()) if isinstance(table, dict) else []


def check_line(value) -> list[list]:
    """One change-log line as its list of operations; FormatError if it is anything else."""
    if not isinstance(value, list) or not value:
        raise FormatError("is not a list of operations")
    for op in value:
        check_op(op)
    return value


def check_op(op) -> None:
    """FormatError unless `op` is one operation of the version 2 log."""
    ok = isinstance(op, list) and len(op) >= 3 and isinstance(op[1], str)
    name = op[0] if ok else None
    if name == "seed":
        ok = len(op) == 3 and _is_int(op[2])
    elif name == "kind":
        ok = len(op) == 4 and isinstance(op[2], str)
        if ok:
            _check_docs(op[3], f"operation kind {op[2]!r}")
    elif name == "put":
        ok = len(op) == 5 and isinstance(op[2], str) and _is_int(op[3]) and op[3] > 0 and isinstance(op[4], dict)
    elif name == "del":
        ok = len(op) == 4 and isinstance(op[2], str) and _is_int(op[3])
    else:
        ok = False
    if not ok:
        raise FormatError("holds something that is not an operation")


# -- version 1 -------------------------------------------------------------------


def check_v1_line(value) -> list[list]:
    """A version 1 log line (one operation) as a one-operation list; FormatError otherwise."""
    ok = isinstance(value, list) and len(value) >= 2 and isinstance(value[1], str)
    name = value[0] if ok else None
    if name == "put":
        ok = len(value) == 4 and isinstance(value[3], dict) and isinstance(value[2], (int, str))
    elif name == "del":
        ok = len(value) == 3 and isinstance(value[2], (int, str))
    elif name != "drop":
        ok = False
    if not ok:
        raise FormatError("is not an operation")
    return [value]


def apply_v1(data: dict, op: list) -> None:
    """Replay one version 1 operation on version 1 data."""
    if op[0] == "put":
        data.setdefault(op[1], {})[str(op[2])] = op[3]
    elif op[0] == "del":
        data.get(op[1], {}).pop(str(op[2]), None)
    else:
        data.pop(op[1], None)


def _from_v1(data: dict) -> dict:
    # Tables were "namespace/kind": kinds never hold "/", so the last "/" splits them unambiguously.
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise FormatError(f"table {name!r} is not an object of objects")
    snapshot = empty_snapshot()
    for record in data.get(V1_NAMESPACES_TABLE, {}).values():
        if isinstance(record.get("name"), str):
            seeded_at = record.get("seeded_at", 0)
            snapshot["namespaces"][record["name"]] = {"seeded_at": seeded_at if _is_int(seeded_at) else 0, "kinds": {}}
    for name, table in data.items():
        namespace, slash, kind = name.rpartition("/")
        state = snapshot["namespaces"].get(namespace) if slash else None
        if state is not None and kind:
            docs = sorted((int(doc_id), doc) for doc_id, doc in table.items() if str(doc_id).isdigit())
            state["kinds"][kind] = [[doc_id, doc] for doc_id, doc in docs]
    return snapshot
