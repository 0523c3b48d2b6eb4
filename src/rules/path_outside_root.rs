use crate::context::{Context, ProgramContext};
use crate::evidence::Reach;
use crate::evidence::paths::Escape;
use crate::program::ProductStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every path-valued field stays inside the root (the manifest's folder, or `--root`):
    /// docs and training `path`, tests `report`, `deployment.plan`,
    /// `deployment.backout.path`, `deployment.communications[].path` and
    /// `deployment.controls[].evidence`, and a program's `products[].manifest` (confined to the
    /// program's folder, or `--root`). Paths are relative to the manifest's folder. An
    /// absolute path, a path that climbs above the root with `..` (even one that comes back
    /// in, like `../repo/docs/x.md`), and a path through a symlink that resolves outside the
    /// root are findings; relcheck never opens them. A `url` is never a path.
    ///
    /// ## Why it matters
    /// The release sprint gathers the evidence that a release is ready: test reports,
    /// documentation, training, the deployment plan. That evidence has to be part of the
    /// release's own tree, where it is reviewed and versioned with it; a path outside it
    /// points at something nobody reviewed (and a CI gate must never be made to read files
    /// it was not given). This is an integrity rule: it cannot be waived or turned down.
    ///
    /// ## Example
    /// ```yaml
    /// docs:
    ///   - id: user-guide
    ///     kind: user
    ///     path: ../../shared/guide.md   # RC004: climbs above the root
    ///     status: final
    /// ```
    pub struct PathOutsideRoot {
        code: "RC004",
        name: "path-outside-root",
        default: Error,
        summary: "a path, report or plan is absolute, escapes the root with '..', or is a symlink resolving outside it",
        scope: Paths,
        milestone: Now,
        integrity: true,
    }
}

impl Rule for PathOutsideRoot {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let artifacts = cx.evidence.artifacts();
        if artifacts.iter().all(|a| matches!(a.reach, Reach::Url)) {
            return Err(not_evaluated("no path is given"));
        }
        for a in artifacts {
            if let Some(e) = a.escape() {
                out.push(
                    Self::META
                        .finding(
                            a.subject.as_str(),
                            a.pos,
                            format!("{} {}; relcheck did not read it", a.label(), e.describe()),
                        )
                        .with_action(action(e, &a.value, &a.what)),
                );
            }
        }
        Ok(())
    }

    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        for (p, status) in cx.products() {
            if let ProductStatus::OutsideRoot { path, how } = status {
                out.push(
                    Self::META
                        .finding(
                            p.id.as_str(),
                            p.manifest.pos,
                            format!(
                                "product '{}': its manifest {path} leaves the program's folder (it {how}); relcheck did not read it",
                                p.id
                            ),
                        )
                        .with_action(if climbs(path) {
                            format!(
                                "move the manifest of '{}' into the program's folder, or, if it is in the same repository, check with `--root` naming a folder that holds both (such as the repository's top folder)",
                                p.id
                            )
                        } else {
                            format!(
                                "move the manifest of '{}' into the program's folder and give its path relative to the program manifest",
                                p.id
                            )
                        }),
                );
            }
        }
        Ok(())
    }
}

/// What to do about an escaping path. A path that climbs with `..` usually points at a file
/// of the same repository above the manifest's folder: `--root` can take it in without
/// moving anything.
fn action(e: &Escape, value: &str, what: &str) -> String {
    match e {
        Escape::DotDot { .. } => format!(
            "move '{value}' into the release's folder ({what}), or, if it is in the same repository, check with `--root` naming a folder that holds both the manifest and the file (such as the repository's top folder)"
        ),
        Escape::BaseOutside => format!(
            "check with a `--root` that holds the manifest's folder, or move '{value}' and the manifest under the root ({what})"
        ),
        Escape::Absolute | Escape::Symlink { .. } => format!(
            "move '{value}' into the release's folder and give its path relative to the manifest ({what})"
        ),
    }
}

/// Whether a path as written climbs with `..` (either separator).
fn climbs(path: &str) -> bool {
    path.split(['/', '\\']).any(|c| c == "..")
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule, check_rule_in};

    #[test]
    fn fires_for_absolute_and_dotdot_paths() {
        let yaml = format!(
            "{HEAD}docs:\n  - id: guide\n    kind: user\n    status: final\n    path: /etc/passwd\n\
             tests:\n  - id: it\n    kind: integration\n    status: passed\n    report: reports/../../x.xml\n\
             deployment:\n  plan: ../plan.md\n"
        );
        assert_eq!(
            check_rule("RC004", &yaml),
            [
                "9:11 guide: doc 'guide': path '/etc/passwd' is absolute; paths are relative to the manifest's folder; relcheck did not read it",
                "14:13 it: test 'it': report 'reports/../../x.xml' climbs 1 folder above the root with '..'; relcheck did not read it",
                "16:9 R: the deployment plan: plan '../plan.md' climbs 1 folder above the root with '..'; relcheck did not read it",
            ]
        );
        // A path climbing with `..` is often in the same repository: `--root` takes it in.
        let actions = crate::testing::actions("RC004", &yaml);
        assert_eq!(
            actions[0],
            "move '/etc/passwd' into the release's folder and give its path relative to the manifest (doc 'guide')"
        );
        for a in &actions[1..] {
            assert!(a.contains("`--root`"), "{a}");
        }
        assert_eq!(
            actions[2],
            "move '../plan.md' into the release's folder (the deployment plan), or, if it is in the same repository, check with `--root` naming a folder that holds both the manifest and the file (such as the repository's top folder)"
        );
    }

    #[test]
    fn a_product_manifest_that_climbs_is_told_about_root() {
        use super::climbs;
        assert!(climbs("../web/release.yaml"));
        assert!(climbs("web\\..\\..\\x.yaml"));
        assert!(!climbs("web/..x/release.yaml"));
        assert!(!climbs("/abs/release.yaml"));
    }

    #[test]
    fn paths_inside_and_urls_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("docs")).unwrap();
        fs::write(dir.path().join("docs/guide.md"), "Guide text.\n").unwrap();
        let yaml = format!(
            "{HEAD}docs:\n  - id: guide\n    kind: user\n    status: final\n    path: docs/./sub/../guide.md\n\
             deployment:\n  plan: https://wiki.example.com/plan\n"
        );
        assert!(check_rule_in(dir.path(), "RC004", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_paths() {
        let yaml = format!(
            "{HEAD}docs:\n  - id: guide\n    kind: user\n    status: final\n    url: https://d\n"
        );
        assert!(check_rule("RC004", &yaml).is_empty());
        assert_eq!(
            crate::testing::not_evaluated("RC004", &yaml),
            ["RC004: no path is given"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn fires_for_a_symlink_leaving_the_root() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("release");
        fs::create_dir(&root).unwrap();
        fs::write(outer.path().join("secret.md"), "secret").unwrap();
        std::os::unix::fs::symlink("../secret.md", root.join("guide.md")).unwrap();
        let yaml = format!(
            "{HEAD}docs:\n  - id: guide\n    kind: user\n    status: final\n    path: guide.md\n"
        );
        assert_eq!(
            check_rule_in(&root, "RC004", &yaml),
            [
                "9:11 guide: doc 'guide': path 'guide.md' goes through symlink 'guide.md' -> '../secret.md', which resolves outside the root; relcheck did not read it"
            ]
        );
    }

    #[test]
    fn program_products_outside_the_programs_folder() {
        use crate::program::ProductStatus;
        use crate::testing::{PROGRAM_HEAD, check_program_rule, checked};
        let yaml = format!(
            "{PROGRAM_HEAD}    - id: web\n      manifest: ../web/release.yaml\n    - id: pay\n      manifest: pay/release.yaml\n"
        );
        let outside = ProductStatus::OutsideRoot {
            path: "../web/release.yaml".to_owned(),
            how: "climbs 1 folder above the root with '..'".to_owned(),
        };
        assert_eq!(
            check_program_rule(
                "RC004",
                &yaml,
                vec![outside, checked(true, "2026-12-10", None)]
            ),
            [
                "8:17 web: product 'web': its manifest ../web/release.yaml leaves the program's folder (it climbs 1 folder above the root with '..'); relcheck did not read it"
            ]
        );
        let ok = || checked(true, "2026-12-10", None);
        assert!(check_program_rule("RC004", &yaml, vec![ok(), ok()]).is_empty());
    }
}
