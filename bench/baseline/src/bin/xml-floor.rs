//! The floor for relcheck's streaming XML evidence readers (`scripts/bench-evidence.sh`):
//! quick-xml alone tokenising a file, as relcheck reads one (a 64 KiB buffered read, events
//! pulled into one reused buffer), and nothing else: no attribute is parsed, no text
//! unescaped, nothing kept.
//!
//! `xml-floor FILE` prints the number of events.

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use quick_xml::Reader;
use quick_xml::events::Event;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: xml-floor FILE");
        return ExitCode::from(2);
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reader = Reader::from_reader(BufReader::with_capacity(64 << 10, file));
    let mut buf = Vec::new();
    let mut events = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(_) => events += 1,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        }
        buf.clear();
    }
    println!("{events} events");
    ExitCode::SUCCESS
}
