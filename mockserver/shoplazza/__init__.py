"""Shoplazza OpenAPI orders area (`/openapi/{version}/orders/...`), including payment/success."""
