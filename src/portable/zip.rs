//! A small ZIP writer for the portable copy, with the same bytes for the
//! same files: every entry has the same date (1980-01-01, the first a ZIP
//! can hold) and Unix permissions `rw-r--r--`, entries are written in the
//! order given (the caller sorts them), and nothing else of the machine
//! goes in. Files are deflated (flate2), or stored when that does not make
//! them smaller. Names are UTF-8 (flagged as such when not ASCII). ZIP64
//! records are added only when a site needs them (65,535 files or more, or
//! past 4 GiB), so that every unzip tool reads ordinary archives.
//!
//! Format: PKWARE's APPNOTE.TXT 6.3, sections 4.3 and 4.4.

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use std::io::{self, Write};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// 1980-01-01 in MS-DOS date format (the time is 00:00).
const DOS_DATE: u16 = (1 << 5) | 1;
/// Made by Unix (3), ZIP 4.5.
const MADE_BY: u16 = (3 << 8) | 45;
/// Regular file, `rw-r--r--`, in the high half of the external attributes.
const FILE_MODE: u32 = 0o100_644 << 16;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// A 32-bit field that says "see the ZIP64 record".
const MAX_32: u64 = 0xFFFF_FFFF;
const MAX_16: usize = 0xFFFF;

/// Kinds of file that are compressed already: stored without trying.
const COMPRESSED: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "woff", "woff2", "gz", "br", "zip", "mp3", "mp4",
    "ogg", "webm",
];

/// One file, compressed and ready to be written.
pub struct Entry {
    name: String,
    method: u16,
    crc: u32,
    size: u64,
    data: Vec<u8>,
}

impl Entry {
    /// File `name` (with `/` between folders) holding `bytes`, deflated
    /// when that makes it smaller. Runs on any thread.
    pub fn new(name: String, bytes: &[u8]) -> io::Result<Entry> {
        let mut crc = Crc::new();
        crc.update(bytes);
        let mut entry = Entry {
            name,
            method: STORED,
            crc: crc.sum(),
            size: bytes.len() as u64,
            data: Vec::new(),
        };
        if !bytes.is_empty() && !is_compressed(&entry.name) {
            let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
            encoder.write_all(bytes)?;
            let deflated = encoder.finish()?;
            if deflated.len() < bytes.len() {
                entry.method = DEFLATED;
                entry.data = deflated;
            }
        }
        if entry.method == STORED {
            entry.data = bytes.to_vec();
        }
        if entry.size >= MAX_32 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is too large for a ZIP (4 GiB or more)", entry.name),
            ));
        }
        Ok(entry)
    }
}

fn is_compressed(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSED.iter().any(|c| ext.eq_ignore_ascii_case(c)))
}

/// What the central directory says of one entry.
struct Record {
    name: String,
    method: u16,
    crc: u32,
    size: u64,
    compressed: u64,
    offset: u64,
}

impl Record {
    fn flags(&self) -> u16 {
        if self.name.is_ascii() { 0 } else { UTF8_NAME }
    }
}

/// Writes entries one after the other, then the central directory.
pub struct ZipWriter<W: Write> {
    out: W,
    offset: u64,
    records: Vec<Record>,
}

impl<W: Write> ZipWriter<W> {
    /// A ZIP written to `out`.
    pub fn new(out: W) -> ZipWriter<W> {
        ZipWriter {
            out,
            offset: 0,
            records: Vec::new(),
        }
    }

    /// Appends one entry.
    pub fn add(&mut self, entry: Entry) -> io::Result<()> {
        let record = Record {
            name: entry.name,
            method: entry.method,
            crc: entry.crc,
            size: entry.size,
            compressed: entry.data.len() as u64,
            offset: self.offset,
        };
        let mut header = Vec::with_capacity(30 + record.name.len());
        put32(&mut header, LOCAL_HEADER);
        put16(&mut header, 20);
        put16(&mut header, record.flags());
        put16(&mut header, record.method);
        put16(&mut header, 0);
        put16(&mut header, DOS_DATE);
        put32(&mut header, record.crc);
        put32(&mut header, record.compressed as u32);
        put32(&mut header, record.size as u32);
        put16(&mut header, name_len(&record.name)?);
        put16(&mut header, 0);
        header.extend_from_slice(record.name.as_bytes());
        self.write(&header)?;
        self.write(&entry.data)?;
        self.records.push(record);
        Ok(())
    }

    /// Writes the central directory and the end records, with `comment`
    /// (shown by unzip tools), and returns the writer.
    pub fn finish(mut self, comment: &str) -> io::Result<W> {
        let start = self.offset;
        let mut directory = Vec::new();
        for record in &self.records {
            central_header(&mut directory, record)?;
        }
        self.write(&directory)?;
        let size = self.offset - start;
        let count = self.records.len();
        let mut end = Vec::new();
        if count >= MAX_16 || start >= MAX_32 || size >= MAX_32 {
            zip64_end(&mut end, count as u64, size, start, self.offset);
        }
        put32(&mut end, END_OF_CENTRAL_DIRECTORY);
        put32(&mut end, 0);
        put16(&mut end, count.min(MAX_16) as u16);
        put16(&mut end, count.min(MAX_16) as u16);
        put32(&mut end, size.min(MAX_32) as u32);
        put32(&mut end, start.min(MAX_32) as u32);
        put16(&mut end, name_len(comment)?);
        end.extend_from_slice(comment.as_bytes());
        self.write(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.offset += bytes.len() as u64;
        Ok(())
    }
}

/// One entry of the central directory; an entry past 4 GiB gets a ZIP64
/// extra field with its offset.
fn central_header(out: &mut Vec<u8>, record: &Record) -> io::Result<()> {
    let far = record.offset >= MAX_32;
    put32(out, CENTRAL_HEADER);
    put16(out, MADE_BY);
    put16(out, if far { 45 } else { 20 });
    put16(out, record.flags());
    put16(out, record.method);
    put16(out, 0);
    put16(out, DOS_DATE);
    put32(out, record.crc);
    put32(out, record.compressed as u32);
    put32(out, record.size as u32);
    put16(out, name_len(&record.name)?);
    put16(out, if far { 12 } else { 0 });
    put16(out, 0); // comment
    put16(out, 0); // disk
    put16(out, 0); // internal attributes
    put32(out, FILE_MODE);
    put32(out, record.offset.min(MAX_32) as u32);
    out.extend_from_slice(record.name.as_bytes());
    if far {
        put16(out, 0x0001);
        put16(out, 8);
        out.extend_from_slice(&record.offset.to_le_bytes());
    }
    Ok(())
}

/// The ZIP64 end of central directory record and its locator.
fn zip64_end(out: &mut Vec<u8>, count: u64, size: u64, start: u64, at: u64) {
    put32(out, ZIP64_END);
    out.extend_from_slice(&44u64.to_le_bytes());
    put16(out, MADE_BY);
    put16(out, 45);
    put32(out, 0);
    put32(out, 0);
    for value in [count, count, size, start] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    put32(out, ZIP64_LOCATOR);
    put32(out, 0);
    out.extend_from_slice(&at.to_le_bytes());
    put32(out, 1);
}

fn name_len(name: &str) -> io::Result<u16> {
    u16::try_from(name.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the name {name} is too long for a ZIP"),
        )
    })
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn u16_at(b: &[u8], i: usize) -> usize {
        u16::from_le_bytes([b[i], b[i + 1]]) as usize
    }

    fn u32_at(b: &[u8], i: usize) -> usize {
        u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize
    }

    /// Reads back what [`ZipWriter`] wrote (no ZIP64): names and bytes.
    fn read(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let signature = END_OF_CENTRAL_DIRECTORY.to_le_bytes();
        let end = (0..=zip.len() - 22)
            .rev()
            .find(|&i| zip[i..i + 4] == signature)
            .expect("an end record");
        let (count, mut at) = (u16_at(zip, end + 10), u32_at(zip, end + 16));
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(zip, at), CENTRAL_HEADER as usize);
            let (method, crc) = (u16_at(zip, at + 10), u32_at(zip, at + 16));
            let (csize, name_len, extra) = (
                u32_at(zip, at + 20),
                u16_at(zip, at + 28),
                u16_at(zip, at + 30),
            );
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            let local = u32_at(zip, at + 42);
            assert_eq!(u32_at(zip, local), LOCAL_HEADER as usize);
            let data_at = local + 30 + u16_at(zip, local + 26) + u16_at(zip, local + 28);
            let data = &zip[data_at..data_at + csize];
            let bytes = if method == 8 {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            } else {
                data.to_vec()
            };
            let mut check = Crc::new();
            check.update(&bytes);
            assert_eq!(check.sum() as usize, crc, "{name}");
            files.push((name, bytes));
            at += 46 + name_len + extra;
        }
        files
    }

    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Vec::new());
        for (name, bytes) in files {
            w.add(Entry::new(name.to_string(), bytes).unwrap()).unwrap();
        }
        w.finish("open index.html").unwrap()
    }

    #[test]
    fn reads_back_the_same_files() {
        let page = "<p>hello</p>".repeat(100);
        let files: &[(&str, &[u8])] = &[
            ("index.html", page.as_bytes()),
            ("ru/истории/index.html", "привет".as_bytes()),
            ("a.png", b"\x89PNG not really"),
            ("empty.txt", b""),
        ];
        let back = read(&zip(files));
        let expected: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        assert_eq!(back, expected);
    }

    #[test]
    fn same_files_give_the_same_bytes() {
        let files: &[(&str, &[u8])] = &[("a.html", b"<p>a</p>"), ("b/c.css", b"a{}")];
        assert_eq!(zip(files), zip(files));
    }

    #[test]
    fn text_is_deflated_and_images_stored() {
        let page = "<p>hello</p>".repeat(100);
        let deflated = Entry::new("a.html".into(), page.as_bytes()).unwrap();
        assert_eq!(deflated.method, DEFLATED);
        assert!(deflated.data.len() < page.len() / 10);
        let image = Entry::new("a.PNG".into(), page.as_bytes()).unwrap();
        assert_eq!(image.method, STORED);
        let tiny = Entry::new("t.txt".into(), b"a").unwrap();
        assert_eq!((tiny.method, tiny.data.as_slice()), (STORED, &b"a"[..]));
    }

    #[test]
    fn non_ascii_names_are_flagged_utf8() {
        let bytes = zip(&[("fa/خانه.html", b"x")]);
        assert_eq!(u16_at(&bytes, 6) as u16, UTF8_NAME);
        let bytes = zip(&[("en/home.html", b"x")]);
        assert_eq!(u16_at(&bytes, 6), 0);
    }

    #[test]
    fn many_files_get_a_zip64_end_record() {
        let mut w = ZipWriter::new(Vec::new());
        for i in 0..MAX_16 + 2 {
            w.add(Entry::new(format!("{i}"), b"").unwrap()).unwrap();
        }
        let bytes = w.finish("").unwrap();
        let end = bytes.len() - 22;
        assert_eq!(u16_at(&bytes, end + 10), MAX_16);
        let locator = end - 20;
        assert_eq!(u32_at(&bytes, locator), ZIP64_LOCATOR as usize);
        let record = u64::from_le_bytes(bytes[locator + 8..locator + 16].try_into().unwrap());
        let record = record as usize;
        assert_eq!(u32_at(&bytes, record), ZIP64_END as usize);
        let count = u64::from_le_bytes(bytes[record + 32..record + 40].try_into().unwrap());
        assert_eq!(count as usize, MAX_16 + 2);
    }
}
