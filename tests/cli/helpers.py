"""Run `mockserver` as a user does: a separate process, its exit status and its output."""

from __future__ import annotations

import os
import subprocess
import sys

CLI = [sys.executable, "-m", "mockserver.cli"]


def clean_env(**variables: str) -> dict[str, str]:
    """The current environment without any MOCKSERVER_* variable, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
    env.update(variables)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, stdin_text: str = "", timeout: float = 30) -> subprocess.CompletedProcess:
    """`mockserver ARGS` to completion; a start-up that should have been refused fails by timing out."""
    return subprocess.run([*CLI, *args], input=stdin_text, capture_output=True, text=True, timeout=timeout, env=env or clean_env())


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command (exit 2, no traceback, nothing announced)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "listening" not in result.stdout
    return lines[0]
