//! The view model the readable reports (human, Markdown, HTML) render: per manifest, decided
//! once, what is shown and in what order. Which findings are open and which waived, their
//! grouping by [`RuleGroup`], the readiness matrix, the tests and their evidence, a program's
//! products and ship order, the waivers, the rules not evaluated grouped by reason, what to do
//! next, the counts, and for every list what was cut and how many were left out. With
//! `--new-since`: new findings before existing ones (their groups apart), how many of each,
//! and the findings the change resolved and relaxed.
//!
//! Verdicts are read, never recomputed: a manifest's from `outcome.verdict`, a product's from
//! `outcome.products`, a feature's from the findings the engine marked `blocking`. A renderer
//! only applies its syntax (and its layout) to a view; the [`Budget`] bounds a report that must
//! fit a size (a pull-request comment) in the same place for any format that needs it.

use std::collections::HashSet;
use std::io::{self, Write};

use super::escape::terminal;
use super::readiness::{self, FeatureRow, ProductRow, StepGroup};
use super::{ManifestContext, ManifestReport, Report, RuleGroup, plural};
use crate::context::{Coverage, TestCheck};
use crate::engine::Verdict;
use crate::manifest::{Date, Located, Standing, TestStatus, Waiver};
use crate::rule::{BaselineState, Finding, Listed, RuleMeta, Severity};

/// How many entries a format shows per manifest; the rest are counted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Rows of the readiness matrix, the tests table, the products table, and subjects in
    /// "what to do next".
    pub(crate) rows: usize,
    /// Findings in the grouped findings tables, and waived findings.
    pub(crate) findings: usize,
}

impl Limits {
    /// A terminal: 50 rows a table, every finding.
    pub(crate) const HUMAN: Limits = Limits {
        rows: 50,
        findings: usize::MAX,
    };
    /// A pull-request comment: 50 rows a table, 100 findings (and a [`Budget`] on top).
    pub(crate) const MARKDOWN: Limits = Limits {
        rows: 50,
        findings: 100,
    };
    /// A page: everything.
    pub(crate) const ALL: Limits = Limits {
        rows: usize::MAX,
        findings: usize::MAX,
    };
}

/// The first entries of a list, and how many more there are.
pub(crate) struct Listing<T> {
    pub(crate) shown: Vec<T>,
    pub(crate) left_out: usize,
}

impl<T> Listing<T> {
    /// The first `max` of `items`, out of `total`.
    fn first(items: impl Iterator<Item = T>, total: usize, max: usize) -> Self {
        let shown: Vec<T> = items.take(max).collect();
        Listing {
            left_out: total.saturating_sub(shown.len()),
            shown,
        }
    }

    fn all(shown: Vec<T>) -> Self {
        Listing { shown, left_out: 0 }
    }

    /// Nothing shown and nothing left out.
    pub(crate) fn is_empty(&self) -> bool {
        self.shown.is_empty() && self.left_out == 0
    }
}

/// A colour or emphasis a format may give a row or a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Warn,
    Bad,
    Neutral,
}

/// The run's verdict line: the decisive word, then both verdicts and the gate.
pub(crate) struct Headline {
    /// `READY`, `NOT READY` or `COULD NOT EVALUATE`.
    pub(crate) label: &'static str,
    /// Whether the gate passes (the exit code is 0).
    pub(crate) pass: bool,
    /// What follows the label: ` · on track · gate release passes: 2 errors, ...`.
    pub(crate) rest: String,
}

/// The whole run.
pub(crate) struct ReportView<'r> {
    /// The verdict line.
    pub(crate) headline: Headline,
    /// What could not be loaded, as it reads on standard error (escaped for a terminal:
    /// formats escape it further for their syntax).
    pub(crate) errors: Vec<String>,
    /// Judged with `--strict` (warnings block too).
    pub(crate) strict: bool,
    /// Today as the check saw it (the first manifest's).
    pub(crate) today: Option<Date>,
    pub(crate) manifests: Vec<ManifestView<'r>>,
}

impl<'r> ReportView<'r> {
    /// The view of `report`, cut to `limits`.
    pub(crate) fn new(report: &'r Report<'_>, limits: Limits) -> Self {
        ReportView {
            headline: headline(report),
            errors: report.errors.iter().map(ToString::to_string).collect(),
            strict: report.gate.strict,
            today: report.manifests.first().map(ManifestReport::today),
            manifests: report
                .manifests
                .iter()
                .map(|m| ManifestView::new(m, report.new_since.is_some(), limits))
                .collect(),
        }
    }
}

/// The verdict line of `report`: what was decided, in words.
fn headline(report: &Report<'_>) -> Headline {
    let late: usize = report.manifests.iter().map(|m| m.outcome.late()).sum();
    let label = if report.errors.is_empty() {
        report.verdict.label()
    } else {
        "COULD NOT EVALUATE"
    };
    let mut parts = Vec::new();
    if report.errors.is_empty() {
        parts.push(if report.on_track {
            "on track".to_owned()
        } else {
            format!("not on track ({late} late)")
        });
    }
    parts.push(format!(
        "gate {} {}",
        report.gate.kind.name(),
        if report.pass { "passes" } else { "fails" }
    ));
    // A manifest can have several load errors: the headline counts the files.
    let unloaded: std::collections::BTreeSet<&str> =
        report.errors.iter().map(|e| e.shown.as_str()).collect();
    let errors = match unloaded.len() {
        0 => String::new(),
        n => format!("{} not loaded; ", plural(n, "manifest or folder")),
    };
    let since = report.new_since.map_or_else(String::new, |n| {
        let (new, existing) = report
            .manifests
            .iter()
            .map(|m| baseline_counts(&m.outcome.findings))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        let resolved: usize = report
            .manifests
            .iter()
            .map(|m| m.outcome.resolved.len())
            .sum();
        format!(
            " · since {}: {new} new, {existing} existing, {resolved} resolved",
            terminal(n.gitref)
        )
    });
    Headline {
        label,
        pass: report.pass,
        rest: format!(
            " · {}: {errors}{}{since}",
            parts.join(" · "),
            report.counts()
        ),
    }
}

/// Open findings that are new and existing (`--new-since`): a finding the engine did not
/// match is new.
fn baseline_counts(findings: &[Finding]) -> (usize, usize) {
    let open = findings.iter().filter(|f| !f.is_waived());
    let existing = open
        .clone()
        .filter(|f| f.baseline == Some(BaselineState::Existing))
        .count();
    (open.count() - existing, existing)
}

/// When an open finding falls due, for its line: `late`, `due 2026-12-01 (freeze)`, or `past`
/// for one about a sprint that is over (it cannot be fixed any more, so it is never late).
pub(crate) fn due_tag(f: &Finding) -> String {
    match (f.late, f.due) {
        (true, _) => "late".to_owned(),
        (false, Some(due)) => format!("due {} ({})", due.date, due.milestone),
        (false, None) => "past".to_owned(),
    }
}

/// One row of a manifest's schedule: a milestone, its date, and the open findings due then.
pub(crate) struct MilestoneRow {
    /// `now`, `freeze`, `release`, or `date` (a `policy.due` date).
    pub(crate) name: &'static str,
    /// `None` for `now`.
    pub(crate) date: Option<Date>,
    /// Where the date comes from: `release.freeze`, `release sprint R1`, ...
    pub(crate) source: Option<String>,
    /// How far from today, in words: `at once`, `today`, `in 3 days`, `5 days ago`.
    pub(crate) when: String,
    /// Open findings due at it.
    pub(crate) open: usize,
    /// Of those, late.
    pub(crate) late: usize,
}

/// A manifest's milestones and what falls due at each.
pub(crate) struct ScheduleView {
    pub(crate) rows: Vec<MilestoneRow>,
    /// "no scope freeze: everything falls due on the release date".
    pub(crate) warning: Option<&'static str>,
}

fn schedule_view(m: &ManifestReport<'_>, open: &[&Finding]) -> ScheduleView {
    let schedule = match &m.context {
        ManifestContext::Release(cx) => &cx.schedule,
        ManifestContext::Program(cx) => &cx.schedule,
    };
    let today = m.today();
    let mut rows = vec![MilestoneRow {
        name: "now",
        date: None,
        source: None,
        when: "at once".to_owned(),
        open: 0,
        late: 0,
    }];
    let row_for = |name: &'static str, date: Date, source: Option<String>| {
        let days = today.days_until(date);
        let n = days.unsigned_abs();
        let unit = if n == 1 { "day" } else { "days" };
        MilestoneRow {
            name,
            date: Some(date),
            source,
            when: match days {
                0 => "today".to_owned(),
                d if d > 0 => format!("in {n} {unit}"),
                _ => format!("{n} {unit} ago"),
            },
            open: 0,
            late: 0,
        }
    };
    rows.push(row_for(
        "freeze",
        schedule.freeze,
        Some(schedule.freeze_source.describe()),
    ));
    rows.push(row_for("release", schedule.release, None));
    for f in open {
        let mut i = 0;
        if let Some(due) = f.due {
            let at = rows
                .iter()
                .position(|r| r.name == due.milestone && r.date == Some(due.date));
            i = at.unwrap_or_else(|| {
                rows.push(row_for(
                    due.milestone,
                    due.date,
                    Some("policy.due".to_owned()),
                ));
                rows.len() - 1
            });
        }
        rows[i].open += 1;
        rows[i].late += usize::from(f.late);
    }
    // `now` first, then by date (the freeze before the release on the same day).
    rows[1..].sort_by_key(|r| (r.date, r.name != "freeze"));
    ScheduleView {
        rows,
        warning: schedule.warning(),
    }
}

/// One manifest, as every readable report shows it.
pub(crate) struct ManifestView<'r> {
    /// `release` or `program`.
    pub(crate) kind: &'static str,
    pub(crate) name: &'r str,
    /// The manifest as the user named it (formats escape it as a file name).
    pub(crate) shown: &'r str,
    pub(crate) today: Date,
    /// As the engine decided it.
    pub(crate) verdict: Verdict,
    /// As the engine decided it: no blocking finding is late.
    pub(crate) on_track: bool,
    /// Open findings that are late.
    pub(crate) late: usize,
    /// The milestones and what falls due at each.
    pub(crate) schedule: ScheduleView,
    /// Unwaived errors and warnings, and waived findings.
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) waived_count: usize,
    /// Releases only.
    pub(crate) coverage: Option<Coverage>,
    /// Every unwaived finding, in the engine's order (the human report lists them all).
    pub(crate) open: Vec<&'r Finding>,
    /// With `--new-since`: the base's findings this change resolved.
    pub(crate) resolved: &'r [Listed],
    /// With `--new-since`: open findings the head's own settings would waive or not report.
    pub(crate) relaxed: &'r [Listed],
    /// With `--new-since`: how many open findings are new and existing.
    pub(crate) since: Option<SinceCounts>,
    /// With `--new-since`: "Resolved by this change" and "Relaxed by this change", each when
    /// not empty, cut to the findings limit.
    pub(crate) changes: Vec<ChangeList<'r>>,
    /// The unwaived findings by rule group, in group order; `left_out` counts findings.
    pub(crate) findings: Listing<FindingGroup<'r>>,
    /// Releases only: the readiness matrix.
    pub(crate) matrix: Option<Listing<FeatureRow<'r>>>,
    /// The matrix has a column for the coverage of each feature's `code` (the release has
    /// a `coverage` section).
    pub(crate) code_column: bool,
    /// Releases only: each test with its evidence.
    pub(crate) tests: Listing<TestRow<'r>>,
    /// Programs only.
    pub(crate) program: Option<ProgramView<'r>>,
    /// Waived findings with the waiver that covers each.
    pub(crate) waived: Listing<WaivedRow<'r>>,
    /// Every waiver, with how it stands and what it covers.
    pub(crate) waivers: Vec<WaiverRow<'r>>,
    /// Rules not evaluated, those with the same reason together.
    pub(crate) not_evaluated: Vec<Skipped<'r>>,
    /// What to do next, per subject.
    pub(crate) next_steps: Listing<StepGroup<'r>>,
}

/// The open findings of one rule group.
pub(crate) struct FindingGroup<'r> {
    pub(crate) group: RuleGroup,
    /// With `--new-since`: the group's findings are all new or all existing (the groups of
    /// new findings come first); `None` without it.
    pub(crate) baseline: Option<BaselineState>,
    pub(crate) findings: Vec<&'r Finding>,
}

/// With `--new-since`: a manifest's open findings, new and existing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SinceCounts {
    pub(crate) new: usize,
    pub(crate) existing: usize,
}

/// Findings a change resolved or relaxed, under their title.
pub(crate) struct ChangeList<'r> {
    /// `Resolved by this change` or `Relaxed by this change`.
    pub(crate) title: &'static str,
    /// What each entry is, for a note of those left out: `resolved findings`.
    pub(crate) what: &'static str,
    pub(crate) items: Listing<&'r Listed>,
}

/// A test and what its report says.
pub(crate) struct TestRow<'r> {
    pub(crate) id: &'r str,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    pub(crate) evidence: TestEvidenceView<'r>,
    pub(crate) tone: Tone,
}

/// Whether a report backs a test's status.
pub(crate) enum TestEvidenceView<'r> {
    /// A report was read and agrees: the report and what it says.
    Verified { report: &'r str, says: String },
    /// The status says passed but the evidence does not back it: why.
    Contradicted(String),
    /// No report backs the status: why.
    Unverified(String),
}

/// A program's products and the order they can ship in.
pub(crate) struct ProgramView<'r> {
    pub(crate) products: Listing<ProductRow<'r>>,
    /// Waves of products; `None` when the dependencies form a cycle (RC503).
    pub(crate) ship_order: Option<Vec<Vec<&'r str>>>,
}

/// A waived finding and its waiver.
pub(crate) struct WaivedRow<'r> {
    pub(crate) finding: &'r Finding,
    pub(crate) waiver: &'r Located<Waiver>,
}

/// A waiver, where it stands today, and how many findings it covers.
pub(crate) struct WaiverRow<'r> {
    pub(crate) waiver: &'r Located<Waiver>,
    pub(crate) standing: Standing,
    pub(crate) covers: usize,
}

/// Rules not evaluated for one reason (consecutive in code order).
pub(crate) struct Skipped<'r> {
    pub(crate) rules: Vec<&'static RuleMeta>,
    pub(crate) reason: &'r str,
}

/// A coverage ratio: `n` of `of` `what`.
pub(crate) struct Ratio {
    pub(crate) label: &'static str,
    pub(crate) n: u64,
    pub(crate) of: u64,
    pub(crate) what: &'static str,
}

impl Ratio {
    /// The whole percentage, rounded down (exact integer arithmetic); `None` when `of` is 0.
    pub(crate) fn percent(&self) -> Option<u128> {
        (self.of > 0).then(|| u128::from(self.n) * 100 / u128::from(self.of))
    }

    /// Good when complete (or nothing to cover), a warning from half, bad below.
    pub(crate) fn tone(&self) -> Tone {
        match self.percent() {
            None => Tone::Good,
            Some(_) if self.n >= self.of => Tone::Good,
            Some(p) if p >= 50 => Tone::Warn,
            Some(_) => Tone::Bad,
        }
    }
}

impl<'r> ManifestView<'r> {
    fn new(m: &'r ManifestReport<'_>, since: bool, limits: Limits) -> Self {
        let mut open: Vec<&'r Finding> = m
            .outcome
            .findings
            .iter()
            .filter(|f| !f.is_waived())
            .collect();
        // With `--new-since`, new findings first (the sort is stable: report order within).
        open.sort_by_key(|f| f.baseline == Some(BaselineState::Existing));
        let blocked: HashSet<&str> = m.blocked_subjects();
        let code_column = match &m.context {
            ManifestContext::Release(cx) => cx.evidence.code().is_some(),
            ManifestContext::Program(_) => false,
        };
        let (matrix, tests, program) = match &m.context {
            ManifestContext::Release(cx) => {
                let features = cx.release.features.len();
                let rows = readiness::matrix(cx, |subject| blocked.contains(subject));
                let matrix = Listing::first(rows, features, limits.rows);
                let all = cx.test_checks();
                let total = all.len();
                let tests = Listing::first(all.into_iter().map(test_row), total, limits.rows);
                (Some(matrix), tests, None)
            }
            ManifestContext::Program(cx) => {
                let products = readiness::products(cx, &m.outcome.products);
                let total = products.len();
                let program = ProgramView {
                    products: Listing::first(products.into_iter(), total, limits.rows),
                    ship_order: readiness::ship_order(cx),
                };
                (None, Listing::all(Vec::new()), Some(program))
            }
        };
        let waived: Vec<WaivedRow<'r>> = m
            .outcome
            .findings
            .iter()
            .filter(|f| f.is_waived())
            .filter_map(|finding| {
                let waiver = finding.waiver.and_then(|i| m.waivers().get(i))?;
                Some(WaivedRow { finding, waiver })
            })
            .collect();
        let waived_total = waived.len();
        let steps = readiness::next_steps(m);
        let steps_total = steps.len();
        let changes = if since {
            [
                (
                    "Resolved by this change",
                    "resolved findings",
                    &m.outcome.resolved,
                ),
                (
                    "Relaxed by this change",
                    "relaxed findings",
                    &m.outcome.relaxed,
                ),
            ]
            .into_iter()
            .filter(|(_, _, list)| !list.is_empty())
            .map(|(title, what, list)| ChangeList {
                title,
                what,
                items: Listing::first(list.iter(), list.len(), limits.findings),
            })
            .collect()
        } else {
            Vec::new()
        };
        ManifestView {
            kind: m.kind(),
            name: m.name(),
            shown: &m.shown,
            today: m.today(),
            verdict: m.verdict(),
            on_track: m.outcome.on_track,
            late: m.outcome.late(),
            schedule: schedule_view(m, &open),
            errors: m.outcome.count(Severity::Error),
            warnings: m.outcome.count(Severity::Warning),
            waived_count: m.outcome.waived(),
            coverage: m.coverage(),
            findings: groups(&open, since, limits.findings),
            open,
            resolved: &m.outcome.resolved,
            relaxed: &m.outcome.relaxed,
            since: since.then(|| {
                let (new, existing) = baseline_counts(&m.outcome.findings);
                SinceCounts { new, existing }
            }),
            changes,
            matrix,
            code_column,
            tests,
            program,
            waived: Listing::first(waived.into_iter(), waived_total, limits.findings),
            waivers: waivers(m),
            not_evaluated: skipped(&m.outcome.not_evaluated),
            next_steps: Listing::first(steps.into_iter(), steps_total, limits.rows),
        }
    }

    /// The coverage bars of a release: tested, documented, trained.
    pub(crate) fn ratios(&self) -> Vec<Ratio> {
        let Some(c) = self.coverage else {
            return Vec::new();
        };
        vec![
            Ratio {
                label: "Tested",
                n: c.tested,
                of: c.features,
                what: "features in scope",
            },
            Ratio {
                label: "Documented",
                n: c.documented,
                of: c.user_facing,
                what: "user-facing features",
            },
            Ratio {
                label: "Trained",
                n: c.trained,
                of: c.user_facing,
                what: "user-facing features",
            },
        ]
    }
}

/// The first `max` open findings in group order, grouped; with `--new-since` (`since`), the
/// new findings' groups first, then the existing findings' (a cut leaves out existing ones
/// first).
fn groups<'r>(open: &[&'r Finding], since: bool, max: usize) -> Listing<FindingGroup<'r>> {
    let parts: &[Option<BaselineState>] = if since {
        &[Some(BaselineState::New), Some(BaselineState::Existing)]
    } else {
        &[None]
    };
    let mut left = max;
    let mut shown = 0;
    let mut groups = Vec::new();
    for &baseline in parts {
        // A finding the engine did not match is new.
        let existing = |f: &Finding| f.baseline == Some(BaselineState::Existing);
        let in_part = |f: &Finding| match baseline {
            None => true,
            Some(BaselineState::Existing) => existing(f),
            Some(BaselineState::New) => !existing(f),
        };
        for group in RuleGroup::ALL {
            let findings: Vec<&'r Finding> = open
                .iter()
                .copied()
                .filter(|f| in_part(f) && RuleGroup::of(f.rule) == group)
                .take(left)
                .collect();
            if findings.is_empty() {
                continue;
            }
            left -= findings.len();
            shown += findings.len();
            groups.push(FindingGroup {
                group,
                baseline,
                findings,
            });
        }
    }
    Listing {
        shown: groups,
        left_out: open.len() - shown,
    }
}

fn test_row(t: TestCheck<'_>) -> TestRow<'_> {
    let contradicted = t.status == TestStatus::Passed && !t.passing;
    let why = t.unverified.clone().unwrap_or_default();
    let evidence = if t.verified {
        TestEvidenceView::Verified {
            report: t.report.unwrap_or_default(),
            says: t.says,
        }
    } else if contradicted {
        TestEvidenceView::Contradicted(why)
    } else {
        TestEvidenceView::Unverified(why)
    };
    let tone = if contradicted {
        Tone::Bad
    } else if t.verified && t.passing {
        Tone::Good
    } else {
        Tone::Neutral
    };
    TestRow {
        id: t.id,
        kind: t.kind,
        status: t.status.as_str(),
        evidence,
        tone,
    }
}

fn waivers<'r>(m: &'r ManifestReport<'_>) -> Vec<WaiverRow<'r>> {
    let all = m.waivers();
    let mut covers = vec![0usize; all.len()];
    for i in m.outcome.findings.iter().filter_map(|f| f.waiver) {
        if let Some(n) = covers.get_mut(i) {
            *n += 1;
        }
    }
    let today = m.today();
    all.iter()
        .zip(covers)
        .map(|(waiver, covers)| WaiverRow {
            waiver,
            standing: waiver.standing(today),
            covers,
        })
        .collect()
}

fn skipped<'r>(not_evaluated: &'r [(&'static RuleMeta, String)]) -> Vec<Skipped<'r>> {
    not_evaluated
        .chunk_by(|a, b| a.1 == b.1)
        .map(|group| Skipped {
            rules: group.iter().map(|(meta, _)| *meta).collect(),
            reason: group.first().map_or("", |(_, reason)| reason.as_str()),
        })
        .collect()
}

/// A size limit for a report that must fit somewhere (a pull-request comment). Blocks are
/// written while they fit; the first that does not fills the budget, and from then on only
/// notes of what was left out are written, from a reserve kept for them and never beyond it.
/// The limit counts bytes, which are never fewer than characters (or UTF-16 units).
pub(crate) struct Budget<'w> {
    out: &'w mut dyn Write,
    /// Bytes left for blocks.
    left: usize,
    /// Bytes kept for notes.
    reserve: usize,
    full: bool,
}

impl<'w> Budget<'w> {
    /// At most `limit` bytes in all, of which `reserve` only for notes.
    pub(crate) fn new(out: &'w mut dyn Write, limit: usize, reserve: usize) -> Self {
        Budget {
            out,
            left: limit.saturating_sub(reserve),
            reserve: reserve.min(limit),
            full: false,
        }
    }

    /// Writes `text` if it fits; otherwise writes nothing, and the budget is full.
    pub(crate) fn block(&mut self, text: &str) -> io::Result<bool> {
        if self.full || text.len() > self.left {
            self.full = true;
            return Ok(false);
        }
        self.left -= text.len();
        self.out.write_all(text.as_bytes())?;
        Ok(true)
    }

    /// Writes `text` if it fits; otherwise writes nothing, and what follows may still fit (a
    /// line that can be left out on its own, such as a long ship order).
    pub(crate) fn optional(&mut self, text: &str) -> io::Result<bool> {
        if self.full || text.len() > self.left {
            return Ok(false);
        }
        self.block(text)
    }

    /// Writes a note of what was left out from the reserve, if it fits there.
    pub(crate) fn note(&mut self, text: &str) -> io::Result<()> {
        if text.len() <= self.reserve {
            self.reserve -= text.len();
            self.out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// Whether a block did not fit: the rest is left out.
    pub(crate) fn is_full(&self) -> bool {
        self.full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_never_writes_beyond_its_limit() {
        let mut out = Vec::new();
        let mut b = Budget::new(&mut out, 20, 8);
        assert!(b.block("0123456789").unwrap_or(false));
        assert!(!b.block("0123").unwrap_or(true), "12 bytes for blocks");
        assert!(b.is_full());
        // Full: even a block that would fit is refused, so nothing follows a cut.
        assert!(!b.block("").unwrap_or(true));
        b.note("note!").unwrap_or(());
        b.note("more!").unwrap_or(());
        assert_eq!(out, b"0123456789note!");
        let mut out = Vec::new();
        let mut b = Budget::new(&mut out, 20, 8);
        assert!(!b.optional("0123456789ABC").unwrap_or(true));
        assert!(
            !b.is_full(),
            "an optional block that does not fit fills nothing"
        );
        assert!(b.block("0123456789").unwrap_or(false));
        assert_eq!(out, b"0123456789");
    }

    #[test]
    fn ratios_round_down_and_tone_by_half() {
        let r = |n, of| Ratio {
            label: "",
            n,
            of,
            what: "",
        };
        assert_eq!(r(2, 3).percent(), Some(66));
        assert_eq!(r(2, 3).tone(), Tone::Warn);
        assert_eq!(r(1, 3).tone(), Tone::Bad);
        assert_eq!(r(3, 3).tone(), Tone::Good);
        assert_eq!(r(0, 0).percent(), None);
        assert_eq!(r(0, 0).tone(), Tone::Good);
        assert_eq!(r(u64::MAX - 1, u64::MAX).percent(), Some(99));
    }

    #[test]
    fn listings_count_what_they_leave_out() {
        let l = Listing::first(0..10, 10, 3);
        assert_eq!((l.shown, l.left_out), (vec![0, 1, 2], 7));
        let l = Listing::first(0..2, 2, 3);
        assert_eq!((l.shown.len(), l.left_out), (2, 0));
    }
}
