//! What the coverage fuzz targets (`cobertura`, `lcov`, `jacoco` under `fuzz/`) check of an
//! input, in one place: the fuzz targets and the regression tests
//! (`tests/integration/fuzz_regressions.rs`) both include this file.
//!
//! Oracles, beyond "no panic, no hang, no runaway memory":
//! - the reader's verdict (every file's lines, or the error message) is the same whether the
//!   bytes arrive in one read or one byte per read;
//! - relcheck's own read of a `coverage:` report (`read_coverage_from`, the format recognised
//!   from the content) agrees with the format's reader when the content is of that format;
//! - every identity a read report's files resolve to (with and without a `prefix`) is a
//!   relative path without `.` or `..` naming a regular file inside the evidence root, never
//!   through a symlink that leads out (the root holds one, `link-out`, and a file symlinked
//!   from outside, `src/outside.py`);
//! - matching the features' `code` globs counts no more files than the identities.

use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use relcheck::evidence::code::{Glob, Merged, feature_code};
use relcheck::evidence::coverage::{self, Cobertura};
use relcheck::evidence::files::read_coverage_from;
use relcheck::evidence::paths::Root;
use relcheck::evidence::{jacoco, lcov};

/// Gives at most one byte per `read`.
pub(super) struct Trickle<'a>(pub &'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), out.first_mut()) {
            (Some((b, rest)), Some(o)) => {
                *o = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// The formats, each with its own target (each target uses one).
#[allow(dead_code)]
#[derive(Clone, Copy, Debug)]
pub(super) enum Format {
    Cobertura,
    Lcov,
    Jacoco,
}

impl Format {
    pub(super) fn parse<R: Read>(self, input: R) -> Result<Cobertura, String> {
        match self {
            Format::Cobertura => coverage::parse(input),
            Format::Lcov => lcov::parse(input),
            Format::Jacoco => jacoco::parse(input),
        }
    }
}

/// Lays out the evidence root the oracles resolve identities in: a few source files at the
/// places the readers' paths lead to, a symlink to a folder outside (`link-out`) and one to a
/// file outside (`src/outside.py`). `outside` is a folder beside the root.
pub(super) fn make_root(root: &Path, outside: &Path) {
    let files = [
        "src/main/java/com/shop/Cart.java",
        "src/a.py",
        "shop/cart.py",
        "a.py",
        "services/api/shop/checkout.py",
    ];
    for f in files {
        let p = root.join(f);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&p, "x\n").expect("write");
    }
    std::fs::create_dir_all(outside.join("src")).expect("mkdir");
    std::fs::write(outside.join("secret.py"), "s\n").expect("write");
    std::fs::write(outside.join("src/a.py"), "s\n").expect("write");
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(outside, root.join("link-out"));
        let _ = std::os::unix::fs::symlink(outside.join("secret.py"), root.join("src/outside.py"));
    }
}

/// Panics when an oracle fails for `data` read as `format`; `root` was laid out by
/// [`make_root`]; `name` says which input it was.
pub(super) fn check(format: Format, name: &str, data: &[u8], root: &Path) {
    let whole = format.parse(data);
    let trickled = format.parse(Trickle(data));
    // The block tokenizer against quick-xml's reader it replaced: the same reports read to
    // the same result, the same refused (messages may differ). The one difference allowed:
    // a reference before the root element, which the old reader let pass.
    let reference = match format {
        Format::Cobertura => Some(coverage::parse_reference(data)),
        Format::Jacoco => Some(jacoco::parse_reference(data)),
        Format::Lcov => None,
    };
    if let Some(reference) = reference {
        match (&whole, &reference) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: the tokenizer reads otherwise"),
            (Err(_), Err(_)) => {}
            (Err(e), Ok(_)) if e == "text outside the root element" && leading_reference(data) => {}
            _ => panic!("{name}: the tokenizer says {whole:?}, the reference reader {reference:?}"),
        }
    }
    assert_eq!(
        whole, trickled,
        "{name}: the verdict depends on how the bytes arrive"
    );

    let sniffed = read_coverage_from(BufReader::new(data));
    let is_lcov = lcov::looks_like_lcov(data);
    let agrees = match format {
        Format::Lcov => is_lcov,
        // XML: the root element decides; a report the format's reader takes has it.
        Format::Cobertura | Format::Jacoco => !is_lcov && whole.is_ok(),
    };
    if agrees {
        assert_eq!(
            sniffed.as_ref().ok(),
            whole.as_ref().ok(),
            "{name}: read_coverage_from disagrees"
        );
        if let (Err(a), Err(b)) = (&sniffed, &whole) {
            assert!(a.ends_with(b.as_str()), "{name}: {a} / {b}");
        }
    }

    let Ok(report) = whole else { return };
    let canonical = root.canonicalize().expect("the root exists");
    let r = Root::new(root, root);
    for prefix in [None, Some("services/api"), Some("../..")] {
        let mut merged = Merged::default();
        let identified = merged.add(&r, &report, prefix);
        assert!(identified <= report.files.len(), "{name}");
        for id in merged.files.keys() {
            inside(name, &canonical, id);
        }
        let globs: Vec<Glob> = ["**", "src/**", "shop/*.py", "**/Cart.java", "a.py"]
            .iter()
            .map(|g| Glob::anchor(g, &[]).expect("a glob inside the root"))
            .collect();
        let fc = feature_code(&r, &globs, &merged);
        assert!(fc.files <= merged.files.len(), "{name}");
        assert!(fc.covered <= fc.coverable, "{name}");
        for u in &fc.unlisted {
            inside(name, &canonical, u);
        }
    }
}

/// Panics unless `id` is a clean relative path naming a regular file inside `canonical`.
fn inside(name: &str, canonical: &Path, id: &str) {
    assert!(
        !id.is_empty()
            && !id.starts_with('/')
            && id
                .split('/')
                .all(|p| !p.is_empty() && p != "." && p != ".."),
        "{name}: identity {id:?} is not a clean relative path"
    );
    let real: PathBuf = canonical
        .join(id)
        .canonicalize()
        .unwrap_or_else(|e| panic!("{name}: identity {id:?} does not exist: {e}"));
    assert!(
        real.starts_with(canonical) && real.is_file(),
        "{name}: identity {id:?} leads to {} outside the root",
        real.display()
    );
}

/// Whether `data` starts (after a UTF-8 byte-order mark and whitespace) with `&`.
fn leading_reference(data: &[u8]) -> bool {
    let head = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'&')
}
