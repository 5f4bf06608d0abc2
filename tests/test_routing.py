"""URL builders compiled once per process still build each app's own URLs."""

from __future__ import annotations

import re

from mockserver import create_app
from mockserver.config import Settings


def expected_path(rule: str, values: dict) -> str:
    """The rule's text with each <converter:name> replaced by its value."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule)


def test_every_rule_builds_its_own_path_in_every_app():
    apps = [create_app(Settings(webhooks=False)) for _ in range(2)]
    for app in apps:
        adapter = app.url_map.bind("localhost")
        for rule in app.url_map.iter_rules():
            values = {name: f"v-{name}" for name in rule.arguments}
            built = adapter.build(rule.endpoint, values, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
            # Another rule of the same endpoint may match first; it must still be the path of one of its rules.
            candidates = {expected_path(r.rule, values) for r in app.url_map.iter_rules(rule.endpoint) if r.arguments <= set(values)}
            assert built in candidates, (rule.rule, built)
        # Unknown values become the query string, as werkzeug's own builders do.
        first = next(r for r in app.url_map.iter_rules() if r.arguments)
        values = {name: "x" for name in first.arguments}
        assert adapter.build(first.endpoint, {**values, "extra": "1"}).endswith("?extra=1")
