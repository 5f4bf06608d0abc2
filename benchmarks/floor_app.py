"""The floor: a bare Flask app that returns the same JSON document as GET /dev/v1/orders/ord_123."""

import json
from pathlib import Path

from flask import Flask, Response

from mockserver.config import bundled_fixtures_dir

BODY = json.dumps({"data": json.loads((bundled_fixtures_dir() / "shoppex/invoices/orders-get.ord_123.json").read_text())})
app = Flask(__name__)


@app.get("/dev/v1/orders/<order_id>")
def get_order(order_id):
    return Response(BODY, mimetype="application/json")


@app.get("/__admin/health")
def health():
    return Response('{"status":"ok"}', mimetype="application/json")


if __name__ == "__main__":
    print(Path(__file__))
