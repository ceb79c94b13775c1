//! How common each word is in news: background document frequencies, so that comparing a
//! handful of versions weighs words as a large corpus would (fitted on the versions alone,
//! the words of the story itself — every version has them — would count for nothing).
//!
//! The shipped table (`models/news-idf-v1.unspin`, kind `idf`) is trained by `unspin train
//! idf` from news articles that no comparison figure is measured on.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use unspin::analyse::model_file::{LoadedModel, load_shipped};

use unspin_stories::tfidf::{SparseVector, TfIdf, tokens};

/// Kind of the model file.
pub const MODEL_KIND: &str = "idf";

/// File name of the shipped table.
pub const MODEL_FILE: &str = "news-idf-v1.unspin";

/// Document frequencies over a corpus of news articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Idf {
    /// Documents counted.
    pub documents: u32,
    /// (term, documents holding it), terms as [`tokens`] gives them, sorted by term.
    pub terms: Vec<(String, u32)>,
}

impl Idf {
    /// Counts the documents each term of `texts` appears in, keeping terms in at least
    /// `min_df` documents.
    pub fn train<S: AsRef<str> + Sync>(texts: &[S], min_df: u32) -> Self {
        let counted = TfIdf::fit(texts);
        let mut terms: Vec<(String, u32)> = (0..counted.len() as u32)
            .filter(|&id| counted.df(id) >= min_df)
            .map(|id| (counted.term(id).to_owned(), counted.df(id)))
            .collect();
        terms.sort_unstable();
        Idf {
            documents: texts.len() as u32,
            terms,
        }
    }
}

/// The shipped table, loaded once; None (with a warning) when it is absent.
pub fn shipped() -> Option<Arc<LoadedModel<Idf>>> {
    static CELL: OnceLock<Option<Arc<LoadedModel<Idf>>>> = OnceLock::new();
    load_shipped(
        &CELL,
        MODEL_FILE,
        MODEL_KIND,
        |m: &Idf| m.documents > 0,
        "comparisons weigh words by the versions compared alone",
    )
}

/// The shipped table as a vocabulary, built once.
fn background() -> Option<&'static TfIdf> {
    static CELL: OnceLock<Option<TfIdf>> = OnceLock::new();
    CELL.get_or_init(|| {
        shipped().map(|m| {
            TfIdf::from_document_frequencies(m.model.documents as usize, m.model.terms.clone())
        })
    })
    .as_ref()
}

/// Unit sublinear TF-IDF vectors of `docs`, weighing each word by how many documents of
/// the shipped table and of `docs` hold it (a word in none of the table's documents counts
/// as in none); without the table, by `docs` alone.
pub fn vectors<S: AsRef<str> + Sync>(docs: &[S]) -> Vec<SparseVector> {
    let Some(bg) = background() else {
        let v = TfIdf::fit(docs);
        return docs.iter().map(|d| v.vector(d.as_ref())).collect();
    };
    // Terms of the documents: the table's ids, then new ids past them.
    let mut local: HashMap<String, u32> = HashMap::new();
    let counted: Vec<HashMap<u32, u32>> = docs
        .iter()
        .map(|d| {
            let mut tf: HashMap<u32, u32> = HashMap::new();
            for t in tokens(d.as_ref()) {
                let id = match bg.id(&t) {
                    Some(id) => id,
                    None => {
                        let next = bg.len() as u32 + local.len() as u32;
                        *local.entry(t).or_insert(next)
                    }
                };
                *tf.entry(id).or_insert(0) += 1;
            }
            tf
        })
        .collect();
    let mut own_df: HashMap<u32, u32> = HashMap::new();
    for tf in &counted {
        for &id in tf.keys() {
            *own_df.entry(id).or_insert(0) += 1;
        }
    }
    let n = (bg.documents() + docs.len()) as f32;
    let idf = |id: u32| {
        let bg_df = if (id as usize) < bg.len() {
            bg.df(id)
        } else {
            0
        };
        ((1.0 + n) / (1.0 + (bg_df + own_df[&id]) as f32)).ln() + 1.0
    };
    counted
        .into_iter()
        .map(|tf| {
            SparseVector::from_weights(
                tf.into_iter()
                    .map(|(id, c)| (id, (1.0 + (c as f32).ln()) * idf(id)))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_counts_make_common_words_weigh_less() {
        let background = Idf::train(
            &[
                "The president said the economy grew.",
                "The president met the minister.",
                "Floods hit the coast; the president visited.",
            ],
            1,
        );
        assert_eq!(background.documents, 3);
        let president = background.terms.iter().find(|(t, _)| t == "president");
        assert_eq!(president, Some(&("president".to_owned(), 3)));
    }
}
