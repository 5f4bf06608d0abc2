"""WSGI entry point for the production server's worker: settings come from MOCKSERVER_* variables."""

from . import create_app

app = create_app()
