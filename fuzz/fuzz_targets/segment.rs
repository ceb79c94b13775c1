//! Sentence segmentation: paragraphs, sentences and tokens are in order, do not overlap,
//! lie within the text (code points) and within their container.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let n = text.chars().count();
    let seg = unspin_segment::segment(&text);
    let mut last = 0;
    for p in &seg.paragraphs {
        assert!(last <= p.start && p.start <= p.end && p.end <= n);
        last = p.end;
    }
    let mut last = 0;
    for s in &seg.sentences {
        assert!(last <= s.start && s.start <= s.end && s.end <= n);
        let p = &seg.paragraphs[s.paragraph];
        assert!(p.start <= s.start && s.end <= p.end);
        last = s.end;
    }
    let mut last = 0;
    for t in &seg.tokens {
        assert!(last <= t.start && t.start < t.end && t.end <= n);
        let s = &seg.sentences[t.sentence];
        assert!(s.start <= t.start && t.end <= s.end);
        last = t.end;
    }
});
