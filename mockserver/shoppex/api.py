"""The Shoppex Developer API as registered with the core."""

from __future__ import annotations

from ..apis import Api, WebhookPolicy
from . import PREFIX, errors, routes
from .kinds import KINDS
from .simulations import simulate
from .webhooks import RETRIES, WEBHOOKS, delivery_target, sign_delivery

API = Api(
    name="shoppex",
    title="Shoppex Developer API",
    prefix=PREFIX,
    errors=errors,
    blueprints=routes.blueprints,
    base_path=PREFIX,
    versions=("v1",),
    kinds=KINDS,
    webhooks=WebhookPolicy(WEBHOOKS, RETRIES, ("secret",), sign_delivery, delivery_target),
    simulate=simulate,
)
