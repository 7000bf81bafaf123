//! The one font every page is printed in: finding it on the machine, choosing the Simplified
//! Chinese face of a collection, and turning text into glyphs the font really has.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::charmap::Charmap;
use skrifa::instance::{Location, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::{FileRef, TableProvider};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider, Tag};
use unicode_normalization::UnicodeNormalization;

use crate::{Error, ErrorCode, Result};

/// Drawn for every character the font has no glyph for (and for control characters).
const FALLBACK: char = '\u{25A1}';
/// Characters a face must have to be taken for printing Chinese.
const PROBE: &str = "签名序号张伟第页";
/// The weight a variable face is printed at.
const REGULAR_WEIGHT: f32 = 400.0;

/// A CJK font (one face of a `.ttc` collection, or a single `.otf`/`.ttf`) held in memory.
/// Cloning is cheap: the bytes are shared.
#[derive(Clone)]
pub struct CjkFont {
    data: Arc<Vec<u8>>,
    index: u32,
    family: String,
    source: Option<PathBuf>,
    /// Variation settings (only `wght` of a variable face), handed to krilla as they are.
    coords: Vec<([u8; 4], f32)>,
    /// The same settings, normalised, for measuring.
    location: Location,
}

impl fmt::Debug for CjkFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CjkFont")
            .field("family", &self.family)
            .field("index", &self.index)
            .field("source", &self.source)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl CjkFont {
    /// Finds Noto Sans CJK SC (or the closest Simplified Chinese face the system has): first
    /// `explicit` (a `.ttf`/`.otf`/`.ttc` path the caller got from the env var `HEARTH_CJK_FONT`),
    /// then the usual places of this operating system. A collection's face is chosen by its name
    /// (`… SC`, then `… GB`), among the faces that have common Chinese characters; a file that
    /// does not exist, cannot be read or has no such face is skipped (an unusable `explicit` path
    /// too, so printing still works). Error: `FontMissing` with `params.searched`, every path
    /// tried, joined by `, `.
    pub fn locate(explicit: Option<&Path>) -> Result<CjkFont> {
        let candidates = explicit
            .map(Path::to_path_buf)
            .into_iter()
            .chain(system_candidates());
        CjkFont::locate_in(candidates)
    }

    fn locate_in(candidates: impl IntoIterator<Item = PathBuf>) -> Result<CjkFont> {
        let mut searched = Vec::new();
        for path in candidates {
            searched.push(path.display().to_string());
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let Some(index) = best_face(&data) else {
                continue;
            };
            if let Ok(mut font) = CjkFont::from_bytes(data, index) {
                font.source = Some(path);
                return Ok(font);
            }
        }
        Err(Error::new(
            ErrorCode::FontMissing,
            "No Chinese font to print with was found. Install Noto Sans CJK SC \
             (Debian/Ubuntu: fonts-noto-cjk) or set HEARTH_CJK_FONT to a .ttf/.otf/.ttc file.",
        )
        .with_param("searched", searched.join(", ")))
    }

    /// Face `index` (0 unless the data is a collection) of a font file's bytes. Any parseable
    /// OpenType face with a character map is accepted; characters it lacks print as `□`.
    pub fn from_bytes(data: Vec<u8>, index: u32) -> Result<CjkFont> {
        let unusable = |why: &str| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("face {index} of this font file cannot be used for printing: {why}"),
            )
            .with_field("font")
            .with_param("value", index)
        };
        let (family, coords, location) = {
            let face =
                FontRef::from_index(&data, index).map_err(|_| unusable("not an OpenType face"))?;
            if !face.charmap().has_map() {
                return Err(unusable("no Unicode character map"));
            }
            face.head().map_err(|_| unusable("no head table"))?;
            let wght = Tag::new(b"wght");
            let coords: Vec<([u8; 4], f32)> = if face.axes().get_by_tag(wght).is_some() {
                vec![(*b"wght", REGULAR_WEIGHT)]
            } else {
                Vec::new()
            };
            let location = face
                .axes()
                .location(coords.iter().map(|(tag, value)| (Tag::new(tag), *value)));
            (family_name(&face), coords, location)
        };
        let font = CjkFont {
            data: Arc::new(data),
            index,
            family,
            source: None,
            coords,
            location,
        };
        // krilla reads a few more tables (OS/2 metrics, PostScript name); fail here, not mid-print.
        font.krilla_font()
            .ok_or_else(|| unusable("the PDF writer cannot read it"))?;
        Ok(font)
    }

    /// The face's family name, e.g. `Noto Sans CJK SC`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The font file's bytes (every face of a collection).
    pub(crate) fn data(&self) -> &[u8] {
        &self.data
    }

    /// The face index inside its file (2 for the SC face of Debian's `NotoSansCJK-Regular.ttc`).
    pub fn face_index(&self) -> u32 {
        self.index
    }

    /// The file the font was read from, when it came from [`CjkFont::locate`].
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    pub(crate) fn krilla_font(&self) -> Option<krilla::text::Font> {
        let data: krilla::Data = self.data.clone().into();
        let coords: Vec<(krilla::text::Tag, f32)> = self
            .coords
            .iter()
            .map(|(tag, value)| (krilla::text::Tag::new(tag), *value))
            .collect();
        krilla::text::Font::new_variable(data, self.index, &coords)
    }

    pub(crate) fn shaper(&self) -> Result<Shaper<'_>> {
        let face = FontRef::from_index(&self.data, self.index)
            .map_err(|_| Error::new(ErrorCode::InvalidInput, "the font can no longer be read"))?;
        let units_per_em = face.head().map(|h| h.units_per_em()).unwrap_or(1000).max(1) as f32;
        let mut shaper = Shaper {
            charmap: face.charmap(),
            metrics: face.glyph_metrics(Size::unscaled(), &self.location),
            units_per_em,
            fallback: Glyph {
                ch: '?',
                id: 0,
                advance: 0.5,
            },
            ellipsis: Vec::new(),
        };
        shaper.fallback = shaper
            .glyph(FALLBACK)
            .or_else(|| shaper.glyph('?'))
            .unwrap_or(shaper.fallback);
        shaper.ellipsis = match shaper.glyph('\u{2026}') {
            Some(g) => vec![g],
            None => "...".chars().map(|c| shaper.glyph_or_fallback(c)).collect(),
        };
        Ok(shaper)
    }
}

/// One character placed as one glyph. `advance` is in em.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub ch: char,
    pub id: u32,
    pub advance: f32,
}

/// Text to glyphs with one font: normalisation, coverage, widths and truncation.
pub(crate) struct Shaper<'a> {
    charmap: Charmap<'a>,
    metrics: GlyphMetrics<'a>,
    units_per_em: f32,
    fallback: Glyph,
    ellipsis: Vec<Glyph>,
}

impl Shaper<'_> {
    fn glyph(&self, ch: char) -> Option<Glyph> {
        let id = self.charmap.map(ch)?;
        if id.to_u32() == 0 {
            return None;
        }
        let advance = self.metrics.advance_width(id).unwrap_or(0.0) / self.units_per_em;
        Some(Glyph {
            ch,
            id: id.to_u32(),
            advance,
        })
    }

    fn glyph_or_fallback(&self, ch: char) -> Glyph {
        self.glyph(ch).unwrap_or(self.fallback)
    }

    /// One line of text as glyphs the font has: NFC, runs of white space (tabs, line breaks)
    /// collapsed into one space and trimmed, invisible format characters (zero-width joiners,
    /// variation selectors) the font lacks dropped, and every other character it lacks (emoji,
    /// rare ideographs, control characters) replaced by `□`.
    pub fn shape(&self, text: &str) -> Vec<Glyph> {
        let mut out: Vec<Glyph> = Vec::with_capacity(text.len());
        let mut pending_space = false;
        for ch in text.nfc() {
            if ch.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            let glyph = if ch.is_control() {
                self.fallback
            } else {
                match self.glyph(ch) {
                    Some(g) => g,
                    None if is_ignorable(ch) => continue,
                    None => self.fallback,
                }
            };
            if pending_space {
                out.push(self.glyph_or_fallback(' '));
                pending_space = false;
            }
            out.push(glyph);
        }
        out
    }

    /// Width in em.
    pub fn width(glyphs: &[Glyph]) -> f32 {
        glyphs.iter().map(|g| g.advance).sum()
    }

    /// `text` shaped and cut to fit `max_width` points at `size` points, ending in `…` when cut.
    pub fn fit(&self, text: &str, size: f32, max_width: f32) -> Vec<Glyph> {
        let glyphs = self.shape(text);
        // A hair of tolerance: a size computed as exactly `max_width / width` must not be cut.
        let limit = max_width / size * 1.0001;
        if Self::width(&glyphs) <= limit {
            return glyphs;
        }
        let room = limit - Self::width(&self.ellipsis);
        let mut used = 0.0;
        let mut cut = 0;
        for g in &glyphs {
            if used + g.advance > room {
                break;
            }
            used += g.advance;
            cut += 1;
        }
        let mut out: Vec<Glyph> = glyphs[..cut].to_vec();
        while out.last().is_some_and(|g| g.ch == ' ') {
            out.pop();
        }
        if room >= 0.0 {
            out.extend_from_slice(&self.ellipsis);
        }
        out
    }
}

/// Default-ignorable code points: drawn as nothing when the font has no glyph for them.
fn is_ignorable(ch: char) -> bool {
    matches!(ch,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn family_name(face: &FontRef<'_>) -> String {
    [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
        .into_iter()
        .find_map(|id| face.localized_strings(id).english_or_first())
        .map(|name| name.to_string())
        .unwrap_or_default()
}

/// The face of a font file to print Chinese with: among the faces that have [`PROBE`], the first
/// Simplified Chinese one by name, else the first one.
fn best_face(data: &[u8]) -> Option<u32> {
    let file = FileRef::new(data).ok()?;
    let mut best: Option<(u8, u32)> = None;
    for (index, face) in file.fonts().enumerate() {
        let Ok(face) = face else { continue };
        let charmap = face.charmap();
        if !PROBE
            .chars()
            .all(|c| charmap.map(c).is_some_and(|g| g.to_u32() != 0))
        {
            continue;
        }
        let family = family_name(&face);
        let score = if family.ends_with(" SC") || family.contains(" SC ") {
            3
        } else if family.contains("GB") || family.contains("YaHei") {
            2
        } else {
            1
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, index as u32));
        }
    }
    best.map(|(_, index)| index)
}

/// Where Noto Sans CJK SC and its stand-ins usually live on this operating system, best first.
fn system_candidates() -> Vec<PathBuf> {
    let home = dirs::home_dir();
    let in_home = |rel: &str| home.as_ref().map(|h| h.join(rel));
    let mut out: Vec<PathBuf> = Vec::new();
    if cfg!(target_os = "macos") {
        for dir in ["Library/Fonts"] {
            for file in [
                "NotoSansCJKsc-Regular.otf",
                "NotoSansCJK-Regular.ttc",
                "NotoSansSC-Regular.otf",
                "NotoSansSC-Regular.ttf",
                "SourceHanSansSC-Regular.otf",
            ] {
                out.extend(in_home(&format!("{dir}/{file}")));
                out.push(PathBuf::from(format!("/{dir}/{file}")));
            }
        }
        for path in [
            "/System/Library/Fonts/PingFang.ttc",
            "/System/Library/Fonts/Hiragino Sans GB.ttc",
            "/System/Library/Fonts/STHeiti Light.ttc",
            "/System/Library/Fonts/STHeiti Medium.ttc",
            "/System/Library/Fonts/Supplemental/Songti.ttc",
            "/Library/Fonts/Arial Unicode.ttf",
            "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
        ] {
            out.push(PathBuf::from(path));
        }
    } else if cfg!(windows) {
        let windir = std::env::var_os("WINDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
        let local = std::env::var_os("LOCALAPPDATA").map(PathBuf::from);
        for file in [
            "NotoSansCJKsc-Regular.otf",
            "NotoSansSC-Regular.otf",
            "NotoSansSC-Regular.ttf",
        ] {
            if let Some(local) = &local {
                out.push(local.join(r"Microsoft\Windows\Fonts").join(file));
            }
            out.push(windir.join("Fonts").join(file));
        }
        for file in [
            "msyh.ttc",
            "msyh.ttf",
            "Deng.ttf",
            "simhei.ttf",
            "simsun.ttc",
            "simkai.ttf",
        ] {
            out.push(windir.join("Fonts").join(file));
        }
    } else {
        for path in [
            // Debian, Ubuntu (fonts-noto-cjk)
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
            // Fedora (google-noto-sans-cjk-fonts; the variable one from Fedora 39)
            "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/google-noto-sans-cjk-vf-fonts/NotoSansCJK-VF.ttc",
            // Arch (noto-fonts-cjk), openSUSE
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/truetype/noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
            // Adobe's release under its own name
            "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
            "/usr/share/fonts/opentype/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
        ] {
            out.push(PathBuf::from(path));
        }
        for file in [
            "NotoSansCJK-Regular.ttc",
            "NotoSansCJKsc-Regular.otf",
            "NotoSansSC-Regular.otf",
            "NotoSansSC-Regular.ttf",
        ] {
            out.extend(in_home(&format!(".local/share/fonts/{file}")));
            out.extend(in_home(&format!(".fonts/{file}")));
        }
        for path in [
            // Stand-ins when no Noto is installed.
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        ] {
            out.push(PathBuf::from(path));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignorable_characters_are_not_boxes() {
        assert!(is_ignorable('\u{FE0F}'));
        assert!(is_ignorable('\u{200D}'));
        assert!(!is_ignorable('张'));
    }

    #[test]
    fn no_font_anywhere_says_where_it_looked() {
        let dir = std::env::temp_dir().join("hearth-no-such-font-dir");
        let paths = [dir.join("a.ttc"), dir.join("b.otf")];
        let err = CjkFont::locate_in(paths.clone()).unwrap_err();
        assert_eq!(err.code, ErrorCode::FontMissing);
        assert_eq!(
            err.params["searched"],
            format!("{}, {}", paths[0].display(), paths[1].display())
        );
    }

    #[test]
    fn garbage_is_not_a_font() {
        let err = CjkFont::from_bytes(b"not a font at all".to_vec(), 0).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
}
