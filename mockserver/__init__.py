"""A local, stateful mock of the Shoppex Developer API and the Shoplazza OpenAPI."""

__version__ = "0.1.0"


def create_app(settings=None):
    """Build the Flask app (imported lazily so `mockserver --help` stays fast)."""
    from .app import create_app as _create_app

    return _create_app(settings)
