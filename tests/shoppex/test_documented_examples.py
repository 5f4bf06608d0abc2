"""Every documented Shoppex example, replayed on a freshly seeded server with the clock frozen at its time."""

import pytest

from tests.conftest import load_examples

EXAMPLES = load_examples("shoppex")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_documented_example_returns_documented_response(client, runtime, auth, example):
    runtime.clock.freeze(example["frozen_at"])
    request = example["request"]
    response = client.open(request["path"], method=request["method"], json=request["body"], headers=auth)
    assert response.status_code == example["response"]["status"]
    assert response.get_json() == example["response"]["body"]


def test_every_seed_is_covered():
    sources = {e["source"].rsplit("seed ", 1)[1].rstrip(")") for e in EXAMPLES}
    assert sources == {"000", "001", "002", "003"}
