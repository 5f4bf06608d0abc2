"""The operation registry: views declare operations, blueprints are built on request, bodies and queries are loaded."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, jsonify

from mockserver.admin import routes as admin_routes
from mockserver.http import ClientError
from mockserver.operations import ApiDoc, attach, describe, operation, registered
from mockserver.shoplazza import routes as shoplazza_routes
from mockserver.shoplazza import views as shoplazza_views
from mockserver.shoppex import routes as shoppex_routes
from mockserver.shoppex import views as shoppex_views

from . import toy_views


@pytest.fixture
def toy():
    bp = Blueprint("toy", __name__, url_prefix="/toy")
    describe(bp, ApiDoc(tag="Toy", error_schema="ToyError", error_text={422: "bad"}))
    app = Flask(__name__)
    app.register_blueprint(attach(bp, toy_views))
    app.register_error_handler(ClientError, lambda exc: (jsonify(message=exc.message, details=exc.details), exc.status))
    return app


def test_importing_a_view_module_registers_nothing():
    """Routes come from routes.blueprints(), asked for by create_app; a views module holds no blueprint."""
    for module in (shoppex_views, shoplazza_views):
        assert not any(isinstance(value, Blueprint) for value in vars(module).values()), module.__name__


def test_each_call_builds_a_fresh_blueprint_with_every_route():
    for blueprints in (shoppex_routes.blueprints, shoplazza_routes.blueprints, admin_routes.blueprints):
        first, second = blueprints(), blueprints()
        assert [bp.name for bp in first] == [bp.name for bp in second]
        assert all(a is not b for a, b in zip(first, second, strict=True))


def test_the_body_and_the_query_reach_the_view_loaded(toy):
    client = toy.test_client()
    assert client.post("/toy/notes/n1", json={"text": "hi"}).get_json() == {"id": "n1", "text": "hi"}
    assert client.put("/toy/notes/n2", json={"text": "yo"}).get_json() == {"id": "n2", "text": "yo"}
    assert client.get("/toy/notes?size=3").get_json() == {"size": 3}
    assert client.get("/toy/notes").get_json() == {"size": 10}


def test_a_bad_body_or_query_is_refused_naming_the_field(toy):
    client = toy.test_client()
    response = client.post("/toy/notes/n1", json={})
    assert response.status_code == 422
    assert response.get_json()["details"] == [{"field": "text", "message": "Missing data for required field."}]
    response = client.get("/toy/notes?size=9")
    assert response.status_code == 422 and response.get_json()["details"][0]["field"] == "size"


def test_registered_lists_each_operation_with_its_path_and_api(toy):
    listed = sorted((op.method, path, op.summary, doc.tag) for path, op, doc in registered(toy))
    assert listed == [
        ("GET", "/toy/notes", "List notes", "Toy"),
        ("POST", "/toy/notes/{note_id}", "Write a note", "Toy"),
        ("PUT", "/toy/notes/{note_id}", "Alias of POST", "Toy"),
    ]


def test_an_unknown_shape_is_refused_when_declared():
    with pytest.raises(ValueError, match="shape"):
        operation("GET", "/x", "X", shape="list")
