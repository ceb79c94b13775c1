//! The WARC reader, plain and gzip: the input is read as the body of a WARC file (after a
//! `WARC/1.` start, so the sniffer hands it to the WARC reader) and, gzip-compressed, as a
//! `.warc.gz`; records or a "damaged archive" error, never a panic.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use unspin_ingest::{IngestOptions, read_from};

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions {
        max_bytes: 1 << 20,
        ..IngestOptions::default()
    };
    let mut plain = b"WARC/1.".to_vec();
    plain.extend_from_slice(data);
    for doc in read_from(
        "fuzz.warc",
        Box::new(std::io::Cursor::new(plain.clone())),
        &opts,
    )
    .take(64)
    {
        let _ = doc;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    let mut gz = gz.finish().unwrap();
    // Also a cut-off archive: the compressed stream truncated where the input says.
    if let Some(&cut) = data.first() {
        let keep = gz.len() * usize::from(cut) / 255;
        if cut % 2 == 1 {
            gz.truncate(keep.max(12));
        }
    }
    for doc in read_from("fuzz.warc.gz", Box::new(std::io::Cursor::new(gz)), &opts).take(64) {
        let _ = doc;
    }
});
