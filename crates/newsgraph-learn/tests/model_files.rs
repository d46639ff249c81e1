//! Model files that are corrupt, truncated, of another kind or of another
//! format version give an error naming the file (and both versions), never a
//! panic or a huge allocation.

use newsgraph_learn::format::{decode, encode, load_file, FORMAT_VERSION, MAGIC};
use newsgraph_learn::ModelError;

/// A small payload shaped like a model: vectors and strings.
type Payload = (Vec<u32>, Vec<String>, Vec<f32>);

fn payload() -> Payload {
    (
        (0..500).collect(),
        vec!["NOUN".into(), "VERB".into(), "Zoë".into()],
        vec![0.5; 300],
    )
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn another_format_version_names_the_file_and_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = encode("tagger", &payload()).unwrap();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let path = write(dir.path(), "tagger-future.bin", &bytes);
    let err = load_file::<Payload>(&path, "tagger").unwrap_err();
    assert!(matches!(err, ModelError::Version { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "model file `{}` has format version {}, this build reads {}",
            path.display(),
            FORMAT_VERSION + 1,
            FORMAT_VERSION
        )
    );
}

#[test]
fn corrupt_files_name_the_file_and_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let good = encode("tagger", &payload()).unwrap();
    let kind_end = 12 + 4 + "tagger".len();

    // Not a model at all.
    let path = write(dir.path(), "photo.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let err = load_file::<Payload>(&path, "tagger").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "model file `{}` is not a newsgraph model (bad magic bytes)",
            path.display()
        )
    );

    // Empty, and cut inside the header.
    for (name, bytes) in [("empty.bin", &good[..0]), ("cut.bin", &good[..14])] {
        let path = write(dir.path(), name, bytes);
        let err = load_file::<Payload>(&path, "tagger").unwrap_err();
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
    }

    // Truncated payload.
    let path = write(dir.path(), "truncated.bin", &good[..good.len() - 10]);
    let err = load_file::<Payload>(&path, "tagger")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "model file `{}` (tagger) is corrupt:",
            path.display()
        )),
        "{err}"
    );

    // A size field that claims an exabyte: refused before allocating.
    let mut huge = good.clone();
    huge[kind_end..kind_end + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
    let path = write(dir.path(), "huge.bin", &huge);
    let err = load_file::<Payload>(&path, "tagger")
        .unwrap_err()
        .to_string();
    assert!(err.contains("over the 1073741824 byte limit"), "{err}");

    // A size field that disagrees with the compressed payload.
    let mut wrong = good.clone();
    wrong[kind_end..kind_end + 8].copy_from_slice(&7u64.to_le_bytes());
    let err = decode::<Payload>(&wrong, "tagger", "models/wrong.bin")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("model file `models/wrong.bin` (tagger) is corrupt: header declares 7"),
        "{err}"
    );

    // A kind length that points past the end of the file.
    let mut kind = good.clone();
    kind[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = decode::<Payload>(&kind, "tagger", "m.bin")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "model file `m.bin` (tagger) is corrupt: truncated header"
    );

    // Missing file.
    let missing = dir.path().join("missing.bin");
    let err = load_file::<Payload>(&missing, "tagger")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("cannot read model file `{}`:", missing.display())),
        "{err}"
    );
}

/// Every single-byte change, cut and insertion of a valid file is decoded or
/// refused, never a panic; `PROPTEST_CASES` raises the number of random edits.
#[test]
fn random_damage_never_panics() {
    let good = encode("parser", &payload()).unwrap();
    assert_eq!(&good[..8], MAGIC);
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for cut in 0..good.len().min(200) {
        let _ = decode::<Payload>(&good[..cut], "parser", "m");
    }
    let rounds: u64 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    for _ in 0..rounds {
        let mut bytes = good.clone();
        for _ in 0..1 + next() % 4 {
            let i = (next() as usize) % bytes.len();
            // Mostly the header and the start of the payload, where structure is.
            let i = if next() % 2 == 0 { i % 40 } else { i };
            match next() % 3 {
                0 => bytes[i] = next() as u8,
                1 => bytes.insert(i, next() as u8),
                _ => bytes.truncate(i.max(1)),
            }
        }
        match decode::<Payload>(&bytes, "parser", "m") {
            Ok(_) => {}
            Err(e) => assert!(e.to_string().contains("`m`"), "{e}"),
        }
    }
}
