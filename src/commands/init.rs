//! `relcheck init`: write a commented starter manifest.
//!
//! It never overwrites anything: the file is created with `create_new`, so an existing file
//! (or one that appears meanwhile) is refused with exit 2 and left as it was. There is no
//! `--force`: a starter is only worth having where there is nothing yet, and losing a
//! filled-in manifest to a typo costs more than `mv release.yaml release.old.yaml`.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::Status;
use crate::cli::InitArgs;
use crate::manifest::Starter;

pub(crate) fn run(args: &InitArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Status> {
    let today = crate::clock::today_or(args.today.as_deref())?;
    let kind = if args.program {
        Starter::Program
    } else {
        Starter::Release
    };
    let text = kind.text(today);
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| kind.file_name().into());
    if path.as_os_str() == "-" {
        out.write_all(text.as_bytes())?;
        return Ok(Status::Ready);
    }
    create(&path, &text)?;
    writeln!(
        err,
        "wrote {}: fill in the placeholders, then run `relcheck check {}`; \
         each finding says what is left to do and when it falls due",
        path.display(),
        path.display()
    )?;
    Ok(Status::Ready)
}

/// Creates `path` with `text`, refusing to replace anything.
fn create(path: &Path, text: &str) -> Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => bail!(
            "{} already exists; relcheck init never overwrites a file: move it away, \
             or write the starter elsewhere with --output FILE",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // Leave nothing half-written behind: the file is ours, created a moment ago.
        drop(file);
        let _ = fs::remove_file(path);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
