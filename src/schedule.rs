//! The release's milestones, read from its own schedule: the scope freeze and the release
//! date. Every finding falls due at one of them (or at once), so a check can tell "not done
//! yet, due later" from "late".

use crate::manifest::{Date, Program, Release, SprintKind};

/// Where the freeze milestone came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FreezeSource {
    /// `release.freeze`.
    Freeze,
    /// The start of the earliest release sprint (its id).
    ReleaseSprint(String),
    /// Neither: everything falls due on the release date.
    ReleaseDate,
    /// A program's date (a program, or a product whose milestones the program capped).
    ProgramDate,
}

impl FreezeSource {
    /// As reports show it: `release.freeze`, `release sprint R1`, `release date`,
    /// `program.date`.
    pub fn describe(&self) -> String {
        match self {
            FreezeSource::Freeze => "release.freeze".to_owned(),
            FreezeSource::ReleaseSprint(id) => format!("release sprint {id}"),
            FreezeSource::ReleaseDate => "release date".to_owned(),
            FreezeSource::ProgramDate => "program.date".to_owned(),
        }
    }
}

/// The two milestones of a release or a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The scope freeze; never later than the release.
    pub freeze: Date,
    pub freeze_source: FreezeSource,
    /// The release date.
    pub release: Date,
}

/// What reports say when a release has no scope freeze.
pub const NO_FREEZE_WARNING: &str = "no scope freeze: everything falls due on the release date";

impl Schedule {
    /// A release's milestones; `cap` is the date of the program it ships in as a product (one
    /// train, one date): no milestone is later.
    pub fn of_release(release: &Release, cap: Option<Date>) -> Schedule {
        let date = *release.info.date;
        let earliest_release_sprint = release
            .sprints
            .iter()
            .filter(|s| *s.kind == SprintKind::Release)
            .min_by_key(|s| *s.start);
        let (freeze, source) = match (release.info.freeze.as_deref(), earliest_release_sprint) {
            (Some(&freeze), _) => (freeze, FreezeSource::Freeze),
            (None, Some(s)) => (*s.start, FreezeSource::ReleaseSprint(s.id.to_string())),
            (None, None) => (date, FreezeSource::ReleaseDate),
        };
        let mut schedule = Schedule {
            freeze: freeze.min(date),
            freeze_source: source,
            release: date,
        };
        if let Some(cap) = cap {
            if cap < schedule.release {
                schedule.release = cap;
            }
            if cap < schedule.freeze {
                schedule.freeze = cap;
                schedule.freeze_source = FreezeSource::ProgramDate;
            }
        }
        schedule
    }

    /// A program's milestones: both are its date.
    pub fn of_program(program: &Program) -> Schedule {
        let date = *program.info.date;
        Schedule {
            freeze: date,
            freeze_source: FreezeSource::ProgramDate,
            release: date,
        }
    }

    /// The earlier milestones of two schedules (`--new-since`: the head's and the base's);
    /// the freeze keeps the source of the one it came from.
    #[must_use]
    pub fn stricter(&self, other: &Schedule) -> Schedule {
        let (freeze, freeze_source) = if other.freeze < self.freeze {
            (other.freeze, other.freeze_source.clone())
        } else {
            (self.freeze, self.freeze_source.clone())
        };
        let release = self.release.min(other.release);
        Schedule {
            freeze: freeze.min(release),
            freeze_source,
            release,
        }
    }

    /// The warning reports show for this schedule, if any.
    pub fn warning(&self) -> Option<&'static str> {
        (self.freeze_source == FreezeSource::ReleaseDate).then_some(NO_FREEZE_WARNING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Manifest, parse};

    fn release(extra: &str) -> Box<Release> {
        let y = format!("relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n{extra}");
        match parse(&y, "release.yaml").unwrap() {
            Manifest::Release(r) => r,
            Manifest::Program(_) => panic!("a release"),
        }
    }

    #[test]
    fn the_freeze_comes_from_the_freeze_then_the_release_sprint_then_the_date() {
        let d = |s| Date::parse(s).unwrap();
        let s = Schedule::of_release(&release("  freeze: 2026-11-13\n"), None);
        assert_eq!(
            (s.freeze, s.freeze_source),
            (d("2026-11-13"), FreezeSource::Freeze)
        );
        let sprints = "sprints:\n  - {id: R2, kind: release, start: 2026-12-07, end: 2026-12-11}\n  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-04}\n  - {id: S1, kind: feature, start: 2026-11-02, end: 2026-11-13}\n";
        let s = Schedule::of_release(&release(sprints), None);
        assert_eq!(s.freeze, d("2026-11-30"));
        assert_eq!(s.freeze_source.describe(), "release sprint R1");
        let s = Schedule::of_release(&release(""), None);
        assert_eq!((s.freeze, s.release), (d("2026-12-15"), d("2026-12-15")));
        assert_eq!(s.warning(), Some(NO_FREEZE_WARNING));
        // A freeze after the release date is the release date.
        let s = Schedule::of_release(&release("  freeze: 2027-01-10\n"), None);
        assert_eq!(s.freeze, d("2026-12-15"));
        // A program's date caps its products' milestones.
        let s = Schedule::of_release(&release("  freeze: 2026-11-13\n"), Some(d("2026-11-01")));
        assert_eq!((s.freeze, s.release), (d("2026-11-01"), d("2026-11-01")));
        assert_eq!(s.freeze_source, FreezeSource::ProgramDate);
    }
}
