//! Prints the span model's token marginals P(inside) for one article, one token per line
//! (`start end p_in p_begin text`), to see why a passage was or was not highlighted.
//!
//! ```text
//! cargo run --release -p unspin-experiments --bin marginals -- ARTICLE.txt [MODEL]
//! ```

use std::path::PathBuf;

use unspin::analyse::model_file;
use unspin::analyse::techniques::analyser::default_model_candidates;
use unspin::analyse::techniques::detector::{MODEL_KIND, TechniquesModel};

fn main() {
    let mut args = std::env::args().skip(1);
    let article = PathBuf::from(args.next().expect("usage: marginals ARTICLE.txt [MODEL]"));
    let model_path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        default_model_candidates()
            .into_iter()
            .find(|p| p.exists())
            .expect("no default model")
    });
    let loaded = model_file::read::<TechniquesModel>(&model_path, MODEL_KIND).expect("model");
    let text = std::fs::read_to_string(&article).expect("article");
    let seg = unspin::segment::segment(&text);
    let scores = loaded.model.span.token_scores(&text, &seg);
    let chars: Vec<char> = text.chars().collect();
    for (t, (p, b)) in seg
        .tokens
        .iter()
        .zip(scores.p_in.iter().zip(&scores.p_begin))
    {
        let word: String = chars[t.start..t.end].iter().collect();
        println!("{}\t{}\t{p:.3}\t{b:.3}\t{word}", t.start, t.end);
    }
}
