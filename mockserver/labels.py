"""Short, stable labels for secrets (API keys, access-tokens) wherever they are shown."""

from __future__ import annotations

import hashlib
from functools import lru_cache

# Keys this short would be half revealed by a prefix, so they show only the hash.
MIN_PREFIXED_LENGTH = 12
PREFIX_LENGTH = 4


@lru_cache(maxsize=4096)
def namespace_label(namespace: str) -> str:
    """`shx_...1a2b3c4d`: a few leading characters and a hash, never the whole key."""
    digest = hashlib.sha256(namespace.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    prefix = namespace[:PREFIX_LENGTH] if len(namespace) >= MIN_PREFIXED_LENGTH else ""
    return f"{prefix}...{digest}"
