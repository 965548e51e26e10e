from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100, one decimal, rounded half up (the rule of docs/spec/reports.md).

    None when the denominator is zero: "no base" is not "0 %".
    """
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    """Decimal comma, as Russian documents write it: 47,6."""
    if value is None:
        return "—"
    return f"{value}".replace(".", ",")
