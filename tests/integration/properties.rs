//! Property test: random valid manifests, generated from a small model of the format and
//! written as YAML in varied styles (block and flow, quoted and plain), load back to exactly
//! the values generated; checking them never panics, and two runs give byte-identical
//! reports.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::select;

use relcheck::manifest::{
    Audience, DocKind, DocStatus, FeatureStatus, Level, Manifest, Maturity, SprintKind, TestKind,
    TestStatus, TrainingStatus,
};

use crate::common::TODAY;

/// The model: what a manifest says, as plain values. `flow` and `quote` are how it is
/// written, not what it says; [`said`] forgets them.
#[derive(Clone, Debug, PartialEq)]
struct Model {
    name: String,
    date: String,
    freeze: Option<String>,
    sprints: Vec<Sprint>,
    features: Vec<Feature>,
    tests: Vec<Test>,
    docs: Vec<Doc>,
    training: Vec<Training>,
    policy: Option<Policy>,
    waivers: Vec<Waiver>,
}

#[derive(Clone, Debug, PartialEq)]
struct Sprint {
    id: String,
    kind: &'static str,
    start: String,
    end: String,
    planned: Option<u64>,
    completed: Option<u64>,
    hours_per_week: Option<u64>,
    flow: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Feature {
    id: String,
    status: &'static str,
    maturity: Option<&'static str>,
    added: Option<String>,
    sprint: Option<String>,
    user_facing: Option<bool>,
    tests: Vec<String>,
    docs: Vec<String>,
    training: Vec<String>,
    critical: Option<u32>,
    major: Option<u32>,
    flow: bool,
    quote: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Test {
    id: String,
    kind: &'static str,
    status: &'static str,
    flow: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Doc {
    id: String,
    kind: &'static str,
    status: &'static str,
    url: String,
    reviewed: Option<bool>,
}

#[derive(Clone, Debug, PartialEq)]
struct Training {
    id: String,
    audience: &'static str,
    status: &'static str,
    url: String,
    session: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Policy {
    feature_tests: Option<Vec<&'static str>>,
    min_release_load: Option<u64>,
    max_coverage_gap: Option<u64>,
    max_hours_per_week: Option<u64>,
    rules: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Debug, PartialEq)]
struct Waiver {
    rule: &'static str,
    subject: String,
    reason: String,
    owner: String,
    expires: Option<String>,
}

/// The model without how it was written.
fn said(mut m: Model) -> Model {
    m.sprints.iter_mut().for_each(|s| s.flow = false);
    m.tests.iter_mut().for_each(|t| t.flow = false);
    for f in &mut m.features {
        f.flow = false;
        f.quote = false;
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Rules that may be waived and set in `policy.rules` (integrity rules may not be lowered).
const RULES: &[&str] = &[
    "RC003",
    "RC101",
    "untested-feature",
    "RC102",
    "RC103",
    "RC105",
    "unaccepted-feature",
    "RC108",
    "RC201",
    "untrained-feature",
    "RC206",
    "RC301",
    "RC303",
    "RC401",
    "missing-release-roles",
    "RC409",
    "RC010",
];

fn names(all: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    select(all)
}

fn id(prefix: &'static str) -> impl Strategy<Value = String> {
    // A small pool, so that links resolve, miss and repeat.
    (0..6u8).prop_map(move |n| format!("{prefix}{n}"))
}

fn date() -> impl Strategy<Value = String> {
    (2024i16..2029, 1i8..=12, 1i8..=31).prop_filter_map("an existing day", |(y, m, d)| {
        jiff::civil::Date::new(y, m, d).ok().map(|d| d.to_string())
    })
}

/// Free text: letters, digits, punctuation YAML cares about, and some Unicode; never blank.
fn text() -> impl Strategy<Value = String> {
    let chars = select(
        &[
            'a', 'b', 'Z', '0', '7', ' ', ':', '#', '-', '\'', '"', '\\', '[', '{', ',', '&', '*',
            '!', '|', '>', '%', '@', '`', 'é', 'ß', '→', '日', '\t', '\n',
        ][..],
    );
    (
        select(&['a', 'Q', '9', 'é', '日'][..]),
        prop::collection::vec(chars, 0..24),
    )
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

/// A decimal in billionths, up to `max` units, often whole, with up to nine decimals.
fn decimal(max: u64) -> impl Strategy<Value = u64> {
    prop_oneof![
        (0..=max).prop_map(|units| units * 1_000_000_000),
        0..=max * 1_000_000_000,
    ]
}

fn sprint() -> impl Strategy<Value = Sprint> {
    (
        id("S"),
        names(SprintKind::NAMES),
        date(),
        date(),
        prop::option::of(decimal(100)),
        prop::option::of(decimal(100)),
        prop::option::of(decimal(168)),
        any::<bool>(),
    )
        .prop_map(
            |(id, kind, start, end, planned, completed, hours_per_week, flow)| Sprint {
                id,
                kind,
                start,
                end,
                planned,
                completed,
                hours_per_week,
                flow,
            },
        )
}

fn links(prefix: &'static str) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(id(prefix), 0..4)
}

fn feature() -> impl Strategy<Value = Feature> {
    (
        (
            id("f"),
            names(FeatureStatus::NAMES),
            prop::option::of(names(Maturity::NAMES)),
            prop::option::of(date()),
            prop::option::of(id("S")),
            prop::option::of(any::<bool>()),
        ),
        (
            links("t"),
            links("d"),
            links("tr"),
            prop::option::of(0..3u32),
            prop::option::of(0..1_000_000_000u32),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, status, maturity, added, sprint, user_facing),
                (tests, docs, training, critical, major, flow, quote),
            )| Feature {
                id,
                status,
                maturity,
                added,
                sprint,
                user_facing,
                tests,
                docs,
                training,
                critical,
                major,
                flow,
                quote,
            },
        )
}

fn test_entry() -> impl Strategy<Value = Test> {
    (
        id("t"),
        names(TestKind::NAMES),
        names(TestStatus::NAMES),
        any::<bool>(),
    )
        .prop_map(|(id, kind, status, flow)| Test {
            id,
            kind,
            status,
            flow,
        })
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        id("d"),
        names(DocKind::NAMES),
        names(DocStatus::NAMES),
        text(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(id, kind, status, page, reviewed)| Doc {
            url: format!("https://docs.example.com/{id}?{}", page.len()),
            id,
            kind,
            status,
            reviewed,
        })
}

fn training() -> impl Strategy<Value = Training> {
    (
        id("tr"),
        names(Audience::NAMES),
        names(TrainingStatus::NAMES),
        prop::option::of(date()),
    )
        .prop_map(|(id, audience, status, session)| Training {
            url: format!("https://learn.example.com/{id}"),
            id,
            audience,
            status,
            session,
        })
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::option::of(prop::collection::vec(names(TestKind::NAMES), 0..3)),
        prop::option::of(decimal(2)),
        prop::option::of(decimal(1)),
        prop::option::of(decimal(168)),
        prop::collection::vec((names(RULES), names(Level::NAMES)), 0..4),
    )
        .prop_map(
            |(feature_tests, min_release_load, max_coverage_gap, max_hours_per_week, mut rules)| {
                // A rule may be configured once (by code or by name): keep the first setting.
                let mut seen = std::collections::HashSet::new();
                rules.retain(|(rule, _)| {
                    let code = relcheck::rules::find(rule).map(|r| r.meta().code);
                    seen.insert(code.unwrap_or(rule))
                });
                Policy {
                    feature_tests,
                    min_release_load,
                    max_coverage_gap,
                    max_hours_per_week,
                    rules,
                }
            },
        )
}

fn waiver() -> impl Strategy<Value = Waiver> {
    (
        names(RULES),
        prop_oneof![id("f"), text()],
        text(),
        text(),
        prop::option::of(date()),
    )
        .prop_map(|(rule, subject, reason, owner, expires)| Waiver {
            rule,
            subject,
            reason,
            owner,
            expires,
        })
}

fn model() -> impl Strategy<Value = Model> {
    (
        (text(), date(), prop::option::of(date())),
        (
            prop::collection::vec(sprint(), 0..4),
            prop::collection::vec(feature(), 0..6),
            prop::collection::vec(test_entry(), 0..6),
            prop::collection::vec(doc(), 0..4),
            prop::collection::vec(training(), 0..4),
            prop::option::of(policy()),
            prop::collection::vec(waiver(), 0..3),
        ),
    )
        .prop_map(
            |(
                (name, date, freeze),
                (sprints, features, tests, docs, training, policy, waivers),
            )| {
                Model {
                    name,
                    date,
                    freeze,
                    sprints,
                    features,
                    tests,
                    docs,
                    training,
                    policy,
                    waivers,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Writing the model as YAML

/// Free text as a YAML double-quoted scalar (JSON's escapes are YAML's).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A plain scalar, or the same in single quotes.
fn plain(s: &str, quote: bool) -> String {
    if quote {
        format!("'{s}'")
    } else {
        s.to_owned()
    }
}

fn list(items: &[String], flow: bool, indent: &str) -> String {
    if flow || items.is_empty() {
        format!(" [{}]\n", items.join(", "))
    } else {
        items
            .iter()
            .map(|i| format!("\n{indent}- {i}"))
            .collect::<String>()
            + "\n"
    }
}

/// Writes `fields` (already rendered values) as one list entry, in block or flow style.
fn entry(out: &mut String, fields: &[(&str, String)], flow: bool) {
    if flow {
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        writeln!(out, "  - {{{}}}", inner.join(", ")).unwrap();
    } else {
        for (i, (k, v)) in fields.iter().enumerate() {
            let lead = if i == 0 { "  - " } else { "    " };
            writeln!(out, "{lead}{k}: {v}").unwrap();
        }
    }
}

fn opt<T>(
    fields: &mut Vec<(&'static str, String)>,
    key: &'static str,
    v: Option<T>,
    f: impl Fn(T) -> String,
) {
    if let Some(v) = v {
        fields.push((key, f(v)));
    }
}

fn nanos(n: u64) -> String {
    let (int, frac) = (n / 1_000_000_000, n % 1_000_000_000);
    if frac == 0 {
        int.to_string()
    } else {
        format!("{int}.{}", format!("{frac:09}").trim_end_matches('0'))
    }
}

fn yaml(m: &Model) -> String {
    let mut y = String::from("relcheck: 1\nrelease:\n");
    writeln!(y, "  name: {}", q(&m.name)).unwrap();
    writeln!(y, "  date: {}", m.date).unwrap();
    if let Some(f) = &m.freeze {
        writeln!(y, "  freeze: \"{f}\"").unwrap();
    }
    if !m.sprints.is_empty() {
        y.push_str("sprints:\n");
        for s in &m.sprints {
            let mut f = vec![
                ("id", s.id.clone()),
                ("kind", s.kind.to_owned()),
                ("start", s.start.clone()),
                ("end", plain(&s.end, s.flow)),
            ];
            opt(&mut f, "planned", s.planned, nanos);
            opt(&mut f, "completed", s.completed, nanos);
            opt(&mut f, "hours_per_week", s.hours_per_week, nanos);
            entry(&mut y, &f, s.flow);
        }
    }
    if !m.features.is_empty() {
        y.push_str("features:\n");
        for ft in &m.features {
            let mut f = vec![
                ("id", plain(&ft.id, ft.quote)),
                ("status", plain(ft.status, ft.quote)),
            ];
            opt(
                &mut f,
                "maturity",
                ft.maturity,
                std::borrow::ToOwned::to_owned,
            );
            opt(&mut f, "added", ft.added.as_deref(), |v| plain(v, ft.quote));
            opt(&mut f, "sprint", ft.sprint.as_deref(), str::to_owned);
            opt(&mut f, "user_facing", ft.user_facing, |v| v.to_string());
            for (key, ids) in [
                ("tests", &ft.tests),
                ("docs", &ft.docs),
                ("training", &ft.training),
            ] {
                // Block lists cannot stand inside a flow mapping.
                f.push((key, list(ids, true, "").trim().to_owned()));
                if !ft.flow && !ids.is_empty() {
                    list(ids, false, "      ")
                        .trim_end()
                        .clone_into(&mut f.last_mut().unwrap().1);
                }
            }
            if ft.critical.is_some() || ft.major.is_some() {
                let mut d = Vec::new();
                opt(&mut d, "critical", ft.critical, |v| v.to_string());
                opt(&mut d, "major", ft.major, |v| v.to_string());
                let inner: Vec<String> = d.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                f.push(("defects", format!("{{{}}}", inner.join(", "))));
            }
            entry(&mut y, &f, ft.flow);
        }
    }
    if !m.tests.is_empty() {
        y.push_str("tests:\n");
        for t in &m.tests {
            let f = [
                ("id", t.id.clone()),
                ("kind", t.kind.to_owned()),
                ("status", plain(t.status, !t.flow)),
            ];
            entry(&mut y, &f, t.flow);
        }
    }
    if !m.docs.is_empty() {
        y.push_str("docs:\n");
        for d in &m.docs {
            let mut f = vec![
                ("id", d.id.clone()),
                ("kind", d.kind.to_owned()),
                ("status", d.status.to_owned()),
                ("url", q(&d.url)),
            ];
            opt(&mut f, "reviewed", d.reviewed, |v| v.to_string());
            entry(&mut y, &f, false);
        }
    }
    if !m.training.is_empty() {
        y.push_str("training:\n");
        for t in &m.training {
            let mut f = vec![
                ("id", t.id.clone()),
                ("audience", t.audience.to_owned()),
                ("status", t.status.to_owned()),
                ("url", t.url.clone()),
            ];
            opt(&mut f, "session", t.session.as_deref(), str::to_owned);
            entry(&mut y, &f, true);
        }
    }
    if let Some(p) = &m.policy {
        let empty = p.feature_tests.is_none()
            && p.min_release_load.is_none()
            && p.max_coverage_gap.is_none()
            && p.max_hours_per_week.is_none()
            && p.rules.is_empty();
        // `policy:` with nothing under it would be null, that is no policy at all.
        y.push_str(if empty { "policy: {}\n" } else { "policy:\n" });
        if let Some(kinds) = &p.feature_tests {
            let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
            write!(y, "  feature_tests:{}", list(&kinds, false, "    ")).unwrap();
        }
        if let Some(v) = p.min_release_load {
            writeln!(y, "  min_release_load: {}", nanos(v)).unwrap();
        }
        if let Some(v) = p.max_coverage_gap {
            writeln!(y, "  max_coverage_gap: \"{}\"", nanos(v)).unwrap();
        }
        if let Some(v) = p.max_hours_per_week {
            writeln!(y, "  max_hours_per_week: {}", nanos(v)).unwrap();
        }
        if !p.rules.is_empty() {
            y.push_str("  rules:\n");
            for (rule, level) in &p.rules {
                writeln!(y, "    {rule}: {level}").unwrap();
            }
        }
    }
    if !m.waivers.is_empty() {
        y.push_str("waivers:\n");
        for w in &m.waivers {
            let mut f = vec![
                ("rule", w.rule.to_owned()),
                ("subject", q(&w.subject)),
                ("reason", q(&w.reason)),
                ("owner", q(&w.owner)),
            ];
            opt(&mut f, "expires", w.expires.as_deref(), str::to_owned);
            entry(&mut y, &f, false);
        }
    }
    y
}

// ---------------------------------------------------------------------------------------------
// Reading the loaded manifest back into the model

fn read_back(manifest: &Manifest) -> Model {
    let Manifest::Release(r) = manifest else {
        panic!("not a release manifest")
    };
    let s = |v: &relcheck::manifest::Located<String>| v.value.clone();
    let date = |v: &Option<relcheck::manifest::Located<relcheck::manifest::Date>>| {
        v.as_ref().map(std::string::ToString::to_string)
    };
    let ids = |v: &[relcheck::manifest::Located<relcheck::manifest::Id>]| {
        v.iter().map(|i| i.as_str().to_owned()).collect::<Vec<_>>()
    };
    Model {
        name: s(&r.info.name),
        date: r.info.date.to_string(),
        freeze: date(&r.info.freeze),
        sprints: r
            .sprints
            .iter()
            .map(|x| Sprint {
                id: x.id.as_str().to_owned(),
                kind: x.kind.as_str(),
                start: x.start.to_string(),
                end: x.end.to_string(),
                planned: x.planned.as_ref().map(|n| n.nanos()),
                completed: x.completed.as_ref().map(|n| n.nanos()),
                hours_per_week: x.hours_per_week.as_ref().map(|n| n.nanos()),
                flow: false,
            })
            .collect(),
        features: r
            .features
            .iter()
            .map(|f| Feature {
                id: f.id.as_str().to_owned(),
                status: f.status.as_str(),
                maturity: f.maturity.as_ref().map(|m| m.as_str()),
                added: date(&f.added),
                sprint: f.sprint.as_ref().map(|i| i.as_str().to_owned()),
                user_facing: f.user_facing.as_ref().map(|b| b.0),
                tests: ids(f.test_links()),
                docs: ids(f.doc_links()),
                training: ids(f.training_links()),
                critical: f
                    .defects
                    .as_ref()
                    .and_then(|d| d.critical.as_ref())
                    .map(|c| c.0),
                major: f
                    .defects
                    .as_ref()
                    .and_then(|d| d.major.as_ref())
                    .map(|c| c.0),
                flow: false,
                quote: false,
            })
            .collect(),
        tests: r
            .tests
            .iter()
            .map(|t| Test {
                id: t.id.as_str().to_owned(),
                kind: t.kind.as_str(),
                status: t.status.as_str(),
                flow: false,
            })
            .collect(),
        docs: r
            .docs
            .iter()
            .map(|d| Doc {
                id: d.id.as_str().to_owned(),
                kind: d.kind.as_str(),
                status: d.status.as_str(),
                url: d.url.as_ref().map(s).unwrap_or_default(),
                reviewed: d.reviewed.as_ref().map(|b| b.0),
            })
            .collect(),
        training: r
            .training
            .iter()
            .map(|t| Training {
                id: t.id.as_str().to_owned(),
                audience: t.audience.as_str(),
                status: t.status.as_str(),
                url: t.url.as_ref().map(s).unwrap_or_default(),
                session: date(&t.session),
            })
            .collect(),
        policy: r.policy.as_ref().map(|p| Policy {
            feature_tests: p
                .feature_tests
                .as_ref()
                .map(|k| k.iter().map(|k| k.as_str()).collect()),
            min_release_load: p.min_release_load.as_ref().map(|n| n.nanos()),
            max_coverage_gap: p.max_coverage_gap.as_ref().map(|n| n.nanos()),
            max_hours_per_week: p.max_hours_per_week.as_ref().map(|n| n.nanos()),
            rules: p
                .rules
                .as_ref()
                .map(|r| {
                    r.0.iter()
                        .map(|(rule, level)| {
                            let rule = RULES.iter().find(|n| **n == rule.value.as_str()).unwrap();
                            (*rule, level.as_str())
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }),
        waivers: r
            .waivers
            .iter()
            .map(|w| Waiver {
                rule: RULES.iter().find(|n| **n == w.rule.as_str()).unwrap(),
                subject: s(&w.subject),
                reason: s(&w.reason),
                owner: s(&w.owner),
                expires: date(&w.expires),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Checking through the library

/// `relcheck check PATH --today ... --format FORMAT`: exit status, report, errors.
fn check(path: &std::path::Path, format: &str) -> (relcheck::Status, Vec<u8>, Vec<u8>) {
    let cli = <relcheck::cli::Cli as clap::Parser>::parse_from([
        "relcheck",
        "check",
        path.to_str().unwrap(),
        "--today",
        TODAY,
        "--format",
        format,
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = relcheck::run(cli, &mut out, &mut err, false).unwrap();
    (status, out, err)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_manifests_round_trip_and_check_deterministically(m in model()) {
        let text = yaml(&m);
        let loaded = relcheck::manifest::parse(&text, "release.yaml")
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        prop_assert_eq!(read_back(&loaded), said(m), "{}", text);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("release.yaml");
        std::fs::write(&path, &text).unwrap();
        for format in ["json", "human", "sarif"] {
            let first = check(&path, format);
            prop_assert_ne!(first.0, relcheck::Status::Error, "{}", String::from_utf8_lossy(&first.2));
            prop_assert!(first.2.is_empty());
            let second = check(&path, format);
            prop_assert!(first == second, "{format} differs between two runs of\n{text}");
        }
    }
}
