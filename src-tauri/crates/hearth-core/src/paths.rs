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

/// The longest file name [`safe_file_name`] returns, in bytes (file systems allow 255).
pub const MAX_FILE_NAME_BYTES: usize = 180;

/// A file name that is safe to create in a chosen folder, from a name the UI suggested: only the
/// last path component is kept (no `..`, no folders), characters that Windows, macOS or Linux
/// refuse or treat specially are replaced with `_`, leading dots and trailing dots and spaces are
/// trimmed, reserved Windows device names get a `_` in front, and an overlong name is shortened
/// (keeping its extension). Chinese and other letters are kept as they are. Never empty.
pub fn safe_file_name(suggested: &str) -> String {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let replaced: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = replaced
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name = if trimmed.is_empty() {
        "export".to_owned()
    } else {
        trimmed.to_owned()
    };
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        name.insert(0, '_');
    }
    if name.len() > MAX_FILE_NAME_BYTES {
        let ext = match name.rfind('.') {
            Some(dot) if name.len() - dot <= 10 => name[dot..].to_owned(),
            _ => String::new(),
        };
        let mut cut = MAX_FILE_NAME_BYTES - ext.len();
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name = format!("{}{ext}", name[..cut].trim_end());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_kept() {
        assert_eq!(
            safe_file_name("成员名单 2026-12.csv"),
            "成员名单 2026-12.csv"
        );
        assert_eq!(safe_file_name("report.pdf"), "report.pdf");
    }

    #[test]
    fn folders_and_parent_steps_are_dropped() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\Windows\\win.ini"), "win.ini");
        assert_eq!(safe_file_name("/tmp/x.csv"), "x.csv");
        assert_eq!(safe_file_name(".."), "export");
        assert_eq!(safe_file_name("a/"), "export");
    }

    #[test]
    fn reserved_characters_and_controls_become_underscores() {
        assert_eq!(
            safe_file_name("a:b*c?d\"e<f>g|h.csv"),
            "a_b_c_d_e_f_g_h.csv"
        );
        assert_eq!(safe_file_name("tab\there\nnew.csv"), "tab_here_new.csv");
        assert_eq!(safe_file_name("nul\0byte.csv"), "nul_byte.csv");
    }

    #[test]
    fn hidden_and_trailing_dots_are_trimmed() {
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("  name.csv. . "), "name.csv");
        assert_eq!(safe_file_name(""), "export");
        assert_eq!(safe_file_name("   "), "export");
    }

    #[test]
    fn windows_device_names_are_defused() {
        assert_eq!(safe_file_name("CON"), "_CON");
        assert_eq!(safe_file_name("nul.csv"), "_nul.csv");
        assert_eq!(safe_file_name("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_name("console.csv"), "console.csv");
        assert_eq!(safe_file_name("COMX.csv"), "COMX.csv");
    }

    #[test]
    fn long_names_are_shortened_on_a_character_boundary_keeping_the_extension() {
        let long = format!("{}.xlsx", "名".repeat(200));
        let safe = safe_file_name(&long);
        assert!(safe.len() <= MAX_FILE_NAME_BYTES, "{}", safe.len());
        assert!(safe.ends_with(".xlsx"));
        assert!(safe.starts_with("名名"));
    }
}
