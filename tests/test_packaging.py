"""The wheel must carry every subpackage and the fixtures (a source checkout hides a missing one)."""

import configparser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples" / "shoppex"

# Run away from the source tree, with the wheel first on the path: what an installed wheel answers.
PROBE = """
import json
from pathlib import Path

import mockserver
from mockserver import create_app
from mockserver.app import KINDS
from mockserver.config import Settings, bundled_fixtures_dir
from mockserver.fixtures import load_fixtures

fixtures = bundled_fixtures_dir()
app = create_app(Settings(webhooks=False))
response = app.test_client().get("/dev/v1/orders/ord_123", headers={"Authorization": "Bearer shx_wheel"})
print(json.dumps({
    "package": str(Path(mockserver.__file__).resolve().parent),
    "fixtures": str(fixtures.resolve()),
    "files": sorted(str(p.relative_to(fixtures)) for p in fixtures.rglob("*.json")),
    "kinds": load_fixtures(fixtures, KINDS).kinds(),
    "status": response.status_code,
    "body": response.get_json(),
}))
"""


def test_every_subpackage_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "mockserver").rglob("__init__.py")}
    assert found <= listed, f"add to setup.cfg [options] packages: {sorted(found - listed)}"
    assert "mockserver.bundled_fixtures" in listed


def run(*command, cwd, path=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "MOCKSERVER_"))}
    if path is not None:
        environment["PYTHONPATH"] = str(path)
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_an_installed_wheel_ships_and_serves_the_fixtures(tmp_path):
    """Issue 2: `pip install .` (not -e) must ship and serve the fixtures.

    Offline: no index and no build isolation, so the build uses the installed setuptools, which
    needs the `wheel` package below setuptools 70.1 ("invalid command 'bdist_wheel'" otherwise).
    """
    # Build from a copy, so the build leaves nothing in the working tree (build/, *.egg-info).
    source = tmp_path / "source"
    skip = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".hypothesis", ".benchmarks", "tests")
    shutil.copytree(ROOT, source, ignore=skip)
    dist = tmp_path / "dist"
    wheel_command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source]
    run(*wheel_command, cwd=tmp_path)
    (wheel,) = dist.glob("mockserver-*.whl")

    # The wheel alone in a directory of its own, put first on the path of this interpreter: the
    # dependencies (flask, ...) come from wherever this suite's own run finds them (a venv or not),
    # mockserver only from the wheel.
    target = tmp_path / "installed"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", target, wheel, cwd=tmp_path)
    probe = json.loads(run(sys.executable, "-c", PROBE, cwd=tmp_path, path=target))

    package = Path(probe["package"])
    assert package.is_relative_to(target), f"mockserver was imported from {package}, not from the wheel"
    assert Path(probe["fixtures"]) == package / "bundled_fixtures"
    shipped = sorted(str(p.relative_to(ROOT / "fixtures")) for p in (ROOT / "fixtures").rglob("*.json"))
    assert probe["files"] == shipped
    assert {"shoppex.invoices", "shoppex.products", "shoppex.coupons", "shoplazza.orders"} <= set(probe["kinds"])

    expected = json.loads((EXAMPLES / "002_get_order.json").read_text())
    assert probe["status"] == expected["response"]["status"]
    assert probe["body"] == expected["response"]["body"]
