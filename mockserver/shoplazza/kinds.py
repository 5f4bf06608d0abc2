"""The Shoplazza record kinds: each stored kind's name and the fields that name one record."""

from __future__ import annotations

from ..kinds import Kind
from .models import ORDERS, SHOPS, TRANSACTIONS
from .webhooks import WEBHOOKS

KINDS = (
    Kind(ORDERS, ("id", "number")),
    Kind(TRANSACTIONS),
    Kind(SHOPS),
    Kind(WEBHOOKS),
)
