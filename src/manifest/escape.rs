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

/// Characters a terminal acts on or that change what a reader sees: C0 controls, DEL, C1
/// controls, and the [`invisible`] ones.
pub fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}') || invisible(c)
}

/// Text for standard error: each character a terminal would act on is shown as an escape,
/// `\n`, `\r` and `\t` by name and the others as `\u{1b}`; a backslash stays as it is.
pub fn terminal(s: &str) -> Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| acts_on_terminal(c)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first.0]);
    for c in s[first.0..].chars() {
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
}
