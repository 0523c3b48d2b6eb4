//! The strict deserialization machinery behind the manifest model.
//!
//! Every mapping in a manifest is read by a visitor generated with [`manifest_struct!`]:
//! known keys are read into typed, positioned values; `x-` keys are skipped; any other key
//! is an error naming the key, where it is, the valid keys and the closest one. Scalars with
//! rules of their own (ids, dates, enums, bounded numbers) validate themselves while they are
//! read, so the YAML deserializer attaches the value's line and column to their errors.
//!
//! Errors whose position is not the value being read (an unknown key) carry their position
//! inside the message with [`at`]; `load.rs` turns that back into a location.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};

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

pub(super) fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(clamp(loc.line()), clamp(loc.column()))
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

impl<'de, T: Deserialize<'de> + 'static> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let pos = pos_of(&spanned.referenced);
        // Text values (names, reasons, paths, and every key) are read as plain `String`s;
        // the scalars with rules of their own go through `Text`, which has the same cap.
        if let Some(s) = (&spanned.value as &dyn Any).downcast_ref::<String>()
            && s.len() > MAX_VALUE_BYTES
        {
            return Err(de::Error::custom(at(pos, too_long(s.len()))));
        }
        Ok(Located {
            pos,
            value: spanned.value,
        })
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

thread_local! {
    /// The keys whose values were being read when loading failed, innermost first.
    static FAILED_IN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// Stands for a mapping key in the path of [`failed_in`] (`"(key)"` is no valid key name).
pub(super) const KEY: &str = "(key)";

/// Notes that reading the value of `key` failed with `e` (errors pass through each
/// enclosing mapping on their way out, so the keys arrive innermost first).
pub(super) fn failed_in<E>(key: &'static str, e: E) -> E {
    FAILED_IN.with(|p| p.borrow_mut().push(key));
    e
}

/// The keys noted since the last call, outermost first (`["release", "roles"]`), and
/// forgets them.
pub(super) fn take_failed_path() -> Vec<&'static str> {
    let mut path = FAILED_IN.with(|p| std::mem::take(&mut *p.borrow_mut()));
    path.reverse();
    path
}

/// Marks a message with the position it is about, for errors raised away from that node.
const MARK: char = '\u{1}';

pub(super) fn at(pos: Pos, msg: impl fmt::Display) -> String {
    format!("{MARK}{}:{}{MARK}{msg}", pos.line, pos.col)
}

/// Splits a message made by [`at`] into its position and text.
pub(super) fn split_at_mark(msg: &str) -> Option<(Pos, &str)> {
    let rest = msg.strip_prefix(MARK)?;
    let (pos, text) = rest.split_once(MARK)?;
    let (line, col) = pos.split_once(':')?;
    Some((Pos::new(line.parse().ok()?, col.parse().ok()?), text))
}

/// The error for a key that the mapping does not have.
pub(super) fn unknown_key(key: &Located<String>, what: &str, keys: &[&str]) -> String {
    let mut msg = format!(
        "unknown key {} in {what}, expected one of: {}",
        quoted(&key.value),
        keys.join(", ")
    );
    if let Some(best) = did_you_mean(&key.value, keys.iter().copied()) {
        msg.push_str(&format!(" (did you mean '{best}'?)"));
    }
    at(key.pos, msg)
}

pub(super) fn missing_key(key: &str, what: &str) -> String {
    format!("missing required key '{key}' in {what}")
}

/// Reads a mapping key as a positioned string (keys that are not strings are errors).
pub(super) type Key = Located<String>;

/// Declares a manifest mapping type with its strict deserializer.
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

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "a mapping ({})", $what)
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        use serde::de::Error as _;
                        $( let mut $rfield: Option<$crate::manifest::Located<$rty>> = None; )*
                        $( let mut $ofield: Option<$crate::manifest::Located<$oty>> = None; )*
                        while let Some(key) = map
                            .next_key::<$crate::manifest::de::Key>()
                            .map_err(|e| $crate::manifest::de::failed_in($crate::manifest::de::KEY, e))?
                        {
                            match key.value.as_str() {
                                $( stringify!($rfield) => {
                                    $rfield = map.next_value().map_err(|e| {
                                        $crate::manifest::de::failed_in(stringify!($rfield), e)
                                    })?;
                                } )*
                                $( stringify!($ofield) => {
                                    $ofield = map.next_value().map_err(|e| {
                                        $crate::manifest::de::failed_in(stringify!($ofield), e)
                                    })?;
                                } )*
                                k if k.starts_with("x-") => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                                _ => {
                                    return Err(A::Error::custom(
                                        $crate::manifest::de::unknown_key(&key, $what, $name::KEYS),
                                    ));
                                }
                            }
                        }
                        let value = $name {
                            $( $rfield: $rfield.ok_or_else(|| {
                                A::Error::custom($crate::manifest::de::missing_key(stringify!($rfield), $what))
                            })?, )*
                            $( $ofield, )*
                        };
                        $( $check(&value).map_err(A::Error::custom)?; )?
                        Ok(value)
                    }
                }
                d.deserialize_map(V)
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

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = $crate::manifest::de::Text::deserialize(d)?;
                $name::parse(&text.0).ok_or_else(|| {
                    serde::de::Error::custom($crate::manifest::de::bad_choice(
                        $what, &text.0, $name::NAMES,
                    ))
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

/// A scalar read as its text, whatever YAML would infer (`2026-01-05`, `30`, `0.7`).
pub(super) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                if v.len() > MAX_VALUE_BYTES {
                    return Err(E::custom(too_long(v.len())));
                }
                Ok(Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                self.visit_str(&v)
            }
        }
        d.deserialize_str(V)
    }
}

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

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(s) = Text::deserialize(d)?;
        if !Id::is_valid(&s) {
            Err(de::Error::custom(format!(
                "invalid id {}: ids start with a letter or digit and contain only letters, \
                 digits, '.', '_' and '-'",
                quoted(&s)
            )))
        } else if s.len() > MAX_ID_CHARS {
            // Valid ids are ASCII: bytes are characters.
            Err(de::Error::custom(format!(
                "id {} is too long: ids are at most {MAX_ID_CHARS} characters",
                quoted(&s)
            )))
        } else {
            Ok(Id(s))
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

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(s) = Text::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid date {}, expected an existing day written YYYY-MM-DD",
                quoted(&s)
            ))
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

impl<'de, const MAX: u64> Deserialize<'de> for Number<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(s) = Text::deserialize(d)?;
        Number::parse(s.trim()).map_err(de::Error::custom)
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

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(s) = Text::deserialize(d)?;
        let t = s.trim();
        let digits = !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        let count = t.parse::<u64>().ok().and_then(|n| u32::try_from(n).ok());
        match count {
            Some(n) if digits && n <= Count::MAX => Ok(Count(n)),
            _ if digits => Err(de::Error::custom(format!(
                "count {} is too large (at most {})",
                clipped(t),
                Count::MAX
            ))),
            _ if Number::<{ Count::MAX as u64 }>::parse(t).is_ok() => {
                Err(de::Error::custom(format!(
                    "invalid count {}: a count is a whole number (0, 1, 2, ...), not a fraction",
                    quoted(&s)
                )))
            }
            _ => Err(de::Error::custom(format!(
                "invalid count {}, expected a whole number from 0 to {}",
                quoted(&s),
                Count::MAX
            ))),
        }
    }
}

/// `true` or `false`, and nothing else (no `yes`/`no`/`on`/`off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(s) = Text::deserialize(d)?;
        match s.as_str() {
            "true" => Ok(Flag(true)),
            "false" => Ok(Flag(false)),
            other => Err(de::Error::custom(format!(
                "invalid boolean {}, expected true or false",
                quoted(other)
            ))),
        }
    }
}

/// The format version: only `1` is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Quoted `"1"` reads as `1` here; the loader refuses it, knowing the source.
        let Text(s) = Text::deserialize(d)?;
        if s == "1" {
            Ok(Version)
        } else {
            Err(de::Error::custom(format!(
                "unsupported format version {} (this build supports: 1)",
                clipped(&s)
            )))
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

    #[test]
    fn marks_round_trip() {
        let msg = at(Pos::new(12, 7), "unknown key");
        assert_eq!(split_at_mark(&msg), Some((Pos::new(12, 7), "unknown key")));
        assert_eq!(split_at_mark("plain"), None);
    }
}
