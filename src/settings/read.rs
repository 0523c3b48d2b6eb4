//! Reading one settings file: `relcheck.toml`, or the `[tool.relcheck]` table of a
//! `pyproject.toml`, into [`Contents`] whose every value has its line and column in the file.
//!
//! The `[policy]` table is not read here: it is written out as the YAML of a manifest's
//! `policy:` (one key or value per line, each line remembering where it came from in the
//! TOML) and read by the manifest's loader ([`crate::manifest::fragment`]), so it has the
//! manifest's keys, types, limits and error messages; positions are then moved back into
//! the TOML file.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::manifest::fragment::{parse_policy, shift};
use crate::manifest::{LoadError, Located, Policy, Pos};
use crate::policy::Selection;
use crate::suggest::did_you_mean;

/// Which kind of settings file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `relcheck.toml`: the whole file is relcheck's.
    Relcheck,
    /// `pyproject.toml`: only its `[tool.relcheck]` table, when it has one.
    Pyproject,
}

impl Kind {
    pub const fn file_name(self) -> &'static str {
        match self {
            Kind::Relcheck => "relcheck.toml",
            Kind::Pyproject => "pyproject.toml",
        }
    }

    /// How messages name the table the settings are in.
    const fn table(self) -> &'static str {
        match self {
            Kind::Relcheck => "relcheck.toml",
            Kind::Pyproject => "[tool.relcheck]",
        }
    }
}

/// The keys a settings table accepts (besides `x-` keys, which are skipped).
pub const KEYS: &[&str] = &["policy", "select", "ignore"];

/// A list of rule codes, names or code prefixes (`select`, `ignore`), with positions.
pub type Rules = Located<Vec<Located<String>>>;

/// What one settings file holds.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    /// `[policy]`: defaults for the manifests' `policy:`, positions in the TOML file.
    pub policy: Option<Located<Policy>>,
    /// `select`: the rules to run, as `--select`.
    pub select: Option<Rules>,
    /// `ignore`: the rules not to run, as `--ignore`.
    pub ignore: Option<Rules>,
    /// `select` and `ignore`, resolved.
    pub selection: Selection,
}

/// Byte offsets to 1-based lines and columns (columns count characters).
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos::new(clamp(line), clamp(col))
    }

    fn at(&self, span: &Range<usize>) -> Pos {
        self.pos(span.start)
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads a settings file's text. `Ok(None)`: a `pyproject.toml` without `[tool.relcheck]`.
pub(super) fn parse(text: &str, kind: Kind, shown: &str) -> Result<Option<Contents>, LoadError> {
    let lines = Lines::new(text);
    let err = |pos: Pos, message: String| LoadError {
        shown: shown.to_owned(),
        pos: Some(pos),
        message,
    };
    let text_without_bom = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bom = text.len() - text_without_bom.len();
    let root = DeTable::parse(text_without_bom).map_err(|e| {
        let at = e.span().map_or(Pos::START, |s| lines.pos(s.start + bom));
        let message = e.message().lines().next().unwrap_or("").trim().to_owned();
        err(at, format!("invalid TOML: {message}"))
    })?;
    let shifted = |span: Range<usize>| span.start + bom..span.end + bom;
    let table = match kind {
        Kind::Relcheck => root.get_ref(),
        Kind::Pyproject => {
            let Some(DeValue::Table(tool)) = root.get_ref().get("tool").map(Spanned::get_ref)
            else {
                return Ok(None);
            };
            let Some((key, value)) = tool.get_key_value("relcheck") else {
                return Ok(None);
            };
            match value.get_ref() {
                DeValue::Table(t) => t,
                other => {
                    return Err(err(
                        lines.at(&shifted(key.span())),
                        format!("'tool.relcheck' must be a table, found {}", what(other)),
                    ));
                }
            }
        }
    };
    let mut contents = Contents::default();
    for (key, value) in in_file_order(table) {
        let key_pos = lines.at(&shifted(key.span()));
        let name = key.get_ref().as_ref();
        match name {
            "policy" => {
                let DeValue::Table(_) = value.get_ref() else {
                    return Err(err(
                        key_pos,
                        format!(
                            "'policy' must be a table ([policy] with a key per line), found {}",
                            what(value.get_ref())
                        ),
                    ));
                };
                let mut out = Fragment {
                    lines: Vec::new(),
                    at: &|span| lines.at(&shifted(span)),
                };
                out.value(value, key_pos);
                let yaml: String = out.lines.iter().map(|(l, _)| format!("{l}\n")).collect();
                let back = |pos: Pos| {
                    (pos.line as usize)
                        .checked_sub(1)
                        .and_then(|i| out.lines.get(i))
                        .map_or(key_pos, |(_, p)| *p)
                };
                let policy = parse_policy(&yaml).map_err(|e| LoadError {
                    shown: shown.to_owned(),
                    pos: Some(e.pos.map_or(key_pos, back)),
                    message: e.message,
                })?;
                contents.policy = policy.map(|mut p| {
                    shift(&mut p, &back);
                    Located::new(p, key_pos)
                });
            }
            "select" | "ignore" => {
                let list = rule_list(name, value, key_pos, &|s| lines.at(&shifted(s)))
                    .map_err(|(pos, message)| err(pos, message))?;
                if name == "select" {
                    contents.select = Some(list);
                } else {
                    contents.ignore = Some(list);
                }
            }
            x if x.starts_with("x-") => {}
            other => {
                let mut message = format!(
                    "unknown key '{}' in {}, expected one of: {}",
                    other.escape_debug(),
                    kind.table(),
                    KEYS.join(", ")
                );
                if let Some(best) = did_you_mean(other, KEYS.iter().copied()) {
                    message.push_str(&format!(" (did you mean '{best}'?)"));
                }
                return Err(err(key_pos, message));
            }
        }
    }
    let items = |l: &Option<Rules>| -> Vec<String> {
        l.iter()
            .flat_map(|l| l.iter().map(|i| i.value.clone()))
            .collect()
    };
    contents.selection = Selection::new(&items(&contents.select), &items(&contents.ignore))
        .map_err(|e| err(key_pos_of(&contents), format!("{e:#}")))?;
    Ok(Some(contents))
}

/// Where a selection error is reported when no single item is to blame (never, as each item
/// is checked on its own first).
fn key_pos_of(c: &Contents) -> Pos {
    c.select
        .as_ref()
        .or(c.ignore.as_ref())
        .map_or(Pos::START, |l| l.pos)
}

/// A table's entries in the order the file has them (the parser keeps them sorted by key).
fn in_file_order<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// What a TOML value is, for messages.
fn what(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// `select` or `ignore`: an array of strings, each a rule code, name or code prefix (several
/// may be given in one string, separated by commas, as on the command line).
fn rule_list(
    option: &str,
    value: &Spanned<DeValue<'_>>,
    key_pos: Pos,
    at: &dyn Fn(Range<usize>) -> Pos,
) -> Result<Rules, (Pos, String)> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err((
            at(value.span()),
            format!(
                "'{option}' must be an array of rule codes, names or code prefixes, such as \
                 [\"RC1\", \"untested-feature\"]; found {}",
                what(value.get_ref())
            ),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let pos = at(item.span());
        let DeValue::String(s) = item.get_ref() else {
            return Err((
                pos,
                format!(
                    "'{option}' holds rule codes, names or code prefixes as strings; found {}",
                    what(item.get_ref())
                ),
            ));
        };
        if s.split(',').any(|t| t.trim().is_empty()) {
            return Err((
                pos,
                format!(
                    "an empty rule in '{option}': give rule codes, names or code prefixes \
                     (`relcheck rules` lists them)"
                ),
            ));
        }
        if let Err(e) = Selection::new(&[s.to_string()], &[]) {
            return Err((pos, format!("{e:#} in {option}")));
        }
        out.push(Located::new(s.to_string(), pos));
    }
    Ok(Located::new(out, key_pos))
}

/// The YAML of a TOML value, one scalar or key per line, each line with the position in the
/// TOML file it stands for.
struct Fragment<'a> {
    lines: Vec<(String, Pos)>,
    at: &'a dyn Fn(Range<usize>) -> Pos,
}

impl Fragment<'_> {
    /// Writes `v`; `owner` is where the key it is the value of is (lines that hold only a
    /// closing bracket, or a table's opening brace, stand for it).
    fn value(&mut self, v: &Spanned<DeValue<'_>>, owner: Pos) {
        let pos = (self.at)(v.span());
        let scalar = match v.get_ref() {
            DeValue::String(s) => quote(s),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_owned(),
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
                .map_or_else(|_| quote(&i.to_string()), |n| n.to_string()),
            DeValue::Float(f) => f.as_str().to_owned(),
            DeValue::Boolean(b) => b.to_string(),
            DeValue::Datetime(d) => quote(&d.to_string()),
            DeValue::Array(items) => {
                self.lines.push(("[".to_owned(), pos));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.comma();
                    }
                    self.value(item, pos);
                }
                self.lines.push(("]".to_owned(), owner));
                return;
            }
            DeValue::Table(t) => {
                self.lines.push(("{".to_owned(), owner));
                for (i, (key, value)) in in_file_order(t).into_iter().enumerate() {
                    if i > 0 {
                        self.comma();
                    }
                    let key_pos = (self.at)(key.span());
                    self.lines
                        .push((format!("{}:", quote(key.get_ref())), key_pos));
                    self.value(value, key_pos);
                }
                self.lines.push(("}".to_owned(), owner));
                return;
            }
        };
        self.lines.push((scalar, pos));
    }

    fn comma(&mut self) {
        if let Some((line, _)) = self.lines.last_mut() {
            line.push(',');
        }
    }
}

/// `s` as a YAML double-quoted string: every character YAML does not allow as it is (controls,
/// C1 controls, DEL, surrogates' neighbours, the byte-order mark) escaped.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' '..='~'
            | '\u{a0}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fefe}'
            | '\u{ff00}'..='\u{fffd}' => {
                out.push(c);
            }
            c if u32::from(c) >= 0x10000 => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Contents, String> {
        parse(text, Kind::Relcheck, "relcheck.toml")
            .map(Option::unwrap)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_policy_table_reads_with_toml_positions() {
        let c = read(
            "select = [\"RC1\"]\n\n[policy]\nmax_report_age = 14\nfeature_tests = [\"unit\",\n  \"uat\"]\n\n[policy.rules]\nRC201 = \"warning\"\n\n[policy.due]\nRC2 = 2026-12-01\n",
        )
        .unwrap();
        let p = c.policy.unwrap();
        assert_eq!(p.pos, Pos::new(3, 2));
        let age = p.max_report_age.as_ref().unwrap();
        assert_eq!((age.0, age.pos), (14, Pos::new(4, 18)));
        let kinds = p.feature_tests.as_ref().unwrap();
        assert_eq!(kinds[1].pos, Pos::new(6, 3));
        let rules = p.rules.as_ref().unwrap();
        assert_eq!(rules.0[0].0.pos, Pos::new(9, 1));
        assert_eq!(rules.0[0].1.pos, Pos::new(9, 9));
        let due = p.due.as_ref().unwrap();
        assert_eq!(due.0[0].1.value, "2026-12-01");
        assert_eq!(c.select.unwrap()[0].value, "RC1");
    }

    #[test]
    fn errors_name_the_toml_file_line_and_column() {
        for (text, error) in [
            (
                "selct = [\"RC1\"]\n",
                "relcheck.toml:1:1: unknown key 'selct' in relcheck.toml, expected one of: policy, select, ignore (did you mean 'select'?)",
            ),
            (
                "[policy]\nmax_report_ag = 3\n",
                "relcheck.toml:2:1: unknown key 'max_report_ag' in policy, expected one of:",
            ),
            (
                "[policy]\nmin_feature_coverage = 1.5\n",
                "relcheck.toml:2:24: ",
            ),
            (
                "[policy]\nfeature_tests = [\"unit\", \"uatt\"]\n",
                "relcheck.toml:2:26: invalid test kind 'uatt'",
            ),
            (
                "[policy.rules]\nRC001 = \"off\"\n",
                "relcheck.toml:2:9: RC001 (unknown-reference) is an integrity rule",
            ),
            (
                "select = [\"RC9x\"]\n",
                "relcheck.toml:1:11: unknown rule 'RC9x'",
            ),
            (
                "ignore = \"RC1\"\n",
                "relcheck.toml:1:10: 'ignore' must be an array",
            ),
            (
                "policy = 3\n",
                "relcheck.toml:1:1: 'policy' must be a table",
            ),
            ("[policy\n", "relcheck.toml:1:8: invalid TOML: "),
        ] {
            let e = read(text)
                .and_then(|c| {
                    // Rule keys and due values are the plan's to check, as in a manifest.
                    crate::policy::Plan::new(
                        "relcheck.toml",
                        c.policy.as_deref(),
                        &[],
                        &Selection::default(),
                    )
                    .map_err(|e| e.to_string())
                    .map(|_| ())
                    .and(Ok(c))
                })
                .err()
                .unwrap_or_else(|| panic!("{text} was accepted"));
            assert!(e.starts_with(error), "{text}: {e}");
        }
    }

    #[test]
    fn a_pyproject_without_tool_relcheck_holds_no_settings() {
        assert!(
            parse(
                "[project]\nname = \"x\"\n",
                Kind::Pyproject,
                "pyproject.toml"
            )
            .unwrap()
            .is_none()
        );
        let c = parse(
            "[project]\nname = \"x\"\n\n[tool.relcheck.policy]\nmax_report_age = 7\n",
            Kind::Pyproject,
            "pyproject.toml",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            c.policy.unwrap().max_report_age.as_ref().unwrap().pos,
            Pos::new(5, 18)
        );
        let e = parse(
            "[tool.relcheck]\nstrict = true\n",
            Kind::Pyproject,
            "pyproject.toml",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with(
            "pyproject.toml:2:1: unknown key 'strict' in [tool.relcheck], expected one of"
        ));
    }

    proptest::proptest! {
        /// Any text, and any text as the value of a policy key or a table of it, is read or
        /// refused with a positioned error: never a panic.
        #[test]
        fn any_text_reads_or_is_refused(text in "\\PC{0,80}", key in "[a-z_]{1,12}") {
            for doc in [
                text.clone(),
                format!("[policy]\n{key} = {text}\n"),
                format!("[policy.rules]\n{text}\n"),
                format!("select = [{text}]\n"),
            ] {
                if let Err(e) = parse(&doc, Kind::Relcheck, "relcheck.toml") {
                    proptest::prop_assert!(e.pos.is_some(), "{doc:?}: {e}");
                }
            }
        }
    }

    #[test]
    fn strings_become_yaml_that_reads_back_the_same() {
        let c = read("[policy]\ndeployment_plan_sections = [\"a\\\"b\\\\c\\u007f\\u0085é😀\\t\", \"x-y: z # w\"]\n").unwrap();
        let p = c.policy.unwrap();
        let s = p.deployment_plan_sections.as_ref().unwrap();
        assert_eq!(s[0].value, "a\"b\\c\u{7f}\u{85}é😀\t");
        assert_eq!(s[1].value, "x-y: z # w");
    }
}
