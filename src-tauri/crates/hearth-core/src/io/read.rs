//! Reading a member list as rows of text cells, whatever it arrived as: CSV/TSV/TXT in any
//! encoding (BOM, then strict UTF-8, then a detector), or a workbook (XLSX, XLS, ODS).
//!
//! The format is decided by the file's first bytes, not its name: Meetup's "Excel" export is
//! tab-separated text named `.xls`, and a workbook saved as `.csv` is still a workbook. A name
//! that disagrees with the content is reported ([`Sniffed::named_as`]), never refused.
//!
//! Delimited text is streamed: only a sample is held for sniffing, and rows are decoded and split
//! as they are read, so a 500k-row file never has to fit in memory. Workbooks are read one sheet
//! at a time (the formats themselves need the sheet in memory).

use std::fs::File;
use std::io::{BufReader, Read as _};
use std::path::Path;

use calamine::{open_workbook, Data, Ods, Reader, Sheets, Xls, Xlsx};
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use crate::error::{Error, ErrorCode, Result};

/// One row as read: its 1-based line (or sheet row) number and its cells, trimmed of nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<String>,
    /// Cells over [`MAX_CELL_BYTES`], left out (their cell is empty): `(column, bytes)`. The
    /// import reports each with its line and field; it never takes a part of one.
    pub oversized: Vec<(usize, usize)>,
}

/// The biggest cell Hearth takes: 1 MiB. No name, contact, note or custom value comes near it;
/// a bigger cell is a mistake (a pasted document, a broken quote swallowing the file).
pub const MAX_CELL_BYTES: usize = 1 << 20;

impl RawRow {
    /// Empties the cells over [`MAX_CELL_BYTES`] and lists them in `oversized`.
    fn limit_cells(mut self) -> RawRow {
        for (column, cell) in self.cells.iter_mut().enumerate() {
            if cell.len() > MAX_CELL_BYTES {
                self.oversized.push((column, cell.len()));
                *cell = String::new();
            }
        }
        self
    }
}

/// What the sniffing found, shown in the preview so the manager can override it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// `csv`, `vcard`, or `xlsx` / `xls` / `ods`.
    pub format: String,
    /// WHATWG label (`UTF-8`, `GBK`, `gb18030`, `Big5`, `Shift_JIS`, `windows-1252`, `UTF-16LE`);
    /// empty for workbooks.
    pub encoding: String,
    /// How the encoding was decided: `bom`, `utf8`, `detected` or `chosen`.
    pub encoding_basis: String,
    /// `,` `;` `\t` or `|` for delimited text.
    pub delimiter: Option<char>,
    /// The sheets of a workbook and the one read.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The file's extension when it names another format than the content (`xls` for text).
    pub named_as: Option<String>,
}

pub struct Table {
    pub sniffed: Sniffed,
    rows: Rows,
}

type CsvReader = csv::Reader<LineEnds<DecodeReaderBytes<BufReader<File>, Vec<u8>>>>;

enum Rows {
    Delimited {
        // Boxed: the reader holds its parser tables and buffers inline.
        reader: Box<CsvReader>,
        record: csv::StringRecord,
    },
    Sheet(std::vec::IntoIter<RawRow>),
}

const SAMPLE_BYTES: usize = 256 * 1024;

pub fn unreadable(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::FileUnreadable,
        format!("{} cannot be read: {why}", path.display()),
    )
    .with_param("path", path.display())
    .with_param("reason", why)
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// What a file holds, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// An OLE compound file: a legacy `.xls` workbook.
    Xls,
    /// A ZIP archive with an OpenDocument spreadsheet mimetype.
    Ods,
    /// Any other ZIP archive: an Office Open XML workbook.
    Xlsx,
    /// Text beginning with `BEGIN:VCARD`.
    Vcard,
    /// Delimited text in any encoding (UTF-16 included).
    Text,
    /// Something else (a PDF, an image, a binary): not a member list.
    Other,
}

impl Content {
    fn format(self) -> &'static str {
        match self {
            Content::Xls => "xls",
            Content::Ods => "ods",
            Content::Xlsx => "xlsx",
            Content::Vcard => "vcard",
            Content::Text | Content::Other => "csv",
        }
    }

    /// Whether a file with this extension is expected to hold this content.
    fn matches_extension(self, extension: &str) -> bool {
        match self {
            Content::Xls => extension == "xls",
            Content::Ods => extension == "ods",
            Content::Xlsx => matches!(extension, "xlsx" | "xlsm"),
            Content::Vcard => matches!(extension, "vcf" | "vcard"),
            Content::Text => matches!(extension, "csv" | "tsv" | "txt" | "tab" | ""),
            Content::Other => false,
        }
    }
}

/// Decides what the first bytes of a file are: OLE and ZIP signatures, a UTF-16 BOM, vCard
/// text, other text; anything with NUL bytes and no UTF-16 BOM, or a known binary signature
/// (PDF, PNG, JPEG, GIF, gzip), is [`Content::Other`].
pub fn sniff_content(head: &[u8]) -> Content {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if head.starts_with(OLE) {
        return Content::Xls;
    }
    if head.starts_with(b"PK\x03\x04") {
        // ODS stores an uncompressed `mimetype` entry first (ODF 1.2 §3.3).
        let window = &head[..head.len().min(200)];
        let ods = b"application/vnd.oasis.opendocument.spreadsheet";
        return if window.windows(ods.len()).any(|w| w == ods) {
            Content::Ods
        } else {
            Content::Xlsx
        };
    }
    for magic in [
        &b"%PDF"[..],
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"\x1F\x8B",
        b"Rar!",
        b"7z\xBC\xAF",
    ] {
        if head.starts_with(magic) {
            return Content::Other;
        }
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 && head.contains(&0) {
        return Content::Other;
    }
    let (encoding, _) = sniff_encoding(head, head.len() < SAMPLE_BYTES);
    let (text, _, _) = encoding.decode(head);
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if first
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
    {
        Content::Vcard
    } else {
        Content::Text
    }
}

/// The biggest file Hearth imports: 1 GiB. A member list is rarely over a few hundred MB; past
/// this a workbook alone would need gigabytes of memory, so a bigger file is refused before a
/// byte of it is read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Refuses a file over [`MAX_FILE_BYTES`] (`FileTooLarge`), looking only at its size.
pub fn check_size(path: &Path) -> Result<()> {
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(path, e))?
        .len();
    if size > MAX_FILE_BYTES {
        let mb = |b: u64| b.div_ceil(1 << 20);
        return Err(Error::new(
            ErrorCode::FileTooLarge,
            format!(
                "{} is {} MB, over the {} MB Hearth imports; split it into smaller files",
                path.display(),
                mb(size),
                mb(MAX_FILE_BYTES)
            ),
        )
        .with_param("path", path.display())
        .with_param("size_mb", mb(size))
        .with_param("max_mb", mb(MAX_FILE_BYTES)));
    }
    Ok(())
}

impl Table {
    /// Opens `path`, read as what its content is whatever its name says. `encoding` overrides
    /// the detected one (a WHATWG label); `sheet` picks a workbook sheet (the first by default).
    /// A file over [`MAX_FILE_BYTES`] is refused unread.
    pub fn open(path: &Path, encoding: Option<&str>, sheet: Option<&str>) -> Result<Table> {
        check_size(path)?;
        let mut head = Vec::with_capacity(SAMPLE_BYTES);
        File::open(path)
            .and_then(|f| f.take(SAMPLE_BYTES as u64).read_to_end(&mut head))
            .map_err(|e| unreadable(path, e))?;
        let content = sniff_content(&head);
        let ext = extension(path);
        let mut table = match content {
            Content::Xls | Content::Xlsx | Content::Ods => read_workbook(path, content, sheet)?,
            Content::Text => open_delimited(path, encoding)?,
            Content::Vcard => open_vcard(path, encoding)?,
            Content::Other => {
                return Err(Error::new(
                    ErrorCode::UnsupportedFormat,
                    format!("{} is not a format Hearth imports", path.display()),
                )
                .with_param("path", path.display()))
            }
        };
        if !content.matches_extension(&ext) {
            table.sniffed.named_as = Some(ext);
        }
        Ok(table)
    }

    pub fn next_row(&mut self) -> Option<Result<RawRow>> {
        match &mut self.rows {
            Rows::Delimited { reader, record } => {
                match reader.read_record(record) {
                    Ok(false) => None,
                    Ok(true) => {
                        // The reader's line count is past the record's own `\n` (every line
                        // ends in one, see [`LineEnds`]); the record starts as many lines back
                        // as it spans. (The position csv stores on the record is taken before
                        // blank lines and a leftover `\n` are skipped, so it can be early.)
                        let spanned: u64 = record
                            .iter()
                            .map(|c| c.bytes().filter(|&b| b == b'\n').count() as u64)
                            .sum();
                        let end = reader.position().line();
                        Some(Ok(RawRow {
                            line: end.saturating_sub(spanned + 1).max(1),
                            cells: record.iter().map(str::to_owned).collect(),
                            oversized: Vec::new(),
                        }
                        .limit_cells()))
                    }
                    Err(e) => Some(Err(Error::new(ErrorCode::FileUnreadable, e.to_string())
                        .with_param("reason", e))),
                }
            }
            Rows::Sheet(rows) => rows.next().map(|row| Ok(row.limit_cells())),
        }
    }
}

/// Decides the encoding of a sample: BOM, strict UTF-8, else the detector's guess.
pub fn sniff_encoding(sample: &[u8], complete: bool) -> (&'static Encoding, &'static str) {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return (encoding, "bom");
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return (encoding_rs::UTF_8, "utf8"),
        // A sample cut in the middle of a character is still UTF-8.
        Err(e) if e.error_len().is_none() && !complete => return (encoding_rs::UTF_8, "utf8"),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, complete);
    // Member lists from Chinese Windows are far more common than any other legacy encoding; the
    // detector is told the top-level domain is `.cn` only to break near-ties toward GB18030.
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    // GBK files are decoded as GB18030, a strict superset.
    let guess = if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    };
    (guess, "detected")
}

/// Picks the delimiter that splits the sample's lines most consistently.
pub fn sniff_delimiter(text: &str, extension: &str) -> char {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(60)
        .collect();
    let mut best = (if extension == "tsv" { '\t' } else { ',' }, 0usize);
    for delimiter in ['\t', ',', ';', '|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, delimiter))
            .collect();
        let mut tally: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *tally.entry(c).or_default() += 1;
        }
        // Lines agreeing on the same (non-zero) number of delimiters; more columns win ties.
        let score = tally
            .iter()
            .map(|(&count, &lines)| lines * 1000 + count)
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: char) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == delimiter && !quoted {
            n += 1;
        }
    }
    n
}

fn open_delimited(path: &Path, encoding: Option<&str>) -> Result<Table> {
    let mut file = File::open(path).map_err(|e| unreadable(path, e))?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    (&mut file)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|e| unreadable(path, e))?;
    let complete = sample.len() < SAMPLE_BYTES;
    let (encoding, basis) = match encoding.filter(|e| !e.is_empty()) {
        Some(label) => (
            Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                Error::new(ErrorCode::InvalidInput, format!("unknown encoding {label}"))
                    .with_field("encoding")
                    .with_param("value", label)
            })?,
            "chosen",
        ),
        None => sniff_encoding(&sample, complete),
    };
    let (text, _, _) = encoding.decode(&sample);
    let delimiter = sniff_delimiter(&text, &extension(path));
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let decoder = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(basis != "chosen")
        .build(BufReader::new(file));
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(LineEnds::new(decoder));
    Ok(Table {
        sniffed: Sniffed {
            format: "csv".into(),
            encoding: encoding.name().to_owned(),
            encoding_basis: basis.to_owned(),
            delimiter: Some(delimiter),
            sheets: Vec::new(),
            sheet: None,
            named_as: None,
        },
        rows: Rows::Delimited {
            reader: Box::new(reader),
            record: csv::StringRecord::new(),
        },
    })
}

/// Turns `\r\n` and lone `\r` (old Mac Excel) into `\n`, and ends the text with a `\n`, so
/// that every record, the last one included, ends in exactly one `\n` and line numbers count
/// what a text editor shows.
struct LineEnds<R> {
    inner: R,
    after_cr: bool,
    done: bool,
}

impl<R> LineEnds<R> {
    fn new(inner: R) -> Self {
        LineEnds {
            inner,
            after_cr: false,
            done: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            let n = self.inner.read(buf)?;
            if n == 0 {
                self.done = true;
                buf[0] = b'\n';
                return Ok(1);
            }
            let mut out = 0;
            for i in 0..n {
                let b = buf[i];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[out] = if b == b'\r' { b'\n' } else { b };
                out += 1;
            }
            if out > 0 {
                return Ok(out);
            }
        }
    }
}

fn read_workbook(path: &Path, content: Content, sheet: Option<&str>) -> Result<Table> {
    let mut workbook: Sheets<BufReader<File>> = match content {
        Content::Xls => open_workbook::<Xls<_>, _>(path)
            .map(Sheets::Xls)
            .map_err(|e| unreadable(path, e)),
        Content::Ods => open_workbook::<Ods<_>, _>(path)
            .map(Sheets::Ods)
            .map_err(|e| unreadable(path, e)),
        _ => open_workbook::<Xlsx<_>, _>(path)
            .map(Sheets::Xlsx)
            .map_err(|e| unreadable(path, e)),
    }?;
    let sheets = workbook.sheet_names();
    let name = match sheet.filter(|s| !s.is_empty()) {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_owned(),
        Some(s) => {
            return Err(
                Error::new(ErrorCode::InvalidInput, format!("no sheet named {s}"))
                    .with_field("sheet")
                    .with_param("value", s),
            )
        }
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| unreadable(path, "the workbook has no sheets"))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| unreadable(path, e))?;
    let first_row = range.start().map_or(0, |(row, _)| row as u64);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let rows: Vec<RawRow> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = vec![String::new(); first_col];
            out.extend(cells.iter().map(cell_text));
            RawRow {
                line: first_row + i as u64 + 1,
                cells: out,
                oversized: Vec::new(),
            }
        })
        .collect();
    Ok(Table {
        sniffed: Sniffed {
            format: content.format().to_owned(),
            encoding: String::new(),
            encoding_basis: String::new(),
            delimiter: None,
            sheets,
            sheet: Some(name),
            named_as: None,
        },
        rows: Rows::Sheet(rows.into_iter()),
    })
}

/// The columns a vCard file is read into; the header names map through the usual synonyms.
const VCARD_HEADERS: [&str; 9] = [
    "Name",
    "Phone",
    "Email",
    "WeChat ID",
    "QQ",
    "City",
    "Birthday",
    "Tags",
    "Notes",
];

/// vCard 2.1/3.0/4.0 as a table: one row per card (line = the card's BEGIN line). Several
/// phones or emails share a cell, separated by `; `.
fn open_vcard(path: &Path, encoding: Option<&str>) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let (encoding, basis) = match encoding.filter(|e| !e.is_empty()) {
        Some(label) => (
            Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8),
            "chosen",
        ),
        None => sniff_encoding(&bytes, true),
    };
    let (text, _, _) = encoding.decode(&bytes);
    let rows = vcard_rows(&text);
    Ok(Table {
        sniffed: Sniffed {
            format: "vcard".into(),
            encoding: encoding.name().to_owned(),
            encoding_basis: basis.to_owned(),
            delimiter: None,
            sheets: Vec::new(),
            sheet: None,
            named_as: None,
        },
        rows: Rows::Sheet(rows.into_iter()),
    })
}

fn vcard_rows(text: &str) -> Vec<RawRow> {
    let mut rows = vec![RawRow {
        line: 0,
        cells: VCARD_HEADERS.iter().map(|h| (*h).to_owned()).collect(),
        oversized: Vec::new(),
    }];
    // Unfold: a line starting with a space or tab continues the previous one.
    let mut lines: Vec<(u64, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        match raw.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => {
                lines.last_mut().expect("non-empty").1.push_str(rest)
            }
            _ => lines.push((i as u64 + 1, raw.to_owned())),
        }
    }
    let mut card: Option<(u64, Vec<Vec<String>>)> = None;
    for (line, content) in lines {
        let Some((name_params, value)) = content.split_once(':') else {
            continue;
        };
        let mut parts = name_params.split(';');
        let name = parts.next().unwrap_or_default();
        // `item1.TEL` groups: the property name is after the dot.
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        match name.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VCARD") => {
                card = Some((line, vec![Vec::new(); VCARD_HEADERS.len()]));
            }
            "END" => {
                if let Some((start, cells)) = card.take() {
                    rows.push(RawRow {
                        line: start,
                        cells: cells.into_iter().map(|c| c.join("; ")).collect(),
                        oversized: Vec::new(),
                    });
                }
            }
            _ => {
                let Some((_, cells)) = card.as_mut() else {
                    continue;
                };
                let value = vcard_unescape(value);
                let column = match name.as_str() {
                    "FN" => 0,
                    "N" if cells[0].is_empty() => {
                        let parts: Vec<&str> = value.split(';').collect();
                        let (family, given) = (
                            parts.first().copied().unwrap_or(""),
                            parts.get(1).copied().unwrap_or(""),
                        );
                        let cjk = family
                            .chars()
                            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                        let joined = if cjk {
                            format!("{family}{given}")
                        } else {
                            format!("{given} {family}")
                        };
                        cells[0].push(joined.trim().to_owned());
                        continue;
                    }
                    "TEL" => 1,
                    "EMAIL" => 2,
                    "X-WECHAT" => 3,
                    "X-QQ" => 4,
                    "ADR" => {
                        // ADR: PO box; extended; street; locality (city); region; code; country
                        if let Some(city) = value.split(';').nth(3).filter(|c| !c.is_empty()) {
                            cells[5].push(city.to_owned());
                        }
                        continue;
                    }
                    "BDAY" => 6,
                    "CATEGORIES" => 7,
                    "NOTE" => 8,
                    _ => continue,
                };
                let value = value.strip_prefix("tel:").unwrap_or(&value).to_owned();
                if !value.trim().is_empty() {
                    cells[column].push(value);
                }
            }
        }
    }
    rows
}

/// RFC 6350 §3.4 escapes: `\n`, `\,`, `\;`, `\\`.
fn vcard_unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A workbook cell as the text a manager sees. Whole numbers lose the `.0` (a phone typed as a
/// number is `13800138000`, not `13800138000.0`); dates become ISO 8601 (`2024-03-05T13:05:00`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_duration() => dt.as_f64().to_string(),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcards_become_rows_with_folded_lines_and_escapes() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nTEL;TYPE=CELL:+86 138 0013 8000\r\n\
                    TEL:13900139000\r\nEMAIL:zw@example.com\r\nNOTE:line one\\nline\r\n  two\\, ok\r\n\
                    CATEGORIES:VIP,讲师\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\n\
                    N:Lee;Tom;;;\r\nitem1.TEL;VALUE=uri:tel:+12125550147\r\nEND:VCARD\r\n";
        let rows = vcard_rows(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].line, 1);
        assert_eq!(rows[1].cells[0], "张伟");
        assert_eq!(rows[1].cells[1], "+86 138 0013 8000; 13900139000");
        assert_eq!(rows[1].cells[8], "line one\nline two, ok");
        assert_eq!(rows[1].cells[7], "VIP,讲师");
        assert_eq!(rows[2].cells[0], "Tom Lee");
        assert_eq!(rows[2].cells[1], "+12125550147");
    }

    #[test]
    fn line_numbers_count_blank_lines_and_quoted_newlines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(
            &path,
            "title\r\n\r\nname,notes\r\na,\"two\nlines\"\r\nb,x\r\n",
        )
        .unwrap();
        let mut table = Table::open(&path, None, None).unwrap();
        let mut lines = Vec::new();
        while let Some(row) = table.next_row() {
            let row = row.unwrap();
            lines.push((row.line, row.cells[0].clone()));
        }
        assert_eq!(
            lines,
            [
                (1, "title".into()),
                (3, "name".into()),
                (4, "a".into()),
                (6, "b".into())
            ]
        );
    }

    #[test]
    fn format_is_decided_by_content_not_by_name() {
        assert_eq!(
            sniff_content(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Content::Xls
        );
        assert_eq!(sniff_content(b"PK\x03\x04\x14\0\0\0"), Content::Xlsx);
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend_from_slice(&[0; 26]);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(sniff_content(&ods), Content::Ods);
        assert_eq!(
            sniff_content(b"Name\tEmail\nA\ta@example.com\n"),
            Content::Text
        );
        assert_eq!(
            sniff_content(&[0xFF, 0xFE, b'a', 0, b',', 0]),
            Content::Text
        );
        assert_eq!(
            sniff_content(b"\r\nbegin:vcard\r\nFN:A\r\n"),
            Content::Vcard
        );
        assert_eq!(sniff_content(b"%PDF-1.4"), Content::Other);
        assert_eq!(sniff_content(b"\x00\x01binary"), Content::Other);

        // Meetup's "Excel" export: tab-separated text named .xls.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.xls");
        std::fs::write(&path, "Name\tMember ID\nPriya\t284511903\n").unwrap();
        let mut table = Table::open(&path, None, None).unwrap();
        assert_eq!(table.sniffed.format, "csv");
        assert_eq!(table.sniffed.delimiter, Some('\t'));
        assert_eq!(table.sniffed.named_as.as_deref(), Some("xls"));
        let rows: Vec<RawRow> = std::iter::from_fn(|| table.next_row())
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(rows[1].cells, ["Priya", "284511903"]);
        let path = dir.path().join("members.csv");
        std::fs::write(&path, "Name,Email\n").unwrap();
        assert_eq!(
            Table::open(&path, None, None).unwrap().sniffed.named_as,
            None
        );
    }
}
