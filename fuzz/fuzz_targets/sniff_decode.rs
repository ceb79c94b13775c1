//! Input sniffing and charset decoding: any bytes read as stdin would be (container sniffed,
//! charset from BOM, `<meta>` or detection) give documents or errors, never a panic, and a
//! decoded text is valid UTF-8 by construction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_ingest::{IngestOptions, read_from};

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions {
        max_bytes: 1 << 20,
        ..IngestOptions::default()
    };
    for doc in read_from("fuzz", Box::new(std::io::Cursor::new(data.to_vec())), &opts).take(64) {
        if let Ok(doc) = doc {
            assert!(!doc.input.is_empty());
        }
    }
});
