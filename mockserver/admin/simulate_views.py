"""/__admin/<api>/orders/<id>/simulate: what only the platform or a processor does, played by the API that registered it."""

from __future__ import annotations

from ..http import json_response
from ..operations import operation
from . import errors
from .queries import RequiredNamespaceQuery
from .schemas import SimulateSchema
from .views import AD_BODY, namespace_arg, runtime


@operation(
    "POST",
    "/<api>/orders/<id>/simulate",
    "Play a platform or processor event (dispute, partial payment, ...) on an order",
    response="AdminSimulated",
    errors=(*AD_BODY, 404),
    body=SimulateSchema,
    described_query=RequiredNamespaceQuery,
    shape="raw",
)
def simulate_order_event(api: str, id: str, body: dict):
    """The registered API's simulation of `body["event"]` on order `id` in ?namespace= (the API's own errors when refused)."""
    # The API by its registered name; one that registers no simulations has no such route.
    found = next((a for a in runtime().apis if a.name == api and a.simulate is not None), None)
    if found is None:
        simulating = ", ".join(a.name for a in runtime().apis if a.simulate is not None)
        raise errors.AdminError(404, f"No API named {api!r} simulates order events (these do: {simulating}).")
    # The namespace is the caller's key (seeded on first use, as the API itself would).
    namespace = namespace_arg(required=True, create=True)
    return json_response({"data": found.simulate(runtime(), namespace, id, body)})
