"""One Settings object: CLI flags override MOCKSERVER_* environment variables override defaults."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
ENV_PREFIX = "MOCKSERVER_"


def bundled_fixtures_dir() -> Path:
    """Where the fixtures shipped with the package live (wheel or source checkout)."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "bundled_fixtures"
    if installed.is_dir():
        return installed
    return package_dir.parent / "fixtures"


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the server can be configured with; each field is also a MOCKSERVER_* variable."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    fixtures: Path = field(default_factory=bundled_fixtures_dir)
    db: Path | None = None
    api_keys: tuple[str, ...] = ()
    shoplazza_tokens: tuple[str, ...] = ()
    debug: bool = False
    max_body_bytes: int = 1024 * 1024
    invoice_ttl: int = 24 * 60 * 60
    journal_size: int = 5000
    webhooks: bool = True
    webhook_retry_scale: float = 1.0
    webhook_timeout: float = 10.0
    shoplazza_app_secret: str = "shoplazza-app-secret"
    shoplazza_shop_domain: str = "mockshop.myshoplaza.com"
    # How many namespaces (API keys / access-tokens) the store holds; a new key past it is refused (507).
    max_namespaces: int = 10_000

    @classmethod
    def from_env(cls, environ=None, **overrides) -> Settings:
        """Read MOCKSERVER_* variables, then apply explicit overrides (CLI flags)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The MOCKSERVER_* variables that reproduce these settings (for worker processes)."""
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = (";" if f.name == "shoplazza_tokens" else ",").join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            env[ENV_PREFIX + f.name.upper()] = str(value)
        return env


def _coerce(name: str, raw: str):
    if name in {"port", "max_body_bytes", "invoice_ttl", "journal_size", "max_namespaces"}:
        return int(raw)
    if name in {"fixtures", "db"}:
        return Path(raw)
    if name == "api_keys":
        return _split_list(raw)
    if name == "shoplazza_tokens":
        # TOKEN[:scope,scope] specs carry commas, so they are separated by ';' or spaces.
        return tuple(spec for spec in re.split(r"[;\s]+", raw) if spec)
    if name in {"debug", "webhooks"}:
        return _parse_bool(raw)
    if name in {"webhook_retry_scale", "webhook_timeout"}:
        return float(raw)
    return raw
