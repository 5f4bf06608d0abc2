"""Fault injection: rules that make matching requests fail or wait, in the emulated API's own envelope."""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from dataclasses import asdict, dataclass, field

from ..labels import namespace_label


@dataclass
class FaultRule:
    """One rule: which requests it matches, and what it does to them."""

    method: str | None = None
    path: str = "*"
    status: int | None = None
    error_code: str | None = None
    body: object = None
    delay_ms: int = 0
    times: int | None = None
    probability: float = 1.0
    seed: int | None = None
    namespace: str | None = None
    id: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, method: str, path: str, namespace: str | None) -> bool:
        """Whether this rule applies to a request (before the dice are rolled)."""
        return (
            (self.method is None or self.method.upper() == method)
            and fnmatch.fnmatchcase(path, self.path)
            and (self.namespace is None or self.namespace == namespace)
        )

    def public(self) -> dict:
        """The rule as the admin API shows it (its namespace by label)."""
        shown = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        shown["namespace"] = namespace_label(self.namespace) if self.namespace is not None else None
        return shown


class Faults:
    """The active rules, consulted before every emulated-API request."""

    def __init__(self):
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> FaultRule:
        """Activate a rule; a seed makes its probability reproducible."""
        rule.id = next(self._ids)
        rule._random = random.Random(rule.seed)
        with self._lock:
            self._rules.append(rule)
        return rule

    @property
    def active(self) -> bool:
        """Whether any rule is active: the cheap check every request makes before matching."""
        return bool(self._rules)

    def rules(self, namespace: str | None = None) -> list[dict]:
        """Every active rule, or those limited to one namespace."""
        with self._lock:
            return [rule.public() for rule in self._rules if namespace is None or rule.namespace == namespace]

    def clear(self, namespace: str | None = None) -> int:
        """Drop every rule (or those of one namespace); returns how many were dropped."""
        with self._lock:
            keep = [r for r in self._rules if namespace is not None and r.namespace != namespace]
            dropped = len(self._rules) - len(keep)
            self._rules = keep
            return dropped

    def take(self, method: str, path: str, namespace: str | None) -> FaultRule | None:
        """The first rule that fires for this request, counting down its `times`."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path, namespace) or rule._random.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                return rule
        return None
