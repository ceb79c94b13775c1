//! Print what [`unspin_extract::extract`] finds in one HTML file.
//!
//! `cargo run --release -p unspin-extract --example extract_file -- page.html [base_url]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: extract_file PAGE.html [BASE_URL]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("read file");
    let html = String::from_utf8_lossy(&bytes);
    let opts = unspin_extract::ExtractOptions {
        base_url: args.get(1).cloned(),
        ..Default::default()
    };
    match unspin_extract::extract(&html, &opts) {
        Ok(e) => {
            println!("extractor: {}", e.extractor);
            println!("title: {:?}", e.title);
            println!("authors: {:?}", e.authors);
            println!("published: {:?}", e.published);
            println!("site: {:?}", e.site);
            println!("canonical_url: {:?}", e.canonical_url);
            println!("language: {:?}", e.language);
            println!("---\n{}", e.text);
        }
        Err(e) => {
            println!("error: {e}");
            std::process::exit(1);
        }
    }
}
