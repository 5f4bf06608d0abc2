"""Shoplazza OpenAPI orders area (`/openapi/{version}/orders/...`), including payment/success."""

# The emulated API versions, under /openapi/{version}.
PREFIX = "/openapi"
VERSIONS = ("2025-06", "2026-01")
