"""WSGI entry point for the production server's worker: settings come from MOCKSERVER_* variables.

granian calls `worker_app()` (a factory) in its worker process; importing this module does nothing.
The worker's app lives until the worker exits: granian stops serving on SIGTERM/SIGINT and
returns, and on the way out the webhook deliveries are closed (attempts in flight finish
and are recorded; due ones stay pending/retrying in the store for the next start).
"""

import os
import threading
import time

from flask import Flask

from . import create_app


def worker_app() -> Flask:
    """The app of granian's worker process, with the threads that close it and follow its parent."""
    app = create_app()
    threading.Thread(target=_close_at_exit, args=(app.extensions["mockserver"],), name="close-at-exit").start()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    return app


def _close_at_exit(runtime) -> None:
    # A non-daemon thread: the interpreter waits for it, and the main thread ends first only
    # when the worker is exiting normally (granian returned after a stop signal).
    threading.main_thread().join()
    runtime.deliveries.close()
    runtime.store.close()


def _exit_with_parent(parent: int) -> None:
    # If the server's main process dies (even by SIGKILL), the worker must not linger holding the port.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
