use crate::context::Context;
use crate::evidence::Reach;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every referenced file or folder exists inside the root: docs and training `path`,
    /// tests `report`, `deployment.plan`, `deployment.backout.path`,
    /// `deployment.communications[].path` and `deployment.controls[].evidence`. A folder
    /// must hold at least one non-empty regular file, at most 32 levels down; hidden files
    /// and folders (names starting with `.`) are skipped, and symlinks are followed only
    /// while they stay inside the root. A named pipe, socket or device is not a file (it is
    /// never opened), nor is a symlink loop. A `url` counts as present and is never fetched.
    ///
    /// For a path that does not exist, the finding names the nearest existing entry of the
    /// same folder: one whose name differs only in case (`docs/user/PDF.md` ->
    /// `docs/user/pdf.md`), else the closest name within a plausible typo. Only the missing
    /// path's own folder is listed (inside the root, and only when it holds at most 1,000
    /// entries), for at most 64 missing paths per manifest.
    ///
    /// A test whose report is missing is not passing (so RC102 and RC104 follow); RC007 is
    /// then not raised for it.
    ///
    /// ## Why it matters
    /// The practice counts documentation, training and deployment preparation as much as
    /// testing (pitfall 2), and a manifest entry is only a claim: "the user guide is final"
    /// means nothing when the guide is not there. A missing test report means the test's
    /// status cannot be checked either.
    ///
    /// ## Example
    /// ```yaml
    /// docs:
    ///   - id: user-guide
    ///     kind: user
    ///     path: docs/user/checkout.md   # RC005 when the file is not there
    ///     status: final
    /// ```
    pub struct MissingFile {
        code: "RC005",
        name: "missing-file",
        default: Error,
        summary: "a referenced file or folder does not exist (a folder must hold at least one non-empty file)",
        scope: Paths,
        milestone: Now,
    }
}

impl Rule for MissingFile {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let artifacts = cx.evidence.artifacts();
        if artifacts.iter().all(|a| matches!(a.reach, Reach::Url)) {
            return Err(not_evaluated("no path is given"));
        }
        for a in artifacts {
            if let Some(why) = a.missing() {
                let (hint, action) = match &a.nearest {
                    Some(near) => (
                        format!(" (did you mean '{near}'?)"),
                        format!(
                            "fix the path of {} (did you mean '{near}'?), or add '{}' to the release's folder",
                            a.what, a.value
                        ),
                    ),
                    None => (
                        String::new(),
                        format!(
                            "add '{}' to the release's folder, or fix the path of {}",
                            a.value, a.what
                        ),
                    ),
                };
                out.push(
                    Self::META
                        .finding(
                            a.subject.as_str(),
                            a.pos,
                            format!("{} {why}{hint}", a.label()),
                        )
                        .with_action(action),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule_in, check_rules_in};

    fn release() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("docs/support/.drafts")).unwrap();
        fs::create_dir_all(d.join("docs/empty")).unwrap();
        fs::write(d.join("docs/guide.md"), "Guide.\n").unwrap();
        fs::write(d.join("docs/support/runbook.md"), "Restart the service.\n").unwrap();
        fs::write(d.join("docs/empty/zero.md"), "").unwrap();
        fs::write(d.join("docs/empty/.notes.md"), "hidden").unwrap();
        fs::write(d.join("docs/support/.drafts/x.md"), "hidden").unwrap();
        dir
    }

    #[test]
    fn fires_for_missing_files_and_empty_folders() {
        let dir = release();
        let yaml = format!(
            "{HEAD}tests:\n  - id: it\n    kind: integration\n    status: passed\n    report: reports/it.xml\n\
             docs:\n  - id: guide\n    kind: user\n    status: final\n    path: docs/guide.md\n\
             \x20 - id: support\n    kind: support\n    status: final\n    path: docs/support\n\
             \x20 - id: empty\n    kind: support\n    status: final\n    path: docs/empty/\n\
             \x20 - id: nested\n    kind: support\n    status: final\n    path: docs/guide.md/more.md\n\
             deployment:\n  plan: https://wiki.example.com/plan\n  backout:\n    path: docs/backout.md\n"
        );
        assert_eq!(
            check_rule_in(dir.path(), "RC005", &yaml),
            [
                "9:13 it: test 'it': report 'reports/it.xml' does not exist",
                "22:11 empty: doc 'empty': path 'docs/empty/' is a folder that holds no non-empty regular file within 32 levels (1 empty file; 1 hidden entry skipped)",
                "26:11 nested: doc 'nested': path 'docs/guide.md/more.md' does not exist: 'docs/guide.md' is a file, not a folder",
                "30:11 R: the backout plan: path 'docs/backout.md' does not exist",
            ]
        );
    }

    #[test]
    fn suggests_the_nearest_existing_file_of_the_same_folder() {
        let dir = release();
        if dir.path().join("docs/GUIDE.md").exists() {
            return; // a case-insensitive file system: the path is not missing there
        }
        let yaml = format!(
            "{HEAD}docs:\n  - id: guide\n    kind: user\n    status: final\n    path: docs/GUIDE.md\n\
             \x20 - id: runbook\n    kind: support\n    status: final\n    path: docs/support/runbok.md\n"
        );
        assert_eq!(
            check_rule_in(dir.path(), "RC005", &yaml),
            [
                "9:11 guide: doc 'guide': path 'docs/GUIDE.md' does not exist (did you mean 'docs/guide.md'?)",
                "13:11 runbook: doc 'runbook': path 'docs/support/runbok.md' does not exist (did you mean 'docs/support/runbook.md'?)",
            ]
        );
        let outcome = crate::testing::outcome_in(dir.path(), "RC005", &yaml);
        assert_eq!(
            outcome.findings[0].action.as_deref(),
            Some(
                "fix the path of doc 'guide' (did you mean 'docs/guide.md'?), or add 'docs/GUIDE.md' to the release's folder"
            )
        );
    }

    #[test]
    fn a_missing_report_makes_the_test_fail_without_rc007() {
        let dir = release();
        let yaml = format!(
            "{HEAD}tests:\n  - id: it\n    kind: integration\n    status: passed\n    report: reports/it.xml\n"
        );
        assert!(check_rules_in(dir.path(), "RC007", "RC007", &yaml).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_loops_are_not_files() {
        let dir = release();
        let d = dir.path();
        assert!(
            std::process::Command::new("mkfifo")
                .arg(d.join("docs/pipe.md"))
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink("loop.md", d.join("docs/loop.md")).unwrap();
        let yaml = format!(
            "{HEAD}docs:\n  - id: pipe\n    kind: user\n    status: final\n    path: docs/pipe.md\n\
             \x20 - id: loop\n    kind: user\n    status: final\n    path: docs/loop.md\n"
        );
        assert_eq!(
            check_rule_in(d, "RC005", &yaml),
            [
                "9:11 pipe: doc 'pipe': path 'docs/pipe.md' is a named pipe (FIFO), not a regular file or folder; relcheck never opens it",
                "13:11 loop: doc 'loop': path 'docs/loop.md' is a symlink loop (more than 40 links followed)",
            ]
        );
    }
}
