//! Prints the segmentation of a file: `cargo run -p unspin-segment --example dump -- FILE [--tokens]`.

use unspin_segment::{OffsetMap, segment};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: dump FILE [--tokens]");
    let show_tokens = args.next().as_deref() == Some("--tokens");
    let text = std::fs::read_to_string(&path).expect("read file");
    let map = OffsetMap::new(&text);
    let seg = segment(&text);
    for (pi, p) in seg.paragraphs.iter().enumerate() {
        println!("== P{pi} {:?} [{}, {})", p.kind, p.start, p.end);
        for (si, s) in seg
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| s.paragraph == pi)
        {
            println!(
                "  S{si} [{}, {}) {}",
                s.start,
                s.end,
                map.slice(&text, s.start, s.end)
            );
            if show_tokens {
                let toks: Vec<String> = seg
                    .tokens
                    .iter()
                    .filter(|t| t.sentence == si)
                    .map(|t| format!("{}/{:?}", map.slice(&text, t.start, t.end), t.kind))
                    .collect();
                println!("    {}", toks.join(" "));
            }
        }
    }
}
