"""Declared access-tokens (--shoplazza-token / MOCKSERVER_SHOPLAZZA_TOKENS): unknown tokens 401, scopes 403."""

from __future__ import annotations

import pytest

from mockserver.config import Settings
from mockserver.shoplazza.auth import parse_token_specs

from .helpers import ORDER_ID, Shoplazza, error_of, snapshot
from .test_auth import ENDPOINT_IDS, ENDPOINTS

DECLARED = ("reader:read_order", "writer:write_order", "both:read_order,write_order", "admin", "nobody:")


@pytest.fixture
def settings(storage) -> Settings:
    """Settings declaring tokens with scopes."""
    return Settings(db=storage, shoplazza_tokens=DECLARED)


def _is_read(method: str) -> bool:
    return method == "GET"


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_undeclared_token_is_401(client, runtime, version, method, path, body):
    before = snapshot(runtime, "stranger")
    response = Shoplazza(client, version, "stranger").call(method, path, body)
    assert "access-token" in error_of(response, 401, "Unauthorized")
    assert snapshot(runtime, "stranger") == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("token", ["reader", "writer", "nobody"])
def test_scopes_are_enforced(client, runtime, version, method, path, body, token):
    api = Shoplazza(client, version, token)
    allowed = {"reader": _is_read(method), "writer": not _is_read(method), "nobody": False}[token]
    before = snapshot(runtime, token)
    response = api.call(method, path, body)
    if allowed:
        assert response.status_code == 200, response.get_json()
    else:
        needed = "read_order" if _is_read(method) else "write_order"
        assert needed in error_of(response, 403, "Forbidden")
        assert snapshot(runtime, token) == before


@pytest.mark.parametrize("token", ["both", "admin"])
def test_tokens_with_both_scopes_or_no_scope_list_may_do_everything(client, version, token):
    api = Shoplazza(client, version, token)
    assert api.get(f"orders/{ORDER_ID}").status_code == 200
    assert api.pay(ORDER_ID, {}).status_code == 200


def test_declared_token_without_header_is_still_401(client, version):
    error_of(Shoplazza(client, version, None).get("orders"), 401, "Unauthorized")


def test_token_specs_parse():
    parsed = parse_token_specs(DECLARED)
    assert parsed == {
        "reader": frozenset({"read_order"}),
        "writer": frozenset({"write_order"}),
        "both": frozenset({"read_order", "write_order"}),
        "admin": None,
        "nobody": frozenset(),
    }
    with pytest.raises(ValueError):
        parse_token_specs((":read_order",))


def test_token_specs_from_the_environment():
    settings = Settings.from_env({"MOCKSERVER_SHOPLAZZA_TOKENS": "reader:read_order;writer:write_order admin"})
    assert parse_token_specs(settings.shoplazza_tokens) == {
        "reader": frozenset({"read_order"}),
        "writer": frozenset({"write_order"}),
        "admin": None,
    }
