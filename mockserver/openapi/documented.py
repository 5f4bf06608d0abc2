"""The documented request/response examples shipped with the package (copies of tests/examples/)."""

from __future__ import annotations

import json
from importlib import resources

APIS = ("shoppex", "shoplazza")


def load_examples() -> list[dict]:
    """Every documented example, each with its file name (without .json) as `name`."""
    examples = []
    root = resources.files(__package__) / "examples"
    for api in APIS:
        for entry in sorted((root / api).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".json"):
                examples.append(dict(json.loads(entry.read_text(encoding="utf-8")), name=entry.name[: -len(".json")], api=api))
    return examples
