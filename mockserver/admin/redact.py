"""Secrets out of what the journal keeps: credential headers, and secret fields of bodies and query strings."""

from __future__ import annotations

import re
from functools import lru_cache

from ..labels import namespace_label

# Request headers (in their environ form) that carry a credential, by name or by a word in the name.
CREDENTIAL_HEADERS = frozenset(
    {
        "HTTP_AUTHORIZATION",
        "HTTP_PROXY_AUTHORIZATION",
        "HTTP_COOKIE",
        "HTTP_SET_COOKIE",
        "HTTP_ACCESS_TOKEN",
        "HTTP_X_API_KEY",
        "HTTP_X_MOCKSERVER_ADMIN_TOKEN",
        "HTTP_X_SHOPLAZZA_HMAC_SHA256",
    }
)
CREDENTIAL_WORDS = re.compile(r"AUTH|TOKEN|SECRET|PASSW|API_?KEY|COOKIE|SIGNATURE|HMAC|SESSION")
# Body and query fields whose values are secrets: secret, webhook_secret, any *_secret, access_token, password, api_key.
SECRET_KEY = rb"(?:\w*secret|\w*passw(?:or)?d|access_?token|refresh_?token|api_?key)"
# A cheap first look (plain substring searches, far faster than a case-blind regex): the endings of the
# secret field names above, followed by what ends a JSON key (") or a form key (=). Most bodies name none
# and are kept as they are; a field merely called "token" or "secret_santa" does not start the regex.
SECRET_ENDINGS = (
    b"secret",
    b"password",
    b"passwd",
    b"access_token",
    b"accesstoken",
    b"refresh_token",
    b"refreshtoken",
    b"api_key",
    b"apikey",
)
SECRET_WORDS = tuple(ending + end for ending in SECRET_ENDINGS for end in (b'"', b"="))
JSON_SECRET = re.compile(rb'("' + SECRET_KEY + rb'"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)', re.IGNORECASE)
FORM_SECRET = re.compile(rb"((?:^|[&;])" + SECRET_KEY + rb"=)([^&;]*)", re.IGNORECASE)
MASK = b"***"
AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


@lru_cache(maxsize=256)
def is_credential_header(environ_key: str) -> bool:
    """Whether a request header (environ key, e.g. HTTP_X_API_KEY) carries a credential."""
    return environ_key in CREDENTIAL_HEADERS or CREDENTIAL_WORDS.search(environ_key) is not None


def masked_header(value: str) -> str:
    """A credential shown as its scheme (Bearer, Basic, ...) and its label, never the secret itself."""
    scheme, _, secret = value.strip().partition(" ")
    if secret.strip() and AUTH_SCHEME.fullmatch(scheme):
        return f"{scheme} {namespace_label(secret.strip())}"
    return namespace_label(value)


def may_hold_secret(raw: bytes) -> bool:
    """Whether `raw` names any secret field at all (in any case)."""
    lowered = raw.lower()
    return any(word in lowered for word in SECRET_WORDS)


def masked_text(raw: bytes) -> bytes:
    """A body or query string with the values of secret fields (JSON or form-encoded) replaced by ***."""
    if not raw or not may_hold_secret(raw):
        return raw
    raw = JSON_SECRET.sub(rb'\1"' + MASK + rb'"', raw)
    return FORM_SECRET.sub(rb"\1" + MASK, raw)
