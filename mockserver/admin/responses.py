"""What the /__admin control plane answers (schemas for the OpenAPI document), and the webhook delivery log."""

from __future__ import annotations

from marshmallow import Schema, fields

from ..openapi.fields import Open, components, integer, ns, num, s, schema
from ..operations import ApiDoc
from ..webhooks.delivery import STATUSES
from .schemas import Instant


class AdminHealth(Schema):
    status = s(required=True, metadata={"enum": ["ok"]})


class AdminErrorBody(Schema):
    code = s(required=True)
    message = s(required=True)
    details = fields.List(fields.Dict(), required=True)


class AdminError(Schema):
    """`{"error": {"code", "message", "details"}}`."""

    error = fields.Nested(AdminErrorBody, required=True)


def _admin(name: str, attrs: dict) -> type[Schema]:
    return schema(name, __name__, Open, attrs)


class AdminIndexApi(Open):
    """One emulated API: where it lives and which versions it answers."""

    name = s(required=True)
    base_path = s(required=True)
    versions = fields.List(fields.String(), required=True)


class AdminIndexRoute(Open):
    method = s(required=True)
    path = s(required=True)


class AdminIndexAdmin(Open):
    """The admin API; `routes` only when no token is set or the caller sent it."""

    base_path = s(required=True)
    token_required = fields.Boolean(required=True)
    token_header = s(required=True)
    routes = fields.List(fields.Nested(AdminIndexRoute))


AdminIndex = _admin(
    "AdminIndex",
    {
        "name": s(required=True),
        "version": s(required=True),
        "apis": fields.List(fields.Nested(AdminIndexApi), required=True),
        "openapi": s(required=True),
        "admin": fields.Nested(AdminIndexAdmin, required=True),
    },
)
AdminNamespaces = _admin("AdminNamespaces", {"namespaces": fields.List(fields.String(), required=True)})
AdminReset = _admin("AdminReset", {"reset": fields.List(fields.String(), required=True)})
AdminClock = _admin(
    "AdminClock",
    {
        "now": num(required=True),
        "iso": s(required=True),
        "frozen": fields.Boolean(required=True),
        "frozen_at": num(required=True, allow_none=True),
    },
)


class AdminJournalEntry(Open):
    """One journaled request (secrets in headers masked)."""

    id = integer(required=True)
    time = num(required=True)
    method = s(required=True)
    path = s(required=True)
    query = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    headers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    body = fields.Raw(required=True, metadata={"description": "JSON when it parsed, else text; null when empty."})
    status = integer(required=True)
    response = fields.Raw(required=True, metadata={"description": "The response body, JSON when it parsed."})
    duration_ms = num(required=True)
    namespace = ns(required=True, metadata={"description": "The namespace's label (never the key), or null."})
    request_id = ns(required=True)
    truncated = fields.Boolean(required=True, metadata={"description": "Whether a header, the path, query or a body was cut."})


class AdminFaultRule(Open):
    """A fault rule as added (with its id); `times` counts down."""

    id = integer(required=True)
    method = ns(required=True)
    path = s(required=True)
    status = integer(required=True, allow_none=True)
    error_code = ns(required=True)
    body = fields.Raw(required=True, metadata={"description": "The body answered instead of the envelope, or null."})
    delay_ms = integer(required=True)
    times = integer(required=True, allow_none=True)
    probability = num(required=True)
    seed = integer(required=True, allow_none=True)
    namespace = ns(required=True)


AdminRequests = _admin("AdminRequests", {"requests": fields.List(fields.Nested(AdminJournalEntry), required=True)})
AdminCount = _admin("AdminCount", {"count": integer(required=True)})
AdminCleared = _admin("AdminCleared", {"cleared": integer(required=True)})
AdminFault = _admin("AdminFault", {"fault": fields.Nested(AdminFaultRule, required=True)})
AdminFaults = _admin("AdminFaults", {"faults": fields.List(fields.Nested(AdminFaultRule), required=True)})
AdminSnapshot = _admin("AdminSnapshot", {"namespace": s(required=True), "records": fields.Dict(required=True)})
AdminRestored = _admin("AdminRestored", {"namespace": s(required=True), "restored": integer(required=True)})
AdminLoaded = _admin("AdminLoaded", {"namespace": s(required=True), "loaded": integer(required=True)})


# -- webhook deliveries (Shoppex GET /webhooks/logs and GET /__admin/webhooks) ----------

DELIVERY_STATUSES = STATUSES


class WebhookAttemptRequest(Open):
    headers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class WebhookAttemptResponse(Open):
    status = integer(required=True, allow_none=True, metadata={"description": "null when no response came (see error)."})
    body = ns(required=True, metadata={"description": "At most MOCKSERVER_WEBHOOK_RESPONSE_BYTES of it."})
    truncated = fields.Boolean(metadata={"description": "true when the body was cut at MOCKSERVER_WEBHOOK_RESPONSE_BYTES."})


class WebhookAttempt(Open):
    """One attempt: what was sent and what came back (or the connection error)."""

    attempt = integer(required=True)
    at = integer(required=True)
    url = s(metadata={"description": "Where it went: the subscription's URL at the time (absent in logs from older versions)."})
    request = fields.Nested(WebhookAttemptRequest, required=True)
    response = fields.Nested(WebhookAttemptResponse, required=True)
    duration_ms = num(required=True)
    error = ns(required=True)


class WebhookDelivery(Open):
    """A delivery and its attempts, the signing secret left out; `not_sent` when MOCKSERVER_WEBHOOKS=0.

    `url` is where the last attempt went (attempts follow the subscription's current URL).
    """

    id = s(required=True, metadata={"example": "dlv_0123456789abcdef01234567"})
    namespace = s(required=True, metadata={"description": "The namespace's label (never the key)."})
    api = s(required=True, metadata={"description": "The name of the API that sends it (its registration's name)."})
    webhook_id = ns(required=True, metadata={"description": "null for a Shoppex payment's own `webhook` URL."})
    event = s(required=True)
    url = s(required=True)
    body = fields.Raw(required=True, metadata={"description": "The JSON body delivered (every attempt sends this same body)."})
    status = s(required=True, metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.List(fields.Nested(WebhookAttempt), required=True)
    created_at = integer(required=True)
    updated_at = integer(required=True)
    next_attempt_at = integer(required=True, allow_none=True)


AdminDeliveries = _admin("AdminDeliveries", {"deliveries": fields.List(fields.Nested(WebhookDelivery), required=True)})
AdminRedelivered = _admin(
    "AdminRedelivered",
    {"id": s(required=True), "namespace": s(required=True), "status": s(required=True, metadata={"enum": list(DELIVERY_STATUSES)})},
)


# -- how the OpenAPI document shows the admin API ------------------------------------


class AdminSimulated(Schema):
    """`{"data": order}`: the order as the API shows it after the simulated event."""

    data = fields.Dict(required=True)


DOC = ApiDoc(
    tag="Admin",
    error_schema="AdminError",
    error_text={
        400: "BAD_REQUEST: the body is not valid JSON, or ?namespace= and the body name different namespaces",
        401: "UNAUTHORIZED: the server has an admin token and X-Mockserver-Admin-Token is missing or wrong",
        404: "NOT_FOUND: no such record, or a namespace (key or label) nobody has used",
        413: "PAYLOAD_TOO_LARGE: body over MOCKSERVER_MAX_BODY_BYTES",
        422: "VALIDATION_ERROR: a field or parameter is wrong, or a record fails its kind's check (named in details)",
    },
    components=components(globals(), __name__),
    extra_components={"OpenAPIDocument": {"type": "object", "required": ["openapi", "paths"], "additionalProperties": True}},
    field_types={Instant: (["number", "string"], None)},
)
