//! What a test's report says about its status: passing, verified, and why not.

use super::cache::Cache;
use super::junit::{self, Counts, Selector};
use super::{Artifact, Reach};
use crate::manifest::TestStatus;

/// What a test's report says, as far as relcheck could read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportState {
    /// No `report` given: the status is taken on trust.
    NoReport,
    /// Outside the root (RC004) or missing (RC005): not read. The text completes "the
    /// report ...": "does not exist".
    Unreachable(String),
    /// Read, but not a JUnit report (or a folder). The text completes "the report ...":
    /// "cannot be parsed as JUnit XML: ...".
    Unparsable(String),
    /// Read: the counts of `suite` (or of the whole report).
    Read {
        counts: Counts,
        /// `suite` is named and no `<testsuite>` has that name; the report's first suite
        /// names, for messages.
        suite_absent: Option<Vec<String>>,
    },
}

/// The evidence of one test entry.
#[derive(Clone, Debug)]
pub struct TestEvidence {
    pub id: String,
    pub status: TestStatus,
    /// The `report` as written.
    pub report: Option<String>,
    pub suite: Option<String>,
    /// The `cases` patterns, when given.
    pub cases: Option<Vec<String>>,
    pub state: ReportState,
    /// The newest `timestamp` date of the report's suites, when it was read and has one.
    pub report_date: Option<jiff::civil::Date>,
}

impl TestEvidence {
    /// The counts read, if the report was read and parsed.
    pub fn counts(&self) -> Option<Counts> {
        match &self.state {
            ReportState::Read { counts, .. } => Some(*counts),
            _ => None,
        }
    }

    /// A passing test: status `passed` and, where `report` is given, the
    /// report exists inside the root, parses, holds at least one test case that ran (was not
    /// skipped; in `suite`, if named) and no failure or error.
    pub fn passing(&self) -> bool {
        self.status == TestStatus::Passed
            && match &self.state {
                ReportState::NoReport => true,
                ReportState::Read { counts, .. } => counts.clean(),
                _ => false,
            }
    }

    /// A report was read and agrees with the status: `passed` ⇔ at least one test case that
    /// ran and no failure or error; `failed` ⇔ a failure or an error; `skipped` ⇔ test cases, all
    /// skipped; `not-run` ⇔ no test case and no failure or error.
    pub fn verified(&self) -> bool {
        let Some(c) = self.counts() else {
            return false;
        };
        let broken = c.failures + c.errors > 0;
        match self.status {
            TestStatus::Passed => c.clean(),
            TestStatus::Failed => broken,
            TestStatus::Skipped => !broken && c.cases > 0 && c.skipped == c.cases,
            TestStatus::NotRun => !broken && c.cases == 0,
        }
    }

    /// Why the status is not verified (`None` when it is): shown next to the test.
    pub fn unverified_reason(&self) -> Option<String> {
        if self.verified() {
            return None;
        }
        Some(match &self.state {
            ReportState::NoReport => "no report given".into(),
            ReportState::Unreachable(why) | ReportState::Unparsable(why) => {
                format!("the report {why}")
            }
            ReportState::Read { .. } => format!("the report {}", self.report_says()),
        })
    }

    /// What the report holds, for the suite named: "holds no test suite named 'X'",
    /// "shows 1 failure in 3 test cases", "holds 4 test cases".
    pub fn report_says(&self) -> String {
        let ReportState::Read {
            counts,
            suite_absent,
        } = &self.state
        else {
            return String::new();
        };
        let suite = self.suite.as_deref().unwrap_or_default();
        let mut of = if self.suite.is_some() {
            format!(" in suite '{suite}'")
        } else {
            String::new()
        };
        if let Some(cases) = &self.cases {
            let list = cases
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", ");
            of = format!("{of} matching cases {list}");
            if counts.cases == 0 && suite_absent.is_none() {
                return format!("holds no test case{of} (no test case matches)");
            }
        }
        if let Some(names) = suite_absent {
            let has = if names.is_empty() {
                "it has none".to_owned()
            } else {
                format!("it has: {}", names.join(", "))
            };
            return format!("holds no test suite named '{suite}' ({has})");
        }
        if counts.cases == 0 && counts.failures + counts.errors == 0 {
            return format!("holds no test case{of}");
        }
        if counts.cases == counts.skipped && counts.failures + counts.errors == 0 {
            return format!(
                "holds no test case that ran{of}: all {} were skipped",
                counts.cases
            );
        }
        let verb = if counts.failures + counts.errors > 0 {
            "shows"
        } else {
            "holds"
        };
        let skipped = if counts.skipped > 0 {
            format!(", {} skipped", counts.skipped)
        } else {
            String::new()
        };
        format!("{verb} {}{skipped}{of}", counts.describe())
    }
}

/// The newest `timestamp` date of a report that was read and parsed.
pub(super) fn report_date(a: &Artifact) -> Option<jiff::civil::Date> {
    match &a.reach {
        Reach::File(f) => f.read.as_ref().ok()?.junit.as_ref().ok()?.newest,
        _ => None,
    }
}

/// What a test's report says about `suite` (or the whole report), or about the cases
/// `cases` select (within `suite`), read through `cache`.
pub(super) fn report_state(
    a: &Artifact,
    suite: Option<&str>,
    cases: Option<&[String]>,
    cache: &Cache,
) -> ReportState {
    let junit = match &a.reach {
        Reach::Url => return ReportState::Unparsable("is a URL".into()),
        Reach::Outside(e) => {
            return ReportState::Unreachable(e.describe());
        }
        Reach::Missing(m) => {
            return ReportState::Unreachable(m.describe());
        }
        Reach::Folder(_) => {
            return ReportState::Unparsable("is a folder, not a JUnit XML file".into());
        }
        Reach::File(f) => match &f.read {
            Err(e) => return ReportState::Unreachable(format!("cannot be read: {e}")),
            Ok(c) => match &c.junit {
                Err(e) => {
                    return ReportState::Unparsable(format!("cannot be parsed as JUnit XML: {e}"));
                }
                Ok(j) => j,
            },
        },
    };
    if let (Some(cases), Reach::File(f)) = (cases, &a.reach) {
        if suite.is_some_and(|name| junit.suite(name).is_none() && !junit.names_capped) {
            return ReportState::Read {
                counts: Counts::default(),
                suite_absent: Some(junit.first_names.iter().map(ToString::to_string).collect()),
            };
        }
        let selector = Selector {
            suite: suite.map(str::to_owned),
            cases: cases.to_vec(),
        };
        return match &*cache.selected(f, &selector) {
            Ok(counts) => ReportState::Read {
                counts: *counts,
                suite_absent: None,
            },
            Err(e) => ReportState::Unparsable(e.clone()),
        };
    }
    match suite {
        None => ReportState::Read {
            counts: junit.total,
            suite_absent: None,
        },
        Some(name) => match junit.suite(name) {
            Some(counts) => ReportState::Read {
                counts,
                suite_absent: None,
            },
            None if junit.names_capped => ReportState::Unparsable(format!(
                "names more than {} test suites; relcheck keeps the first {} and '{name}' is not among them",
                junit::MAX_SUITE_NAMES,
                junit::MAX_SUITE_NAMES
            )),
            None => ReportState::Read {
                counts: Counts::default(),
                suite_absent: Some(junit.first_names.iter().map(ToString::to_string).collect()),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(status: TestStatus, state: ReportState) -> TestEvidence {
        TestEvidence {
            id: "t".into(),
            status,
            report: Some("r.xml".into()),
            suite: None,
            cases: None,
            state,
            report_date: None,
        }
    }

    fn read(cases: u64, failures: u64, errors: u64, skipped: u64) -> ReportState {
        ReportState::Read {
            counts: Counts {
                cases,
                failures,
                errors,
                skipped,
            },
            suite_absent: None,
        }
    }

    #[test]
    fn verified_means_the_report_agrees_with_the_status() {
        use TestStatus::*;
        let cases = [
            (Passed, read(3, 0, 0, 1), true, true),
            (Passed, read(2, 0, 0, 2), false, false),
            (Passed, read(3, 1, 0, 0), false, false),
            (Passed, read(0, 0, 0, 0), false, false),
            (Failed, read(3, 0, 1, 0), true, false),
            (Failed, read(3, 0, 0, 0), false, false),
            (Skipped, read(2, 0, 0, 2), true, false),
            (Skipped, read(2, 0, 0, 1), false, false),
            (NotRun, read(0, 0, 0, 0), true, false),
            (Passed, ReportState::Unparsable("x".into()), false, false),
            (Passed, ReportState::Unreachable("x".into()), false, false),
            (Passed, ReportState::NoReport, false, true),
            (Failed, ReportState::NoReport, false, false),
        ];
        for (status, state, verified, passing) in cases {
            let e = evidence(status, state.clone());
            assert_eq!(
                (e.verified(), e.passing()),
                (verified, passing),
                "{status:?} {state:?}"
            );
            assert_eq!(
                e.unverified_reason().is_none(),
                verified,
                "{status:?} {state:?}"
            );
        }
        let e = evidence(Passed, read(2, 0, 0, 2));
        assert_eq!(
            e.unverified_reason().as_deref(),
            Some("the report holds no test case that ran: all 2 were skipped")
        );
        let e = evidence(Passed, read(3, 1, 1, 0));
        assert_eq!(
            e.unverified_reason().as_deref(),
            Some("the report shows 1 failure and 1 error in 3 test cases")
        );
    }
}
