"""Where the store's TinyDB data lives: in memory, optionally backed by an fsync'd change log on disk.

TinyDB's storage interface reads and writes the whole database, so a file storage rewrites
everything on every write. Instead the data stays in TinyDB's memory storage, every change
is appended to `<db>.log` and fsync'd before the write is acknowledged, and the log is
folded into the snapshot file `<db>` (temp file, fsync, rename) once it outgrows it.
A start loads the snapshot and replays the log; replaying is idempotent.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table

FORMAT_TABLE = "_mockserver"
FORMAT_DOC = {"format": "mockserver-db", "version": 1}
MIN_COMPACT_BYTES = 1024 * 1024


class DatabaseFileError(Exception):
    """The --db file cannot be used (unreadable, not JSON, or not a mockserver database)."""


class _IntKeys(MutableMapping):
    """TinyDB's updaters see int doc ids; the stored table keeps str keys. Adapts in place, without copying."""

    def __init__(self, raw: dict):
        self.raw = raw

    def __getitem__(self, key):
        return self.raw[str(key)]

    def __setitem__(self, key, value):
        self.raw[str(key)] = value

    def __delitem__(self, key):
        del self.raw[str(key)]

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, key) -> bool:
        return str(key) in self.raw


class InPlaceTable(Table):
    """A TinyDB table whose writes change one document in place instead of rebuilding the table."""

    def _update_table(self, updater) -> None:
        tables = self._storage.read() or {}
        updater(_IntKeys(tables.setdefault(self.name, {})))
        self._storage.write(tables)
        self.clear_cache()


class Database(TinyDB):
    """TinyDB in memory with in-place tables."""

    table_class = InPlaceTable

    def __init__(self):
        super().__init__(storage=MemoryStorage)

    @property
    def data(self) -> dict:
        """The raw data: {table: {doc id: document}}."""
        if self.storage.read() is None:
            self.storage.write({})
        return self.storage.read()


class ChangeLog:
    """The snapshot file and its append-only log of changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.log_path = self.path.with_name(self.path.name + ".log")
        self._fd: int | None = None
        self._log_bytes = 0
        self._snapshot_bytes = 0

    @classmethod
    def check(cls, path: Path) -> None:
        """Raise DatabaseFileError if `path` cannot be used; reads only."""
        cls(path).load()

    def load(self) -> dict | None:
        """The data of the snapshot with the log replayed (None for a new database)."""
        data = self._read_snapshot()
        if data is None:
            return None
        for op in self._read_log():
            apply(data, op)
        return data

    def open(self, data: dict) -> None:
        """Start appending; a new database gets its first snapshot now."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            self.compact(data)
        self._fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._log_bytes = os.fstat(self._fd).st_size
        self._snapshot_bytes = self.path.stat().st_size

    def append(self, ops: list[list], data: dict) -> None:
        """Persist changes; returns only once they are on disk. Folds the log into the snapshot when it outgrows it."""
        line = "".join(json.dumps(op, separators=(",", ":")) + "\n" for op in ops).encode()
        os.write(self._fd, line)
        os.fsync(self._fd)
        self._log_bytes += len(line)
        if self._log_bytes > max(MIN_COMPACT_BYTES, self._snapshot_bytes):
            self.compact(data)

    def compact(self, data: dict) -> None:
        """Write the whole data as the new snapshot, then empty the log (a crash in between replays harmlessly)."""
        payload = json.dumps(data, separators=(",", ":")).encode()
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_directory(self.path.parent)
        self._snapshot_bytes = len(payload)
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        elif self.log_path.exists():
            self.log_path.unlink()
        self._log_bytes = 0

    def close(self) -> None:
        """Stop appending."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _read_snapshot(self) -> dict | None:
        # A missing or empty file is a new database.
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            if not self.path.parent.is_dir():
                raise DatabaseFileError(f"directory of database file {self.path} does not exist") from None
            if self.log_path.exists():
                raise DatabaseFileError(f"{self.log_path} exists without its database file {self.path}") from None
            return None
        except OSError as exc:
            raise DatabaseFileError(f"cannot read database file {self.path}: {exc.strerror}") from exc
        if not raw.strip():
            return None
        # Anything else must be a database this server wrote; a foreign file is never overwritten.
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DatabaseFileError(f"database file {self.path} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict) or FORMAT_DOC not in data.get(FORMAT_TABLE, {}).values():
            raise DatabaseFileError(f"database file {self.path} was not written by mockserver; refusing to use it")
        return data

    def _read_log(self) -> list[list]:
        try:
            raw = self.log_path.read_bytes()
        except FileNotFoundError:
            return []
        lines = raw.split(b"\n")
        ops = []
        for number, line in enumerate(lines, 1):
            if not line:
                continue
            try:
                ops.append(json.loads(line))
            except ValueError:
                # Only a torn last line (a write cut short, never acknowledged) may be dropped.
                if number == len(lines):
                    self._drop_torn_tail(len(raw) - len(line))
                    break
                raise DatabaseFileError(f"change log {self.log_path} is damaged at line {number}") from None
        return ops

    def _drop_torn_tail(self, keep: int) -> None:
        with open(self.log_path, "r+b") as fh:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())


def apply(data: dict, op: list) -> None:
    """Replay one change: ["put", table, id, doc], ["del", table, id] or ["drop", table]."""
    kind, table = op[0], op[1]
    if kind == "put":
        data.setdefault(table, {})[str(op[2])] = op[3]
    elif kind == "del":
        data.get(table, {}).pop(str(op[2]), None)
    elif kind == "drop":
        data.pop(table, None)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
