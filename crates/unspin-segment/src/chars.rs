//! Character classes shared by the paragraph, sentence and token passes.

/// Whitespace for segmentation purposes: Unicode `White_Space`, plus the
/// byte-order mark / zero-width no-break space (U+FEFF) and the zero-width
/// space (U+200B), which must never be the edge of a span.
#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// ASCII fast path of [`is_space`].
#[inline]
pub(crate) fn is_ascii_space(b: u8) -> bool {
    b == b' ' || (9..=13).contains(&b)
}

/// Decodes the char starting at byte `i` (which must be a char boundary).
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().unwrap_or('\u{fffd}')
    }
}

/// Decodes the char ending just before byte `i`, with its start offset.
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<(usize, char)> {
    text[..i].char_indices().next_back()
}

/// Byte offset of the next non-space char at or after `i`, or `end`.
#[inline]
pub(crate) fn skip_spaces(text: &str, mut i: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    while i < end {
        let b = bytes[i];
        if b < 0x80 {
            if !is_ascii_space(b) {
                return i;
            }
            i += 1;
        } else {
            let c = char_at(text, i);
            if !is_space(c) {
                return i;
            }
            i += c.len_utf8();
        }
    }
    end
}

/// Trims [`is_space`] chars from both ends of the byte range.
#[inline]
pub(crate) fn trim(text: &str, s: usize, e: usize) -> (usize, usize) {
    let t = text[s..e].trim_start_matches(is_space);
    let s2 = e - t.len();
    let t2 = t.trim_end_matches(is_space);
    (s2, s2 + t2.len())
}

/// Sentence-final punctuation.
#[inline]
pub(crate) fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '‽'
            | '⁇'
            | '⁈'
            | '⁉'
            | '。'
            | '！'
            | '？'
            | '｡'
            | '؟'
            | '।'
            | '॥'
    )
}

/// Terminators of scripts written without spaces: they end a sentence even
/// when no whitespace follows.
#[inline]
pub(crate) fn is_spaceless_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

/// Closing quotes and brackets that belong to the sentence they follow.
#[inline]
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '”'
            | '’'
            | '»'
            | '›'
            | '」'
            | '』'
            | '）'
            | '〕'
            | '］'
            | '〉'
            | '》'
    )
}

/// Opening quotes, brackets and dashes that may precede a sentence's first word.
#[inline]
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '('
            | '['
            | '{'
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '‹'
            | '¿'
            | '¡'
            | '-'
            | '–'
            | '—'
            | '*'
            | '_'
            | '「'
            | '『'
            | '（'
    )
}

/// Unicode punctuation (general category P*), approximated by ranges.
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    let u = c as u32;
    matches!(u,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF | 0x037E | 0x0387
        | 0x055A..=0x055F | 0x0589..=0x058A | 0x05BE | 0x05C0 | 0x05C3 | 0x05C6
        | 0x05F3..=0x05F4 | 0x0609..=0x060A | 0x060C..=0x060D | 0x061B | 0x061D..=0x061F
        | 0x066A..=0x066D | 0x06D4 | 0x0964..=0x0965 | 0x0970 | 0x10FB | 0x1361..=0x1368
        | 0x166E | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x207D..=0x207E | 0x208D..=0x208E | 0x2308..=0x230B | 0x2329..=0x232A
        | 0x2768..=0x2775 | 0x27C5..=0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998
        | 0x29D8..=0x29DB | 0x29FC..=0x29FD | 0x2CF9..=0x2CFC | 0x2CFE..=0x2CFF
        | 0x2E00..=0x2E4F | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0x3030
        | 0x303D | 0x30A0 | 0x30FB | 0xFD3E..=0xFD3F | 0xFE10..=0xFE19 | 0xFE30..=0xFE52
        | 0xFE54..=0xFE61 | 0xFE63 | 0xFE68 | 0xFE6A..=0xFE6B | 0xFF01..=0xFF03
        | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A..=0xFF1B | 0xFF1F..=0xFF20
        | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// Scripts written without spaces where each char is its own word token
/// (Han ideographs, Hiragana).
#[inline]
pub(crate) fn is_single_char_word(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x3040..=0x309F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF | 0x30000..=0x3134F)
}
