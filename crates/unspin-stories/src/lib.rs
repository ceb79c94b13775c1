//! Grouping news articles into stories: the same event or development told by several
//! outlets, with syndicated and near-duplicate copies marked as copies.
//!
//! - [`tfidf`]: sublinear TF-IDF vectors over title + text and their cosine (also used for
//!   pair similarity elsewhere);
//! - [`minhash`]: MinHash signatures over word shingles and LSH banding, for copies;
//! - [`cluster`]: average-linkage clustering of a sparse similarity graph;
//! - [`group`]: blocking, the combined similarity, clustering and the story summaries;
//! - [`eval`]: BCubed and pairwise scores against gold stories, and the TF-IDF +
//!   average-linkage baseline.
//!
//! `docs/stories.md` describes the method and its measured quality and speed.

pub mod cluster;
pub mod eval;
pub mod group;
pub mod minhash;
pub mod tfidf;

pub use group::{Article, Corpus, Grouping, Params, Story, Weights, group};
