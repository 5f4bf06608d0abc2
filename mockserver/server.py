"""Runs the app: granian (one process, many threads) by default, the werkzeug dev server with --debug."""

from __future__ import annotations

import os
import signal
import socket
import sys

from .config import Settings
from .fixtures import load_fixtures
from .shoplazza.auth import parse_token_specs
from .storage import ChangeLog

# One worker process keeps all state in one place; its threads serve requests concurrently.
GRANIAN_THREADS = 32


def check_startup(settings: Settings) -> None:
    """Fail before serving if the fixtures or the --db file cannot be used (never writes anything)."""
    load_fixtures(settings.fixtures)
    parse_token_specs(settings.shoplazza_tokens)
    if settings.db is not None:
        ChangeLog.check(settings.db)


def free_port(host: str) -> int:
    """A port the OS reports free on `host` (for --port 0)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def announce(settings: Settings, server: str) -> None:
    """The one line that says where the server listens."""
    storage = f"file {settings.db}" if settings.db else "memory"
    print(f"mockserver listening on http://{settings.host}:{settings.port} ({server}, storage: {storage})", flush=True)


def serve(settings: Settings) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    if settings.port == 0:
        settings = Settings(**{**settings.__dict__, "port": free_port(settings.host)})
    if settings.debug:
        _serve_werkzeug(settings)
    else:
        _serve_granian(settings)


def _serve_werkzeug(settings: Settings) -> None:
    from werkzeug.serving import run_simple

    from .app import create_app

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
        "mockserver.wsgi:app",
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
