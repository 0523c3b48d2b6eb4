//! Streaming lcov tracefiles (`.info`, as coverage.py's `coverage lcov`, c8/nyc, grcov and
//! `geninfo` write them): per `SF:` record, which lines are coverable (`DA:`) and covered
//! (hits above zero), into the same [`Cobertura`] shape the Cobertura reader gives (no
//! `<source>` folders).
//!
//! Read line by line, each line at most [`MAX_LINE_BYTES`]; the lines kept are bounded by
//! [`MAX_LINES`] and the files by [`MAX_FILES`], as for Cobertura: over either, the report is
//! unreadable (RC013) rather than memory growing with it.

use std::io::{BufRead, BufReader, Read};

use super::coverage::{Cobertura, MAX_FILES, MAX_LINES};

/// The longest line read (an `SF:` path, a `DA:` entry with its checksum).
pub const MAX_LINE_BYTES: u64 = 1 << 20;

/// Whether `head` (the start of a file, leading whitespace skipped) looks like lcov: a
/// record keyword such as `TN:` or `SF:`.
pub fn looks_like_lcov(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    ["TN:", "SF:"]
        .iter()
        .any(|k| head.starts_with(k.as_bytes()))
}

/// Reads an lcov tracefile from `input`; `Err` says why it is not one.
pub fn parse<R: Read>(input: R) -> Result<Cobertura, String> {
    let mut reader = BufReader::new(input);
    let mut report = Cobertura::default();
    let mut current: Option<(String, Vec<(u32, bool)>)> = None;
    let mut lines = 0usize;
    let mut buf = Vec::new();
    let mut number = 0u64;
    let mut any = false;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("cannot read the report: {e}"))?;
        if n == 0 {
            break;
        }
        number += 1;
        if buf.len() as u64 > MAX_LINE_BYTES {
            return Err(format!(
                "line {number} is longer than {} MiB",
                MAX_LINE_BYTES >> 20
            ));
        }
        let text = std::str::from_utf8(&buf)
            .map_err(|_| format!("line {number} is not UTF-8 text"))?
            .trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let (key, value) = text.split_once(':').unwrap_or((text, ""));
        match key {
            "SF" => {
                if current.is_some() {
                    return Err(format!(
                        "line {number}: SF: inside a record (missing end_of_record)"
                    ));
                }
                if value.is_empty() {
                    return Err(format!("line {number}: SF: without a file name"));
                }
                current = Some((value.to_owned(), Vec::new()));
            }
            "DA" => {
                let Some((_, file)) = &mut current else {
                    return Err(format!("line {number}: DA: outside a record"));
                };
                let mut parts = value.split(',');
                let line: u32 = parts
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .ok_or_else(|| format!("line {number}: DA: without a valid line number"))?;
                // Hits may be negative or huge in the wild (gcov overflow): only "above
                // zero" matters.
                let hits = parts
                    .next()
                    .map(str::trim)
                    .filter(|h| {
                        !h.is_empty()
                            && h.trim_start_matches('-')
                                .bytes()
                                .all(|b| b.is_ascii_digit())
                    })
                    .ok_or_else(|| format!("line {number}: DA: without valid hits"))?;
                let covered = !hits.starts_with('-') && hits.bytes().any(|b| b != b'0');
                lines += 1;
                if lines > MAX_LINES {
                    return Err(format!("it lists more than {MAX_LINES} lines"));
                }
                file.push((line, covered));
            }
            "end_of_record" => {
                let Some((name, mut file)) = current.take() else {
                    return Err(format!("line {number}: end_of_record outside a record"));
                };
                any = true;
                if !report.files.contains_key(&name) && report.files.len() >= MAX_FILES {
                    return Err(format!("it lists more than {MAX_FILES} files"));
                }
                report.files.entry(name).or_default().absorb(&mut file);
            }
            // Test names, functions, branches, summaries: not line coverage.
            "TN" | "FN" | "FNDA" | "FNF" | "FNH" | "FNL" | "FNA" | "BRDA" | "BRF" | "BRH"
            | "LF" | "LH" | "VER" => {}
            _ => {
                let shown: String = key.chars().take(40).collect();
                return Err(format!(
                    "line {number}: '{}' is not an lcov record",
                    shown.escape_debug()
                ));
            }
        }
    }
    if current.is_some() {
        return Err("it ends inside a record (truncated?)".into());
    }
    if !any {
        return Err("it holds no SF: record".into());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_merged_per_file() {
        let c = parse(
            "TN:\nSF:/home/ci/app/shop/cart.py\nFN:1,f\nDA:1,1\nDA:2,0\nDA:3,0,abc\nLF:3\nLH:1\nend_of_record\n\
             SF:/home/ci/app/shop/cart.py\nDA:2,7\nend_of_record\r\nSF:b.py\nend_of_record\n"
                .as_bytes(),
        )
        .unwrap();
        assert!(c.sources.is_empty());
        assert_eq!(
            Cobertura::counts(&c.files["/home/ci/app/shop/cart.py"]),
            (2, 3)
        );
        assert_eq!(Cobertura::counts(&c.files["b.py"]), (0, 0));
        assert!(looks_like_lcov(b"\n TN:x"));
        assert!(!looks_like_lcov(b"<coverage/>"));
    }

    #[test]
    fn unreadable_tracefiles() {
        for (text, why) in [
            ("", "no SF: record"),
            ("SF:a\nDA:1,1\n", "ends inside a record"),
            ("DA:1,1\n", "outside a record"),
            (
                "SF:a\nDA:99999999999,1\nend_of_record\n",
                "valid line number",
            ),
            ("SF:a\nDA:1,x\nend_of_record\n", "valid hits"),
            ("SF:a\n<coverage>\n", "not an lcov record"),
        ] {
            let err = parse(text.as_bytes()).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
        let long = format!("SF:{}\n", "a".repeat(2 << 20));
        assert!(
            parse(long.as_bytes())
                .unwrap_err()
                .contains("longer than 1 MiB")
        );
    }
}
