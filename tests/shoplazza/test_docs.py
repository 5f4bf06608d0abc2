"""docs/shoplazza.md's three documented payment/success curl commands cannot drift.

The `sh` block under "The three documented scenarios" is parsed as curl would read it:
its three commands must send seed 004's requests (tests/examples/shoplazza/*.json), each
with its own token, to the default address; run on a freshly seeded app, each must answer
the payment_line its `# -> payment_line {...}` comment shows, and that comment must be the
documented one.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import EXAMPLES_DIR, nonempty

DOCS = Path(__file__).parent.parent.parent / "docs" / "shoplazza.md"
HEADING = "### The three documented scenarios"
DEFAULT_ADDRESS = "http://127.0.0.1:8787"
EXAMPLES = {path.stem: json.loads(path.read_text()) for path in sorted(EXAMPLES_DIR.glob("*.json"))}


def scenario_block(text: str) -> str:
    """The first ```sh block after the scenarios heading."""
    section = text[text.index(HEADING) :]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, f"no sh block under {HEADING!r}"
    return match.group(1)


def parse_commands(block: str) -> list[dict]:
    """Each curl command of the block as {url, method, headers, body, shown}; `shown` is its comment's payment_line."""
    commands: list[dict] = []
    # Backslash-newline continues a command, as in the shell; a quoted newline stays in its argument.
    for chunk in re.split(r"\n(?=curl )", "\n" + block.replace("\\\n", " ")):
        if not chunk.strip().startswith("curl "):
            continue
        command_text, _, comments = chunk.strip().partition("\n#")
        tokens = shlex.split(command_text)
        command = {"url": None, "method": "GET", "headers": {}, "body": None, "shown": None}
        args = iter(tokens[1:])
        for token in args:
            if token == "-s":
                continue
            if token == "-X":
                command["method"] = next(args)
            elif token == "-H":
                name, _, value = next(args).partition(":")
                command["headers"][name.strip()] = value.strip()
            elif token == "-d":
                command["body"] = next(args)
                command["method"] = "POST" if command["method"] == "GET" else command["method"]
            else:
                assert command["url"] is None, f"two URLs in {command_text!r}"
                command["url"] = token
        shown = re.search(r"-> payment_line (\{.*\})", "#" + comments)
        command["shown"] = json.loads(shown.group(1)) if shown else None
        commands.append(command)
    return commands


COMMANDS = parse_commands(scenario_block(DOCS.read_text()))
COMMAND_IDS = [f"scenario {i}" for i in range(1, len(COMMANDS) + 1)]


def _example_for(command: dict) -> str:
    body = json.loads(command["body"])
    found = [name for name, example in EXAMPLES.items() if example["request"]["body"] == body]
    assert len(found) == 1, f"no single documented request has the body {body}"
    return found[0]


def test_the_block_holds_the_three_documented_scenarios():
    assert len(COMMANDS) == len(EXAMPLES) == 3
    assert sorted(_example_for(command) for command in COMMANDS) == sorted(EXAMPLES)
    tokens = [command["headers"].get("access-token") for command in COMMANDS]
    assert all(tokens) and len(set(tokens)) == len(tokens), "each scenario needs its own token (an unpaid order)"


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_each_command_sends_the_documented_request(command):
    request = EXAMPLES[_example_for(command)]["request"]
    url = urlsplit(command["url"])
    assert f"{url.scheme}://{url.netloc}" == DEFAULT_ADDRESS
    assert (command["method"], url.path) == (request["method"], request["path"])
    assert command["headers"]["Content-Type"] == request["headers"]["Content-Type"]
    assert json.loads(command["body"]) == request["body"]


@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_each_command_answers_the_documented_payment_line(client, command):
    documented = EXAMPLES[_example_for(command)]["response"]["body"]["data"]["order"]["payment_line"]
    assert command["shown"] == documented
    response = client.open(urlsplit(command["url"]).path, method=command["method"], headers=command["headers"], data=command["body"])
    assert response.status_code == 200, response.get_json()
    assert nonempty(response.get_json()["data"]["order"]["payment_line"]) == documented


def test_the_readme_shows_the_same_commands():
    readme = (DOCS.parent.parent / "README.md").read_text()
    section = readme[readme.index("## Shoplazza OpenAPI") :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the README's Shoplazza section has no sh block"
    assert parse_commands(block.group(1)) == parse_commands(scenario_block(DOCS.read_text()))
