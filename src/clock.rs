//! The one place relcheck reads the wall clock.
//!
//! Every date in a report comes from the manifest or from "today"; "today" is `--today` when
//! given, otherwise the date this module returns. Tests need to show that nothing else reads
//! the clock (a report must be the same bytes on any day), so the clock can be replaced from
//! the environment: `RELCHECK_TEST_CLOCK=YYYY-MM-DD` makes that day "now". It exists for tests
//! (a run with `--today` must not change when it is set) and is not a user setting: users give
//! `--today`.

use anyhow::{Result, bail};

use crate::manifest::Date;

/// The environment variable that replaces the wall clock, for tests.
pub(crate) const TEST_CLOCK: &str = "RELCHECK_TEST_CLOCK";

/// Today's date in UTC, or the day `RELCHECK_TEST_CLOCK` names.
pub(crate) fn today() -> Result<Date> {
    if let Some(value) = std::env::var_os(TEST_CLOCK) {
        let text = value.to_string_lossy();
        return match Date::parse(&text) {
            Some(date) => Ok(date),
            None => bail!("{TEST_CLOCK}: expected an existing day written YYYY-MM-DD"),
        };
    }
    Ok(Date(
        jiff::tz::TimeZone::UTC
            .to_datetime(jiff::Timestamp::now())
            .date(),
    ))
}

/// `--today` when given, otherwise [`today`].
pub(crate) fn today_or(given: Option<&str>) -> Result<Date> {
    match given {
        Some(s) => match Date::parse(s) {
            Some(date) => Ok(date),
            None => {
                bail!("invalid --today '{s}': expected an existing day written YYYY-MM-DD")
            }
        },
        None => today(),
    }
}
