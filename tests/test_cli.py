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


def test_a_flag_not_given_leaves_its_variable_in_force():
    settings = Settings.from_env({"MOCKSERVER_VERBOSE": "yes", "MOCKSERVER_INVOICE_TTL": "60"}, verbose=None, invoice_ttl=None)
    assert (settings.verbose, settings.invoice_ttl) == (True, 60)


def test_settings_round_trip_through_the_environment(tmp_path):
    settings = Settings(
        port=1234,
        db=tmp_path / "x.json",
        api_keys=("k1", "k2"),
        shoplazza_tokens=("t:read_order,write_order", "u"),
        verbose=True,
        admin_token="adm",
        webhook_retry_scale=0.001,
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_no_command_means_serve():
    args = build_parser().parse_args(["serve", "--port", "0", "--api-key", "a", "--api-key", "b"])
    assert (args.command, args.port, args.api_keys) == ("serve", 0, ["a", "b"])


BUNDLED = bundled_fixtures_dir()


def copy_fixture(root: Path, kind_dir: str, source: str, name: str, **changes) -> None:
    """A bundled fixture record written under `root/kind_dir/name`, with `changes` applied (None deletes a field)."""
    record = json.loads((BUNDLED / source).read_text())
    record.update(changes)
    record = {k: v for k, v in record.items() if v is not None}
    (root / kind_dir).mkdir(parents=True, exist_ok=True)
    (root / kind_dir / name).write_text(json.dumps(record))


def validate_lines(capsys, root: Path) -> dict[str, str]:
    assert main(["fixtures", "validate", str(root)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    found = {}
    for line in lines:
        path, _, problem = line.partition(": ")
        found[str(Path(path).relative_to(root))] = problem
    assert len(found) == len(lines), "one line per bad file"
    return found


def test_fixtures_validate_reports_each_bad_file(tmp_path, capsys):
    invoice = "shoppex/invoices/orders-complete.inv_complete_1.json"
    copy_fixture(tmp_path, "shoppex/invoices", invoice, "good.json", id="inv_1", uniqid="u-1")
    (tmp_path / "shoppex/invoices/broken.json").write_text("{oops")
    copy_fixture(tmp_path, "shoppex/invoices", invoice, "no-id.json", id=None, uniqid="u-2")
    copy_fixture(tmp_path, "shoppex/invoices", invoice, "twice.json", id="inv_1", uniqid="u-3")
    copy_fixture(tmp_path, "shoppex/invoices", invoice, "same-uniqid.json", id="inv_4", uniqid="u-1")
    found = validate_lines(capsys, tmp_path)
    assert sorted(found) == [f"shoppex/invoices/{n}" for n in ("broken.json", "no-id.json", "same-uniqid.json", "twice.json")]
    assert found["shoppex/invoices/no-id.json"] == "id: is required"
    assert found["shoppex/invoices/twice.json"].startswith('id: "inv_1" is already used by')
    assert found["shoppex/invoices/same-uniqid.json"].startswith('uniqid: "u-1" is already used by')


def test_fixtures_validate_checks_kinds_and_field_types(tmp_path, capsys):
    order = "shoplazza/orders/payment-success.365154185097449134715.json"
    copy_fixture(tmp_path, "shoppex/invoicez", "shoppex/invoices/orders-get.ord_123.json", "a.json")
    copy_fixture(tmp_path, "shoplazza/orders", order, "number-price.json", total_price=5)
    copy_fixture(tmp_path, "shoplazza/orders", order, "local-time.json", id="2", number="2", created_at="2025-10-31 08:00:00")
    copy_fixture(
        tmp_path, "shoppex/invoices", "shoppex/invoices/orders-get.ord_123.json", "string-time.json", created_at="x", total="26.99"
    )
    copy_fixture(tmp_path, "shoppex/webhooks", "shoppex/shops/shop_1.json", "hook.json", id="h1")
    found = validate_lines(capsys, tmp_path)
    assert found["shoppex/invoicez/a.json"].startswith('unknown kind "shoppex.invoicez"')
    assert found["shoplazza/orders/number-price.json"].startswith("total_price: must be a decimal string")
    assert found["shoplazza/orders/local-time.json"].startswith("created_at: must be an ISO 8601 UTC time ending in Z")
    assert found["shoppex/invoices/string-time.json"] == (
        "total: must be a JSON number from 0 to 1000000000 (Shoppex money, e.g. 19.99); "
        "created_at: must be Unix seconds (an integer, e.g. 1711956360)"
    )
    assert found["shoppex/webhooks/hook.json"].startswith("url: is required; events: is required")


def test_a_bad_fixture_directory_stops_start_up_with_one_line(tmp_path, capsys):
    copy_fixture(tmp_path, "shoplazza/orders", "shoplazza/orders/payment-success.365154185097449134715.json", "o.json", total_price=5)
    assert main(["serve", "--port", "0", "--fixtures", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "o.json: total_price: must be a decimal string" in err[0]


def test_bundled_fixtures_are_valid(capsys):
    assert main(["fixtures", "validate", str(bundled_fixtures_dir())]) == 0


def test_a_malformed_shoplazza_token_spec_stops_start_up(capsys):
    assert main(["serve", "--port", "0", "--shoplazza-token", ":read_order"]) == 2
    assert ":read_order" in capsys.readouterr().err
