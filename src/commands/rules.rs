//! `relcheck rules`: the rule catalogue, as a table, JSON, or the Markdown rules reference
//! (`docs/rules.md`, whose per-rule anchors SARIF `helpUri`s point at).

use std::io::{self, Write};

use anyhow::Result;

use crate::cli::{RulesArgs, RulesFormat};
use crate::rule::RuleMeta;
use crate::{Status, rules};

pub(crate) fn run(args: &RulesArgs, out: &mut dyn Write) -> Result<Status> {
    let r = match args.format {
        RulesFormat::Human => {
            let name_width = rules::metas().map(|m| m.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<5}  {:<name_width$}  {:<7}  {:<7}  summary",
                "code", "name", "default", "due"
            )
            .and_then(|()| {
                for m in rules::metas() {
                    writeln!(
                        out,
                        "{:<5}  {:<name_width$}  {:<7}  {:<7}  {}",
                        m.code,
                        m.name,
                        m.default.as_str(),
                        m.milestone.as_str(),
                        m.summary
                    )?;
                }
                Ok(())
            })
        }
        RulesFormat::Json => {
            #[derive(serde::Serialize)]
            struct RuleJson {
                code: &'static str,
                name: &'static str,
                default: &'static str,
                milestone: &'static str,
                summary: &'static str,
            }
            let list: Vec<RuleJson> = rules::metas()
                .map(|m| RuleJson {
                    code: m.code,
                    name: m.name,
                    default: m.default.as_str(),
                    milestone: m.milestone.as_str(),
                    summary: m.summary,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)
                .map_err(io::Error::other)
                .and_then(|()| writeln!(out))
        }
        RulesFormat::Markdown => out.write_all(markdown().as_bytes()),
    };
    r?;
    Ok(Status::Ready)
}

/// The rules reference, `docs/rules.md`: a table of every rule, then one section per rule
/// under an explicit `<a id="rc101">` anchor (what [`rules::help_uri`] links to).
pub(crate) fn markdown() -> String {
    let mut md = String::from(
        "<!-- Generated from relcheck's rule registry: do not edit by hand.\n     \
         Regenerate: cargo run -- rules --format markdown > docs/rules.md -->\n\n\
         # relcheck rules\n\n\
         Every rule relcheck runs, in code order. Each has a stable code and name (both work in \
         `policy.rules`, waivers, `--select`, `--ignore` and `relcheck explain`) and a default \
         severity; `policy.rules` changes it to `error`, `warning` or `off`. Rules whose \
         default is `off` are opt-in. Each rule's findings fall due at a milestone of the \
         release's schedule: `now`, `freeze` (the scope freeze) or `release` (the release \
         date); `policy.due` moves them. `relcheck explain RULE` prints a section below in the \
         terminal.\n\n\
         | Code | Name | Default | Due | Finding when |\n\
         |---|---|---|---|---|\n",
    );
    for m in rules::metas() {
        md.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            m.code,
            anchor(m),
            m.name,
            m.default.as_str(),
            m.milestone.as_str(),
            m.summary.replace('|', "\\|")
        ));
    }
    for m in rules::metas() {
        md.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n## {} {}\n\nDefault severity: **{}**. Due: **{}**. {}.\n\n",
            anchor(m),
            m.code,
            m.name,
            m.default.as_str(),
            m.milestone.as_str(),
            super::explain::capitalize(m.summary)
        ));
        md.push_str(&demote_headings(&m.explanation()));
    }
    md
}

/// The anchor of a rule's section; `rules::help_uri` links to the same.
fn anchor(m: &RuleMeta) -> String {
    m.code.to_ascii_lowercase()
}

/// Moves the explanation's headings one level down, under the rule's own; code blocks (whose
/// YAML comments start with `#`) are left alone.
fn demote_headings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_demoted_outside_code() {
        let text = "## What it checks\nx\n```yaml\n# a comment\n```\n## Example\n";
        assert_eq!(
            demote_headings(text),
            "### What it checks\nx\n```yaml\n# a comment\n```\n### Example\n"
        );
    }

    #[test]
    fn every_rule_has_an_anchor_that_help_uri_points_at() {
        let md = markdown();
        for m in rules::metas() {
            let uri = rules::help_uri(m);
            let fragment = uri.rsplit_once('#').map(|(_, f)| f).unwrap();
            assert!(
                md.contains(&format!("<a id=\"{fragment}\"></a>\n\n## {} ", m.code)),
                "{}",
                m.code
            );
            assert!(md.contains(&format!("| [{}](#{fragment}) |", m.code)));
        }
        assert!(!md.contains("\n\n\n"), "no double blank lines");
    }
}
