"""One Settings object: CLI flags override MOCKSERVER_* environment variables override defaults."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
ENV_PREFIX = "MOCKSERVER_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
# Variables whose value is a guard: set but empty is refused rather than read as "unset".
NON_EMPTY_VARIABLES = frozenset({"admin_token"})
# Webhook log bounds: deliveries kept per namespace, bytes of each attempt's response body.
WEBHOOK_LOG_SIZE = 1000
WEBHOOK_RESPONSE_BYTES = 2048


class SettingError(ValueError):
    """A flag or MOCKSERVER_* variable has a value the server cannot use; the message names it."""


def bundled_fixtures_dir() -> Path:
    """Where the fixtures shipped with the package live (wheel or source checkout)."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "bundled_fixtures"
    if installed.is_dir():
        return installed
    return package_dir.parent / "fixtures"


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _split_token_specs(value: str) -> tuple[str, ...]:
    # TOKEN[:scope,scope] specs carry commas, so they are separated by ';' or spaces.
    return tuple(spec for spec in re.split(r"[;\s]+", value) if spec)


def parse_bool(raw: str) -> bool:
    """1/true/yes/on or 0/false/no/off, any case."""
    word = raw.strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError(f"must be one of {', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}, not {raw!r}")


def _whole_number(raw: str, minimum: int, maximum: int | None = None, what: str = "a whole number") -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        limits = f"from {minimum} to {maximum}" if maximum is not None else f"(at least {minimum})"
        raise ValueError(f"must be {what} {limits}, not {raw!r}")
    return value


def _number(raw: str, minimum: float, *, inclusive: bool) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < minimum or (value == minimum and not inclusive):
        bound = f"({'at least' if inclusive else 'greater than'} {minimum:g})"
        raise ValueError(f"must be a number {bound}, not {raw!r}")
    return value


def parse_port(raw: str) -> int:
    """A TCP port, 0 (pick a free one) to 65535."""
    return _whole_number(raw, 0, 65535, what="a port number")


def parse_non_empty(raw: str) -> str:
    """Any text but the empty string."""
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


def parse_path(raw: str) -> Path:
    """A file or directory path (not the empty string)."""
    return Path(parse_non_empty(raw))


# How each setting is read from text (a flag or a variable); ValueError names what is wrong.
PARSERS = {
    "host": parse_non_empty,
    "port": parse_port,
    "fixtures": parse_path,
    "db": parse_path,
    "api_keys": _split_list,
    "shoplazza_tokens": _split_token_specs,
    "debug": parse_bool,
    "verbose": parse_bool,
    "max_body_bytes": lambda raw: _whole_number(raw, 1),
    "invoice_ttl": lambda raw: _whole_number(raw, 1, what="a number of seconds"),
    "journal_size": lambda raw: _whole_number(raw, 0),
    "max_namespaces": lambda raw: _whole_number(raw, 1),
    "webhooks": parse_bool,
    "webhook_retry_scale": lambda raw: _number(raw, 0, inclusive=True),
    "webhook_timeout": lambda raw: _number(raw, 0, inclusive=False),
    "webhook_allow_private": parse_bool,
    "webhook_log_size": lambda raw: _whole_number(raw, 1),
    "webhook_response_bytes": lambda raw: _whole_number(raw, 0),
    "shoplazza_app_secret": parse_non_empty,
    "shoplazza_shop_domain": parse_non_empty,
    "admin_token": parse_non_empty,
}


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
    verbose: bool = False
    max_body_bytes: int = 1024 * 1024
    invoice_ttl: int = 24 * 60 * 60
    journal_size: int = 5000
    webhooks: bool = True
    webhook_retry_scale: float = 1.0
    webhook_timeout: float = 10.0
    webhook_allow_private: bool = False
    webhook_log_size: int = WEBHOOK_LOG_SIZE
    webhook_response_bytes: int = WEBHOOK_RESPONSE_BYTES
    shoplazza_app_secret: str = "shoplazza-app-secret"
    shoplazza_shop_domain: str = "mockshop.myshoplaza.com"
    admin_token: str | None = None
    # How many namespaces (API keys / access-tokens) the store holds; a new key past it is refused (507).
    max_namespaces: int = 10_000

    @classmethod
    def from_env(cls, environ=None, **overrides) -> Settings:
        """Read MOCKSERVER_* variables, then apply explicit overrides (CLI flags); SettingError names a bad variable."""
        values = {f.name: setting_from_env(f.name, environ) for f in fields(cls)}
        # A flag given (not None) wins over its variable; what neither sets keeps its default.
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**{name: value for name, value in values.items() if value is not None})

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
            env[env_variable(f.name)] = str(value)
        return env


def setting_from_env(name: str, environ=None):
    """The setting `name` as its MOCKSERVER_* variable gives it, or None if unset; SettingError names a bad variable."""
    environ = os.environ if environ is None else environ
    variable = env_variable(name)
    raw = environ.get(variable)
    # An empty variable counts as unset, except for a guard such as the admin token.
    if raw is None or (raw == "" and name not in NON_EMPTY_VARIABLES):
        return None
    try:
        return PARSERS[name](raw)
    except ValueError as exc:
        raise SettingError(f"{variable}: {exc}") from None


def env_variable(name: str) -> str:
    """The MOCKSERVER_* variable of the setting `name`."""
    return ENV_PREFIX + name.upper()
