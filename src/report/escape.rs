//! Escaping manifest strings for each output format. Titles, names, reasons and owners are
//! free text a manifest author controls; each format must show them as text, never as markup,
//! links or commands.

use std::borrow::Cow;

/// Characters XML 1.0 cannot hold at all, not even as character references: C0 controls
/// other than tab, line feed and carriage return, and U+FFFE/U+FFFF. HTML treats the C0
/// controls as parse errors too.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// Escapes with `f`, which returns the replacement of a character or `None` to keep it;
/// borrows when nothing changes.
fn map(s: &str, f: impl Fn(char) -> Option<&'static str>) -> Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| f(c).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first.0]);
    for c in s[first.0..].chars() {
        match f(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// XML character data. Characters XML 1.0 forbids become U+FFFD (the replacement
/// character); a carriage return is kept as `&#13;` (a parser would turn a raw one into a
/// line feed).
pub fn xml_text(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#13;"),
        c if forbidden_in_xml(c) => Some("\u{fffd}"),
        _ => None,
    })
}

/// An XML attribute value in double or single quotes. Tab, line feed and carriage return
/// are character references, so attribute-value normalisation keeps them.
pub fn xml_attr(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        '\t' => Some("&#9;"),
        '\n' => Some("&#10;"),
        '\r' => Some("&#13;"),
        c if forbidden_in_xml(c) => Some("\u{fffd}"),
        _ => None,
    })
}

/// HTML text or a quoted attribute value. Control characters HTML forbids become U+FFFD.
pub fn html(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        c if forbidden_in_xml(c) => Some("\u{fffd}"),
        _ => None,
    })
}

/// Markdown inline text, safe in a GitHub-flavoured table cell: every ASCII punctuation
/// character is backslash-escaped (CommonMark allows it for all of them), so no emphasis,
/// code span, link, autolink, raw HTML, entity or table pipe can start; line breaks and tabs
/// become spaces (a line break would end the table row); other control characters become
/// U+FFFD; `@` and `#` are followed by an invisible word joiner (U+2060), so GitHub makes
/// no @mention or #issue link of them (it links those after rendering, escapes or not).
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // \r\n is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            '@' | '#' => {
                out.push('\\');
                out.push(c);
                out.push('\u{2060}');
            }
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Characters a terminal acts on or that change what a reader sees: C0 controls (escape
/// sequences, line breaks, tabs, backspace), DEL, C1 controls, and the bidirectional
/// embeddings, overrides and isolates that reorder text (the "Trojan Source" trick).
fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal (the human report). A manifest string can neither send escape
/// sequences (colours, cursor moves, window titles, hyperlinks) nor start a line of its own:
/// each character a terminal would act on is shown as an escape, `\n`, `\r` and `\t` by name
/// and the others as `\u{1b}`; a backslash stays as it is.
pub fn terminal(s: &str) -> Cow<'_, str> {
    controls(s, false)
}

/// Text for a GitHub Actions log line: as [`terminal`], except that line breaks and tabs
/// are kept for [`github_data`] to encode (an annotation may span lines).
pub fn log_text(s: &str) -> Cow<'_, str> {
    controls(s, true)
}

fn controls(s: &str, keep_breaks: bool) -> Cow<'_, str> {
    let escaped =
        |c: char| acts_on_terminal(c) && !(keep_breaks && matches!(c, '\n' | '\r' | '\t'));
    let Some(first) = s.char_indices().find(|&(_, c)| escaped(c)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first.0]);
    for c in s[first.0..].chars() {
        match c {
            c if !escaped(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// A GitHub Actions workflow command's message, as `escapeData` in `@actions/core` does.
pub fn github_data(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '%' => Some("%25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        _ => None,
    })
}

/// A GitHub Actions workflow command's property value, as `escapeProperty` in
/// `@actions/core` does: also `:` and `,`, which delimit properties.
pub fn github_property(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '%' => Some("%25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        ':' => Some("%3A"),
        ',' => Some("%2C"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<script>alert(1)</script> & \"q\" 'a'";

    #[test]
    fn xml_text_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_text(HOSTILE),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\" 'a'"
        );
        assert_eq!(
            xml_text("a\u{1b}b\0c\u{fffe}"),
            "a\u{fffd}b\u{fffd}c\u{fffd}"
        );
        assert_eq!(xml_text("line\nnext\ttab\r"), "line\nnext\ttab&#13;");
        assert_eq!(xml_text("]]>"), "]]&gt;");
        assert!(matches!(xml_text("plain é ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn xml_attr_escapes_quotes_and_whitespace() {
        assert_eq!(
            xml_attr(HOSTILE),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &apos;a&apos;"
        );
        assert_eq!(xml_attr("a\nb\tc\rd\u{7}"), "a&#10;b&#9;c&#13;d\u{fffd}");
    }

    #[test]
    fn html_escapes_script_quotes_and_ampersands() {
        assert_eq!(
            html(HOSTILE),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"
        );
        assert_eq!(html("&amp;"), "&amp;amp;");
        assert_eq!(html("a\0b"), "a\u{fffd}b");
        assert_eq!(html("Kim Olsen"), "Kim Olsen");
    }

    #[test]
    fn markdown_neutralises_tables_links_html_and_mentions() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(
            markdown("[link](http://x)"),
            "\\[link\\]\\(http\\:\\/\\/x\\)"
        );
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script\\>alert\\(1\\)\\<\\/script\\>"
        );
        assert_eq!(markdown("*b* _i_ `c`"), "\\*b\\* \\_i\\_ \\`c\\`");
        assert_eq!(markdown("one\ntwo\r\nthree\rfour"), "one two three four");
        assert_eq!(markdown("@dana #12"), "\\@\u{2060}dana \\#\u{2060}12");
        assert_eq!(markdown("&lt; 100%"), "\\&lt\\; 100\\%");
        assert_eq!(markdown("a\u{1b}b"), "a\u{fffd}b");
        assert_eq!(markdown("Café 2.4"), "Café 2\\.4");
    }

    #[test]
    fn terminal_shows_control_characters_as_escapes() {
        assert_eq!(
            terminal("a\u{1b}[2Jb\u{1b}]0;title\u{7}"),
            "a\\u{1b}[2Jb\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(terminal("one\ntwo\r\tthree"), "one\\ntwo\\r\\tthree");
        assert_eq!(terminal("\u{9b}31m \u{7f}"), "\\u{9b}31m \\u{7f}");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(matches!(terminal("plain é ✓ C:\\x"), Cow::Borrowed(_)));
        assert_eq!(log_text("a\u{1b}[2J\r\n\tb"), "a\\u{1b}[2J\r\n\tb");
    }

    #[test]
    fn github_escapes_like_the_actions_toolkit() {
        assert_eq!(github_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            github_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
        // `%` first, so an escape in the input is not taken for one of ours.
        assert_eq!(github_data("%0A"), "%250A");
        assert_eq!(
            github_property("RC101 untested-feature"),
            "RC101 untested-feature"
        );
    }
}
