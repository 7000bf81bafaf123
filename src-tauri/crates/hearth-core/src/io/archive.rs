//! The full-export archive: a zip with `manifest.json`, `tables/NAME.json` (the rows, what an
//! import reads) and `csv/NAME.csv` (the same rows for a spreadsheet). Pure: tables in, bytes
//! out, and back.

use std::io::{Read, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::domain::{ArchiveManifest, TableData};
use crate::error::{Error, ErrorCode, Result};

pub const FORMAT: &str = "hearth-export";
pub const FORMAT_VERSION: i64 = 1;

/// Largest `tables/NAME.json` an import reads (4 GiB of rows is far past any community).
const MAX_ENTRY: u64 = 4 << 30;

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::new(ErrorCode::ExportFailed, e.to_string()).with_param("reason", e)
}

/// Writes tables into an archive one at a time; [`ArchiveWriter::finish`] adds the manifest.
pub struct ArchiveWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
}

impl<W: Write + Seek> ArchiveWriter<W> {
    pub fn new(out: W) -> Self {
        ArchiveWriter {
            zip: ZipWriter::new(out),
        }
    }

    fn options() -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(true)
    }

    pub fn add(&mut self, table: &TableData) -> Result<()> {
        self.zip
            .start_file(format!("tables/{}.json", table.name), Self::options())
            .map_err(zip_error)?;
        serde_json::to_writer(&mut self.zip, table)
            .map_err(|e| Error::new(ErrorCode::ExportFailed, e.to_string()))?;
        self.zip
            .start_file(format!("csv/{}.csv", table.name), Self::options())
            .map_err(zip_error)?;
        let mut csv = csv::Writer::from_writer(&mut self.zip);
        let csv_error = |e: csv::Error| Error::new(ErrorCode::ExportFailed, e.to_string());
        csv.write_record(&table.columns).map_err(csv_error)?;
        for row in &table.rows {
            csv.write_record(row.iter().map(cell_text))
                .map_err(csv_error)?;
        }
        csv.flush()?;
        Ok(())
    }

    pub fn finish(mut self, manifest: &ArchiveManifest) -> Result<W> {
        self.zip
            .start_file("manifest.json", Self::options())
            .map_err(zip_error)?;
        serde_json::to_writer_pretty(&mut self.zip, manifest)
            .map_err(|e| Error::new(ErrorCode::ExportFailed, e.to_string()))?;
        self.zip.finish().map_err(zip_error)
    }
}

/// A value as a CSV cell: empty for NULL, the blob's hex.
fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => o
            .get("blob")
            .and_then(|b| b.as_str())
            .unwrap_or_default()
            .to_owned(),
        other => other.to_string(),
    }
}

/// Reads an archive: its manifest, and every table it lists.
pub fn read<R: Read + Seek>(input: R) -> Result<(ArchiveManifest, Vec<TableData>)> {
    let unreadable = |why: String| {
        Error::new(
            ErrorCode::FileUnreadable,
            format!("not a Hearth export: {why}"),
        )
        .with_param("reason", why)
    };
    let mut zip = ZipArchive::new(input).map_err(|e| unreadable(e.to_string()))?;
    let manifest: ArchiveManifest = {
        let entry = zip
            .by_name("manifest.json")
            .map_err(|e| unreadable(e.to_string()))?;
        serde_json::from_reader(entry.take(1 << 20)).map_err(|e| unreadable(e.to_string()))?
    };
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(unreadable(format!(
            "format {} version {}",
            manifest.format, manifest.format_version
        )));
    }
    let mut tables = Vec::with_capacity(manifest.tables.len());
    for t in &manifest.tables {
        let entry = zip
            .by_name(&format!("tables/{}.json", t.name))
            .map_err(|e| unreadable(format!("{}: {e}", t.name)))?;
        let table: TableData =
            serde_json::from_reader(std::io::BufReader::new(entry.take(MAX_ENTRY)))
                .map_err(|e| unreadable(format!("{}: {e}", t.name)))?;
        if table.name != t.name || table.rows.len() as i64 != t.rows {
            return Err(unreadable(format!(
                "table {} has {} rows, the manifest says {}",
                t.name,
                table.rows.len(),
                t.rows
            )));
        }
        tables.push(table);
    }
    Ok((manifest, tables))
}
