//! Where Hearth keeps its data when nobody says otherwise.

use std::path::PathBuf;

/// The bundle identifier; the desktop shell's `tauri.conf.json` uses the same one, so the CLI and
/// the app open the same database by default.
pub const APP_IDENTIFIER: &str = "org.hearth.console";

/// The database file name inside a data folder.
pub const DATABASE_FILE: &str = "hearth.db";

/// Environment variable that points the desktop app at another data folder.
pub const DATA_DIR_ENV: &str = "HEARTH_DATA_DIR";

/// The OS app-data folder (`~/.local/share/org.hearth.console` on Linux), unless
/// `HEARTH_DATA_DIR` names another.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
}
