"""Every documented Shoppex example, replayed on a freshly seeded server with the clock frozen at its time."""

import re

import pytest

from tests.conftest import EXAMPLES as EXAMPLES_DIR
from tests.conftest import load_examples

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

EXAMPLES = load_examples("shoppex")
README = EXAMPLES_DIR.parent.parent / "fixtures" / "README.md"


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


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_fixtures_readme_names_each_example_and_its_documented_operation(example):
    """The examples are the project's copies of the docs; fixtures/README.md says where each comes from."""
    operation = re.match(r"Shoppex docs: ([A-Z]+ /dev/v1/\S+?)(,| \(|$)", example["source"]).group(1)
    rows = [line for line in README.read_text().splitlines() if line.startswith(f"| `{example['name']}.json` |")]
    assert len(rows) == 1, f"fixtures/README.md has no row for {example['name']}.json"
    assert f"`{operation}`" in rows[0]
    assert f"`{example['response']['body']['data']['customer_email']}`" in rows[0]
