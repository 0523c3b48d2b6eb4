//! The JUnit XML report (`--format junit`), so CI systems (GitLab, Jenkins, ...) list what
//! relcheck checked as passes and failures.
//!
//! - One `<testsuite>` per manifest, named by its path.
//! - One `<testcase>` per rule that ran and subject it evaluated: `classname` is the rule
//!   (`RC101 untested-feature`), `name` the subject (a feature id, a sprint id, the release's
//!   name, ...). The subjects come from the rule's [`Scope`]: the release (its name),
//!   features in scope, every test/doc/training id (or only the tests, the docs and
//!   training, or the training, for rules about those), sprint ids, for `Ids` every id of
//!   every section (features, tests, docs, training, sprints; a program's products), waiver
//!   subjects, a program's products. A finding whose subject is not among them is a case of
//!   its own. Rules that did not run (off, not selected, not for this kind of manifest) have
//!   no case.
//! - A case fails (`<failure>`) when it has a finding that counts for the gate
//!   (`Finding::counts`, decided by the engine): an unwaived error, or with `--strict` an unwaived warning;
//!   under `--gate on-track`, only such a finding that is late. `type` is the severity. Its
//!   text lists every such finding of the case with its position and action.
//! - Findings that do not count (warnings that do not block, findings not due yet under
//!   `--gate on-track`, waived findings) leave the case passing; they are listed in its
//!   `<system-out>` (a waived one with the waiver's owner, expiry and reason).
//! - A rule that ran but could not be evaluated is one `<skipped>` case named after the
//!   manifest (the release's or program's name), with the reason.
//! - A manifest or folder that could not be loaded is a suite named by its path (as a
//!   manifest's would be) holding one failing case per load error: `classname`
//!   `relcheck load`, `name` the path, `type` `load error`.
//!
//! No timestamps or durations: the report is deterministic. Every string is escaped;
//! characters XML 1.0 cannot hold become U+FFFD; line breaks and invisible characters in
//! manifest strings are character references, so no manifest string starts a line of the
//! file (a CI log that shows it could take a line starting with `::` for a command).

use std::collections::HashMap;
use std::io::{self, Write};

use super::escape::{file_name, xml_attr, xml_text};
use super::{ManifestContext, ManifestReport, Report};
use crate::manifest::LoadError;
use crate::rule::{Finding, RuleMeta, Scope};

/// One test case, ready to write.
struct Case<'a> {
    rule: &'static RuleMeta,
    subject: &'a str,
    findings: Vec<&'a Finding>,
    skipped: Option<&'a str>,
}

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let suites: Vec<(&ManifestReport<'_>, Vec<Case<'_>>)> =
        report.manifests.iter().map(|m| (m, cases(m))).collect();
    let failed = load_suites(&report.errors);
    let mut totals = CaseTotals::default();
    let counted: Vec<CaseTotals> = suites
        .iter()
        .map(|(_, cases)| {
            let c = CaseTotals::of(cases);
            totals.add(c);
            c
        })
        .collect();
    for (_, errors) in &failed {
        totals.add(CaseTotals {
            tests: errors.len(),
            failures: errors.len(),
            skipped: 0,
        });
    }

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="relcheck" tests="{}" failures="{}" errors="0" skipped="{}">"#,
        totals.tests, totals.failures, totals.skipped
    )?;
    for (file, errors) in &failed {
        write_load_suite(out, file, errors)?;
    }
    for ((m, cases), c) in suites.iter().zip(counted) {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
            xml_attr(&m.shown),
            c.tests,
            c.failures,
            c.skipped
        )?;
        for case in cases {
            write_case(out, m, case)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// The load errors by file, in the order the files first appear.
fn load_suites(errors: &[LoadError]) -> Vec<(&str, Vec<&LoadError>)> {
    let mut suites: Vec<(&str, Vec<&LoadError>)> = Vec::new();
    for e in errors {
        match suites.iter_mut().find(|(file, _)| *file == e.shown) {
            Some((_, list)) => list.push(e),
            None => suites.push((&e.shown, vec![e])),
        }
    }
    suites
}

/// A suite of failing cases, one per load error of `file`.
fn write_load_suite(out: &mut dyn Write, file: &str, errors: &[&LoadError]) -> io::Result<()> {
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{n}" failures="{n}" errors="0" skipped="0">"#,
        xml_attr(file),
        n = errors.len()
    )?;
    for e in errors {
        let (line, place) = match e.pos {
            Some(pos) => (format!(r#" line="{}""#, pos.line), format!(":{pos}")),
            None => (String::new(), String::new()),
        };
        writeln!(
            out,
            r#"    <testcase name="{}" classname="relcheck load" file="{}"{line}>"#,
            xml_attr(file),
            xml_attr(file)
        )?;
        writeln!(
            out,
            r#"      <failure message="{}" type="load error">{}{place}: {}</failure>"#,
            xml_attr(&e.message),
            xml_text(&file_name(file)),
            xml_text(&e.message)
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")
}

/// A run that stopped on a usage error before checking anything: as a load error is, a
/// suite of one failing case (`classname` `relcheck usage`, failure type `usage error`),
/// named `relcheck` since no file is at fault.
pub(crate) fn usage_error(message: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="relcheck" tests="1" failures="1" errors="0" skipped="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="relcheck" tests="1" failures="1" errors="0" skipped="0">"#
    )?;
    writeln!(
        out,
        r#"    <testcase name="command line" classname="relcheck usage">"#
    )?;
    writeln!(
        out,
        r#"      <failure message="{}" type="usage error">usage error: {}</failure>"#,
        xml_attr(message),
        xml_text(message)
    )?;
    writeln!(out, "    </testcase>")?;
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[derive(Clone, Copy, Default)]
struct CaseTotals {
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl CaseTotals {
    fn of(cases: &[Case<'_>]) -> Self {
        let mut c = CaseTotals {
            tests: cases.len(),
            ..CaseTotals::default()
        };
        for case in cases {
            if case.findings.iter().any(|f| f.counts) {
                c.failures += 1;
            } else if case.skipped.is_some() {
                c.skipped += 1;
            }
        }
        c
    }

    fn add(&mut self, other: CaseTotals) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.skipped += other.skipped;
    }
}

/// What a rule of `scope` evaluates in this manifest, in manifest order, without duplicates.
fn subjects<'a>(m: &'a ManifestReport<'_>, scope: Scope) -> Vec<&'a str> {
    match &m.context {
        ManifestContext::Release(cx) => scope.release_subjects(cx),
        ManifestContext::Program(cx) => scope.program_subjects(cx),
    }
}

/// The cases of one manifest: per rule that ran (code order), its subjects, then the
/// subjects of its findings that the enumeration lacks.
fn cases<'a>(m: &'a ManifestReport<'_>) -> Vec<Case<'a>> {
    let mut by_rule: HashMap<&str, Vec<&'a Finding>> = HashMap::new();
    for f in &m.outcome.findings {
        by_rule.entry(f.rule.code).or_default().push(f);
    }
    let skipped: HashMap<&str, &'a str> = m
        .outcome
        .not_evaluated
        .iter()
        .map(|(meta, reason)| (meta.code, reason.as_str()))
        .collect();
    let mut cases = Vec::new();
    for &rule in &m.outcome.ran {
        let findings = by_rule.remove(rule.code).unwrap_or_default();
        let mut by_subject: HashMap<&str, Vec<&'a Finding>> = HashMap::new();
        let mut extra: Vec<&'a str> = Vec::new();
        for f in findings {
            by_subject
                .entry(f.subject.as_str())
                .or_insert_with(|| {
                    extra.push(f.subject.as_str());
                    Vec::new()
                })
                .push(f);
        }
        if let Some(reason) = skipped.get(rule.code) {
            cases.push(Case {
                rule,
                subject: m.name(),
                findings: Vec::new(),
                skipped: Some(reason),
            });
        } else {
            for subject in subjects(m, rule.scope) {
                cases.push(Case {
                    rule,
                    subject,
                    findings: by_subject.remove(subject).unwrap_or_default(),
                    skipped: None,
                });
            }
        }
        for subject in extra {
            if let Some(findings) = by_subject.remove(subject) {
                cases.push(Case {
                    rule,
                    subject,
                    findings,
                    skipped: None,
                });
            }
        }
    }
    cases
}

/// `release.yaml:8:5: RC101 [error] feature 'x' links no tests`, then its action, as XML
/// text. Each string is escaped on its own, so its line breaks are character references: the
/// only raw line breaks are the ones written here, and every line starts with the manifest's
/// path (as [`file_name`] shows it) or with words of relcheck's.
fn describe(m: &ManifestReport<'_>, f: &Finding) -> String {
    let mut s = format!(
        "{}:{}: {} [{}] {}",
        xml_text(&file_name(&m.shown)),
        f.pos,
        f.rule.code,
        f.severity,
        xml_text(&f.message)
    );
    if let Some(action) = &f.action {
        s.push_str("\n  what to do: ");
        s.push_str(&xml_text(action));
    }
    s
}

fn write_case(out: &mut dyn Write, m: &ManifestReport<'_>, case: &Case<'_>) -> io::Result<()> {
    let line = case
        .findings
        .first()
        .map(|f| format!(r#" line="{}""#, f.pos.line))
        .unwrap_or_default();
    let open = format!(
        r#"    <testcase name="{}" classname="{} {}" file="{}"{line}"#,
        xml_attr(case.subject),
        case.rule.code,
        case.rule.name,
        xml_attr(&m.shown)
    );
    let (blocking, notes): (Vec<&Finding>, Vec<&Finding>) =
        case.findings.iter().partition(|f| f.counts);
    if blocking.is_empty() && notes.is_empty() && case.skipped.is_none() {
        return writeln!(out, "{open}/>");
    }
    writeln!(out, "{open}>")?;
    if let Some(reason) = case.skipped {
        writeln!(
            out,
            r#"      <skipped message="{}"/>"#,
            xml_attr(&format!("not evaluated: {reason}"))
        )?;
    }
    if let Some(first) = blocking.first() {
        let text: Vec<String> = blocking.iter().map(|f| describe(m, f)).collect();
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            xml_attr(&first.message),
            first.severity,
            text.join("\n")
        )?;
    }
    if !notes.is_empty() {
        let text: Vec<String> = notes.iter().map(|f| note(m, f)).collect();
        writeln!(out, "      <system-out>{}</system-out>", text.join("\n"))?;
    }
    writeln!(out, "    </testcase>")
}

/// A finding that does not fail its case, as XML text: a warning, a finding that blocks
/// readiness but is not due yet (`--gate on-track`), or a waived finding with its waiver.
fn note(m: &ManifestReport<'_>, f: &Finding) -> String {
    let Some(w) = f.waiver.and_then(|i| m.waivers().get(i)) else {
        let why = match f.due {
            Some(due) if f.blocking => format!(
                "blocks readiness, not late: due {} ({})",
                due.date, due.milestone
            ),
            _ if f.blocking => "blocks readiness, not late".to_owned(),
            _ => "does not block readiness".to_owned(),
        };
        return format!("{} ({why}):\n{}", f.severity, describe(m, f));
    };
    let expires = w
        .expires
        .as_ref()
        .map(|e| format!(" (expires {})", e.value))
        .unwrap_or_default();
    format!(
        "waived by {}{expires}: {}\n{}",
        xml_text(&w.owner.value),
        xml_text(&w.reason.value),
        describe(m, f)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::engine::{Gate, check_release};
    use crate::manifest::{Date, Manifest, Pos, parse};
    use crate::policy::{Plan, Selection};
    use crate::testing::{HEAD, TODAY};

    /// The JUnit report of `yaml` checked by the RC0xx rules and RC101, after `edit` changes
    /// the outcome. The evidence rules (RC004-RC007) are left out: these manifests give no
    /// path or report, so they would only add not-evaluated cases.
    fn junit(yaml: &str, edit: impl FnOnce(&mut crate::engine::Outcome)) -> String {
        let Ok(Manifest::Release(release)) = parse(yaml, "release.yaml") else {
            panic!("not a valid release manifest")
        };
        let today = Date::parse(TODAY).expect("valid date");
        let cx = Context::new(&release, "release.yaml", ".".into(), today);
        let plan = Plan::new(
            "release.yaml",
            None,
            &release.waivers,
            &Selection::new(
                &["RC0,RC101".to_owned()],
                &["RC004,RC005,RC006,RC007,RC012,RC013".to_owned()],
            )
            .expect("known rules"),
        )
        .expect("valid plan");
        let mut outcome = check_release(&cx, &plan, Gate::default());
        edit(&mut outcome);
        let report = Report {
            errors: Vec::new(),
            verdict: outcome.verdict,
            on_track: outcome.on_track,
            pass: outcome.verdict.is_ready(),
            new_since: None,
            manifests: vec![ManifestReport {
                shown: "release.yaml".into(),
                root: ".".into(),
                context: ManifestContext::Release(Box::new(cx)),
                outcome,
            }],
            gate: Gate::default(),
        };
        let mut out = Vec::new();
        render(&report, &mut out).expect("rendered");
        String::from_utf8(out).expect("UTF-8")
    }

    const YAML: &str = "features:\n  - id: a\n    status: done\n    tests: [t]\ntests:\n  - id: t\n    kind: uat\n    status: passed\n";

    #[test]
    fn a_rule_not_evaluated_is_one_skipped_case() {
        let xml = junit(&format!("{HEAD}{YAML}"), |o| {
            let meta = o.ran.iter().copied().find(|m| m.code == "RC101");
            o.not_evaluated
                .push((meta.expect("RC101 ran"), "no sprints given".into()));
        });
        assert!(xml.contains(
            "<testcase name=\"R\" classname=\"RC101 untested-feature\" file=\"release.yaml\">\n      <skipped message=\"not evaluated: no sprints given\"/>\n    </testcase>"
        ), "{xml}");
        assert!(!xml.contains("name=\"a\" classname=\"RC101"), "{xml}");
        assert!(xml.contains("skipped=\"1\""), "{xml}");
    }

    #[test]
    fn a_finding_about_an_unlisted_subject_is_a_case_of_its_own() {
        let xml = junit(&format!("{HEAD}{YAML}"), |o| {
            let meta = o.ran.iter().copied().find(|m| m.code == "RC101");
            let mut f = meta.expect("RC101 ran").finding(
                "ghost",
                Pos::new(3, 5),
                "feature 'ghost' links no tests",
            );
            // An unwaived error: the engine's gate marks it blocking, and counting.
            f.blocking = true;
            f.counts = true;
            o.findings.push(f);
        });
        assert!(
            xml.contains(
                "<testcase name=\"a\" classname=\"RC101 untested-feature\" file=\"release.yaml\"/>"
            ),
            "{xml}"
        );
        assert!(xml.contains(
            "<testcase name=\"ghost\" classname=\"RC101 untested-feature\" file=\"release.yaml\" line=\"3\">\n      <failure message=\"feature &apos;ghost&apos; links no tests\" type=\"error\">"
        ), "{xml}");
        assert!(xml.contains("failures=\"1\""), "{xml}");
    }
}
