"""The marshmallow field of every URL a client gives the server to call (webhook subscriptions, payment `webhook`)."""

from __future__ import annotations

from flask import current_app
from marshmallow import ValidationError, fields


class WebhookUrl(fields.Url):
    """An http(s) URL, any host (no top-level domain needed), that the target rules allow."""

    def __init__(self, **kwargs):
        super().__init__(require_tld=False, schemes={"http", "https"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        url = super()._deserialize(value, attr, data, **kwargs)
        # The rules of the app serving this request: its port, host names and --webhook-allow-private.
        reason = current_app.extensions["mockserver"].deliveries.rules.refusal(url)
        if reason is not None:
            raise ValidationError(f"Webhook URL {reason}.")
        return url
