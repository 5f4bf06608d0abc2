"""The README's example test of the plugin, extracted and run as its own pytest session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from mockserver.pytest_plugin import _ThreadedServer

ADMIN_TOKEN = "plugin-admin-token-0123"
ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "README.md"
EXAMPLE = re.compile(r"<!-- example:[^\n]*-->\n```python\n(.*?)```", re.S)


def example_code() -> str:
    """The python block right after the `<!-- example: ... -->` marker."""
    match = EXAMPLE.search(DOC.read_text())
    assert match, f"{DOC.name} has no python block after its <!-- example: --> marker"
    return match.group(1)


def entry_point_installed() -> bool:
    """Whether the installed distribution registers the plugin under pytest11."""
    return any(ep.value == "mockserver.pytest_plugin" for ep in entry_points(group="pytest11", name="mockserver"))


def run_example(tmp_path: Path, *args: str, autoload: bool, env: dict | None = None) -> subprocess.CompletedProcess:
    """Write the example into an empty directory and run pytest on it in a fresh process."""
    (tmp_path / "test_example.py").write_text(example_code())
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MOCKSERVER_", "PYTEST_"))}, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if not autoload:
        # Only the plugins named here, so the run does not depend on what else is installed.
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        args = ("-p", "mockserver.pytest_plugin", "-p", "xdist", *args)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, "test_example.py"]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def assert_passed(result: subprocess.CompletedProcess, tests: int) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{tests} passed" in result.stdout, result.stdout


def test_example_shows_what_the_doc_promises():
    code = example_code()
    assert "ShoppexClient(api_key=mockserver.token, base_url=mockserver.base_url)" in code
    assert 'mockserver.freeze("' in code
    assert 'mockserver.count(method="POST", path="/dev/v1/orders/*/complete") == 1' in code


def test_example_passes(tmp_path):
    assert_passed(run_example(tmp_path, autoload=False), 2)


def test_example_passes_under_xdist(tmp_path):
    result = run_example(tmp_path, "-n", "2", autoload=False)
    assert_passed(result, 2)
    assert "bringing up nodes" in result.stdout, result.stdout


def test_example_passes_with_the_installed_entry_point(tmp_path):
    # The README's test command installs the package, so its pytest11 entry point must be there.
    assert entry_point_installed(), "install the package (pip install '.[test]') so pytest finds the plugin"
    # Found through pytest11 with nothing named; slow unrelated plugins stay off (absent ones are no-ops).
    unrelated = ("-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:benchmark")
    assert_passed(run_example(tmp_path, *unrelated, autoload=True), 2)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_example_can_use_a_server_that_is_already_running(tmp_path, mockserver_server, how):
    # The session's own server stands in for one started outside pytest.
    url = mockserver_server.base_url
    before = set(mockserver_server.admin("GET", "/namespaces")["namespaces"])
    if how == "option":
        result = run_example(tmp_path, "--mockserver-url", url, autoload=False)
    else:
        result = run_example(tmp_path, autoload=False, env={"MOCKSERVER_URL": url})
    assert_passed(result, 2)
    # Each example test used its own namespace on this server.
    assert len(set(mockserver_server.admin("GET", "/namespaces")["namespaces"]) - before) == 2


@pytest.fixture(scope="module")
def guarded_server():
    """A running server with an admin token, in this process."""
    server = _ThreadedServer(admin_token=ADMIN_TOKEN)
    yield server
    server.stop()


@pytest.mark.parametrize("how", ["option", "environment", "in-process"])
def test_example_passes_against_a_server_with_an_admin_token(tmp_path, guarded_server, how):
    url = guarded_server.url
    if how == "option":
        result = run_example(tmp_path, "--mockserver-url", url, "--mockserver-admin-token", ADMIN_TOKEN, autoload=False)
    elif how == "environment":
        result = run_example(tmp_path, autoload=False, env={"MOCKSERVER_URL": url, "MOCKSERVER_ADMIN_TOKEN": ADMIN_TOKEN})
    else:
        # The plugin's own server takes the token too, and the plugin sends it.
        result = run_example(tmp_path, autoload=False, env={"MOCKSERVER_ADMIN_TOKEN": ADMIN_TOKEN})
    assert_passed(result, 2)


def test_without_the_admin_token_the_plugin_is_refused(tmp_path, guarded_server):
    result = run_example(tmp_path, "--mockserver-url", guarded_server.url, autoload=False)
    assert result.returncode != 0 and "401" in result.stdout, result.stdout
