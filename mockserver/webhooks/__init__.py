"""Outgoing webhooks: signing, the delivery log, and the background worker that sends them."""
