//! `--baseline-ref`: a manifest as it was at a git commit, read with `git show`.
//!
//! Only the local `git` binary is run (never the network): `git rev-parse` to find the
//! repository and resolve the ref, `git cat-file -e` to see whether the file existed at that
//! commit, and `git show REF:PATH` to read it.

use std::path::Path;
use std::process::Command;

/// A manifest's text at a commit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct AtRef {
    /// How reports name it: `REF:path/from/the/repository/top`.
    pub shown: String,
    /// `None` when the file did not exist at that commit.
    pub text: Option<String>,
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

fn stdout_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_owned()
}

/// Reads `manifest` (a file in a git work tree) as it was at `gitref`.
pub(crate) fn manifest_at(gitref: &str, manifest: &Path) -> Result<AtRef, String> {
    if gitref.starts_with('-') || gitref.is_empty() {
        return Err(format!("--baseline-ref '{gitref}' is not a git ref"));
    }
    let real = manifest
        .canonicalize()
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    let dir = real.parent().unwrap_or(Path::new("/"));
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(format!(
            "--baseline-ref needs a git repository, and {} is not in one",
            manifest.display()
        ));
    }
    let top = Path::new(&stdout_line(&top))
        .canonicalize()
        .map_err(|e| format!("git repository top: {e}"))?;
    let rel = real
        .strip_prefix(&top)
        .map_err(|_| format!("{} is outside its git repository", manifest.display()))?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let commit = format!("{gitref}^{{commit}}");
    let resolved = git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ],
    )?;
    if !resolved.status.success() {
        return Err(format!(
            "--baseline-ref '{gitref}' does not name a commit in {}",
            top.display()
        ));
    }
    let shown = format!("{gitref}:{rel}");
    let object = format!("{}:{rel}", stdout_line(&resolved));
    if !git(&top, &["cat-file", "-e", &object])?.status.success() {
        return Ok(AtRef { shown, text: None });
    }
    let show = git(&top, &["show", &object])?;
    if !show.status.success() {
        return Err(format!(
            "git show {shown} failed: {}",
            String::from_utf8_lossy(&show.stderr).trim()
        ));
    }
    let text = String::from_utf8(show.stdout)
        .map_err(|_| format!("{shown}: the manifest is not valid UTF-8"))?;
    Ok(AtRef {
        shown,
        text: Some(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn reads_the_file_at_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        sh(repo, &["init", "-q", "-b", "main"]);
        std::fs::create_dir(repo.join("rel")).unwrap();
        std::fs::write(repo.join("rel/release.yaml"), "first\n").unwrap();
        sh(repo, &["add", "."]);
        sh(repo, &["commit", "-q", "-m", "one"]);
        std::fs::write(repo.join("rel/release.yaml"), "second\n").unwrap();
        let at = manifest_at("HEAD", &repo.join("rel/release.yaml")).unwrap();
        assert_eq!(
            at,
            AtRef {
                shown: "HEAD:rel/release.yaml".to_owned(),
                text: Some("first\n".to_owned())
            }
        );

        std::fs::write(repo.join("new.yaml"), "x\n").unwrap();
        assert_eq!(
            manifest_at("HEAD", &repo.join("new.yaml")).unwrap().text,
            None
        );
        let e = manifest_at("no-such-ref", &repo.join("new.yaml")).unwrap_err();
        assert!(e.contains("'no-such-ref' does not name a commit"), "{e}");
        assert!(manifest_at("--output=x", &repo.join("new.yaml")).is_err());
    }

    #[test]
    fn outside_a_repository_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("release.yaml"), "x\n").unwrap();
        let e = manifest_at("HEAD", &dir.path().join("release.yaml")).unwrap_err();
        assert!(e.contains("needs a git repository"), "{e}");
    }
}
