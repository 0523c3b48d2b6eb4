//! "Did you mean" suggestions for misspelt keys, values and rule names.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
///
/// Candidates whose length differs from `word`'s by more than the allowed distance are not
/// compared at all, so a huge `word` costs no more than measuring it.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    candidates
        .into_iter()
        .filter(|c| len.abs_diff(c.chars().count()) <= limit)
        .map(|c| (edit_distance(&word_lower, &c.to_ascii_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Up to `n` candidates within a plausible-typo distance of `word`, closest first, plus
/// candidates that contain `word`. When one candidate is a near miss, candidates much
/// further off are left out: `untested-featur` suggests `untested-feature` alone, not
/// every rule name a few edits away.
pub(crate) fn close_matches<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    let mut scored: Vec<(usize, bool, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_ascii_lowercase();
            let contains = lower.contains(&word_lower);
            // The distance is at least the difference in length: a word far longer than
            // every candidate (a pasted paragraph) is never compared character by character.
            if !contains && len.abs_diff(c.chars().count()) > limit {
                return None;
            }
            Some((edit_distance(&word_lower, &lower), contains, c))
        })
        .filter(|&(d, contains, _)| d <= limit || contains)
        .collect();
    let best = scored.iter().map(|&(d, _, _)| d).min().unwrap_or(0);
    scored.retain(|&(d, contains, _)| d <= best + 1 || contains);
    scored.sort_by_key(|&(d, _, c)| (d, c));
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// Levenshtein distance, counting a swap of two adjacent characters as one edit.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows are enough for the adjacent-swap case.
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("tets", "tests"), 1);
        assert_eq!(edit_distance("tset", "test"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("tets", ["id", "tests", "title"]),
            Some("tests")
        );
        assert_eq!(did_you_mean("zzzzzz", ["id", "tests"]), None);
        assert_eq!(did_you_mean("Stauts", ["status"]), Some("status"));
        assert_eq!(
            close_matches("untested", ["untested-feature", "failing-test"], 3),
            vec!["untested-feature"]
        );
        assert_eq!(
            close_matches(
                "untested-featur",
                ["untrained-feature", "untested-feature"],
                3
            ),
            vec!["untested-feature"]
        );
        assert_eq!(
            close_matches("orphan-artefakt", ["orphan-artifact", "orphan-artefact"], 3),
            vec!["orphan-artefact", "orphan-artifact"]
        );
        // A near miss hides the far ones; equally near ones are all offered.
        let rules = [
            "untested-feature",
            "unaccepted-feature",
            "untrained-feature",
        ];
        assert_eq!(
            close_matches("untested-featur", rules, 3),
            vec!["untested-feature"]
        );
        let near = [
            "abcdefghiXYZ",
            "abcdefghijXY",
            "abcdefghijkX",
            "abcdefghijkZ",
        ];
        assert_eq!(
            close_matches("abcdefghijkl", near, 3),
            vec!["abcdefghijkX", "abcdefghijkZ", "abcdefghijXY"]
        );
    }

    #[test]
    fn huge_words_get_no_suggestion() {
        // Edit distance is quadratic; a 10 MB word must be turned down by its length alone.
        let huge = "status".repeat(2_000_000);
        assert_eq!(did_you_mean(&huge, ["status", "statuses"]), None);
        assert!(close_matches(&huge, ["untested-feature"], 3).is_empty());
        // Within the allowed distance in length, words are still compared.
        assert_eq!(did_you_mean("statusxx", ["status"]), Some("status"));
    }
}
