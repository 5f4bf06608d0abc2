"""Every mistake on the command line or in the environment: exit 2 and one line naming the flag or variable."""

from __future__ import annotations

import subprocess
import urllib.request
from dataclasses import fields
from pathlib import Path

import pytest

from mockserver.config import Settings, env_variable

from .helpers import CLI, clean_env, one_error_line, run_cli, run_cli_here

README = Path(__file__).resolve().parents[2] / "README.md"

# (arguments, what the line must name, what it must say is wrong)
FLAG_MISTAKES = [
    (["--port", "99999"], "--port", "from 0 to 65535"),
    (["--port", "-1"], "--port", "from 0 to 65535"),
    (["--port", "abc"], "--port", "from 0 to 65535"),
    (["--invoice-ttl", "-5"], "--invoice-ttl", "at least 1"),
    (["--invoice-ttl", "soon"], "--invoice-ttl", "at least 1"),
    (["--api-key", ""], "--api-key", "must not be empty"),
    (["--shoplazza-token", ""], "--shoplazza-token", "must not be empty"),
    (["--admin-token", ""], "--admin-token", "must not be empty"),
    (["--shoplazza-app-secret", ""], "--shoplazza-app-secret", "must not be empty"),
    (["--webhook-timeout", "0"], "--webhook-timeout", "greater than 0"),
    (["--webhook-timeout", "-3"], "--webhook-timeout", "greater than 0"),
    (["--webhook-retry-scale", "-1"], "--webhook-retry-scale", "at least 0"),
    (["--webhook-retry-scale", "nan"], "--webhook-retry-scale", "at least 0"),
    (["--host", ""], "--host", "must not be empty"),
    (["--db", ""], "--db", "must not be empty"),
    (["--port"], "--port", "expected one argument"),
    (["--frobnicate"], "--frobnicate", "unrecognized"),
    (["serve", "extra"], "extra", "unrecognized"),
    (["frobnicate"], "frobnicate", "unknown command"),
    (["fixtures"], "validate", "subcommand is required"),
    (["fixtures", "check", "x"], "check", "invalid choice"),
    (["export"], "--namespace", "required"),
    (["export", "--namespace", ""], "--namespace", "must not be empty"),
    (["import", "--namespace", "shx_k"], "file", "required"),
]


@pytest.mark.parametrize(("args", "names", "says"), FLAG_MISTAKES, ids=[" ".join(case[0]) or "''" for case in FLAG_MISTAKES])
def test_a_bad_flag_is_one_line_naming_it(args, names, says):
    line = one_error_line(run_cli_here(*args))
    assert line.startswith("mockserver: error: ")
    assert names in line and says in line


@pytest.mark.parametrize(
    ("args", "env", "names"),
    [(["--port", "99999"], {}, "--port"), ([], {"MOCKSERVER_PORT": "abc"}, "MOCKSERVER_PORT")],
    ids=["flag", "variable"],
)
def test_a_real_process_exits_2_with_the_same_one_line(args, env, names):
    # The in-process checks above call the entry point; this is the interpreter a user starts, exit status and all.
    line = one_error_line(run_cli(*args, env=clean_env(**env)))
    assert line.startswith("mockserver: error: ") and names in line
    assert line == one_error_line(run_cli_here(*args, env=clean_env(**env)))


def typed_settings() -> list[tuple[str, type]]:
    """Every setting read as a number or a switch, with its type."""
    defaults = Settings()
    return [(f.name, type(getattr(defaults, f.name))) for f in fields(Settings) if isinstance(getattr(defaults, f.name), (int, float))]


# Every numeric and boolean variable with a word it cannot be, plus the out-of-range values.
VARIABLE_MISTAKES = [(env_variable(name), "abc") for name, _type in typed_settings()] + [
    ("MOCKSERVER_PORT", "99999"),
    ("MOCKSERVER_PORT", "-1"),
    ("MOCKSERVER_PORT", "80.5"),
    ("MOCKSERVER_INVOICE_TTL", "-5"),
    ("MOCKSERVER_INVOICE_TTL", "0"),
    ("MOCKSERVER_MAX_BODY_BYTES", "0"),
    ("MOCKSERVER_JOURNAL_SIZE", "-1"),
    ("MOCKSERVER_WEBHOOK_TIMEOUT", "0"),
    ("MOCKSERVER_WEBHOOK_TIMEOUT", "inf"),
    ("MOCKSERVER_WEBHOOK_RETRY_SCALE", "-1"),
    ("MOCKSERVER_DEBUG", "maybe"),
    ("MOCKSERVER_ADMIN_TOKEN", ""),
    ("MOCKSERVER_HOST", "   "),
]


@pytest.mark.parametrize(("variable", "value"), VARIABLE_MISTAKES, ids=[f"{v}={value!r}" for v, value in VARIABLE_MISTAKES])
def test_a_bad_variable_is_one_line_naming_it(variable, value):
    line = one_error_line(run_cli_here(env=clean_env(**{variable: value})))
    assert line.startswith(f"mockserver: error: {variable}: must ")
    assert "invalid literal" not in line


def test_every_numeric_and_boolean_setting_is_covered():
    covered = {variable for variable, _value in VARIABLE_MISTAKES}
    assert {env_variable(name) for name, kind in typed_settings() if kind is bool} >= {"MOCKSERVER_DEBUG", "MOCKSERVER_VERBOSE"}
    assert {env_variable(name) for name, _kind in typed_settings()} <= covered


# (arguments, fragment naming the path, what is wrong)
FILE_MISTAKES = [
    (["import", "missing.json", "--namespace", "shx_k"], "missing.json", "No such file"),
    (["import", "{dir}", "--namespace", "shx_k"], "{dir}", "is a directory"),
    (["fixtures", "validate", "{file}"], "{file}", "is a file, not a directory"),
    (["fixtures", "validate", "{dir}/absent"], "absent", "does not exist"),
    (["serve", "--port", "0", "--fixtures", "{file}"], "{file}", "is a file, not a directory"),
]


FILE_MISTAKE_IDS = ["import-missing", "import-dir", "validate-file", "validate-missing", "serve-file"]


@pytest.mark.parametrize(("args", "names", "says"), FILE_MISTAKES, ids=FILE_MISTAKE_IDS)
def test_a_file_that_cannot_be_used_is_one_line_naming_it(tmp_path, args, names, says):
    paths = {"dir": str(tmp_path), "file": str(README)}
    line = one_error_line(run_cli_here(*(arg.format(**paths) for arg in args)))
    assert names.format(**paths) in line and says in line


def used_namespace(server, key: str = "shx_k") -> str:
    """Make `key` a namespace of the server (exporting one nobody has used is a 404)."""
    request = urllib.request.Request(f"{server.url}/dev/v1/orders", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    return key


def test_export_into_a_closed_pipe_exits_quietly(live_server):
    server = live_server()
    used_namespace(server)
    export = subprocess.Popen(
        [*CLI, "export", "--url", server.url, "--namespace", "shx_k"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    # The reader goes away before anything is written (as `| head -c1` does once it has its byte).
    export.stdout.close()
    try:
        _out, err = export.communicate(timeout=30)
    finally:
        export.kill()
    assert (export.returncode, err.decode()) == (0, "")


def test_export_piped_to_head_prints_only_what_head_takes(live_server):
    server = live_server()
    used_namespace(server)
    pipeline = f"{' '.join(CLI)} export --url {server.url} --namespace shx_k | head -c1"
    result = subprocess.run(["sh", "-c", pipeline], capture_output=True, text=True, timeout=30, env=clean_env())
    assert (result.returncode, result.stdout, result.stderr) == (0, "{", "")
