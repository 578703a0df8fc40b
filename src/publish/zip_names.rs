//! The names in a zip file's central directory, every one, as written. The
//! zip crate keeps one entry per name, so a second entry of the same name
//! (which an unzipper may extract instead of the first) is invisible
//! through it; `verify` refuses such archives, so it reads the names itself.

use std::io::{Read, Seek, SeekFrom};

/// Every entry name of the zip `file`, in the central directory's order;
/// `Err` if there is no readable central directory, or more than one way to
/// read it. Reads the end of the file and the directory, never the entries.
///
/// Stricter than unzippers, which differ in how they find the directory: a
/// zip that one tool reads one way and another tool another (two end
/// records, bytes after the end record, a directory that does not end where
/// the end record begins, a count that is not the entries') is refused, so
/// what verify checks is what every unzipper extracts.
pub fn entry_names(file: &mut (impl Read + Seek)) -> Result<Vec<Vec<u8>>, &'static str> {
    const BAD: &str = "no readable central directory";
    const AMBIGUOUS: &str = "its central directory can be read more than one way";
    let len = file.seek(SeekFrom::End(0)).map_err(|_| BAD)?;
    let mut read_at = |at: u64, n: u64| -> Result<Vec<u8>, &'static str> {
        let n = n.min(len.saturating_sub(at));
        let mut buf = vec![0; usize::try_from(n).map_err(|_| BAD)?];
        file.seek(SeekFrom::Start(at)).and_then(|_| file.read_exact(&mut buf)).map_err(|_| BAD)?;
        Ok(buf)
    };
    let u16_at = |b: &[u8], at: usize| b.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |b: &[u8], at: usize| b.get(at..at + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap()) as u64);
    let u64_at = |b: &[u8], at: usize| b.get(at..at + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap()));
    // The end record is in the last 64 KiB + 22 bytes (its comment is at
    // most 64 KiB); 20 more for a zip64 locator before it.
    let tail_at = len.saturating_sub(22 + 0xFFFF + 20);
    let tail = read_at(tail_at, len - tail_at)?;
    // An end record whose comment reaches exactly to the end of the file;
    // there must be one.
    let ends: Vec<usize> = (0..=tail.len().saturating_sub(22))
        .filter(|&i| {
            tail[i..].starts_with(b"PK\x05\x06")
                && u16_at(&tail, i + 20).is_some_and(|c| tail.len().checked_sub(i + 22) == Some(c))
        })
        .collect();
    let eocd = match ends[..] {
        [one] => one,
        [] => return Err(BAD),
        _ => return Err(AMBIGUOUS),
    };
    let eocd_abs = tail_at + eocd as u64;
    let mut count = u16_at(&tail, eocd + 10).ok_or(BAD)? as u64;
    let (mut size, mut offset) = (u32_at(&tail, eocd + 12).ok_or(BAD)?, u32_at(&tail, eocd + 16).ok_or(BAD)?);
    // Where the directory must end: the end record, or the zip64 record.
    let mut dir_end = eocd_abs;
    if size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF || count == 0xFFFF {
        // Zip64: a locator just before the end record points at the zip64
        // end record, which holds the real count, size and offset.
        let locator = eocd.checked_sub(20).filter(|&l| tail[l..].starts_with(b"PK\x06\x07")).ok_or(BAD)?;
        let record_at = u64_at(&tail, locator + 8).ok_or(BAD)?;
        let record = read_at(record_at, 56)?;
        if !record.starts_with(b"PK\x06\x06") || record_at.checked_add(56).is_none_or(|e| e > tail_at + locator as u64)
        {
            return Err(BAD);
        }
        count = u64_at(&record, 32).ok_or(BAD)?;
        size = u64_at(&record, 40).ok_or(BAD)?;
        offset = u64_at(&record, 48).ok_or(BAD)?;
        dir_end = record_at;
    }
    match offset.checked_add(size) {
        Some(end) if end == dir_end => {}
        Some(end) if end <= len => return Err(AMBIGUOUS),
        _ => return Err(BAD),
    }
    let dir = read_at(offset, size)?;
    let mut names = Vec::new();
    let mut at = 0;
    while at < dir.len() {
        if !dir[at..].starts_with(b"PK\x01\x02") {
            return Err(BAD);
        }
        let name_len = u16_at(&dir, at + 28).ok_or(BAD)?;
        let rest = name_len + u16_at(&dir, at + 30).ok_or(BAD)? + u16_at(&dir, at + 32).ok_or(BAD)?;
        names.push(dir.get(at + 46..at + 46 + name_len).ok_or(BAD)?.to_vec());
        at += 46 + rest;
    }
    if names.len() as u64 != count {
        return Err(AMBIGUOUS);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip with two entries of one name, written by the zip crate's
    /// raw entries (as a hostile archiver would).
    fn zip_with(names: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        for (i, n) in names.iter().enumerate() {
            // The crate refuses a name twice: the second gets a marker,
            // patched back below.
            let name = if names[..i].contains(n) { n.replacen('a', "#", 1) } else { n.to_string() };
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"x").unwrap();
        }
        z.finish().unwrap();
        let mut bytes = out.into_inner();
        for b in bytes.iter_mut().filter(|b| **b == b'#') {
            *b = b'a';
        }
        bytes
    }

    #[test]
    fn every_name_is_seen_even_twice() {
        let zip = zip_with(&["site/a.html", "site/b.html", "site/a.html"]);
        let names = entry_names(&mut std::io::Cursor::new(zip)).unwrap();
        assert_eq!(names, [b"site/a.html".to_vec(), b"site/b.html".to_vec(), b"site/a.html".to_vec()]);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let z = zip_with(&["a"]);
        for cut in [0, 10, z.len() / 2, z.len() - 5] {
            let _ = entry_names(&mut std::io::Cursor::new(&z[..cut]));
        }
        assert!(entry_names(&mut std::io::Cursor::new(b"PK\x05\x06")).is_err());
        assert!(entry_names(&mut std::io::Cursor::new(b"")).is_err());
    }

    #[test]
    fn a_zip_read_two_ways_is_refused() {
        let read = |b: &[u8]| entry_names(&mut std::io::Cursor::new(b));
        let z = zip_with(&["index.html", "a/b.html"]);
        assert_eq!(read(&z).unwrap(), vec![b"index.html".to_vec(), b"a/b.html".to_vec()]);
        let end = z.len() - 22;
        // Bytes after the end record: unzippers differ on where it is.
        let mut trailing = z.clone();
        trailing.extend_from_slice(b"junk");
        assert_eq!(read(&trailing), Err("no readable central directory"));
        // A second end record in the first one's comment.
        let mut two = z.clone();
        two[end + 20..end + 22].copy_from_slice(&22u16.to_le_bytes());
        two.extend_from_slice(&z[end..]);
        assert_eq!(read(&two), Err("its central directory can be read more than one way"));
        // A count that is not the entries', and a directory that does not
        // end where the end record begins.
        let mut count = z.clone();
        count[end + 10] = 1;
        assert_eq!(read(&count), Err("its central directory can be read more than one way"));
        let mut short = z.clone();
        let size = u32::from_le_bytes(z[end + 12..end + 16].try_into().unwrap());
        short[end + 12..end + 16].copy_from_slice(&(size - 1).to_le_bytes());
        assert!(read(&short).is_err());
    }
}
