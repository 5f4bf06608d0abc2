"""Registry conformance: a response body checked against the schema Shoplazza's registry names for a command and version.

The registry copy lives in tests/schemas/ (data from Shoplazza's official CLI, MIT). It is the
2026-01 registry: each command's `response_schema` names the `data` object of its answer.
For 2025-06 a `v202601.X` schema is read as `v202506.X` wherever the registry has one (the
order, the fulfillment, ...); wrappers with no 2025-06 twin keep their fields and resolve
what they nest the same way.

`assert_conforms(body, command_id, version)` checks the success envelope and every object in
`data`: every declared field present, nothing undeclared, each of its JSON type, integers
within their format (int32, uint32, int64), money fields decimal strings and `*_at` times ""
or ISO 8601 with `Z`. SEED_FIELDS adds what seed 004's tables list beyond the registry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

REGISTRY = json.loads((Path(__file__).parent.parent / "schemas" / "shoplazza-openapi-orders.json").read_text())
SCHEMAS = REGISTRY["schemas"]
COMMANDS = {command["id"]: command for module in REGISTRY["modules"] for command in module["commands"]}
# The registry's integer formats (an integer without one is taken as int64).
INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1), "int64": (-(2**63), 2**63 - 1)}
# Seed 004's Config Object table lists checkout_url, which the registry's Config lacks; the seed is the primary source.
SEED_FIELDS = {name: [{"name": "checkout_url", "type": "string"}] for name in ("v202506.Config", "v202601.Config")}
# String fields that carry Shoplazza money (a decimal string such as "16.99").
MONEY_FIELDS = frozenset(
    (
        "additional_total", "all_tax_total", "amount", "code_discount_total", "compare_at_price", "discount", "duty_price",
        "duty_total", "gift_card_total", "order_total", "payment_discount_price", "price", "refund_amount", "refund_discount",
        "refund_price", "refund_shipping", "refund_shipping_tax", "refund_tax", "refund_tip", "refund_total", "shipping_tax_total",
        "sub_total", "tax", "tax_price", "total", "total_discount", "total_paid", "total_price", "total_refund_price",
        "total_shipping", "total_spent", "total_tax", "total_tip_received", "trunk_price",
    )
)  # fmt: skip
MONEY = re.compile(r"-?[0-9]+(\.[0-9]+)?")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z")
OPAQUE = "google.protobuf.Struct"


# A v202601 schema with no v202506 twin, and what 2025-06 answers instead (docs/shoplazza.md, Fulfillments).
STAND_INS_2025_06 = {"v202601.FulfillmentSummary": "v202506.Fulfillment"}


def schema_for(name: str, version: str) -> str:
    """The registry schema `name` stands for under `version`: on 2025-06 its v202506 twin (or stand-in) when there is one."""
    if version == "2025-06" and name in STAND_INS_2025_06:
        return STAND_INS_2025_06[name]
    if version == "2025-06" and name.startswith("v202601."):
        twin = "v202506." + name.split(".", 1)[1]
        if twin in SCHEMAS:
            return twin
    return name


def response_schema(command_id: str, version: str) -> str:
    """The schema of `data` in the answer to `command_id` under `version`."""
    return schema_for(COMMANDS[command_id]["response_schema"], version)


def _fields(schema: str) -> dict[str, dict]:
    return {f["name"]: f for f in [*SCHEMAS[schema].get("fields", []), *SEED_FIELDS.get(schema, [])]}


def _string_ok(value, name: str) -> bool:
    if not isinstance(value, str):
        return False
    if name in MONEY_FIELDS:
        return bool(MONEY.fullmatch(value))
    if name.endswith("_at"):
        return value == "" or bool(TIME.fullmatch(value))
    return True


def _check_value(value, spec: dict, name: str, where: str, version: str, problems: list[str]) -> None:
    kind = spec["type"]
    if kind == "string":
        ok = _string_ok(value, name)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "integer":
        low, high = INTEGER_RANGES[spec.get("format", "int64")]
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "array":
        ok = isinstance(value, list)
        for i, item in enumerate(value if ok else []):
            _check_value(item, spec["items"], name, f"{where}[{i}]", version, problems)
    elif kind == "object":
        ok = isinstance(value, dict)
        if ok and spec.get("schema", OPAQUE) != OPAQUE:
            check_object(value, schema_for(spec["schema"], version), where, version, problems)
        elif ok and "items" in spec:  # a map: every value is an item
            for key, item in value.items():
                _check_value(item, spec["items"], name, f"{where}.{key}", version, problems)
    else:
        ok = False
    if not ok:
        problems.append(f"{where}: {value!r} is not {kind} {spec.get('format', '')} (money: decimal string; *_at: ISO 8601 Z)")


def check_object(value: dict, schema: str, where: str, version: str, problems: list[str]) -> None:
    """Collect every field of `value` that is missing, that `schema` does not declare, or that it types differently."""
    declared = _fields(schema)
    problems += [f"{where}.{name}: missing ({schema})" for name in declared if name not in value]
    for key, item in value.items():
        if key not in declared:
            problems.append(f"{where}.{key}: not a field of {schema}")
        else:
            _check_value(item, declared[key], key, f"{where}.{key}", version, problems)


def conformance_problems(body: dict, command_id: str, version: str) -> list[str]:
    """What in a success body does not conform to the registry's response schema of `command_id` under `version`."""
    problems: list[str] = []
    if set(body) != {"code", "message", "data"} or body["code"] != "Success" or not isinstance(body["message"], str):
        problems.append(f"envelope: {sorted(body)} with code {body.get('code')!r} is not the success envelope")
    data = body.get("data")
    if not isinstance(data, dict):
        return [*problems, f"data: {data!r} is not an object"]
    check_object(data, response_schema(command_id, version), "data", version, problems)
    return problems


def assert_conforms(body: dict, command_id: str, version: str) -> None:
    """Assert a success body conforms to the registry's response schema of `command_id` (e.g. "order-detail") under `version`."""
    problems = conformance_problems(body, command_id, version)
    assert not problems, f"{command_id} on {version}:\n" + "\n".join(problems)
