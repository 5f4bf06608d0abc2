"""Which namespace an admin call names: the full key or its label, resolved against the namespaces in use."""

from __future__ import annotations

from flask import request

from ..labels import looks_like_label, namespace_label
from . import errors

NAMESPACE_DETAIL = {"field": "namespace", "message": "No namespace with that key or label has been used."}


def shown(name: str) -> str:
    """A namespace as the admin API shows it: a label stays, a key becomes its label."""
    return name if looks_like_label(name) else namespace_label(name)


def unknown_namespace(name: str) -> errors.AdminError:
    """The 404 for a namespace nobody has used (shown by label: it may be a mistyped key)."""
    message = (
        f"namespace: {shown(name)} has never been used: no request has named it and nothing was seeded into it "
        "(POST /__admin/fixtures?namespace=KEY creates one)."
    )
    return errors.AdminError(404, message, [dict(NAMESPACE_DETAIL)])


def lookup(known: list[str], name: str) -> str | None:
    """The key among `known` that `name` names (the key itself or its label), or None."""
    # The key itself: the common case, no label computed.
    if name in known:
        return name
    if looks_like_label(name):
        return next((key for key in known if namespace_label(key) == name), None)
    return None


def resolve(known: list[str], name: str, *, create: bool = False) -> str:
    """The key `name` names among `known`; a new key only when `create` (never a label-shaped one), else a 404."""
    key = lookup(known, name)
    if key is not None:
        return key
    if create and not looks_like_label(name):
        return name
    raise unknown_namespace(name)


def lookup_label(known: list[str], labels: set[str], name: str) -> str | None:
    """The label of the namespace `name` names, among keys in use and labels already in the journal, or None."""
    if name in labels:
        return name
    label = namespace_label(name)
    if label in labels:
        return label
    key = lookup(known, name)
    return None if key is None else namespace_label(key)


def namespace_args(body: str | None = None, required: bool = False) -> list[str]:
    """The namespaces a call names: ?namespace= and/or the body's `namespace` (a 422 when required and absent)."""
    given = [name for name in (request.args.get("namespace") or None, body) if name is not None]
    if required and not given:
        raise errors.AdminError(422, "namespace: the ?namespace= parameter is required.", [{"field": "namespace", "message": "Required."}])
    return given


def one_of(resolved: list[str]) -> str | None:
    """The namespace the query and the body agree on (a 400 when they name different ones), or None."""
    if len(set(resolved)) > 1:
        query, body = (shown(name) for name in resolved)
        message = f"namespace: ?namespace= names {query} and the body's namespace {body}; give one, or the same in both."
        raise errors.AdminError(400, message, [{"field": "namespace", "message": "The query and the body name different namespaces."}])
    return resolved[0] if resolved else None
