import pytest

from shop.checkout import subtotal, tax, total


def test_subtotal_multiplies_quantities():
    assert subtotal([(2.5, 2), (1.0, 3)]) == 8.0


@pytest.mark.parametrize("region, expected", [("eu", 2.0), ("us", 0.0)])
def test_tax_by_region(region, expected):
    assert tax(region, 10) == expected


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        tax("mars", 10)


def test_total_applies_the_voucher_before_tax():
    assert total([(10.0, 1)], "eu", voucher=5) == 6.0
