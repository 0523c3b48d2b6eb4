//! Reading a manifest file: size cap, encoding, YAML limits, and errors with positions.
//!
//! The YAML limits scale with the file's size: a real manifest has one node per 20 bytes or
//! so, while the inputs that make YAML parsers hang or swell (deep nesting, alias expansion,
//! a million one-byte nodes) have many more. Anything beyond the limits is refused at once
//! with an error, never parsed for long.

use std::fmt;
use std::io::Read;
use std::path::Path;

use super::de::{FromYaml, Pos, Reader, is_null, quoted};
use super::events::{Fatal, FatalKind};
use super::{Document, Manifest, Program, Release};

/// Manifests larger than this many MiB are refused before they are read. The worst case (every
/// feature in scope and failing several rules) takes about 80 bytes of memory per byte of
/// manifest (`docs/performance.md`): 64 MiB keeps it near 5 GiB, within a CI runner's memory.
pub const MAX_MANIFEST_MIB: u64 = 64;
/// [`MAX_MANIFEST_MIB`] in bytes.
pub const MAX_MANIFEST_BYTES: u64 = MAX_MANIFEST_MIB * 1024 * 1024;

/// A manifest that could not be loaded, with the position of the problem when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it, as reports show it.
    pub shown: String,
    pub pos: Option<Pos>,
    pub message: String,
}

impl LoadError {
    fn new(file: &str, pos: Option<Pos>, message: impl Into<String>) -> Self {
        LoadError {
            shown: file.to_owned(),
            pos,
            message: message.into(),
        }
    }

    /// An error about the file `shown` as a whole (it cannot be read, found, or compared),
    /// with no position in it.
    pub fn whole(shown: &str, message: impl Into<String>) -> Self {
        LoadError::new(shown, None, message)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A pull request names the files and writes the text: both are escaped for the
        // terminal or CI log that shows the error.
        let file = super::escape::file_name(&self.shown);
        let message = super::escape::terminal(&self.message);
        match self.pos {
            Some(pos) => write!(f, "{file}:{pos}: {message}"),
            None => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// One error where several may be (`?` in functions that return all of a file's errors).
impl From<LoadError> for Vec<LoadError> {
    fn from(e: LoadError) -> Self {
        vec![e]
    }
}

impl LoadError {
    /// The first of a file's errors, saying how many others there are (for places that show
    /// one line per file).
    pub fn first_of(mut errors: Vec<LoadError>) -> LoadError {
        let more = errors.len().saturating_sub(1);
        let mut first = if errors.is_empty() {
            LoadError::new("", None, "")
        } else {
            errors.swap_remove(0)
        };
        if more > 0 {
            let s = if more == 1 { "" } else { "s" };
            first.message = format!("{} (and {more} more error{s})", first.message);
        }
        first
    }
}

/// Reads and parses the manifest at `path`; `shown` is how errors name the file. The errors
/// are those of [`parse`].
pub fn load(path: &Path, shown: &str) -> Result<Manifest, Vec<LoadError>> {
    let text = read(path, shown)?;
    parse(&text, shown)
}

/// A manifest's text, within the size cap and in UTF-8.
fn read(path: &Path, shown: &str) -> Result<String, LoadError> {
    let err = |msg: String| LoadError::new(shown, None, msg);
    let meta =
        std::fs::metadata(path).map_err(|e| err(format!("cannot read the manifest: {e}")))?;
    if !meta.is_file() {
        return Err(err("not a regular file".to_owned()));
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return Err(err(format!(
            "the manifest is {} bytes, over the limit of {MAX_MANIFEST_BYTES} bytes ({MAX_MANIFEST_MIB} MiB)",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| err(format!("cannot read the manifest: {e}")))?;
    checked(bytes, shown)
}

/// Parses a manifest already read (standard input), with the checks [`load`] makes of a
/// file's bytes: the size limit, the encoding. `shown` is how errors name it.
pub fn load_bytes(bytes: &[u8], shown: &str) -> Result<Manifest, Vec<LoadError>> {
    // Checked before the copy: a stream over the limit costs one buffer, not two.
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(vec![too_big(shown)]);
    }
    let text = checked(bytes.to_vec(), shown)?;
    parse(&text, shown)
}

fn too_big(shown: &str) -> LoadError {
    LoadError::new(
        shown,
        None,
        format!(
            "the manifest is over the limit of {MAX_MANIFEST_BYTES} bytes ({MAX_MANIFEST_MIB} MiB)"
        ),
    )
}

/// The checks of the bytes read (the size limit, the encoding): the text to parse.
fn checked(bytes: Vec<u8>, shown: &str) -> Result<String, LoadError> {
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(too_big(shown));
    }
    decode(bytes, shown)
}

/// Checks the text is UTF-8, naming the first bad byte's position when it is not.
fn decode(bytes: Vec<u8>, shown: &str) -> Result<String, LoadError> {
    let encoded = |what: &str| {
        LoadError::new(
            shown,
            Some(Pos::START),
            format!("the manifest is {what}; relcheck reads UTF-8 (convert it, e.g. with iconv)"),
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(encoded("UTF-32 encoded"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(encoded("UTF-16 encoded"));
    }
    // ASCII text in UTF-16 without a byte-order mark is valid UTF-8 with a NUL after (or
    // before) every character.
    if bytes.len() >= 4 && (bytes[0] == 0) != (bytes[1] == 0) {
        return Err(encoded("UTF-16 encoded (without a byte-order mark)"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let (line, col) = line_col(good);
        LoadError::new(
            shown,
            Some(Pos::new(line, col)),
            format!(
                "the manifest is not valid UTF-8 (byte 0x{:02X} at offset {})",
                e.as_bytes()[good.len()],
                good.len()
            ),
        )
    })?;
    // YAML allows no NUL anywhere; the parser would only say "unexpected character".
    if let Some(nul) = text.find('\0') {
        let (line, col) = line_col(&text.as_bytes()[..nul]);
        return Err(LoadError::new(
            shown,
            Some(Pos::new(line, col)),
            format!("the manifest holds a NUL byte (at offset {nul}); is it a binary file?"),
        ));
    }
    Ok(text)
}

/// The offset of the first carriage return not followed by a line feed. YAML reads such a CR
/// as a line break, but terminals, diffs and code review tools do not: lines would be
/// numbered differently from what a reviewer sees, and a CR can hide text in a terminal.
fn lone_cr(text: &str) -> Option<usize> {
    // `str::find` of one character is a memchr: fast on the usual text without any CR.
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('\r') {
        let at = from + i;
        if b.get(at + 1) != Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The line and column just after `before`, the bytes that precede a position.
fn line_col(before: &[u8]) -> (u32, u32) {
    let line = before.split(|&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (clamp(line), clamp(col))
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// At most this many errors are listed for one manifest; a last line counts the others.
pub const MAX_ERRORS: usize = 50;

/// Parses manifest text; `shown` is how errors name the file. Every wrong key and value is
/// an error, in file order (at most [`MAX_ERRORS`], then how many more); a syntax error or a
/// YAML limit ends the list.
pub fn parse(text: &str, shown: &str) -> Result<Manifest, Vec<LoadError>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // Document markers alone (`---`, `...`) hold nothing either.
    if text.trim().lines().all(|l| {
        let l = l.trim();
        let marker = l.split(" #").next().unwrap_or(l).trim_end();
        l.is_empty() || l.starts_with('#') || marker == "---" || marker == "..."
    }) {
        return Err(vec![LoadError::new(
            shown,
            Some(Pos::START),
            "the manifest is empty; it must start with 'relcheck: 1'",
        )]);
    }
    let doc: Document = parse_as(text, shown)?;
    // The version is the number 1: text (quoted, or tagged `!!str`) that reads "1" is not it.
    if let Some(v) = &doc.relcheck
        && let Some(found) = version_as_text(text, v.pos)
    {
        return Err(vec![LoadError::new(
            shown,
            Some(v.pos),
            format!("the format version must be the number 1, not {found}: write `relcheck: 1`"),
        )]);
    }
    into_manifest(doc).map_err(|(pos, msg)| vec![LoadError::new(shown, Some(pos), msg)])
}

/// Reads YAML text as any type the manifest model declares (a manifest's top-level mapping,
/// a `Policy`, ...), with the loader's limits, checks and errors; `shown` is how errors name
/// the text's file.
pub(crate) fn parse_as<T: FromYaml>(text: &str, shown: &str) -> Result<T, Vec<LoadError>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Some(cr) = lone_cr(text) {
        let (line, col) = line_col(&text.as_bytes()[..cr]);
        return Err(vec![LoadError::new(
            shown,
            Some(Pos::new(line, col)),
            "a carriage return (CR) without a line feed ends a line here; relcheck reads \
             manifests with LF or CRLF line endings (convert it, e.g. with `dos2unix -c mac`)",
        )]);
    }
    let mut r = Reader::new(text);
    let read = (|| {
        let Some(ev) = r.next()? else {
            return Ok(None);
        };
        let value = T::read(&mut r, ev)?;
        r.finish()?;
        Ok(value)
    })();
    let (value, fatal) = match read {
        Ok(v) => (v, None),
        Err(f) => (None, Some(f)),
    };
    let (errors, count) = r.into_errors();
    match value {
        Some(v) if count == 0 && fatal.is_none() => Ok(v),
        _ if count == 0 && fatal.is_none() => Err(vec![LoadError::new(
            shown,
            Some(Pos::START),
            "the text is empty",
        )]),
        _ => Err(listed(errors, count, fatal, shown, text)),
    }
}

/// The errors of one text as reported: in file order, the one that stopped reading last,
/// at most [`MAX_ERRORS`] and then how many more.
fn listed(
    mut errors: Vec<(Pos, String)>,
    count: usize,
    fatal: Option<Fatal>,
    shown: &str,
    source: &str,
) -> Vec<LoadError> {
    errors.sort_by_key(|(pos, _)| *pos);
    let total = count + usize::from(fatal.is_some());
    let mut out: Vec<LoadError> = errors
        .into_iter()
        .map(|(pos, message)| LoadError::new(shown, Some(pos), message))
        .collect();
    if let Some(f) = fatal {
        out.push(fatal_error(&f, shown, source));
    }
    if total > MAX_ERRORS {
        out.truncate(MAX_ERRORS);
        out.push(LoadError::new(
            shown,
            None,
            format!(
                "and {} more errors (relcheck lists the first {MAX_ERRORS})",
                total - MAX_ERRORS
            ),
        ));
    }
    out
}

/// Reads manifest text as a JSON value, scalars typed as YAML 1.2 reads them (what an
/// editor's YAML language server sees), for checking it against [`super::json_schema`].
/// The YAML limits and duplicate-key checks are the loader's.
pub fn to_json(text: &str, shown: &str) -> Result<serde_json::Value, Vec<LoadError>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut r = Reader::new(text);
    let read = (|| {
        let value = match r.next()? {
            Some(ev) => json_value(&mut r, ev)?,
            None => serde_json::Value::Null,
        };
        r.finish()?;
        Ok(value)
    })();
    let (value, fatal) = match read {
        Ok(v) => (Some(v), None),
        Err(f) => (None, Some(f)),
    };
    let (errors, count) = r.into_errors();
    match value {
        Some(v) if count == 0 => Ok(v),
        _ => Err(listed(errors, count, fatal, shown, text)),
    }
}

fn json_value<'a>(
    r: &mut Reader<'a>,
    ev: super::events::Ev<'a>,
) -> Result<serde_json::Value, Fatal> {
    use super::events::Ev;
    use serde_json::Value;
    Ok(match ev {
        Ev::Scalar { .. } if is_null(&ev) => Value::Null,
        Ev::Scalar {
            value, style, tag, ..
        } => {
            let plain = style == granit_parser::ScalarStyle::Plain;
            let core = tag.as_deref().and_then(granit_parser::Tag::core_suffix);
            if plain && (tag.is_none() || core.is_some_and(|c| c != "str")) {
                json_scalar(&value)
            } else {
                Value::String(value.into_owned())
            }
        }
        Ev::SeqStart(_) => {
            let mut items = Vec::new();
            loop {
                match r.next_in()? {
                    Ev::SeqEnd(_) => break Value::Array(items),
                    item => items.push(json_value(r, item)?),
                }
            }
        }
        Ev::MapStart(_) => {
            let mut map = serde_json::Map::new();
            let mut merged = Vec::new();
            loop {
                let key = match r.next_in()? {
                    Ev::MapEnd(_) => break,
                    Ev::Scalar {
                        value, style, pos, ..
                    } => (value, style, pos),
                    other => {
                        r.wrong(&other, super::de::Shape::Single, true)?;
                        r.skip_value()?;
                        continue;
                    }
                };
                let next = r.next_in()?;
                let value = json_value(r, next)?;
                if key.0 == "<<" && key.1 == granit_parser::ScalarStyle::Plain {
                    merged.push(value);
                } else if map.contains_key(key.0.as_ref()) {
                    r.error(key.2, super::de::duplicate_key(&key.0));
                } else {
                    map.insert(key.0.into_owned(), value);
                }
            }
            for m in merged {
                let maps = match m {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                for m in maps {
                    if let Value::Object(entries) = m {
                        for (k, v) in entries {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            Value::Object(map)
        }
        Ev::SeqEnd(pos) | Ev::MapEnd(pos) => {
            return Err(Fatal::new(pos, FatalKind::Other, "unbalanced YAML events"));
        }
    })
}

/// A plain scalar as YAML 1.2's core schema types it.
fn json_scalar(s: &str) -> serde_json::Value {
    use serde_json::Value;
    match s {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits(unsigned) {
        if let Ok(n) = s.parse::<i64>() {
            return Value::from(n);
        }
        if let Ok(n) = s.trim_start_matches('+').parse::<u64>() {
            return Value::from(n);
        }
    }
    if let Some(oct) = s.strip_prefix("0o")
        && let Ok(n) = i64::from_str_radix(oct, 8)
    {
        return Value::from(n);
    }
    if let Some(hex) = s.strip_prefix("0x")
        && let Ok(n) = i64::from_str_radix(hex, 16)
    {
        return Value::from(n);
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = (digits(int) || int.is_empty())
        && (frac.is_empty() || digits(frac))
        && !(int.is_empty() && frac.is_empty())
        && (mantissa.contains('.') || !int.is_empty());
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if mantissa_ok
        && exponent_ok
        && (mantissa.contains('.') || exponent.is_some())
        && let Ok(f) = s.parse::<f64>()
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return Value::Number(n);
    }
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return Value::Null;
    }
    Value::String(s.to_owned())
}

/// The error that stopped reading, in a manifest author's words.
fn fatal_error(f: &Fatal, shown: &str, source: &str) -> LoadError {
    let pos = f.pos;
    let message = match f.kind {
        FatalKind::Tag => format!(
            "unsupported YAML tag {}: a manifest holds plain values; remove the tag",
            quoted(&f.message)
        ),
        FatalKind::Limit | FatalKind::Other => f.message.clone(),
        FatalKind::Syntax => {
            let message = f.message.as_str();
            // A tab where indentation belongs: named at the tab, however the parser met it
            // (after a key, or ending a plain value on the line before).
            let after_value = message.starts_with("while scanning a plain scalar, found a tab");
            if let Some(p) = pos
                && (after_value || message.starts_with(TABS_IN_INDENTATION))
            {
                return LoadError::new(
                    shown,
                    Some(tab_at(source, p, after_value)),
                    "a tab indents this line; YAML is indented with spaces only",
                );
            }
            match pos {
                // The parser says "unexpected EOF" for any token that cannot start a value
                // (a stray ',' or ']'); name what is there instead.
                Some(p) if message.starts_with("unexpected EOF while parsing") => {
                    match char_at(source, p) {
                        Some(c) => {
                            format!("expected a value here, found {}", quoted(&c.to_string()))
                        }
                        None => "the file ends where a value belongs".to_owned(),
                    }
                }
                _ => tidy(message),
            }
        }
    };
    LoadError::new(shown, pos, message)
}

/// The parser's message for a tab in block indentation.
const TABS_IN_INDENTATION: &str = "tabs disallowed within this context (block indentation)";

/// The position of the tab the parser complained about at `pos`: in the indentation of
/// that line, or (`after_value`: the parser was reading a plain value starting at `pos`)
/// of the first later line indented with a tab. `pos` when there is none.
fn tab_at(source: &str, pos: Pos, after_value: bool) -> Pos {
    let first = pos.line.saturating_sub(1) as usize + usize::from(after_value);
    source
        .lines()
        .enumerate()
        .skip(first)
        .take(if after_value { usize::MAX } else { 1 })
        .find_map(|(i, line)| {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let tab = line[..indent].find('\t')?;
            (indent < line.len()).then(|| Pos::new(clamp(i + 1), clamp(tab + 1)))
        })
        .unwrap_or(pos)
}

/// The position of `tag` written before the node at `pos` (on its line, or `pos`).
pub(super) fn tag_at(source: &str, pos: Pos, tag: &str) -> Pos {
    source
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .and_then(|line| {
            let end = line
                .char_indices()
                .nth(pos.col.saturating_sub(1) as usize)
                .map_or(line.len(), |(i, _)| i);
            let at = line[..end].rfind(tag)?;
            Some(Pos::new(pos.line, clamp(line[..at].chars().count() + 1)))
        })
        .unwrap_or(pos)
}

/// Rewords the YAML parser's messages where a manifest author needs other words.
fn tidy(text: &str) -> String {
    if text.contains("recursion limit exceeded") {
        super::events::Breach::Depth.message()
    } else if text.starts_with("multiple YAML documents") {
        "the manifest holds several YAML documents; it must be exactly one".to_owned()
    } else if text.starts_with("simple key expected ':'") {
        "expected ':' after this key: a key and its ':' must be on one line, and a key is at \
         most 1024 characters long"
            .to_owned()
    } else {
        text.to_owned()
    }
}

/// Whether the version at `pos` is written as text: quoted (or a block of text), or tagged
/// as a string (`!!str 1`, `! 1`); what it is, for the message.
fn version_as_text(text: &str, pos: Pos) -> Option<&'static str> {
    if matches!(char_at(text, pos), Some('"' | '\'' | '|' | '>')) {
        return Some("quoted text");
    }
    let line = text.lines().nth(pos.line.checked_sub(1)? as usize)?;
    let end = line
        .char_indices()
        .nth(pos.col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let tag = line[..end].trim_end().rsplit([' ', '\t']).next()?;
    (tag.starts_with('!') && tag != "!!int").then_some("tagged text")
}

/// The character at `pos` in `text`, if there is one.
fn char_at(text: &str, pos: Pos) -> Option<char> {
    text.lines()
        .nth(pos.line.checked_sub(1)? as usize)?
        .chars()
        .nth(pos.col.checked_sub(1)? as usize)
}

/// What the YAML node starting at `pos` looks like: "a list", "a mapping", "the value 'x'".
/// `not_a_mapping`: YAML did not read the node as a mapping, whatever it looks like.
pub(super) fn found_at(text: &str, pos: Pos, not_a_mapping: bool) -> String {
    let line = text
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let start = line
        .char_indices()
        .nth(pos.col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    // Inside `[...]` or `{...}` a plain value ends at the next ',', ']' or '}'.
    let before = &line[..start];
    let opened = before.matches(['[', '{']).count() > before.matches([']', '}']).count();
    let mut value = rest.split(" #").next().unwrap_or("").trim_end();
    if opened && !value.starts_with(['[', '{', '"', '\'']) {
        value = value.split([',', ']', '}']).next().unwrap_or("").trim_end();
    }
    let mut chars = value.chars();
    match chars.next() {
        None => "nothing (an empty value)".to_owned(),
        Some('[') => "a list".to_owned(),
        Some('{') => "a mapping".to_owned(),
        Some('-') if chars.next().is_none_or(char::is_whitespace) => "a list".to_owned(),
        Some('|' | '>') => "a block of text".to_owned(),
        Some('*') => format!("the alias {}", quoted(value)),
        Some(q @ ('"' | '\'')) => {
            let inside = value[1..].split(q).next().unwrap_or("");
            format!("the text {}", quoted(inside))
        }
        Some(_) if value.ends_with(':') || value.contains(": ") => {
            if not_a_mapping {
                // `key: value` that YAML read as one value: the key is too long.
                format!(
                    "the value {} (a key is at most 1024 characters long)",
                    quoted(value)
                )
            } else {
                "a mapping".to_owned()
            }
        }
        Some(_) => format!("the value {}", quoted(value)),
    }
}

/// Top-level keys that only a release manifest may have.
pub(super) const RELEASE_KEYS: &[&str] = &[
    "sprints",
    "features",
    "tests",
    "docs",
    "training",
    "deployment",
    "coverage",
];

fn list<T>(l: Option<super::Located<Vec<T>>>) -> Vec<T> {
    l.map(|l| l.value).unwrap_or_default()
}

fn into_manifest(doc: Document) -> Result<Manifest, (Pos, String)> {
    let Some(_version) = doc.relcheck else {
        return Err((
            Pos::START,
            "missing 'relcheck: 1' (the format version) at the top of the manifest".to_owned(),
        ));
    };
    match (doc.release, doc.program) {
        (Some(_), Some(program)) => Err((
            program.pos,
            "a manifest has either 'release' or 'program', not both".to_owned(),
        )),
        (None, None) => Err((
            Pos::START,
            "missing 'release' (a release manifest) or 'program' (a program manifest)".to_owned(),
        )),
        (Some(info), None) => Ok(Manifest::Release(Box::new(Release {
            info,
            sprints: list(doc.sprints),
            features: list(doc.features),
            tests: list(doc.tests),
            docs: list(doc.docs),
            training: list(doc.training),
            deployment: doc.deployment,
            policy: doc.policy,
            waivers: list(doc.waivers),
            coverage: list(doc.coverage),
        }))),
        (None, Some(info)) => {
            let stray = [
                doc.sprints.as_ref().map(|s| s.pos),
                doc.features.as_ref().map(|s| s.pos),
                doc.tests.as_ref().map(|s| s.pos),
                doc.docs.as_ref().map(|s| s.pos),
                doc.training.as_ref().map(|s| s.pos),
                doc.deployment.as_ref().map(|s| s.pos),
                doc.coverage.as_ref().map(|s| s.pos),
            ];
            if let Some((key, pos)) = RELEASE_KEYS
                .iter()
                .zip(stray)
                .find_map(|(k, p)| p.map(|p| (k, p)))
            {
                return Err((
                    pos,
                    format!(
                        "'{key}' belongs in a release manifest; a program manifest has: relcheck, program, policy, waivers"
                    ),
                ));
            }
            Ok(Manifest::Program(Box::new(Program {
                info,
                policy: doc.policy,
                waivers: list(doc.waivers),
            })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(yaml: &str) -> String {
        match parse(yaml, "release.yaml") {
            Ok(_) => panic!("expected an error for:\n{yaml}"),
            Err(e) => e
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

    #[test]
    fn loads_a_minimal_release() {
        let m = parse(HEAD, "release.yaml").unwrap();
        let Manifest::Release(r) = m else {
            panic!("not a release")
        };
        assert_eq!(r.name(), "R");
        assert_eq!(r.info.date.to_string(), "2026-12-15");
        assert_eq!(r.info.pos, Pos::new(3, 3));
    }

    #[test]
    fn unknown_key_names_position_valid_keys_and_suggestion() {
        let e = err(&format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tets: [x]\n"
        ));
        assert!(
            e.starts_with(
                "release.yaml:8:5: unknown key 'tets' in feature, expected one of: id, status,"
            ),
            "{e}"
        );
        assert!(e.ends_with("(did you mean 'tests'?)"), "{e}");
    }

    #[test]
    fn every_error_is_reported_at_once_in_file_order() {
        // Five independent errors: an unknown key, a wrong type, a bad value, a missing
        // required key and a duplicate key.
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tets: [a-it]\n  - id: b\n    status: dne\n  - id: c\ntests:\n  - id: a-it\n    kind: unit\n    status: passed\n    status: failed\npolicy: 3\n"
        );
        assert_eq!(
            err(&yaml),
            "release.yaml:8:5: unknown key 'tets' in feature, expected one of: id, status, title, maturity, added, sprint, user_facing, tests, docs, training, defects, code (did you mean 'tests'?)\n\
             release.yaml:10:13: invalid feature status 'dne', expected one of: planned, in-progress, done, accepted, deferred, dropped (did you mean 'done'?)\n\
             release.yaml:11:5: missing required key 'status' in feature\n\
             release.yaml:16:5: duplicate key 'status': a key may appear only once in a mapping\n\
             release.yaml:17:9: expected a mapping (key: value lines) under 'policy', found the value '3'"
        );
        // A syntax error ends the list.
        let e = err(&format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    titel: A\n  - [\n  - id: b\n"
        ));
        assert!(
            e.starts_with("release.yaml:8:5: unknown key 'titel'"),
            "{e}"
        );
        assert!(
            e.ends_with("\nrelease.yaml:10:3: \"-\" is only valid inside a block"),
            "{e}"
        );
        assert_eq!(e.lines().count(), 2, "{e}");
    }

    #[test]
    fn another_format_version_stops_reading() {
        assert_eq!(
            err("relcheck: 2\nrelease: {name: R, date: 2026-12-15, nme: S}\nfeatures: 3\n"),
            "release.yaml:1:11: unsupported format version 2 (this build supports: 1)"
        );
    }

    #[test]
    fn the_list_of_errors_is_capped() {
        let keys: String = (0..60).map(|i| format!("  k{i}: 1\n")).collect();
        let e = parse(&format!("{HEAD}policy:\n{keys}"), "release.yaml").unwrap_err();
        assert_eq!(e.len(), MAX_ERRORS + 1);
        assert_eq!(e[0].pos, Some(Pos::new(6, 3)));
        assert_eq!(
            e[MAX_ERRORS].to_string(),
            "release.yaml: and 10 more errors (relcheck lists the first 50)"
        );
    }

    #[test]
    fn any_declared_type_reads_from_yaml_text() {
        let policy: super::super::Policy =
            parse_as("max_report_age: 7\nrules: {RC101: off}\n", "relcheck.toml").unwrap();
        assert_eq!(policy.max_report_age.map(|a| a.value.0), Some(7));
        let e =
            parse_as::<super::super::Policy>("max_report_ag: 7\n", "relcheck.toml").unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("relcheck.toml:1:1: unknown key 'max_report_ag' in policy"),
            "{e:?}"
        );
    }

    #[test]
    fn x_keys_are_ignored_at_every_level() {
        let y = format!(
            "x-top: 1\n{HEAD}  x-note: {{a: [1]}}\nfeatures:\n  - id: a\n    status: done\n    x-jira: ABC-1\n"
        );
        parse(&y, "r").unwrap();
    }

    #[test]
    fn version_errors() {
        assert_eq!(
            err("relcheck: 2\nrelease: {name: R, date: 2026-12-15}\n"),
            "release.yaml:1:11: unsupported format version 2 (this build supports: 1)"
        );
        assert!(
            err("release: {name: R, date: 2026-12-15}\n").contains("1:1: missing 'relcheck: 1'")
        );
    }

    #[test]
    fn enum_error_lists_allowed_values() {
        let e = err(&format!(
            "{HEAD}tests:\n  - id: t\n    kind: unit\n    status: pased\n"
        ));
        assert_eq!(
            e,
            "release.yaml:8:13: invalid test status 'pased', expected one of: passed, failed, skipped, not-run (did you mean 'passed'?)"
        );
    }

    #[test]
    fn dates_are_validated_and_quoted() {
        let e = err("relcheck: 1\nrelease:\n  name: R\n  date: 2026-02-30\n");
        assert_eq!(
            e,
            "release.yaml:4:9: invalid date '2026-02-30', expected an existing day written YYYY-MM-DD"
        );
        let e = err("relcheck: 1\nrelease:\n  name: R\n  date: \"2026-1-5\"\n");
        assert!(e.contains("invalid date '2026-1-5'"), "{e}");
        parse(
            "relcheck: 1\nrelease:\n  name: R\n  date: '2026-12-15'\n",
            "r",
        )
        .unwrap();
    }

    #[test]
    fn missing_required_key_points_at_parent() {
        let e = err(&format!("{HEAD}features:\n  - id: a\n    title: A\n"));
        assert_eq!(
            e,
            "release.yaml:6:5: missing required key 'status' in feature"
        );
        let e = err(&format!("{HEAD}features:\n  - id:\n    status: done\n"));
        assert_eq!(e, "release.yaml:6:5: missing required key 'id' in feature");
    }

    #[test]
    fn ids_are_validated() {
        let e = err(&format!(
            "{HEAD}features:\n  - id: bad id\n    status: done\n"
        ));
        assert!(
            e.starts_with("release.yaml:6:9: invalid id 'bad id'"),
            "{e}"
        );
    }

    #[test]
    fn duplicates_and_documents_are_errors() {
        let e = err(&format!(
            "{HEAD}features:\n  - id: a\n    id: b\n    status: done\n"
        ));
        assert_eq!(
            e,
            "release.yaml:7:5: duplicate key 'id': a key may appear only once in a mapping"
        );
        let e = err(&format!("{HEAD}---\n{HEAD}"));
        assert!(e.contains("several YAML documents"), "{e}");
    }

    #[test]
    fn encodings() {
        let e = decode(b"relcheck: 1\nrelease:\n  name: \xff\n".to_vec(), "r.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.yaml:3:9: the manifest is not valid UTF-8 (byte 0xFF at offset 29)"
        );
        let e = decode(vec![0xFF, 0xFE, b'r', 0], "r.yaml").unwrap_err();
        assert!(e.to_string().contains("UTF-16"));
        parse(&format!("\u{FEFF}{HEAD}"), "r").unwrap();
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert!(err("").contains("1:1: the manifest is empty"));
        assert!(err("# nothing\n\n").contains("the manifest is empty"));
        // Document markers alone are empty documents, not a mapping.
        assert_eq!(
            err(&"---\n".repeat(5000)),
            "release.yaml:1:1: the manifest is empty; it must start with 'relcheck: 1'"
        );
        assert!(err("--- # start\n...\n").contains("the manifest is empty"));
    }

    #[test]
    fn other_encodings_and_nul_bytes() {
        let utf16 = |bytes: Vec<u8>| decode(bytes, "r.yaml").unwrap_err().to_string();
        let le: Vec<u8> = HEAD.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = HEAD.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            assert_eq!(
                utf16(bytes),
                "r.yaml:1:1: the manifest is UTF-16 encoded (without a byte-order mark); relcheck reads UTF-8 (convert it, e.g. with iconv)"
            );
        }
        let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0, b'r', 0, 0, 0].to_vec();
        assert_eq!(
            utf16(utf32),
            "r.yaml:1:1: the manifest is UTF-32 encoded; relcheck reads UTF-8 (convert it, e.g. with iconv)"
        );
        let nul = format!("{HEAD}x-a: \"a\0b\"\n").into_bytes();
        assert_eq!(
            utf16(nul),
            "r.yaml:5:8: the manifest holds a NUL byte (at offset 57); is it a binary file?"
        );
    }

    #[test]
    fn values_of_the_wrong_shape_name_the_key_and_what_was_found() {
        let cases = [
            (
                "[1, 2]\n".to_owned(),
                "release.yaml:1:1: the manifest must be a mapping that starts with 'relcheck: 1', found a list",
            ),
            (
                "hello\n".to_owned(),
                "release.yaml:1:1: the manifest must be a mapping that starts with 'relcheck: 1', found the value 'hello'",
            ),
            (
                "relcheck: 1\nrelease: [1]\n".to_owned(),
                "release.yaml:2:10: expected a mapping (key: value lines) under 'release', found a list",
            ),
            (
                format!("{HEAD}features: {{a: 1}}\n"),
                "release.yaml:5:11: expected a list under 'features', found a mapping",
            ),
            (
                format!("{HEAD}features:\n  a: 1\n"),
                "release.yaml:6:3: expected a list under 'features', found a mapping",
            ),
            (
                format!("{HEAD}features: [abc, {{id: b}}]\n"),
                // Two errors: each item is read.
                "release.yaml:5:12: expected a mapping (key: value lines) under 'features', found the value 'abc'\n\
                 release.yaml:5:17: missing required key 'status' in feature",
            ),
            (
                format!("{HEAD}features: [\"x\"]\n"),
                "release.yaml:5:12: expected a mapping (key: value lines) under 'features', found the text 'x'",
            ),
            (
                format!("{HEAD}tests: true\n"),
                "release.yaml:5:8: expected a list under 'tests', found the value 'true'",
            ),
            (
                format!("{HEAD}policy: 3 # no\n"),
                "release.yaml:5:9: expected a mapping (key: value lines) under 'policy', found the value '3'",
            ),
            (
                "relcheck: 1\nrelease:\n  name: [a]\n  date: 2026-12-15\n".to_owned(),
                "release.yaml:3:9: expected a single value under 'release.name', found a list",
            ),
            (
                format!("{HEAD}features:\n  - id: a\n    status: done\n    tests: abc\n"),
                "release.yaml:8:12: expected a list under 'features.tests', found the value 'abc'",
            ),
            (
                format!("{HEAD}features:\n  - id: a\n    status:\n      - done\n"),
                "release.yaml:8:7: expected a single value under 'features.status', found a list",
            ),
            (
                format!("{HEAD}policy:\n  rules: [RC101]\n"),
                "release.yaml:6:10: expected a mapping (key: value lines) under 'policy.rules', found a list",
            ),
            (
                format!("x-a: &a {{k: 1}}\n{HEAD}features: *a\n"),
                "release.yaml:6:11: expected a list under 'features', found the alias '*a'",
            ),
            (
                format!("{HEAD}deployment: &d !!seq []\n"),
                "release.yaml:5:22: expected a mapping (key: value lines) under 'deployment', found a list",
            ),
        ];
        for (yaml, expected) in cases {
            assert_eq!(err(&yaml), expected, "{yaml}");
        }
        // An error that is not about shape leaves no stale key behind for the next one.
        assert!(
            err(&format!("{HEAD}features: [{{id: a, status: dne}}]\n"))
                .contains("invalid feature status")
        );
        assert_eq!(
            err("relcheck: 1\nrelease: x\n"),
            "release.yaml:2:10: expected a mapping (key: value lines) under 'release', found the value 'x'"
        );
    }

    #[test]
    fn keys_and_empty_values_of_the_wrong_shape() {
        let cases = [
            (
                format!("{HEAD}: x\n"),
                "release.yaml:5:1: expected a key (a single value) at the top level, found nothing (empty or null)",
            ),
            (
                format!("{HEAD}? [a, b]\n: 1\n"),
                "release.yaml:5:3: expected a key (a single value) at the top level, found a list",
            ),
            (
                format!("{HEAD}features: [{{? [x]: 1}}]\n"),
                "release.yaml:5:15: expected a key (a single value) under 'features', found a list",
            ),
            (
                format!("{HEAD}policy: {{rules: {{~: off}}}}\n"),
                "release.yaml:5:18: expected a key (a single value) under 'policy.rules', found nothing (empty or null)",
            ),
            (
                format!("{HEAD}features: [{{id: a, status: done, tests: [~]}}]\n"),
                "release.yaml:5:42: expected a single value under 'features.tests', found nothing (empty or null)",
            ),
        ];
        for (yaml, expected) in cases {
            assert_eq!(err(&yaml), expected, "{yaml}");
        }
    }

    #[test]
    fn yaml_syntax_messages_are_reworded() {
        // The parser calls any token that cannot start a value an "unexpected EOF".
        assert_eq!(
            err(",!'ab}\n"),
            "release.yaml:1:1: expected a value here, found ','"
        );
        assert_eq!(
            err(&format!("{HEAD}x-a:\n  - ,\n")),
            "release.yaml:6:5: expected a value here, found ','"
        );
        assert_eq!(
            err("relcheck: 1\nrelease:\n\tname: R\n"),
            "release.yaml:3:1: a tab indents this line; YAML is indented with spaces only"
        );
        assert_eq!(
            err("relcheck: 1\nrelease:\n  name: R\n  oops\n  date: 2026-12-15\n"),
            "release.yaml:4:3: expected ':' after this key: a key and its ':' must be on one line, and a key is at most 1024 characters long"
        );
        // A key over YAML's 1024 characters is read as one plain value.
        let long_key = format!("{HEAD}policy:\n  rules:\n    {}: off\n", "k".repeat(2000));
        assert_eq!(
            err(&long_key),
            "release.yaml:7:5: expected a mapping (key: value lines) under 'policy.rules', found the value 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' (2005 bytes) (a key is at most 1024 characters long)\n\
             release.yaml:7:2005: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn a_tab_in_indentation_is_named_at_the_tab() {
        let y = |rest: &str| format!("relcheck: 1\nrelease:\n  name: R\n{rest}");
        let message = "a tab indents this line; YAML is indented with spaces only";
        for (yaml, at) in [
            // After a plain value, the parser is still reading that value.
            (y("\tdate: 2026-12-15\n"), "4:1"),
            (y(" \tdate: 2026-12-15\n"), "4:2"),
            (
                format!("{HEAD}features:\n  - id: a\n    tests:\n    - x\n\t- y\n"),
                "9:1",
            ),
            // After a bare key.
            ("relcheck: 1\nrelease:\n\tname: R\n".to_owned(), "3:1"),
            ("relcheck: 1\nrelease:\n  name:\n\tR\n".to_owned(), "4:1"),
        ] {
            assert_eq!(
                err(&yaml),
                format!("release.yaml:{at}: {message}"),
                "{yaml:?}"
            );
        }
    }

    #[test]
    fn lone_carriage_returns_are_refused_where_they_are() {
        assert_eq!(
            err("relcheck: 1\rrelease:\r  name: R\r"),
            "release.yaml:1:12: a carriage return (CR) without a line feed ends a line here; relcheck reads manifests with LF or CRLF line endings (convert it, e.g. with `dos2unix -c mac`)"
        );
        assert!(
            err(&format!("{HEAD}x-a: 1\r\nx-b: \"a\rb\"\n"))
                .starts_with("release.yaml:6:8: a carriage return")
        );
        // CRLF is fine.
        parse(&HEAD.replace('\n', "\r\n"), "r").unwrap();
    }

    #[test]
    fn custom_tags_are_refused_at_the_tag() {
        let tag = |at: &str, t: &str| {
            format!(
                "release.yaml:{at}: unsupported YAML tag '{t}': a manifest holds plain values; remove the tag"
            )
        };
        assert_eq!(
            err("relcheck: 1\nrelease:\n  name: !custom R\n  date: 2026-12-15\n"),
            tag("3:9", "!custom")
        );
        assert_eq!(
            err("relcheck: 1\nrelease:\n  !custom name: R\n  date: 2026-12-15\n"),
            tag("3:3", "!custom")
        );
        // Under `x-` keys too: a tag is never silently dropped.
        assert_eq!(err(&format!("{HEAD}x-a: !foo 1\n")), tag("5:6", "!foo"));
        // The YAML core tags are plain values.
        parse(&format!("{HEAD}x-a: !!str 1\nx-b: !!seq []\n"), "r").unwrap();
    }

    #[test]
    fn the_version_is_the_number_one() {
        assert_eq!(
            err("relcheck: \"1\"\nrelease: {name: R, date: 2026-12-15}\n"),
            "release.yaml:1:11: the format version must be the number 1, not quoted text: write `relcheck: 1`"
        );
        assert_eq!(
            err("relcheck: !!str 1\nrelease: {name: R, date: 2026-12-15}\n"),
            "release.yaml:1:17: the format version must be the number 1, not tagged text: write `relcheck: 1`"
        );
        assert_eq!(
            err("relcheck: '2'\nrelease: {name: R, date: 2026-12-15}\n"),
            "release.yaml:1:11: unsupported format version 2 (this build supports: 1)"
        );
        assert_eq!(
            err("relcheck: 1.0\nrelease: {name: R, date: 2026-12-15}\n"),
            "release.yaml:1:11: unsupported format version 1.0 (this build supports: 1)"
        );
    }

    #[test]
    fn thresholds_take_any_decimal_counts_are_whole() {
        let m = parse(
            &format!("{HEAD}policy:\n  max_coverage_gap: 0.3333333333\n"),
            "r",
        )
        .unwrap();
        let gap = m
            .policy()
            .and_then(|p| p.max_coverage_gap.as_ref())
            .map(|g| g.nanos());
        assert_eq!(gap, Some(333_333_333));
        assert_eq!(
            err(&format!(
                "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 1.5}}\n"
            )),
            "release.yaml:8:25: invalid count '1.5': a count is a whole number (0, 1, 2, ...), not a fraction"
        );
    }

    #[test]
    fn invisible_reasons_and_owners_are_blank() {
        for (key, value) in [
            ("reason", "\"\\u200B\\u2060\""),
            ("owner", "\"\\uFEFF \\u200C\\u200D\""),
            ("reason", "\"\\t \""),
        ] {
            let w = |k: &str, v: &str| {
                if k == key {
                    value.to_owned()
                } else {
                    v.to_owned()
                }
            };
            let yaml = format!(
                "{HEAD}waivers:\n  - rule: RC101\n    subject: a\n    reason: {}\n    owner: {}\n",
                w("reason", "Because"),
                w("owner", "Dana")
            );
            let line = if key == "reason" { 8 } else { 9 };
            let col = if key == "reason" { 13 } else { 12 };
            assert_eq!(
                err(&yaml),
                format!(
                    "release.yaml:{line}:{col}: '{key}' of a waiver must not be blank (it holds only whitespace or invisible characters)"
                ),
                "{yaml}"
            );
        }
        // Visible text around an invisible character is fine.
        parse(&format!("{HEAD}waivers:\n  - rule: RC101\n    subject: a\n    reason: \"a\\u200Bb\"\n    owner: Dana\n"), "r").unwrap();
    }

    #[test]
    fn error_messages_escape_file_names_and_text() {
        let e = parse("relcheck: 2\n", "::error::x\u{1b}[31m\n.release.yaml").unwrap_err();
        let e = &e[0];
        assert_eq!(
            e.to_string(),
            "./::error::x\\u{1b}[31m\\n.release.yaml:1:11: unsupported format version 2 (this build supports: 1)"
        );
        let e = LoadError::new("r.yaml", None, "a\nb\u{202e}");
        assert_eq!(e.to_string(), "r.yaml: a\\nb\\u{202e}");
    }

    #[test]
    fn huge_values_are_refused_and_never_echoed_whole() {
        let big = "a".repeat(super::super::de::MAX_VALUE_BYTES + 1);
        let name = format!("relcheck: 1\nrelease:\n  name: {big}\n  date: 2026-12-15\n");
        assert_eq!(
            err(&name),
            "release.yaml:3:9: this value is 65537 bytes long; relcheck reads values of at most 65536 bytes (64 KiB)"
        );
        let status = format!("{HEAD}features:\n  - id: a\n    status: {big}\n");
        assert_eq!(
            err(&status),
            "release.yaml:7:13: this value is 65537 bytes long; relcheck reads values of at most 65536 bytes (64 KiB)"
        );
        // `x-` values are skipped whatever their size.
        parse(&format!("{HEAD}x-note: {big}\n"), "r").unwrap();
        // Below the cap, error messages quote only the start of a value.
        let date = format!(
            "relcheck: 1\nrelease:\n  name: R\n  date: {}\n",
            "9".repeat(5000)
        );
        assert_eq!(
            err(&date),
            "release.yaml:4:9: invalid date '9999999999999999999999999999999999999999...' (5000 bytes), expected an existing day written YYYY-MM-DD"
        );
        let id = |n: usize| {
            format!(
                "{HEAD}features:\n  - id: {}\n    status: done\n",
                "i".repeat(n)
            )
        };
        parse(&id(200), "r").unwrap();
        assert_eq!(
            err(&id(201)),
            "release.yaml:6:9: id 'iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii...' (201 bytes) is too long: ids are at most 200 characters"
        );
    }

    #[test]
    fn numbers_are_bounded() {
        let sprint = |v: &str| {
            format!(
                "{HEAD}sprints:\n  - id: S1\n    kind: feature\n    start: 2026-10-01\n    end: 2026-10-10\n    {v}\n"
            )
        };
        assert!(err(&sprint("hours_per_day: 25")).contains("number 25 is too large (at most 24)"));
        assert!(err(&sprint("planned: -3")).contains("must not be negative"));
        assert!(err(&sprint("planned: .nan")).contains("finite non-negative"));
        assert!(err(&sprint("planned: 99999999999999999999999")).contains("too large"));
        let e = err(&format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 1.5}}\n"
        ));
        assert!(e.contains("invalid count '1.5'"), "{e}");
    }

    #[test]
    fn path_or_url_exactly_one() {
        let e = err(&format!(
            "{HEAD}docs:\n  - id: d\n    kind: user\n    status: final\n"
        ));
        assert_eq!(e, "release.yaml:6:5: doc 'd' needs 'path' or 'url'");
        let e = err(&format!(
            "{HEAD}docs:\n  - id: d\n    kind: user\n    status: final\n    path: a.md\n    url: https://x\n"
        ));
        assert_eq!(
            e,
            "release.yaml:10:10: doc 'd' gives both 'path' and 'url'; give exactly one"
        );
    }

    #[test]
    fn waivers_need_reason_and_owner() {
        let e = err(&format!(
            "{HEAD}waivers:\n  - rule: RC101\n    subject: a\n    owner: Dana\n"
        ));
        assert_eq!(
            e,
            "release.yaml:6:5: missing required key 'reason' in waiver"
        );
        let e = err(&format!(
            "{HEAD}waivers:\n  - rule: RC101\n    subject: a\n    owner: Dana\n    reason: '  '\n"
        ));
        assert_eq!(
            e,
            "release.yaml:9:13: 'reason' of a waiver must not be blank (it holds only whitespace or invisible characters)"
        );
    }

    #[test]
    fn program_manifests() {
        let y = "relcheck: 1\nprogram:\n  id: w\n  name: W\n  date: 2026-12-15\n  products:\n    - id: a\n      manifest: a/release.yaml\n";
        assert!(matches!(parse(y, "p").unwrap(), Manifest::Program(_)));
        let e = err(&format!("{y}features: []\n"));
        assert!(
            e.starts_with("release.yaml:9:11: 'features' belongs in a release manifest"),
            "{e}"
        );
    }

    #[test]
    fn yaml_bombs_are_refused() {
        let deep = format!(
            "relcheck: 1\nx-deep: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(err(&deep).contains("nested too deeply"), "{}", err(&deep));
        let mut bomb = String::from("relcheck: 1\nx-a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("a{}", i - 1)
            };
            bomb.push_str(&format!("x-a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = err(&bomb);
        assert!(e.contains("relcheck refuses it"), "{e}");
    }

    #[test]
    fn coverage_section_code_globs_and_min_feature_coverage() {
        let m = parse(
            &format!(
                "{HEAD}features:\n  - id: a\n    status: done\n    code: [src/a/**, web/cart.ts]\ncoverage:\n  - report: reports/coverage.xml\n    prefix: services/shop\npolicy:\n  min_feature_coverage: 0.75\n"
            ),
            "release.yaml",
        )
        .unwrap();
        let Manifest::Release(r) = m else {
            panic!("not a release")
        };
        let globs: Vec<&str> = r.features[0]
            .code_globs()
            .iter()
            .map(|g| g.as_str())
            .collect();
        assert_eq!(globs, ["src/a/**", "web/cart.ts"]);
        assert_eq!(r.coverage.len(), 1);
        assert_eq!(r.coverage[0].report.as_str(), "reports/coverage.xml");
        assert_eq!(
            r.coverage[0].prefix.as_deref().map(String::as_str),
            Some("services/shop")
        );
        let given = crate::manifest::EffectivePolicy::from(r.policy.as_deref());
        assert_eq!(given.min_feature_coverage.nanos(), 750_000_000);
        let default = crate::manifest::EffectivePolicy::from(None);
        assert_eq!(default.min_feature_coverage.nanos(), 600_000_000);
        let feature = |code: &str| {
            format!("{HEAD}features:\n  - id: a\n    status: done\n    code: {code}\n")
        };
        let e = err(&feature("['src/']"));
        assert!(
            e.starts_with("release.yaml:8:12: code glob 'src/' ends with '/'"),
            "{e}"
        );
        assert!(e.contains("write 'src/**'"), "{e}");
        let e = err(&feature("['!src/a.py']"));
        assert!(
            e.starts_with("release.yaml:8:12: code glob '!src/a.py' starts with '!'"),
            "{e}"
        );
        let e = err(&format!("{HEAD}policy:\n  min_feature_coverage: 1.5\n"));
        assert!(e.starts_with("release.yaml:6:25:"), "{e}");
        let e = err(&format!("{HEAD}coverage:\n  - prefix: a\n"));
        assert!(e.contains("report"), "{e}");
        let e = err(
            "relcheck: 1\nprogram:\n  id: p\n  name: P\n  date: 2026-12-15\n  products: []\ncoverage: []\n",
        );
        assert!(
            e.contains("'coverage' belongs in a release manifest"),
            "{e}"
        );
    }
}
