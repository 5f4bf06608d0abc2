"""Finds, validates and loads fixture files: <dir>/<api>/<resource>/<name>.json, one record per file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class FixtureError(Exception):
    """One or more fixture files are unusable; `problems` lists (path, what is wrong)."""

    def __init__(self, problems: list[tuple[Path, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


@dataclass(frozen=True)
class Fixtures:
    """Seed records by kind ("shoppex.invoices", ...), in file-name order."""

    records: dict[str, tuple[dict, ...]]

    def kinds(self) -> list[str]:
        """Every kind that has at least one record."""
        return sorted(self.records)


def _fixture_files(root: Path):
    # Two directory levels name the kind; anything else (READMEs, notes) is not a fixture.
    for path in sorted(root.glob("*/*/*.json")):
        api, resource = path.parent.parent.name, path.parent.name
        yield f"{api}.{resource}", path


def _read_record(path: Path) -> tuple[dict | None, str | None]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"not readable JSON ({exc})"
    if not isinstance(record, dict):
        return None, "must hold one JSON object (one record per file)"
    if not isinstance(record.get("id"), str) or not record["id"]:
        return None, 'the record needs a non-empty string "id"'
    return record, None


def check_fixtures(root: Path) -> tuple[dict[str, list[dict]], list[tuple[Path, str]]]:
    """Read every fixture under `root`; returns the records and the problems found."""
    root = Path(root)
    if not root.is_dir():
        return {}, [(root, "fixtures directory does not exist")]
    records: dict[str, list[dict]] = {}
    problems: list[tuple[Path, str]] = []
    seen: dict[tuple[str, str], Path] = {}
    for kind, path in _fixture_files(root):
        record, problem = _read_record(path)
        if problem:
            problems.append((path, problem))
            continue
        # Two files may not seed the same record.
        key = (kind, record["id"])
        if key in seen:
            problems.append((path, f'id "{record["id"]}" is already used by {seen[key]}'))
            continue
        seen[key] = path
        records.setdefault(kind, []).append(record)
    return records, problems


def load_fixtures(root: Path) -> Fixtures:
    """Load every fixture under `root`, or raise FixtureError naming each bad file."""
    records, problems = check_fixtures(root)
    if problems:
        raise FixtureError(problems)
    return Fixtures({kind: tuple(docs) for kind, docs in records.items()})
