//! Byte ranges into a document's text, and their conversion to character offsets.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a text.
///
/// Invariant: both ends lie on `char` boundaries of the text the range was made for.
/// JSON output never shows byte offsets: see [`CharOffsets`].
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    #[inline]
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        TextRange {
            start: start as u32,
            end: end as u32,
        }
    }

    #[inline]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    #[inline]
    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The slice of `text` this range covers.
    #[inline]
    pub fn slice(self, text: &str) -> &str {
        &text[self.as_range()]
    }

    /// The smallest range covering both.
    #[inline]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    #[inline]
    pub fn contains(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// How many bytes the two ranges share (0 when they are disjoint or only touch).
    #[inline]
    pub fn overlap(self, other: TextRange) -> u32 {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// Maps byte offsets of one text to character (Unicode scalar value) offsets.
///
/// Built once per document; lookups are O(log n) in the number of non-ASCII
/// characters and O(1) for all-ASCII text.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// Byte offset of every non-ASCII char, with the number of extra bytes
    /// accumulated *after* it. Invariant: sorted by byte offset.
    multibyte: Vec<(u32, u32)>,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        let mut multibyte = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0u32;
            for (i, c) in text.char_indices() {
                let n = c.len_utf8() as u32;
                if n > 1 {
                    extra += n - 1;
                    multibyte.push((i as u32, extra));
                }
            }
        }
        CharOffsets { multibyte }
    }

    /// The character offset of byte offset `byte` (which must be a char boundary).
    pub fn char_of(&self, byte: u32) -> u32 {
        // Number of extra bytes from multibyte chars that start before `byte`.
        let idx = self.multibyte.partition_point(|&(b, _)| b < byte);
        let extra = if idx == 0 {
            0
        } else {
            self.multibyte[idx - 1].1
        };
        byte - extra
    }

    pub fn range(&self, r: TextRange) -> (u32, u32) {
        (self.char_of(r.start), self.char_of(r.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_char_indices() {
        let text = "a “b” é 日本 x";
        let map = CharOffsets::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_of(bi as u32) as usize, ci);
        }
        assert_eq!(
            map.char_of(text.len() as u32) as usize,
            text.chars().count()
        );
    }

    #[test]
    fn ascii_is_identity() {
        let map = CharOffsets::new("hello world");
        assert_eq!(map.char_of(5), 5);
    }
}
