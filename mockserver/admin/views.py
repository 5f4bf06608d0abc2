"""The /__admin control plane: health (and, as it grows, reset, clock, journal...)."""

from __future__ import annotations

from flask import Blueprint

from ..http import json_response
from . import errors

bp = Blueprint("admin", __name__, url_prefix="/__admin")
bp.errors = errors


@bp.get("/health")
def health():
    """Liveness probe used by the Docker HEALTHCHECK."""
    return json_response({"status": "ok"})
