//! Test data for Mezha that is expensive to hand-write: passport-like
//! images of the main page of a Russian passport (docs/clients.md,
//! "Passport recognition"), rendered with a system font (DejaVu, Debian's
//! `fonts-dejavu-core`), rotated by a small angle and sprinkled with noise,
//! so that the OCR tests and the recognition benchmark read what a phone
//! photo would give. Deterministic for a seed.
//!
//! Also: [`poa`], machine-readable powers of attorney; [`s3`], the
//! S3-compatible server the file storage is tested against.

pub mod poa;
pub mod s3;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use chrono::NaiveDate;
use image::{GrayImage, ImageFormat, Luma};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Cursor;

/// Where the font is looked for, first found wins.
pub const FONT_PATHS: [&str; 2] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
];

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassportPage {
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub issuer_code: String,
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub male: bool,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub series: String,
    pub number: String,
}

impl PassportPage {
    /// A plausible page made from `seed`.
    pub fn sample(seed: u64) -> PassportPage {
        let mut rng = StdRng::seed_from_u64(seed);
        let pick = |rng: &mut StdRng, list: &[&str]| list[rng.gen_range(0..list.len())].to_owned();
        let male = rng.gen_bool(0.5);
        let (surnames, names, patronymics): (&[&str], &[&str], &[&str]) = if male {
            (
                &[
                    "ПЕТРОВ",
                    "ИВАНОВ",
                    "СМИРНОВ",
                    "КУЗНЕЦОВ",
                    "ПОПОВ",
                    "СОКОЛОВ",
                    "ВОЛКОВ",
                    "ОРЛОВ",
                ],
                &[
                    "ПЁТР",
                    "ИВАН",
                    "АЛЕКСЕЙ",
                    "СЕРГЕЙ",
                    "ДМИТРИЙ",
                    "НИКОЛАЙ",
                    "ОЛЕГ",
                    "МИХАИЛ",
                ],
                &[
                    "ПЕТРОВИЧ",
                    "ИВАНОВИЧ",
                    "СЕРГЕЕВИЧ",
                    "АНДРЕЕВИЧ",
                    "ОЛЕГОВИЧ",
                    "ПАВЛОВИЧ",
                ],
            )
        } else {
            (
                &[
                    "ПЕТРОВА",
                    "ИВАНОВА",
                    "СМИРНОВА",
                    "КУЗНЕЦОВА",
                    "ПОПОВА",
                    "СОКОЛОВА",
                    "ОРЛОВА",
                ],
                &[
                    "АННА",
                    "МАРИЯ",
                    "ЕЛЕНА",
                    "ОЛЬГА",
                    "НАТАЛЬЯ",
                    "ИРИНА",
                    "СВЕТЛАНА",
                ],
                &[
                    "ПЕТРОВНА",
                    "ИВАНОВНА",
                    "СЕРГЕЕВНА",
                    "АНДРЕЕВНА",
                    "ОЛЕГОВНА",
                    "ПАВЛОВНА",
                ],
            )
        };
        let birth_date = NaiveDate::from_ymd_opt(
            rng.gen_range(1950..2004),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .unwrap_or_default();
        let issued_on = NaiveDate::from_ymd_opt(
            rng.gen_range(2010..2025),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .unwrap_or_default();
        let region = rng.gen_range(10..99u32);
        PassportPage {
            issuer: pick(
                &mut rng,
                &[
                    "ГУ МВД РОССИИ ПО Г. МОСКВЕ",
                    "ОТДЕЛОМ УФМС РОССИИ ПО МОСКОВСКОЙ ОБЛ.",
                    "ГУ МВД РОССИИ ПО САНКТ-ПЕТЕРБУРГУ",
                ],
            ),
            issued_on,
            issuer_code: format!("{region:03}-{:03}", rng.gen_range(1..999u32)),
            surname: pick(&mut rng, surnames),
            name: pick(&mut rng, names),
            patronymic: pick(&mut rng, patronymics),
            male,
            birth_date,
            birth_place: pick(
                &mut rng,
                &["ГОР. МОСКВА", "ГОР. ТВЕРЬ", "ГОР. КАЗАНЬ", "ГОР. ТУЛА"],
            ),
            series: format!("{region:02}{:02}", rng.gen_range(0..25u32)),
            number: format!("{:06}", rng.gen_range(0..1_000_000u32)),
        }
    }

    /// The lines printed on the page, top to bottom.
    pub fn lines(&self) -> Vec<String> {
        let date = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
        vec![
            format!(
                "{} {} {}",
                &self.series[..2],
                &self.series[2..],
                self.number
            ),
            "Паспорт выдан".to_owned(),
            self.issuer.clone(),
            format!(
                "Дата выдачи {}   Код подразделения {}",
                date(self.issued_on),
                self.issuer_code
            ),
            format!("Фамилия {}", self.surname),
            format!("Имя {}", self.name),
            format!("Отчество {}", self.patronymic),
            format!(
                "Пол {}   Дата рождения {}",
                if self.male { "МУЖ." } else { "ЖЕН." },
                date(self.birth_date)
            ),
            format!("Место рождения {}", self.birth_place),
        ]
    }
}

/// Why no image was made.
#[derive(Debug)]
pub enum ImageError {
    /// No font at [`FONT_PATHS`].
    NoFont,
    /// Encoding failed.
    Encode(image::ImageError),
}

fn font() -> Result<FontVec, ImageError> {
    for path in FONT_PATHS {
        if let Ok(bytes) = std::fs::read(path)
            && let Ok(font) = FontVec::try_from_vec(bytes)
        {
            return Ok(font);
        }
    }
    Err(ImageError::NoFont)
}

/// Draws `text` in black with its baseline at `(x, y)`.
fn draw(image: &mut GrayImage, font: &FontVec, size: f32, x: f32, y: f32, text: &str) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = x;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        let glyph = id.with_scale_and_position(size, point(caret, y));
        caret += scaled.h_advance(id);
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px >= 0 && py >= 0 && (px as u32) < image.width() && (py as u32) < image.height()
                {
                    let pixel = image.get_pixel_mut(px as u32, py as u32);
                    let ink = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
                    pixel.0[0] = pixel.0[0].saturating_sub(ink);
                }
            });
        }
    }
}

/// `page` as a PNG: black text on a light page, rotated by `degrees`
/// about its centre, with `noise` (0..=1: the share of pixels flipped to a
/// random grey) from `seed`.
pub fn render(
    page: &PassportPage,
    degrees: f32,
    noise: f64,
    seed: u64,
) -> Result<Vec<u8>, ImageError> {
    let font = font()?;
    let (width, height) = (1400u32, 760u32);
    let mut flat = GrayImage::from_pixel(width, height, Luma([245]));
    for (i, line) in page.lines().iter().enumerate() {
        let size = if i == 0 { 46.0 } else { 36.0 };
        draw(&mut flat, &font, size, 60.0, 80.0 + 72.0 * i as f32, line);
    }
    // Rotation about the centre (nearest neighbour, from the target back).
    let (sin, cos) = (degrees.to_radians().sin(), degrees.to_radians().cos());
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let mut page_image = GrayImage::from_pixel(width, height, Luma([245]));
    for (x, y, pixel) in page_image.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = cos * dx + sin * dy + cx;
        let sy = -sin * dx + cos * dy + cy;
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < width && (sy as u32) < height {
            *pixel = *flat.get_pixel(sx as u32, sy as u32);
        }
    }
    let mut rng = StdRng::seed_from_u64(seed);
    for pixel in page_image.pixels_mut() {
        if rng.gen_bool(noise.clamp(0.0, 1.0)) {
            pixel.0[0] = rng.gen_range(90..255);
        }
    }
    let mut out = Vec::new();
    page_image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(ImageError::Encode)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_is_deterministic_and_renders() {
        let page = PassportPage::sample(7);
        assert_eq!(page, PassportPage::sample(7));
        assert_eq!(page.series.len(), 4);
        assert_eq!(page.number.len(), 6);
        let png = render(&page, 1.5, 0.02, 7).expect("a font is installed");
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(png, render(&page, 1.5, 0.02, 7).unwrap());
    }
}
