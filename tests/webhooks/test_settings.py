"""The webhook settings: --webhook-allow-private and the log bounds, from flags and MOCKSERVER_* variables."""

from __future__ import annotations

import pytest

from mockserver.cli import build_parser, main
from mockserver.config import WEBHOOK_LOG_SIZE, WEBHOOK_RESPONSE_BYTES, Settings


def test_defaults_refuse_link_local_and_bound_the_log():
    settings = Settings.from_env({})
    assert settings.webhook_allow_private is False
    assert (settings.webhook_log_size, settings.webhook_response_bytes) == (WEBHOOK_LOG_SIZE, WEBHOOK_RESPONSE_BYTES)


def test_the_environment_sets_each_webhook_setting():
    env = {"MOCKSERVER_WEBHOOK_ALLOW_PRIVATE": "1", "MOCKSERVER_WEBHOOK_LOG_SIZE": "25", "MOCKSERVER_WEBHOOK_RESPONSE_BYTES": "0"}
    settings = Settings.from_env(env)
    assert (settings.webhook_allow_private, settings.webhook_log_size, settings.webhook_response_bytes) == (True, 25, 0)
    # And they reach a worker process unchanged.
    assert Settings.from_env(settings.to_env()) == settings


def test_the_flag_allows_private_targets():
    args = build_parser().parse_args(["serve", "--webhook-allow-private"])
    assert Settings.from_env({}, webhook_allow_private=args.webhook_allow_private).webhook_allow_private is True
    assert build_parser().parse_args(["serve"]).webhook_allow_private is None


@pytest.mark.parametrize(
    "name, value",
    [("MOCKSERVER_WEBHOOK_LOG_SIZE", "0"), ("MOCKSERVER_WEBHOOK_LOG_SIZE", "many"), ("MOCKSERVER_WEBHOOK_RESPONSE_BYTES", "-1")],
)
def test_a_bad_bound_stops_start_up_with_one_line(monkeypatch, capsys, name, value):
    monkeypatch.setenv(name, value)
    assert main(["serve", "--port", "0"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and repr(value) in lines[0]
