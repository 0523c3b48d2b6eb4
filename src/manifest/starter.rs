//! The starter manifests `relcheck init` writes: every section, commented, dated from today.
//!
//! The templates sit beside this file. Their placeholders are things `relcheck check`
//! reports (a feature without tests, work still planned, files not written yet, a pending
//! sign-off), so checking a fresh starter lists what to fill in instead of passing. The
//! schedule is consistent: a two-week feature sprint from today, a two-week release sprint
//! after it (the scope freeze on its first day), the release the day after.
//!
//! Every placeholder falls due at a milestone ahead of today: the feature work at the freeze,
//! the rest at the release date (the starter's `policy.due` moves the files it names but
//! nobody has written yet, RC005 and RC006, to the release date). So a fresh starter is not
//! ready (`--gate release` fails) but on track (`--gate on-track` passes) until the freeze.

use super::Date;
use super::schema::SCHEMA_URL;

const RELEASE: &str = include_str!("starter/release.yaml");
const PROGRAM: &str = include_str!("starter/program.yaml");

/// Which manifest to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starter {
    Release,
    Program,
}

impl Starter {
    /// The conventional file name of this kind of manifest.
    pub const fn file_name(self) -> &'static str {
        match self {
            Starter::Release => "release.yaml",
            Starter::Program => "program.yaml",
        }
    }

    /// The starter's text, dated from `today`.
    pub fn text(self, today: Date) -> String {
        let day = |offset: i64| -> String {
            today
                .0
                .checked_add(jiff::Span::new().days(offset))
                .map_or_else(|_| today.to_string(), |d| d.to_string())
        };
        let template = match self {
            Starter::Release => RELEASE,
            Starter::Program => PROGRAM,
        };
        template
            .replace("{schema}", SCHEMA_URL)
            .replace("{today}", &day(0))
            .replace("{s1_end}", &day(13))
            .replace("{freeze}", &day(14))
            .replace("{r1_start}", &day(14))
            .replace("{session}", &day(24))
            .replace("{r1_end}", &day(27))
            .replace("{release}", &day(28))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Manifest, parse};

    fn today() -> Date {
        Date::parse("2026-11-26").unwrap()
    }

    #[test]
    fn starters_load_and_are_dated() {
        let text = Starter::Release.text(today());
        let Manifest::Release(r) = parse(&text, "release.yaml").unwrap() else {
            panic!("not a release");
        };
        assert_eq!(r.info.date.to_string(), "2026-12-24");
        assert_eq!(r.info.freeze.as_ref().unwrap().to_string(), "2026-12-10");
        assert_eq!(r.sprints[0].start.to_string(), "2026-11-26");
        assert_eq!(r.sprints[1].end.to_string(), "2026-12-23");
        assert!(
            r.features
                .iter()
                .all(|f| f.added.as_deref() == Some(&today())),
            "every feature is added today"
        );

        let text = Starter::Program.text(today());
        let Manifest::Program(p) = parse(&text, "program.yaml").unwrap() else {
            panic!("not a program");
        };
        assert_eq!(p.info.date.to_string(), "2026-12-24");
    }

    #[test]
    fn starters_point_editors_at_the_schema_and_leave_no_token() {
        for kind in [Starter::Release, Starter::Program] {
            let text = kind.text(today());
            let first = text.lines().next().unwrap();
            assert_eq!(
                first,
                "# yaml-language-server: $schema=https://github.com/relcheck/relcheck/raw/main/schema/relcheck.schema.json"
            );
            for token in [
                "{schema}",
                "{today}",
                "{s1_end}",
                "{freeze}",
                "{r1_start}",
                "{session}",
                "{r1_end}",
                "{release}",
            ] {
                assert!(!text.contains(token), "{kind:?} keeps {token}");
            }
        }
    }

    /// A year boundary and a leap day still give a consistent schedule.
    #[test]
    fn dates_roll_over() {
        let text = Starter::Release.text(Date::parse("2028-02-20").unwrap());
        assert!(text.contains("date: 2028-03-19"), "{text}");
        let text = Starter::Release.text(Date::parse("2026-12-20").unwrap());
        assert!(text.contains("date: 2027-01-17"), "{text}");
    }
}
