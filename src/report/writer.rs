//! Lays the report out on pages, top to bottom: paragraphs and table rows
//! wrap (long words break rather than run off the page), and a block that
//! fits on one page is never split across two. Text is drawn in the faces
//! of [`super::fonts`]; each face is embedded as a subset when the document
//! is finished.

use super::fonts::{self, Face, Used};
use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};
use std::collections::BTreeMap;

pub(super) const MARGIN: f32 = 48.0;
pub(super) const BODY: f32 = 10.0;
pub(super) const SMALL: f32 = 8.0;
const FOOTER_SPACE: f32 = 40.0;
/// Line height as a multiple of the text size.
const LEADING: f32 = 1.4;

pub(super) fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// What a page holds until the fonts are known: drawing operations, and
/// text in a face (turned into operations with the embedded font).
enum Draw {
    Op(Op),
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        text: String,
        color: Color,
    },
}

/// Splits `text` into lines that fit `width` points: at spaces where it
/// can, inside a word only when the word alone is too long.
pub(super) fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if fonts::width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is broken where it must be.
            for c in word.chars() {
                line.push(c);
                if fonts::width(&line, size, bold) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

pub(super) struct Writer {
    pub(super) width: f32,
    height: f32,
    pages: Vec<Vec<Draw>>,
    pub(super) y: f32,
    used: Used,
}

impl Writer {
    pub(super) fn new((width, height): (f32, f32)) -> Self {
        Self {
            width,
            height,
            pages: vec![Vec::new()],
            y: height - MARGIN,
            used: Used::default(),
        }
    }

    fn page(&mut self) -> &mut Vec<Draw> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn ops(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.page().extend(ops.into_iter().map(Draw::Op));
    }

    pub(super) fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn room(&self) -> f32 {
        self.y - MARGIN - FOOTER_SPACE
    }

    /// Starts a new page unless `height` more points fit on this one.
    pub(super) fn need(&mut self, height: f32) {
        if self.room() < height {
            self.pages.push(Vec::new());
            self.y = self.height - MARGIN;
        }
    }

    pub(super) fn text_at(
        &mut self,
        x: f32,
        y: f32,
        text: &str,
        size: f32,
        bold: bool,
        color: &Color,
    ) {
        let mut x = x;
        for (face, run) in fonts::runs(text, bold) {
            let advance = fonts::width(&run, size, bold);
            self.used.add(face, &run);
            self.page().push(Draw::Text {
                x,
                y,
                size,
                face,
                text: run,
                color: color.clone(),
            });
            x += advance;
        }
    }

    /// A paragraph, wrapped to the page width, kept on one page when it
    /// fits on one.
    pub(super) fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        self.paragraph_in(text, size, bold, &rgb(20, 20, 20), MARGIN);
    }

    pub(super) fn paragraph_in(
        &mut self,
        text: &str,
        size: f32,
        bold: bool,
        color: &Color,
        x: f32,
    ) {
        let lines = wrap(text, size, bold, self.width - MARGIN - x);
        let line_height = size * LEADING;
        self.need(line_height * lines.len() as f32);
        for line in lines {
            self.need(line_height);
            self.y -= line_height;
            self.text_at(x, self.y, &line, size, bold, color);
        }
    }

    /// A section title, kept with at least a few lines of what follows.
    pub(super) fn heading(&mut self, text: &str) {
        self.need(80.0);
        self.y -= 10.0;
        self.paragraph(text, 13.0, true);
        self.line(
            MARGIN,
            self.y - 4.0,
            self.width - MARGIN,
            self.y - 4.0,
            rgb(0, 94, 150),
            1.0,
        );
        self.y -= 8.0;
    }

    pub(super) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Color, width: f32) {
        self.polyline(&[(x1, y1), (x2, y2)], color, width, false);
    }

    pub(super) fn polyline(
        &mut self,
        points: &[(f32, f32)],
        color: Color,
        width: f32,
        dashed: bool,
    ) {
        if points.len() < 2 {
            return;
        }
        let dash = if dashed {
            LineDashPattern::new(0.0, &[4.0, 3.0])
        } else {
            LineDashPattern::new(0.0, &[])
        };
        self.ops([
            Op::SetOutlineColor { col: color },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::SetLineDashPattern { dash },
            Op::DrawLine {
                line: Line {
                    points: points.iter().map(|&(x, y)| point(x, y)).collect(),
                    is_closed: false,
                },
            },
        ]);
    }

    pub(super) fn filled(&mut self, points: Vec<(f32, f32)>, color: Color) {
        if points.len() < 3 {
            return;
        }
        self.ops([
            Op::SetFillColor { col: color },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: points.into_iter().map(|(x, y)| point(x, y)).collect(),
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    pub(super) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color, fill: bool) {
        let colour = if fill {
            Op::SetFillColor { col: color }
        } else {
            Op::SetOutlineColor { col: color }
        };
        self.ops([
            colour,
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::SetLineDashPattern {
                dash: LineDashPattern::new(0.0, &[]),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(y),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(if fill {
                        PaintMode::Fill
                    } else {
                        PaintMode::Stroke
                    }),
                    winding_order: None,
                },
            },
        ]);
    }

    /// A table: a bold header row, then rows; columns as fractions of the
    /// width. Cells wrap; a row is never split across pages, and the header
    /// is repeated at the top of a new page.
    pub(super) fn table(&mut self, columns: &[(&str, f32)], rows: &[Vec<String>]) {
        let widths = Self::column_widths(columns, self.content_width());
        let header: Vec<String> = columns.iter().map(|(h, _)| (*h).to_owned()).collect();
        self.table_row(&header, &widths, true, false);
        for (i, row) in rows.iter().enumerate() {
            let lines = Self::row_lines(row, &widths, false);
            if self.room() < Self::row_height(&lines) {
                self.need(f32::MAX);
                self.table_row(&header, &widths, true, false);
            }
            self.table_row(row, &widths, false, i % 2 == 1);
        }
        self.y -= 6.0;
    }

    /// Widths in proportion to the weights given, but never narrower than
    /// the longest word of the column's title (a title is not broken
    /// mid-word): what those columns need is taken from the others, in
    /// proportion to their room to spare.
    fn column_widths(columns: &[(&str, f32)], room: f32) -> Vec<f32> {
        let total: f32 = columns.iter().map(|(_, w)| w).sum();
        let mut widths: Vec<f32> = columns.iter().map(|(_, w)| w / total * room).collect();
        let least: Vec<f32> = columns
            .iter()
            .map(|(title, _)| {
                title
                    .split_whitespace()
                    .map(|word| fonts::width(word, SMALL, true) + 6.0)
                    .fold(0.0, f32::max)
            })
            .collect();
        let needed: f32 = widths
            .iter()
            .zip(&least)
            .map(|(w, l)| (l - w).max(0.0))
            .sum();
        let spare: f32 = widths
            .iter()
            .zip(&least)
            .map(|(w, l)| (w - l).max(0.0))
            .sum();
        if needed > 0.0 && spare >= needed {
            for (w, l) in widths.iter_mut().zip(&least) {
                if *w < *l {
                    *w = *l;
                } else {
                    *w -= (*w - l) / spare * needed;
                }
            }
        }
        widths
    }

    fn row_lines(row: &[String], widths: &[f32], bold: bool) -> Vec<Vec<String>> {
        row.iter()
            .zip(widths)
            .map(|(cell, w)| wrap(cell, SMALL, bold, w - 4.0))
            .collect()
    }

    fn row_height(lines: &[Vec<String>]) -> f32 {
        let most = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        SMALL * LEADING * most as f32 + SMALL * 0.4
    }

    fn table_row(&mut self, row: &[String], widths: &[f32], bold: bool, shaded: bool) {
        let lines = Self::row_lines(row, widths, bold);
        let height = Self::row_height(&lines);
        self.need(height);
        let top = self.y;
        self.y -= height;
        if shaded {
            self.rect(
                MARGIN,
                self.y,
                self.content_width(),
                height,
                rgb(242, 245, 248),
                true,
            );
        }
        let mut x = MARGIN + 2.0;
        for (cell, w) in lines.iter().zip(widths) {
            for (n, line) in cell.iter().enumerate() {
                let baseline = top - SMALL * LEADING * (n as f32 + 1.0);
                self.text_at(x, baseline, line, SMALL, bold, &rgb(20, 20, 20));
            }
            x += w;
        }
    }

    /// The document: a footer on every page, the fonts embedded as subsets,
    /// the real time of making in the document's information.
    pub(super) fn finish(
        mut self,
        title: &str,
        footer: &str,
        made_at: chrono::DateTime<chrono::Utc>,
    ) -> Vec<u8> {
        let count = self.pages.len();
        let (width, height) = (self.width, self.height);
        let pages = std::mem::take(&mut self.pages);
        let mut finished: Vec<Vec<Draw>> = Vec::with_capacity(count);
        for (i, page) in pages.into_iter().enumerate() {
            self.pages = vec![page];
            self.line(
                MARGIN,
                MARGIN + 14.0,
                width - MARGIN,
                MARGIN + 14.0,
                rgb(180, 180, 180),
                0.5,
            );
            self.text_at(MARGIN, MARGIN, footer, SMALL, false, &rgb(90, 90, 90));
            let number = format!("Page {} of {count}", i + 1);
            let x = width - MARGIN - fonts::width(&number, SMALL, false);
            self.text_at(x, MARGIN, &number, SMALL, false, &rgb(90, 90, 90));
            finished.extend(self.pages.pop());
        }
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "Recovery Tracker".to_owned();
        doc.metadata.info.producer = "Recovery Tracker".to_owned();
        if let Ok(when) = printpdf::date::OffsetDateTime::from_unix_timestamp(made_at.timestamp()) {
            doc.metadata.info.creation_date = when;
            doc.metadata.info.modification_date = when;
            doc.metadata.info.metadata_date = when;
        }
        let font_ids: BTreeMap<Face, printpdf::FontId> = self
            .used
            .subsets()
            .into_iter()
            .map(|(face, font)| (face, doc.add_font(&font)))
            .collect();
        let pages = finished
            .into_iter()
            .map(|draws| {
                let ops = draws
                    .into_iter()
                    .flat_map(|draw| to_ops(draw, &font_ids))
                    .collect();
                PdfPage::new(
                    printpdf::Mm::from(Pt(width)),
                    printpdf::Mm::from(Pt(height)),
                    ops,
                )
            })
            .collect();
        let mut warnings = Vec::new();
        doc.with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings)
    }
}

fn to_ops(draw: Draw, fonts: &BTreeMap<Face, printpdf::FontId>) -> Vec<Op> {
    match draw {
        Draw::Op(op) => vec![op],
        Draw::Text {
            x,
            y,
            size,
            face,
            text,
            color,
        } => {
            let Some(font) = fonts.get(&face) else {
                return Vec::new();
            };
            vec![
                Op::StartTextSection,
                Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(x), Pt(y)),
                },
                Op::SetFont {
                    font: PdfFontHandle::External(font.clone()),
                    size: Pt(size),
                },
                Op::SetFillColor { col: color },
                Op::ShowText {
                    items: vec![TextItem::Text(text)],
                },
                Op::EndTextSection,
            ]
        }
    }
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_break_and_short_ones_wrap_at_spaces() {
        let lines = wrap("Walk 30 minutes at once", SMALL, false, 60.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with(' ')));
        assert_eq!(lines.join(" "), "Walk 30 minutes at once");
        let word = "x".repeat(200);
        let broken = wrap(&word, SMALL, false, 100.0);
        assert!(broken.len() > 1);
        assert_eq!(broken.concat(), word);
        assert!(
            broken
                .iter()
                .all(|l| fonts::width(l, SMALL, false) <= 100.0)
        );
    }
}
