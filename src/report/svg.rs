//! The HTML report's two pictures of a release, as inline SVG (no script): the **schedule**
//! (sprints on a time axis, the freeze and release markers, today's line, the open findings
//! due at each milestone) and the **pace** (planned hours per week against the policy's
//! maximum, each release sprint's load against the feature sprints' velocity band).
//!
//! Each picture is an `<svg role="img">` labelled by its `<title>` and `<desc>`, which say in
//! words what it draws; every mark has a text label, so nothing depends on colour; every
//! manifest string is escaped with [`escape::html`](super::escape::html); every coordinate
//! comes from the manifest and the check's day, never the wall clock, so the same check draws
//! the same bytes. The height grows with the number of sprints, of which the latest
//! [`MAX_SPRINTS`] are drawn and the rest counted in a note. The milestones and their counts
//! are the view's ([`ManifestView::schedule`]); the velocity band is the pace rules' own
//! computation ([`pace::ReleaseLoads`]), so the picture and RC301/RC302 cannot disagree.
//!
//! A program draws no picture: its schedule is one date, and each product's sprints are
//! drawn in that product's own report.

use std::io::{self, Write};

use super::escape::html as h;
use super::plural;
use super::view::{ManifestView, MilestoneRow};
use crate::context::Context;
use crate::manifest::{Date, Located, Sprint, SprintKind};
use crate::rules::pace::{self, Load, ReleaseLoads};

/// At most this many sprints are drawn, the latest by start; the others are counted.
pub(crate) const MAX_SPRINTS: usize = 60;

/// The drawing's width (it scales down with the page).
const WIDTH: f64 = 1100.0;
/// Where the plot starts: the sprint labels are on its left.
const LEFT: f64 = 150.0;
/// Room kept on the right.
const RIGHT: f64 = 24.0;
/// One sprint's row.
const ROW: f64 = 26.0;
/// A bar's height in its row.
const BAR: f64 = 16.0;
/// One milestone's line of labels under the sprints.
const LANE: f64 = 26.0;
/// A rough width of one character of the 12px labels, to keep labels inside the picture.
const CHAR: f64 = 6.8;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The CSS of the pictures (part of the page's style sheet).
pub(super) const STYLE: &str = r"
svg.chart { display: block; max-width: 100%; height: auto; margin: 10px 0 6px; font-size: 12px; }
svg.chart text { fill: #1f2328; paint-order: stroke; stroke: #fff; stroke-width: 3px;
  stroke-linejoin: round; }
svg.chart .head { font-weight: 600; font-size: 13px; }
svg.chart .muted { fill: #59636e; }
svg.chart text.inside { fill: #fff; stroke: none; }
svg.chart .plate { fill: #fff; }
svg.chart .grid { stroke: #d1d9e0; stroke-width: 1; }
svg.chart .feature { fill: #0969da; }
svg.chart .release { fill: #bf3989; }
svg.chart text.release { fill: #bf3989; font-weight: 600; }
svg.chart .today { stroke: #cf222e; stroke-width: 2; }
svg.chart .freeze { stroke: #9a6700; stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .ship { stroke: #1f2328; stroke-width: 3; }
svg.chart .due { stroke: #59636e; stroke-width: 1; stroke-dasharray: 2 3; }
svg.chart rect.badge { fill: #59636e; }
svg.chart rect.badge.open { fill: #9a6700; }
svg.chart rect.badge.late { fill: #cf222e; }
svg.chart text.badge { fill: #fff; stroke: none; font-weight: 600; }
svg.chart .hours { fill: #1a7f37; }
svg.chart .over { fill: #cf222e; }
svg.chart .limit { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .band { fill: #dafbe1; stroke: #1a7f37; stroke-width: 1; }
svg.chart .mean { stroke: #1a7f37; stroke-width: 2; }
svg.chart .load { fill: #1a7f37; }
svg.chart .load.out { fill: #cf222e; }
svg.chart text.over, svg.chart text.out { fill: #cf222e; font-weight: 600; }
";

/// `12.5`: a coordinate, always with one decimal, so output never depends on a locale or a
/// float's shortest form.
fn c(v: f64) -> String {
    format!("{v:.1}")
}

/// A count of days as a float, for a coordinate.
fn days(n: i64) -> f64 {
    f64::from(i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX }))
}

/// A count (of rows, of characters) as a float, for a coordinate.
fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// `Nov 26`.
fn short(d: Date) -> String {
    let month = usize::try_from(d.0.month() - 1).map_or("", |i| MONTHS[i % 12]);
    format!("{month} {}", d.0.day())
}

/// The day after `d` (itself at the end of the calendar).
fn next_day(d: Date) -> Date {
    d.0.tomorrow().map_or(d, Date)
}

/// The sprints to draw, latest last, and how many earlier ones are left out.
struct Drawn<'a> {
    sprints: Vec<&'a Located<Sprint>>,
    left_out: usize,
}

impl<'a> Drawn<'a> {
    fn of(all: &'a [Located<Sprint>]) -> Self {
        let mut sprints: Vec<&'a Located<Sprint>> = all.iter().collect();
        // Stable: sprints that start and end together keep the manifest's order.
        sprints.sort_by_key(|s| (*s.start, *s.end));
        let left_out = sprints.len().saturating_sub(MAX_SPRINTS);
        sprints.drain(..left_out);
        Drawn { sprints, left_out }
    }

    fn rows(&self) -> f64 {
        count(self.sprints.len())
    }

    fn contains(&self, s: &Located<Sprint>) -> bool {
        self.sprints.iter().any(|d| std::ptr::eq(*d, s))
    }
}

/// The pictures of a release (`n`: its place in the report, for unique element ids), under
/// their heading; without sprints, a sentence says there is nothing to draw.
pub(super) fn pictures(
    out: &mut dyn Write,
    cx: &Context<'_>,
    m: &ManifestView<'_>,
    n: usize,
) -> io::Result<()> {
    writeln!(out, "<h3>Schedule and pace</h3>")?;
    if cx.release.sprints.is_empty() {
        return writeln!(
            out,
            r#"<p class="quiet">No sprints given, so there is no schedule or pace to draw: list the release's sprints under <code>sprints:</code> (id, kind, start, end) to see them here.</p>"#
        );
    }
    let drawn = Drawn::of(&cx.release.sprints);
    schedule(out, cx, m, &drawn, n)?;
    pace_picture(out, cx, &drawn, n)?;
    if drawn.left_out > 0 {
        writeln!(
            out,
            r#"<p class="quiet">The {MAX_SPRINTS} latest sprints are drawn; {} not drawn.</p>"#,
            plural(drawn.left_out, "earlier sprint")
        )?;
    }
    Ok(())
}

/// Opens an `<svg>` labelled by its title and description.
fn open(out: &mut dyn Write, id: &str, height: f64, title: &str, desc: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" width="{w}" height="{hh}" viewBox="0 0 {w} {hh}" xmlns="http://www.w3.org/2000/svg">"#,
        w = c(WIDTH),
        hh = c(height)
    )?;
    writeln!(out, r#"<title id="{id}-title">{title}</title>"#)?;
    writeln!(out, r#"<desc id="{id}-desc">{desc}</desc>"#)
}

/// A text label; `class` may be empty; `anchor` is `start`, `middle` or `end`.
fn text(
    out: &mut dyn Write,
    x: f64,
    y: f64,
    anchor: &str,
    class: &str,
    body: &str,
) -> io::Result<()> {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(r#" class="{class}""#)
    };
    writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}"{class}>{body}</text>"#,
        c(x),
        c(y)
    )
}

fn line(out: &mut dyn Write, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) -> io::Result<()> {
    writeln!(
        out,
        r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
        c(x1),
        c(y1),
        c(x2),
        c(y2)
    )
}

/// A milestone as drawn: its date, its line's class and what its label says.
struct Marker {
    date: Date,
    class: &'static str,
    label: String,
    open: usize,
    late: usize,
}

fn markers(rows: &[MilestoneRow], today: Date) -> Vec<Marker> {
    rows.iter()
        .map(|r| {
            let date = r.date.unwrap_or(today);
            let (class, label) = match r.name {
                "now" => ("today", format!("today {} (due at once)", short(date))),
                "freeze" => ("freeze", format!("freeze {}", short(date))),
                "release" => ("ship", format!("release {}", short(date))),
                _ => ("due", format!("policy.due {}", short(date))),
            };
            Marker {
                date,
                class,
                label,
                open: r.open,
                late: r.late,
            }
        })
        .collect()
}

/// `3 open findings due, 1 late`.
fn due_words(open: usize, late: usize) -> String {
    let mut s = plural(open, "open finding");
    s.push_str(" due");
    if late > 0 {
        s.push_str(&format!(", {late} late"));
    }
    s
}

/// The schedule: a row per sprint on a time axis, a line per milestone, and under the sprints
/// a lane per milestone with its date and a badge counting the open findings due then.
fn schedule(
    out: &mut dyn Write,
    cx: &Context<'_>,
    m: &ManifestView<'_>,
    drawn: &Drawn<'_>,
    n: usize,
) -> io::Result<()> {
    let today = cx.today;
    let marks = markers(&m.schedule.rows, today);
    // The axis: every drawn sprint and milestone, two days either side.
    let first = drawn
        .sprints
        .iter()
        .map(|s| *s.start)
        .chain(marks.iter().map(|k| k.date))
        .min()
        .unwrap_or(today);
    let last = drawn
        .sprints
        .iter()
        .map(|s| next_day((*s.end).max(*s.start)))
        .chain(marks.iter().map(|k| next_day(k.date)))
        .max()
        .unwrap_or(today);
    let span = days(first.days_until(last)) + 4.0;
    let scale = (WIDTH - LEFT - RIGHT) / span;
    let x = |d: Date| LEFT + (days(first.days_until(d)) + 2.0) * scale;
    let top = 58.0;
    let rows_end = top + drawn.rows() * ROW;
    let lanes_top = rows_end + 14.0;
    let height = lanes_top + count(marks.len()) * LANE + 6.0;

    let id = format!("m{n}-schedule");
    let (features, releases) = kinds(drawn);
    let mut desc = format!(
        "{} drawn on a time axis from {} to {}: {features} feature, {releases} release. ",
        plural(drawn.sprints.len(), "sprint"),
        drawn.sprints.first().map_or(today, |s| *s.start),
        drawn.sprints.last().map_or(today, |s| *s.end),
    );
    for s in &drawn.sprints {
        desc.push_str(&format!(
            "{} from {} to {}; ",
            pace::name(s),
            *s.start,
            *s.end
        ));
    }
    for (k, r) in marks.iter().zip(&m.schedule.rows) {
        let what = match r.name {
            "now" => format!("Today {today}"),
            "freeze" => format!(
                "Freeze {} ({})",
                k.date,
                r.source.as_deref().unwrap_or("release.freeze")
            ),
            "release" => format!("Release {}", k.date),
            _ => format!("policy.due date {}", k.date),
        };
        desc.push_str(&format!("{what}: {}. ", due_words(k.open, k.late)));
    }
    open(
        out,
        &id,
        height,
        &format!("Schedule of release {}", h(cx.name())),
        h(desc.trim_end()).as_ref(),
    )?;

    // The legend: what the colours and lines mean, in words too.
    let mut lx = LEFT;
    for (class, word) in [("feature", "feature sprint"), ("release", "release sprint")] {
        writeln!(
            out,
            r#"<rect class="{class}" x="{}" y="8" width="18" height="12" rx="2"/>"#,
            c(lx)
        )?;
        text(out, lx + 24.0, 18.0, "start", "", word)?;
        lx += 130.0;
    }
    for (class, word) in [
        ("today", "today"),
        ("freeze", "scope freeze"),
        ("ship", "release date"),
    ] {
        line(out, class, lx, 14.0, lx + 22.0, 14.0)?;
        text(out, lx + 28.0, 18.0, "start", "", word)?;
        lx += 120.0;
    }
    writeln!(
        out,
        r#"<rect class="badge open" x="{}" y="5" width="20" height="18" rx="9"/>"#,
        c(lx)
    )?;
    text(out, lx + 10.0, 18.0, "middle", "badge", "n")?;
    text(out, lx + 26.0, 18.0, "start", "", "open findings due")?;

    // The axis: weeks (Mondays) on a short schedule, months on a long one.
    for (d, label) in ticks(first, last, scale) {
        let tx = x(d);
        line(out, "grid", tx, top - 12.0, tx, rows_end)?;
        if let Some(label) = label {
            text(out, tx, top - 16.0, "middle", "muted", &label)?;
        }
    }

    // The sprints' bars, then the milestones' lines over them, then every label over both
    // (each with a white halo), so no line crosses a word unseen.
    let row_y = |i: usize| top + count(i) * ROW;
    let bar_x = |s: &Sprint| (x(*s.start), x(next_day((*s.end).max(*s.start))));
    for (i, s) in drawn.sprints.iter().enumerate() {
        let (x0, x1) = bar_x(s);
        writeln!(
            out,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="3"><title>{}: {} to {}, {}</title></rect>"#,
            s.kind.as_str(),
            c(x0),
            c(row_y(i) + (ROW - BAR) / 2.0),
            c((x1 - x0).max(1.0)),
            c(BAR),
            h(&pace::name(s)),
            *s.start,
            *s.end,
            plural(usize::try_from(s.days()).unwrap_or(0), "day")
        )?;
    }
    let lane_y = |i: usize| lanes_top + count(i) * LANE;
    let marker_x = |k: &Marker| x(k.date) + scale / 2.0;
    for (i, k) in marks.iter().enumerate() {
        let mx = marker_x(k);
        line(out, k.class, mx, top - 10.0, mx, lane_y(i) + 2.0)?;
    }
    for (i, s) in drawn.sprints.iter().enumerate() {
        let y = row_y(i);
        let (x0, x1) = bar_x(s);
        sprint_label(out, s, y)?;
        let dates = format!("{} – {}", short(*s.start), short(*s.end));
        let width = CHAR * count(dates.chars().count());
        // Right of the bar, else inside it, else left of it.
        if x1 + 6.0 + width <= WIDTH - 4.0 {
            text(out, x1 + 6.0, y + 17.0, "start", "muted", &dates)?;
        } else if x1 - x0 >= width + 12.0 {
            text(out, x0 + 6.0, y + 17.0, "start", "inside", &dates)?;
        } else {
            text(out, x0 - 6.0, y + 17.0, "end", "muted", &dates)?;
        }
    }

    // Under the sprints, a lane per milestone: a badge beside its line counting the open
    // findings due then, and its label beyond, on whichever side has room.
    for (i, k) in marks.iter().enumerate() {
        let mx = marker_x(k);
        let lane = lane_y(i);
        let number = k.open.to_string();
        let badge = 12.0 + CHAR * count(number.len());
        let label = format!("{}: {}", k.label, due_words(k.open, k.late));
        let width = CHAR * count(label.chars().count());
        let class = match (k.open, k.late) {
            (0, _) => "badge",
            (_, 0) => "badge open",
            _ => "badge late",
        };
        let right = mx + 4.0 + badge + 6.0 + width <= WIDTH - 4.0;
        let bx = if right { mx + 4.0 } else { mx - 4.0 - badge };
        writeln!(
            out,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="18" rx="9"/>"#,
            c(bx),
            c(lane + 4.0),
            c(badge)
        )?;
        text(
            out,
            bx + badge / 2.0,
            lane + 17.0,
            "middle",
            "badge",
            &number,
        )?;
        // A plate under the label hides the lines of the later milestones that cross it.
        let (plate_x, tx, anchor) = if right {
            (bx + badge + 2.0, bx + badge + 6.0, "start")
        } else {
            (bx - 6.0 - width - 4.0, bx - 6.0, "end")
        };
        writeln!(
            out,
            r#"<rect class="plate" x="{}" y="{}" width="{}" height="20"/>"#,
            c(plate_x),
            c(lane + 3.0),
            c(width + 8.0)
        )?;
        text(out, tx, lane + 17.0, anchor, "", &label)?;
    }
    writeln!(out, "</svg>")
}

/// How many of the drawn sprints are feature sprints, and how many release sprints.
fn kinds(drawn: &Drawn<'_>) -> (usize, usize) {
    let features = drawn
        .sprints
        .iter()
        .filter(|s| *s.kind == SprintKind::Feature)
        .count();
    (features, drawn.sprints.len() - features)
}

/// The axis's ticks from `first` to `last` with their labels: Mondays when a week is at
/// least 40 pixels wide, else the first of each month; labels at least 70 pixels apart.
fn ticks(first: Date, last: Date, scale: f64) -> Vec<(Date, Option<String>)> {
    let mut ticks = Vec::new();
    if 7.0 * scale >= 40.0 {
        let mut d = first;
        while d < last {
            if d.0.weekday() == jiff::civil::Weekday::Monday {
                ticks.push((d, Some(short(d))));
            }
            d = next_day(d);
        }
        return ticks;
    }
    // Every `step`-th month is labelled: a month is about 30.4 days.
    let mut step: u32 = 1;
    while f64::from(step) * 30.4 * scale < 70.0 && step < 12_000 {
        step += 1;
    }
    let mut month = first.0.first_of_month();
    let mut i: u32 = 0;
    while month <= last.0 {
        if month >= first.0 {
            let label = i.is_multiple_of(step).then(|| {
                let name = usize::try_from(month.month() - 1).map_or("", |m| MONTHS[m % 12]);
                format!("{name} {}", month.year())
            });
            ticks.push((Date(month), label));
            i += 1;
        }
        match month.last_of_month().tomorrow() {
            Ok(next) => month = next,
            Err(_) => break,
        }
    }
    ticks
}

/// The pace: hours per week of each drawn sprint against `policy.max_hours_per_week`, then
/// each release sprint's `planned` against the velocity band (or why there is none).
fn pace_picture(
    out: &mut dyn Write,
    cx: &Context<'_>,
    drawn: &Drawn<'_>,
    n: usize,
) -> io::Result<()> {
    let max_hours = cx.policy.max_hours_per_week;
    let loads = ReleaseLoads::of(cx);
    let min = u128::from(cx.policy.min_release_load.nanos());
    let max = u128::from(cx.policy.max_release_load.nanos());
    let planned: Vec<_> = loads
        .as_ref()
        .map(|l| {
            l.planned
                .iter()
                .filter(|(s, _)| drawn.contains(s))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();

    let hours_top = 44.0;
    let hours_end = hours_top + drawn.rows() * ROW;
    let load_head = hours_end + 30.0;
    let load_top = load_head + 40.0;
    let load_rows = count(planned.len().max(1));
    let height = load_top + load_rows * ROW + 10.0;

    // The description first: the same facts in words.
    let mut desc =
        format!("Planned hours per person per week against the policy's maximum of {max_hours}: ");
    let mut over = 0;
    let mut given = 0;
    for s in &drawn.sprints {
        match &s.hours_per_week {
            Some(hpw) => {
                given += 1;
                let is_over = pace::overtime(cx, s).is_some();
                over += usize::from(is_over);
                desc.push_str(&format!(
                    "{} {}{}; ",
                    pace::name(s),
                    hpw.value,
                    if is_over { " (over)" } else { "" }
                ));
            }
            None => desc.push_str(&format!("{} not given; ", pace::name(s))),
        }
    }
    desc.push_str(&format!("{over} of {given} over the maximum. "));
    match &loads {
        Ok(l) => {
            desc.push_str(&format!(
                "Release sprint load against the feature sprints' velocity band: mean {} points completed over {}, band from {} to {} points ({} to {} times the mean): ",
                l.velocity.mean(),
                plural(usize::try_from(l.velocity.count).unwrap_or(usize::MAX), "feature sprint"),
                l.velocity.bound(min),
                l.velocity.bound(max),
                cx.policy.min_release_load,
                cx.policy.max_release_load,
            ));
            for (s, p) in &planned {
                desc.push_str(&format!(
                    "{} plans {}, {}; ",
                    pace::name(s),
                    pace::points(p.value),
                    place_words(l.velocity.place(p.value, min, max))
                ));
            }
        }
        Err(why) => desc.push_str(&format!("No release load is drawn: {}.", why.0)),
    }
    let id = format!("m{n}-pace");
    open(
        out,
        &id,
        height,
        &format!("Pace of release {}", h(cx.name())),
        h(desc.trim_end().trim_end_matches(';')).as_ref(),
    )?;

    // Hours per week: the axis reaches past the maximum and every sprint's hours.
    let top_hours = drawn
        .sprints
        .iter()
        .filter_map(|s| s.hours_per_week.as_ref().map(|h| h.as_f64()))
        .fold(max_hours.as_f64() * 1.25, f64::max)
        .max(1.0);
    let plot = WIDTH - LEFT - RIGHT - 170.0;
    let hx = |v: f64| LEFT + v / top_hours * plot;
    text(
        out,
        0.0,
        16.0,
        "start",
        "head",
        "Planned hours per person per week",
    )?;
    let limit_x = hx(max_hours.as_f64());
    line(out, "limit", limit_x, hours_top - 14.0, limit_x, hours_end)?;
    text(
        out,
        limit_x,
        hours_top - 18.0,
        "middle",
        "over",
        &format!("maximum {max_hours} h/week"),
    )?;
    line(out, "grid", LEFT, hours_top - 6.0, LEFT, hours_end)?;
    for (i, s) in drawn.sprints.iter().enumerate() {
        let y = hours_top + count(i) * ROW;
        sprint_label(out, s, y)?;
        let Some(hpw) = &s.hours_per_week else {
            text(out, LEFT + 6.0, y + 17.0, "start", "muted", "not given")?;
            continue;
        };
        let is_over = pace::overtime(cx, s).is_some();
        let end = hx(hpw.as_f64());
        writeln!(
            out,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>"#,
            if is_over { "over" } else { "hours" },
            c(LEFT),
            c(y + (ROW - BAR) / 2.0),
            c((end - LEFT).max(1.0)),
            c(BAR)
        )?;
        let (class, words) = if is_over {
            ("over", format!("{} h/week: over {max_hours}", hpw.value))
        } else {
            ("", format!("{} h/week", hpw.value))
        };
        text(
            out,
            end.max(limit_x) + 8.0,
            y + 17.0,
            "start",
            class,
            &words,
        )?;
    }

    // The release sprints' load against the velocity band.
    text(
        out,
        0.0,
        load_head,
        "start",
        "head",
        "Release sprint load (planned) against the feature sprints' velocity band",
    )?;
    let l = match &loads {
        Ok(l) => l,
        Err(why) => {
            text(
                out,
                LEFT,
                load_top + 17.0,
                "start",
                "muted",
                &format!("Not drawn: {}.", h(&why.0)),
            )?;
            return writeln!(out, "</svg>");
        }
    };
    let v = &l.velocity;
    let mean = v.mean_f64();
    let ratio = |r: u128| {
        // Ratios are at most 1000, in billionths: exact in f64.
        f64::from(u32::try_from(r / 1_000_000).unwrap_or(u32::MAX)) / 1000.0
    };
    let (low, high) = (mean * ratio(min), mean * ratio(max));
    let top_load = planned
        .iter()
        .map(|(_, p)| p.as_f64())
        .fold(high.max(mean), f64::max)
        * 1.15;
    let top_load = if top_load > 0.0 { top_load } else { 1.0 };
    let lx = |v: f64| LEFT + v / top_load * plot;
    let band_end = load_top + load_rows * ROW;
    writeln!(
        out,
        r#"<rect class="band" x="{}" y="{}" width="{}" height="{}"/>"#,
        c(lx(low)),
        c(load_top - 6.0),
        c((lx(high) - lx(low)).max(1.0)),
        c(band_end - load_top + 6.0)
    )?;
    line(out, "mean", lx(mean), load_top - 6.0, lx(mean), band_end)?;
    line(out, "grid", LEFT, load_top - 6.0, LEFT, band_end)?;
    text(
        out,
        lx(mean),
        load_top - 12.0,
        "middle",
        "",
        &format!(
            "band {} – {} points ({} – {} × mean {})",
            v.bound(min),
            v.bound(max),
            cx.policy.min_release_load,
            cx.policy.max_release_load,
            v.mean()
        ),
    )?;
    for (i, (s, p)) in planned.iter().enumerate() {
        let y = load_top + count(i) * ROW;
        sprint_label(out, s, y)?;
        let place = v.place(p.value, min, max);
        let end = lx(p.as_f64());
        writeln!(
            out,
            r#"<rect class="load{}" x="{}" y="{}" width="{}" height="{}"/>"#,
            if place == Load::Within { "" } else { " out" },
            c(LEFT),
            c(y + (ROW - BAR) / 2.0),
            c((end - LEFT).max(1.0)),
            c(BAR)
        )?;
        text(
            out,
            end.max(lx(high)) + 8.0,
            y + 17.0,
            "start",
            if place == Load::Within { "" } else { "out" },
            &format!("{}: {}", pace::points(p.value), place_words(place)),
        )?;
    }
    writeln!(out, "</svg>")
}

/// A sprint's label left of its row: its id and kind.
fn sprint_label(out: &mut dyn Write, s: &Sprint, y: f64) -> io::Result<()> {
    let kind = s.kind.as_str();
    text(
        out,
        LEFT - 10.0,
        y + 17.0,
        "end",
        "",
        &format!(
            "{} <tspan class=\"{kind}\">{kind}</tspan>",
            h(s.id.as_str())
        ),
    )
}

fn place_words(place: Load) -> &'static str {
    match place {
        Load::Below => "below the band (RC301)",
        Load::Within => "within the band",
        Load::Above => "above the band (RC302)",
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use quick_xml::events::Event;

    use super::{LEFT, RIGHT, WIDTH, days, ticks};
    use crate::context::Context;
    use crate::engine::{Gate, check_release};
    use crate::manifest::{Date, Id, Manifest, parse};
    use crate::policy::{Plan, Selection};
    use crate::report::{ManifestContext, ManifestReport, Report, html};

    /// The HTML report of `yaml` on 2026-11-26, after `edit` (which may do what the loader
    /// would refuse).
    fn page(yaml: &str, edit: impl FnOnce(&mut crate::manifest::Release)) -> String {
        let Ok(Manifest::Release(mut release)) = parse(yaml, "release.yaml") else {
            panic!("a release manifest");
        };
        edit(&mut release);
        let today = Date::parse("2026-11-26").expect("a date");
        let cx = Context::new(&release, "release.yaml", PathBuf::from("."), today);
        let selection = Selection::new(&[], &[]).expect("all rules");
        let plan = Plan::new("release.yaml", None, &release.waivers, &selection).expect("a plan");
        let outcome = check_release(&cx, &plan, Gate::default());
        let report = Report {
            errors: Vec::new(),
            new_since: None,
            gate: Gate::default(),
            verdict: outcome.verdict,
            on_track: outcome.on_track,
            pass: false,
            manifests: vec![ManifestReport {
                shown: "release.yaml".to_owned(),
                root: PathBuf::from("."),
                context: ManifestContext::Release(Box::new(cx)),
                outcome,
            }],
        };
        let mut out = Vec::new();
        html::render(&report, &mut out).expect("rendered");
        String::from_utf8(out).expect("UTF-8")
    }

    /// The pictures of a page, each checked to be well-formed XML.
    fn pictures(page: &str) -> Vec<&str> {
        let pictures: Vec<&str> = page
            .match_indices("<svg")
            .map(|(i, _)| &page[i..i + page[i..].find("</svg>").unwrap_or(0) + 6])
            .collect();
        for svg in &pictures {
            let mut reader = quick_xml::Reader::from_str(svg);
            let mut elements = 0;
            loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(Event::Start(e) | Event::Empty(e)) => {
                        elements += 1;
                        let name = e.name().into_inner().to_owned();
                        assert!(name != "script", "{svg}");
                    }
                    Ok(_) => {}
                    Err(e) => panic!("{e}: {svg}"),
                }
            }
            assert!(elements > 3);
        }
        pictures
    }

    const SPRINTS: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-18\nsprints:\n  - {id: S1, kind: feature, start: 2026-11-02, end: 2026-11-13, completed: 10, hours_per_week: 50}\n  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 9}\n";

    #[test]
    fn a_sprint_id_that_is_markup_is_text_in_both_pictures() {
        let hostile = "<script>alert(1)</script>&\"'\u{202e}";
        let page = page(SPRINTS, |r| {
            r.sprints[0].value.id.value = Id(hostile.to_owned());
        });
        let pictures = pictures(&page);
        assert_eq!(pictures.len(), 2);
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\\u{202e}";
        // The schedule: its label, its bar's tooltip and the description; the pace: its label
        // and the description.
        assert_eq!(pictures[0].matches(escaped).count(), 3, "{}", pictures[0]);
        assert_eq!(pictures[1].matches(escaped).count(), 2, "{}", pictures[1]);
        assert!(!page.contains("<script"));
        assert!(!page.contains('\u{202e}'));
    }

    #[test]
    fn the_band_is_the_pace_rules_band() {
        // 9 planned against a mean of 10: within 0.7-1.2; 6 is below 7 (RC301).
        let page = page(SPRINTS, |_| {});
        let pace = pictures(&page)[1];
        assert!(
            pace.contains(">band 7 – 12 points (0.7 – 1.2 × mean 10)</text>"),
            "{pace}"
        );
        assert!(pace.contains(">9 points: within the band</text>"), "{pace}");
        assert!(
            pace.contains(r#"<rect class="over" "#),
            "50 h/week is over 40"
        );
        let page = page_with_planned(6);
        assert!(
            page.contains(">6 points: below the band (RC301)</text>"),
            "{page}"
        );
        assert!(page.contains("RC301"), "and RC301 fires");
    }

    fn page_with_planned(planned: u32) -> String {
        page(
            &SPRINTS.replace("planned: 9", &format!("planned: {planned}")),
            |_| {},
        )
    }

    #[test]
    fn month_ticks_are_labelled_at_most_every_seventy_pixels() {
        let first = Date::parse("2020-01-15").expect("a date");
        let last = Date::parse("2026-12-18").expect("a date");
        let scale = (WIDTH - LEFT - RIGHT) / days(first.days_until(last));
        let ticks = ticks(first, last, scale);
        let labelled: Vec<f64> = ticks
            .iter()
            .filter(|(_, l)| l.is_some())
            .map(|(d, _)| days(first.days_until(*d)) * scale)
            .collect();
        assert!(labelled.len() > 5);
        assert!(
            labelled.windows(2).all(|w| w[1] - w[0] >= 65.0),
            "{labelled:?}"
        );
        assert_eq!(
            ticks.first().map(|t| t.0.to_string()),
            Some("2020-02-01".to_owned())
        );
    }
}
