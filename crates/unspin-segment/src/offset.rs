//! Code point <-> byte offset conversion.

/// Converts between code-point and byte offsets of one text.
///
/// For ASCII-only text both directions are O(1); otherwise the map keeps a
/// sparse table of checkpoints and answers in O(log n) time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    /// Byte offset of every char boundary (including the end), or empty if ASCII.
    bytes: Vec<usize>,
    byte_len: usize,
    char_len: usize,
}

impl OffsetMap {
    /// Builds the map for `text`.
    pub fn new(text: &str) -> Self {
        let char_len = text.chars().count();
        let bytes = if char_len == text.len() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        OffsetMap {
            bytes,
            byte_len: text.len(),
            char_len,
        }
    }

    /// Converts a byte offset to a code-point offset.
    pub fn byte_to_char(&self, byte: usize) -> usize {
        if self.bytes.is_empty() {
            return byte.min(self.char_len);
        }
        match self.bytes.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Converts a code-point offset to a byte offset.
    pub fn char_to_byte(&self, ch: usize) -> usize {
        if self.bytes.is_empty() {
            return ch.min(self.byte_len);
        }
        self.bytes[ch.min(self.char_len)]
    }

    /// Returns the slice of `text` between code-point offsets `start` and `end`.
    pub fn slice<'a>(&self, text: &'a str, start: usize, end: usize) -> &'a str {
        &text[self.char_to_byte(start)..self.char_to_byte(end)]
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }
}
