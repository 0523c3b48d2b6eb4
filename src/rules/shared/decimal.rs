//! Exact decimals for findings: ratios compared by cross-multiplication in `u128` and shown
//! as decimals, never through floating point.
//!
//! Rules compare with integers (a finding is a fact, not an approximation) and use this
//! module only to write the numbers behind the verdict. A shown value is kept apart from
//! the threshold it was compared with: "69.96%" is never rounded to the limit's "70%".

use crate::manifest::NANOS;

/// `NANOS` as `u128`: the denominator of every manifest [`Number`](crate::manifest::Number).
pub(crate) const ONE: u128 = NANOS as u128;

/// How [`decimal`] rounds its last place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Round {
    /// To the nearest, halves up: for values shown.
    Nearest,
    /// Towards zero: for "at most" suggestions.
    Down,
    /// Away from zero: for "at least" suggestions.
    Up,
}

/// `num / den` with at most `places` decimals, trailing zeros trimmed ("33.3", "30").
/// A zero `den` shows as "n/a" (callers rule it out first).
pub(crate) fn decimal(num: u128, den: u128, places: u32, round: Round) -> String {
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
pub(crate) fn nanos(value: u128) -> String {
    decimal(value, ONE, 9, Round::Nearest)
}

/// `num / den` as a percentage ("33"), with as few decimals as keep it on its side of
/// `limit`, a percentage given in billionths (a 0.7 ratio is 70 * 10^9 here).
pub(crate) fn percent_apart(num: u128, den: u128, limit: u128) -> String {
    apart(num.saturating_mul(100), den, limit, ONE)
}

/// `num / den` with as few decimals (0 to 9) as show it on the same side of
/// `limit_num / limit_den` as it is: 70.45 against 70.4 shows as "70.5", never "70".
pub(crate) fn apart(num: u128, den: u128, limit_num: u128, limit_den: u128) -> String {
    if den == 0 || limit_den == 0 {
        return decimal(num, den, 0, Round::Nearest);
    }
    let side = num
        .saturating_mul(limit_den)
        .cmp(&limit_num.saturating_mul(den));
    for places in 0..9 {
        let scale = 10u128.pow(places);
        // The value as shown, in units of 10^-places (rounded to the nearest, halves up).
        let shown = (num.saturating_mul(scale).saturating_mul(2) + den) / (den * 2);
        if shown
            .saturating_mul(limit_den)
            .cmp(&limit_num.saturating_mul(scale))
            == side
        {
            return decimal(num, den, places, Round::Nearest);
        }
    }
    decimal(num, den, 9, Round::Nearest)
}

/// `num / den` as a whole percentage, rounded to the nearest ("67").
pub(crate) fn percent(num: u128, den: u128) -> String {
    decimal(num.saturating_mul(100), den, 0, Round::Nearest)
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
    fn values_stay_on_their_side_of_the_limit() {
        // 69.96% against a 70% minimum.
        assert_eq!(percent_apart(6996, 10000, 70 * ONE), "69.96");
        assert_eq!(percent_apart(1, 3, 70 * ONE), "33");
        // 70.04% against 70%.
        assert_eq!(percent_apart(7004, 10000, 70 * ONE), "70.04");
        // 70.45% against 70.4%: "70" would read as below the limit.
        assert_eq!(percent_apart(7045, 10000, 70 * ONE + 4 * ONE / 10), "70.5");
        // 70.36% against 70.4% may show as 70.
        assert_eq!(percent_apart(7036, 10000, 70 * ONE + 4 * ONE / 10), "70");
        // 19.05 points against 19.
        assert_eq!(apart(400, 21, 19, 1), "19.05");
        assert_eq!(percent(2, 3), "67");
    }
}
