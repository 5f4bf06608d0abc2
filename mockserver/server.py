"""Runs the app: granian (one process, many threads) by default, the werkzeug dev server with --debug.

Before anything is announced the server claims what it must not share: its port (checked without
SO_REUSEPORT, which granian binds with) and, with --db, the database file (an flock on PATH.lock).
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import socket
import sys
from dataclasses import replace
from pathlib import Path

from .app import KINDS, create_app
from .config import Settings
from .fixtures import load_fixtures
from .shoplazza.auth import parse_token_specs
from .storage import ChangeLog

# One worker process keeps all state in one place; its threads serve requests concurrently.
# granian starts them on demand (and retires idle ones), so a generous ceiling costs nothing until
# used: a client stalled in the middle of its body holds one, and the others still find a free one.
GRANIAN_THREADS = 256


class StartupError(Exception):
    """The server cannot start as configured; the message is the one line to show."""


def check_startup(settings: Settings) -> None:
    """Fail before serving if the fixtures or the --db file cannot be used (never writes anything)."""
    load_fixtures(settings.fixtures, KINDS)
    parse_token_specs(settings.shoplazza_tokens)
    if settings.db is not None:
        ChangeLog.check(settings.db)


def claim_port(host: str, port: int) -> int:
    """The port to serve on (a free one for 0); StartupError if another socket has it or the address is unusable."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise StartupError(f"--host {host}: not an address to listen on ({exc})") from None
    # SO_REUSEADDR (as granian) but not SO_REUSEPORT: any socket listening on the port makes the bind fail.
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StartupError(f"port {port} on {host} is already in use") from None
            raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        return sock.getsockname()[1]


def lock_database(db: Path) -> int:
    """Hold an exclusive flock on PATH.lock for the life of the process (the kernel drops it even on kill -9)."""
    lock_path = db.with_name(db.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StartupError(f"--db {db}: cannot create the lock file {lock_path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise StartupError(f"--db {db} is in use by another mockserver (pid {holder or 'unknown'})") from None
    # Say who holds it, for the next server that finds it taken.
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def announce(settings: Settings, server: str) -> None:
    """The one line that says where the server and its admin API listen."""
    storage = f"file {settings.db}" if settings.db else "memory"
    url = f"http://{settings.host}:{settings.port}"
    print(f"mockserver listening on {url} ({server}, storage: {storage}); admin: {url}/__admin", flush=True)


def serve(settings: Settings) -> None:
    """Claim the port and the --db file, then serve until Ctrl-C or SIGTERM; StartupError if either is taken."""
    settings = replace(settings, port=claim_port(settings.host, settings.port))
    lock = lock_database(settings.db) if settings.db is not None else None
    try:
        if settings.debug:
            _serve_werkzeug(settings)
        else:
            _serve_granian(settings)
    finally:
        if lock is not None:
            os.close(lock)


def _serve_werkzeug(settings: Settings) -> None:
    # Each server's modules load only when that server runs (not a cycle: start-up and --help stay fast).
    from werkzeug.serving import run_simple

    app = create_app(settings)
    announce(settings, "werkzeug development server")
    # SIGTERM stops it like Ctrl-C, so the deliveries are closed either way.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        runtime = app.extensions["mockserver"]
        runtime.deliveries.close()
        runtime.store.close()


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _serve_granian(settings: Settings) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    # The worker process builds its app from the environment, so hand the settings over there.
    os.environ.update(settings.to_env())
    server = Granian(
        "mockserver.wsgi:worker_app",
        factory=True,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=GRANIAN_THREADS,
        log_level=LogLevels.error,
    )
    announce(settings, "granian")
    server.serve()
    sys.stdout.flush()
