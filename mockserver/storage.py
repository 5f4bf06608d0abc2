"""The --db file: a JSON snapshot and an fsync'd, append-only change log beside it (`<db>.log`).

Every committed transaction is one log line, written in full and fsync'd before the write is
acknowledged; a write that cannot be (disk full, file too large, I/O error) raises StorageFailure
and leaves the log as it was. Once the log outgrows the snapshot it is folded into it (temporary
file, fsync, rename). A start loads the snapshot and replays the log. Every file is created 0600.
The format itself (and its checks) is in dbformat.py.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import dbformat
from .dbformat import FormatError

MIN_COMPACT_BYTES = 1024 * 1024
FILE_MODE = 0o600
# Failures that mean "no room": the write is refused as 507 Insufficient Storage (others are 503).
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class DatabaseFileError(Exception):
    """The --db file cannot be used (unreadable, not JSON, damaged, or not a mockserver database)."""


class StorageFailure(Exception):
    """A change could not be written to disk; nothing of it was kept."""

    def __init__(self, message: str, no_room: bool):
        super().__init__(message)
        self.no_room = no_room


@dataclass
class Loaded:
    """What a start reads: the snapshot, the log's transactions, and how much of the log is good."""

    snapshot: dict
    transactions: list[list[list]] = field(default_factory=list)
    log_bytes: int = 0
    log_good_bytes: int = 0
    new: bool = False
    converted: bool = False


class ChangeLog:
    """The snapshot file and its append-only log of transactions."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.log_path = self.path.with_name(self.path.name + ".log")
        self._fd: int | None = None
        self._log_bytes = 0
        self._snapshot_bytes = 0
        self._compact_after = MIN_COMPACT_BYTES
        self._broken: str | None = None

    @classmethod
    def check(cls, path: Path) -> None:
        """Raise DatabaseFileError if `path` cannot be used; reads only."""
        log = cls(path)
        log.load()
        # Snapshots are written beside the file (a temporary file renamed over it): the directory must take them.
        if not os.access(log.path.parent, os.W_OK | os.X_OK):
            raise DatabaseFileError(f"cannot write in the directory of database file {log.path}")

    # -- reading ---------------------------------------------------------------

    def load(self) -> Loaded:
        """The snapshot and the log's transactions, every one checked; reads only."""
        raw_log = self._read(self.log_path)
        raw = self._read(self.path)
        # No snapshot (or an empty one) is a new database only when no log holds changes either.
        if raw is None or not raw.strip():
            if raw_log is not None and raw_log.strip():
                state = "is missing" if raw is None else "is empty"
                message = f"database file {self.path} {state} but its change log {self.log_path} holds changes; refusing to start"
                raise DatabaseFileError(message)
            if raw is None and not self.path.parent.is_dir():
                raise DatabaseFileError(f"directory of database file {self.path} does not exist")
            return Loaded(dbformat.empty_snapshot(), log_bytes=len(raw_log or b""), new=True)
        data = self._parse_snapshot(raw)
        v1 = dbformat.is_v1(data)
        try:
            snapshot = dbformat.check_snapshot(data)
        except FormatError as exc:
            raise DatabaseFileError(f"database file {self.path} {exc}; refusing to use it") from None
        loaded = Loaded(snapshot, log_bytes=len(raw_log or b""), converted=v1)
        self._read_log(raw_log or b"", loaded, data if v1 else None)
        return loaded

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DatabaseFileError(f"cannot read {path}: {exc.strerror}") from exc

    def _parse_snapshot(self, raw: bytes):
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DatabaseFileError(f"database file {self.path} is not valid JSON: {exc}") from exc

    def _read_log(self, raw: bytes, loaded: Loaded, v1_data: dict | None) -> None:
        # Every line must be a transaction; only a torn last line (no newline, not JSON: a write cut
        # short, never acknowledged) is dropped.
        lines = raw.split(b"\n")
        offset = 0
        for number, line in enumerate(lines, 1):
            last = number == len(lines)
            if line.strip():
                try:
                    value = json.loads(line)
                except (ValueError, UnicodeDecodeError):
                    if last:
                        break
                    raise DatabaseFileError(f"change log {self.log_path} is damaged at line {number} (not JSON)") from None
                try:
                    ops = dbformat.check_v1_line(value) if v1_data is not None else dbformat.check_line(value)
                except FormatError as exc:
                    raise DatabaseFileError(f"change log {self.log_path} is damaged at line {number}: it {exc}") from None
                loaded.transactions.append(ops)
            offset += len(line) + (0 if last else 1)
        loaded.log_good_bytes = offset
        if v1_data is not None:
            # A version 1 log replays onto the version 1 tables, which are then converted.
            for ops in loaded.transactions:
                dbformat.apply_v1(v1_data, ops[0])
            loaded.snapshot = dbformat.check_snapshot(v1_data)
            loaded.transactions = []

    # -- writing ---------------------------------------------------------------

    def open(self, loaded: Loaded, snapshot: Callable[[], dict]) -> None:
        """Start appending: drop a torn tail, and write a first (or converted) snapshot when needed."""
        if loaded.new or loaded.converted:
            self.compact(snapshot())
        elif loaded.log_good_bytes < loaded.log_bytes:
            _truncate(self.log_path, loaded.log_good_bytes)
        self._snapshot_bytes = self.path.stat().st_size
        created = not self.log_path.exists()
        self._fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.fchmod(self._fd, FILE_MODE)
        if created:
            _fsync_directory(self.path.parent)
        self._log_bytes = os.fstat(self._fd).st_size
        # A last line kept without its newline (a complete transaction) gets one before anything is appended.
        if self._log_bytes and _last_byte(self.log_path) != b"\n":
            self.append_line(b"\n")

    def append(self, ops: list[list], snapshot: Callable[[], dict]) -> None:
        """Persist one transaction; returns only once it is on disk, else raises StorageFailure having written nothing."""
        # ASCII only (everything else \u-escaped): any string, even one no UTF-8 can hold, reads back as it was.
        self.append_line((json.dumps(ops, separators=(",", ":")) + "\n").encode())
        if self._log_bytes > max(self._compact_after, self._snapshot_bytes):
            self._try_compact(snapshot)

    def append_line(self, line: bytes) -> None:
        """Write `line` in full and fsync it, or put the log back as it was and raise StorageFailure."""
        if self._broken:
            raise StorageFailure(self._broken, no_room=False)
        start = self._log_bytes
        try:
            _write_all(self._fd, line)
            os.fsync(self._fd)
        except OSError as exc:
            self._cut_back(start)
            raise StorageFailure(_describe(exc, self.log_path), no_room=exc.errno in NO_ROOM) from exc
        self._log_bytes = start + len(line)

    def _cut_back(self, length: int) -> None:
        # What was written of a failed transaction must not stay: a later line would follow a torn one.
        try:
            os.ftruncate(self._fd, length)
            os.fsync(self._fd)
        except OSError as exc:
            self._broken = f"change log {self.log_path} could not be repaired after a failed write ({exc.strerror}); writes are refused"

    def _try_compact(self, snapshot: Callable[[], dict]) -> None:
        # The transaction is already safe in the log; a snapshot that cannot be written now is retried later.
        try:
            self.compact(snapshot())
        except OSError:
            self._compact_after = self._log_bytes + MIN_COMPACT_BYTES

    def compact(self, data: dict) -> None:
        """Write the whole data as the new snapshot, then empty the log (a crash in between replays harmlessly)."""
        payload = json.dumps(data, separators=(",", ":")).encode()
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
            os.close(fd)
            fd = None
            os.replace(tmp, self.path)
        except BaseException:
            if fd is not None:
                os.close(fd)
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_directory(self.path.parent)
        self._snapshot_bytes = len(payload)
        self._compact_after = MIN_COMPACT_BYTES
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        elif self.log_path.exists():
            _truncate(self.log_path, 0)
        self._log_bytes = 0

    def close(self) -> None:
        """Stop appending."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1)


def _write_all(fd: int, data: bytes) -> None:
    # os.write may write less than asked (a disk filling up): loop until all is written, or raise.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _describe(exc: OSError, path: Path) -> str:
    if exc.errno in NO_ROOM:
        return f"The mock server's database {path} is out of space ({exc.strerror}); the change was not made."
    return f"The mock server could not write its database {path} ({exc.strerror or exc}); the change was not made."


def _truncate(path: Path, length: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(length)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_directory(directory: Path) -> None:
    # A rename or a new file is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
