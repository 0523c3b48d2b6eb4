//! The outcome of a check, and its renderings: one module per output format.
//!
//! A [`Report`] holds, per manifest, the context the rules read and the engine's outcome;
//! every format renders from it alone, to a `&mut dyn Write`.

use std::collections::HashSet;
use std::io::{self, Write};

use crate::context::{Context, Coverage, ProgramContext};
use crate::engine::Outcome;
use crate::manifest::{Located, Waiver};
use crate::rule::Severity;

pub mod human;
pub mod json;
mod readiness;

pub use readiness::{FeatureRow, Item, ItemState, StepGroup, Verdict, matrix, next_steps};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings, readiness matrix and verdict for a terminal.
    Human,
    /// The JSON report of the spec (version 1).
    Json,
}

/// Renders `report` in `format`. `color` applies to the human format only.
pub fn render(
    report: &Report<'_>,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, color, out),
        Format::Json => json::render(report, out),
    }
}

/// What was checked: a release or a program, with what the rules read.
pub enum Checked<'a> {
    Release(Box<Context<'a>>),
    Program(Box<ProgramContext<'a>>),
}

/// One manifest's result.
pub struct ManifestReport<'a> {
    /// The manifest as the user named it.
    pub path: String,
    pub checked: Checked<'a>,
    pub outcome: Outcome,
    pub ready: bool,
}

impl ManifestReport<'_> {
    pub fn kind(&self) -> &'static str {
        match self.checked {
            Checked::Release(_) => "release",
            Checked::Program(_) => "program",
        }
    }

    pub fn name(&self) -> &str {
        match &self.checked {
            Checked::Release(cx) => cx.name(),
            Checked::Program(cx) => &cx.program.info.name,
        }
    }

    /// Coverage counts; programs have none.
    pub fn coverage(&self) -> Option<Coverage> {
        match &self.checked {
            Checked::Release(cx) => Some(cx.coverage()),
            Checked::Program(_) => None,
        }
    }

    pub fn waivers(&self) -> &[Located<Waiver>] {
        match &self.checked {
            Checked::Release(cx) => &cx.release.waivers,
            Checked::Program(cx) => &cx.program.waivers,
        }
    }

    /// Subjects with an unwaived finding that blocks readiness.
    pub fn blocked_subjects(&self, strict: bool) -> HashSet<&str> {
        self.outcome
            .findings
            .iter()
            .filter(|f| !f.is_waived() && (f.severity == Severity::Error || strict))
            .map(|f| f.subject.as_str())
            .collect()
    }
}

/// Counts over all manifests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
}

/// The result of one `relcheck check` run.
pub struct Report<'a> {
    pub manifests: Vec<ManifestReport<'a>>,
    pub strict: bool,
}

impl Report<'_> {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for m in &self.manifests {
            s.errors += m.outcome.count(Severity::Error);
            s.warnings += m.outcome.count(Severity::Warning);
            s.waived += m.outcome.waived();
        }
        s
    }

    /// Every manifest is ready.
    pub fn ready(&self) -> bool {
        self.manifests.iter().all(|m| m.ready)
    }
}
