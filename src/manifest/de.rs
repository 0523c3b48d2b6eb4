//! The strict reader behind the manifest model, driven by the YAML parser's events.
//!
//! Every mapping in a manifest is read by code generated with [`manifest_struct!`]: known
//! keys are read into typed, positioned values; `x-` keys are skipped; any other key is an
//! error naming the key, where it is, the valid keys and the closest one. Scalars with rules
//! of their own (ids, dates, enums, bounded numbers) validate themselves while they are read.
//!
//! A value that is wrong is an error at its position and is skipped: reading goes on, so one
//! run reports every wrong key and value of a manifest ([`Reader::errors`]). Only what stops
//! the YAML parser (a syntax error, a limit: [`Fatal`]) ends the list.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::ops::Deref;

use granit_parser::ScalarStyle;

use super::events::{Ev, Events, Fatal, FatalKind, key_tag};
use crate::suggest::did_you_mean;

/// A 1-based line and column in a manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }

    /// The start of the file, for findings about the manifest as a whole.
    pub const START: Pos = Pos { line: 1, col: 1 };
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A value with the position of its YAML node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Located<T> {
    pub const fn new(value: T, pos: Pos) -> Self {
        Located { value, pos }
    }
}

impl<T> Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Display> fmt::Display for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// The longest single value (a scalar) a manifest may hold, in bytes (64 KiB).
///
/// Values end up in findings, often several times (the release name is the subject of every
/// release-wide finding), so a 100 MB name would make gigabytes of report. No real name,
/// reason or path comes near this.
pub(crate) const MAX_VALUE_BYTES: usize = 64 * 1024;

/// The longest id, in characters.
pub(crate) const MAX_ID_CHARS: usize = 200;

fn too_long(len: usize) -> String {
    format!(
        "this value is {len} bytes long; relcheck reads values of at most {MAX_VALUE_BYTES} bytes (64 KiB)"
    )
}

/// A value from the manifest as error messages quote it: escaped, in quotes, and cut after
/// 40 characters (with its length) so that a huge value cannot make a huge message.
pub(crate) fn quoted(s: &str) -> String {
    match long_prefix(s) {
        None => format!("'{}'", s.escape_debug()),
        Some(head) => format!("'{}...' ({} bytes)", head.escape_debug(), s.len()),
    }
}

/// Like [`quoted`], without the quotes (for numbers).
fn clipped(s: &str) -> String {
    match long_prefix(s) {
        None => s.escape_debug().to_string(),
        Some(head) => format!("{}... ({} bytes)", head.escape_debug(), s.len()),
    }
}

/// The first 40 characters of `s`, when it has more than 50.
fn long_prefix(s: &str) -> Option<&str> {
    s.char_indices().nth(50)?;
    s.char_indices().nth(40).map(|(i, _)| &s[..i])
}

/// Where a check found a problem (`None`: the mapping being checked) and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub pos: Option<Pos>,
    pub message: String,
}

impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Invalid { pos: None, message }
    }
}

/// A problem at `pos`, for checks whose error is not about the mapping as a whole.
pub(super) fn at(pos: Pos, message: impl Into<String>) -> Invalid {
    Invalid {
        pos: Some(pos),
        message: message.into(),
    }
}

/// The error for a key that the mapping does not have.
pub(super) fn unknown_key(key: &str, what: &str, keys: &[&str]) -> String {
    let mut msg = format!(
        "unknown key {} in {what}, expected one of: {}",
        quoted(key),
        keys.join(", ")
    );
    if let Some(best) = did_you_mean(key, keys.iter().copied()) {
        msg.push_str(&format!(" (did you mean '{best}'?)"));
    }
    msg
}

pub(super) fn missing_key(key: &str, what: &str) -> String {
    format!("missing required key '{key}' in {what}")
}

pub(super) fn bad_choice(what: &str, found: &str, names: &[&str]) -> String {
    let mut msg = format!(
        "invalid {what} {}, expected one of: {}",
        quoted(found),
        names.join(", ")
    );
    if let Some(best) = did_you_mean(found, names.iter().copied()) {
        msg.push_str(&format!(" (did you mean '{best}'?)"));
    }
    msg
}

/// The errors kept to report; beyond them, errors are only counted.
const KEPT_ERRORS: usize = 10_000;

/// What a node should have been, for the error a node of another shape gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Mapping,
    List,
    Single,
}

/// Reads typed values from the events of one manifest, collecting the errors of wrong keys
/// and values (each skipped) until the end or a [`Fatal`] one.
pub(crate) struct Reader<'a> {
    events: Events<'a>,
    pub(crate) source: &'a str,
    errors: Vec<(Pos, String)>,
    /// Every error, kept or not.
    count: usize,
    /// The keys whose values are being read, outermost first.
    path: Vec<&'static str>,
    /// Events to read before the parser's: the entries a mapping merges (`<<`), read at its
    /// end.
    queued: VecDeque<Ev<'a>>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Reader {
            events: Events::new(source),
            source,
            errors: Vec::new(),
            count: 0,
            path: Vec::new(),
            queued: VecDeque::new(),
        }
    }

    /// The next event; `None` after the last.
    #[inline]
    pub(crate) fn next(&mut self) -> Result<Option<Ev<'a>>, Fatal> {
        if let Some(ev) = self.queued.pop_front() {
            return Ok(Some(ev));
        }
        self.events.next()
    }

    /// The next event, where the stream cannot end (inside a node).
    pub(crate) fn next_in(&mut self) -> Result<Ev<'a>, Fatal> {
        self.next()?.ok_or_else(|| {
            Fatal::new(
                self.events.last,
                FatalKind::Other,
                "the file ends where a value belongs",
            )
        })
    }

    /// Skips the rest of the node that starts with `first`.
    pub(crate) fn skip(&mut self, first: &Ev<'a>) -> Result<(), Fatal> {
        if self.queued.is_empty() {
            return self.events.skip(first);
        }
        let mut depth = match first {
            Ev::SeqStart(_) | Ev::MapStart(_) => 1usize,
            _ => return Ok(()),
        };
        while depth > 0 {
            match self.next_in()? {
                Ev::SeqStart(_) | Ev::MapStart(_) => depth += 1,
                Ev::SeqEnd(_) | Ev::MapEnd(_) => depth -= 1,
                Ev::Scalar { .. } => {}
            }
        }
        Ok(())
    }

    /// Skips the next node.
    pub(crate) fn skip_value(&mut self) -> Result<(), Fatal> {
        let ev = self.next_in()?;
        self.skip(&ev)
    }

    pub(crate) fn error(&mut self, pos: Pos, message: String) {
        self.count += 1;
        if self.errors.len() < KEPT_ERRORS {
            self.errors.push((pos, message));
        }
    }

    /// Errors so far (to tell whether reading a value found any).
    pub(crate) fn error_count(&self) -> usize {
        self.count
    }

    /// The errors, in the order found, and how many there were.
    pub(crate) fn into_errors(self) -> (Vec<(Pos, String)>, usize) {
        (self.errors, self.count)
    }

    /// Reads the rest of the stream after the document (a second document, a syntax error).
    pub(crate) fn finish(&mut self) -> Result<(), Fatal> {
        while self.next()?.is_some() {}
        Ok(())
    }

    /// Runs `read` with `key` on the path of its errors.
    pub(crate) fn under<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Self) -> Result<T, Fatal>,
    ) -> Result<T, Fatal> {
        self.path.push(key);
        let out = read(self);
        self.path.pop();
        out
    }

    /// The error for a node of the wrong shape (`key`: a mapping key was expected), and skips
    /// it.
    pub(crate) fn wrong(&mut self, ev: &Ev<'a>, shape: Shape, key: bool) -> Result<(), Fatal> {
        let pos = ev.pos();
        let found = if is_null(ev) && (key || shape == Shape::Single) {
            "nothing (empty or null)".to_owned()
        } else {
            super::load::found_at(self.source, pos, shape == Shape::Mapping)
        };
        let wanted = match shape {
            Shape::Mapping => "a mapping (key: value lines)",
            Shape::List => "a list",
            Shape::Single => "a single value",
        };
        let under = self.path.join(".");
        let message = match (key, under.is_empty()) {
            (true, true) => {
                format!("expected a key (a single value) at the top level, found {found}")
            }
            (true, false) => {
                format!("expected a key (a single value) under '{under}', found {found}")
            }
            (false, true) => format!(
                "the manifest must be a mapping that starts with 'relcheck: 1', found {found}"
            ),
            (false, false) => format!("expected {wanted} under '{under}', found {found}"),
        };
        self.error(pos, message);
        self.skip(ev)
    }

    /// A scalar's text, or `None` after the error of a node that is not one (or is too long).
    pub(crate) fn text(&mut self, ev: Ev<'a>) -> Result<Option<Located<Cow<'a, str>>>, Fatal> {
        if is_null(&ev) {
            self.wrong(&ev, Shape::Single, false)?;
            return Ok(None);
        }
        match ev {
            Ev::Scalar { value, pos, .. } => {
                if value.len() > MAX_VALUE_BYTES {
                    self.error(pos, too_long(value.len()));
                    return Ok(None);
                }
                Ok(Some(Located::new(value, pos)))
            }
            other => {
                self.wrong(&other, Shape::Single, false)?;
                Ok(None)
            }
        }
    }

    /// Reads a scalar with rules of its own, or `None` after its error.
    pub(crate) fn scalar<T: Scalar>(&mut self, ev: Ev<'a>) -> Result<Option<T>, Fatal> {
        let Some(text) = self.text(ev)? else {
            return Ok(None);
        };
        match T::from_text(&text.value) {
            Ok(v) => Ok(Some(v)),
            Err(message) if T::STOPS => Err(Fatal::new(text.pos, FatalKind::Other, message)),
            Err(message) => {
                self.error(text.pos, message);
                Ok(None)
            }
        }
    }

    /// Reads the next key of the mapping `map` is reading, or `None` at its end (after the
    /// entries it merges). Keys that are no names are errors, their values skipped.
    pub(crate) fn next_key(&mut self, map: &mut MapState<'a>) -> Result<Option<Key<'a>>, Fatal> {
        loop {
            let ev = self.next_in()?;
            match ev {
                Ev::MapEnd(_) if map.merges.is_empty() => return Ok(None),
                Ev::MapEnd(at) => {
                    // The merged entries, then this end again.
                    map.merging = true;
                    for batch in std::mem::take(&mut map.merges) {
                        self.queued.extend(batch);
                    }
                    self.queued.push_back(Ev::MapEnd(at));
                }
                Ev::Scalar {
                    value,
                    style,
                    tag,
                    pos,
                } => {
                    if let Some(written) = key_tag(tag.as_deref()) {
                        let merge = value == "<<" && written.contains("merge");
                        if !merge {
                            return Err(Fatal::new(
                                super::load::tag_at(self.source, pos, &written),
                                FatalKind::Tag,
                                written,
                            ));
                        }
                    }
                    let null = tag.is_none()
                        && style == ScalarStyle::Plain
                        && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                    if null {
                        let ev = Ev::Scalar {
                            value,
                            style,
                            tag,
                            pos,
                        };
                        self.wrong(&ev, Shape::Single, true)?;
                        self.skip_value()?;
                        map.bad_key = true;
                    } else if value == "<<" && (style == ScalarStyle::Plain || tag.is_some()) {
                        self.merge(map)?;
                    } else if value.len() > MAX_VALUE_BYTES {
                        self.error(pos, too_long(value.len()));
                        self.skip_value()?;
                        map.bad_key = true;
                    } else {
                        return Ok(Some(Key { name: value, pos }));
                    }
                }
                other => {
                    self.wrong(&other, Shape::Single, true)?;
                    self.skip_value()?;
                    map.bad_key = true;
                }
            }
        }
    }

    /// Reads the value of a merge key (`<<`): a mapping or a list of mappings, whose entries
    /// the mapping reads at its end, where it has no key of theirs.
    fn merge(&mut self, map: &mut MapState<'a>) -> Result<(), Fatal> {
        let ev = self.next_in()?;
        let pos = ev.pos();
        match ev {
            Ev::MapStart(_) => {
                let entries = self.capture_entries()?;
                map.merges.push(entries);
            }
            Ev::SeqStart(_) => loop {
                match self.next_in()? {
                    Ev::SeqEnd(_) => break,
                    Ev::MapStart(_) => {
                        let entries = self.capture_entries()?;
                        map.merges.push(entries);
                    }
                    other => {
                        self.error(other.pos(), MERGE_VALUE.to_owned());
                        self.skip(&other)?;
                    }
                }
            },
            other => {
                self.error(pos, MERGE_VALUE.to_owned());
                self.skip(&other)?;
            }
        }
        Ok(())
    }

    /// The events of a mapping's entries, up to its end (read).
    fn capture_entries(&mut self) -> Result<Vec<Ev<'a>>, Fatal> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let ev = self.next_in()?;
            match ev {
                Ev::SeqStart(_) | Ev::MapStart(_) => depth += 1,
                Ev::SeqEnd(_) | Ev::MapEnd(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                }
                Ev::Scalar { .. } => {}
            }
            out.push(ev);
        }
    }

    /// Reads the value of a key the mapping knows into `slot` (`key`: where the key is, for
    /// a duplicate). A null value leaves the key without a value.
    pub(crate) fn slot<T: FromYaml>(
        &mut self,
        slot: &mut Slot<T>,
        key: &Key<'a>,
        map: &MapState<'a>,
        name: &'static str,
    ) -> Result<(), Fatal> {
        if !matches!(slot, Slot::Absent) {
            if !map.merging {
                self.error(key.pos, duplicate_key(&key.name));
            }
            return self.skip_value();
        }
        let ev = self.next_in()?;
        if is_null(&ev) {
            *slot = Slot::Null;
            return Ok(());
        }
        let pos = ev.pos();
        *slot = match self.under(name, |r| T::read(r, ev))? {
            Some(v) => Slot::Set(Located::new(v, pos)),
            None => Slot::Bad,
        };
        Ok(())
    }

    /// Notes a key the mapping does not know by name (`x-` keys and unknown ones): `false`
    /// when it is a duplicate (the error is then recorded and the value skipped).
    pub(crate) fn other_key(
        &mut self,
        key: &Key<'a>,
        map: &mut MapState<'a>,
    ) -> Result<bool, Fatal> {
        if map.others.insert(key.name.clone()) {
            return Ok(true);
        }
        if !map.merging {
            self.error(key.pos, duplicate_key(&key.name));
        }
        self.skip_value()?;
        Ok(false)
    }
}

const MERGE_VALUE: &str = "the value of a merge key '<<' must be a mapping or a list of mappings";

pub(super) fn duplicate_key(key: &str) -> String {
    format!(
        "duplicate key {}: a key may appear only once in a mapping",
        quoted(key)
    )
}

/// Whether an event is YAML's null: an empty or `~`/`null` plain scalar, or `!!null`.
#[inline]
pub(crate) fn is_null(ev: &Ev<'_>) -> bool {
    match ev {
        Ev::Scalar {
            value, style, tag, ..
        } => match tag {
            None => {
                *style == ScalarStyle::Plain
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL")
            }
            Some(t) => t.core_suffix() == Some("null"),
        },
        _ => false,
    }
}

/// A mapping key, with its position.
pub(crate) struct Key<'a> {
    pub name: Cow<'a, str>,
    pub pos: Pos,
}

/// What a mapping being read remembers: keys not known by name, the entries it merges.
#[derive(Default)]
pub(crate) struct MapState<'a> {
    others: crate::hash::Set<Cow<'a, str>>,
    merges: Vec<Vec<Ev<'a>>>,
    /// Reading the merged entries: keys already given win, silently.
    merging: bool,
    /// A key was no name (a list, null): it may have been a required one.
    bad_key: bool,
}

impl MapState<'_> {
    /// Whether a key could not be read: a required key may then be missing only seemingly.
    pub(crate) fn had_bad_key(&self) -> bool {
        self.bad_key
    }
}

/// A key of a mapping, as read.
pub(crate) enum Slot<T> {
    Absent,
    /// Given with no value (empty or null): as good as absent.
    Null,
    /// Given with a value that was wrong (its error is recorded).
    Bad,
    Set(Located<T>),
}

impl<T> Slot<T> {
    pub(crate) fn take(self) -> Option<Located<T>> {
        match self {
            Slot::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Absent, or given without a value: missing, for a required key.
    pub(crate) fn missing(&self) -> bool {
        matches!(self, Slot::Absent | Slot::Null)
    }
}

/// A value read from YAML events. `read` gets the node's first event (never null: a null
/// value is an absent optional key, or the error of [`Reader::text`]); it returns `None`
/// after recording the errors of a wrong value, which it has skipped.
pub(crate) trait FromYaml: Sized {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal>;
}

/// A scalar read from its text, whatever YAML would infer (`2026-01-05`, `30`, `0.7`).
pub(crate) trait Scalar: Sized {
    /// A wrong value stops reading: the rest would be read by the wrong rules (the format
    /// version).
    const STOPS: bool = false;

    fn from_text(s: &str) -> Result<Self, String>;
}

impl<T: Scalar> FromYaml for T {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal> {
        r.scalar(ev)
    }
}

impl Scalar for String {
    fn from_text(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

/// Lists: every item is read (a wrong one is an error, and left out).
impl<T: FromYaml> FromYaml for Vec<Located<T>> {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal> {
        if !matches!(ev, Ev::SeqStart(_)) {
            r.wrong(&ev, Shape::List, false)?;
            return Ok(None);
        }
        let mut out = Vec::new();
        loop {
            let ev = r.next_in()?;
            if matches!(ev, Ev::SeqEnd(_)) {
                // The model lives for the whole check: no spare capacity (up to half of a
                // long list's memory otherwise).
                out.shrink_to_fit();
                return Ok(Some(out));
            }
            let pos = ev.pos();
            if let Some(v) = T::read(r, ev)? {
                out.push(Located::new(v, pos));
            }
        }
    }
}

/// Declares a manifest mapping type with its strict reader.
///
/// `required` fields must be present and non-empty (an empty value counts as absent);
/// `optional` fields are `Option`s. Every field keeps its position. `check` names a
/// function run on the finished value for rules that involve several keys.
///
/// The same declaration gives the mapping's JSON Schema (`relcheck schema`), so the schema
/// cannot drift from what the loader accepts: the type's and each field's `///` doc comment
/// become their `description`s (doc comments are the only attributes accepted), `required`
/// lists the required group, unknown keys are refused and `x-` keys allowed.
macro_rules! manifest_struct {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident as $what:literal {
            required { $( $(#[doc = $rdoc:literal])* $rfield:ident : $rty:ty ),* $(,)? }
            optional { $( $(#[doc = $odoc:literal])* $ofield:ident : $oty:ty ),* $(,)? }
        }
        $(check = $check:path;)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug)]
        pub struct $name {
            $( $(#[doc = $rdoc])* pub $rfield: $crate::manifest::Located<$rty>, )*
            $( $(#[doc = $odoc])* pub $ofield: Option<$crate::manifest::Located<$oty>>, )*
        }

        impl $name {
            /// The keys this mapping accepts, in the order of the format's documentation.
            pub const KEYS: &'static [&'static str] = &[
                $( stringify!($rfield), )* $( stringify!($ofield), )*
            ];

            /// The JSON Schema of each key (described by its doc comment), and the required keys.
            pub(crate) fn schema_properties(
                g: &mut schemars::SchemaGenerator,
            ) -> (serde_json::Map<String, serde_json::Value>, Vec<&'static str>) {
                let mut props = serde_json::Map::new();
                $( props.insert(
                    stringify!($rfield).to_owned(),
                    $crate::manifest::schema::described(
                        g.subschema_for::<$crate::manifest::Located<$rty>>(),
                        concat!($($rdoc, "\n",)*),
                    )
                    .to_value(),
                ); )*
                $( props.insert(
                    stringify!($ofield).to_owned(),
                    $crate::manifest::schema::described(
                        g.subschema_for::<Option<$crate::manifest::Located<$oty>>>(),
                        concat!($($odoc, "\n",)*),
                    )
                    .to_value(),
                ); )*
                (props, vec![$( stringify!($rfield), )*])
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }

            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let (props, required) = $name::schema_properties(g);
                $crate::manifest::schema::mapping(concat!($($doc, "\n",)*), &props, &required)
            }
        }

        impl $crate::manifest::de::FromYaml for $name {
            #[allow(unused_mut, unused_variables)]
            fn read<'a>(
                r: &mut $crate::manifest::de::Reader<'a>,
                ev: $crate::manifest::events::Ev<'a>,
            ) -> Result<Option<Self>, $crate::manifest::events::Fatal> {
                use $crate::manifest::de::Slot;
                let $crate::manifest::events::Ev::MapStart(start) = ev else {
                    r.wrong(&ev, $crate::manifest::de::Shape::Mapping, false)?;
                    return Ok(None);
                };
                let before = r.error_count();
                $( let mut $rfield: Slot<$rty> = Slot::Absent; )*
                $( let mut $ofield: Slot<$oty> = Slot::Absent; )*
                let mut map = $crate::manifest::de::MapState::default();
                while let Some(key) = r.next_key(&mut map)? {
                    match key.name.as_ref() {
                        $( stringify!($rfield) => {
                            r.slot(&mut $rfield, &key, &map, stringify!($rfield))?;
                        } )*
                        $( stringify!($ofield) => {
                            r.slot(&mut $ofield, &key, &map, stringify!($ofield))?;
                        } )*
                        k => {
                            if r.other_key(&key, &mut map)? {
                                if !k.starts_with("x-") {
                                    r.error(
                                        key.pos,
                                        $crate::manifest::de::unknown_key(k, $what, $name::KEYS),
                                    );
                                }
                                r.skip_value()?;
                            }
                        }
                    }
                }
                $( if $rfield.missing() && !map.had_bad_key() {
                    r.error(start, $crate::manifest::de::missing_key(stringify!($rfield), $what));
                } )*
                if r.error_count() != before {
                    return Ok(None);
                }
                #[allow(irrefutable_let_patterns)]
                let ($(Some($rfield),)*) = ($($rfield.take(),)*) else {
                    return Ok(None);
                };
                let value = $name {
                    $( $rfield, )*
                    $( $ofield: $ofield.take(), )*
                };
                $( if let Err(e) = $check(&value) {
                    let e: $crate::manifest::de::Invalid = e;
                    r.error(e.pos.unwrap_or(start), e.message);
                    return Ok(None);
                } )?
                Ok(Some(value))
            }
        }
    };
}
pub(crate) use manifest_struct;

/// Declares a closed set of string values, read with an error that lists them; its JSON
/// Schema is a string `enum` of the spellings, described by the type's doc comment.
macro_rules! manifest_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in the order the format documents them.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];
            /// Their spellings in a manifest.
            pub const NAMES: &'static [&'static str] = &[ $( $text, )* ];

            /// The spelling in a manifest.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }

            /// Parses the spelling used in a manifest.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $( $text => Some($name::$variant), )* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::manifest::de::Scalar for $name {
            fn from_text(s: &str) -> Result<Self, String> {
                $name::parse(s).ok_or_else(|| {
                    $crate::manifest::de::bad_choice($what, s, $name::NAMES)
                })
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $crate::manifest::schema::choice(concat!($($doc, "\n",)*), $name::NAMES)
            }
        }
    };
}
pub(crate) use manifest_enum;

/// An identifier: `[A-Za-z0-9][A-Za-z0-9._-]*`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_valid(s: &str) -> bool {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Scalar for Id {
    fn from_text(s: &str) -> Result<Self, String> {
        if !Id::is_valid(s) {
            Err(format!(
                "invalid id {}: ids start with a letter or digit and contain only letters, \
                 digits, '.', '_' and '-'",
                quoted(s)
            ))
        } else if s.len() > MAX_ID_CHARS {
            // Valid ids are ASCII: bytes are characters.
            Err(format!(
                "id {} is too long: ids are at most {MAX_ID_CHARS} characters",
                quoted(s)
            ))
        } else {
            Ok(Id(s.to_owned()))
        }
    }
}

/// A calendar date written exactly `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Parses exactly `YYYY-MM-DD` and checks the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        let year: i16 = s[0..4].parse().ok()?;
        let month: i8 = s[5..7].parse().ok()?;
        let day: i8 = s[8..10].parse().ok()?;
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        i64::from(self.0.until(other.0).map_or(0, |span| span.get_days()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Scalar for Date {
    fn from_text(s: &str) -> Result<Self, String> {
        Date::parse(s).ok_or_else(|| {
            format!(
                "invalid date {}, expected an existing day written YYYY-MM-DD",
                quoted(s)
            )
        })
    }
}

/// A finite, non-negative decimal number no greater than `MAX`, kept exactly.
///
/// Stored in billionths so comparisons of ratios (RC209, RC301, RC302) are exact; any number
/// of decimal places is accepted, rounded to the nearest billionth (half up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Number<const MAX: u64> {
    nanos: u64,
}

/// The scale of [`Number`]: one unit is this many stored steps.
pub const NANOS: u64 = 1_000_000_000;

impl<const MAX: u64> Number<MAX> {
    pub const fn from_nanos(nanos: u64) -> Self {
        Number { nanos }
    }

    pub const fn whole(units: u64) -> Self {
        Number {
            nanos: units * NANOS,
        }
    }

    /// The value in billionths (exact).
    pub const fn nanos(self) -> u64 {
        self.nanos
    }

    #[expect(
        clippy::cast_precision_loss,
        reason = "for display; exact comparisons use the nanos"
    )]
    pub fn as_f64(self) -> f64 {
        self.nanos as f64 / NANOS as f64
    }

    /// Parses a plain decimal (`30`, `0.7`, `7.5`) within `0..=MAX`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.strip_prefix('+').unwrap_or(s);
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |p: &str| p.bytes().all(|c| c.is_ascii_digit());
        if s.starts_with('-') && t.len() > 1 && digits(&t[1..].replace('.', "")) {
            return Err(format!(
                "invalid number {}: must not be negative",
                quoted(s)
            ));
        }
        if int.is_empty() || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(format!(
                "invalid number {}, expected a finite non-negative number like 30 or 0.7",
                quoted(s)
            ));
        }
        let too_big = || format!("number {} is too large (at most {MAX})", clipped(s));
        let int_value: u64 = int
            .trim_start_matches('0')
            .parse()
            .or_else(|e| {
                if int.bytes().all(|c| c == b'0') {
                    Ok(0)
                } else {
                    Err(e)
                }
            })
            .map_err(|_| too_big())?;
        // Nine decimal places are kept; further ones round to the nearest billionth (half
        // up), so `0.3333333333` reads as 0.333333333.
        let mut frac_nanos: u64 = 0;
        let mut scale = NANOS / 10;
        for c in frac.bytes().take(9) {
            frac_nanos += u64::from(c - b'0') * scale;
            scale /= 10;
        }
        if frac.as_bytes().get(9).is_some_and(|&c| c >= b'5') {
            frac_nanos += 1;
        }
        let nanos = int_value
            .checked_mul(NANOS)
            .and_then(|n| n.checked_add(frac_nanos))
            .filter(|&n| n <= MAX.saturating_mul(NANOS))
            .ok_or_else(too_big)?;
        Ok(Number { nanos })
    }
}

impl<const MAX: u64> fmt::Display for Number<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.nanos / NANOS;
        let frac = self.nanos % NANOS;
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let digits = format!("{frac:09}");
            write!(f, "{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl<const MAX: u64> Scalar for Number<MAX> {
    fn from_text(s: &str) -> Result<Self, String> {
        Number::parse(s.trim())
    }
}

/// A whole number in `0..=1_000_000_000` (defect counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Count(pub u32);

impl Count {
    pub const MAX: u32 = 1_000_000_000;
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Scalar for Count {
    fn from_text(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let digits = !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        let count = t.parse::<u64>().ok().and_then(|n| u32::try_from(n).ok());
        match count {
            Some(n) if digits && n <= Count::MAX => Ok(Count(n)),
            _ if digits => Err(format!(
                "count {} is too large (at most {})",
                clipped(t),
                Count::MAX
            )),
            _ if Number::<{ Count::MAX as u64 }>::parse(t).is_ok() => Err(format!(
                "invalid count {}: a count is a whole number (0, 1, 2, ...), not a fraction",
                quoted(s)
            )),
            _ => Err(format!(
                "invalid count {}, expected a whole number from 0 to {}",
                quoted(s),
                Count::MAX
            )),
        }
    }
}

/// `true` or `false`, and nothing else (no `yes`/`no`/`on`/`off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl Scalar for Flag {
    fn from_text(s: &str) -> Result<Self, String> {
        match s {
            "true" => Ok(Flag(true)),
            "false" => Ok(Flag(false)),
            other => Err(format!(
                "invalid boolean {}, expected true or false",
                quoted(other)
            )),
        }
    }
}

/// The format version: only `1` is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version;

/// A manifest of another version is reported as such, and not read on: its other keys may
/// mean something else there.
impl Scalar for Version {
    const STOPS: bool = true;

    fn from_text(s: &str) -> Result<Self, String> {
        // Quoted `"1"` reads as `1` here; the loader refuses it, knowing the source.
        if s == "1" {
            Ok(Version)
        } else {
            Err(format!(
                "unsupported format version {} (this build supports: 1)",
                clipped(s)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["a", "A1", "one-page_checkout.v2", "9"] {
            assert!(Id::is_valid(ok), "{ok}");
        }
        for bad in ["", "-a", ".a", "a b", "a/b", "é"] {
            assert!(!Id::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2026-12-15").is_some());
        assert!(Date::parse("2028-02-29").is_some());
        for bad in [
            "2026-02-30",
            "2026-1-05",
            "2026-01-05T10:00:00",
            "26-01-05",
            "2026/01/05",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        let a = Date::parse("2026-12-01").unwrap();
        let b = Date::parse("2026-12-12").unwrap();
        assert_eq!(a.days_until(b), 11);
        assert_eq!(b.days_until(a), -11);
    }

    #[test]
    fn numbers_are_exact() {
        type N = Number<1000>;
        assert_eq!(N::parse("0.7").unwrap().nanos(), 700_000_000);
        assert_eq!(N::parse("30").unwrap().nanos(), 30 * NANOS);
        assert_eq!(N::parse("007.50").unwrap().to_string(), "7.5");
        assert!(N::parse("-1").unwrap_err().contains("negative"));
        assert!(N::parse(".nan").is_err());
        assert!(N::parse(".inf").is_err());
        assert!(N::parse("1e3").is_err());
        assert!(N::parse("1.").is_err());
        assert!(N::parse("1001").unwrap_err().contains("too large"));
        assert!(
            N::parse("99999999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        // Beyond nine decimal places, the nearest billionth.
        assert_eq!(N::parse("0.3333333333").unwrap().nanos(), 333_333_333);
        assert_eq!(N::parse("0.6666666666666").unwrap().nanos(), 666_666_667);
        assert_eq!(N::parse("0.0000000001").unwrap().nanos(), 0);
        assert_eq!(N::parse("0.99999999995").unwrap().to_string(), "1");
        assert!(
            N::parse("1000.0000000005")
                .unwrap_err()
                .contains("too large")
        );
        assert_eq!(N::parse("1000.0000000004").unwrap().to_string(), "1000");
    }

    #[test]
    fn quoted_values_are_cut_short() {
        assert_eq!(quoted("a'b\n"), "'a\\'b\\n'");
        assert_eq!(quoted(&"x".repeat(50)), format!("'{}'", "x".repeat(50)));
        assert_eq!(
            quoted(&"é".repeat(51)),
            format!("'{}...' (102 bytes)", "é".repeat(40))
        );
        assert_eq!(
            Number::<10>::parse(&"1".repeat(60)).unwrap_err(),
            "number 1111111111111111111111111111111111111111... (60 bytes) is too large (at most 10)"
        );
    }
}
