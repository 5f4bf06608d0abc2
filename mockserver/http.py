"""What every emulated API shares on the wire: the error base class, JSON bodies and responses."""

from __future__ import annotations

import functools
import itertools
import json
import math
import secrets
from collections.abc import Callable

from flask import Response, current_app, g, request
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError


class ApiError(Exception):
    """Base of every emulated API's error: an HTTP status, a code, a message and field details.

    Each API's subclass renders them in its own envelope (`body`) and names its codes.
    """

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, details: list[dict] | None = None, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def body(self) -> dict:
        """The JSON body the emulated API answers with."""
        raise NotImplementedError


def error_for_status(classes: tuple[type[ApiError], ...], status: int, message: str, details: list[dict] | None = None) -> ApiError:
    """The first of `classes` with `status`; else the first client (or server) error class, answering `status`."""
    for cls in classes:
        if cls.status == status:
            return cls(message, details)
    fallback = next(cls for cls in classes if (cls.status >= 500) == (status >= 500))
    return fallback(message, details, status=status)


class ClientError(Exception):
    """A client mistake found by shared code; the owning API renders it in its own envelope."""

    def __init__(self, status: int, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


# Request ids: a random prefix per process and a counter: never repeated by one server, unlikely across servers, and
# far cheaper to mint than a UUID on every request.
_REQUEST_ID_PREFIX = f"req_{secrets.token_hex(8)}"
_request_ids = itertools.count(1)


def new_request_id() -> str:
    """A fresh request id (`req_` and 32 hex digits)."""
    return f"{_REQUEST_ID_PREFIX}{next(_request_ids):016x}"


def json_response(payload, status: int = 200) -> Response:
    """Serialise `payload` as compact JSON, keeping the documented field order."""
    return body_response(dumps(payload), status)


def body_response(body: bytes, status: int = 200) -> Response:
    """A JSON response from an already serialised body."""
    return Response(body, status=status, content_type="application/json")


def dumps(payload) -> bytes:
    """Compact UTF-8 JSON, in the payload's own field order."""
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # Something stored before bodies were checked for lone surrogates: escape rather than fail.
        return json.dumps(payload, separators=(",", ":")).encode()


@functools.cache
def serialiser(render: Callable[[dict], object]) -> Callable[[dict], bytes]:
    """The function that renders a document with `render` and serialises it (one per render, so it can key a memo)."""

    def serialise(doc: dict) -> bytes:
        return dumps(render(doc))

    return serialise


def document_response(store, doc: dict, render: Callable[[dict], object], status: int = 200) -> Response:
    """The response showing a stored document through `render`, serialised once per stored version of it."""
    return body_response(store.derived(doc, serialiser(render)), status)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _reject_duplicates(pairs: list[tuple]) -> dict:
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ClientError(400, f"Duplicate key {key!r} in request body.", [{"field": key, "message": "Duplicate key."}])
        seen[key] = value
    return seen


def raw_body() -> bytes:
    """The request body, read once: exactly Content-Length bytes, or at most the size limit when chunked."""
    cached = g.get("raw_body")
    if cached is not None:
        return cached
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = request.content_length
    if length is not None:
        # werkzeug answers 413 for a declared length over the limit.
        raw = request.get_data(cache=True)
        if len(raw) != length:
            raise ClientError(400, f"Request body is shorter than its Content-Length ({len(raw)} of {length} bytes).")
    elif request.headers.get("Transfer-Encoding") or request.environ.get("wsgi.input_terminated"):
        # No declared length (chunked): read what arrives, but never more than the limit. (werkzeug's
        # own stream would silently stop at the limit, so read the server's input directly.)
        raw = request.environ["wsgi.input"].read(limit + 1)
        if len(raw) > limit:
            raise ClientError(413, "Request body is larger than the server accepts.")
    else:
        raw = b""
    g.raw_body = raw
    return raw


def json_body() -> dict:
    """The request body as a JSON object ({} when empty); ClientError for anything else."""
    raw = raw_body()
    if not raw.strip():
        return {}
    # Decode and parse strictly: no NaN/Infinity, no invalid UTF-8.
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ClientError(400, "Request body is not valid UTF-8.") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_reject_duplicates)
    except RecursionError:
        raise ClientError(400, "Request body is nested too deeply.") from None
    except ValueError as exc:
        raise ClientError(400, f"Request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ClientError(422, "Request body must be a JSON object.", [{"field": "body", "message": "Must be a JSON object."}])
    try:
        # A lone UTF-16 surrogate ("\ud800") parses but can never be sent back as UTF-8, and a number like
        # 1e400 parses to infinity, which has no JSON form: neither may be stored and echoed back.
        json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
    except UnicodeEncodeError:
        raise ClientError(400, "Request body contains an unpaired UTF-16 surrogate escape.") from None
    except ValueError:
        field = _non_finite_field(data) or "body"
        details = [{"field": field, "message": "Number is out of range."}]
        raise ClientError(422, f"Invalid request: {field}: Number is out of range.", details) from None
    return data


def _non_finite_field(value, path: str = "") -> str | None:
    # The dotted path of the first number that overflowed to infinity.
    if isinstance(value, float) and not math.isfinite(value):
        return path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _non_finite_field(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def load(schema: Schema, data: dict) -> dict:
    """Validate `data` with a marshmallow schema; a ClientError(422) lists every offending field."""
    try:
        return schema.load(data)
    except SchemaError as exc:
        details = [{"field": field, "message": message} for field, message in flatten_messages(exc.messages)]
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        raise ClientError(422, f"Invalid request: {summary}", details) from None


def flatten_messages(messages, path: tuple[str, ...] = ()):
    """Turn marshmallow's nested error messages into (dotted field, message) pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from flatten_messages(value, path if key == "_schema" else (*path, str(key)))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        yield ".".join(path) or "body", " ".join(messages)
    elif isinstance(messages, list):
        for item in messages:
            yield from flatten_messages(item, path)
    else:
        yield ".".join(path) or "body", str(messages)


def errors_for_path(path: str):
    """The errors module of the API that owns `path` (each blueprint carries its own)."""
    for blueprint in current_app.blueprints.values():
        prefix = blueprint.url_prefix
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            return blueprint.errors
    return current_app.extensions["mockserver.default_errors"]
