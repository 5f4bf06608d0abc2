"""The /__admin control plane: health, namespaces, reset, clock, request journal, faults, snapshots, fixtures."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Response, current_app

from ..http import json_body, json_response, load
from ..kinds import key_values
from ..labels import namespace_label
from ..openapi import document_json
from ..operations import operation
from ..wire import MAX_INSTANT
from . import errors
from .faults import FaultRule
from .namespaces import lookup, lookup_label, namespace_args, one_of, resolve, unknown_namespace
from .queries import NamespaceQuery, RequiredNamespaceQuery
from .schemas import ClockSchema, FaultSchema, MatcherSchema, RecordsSchema

# Error statuses: 401 only when the server has an admin token; 404 a namespace nobody has used.
AD = (401,)
AD_NS = (401, 404)
AD_BODY = (400, 401, 413, 422)


def runtime():
    """Settings, store, clock, journal and faults of this app."""
    return current_app.extensions["mockserver"]


def namespace_arg(required: bool = False, body: str | None = None, create: bool = False) -> str | None:
    """The key of the namespace a call is limited to (?namespace= or the body's `namespace`, by key or label); None: all.

    A 422 when it is required and missing; a 400 when the query and the body name different ones;
    a 404 when nobody has used it, unless the call exists to `create` it.
    """
    known = runtime().store.namespaces()
    # The query and the body must agree before either is looked up: a 400 says more than a 404.
    namespace = one_of([lookup(known, name) or name for name in namespace_args(body, required)])
    return None if namespace is None else resolve(known, namespace, create=create)


def journal_namespace(body: str | None = None) -> str | None:
    """The label the journal is filtered by: a namespace in use or one the journal has seen (a 404 for neither)."""
    names = namespace_args(body)
    if not names:
        return None
    rt = runtime()
    known, labels = rt.store.namespaces(), rt.journal.namespaces()
    found = [(lookup_label(known, labels, name), name) for name in names]
    label = one_of([label or namespace_label(name) for label, name in found])
    unknown = next((name for label, name in found if label is None), None)
    if unknown is not None:
        raise unknown_namespace(unknown)
    return label


@operation("GET", "/health", "Liveness probe (open even with an admin token)", response="AdminHealth", shape="raw")
def health():
    """Liveness probe used by the Docker HEALTHCHECK."""
    return json_response({"status": "ok"})


@operation("GET", "/namespaces", "Namespaces seeded so far, by label", response="AdminNamespaces", errors=AD, shape="raw")
def list_namespaces():
    """Every namespace (API key / access-token) seeded so far, by label."""
    return json_response({"namespaces": [namespace_label(name) for name in runtime().store.namespaces()]})


@operation(
    "POST",
    "/reset",
    "Back to the seeded state (one namespace; or all, and the clock back to real time)",
    response="AdminReset",
    errors=AD_NS,
    described_query=NamespaceQuery,
    shape="raw",
)
def reset():
    """Back to the freshly seeded state: one namespace, or all (and then the shared clock back to real time too)."""
    namespace, rt = namespace_arg(), runtime()
    # The clock first, so the namespaces are seeded at the real time.
    if namespace is None:
        rt.clock.reset()
    return json_response({"reset": [namespace_label(name) for name in rt.store.reset(namespace)]})


def clock_state() -> dict:
    """What GET /__admin/clock shows."""
    clock = runtime().clock
    now = clock.now()
    iso = datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"now": now, "iso": iso, "frozen": clock.frozen, "frozen_at": now if clock.frozen else None}


@operation("GET", "/clock", "The server's clock", response="AdminClock", errors=AD, shape="raw")
def get_clock():
    """The server's clock."""
    return json_response(clock_state())


@operation("POST", "/clock", "Freeze, unfreeze or advance the clock", response="AdminClock", errors=AD_BODY, body=ClockSchema, shape="raw")
def set_clock(body: dict):
    """Freeze (`frozen_at`), let run (`frozen_at: null`) or move (`advance`) the clock."""
    change, clock = body, runtime().clock
    start = change["frozen_at"] if change.get("frozen_at") is not None else clock.now_float()
    if start + change.get("advance", 0) > MAX_INSTANT:
        raise errors.AdminError(422, "advance: the clock cannot go past 9999.", [{"field": "advance", "message": "Would pass 9999-12-31."}])
    if "frozen_at" in change:
        clock.freeze(change["frozen_at"]) if change["frozen_at"] is not None else clock.unfreeze()
    if "advance" in change:
        clock.advance(change["advance"])
    return json_response(clock_state())


@operation("DELETE", "/clock", "Back to real time: not frozen, no offset", response="AdminClock", errors=AD, shape="raw")
def real_time():
    """Back to real time: not frozen, no offset."""
    runtime().clock.reset()
    return json_response(clock_state())


@operation("GET", "/requests", "The request journal", response="AdminRequests", errors=(*AD_NS, 422), query=MatcherSchema, shape="raw")
def list_requests(query: dict):
    """The request journal, filtered by method, path (glob), namespace (key or label), status, since, limit."""
    matcher = query
    matcher["namespace"] = journal_namespace()
    return json_response({"requests": runtime().journal.find(matcher, matcher["limit"])})


@operation(
    "POST",
    "/requests/count",
    "Count journal entries matching the body (400: ?namespace= and the body's differ)",
    response="AdminCount",
    errors=(*AD_BODY, 404),
    body=MatcherSchema,
    described_query=NamespaceQuery,
    shape="raw",
)
def count_requests(body: dict):
    """How many journal entries match the body's matcher (?namespace= limits it too)."""
    matcher = body
    matcher["namespace"] = journal_namespace(body=matcher["namespace"])
    return json_response({"count": runtime().journal.count(matcher)})


@operation(
    "DELETE",
    "/requests",
    "Clear the journal (one namespace's entries or all)",
    response="AdminCleared",
    errors=AD_NS,
    described_query=NamespaceQuery,
    shape="raw",
)
def clear_requests():
    """Empty the journal, or forget one namespace's entries."""
    namespace = journal_namespace()
    journal = runtime().journal
    return json_response({"cleared": journal.clear({"namespace": namespace}) if namespace else journal.clear()})


@operation(
    "POST",
    "/faults",
    "Add a fault rule (400: ?namespace= and the body's differ)",
    response="AdminFault",
    errors=(*AD_BODY, 404),
    body=FaultSchema,
    described_query=NamespaceQuery,
    status=201,
    shape="raw",
)
def add_fault(body: dict):
    """Make matching requests fail and/or wait (?namespace= or the body's `namespace` limits the rule)."""
    spec = body
    spec["namespace"] = namespace_arg(body=spec["namespace"])
    rule = runtime().faults.add(FaultRule(**spec))
    return json_response({"fault": rule.public()}, 201)


@operation(
    "GET",
    "/faults",
    "The active fault rules (those limited to ?namespace=, or all)",
    response="AdminFaults",
    errors=AD_NS,
    described_query=NamespaceQuery,
    shape="raw",
)
def list_faults():
    """The active fault rules; ?namespace= shows the rules limited to that namespace."""
    return json_response({"faults": runtime().faults.rules(namespace_arg())})


@operation(
    "DELETE",
    "/faults",
    "Drop fault rules (one namespace's or all)",
    response="AdminCleared",
    errors=AD_NS,
    described_query=NamespaceQuery,
    shape="raw",
)
def clear_faults():
    """Drop every rule (or one namespace's)."""
    return json_response({"cleared": runtime().faults.clear(namespace_arg())})


@operation(
    "GET",
    "/snapshot",
    "Export a namespace",
    response="AdminSnapshot",
    errors=(*AD_NS, 422),
    described_query=RequiredNamespaceQuery,
    shape="raw",
)
def export_snapshot():
    """A namespace's records, by kind."""
    namespace = namespace_arg(required=True)
    return json_response({"namespace": namespace_label(namespace), "records": runtime().store.export(namespace)})


@operation(
    "PUT",
    "/snapshot",
    "Restore a namespace (created if new)",
    response="AdminRestored",
    errors=(*AD_BODY, 404),
    described_body=RecordsSchema,
    described_query=RequiredNamespaceQuery,
    shape="raw",
)
def restore_snapshot():
    """Replace a namespace's records with a snapshot (every record checked first; a refusal loads nothing)."""
    namespace = namespace_arg(required=True, create=True)
    records = checked_records(load(RecordsSchema(runtime().kinds), json_body())["records"])
    return json_response({"namespace": namespace_label(namespace), "restored": runtime().store.restore(namespace, records)})


@operation(
    "POST",
    "/fixtures",
    "Load records into a namespace (created if new)",
    response="AdminLoaded",
    errors=(*AD_BODY, 404),
    described_body=RecordsSchema,
    described_query=RequiredNamespaceQuery,
    shape="raw",
)
def load_fixture_records():
    """Add (or replace, by id) records in a namespace at run time (every record checked first; a refusal loads nothing)."""
    namespace = namespace_arg(required=True, create=True)
    store = runtime().store
    records = load(RecordsSchema(runtime().kinds), json_body())["records"]
    with store.lock:
        checked_records(records, stored=(store, namespace))
        # Loading no records still creates the namespace (the way to name one before its first request).
        store.ensure_namespace(namespace)
        for kind, docs in records.items():
            for doc in docs:
                store.upsert(namespace, kind, doc)
    return json_response({"namespace": namespace_label(namespace), "loaded": sum(len(docs) for docs in records.values())})


def checked_records(records: dict[str, list], stored=None) -> dict[str, list]:
    """`records` if every one passes its kind's check, else a 422 naming kind, index and field of each problem.

    With `stored` (store, namespace), records are added to what is there: a uniqid, order
    number, ... already naming another stored record of the kind is refused too.
    """
    problems = runtime().kinds.check_records(records)
    if stored is not None and not problems:
        problems = _clashes(records, *stored)
    if not problems:
        return records
    details = []
    for kind, index, problem in problems:
        field, _, message = problem.partition(": ")
        where = f"records.{kind}" if index is None else f"records.{kind}.{index}.{field}"
        details.append({"field": where, "message": message if index is not None else problem})
    first = details[0]
    message = f"{len(details)} problem(s) in the records, nothing was loaded; first: {first['field']}: {first['message']}"
    raise errors.AdminError(422, message, details)


def _clashes(records: dict[str, list], store, namespace: str) -> list[tuple[str, int, str]]:
    problems = []
    for kind, docs in records.items():
        replaced = {doc["id"] for doc in docs}
        for index, doc in enumerate(docs):
            for name, value in key_values(runtime().kinds.keys(kind), doc):
                other = store.get(namespace, kind, value)
                if other is not None and other.get("id") != doc["id"] and other.get("id") not in replaced:
                    problems.append((kind, index, f'{name}: "{value}" already names stored record {other.get("id")} of {kind}'))
    return problems


@operation("GET", "/openapi.json", "This document (open even with an admin token)", response="OpenAPIDocument", shape="raw")
def openapi_document():
    """The OpenAPI 3.1 document of the emulated APIs and this admin API (mockserver.openapi)."""
    return Response(document_json(current_app), mimetype="application/json")
