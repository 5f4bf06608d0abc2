"""The OpenAPI 3.1 document of the emulated APIs and the admin API (GET /__admin/openapi.json)."""

from __future__ import annotations

import json
from functools import lru_cache

from ..operations import registered
from .document import build_document


def app_routes(app) -> tuple[tuple[str, str], ...]:
    """An app's (method, rule) pairs, HEAD and OPTIONS left out."""
    return tuple(sorted((m, r.rule) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}))


def api_routes(app) -> tuple:
    """(method, rule, ApiDoc) of every route of a described API (a blueprint with an ApiDoc)."""
    routes = []
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        doc = getattr(blueprint, "api_doc", None)
        if doc is not None:
            routes.extend((method, rule.rule, doc) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return tuple(routes)


def document_json(app) -> str:
    """The document of `app` as compact JSON (built once per set of operations: it depends on code only)."""
    return _document_json(tuple(registered(app)), api_routes(app))


@lru_cache(maxsize=4)
def _document_json(operations: tuple, routes: tuple) -> str:
    return json.dumps(build_document(operations, routes), ensure_ascii=False, separators=(",", ":"))
