"""One-page checkout: the order total with tax and vouchers."""

TAX = {"eu": 0.2, "uk": 0.2, "us": 0.0}


def subtotal(lines):
    return sum(price * quantity for price, quantity in lines)


def tax(region, amount):
    rate = TAX.get(region)
    if rate is None:
        raise ValueError(f"no tax rate for {region!r}")
    return round(amount * rate, 2)


def total(lines, region, voucher=0):
    amount = max(subtotal(lines) - voucher, 0)
    return amount + tax(region, amount)
