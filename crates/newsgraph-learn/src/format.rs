//! The model file format shared by every trained component.
//!
//! Layout: the magic bytes `NGMODEL\0`, the format version (`u32`, little
//! endian), the kind string (`u32` length + UTF-8, e.g. `tagger`), then the
//! payload: the component's own struct in postcard, compressed with zstd.
//!
//! Version 2 stores [`Model`](crate::Model) weights as raw little-endian
//! byte strings (one `memcpy`-like pass at load) where version 1 had one
//! postcard varint per weight (two thirds of start-up time went into decoding
//! them). Version 1 files still load: [`decode`] tells the payload's
//! deserialisers which version they read ([`payload_version`]), and saving
//! writes version 2.
//!
//! A *stored* file ([`MAGIC_STORED`], `NGMODEL\x01`) has the same layout with
//! the payload uncompressed. Repository files stay zstd; the build script of
//! `newsgraph-nlp` rewrites the models whose compression saves little (the
//! parser's weights barely compress) as stored files before embedding them,
//! which skips their decompression at start-up ([`store_uncompressed`]).

use std::path::Path;

use serde::{de::DeserializeOwned, Serialize};
use thiserror::Error;

pub const MAGIC: &[u8; 8] = b"NGMODEL\0";
/// Magic bytes of a file whose payload is stored uncompressed.
pub const MAGIC_STORED: &[u8; 8] = b"NGMODEL\x01";
/// Bump when the container layout changes; components version their payload via `kind`.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest container version [`decode`] still reads (converted at load).
pub const OLDEST_FORMAT_VERSION: u32 = 1;

thread_local! {
    static PAYLOAD_VERSION: std::cell::Cell<u32> = const { std::cell::Cell::new(FORMAT_VERSION) };
}

/// The container version of the payload being decoded on this thread
/// ([`FORMAT_VERSION`] outside [`decode`]), for deserialisers whose wire
/// layout changed between versions.
pub fn payload_version() -> u32 {
    PAYLOAD_VERSION.with(|v| v.get())
}

/// Sets [`payload_version`] for the duration of one decode.
struct VersionGuard(u32);

impl VersionGuard {
    fn set(version: u32) -> VersionGuard {
        VersionGuard(PAYLOAD_VERSION.with(|v| v.replace(version)))
    }
}

impl Drop for VersionGuard {
    fn drop(&mut self) {
        PAYLOAD_VERSION.with(|v| v.set(self.0));
    }
}

/// A byte string that postcard reads in one piece (`deserialize_bytes`)
/// instead of byte by byte. Its encoding is the same as a `Vec<u8>`'s
/// (length, then the bytes), so a `Vec<u8>` field can become `Bytes`
/// without changing any file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Bytes, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(Bytes(out))
            }
        }
        d.deserialize_byte_buf(V)
    }
}
const ZSTD_LEVEL: i32 = 19;
/// The largest payload a model file may declare (the shipped models hold
/// under 30 MB): a corrupt size field must not make decoding allocate
/// whatever it says.
pub const MAX_PAYLOAD_BYTES: u64 = 1 << 30;

#[derive(Debug, Error)]
pub enum ModelError {
    #[error("cannot read model file `{origin}`: {source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("model file `{origin}` is not a newsgraph model (bad magic bytes)")]
    BadMagic { origin: String },
    #[error("model file `{origin}` has format version {found}, this build reads {expected}")]
    Version {
        origin: String,
        found: u32,
        expected: u32,
    },
    #[error("model file `{origin}` holds a `{found}` model, expected `{expected}`")]
    Kind {
        origin: String,
        found: String,
        expected: String,
    },
    #[error("model file `{origin}` ({kind}) is corrupt: {reason}")]
    Corrupt {
        origin: String,
        kind: String,
        reason: String,
    },
    #[error("cannot encode `{kind}` model: {reason}")]
    Encode { kind: String, reason: String },
}

/// Encode a model payload into the file format.
pub fn encode<T: Serialize>(kind: &str, payload: &T) -> Result<Vec<u8>, ModelError> {
    let enc_err = |reason: String| ModelError::Encode {
        kind: kind.to_string(),
        reason,
    };
    let raw = postcard::to_stdvec(payload).map_err(|e| enc_err(e.to_string()))?;
    let packed = zstd::bulk::compress(&raw, ZSTD_LEVEL).map_err(|e| enc_err(e.to_string()))?;
    let mut out = Vec::with_capacity(packed.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(kind.len() as u32).to_le_bytes());
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(&(raw.len() as u64).to_le_bytes());
    out.extend_from_slice(&packed);
    Ok(out)
}

/// Decode a model of the given `kind`; `origin` (a path, or e.g. "built-in tagger")
/// names the file in errors.
pub fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    kind: &str,
    origin: &str,
) -> Result<T, ModelError> {
    let origin_s = || origin.to_string();
    if bytes.len() < 12 || (&bytes[..8] != MAGIC && &bytes[..8] != MAGIC_STORED) {
        return Err(ModelError::BadMagic { origin: origin_s() });
    }
    let stored = &bytes[..8] == MAGIC_STORED;
    let corrupt = |reason: &str| ModelError::Corrupt {
        origin: origin_s(),
        kind: kind.to_string(),
        reason: reason.to_string(),
    };
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
        return Err(ModelError::Version {
            origin: origin_s(),
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let rest = &bytes[12..];
    let kind_len = rest.get(..4).ok_or_else(|| corrupt("truncated header"))?;
    let kind_len = u32::from_le_bytes(kind_len.try_into().expect("4 bytes")) as usize;
    let found = 4usize
        .checked_add(kind_len)
        .and_then(|end| rest.get(4..end))
        .ok_or_else(|| corrupt("truncated header"))?;
    let found = String::from_utf8_lossy(found);
    if found != kind {
        return Err(ModelError::Kind {
            origin: origin_s(),
            found: found.into_owned(),
            expected: kind.to_string(),
        });
    }
    let rest = &rest[4 + kind_len..];
    let raw_len = rest.get(..8).ok_or_else(|| corrupt("truncated header"))?;
    let raw_len = u64::from_le_bytes(raw_len.try_into().expect("8 bytes"));
    if raw_len > MAX_PAYLOAD_BYTES {
        return Err(corrupt(&format!(
            "header declares a payload of {raw_len} bytes, over the {MAX_PAYLOAD_BYTES} byte limit"
        )));
    }
    let packed = &rest[8..];
    let raw;
    let payload = if stored {
        if packed.len() as u64 != raw_len {
            return Err(corrupt(&format!(
                "payload is {} bytes, the header declares {raw_len}",
                packed.len()
            )));
        }
        packed
    } else {
        // The compressed frame records its own size: both must agree.
        if let Ok(Some(frame_len)) = zstd::zstd_safe::get_frame_content_size(packed) {
            if frame_len != raw_len {
                return Err(corrupt(&format!(
                    "header declares {raw_len} payload bytes, the compressed payload holds {frame_len}"
                )));
            }
        }
        raw = zstd::bulk::decompress(packed, raw_len as usize)
            .map_err(|e| corrupt(&e.to_string()))?;
        if raw.len() as u64 != raw_len {
            return Err(corrupt(&format!(
                "payload is {} bytes, the header declares {raw_len}",
                raw.len()
            )));
        }
        &raw[..]
    };
    let _version = VersionGuard::set(version);
    postcard::from_bytes(payload).map_err(|e| corrupt(&e.to_string()))
}

/// The same model file with its payload stored uncompressed (magic
/// [`MAGIC_STORED`]); a file that is already stored is returned unchanged.
/// [`decode`] reads both and gives the same value. `origin` names the file
/// in errors.
pub fn store_uncompressed(bytes: &[u8], origin: &str) -> Result<Vec<u8>, ModelError> {
    let bad = || ModelError::BadMagic {
        origin: origin.to_string(),
    };
    let corrupt = |reason: String| ModelError::Corrupt {
        origin: origin.to_string(),
        kind: "?".to_string(),
        reason,
    };
    let magic = bytes.get(..8).ok_or_else(bad)?;
    if magic == MAGIC_STORED {
        return Ok(bytes.to_vec());
    }
    if magic != MAGIC {
        return Err(bad());
    }
    let kind_len = bytes
        .get(12..16)
        .ok_or_else(|| corrupt("truncated header".into()))?;
    let kind_len = u32::from_le_bytes(kind_len.try_into().expect("4 bytes")) as usize;
    let header_len = 16usize
        .checked_add(kind_len)
        .and_then(|n| n.checked_add(8))
        .filter(|&n| n <= bytes.len())
        .ok_or_else(|| corrupt("truncated header".into()))?;
    let raw_len = u64::from_le_bytes(bytes[header_len - 8..header_len].try_into().expect("8"));
    if raw_len > MAX_PAYLOAD_BYTES {
        return Err(corrupt(format!("payload of {raw_len} bytes is too large")));
    }
    let raw = zstd::bulk::decompress(&bytes[header_len..], raw_len as usize)
        .map_err(|e| corrupt(e.to_string()))?;
    if raw.len() as u64 != raw_len {
        return Err(corrupt(format!(
            "payload is {} bytes, the header declares {raw_len}",
            raw.len()
        )));
    }
    let mut out = Vec::with_capacity(header_len + raw.len());
    out.extend_from_slice(MAGIC_STORED);
    out.extend_from_slice(&bytes[8..header_len]);
    out.extend_from_slice(&raw);
    Ok(out)
}

/// Read and decode a model file.
pub fn load_file<T: DeserializeOwned>(path: &Path, kind: &str) -> Result<T, ModelError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        origin: origin.clone(),
        source,
    })?;
    decode(&bytes, kind, &origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{feature1, hash_str};
    use crate::perceptron::{FinalizeOptions, Perceptron};

    #[test]
    fn round_trip_gives_identical_scores() {
        let mut p = Perceptron::new(4);
        let words = ["a", "b", "c", "d", "e", "f"];
        for epoch in 0..3 {
            for (i, w) in words.iter().enumerate() {
                let f = [
                    feature1(1, hash_str(w)),
                    feature1(2, (i % 2) as u64),
                    feature1(3, epoch),
                ];
                p.train_step(&f, i % 4);
            }
            p.end_epoch();
        }
        let m = p.finalize(&FinalizeOptions::default());
        let bytes = encode("toy", &m).unwrap();
        let back: crate::Model = decode(&bytes, "toy", "memory").unwrap();
        assert_eq!(back.n_features(), m.n_features());
        for w in words {
            let f = [feature1(1, hash_str(w)), feature1(2, 1), feature1(3, 0)];
            let (mut a, mut b) = (vec![0.0; 4], vec![0.0; 4]);
            m.scores(&f, &mut a);
            back.scores(&f, &mut b);
            assert_eq!(a, b);
        }
    }

    /// A version-1 file (weights as postcard varints) loads into the same
    /// model as the version-2 file saved from it, and `Bytes` is encoded
    /// exactly like a `Vec<u8>`.
    #[test]
    fn version_1_models_convert_at_load() {
        #[derive(serde::Serialize)]
        struct V1 {
            n_classes: u32,
            scale: f32,
            key_deltas: Vec<u64>,
            weights: Vec<i16>,
        }
        let mut p = Perceptron::new(3);
        for i in 0..200u64 {
            let f = [
                feature1(1, i % 17),
                feature1(2, i % 5),
                feature1(3, i << 40),
            ];
            p.train_step(&f, (i % 3) as usize);
        }
        p.end_epoch();
        let m = p.finalize(&FinalizeOptions::default());
        let v2 = encode("toy", &m).unwrap();
        let back: crate::Model = decode(&v2, "toy", "v2").unwrap();

        // Rebuild the version-1 file from the model's keys and weights.
        let (mut keys, mut weights) = (Vec::new(), Vec::new());
        for i in 0..200u64 {
            for k in [
                feature1(1, i % 17),
                feature1(2, i % 5),
                feature1(3, i << 40),
            ] {
                if let Some(row) = m.row(k) {
                    keys.push(k);
                    weights.push((k, row.to_vec()));
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        weights.sort_by_key(|w| w.0);
        weights.dedup_by_key(|w| w.0);
        assert_eq!(keys.len(), m.n_features());
        let mut prev = 0;
        let v1 = V1 {
            n_classes: 3,
            scale: m.scale(),
            key_deltas: keys
                .iter()
                .map(|&k| {
                    let d = k - prev;
                    prev = k;
                    d
                })
                .collect(),
            weights: weights.into_iter().flat_map(|w| w.1).collect(),
        };
        let mut old = encode("toy", &v1).unwrap();
        old[8..12].copy_from_slice(&1u32.to_le_bytes());
        let converted: crate::Model = decode(&old, "toy", "v1").unwrap();
        assert_eq!(payload_version(), FORMAT_VERSION, "reset after decoding");
        for &k in &keys {
            assert_eq!(converted.row(k), m.row(k));
            assert_eq!(back.row(k), m.row(k));
        }
        assert_eq!(converted.scale(), m.scale());

        let raw = vec![0u8, 1, 200, 255];
        assert_eq!(
            postcard::to_stdvec(&Bytes(raw.clone())).unwrap(),
            postcard::to_stdvec(&raw).unwrap()
        );
        let b: Bytes = postcard::from_bytes(&postcard::to_stdvec(&raw).unwrap()).unwrap();
        assert_eq!(b.0, raw);
    }

    #[test]
    fn stored_files_decode_like_compressed_ones() {
        let value = vec![7u32; 1000];
        let packed = encode("toy", &value).unwrap();
        let stored = store_uncompressed(&packed, "toy.bin").unwrap();
        assert_eq!(&stored[..8], MAGIC_STORED);
        assert!(stored.len() > packed.len());
        assert_eq!(decode::<Vec<u32>>(&stored, "toy", "m").unwrap(), value);
        assert_eq!(store_uncompressed(&stored, "toy.bin").unwrap(), stored);
        let err = decode::<Vec<u32>>(&stored[..stored.len() - 1], "toy", "m").unwrap_err();
        assert!(matches!(err, ModelError::Corrupt { .. }), "{err}");
        let err = decode::<Vec<u32>>(&stored, "parser", "m").unwrap_err();
        assert!(matches!(err, ModelError::Kind { .. }), "{err}");
        assert!(store_uncompressed(b"PK\x03\x04 not a model", "x").is_err());
    }

    #[test]
    fn bad_magic_version_and_kind_are_named() {
        let bytes = encode("toy", &vec![1u32, 2, 3]).unwrap();
        let err = decode::<Vec<u32>>(b"PK\x03\x04 not a model", "toy", "models/x.bin").unwrap_err();
        assert!(matches!(err, ModelError::BadMagic { .. }));
        assert!(err.to_string().contains("models/x.bin"));

        let mut old = bytes.clone();
        old[8..12].copy_from_slice(&99u32.to_le_bytes());
        let err = decode::<Vec<u32>>(&old, "toy", "models/x.bin").unwrap_err();
        assert!(matches!(err, ModelError::Version { found: 99, .. }));
        assert!(err.to_string().contains("format version 99"));

        let err = decode::<Vec<u32>>(&bytes, "parser", "models/x.bin").unwrap_err();
        assert!(
            err.to_string()
                .contains("holds a `toy` model, expected `parser`"),
            "{err}"
        );

        let truncated = &bytes[..bytes.len() - 3];
        let err = decode::<Vec<u32>>(truncated, "toy", "models/x.bin").unwrap_err();
        assert!(matches!(err, ModelError::Corrupt { .. }));

        assert_eq!(
            decode::<Vec<u32>>(&bytes, "toy", "m").unwrap(),
            vec![1, 2, 3]
        );
    }
}
