//! The loader never panics: truncated and mutated copies of a real manifest either load or
//! fail with a positioned error.

use relcheck::manifest::parse;

const MANIFEST: &str = include_str!("../../examples/storefront/release.yaml");

fn assert_no_panic(text: &str) {
    match parse(text, "release.yaml") {
        Ok(_) => {}
        Err(errors) => {
            assert!(!errors.is_empty(), "no error for {text:?}");
            for e in errors {
                assert_eq!(e.shown, "release.yaml");
                assert!(!e.message.is_empty(), "empty message for {text:?}");
            }
        }
    }
}

#[test]
fn every_truncation_loads_or_errors() {
    let mut cut = 0;
    while cut < MANIFEST.len() {
        if MANIFEST.is_char_boundary(cut) {
            assert_no_panic(&MANIFEST[..cut]);
        }
        cut += 5;
    }
}

#[test]
fn byte_mutations_load_or_error() {
    let replacements = [
        "[", "{", ":", "- ", "\t", "\"", "&a ", "*a", "\n", "'", "!!str ", "<<: ", "#", "?", "%",
    ];
    let bytes = MANIFEST.as_bytes();
    for (n, at) in (0..bytes.len()).step_by(13).enumerate() {
        if !MANIFEST.is_char_boundary(at) {
            continue;
        }
        let r = replacements[n % replacements.len()];
        let mutated = format!("{}{}{}", &MANIFEST[..at], r, &MANIFEST[at..]);
        assert_no_panic(&mutated);
        let end = (at + 1..=bytes.len())
            .find(|&i| MANIFEST.is_char_boundary(i))
            .unwrap_or(bytes.len());
        let replaced = format!("{}{}{}", &MANIFEST[..at], r, &MANIFEST[end..]);
        assert_no_panic(&replaced);
    }
}

#[test]
fn a_mutated_manifest_error_names_a_position() {
    // A stray flow opener deep in the file: the error points into the file.
    let at = MANIFEST.find("features:").unwrap();
    let mutated = format!("{}[{}", &MANIFEST[..at], &MANIFEST[at..]);
    for e in parse(&mutated, "release.yaml").unwrap_err() {
        assert!(e.pos.is_some(), "{e}");
    }
}
