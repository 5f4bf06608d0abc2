"""The Shoppex record kinds: each stored kind's name and the fields that name one record."""

from __future__ import annotations

from ..kinds import Kind, store_keys
from .catalog import COUPONS, PRODUCTS
from .models import AFFILIATE_LINKS, INVOICES, REFUNDS, SHOPS
from .webhooks import WEBHOOKS

KINDS = (
    Kind(INVOICES, ("id", "uniqid")),
    Kind(PRODUCTS, ("id", "uniqid")),
    Kind(COUPONS, ("id", "code")),
    Kind(AFFILIATE_LINKS, ("id", "code", "customer_id")),
    Kind(SHOPS),
    Kind(REFUNDS),
    Kind(WEBHOOKS),
)
STORE_KEYS = store_keys(KINDS)
