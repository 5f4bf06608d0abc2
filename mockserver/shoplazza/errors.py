"""Shoplazza OpenAPI error codes as exceptions, and the error envelope `{"code", "message"}`.

Status groups follow the 2025-06 reference: 400 validation (`InvalidParameter`),
401 missing or unknown access-token, 403 missing scope, 404 no such order or
route, 500 business-rule refusals (paying a paid order, cancelling a cancelled one).
"""

from __future__ import annotations

from ..http import ApiError
from ..http import error_for_status as _error_for_status


class ShoplazzaError(ApiError):
    """An error the Shoplazza OpenAPI answers with; subclasses name the codes."""

    code = "InvalidParameter"

    def body(self) -> dict:
        """The documented error envelope."""
        return {"code": self.code, "message": self.message}


class InvalidParameter(ShoplazzaError):
    """400 InvalidParameter: a query parameter or body field is missing or malformed."""


class Unauthorized(ShoplazzaError):
    """401 Unauthorized: no access-token header, or one the server was not told to accept."""

    status = 401
    code = "Unauthorized"


class Forbidden(ShoplazzaError):
    """403 Forbidden: the access-token lacks the scope the call needs."""

    status = 403
    code = "Forbidden"


class NotFound(ShoplazzaError):
    """404 NotFound: no such order (or deleted), unknown API version or route."""

    status = 404
    code = "NotFound"


class MethodNotAllowed(ShoplazzaError):
    """405 MethodNotAllowed: a known path called with a method it does not take."""

    status = 405
    code = "MethodNotAllowed"


class PayloadTooLarge(ShoplazzaError):
    """413 RequestEntityTooLarge: a body over the configured limit."""

    status = 413
    code = "RequestEntityTooLarge"


class FailedPrecondition(ShoplazzaError):
    """500 FailedPrecondition: a business rule refuses the operation (e.g. paying a paid order)."""

    status = 500
    code = "FailedPrecondition"


class InternalError(ShoplazzaError):
    """500 InternalError: a bug in the mock, never a client's fault."""

    status = 500
    code = "InternalError"


def field_error(field: str, message: str) -> InvalidParameter:
    """An InvalidParameter about one field, named first in the message."""
    return InvalidParameter(f"{field}: {message}")


def order_not_found(order_id: str) -> NotFound:
    """The 404 for an order that does not exist (or was deleted)."""
    return NotFound(f"order_id: order {order_id} not found")


# The classes an HTTP status found outside the views maps to (the first 4xx and 5xx ones are the fallbacks).
BY_STATUS = (InvalidParameter, Unauthorized, Forbidden, NotFound, MethodNotAllowed, PayloadTooLarge, InternalError)


def error_for_status(status: int, message: str, details: list[dict] | None = None) -> ShoplazzaError:
    """The Shoplazza error for an HTTP status found outside the views (routing, body parsing)."""
    if status == 422:
        # Shoplazza 2025-06 reports every validation problem as a 400 InvalidParameter.
        status = 400
    if details:
        message = "; ".join(f"{d['field']}: {d['message'].rstrip('.')}" for d in details)
    return _error_for_status(BY_STATUS, status, message, details)
