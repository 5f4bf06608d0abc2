"""Short, stable labels for secrets (API keys, access-tokens) wherever they are shown."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

# Keys this short would be half revealed by a prefix, so they show only the hash.
MIN_PREFIXED_LENGTH = 12
PREFIX_LENGTH = 4
# Longer keys are labelled afresh each time: the cache must not keep a 400 KB key alive.
MAX_CACHED_LENGTH = 256
# What namespace_label() renders: an optional 4-character prefix, "...", 8 hex digits.
LABEL = re.compile(r"^.{0,4}\.\.\.[0-9a-f]{8}$", re.DOTALL)


def namespace_label(namespace: str) -> str:
    """`shx_...1a2b3c4d`: a few leading characters and a hash, never the whole key."""
    if len(namespace) <= MAX_CACHED_LENGTH:
        return _cached_label(namespace)
    return _label(namespace)


def looks_like_label(name: str) -> bool:
    """Whether `name` has the shape of a label rather than a key."""
    return LABEL.match(name) is not None


def _label(namespace: str) -> str:
    digest = hashlib.sha256(namespace.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    prefix = namespace[:PREFIX_LENGTH] if len(namespace) >= MIN_PREFIXED_LENGTH else ""
    return f"{prefix}...{digest}"


_cached_label = lru_cache(maxsize=4096)(_label)
