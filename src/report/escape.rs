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

pub use crate::manifest::escape::{first_invisible, invisible};

/// What replaces a character.
enum Escape {
    /// This text.
    To(&'static str),
    /// `\u{202e}`: the character's code, visibly.
    Visible,
    /// `&#x202E;`: an XML or HTML character reference.
    Reference,
}

/// Escapes with `f`, which tells how to replace a character or `None` to keep it; borrows
/// when nothing changes.
fn map(s: &str, f: impl Fn(char) -> Option<Escape>) -> Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| f(c).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first.0]);
    for c in s[first.0..].chars() {
        match f(c) {
            Some(Escape::To(r)) => out.push_str(r),
            Some(Escape::Visible) => out.push_str(&visible(c)),
            Some(Escape::Reference) => out.push_str(&format!("&#x{:X};", u32::from(c))),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `\u{202e}`.
fn visible(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// A file name as the reports show it: as given, except that a relative path that would
/// start a line with `::` (a GitHub Actions workflow command when the line reaches a CI log)
/// is written `./::...`, the same file. Each format then escapes it like any other string.
pub fn file_name(path: &str) -> Cow<'_, str> {
    if path.trim_start().starts_with("::") {
        Cow::Owned(format!("./{path}"))
    } else {
        Cow::Borrowed(path)
    }
}

/// XML character data. Characters XML 1.0 forbids become U+FFFD (the replacement
/// character); line breaks are character references (a raw carriage return would be read as
/// a line feed, and a raw line feed would let a manifest string start a line of the file,
/// which a CI log may take for a command); invisible characters ([`invisible`]) are
/// character references too.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some(Escape::To("&amp;")),
        '<' => Some(Escape::To("&lt;")),
        '>' => Some(Escape::To("&gt;")),
        '\n' => Some(Escape::To("&#10;")),
        '\r' => Some(Escape::To("&#13;")),
        c if forbidden_in_xml(c) => Some(Escape::To("\u{fffd}")),
        c if invisible(c) => Some(Escape::Reference),
        _ => None,
    })
}

/// An XML attribute value in double or single quotes. Tab, line feed and carriage return
/// are character references, so attribute-value normalisation keeps them; so are invisible
/// characters.
pub fn xml_attr(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some(Escape::To("&amp;")),
        '<' => Some(Escape::To("&lt;")),
        '>' => Some(Escape::To("&gt;")),
        '"' => Some(Escape::To("&quot;")),
        '\'' => Some(Escape::To("&apos;")),
        '\t' => Some(Escape::To("&#9;")),
        '\n' => Some(Escape::To("&#10;")),
        '\r' => Some(Escape::To("&#13;")),
        c if forbidden_in_xml(c) => Some(Escape::To("\u{fffd}")),
        c if invisible(c) => Some(Escape::Reference),
        _ => None,
    })
}

/// HTML text or a quoted attribute value. Control characters HTML forbids become U+FFFD;
/// line breaks are character references (the page reads the same, but no manifest string
/// starts a line of the file); invisible characters are shown as escapes (`\u{202e}`), since
/// a browser would still act on a character reference.
pub fn html(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '&' => Some(Escape::To("&amp;")),
        '<' => Some(Escape::To("&lt;")),
        '>' => Some(Escape::To("&gt;")),
        '"' => Some(Escape::To("&quot;")),
        '\'' => Some(Escape::To("&#39;")),
        '\n' => Some(Escape::To("&#10;")),
        '\r' => Some(Escape::To("&#13;")),
        c if forbidden_in_xml(c) => Some(Escape::To("\u{fffd}")),
        c if invisible(c) => Some(Escape::Visible),
        _ => None,
    })
}

/// HTML text in which each pair of backticks marks a code span, as in the rules' actions
/// ("link it under the feature's `docs`"): the text between them becomes `<code>...</code>`,
/// every part escaped by [`html`]; a backtick left without a partner stays as it is.
pub fn html_code_spans(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    // An odd number of parts: every backtick has a partner; else the last one has none.
    let paired = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&html(part));
        } else if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&html(part));
            out.push_str("</code>");
        } else {
            out.push_str(&html(part));
        }
    }
    out
}

/// JSON text as `serde_json` writes it, with every invisible character written as a
/// `\u` escape (`\u202e`; a surrogate pair above U+FFFF): the same JSON value, but no raw
/// bidirectional override in the file. Outside strings JSON holds no such character, so
/// replacing them anywhere is exact.
pub fn json_text(s: &str) -> Cow<'_, str> {
    let Some(first) = first_invisible(s) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    let mut units = [0u16; 2];
    for c in s[first..].chars() {
        if invisible(c) {
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `serde_json`'s pretty printer (two spaces, as `to_string_pretty`), writing every
/// invisible character in a string as [`json_text`] does: the same bytes as
/// `json_text(&serde_json::to_string_pretty(value)?)`, streamed to the writer without the
/// whole text in memory.
pub struct JsonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl JsonFormatter {
    pub fn new() -> Self {
        JsonFormatter(serde_json::ser::PrettyFormatter::new())
    }
}

impl Default for JsonFormatter {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes `value` as pretty JSON with [`JsonFormatter`], then a line break. The serializer's
/// many small writes go to a buffer of its own type (inlined), not through `dyn Write`.
pub fn write_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut ser = serde_json::Serializer::with_formatter(&mut buffered, JsonFormatter::new());
    value.serialize(&mut ser).map_err(std::io::Error::other)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if first_invisible(fragment).is_none() {
            return writer.write_all(fragment.as_bytes());
        }
        writer.write_all(json_text(fragment).as_bytes())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Markdown text, clipped to this many characters of the original (then `…`): a comment has
/// a size limit, and no single string may take it all.
pub const MARKDOWN_TEXT_CHARS: usize = 1000;

/// Markdown inline text, safe in a GitHub-flavoured table cell, a list item or a paragraph,
/// and still readable raw: only what Markdown would otherwise read as markup is escaped.
///
/// - Always: `\\`, `` ` ``, `*`, `~`, `$` (GitHub's math), `[` and `]` (so no link, image or
///   footnote: `(`, `)` and `!` then mean nothing), `<` (no raw HTML, no autolink) and `|`
///   (no table cell ends).
/// - By context: `_` unless between two letters or digits (where it cannot emphasise); `&`
///   when it starts something like an entity (`&lt;`, `&#60;`); `:` before `//` and `.`
///   after `www` (no bare URL is linked); at the start, `-`, `+`, `=`, `>` and the `.` or
///   `)` after leading digits (no list, quote, heading or rule can start).
/// - `@` and `#` are escaped and followed by an invisible word joiner (U+2060), so GitHub
///   makes no @mention or #issue link of them (it links those after rendering, escapes or
///   not).
/// - Line breaks and tabs become spaces (a line break would end the table row); other
///   control characters become U+FFFD; invisible characters ([`invisible`]) are shown as
///   escapes (`\u{202e}`).
///
/// Text longer than [`MARKDOWN_TEXT_CHARS`] characters is clipped, with `…`.
pub fn markdown(s: &str) -> String {
    // Enough characters for the clip (a `\r\n` counts once) and a look ahead past it.
    let chars: Vec<char> = s
        .chars()
        .take(2 * MARKDOWN_TEXT_CHARS + ENTITY_CHARS)
        .collect();
    let mut out = String::with_capacity(s.len().min(4 * MARKDOWN_TEXT_CHARS) + s.len() / 4);
    let mut taken = 0;
    let mut i = 0;
    // Whether every character so far is a digit (an ordered list's number).
    let mut digits = true;
    while let Some(&c) = chars.get(i) {
        if taken == MARKDOWN_TEXT_CHARS {
            out.push('…');
            break;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let start = taken == 0;
        taken += 1;
        i += 1;
        let escape = match c {
            '\\' | '`' | '*' | '~' | '$' | '[' | ']' | '<' | '|' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '&' => starts_entity(&chars[i..]),
            ':' => chars.get(i..i + 2) == Some(&['/', '/']),
            '.' => {
                (digits && !start)
                    || (i >= 4
                        && chars[i - 4..i - 1]
                            .iter()
                            .collect::<String>()
                            .eq_ignore_ascii_case("www"))
            }
            ')' => digits && !start,
            '-' | '+' | '=' | '>' => start,
            _ => false,
        };
        digits &= c.is_ascii_digit();
        match c {
            '\r' => {
                // \r\n is one line break.
                if next == Some('\n') {
                    i += 1;
                }
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            '@' | '#' => {
                out.push('\\');
                out.push(c);
                out.push('\u{2060}');
            }
            c if escape => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            // `\u{202e}`, its backslash escaped.
            c if invisible(c) => out.push_str(&format!("\\\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// [`markdown`] text in which each pair of backticks around a field name or value (`docs`,
/// `status: final`, `--root`: ASCII letters, digits, spaces and `_.:-/[]` only) is kept as a
/// code span, as the rules' actions write them; anything else, a backtick without a partner
/// included, is escaped as [`markdown`] escapes it. Clipped like [`markdown`].
pub fn markdown_code_spans(text: &str) -> String {
    let mut s: String = text.chars().take(MARKDOWN_TEXT_CHARS).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    let code = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " _.:-/[]".contains(c))
    };
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    let mut plain = String::new();
    // Backticks pair in order: part 1 lies between the first two, part 3 between the next
    // two, ...; a part is a span only with its closing backtick.
    let mut last_span = false;
    for (i, part) in parts.iter().enumerate() {
        let span = i % 2 == 1 && i + 1 < parts.len() && code(part);
        if span {
            out.push_str(&markdown(&plain));
            plain.clear();
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            // The backtick before this part, unless it closed the span before.
            if i > 0 && !last_span {
                plain.push('`');
            }
            plain.push_str(part);
        }
        last_span = span;
    }
    out.push_str(&markdown(&plain));
    out
}

/// The longest entity or numeric character reference [`starts_entity`] looks for.
const ENTITY_CHARS: usize = 40;

/// Whether `rest` (what follows a `&`) makes it an entity or character reference: letters,
/// digits or `#` then `;`, within [`ENTITY_CHARS`].
fn starts_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take(ENTITY_CHARS)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

use crate::manifest::escape::acts_on_terminal;

/// Text for a terminal (the human report). A manifest string can neither send escape
/// sequences (colours, cursor moves, window titles, hyperlinks) nor start a line of its own:
/// each character a terminal would act on is shown as an escape, `\n`, `\r` and `\t` by name
/// and the others as `\u{1b}`; a backslash stays as it is.
pub fn terminal(s: &str) -> Cow<'_, str> {
    crate::manifest::escape::terminal(s)
}

/// Text for a GitHub Actions log line: as [`terminal`], except that line breaks and tabs
/// are kept for [`github_data`] to encode (an annotation may span lines).
pub fn log_text(s: &str) -> Cow<'_, str> {
    controls(s, true)
}

fn controls(s: &str, keep_breaks: bool) -> Cow<'_, str> {
    let escaped =
        |c: char| acts_on_terminal(c) && !(keep_breaks && matches!(c, '\n' | '\r' | '\t'));
    let Some(first) = crate::manifest::escape::first_escaped(s, escaped) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            c if !escaped(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&visible(c)),
        }
    }
    Cow::Owned(out)
}

/// A GitHub Actions workflow command's message, as `escapeData` in `@actions/core` does.
pub fn github_data(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '%' => Some(Escape::To("%25")),
        '\r' => Some(Escape::To("%0D")),
        '\n' => Some(Escape::To("%0A")),
        _ => None,
    })
}

/// A GitHub Actions workflow command's property value, as `escapeProperty` in
/// `@actions/core` does: also `:` and `,`, which delimit properties.
pub fn github_property(s: &str) -> Cow<'_, str> {
    map(s, |c| match c {
        '%' => Some(Escape::To("%25")),
        '\r' => Some(Escape::To("%0D")),
        '\n' => Some(Escape::To("%0A")),
        ':' => Some(Escape::To("%3A")),
        ',' => Some(Escape::To("%2C")),
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
        assert_eq!(xml_text("line\nnext\ttab\r"), "line&#10;next\ttab&#13;");
        assert_eq!(xml_text("a\u{202e}b"), "a&#x202E;b");
        assert_eq!(xml_attr("\u{e0041}"), "&#xE0041;");
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
    fn html_code_spans_are_code_elements_with_escaped_text() {
        assert_eq!(
            html_code_spans("link it under `docs` (kind: `user`)"),
            "link it under <code>docs</code> (kind: <code>user</code>)"
        );
        assert_eq!(
            html_code_spans("a `<b>` & `c"),
            "a <code>&lt;b&gt;</code> &amp; `c"
        );
        assert_eq!(html_code_spans("``"), "<code></code>");
        assert_eq!(html_code_spans("plain"), "plain");
        assert_eq!(
            html_code_spans("`</code><script>`"),
            "<code>&lt;/code&gt;&lt;script&gt;</code>"
        );
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
        assert_eq!(markdown("[link](http://x)"), "\\[link\\](http\\://x)");
        assert_eq!(markdown("![img](x.png)"), "!\\[img\\](x.png)");
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
        assert_eq!(markdown("*b* _i_ `c`"), "\\*b\\* \\_i\\_ \\`c\\`");
        assert_eq!(markdown("one\ntwo\r\nthree\rfour"), "one two three four");
        assert_eq!(markdown("@dana #12"), "\\@\u{2060}dana \\#\u{2060}12");
        assert_eq!(
            markdown("&lt; &#60; 100% R&D"),
            "\\&lt; \\&\\#\u{2060}60; 100% R&D"
        );
        assert_eq!(markdown("a\u{1b}b"), "a\u{fffd}b");
        assert_eq!(markdown("~~s~~ $x$ a\\b"), "\\~\\~s\\~\\~ \\$x\\$ a\\\\b");
        // No bare URL is linked.
        assert_eq!(
            markdown("see https://x.y or WWW.x.y"),
            "see https\\://x.y or WWW\\.x.y"
        );
        // No block can start: a list, a quote, a heading's underline, an ordered list.
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("> quote"), "\\> quote");
        assert_eq!(markdown("==="), "\\===");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("3) x"), "3\\) x");
    }

    #[test]
    fn markdown_keeps_the_actions_code_spans_of_field_names_only() {
        assert_eq!(
            markdown_code_spans("link it under `docs` with `kind: user`"),
            "link it under `docs` with `kind: user`"
        );
        // Anything else between backticks, and a backtick alone, is escaped text.
        assert_eq!(
            markdown_code_spans("`<b>` and `@dana` and `--root` and `x"),
            "\\`\\<b>\\` and \\`\\@\u{2060}dana\\` and `--root` and \\`x"
        );
        assert_eq!(markdown_code_spans("``"), "\\`\\`");
        assert_eq!(markdown_code_spans("a | b"), "a \\| b");
        let long = format!("`docs` {}", "a".repeat(MARKDOWN_TEXT_CHARS));
        let clipped = markdown_code_spans(&long);
        assert!(
            clipped.starts_with("`docs` aaa") && clipped.ends_with("a…"),
            "{clipped}"
        );
    }

    #[test]
    fn markdown_leaves_plain_punctuation_alone() {
        // What Markdown would not read as markup stays as written, so the raw text reads well.
        let plain = "feature 'saved-carts' (beta): 2 of 3 tests, 66.7%; a -> b, x = y + 1! \"q\" c:/d {e} ^f";
        assert_eq!(markdown(plain), plain);
        assert_eq!(markdown("policy.release_tests"), "policy.release_tests");
        assert_eq!(markdown("Café 2.4"), "Café 2.4");
        assert_eq!(markdown("_lead trail_"), "\\_lead trail\\_");
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
    fn invisible_characters_are_escaped_in_every_syntax() {
        let s = "a\u{202e}b\u{2066}c\u{200b}d";
        assert_eq!(html(s), "a\\u{202e}b\\u{2066}c\\u{200b}d");
        assert_eq!(html("x\ny\rz"), "x&#10;y&#13;z");
        assert_eq!(markdown(s), "a\\\\u{202e}b\\\\u{2066}c\\\\u{200b}d");
        assert_eq!(terminal(s), "a\\u{202e}b\\u{2066}c\\u{200b}d");
        // Joiners that scripts and emoji need stay.
        assert_eq!(html("\u{200c}\u{200d}"), "\u{200c}\u{200d}");
        // JSON: `\u` escapes, a surrogate pair above U+FFFF; other text untouched.
        assert_eq!(
            json_text("\"a\u{202e}\u{e0041}\" é"),
            "\"a\\u202e\\udb40\\udc41\" é"
        );
        assert!(matches!(
            json_text("{\"plain\": \"é ✓\"}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_json_formatter_writes_what_json_text_of_the_pretty_text_is() {
        let value = serde_json::json!({
            "a\u{202e}b": ["x\u{e0041}y", "\"q\"\n\u{1b}", 1, null, {}, []],
            "plain": {"é": "✓ \u{2066}", "n": [true, 2.5]},
        });
        let mut streamed = Vec::new();
        write_json(&value, &mut streamed).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            format!("{}\n", json_text(&pretty))
        );
    }

    #[test]
    fn file_names_never_start_a_line_with_two_colons() {
        assert_eq!(
            file_name("::error::x/release.yaml"),
            "./::error::x/release.yaml"
        );
        assert_eq!(file_name("  ::x"), "./  ::x");
        assert_eq!(file_name("a::b/release.yaml"), "a::b/release.yaml");
        assert_eq!(file_name("/abs/::x"), "/abs/::x");
    }

    #[test]
    fn markdown_clips_long_text() {
        let long = "a".repeat(MARKDOWN_TEXT_CHARS + 10);
        let clipped = markdown(&long);
        assert_eq!(clipped.chars().count(), MARKDOWN_TEXT_CHARS + 1);
        assert!(clipped.ends_with('…'));
        assert_eq!(
            markdown(&long[..MARKDOWN_TEXT_CHARS]),
            long[..MARKDOWN_TEXT_CHARS]
        );
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
