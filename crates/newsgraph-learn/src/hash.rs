//! Feature hashing: turn (template id, atoms) into `u64` feature keys without allocating.
//!
//! Atoms are strings or small ids hashed once per token ([`hash_str`],
//! [`StrHasher`]); a feature key is a template id mixed with one to three
//! atom hashes ([`feature1`] .. [`feature3`]), pushed into a reused
//! [`FeatureBuf`]. The mixing step is FxHash's (multiply + rotate), with a
//! murmur3 finaliser on the key so that the low bits are well spread.

/// FxHash's multiplier (rustc-hash 2).
const K: u64 = 0xf135_7aea_2e62_a9c5;
const SEED: u64 = 0x243f_6a88_85a3_08d3;

/// Mix one more word into a running hash.
#[inline]
pub fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(K).rotate_left(26)
}

/// murmur3's 64-bit finaliser: every input bit affects every output bit.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    // Invariant: feature keys are never 0 (the run-time table uses 0 for "empty").
    h | ((h == 0) as u64)
}

/// Incremental string hasher, for hashing a transformed string (lowercased,
/// a shape, a suffix) without building it.
#[derive(Debug, Clone, Copy)]
pub struct StrHasher {
    h: u64,
    len: u64,
}

impl Default for StrHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl StrHasher {
    #[inline]
    pub fn new() -> Self {
        StrHasher { h: SEED, len: 0 }
    }

    #[inline]
    pub fn write_byte(&mut self, b: u8) {
        self.h = mix(self.h, b as u64);
        self.len += 1;
    }

    #[inline]
    pub fn write_str(&mut self, s: &str) {
        for b in s.bytes() {
            self.write_byte(b);
        }
    }

    /// Hash a char as its UTF-8 bytes, so `write_char` over a string's chars
    /// equals `write_str` on it.
    #[inline]
    pub fn write_char(&mut self, c: char) {
        if c.is_ascii() {
            self.write_byte(c as u8);
        } else {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                self.write_byte(b);
            }
        }
    }

    #[inline]
    pub fn finish(&self) -> u64 {
        finish(mix(self.h, self.len))
    }
}

/// Hash of a string atom.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h = StrHasher::new();
    h.write_str(s);
    h.finish()
}

/// Hash of a string's lowercase form, without allocating it.
#[inline]
pub fn hash_lowercase(s: &str) -> u64 {
    let mut h = StrHasher::new();
    for c in s.chars() {
        if c.is_ascii() {
            h.write_byte(c.to_ascii_lowercase() as u8);
        } else {
            for l in c.to_lowercase() {
                h.write_char(l);
            }
        }
    }
    h.finish()
}

#[inline]
pub fn feature1(template: u32, a: u64) -> u64 {
    finish(mix(mix(SEED, template as u64), a))
}

#[inline]
pub fn feature2(template: u32, a: u64, b: u64) -> u64 {
    finish(mix(mix(mix(SEED, template as u64), a), b))
}

#[inline]
pub fn feature3(template: u32, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(mix(mix(mix(SEED, template as u64), a), b), c))
}

/// A reusable buffer of feature keys: clear it per prediction, never reallocate.
#[derive(Debug, Default, Clone)]
pub struct FeatureBuf {
    keys: Vec<u64>,
}

impl FeatureBuf {
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    pub fn clear(&mut self) {
        self.keys.clear();
    }

    #[inline]
    pub fn push(&mut self, key: u64) {
        self.keys.push(key);
    }

    #[inline]
    pub fn add1(&mut self, template: u32, a: u64) {
        self.keys.push(feature1(template, a));
    }

    #[inline]
    pub fn add2(&mut self, template: u32, a: u64, b: u64) {
        self.keys.push(feature2(template, a, b));
    }

    #[inline]
    pub fn add3(&mut self, template: u32, a: u64, b: u64, c: u64) {
        self.keys.push(feature3(template, a, b, c));
    }

    #[inline]
    pub fn as_slice(&self) -> &[u64] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_hash_matches_hash_of_lowercase() {
        for s in ["Hello", "ÉCOLE", "naïve", "ABC-12", ""] {
            assert_eq!(hash_lowercase(s), hash_str(&s.to_lowercase()), "{s}");
        }
    }

    #[test]
    fn templates_and_atoms_separate_keys() {
        let a = hash_str("a");
        let b = hash_str("b");
        assert_ne!(feature1(1, a), feature1(2, a));
        assert_ne!(feature2(1, a, b), feature2(1, b, a));
        assert_ne!(hash_str("ab"), hash_str("ba"));
        assert_ne!(feature1(0, 0), 0);
    }
}
