"""The OpenAPI 3.1 document of the emulated APIs and the admin API (GET /__admin/openapi.json)."""

from __future__ import annotations

import json
from functools import lru_cache


def app_routes(app) -> tuple[tuple[str, str], ...]:
    """An app's (method, rule) pairs, HEAD and OPTIONS left out."""
    return tuple(sorted((m, r.rule) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}))


@lru_cache(maxsize=4)
def document_json(routes: tuple[tuple[str, str], ...] = ()) -> str:
    """The document as compact JSON, built once per set of routes (it depends on code only)."""
    from .document import build_document

    return json.dumps(build_document(routes), ensure_ascii=False, separators=(",", ":"))
