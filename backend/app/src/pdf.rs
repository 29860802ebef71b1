//! The PDF documents Mezha writes (the certificate application form, the
//! contract): A4 pages in DejaVu Sans (embedded, for Cyrillic), written
//! top to bottom by a [`Sheet`] that wraps lines and starts a new page when
//! one is full. And the one check Mezha makes of PDFs it is given: whether
//! a file declares PDF/A conformance in its XMP metadata ([`pdf_a_part`]).

use printpdf::{
    IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference, Point,
};

/// DejaVu Sans (Bitstream Vera license; `assets/fonts/README.md`).
pub(crate) const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const TOP: f32 = 277.0;
const BOTTOM: f32 = 20.0;
/// The left margin.
pub const LEFT: f32 = 20.0;

/// Splits `text` into lines of at most `width` characters, at spaces; a
/// line break in `text` always breaks the line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Characters of DejaVu Sans that fit the text width at `size` points
/// (an average glyph is about half the size wide).
fn chars_per_line(size: f32, indent: f32) -> usize {
    let width_mm = PAGE_WIDTH - 2.0 * LEFT - indent;
    let glyph_mm = size * 0.3528 * 0.55;
    (width_mm / glyph_mm) as usize
}

/// A document being written from the top of its first page down.
pub struct Sheet {
    doc: PdfDocumentReference,
    font: IndirectFontRef,
    layer: PdfLayerReference,
    y: f32,
}

impl Sheet {
    /// A new document titled `title` (its metadata), on its first page.
    pub fn new(title: &str) -> anyhow::Result<Self> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "page 1");
        let font = doc
            .add_external_font(FONT)
            .map_err(|e| anyhow::anyhow!("font: {e}"))?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Sheet {
            doc,
            font,
            layer,
            y: TOP,
        })
    }

    /// Where the next line goes, in mm from the bottom of the page.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Moves down `mm`, starting a new page when that passes the bottom
    /// margin.
    pub fn down(&mut self, mm: f32) {
        self.y -= mm;
        if self.y < BOTTOM {
            self.new_page();
        }
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        let (page, layer) = self.doc.add_page(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "page");
        self.layer = self.doc.get_page(page).get_layer(layer);
        self.y = TOP;
    }

    /// One line of text at `x` mm, at the current height (not moving).
    pub fn text_at(&self, text: &str, size: f32, x: f32) {
        self.layer
            .use_text(text, size, Mm(x), Mm(self.y), &self.font);
    }

    /// Text centred on the page, wrapped; moves below it.
    pub fn centred(&mut self, text: &str, size: f32) {
        for line in wrap(text, chars_per_line(size, 0.0)) {
            let width = line.chars().count() as f32 * size * 0.3528 * 0.55;
            self.text_at(&line, size, ((PAGE_WIDTH - width) / 2.0).max(LEFT));
            self.down(size * 0.3528 * 1.5);
        }
    }

    /// A paragraph, wrapped to the page, indented by `indent` mm; moves
    /// below it.
    pub fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        for line in wrap(text, chars_per_line(size, indent)) {
            self.text_at(&line, size, LEFT + indent);
            self.down(size * 0.3528 * 1.45);
        }
    }

    /// A label and its value side by side (the value wrapped in its
    /// column from `column` mm); moves below the longer.
    pub fn row(&mut self, label: &str, value: &str, size: f32, column: f32) {
        let lines = wrap(value, chars_per_line(size, column));
        self.text_at(label, size, LEFT);
        if lines.is_empty() {
            self.down(size * 0.3528 * 1.45);
        }
        for line in lines {
            self.text_at(&line, size, LEFT + column);
            self.down(size * 0.3528 * 1.45);
        }
    }

    /// A horizontal line from `x1` to `x2` mm at the current height.
    pub fn rule(&self, x1: f32, x2: f32) {
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(x1), Mm(self.y)), false),
                (Point::new(Mm(x2), Mm(self.y)), false),
            ],
            is_closed: false,
        });
    }

    /// The document's bytes.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        self.doc
            .save_to_bytes()
            .map_err(|e| anyhow::anyhow!("saving the PDF: {e}"))
    }
}

/// Why a file is not PDF/A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotPdfA {
    /// It does not parse as a PDF.
    NotPdf,
    /// A PDF whose catalogue has no XMP metadata.
    NoXmp,
    /// XMP metadata without a PDF/A identification.
    NoPdfAId,
}

/// The PDF/A part (1 to 4) the PDF in `bytes` declares in the XMP metadata
/// of its catalogue (`pdfaid:part`, ISO 19005), or why it is not PDF/A.
pub fn pdf_a_part(bytes: &[u8]) -> Result<u8, NotPdfA> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|_| NotPdfA::NotPdf)?;
    let catalog = doc.catalog().map_err(|_| NotPdfA::NotPdf)?;
    let metadata = catalog
        .get(b"Metadata")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_object(id))
        .and_then(lopdf::Object::as_stream)
        .map_err(|_| NotPdfA::NoXmp)?;
    let xmp = metadata
        .decompressed_content()
        .unwrap_or_else(|_| metadata.content.clone());
    let xmp = String::from_utf8_lossy(&xmp);
    let Some(at) = xmp.find("pdfaid:part") else {
        return Err(NotPdfA::NoPdfAId);
    };
    // `pdfaid:part="2"` (an attribute) or `<pdfaid:part>2</…>` (an element).
    let rest = xmp[at + "pdfaid:part".len()..].trim_start_matches(['=', '"', '\'', '>', ' ']);
    match rest.chars().next().and_then(|c| c.to_digit(10)) {
        Some(part @ 1..=4) => Ok(part as u8),
        _ => Err(NotPdfA::NoPdfAId),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_line_breaks() {
        assert_eq!(wrap("один два три", 8), vec!["один два", "три"]);
        assert_eq!(wrap("один\nдва", 80), vec!["один", "два"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn a_written_sheet_is_a_pdf_but_not_pdf_a() {
        let mut sheet = Sheet::new("Проба").unwrap();
        for _ in 0..80 {
            sheet.paragraph("Строка текста, которая переносится по словам.", 10.0, 0.0);
        }
        let bytes = sheet.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(pdf_a_part(&bytes), Err(NotPdfA::NoXmp));
        assert_eq!(pdf_a_part(b"plain text"), Err(NotPdfA::NotPdf));
    }
}
