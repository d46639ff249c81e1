//! Walking paths (files, directories, `-` for stdin) into a lazy stream of articles and errors.

use crate::warc::{is_warc_name, WarcRecords};
use crate::{read_input, Format, Input, ReadError, ReadOptions};
use newsgraph_core::Article;
use std::collections::{HashSet, VecDeque};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The iterator of [`read_paths`](crate::read_paths): one item per article or per error.
///
/// Files are read one at a time, when the iterator reaches them; directories
/// are listed when reached, their entries in sorted order.
#[derive(Debug)]
pub struct ReadPaths {
    opts: ReadOptions,
    /// Paths still to visit. Invariant: the next one is at the end.
    pending: Vec<PathBuf>,
    /// Results of the file being read, not yet handed out.
    ready: VecDeque<Result<Article, ReadError>>,
    /// Directories already walked (canonical paths), so symlink loops end.
    walked: HashSet<PathBuf>,
    /// The WARC archive being read, one record at a time (archives are
    /// larger than memory allows, so they are never read whole).
    archive: Option<WarcRecords>,
}

impl ReadPaths {
    pub(crate) fn new(paths: &[PathBuf], opts: &ReadOptions) -> ReadPaths {
        ReadPaths {
            opts: opts.clone(),
            pending: paths.iter().rev().cloned().collect(),
            ready: VecDeque::new(),
            walked: HashSet::new(),
            archive: None,
        }
    }

    fn visit(&mut self, path: &Path) {
        if path.as_os_str() == "-" {
            let results = match read_stdin(self.opts.max_file_bytes) {
                Ok(bytes) => read_input(&Input::stdin(), &bytes, &self.opts),
                Err(e) => vec![Err(e)],
            };
            self.ready.extend(results);
            return;
        }
        let io_error = |error| ReadError::Io {
            path: path.to_path_buf(),
            error,
        };
        let metadata = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.ready.push_back(Err(io_error(e))),
        };
        if metadata.is_dir() {
            if let Err(e) = self.list_dir(path) {
                self.ready.push_back(Err(io_error(e)));
            }
            return;
        }
        let limit = self.opts.max_file_bytes;
        let warc = match self.opts.format {
            Some(format) => format == Format::Warc,
            None => is_warc_name(path),
        };
        if warc {
            match fs::File::open(path) {
                Ok(file) => {
                    self.archive = Some(WarcRecords::new(path, Box::new(file), &self.opts));
                }
                Err(e) => self.ready.push_back(Err(io_error(e))),
            }
            return;
        }
        if metadata.len() > limit {
            return self.ready.push_back(Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                size: Some(metadata.len()),
                limit,
            }));
        }
        match read_limited(fs::File::open(path), limit) {
            Ok(Some(bytes)) => {
                let results = read_input(&Input::file(path), &bytes, &self.opts);
                self.ready.extend(results);
            }
            // The file grew between the size check and the read.
            Ok(None) => self.ready.push_back(Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                size: None,
                limit,
            })),
            Err(e) => self.ready.push_back(Err(io_error(e))),
        }
    }

    /// Queues the entries of a directory, sorted by name. Hidden entries
    /// (`.git`, `.DS_Store`) are skipped; a path given explicitly never is.
    fn list_dir(&mut self, dir: &Path) -> io::Result<()> {
        if let Ok(canonical) = fs::canonicalize(dir) {
            if !self.walked.insert(canonical) {
                return Ok(());
            }
        }
        let mut entries = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            entries.push(entry.path());
        }
        entries.sort();
        self.pending.extend(entries.into_iter().rev());
        Ok(())
    }
}

impl Iterator for ReadPaths {
    type Item = Result<Article, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if let Some(archive) = &mut self.archive {
                match archive.next() {
                    Some(item) => return Some(item),
                    None => self.archive = None,
                }
                continue;
            }
            let path = self.pending.pop()?;
            self.visit(&path);
        }
    }
}

/// Reads at most `limit` bytes; `Ok(None)` when there is more.
fn read_limited(reader: io::Result<impl Read>, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    let path = || PathBuf::from(crate::STDIN_NAME);
    match read_limited(Ok(io::stdin().lock()), limit) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(ReadError::TooLarge {
            path: path(),
            size: None,
            limit,
        }),
        Err(error) => Err(ReadError::Io {
            path: path(),
            error,
        }),
    }
}
