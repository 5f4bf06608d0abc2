"""Errors of the /__admin control plane: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

from ..http import ApiError

CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    422: "VALIDATION_ERROR",
    409: "CONFLICT",
}


class AdminError(ApiError):
    """An error answered by the admin API."""

    def __init__(self, status: int, message: str, details: list[dict] | None = None):
        code = CODES.get(status, "INTERNAL_ERROR" if status >= 500 else "BAD_REQUEST")
        super().__init__(message, details, status=status, code=code)

    def body(self) -> dict:
        """The admin error envelope."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def error_for_status(status: int, message: str, details: list[dict] | None = None) -> AdminError:
    """The admin error for an HTTP status."""
    return AdminError(status, message, details)
