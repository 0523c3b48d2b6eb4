//! Streaming JaCoCo XML (as `jacoco:report`, Gradle's `jacocoTestReport` and the JaCoCo
//! command line write it): per `<sourcefile>` of each `<package>`, which lines are coverable
//! and which are covered, into the same [`Cobertura`] shape the other readers give.
//!
//! ```xml
//! <!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
//! <report name="shop">
//!   <sessioninfo id="..." start="..." dump="..."/>
//!   <group name="module">                      <!-- aggregate reports; any depth -->
//!     <package name="com/shop">
//!       <class name="com/shop/Cart" sourcefilename="Cart.java">...</class>
//!       <sourcefile name="Cart.java">
//!         <line nr="3" mi="0" ci="4" mb="0" cb="0"/>
//! ```
//!
//! A line is coverable when it holds instructions (`mi + ci > 0`; JaCoCo lists no other) and
//! covered when one of them ran (`ci > 0`). The `<class>` and `<counter>` elements repeat
//! what the lines say and are skipped.
//!
//! **Paths.** A reported file is `package/sourcefile` (`com/shop/Cart.java`; a file of the
//! default package is its bare name): relative to a source folder the report does not name.
//! The reader gives the report the conventional source folders of Maven and Gradle builds
//! ([`SOURCE_FOLDERS`]) as its `<source>`s, the path itself last, and [`super::code`]
//! resolves them as it does Cobertura's: each folder joined with the path in turn, the
//! entry's `prefix` before a path still relative, the longest existing suffix under the root
//! is the identity, the first folder that yields one wins. `<group>` names (an aggregate
//! report's modules, named after their artifact, not their folder) are not folders: list
//! such a report once per module, each with its module's folder as `prefix`.
//!
//! Bounded like the Cobertura reader: each node at most [`MAX_NODE_BYTES`], at most
//! [`MAX_LINES`] lines and [`MAX_FILES`] files, [`coverage::MAX_DEPTH`] levels; the DOCTYPE JaCoCo
//! writes (naming `report.dtd`) is allowed and never fetched, an internal subset (entity
//! declarations) makes the report unreadable.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::coverage::{self, Cobertura, MAX_FILES, MAX_LINES};

/// The most one XML node may take: the same bound as the other XML readers'.
pub use super::junit::MAX_NODE_BYTES;

/// The source folders a JaCoCo report's `package/sourcefile` paths are tried under, in
/// order: Maven's and Gradle's conventions for Java, Kotlin, Groovy and Scala (main, then
/// test), then `.`, the path as it is (for a `prefix` naming the source folder itself).
pub const SOURCE_FOLDERS: [&str; 9] = [
    "src/main/java",
    "src/main/kotlin",
    "src/main/groovy",
    "src/main/scala",
    "src/test/java",
    "src/test/kotlin",
    "src/test/groovy",
    "src/test/scala",
    ".",
];

/// Reads a JaCoCo XML report from `input` (UTF-8, or UTF-16 with a byte-order mark); `Err`
/// says why it is not one.
pub fn parse<R: Read>(input: R) -> Result<Cobertura, String> {
    let mut st = State::default();
    coverage::stream(input, &mut |ev| st.event(ev).map(|()| false))?;
    st.finish()
}

/// The JaCoCo reader on quick-xml's event reader: the oracle of the `jacoco` fuzz target
/// (see `coverage::parse_reference`). Not used to check releases.
#[doc(hidden)]
pub fn parse_reference<R: Read>(input: R) -> Result<Cobertura, String> {
    let mut st = State::default();
    coverage::stream_reference(input, &mut |ev| st.event(ev))?;
    st.finish()
}

/// The elements the reader tells apart; the rest are `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Package,
    Sourcefile,
    Other,
}

/// The reader's state between events.
#[derive(Default)]
pub(super) struct State {
    /// Open elements.
    stack: Vec<Tag>,
    root_done: bool,
    /// The `name` of the `<package>` being read.
    package: Option<String>,
    /// The path (`package/sourcefile`) of the `<sourcefile>` being read and its lines so
    /// far, as read (added to `report.files` when it closes: a `<line>` costs no lookup).
    file: Option<(String, Vec<(u32, bool)>)>,
    /// The lines of the last `<sourcefile>` read, emptied: its allocation is reused.
    spare: Vec<(u32, bool)>,
    lines: usize,
    report: Cobertura,
}

impl State {
    pub(super) fn event(&mut self, ev: Event<'_>) -> Result<(), String> {
        match ev {
            Event::Start(e) => self.open(&e),
            Event::Empty(e) => {
                self.open(&e)?;
                self.close();
                Ok(())
            }
            Event::End(_) => {
                self.close();
                Ok(())
            }
            Event::DocType(d) => coverage::doctype(d.as_ref()),
            Event::Text(t) => {
                if self.stack.is_empty() && !t.as_ref().bytes().all(|b| b.is_ascii_whitespace()) {
                    return Err("text outside the root element".into());
                }
                Ok(())
            }
            // JaCoCo writes no text: an entity reference is only refused outside the root.
            Event::GeneralRef(_) if self.stack.is_empty() => {
                Err("text outside the root element".into())
            }
            Event::CData(_) if self.stack.is_empty() => {
                Err("a CDATA section outside the root element".into())
            }
            _ => Ok(()),
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        let tag = coverage::local_name(e);
        coverage::entering(tag, self.stack.len(), self.root_done, ("report", "JaCoCo"))?;
        let parent = self.stack.last().copied();
        let kind = match (tag, parent) {
            ("package", _) => {
                let name = attribute(e, tag, "name")?.ok_or("a <package> without name")?;
                self.package = Some(name);
                Tag::Package
            }
            ("sourcefile", Some(Tag::Package)) => {
                let name = attribute(e, tag, "name")?.ok_or("a <sourcefile> without name")?;
                let package = self.package.as_deref().unwrap_or_default();
                let path = if package.is_empty() {
                    name
                } else {
                    format!("{}/{name}", package.trim_end_matches('/'))
                };
                self.put_back();
                if self.report.files.len() >= MAX_FILES && !self.report.files.contains_key(&path) {
                    return Err(format!("it lists more than {MAX_FILES} files"));
                }
                self.file = Some((path, std::mem::take(&mut self.spare)));
                Tag::Sourcefile
            }
            ("line", Some(Tag::Sourcefile)) => {
                self.line(e)?;
                Tag::Other
            }
            _ => Tag::Other,
        };
        self.stack.push(kind);
        Ok(())
    }

    /// Puts the lines of the `<sourcefile>` being read back among the report's files.
    fn put_back(&mut self) {
        if let Some((path, mut lines)) = self.file.take() {
            self.report
                .files
                .entry(path)
                .or_default()
                .absorb(&mut lines);
            self.spare = lines;
        }
    }

    /// A `<line nr= mi= ci= .../>` of the `<sourcefile>` being read.
    fn line(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        if self.file.is_none() {
            return Ok(());
        }
        let (mut nr, mut mi, mut ci) = (None, None, None);
        let mut keep = |key: &str, v: &str| {
            let slot = match key {
                "nr" => &mut nr,
                "mi" => &mut mi,
                "ci" => &mut ci,
                _ => return,
            };
            *slot = Some(v.trim().parse::<u64>().ok());
        };
        if !coverage::plain_attributes(e.attributes_raw(), &mut keep) {
            for a in e.attributes() {
                let a = a.map_err(|err| format!("malformed attribute in <line>: {err}"))?;
                let key = a.key.local_name();
                if !matches!(key.as_ref(), "nr" | "mi" | "ci") {
                    continue;
                }
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| format!("malformed attribute in <line>: {err}"))?;
                keep(key.as_ref(), &v);
            }
        }
        let number = nr
            .flatten()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("a <line> without a valid nr")?;
        let missed = mi.flatten().ok_or("a <line> without a valid mi")?;
        let covered = ci.flatten().ok_or("a <line> without a valid ci")?;
        self.lines += 1;
        if self.lines > MAX_LINES {
            return Err(format!("it lists more than {MAX_LINES} lines"));
        }
        if missed == 0 && covered == 0 {
            // No instruction on this line: not coverable.
            return Ok(());
        }
        if let Some((_, lines)) = &mut self.file {
            lines.push((number, covered > 0));
        }
        Ok(())
    }

    fn close(&mut self) {
        match self.stack.pop() {
            Some(Tag::Package) => self.package = None,
            Some(Tag::Sourcefile) => self.put_back(),
            _ => {}
        }
        if self.stack.is_empty() {
            self.root_done = true;
        }
    }

    pub(super) fn finish(mut self) -> Result<Cobertura, String> {
        if !self.stack.is_empty() {
            return Err("it ends inside an element (truncated?)".into());
        }
        if !self.root_done {
            return Err("no root element".into());
        }
        self.put_back();
        self.report.sources = SOURCE_FOLDERS.iter().map(|s| (*s).to_owned()).collect();
        Ok(self.report)
    }
}

/// The value of `tag`'s attribute `key`, entity references resolved.
fn attribute(e: &BytesStart<'_>, tag: &str, key: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("malformed attribute in <{tag}>: {err}"))?;
        if a.key.local_name().as_ref() == key {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| format!("malformed attribute in <{tag}>: {err}"))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(xml: &str) -> Result<Cobertura, String> {
        parse(xml.as_bytes())
    }

    const REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd"><report name="shop"><sessioninfo id="h-1" start="1764488000000" dump="1764488001000"/><group name="core"><package name="com/shop"><class name="com/shop/Cart" sourcefilename="Cart.java"><method name="add" desc="()V" line="5"><counter type="LINE" missed="0" covered="1"/></method></class><sourcefile name="Cart.java"><line nr="3" mi="3" ci="0" mb="0" cb="0"/><line nr="5" mi="0" ci="4" mb="0" cb="0"/><line nr="6" mi="1" ci="2" mb="1" cb="1"/><line nr="7" mi="0" ci="0" mb="0" cb="0"/><counter type="LINE" missed="1" covered="2"/></sourcefile></package></group><package name=""><sourcefile name="Main.java"><line nr="1" mi="2" ci="0" mb="0" cb="0"/></sourcefile></package><counter type="LINE" missed="2" covered="2"/></report>"#;

    #[test]
    fn reads_sourcefiles_under_their_package() {
        let c = parse_str(REPORT).unwrap();
        assert_eq!(c.sources.len(), SOURCE_FOLDERS.len());
        assert_eq!(c.sources[0], "src/main/java");
        let keys: Vec<&str> = c.files.keys().map(String::as_str).collect();
        assert_eq!(keys, ["Main.java", "com/shop/Cart.java"]);
        // Lines 3, 5, 6 hold instructions (5 and 6 ran); 7 holds none.
        assert_eq!(Cobertura::counts(&c.files["com/shop/Cart.java"]), (2, 3));
        assert_eq!(Cobertura::counts(&c.files["Main.java"]), (0, 1));
        // The same through the dispatch on the root element.
        let (format, again) = coverage::parse_xml(REPORT.as_bytes());
        assert_eq!(format, Some(coverage::Format::Jacoco));
        assert_eq!(again, Ok(c));
    }

    #[test]
    fn a_file_split_over_two_entries_is_merged() {
        let c = parse_str(
            "<report><package name='a/'><sourcefile name='X.kt'><line nr='1' mi='1' ci='0'/></sourcefile>\
             <sourcefile name='X.kt'><line nr='1' mi='0' ci='1'/><line nr='4294967295' mi='1' ci='0'/></sourcefile></package></report>",
        )
        .unwrap();
        assert_eq!(Cobertura::counts(&c.files["a/X.kt"]), (1, 2));
    }

    #[test]
    fn unreadable_reports() {
        for (xml, why) in [
            ("", "no root element"),
            ("<coverage/>", "not JaCoCo's <report>"),
            ("<report><package name='a'>", "ends inside"),
            (
                "<!DOCTYPE report [<!ENTITY a 'b'>]><report/>",
                "declares entities",
            ),
            (
                "<report><package name='&x;'/></report>",
                "malformed attribute",
            ),
            ("<report><package/></report>", "without name"),
            (
                "<report><package name='p'><sourcefile/></package></report>",
                "without name",
            ),
            (
                "<report><package name='p'><sourcefile name='A.java'><line nr='99999999999' mi='1' ci='0'/></sourcefile></package></report>",
                "valid nr",
            ),
            (
                "<report><package name='p'><sourcefile name='A.java'><line nr='1' mi='1' ci='-1'/></sourcefile></package></report>",
                "valid ci",
            ),
            (
                "<report><package name='p'><sourcefile name='A.java'><line nr='1' ci='1'/></sourcefile></package></report>",
                "valid mi",
            ),
            ("<report/><report/>", "a second root element"),
            ("<report/>&lol;", "text outside the root element"),
        ] {
            let err = parse_str(xml).unwrap_err();
            assert!(err.contains(why), "{xml}: {err}");
        }
        let deep = format!("<report>{}", "<group name='g'>".repeat(coverage::MAX_DEPTH));
        assert!(parse_str(&deep).unwrap_err().contains("nested deeper"));
    }

    #[test]
    fn the_dispatch_names_both_roots() {
        let (format, err) = coverage::parse_xml(&b"<testsuite/>"[..]);
        assert_eq!(format, None);
        assert_eq!(
            err.unwrap_err(),
            "the root element is <testsuite>, not Cobertura's <coverage> or JaCoCo's <report>"
        );
        let (format, c) = coverage::parse_xml(&b"<!-- x --><coverage/>"[..]);
        assert_eq!(format, Some(coverage::Format::Cobertura));
        assert!(c.unwrap().files.is_empty());
    }
}
