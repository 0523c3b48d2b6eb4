"""Product search: match words in titles, ranked by how many match."""


def words(text):
    return [w for w in text.lower().split() if w]


def score(query, title):
    wanted = set(words(query))
    return len(wanted & set(words(title)))


def search(query, titles, limit=10):
    ranked = sorted(titles, key=lambda t: (-score(query, t), t))
    return [t for t in ranked if score(query, t) > 0][:limit]


def suggest(prefix, titles):
    # Typeahead ships in a later release: no test calls it yet.
    prefix = prefix.lower()
    return sorted({w for t in titles for w in words(t) if w.startswith(prefix)})
