//! Charts drawn by plotters to SVG: the same SVG in the dashboards board and in the printed
//! report. Text is measured with the print font (Noto Sans CJK SC, `print::font`), not plotters'
//! estimate (which sizes Chinese labels as if they were Latin letters), so axis label areas and
//! centring fit the glyphs the reader sees. Every chart has a `<title>` and `role="img"`; its
//! bars carry `data-bar` indexes on transparent hit areas so the UI can open the members behind
//! a bar.
//!
//! Pure: numbers and labels in, SVG text out. What the numbers mean is `ops::dashboard`'s.

use plotters::backend::SVGBackend;
use plotters::prelude::*;
use plotters_backend::{
    BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::font::{CjkFont, Shaper};
use crate::error::{Error, ErrorCode, Result};

/// Light (paper, the light UI) or dark (the dark UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChartTheme {
    Light,
    Dark,
}

struct Palette {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    series: [RGBColor; 3],
}

impl ChartTheme {
    fn palette(self) -> Palette {
        match self {
            ChartTheme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(31, 41, 55),
                grid: RGBColor(229, 231, 235),
                series: [
                    RGBColor(37, 99, 235),
                    RGBColor(245, 158, 11),
                    RGBColor(5, 150, 105),
                ],
            },
            ChartTheme::Dark => Palette {
                background: RGBColor(17, 24, 39),
                text: RGBColor(229, 231, 235),
                grid: RGBColor(55, 65, 81),
                series: [
                    RGBColor(96, 165, 250),
                    RGBColor(248, 113, 113),
                    RGBColor(52, 211, 153),
                ],
            },
        }
    }
}

/// One series of a bar chart: a value per category.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// Grouped bars: one group per category, one bar per series.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Read by screen readers (`<title>`) and shown above the chart.
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub width: u32,
    pub height: u32,
}

/// Where a bar was drawn: category and series index, and its box in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub category: usize,
    pub series: usize,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// The SVG and where its bars are.
#[derive(Debug, Clone)]
pub struct DrawnChart {
    pub svg: String,
    pub bars: Vec<Bar>,
}

/// Font size of labels, in the backend's units (plotters writes `font-size` as size / 1.24).
pub const LABEL_SIZE: f64 = 15.0;
const TITLE_SIZE: f64 = 19.0;

/// SVGBackend with text measured by the print font.
struct Measured<'a, 'f> {
    inner: SVGBackend<'a>,
    shaper: &'f Shaper<'f>,
}

/// The width and height plotters reserves for a label of the charts (`LABEL_SIZE`), measured
/// with the print font.
pub fn label_box(font: &CjkFont, text: &str) -> Result<(u32, u32)> {
    Ok(text_box(&font.shaper()?, text, LABEL_SIZE))
}

/// The width and height plotters reserves for `text` at `size` (its units), measured with the
/// print font: the SVG's font-size is size / 1.24 and one em of advance is that many units.
fn text_box(shaper: &Shaper<'_>, text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24;
    let width = f64::from(Shaper::width(&shaper.shape(text))) * em;
    (width.ceil() as u32, (em * 1.2).ceil() as u32)
}

impl DrawingBackend for Measured<'_, '_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: plotters_backend::BackendColor,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> std::result::Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_box(self.shaper, text, style.size()))
    }
}

fn drawing_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("the chart could not be drawn: {e}"))
}

/// Escapes text for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Draws grouped bars with a legend, in the print font's family.
pub fn bars(chart: &BarChart, theme: ChartTheme, font: &CjkFont) -> Result<DrawnChart> {
    let shaper = font.shaper()?;
    let palette = theme.palette();
    let family = font.family().to_owned();
    let mut svg = String::new();
    let mut drawn = Vec::new();
    let n = chart.categories.len().max(1);
    let groups = chart.series.len().max(1);
    let top = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    let y_max = if top <= 0.0 { 1.0 } else { top * 1.1 };
    {
        let backend = Measured {
            inner: SVGBackend::with_string(&mut svg, (chart.width, chart.height)),
            shaper: &shaper,
        };
        let root = backend.into_drawing_area();
        root.fill(&palette.background).map_err(drawing_error)?;
        let label = |size: f64| (family.as_str(), size).into_font().color(&palette.text);
        let mut ctx = ChartBuilder::on(&root)
            .caption(&chart.title, label(TITLE_SIZE))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..y_max)
            .map_err(drawing_error)?;
        let categories = chart.categories.clone();
        ctx.configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(palette.grid)
            .y_labels(6)
            .axis_style(palette.text)
            .label_style(label(LABEL_SIZE))
            // Category i is centred on x = i: ticks fall on the categories plotters picks.
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.round();
                match categories.get(i as usize) {
                    Some(c) if (x - i).abs() < 1e-6 && i >= 0.0 => c.clone(),
                    _ => String::new(),
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(drawing_error)?;
        let slot = 0.8 / groups as f64;
        for (s, series) in chart.series.iter().enumerate() {
            let color = palette.series[s % palette.series.len()];
            let rects: Vec<_> = series
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let x0 = i as f64 - 0.4 + slot * s as f64;
                    (i, x0, *v)
                })
                .collect();
            ctx.draw_series(
                rects
                    .iter()
                    .map(|&(_, x0, v)| Rectangle::new([(x0, 0.0), (x0 + slot, v)], color.filled())),
            )
            .map_err(drawing_error)?
            .label(series.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
            for &(i, x0, v) in &rects {
                let (ax, ay) = ctx.backend_coord(&(x0, v.max(y_max * 0.02)));
                let (bx, by) = ctx.backend_coord(&(x0 + slot, 0.0));
                drawn.push(Bar {
                    category: i,
                    series: s,
                    x: ax,
                    y: ay,
                    width: (bx - ax).max(1),
                    height: (by - ay).max(1),
                });
            }
        }
        if chart.series.len() > 1 {
            ctx.configure_series_labels()
                .background_style(palette.background.mix(0.8))
                .border_style(palette.grid)
                .label_font(label(LABEL_SIZE))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()
                .map_err(drawing_error)?;
        }
        root.present().map_err(drawing_error)?;
    }
    Ok(DrawnChart {
        svg: finish(&svg, &chart.title, &drawn),
        bars: drawn,
    })
}

/// Adds the accessible title and the bars' hit areas to plotters' SVG.
fn finish(svg: &str, title: &str, bars: &[Bar]) -> String {
    let Some(open_end) = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j))
    else {
        return svg.to_owned();
    };
    let mut out = String::with_capacity(svg.len() + bars.len() * 96 + 128);
    out.push_str(&svg[..open_end]);
    out.push_str(" role=\"img\" aria-labelledby=\"chart-title\">");
    out.push_str(&format!(
        "<title id=\"chart-title\">{}</title>",
        escape(title)
    ));
    let body = &svg[open_end + 1..];
    let close = body.rfind("</svg>").unwrap_or(body.len());
    out.push_str(&body[..close]);
    for (i, b) in bars.iter().enumerate() {
        out.push_str(&format!(
            "<rect class=\"hit\" data-bar=\"{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"transparent\"/>\n",
            b.x, b.y, b.width, b.height
        ));
    }
    out.push_str(&body[close..]);
    out
}
