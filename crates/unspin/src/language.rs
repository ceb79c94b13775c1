//! Language identification of a document's text.

use crate::document::Source;

/// How many bytes of text (from the start) language identification looks at.
const SAMPLE_BYTES: usize = 8 * 1024;

/// Sets `source.language` and `source.language_source`: the language detected from the text
/// when detection is reliable, else the language the page declares, else `und`.
pub fn fill_language(text: &str, declared: Option<&str>, source: &mut Source) {
    let mut cut = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let detected = whatlang::detect(&text[..cut])
        .filter(|info| info.is_reliable())
        .map(|info| iso639_1(info.lang()).to_owned());
    let declared = declared
        .map(|d| {
            d.trim()
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .filter(|d| !d.is_empty());
    let (language, how) = match (detected, declared) {
        (Some(d), _) => (d, "detected"),
        (None, Some(d)) => (d, "declared"),
        (None, None) => ("und".to_owned(), "unknown"),
    };
    source.language = language;
    source.language_source = how.to_owned();
}

/// The ISO 639-1 code of a language whatlang knows (its own ISO 639-3 code when none exists).
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("eng", "en"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("bel", "be"),
        ("deu", "de"),
        ("fra", "fr"),
        ("spa", "es"),
        ("por", "pt"),
        ("ita", "it"),
        ("nld", "nl"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("bul", "bg"),
        ("mkd", "mk"),
        ("ron", "ro"),
        ("hun", "hu"),
        ("fin", "fi"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "nb"),
        ("est", "et"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("heb", "he"),
        ("pes", "fa"),
        ("hin", "hi"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("vie", "vi"),
        ("ind", "id"),
        ("kat", "ka"),
        ("hye", "hy"),
        ("aze", "az"),
        ("uzb", "uz"),
        ("epo", "eo"),
        ("lat", "la"),
        ("tha", "th"),
        ("ben", "bn"),
        ("urd", "ur"),
        ("tam", "ta"),
        ("tgl", "tl"),
        ("afr", "af"),
    ];
    let code = lang.code();
    TABLE
        .iter()
        .find(|(three, _)| *three == code)
        .map_or(code, |(_, two)| two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_english_and_russian() {
        let mut s = Source::default();
        fill_language(
            "The council met on Tuesday and agreed to publish the budget before the summer recess.",
            Some("ru"),
            &mut s,
        );
        assert_eq!(
            (s.language.as_str(), s.language_source.as_str()),
            ("en", "detected")
        );
        fill_language(
            "Совет собрался во вторник и решил опубликовать бюджет до летних каникул.",
            None,
            &mut s,
        );
        assert_eq!(s.language, "ru");
    }

    #[test]
    fn falls_back_to_declared_then_und() {
        let mut s = Source::default();
        fill_language("42", Some("de-AT"), &mut s);
        assert_eq!(
            (s.language.as_str(), s.language_source.as_str()),
            ("de", "declared")
        );
        fill_language("", None, &mut s);
        assert_eq!(s.language, "und");
    }
}
