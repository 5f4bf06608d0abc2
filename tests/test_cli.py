"""Settings precedence and the `fixtures validate` command."""

import json
from pathlib import Path

from mockserver.cli import build_parser, main
from mockserver.config import DEFAULT_HOST, DEFAULT_PORT, Settings, bundled_fixtures_dir


def test_defaults():
    settings = Settings.from_env({})
    assert (settings.host, settings.port, settings.db, settings.api_keys, settings.debug) == (DEFAULT_HOST, DEFAULT_PORT, None, (), False)
    assert settings.fixtures == bundled_fixtures_dir()
    assert (settings.fixtures / "shoppex" / "invoices").is_dir()


def test_environment_overrides_defaults_and_flags_override_environment():
    env = {"MOCKSERVER_PORT": "9000", "MOCKSERVER_HOST": "0.0.0.0", "MOCKSERVER_DEBUG": "true", "MOCKSERVER_API_KEYS": "a, b"}
    settings = Settings.from_env(env, port=9100)
    assert (settings.port, settings.host, settings.debug, settings.api_keys) == (9100, "0.0.0.0", True, ("a", "b"))


def test_settings_round_trip_through_the_environment(tmp_path):
    settings = Settings(port=1234, db=tmp_path / "x.json", api_keys=("k1", "k2"), shoplazza_tokens=("t:read_order,write_order", "u"))
    assert Settings.from_env(settings.to_env()) == settings


def test_no_command_means_serve():
    args = build_parser().parse_args(["serve", "--port", "0", "--api-key", "a", "--api-key", "b"])
    assert (args.command, args.port, args.api_keys) == ("serve", 0, ["a", "b"])


def test_fixtures_validate_reports_each_bad_file(tmp_path, capsys):
    kind = tmp_path / "shoppex" / "invoices"
    kind.mkdir(parents=True)
    (kind / "good.json").write_text(json.dumps({"id": "inv_1"}))
    (kind / "broken.json").write_text("{oops")
    (kind / "no-id.json").write_text(json.dumps({"uniqid": "x"}))
    (kind / "twice.json").write_text(json.dumps({"id": "inv_1"}))
    assert main(["fixtures", "validate", str(tmp_path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert sorted(Path(line.split(":")[0]).name for line in lines) == ["broken.json", "no-id.json", "twice.json"]


def test_bundled_fixtures_are_valid(capsys):
    assert main(["fixtures", "validate", str(bundled_fixtures_dir())]) == 0


def test_a_malformed_shoplazza_token_spec_stops_start_up(capsys):
    assert main(["serve", "--port", "0", "--shoplazza-token", ":read_order"]) == 2
    assert ":read_order" in capsys.readouterr().err
