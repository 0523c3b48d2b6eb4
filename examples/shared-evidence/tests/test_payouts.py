import pytest

from shop.payouts import split, schedule


def test_split_by_share_less_the_fee():
    assert split(100, {"a": 3, "b": 1}) == {"a": 71.25, "b": 23.75}


def test_no_sellers():
    with pytest.raises(ValueError):
        split(100, {})


def test_weekend_payouts_move_to_monday():
    assert schedule({"a": 1.0}, "sat") == [("a", 1.0, "mon")]
