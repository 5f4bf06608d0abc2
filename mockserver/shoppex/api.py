"""The Shoppex Developer API as registered with the core."""

from __future__ import annotations

from ..apis import Api, WebhookPolicy
from . import webhook_views  # noqa: F401  (registers the webhooks routes on the Shoppex blueprint)
from .kinds import KINDS
from .views import bp
from .webhooks import RETRIES, WEBHOOKS, delivery_target, sign_delivery

API = Api(
    name="shoppex",
    title="Shoppex Developer API",
    blueprint=bp,
    base_path=bp.url_prefix,
    versions=("v1",),
    kinds=KINDS,
    webhooks=WebhookPolicy(WEBHOOKS, RETRIES, ("secret",), sign_delivery, delivery_target),
)
