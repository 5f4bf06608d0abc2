"""Shoplazza refund, post-sale and risk routes under /openapi/{version}/orders, on the Shoplazza blueprint.

Scopes follow the blueprint's rule: reads need read_order, writes write_order.
"""

from __future__ import annotations

from ..operations import operation
from .aftersale_schemas import (
    CreateRefundSchema,
    CreateRiskSchema,
    PostSaleQuerySchema,
    RefundCountQuerySchema,
    RefundQuerySchema,
    UpdateRiskSchema,
)
from .aftersales import AfterSalesBackend
from .refunds import post_sale_view, refund_view
from .risks import RiskBackend, assessments
from .views import QUERY, READ, RULE, WRITE, backend, cursor_page, success


def aftersales() -> AfterSalesBackend:
    """The refunds and post-sales of the calling token's namespace."""
    return backend(AfterSalesBackend)


def risks() -> RiskBackend:
    """The risk records of the calling token's namespace."""
    return backend(RiskBackend)


@operation(
    "POST",
    "/<version>/orders/<order_id>/refund",
    "Refund a paid order (capped at what was paid minus what was refunded)",
    response="ShoplazzaRefundCreated",
    errors=RULE,
    body=CreateRefundSchema,
    shape="raw",
)
def create_refund(order_id: str, body: dict):
    """Record a refund: a refund record, its transactions and a post-sale record; the order's financial_status moves."""
    record = aftersales().create_refund(order_id, body["refund"])
    return success({"refund_record_id": record["id"], "post_sale_id": record["post_sale_id"]})


@operation(
    "GET", "/<version>/orders/<order_id>/refund", "An order's refund records", response="ShoplazzaOrderRefunds", errors=READ, shape="raw"
)
def order_refunds(order_id: str):
    """An order's refund records with its current financial_status and status."""
    order, records = aftersales().order_refunds(order_id)
    return success(
        {"order_financial_status": order["financial_status"], "order_status": order["status"], "records": [refund_view(r) for r in records]}
    )


@operation(
    "GET",
    "/<version>/orders/refund_records",
    "Every order's refund records (filters, sort, cursor)",
    response="ShoplazzaRefundRecordList",
    errors=QUERY,
    query=RefundQuerySchema,
    shape="raw",
)
def list_refunds(query: dict):
    """Refund records across orders, filtered, sorted and paged."""
    return cursor_page("records", aftersales().list_refunds(query), refund_view)


@operation(
    "GET",
    "/<version>/orders/refund_records/count",
    "Count refund records",
    response="ShoplazzaCount",
    errors=QUERY,
    query=RefundCountQuerySchema,
    shape="raw",
)
def count_refunds(query: dict):
    """Count the refund records the list's filters select."""
    return success({"count": aftersales().count_refunds(query)})


@operation(
    "GET",
    "/<version>/orders/post_sales",
    "Post-sale (after-sales) records, newest first",
    response="ShoplazzaPostSaleList",
    errors=QUERY,
    query=PostSaleQuerySchema,
    shape="raw",
)
def list_post_sales(query: dict):
    """Post-sale records, filtered by status and created_at, paged."""
    return cursor_page("orders", aftersales().list_post_sales(query), post_sale_view)


@operation(
    "DELETE",
    "/<version>/orders/post_sales/<post_sale_id>",
    "Delete a post-sale record",
    response="ShoplazzaEmpty",
    errors=READ,
    shape="raw",
)
def delete_post_sale(post_sale_id: str):
    """Delete a post-sale record (its refund stays)."""
    aftersales().delete_post_sale(post_sale_id)
    return success({})


@operation(
    "GET",
    "/<version>/orders/<order_id>/risks",
    "An order's risk assessments",
    response="ShoplazzaRiskAssessments",
    errors=READ,
    shape="raw",
)
def risk_assessments(order_id: str):
    """The order's assessment labels and infos, read from its risk records."""
    return success(assessments(risks().risks_of(order_id)))


@operation(
    "POST",
    "/<version>/orders/<order_id>/risks",
    "Add a risk record",
    response="ShoplazzaRiskEnvelope",
    errors=WRITE,
    body=CreateRiskSchema,
    shape="raw",
)
def create_risk(order_id: str, body: dict):
    """Attach a custom risk record (level low, medium or high) to an order."""
    return success({"risk": risks().create_risk(order_id, body["risk"])})


@operation(
    "GET", "/<version>/orders/<order_id>/risks/<risk_id>", "Get a risk record", response="ShoplazzaRiskEnvelope", errors=READ, shape="raw"
)
def get_risk(order_id: str, risk_id: str):
    """One risk record of an order."""
    return success({"risk": risks().get_risk(order_id, risk_id)})


@operation(
    "PUT",
    "/<version>/orders/<order_id>/risks/<risk_id>",
    "Update a risk record",
    response="ShoplazzaRiskEnvelope",
    errors=WRITE,
    body=UpdateRiskSchema,
    shape="raw",
)
def update_risk(order_id: str, risk_id: str, body: dict):
    """Change a risk record's level, details or properties."""
    return success({"risk": risks().update_risk(order_id, risk_id, body["risk"])})


@operation(
    "DELETE", "/<version>/orders/<order_id>/risks/<risk_id>", "Delete a risk record", response="ShoplazzaEmpty", errors=READ, shape="raw"
)
def delete_risk(order_id: str, risk_id: str):
    """Remove one risk record; the order and its other records stay."""
    risks().delete_risk(order_id, risk_id)
    return success({})
