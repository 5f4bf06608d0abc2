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
    return record, None


def check_fixtures(root: Path) -> tuple[dict[str, list[dict]], list[tuple[Path, str]]]:
    """Read and check every fixture under `root`; returns the good records and one problem line per bad file.

    A file is bad when it is not one JSON object, sits in a directory that is no known kind,
    fails its kind's record check (mockserver.record_checks), or reuses an id (or uniqid,
    order number, ...) another file of its kind already has.
    """
    from .record_checks import check_record, index_fields

    root = Path(root)
    if not root.is_dir():
        return {}, [(root, "fixtures directory does not exist")]
    records: dict[str, list[dict]] = {}
    problems: list[tuple[Path, str]] = []
    seen: dict[tuple[str, str], Path] = {}
    for kind, path in _fixture_files(root):
        record, problem = _read_record(path)
        found = [problem] if problem else check_record(kind, record)
        if found:
            problems.append((path, "; ".join(found)))
            continue
        # Two files may not seed the same record: ids and the other lookup keys name one record each.
        keys = [(name, record[name]) for name in index_fields(kind) if isinstance(record.get(name), str) and record[name]]
        clash = next(((name, value) for name, value in keys if seen.get((kind, value), path) != path), None)
        if clash:
            name, value = clash
            problems.append((path, f'{name}: "{value}" is already used by {seen[(kind, value)]}'))
            continue
        seen.update(((kind, value), path) for _name, value in keys)
        records.setdefault(kind, []).append(record)
    return records, problems


def load_fixtures(root: Path) -> Fixtures:
    """Load every fixture under `root`, or raise FixtureError naming each bad file."""
    records, problems = check_fixtures(root)
    if problems:
        raise FixtureError(problems)
    return Fixtures({kind: tuple(docs) for kind, docs in records.items()})
