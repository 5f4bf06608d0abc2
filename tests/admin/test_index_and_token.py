"""GET /__admin and GET / answer an index; with an admin token set, every other /__admin call needs it."""

import urllib.error
import urllib.request

import pytest

import mockserver
from mockserver import create_app
from mockserver.config import Settings
from mockserver.shoplazza.views import VERSIONS
from tests.e2e.conftest import LiveServer

TOKEN = "adm-token-for-tests-0123"
HEADER = "X-Mockserver-Admin-Token"


def admin_routes_of(app) -> list[dict]:
    """The /__admin routes of the app's URL map, as the index lists them."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/__admin"):
            path = rule.rule.replace("<", "{").replace(">", "}")
            routes += [{"method": m, "path": path} for m in rule.methods - {"HEAD", "OPTIONS"}]
    return sorted(routes, key=lambda r: (r["path"], r["method"]))


@pytest.fixture
def guarded(storage):
    """An app with an admin token."""
    app = create_app(Settings(db=storage, admin_token=TOKEN))
    yield app
    app.extensions["mockserver"].store.close()


@pytest.mark.parametrize("path", ["/__admin", "/"])
def test_the_index_names_the_apis_the_admin_routes_the_document_and_the_version(app, client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    index = response.get_json()
    assert index["version"] == mockserver.__version__
    assert index["openapi"] == "/__admin/openapi.json" and client.get(index["openapi"]).status_code == 200
    apis = {api["base_path"]: api["versions"] for api in index["apis"]}
    assert apis == {"/dev/v1": ["v1"], "/openapi/{version}": list(VERSIONS)}
    assert index["admin"]["routes"] == admin_routes_of(app)
    assert {"method": "DELETE", "path": "/__admin/clock"} in index["admin"]["routes"]
    assert index["admin"]["token_required"] is False


def test_the_index_is_not_journaled(client):
    client.get("/")
    client.get("/__admin")
    assert client.get("/__admin/requests").get_json() == {"requests": []}


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/__admin"),
        ("GET", "/__admin/namespaces"),
        ("POST", "/__admin/reset"),
        ("GET", "/__admin/clock"),
        ("DELETE", "/__admin/clock"),
        ("GET", "/__admin/requests"),
        ("DELETE", "/__admin/faults"),
        ("GET", "/__admin/webhooks"),
        ("GET", "/__admin/no-such-route"),
    ],
)
@pytest.mark.parametrize("sent", [None, "", "wrong-token", TOKEN + "x", TOKEN[:-1]])
def test_without_the_right_token_every_admin_call_is_a_401(guarded, method, path, sent):
    client = guarded.test_client()
    client.get("/dev/v1/orders/inv_complete_1", headers={"Authorization": "Bearer shx_a"})
    headers = {} if sent is None else {HEADER: sent}
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "UNAUTHORIZED" and HEADER in error["message"] and error["details"][0]["field"] == HEADER
    assert TOKEN not in response.get_data(as_text=True)
    # Refused means nothing changed.
    authorised = {HEADER: TOKEN}
    assert len(client.get("/__admin/requests", headers=authorised).get_json()["requests"]) == 1
    assert len(client.get("/__admin/namespaces", headers=authorised).get_json()["namespaces"]) == 1


@pytest.mark.parametrize("method, path", [("GET", "/__admin"), ("GET", "/__admin/clock"), ("POST", "/__admin/reset")])
def test_with_the_token_admin_calls_work(guarded, method, path):
    assert guarded.test_client().open(path, method=method, headers={HEADER: TOKEN}).status_code == 200


@pytest.mark.parametrize("path", ["/__admin/health", "/__admin/openapi.json"])
def test_health_and_the_document_stay_open(guarded, path):
    assert guarded.test_client().get(path).status_code == 200


def test_the_root_index_stays_open_but_leaves_out_the_admin_routes_without_the_token(guarded):
    client = guarded.test_client()
    anonymous = client.get("/").get_json()
    assert anonymous["admin"]["token_required"] is True and "routes" not in anonymous["admin"]
    assert anonymous["apis"] and anonymous["version"] == mockserver.__version__
    with_token = client.get("/", headers={HEADER: TOKEN}).get_json()
    assert with_token["admin"]["routes"] == admin_routes_of(guarded)


def test_the_emulated_apis_do_not_need_the_admin_token(guarded):
    response = guarded.test_client().get("/dev/v1/orders/ord_123", headers={"Authorization": "Bearer shx_a"})
    assert response.status_code == 200


def test_a_served_process_takes_the_token_from_the_environment():
    # `mockserver serve` as users (and the Docker image) run it, the token only in MOCKSERVER_ADMIN_TOKEN.
    server = LiveServer(env={"MOCKSERVER_ADMIN_TOKEN": TOKEN})
    try:
        statuses = {}
        for name, headers in (("none", {}), ("wrong", {HEADER: "nope"}), ("right", {HEADER: TOKEN})):
            request = urllib.request.Request(server.url + "/__admin/clock", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    statuses[name] = response.status
            except urllib.error.HTTPError as refused:
                statuses[name] = refused.code
        assert statuses == {"none": 401, "wrong": 401, "right": 200}
    finally:
        server.stop()
