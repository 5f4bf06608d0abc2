"""WSGI entry point for the production server's worker: settings come from MOCKSERVER_* variables."""

import os
import threading
import time

from . import create_app

app = create_app()


def _exit_with_parent(parent: int) -> None:
    # If the server's main process dies (even by SIGKILL), the worker must not linger holding the port.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()
