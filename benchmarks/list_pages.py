"""What one page of a list costs with few and with many records stored: it should cost the page, not the store.

Usage: python benchmarks/list_pages.py [--stored 100000] [--requests 300] [--rounds 5]

In-process (Flask test client, no sockets): one namespace holds 20 orders, another `--stored`; each
answers `GET /dev/v1/orders?limit=20` and `GET /openapi/2025-06/orders?page_size=20`, unfiltered and
filtered by status. The stored orders are copies of one created order (their own id, uniqid or number,
and created_at), put in through the store so loading 100,000 takes seconds. The first request of each
list builds its sorted view and is not timed. Reports the median time per request over `--rounds`
runs of `--requests`, and the ratio many/few (the target is at most 2x).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver import create_app
from mockserver.config import Settings
from tests.robustness.helpers import NEW_SHOPLAZZA_ORDER, NEW_SHOPPEX_ORDER

FEW = 20
# The request bodies the robustness tests create orders with.
SHOPPEX_ORDER, SHOPLAZZA_ORDER = NEW_SHOPPEX_ORDER, NEW_SHOPLAZZA_ORDER
LISTS = {
    "Shoppex GET /dev/v1/orders?limit=20": ("shoppex", "/dev/v1/orders?limit=20"),
    "Shoppex ... &status=PENDING": ("shoppex", "/dev/v1/orders?limit=20&status=PENDING"),
    "Shoplazza GET orders?page_size=20": ("shoplazza", "/openapi/2025-06/orders?page_size=20"),
    "Shoplazza ... &financial_status=waiting": ("shoplazza", "/openapi/2025-06/orders?page_size=20&financial_status=waiting"),
}


def headers(api: str, key: str) -> dict:
    return {"Authorization": f"Bearer {key}"} if api == "shoppex" else {"access-token": key}


def fill(client, store, key: str, count: int) -> None:
    """`count` Shoppex and `count` Shoplazza orders in namespace `key`: one of each created, the rest copies of it."""
    shoppex = client.post("/dev/v1/orders", json=SHOPPEX_ORDER, headers=headers("shoppex", key)).get_json()["data"]
    shoplazza = client.post("/openapi/2025-06/orders", json=SHOPLAZZA_ORDER, headers=headers("shoplazza", key)).get_json()["data"]
    template = store.get(key, "shoppex.invoices", shoppex["id"])
    order = shoplazza["order"]
    with store.lock:
        for number in range(1, count):
            copy = {**template, "id": f"inv_{number:024x}", "uniqid": f"u-{number}", "created_at": template["created_at"] + number}
            store.insert(key, "shoppex.invoices", copy)
            store.insert(key, "shoplazza.orders", {**order, "id": f"9{number:020}", "number": str(100_000 + number)})


def per_request(client, api: str, path: str, key: str, requests: int, rounds: int) -> float:
    """Median seconds per request over `rounds` runs of `requests`."""
    assert client.get(path, headers=headers(api, key)).status_code == 200  # builds the sorted view
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(path, headers=headers(api, key))
        times.append((time.perf_counter() - started) / requests)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    app = create_app(Settings(webhooks=False, journal_size=100))
    client, store = app.test_client(), app.extensions["mockserver"].store
    started = time.perf_counter()
    fill(client, store, "bench_few", FEW)
    fill(client, store, "bench_many", args.stored)
    print(f"stored {FEW} and {args.stored:,} orders of each API in {time.perf_counter() - started:.1f} s")
    print(f"| list | {FEW} stored | {args.stored:,} stored | ratio |")
    print("|---|---|---|---|")
    worst = 0.0
    for label, (api, path) in LISTS.items():
        few = per_request(client, api, path, "bench_few", args.requests, args.rounds)
        many = per_request(client, api, path, "bench_many", args.requests, args.rounds)
        worst = max(worst, many / few)
        print(f"| {label} | {few * 1000:.2f} ms | {many * 1000:.2f} ms | {many / few:.2f}x |")
    print(f"worst ratio {worst:.2f}x (target: at most 2x)")
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
