"""Seed 004's three documented payment/success requests, replayed from tests/examples/shoplazza/*.json.

Each runs on a freshly seeded app (the documented order is unpaid there) with the clock
frozen at the documented time, on both API versions' paths. The documented response
elides "other order fields", so the fields it does show are compared, exactly.
"""

from __future__ import annotations

import calendar
import json
import time
from pathlib import Path

import pytest

from .helpers import nonempty

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

EXAMPLES_DIR = Path(__file__).parent.parent / "examples" / "shoplazza"
EXAMPLES = [dict(json.loads(path.read_text()), name=path.stem) for path in sorted(EXAMPLES_DIR.glob("*.json"))]


def _seconds(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _assert_documented(actual, documented, where: str = "body") -> None:
    # Objects: every documented key, recursively; anything else: equal.
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        for key, value in documented.items():
            assert key in actual, f"{where}.{key} missing"
            _assert_documented(actual[key], value, f"{where}.{key}")
    else:
        assert actual == documented, f"{where}: {actual!r} != {documented!r}"


def test_there_is_one_example_per_documented_scenario():
    assert len(EXAMPLES) == 3


@pytest.mark.versions
@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_documented_example(client, runtime, version, example):
    runtime.clock.freeze(_seconds(example["frozen_at"]))
    request = example["request"]
    path = request["path"].replace("/openapi/2025-06/", f"/openapi/{version}/")
    response = client.open(path, method=request["method"], json=request["body"], headers={"access-token": "documented"})
    assert response.status_code == example["response"]["status"], response.get_json()
    body = response.get_json()
    _assert_documented(body, example["response"]["body"])
    # The documented payment_line shows four fields and elides nothing inside it: those are its only
    # values. The mock carries the registry's other PaymentLine fields too, all empty (docs/shoplazza.md).
    assert nonempty(body["data"]["order"]["payment_line"]) == example["response"]["body"]["data"]["order"]["payment_line"]
    assert isinstance(body["message"], str)
