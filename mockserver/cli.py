"""`mockserver [serve]`, `mockserver fixtures validate DIR`, `mockserver export` and `mockserver import`.

Every mistake a person can make here (a flag, a MOCKSERVER_* variable, a file) ends in one line on
stderr and exit status 2; no traceback is reachable from the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from . import __version__
from .app import KINDS
from .config import DEFAULT_HOST, DEFAULT_PORT, PARSERS, SettingError, Settings, parse_non_empty, setting_from_env
from .fixtures import FixtureError, check_fixtures, directory_problem
from .server import StartupError, check_startup, serve
from .storage import DatabaseFileError

COMMANDS = {"serve", "fixtures", "export", "import"}
USAGE_ERROR = 2
ADMIN_TOKEN_HEADER = "X-Mockserver-Admin-Token"


class UsageError(Exception):
    """A mistake on the command line or in the environment; the message is the one line to show."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (`mockserver: error: ...`) instead of usage plus error."""

    def error(self, message):
        """Print one line and exit 2."""
        self.exit(USAGE_ERROR, f"mockserver: error: {message}\n")


def argument_type(parse):
    """An argparse type from a parser whose ValueError says what is wrong (argparse adds the flag's name)."""

    def convert(raw: str):
        try:
            return parse(raw)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert


def setting_type(name: str):
    """An argparse type that reads a flag the way the setting's MOCKSERVER_* variable is read."""
    return argument_type(PARSERS[name])


NON_EMPTY = argument_type(parse_non_empty)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface; every serve flag also has a MOCKSERVER_* variable."""
    parser = OneLineParser(prog="mockserver", description="Local, stateful mock of the Shoppex and Shoplazza APIs.")
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    commands = parser.add_subparsers(dest="command")
    _add_serve(commands.add_parser("serve", help="run the server (the default command)"))

    fixtures = commands.add_parser("fixtures", help="work with fixture directories")
    fixture_commands = fixtures.add_subparsers(dest="fixtures_command", metavar="validate")
    validate = fixture_commands.add_parser("validate", help="check every fixture file; exit 1 if any is bad")
    validate.add_argument("directory", type=setting_type("fixtures"), metavar="DIR")

    for name, help_text in (
        ("export", "print a namespace of a running server as a JSON snapshot"),
        ("import", "restore a JSON snapshot into a namespace"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}", help="the running server [default: %(default)s]")
        command.add_argument(
            "--namespace", required=True, type=NON_EMPTY, help="the API key / access-token whose world to export or replace"
        )
        command.add_argument("--admin-token", type=setting_type("admin_token"), metavar="TOKEN", help="[MOCKSERVER_ADMIN_TOKEN]")
        if name == "import":
            command.add_argument("file", help="a snapshot written by `mockserver export` (- for stdin)")
    return parser


# serve's flags that take a value read like their setting's MOCKSERVER_* variable: (flag, setting, metavar, help).
SERVE_FLAGS = (
    ("--host", "host", None, f"address to listen on [MOCKSERVER_HOST, default {DEFAULT_HOST}]"),
    ("--port", "port", None, f"port; 0 picks a free one [MOCKSERVER_PORT, default {DEFAULT_PORT}]"),
    ("--fixtures", "fixtures", "DIR", "fixture directory [MOCKSERVER_FIXTURES, default: bundled]"),
    ("--db", "db", "PATH", "keep state in this JSON file [MOCKSERVER_DB, default: memory]"),
    (
        "--webhook-retry-scale",
        "webhook_retry_scale",
        "FACTOR",
        "multiply the documented retry delays (0.001 makes minutes milliseconds) [MOCKSERVER_WEBHOOK_RETRY_SCALE, default 1]",
    ),
    ("--webhook-timeout", "webhook_timeout", "SECONDS", "per-attempt timeout [MOCKSERVER_WEBHOOK_TIMEOUT, default 10]"),
    (
        "--shoplazza-app-secret",
        "shoplazza_app_secret",
        "SECRET",
        "key of X-Shoplazza-Hmac-Sha256 [MOCKSERVER_SHOPLAZZA_APP_SECRET, default shoplazza-app-secret]",
    ),
    (
        "--invoice-ttl",
        "invoice_ttl",
        "SECONDS",
        "unpaid orders and payments expire (VOIDED) after this long [MOCKSERVER_INVOICE_TTL, default 86400]",
    ),
    ("--admin-token", "admin_token", "TOKEN", "/__admin requires this X-Mockserver-Admin-Token [MOCKSERVER_ADMIN_TOKEN]"),
)
# Repeatable flags: (flag, setting, metavar, help).
REPEATED_FLAGS = (
    ("--api-key", "api_keys", "KEY", "accept only these Shoppex keys; repeatable [MOCKSERVER_API_KEYS, comma-separated]"),
    (
        "--shoplazza-token",
        "shoplazza_tokens",
        "TOKEN[:SCOPE,...]",
        "accept only these Shoplazza access-tokens, optionally with scopes; repeatable [MOCKSERVER_SHOPLAZZA_TOKENS, ';'-separated]",
    ),
)
# Switches: (flags, setting, action, help); unset (None) means "not given", so the variable still counts.
SERVE_SWITCHES = (
    (("--no-webhooks",), "webhooks", "store_false", "log deliveries without sending them [MOCKSERVER_WEBHOOKS=0]"),
    (
        ("--webhook-allow-private",),
        "webhook_allow_private",
        "store_true",
        "allow webhook URLs on link-local and cloud metadata addresses [MOCKSERVER_WEBHOOK_ALLOW_PRIVATE=1]",
    ),
    (("--verbose", "-v"), "verbose", "store_true", "log one line per request and each webhook attempt to stderr [MOCKSERVER_VERBOSE]"),
    (("--debug",), "debug", "store_true", "werkzeug development server with tracebacks in the log [MOCKSERVER_DEBUG]"),
)
# The serve flags whose value goes to Settings under the same name.
SETTING_FLAGS = tuple(setting for _flag, setting, *_rest in SERVE_FLAGS + SERVE_SWITCHES)


def _add_serve(serve_parser: argparse.ArgumentParser) -> None:
    add = serve_parser.add_argument
    for flag, setting, metavar, help_text in SERVE_FLAGS:
        add(flag, dest=setting, type=setting_type(setting), metavar=metavar, help=help_text)
    for flag, setting, metavar, help_text in REPEATED_FLAGS:
        add(flag, action="append", dest=setting, type=NON_EMPTY, metavar=metavar, help=help_text)
    for flags, setting, action, help_text in SERVE_SWITCHES:
        add(*flags, dest=setting, action=action, default=None, help=help_text)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mockserver` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except UsageError as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python's exit-time flush from complaining.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _run(argv: list[str]) -> int:
    # No command, or only flags, means `serve`; a word that is no command is a mistake, not a serve argument.
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        raise UsageError(f"unknown command {argv[0]!r} (commands: {', '.join(sorted(COMMANDS))})")
    if not argv or (argv[0] not in COMMANDS and argv[0] not in {"-h", "--help", "--version"}):
        argv.insert(0, "serve")
    args = build_parser().parse_args(argv)
    if args.command == "fixtures":
        if args.fixtures_command is None:
            raise UsageError("fixtures: a subcommand is required: mockserver fixtures validate DIR")
        return validate_fixtures(args.directory)
    if args.command in {"export", "import"}:
        return transfer_snapshot(args)
    return run_server(args)


def run_server(args: argparse.Namespace) -> int:
    """`mockserver serve`: resolve settings, check them, claim port and --db, serve until interrupted."""
    overrides = {name: getattr(args, name) for name in SETTING_FLAGS}
    overrides["api_keys"] = tuple(args.api_keys) if args.api_keys else None
    overrides["shoplazza_tokens"] = tuple(args.shoplazza_tokens) if args.shoplazza_tokens else None
    # Everything a person can get wrong is checked before the port is touched.
    try:
        settings = Settings.from_env(**overrides)
        check_startup(settings)
    except (SettingError, DatabaseFileError, FixtureError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    # Then the port and the --db file are claimed (StartupError if taken), and the server runs.
    try:
        serve(settings)
    except StartupError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        pass
    return 0


def validate_fixtures(directory: Path) -> int:
    """`mockserver fixtures validate DIR`: one line per bad file, exit 1 if any."""
    # A DIR that is missing or a file is a usage mistake, not a bad fixture.
    problem = directory_problem(directory)
    if problem:
        raise UsageError(f"fixtures validate: {directory} {problem}")
    records, problems = check_fixtures(directory, KINDS)
    for path, message in problems:
        print(f"{path}: {message}", file=sys.stderr)
    if problems:
        return 1
    count = sum(len(docs) for docs in records.values())
    print(f"{directory}: {count} records in {len(records)} kinds, all valid")
    return 0


def admin_token(args: argparse.Namespace) -> str | None:
    """--admin-token, else MOCKSERVER_ADMIN_TOKEN (set but empty is refused), else none."""
    if args.admin_token is not None:
        return args.admin_token
    try:
        return setting_from_env("admin_token")
    except SettingError as exc:
        raise UsageError(str(exc)) from None


def read_snapshot(file: str) -> bytes:
    """The snapshot to import, from a file or (`-`) stdin; UsageError naming the file if it cannot be read."""
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except IsADirectoryError:
        raise UsageError(f"import: {file} is a directory, not a snapshot file") from None
    except OSError as exc:
        raise UsageError(f"import: cannot read {file}: {exc.strerror or exc}") from None


def transfer_snapshot(args: argparse.Namespace) -> int:
    """`mockserver export` / `mockserver import` through the running server's admin API."""
    url = f"{args.url.rstrip('/')}/__admin/snapshot?{urllib.parse.urlencode({'namespace': args.namespace})}"
    headers = {}
    token = admin_token(args)
    if token is not None:
        headers[ADMIN_TOKEN_HEADER] = token
    if args.command == "export":
        request = urllib.request.Request(url, headers=headers)
    else:
        headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=read_snapshot(args.file), method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise UsageError("admin token missing or wrong (--admin-token / MOCKSERVER_ADMIN_TOKEN)") from None
        print(f"mockserver: {args.command} failed: {error.code} {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"mockserver: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    if args.command == "export":
        json.dump(body, sys.stdout, indent=2)
        print()
        sys.stdout.flush()
    else:
        print(f"restored {body['restored']} records into namespace {body['namespace']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
