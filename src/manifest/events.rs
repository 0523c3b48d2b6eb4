//! The YAML event stream the loader reads: granit-parser's events, each with its position,
//! with relcheck's YAML limits enforced as they pass, anchors recorded, aliases replayed (at
//! the alias's position) and tags checked.
//!
//! The limits are counted exactly as the first loader (serde-saphyr's budget) counted them,
//! so a hostile file is refused at the same place with the same words: every event, node and
//! scalar byte counts, replayed aliases included; anchored content costs one unit per copy
//! recorded; nesting counts every mapping and list. Anything over a limit stops reading.

use std::borrow::Cow;
use std::collections::HashSet;
use std::rc::Rc;

use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput, Tag};

use super::de::Pos;

/// One YAML event, at the position of its node (for replayed aliases: the alias's).
#[derive(Clone, Debug)]
pub(crate) enum Ev<'a> {
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
        /// Rare: boxed, to keep events small.
        tag: Option<Box<Tag>>,
        pos: Pos,
    },
    SeqStart(Pos),
    SeqEnd(Pos),
    MapStart(Pos),
    MapEnd(Pos),
}

impl Ev<'_> {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            Ev::Scalar { pos, .. }
            | Ev::SeqStart(pos)
            | Ev::SeqEnd(pos)
            | Ev::MapStart(pos)
            | Ev::MapEnd(pos) => *pos,
        }
    }

    fn with_pos(mut self, at: Pos) -> Self {
        match &mut self {
            Ev::Scalar { pos, .. }
            | Ev::SeqStart(pos)
            | Ev::SeqEnd(pos)
            | Ev::MapStart(pos)
            | Ev::MapEnd(pos) => *pos = at,
        }
        self
    }

    /// The bytes of this event a recorded copy owns (what borrowed text does not cost).
    fn owned_bytes(&self) -> usize {
        match self {
            Ev::Scalar { value, tag, .. } => {
                let value = match value {
                    Cow::Owned(v) => v.len(),
                    Cow::Borrowed(_) => 0,
                };
                value + tag.as_deref().map_or(0, tag_len)
            }
            _ => 0,
        }
    }
}

/// A problem that stops reading: a syntax error or a limit. `raw` marks the parser's own
/// words (load.rs rewords some of them).
#[derive(Clone, Debug)]
pub(crate) struct Fatal {
    pub pos: Option<Pos>,
    pub message: String,
    pub kind: FatalKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FatalKind {
    /// The parser's message (a syntax error).
    Syntax,
    /// A YAML limit, already worded.
    Limit,
    /// A tag the format does not read; the message is the tag as written.
    Tag,
    /// Anything else, already worded.
    Other,
}

impl Fatal {
    pub(crate) fn new(pos: Pos, kind: FatalKind, message: impl Into<String>) -> Self {
        Fatal {
            pos: Some(pos),
            message: message.into(),
            kind,
        }
    }
}

/// Which limit a manifest went over.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Breach {
    Depth,
    Nodes(usize),
    Events,
    Aliases,
    Anchors,
    Documents,
    ScalarBytes,
    MergeKeys,
    Recorded,
}

impl Breach {
    pub(crate) fn message(self) -> String {
        let what = match self {
            Breach::Depth => "is nested too deeply (more than 32 levels)".to_owned(),
            Breach::Nodes(nodes) => {
                format!("has too many YAML nodes for its size ({nodes} so far)")
            }
            Breach::Events => "has too many YAML events for its size".to_owned(),
            Breach::Aliases => "uses too many aliases".to_owned(),
            Breach::Anchors => "defines too many anchors".to_owned(),
            Breach::Documents => {
                return "the manifest holds several YAML documents; it must be exactly one"
                    .to_owned();
            }
            Breach::ScalarBytes => {
                "holds more text than its size allows (alias expansion?)".to_owned()
            }
            Breach::MergeKeys => "uses too many merge keys".to_owned(),
            Breach::Recorded => {
                "expands aliases beyond what its size allows (an alias bomb?)".to_owned()
            }
        };
        format!("the manifest {what}; relcheck refuses it rather than risk hanging a pipeline")
    }
}

/// The YAML limits for an input of `len` bytes.
///
/// A manifest averages about 20 bytes per node; the limits allow 3x that density plus a floor
/// for small files, and refuse anything denser (alias bombs, floods of tiny nodes).
#[derive(Clone, Copy, Debug)]
struct Limits {
    depth: usize,
    nodes: usize,
    events: usize,
    scalar_bytes: usize,
    aliases: usize,
    anchors: usize,
    recorded_events: usize,
    recorded_bytes: usize,
    documents: usize,
    merge_keys: usize,
    replayed_events: usize,
}

impl Limits {
    fn for_len(len: usize) -> Self {
        let nodes = 20_000 + len / 6;
        Limits {
            depth: 32,
            nodes,
            events: 2 * nodes + 16,
            scalar_bytes: 2 * len + 65_536,
            aliases: 1_000 + len / 100,
            anchors: 1_000 + len / 100,
            recorded_events: nodes,
            recorded_bytes: 2 * len + 65_536,
            documents: 1,
            merge_keys: 1_000 + len / 100,
            replayed_events: 1_000_000,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Container {
    Seq {
        from_value: bool,
    },
    Map {
        expecting_key: bool,
        from_value: bool,
    },
}

/// The counters behind [`Limits`].
#[derive(Debug, Default)]
struct Budget {
    events: usize,
    aliases: usize,
    nodes: usize,
    depth: usize,
    max_depth: usize,
    scalar_bytes: usize,
    merge_keys: usize,
    recorded_events: usize,
    recorded_bytes: usize,
    documents: usize,
    anchors: HashSet<usize>,
    containers: Vec<Container>,
}

fn tag_len(tag: &Tag) -> usize {
    let (handle, suffix) = tag.parts();
    handle.len() + suffix.len()
}

fn is_merge_tag(tag: &Tag) -> bool {
    tag.suffix_in_namespace(YAML_NS)
        .is_some_and(|s| s.trim_start_matches('!') == "merge")
}

const YAML_NS: &str = "tag:yaml.org,2002:";

/// What a raw event is, to the budget.
enum Raw<'e> {
    Scalar {
        value: &'e str,
        plain: bool,
        anchor: usize,
        tag: Option<&'e Tag>,
    },
    Start {
        map: bool,
        anchor: usize,
        tag: Option<&'e Tag>,
    },
    End,
    DocumentStart,
    Other,
}

impl Budget {
    fn observe(&mut self, l: &Limits, ev: &Raw<'_>) -> Result<(), Breach> {
        self.events += 1;
        if self.events > l.events {
            return Err(Breach::Events);
        }
        match *ev {
            Raw::Scalar {
                value,
                plain,
                anchor,
                tag,
            } => {
                self.bump_nodes(l)?;
                self.bump_bytes(l, value.len() + tag.map_or(0, tag_len))?;
                self.anchor(l, anchor)?;
                if let Some(Container::Map { expecting_key, .. }) = self.containers.last_mut() {
                    if *expecting_key {
                        let merge = value == "<<"
                            && (tag.is_some_and(is_merge_tag) || tag.is_none() && plain);
                        if merge {
                            self.merge_keys += 1;
                            if self.merge_keys > l.merge_keys {
                                return Err(Breach::MergeKeys);
                            }
                        }
                        *expecting_key = false;
                    } else {
                        *expecting_key = true;
                    }
                }
            }
            Raw::Start { map, anchor, tag } => {
                self.bump_nodes(l)?;
                self.depth += 1;
                self.max_depth = self.max_depth.max(self.depth);
                if self.max_depth > l.depth {
                    return Err(Breach::Depth);
                }
                self.bump_bytes(l, tag.map_or(0, tag_len))?;
                let from_value = match self.containers.last_mut() {
                    Some(Container::Map { expecting_key, .. }) => {
                        if *expecting_key {
                            *expecting_key = false;
                            false
                        } else {
                            true
                        }
                    }
                    _ => false,
                };
                self.containers.push(if map {
                    Container::Map {
                        expecting_key: true,
                        from_value,
                    }
                } else {
                    Container::Seq { from_value }
                });
                self.anchor(l, anchor)?;
            }
            Raw::End => {
                self.depth = self.depth.saturating_sub(1);
                let from_value = match self.containers.pop() {
                    Some(Container::Seq { from_value } | Container::Map { from_value, .. }) => {
                        from_value
                    }
                    None => false,
                };
                if from_value {
                    self.finish_value();
                }
            }
            Raw::DocumentStart => {
                self.documents += 1;
                if self.documents > l.documents {
                    return Err(Breach::Documents);
                }
            }
            Raw::Other => {}
        }
        Ok(())
    }

    fn finish_value(&mut self) {
        if let Some(Container::Map { expecting_key, .. }) = self.containers.last_mut() {
            *expecting_key = true;
        }
    }

    /// An alias read from the parser (its replayed events advance the mapping state).
    fn alias_reference(&mut self, l: &Limits) -> Result<(), Breach> {
        self.events += 1;
        if self.events > l.events {
            return Err(Breach::Events);
        }
        self.aliases += 1;
        if self.aliases > l.aliases {
            return Err(Breach::Aliases);
        }
        Ok(())
    }

    fn recorded(&mut self, l: &Limits, bytes: usize) -> Result<(), Breach> {
        self.recorded_events += 1;
        if self.recorded_events > l.recorded_events {
            return Err(Breach::Recorded);
        }
        self.recorded_bytes = self.recorded_bytes.saturating_add(bytes);
        if self.recorded_bytes > l.recorded_bytes {
            return Err(Breach::Recorded);
        }
        Ok(())
    }

    fn bump_nodes(&mut self, l: &Limits) -> Result<(), Breach> {
        self.nodes += 1;
        if self.nodes > l.nodes {
            return Err(Breach::Nodes(self.nodes));
        }
        Ok(())
    }

    fn bump_bytes(&mut self, l: &Limits, bytes: usize) -> Result<(), Breach> {
        self.scalar_bytes = self.scalar_bytes.saturating_add(bytes);
        if self.scalar_bytes > l.scalar_bytes {
            return Err(Breach::ScalarBytes);
        }
        Ok(())
    }

    fn anchor(&mut self, l: &Limits, id: usize) -> Result<(), Breach> {
        if id != 0 && self.anchors.insert(id) && self.anchors.len() > l.anchors {
            return Err(Breach::Anchors);
        }
        Ok(())
    }

    /// After the last event: many aliases of few anchors.
    fn ratio(&self) -> Result<(), Breach> {
        if self.aliases >= 100
            && (self.anchors.is_empty() || self.aliases > 10 * self.anchors.len())
        {
            return Err(Breach::Aliases);
        }
        Ok(())
    }
}

/// An anchored node being recorded.
struct Recording<'a> {
    id: usize,
    depth: usize,
    events: Vec<Ev<'a>>,
}

/// An alias being replayed.
struct Replay<'a> {
    events: Rc<[Ev<'a>]>,
    next: usize,
    at: Pos,
}

/// The events of one YAML document, limits enforced.
pub(crate) struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
    source: &'a str,
    limits: Limits,
    budget: Budget,
    anchors: Vec<Option<Rc<[Ev<'a>]>>>,
    recording: Vec<Recording<'a>>,
    replay: Option<Replay<'a>>,
    replayed: usize,
    /// The position of the last event, for problems found after it.
    pub(crate) last: Pos,
    done: bool,
}

fn pos_of(span: &Span) -> Pos {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(clamp(span.start.line()), clamp(span.start.col() + 1))
}

impl<'a> Events<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        let options = granit_parser::options! {
            flow_nesting_limit: 32,
            // One level more than relcheck reads, so that the limit's own words say why.
            block_nesting_limit: 255,
        };
        Events {
            parser: Parser::new_from_str_with_options(source, options),
            source,
            limits: Limits::for_len(source.len()),
            budget: Budget::default(),
            anchors: Vec::new(),
            recording: Vec::new(),
            replay: None,
            replayed: 0,
            last: Pos::START,
            done: false,
        }
    }

    fn breach(at: Pos, b: Breach) -> Fatal {
        Fatal::new(at, FatalKind::Limit, b.message())
    }

    #[cold]
    fn record(&mut self, ev: &Ev<'a>, skip_last: bool) -> Result<(), Fatal> {
        let n = self.recording.len();
        if n == 0 {
            return Ok(());
        }
        let bytes = ev.owned_bytes();
        let at = self.replay.as_ref().map_or(ev.pos(), |r| r.at);
        for i in 0..n {
            if skip_last && i == n - 1 {
                continue;
            }
            self.budget
                .recorded(&self.limits, bytes)
                .map_err(|b| Self::breach(at, b))?;
            self.recording[i].events.push(ev.clone());
        }
        Ok(())
    }

    /// The next event; `None` after the end of the stream.
    pub(crate) fn next(&mut self) -> Result<Option<Ev<'a>>, Fatal> {
        if self.replay.is_some()
            && let Some(ev) = self.next_replayed()?
        {
            return Ok(Some(ev));
        }
        while !self.done {
            let Some(item) = self.parser.next() else {
                self.done = true;
                break;
            };
            let (raw, span) = item.map_err(|e| {
                let m = e.marker();
                let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                Fatal::new(
                    Pos::new(clamp(m.line()), clamp(m.col() + 1)),
                    FatalKind::Syntax,
                    e.info(),
                )
            })?;
            let pos = pos_of(&span);
            self.last = pos;
            let l = self.limits;
            let observed = match &raw {
                Event::Scalar(value, style, anchor, tag) => self.budget.observe(
                    &l,
                    &Raw::Scalar {
                        value,
                        plain: matches!(style, ScalarStyle::Plain),
                        anchor: *anchor,
                        tag: tag.as_deref(),
                    },
                ),
                Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                    self.budget.observe(
                        &l,
                        &Raw::Start {
                            map: matches!(raw, Event::MappingStart(..)),
                            anchor: *anchor,
                            tag: tag.as_deref(),
                        },
                    )
                }
                Event::SequenceEnd | Event::MappingEnd => self.budget.observe(&l, &Raw::End),
                Event::DocumentStart(..) => self.budget.observe(&l, &Raw::DocumentStart),
                Event::Alias(_) => Ok(()),
                _ => self.budget.observe(&l, &Raw::Other),
            };
            observed.map_err(|b| Self::breach(pos, b))?;
            let map = matches!(raw, Event::MappingStart(..));
            match raw {
                Event::Scalar(value, style, anchor, tag) => {
                    if let Some(t) = tag.as_deref() {
                        check_tag(self.source, t, Kind::Scalar, &value, pos)?;
                    }
                    let ev = Ev::Scalar {
                        value,
                        style,
                        tag: tag.map(|t| Box::new(t.into_owned())),
                        pos,
                    };
                    if !self.recording.is_empty() {
                        self.record(&ev, false)?;
                    }
                    if anchor != 0 {
                        self.budget
                            .recorded(&l, ev.owned_bytes())
                            .map_err(|b| Self::breach(pos, b))?;
                        self.store(anchor, vec![ev.clone()]);
                    }
                    return Ok(Some(ev));
                }
                Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                    if let Some(t) = tag.as_deref() {
                        let kind = if map { Kind::Map } else { Kind::Seq };
                        check_tag(self.source, t, kind, "", pos)?;
                    }
                    let ev = if map {
                        Ev::MapStart(pos)
                    } else {
                        Ev::SeqStart(pos)
                    };
                    for r in &mut self.recording {
                        r.depth += 1;
                    }
                    if anchor != 0 {
                        self.budget
                            .recorded(&l, 0)
                            .map_err(|b| Self::breach(pos, b))?;
                        self.recording.push(Recording {
                            id: anchor,
                            depth: 1,
                            events: vec![ev.clone()],
                        });
                    }
                    if !self.recording.is_empty() {
                        self.record(&ev, anchor != 0)?;
                    }
                    return Ok(Some(ev));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let ev = if matches!(raw, Event::MappingEnd) {
                        Ev::MapEnd(pos)
                    } else {
                        Ev::SeqEnd(pos)
                    };
                    if self.recording.is_empty() {
                        return Ok(Some(ev));
                    }
                    self.record(&ev, false)?;
                    for r in &mut self.recording {
                        r.depth = r.depth.saturating_sub(1);
                    }
                    while self.recording.last().is_some_and(|r| r.depth == 0) {
                        if let Some(done) = self.recording.pop() {
                            self.store(done.id, done.events);
                        }
                    }
                    return Ok(Some(ev));
                }
                Event::Alias(id) => {
                    self.budget
                        .alias_reference(&l)
                        .map_err(|b| Self::breach(pos, b))?;
                    if self.recording.iter().any(|r| r.id == id) {
                        return Err(Fatal::new(
                            pos,
                            FatalKind::Other,
                            "an alias refers to the node that contains it",
                        ));
                    }
                    let Some(events) = self.anchors.get(id).and_then(Clone::clone) else {
                        return Err(Fatal::new(pos, FatalKind::Other, "unknown anchor"));
                    };
                    self.replay = Some(Replay {
                        events,
                        next: 0,
                        at: pos,
                    });
                    if let Some(ev) = self.next_replayed()? {
                        return Ok(Some(ev));
                    }
                }
                Event::StreamEnd => {
                    self.done = true;
                }
                _ => {}
            }
        }
        if self.done {
            self.budget
                .ratio()
                .map_err(|b| Self::breach(self.last, b))?;
        }
        Ok(None)
    }

    fn store(&mut self, id: usize, events: Vec<Ev<'a>>) {
        if id >= self.anchors.len() {
            self.anchors.resize(id + 8, None);
        }
        self.anchors[id] = Some(events.into());
    }

    fn next_replayed(&mut self) -> Result<Option<Ev<'a>>, Fatal> {
        let Some(replay) = &mut self.replay else {
            return Ok(None);
        };
        let Some(ev) = replay.events.get(replay.next).cloned() else {
            self.replay = None;
            return Ok(None);
        };
        replay.next += 1;
        let at = replay.at;
        self.replayed += 1;
        if self.replayed > self.limits.replayed_events {
            return Err(Self::breach(at, Breach::Recorded));
        }
        let l = self.limits;
        let raw = match &ev {
            Ev::Scalar {
                value, style, tag, ..
            } => Raw::Scalar {
                value,
                plain: matches!(style, ScalarStyle::Plain),
                anchor: 0,
                tag: tag.as_deref().filter(|t| is_merge_tag(t)),
            },
            Ev::SeqStart(_) => Raw::Start {
                map: false,
                anchor: 0,
                tag: None,
            },
            Ev::MapStart(_) => Raw::Start {
                map: true,
                anchor: 0,
                tag: None,
            },
            Ev::SeqEnd(_) | Ev::MapEnd(_) => Raw::End,
        };
        self.budget
            .observe(&l, &raw)
            .map_err(|b| Self::breach(at, b))?;
        self.record(&ev, false)?;
        Ok(Some(ev.with_pos(at)))
    }

    /// Skips the rest of a node whose first event was `first`.
    pub(crate) fn skip(&mut self, first: &Ev<'a>) -> Result<(), Fatal> {
        let mut depth = match first {
            Ev::SeqStart(_) | Ev::MapStart(_) => 1usize,
            _ => return Ok(()),
        };
        while depth > 0 {
            match self.next()? {
                Some(Ev::SeqStart(_) | Ev::MapStart(_)) => depth += 1,
                Some(Ev::SeqEnd(_) | Ev::MapEnd(_)) => depth -= 1,
                Some(Ev::Scalar { .. }) => {}
                None => return Ok(()),
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Seq,
    Map,
}

/// Refuses the tags the format does not read (a custom tag would be dropped silently); the
/// YAML core tags on nodes of their kind are plain values.
fn check_tag(source: &str, tag: &Tag, kind: Kind, value: &str, pos: Pos) -> Result<(), Fatal> {
    let core = |name: &str| match name {
        "str" | "int" | "float" | "bool" | "null" | "timestamp" | "binary" => Some(Kind::Scalar),
        "seq" => Some(Kind::Seq),
        "map" => Some(Kind::Map),
        _ => None,
    };
    let ok = if let Some(name) = tag.suffix_in_namespace(YAML_NS) {
        let name = name.trim_start_matches('!');
        match name {
            "merge" => kind == Kind::Scalar && value == "<<",
            "value" => kind == Kind::Scalar && value == "=",
            other => core(other) == Some(kind),
        }
    } else if let Some(name) = tag.suffix_in_namespace("!") {
        match name.as_ref() {
            "" | "!" => true,
            other => other
                .strip_prefix('!')
                .and_then(core)
                .is_some_and(|k| k == kind),
        }
    } else {
        false
    };
    if ok {
        Ok(())
    } else {
        let written = tag.original();
        Err(Fatal::new(
            super::load::tag_at(source, pos, &written),
            FatalKind::Tag,
            written,
        ))
    }
}

/// Whether a tag on a mapping key makes it something else than a name: any tag but `!` and
/// `!!str`. Returns the tag as written.
pub(crate) fn key_tag(tag: Option<&Tag>) -> Option<String> {
    let tag = tag?;
    let plain = tag
        .suffix_in_namespace(YAML_NS)
        .is_some_and(|s| s.trim_start_matches('!') == "str")
        || tag
            .suffix_in_namespace("!")
            .is_some_and(|s| s.is_empty() || s == "!" || s == "!str");
    (!plain).then(|| tag.original())
}
