"""payment/success: the four modes of seed 004 and the registry's `order-pay-success`. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass

# Every field of the registry's v202506.PaymentLine, in its order. A paid order's payment_line and
# payment_lines[] carry them all (the seed's Payment Line table lists credit_card_number,
# trans_channel and trans_method too); what the request does not determine is "".
PAYMENT_LINE_FIELDS = (
    "id", "payment_name", "payment_channel", "payment_method", "credit_card_number", "trans_channel",
    "trans_method", "transaction_no", "merchant_email",
)  # fmt: skip
# Mode 1 (no gateway, no payment_line): a test order on the bogus gateway.
BOGUS_LINE = {"payment_name": "bogus", "payment_channel": "bogus", "payment_method": "bogus_gateway"}
# The tag the mock adds to a test order (the docs say "a test order tag" without naming it).
TEST_ORDER_TAG = "test_order"
# Mode 2 (gateway only): a custom payment method.
CUSTOM_CHANNEL = "customize_payment"

TEST, CUSTOM, EXISTING, CHANNEL = "test", "custom", "existing", "channel"


@dataclass(frozen=True)
class PaymentPlan:
    """Which mode a request selects, and the lines it will record (primary first)."""

    mode: str
    primary: dict | None
    extra: tuple[dict, ...]

    @property
    def test(self) -> bool:
        """True for the bogus-gateway test payment."""
        return self.mode == TEST

    @property
    def needs_custom_number(self) -> bool:
        """True when the transaction number is minted as cpn_<shop>-<sequence>."""
        return self.mode == CUSTOM


def plan_payment(gateway: str | None, payment_line: dict | None, payment_lines: list[dict] | None) -> PaymentPlan:
    """Pick the mode: payment_line (or, without one, payment_lines[0]) and gateway decide it."""
    lines = list(payment_lines or [])
    primary = payment_line if payment_line is not None else (lines.pop(0) if lines else None)
    if primary is None:
        return PaymentPlan(CUSTOM if gateway else TEST, None, tuple(lines))
    return PaymentPlan(EXISTING if gateway else CHANNEL, primary, tuple(lines))


def custom_transaction_no(shop_number: str, sequence: int) -> str:
    """`cpn_<shop number>-<8-digit sequence>`, e.g. cpn_6265-00000219."""
    return f"cpn_{shop_number}-{sequence:08d}"


def payment_line(**values: str) -> dict:
    """A v202506.PaymentLine: every registry field, `values` set, the rest ""."""
    return {name: values.get(name, "") for name in PAYMENT_LINE_FIELDS}


def _from_param(name: str, param: dict) -> dict:
    return payment_line(
        payment_name=name,
        payment_channel=param["payment_channel"],
        payment_method=param["payment_method"],
        transaction_no=param["transaction_no"],
        credit_card_number=param.get("credit_card_number") or "",
    )


def render_lines(plan: PaymentPlan, order_id: str, gateway: str | None, custom_no: str | None) -> list[dict]:
    """The order's payment lines for `plan`, primary first, as the documented payment_line objects."""
    if plan.mode == TEST:
        primary = payment_line(**BOGUS_LINE, transaction_no=f"bg_{order_id}")
    elif plan.mode == CUSTOM:
        primary = payment_line(
            payment_name=gateway, payment_channel=CUSTOM_CHANNEL, payment_method=CUSTOM_CHANNEL, transaction_no=custom_no
        )
    else:
        primary = _from_param(gateway or plan.primary["payment_channel"], plan.primary)
    return [primary] + [_from_param(gateway or line["payment_channel"], line) for line in plan.extra]


def transaction(transaction_id: str, order: dict, line: dict, test: bool, now: str) -> dict:
    """The v202506.Transaction recorded for a successful payment of the whole order total."""
    card = line.get("credit_card_number", "")
    return {
        "id": transaction_id,
        "order_id": order["id"],
        "payment_channel": line["payment_channel"],
        "message": "",
        "created_at": now,
        "test": test,
        "error_code": "",
        "amount": order["total_price"],
        "currency": order["currency"],
        "trade_id": line["transaction_no"],
        "status": "success",
        "payment_name": line["payment_name"],
        "payment_detail": {
            "card_number": card, "card_month": "", "card_year": "", "card_first_name": "", "card_last_name": "",
            "card_first_fix": "", "card_last_four": card[-4:], "avs_result_code": "", "cvv_result_code": "",
        },
    }  # fmt: skip
