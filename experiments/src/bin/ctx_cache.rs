//! Encodes every article of the given corpora with the contextual encoder and stores the
//! outputs in a cache folder, for the contextual cross-validation runs.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin ctx_cache -- ENCODER_DIR CACHE_DIR SHARD/NSHARDS PATH...
//! ```
//!
//! `ENCODER_LAYERS=N` keeps the encoder's first N layers. `PATH` is a PTC folder or an extra set (`unspin train techniques --extra`); `SHARD/NSHARDS`
//! (e.g. `0/2`) lets several processes share the work.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use unspin::analyse::context::ContextCache;
use unspin::analyse::techniques::data::{corpus::Corpus, extra};
use unspin_encoder::Encoder;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let layers = std::env::var("ENCODER_LAYERS")
        .ok()
        .map(|v| v.parse().expect("ENCODER_LAYERS"));
    let encoder =
        Arc::new(Encoder::from_dir_layers(Path::new(&args[0]), layers).expect("load encoder"));
    let cache = ContextCache::with_encoder(encoder).with_dir(Path::new(&args[1]));
    let (shard, n) = args[2].split_once('/').expect("SHARD/N");
    let (shard, n): (usize, usize) = (shard.parse().unwrap(), n.parse().unwrap());
    let mut texts = Vec::new();
    for p in &args[3..] {
        let p = Path::new(p);
        let arts = if p.join("articles").is_dir() && p.join("techniques.tsv").exists() {
            Corpus::load_with(
                p,
                unspin::analyse::techniques::data::corpus::LoadOptions {
                    out_of_range:
                        unspin::analyse::techniques::data::corpus::OutOfRangePolicy::Clamp,
                },
            )
            .expect("load corpus")
            .articles
        } else {
            extra::load(p).expect("load extra set")
        };
        texts.extend(arts.into_iter().map(|a| a.text));
    }
    let t = Instant::now();
    let mine: Vec<&String> = texts
        .iter()
        .enumerate()
        .filter(|(i, _)| i % n == shard)
        .map(|x| x.1)
        .collect();
    for (i, text) in mine.iter().enumerate() {
        cache.get(text);
        if i % 50 == 0 {
            eprintln!("{i}/{} {:.0}s", mine.len(), t.elapsed().as_secs_f64());
        }
    }
    eprintln!(
        "done {} texts in {:.0}s",
        mine.len(),
        t.elapsed().as_secs_f64()
    );
}
