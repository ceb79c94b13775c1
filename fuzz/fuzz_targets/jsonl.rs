//! The JSONL reader: every line of a `.jsonl` file is a record or a "bad record" error naming
//! its line, never a panic; one record read alone (`parse_record`) never panics either.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use unspin_ingest::{IngestOptions, Source, parse_record, read};

/// One scratch file per fuzzing process: the `.jsonl` name makes ingest read it as a dump
/// whatever its first line holds (stdin is sniffed by content instead).
fn scratch() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| std::env::temp_dir().join(format!("unspin-fuzz-{}.jsonl", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let _ = parse_record("fuzz:1", data);
    let path = scratch();
    std::fs::write(path, data).expect("the scratch file is writable");
    let label = path.display().to_string();
    let opts = IngestOptions {
        max_bytes: 1 << 16,
        ..IngestOptions::default()
    };
    for doc in read(&Source::File(path.clone()), &opts).take(256) {
        match doc {
            Ok(d) => assert!(d.input.starts_with(&format!("{label}:")), "{}", d.input),
            Err(e) => assert!(e.input().starts_with(&label), "{}", e.input()),
        }
    }
});
