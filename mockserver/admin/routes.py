"""The admin blueprint with every /__admin route (and GET /), built when the app asks for it (nothing registers at import)."""

from __future__ import annotations

from flask import Blueprint

from ..operations import attach, describe
from . import PREFIX, errors, index, simulate_views, views, webhook_views
from .responses import DOC


def blueprints() -> tuple[Blueprint, ...]:
    """A fresh admin blueprint: the index, health, namespaces, clock, journal, faults, snapshots, fixtures, webhooks."""
    bp = Blueprint("admin", __name__, url_prefix=PREFIX)
    bp.errors = errors
    describe(bp, DOC)
    # GET / lives outside the /__admin prefix, so it is registered on the app itself.
    bp.record_once(lambda state: state.app.add_url_rule("/", "index", index.root_index, methods=["GET"]))
    return (attach(bp, index, views, webhook_views, simulate_views),)
