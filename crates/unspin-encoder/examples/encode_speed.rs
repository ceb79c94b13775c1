//! Times the encoder over the text files of a folder (`ENCODER_LAYERS=N`: its first N layers): `cargo run --release -p unspin-encoder
//! --example encode_speed -- MODEL_DIR DIR`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&args[1]);
    let t0 = std::time::Instant::now();
    let layers = std::env::var("ENCODER_LAYERS")
        .ok()
        .map(|v| v.parse().expect("ENCODER_LAYERS is a number"));
    let enc = unspin_encoder::Encoder::from_dir_layers(path, layers).expect("load the encoder");
    eprintln!("load {:?}", t0.elapsed());
    let mut files: Vec<_> = std::fs::read_dir(&args[2])
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let t = std::time::Instant::now();
    let (mut words, mut pieces) = (0usize, 0usize);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        words += text.split_whitespace().count();
        let e = enc.encode(&text).unwrap();
        pieces += e.offsets.len();
    }
    let s = t.elapsed().as_secs_f64();
    eprintln!(
        "{} files, {words} words, {pieces} pieces, {s:.1}s, {:.1} art/s, {:.0} ms per 1000 words",
        files.len(),
        files.len() as f64 / s,
        1000.0 * s / (words as f64 / 1000.0)
    );
}
