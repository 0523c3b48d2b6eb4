//! Placeholder detection (RC006) on the first [`PREFIX_BYTES`] of a file.
//!
//! Blank lines and Markdown headings (ATX `#` lines; setext titles, every line of them, and
//! their `===`/`---` underlines) are left out. A file is a placeholder when no line is left, or when at least
//! half of the remaining lines contain TODO, TBD, FIXME, "lorem ipsum" or "coming soon"
//! (case-insensitive, whole words). A NUL byte makes the file binary: only its size counts.

/// How much of each file is read for the text checks.
pub const PREFIX_BYTES: usize = 1 << 20;

/// The placeholder markers, as sequences of lower-case words.
const MARKERS: &[(&str, &[&str])] = &[
    ("TODO", &["todo"]),
    ("TBD", &["tbd"]),
    ("FIXME", &["fixme"]),
    ("lorem ipsum", &["lorem", "ipsum"]),
    ("coming soon", &["coming", "soon"]),
];

/// What the text checks found in a file's prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextFacts {
    /// A NUL byte in the prefix.
    pub binary: bool,
    /// Lines left once blank lines and headings are left out.
    pub lines: u64,
    /// Of those, lines holding a placeholder marker.
    pub placeholder_lines: u64,
    /// The markers seen, in [`MARKERS`] order.
    pub markers: Vec<&'static str>,
    /// Only the first [`PREFIX_BYTES`] were looked at.
    pub truncated: bool,
    /// The Markdown headings (ATX and setext), their text without the markup, in order.
    pub headings: Vec<String>,
}

impl TextFacts {
    /// No content line left, or at least half of them are placeholders.
    pub fn is_placeholder(&self) -> bool {
        !self.binary && (self.lines == 0 || self.placeholder_lines * 2 >= self.lines)
    }
}

/// Scans `prefix`; `truncated` says whether the file goes on after it.
pub fn scan(prefix: &[u8], truncated: bool) -> TextFacts {
    let mut facts = TextFacts {
        truncated,
        ..TextFacts::default()
    };
    if prefix.contains(&0) {
        facts.binary = true;
        return facts;
    }
    // Checked first as UTF-8 (a fast pass over nearly every prefix); only a prefix that is
    // not, or ends inside a character, takes the lossy conversion.
    let text = match std::str::from_utf8(prefix) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(prefix),
    };
    let mut seen = [false; MARKERS.len()];
    // The paragraph being read (counted lines since the last blank line or heading): a setext
    // underline turns all of its lines into one heading (CommonMark).
    let mut paragraph: Option<Paragraph<'_>> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            paragraph = None;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent <= 3 && is_atx_heading(t) {
            facts.headings.push(atx_text(t).to_owned());
            paragraph = None;
            continue;
        }
        if indent <= 3
            && is_setext_underline(t)
            && let Some(title) = paragraph.take()
        {
            facts.headings.push(title.lines.join(" "));
            facts.lines -= title.lines.len() as u64;
            facts.placeholder_lines -= title.marked;
            continue;
        }
        facts.lines += 1;
        let marked = mark(t, &mut seen);
        facts.placeholder_lines += u64::from(marked);
        let p = paragraph.get_or_insert_with(Paragraph::default);
        p.lines.push(t);
        p.marked += u64::from(marked);
    }
    facts.markers = MARKERS
        .iter()
        .zip(seen)
        .filter(|(_, s)| *s)
        .map(|((name, _), _)| *name)
        .collect();
    facts
}

/// The lines of a paragraph so far, and how many of them hold a marker.
#[derive(Default)]
struct Paragraph<'a> {
    lines: Vec<&'a str>,
    marked: u64,
}

fn is_atx_heading(t: &str) -> bool {
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes)
        && t[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

/// `## Risks ##` -> `Risks`.
fn atx_text(t: &str) -> &str {
    let body = t.trim_start_matches('#').trim();
    let closed = body.trim_end_matches('#');
    if closed.is_empty() || closed.ends_with([' ', '\t']) {
        closed.trim()
    } else {
        body
    }
}

fn is_setext_underline(t: &str) -> bool {
    let first = t.as_bytes()[0];
    (first == b'=' || first == b'-') && t.bytes().all(|b| b == first)
}

/// Whether `line` holds a marker (whole words); records which.
fn mark(line: &str, seen: &mut [bool; MARKERS.len()]) -> bool {
    // An ASCII line (nearly every one) is split on bytes: the same words.
    if line.is_ascii() {
        let b = line.as_bytes();
        let is_word = |c: u8| WORD_BYTE[usize::from(c)];
        let mut i = 0;
        let words = std::iter::from_fn(|| {
            while i < b.len() && !is_word(b[i]) {
                i += 1;
            }
            let start = i;
            while i < b.len() && is_word(b[i]) {
                i += 1;
            }
            (start < i).then(|| &b[start..i])
        });
        mark_words(words, seen)
    } else {
        let words = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(str::as_bytes);
        mark_words(words, seen)
    }
}

/// The ASCII bytes words are made of: letters, digits and `_` (a table: this runs over every
/// byte of a file's prefix).
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b: u8 = 0;
    loop {
        t[b as usize] = b.is_ascii_alphanumeric() || b == b'_';
        if b == u8::MAX {
            break t;
        }
        b += 1;
    }
};

/// Marks the markers among `words` (empty ones skipped). Compared without a lowercase copy:
/// a marker is ASCII without `k`, and no other character lowercases to one of its letters,
/// so ASCII case folding decides as `to_lowercase` would.
fn mark_words<'a>(words: impl Iterator<Item = &'a [u8]>, seen: &mut [bool; MARKERS.len()]) -> bool {
    let mut any = false;
    let mut previous: &[u8] = &[];
    for word in words.filter(|w| !w.is_empty()) {
        if (MARKER_SHORTEST..=MARKER_LONGEST).contains(&word.len()) {
            for (i, (_, seq)) in MARKERS.iter().enumerate() {
                let hit = match seq {
                    [one] => word.eq_ignore_ascii_case(one.as_bytes()),
                    [first, second] => {
                        word.eq_ignore_ascii_case(second.as_bytes())
                            && previous.eq_ignore_ascii_case(first.as_bytes())
                    }
                    _ => false,
                };
                if hit {
                    seen[i] = true;
                    any = true;
                }
            }
        }
        previous = word;
    }
    any
}

/// The lengths of the shortest and the longest word of any marker (a word of another length
/// is none of them, nor the last of two).
const MARKER_SHORTEST: usize = 3;
const MARKER_LONGEST: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(s: &str) -> TextFacts {
        scan(s.as_bytes(), false)
    }

    #[test]
    fn blank_whitespace_and_headings_only_are_placeholders() {
        for s in [
            "",
            "   \n\t\n",
            "# Title\n\n## Section\n",
            "Title\n=====\n\nSub\n---\n",
        ] {
            let f = facts(s);
            assert_eq!(f.lines, 0, "{s:?}");
            assert!(f.is_placeholder(), "{s:?}");
        }
    }

    #[test]
    fn half_the_lines_is_enough() {
        let f = facts("# Promoted listings\n\nTODO: describe the bidding model.\n\nTBD\n");
        assert_eq!((f.lines, f.placeholder_lines), (2, 2));
        assert_eq!(f.markers, ["TODO", "TBD"]);
        assert!(f.is_placeholder());
        let f = facts("# Chat\n\nComing soon.\n");
        assert!(f.is_placeholder());
        let f = facts("Real text.\nfixme later\n");
        assert_eq!((f.lines, f.placeholder_lines), (2, 1));
        assert!(f.is_placeholder());
        let f = facts("Real text.\nMore text.\nLorem  IPSUM dolor\n");
        assert_eq!(f.markers, ["lorem ipsum"]);
        assert!(!f.is_placeholder());
    }

    /// What `mark` relies on: one or two words, lowercase ASCII letters other than `k`
    /// (the Kelvin sign lowercases to `k`), so ASCII case folding matches `to_lowercase`.
    #[test]
    fn markers_fold_as_ascii() {
        for (_, seq) in MARKERS {
            assert!((1..=2).contains(&seq.len()));
            for w in *seq {
                assert!(
                    w.bytes().all(|b| b.is_ascii_lowercase() && b != b'k'),
                    "{w}"
                );
                assert!((MARKER_SHORTEST..=MARKER_LONGEST).contains(&w.len()), "{w}");
            }
        }
        assert_eq!(facts("ToDo: write it\nLOREM Ipsum\n").placeholder_lines, 2);
        assert_eq!(facts("T\u{212A}D\n").placeholder_lines, 0);
        assert_eq!(facts("ipsum lorem\n").placeholder_lines, 0);
        assert_eq!(facts("lorem, ipsum\n").placeholder_lines, 1);
        assert_eq!(facts("Lorem ipsumx\n").placeholder_lines, 0);
        assert_eq!(facts("Été: TODO\n").placeholder_lines, 1);
        assert_eq!(facts("todoé\n").placeholder_lines, 0);
    }

    /// `mark` (ASCII lines split on bytes, words compared without copies) marks what the
    /// plain definition does: lowercased words, a marker's words consecutive.
    #[test]
    fn mark_agrees_with_lowercased_words() {
        let reference = |line: &str| {
            let words: Vec<String> = line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            MARKERS
                .iter()
                .map(|(_, seq)| {
                    words
                        .windows(seq.len())
                        .any(|w| w.iter().zip(seq.iter()).all(|(a, b)| a == b))
                })
                .collect::<Vec<bool>>()
        };
        for line in [
            "TODO",
            "todo: x",
            "x_todo",
            "to-do",
            "TBD.",
            "(fixme)",
            "FixMe!",
            "lorem ipsum",
            "Lorem   IPSUM",
            "lorem,ipsum",
            "lorem x ipsum",
            "ipsum lorem",
            "coming soon!",
            "coming\tsoon",
            "comingsoon",
            "Été TODO",
            "todoé",
            "Ünïcode lorem ipsum",
            "t\u{212A}d",
            "",
            "   ",
            "___",
            "a1 todo2 todo",
        ] {
            let mut seen = [false; MARKERS.len()];
            let any = mark(line, &mut seen);
            let want = reference(line);
            assert_eq!(seen.to_vec(), want, "{line:?}");
            assert_eq!(any, want.contains(&true), "{line:?}");
        }
    }

    #[test]
    fn markers_are_whole_words() {
        for s in [
            "Todos are listed below.",
            "The TBDX module",
            "comingsoon",
            "lorem\nipsum",
            "my_todo",
        ] {
            let f = facts(s);
            assert_eq!(f.placeholder_lines, 0, "{s:?}");
        }
        assert_eq!(facts("(todo) see #12").placeholder_lines, 1);
        assert_eq!(facts("Coming-soon banner").placeholder_lines, 1);
    }

    #[test]
    fn a_setext_title_with_a_marker_is_a_heading() {
        let f = facts("TODO title\n==========\nActual guide text.\n");
        assert_eq!((f.lines, f.placeholder_lines), (1, 0));
        // A `---` after a blank line is a rule, not an underline: it counts as a line.
        let f = facts("Text.\n\n---\n");
        assert_eq!(f.lines, 2);
    }

    #[test]
    fn a_setext_title_is_all_its_lines() {
        // CommonMark: the heading's text is every line of the paragraph the underline ends.
        let f = facts("Release notes\nfor Storefront 2.4\n===\n\nTODO\n");
        assert_eq!(f.headings, ["Release notes for Storefront 2.4"]);
        assert_eq!((f.lines, f.placeholder_lines), (1, 1));
        assert!(f.is_placeholder());
        let f = facts("TODO: the\nwhole title\n---\nReal text.\n");
        assert_eq!((f.lines, f.placeholder_lines), (1, 0));
        assert!(!f.is_placeholder());
        // A blank line ends the paragraph: only what follows it is the title.
        let f = facts("Text.\n\nTitle\n---\n");
        assert_eq!((f.lines, f.headings.len()), (1, 1));
    }

    #[test]
    fn headings_are_collected() {
        let f = facts(
            "# Deployment plan\n\n## Scope ##\nText.\n\nSuccess criteria\n---\n### C#\n#hashtag\n",
        );
        assert_eq!(
            f.headings,
            ["Deployment plan", "Scope", "Success criteria", "C#"]
        );
    }

    #[test]
    fn nul_means_binary() {
        let f = scan(b"%PDF-1.7\n\0\x01TODO", false);
        assert!(f.binary);
        assert!(!f.is_placeholder());
    }
}
