//! Development helper: prints one line per document or error for the given inputs.
//! `cargo run -p unspin-ingest --example show -- FILE|DIR|URL|-...`
fn main() {
    let opts = unspin_ingest::IngestOptions::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for s in unspin_ingest::expand(&args) {
        match s {
            Ok(s) => {
                for d in unspin_ingest::read(&s, &opts) {
                    match d {
                        Ok(d) => println!(
                            "{} {:?} {} {:?} {:?} {} chars",
                            d.input,
                            d.format,
                            d.charset,
                            d.charset_source,
                            d.warnings,
                            d.text.chars().count()
                        ),
                        Err(e) => println!("ERR {e}"),
                    }
                }
            }
            Err(e) => println!("ERR {e}"),
        }
    }
}
