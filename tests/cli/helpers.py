"""Run `mockserver` as a user does: a separate process, its exit status and its output; or, where only the
command line's verdict is under test, its entry point in this process (no interpreter start)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from unittest import mock

from mockserver import cli

CLI = [sys.executable, "-m", "mockserver.cli"]


def clean_env(**variables: str) -> dict[str, str]:
    """The current environment without any MOCKSERVER_* variable, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    env.update(variables)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, stdin_text: str = "", timeout: float = 30) -> subprocess.CompletedProcess:
    """`mockserver ARGS` to completion; a start-up that should have been refused fails by timing out."""
    return subprocess.run([*CLI, *args], input=stdin_text, capture_output=True, text=True, timeout=timeout, env=env or clean_env())


def run_cli_here(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`mockserver ARGS` through its entry point in this process, with `env` as the whole environment.

    For refusals: a command that should have been refused and goes on to serve fails the test instead.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    refuse_to_serve = mock.patch.object(cli, "serve", side_effect=AssertionError("it went on to serve"))
    environment = mock.patch.dict(os.environ, env or clean_env(), clear=True)
    with environment, refuse_to_serve, contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = cli.main(list(args))
        except SystemExit as exc:  # argparse's own refusals exit, as they do in the process
            status = exc.code
    return subprocess.CompletedProcess([*CLI, *args], status, stdout.getvalue(), stderr.getvalue())


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command (exit 2, no traceback, nothing announced)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "listening" not in result.stdout
    return lines[0]
