//! Everything out and back in: `hearth export-all FILE.zip` writes every table (JSON for an
//! import, CSV for a spreadsheet) with a manifest; `hearth import-all FILE.zip` builds a new
//! database from one in an empty folder, so nothing is lost between two machines or two versions.

use std::fs;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use crate::clock::{stamp, Clock};
use crate::domain::{ArchiveManifest, ArchiveTable};
use crate::error::{Error, ErrorCode, Result};
use crate::io::archive::{self, ArchiveWriter};
use crate::ops::Ctx;
use crate::paths::DATABASE_FILE;
use crate::store::dump;

/// Writes every table of the open database to the archive at `path` (through a temporary file:
/// a failed export leaves no half archive under that name).
pub fn export_all(ctx: &Ctx, path: &Path) -> Result<ArchiveManifest> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorCode::ExportFailed,
            format!("{} cannot be written: {e}", path.display()),
        )
        .with_param("path", path.display())
        .with_param("reason", e)
    };
    let tmp = path.with_extension("zip-partial");
    let file = fs::File::create(&tmp).map_err(|e| failed(&e))?;
    let mut writer = ArchiveWriter::new(BufWriter::new(file));
    let mut tables = Vec::new();
    let schema_version = dump::dump_all(ctx.store.path(), |t| {
        writer.add(&t)?;
        tables.push(ArchiveTable {
            name: t.name,
            rows: t.rows.len() as i64,
        });
        Ok(())
    });
    let schema_version = match schema_version {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let manifest = ArchiveManifest {
        format: archive::FORMAT.to_owned(),
        format_version: archive::FORMAT_VERSION,
        schema_version,
        exported_at: stamp(ctx.clock.now()),
        tables,
    };
    let out = writer.finish(&manifest)?;
    let file = out
        .into_inner()
        .map_err(|e| failed(&e.error().to_string()))?;
    file.sync_all().map_err(|e| failed(&e))?;
    fs::rename(&tmp, path).map_err(|e| failed(&e))?;
    Ok(manifest)
}

/// Builds the database of `dir` (empty, or not there yet) from the archive at `path`, then opens
/// it (migrating it forward when the archive is older).
pub fn import_all(
    dir: &Path,
    path: &Path,
    clock: Arc<dyn Clock>,
) -> Result<(Ctx, ArchiveManifest)> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is not empty; a full import only goes into an empty folder",
                dir.display()
            ),
        )
        .with_field("data_dir"));
    }
    let file = fs::File::open(path).map_err(|e| {
        Error::new(
            ErrorCode::FileUnreadable,
            format!("{}: {e}", path.display()),
        )
        .with_param("path", path.display())
        .with_param("reason", e)
    })?;
    let (manifest, tables) = archive::read(std::io::BufReader::new(file))?;
    fs::create_dir_all(dir).map_err(|e| Error::data_dir(dir, e))?;
    dump::load_new(&dir.join(DATABASE_FILE), manifest.schema_version, &tables)?;
    let ctx = Ctx::open_in_dir(dir, clock)?;
    Ok((ctx, manifest))
}
