"""The values an order holds for each field the list filters name (exact arrays, fuzzy fields, keyword scopes). Plain Python.

Each entry maps a name to a function giving the order's values for it as strings (a line-item
field gives one value per line); an order holding none of a filter's values does not match.
"""

from __future__ import annotations


def _path(*keys: str):
    # One value at a nested path of the order ("" when absent).
    def values(doc: dict) -> list[str]:
        value = doc
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return [str(value)] if value not in (None, "") else []

    return values


def _each(collection: str, key: str):
    # One value per entry of a list of the order (line items, payment lines, fulfillments).
    def values(doc: dict) -> list[str]:
        return [str(entry[key]) for entry in doc.get(collection) or [] if isinstance(entry, dict) and entry.get(key) not in (None, "")]

    return values


def _tags(doc: dict) -> list[str]:
    return [tag.strip() for tag in str(doc.get("tags") or "").split(",") if tag.strip()]


def _customer_name(doc: dict) -> list[str]:
    customer = doc.get("customer") or {}
    name = " ".join(part for part in (customer.get("first_name"), customer.get("last_name")) if part)
    return [name] if name else []


def _payment_lines(key: str):
    # The primary payment line and every recorded one.
    each = _each("payment_lines", key)

    def values(doc: dict) -> list[str]:
        return [*_path("payment_line", key)(doc), *each(doc)]

    return values


def _extra_info(doc: dict) -> list[str]:
    info = (doc.get("shipping_address") or {}).get("extra_info") or {}
    addition = info.get("addition") or {}
    found = [str(info.get(key) or "") for key in ("cpf", "tax_text")]
    found += [str(value) for value in addition.values()] if isinstance(addition, dict) else []
    return [value for value in found if value]


def _nothing(doc: dict) -> list[str]:
    # POS fields: the mock has no POS orders.
    return []


# The registry's fuzzy_fields, each with the order values it searches.
FUZZY = {
    "name": _customer_name,
    "number": _path("number"),
    "id": _path("id"),
    "sku": _each("line_items", "sku"),
    "spu": _each("line_items", "spu"),
    "tag_list": _tags,
    "shipping_email": _path("shipping_address", "email"),
    "shipping_phone": _path("shipping_address", "phone"),
    "browser_ip": _path("browser_ip"),
    "product_tags": _each("line_items", "product_tags"),
    "product_title": _each("line_items", "product_title"),
    "credit_card_number": _payment_lines("credit_card_number"),
    "source": _path("source"),
    "source_name": _path("source_name"),
    "tracking_number": _each("fulfillments", "tracking_number"),
    "shipping_line_name": _path("shipping_line", "name"),
    "line_item_vendor": _each("line_items", "vendor"),
    "discount_code": _path("discount_applications"),
    "shipping_address_extra_info": _extra_info,
    "transaction_id": _payment_lines("transaction_no"),
    "customer_id": _path("customer", "id"),
    "last_landing_url": _path("last_landing_url"),
    "last_referrer_show": _path("last_referrer_show"),
    "country": _path("shipping_address", "country"),
    "shop_name": _nothing,
    "staff_contact": _nothing,
}

# The registry's exact array filters, each with the order values one of the given values must equal.
EXACT = {
    "recovery_status": _path("recovery_status"),
    "sales_platform": _path("sales_platform"),
    "shipping_emails": FUZZY["shipping_email"],
    "shipping_phones": FUZZY["shipping_phone"],
    "browser_ips": FUZZY["browser_ip"],
    "product_ids": _each("line_items", "product_id"),
    "skus": FUZZY["sku"],
    "spus": FUZZY["spu"],
    "order_tags": _tags,
    "customer_emails": _path("customer", "email"),
}
# Exact filters on email addresses compare without regard to case, as mail systems do.
CASELESS = ("shipping_emails", "customer_emails")

# keyword_scope_fields: the order values `keyword` searches for each scope.
KEYWORD_SCOPES = {
    "order_no": FUZZY["number"],
    "id": FUZZY["id"],
    "email": lambda doc: [*_path("customer", "email")(doc), *FUZZY["shipping_email"](doc)],
    "phone": lambda doc: [*_path("customer", "phone")(doc), *FUZZY["shipping_phone"](doc)],
    "name": lambda doc: [*_customer_name(doc), *_path("shipping_address", "name")(doc)],
}
# Without keyword_scope_fields, `keyword` searches all of them.
ALL_SCOPES = tuple(KEYWORD_SCOPES)


def exact_hit(doc: dict, name: str, wanted: list[str]) -> bool:
    """True when the order holds one of `wanted` for the exact filter `name`."""
    held = EXACT[name](doc)
    if name in CASELESS:
        held, wanted = [v.lower() for v in held], [v.lower() for v in wanted]
    return any(value in wanted for value in held)


def contains(values: list[str], keywords: list[str]) -> bool:
    """True when one of `keywords` is part of one of `values`, ignoring case."""
    return any(keyword.lower() in value.lower() for value in values for keyword in keywords)


def fuzzy_hit(doc: dict, fields: list[str], keywords: list[str], relation: str) -> bool:
    """fuzzy_fields x fuzzy_keywords: with "or" any field holding any keyword, with "and" every field holding one."""
    hits = (contains(FUZZY[name](doc), keywords) for name in fields)
    return all(hits) if relation == "and" else any(hits)


def keyword_hit(doc: dict, keyword: str, scopes: list[str]) -> bool:
    """True when `keyword` is part of one of the order's values in `scopes` (all of them when none is given)."""
    return any(contains(KEYWORD_SCOPES[scope](doc), [keyword]) for scope in scopes or ALL_SCOPES)
