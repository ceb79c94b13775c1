//! The full analysis of a text: every span's offsets slice the document text to the span's
//! own text, and the analysis renders as JSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use unspin::{Document, Pipeline};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(Pipeline::default)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let Ok(a) = pipeline().analyze(&Document::from_text(text)) else {
        return;
    };
    let chars: Vec<char> = a.text.chars().collect();
    let slice = |s: usize, e: usize| -> String {
        assert!(s <= e && e <= chars.len(), "{s}..{e} of {}", chars.len());
        chars[s..e].iter().collect()
    };
    for t in &a.techniques {
        assert_eq!(slice(t.start, t.end), t.text);
    }
    for q in &a.quotes {
        assert_eq!(slice(q.start, q.end), q.text);
    }
    for c in &a.claims {
        assert_eq!(slice(c.start, c.end), c.text);
    }
    for actor in &a.actors {
        for m in &actor.mentions {
            assert_eq!(slice(m.start, m.end), m.text);
        }
    }
    for s in &a.sentences {
        assert_eq!(slice(s.start, s.end), s.text);
    }
    let _ = serde_json_len(&a);
});

fn serde_json_len(a: &unspin::Analysis) -> usize {
    let mut buf = Vec::new();
    unspin::render::Render::render(&unspin::render::Json { pretty: false }, a, &mut buf)
        .expect("an analysis renders");
    buf.len()
}
