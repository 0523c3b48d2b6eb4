"""Seller payouts: split an order's amount between sellers, less the platform's fee."""

FEE = 0.05


def fee(amount):
    return round(amount * FEE, 2)


def split(amount, shares):
    if not shares:
        raise ValueError("no sellers to pay")
    whole = sum(shares.values())
    net = amount - fee(amount)
    return {seller: round(net * share / whole, 2) for seller, share in shares.items()}


def schedule(payouts, weekday):
    # Banks settle on weekdays only: weekend payouts move to Monday.
    if weekday in ("sat", "sun"):
        weekday = "mon"
    return [(seller, amount, weekday) for seller, amount in sorted(payouts.items())]
