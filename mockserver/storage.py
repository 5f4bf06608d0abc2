"""TinyDB storages: in memory, or a JSON file written atomically before a write is acknowledged."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from tinydb.storages import MemoryStorage, Storage

FORMAT_TABLE = "_mockserver"
FORMAT_DOC = {"format": "mockserver-db", "version": 1}


class DatabaseFileError(Exception):
    """The --db file cannot be used (unreadable, not JSON, or not a mockserver database)."""


class DurableJSONStorage(Storage):
    """Keeps the database in memory and rewrites the file atomically (temp file, fsync, rename) on every write."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._data = self._load()

    def _load(self) -> dict | None:
        # A missing or empty file is a new database.
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            if not self.path.parent.is_dir():
                raise DatabaseFileError(f"directory of database file {self.path} does not exist") from None
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

    @classmethod
    def check(cls, path: str | os.PathLike) -> None:
        """Raise DatabaseFileError if `path` cannot be used; reads only."""
        cls(path)

    def read(self) -> dict | None:
        """The whole database, from memory."""
        return self._data

    def write(self, data: dict) -> None:
        """Persist the whole database; returns only once it is safely on disk."""
        payload = json.dumps(data, separators=(",", ":")).encode()
        directory = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
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
        _fsync_directory(directory)
        self._data = data

    def close(self) -> None:
        """Nothing is buffered, so nothing to flush."""


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_storage(db_path: Path | None):
    """The storage class and arguments for TinyDB, chosen by configuration."""
    if db_path is None:
        return MemoryStorage, ()
    return DurableJSONStorage, (db_path,)
