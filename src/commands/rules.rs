//! `relcheck rules`: the rule catalogue.

use std::io::{self, Write};

use anyhow::Result;

use crate::cli::{RulesArgs, RulesFormat};
use crate::{Status, ignore_broken_pipe, rules};

pub fn run(args: &RulesArgs, out: &mut dyn Write) -> Result<Status> {
    let r = match args.format {
        RulesFormat::Human => {
            let name_width = rules::metas().map(|m| m.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<5}  {:<name_width$}  {:<7}  summary",
                "code", "name", "default"
            )
            .and_then(|()| {
                for m in rules::metas() {
                    writeln!(
                        out,
                        "{:<5}  {:<name_width$}  {:<7}  {}",
                        m.code,
                        m.name,
                        m.default.as_str(),
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
                summary: &'static str,
            }
            let list: Vec<RuleJson> = rules::metas()
                .map(|m| RuleJson {
                    code: m.code,
                    name: m.name,
                    default: m.default.as_str(),
                    summary: m.summary,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)
                .map_err(io::Error::other)
                .and_then(|()| writeln!(out))
        }
    };
    ignore_broken_pipe(r)?;
    Ok(Status::Ready)
}
