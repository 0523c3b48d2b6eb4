//! The floor for relcheck's streaming XML evidence readers (`scripts/bench-evidence.sh`):
//! quick-xml alone tokenising a file, as relcheck reads one (a 64 KiB buffered read, events
//! pulled into one reused buffer), and nothing else: no attribute is parsed, no text
//! unescaped, nothing kept.
//!
//! `xml-floor FILE` prints the number of events. `xml-floor --attributes FILE` also walks
//! every attribute of every start tag and normalises its value (what any reader of
//! Cobertura's `<line number= hits=>` or JUnit's `<testcase name= classname=>` must do at
//! the least), and prints the number of attributes too.

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use quick_xml::Reader;
use quick_xml::events::Event;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (attributes, path) = match args.as_slice() {
        [path] => (false, path.clone()),
        [flag, path] if flag == "--attributes" => (true, path.clone()),
        _ => {
            eprintln!("usage: xml-floor [--attributes] FILE");
            return ExitCode::from(2);
        }
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
    let mut attrs = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if attributes => {
                events += 1;
                for a in e.attributes() {
                    let ok = a.ok().is_some_and(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .is_ok()
                    });
                    attrs += u64::from(ok);
                }
            }
            Ok(_) => events += 1,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        }
        buf.clear();
    }
    if attributes {
        println!("{events} events, {attrs} attributes");
    } else {
        println!("{events} events");
    }
    ExitCode::SUCCESS
}
