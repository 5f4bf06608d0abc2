"""Shoplazza order risk records and the risk assessments read from them. Plain Python: no Flask.

A risk record is stored (kind `shoplazza.risks`) as the v202506.OrderRisk the API returns.
Risks never move an order: the order itself is unchanged by every risk call.
"""

from __future__ import annotations

import uuid

from .errors import NotFound
from .models import ShoplazzaBackend

RISKS = "shoplazza.risks"


def _order_of(doc: dict) -> str:
    # The store's view of risk records by order.
    return str(doc.get("order_id") or "")


def assessments(risks: list[dict]) -> dict:
    """The order's assessment labels (each record's level, oldest first) and one info per detail reason."""
    infos = [{"title": risk["level"], "describe": detail} for risk in risks for detail in risk.get("details", [])]
    return {"assessments": [risk["level"] for risk in risks], "infos": infos}


class RiskBackend(ShoplazzaBackend):
    """The risk records of one namespace's orders."""

    def risks_of(self, order_id: str) -> list[dict]:
        """GET orders/{order_id}/risks reads these: the order's risk records, oldest first."""
        self.get_order(order_id)
        return self.store.matching(self.namespace, RISKS, _order_of, order_id)

    def get_risk(self, order_id: str, risk_id: str) -> dict:
        """GET orders/{order_id}/risks/{id}: a record of another order is not found either."""
        self.get_order(order_id)
        doc = self.store.get(self.namespace, RISKS, risk_id)
        if doc is None or doc.get("order_id") != order_id:
            raise NotFound(f"id: order {order_id} has no risk record {risk_id}")
        return doc

    def create_risk(self, order_id: str, param: dict) -> dict:
        """POST orders/{order_id}/risks: a custom risk record (details and properties default to empty)."""
        now = self.now()
        with self.store.lock:
            self.get_order(order_id)
            doc = {
                "id": str(uuid.uuid4()),
                "order_id": order_id,
                "level": param["level"],
                "details": list(param.get("details", [])),
                "properties": dict(param.get("properties", {})),
                "created_at": now,
                "updated_at": now,
            }
            return self.store.insert(self.namespace, RISKS, doc)

    def update_risk(self, order_id: str, risk_id: str, param: dict) -> dict:
        """PUT orders/{order_id}/risks/{id}: the given fields replace the record's; nothing given changes nothing."""
        now = self.now()
        with self.store.lock:
            current = self.get_risk(order_id, risk_id)
            changed = {**current, **param}
            if changed == current:
                return current
            return self.store.modify(self.namespace, RISKS, risk_id, lambda _stored: {**changed, "updated_at": now})

    def delete_risk(self, order_id: str, risk_id: str) -> None:
        """DELETE orders/{order_id}/risks/{id}: only that record goes."""
        with self.store.lock:
            self.get_risk(order_id, risk_id)
            self.store.delete(self.namespace, RISKS, risk_id)
