"""Shoplazza refunds, post-sale records and the platform's own events on an order. Plain Python: no Flask.

Refund records (kind `shoplazza.refunds`) and post-sale records (kind `shoplazza.post_sales`)
are written in the same store transaction as the order change they come with; every order
change goes through the backend's one change path and the lifecycle table.
"""

from __future__ import annotations

import copy

from .. import cursors
from ..wire import parse_iso
from . import fulfillments, lifecycle, refunds
from .errors import NotFound
from .models import TRANSACTIONS, ShoplazzaBackend
from .values import ZERO, money, money_or_zero

REFUNDS = "shoplazza.refunds"
POST_SALES = "shoplazza.post_sales"
# Refund records, post-sale records and refund transactions take their ids from the shop's transaction sequence.
SEQUENCE = "last_transaction_sequence"
REFUND_OUTCOMES = {"refund_succeeded": refunds.FINISHED, "refund_failed": refunds.FAILED}


def _order_of(doc: dict) -> str:
    # The store's view of refund and post-sale records by order.
    return str(doc.get("order_id") or "")


def page_records(docs: list[dict], name: str, query: dict) -> tuple[list[dict], str, bool]:
    """One page of `docs` by (sort field, id), strictly after the query's cursor: (page, cursor or "", has_more)."""
    sort_by, descending = query["sort_by"], query["sort_direction"] == "desc"

    def key(doc: dict) -> list:
        return [str(doc.get(sort_by, "")), str(doc.get("id", ""))]

    ordered = sorted(docs, key=key, reverse=descending)
    after = query.get("after")
    if after is not None:
        ordered = [d for d in ordered if (key(d) < after if descending else key(d) > after)]
    chunk = ordered[: query["page_size"]]
    has_more = len(ordered) > len(chunk)
    cursor = cursors.encode_cursor([name, sort_by, query["sort_direction"], *key(chunk[-1])]) if has_more else ""
    return chunk, cursor, has_more


def page_position(name: str, sort_fields: tuple[str, ...]):
    """A cursor decoder for page_records' cursors of list `name`: (sort_by, direction, [key, id]) or None."""

    def decode(cursor: str):
        value = cursors.decode_cursor(cursor)
        ok = isinstance(value, list) and len(value) == 5 and value[0] == name and value[1] in sort_fields
        if not ok or value[2] not in ("asc", "desc") or not all(isinstance(part, str) for part in value[3:]):
            return None
        return value[1], value[2], value[3:]

    return decode


def _in_times(doc: dict, times: dict) -> bool:
    # Inclusive bounds (Unix seconds) on the record's ISO times.
    for field, (low, high) in times.items():
        stamp = parse_iso(doc[field]) if doc.get(field) else 0
        if (low is not None and stamp < low) or (high is not None and stamp > high):
            return False
    return True


def _refund_matches(doc: dict, query: dict) -> bool:
    # GET orders/refund_records filters.
    for field, param in (("order_id", "order_ids"), ("id", "refund_order_ids"), ("refund_status", "refund_statuses")):
        if query.get(param) and doc.get(field) not in query[param]:
            return False
    return _in_times(doc, query["times"])


class AfterSalesBackend(ShoplazzaBackend):
    """Refunds, post-sales and simulated platform events for one namespace (one access-token)."""

    # -- refunds ----------------------------------------------------------------

    def refunds_of(self, order_id: str) -> list[dict]:
        """An order's refund records, oldest first (a lookup by order, not a scan)."""
        return self.store.matching(self.namespace, REFUNDS, _order_of, order_id)

    def order_refunds(self, order_id: str) -> tuple[dict, list[dict]]:
        """GET orders/{order_id}/refund: the order and its refund records."""
        return self.get_order(order_id), self.refunds_of(order_id)

    def list_refunds(self, query: dict) -> tuple[list[dict], str, bool]:
        """GET orders/refund_records: every order's refund records, filtered, sorted and paged."""
        return page_records(self._matching_refunds(query), "refund_records", query)

    def count_refunds(self, query: dict) -> int:
        """GET orders/refund_records/count: the records the same filters select."""
        return len(self._matching_refunds(query))

    def _matching_refunds(self, query: dict) -> list[dict]:
        return [doc for doc in self.store.all(self.namespace, REFUNDS) if _refund_matches(doc, query)]

    def create_refund(self, order_id: str, param: dict) -> dict:
        """POST orders/{order_id}/refund: a refund record, its transactions and its post-sale record; the order moves."""
        made = {}

        def refund(doc: dict, now: str) -> str:
            # Every check before anything is written (the shop's counters included).
            records = self.refunds_of(order_id)
            total = refunds.check_amount(param, doc, records)
            paid_with = refunds.refund_payments(param, doc, total)
            lines = refunds.refund_lines(param, doc)
            status = refunds.FINISHED if refunds.instant([line for line, _ in paid_with]) else refunds.PENDING
            record_id, post_sale_id = self._new_id(SEQUENCE), self._new_id(SEQUENCE)
            # One transaction per payment refunded, each a payment detail of the record.
            details = []
            for line, amount in paid_with:
                transaction_id = self._new_id(SEQUENCE)
                self.store.insert(self.namespace, TRANSACTIONS, refunds.refund_transaction(transaction_id, doc, line, amount, status, now))
                details.append(refunds.payment_detail(transaction_id, line, amount, status, now))
            record = refunds.refund_record(record_id, post_sale_id, doc, param, details, lines, status, now)
            # The order's own fields, then the row it moves by.
            _count_refunded_lines(doc, lines)
            row = self._refund_row(doc, [*records, record])
            # The post-sale record shows the order as this refund leaves it.
            number = f"{doc['number']}-{len(records) + 1}"
            self.store.insert(self.namespace, POST_SALES, refunds.post_sale(post_sale_id, number, _moved(doc, row), record, now))
            made["record"] = self.store.insert(self.namespace, REFUNDS, record)
            return row

        self._change(order_id, "order-refund-record-create", refund)
        self.events("refunds/create", refunds.refund_view(made["record"]))
        return made["record"]

    def _refund_row(self, doc: dict, records: list[dict]) -> str:
        # refund-pending while one is pending; else partial or full by what the finished ones add up to.
        doc["refund_status"] = records[-1]["refund_status"] if records else doc.get("refund_status", "")
        if any(r["refund_status"] == refunds.PENDING for r in records):
            return "refund-pending"
        refunded = sum((money_or_zero(r["refund_price"]) for r in records if r["refund_status"] == refunds.FINISHED), ZERO)
        doc["total_refund_price"] = money(refunded)
        return "refund-full" if refunded >= money_or_zero(doc.get("total_paid")) else "refund-partial"

    # -- post-sales -------------------------------------------------------------

    def list_post_sales(self, query: dict) -> tuple[list[dict], str, bool]:
        """GET orders/post_sales: newest first by default, filtered by status and created_at."""
        found = [
            doc
            for doc in self.store.all(self.namespace, POST_SALES)
            if (query.get("status") is None or doc.get("status") == query["status"]) and _in_times(doc, query["times"])
        ]
        return page_records(found, "post_sales", query)

    def delete_post_sale(self, post_sale_id: str) -> None:
        """DELETE orders/post_sales/{post_sale_id}: the record goes; its refund stays."""
        if self.store.delete(self.namespace, POST_SALES, post_sale_id) is None:
            raise NotFound(f"post_sale_id: post-sale record {post_sale_id} not found")

    # -- what only the platform does ---------------------------------------------

    def simulate(self, order_id: str, event: str) -> dict:
        """The platform's `event` on an order: its lifecycle row, and for a refund outcome its records too."""
        outcome = REFUND_OUTCOMES.get(event)

        def settle(doc: dict, now: str) -> str | None:
            # The buyer's receipt finishes what was shipped.
            if event == "buyer_received":
                return self._receive(order_id, doc, now)
            # A refund's outcome: every pending record (its transactions and post-sale too) takes it.
            if outcome is None:
                return None
            records = [self._settle_record(record, outcome, now) for record in self.refunds_of(order_id)]
            row = self._refund_row(doc, records)
            if outcome == refunds.FAILED:
                doc["refund_status"] = outcome
                row = f"simulate/{event}"
            self._settle_post_sales(order_id, _moved(doc, row), now)
            return row

        return self._change(order_id, f"simulate/{event}", settle)

    def _receive(self, order_id: str, doc: dict, now: str) -> str:
        # Every shipped fulfillment is finished (as completing it does), and the order's lines follow.
        stored = fulfillments.by_order(self.store, self.namespace, order_id)
        received = [fulfillments.with_status(f, fulfillments.FINISHED, now) if f["status"] == fulfillments.SHIPPED else f for f in stored]
        for before, after in zip(stored, received, strict=True):
            if after != before:
                self.store.modify(self.namespace, fulfillments.FULFILLMENTS, after["id"], lambda _stored, after=after: after)
        if stored:
            fulfillments.refresh_order(doc, received)
        # Everything shipped and received: the order is finished, as when its last fulfillment completes.
        progress = fulfillments.progress(doc["line_items"], received) if stored else doc.get("fulfillment_status")
        if progress not in ("shipped", "finished"):
            return "simulate/buyer_received"
        doc["finished_at"] = now
        return "buyer-received-all"

    def _settle_record(self, record: dict, outcome: str, now: str) -> dict:
        # A pending record, its payment details and their transactions take the outcome; others stay.
        if record["refund_status"] != refunds.PENDING:
            return record
        record = copy.deepcopy(dict(record))
        for detail in record["payment_details"]:
            detail.update(refund_status=outcome, finished_at=now if outcome == refunds.FINISHED else "")
            status = refunds.TRANSACTION_STATUS[outcome]
            self.store.modify(self.namespace, TRANSACTIONS, detail["id"], lambda t, status=status: {**t, "status": status})
        record.update(refund_status=outcome, updated_at=now)
        return self.store.modify(self.namespace, REFUNDS, record["id"], lambda _stored: record)

    def _settle_post_sales(self, order_id: str, order: dict, now: str) -> None:
        # Each post-sale record of the order shows its refund's status and the order's financial status.
        statuses = {r["id"]: r["refund_status"] for r in self.refunds_of(order_id)}
        for sale in self.store.matching(self.namespace, POST_SALES, _order_of, order_id):
            status = refunds.POST_SALE_STATUS[statuses.get(sale.get("refund_record_id"), refunds.FINISHED)]
            changes = {"status": status, "financial_status": order["financial_status"]}
            self.store.modify(self.namespace, POST_SALES, sale["id"], lambda stored, changes=changes: {**stored, **changes})


def _count_refunded_lines(doc: dict, lines: list[dict]) -> None:
    # Each refunded line item counts the quantity refunded.
    by_id = {line["line_item_id"]: line["refund_quantity"] for line in lines}
    for item in doc.get("line_items", []):
        if item["id"] in by_id:
            item["refund_quantity_total"] = int(item.get("refund_quantity_total", 0)) + by_id[item["id"]]


def _moved(doc: dict, row: str) -> dict:
    # The order as `row` will leave it (the change path applies the row itself).
    return lifecycle.apply(row, copy.deepcopy(doc))
