"""The /__admin control plane: health, namespaces, reset, clock, request journal, faults, snapshots, fixtures."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, current_app, request

from ..http import json_body, json_response, load
from . import errors
from .faults import FaultRule
from .schemas import MAX_INSTANT, ClockSchema, FaultSchema, MatcherSchema, RecordsSchema

bp = Blueprint("admin", __name__, url_prefix="/__admin")
bp.errors = errors


def runtime():
    """Settings, store, clock, journal and faults of this app."""
    return current_app.extensions["mockserver"]


def namespace_arg(required: bool = False) -> str | None:
    """The ?namespace= parameter (a 422 when required and missing)."""
    namespace = request.args.get("namespace") or None
    if required and namespace is None:
        raise errors.AdminError(422, "namespace: the ?namespace= parameter is required.", [{"field": "namespace", "message": "Required."}])
    return namespace


@bp.get("/health")
def health():
    """Liveness probe used by the Docker HEALTHCHECK."""
    return json_response({"status": "ok"})


@bp.get("/namespaces")
def list_namespaces():
    """Every namespace (API key / access-token) seeded so far."""
    return json_response({"namespaces": runtime().store.namespaces()})


@bp.post("/reset")
def reset():
    """Back to the freshly seeded state: one namespace, or all."""
    return json_response({"reset": runtime().store.reset(namespace_arg())})


def clock_state() -> dict:
    """What GET /__admin/clock shows."""
    clock = runtime().clock
    now = clock.now()
    iso = datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"now": now, "iso": iso, "frozen": clock.frozen, "frozen_at": now if clock.frozen else None}


@bp.get("/clock")
def get_clock():
    """The server's clock."""
    return json_response(clock_state())


@bp.post("/clock")
def set_clock():
    """Freeze (`frozen_at`), let run (`frozen_at: null`) or move (`advance`) the clock."""
    change, clock = load(ClockSchema(), json_body()), runtime().clock
    start = change["frozen_at"] if change.get("frozen_at") is not None else clock.now_float()
    if start + change.get("advance", 0) > MAX_INSTANT:
        raise errors.AdminError(422, "advance: the clock cannot go past 9999.", [{"field": "advance", "message": "Would pass 9999-12-31."}])
    if "frozen_at" in change:
        clock.freeze(change["frozen_at"]) if change["frozen_at"] is not None else clock.unfreeze()
    if "advance" in change:
        clock.advance(change["advance"])
    return json_response(clock_state())


@bp.get("/requests")
def list_requests():
    """The request journal, filtered by method, path (glob), namespace, since, limit."""
    matcher = load(MatcherSchema(), request.args.to_dict())
    return json_response({"requests": runtime().journal.find(matcher, matcher["limit"])})


@bp.post("/requests/count")
def count_requests():
    """How many journal entries match the body's matcher."""
    matcher = load(MatcherSchema(), json_body())
    return json_response({"count": runtime().journal.count(matcher)})


@bp.delete("/requests")
def clear_requests():
    """Empty the journal."""
    return json_response({"cleared": runtime().journal.clear()})


@bp.post("/faults")
def add_fault():
    """Make matching requests fail and/or wait."""
    rule = runtime().faults.add(FaultRule(**load(FaultSchema(), json_body())))
    return json_response({"fault": rule.public()}, 201)


@bp.get("/faults")
def list_faults():
    """The active fault rules."""
    return json_response({"faults": runtime().faults.rules()})


@bp.delete("/faults")
def clear_faults():
    """Drop every rule (or one namespace's)."""
    return json_response({"cleared": runtime().faults.clear(namespace_arg())})


@bp.get("/snapshot")
def export_snapshot():
    """A namespace's records, by kind."""
    namespace = namespace_arg(required=True)
    return json_response({"namespace": namespace, "records": runtime().store.export(namespace)})


@bp.put("/snapshot")
def restore_snapshot():
    """Replace a namespace's records with a snapshot."""
    namespace = namespace_arg(required=True)
    records = load(RecordsSchema(), json_body())["records"]
    return json_response({"namespace": namespace, "restored": runtime().store.restore(namespace, records)})


@bp.post("/fixtures")
def load_fixture_records():
    """Add (or replace, by id) records in a namespace at run time."""
    namespace = namespace_arg(required=True)
    records = load(RecordsSchema(), json_body())["records"]
    store = runtime().store
    for kind, docs in records.items():
        for doc in docs:
            store.upsert(namespace, kind, doc)
    return json_response({"namespace": namespace, "loaded": sum(len(docs) for docs in records.values())})


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of the emulated APIs and this admin API (mockserver.openapi)."""
    from flask import Response

    from ..openapi import app_routes, document_json

    return Response(document_json(app_routes(current_app)), mimetype="application/json")
