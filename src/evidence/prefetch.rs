//! Reading a large report ahead on a second thread: the read system calls (the kernel's copy
//! of every byte out of the page cache, a fifth of a JUnit report's reading time) run while
//! the XML reader works on the bytes before them. Memory stays bounded: at most [`DEPTH`]
//! blocks wait, one is being filled and one read, [`BLOCK`] bytes each.
//!
//! A small file, or one whose thread cannot be started, is read directly: the thread costs
//! more than it saves under [`AHEAD_FROM`] bytes.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Bytes read at a time by the reading thread.
const BLOCK: usize = 256 << 10;
/// Blocks read but not yet taken, at most.
const DEPTH: usize = 2;
/// Files at least this large are read ahead.
pub(super) const AHEAD_FROM: u64 = 4 << 20;

/// A file's bytes, read directly or ahead on a second thread.
pub(crate) enum Input {
    Direct(File),
    Ahead(Ahead),
}

impl Input {
    /// `file`, whose size is `size`: read ahead when it is large.
    pub(crate) fn new(file: File, size: u64) -> Input {
        if size < AHEAD_FROM {
            return Input::Direct(file);
        }
        match Ahead::spawn(file) {
            Ok(ahead) => Input::Ahead(ahead),
            Err(Some(file)) => Input::Direct(file),
            Err(None) => Input::Ahead(Ahead::failed()),
        }
    }
}

impl Read for Input {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Direct(f) => f.read(out),
            Input::Ahead(a) => a.read(out),
        }
    }
}

/// The reading end of a file read ahead.
pub(crate) struct Ahead {
    /// Blocks as they were read, then the read's error, if any; closed at the end.
    blocks: Option<Receiver<io::Result<Vec<u8>>>>,
    /// Blocks read out, given back to be filled again.
    spent: Sender<Vec<u8>>,
    block: Vec<u8>,
    pos: usize,
    /// What ended the reading: `None` while it goes on, the error's kind and text (given
    /// again on every later read, as a file that failed once would be asked again), or the
    /// end of the file.
    ended: Option<Result<(), (io::ErrorKind, String)>>,
    thread: Option<JoinHandle<()>>,
}

impl Ahead {
    /// Starts reading `source` on a second thread; hands it back when no thread can be
    /// started (`None`: it could not be taken back).
    pub(crate) fn spawn<R: Read + Send + 'static>(source: R) -> Result<Ahead, Option<R>> {
        let (tx, blocks) = mpsc::sync_channel(DEPTH);
        let (spent, back) = mpsc::channel();
        // Shared only so that the source can be taken back if the thread does not start.
        let mine = Arc::new(Mutex::new(Some(source)));
        let theirs = Arc::clone(&mine);
        let spawned = std::thread::Builder::new()
            .name("relcheck-read-ahead".into())
            .spawn(move || {
                let taken = theirs.lock().ok().and_then(|mut s| s.take());
                if let Some(source) = taken {
                    fill(source, &tx, &back);
                }
            });
        match spawned {
            Ok(thread) => Ok(Ahead {
                blocks: Some(blocks),
                spent,
                block: Vec::new(),
                pos: 0,
                ended: None,
                thread: Some(thread),
            }),
            Err(_) => {
                // The closure, and its handle on the source, is gone with the failed spawn.
                Err(Arc::try_unwrap(mine)
                    .ok()
                    .and_then(|m| m.into_inner().ok())
                    .flatten())
            }
        }
    }

    /// A reader that says the file cannot be read: its thread did not start, and the file
    /// could not be taken back from it.
    fn failed() -> Ahead {
        let (spent, _) = mpsc::channel();
        Ahead {
            blocks: None,
            spent,
            block: Vec::new(),
            pos: 0,
            ended: Some(Err((
                io::ErrorKind::Other,
                "no thread could be started to read it".to_owned(),
            ))),
            thread: None,
        }
    }

    /// The next block, or what ended the reading.
    fn next_block(&mut self) -> io::Result<bool> {
        if let Some(ended) = &self.ended {
            return match ended {
                Ok(()) => Ok(false),
                Err((kind, text)) => Err(io::Error::new(*kind, text.clone())),
            };
        }
        let next = self.blocks.as_ref().map(Receiver::recv);
        match next {
            Some(Ok(Ok(block))) => {
                let spent = std::mem::replace(&mut self.block, block);
                // The thread may be gone (at the end of the file): then the block is dropped.
                let _ = self.spent.send(spent);
                self.pos = 0;
                Ok(true)
            }
            Some(Ok(Err(e))) => {
                self.ended = Some(Err((e.kind(), e.to_string())));
                Err(e)
            }
            Some(Err(_)) | None => {
                self.ended = Some(Ok(()));
                Ok(false)
            }
        }
    }
}

/// The reading thread: fills blocks from `source` and sends them, then its error if a read
/// fails; stops at the end of the file or when the reader is gone.
fn fill<R: Read>(
    mut source: R,
    blocks: &SyncSender<io::Result<Vec<u8>>>,
    spent: &Receiver<Vec<u8>>,
) {
    loop {
        let mut block = spent.try_recv().unwrap_or_default();
        block.resize(BLOCK, 0);
        let n = loop {
            match source.read(&mut block) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        let sent = match n {
            Ok(0) => return,
            Ok(n) => {
                block.truncate(n);
                blocks.send(Ok(block))
            }
            Err(e) => {
                let _ = blocks.send(Err(e));
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

impl BufRead for Ahead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.block.len() {
            if !self.next_block()? {
                break;
            }
        }
        Ok(&self.block[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.block.len());
    }
}

impl Read for Ahead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let held = self.fill_buf()?;
        let n = held.len().min(out.len());
        out[..n].copy_from_slice(&held[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        // Closing the channel stops the thread at its next send; then it is waited for, so
        // no read of the file outlives its reader.
        self.blocks = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives `steps` bytes per read in turn, then fails with `fail` if given.
    struct Uneven {
        bytes: Vec<u8>,
        at: usize,
        steps: Vec<usize>,
        turn: usize,
        fail: Option<io::ErrorKind>,
    }

    impl Read for Uneven {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.at == self.bytes.len()
                && let Some(kind) = self.fail
            {
                return Err(io::Error::new(kind, "the disk went away"));
            }
            let step = self.steps[self.turn % self.steps.len()];
            self.turn += 1;
            let n = step.min(out.len()).min(self.bytes.len() - self.at);
            out[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|i| u8::try_from(i * 7 % 251).unwrap()).collect()
    }

    fn uneven(bytes: Vec<u8>, steps: &[usize], fail: Option<io::ErrorKind>) -> Uneven {
        Uneven {
            bytes,
            at: 0,
            steps: steps.to_vec(),
            turn: 0,
            fail,
        }
    }

    #[test]
    fn gives_every_byte_in_order_however_the_reads_fall() {
        for size in [0, 1, BLOCK - 1, BLOCK, 3 * BLOCK + 17] {
            for steps in [&[1usize << 20][..], &[1, 4093, 65_536], &[BLOCK, 3]] {
                let want = bytes(size);
                let ahead = Ahead::spawn(uneven(want.clone(), steps, None))
                    .ok()
                    .unwrap();
                let mut got = Vec::new();
                // Reads of odd sizes from the reading end too.
                let mut ahead = ahead;
                let mut out = [0u8; 1000];
                loop {
                    let n = ahead.read(&mut out[..999]).unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&out[..n]);
                }
                assert_eq!(got.len(), want.len(), "{size} {steps:?}");
                assert!(got == want, "{size} {steps:?}");
                assert_eq!(ahead.read(&mut out).unwrap(), 0, "the end stays the end");
            }
        }
    }

    #[test]
    fn a_failed_read_comes_after_the_bytes_before_it_and_stays() {
        let want = bytes(BLOCK + 100);
        let mut ahead = Ahead::spawn(uneven(
            want.clone(),
            &[5000],
            Some(io::ErrorKind::PermissionDenied),
        ))
        .ok()
        .unwrap();
        let mut got = Vec::new();
        let err = loop {
            let mut out = [0u8; 4096];
            match ahead.read(&mut out) {
                Ok(0) => panic!("the error was taken for the end of the file"),
                Ok(n) => got.extend_from_slice(&out[..n]),
                Err(e) => break e,
            }
        };
        assert!(got == want);
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        let again = ahead.read(&mut [0u8; 10]).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(again.to_string(), "the disk went away");
    }

    #[test]
    fn a_reader_dropped_early_stops_its_thread() {
        // Far more than the blocks that may wait: the thread is blocked on a full channel
        // when the reader goes, and must see that it went (the drop joins it).
        let mut ahead = Ahead::spawn(uneven(bytes(20 * BLOCK), &[BLOCK], None))
            .ok()
            .unwrap();
        let mut out = [0u8; 10];
        assert_eq!(ahead.read(&mut out).unwrap(), 10);
        drop(ahead);
    }

    #[test]
    fn small_files_are_read_directly_and_large_ones_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.xml");
        std::fs::write(&small, b"<testsuite/>").unwrap();
        let f = File::open(&small).unwrap();
        assert!(matches!(Input::new(f, 12), Input::Direct(_)));
        let large = dir.path().join("large.xml");
        let mut xml = String::from("<testsuite name=\"s\">");
        while xml.len() < usize::try_from(AHEAD_FROM).unwrap() + 1000 {
            xml.push_str("<testcase classname=\"a.b\" name=\"c\" time=\"0.001\"/>\n");
        }
        xml.push_str("<testcase name=\"last\"><failure message=\"x\"/></testcase></testsuite>");
        std::fs::write(&large, &xml).unwrap();
        let size = std::fs::metadata(&large).unwrap().len();
        let input = Input::new(File::open(&large).unwrap(), size);
        assert!(matches!(input, Input::Ahead(_)));
        let ahead = super::super::files::read_content(input, size).unwrap();
        let direct = super::super::files::read_content(File::open(&large).unwrap(), size).unwrap();
        let (a, d) = (ahead.junit.unwrap(), direct.junit.unwrap());
        assert_eq!(a.total, d.total);
        assert_eq!(a.total.failures, 1);
        assert_eq!(format!("{:?}", ahead.text), format!("{:?}", direct.text));
    }
}
