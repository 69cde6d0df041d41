//! Reading files to import without trusting them: only regular files, a
//! cap on the size of a whole document and of one CSV record, and a CSV
//! cut inside a quoted field is an error naming the line where the quote
//! opened, never a silently shortened note.

use super::ExchangeError;
use crate::store::files;
use std::io::{self, Read};
use std::path::Path;

/// The largest JSON or FHIR document read (they are read whole).
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;

/// The largest CSV record (one row, quoted new lines included). A row of
/// the check-in table is well under a kilobyte; a note is at most 2,000
/// characters.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

fn unreadable(path: &Path, e: &io::Error) -> ExchangeError {
    ExchangeError::Document(format!("{} cannot be read: {e}", path.display()))
}

/// Reads a whole document (JSON, FHIR) from a regular file of at most
/// [`MAX_DOCUMENT_BYTES`].
pub fn read_document_bytes(path: &Path) -> Result<Vec<u8>, ExchangeError> {
    let file = files::open_input(path).map_err(|e| unreadable(path, &e))?;
    let size = file.metadata().map_err(|e| unreadable(path, &e))?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(ExchangeError::Document(format!(
            "{} is {} MB; documents of more than {} MB are not read",
            path.display(),
            size >> 20,
            MAX_DOCUMENT_BYTES >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &e))?;
    Ok(bytes)
}

/// Opens a CSV file (a regular file only) behind a [`CsvGuard`].
pub fn open_csv(path: &Path) -> Result<CsvGuard<io::BufReader<std::fs::File>>, ExchangeError> {
    let file = files::open_input(path).map_err(|e| unreadable(path, &e))?;
    Ok(CsvGuard::new(io::BufReader::new(file)))
}

/// Watches the bytes on their way to the CSV parser: it follows quoting
/// as RFC 4180 does (a doubled quote inside quotes toggles twice), so it
/// knows where records end, and fails the read when one record grows past
/// [`MAX_RECORD_BYTES`] or the input ends inside a quoted field.
pub struct CsvGuard<R> {
    inner: R,
    in_quotes: bool,
    record_bytes: usize,
    /// Physical line of the byte being looked at, from 1.
    line: u64,
    /// The line where the open quote began.
    quote_line: u64,
}

impl<R: Read> CsvGuard<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            in_quotes: false,
            record_bytes: 0,
            line: 1,
            quote_line: 0,
        }
    }
}

/// The message of a read error the guard raised, for the import's error.
pub fn guard_message(error: &io::Error) -> Option<String> {
    (error.kind() == io::ErrorKind::InvalidData)
        .then(|| error.get_ref().map(ToString::to_string))
        .flatten()
}

impl<R: Read> Read for CsvGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if self.in_quotes {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {}: a quoted field is not closed before the end of the file (is the file cut short?)",
                        self.quote_line
                    ),
                ));
            }
            return Ok(0);
        }
        for &byte in buf.iter().take(n) {
            match byte {
                b'"' => {
                    self.in_quotes = !self.in_quotes;
                    if self.in_quotes {
                        self.quote_line = self.line;
                    }
                }
                b'\n' => {
                    self.line += 1;
                    if !self.in_quotes {
                        self.record_bytes = 0;
                        continue;
                    }
                }
                _ => {}
            }
            self.record_bytes += 1;
            if self.record_bytes > MAX_RECORD_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {}: the row is too long (more than {} KB, where a note holds at \
                         most 2,000 characters); this is not a check-in file",
                        self.line,
                        MAX_RECORD_BYTES >> 10
                    ),
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        CsvGuard::new(text).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn a_file_cut_inside_quotes_names_the_line_the_quote_opened() {
        let err = read_all(b"a,b\n1,\"a note\nthat goes on").expect_err("cut");
        assert!(
            guard_message(&err).is_some_and(|m| m.starts_with("line 2: a quoted field")),
            "{err}"
        );
        assert!(read_all(b"a,b\n1,\"say \"\"hi\"\"\"\n").is_ok());
    }

    #[test]
    fn a_huge_record_is_refused_early() {
        let zeros = vec![0u8; MAX_RECORD_BYTES + 10];
        let err = read_all(&zeros).expect_err("too long");
        assert!(guard_message(&err).is_some_and(|m| m.contains("too long")));
        let mut many = Vec::new();
        for _ in 0..3 {
            many.extend(vec![b'x'; MAX_RECORD_BYTES / 2]);
            many.push(b'\n');
        }
        assert!(read_all(&many).is_ok(), "each line is under the cap");
    }
}
