//! Escaping what load errors and discovery messages show of a pull request's files (file
//! names, manifest text) on standard error, which CI logs and terminals read.
//!
//! Which characters a terminal or a reader acts on is decided here, in the lowest layer, once:
//! the reports (`report::escape`) escape the same characters. They become escapes
//! (`\u{1b}`, `\n`), so a file name cannot recolour or clear a terminal, start a line of its
//! own, or reorder what a reader sees. A file name at the start of
//! a line that would read as a GitHub Actions workflow command (`::error::`, `::add-mask::`)
//! is shown as `./::error::...`, the same file.

use std::borrow::Cow;

/// Characters that change what a reader sees without being seen: the bidirectional
/// embeddings, overrides and isolates that reorder text (the "Trojan Source" trick) and the
/// bidirectional marks; zero-width spaces, joiners of words and invisible operators, the
/// byte-order mark, deprecated format characters, interlinear annotations and tag characters;
/// and the line and paragraph separators, which some viewers break lines at. Every report
/// shows them as escapes. The zero-width joiner and non-joiner stay: scripts and emoji need
/// them, and they reorder nothing.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// The byte offset of the first [`invisible`] character of `s`, if any.
///
/// Every invisible character is encoded in UTF-8 starting with one of the bytes `0xd8`
/// (U+061C), `0xe1` (U+180E), `0xe2` (U+200B to U+206F), `0xef` (U+FEFF, U+FFF9 to U+FFFB)
/// or `0xf3` (the tag characters); none of these is a continuation byte, so only the
/// characters starting there are decoded. Runs of ASCII are skipped eight bytes at a time:
/// reports pass whole files of text through here.
#[inline]
pub fn first_invisible(s: &str) -> Option<usize> {
    // Most strings are ASCII: the standard library's check is the cheapest way to say so.
    if s.is_ascii() {
        None
    } else {
        first_invisible_in_text(s)
    }
}

/// [`first_invisible`] of a string that is not all ASCII.
fn first_invisible_in_text(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        if matches!(bytes[i], 0xd8 | 0xe1 | 0xe2 | 0xef | 0xf3)
            && s.get(i..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(invisible)
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Characters a terminal acts on or that change what a reader sees: C0 controls, DEL, C1
/// controls, and the [`invisible`] ones.
pub fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}') || invisible(c)
}

/// The byte offset of the first character of `s` for which `escaped` holds, given that it
/// holds for no printable ASCII character (`' '` to `'~'`): the run of those at the start is
/// skipped without decoding, and the first other byte starts a character.
pub fn first_escaped(s: &str, escaped: impl Fn(char) -> bool) -> Option<usize> {
    let start = s
        .bytes()
        .position(|b| !(b' '..=b'~').contains(&b))
        .unwrap_or(s.len());
    s.get(start..)?
        .char_indices()
        .find(|&(_, c)| escaped(c))
        .map(|(i, _)| start + i)
}

/// Text for standard error: each character a terminal would act on is shown as an escape,
/// `\n`, `\r` and `\t` by name and the others as `\u{1b}`; a backslash stays as it is.
pub fn terminal(s: &str) -> Cow<'_, str> {
    let Some(first) = first_escaped(s, acts_on_terminal) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            c if !acts_on_terminal(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// A file name as the first thing on a line of standard error: [`terminal`], and `./` before
/// a name that would start a workflow command (`::`, after any spaces).
pub fn file_name(s: &str) -> Cow<'_, str> {
    let escaped = terminal(s);
    if escaped.trim_start().starts_with("::") {
        Cow::Owned(format!("./{escaped}"))
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_workflow_commands() {
        assert_eq!(
            terminal("a\u{1b}[2Jb\nc\u{202e}"),
            "a\\u{1b}[2Jb\\nc\\u{202e}"
        );
        assert!(matches!(terminal("plain é C:\\x"), Cow::Borrowed(_)));
        assert_eq!(
            file_name("::error::x.release.yaml"),
            "./::error::x.release.yaml"
        );
        assert_eq!(file_name("  ::add-mask::x"), "./  ::add-mask::x");
        assert_eq!(file_name("a\n::error::b"), "a\\n::error::b");
        assert_eq!(file_name("dir/::x"), "dir/::x");
    }

    #[test]
    fn the_fast_scans_find_what_the_slow_ones_find() {
        let cases = [
            "",
            "plain ascii text that is longer than one word",
            "\u{202e}",
            "0123456\u{202e}",
            "01234567\u{202e}",
            "é ✓ \u{1f600} ∑ \u{2069}",
            "\u{61c}\u{180e}\u{feff}\u{fffb}\u{e0041}\u{e0001}",
            // Lead bytes of visible characters: U+0600, U+1800, U+2010, U+FF01, U+F3000.
            "\u{600}\u{1800}\u{2010}\u{ff01}\u{f3000}\u{2070}",
            "abc\x7f",
            "abc\u{9f}x",
            "tab\there",
        ];
        for s in cases {
            let slow = s
                .char_indices()
                .find(|&(_, c)| invisible(c))
                .map(|(i, _)| i);
            assert_eq!(first_invisible(s), slow, "{s:?}");
            let slow = s
                .char_indices()
                .find(|&(_, c)| acts_on_terminal(c))
                .map(|(i, _)| i);
            assert_eq!(first_escaped(s, acts_on_terminal), slow, "{s:?}");
        }
    }
}
