"""URL rules whose URL builders are compiled once per process, not once per app.

werkzeug compiles two URL-builder functions for every rule each time an app registers it
(about 0.5 ms a rule, 90% of create_app). A builder is a plain function of the rule's
parse trace and defaults that takes the rule as its first argument, so one compiled for
an identical rule serves every later app: tests and the pytest plugin build many apps.
"""

from __future__ import annotations

from werkzeug.routing import Rule

# (rule text, parse trace, defaults, append_unknown) -> the compiled builder function.
_BUILDERS: dict[tuple, object] = {}


class CompiledOnceRule(Rule):
    """A werkzeug Rule that reuses the URL builder compiled for an identical rule."""

    def _compile_builder(self, append_unknown: bool = True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        builder = _BUILDERS.get(key)
        if builder is None:
            builder = _BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder
