"""A JSON file in a fixture directory is either loaded or reported, naming the file and where it belongs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockserver.cli import main
from mockserver.config import bundled_fixtures_dir

from .helpers import one_error_line, run_cli

INVOICE = bundled_fixtures_dir() / "shoppex" / "invoices" / "orders-get.ord_123.json"
LAYOUT = "<api>/<resource>/<name>.json"

# Where a user might put a record by mistake, relative to the fixture directory.
MISPLACED = {
    "one level too shallow": "shoppex/order.json",
    "at the top": "order.json",
    "one level too deep": "shoppex/invoices/2026/order.json",
}


@pytest.mark.parametrize("place", MISPLACED.values(), ids=MISPLACED.keys())
def test_validate_reports_a_file_at_the_wrong_depth(tmp_path, capsys, place):
    (tmp_path / place).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(INVOICE, tmp_path / place)
    assert main(["fixtures", "validate", str(tmp_path)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"{tmp_path / place}: not loaded: ")
    assert LAYOUT in line and "shoppex/invoices/" in line


def test_validate_reports_an_unknown_resource_folder_with_the_known_ones(tmp_path, capsys):
    (tmp_path / "shoppex" / "order").mkdir(parents=True)
    shutil.copy(INVOICE, tmp_path / "shoppex" / "order" / "a.json")
    assert main(["fixtures", "validate", str(tmp_path)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f'{tmp_path / "shoppex/order/a.json"}: unknown kind "shoppex.order": ')
    assert LAYOUT in line and "shoppex/invoices" in line and "shoplazza/orders" in line


def test_files_in_hidden_folders_and_other_files_are_not_fixtures(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.json").write_text("{}")
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "shoppex" / "invoices").mkdir(parents=True)
    shutil.copy(INVOICE, tmp_path / "shoppex" / "invoices" / "a.json")
    assert main(["fixtures", "validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == f"{tmp_path}: 1 records in 1 kinds, all valid"


def test_start_up_refuses_a_misplaced_file_with_one_line(tmp_path):
    (tmp_path / "shoppex").mkdir()
    shutil.copy(INVOICE, tmp_path / "shoppex" / "order.json")
    line = one_error_line(run_cli("--port", "0", "--fixtures", str(tmp_path)))
    assert f"{Path(tmp_path, 'shoppex', 'order.json')}: not loaded: " in line and LAYOUT in line
