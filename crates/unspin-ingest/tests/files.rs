//! Plain files and stdin-like streams: formats, sniffing, charsets, bad input.

mod common;

use std::io::Cursor;

use common::*;
use encoding_rs::{KOI8_R, WINDOWS_1251};
use unspin_ingest::{
    CharsetSource, Format, IngestError, IngestOptions, Source, expand, read, read_from,
};

#[test]
fn utf8_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", ENGLISH.as_bytes());
    let doc = one_doc(&p);
    assert_eq!(doc.text, ENGLISH);
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.charset, "UTF-8");
    assert_eq!(doc.charset_source, CharsetSource::Utf8Valid);
    assert_eq!(doc.input, p.display().to_string());
    assert!(doc.warnings.is_empty());
    assert_eq!(doc.id, None);
    assert_eq!(doc.url, None);
}

#[test]
fn markdown_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let md = format!("# Council votes\n\n*Update:* {ENGLISH}\n\n- one\n- two <br>\n");
    let doc = one_doc(&write(dir.path(), "note.md", md.as_bytes()));
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.text, md);
}

#[test]
fn utf8_bom_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(RUSSIAN.as_bytes());
    let doc = one_doc(&write(dir.path(), "bom.txt", &bytes));
    assert_eq!(doc.charset, "UTF-8");
    assert_eq!(doc.charset_source, CharsetSource::Bom);
    assert_eq!(doc.text, format!("\u{FEFF}{RUSSIAN}"));
}

#[test]
fn utf16_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let doc = one_doc(&write(dir.path(), "le.txt", &utf16le_bom(RUSSIAN)));
    assert_eq!(doc.charset, "UTF-16LE");
    assert_eq!(doc.charset_source, CharsetSource::Bom);
    assert_eq!(doc.text, format!("\u{FEFF}{RUSSIAN}"));

    let html = format!("<!DOCTYPE html><html><body><p>{ENGLISH}</p></body></html>");
    let doc = one_doc(&write(dir.path(), "be.txt", &utf16be_bom(&html)));
    assert_eq!(doc.charset, "UTF-16BE");
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.text, format!("\u{FEFF}{html}"));
}

#[test]
fn utf16_without_bom_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = RUSSIAN
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let doc = one_doc(&write(dir.path(), "nobom.txt", &bytes));
    assert_eq!(doc.charset, "UTF-16LE");
    assert_eq!(doc.charset_source, CharsetSource::Detected);
    assert_eq!(doc.text, RUSSIAN);
    assert!(!doc.warnings.is_empty());
}

#[test]
fn windows_1251_text_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let doc = one_doc(&write(dir.path(), "cp.txt", &encode(WINDOWS_1251, RUSSIAN)));
    assert_eq!(doc.text, RUSSIAN);
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.charset_source, CharsetSource::Detected);
    assert_eq!(
        doc.warnings,
        vec!["not UTF-8; decoded as windows-1251 (detected)".to_string()]
    );
}

#[test]
fn koi8_r_text_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let doc = one_doc(&write(dir.path(), "koi.txt", &encode(KOI8_R, RUSSIAN)));
    assert_eq!(doc.text, RUSSIAN);
    assert_eq!(doc.charset, "KOI8-R");
    assert_eq!(doc.charset_source, CharsetSource::Detected);
    assert!(doc.warnings[0].contains("KOI8-R"));
}

#[test]
fn koi8_r_html_without_declaration_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let html =
        format!("<html><head><title>Новости</title></head><body><p>{RUSSIAN}</p></body></html>");
    let doc = one_doc(&write(dir.path(), "koi.html", &encode(KOI8_R, &html)));
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.text, html);
    assert_eq!(doc.charset, "KOI8-R");
    assert_eq!(doc.charset_source, CharsetSource::Detected);
}

#[test]
fn html_meta_charset_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"windows-1251\"><title>Т</title></head><body><p>{RUSSIAN}</p></body></html>"
    );
    let doc = one_doc(&write(
        dir.path(),
        "page.html",
        &encode(WINDOWS_1251, &html),
    ));
    assert_eq!(doc.text, html);
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.charset_source, CharsetSource::Meta);
    assert!(doc.warnings.is_empty());

    let html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head><body><p>{RUSSIAN}</p></body></html>"
    );
    let doc = one_doc(&write(dir.path(), "page2.htm", &encode(KOI8_R, &html)));
    assert_eq!(doc.text, html);
    assert_eq!(doc.charset, "KOI8-R");
    assert_eq!(doc.charset_source, CharsetSource::Meta);
}

#[test]
fn meta_claiming_utf16_means_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let html =
        format!("<html><head><meta charset=utf-16></head><body><p>{RUSSIAN}</p></body></html>");
    let doc = one_doc(&write(dir.path(), "u.html", html.as_bytes()));
    assert_eq!(doc.charset, "UTF-8");
    assert_eq!(doc.text, html);
}

#[test]
fn sniffing_ignores_extension() {
    let dir = tempfile::tempdir().unwrap();
    let html =
        format!("  <!-- saved page -->\n<!doctype html><html><body><p>{ENGLISH}</p></body></html>");
    let doc = one_doc(&write(dir.path(), "saved.txt", html.as_bytes()));
    assert_eq!(doc.format, Format::Html);

    let fragment = format!("<p>{ENGLISH}</p>\n<p>Second paragraph.</p>");
    let doc = one_doc(&write(dir.path(), "fragment", fragment.as_bytes()));
    assert_eq!(doc.format, Format::Html);

    let doc = one_doc(&write(dir.path(), "prose.html", ENGLISH.as_bytes()));
    assert_eq!(doc.format, Format::Text);

    let jsonl = format!("{{\"id\": 1, \"text\": \"{ENGLISH}\"}}\n");
    let items = read_path(
        &write(dir.path(), "dump.txt", jsonl.as_bytes()),
        &IngestOptions::default(),
    );
    assert_eq!(items.len(), 1);
    let doc = items.into_iter().next().unwrap().unwrap();
    assert_eq!(doc.id.as_deref(), Some("1"));
    assert!(doc.input.ends_with("dump.txt:1"));
}

#[test]
fn forced_encoding_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "koi.txt", &encode(KOI8_R, RUSSIAN));
    let opts = IngestOptions {
        encoding: Some("koi8-r".into()),
        ..Default::default()
    };
    let doc = read_path(&p, &opts).remove(0).unwrap();
    assert_eq!(doc.text, RUSSIAN);
    assert_eq!(doc.charset_source, CharsetSource::Forced);

    // Forcing the wrong encoding is obeyed too.
    let opts = IngestOptions {
        encoding: Some("cp1251".into()),
        ..Default::default()
    };
    let doc = read_path(&p, &opts).remove(0).unwrap();
    assert_eq!(doc.charset, "windows-1251");
    assert_ne!(doc.text, RUSSIAN);

    let opts = IngestOptions {
        encoding: Some("no-such-charset".into()),
        ..Default::default()
    };
    let err = one_err(&p, &opts);
    assert!(matches!(err, IngestError::UnknownEncoding { .. }));
    assert!(err.to_string().contains("no-such-charset"), "{err}");
}

#[test]
fn binary_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"header".to_vec();
    bytes.extend_from_slice(&[0, 1, 2, 3, 0, 0, 255, 254, 7]);
    bytes.extend_from_slice(ENGLISH.as_bytes());
    let p = write(dir.path(), "notes.bin", &bytes);
    let err = one_err(&p, &IngestOptions::default());
    assert_eq!(
        err.to_string(),
        format!(
            "{}: binary file (contains NUL bytes), not text or HTML",
            p.display()
        )
    );
    assert_eq!(err.input(), p.display().to_string());

    // No NULs, but mostly control bytes.
    let ctrl: Vec<u8> = (0..2000u32)
        .map(|i| [1u8, 2, 3, 0x1b, 0x7f, b'a'][(i % 6) as usize])
        .collect();
    let err = one_err(
        &write(dir.path(), "ctrl.txt", &ctrl),
        &IngestOptions::default(),
    );
    assert!(matches!(err, IngestError::Binary { .. }), "{err}");

    let err = one_err(
        &write(
            dir.path(),
            "doc.txt",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        ),
        &IngestOptions::default(),
    );
    assert!(err.to_string().contains("PDF document"), "{err}");

    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(ENGLISH.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let err = one_err(
        &write(dir.path(), "text.txt.gz", &gz),
        &IngestOptions::default(),
    );
    assert!(err.to_string().contains("gzip"), "{err}");
}

#[test]
fn empty_and_whitespace_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "empty.txt", b"");
    let err = one_err(&p, &IngestOptions::default());
    assert!(matches!(
        err,
        IngestError::Empty {
            whitespace_only: false,
            ..
        }
    ));
    assert_eq!(err.to_string(), format!("{}: empty (0 bytes)", p.display()));

    let p = write(dir.path(), "blank.html", b" \n\t\r\n  ");
    let err = one_err(&p, &IngestOptions::default());
    assert!(matches!(
        err,
        IngestError::Empty {
            whitespace_only: true,
            ..
        }
    ));

    let p = write(dir.path(), "bom-only.txt", b"\xEF\xBB\xBF\n");
    assert!(matches!(
        one_err(&p, &IngestOptions::default()),
        IngestError::Empty { .. }
    ));
}

#[test]
fn oversize_file_is_rejected_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = ENGLISH.repeat(100);
    let p = write(dir.path(), "big.txt", big.as_bytes());
    let opts = IngestOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let err = one_err(&p, &opts);
    assert!(matches!(
        err,
        IngestError::TooLarge {
            size: Some(_),
            limit: 1000,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: too large: {} bytes, over the limit of 1000 bytes",
            p.display(),
            big.len()
        )
    );
    // Exactly at the limit is fine.
    let opts = IngestOptions {
        max_bytes: big.len() as u64,
        ..Default::default()
    };
    assert!(read_path(&p, &opts)[0].is_ok());
}

#[test]
fn missing_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    let err = one_err(&missing, &IngestOptions::default());
    assert!(matches!(err, IngestError::NotFound { .. }));
    assert_eq!(
        err.to_string(),
        format!("{}: no such file or directory", missing.display())
    );

    // A directory given as a file source is an error, not a panic.
    let err = one_err(dir.path(), &IngestOptions::default());
    assert!(err.to_string().contains("is a directory"), "{err}");

    // Permission denied (only observable when not running as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = write(dir.path(), "secret.txt", ENGLISH.as_bytes());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::File::open(&p).is_err() {
            let err = one_err(&p, &IngestOptions::default());
            assert!(matches!(err, IngestError::Io { .. }), "{err}");
            assert!(err.to_string().starts_with(&p.display().to_string()));
        }
    }
}

#[test]
fn stdin_like_streams_are_sniffed_and_capped() {
    let opts = IngestOptions::default();
    let docs: Vec<_> = read_from(
        "-",
        Box::new(Cursor::new(encode(WINDOWS_1251, RUSSIAN))),
        &opts,
    )
    .collect();
    let doc = docs.into_iter().next().unwrap().unwrap();
    assert_eq!(doc.input, "-");
    assert_eq!(doc.text, RUSSIAN);

    let html = format!("<html><body><p>{ENGLISH}</p></body></html>");
    let doc = read_from("-", Box::new(Cursor::new(html.clone().into_bytes())), &opts)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(doc.format, Format::Html);

    let small = IngestOptions {
        max_bytes: 100,
        ..Default::default()
    };
    let items: Vec<_> = read_from(
        "-",
        Box::new(Cursor::new(ENGLISH.repeat(10).into_bytes())),
        &small,
    )
    .collect();
    assert_eq!(items.len(), 1);
    let err = items.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.to_string(), "-: too large: over the limit of 100 bytes");

    let err = read_from("-", Box::new(Cursor::new(Vec::new())), &opts)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(err.to_string(), "-: empty (0 bytes)");
    assert_eq!(Source::Stdin.label(), "-");
}

#[test]
fn read_is_lazy() {
    // Nothing happens until the iterator is advanced.
    let it = read(
        &Source::File("/definitely/not/here.txt".into()),
        &IngestOptions::default(),
    );
    drop(it);
}

#[test]
fn expand_walks_directories_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in [
        "b.txt",
        "a.html",
        "A.md",
        "sub/z.htm",
        "sub/deeper/y.jsonl",
        "sub/x.warc.gz",
        "c.warc",
        "README",
        "d.ndjson",
        "e.xhtml",
        "f.markdown",
        "g.HTML",
        // skipped:
        ".hidden.txt",
        ".git/config",
        "sub/.cache/q.txt",
        "image.png",
        "data.csv",
        "t.txt.gz",
    ] {
        write(d, name, b"x");
    }
    std::fs::create_dir_all(d.join("emptydir")).unwrap();
    let root = d.display().to_string();
    let got: Vec<String> = expand(std::slice::from_ref(&root))
        .into_iter()
        .map(|s| s.unwrap().label())
        .collect();
    let mut want: Vec<String> = [
        "A.md",
        "README",
        "a.html",
        "b.txt",
        "c.warc",
        "d.ndjson",
        "e.xhtml",
        "f.markdown",
        "g.HTML",
        "sub/deeper/y.jsonl",
        "sub/x.warc.gz",
        "sub/z.htm",
    ]
    .iter()
    .map(|n| d.join(n).display().to_string())
    .collect();
    want.sort();
    assert_eq!(got, want);

    // Empty directory: nothing. Explicit files: kept whatever the extension.
    assert!(expand(&[d.join("emptydir").display().to_string()]).is_empty());
    let png = d.join("image.png").display().to_string();
    assert_eq!(
        expand(std::slice::from_ref(&png))[0].as_ref().unwrap(),
        &Source::File(png.clone().into())
    );
}

#[test]
fn expand_classifies_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt").display().to_string();
    let inputs = vec![
        "-".to_string(),
        "https://example.test/a".to_string(),
        "HTTP://example.test/b".to_string(),
        missing.clone(),
    ];
    let out = expand(&inputs);
    assert_eq!(out[0].as_ref().unwrap(), &Source::Stdin);
    assert_eq!(
        out[1].as_ref().unwrap(),
        &Source::Url("https://example.test/a".into())
    );
    assert_eq!(out[1].as_ref().unwrap().label(), "https://example.test/a");
    assert!(matches!(out[2], Ok(Source::Url(_))));
    let err = out[3].as_ref().unwrap_err();
    assert_eq!(err.input(), missing);
    assert_eq!(
        err.to_string(),
        format!("{missing}: no such file or directory")
    );
}

#[test]
fn every_file_in_a_folder_reads() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "1.txt", ENGLISH.as_bytes());
    write(dir.path(), "2.txt", &encode(KOI8_R, RUSSIAN));
    write(dir.path(), "3.txt", b"");
    let opts = IngestOptions::default();
    let results: Vec<_> = expand(&[dir.path().display().to_string()])
        .into_iter()
        .flat_map(|s| read(&s.unwrap(), &opts))
        .collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(results[2].is_err());
}
