"""The Shoplazza OpenAPI orders area as registered with the core."""

from __future__ import annotations

from ..apis import Api, WebhookPolicy
from . import PREFIX, VERSIONS, errors, routes
from .kinds import KINDS
from .simulate import simulate
from .webhooks import RETRIES, SIGNING_FIELDS, WEBHOOKS, delivery_target, sign_delivery

API = Api(
    name="shoplazza",
    title="Shoplazza OpenAPI",
    prefix=PREFIX,
    errors=errors,
    blueprints=routes.blueprints,
    base_path=f"{PREFIX}/{{version}}",
    versions=VERSIONS,
    kinds=KINDS,
    webhooks=WebhookPolicy(WEBHOOKS, RETRIES, SIGNING_FIELDS, sign_delivery, delivery_target),
    # Every response under /openapi, errors and unknown routes included, carries Request-Id.
    request_id_header="Request-Id",
    simulate=simulate,
)
