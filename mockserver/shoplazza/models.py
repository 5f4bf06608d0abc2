"""Shoplazza orders, transactions and the shop's counters, and their rules. Plain Python: no Flask.

Orders are stored (kind `shoplazza.orders`) as the `order` object the API returns;
transactions (kind `shoplazza.transactions`) as v202506.Transaction. One shop record per
namespace (kind `shoplazza.shops`) holds the shop number and the sequences new ids,
order numbers and custom-payment transaction numbers count up from.
"""

from __future__ import annotations

import copy

from ..clock import Clock
from ..store import Store
from ..wire import iso
from . import filters, lifecycle, orders, payments
from .errors import NotFound, order_not_found
from .values import money

ORDERS = "shoplazza.orders"
TRANSACTIONS = "shoplazza.transactions"
SHOPS = "shoplazza.shops"

# Used when the fixtures seed no shop: the documented shop number, no custom payments yet.
DEFAULT_SHOP = {
    "id": "6265",
    "number": "6265",
    "domain": "mockshop.myshoplaza.com",
    "last_custom_payment_sequence": 0,
    "last_order_sequence": 0,
    "last_order_number": 1000,
    "last_transaction_sequence": 0,
}
PRICE_FIELDS = ("shipping_line", "additional_prices", "clear_additional_prices")


def _is_live(doc: dict) -> bool:
    # The store's view of orders by liveness (not deleted), for counting them without reading them.
    return not doc.get("deleted_at")


def _order_of(transaction: dict) -> str:
    # The store's view of transactions by order, for finding an order's transactions without a scan.
    return str(transaction.get("order_id") or "")


class ShoplazzaBackend:
    """The Shoplazza order operations for one namespace (one access-token)."""

    def __init__(self, store: Store, clock: Clock, namespace: str, events=None):
        self.store = store
        self.clock = clock
        self.namespace = namespace
        # Called as events(topic, order) after each committed change, outside the store lock (webhooks).
        self.events = events or (lambda topic, doc: None)

    def now(self) -> str:
        """The clock's time as Shoplazza writes it."""
        return iso(self.clock.now())

    # -- lookups -------------------------------------------------------------

    def get_order(self, order_id: str) -> dict:
        """GET orders/{order_id}; deleted orders are gone (404)."""
        doc = self.store.get(self.namespace, ORDERS, order_id)
        if doc is None or doc.get("id") != order_id or doc.get("deleted_at"):
            raise order_not_found(order_id)
        return doc

    def get_order_by_number(self, number: str) -> dict:
        """GET orders/number/{number}."""
        doc = self.store.get(self.namespace, ORDERS, number)
        if doc is None or doc.get("number") != number or doc.get("deleted_at"):
            raise NotFound(f"number: no order with number {number}")
        return doc

    def _live_orders(self) -> list[dict]:
        return [doc for doc in self.store.all(self.namespace, ORDERS) if not doc.get("deleted_at")]

    def list_orders(self, query: filters.OrderQuery) -> tuple[list[dict], str, bool]:
        """GET orders: (orders, cursor, has_more)."""

        def keep(doc: dict) -> bool:
            return not doc.get("deleted_at") and filters.matches(doc, query)

        return filters.page_stored(self.store, self.namespace, ORDERS, query, keep)

    def count_orders(self, query: filters.OrderQuery) -> int:
        """GET orders/count: without filters a lookup in the store's view by liveness, else a count of every match."""
        if filters.filters_nothing(query):
            return self.store.count_matching(self.namespace, ORDERS, _is_live, True)
        return sum(1 for doc in self._live_orders() if filters.matches(doc, query))

    def list_transactions(self, order_id: str, status: str | None = None, payment_channel: str | None = None) -> list[dict]:
        """GET orders/{order_id}/transactions, oldest first, optionally filtered (a lookup by order, not a scan)."""
        self.get_order(order_id)
        found = self.store.matching(self.namespace, TRANSACTIONS, _order_of, order_id)
        return [
            t
            for t in found
            if (status is None or t.get("status") == status) and (payment_channel is None or t.get("payment_channel") == payment_channel)
        ]

    # -- the shop's counters ---------------------------------------------------

    def shop(self) -> dict:
        """This namespace's shop record: the seeded one, or (until a counter first moves) DEFAULT_SHOP."""
        with self.store.lock:
            shops = self.store.all(self.namespace, SHOPS)
            return shops[0] if shops else dict(DEFAULT_SHOP)

    def _set_counters(self, counters: dict[str, int]) -> None:
        """Store new values of the shop's sequences (writing the default shop on its first change)."""
        with self.store.lock:
            shop = self.shop()
            if self.store.modify(self.namespace, SHOPS, shop["id"], lambda stored: {**stored, **counters}) is None:
                self.store.insert(self.namespace, SHOPS, {**shop, **counters})

    def _bump(self, counter: str) -> int:
        """Advance one of the shop's sequences and return the new value."""
        with self.store.lock:
            value = int(self.shop().get(counter, 0)) + 1
            self._set_counters({counter: value})
            return value

    def _new_id(self, counter: str) -> str:
        return _order_style_id(self.clock.now(), self._bump(counter))

    # -- writes ----------------------------------------------------------------

    def create_order(self, param: dict) -> dict:
        """POST orders: an unpaid order priced from its lines, shipping, tax and discount.

        The order is built (and so checked: amounts beyond MONEY_MAX are refused) before the shop's
        counters move, so a refused create takes no id or number.
        """
        with self.store.lock:
            shop = self.shop()
            sequence = int(shop.get("last_order_sequence", 0)) + 1
            number = int(shop.get("last_order_number", 0)) + 1
            while self.store.get(self.namespace, ORDERS, str(number)) is not None:
                number += 1
            order_id = _order_style_id(self.clock.now(), sequence)
            doc = orders.new_order(order_id, str(number), param, self.now(), shop.get("domain", DEFAULT_SHOP["domain"]))
            lifecycle.apply("order-create", doc)
            self._set_counters({"last_order_sequence": sequence, "last_order_number": number})
            doc = self.store.insert(self.namespace, ORDERS, doc)
        for topic in lifecycle.topics("order-create"):
            self.events(topic, doc)
        return doc

    def update_order(self, order_id: str, param: dict) -> dict:
        """PUT orders/{order_id}: note, tags, marketing consent, addresses, shipping line, fees.

        An update that changes nothing (`{"order": {}}`, or the values the order already has) is a
        200 with the order as it was: updated_at does not move, nothing is written, no webhook fires.
        """
        operation = "order-update-price" if any(name in param for name in PRICE_FIELDS) else "order-update"
        return self._change(order_id, operation, lambda doc, now: _apply_update(doc, param))

    def delete_order(self, order_id: str) -> None:
        """DELETE orders/{order_id}: the order disappears from every read (kept with deleted_at set)."""
        self._change(order_id, "order-delete", lambda doc, now: doc.update(deleted_at=now))

    def cancel_order(self, order_id: str, reason: str | None) -> dict:
        """POST orders/{order_id}/cancel: opened or placed orders become cancelled."""
        return self._change(order_id, "order-cancel", lambda doc, now: doc.update(cancelled_at=now, cancel_reason=reason or ""))

    def pay_order_success(self, order_id: str, body: dict) -> dict:
        """POST orders/{order_id}/payment/success in one of the four documented modes."""
        gateway = body.get("gateway")
        plan = payments.plan_payment(gateway, body.get("payment_line"), body.get("payment_lines"))

        def pay(doc: dict, now: str) -> None:
            # The payment's lines, numbered from the shop's sequence when it is a custom payment.
            shop = self.shop()
            sequence = int(shop.get("last_custom_payment_sequence", 0)) + 1
            custom_no = payments.custom_transaction_no(str(shop.get("number", shop["id"])), sequence)
            lines = payments.render_lines(plan, order_id, gateway, custom_no)
            _pay(doc, lines, plan, body.get("billing_address"), now)
            if plan.needs_custom_number:
                self._bump("last_custom_payment_sequence")
            # The transaction recording it, in the same store transaction as the order's change.
            transaction_id = self._new_id("last_transaction_sequence")
            self.store.insert(self.namespace, TRANSACTIONS, payments.transaction(transaction_id, doc, lines[0], plan.test, now))

        return self._change(order_id, "order-pay-success", pay)

    def _change(self, order_id: str, operation: str, edit, subjects: dict | None = None) -> dict:
        """The one way a stored order changes: the lifecycle table checks `operation` and moves the statuses, then its topics fire.

        `edit(doc, now)` sets the operation's own fields on a copy; it may name the row the order moves
        by (as a partial and a full refund differ), else `operation`'s row is used. A change that
        changes nothing is not one: nothing is written, updated_at does not move, no topic fires.
        `subjects` maps a topic's resource ("fulfillments") to the document its topics carry, which
        `edit` may fill in; every other topic carries the order.
        """
        now = self.now()
        with self.store.lock:
            # A refusal (or a 404) comes before anything is touched.
            current = self.get_order(order_id)
            lifecycle.check(operation, current)
            # The operation's own fields, then the statuses as its row moves them.
            doc = copy.deepcopy(dict(current))
            row = edit(doc, now) or operation
            lifecycle.apply(row, doc)
            if doc == current:
                return current
            doc["updated_at"] = now
            doc = self.store.modify(self.namespace, ORDERS, order_id, lambda _stored: doc)
        # Outside the store lock: webhooks.
        for topic in lifecycle.topics(row):
            self.events(topic, (subjects or {}).get(topic.partition("/")[0], doc))
        return doc


def _order_style_id(seconds: int, sequence: int) -> str:
    # 21 digits like the documented ids: 10 of Unix time, 11 of the shop's sequence.
    return f"{seconds:010d}{sequence:011d}"


def _pay(doc: dict, lines: list[dict], plan: payments.PaymentPlan, billing: dict | None, now: str) -> None:
    # A payment's own fields; the statuses move by the lifecycle's order-pay-success row.
    if billing:
        doc["billing_address"] = orders.merge_address(doc.get("billing_address") or {}, billing)
    if plan.test:
        doc["tags"] = orders.add_tag(doc.get("tags", ""), payments.TEST_ORDER_TAG)
    doc.update(total_paid=doc["total_price"], placed_at=now)
    doc["payment_line"] = lines[0]
    doc["payment_lines"] = [*doc.get("payment_lines", []), *lines]
    doc["payment_method"] = lines[0]["payment_method"]


def _apply_update(doc: dict, param: dict) -> None:
    for name in ("note", "buyer_accepts_marketing", *orders.NOTIFY_FIELDS):
        if name in param:
            doc[name] = param[name]
    if "tags" in param:
        doc["tags"] = ",".join(param["tags"])
    for name in ("shipping_address", "billing_address"):
        if name in param:
            doc[name] = orders.merge_address(doc.get(name) or {}, param[name])
    if "shipping_line" in param:
        line = param["shipping_line"]
        doc["shipping_line"] = orders.shipping_line(line, doc["shipping_line"].get("id", ""))
        doc["total_shipping"] = money(line["shipping_price"])
    if param.get("clear_additional_prices"):
        doc["additional_prices"] = []
    if "additional_prices" in param:
        doc["additional_prices"] = [orders.additional_price(p) for p in param["additional_prices"]]
    changed = [name for name in PRICE_FIELDS if name in param]
    if changed:
        orders.reprice(doc, f"order.{changed[0]}")
