//! `relcheck schema`: the JSON Schema of the manifest format, for editors and validators.

use std::io::Write;

use anyhow::Result;

use crate::{Status, manifest};

pub(crate) fn run(out: &mut dyn Write) -> Result<Status> {
    let mut text = serde_json::to_string_pretty(&manifest::json_schema())?;
    text.push('\n');
    out.write_all(text.as_bytes())?;
    Ok(Status::Ready)
}
