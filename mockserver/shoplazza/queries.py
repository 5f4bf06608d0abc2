"""The query strings of Shoplazza lists as marshmallow schemas: each parses its query and describes it in the document.

Fields are declared in the order they are checked: a query with several bad parameters is
refused for the first one, named first in the InvalidParameter message.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate
from werkzeug.datastructures import MultiDict

from ..wire import parse_iso
from .filters import (
    ASCII_DECIMAL,
    ASCII_INTEGER,
    DEFAULT_SORT,
    FILTER_TIMES,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SORT_FIELDS,
    OrderQuery,
    order_position,
)
from .lifecycle import FINANCIAL_STATUSES, FULFILLMENT_STATUSES, STATUSES
from .order_values import EXACT, FUZZY, KEYWORD_SCOPES
from .webhooks import TIME_FILTERS, TOPICS, webhook_position

AMOUNT = r"^\d+(\.\d+)?$"
DIRECTIONS = ("asc", "desc")
# The registry's cart recovery statuses (recovery_status).
RECOVERY_STATUSES = ("waiting", "sending", "recalling", "failed", "success")
RELATIONS = ("or", "and")


def _not_one_of(value: str, allowed: tuple[str, ...]) -> ValidationError:
    return ValidationError(f"{value!r} is not one of {', '.join(allowed)}")


class Values(fields.List):
    """An array filter: the key repeated (`?status=opened&status=placed`), each value one of `allowed` when given."""

    def __init__(self, allowed: tuple[str, ...] | None = None, **kwargs):
        super().__init__(fields.String(validate=validate.OneOf(allowed) if allowed else None), **kwargs)
        self.allowed = allowed

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        for item in value:
            if self.allowed is not None and item not in self.allowed:
                raise _not_one_of(item, self.allowed)
        return list(value)


class Choice(fields.String):
    """One of `allowed` (case-insensitive when `lower`)."""

    def __init__(self, allowed: tuple[str, ...], lower: bool = False, error: str | None = None, **kwargs):
        super().__init__(validate=validate.OneOf(allowed), **kwargs)
        self.allowed, self.lower, self.error = allowed, lower, error

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        choice = value.lower() if self.lower else value
        if choice not in self.allowed:
            raise ValidationError(self.error) if self.error else _not_one_of(choice, self.allowed)
        return choice


class Time(fields.String):
    """An ISO 8601 bound on a time field, loaded as Unix seconds."""

    def __init__(self, name: str, **kwargs):
        super().__init__(metadata={"format": "date-time", "description": f"Inclusive bound on {name} (ISO 8601)."}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        try:
            return parse_iso(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Amount(fields.String):
    """A money bound such as 10.5, loaded as a Decimal."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"pattern": AMOUNT}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        # ASCII digits only: Decimal() alone would also read "1e999", "NaN" or fullwidth and Arabic-Indic digits.
        if not ASCII_DECIMAL.fullmatch(value):
            raise ValidationError("must be a number such as 10.5")
        return Decimal(value.strip())


class PageSize(fields.Integer):
    """`page_size`: ASCII digits, 1 to 250.

    Only [0-9] counts as a digit: str.isdigit() also takes superscripts, circled, fullwidth and
    Arabic-Indic digits, which int() then refuses or silently reads. A value of more than four
    significant digits is refused before int() sees it.
    """

    def __init__(self, **kwargs):
        super().__init__(load_default=PAGE_SIZE_DEFAULT, validate=validate.Range(min=1, max=PAGE_SIZE_MAX), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        match = ASCII_INTEGER.fullmatch(value)
        if not match or len(match.group(1).lstrip("0")) > 4 or not 1 <= int(match.group(1)) <= PAGE_SIZE_MAX:
            raise ValidationError(f"must be an integer from 1 to {PAGE_SIZE_MAX}")
        return int(match.group(1))


class AdminHasFilter(fields.String):
    """`admin_hasfilter`: true or false; true (the admin incomplete-order list's filter) is not emulated and is refused."""

    def __init__(self, **kwargs):
        description = "Only false (or absent): the admin-side filter is not emulated."
        super().__init__(metadata={"enum": ["false"], "description": description}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        choice = value.strip().lower()
        if choice == "true":
            raise ValidationError("the admin-side incomplete-order filter is not emulated; omit it or send false")
        if choice != "false":
            raise ValidationError("must be true or false")
        return False


class Topics(fields.String):
    """One topic or a comma-separated list of them (the registry's example: "orders/cancelled,orders/create")."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        topics = [t.strip() for t in value.split(",") if t.strip()]
        for name in topics:
            if name not in TOPICS:
                raise _not_one_of(name, TOPICS)
        return topics


class Cursor(fields.String):
    """An opaque cursor from the previous page's data.cursor, loaded as the position `decode` finds in it."""

    def __init__(self, decode, **kwargs):
        super().__init__(metadata={"description": "Opaque; from the previous page's data.cursor."}, **kwargs)
        self.decode = decode

    def _deserialize(self, value, attr, data, **kwargs):
        position = self.decode(value)
        if position is None:
            raise ValidationError("is not a cursor this server returned")
        return position


class Query(Schema):
    """A query string (a MultiDict): unknown parameters ignored, an empty value is an absent one, the first bad one refused."""

    # Which value of a repeated key counts, and whether `key[]` is another spelling of `key`.
    LAST_VALUE = True

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def from_args(self, args, **kwargs) -> dict:
        """The declared parameters as a dict: a list for an array filter, one string otherwise."""
        args = args if isinstance(args, MultiDict) else MultiDict(args)
        loaded = {}
        for name, field in self.fields.items():
            if self.LAST_VALUE:
                values = [v for v in args.getlist(name) + args.getlist(name + "[]") if v != ""]
            else:
                values = [v for v in args.getlist(name)[:1] if v != ""]
            if values:
                loaded[name] = values if isinstance(field, fields.List) else values[-1]
        return loaded

    def handle_error(self, error: ValidationError, data, **kwargs) -> None:
        """Report only the first bad parameter, in declared order."""
        name, messages = next(iter(error.messages.items()))
        raise ValidationError({name: messages})


class OrderQuerySchema(Query):
    """GET orders and orders/count; array filters repeat the key (`?status=opened&status=placed`, or `status[]=`)."""

    ids = Values()
    status = Values(STATUSES)
    financial_status = Values(FINANCIAL_STATUSES)
    fulfillment_status = Values(FULFILLMENT_STATUSES)
    customer_id = fields.String()
    keyword = fields.String()
    created_at_min = Time("created_at")
    created_at_max = Time("created_at")
    updated_at_min = Time("updated_at")
    updated_at_max = Time("updated_at")
    placed_at_min = Time("placed_at")
    placed_at_max = Time("placed_at")
    total_min = Amount()
    total_max = Amount()
    recovery_status = Values(RECOVERY_STATUSES)
    location_id = fields.String()
    keyword_scope_fields = Values(tuple(KEYWORD_SCOPES))
    locals().update({f"{name}_{bound}": Time(name) for name in FILTER_TIMES[3:] for bound in ("min", "max")})
    locals().update({name: Values() for name in EXACT if name != "recovery_status"})
    admin_hasfilter = AdminHasFilter()
    fuzzy_fields = Values(tuple(FUZZY))
    fuzzy_keywords = Values()
    fuzzy_relation = Choice(RELATIONS, lower=True, error="must be or or and", load_default="or")
    page_size = PageSize()
    sort_by = Choice(SORT_FIELDS, load_default=DEFAULT_SORT[0])
    sort_direction = Choice(DIRECTIONS, lower=True, error="must be asc or desc", load_default=DEFAULT_SORT[1])
    cursor = Cursor(order_position)

    @post_load
    def order_query(self, data: dict, **kwargs) -> OrderQuery:
        """The OrderQuery the backend filters with; a cursor carries its own sort."""
        # Fuzzy search needs both halves: fields to search and keywords to look for.
        if data.get("fuzzy_fields") and not data.get("fuzzy_keywords"):
            raise ValidationError({"fuzzy_keywords": ["is required with fuzzy_fields"]})
        if data.get("fuzzy_keywords") and not data.get("fuzzy_fields"):
            raise ValidationError({"fuzzy_fields": ["is required with fuzzy_keywords"]})
        times = {name: (data.pop(f"{name}_min", None), data.pop(f"{name}_max", None)) for name in FILTER_TIMES}
        exact = {name: data.pop(name) for name in EXACT if name in data}
        cursor = data.pop("cursor", None)
        query = OrderQuery(**data, times=times, exact=exact)
        if cursor is not None:
            query.sort_by, query.sort_direction, query.after = cursor
        return query


class WebhookQuerySchema(Query):
    """GET webhooks and webhooks/count (a repeated key counts once, by its first value)."""

    LAST_VALUE = False

    address = fields.String(metadata={"description": "Only subscriptions to exactly this address."})
    topic = Topics(metadata={"description": f"One topic or a comma-separated list of: {', '.join(TOPICS)}.", "example": "orders/create"})
    created_at_min = Time("created_at")
    created_at_max = Time("created_at")
    updated_at_min = Time("updated_at")
    updated_at_max = Time("updated_at")
    page_size = PageSize()
    cursor = Cursor(webhook_position)

    @post_load
    def webhook_query(self, data: dict, **kwargs) -> dict:
        """The filters ShoplazzaWebhooks.list and count take."""
        times = {f"{f}_{b}": data[f"{f}_{b}"] for f in TIME_FILTERS for b in ("min", "max") if f"{f}_{b}" in data}
        after = data.get("cursor")
        return {"address": data.get("address"), "topics": data.get("topic"), "times": times, "page_size": data["page_size"], "after": after}


class TransactionQuerySchema(Query):
    """GET orders/{order_id}/transactions (a repeated key counts once, by its first value)."""

    LAST_VALUE = False

    status = fields.String()
    payment_channel = fields.String()
