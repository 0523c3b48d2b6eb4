//! Stable identities for findings across runs, shared by the formats whose consumers track
//! findings over time: SARIF's `partialFingerprints` and GitLab Code Quality's `fingerprint`.
//!
//! A finding's key is the manifest's path (its `.` components dropped, `/`-separated), the
//! rule's code and the subject, without the subject for a finding about the release or
//! program as a whole (so renaming it keeps its identity), and its place among the
//! manifest's findings with that key (from 0, waived ones included). The fingerprint is the
//! FNV-1a 64 hash of the key, in hex: it does not change when lines move.
//!
//! `tests/integration/more_formats.rs` checks that every GitLab fingerprint is the SARIF
//! fingerprint of the same finding, so the two cannot drift apart.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use super::ManifestReport;
use crate::rule::{Finding, Scope};

/// Every finding of `m`, in the engine's order, with its fingerprint.
pub(crate) fn findings<'a>(m: &'a ManifestReport<'_>) -> Vec<(&'a Finding, String)> {
    let mut places: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    m.outcome
        .findings
        .iter()
        .map(|f| {
            let subject = key_subject(m, f);
            let place = places.entry((f.rule.code, subject)).or_default();
            let print = fingerprint(&m.shown, f.rule.code, subject, *place);
            *place += 1;
            (f, print)
        })
        .collect()
}

/// The fingerprint of something about `path` that is not a rule's finding (a load error),
/// under the pseudo-rule `kind`, which is never a rule's code: the `place`-th for `path`.
pub(crate) fn other(path: &str, kind: &str, place: usize) -> String {
    fingerprint(path, kind, "", place)
}

/// The subject part of a finding's key: none for a finding about the release or program as
/// a whole (its subject is the manifest's name).
fn key_subject<'a>(m: &ManifestReport<'_>, f: &'a Finding) -> &'a str {
    if f.rule.scope == Scope::Release || f.subject == m.name() {
        ""
    } else {
        &f.subject
    }
}

/// The fingerprint of the finding with key (`path`, `rule`, `subject`) that is the
/// `place`-th (from 0) of its manifest's findings with that key.
fn fingerprint(path: &str, rule: &str, subject: &str, place: usize) -> String {
    let path = segments(Path::new(path)).join("/");
    let key = format!("{path}\0{rule}\0{subject}\0{place}");
    format!("{:016x}", fnv1a64(key.as_bytes()))
}

/// The path's components without `.`, as strings.
fn segments(path: &Path) -> Vec<String> {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// FNV-1a, 64 bits: small, stable across platforms and releases, and enough to tell
/// findings apart (it is an identity, not a defence).
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv1a_64_of_the_key_and_its_place() {
        // FNV-1a's published test value: the empty input hashes to the offset basis.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        let a = fingerprint("./docs/release.yaml", "RC101", "saved-carts", 0);
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            fingerprint("docs/release.yaml", "RC101", "saved-carts", 0)
        );
        assert_ne!(
            a,
            fingerprint("docs/release.yaml", "RC101", "saved-carts", 1)
        );
        assert_ne!(
            a,
            fingerprint("docs/release.yaml", "RC201", "saved-carts", 0)
        );
        assert_ne!(a, fingerprint("release.yaml", "RC101", "saved-carts", 0));
        assert_ne!(a, other("docs/release.yaml", "load-error", 0));
    }
}
