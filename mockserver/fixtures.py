"""Finds, validates and loads fixture files: <dir>/<api>/<resource>/<name>.json, one record per file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .kinds import Kinds, key_values


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


LAYOUT = "fixture files go in <api>/<resource>/<name>.json, e.g. shoppex/invoices/order.json"


def _json_files(root: Path):
    # Every JSON file under root, outside hidden folders (.git, ...); other files (READMEs, notes) are not fixtures.
    for path in sorted(root.rglob("*.json")):
        if not any(part.startswith(".") for part in path.relative_to(root).parts):
            yield path


def _kind_of(root: Path, path: Path) -> str | None:
    # Two directory levels name the kind: <api>/<resource>/<name>.json.
    parts = path.relative_to(root).parts
    return f"{parts[0]}.{parts[1]}" if len(parts) == 3 else None


def directory_problem(root: Path) -> str | None:
    """What keeps `root` from being a fixture directory (missing, or a file), or None."""
    if root.is_dir():
        return None
    return "is a file, not a directory" if root.exists() else "does not exist"


def _read_record(path: Path) -> tuple[dict | None, str | None]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"not readable JSON ({exc})"
    if not isinstance(record, dict):
        return None, "must hold one JSON object (one record per file)"
    return record, None


def check_fixtures(root: Path, kinds: Kinds) -> tuple[dict[str, list[dict]], list[tuple[Path, str]]]:
    """Read and check every fixture under `root`; returns the good records and one problem line per bad file.

    A JSON file is bad when it is not at <api>/<resource>/<name>.json, sits in a directory that is
    none of `kinds`, is not one JSON object, fails its kind's schema (mockserver.kinds), or reuses an id
    (or uniqid, order number, ...) another file of its kind already has.
    """
    root = Path(root)
    location = directory_problem(root)
    if location:
        return {}, [(root, location)]
    records: dict[str, list[dict]] = {}
    problems: list[tuple[Path, str]] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in _json_files(root):
        kind = _kind_of(root, path)
        # A file at the wrong depth would be silently skipped: say where it belongs instead.
        if kind is None:
            problems.append((path, f"not loaded: {LAYOUT}"))
            continue
        if kind not in kinds.by_name:
            problems.append((path, f'unknown kind "{kind}": {LAYOUT}, with <api>/<resource> one of {", ".join(_kind_folders(kinds))}'))
            continue
        record, problem = _read_record(path)
        found = [problem] if problem else kinds.check_record(kind, record)
        if found:
            problems.append((path, "; ".join(found)))
            continue
        # Two files may not seed the same record: ids and the other lookup keys name one record each.
        keys = key_values(kinds.keys(kind), record)
        clash = next(((name, value) for name, value in keys if seen.get((kind, value), path) != path), None)
        if clash:
            name, value = clash
            problems.append((path, f'{name}: "{value}" is already used by {seen[(kind, value)]}'))
            continue
        seen.update(((kind, value), path) for _name, value in keys)
        records.setdefault(kind, []).append(record)
    return records, problems


def _kind_folders(kinds: Kinds) -> list[str]:
    return [kind.replace(".", "/", 1) for kind in kinds.names()]


def load_fixtures(root: Path, kinds: Kinds) -> Fixtures:
    """Load every fixture under `root` as `kinds`, or raise FixtureError naming each bad file."""
    records, problems = check_fixtures(root, kinds)
    if problems:
        raise FixtureError(problems)
    return Fixtures({kind: tuple(docs) for kind, docs in records.items()})
