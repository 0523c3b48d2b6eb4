//! `relcheck explain RULE`: a rule's documentation.

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::ExplainArgs;
use crate::{Status, policy, rules};

pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<Status> {
    let Some(rule) = rules::find(&args.rule) else {
        bail!("{}", policy::UnknownRule(args.rule.clone()));
    };
    let m = rule.meta();
    let text = format!(
        "# {} {}\n\nDefault severity: {}. {}.\n\n{}",
        m.code,
        m.name,
        m.default.as_str(),
        capitalize(m.summary),
        m.explanation()
    );
    out.write_all(text.as_bytes())?;
    Ok(Status::Ready)
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
