"""Shoppex error codes as exceptions, and the documented error envelope.

`{"error": {"code", "message", "doc_url", "details": [{"field", "message"}]}}`
"""

from __future__ import annotations

from ..http import ApiError
from ..http import error_for_status as _error_for_status

DOC_URL = "https://docs.shoppex.io/api/errors#{code}"


class ShoppexError(ApiError):
    """An error the Shoppex API answers with; subclasses name the documented codes."""

    def body(self) -> dict:
        """The documented error envelope."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "doc_url": DOC_URL.format(code=self.code),
                "details": self.details,
            }
        }


class BadRequest(ShoppexError):
    """400 BAD_REQUEST: the request is malformed (unparseable JSON, invalid UTF-8), or a business rule refuses it."""


class Unauthorized(ShoppexError):
    """401 UNAUTHORIZED: missing, malformed or unknown API key."""

    status = 401
    code = "UNAUTHORIZED"


class NotFound(ShoppexError):
    """404 NOT_FOUND, or a specific code such as INVOICE_NOT_FOUND."""

    status = 404
    code = "NOT_FOUND"


class MethodNotAllowed(ShoppexError):
    """405 for a known path called with a method it does not take."""

    status = 405
    code = "METHOD_NOT_ALLOWED"


class PayloadTooLarge(ShoppexError):
    """413 for a body over the configured limit."""

    status = 413
    code = "PAYLOAD_TOO_LARGE"


class ValidationError(ShoppexError):
    """422 VALIDATION_ERROR, with one detail per offending field."""

    status = 422
    code = "VALIDATION_ERROR"


class InternalError(ShoppexError):
    """500 INTERNAL_ERROR: a bug in the mock, never a client's fault."""

    status = 500
    code = "INTERNAL_ERROR"


def field_error(field: str, message: str) -> ValidationError:
    """A VALIDATION_ERROR about one field."""
    return ValidationError(f"{field}: {message}", [{"field": field, "message": message}])


# The classes an HTTP status found outside the Shoppex views maps to (the first 4xx and 5xx ones are the fallbacks).
BY_STATUS = (BadRequest, Unauthorized, NotFound, MethodNotAllowed, PayloadTooLarge, ValidationError, InternalError)


def error_for_status(status: int, message: str, details: list[dict] | None = None) -> ShoppexError:
    """The Shoppex error for an HTTP status found outside the Shoppex views (routing, body parsing)."""
    return _error_for_status(BY_STATUS, status, message, details)
