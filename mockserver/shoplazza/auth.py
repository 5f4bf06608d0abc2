"""access-token declarations: `TOKEN[:scope,scope]` specs (flag --shoplazza-token, env MOCKSERVER_SHOPLAZZA_TOKENS)."""

from __future__ import annotations

from functools import lru_cache

READ_ORDER = "read_order"
WRITE_ORDER = "write_order"
ALL_SCOPES = None  # a token declared without a scope list may do everything


@lru_cache(maxsize=32)
def parse_token_specs(specs: tuple[str, ...]) -> dict[str, frozenset[str] | None]:
    """Map each declared token to its scopes (None: every scope); `TOKEN:` alone grants none."""
    tokens: dict[str, frozenset[str] | None] = {}
    for spec in specs:
        token, sep, scopes = spec.strip().partition(":")
        token = token.strip()
        if not token:
            raise ValueError(f"Shoplazza token spec {spec!r} has no token before ':'")
        tokens[token] = frozenset(s.strip() for s in scopes.split(",") if s.strip()) if sep else ALL_SCOPES
    return tokens


def scope_for(method: str) -> str:
    """The scope a call needs: reads (GET/HEAD) need read_order, everything else write_order."""
    return READ_ORDER if method.upper() in {"GET", "HEAD"} else WRITE_ORDER


def check_access(specs: tuple[str, ...], token: str, needed: str) -> str | None:
    """None when `token` may make a call needing `needed`; otherwise "unknown" or "scope"."""
    declared = parse_token_specs(tuple(specs))
    if not declared:
        return None
    if token not in declared:
        return "unknown"
    scopes = declared[token]
    if scopes is not ALL_SCOPES and needed not in scopes:
        return "scope"
    return None
