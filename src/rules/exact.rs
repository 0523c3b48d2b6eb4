//! Exact numbers for findings: ratios compared by cross-multiplication in `u128` and shown
//! as decimals, never through floating point.
//!
//! Rules compare with integers (a finding is a fact, not an approximation) and use this
//! module only to write the numbers behind the verdict. A shown value is kept apart from
//! the threshold it was compared with: "69.96%" is never rounded to the limit's "70%".

use crate::manifest::NANOS;

/// `NANOS` as `u128`: the denominator of every manifest [`Number`](crate::manifest::Number).
pub const ONE: u128 = NANOS as u128;

/// How [`decimal`] rounds its last place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// To the nearest, halves up: for values shown.
    Nearest,
    /// Towards zero: for "at most" suggestions.
    Down,
    /// Away from zero: for "at least" suggestions.
    Up,
}

/// `num / den` with at most `places` decimals, trailing zeros trimmed ("33.3", "30").
/// A zero `den` shows as "n/a" (callers rule it out first).
pub fn decimal(num: u128, den: u128, places: u32, round: Round) -> String {
    if den == 0 {
        return "n/a".to_owned();
    }
    let scale = 10u128.pow(places.min(18));
    let mut int = num / den;
    let rem = num % den;
    // rem < den, so rem * scale stays far below u128::MAX for the manifest's bounded values.
    let scaled = rem.saturating_mul(scale);
    let mut frac = scaled / den;
    let left = scaled % den;
    let bump = match round {
        Round::Down => false,
        Round::Up => left > 0,
        Round::Nearest => left.saturating_mul(2) >= den,
    };
    if bump {
        frac += 1;
        if frac == scale {
            frac = 0;
            int += 1;
        }
    }
    if frac == 0 {
        int.to_string()
    } else {
        let digits = format!("{frac:0width$}", width = places as usize);
        format!("{int}.{}", digits.trim_end_matches('0'))
    }
}

/// A value given in billionths, exactly ("0.7", "42.5").
pub fn nanos(value: u128) -> String {
    decimal(value, ONE, 9, Round::Nearest)
}

/// `num / den` as a percentage ("33"), with as few decimals as keep it apart from `limit`,
/// a percentage given in billionths (0.7 as a ratio is 70 * 10^9 here).
pub fn percent_apart(num: u128, den: u128, limit: u128) -> String {
    apart(num.saturating_mul(100), den, &nanos(limit))
}

/// `num / den` with as few decimals (0 to 9) as make it differ from the text `limit`.
pub fn apart(num: u128, den: u128, limit: &str) -> String {
    let mut text = decimal(num, den, 0, Round::Nearest);
    for places in 1..=9 {
        if text != limit {
            break;
        }
        text = decimal(num, den, places, Round::Nearest);
    }
    text
}

/// `num / den` as a whole percentage, rounded to the nearest ("67").
pub fn percent(num: u128, den: u128) -> String {
    decimal(num.saturating_mul(100), den, 0, Round::Nearest)
}

/// "a, b and c", each quoted with `quote` (`""` for none); at most `max` named, then "and N more".
pub fn list(items: &[&str], quote: &str, max: usize) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(max)
        .map(|s| format!("{quote}{s}{quote}"))
        .collect();
    let rest = items.len().saturating_sub(max);
    if rest > 0 {
        return format!("{} and {rest} more", shown.join(", "));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_as_asked() {
        assert_eq!(decimal(100, 3, 1, Round::Nearest), "33.3");
        assert_eq!(decimal(200, 3, 1, Round::Nearest), "66.7");
        assert_eq!(decimal(200, 3, 1, Round::Down), "66.6");
        assert_eq!(decimal(100, 3, 0, Round::Up), "34");
        assert_eq!(decimal(30, 1, 3, Round::Up), "30");
        assert_eq!(decimal(1999, 20, 1, Round::Nearest), "100");
        assert_eq!(decimal(1, 0, 1, Round::Nearest), "n/a");
        assert_eq!(nanos(700_000_000), "0.7");
        assert_eq!(nanos(42 * ONE + ONE / 2), "42.5");
    }

    #[test]
    fn values_stay_apart_from_their_limit() {
        // 69.96% against a 70% minimum.
        assert_eq!(percent_apart(6996, 10000, 70 * ONE), "69.96");
        assert_eq!(percent_apart(1, 3, 70 * ONE), "33");
        // 70.04% against 70%.
        assert_eq!(percent_apart(7004, 10000, 70 * ONE), "70.04");
        assert_eq!(percent(2, 3), "67");
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(list(&[], "'", 3), "");
        assert_eq!(list(&["a"], "'", 3), "'a'");
        assert_eq!(list(&["a", "b", "c"], "", 3), "a, b and c");
        assert_eq!(list(&["a", "b", "c", "d"], "'", 2), "'a', 'b' and 2 more");
    }
}
