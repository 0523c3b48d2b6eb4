from shop.search import search


def test_ranks_by_matching_words():
    titles = ["red shoe", "red wool shoe", "blue hat"]
    assert search("red shoe wool", titles) == ["red wool shoe", "red shoe"]


def test_no_match():
    assert search("lamp", ["red shoe"]) == []
