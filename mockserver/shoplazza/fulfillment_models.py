"""The Shoplazza fulfillment operations: each moves its order through the backend's one change path. Plain Python.

Every write goes through ShoplazzaBackend._change: the lifecycle table refuses or moves the order
(its fulfillment_status, and status when the last fulfillment completes), the fulfillment record
is written in the same store transaction, and the row's topics fire (fulfillments/* with the
fulfillment, orders/* with the order).
"""

from __future__ import annotations

from . import fulfillments
from .errors import NotFound
from .fulfillments import FULFILLMENTS
from .models import ShoplazzaBackend
from .values import within

# The lifecycle row that moves no status: an update, or a fulfillment operation that changes nothing.
UNCHANGED = "fulfillment-update"


class FulfillmentBackend(ShoplazzaBackend):
    """The order operations plus the fulfillments under orders/{order_id}/fulfillments."""

    # -- reads -----------------------------------------------------------------

    def get_fulfillment(self, order_id: str, fulfillment_id: str) -> dict:
        """GET fulfillments/{fulfillment_id}: the order's (404 for another order's or an unknown id)."""
        self.get_order(order_id)
        doc = self.store.get(self.namespace, FULFILLMENTS, fulfillment_id)
        if doc is None or doc.get("order_id") != order_id:
            raise NotFound(f"fulfillment_id: order {order_id} has no fulfillment {fulfillment_id}")
        return doc

    def _selected(self, order_id: str, query: dict) -> list[dict]:
        # The order's fulfillments, oldest first, within the query's time bounds.
        self.get_order(order_id)
        found = fulfillments.by_order(self.store, self.namespace, order_id)
        return [doc for doc in found if within(doc, query["times"])]

    def list_fulfillments(self, order_id: str, query: dict) -> tuple[list[dict], str, bool]:
        """GET fulfillments: oldest first, (fulfillments, cursor or "", has_more)."""
        found = self._selected(order_id, query)
        if query.get("after") is not None:
            found = [doc for doc in found if int(doc["position"]) > query["after"]]
        chunk = found[: query["page_size"]]
        has_more = len(found) > len(chunk)
        return chunk, fulfillments.encode_cursor(int(chunk[-1]["position"])) if has_more else "", has_more

    def count_fulfillments(self, order_id: str, query: dict) -> int:
        """GET fulfillments/count with the same time filters."""
        return len(self._selected(order_id, query))

    # -- writes ----------------------------------------------------------------

    def create_fulfillment(self, order_id: str, param: dict) -> dict:
        """POST fulfillments: ship the requested quantities (0 or none: all that remains) of a paid order."""
        subjects: dict[str, dict] = {}

        def ship(doc: dict, now: str) -> str:
            # The quantities (refused before anything is written), then the new record.
            chosen = fulfillments.plan(doc, param["line_items"])
            existing = fulfillments.by_order(self.store, self.namespace, order_id)
            position = max((int(f["position"]) for f in existing), default=0) + 1
            created = self.store.insert(self.namespace, FULFILLMENTS, fulfillments.new_fulfillment(doc, chosen, param, position, now))
            # The order's side: its fulfillments, lines and the row its progress picks.
            fulfillments.refresh_order(doc, [*existing, created])
            subjects["fulfillments"] = fulfillments.public(created)
            return fulfillments.row_for("create", doc)

        self._change(order_id, "fulfillment-create", ship, subjects)
        return self.get_fulfillment(order_id, subjects["fulfillments"]["id"])

    def update_fulfillment(self, order_id: str, fulfillment_id: str, param: dict) -> dict:
        """PUT fulfillments/{fulfillment_id}: tracking details and phone number (send_email is accepted, no email goes)."""

        def edit(current: dict, now: str) -> dict:
            changed = {**current, **{name: param[name] for name in fulfillments.EDITABLE if name in param}}
            return {**changed, "updated_at": now} if changed != current else current

        return self._edit(order_id, fulfillment_id, "update", edit)

    def complete_fulfillment(self, order_id: str, fulfillment_id: str) -> dict:
        """POST .../complete: the fulfillment is finished; one already finished is answered as it is."""

        def edit(current: dict, now: str) -> dict:
            return current if current["status"] == fulfillments.FINISHED else fulfillments.with_status(current, fulfillments.FINISHED, now)

        return self._edit(order_id, fulfillment_id, "complete", edit)

    def cancel_fulfillment(self, order_id: str, fulfillment_id: str) -> dict:
        """POST .../cancel: a shipped fulfillment is cancelled and its quantities are unfulfilled again."""
        return self._edit(
            order_id, fulfillment_id, "cancel", lambda current, now: fulfillments.with_status(current, fulfillments.CANCELLED, now)
        )

    def _edit(self, order_id: str, fulfillment_id: str, operation: str, edit) -> dict:
        """Change one fulfillment by `edit(current, now)` and move its order by the row the order's progress picks."""
        subjects: dict[str, dict] = {}

        def change(doc: dict, now: str) -> str:
            # The fulfillment must be the order's and in a status the operation takes.
            current = self.get_fulfillment(order_id, fulfillment_id)
            fulfillments.check_allowed(operation, current)
            changed = edit(dict(current), now)
            if changed == current:
                return UNCHANGED
            self.store.modify(self.namespace, FULFILLMENTS, fulfillment_id, lambda _stored: changed)
            # The order's side, as for create.
            siblings = [changed if f["id"] == fulfillment_id else f for f in fulfillments.by_order(self.store, self.namespace, order_id)]
            fulfillments.refresh_order(doc, siblings)
            subjects["fulfillments"] = fulfillments.public(changed)
            row = UNCHANGED if operation == "update" else fulfillments.row_for(operation, doc)
            if row == "fulfillment-complete-all":
                doc["finished_at"] = now
            return row

        self._change(order_id, f"fulfillment-{operation}", change, subjects)
        return self.get_fulfillment(order_id, fulfillment_id)
