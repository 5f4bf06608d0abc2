"""The README's Layout: the generic core imports no API package, and no API package imports the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mockserver"
APIS = ("shoppex", "shoplazza")
# The composition root and the OpenAPI document are the modules allowed to name both APIs.
COMPOSITION = ("app.py", "server.py", "cli.py", "wsgi.py", "pytest_plugin.py", "__init__.py")


def imported_modules(path: Path) -> set[str]:
    """The mockserver modules a file imports, as dotted names relative to the package ("shoppex.views")."""
    parts = path.relative_to(PACKAGE).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = parts[: len(parts) - node.level + 1]
            module = ".".join((*base, *([node.module] if node.module else [])))
            found.update(f"{module}.{alias.name}".strip(".") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mockserver."):
            found.add(node.module.removeprefix("mockserver."))
    return found


def generic_modules() -> list[Path]:
    """Every module outside the API packages, the OpenAPI document and the composition root."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in (*APIS, "openapi") and str(path.relative_to(PACKAGE)) not in COMPOSITION
    ]


@pytest.mark.parametrize("path", generic_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_generic_core_imports_no_api_package(path):
    named = {module for module in imported_modules(path) if module.split(".")[0] in APIS}
    assert not named, f"{path.name} imports {sorted(named)}: take it from the API's registration (mockserver.apis.Api)"


@pytest.mark.parametrize("api", APIS)
def test_an_api_package_never_imports_the_other(api):
    other = next(name for name in APIS if name != api)
    for path in sorted((PACKAGE / api).glob("*.py")):
        named = {module for module in imported_modules(path) if module.split(".")[0] == other}
        assert not named, f"{api}/{path.name} imports {sorted(named)}"
