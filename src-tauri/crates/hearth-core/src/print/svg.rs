//! The SVG back-end for the preview: the same items as the PDF, in the same coordinates.

use std::fmt::Write;

use super::layout::{Item, Page, PAGE_HEIGHT, PAGE_WIDTH};
use super::pdf::BOLD_STROKE;

const FONT_FAMILY: &str =
    "&quot;Noto Sans CJK SC&quot;,&quot;Noto Sans SC&quot;,&quot;PingFang SC&quot;,&quot;Microsoft YaHei&quot;,sans-serif";

pub(crate) fn render(page: &Page) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" \
         viewBox=\"0 0 {PAGE_WIDTH:.2} {PAGE_HEIGHT:.2}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n\
         <g font-family=\"{FONT_FAMILY}\" style=\"white-space:pre\">\n"
    );
    for item in &page.items {
        match item {
            Item::Fill(f) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"/>",
                    f.x,
                    f.y,
                    f.w,
                    f.h,
                    color(f.gray)
                );
            }
            Item::Line(l) => {
                let dash = l
                    .dash
                    .map(|(on, off)| format!(" stroke-dasharray=\"{on} {off}\""))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "<line x1=\"{:.2}\" y1=\"{:.2}\" x2=\"{:.2}\" y2=\"{:.2}\" stroke=\"{}\" \
                     stroke-width=\"{}\"{dash}/>",
                    l.x1,
                    l.y1,
                    l.x2,
                    l.y2,
                    color(l.gray),
                    l.width
                );
            }
            Item::Text(t) => {
                if t.glyphs.is_empty() {
                    continue;
                }
                let fill = color(t.gray);
                let bold = if t.bold {
                    format!(
                        " stroke=\"{fill}\" stroke-width=\"{:.2}\"",
                        t.size * BOLD_STROKE
                    )
                } else {
                    String::new()
                };
                let _ = write!(
                    out,
                    "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{:.2}\" fill=\"{fill}\"{bold} \
                     textLength=\"{:.2}\" lengthAdjust=\"spacingAndGlyphs\">",
                    t.x,
                    t.y,
                    t.size,
                    t.width()
                );
                escape_into(&mut out, &t.text());
                out.push_str("</text>\n");
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn color(gray: u8) -> String {
    format!("#{gray:02x}{gray:02x}{gray:02x}")
}

fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}
