//! Bytes to text: byte-order marks, UTF-16, lossy UTF-8, binary sniffing, control characters.

use std::ops::Range;

/// How much of the input the binary sniffing looks at.
const SNIFF_BYTES: usize = 8 * 1024;

/// Text decoded from a file, with a record of where decoding had to guess.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-16LE` or `UTF-16BE`, for messages.
    pub encoding: &'static str,
    /// Each U+FFFD that decoding inserted: its byte offset in `text` and how
    /// many input bytes it stands for.
    /// Invariant: sorted by offset.
    replacements: Vec<(usize, usize)>,
}

impl Decoded {
    /// The warning for the invalid input inside `range` of `text`, if any.
    pub fn warning_for(&self, range: Range<usize>) -> Option<String> {
        let start = self
            .replacements
            .partition_point(|&(at, _)| at < range.start);
        let end = self.replacements.partition_point(|&(at, _)| at < range.end);
        let bytes: usize = self.replacements[start..end].iter().map(|&(_, n)| n).sum();
        (bytes > 0).then(|| {
            format!(
                "invalid {} decoded with replacement characters ({bytes} bytes)",
                self.encoding
            )
        })
    }

    /// The warning for the whole text, if decoding replaced anything.
    pub fn warning(&self) -> Option<String> {
        self.warning_for(0..self.text.len())
    }
}

/// Decodes `bytes`: UTF-16 when it starts with a UTF-16 byte-order mark, else
/// UTF-8 (a UTF-8 BOM is dropped). Never fails: invalid sequences become U+FFFD
/// and are recorded so that the article can carry a warning.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes, "UTF-16LE"),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes, "UTF-16BE"),
        _ => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let mut text = String::with_capacity(bytes.len());
            let mut replacements = Vec::new();
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    replacements.push((text.len(), chunk.invalid().len()));
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
            Decoded {
                text,
                encoding: "UTF-8",
                replacements,
            }
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, encoding: &'static str) -> Decoded {
    let pairs = bytes.chunks_exact(2);
    let odd_byte = !pairs.remainder().is_empty();
    let units = pairs.map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut replacements = Vec::new();
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                replacements.push((text.len(), 2));
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if odd_byte {
        replacements.push((text.len(), 1));
        text.push(char::REPLACEMENT_CHARACTER);
    }
    if text.starts_with('\u{FEFF}') {
        // A second BOM after the one we consumed would be odd, but is harmless to drop.
        text.remove(0);
        for r in &mut replacements {
            r.0 -= '\u{FEFF}'.len_utf8();
        }
    }
    Decoded {
        text,
        encoding,
        replacements,
    }
}

/// Why `bytes` look like a binary file rather than text, if they do.
///
/// Looks at the first 8 KiB: any NUL byte, or more than 10% control bytes
/// (other than tab, newline, carriage return and form feed), means binary.
/// UTF-16 input (with a BOM) is judged on its decoded characters instead,
/// since its ASCII characters carry NUL bytes.
pub(crate) fn binary_reason(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let decoded = decode(&bytes[..bytes.len().min(SNIFF_BYTES)]);
        let chars: Vec<char> = decoded.text.chars().collect();
        return sniff(chars.iter().map(|&c| u32::from(c)));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    sniff(head.iter().map(|&b| u32::from(b)))
}

fn sniff(units: impl Iterator<Item = u32> + Clone) -> Option<String> {
    if units.clone().any(|u| u == 0) {
        return Some("NUL bytes in the first 8 KiB".to_string());
    }
    let total = units.clone().count();
    let controls = units
        .filter(|&u| (u < 0x20 && !matches!(u, 0x09 | 0x0A | 0x0C | 0x0D)) || u == 0x7F)
        .count();
    if total > 0 && controls * 10 > total {
        let percent = controls * 100 / total;
        return Some(format!("{percent}% control characters in the first 8 KiB"));
    }
    None
}

/// Normalises line ends (`\r\n` and `\r` to `\n`) and replaces every control
/// character other than `\n` and `\t` with a space, so that the text holds
/// only what a reader sees and later character offsets stay meaningful.
pub(crate) fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Cleans a one-line metadata value: control characters out, whitespace
/// collapsed, `None` when nothing is left.
pub(crate) fn clean_field(s: &str) -> Option<String> {
    let cleaned = clean_text(s);
    let collapsed = collapse_whitespace(&cleaned);
    (!collapsed.is_empty()).then_some(collapsed)
}

/// Joins the whitespace-separated words of `s` with single spaces.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBFHello");
        assert_eq!(d.text, "Hello");
        assert_eq!(d.warning(), None);
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).text, "Zoë");
        assert_eq!(decode(&be).text, "Zoë");
        assert_eq!(binary_reason(&le), None);
    }

    #[test]
    fn unpaired_surrogate_is_replaced_with_a_warning() {
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let d = decode(&bytes);
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(
            d.warning().as_deref(),
            Some("invalid UTF-16LE decoded with replacement characters (2 bytes)")
        );
    }

    #[test]
    fn invalid_utf8_is_counted_per_range() {
        let d = decode(b"ok\xFF\xFE line\nfine\nbad \xC3");
        assert_eq!(d.text, "ok\u{FFFD}\u{FFFD} line\nfine\nbad \u{FFFD}");
        assert_eq!(
            d.warning().as_deref(),
            Some("invalid UTF-8 decoded with replacement characters (3 bytes)")
        );
        let first_line = 0..d.text.find('\n').unwrap();
        assert_eq!(
            d.warning_for(first_line).as_deref(),
            Some("invalid UTF-8 decoded with replacement characters (2 bytes)")
        );
        let second = d.text.find("fine").unwrap();
        assert_eq!(d.warning_for(second..second + 4), None);
    }

    #[test]
    fn binary_sniffing() {
        assert_eq!(
            binary_reason(b"PK\x03\x04\x00\x00").as_deref(),
            Some("NUL bytes in the first 8 KiB")
        );
        assert_eq!(
            binary_reason(b"\x01\x02\x03\x04abcdef").as_deref(),
            Some("40% control characters in the first 8 KiB")
        );
        assert_eq!(binary_reason(b"Plain text\r\n\twith\x0cbreaks\n"), None);
        // One stray control character in ordinary prose is not binary.
        assert_eq!(
            binary_reason(b"A long enough line of text \x07 here."),
            None
        );
    }

    #[test]
    fn clean_text_normalises_lines_and_controls() {
        assert_eq!(
            clean_text("a\r\nb\rc\n\td\u{7}e\u{85}f"),
            "a\nb\nc\n\td e f"
        );
    }

    #[test]
    fn clean_field_collapses() {
        assert_eq!(
            clean_field("  Kerry \n meets\u{a0}Putin "),
            Some("Kerry meets Putin".into())
        );
        assert_eq!(clean_field(" \t "), None);
    }
}
