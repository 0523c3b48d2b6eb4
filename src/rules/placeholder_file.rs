use crate::context::Context;
use crate::evidence::{Reach, Role};
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every referenced document file (docs, training, deployment plan, backout plan,
    /// communications, control evidence) has real content. Only the first 1 MiB of a file
    /// is read. Blank lines and Markdown headings are left out; the file is a placeholder
    /// when no line is left, or when at least half of the remaining lines contain TODO, TBD,
    /// FIXME, "lorem ipsum" or "coming soon" (case-insensitive, whole words). An empty file
    /// is a placeholder. A file with a NUL byte is binary (a PDF, a video): it only needs
    /// to be non-empty. Folders, URLs and test reports (see RC007) are not looked at.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation and training count as
    /// much as testing. A user guide that says "coming soon" is not documentation, and a
    /// manifest that calls it `final` hides the gap until users hit it.
    ///
    /// ## Example
    /// ```yaml
    /// docs:
    ///   - id: promoted-guide
    ///     kind: user
    ///     path: docs/promoted-listings.md   # RC006: "TODO: describe the bidding model."
    ///     status: draft
    /// ```
    pub struct PlaceholderFile {
        code: "RC006",
        name: "placeholder-file",
        default: Error,
        summary: "a referenced file is empty, whitespace only, or mostly a placeholder (TODO, TBD, FIXME, lorem ipsum, \"coming soon\")",
        scope: Paths,
        milestone: Now,
    }
}

impl Rule for PlaceholderFile {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let mut files = cx
            .evidence
            .artifacts()
            .iter()
            .filter(|a| a.role == Role::Document && matches!(a.reach, Reach::File(_)))
            .peekable();
        if files.peek().is_none() {
            return Err(not_evaluated("no document file is referenced"));
        }
        for a in files {
            if let Some(why) = a.placeholder() {
                out.push(
                    Self::META
                        .finding(a.subject.as_str(), a.pos, format!("{} {why}", a.label()))
                        .with_action(format!("write the content of '{}' ({})", a.value, a.what)),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule_in};

    #[test]
    fn fires_for_empty_blank_and_placeholder_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("empty.md"), "").unwrap();
        fs::write(d.join("blank.md"), "\n  \n\t\n").unwrap();
        fs::write(d.join("headings.md"), "# Title\n\n## Part\n").unwrap();
        fs::write(
            d.join("todo.md"),
            "# Promoted\n\nTODO: describe the bidding model.\n\nTBD\n",
        )
        .unwrap();
        fs::write(
            d.join("real.md"),
            "# Payouts\n\nPayouts run every Monday.\nTODO: add FAQ\nThey arrive in two days.\n",
        )
        .unwrap();
        fs::write(d.join("video.mp4"), b"\0\0\0\x18ftypmp42").unwrap();
        let doc = |id: &str, path: &str| {
            format!("  - id: {id}\n    kind: user\n    status: final\n    path: {path}\n")
        };
        let yaml = format!(
            "{HEAD}docs:\n{}{}{}{}{}{}deployment:\n  controls:\n    - name: Signed\n      status: met\n      evidence: empty.md\n",
            doc("empty", "empty.md"),
            doc("blank", "blank.md"),
            doc("headings", "headings.md"),
            doc("todo", "todo.md"),
            doc("real", "real.md"),
            doc("video", "video.mp4"),
        );
        assert_eq!(
            check_rule_in(d, "RC006", &yaml),
            [
                "9:11 empty: doc 'empty': path 'empty.md' is empty (0 bytes)",
                "13:11 blank: doc 'blank': path 'blank.md' holds only blank lines and headings (6 bytes)",
                "17:11 headings: doc 'headings': path 'headings.md' holds only blank lines and headings (17 bytes)",
                "21:11 todo: doc 'todo': path 'todo.md' is mostly a placeholder: 2 of 2 lines hold TODO, TBD",
                "34:17 R: the evidence of control 'Signed': evidence 'empty.md' is empty (0 bytes)",
            ]
        );
    }

    #[test]
    fn reports_are_not_placeholders_and_urls_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("empty.xml"), "").unwrap();
        let yaml = format!(
            "{HEAD}tests:\n  - id: t\n    kind: unit\n    status: failed\n    report: empty.xml\n\
             docs:\n  - id: d\n    kind: user\n    status: final\n    url: https://d\n"
        );
        assert!(check_rule_in(dir.path(), "RC006", &yaml).is_empty());
    }
}
