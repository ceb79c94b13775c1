//! HTML extraction: any markup (parsed as browsers do) gives a main text and metadata or an
//! error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_extract::{ExtractOptions, extract};

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = extract(&html, &ExtractOptions::default());
});
