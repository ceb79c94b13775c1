//! Lists the files read as transcripts, with their turns' speakers:
//! `cargo run -p unspin-segment --example transcripts -- FILE_OR_DIR…`.

use std::path::{Path, PathBuf};
use unspin_segment::{OffsetMap, turns};

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        files(Path::new(&a), &mut paths);
    }
    let (mut read, mut found) = (0, 0);
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        read += 1;
        let ts = turns(&text);
        if ts.is_empty() {
            continue;
        }
        found += 1;
        let map = OffsetMap::new(&text);
        let mut names: Vec<&str> = ts
            .iter()
            .map(|t| map.slice(&text, t.speaker_start, t.speaker_end))
            .collect();
        names.sort_unstable();
        names.dedup();
        println!(
            "{}: {} turns by {}",
            p.display(),
            ts.len(),
            names.join(", ")
        );
    }
    println!("{found} of {read} files read as transcripts");
}
