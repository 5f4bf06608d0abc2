"""One webhook POST: straight to the URL (no proxy, no redirects), through the target rules, response capped."""

from __future__ import annotations

import http.client
import re
import ssl
import time
from urllib.parse import urlsplit, urlunsplit

from .targets import DEFAULT_PORTS, TargetRules

REDACTED = "[redacted]"
# Every Shoppex signing secret the server creates (subscriptions, payments): whsec_ and 48 hex digits.
MINTED_SECRET = re.compile(r"whsec_[0-9a-f]{48}")


def loggable_url(url: str) -> str:
    """The URL without credentials, query string or fragment (for log lines)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact(text: str | None, secrets: list[str]) -> str | None:
    """`text` without the given secrets nor any secret this server mints (a receiver may echo anything back)."""
    if text is None:
        return None
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return MINTED_SECRET.sub(REDACTED, text)


def _connection(url: str, rules: TargetRules, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    # The connection for the URL's scheme, connecting through the rules; and the request target (path and query).
    parts = urlsplit(url)
    # An explicit port always: http.client would read the last group of a bare IPv6 address as one.
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    connection._create_connection = rules.connect
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, target


def post(url: str, body: bytes, headers: dict, *, rules: TargetRules, timeout: float, response_bytes: int) -> dict:
    """Send one attempt: {response: {status, body, truncated}, duration_ms, error}; a 3xx is answered, not followed."""
    started = time.perf_counter()
    status, text, truncated, error = None, None, False, None
    try:
        connection, target = _connection(url, rules, timeout)
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            status = response.status
            # One byte more than the cap tells whether the body was cut.
            raw = response.read(response_bytes + 1)
            truncated = len(raw) > response_bytes
            text = raw[:response_bytes].decode("utf-8", "replace")
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = str(exc) or type(exc).__name__
    duration = round((time.perf_counter() - started) * 1000, 3)
    return {"response": {"status": status, "body": text, "truncated": truncated}, "duration_ms": duration, "error": error}
