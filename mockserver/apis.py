"""What an emulated API registers with the core: its routes, errors, record kinds and webhook policy.

Each API package exposes one `API`; the composition root (app.py) lists them and the core
(store, webhook delivery, admin index, error rendering) reads everything API-specific from
there, so no generic module imports an API package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from flask import Blueprint

from .kinds import Kind

# (delivery, timestamp) -> the signed headers of one attempt.
Signer = Callable[[dict, int], dict[str, str]]
# (subscription, delivery) -> (url, signing) of the next attempt, or why it cannot go.
Target = Callable[[dict, dict], "tuple[str, dict] | str"]
# (runtime, namespace, order id, body with its `event`) -> the changed order as the API shows it.
# What only the platform or a payment processor does to an order; refusals raise the API's own errors.
Simulate = Callable[[Any, str, str, dict], dict]


@dataclass(frozen=True)
class WebhookPolicy:
    """How an API's webhook deliveries are addressed, signed and retried."""

    subscriptions: str  # the kind its subscriptions are stored as
    retries: tuple[int, ...]  # seconds to wait before each retry, in order
    signing_fields: tuple[str, ...]  # what a delivery's `signing` must hold
    sign: Signer
    target: Target


@dataclass(frozen=True)
class Api:
    """One emulated API as the core sees it."""

    name: str  # "shoppex": the prefix of its kinds and the `api` of its deliveries
    title: str  # shown by the admin index
    prefix: str  # the path prefix every route of the API is under
    errors: ModuleType  # its errors module: error_for_status renders the API's envelope
    blueprints: Callable[[], tuple[Blueprint, ...]]  # fresh blueprints with every route, asked for by create_app
    base_path: str  # shown by the admin index ("/openapi/{version}")
    versions: tuple[str, ...]
    kinds: tuple[Kind, ...]
    webhooks: WebhookPolicy
    request_id_header: str | None = None  # a request id header besides x-request-id
    simulate: Simulate | None = None  # played by POST /__admin/<name>/orders/<id>/simulate

    def index_entry(self) -> dict:
        """The API as the admin index lists it."""
        return {"name": self.title, "base_path": self.base_path, "versions": list(self.versions)}
