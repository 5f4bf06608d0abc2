"""`mockserver [serve]` and `mockserver fixtures validate DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import DEFAULT_HOST, DEFAULT_PORT, Settings

COMMANDS = {"serve", "fixtures", "export", "import"}


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface; every serve flag also has a MOCKSERVER_* variable."""
    parser = argparse.ArgumentParser(prog="mockserver", description="Local, stateful mock of the Shoppex and Shoplazza APIs.")
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    commands = parser.add_subparsers(dest="command")

    serve = commands.add_parser("serve", help="run the server (the default command)")
    serve.add_argument("--host", help=f"address to listen on [MOCKSERVER_HOST, default {DEFAULT_HOST}]")
    serve.add_argument("--port", type=int, help=f"port; 0 picks a free one [MOCKSERVER_PORT, default {DEFAULT_PORT}]")
    serve.add_argument("--fixtures", type=Path, metavar="DIR", help="fixture directory [MOCKSERVER_FIXTURES, default: bundled]")
    serve.add_argument("--db", type=Path, metavar="PATH", help="keep state in this JSON file [MOCKSERVER_DB, default: memory]")
    serve.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only these Shoppex keys; repeatable [MOCKSERVER_API_KEYS, comma-separated]",
    )
    serve.add_argument(
        "--shoplazza-token",
        action="append",
        dest="shoplazza_tokens",
        metavar="TOKEN[:SCOPE,...]",
        help="accept only these Shoplazza access-tokens, optionally with scopes; repeatable [MOCKSERVER_SHOPLAZZA_TOKENS, ';'-separated]",
    )
    serve.add_argument(
        "--no-webhooks",
        dest="webhooks",
        action="store_false",
        default=None,
        help="log webhook deliveries without sending them [MOCKSERVER_WEBHOOKS=0]",
    )
    serve.add_argument(
        "--webhook-retry-scale",
        type=float,
        metavar="FACTOR",
        help="multiply the documented retry delays (0.001 makes minutes milliseconds) [MOCKSERVER_WEBHOOK_RETRY_SCALE, default 1]",
    )
    serve.add_argument(
        "--webhook-timeout", type=float, metavar="SECONDS", help="per-attempt timeout [MOCKSERVER_WEBHOOK_TIMEOUT, default 10]"
    )
    serve.add_argument(
        "--webhook-allow-private",
        action="store_true",
        default=None,
        help="allow webhook URLs on link-local and cloud metadata addresses [MOCKSERVER_WEBHOOK_ALLOW_PRIVATE=1]",
    )
    serve.add_argument(
        "--shoplazza-app-secret",
        metavar="SECRET",
        help="key of X-Shoplazza-Hmac-Sha256 [MOCKSERVER_SHOPLAZZA_APP_SECRET, default shoplazza-app-secret]",
    )
    serve.add_argument(
        "--invoice-ttl",
        type=int,
        metavar="SECONDS",
        help="unpaid orders and payments expire (VOIDED) after this long [MOCKSERVER_INVOICE_TTL, default 86400]",
    )
    serve.add_argument(
        "--debug", action="store_true", default=None, help="werkzeug development server with tracebacks in the log [MOCKSERVER_DEBUG]"
    )

    fixtures = commands.add_parser("fixtures", help="work with fixture directories")
    fixture_commands = fixtures.add_subparsers(dest="fixtures_command", required=True)
    validate = fixture_commands.add_parser("validate", help="check every fixture file; exit 1 if any is bad")
    validate.add_argument("directory", type=Path)

    for name, help_text in (
        ("export", "print a namespace of a running server as a JSON snapshot"),
        ("import", "restore a JSON snapshot into a namespace"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}", help="the running server [default: %(default)s]")
        command.add_argument("--namespace", required=True, help="the API key / access-token whose world to export or replace")
        if name == "import":
            command.add_argument("file", type=Path, help="a snapshot written by `mockserver export` (- for stdin)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mockserver` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # No command, or only flags, means `serve`.
    if not argv or (argv[0] not in COMMANDS and argv[0] not in {"-h", "--help", "--version"}):
        argv.insert(0, "serve")
    args = build_parser().parse_args(argv)
    if args.command == "fixtures":
        return validate_fixtures(args.directory)
    if args.command in {"export", "import"}:
        return transfer_snapshot(args)
    return run_server(args)


def run_server(args: argparse.Namespace) -> int:
    """`mockserver serve`: resolve settings, check them, serve until interrupted."""
    from .fixtures import FixtureError
    from .server import check_startup, serve
    from .storage import DatabaseFileError

    overrides = {
        name: getattr(args, name)
        for name in (
            "host",
            "port",
            "fixtures",
            "db",
            "debug",
            "invoice_ttl",
            "webhooks",
            "webhook_retry_scale",
            "webhook_timeout",
            "webhook_allow_private",
            "shoplazza_app_secret",
        )
    }
    overrides["api_keys"] = tuple(args.api_keys) if args.api_keys else None
    overrides["shoplazza_tokens"] = tuple(args.shoplazza_tokens) if args.shoplazza_tokens else None
    try:
        settings = Settings.from_env(**overrides)
        check_startup(settings)
    except (DatabaseFileError, FixtureError, ValueError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    try:
        serve(settings)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"mockserver: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def validate_fixtures(directory: Path) -> int:
    """`mockserver fixtures validate DIR`: one line per bad file, exit 1 if any."""
    from .fixtures import check_fixtures

    records, problems = check_fixtures(directory)
    for path, message in problems:
        print(f"{path}: {message}", file=sys.stderr)
    if problems:
        return 1
    count = sum(len(docs) for docs in records.values())
    print(f"{directory}: {count} records in {len(records)} kinds, all valid")
    return 0


def transfer_snapshot(args: argparse.Namespace) -> int:
    """`mockserver export` / `mockserver import` through the running server's admin API."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    url = f"{args.url.rstrip('/')}/__admin/snapshot?{urllib.parse.urlencode({'namespace': args.namespace})}"
    if args.command == "export":
        request = urllib.request.Request(url)
    else:
        data = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
        request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as error:
        print(f"mockserver: {args.command} failed: {error.code} {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"mockserver: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    if args.command == "export":
        json.dump(body, sys.stdout, indent=2)
        print()
    else:
        print(f"restored {body['restored']} records into namespace {body['namespace']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
