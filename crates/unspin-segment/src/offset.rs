//! Code point <-> byte offset conversion.

/// Converts between code-point and byte offsets of one text.
///
/// Only the non-ASCII chars are recorded (their code-point index and the byte
/// offset just past them); between two of them the mapping is linear. Both
/// directions are O(1) for ASCII text and O(log m) otherwise, m being the
/// number of non-ASCII chars. Out-of-range offsets are clamped to the end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OffsetMap {
    /// Code-point index of every non-ASCII char, ascending.
    char_pos: Vec<usize>,
    /// Byte offset just past every non-ASCII char, ascending.
    byte_end: Vec<usize>,
    byte_len: usize,
    char_len: usize,
}

impl OffsetMap {
    /// Builds the map for `text` in one pass.
    pub fn new(text: &str) -> Self {
        let mut char_pos = Vec::new();
        let mut byte_end = Vec::new();
        let mut n = 0usize;
        if text.is_ascii() {
            n = text.len();
        } else {
            for (b, c) in text.char_indices() {
                if !c.is_ascii() {
                    char_pos.push(n);
                    byte_end.push(b + c.len_utf8());
                }
                n += 1;
            }
        }
        OffsetMap {
            char_pos,
            byte_end,
            byte_len: text.len(),
            char_len: n,
        }
    }

    /// Extra bytes (beyond one per char) of the first `k` non-ASCII chars.
    #[inline]
    fn extra(&self, k: usize) -> usize {
        if k == 0 {
            0
        } else {
            self.byte_end[k - 1] - self.char_pos[k - 1] - 1
        }
    }

    /// Converts a byte offset to a code-point offset. A byte inside a
    /// multi-byte char maps to that char's index; past the end, to
    /// [`char_len`](Self::char_len).
    pub fn byte_to_char(&self, byte: usize) -> usize {
        let byte = byte.min(self.byte_len);
        if self.char_pos.is_empty() {
            return byte;
        }
        // Non-ASCII chars wholly before `byte`.
        let k = self.byte_end.partition_point(|&e| e <= byte);
        let extra = self.extra(k);
        if k < self.char_pos.len() {
            let start = self.char_pos[k] + extra;
            if byte > start {
                return self.char_pos[k];
            }
        }
        byte - extra
    }

    /// Converts a code-point offset to a byte offset (clamped to the text end).
    pub fn char_to_byte(&self, ch: usize) -> usize {
        let ch = ch.min(self.char_len);
        if self.char_pos.is_empty() {
            return ch;
        }
        let k = self.char_pos.partition_point(|&p| p < ch);
        ch + self.extra(k)
    }

    /// Returns the slice of `text` between code-point offsets `start` and
    /// `end` (end exclusive). `text` must be the text the map was built for.
    pub fn slice<'a>(&self, text: &'a str, start: usize, end: usize) -> &'a str {
        let s = self.char_to_byte(start);
        let e = self.char_to_byte(end).max(s);
        &text[s..e]
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Number of bytes in the text.
    pub fn byte_len(&self) -> usize {
        self.byte_len
    }
}
