"""The shop end to end: search, check out, pay the sellers."""

from shop.checkout import total
from shop.payouts import split
from shop.search import search


def test_search_buy_and_pay_out():
    found = search("wool", ["wool scarf", "hat"])
    assert found == ["wool scarf"]
    amount = total([(40.0, 1)], "us")
    assert split(amount, {"knitter": 1}) == {"knitter": 38.0}
