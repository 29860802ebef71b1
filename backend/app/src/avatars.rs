//! Profile photos (docs/accounts.md, "Photos"): an upload is decoded,
//! turned upright by its EXIF orientation, cut to its centred square and
//! encoded afresh as a JPEG of each size of [`AvatarSize::ALL`]. Only
//! pixels go from the upload into those files, so its metadata (EXIF with
//! a GPS position, XMP, comments, colour profiles) is never kept or served.
//!
//! The sizes are files of the file store, `files/avatars/<version>-<side>.jpg`,
//! and the account records the current version (`users.avatar_id`, which
//! bumps the profile's version like any change of `/me`). A new photo is a
//! new version with files of its own: they are written before the record
//! changes and the old ones removed after, so a reader never meets a
//! half-written photo. The rules (accepted types, bounds, framing, who may
//! see a photo) are [`mezha_domain::avatar`]'s.

use crate::accounts;
use crate::context::{Accounts, Core};
use crate::{Actor, AppError, AppResult};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _, ImageReader, Limits, RgbImage};
use mezha_api_types::ErrorCode;
use mezha_api_types::me::Me;
use mezha_domain::FieldError;
use mezha_domain::avatar::{self, Access, AvatarSize};
use mezha_store::StoreError;
use mezha_store::storage::StorageError;
use mezha_store::users::{self, ProfileChanges, UserRecord};
use std::io::Cursor;
use tokio::sync::Semaphore;
use uuid::Uuid;

/// JPEG quality of the served sizes (1–100).
const JPEG_QUALITY: u8 = 85;

/// Photos decoded at once: decoding a large photo takes a few hundred
/// megabytes and a core for a moment; more uploads wait their turn.
static DECODING: Semaphore = Semaphore::const_new(2);

/// The address of a photo: `GET /users/{id}/avatar` with its version.
pub fn url(user_id: Uuid, version: Uuid) -> String {
    format!("/api/v1/users/{user_id}/avatar?v={}", version.simple())
}

/// 415 unless `content_type` is one a photo may be sent as.
pub fn check_type(content_type: &str) -> AppResult<()> {
    if avatar::ACCEPTED_TYPES.contains(&content_type) {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::UnsupportedMediaType,
        crate::msg!(
            "avatars.type_not_accepted",
            content_type = content_type,
            allowed = avatar::ACCEPTED_TYPES.join(", "),
        ),
    ))
}

/// One size of a photo, encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Which size.
    pub size: AvatarSize,
    /// The JPEG file.
    pub jpeg: Vec<u8>,
}

fn refused(error: FieldError) -> AppError {
    AppError::field("body", error)
}

fn undecodable() -> AppError {
    refused(FieldError::new(
        "invalid_image",
        "the file is not a JPEG, PNG or WebP image that can be read",
    ))
}

/// What the image library's error means for the caller.
fn image_error(err: image::ImageError) -> AppError {
    match err {
        image::ImageError::Limits(_) => refused(FieldError::new(
            "image_too_large",
            "the image needs more memory to decode than a photo may take",
        )),
        // Read from memory: an I/O error is a file that ends too soon.
        _ => undecodable(),
    }
}

/// Decodes `bytes` (its type told from its content) into an upright image
/// of its centred square. The dimensions in the header are checked before
/// any pixel is decoded ([`avatar::check_source`], then the decoder's own
/// [`Limits`]).
fn upright_square(bytes: &[u8]) -> AppResult<DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(AppError::internal)?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP)
    ) {
        return Err(undecodable());
    }
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    avatar::check_source(width, height).map_err(refused)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(avatar::MAX_SIDE);
    limits.max_image_height = Some(avatar::MAX_SIDE);
    decoder.set_limits(limits).map_err(image_error)?;
    // An orientation that cannot be read is no orientation.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    let square = avatar::centre_square(image.width(), image.height());
    let mut square = image.crop_imm(square.x, square.y, square.side, square.side);
    drop(image);
    square.apply_orientation(orientation);
    Ok(square)
}

/// The image's colours without transparency: transparent parts on white
/// (a JPEG has no alpha channel).
fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    RgbImage::from_fn(width, height, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            // a = 255 keeps c, a = 0 gives white.
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// Every size of the photo in `bytes` (JPEG, PNG or WebP, told from the
/// content), largest first. CPU-bound: run it on the blocking pool
/// ([`encode`] does).
///
/// Refusals (`422`, field `body`): `invalid_image` (not an image that
/// decodes), `image_too_large` (beyond [`avatar::MAX_SIDE`] or
/// [`avatar::MAX_PIXELS`], or more memory than allowed).
pub fn encode_sizes(bytes: &[u8]) -> AppResult<Vec<Encoded>> {
    let mut source = on_white(upright_square(bytes)?);
    let mut sizes = Vec::with_capacity(AvatarSize::ALL.len());
    // Each size from the one above it: the large step is taken once.
    for size in AvatarSize::ALL.into_iter().rev() {
        let px = size.px();
        let resized = image::imageops::resize(&source, px, px, FilterType::CatmullRom);
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode_image(&resized)
            .map_err(AppError::internal)?;
        sizes.push(Encoded { size, jpeg });
        source = resized;
    }
    Ok(sizes)
}

/// [`encode_sizes`] on the blocking pool, a few photos at a time.
pub async fn encode(bytes: Vec<u8>) -> AppResult<Vec<Encoded>> {
    let _permit = DECODING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || encode_sizes(&bytes))
        .await
        .map_err(AppError::internal)?
}

/// The storage key of one size of the photo `version`.
fn key_of(version: Uuid, size: AvatarSize) -> String {
    format!("avatars/{}-{}.jpg", version.simple(), size.px())
}

/// Writes the sizes of the photo `version` (each complete before it gets
/// its key).
async fn write(core: &Core, version: Uuid, sizes: &[Encoded]) -> AppResult<()> {
    for encoded in sizes {
        let key = key_of(version, encoded.size);
        let written = core
            .storage
            .put(&key, bytes::Bytes::copy_from_slice(&encoded.jpeg))
            .await;
        if let Err(err) = written {
            remove(core, version).await;
            return Err(AppError::internal(err));
        }
    }
    Ok(())
}

/// Removes the files of the photo `version` (those that exist).
async fn remove(core: &Core, version: Uuid) {
    for size in AvatarSize::ALL {
        let key = key_of(version, size);
        if let Err(err) = core.storage.delete(&key).await {
            tracing::warn!(key, error = %err, "an old photo's file was not removed");
        }
    }
}

/// Records `version` (or no photo) as the account's photo when the profile
/// is at `expected` (when given); the profile as it is now and the version
/// it replaced. Without `expected`, a concurrent change of the profile is
/// waited out rather than refused.
async fn record(
    state: &Accounts,
    actor: &Actor,
    expected: Option<i64>,
    version: Option<Uuid>,
) -> AppResult<(UserRecord, Option<Uuid>)> {
    let mut attempts = 0;
    loop {
        let current = accounts::account(state, actor.user_id).await?;
        if expected.is_some_and(|e| e != current.version) {
            return Err(StoreError::VersionMismatch.into());
        }
        if current.avatar_id == version {
            return Ok((current, None));
        }
        let changes = ProfileChanges {
            avatar_id: Some(version),
            ..ProfileChanges::default()
        };
        let now = state.clock.now();
        match users::update_profile(
            &state.db,
            actor.user_id,
            Some(current.version),
            changes,
            now,
        )
        .await
        {
            Ok(updated) => return Ok((updated, current.avatar_id)),
            Err(StoreError::VersionMismatch) if expected.is_none() && attempts < 3 => {
                attempts += 1;
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// `PUT /me/avatar`: makes the image `bytes` (received whole, its type
/// checked against its content) the caller's photo; `expected` is the
/// profile version of `If-Match`. Nothing changes when it is refused.
pub async fn upload(
    state: &Accounts,
    actor: &Actor,
    expected: Option<i64>,
    bytes: Vec<u8>,
) -> AppResult<Me> {
    // A stale profile is refused before the work of decoding.
    if let Some(expected) = expected
        && accounts::account(state, actor.user_id).await?.version != expected
    {
        return Err(StoreError::VersionMismatch.into());
    }
    let sizes = encode(bytes).await?;
    // A fresh random version: the photo's address is what lets one see it.
    let version = Uuid::new_v4();
    write(state, version, &sizes).await?;
    match record(state, actor, expected, Some(version)).await {
        Ok((user, replaced)) => {
            if let Some(old) = replaced {
                remove(state, old).await;
            }
            Ok(accounts::view(user, actor.role))
        }
        Err(err) => {
            remove(state, version).await;
            Err(err)
        }
    }
}

/// `DELETE /me/avatar`: the caller has no photo any more (already none:
/// the profile as it is).
pub async fn delete(state: &Accounts, actor: &Actor, expected: Option<i64>) -> AppResult<Me> {
    let (user, replaced) = record(state, actor, expected, None).await?;
    if let Some(old) = replaced {
        remove(state, old).await;
    }
    Ok(accounts::view(user, actor.role))
}

/// A size of a photo, to serve.
#[derive(Debug)]
pub struct Photo {
    /// The JPEG file.
    pub jpeg: Vec<u8>,
    /// Its entity tag: the version and the size (`"<version>-<side>"`).
    pub etag: String,
    /// Asked for by its current address (the version in it is the photo's):
    /// what is there never changes, so it may be cached for long.
    pub current: bool,
}

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "avatars.not_found")
}

/// `GET /users/{id}/avatar`: the photo of `user_id` in `size`, asked for
/// with the version `asked`, if the caller may see it
/// ([`avatar::access`]); `404` otherwise, as when there is none.
pub async fn photo(
    core: &Core,
    user_id: Uuid,
    size: AvatarSize,
    asked: Option<&str>,
) -> AppResult<Photo> {
    let user = users::find_by_id(&core.db, user_id)
        .await?
        .ok_or_else(not_found)?;
    let version = user.avatar_id.ok_or_else(not_found)?;
    let current = version.simple().to_string();
    let current = match avatar::access(user.blocked_at.is_some(), Some(&current), asked) {
        Access::Hidden => return Err(not_found()),
        Access::Current => true,
        Access::IfPublic if crate::engineers::is_listed(core, user_id).await? => false,
        Access::IfPublic => return Err(not_found()),
    };
    let jpeg = match core.storage.read_all(&key_of(version, size)).await {
        Ok(jpeg) => jpeg,
        // Replaced between reading the record and the file.
        Err(StorageError::NotFound(_)) => return Err(not_found()),
        Err(err) => return Err(AppError::internal(err)),
    };
    Ok(Photo {
        jpeg,
        etag: format!("\"{}-{}\"", version.simple(), size.px()),
        current,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder as _, Rgb, Rgba, RgbaImage};

    fn jpeg(image: &RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut out, 95);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        encoder
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        out
    }

    /// A big-endian TIFF header with one IFD holding the orientation.
    fn exif_orientation(orientation: u16) -> Vec<u8> {
        let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
        t.extend_from_slice(&1u16.to_be_bytes());
        // Tag 0x0112 Orientation, SHORT, 1 value.
        t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        t.extend_from_slice(&orientation.to_be_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&[0, 0, 0, 0]);
        t
    }

    fn decoded(encoded: &Encoded) -> RgbImage {
        image::load_from_memory_with_format(&encoded.jpeg, image::ImageFormat::Jpeg)
            .unwrap()
            .into_rgb8()
    }

    fn near(pixel: Rgb<u8>, colour: [u8; 3]) -> bool {
        pixel.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) < 40)
    }

    #[test]
    fn every_size_is_a_square_jpeg() {
        let source = RgbImage::from_pixel(300, 200, Rgb([10, 120, 200]));
        let sizes = encode_sizes(&jpeg(&source, None)).unwrap();
        let sides: Vec<u32> = sizes.iter().map(|e| e.size.px()).collect();
        assert_eq!(sides, [512, 256, 64]);
        for encoded in &sizes {
            let image = decoded(encoded);
            assert_eq!(image.dimensions(), (encoded.size.px(), encoded.size.px()));
            assert!(near(*image.get_pixel(10, 10), [10, 120, 200]));
        }
    }

    #[test]
    fn the_centre_is_kept() {
        // Red, then green in the middle third, then blue: the square of a
        // 300 × 100 image is the green part.
        let source = RgbImage::from_fn(300, 100, |x, _| match x {
            0..100 => Rgb([255, 0, 0]),
            100..200 => Rgb([0, 255, 0]),
            _ => Rgb([0, 0, 255]),
        });
        let sizes = encode_sizes(&jpeg(&source, None)).unwrap();
        let image = decoded(&sizes[1]);
        for (x, y) in [(5, 5), (250, 128), (128, 250), (250, 250)] {
            assert!(near(*image.get_pixel(x, y), [0, 255, 0]), "({x}, {y})");
        }
    }

    #[test]
    fn the_exif_orientation_is_applied_and_dropped() {
        // Left half red, right half blue, stored sideways: orientation 6
        // means "turn 90° clockwise to show", which puts red on top.
        let source = RgbImage::from_fn(100, 100, |x, _| {
            if x < 50 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        });
        let sizes = encode_sizes(&jpeg(&source, Some(exif_orientation(6)))).unwrap();
        for encoded in &sizes {
            let image = decoded(encoded);
            let side = encoded.size.px();
            assert!(near(*image.get_pixel(side / 4, side / 4), [255, 0, 0]));
            assert!(near(*image.get_pixel(side / 4, side * 3 / 4), [0, 0, 255]));
            // The result says nothing: neither the orientation (already
            // applied) nor anything else of the upload.
            assert!(!encoded.jpeg.windows(6).any(|w| w == b"Exif\0\0"));
        }
    }

    #[test]
    fn transparency_is_white() {
        let mut source = RgbaImage::from_pixel(64, 64, Rgba([0, 0, 0, 0]));
        source.put_pixel(0, 0, Rgba([0, 0, 0, 255]));
        let mut png = Vec::new();
        source
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let sizes = encode_sizes(&png).unwrap();
        let image = decoded(&sizes[0]);
        assert!(near(*image.get_pixel(256, 256), [255, 255, 255]));
    }

    #[test]
    fn what_does_not_decode_is_refused() {
        let code = |bytes: &[u8]| match encode_sizes(bytes) {
            Err(AppError::Problem(p)) => p.errors.unwrap()["body"][0].code.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(code(b"<!doctype html>"), "invalid_image");
        let source = RgbImage::from_pixel(10, 10, Rgb([1, 2, 3]));
        let whole = jpeg(&source, None);
        assert_eq!(code(&whole[..whole.len() / 2]), "invalid_image");
        assert_eq!(code(&whole[..20]), "invalid_image");
        let mut png = Vec::new();
        RgbImage::from_fn(64, 64, |x, y| Rgb([x as u8, y as u8, 0]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(code(&png[..png.len() / 2]), "invalid_image");
    }

    /// A real PNG of one pixel whose header claims `width` × `height`.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut png = Vec::new();
        RgbImage::from_pixel(1, 1, Rgb([0, 0, 0]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        // The signature (8), the IHDR chunk's length (4) and type (4), then
        // width and height; its CRC covers the type and the data (17 bytes).
        assert_eq!(&png[12..16], b"IHDR");
        png[16..20].copy_from_slice(&width.to_be_bytes());
        png[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    #[test]
    fn huge_dimensions_are_refused_from_the_header() {
        let code = |bytes: &[u8]| match encode_sizes(bytes) {
            Err(AppError::Problem(p)) => p.errors.unwrap()["body"][0].code.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(code(&png_claiming(20_000, 20_000)), "image_too_large");
        assert_eq!(code(&png_claiming(10_001, 1)), "image_too_large");
        assert_eq!(code(&png_claiming(9_000, 9_000)), "image_too_large");
        // Within the bounds, the claim is believed and the pixels missing.
        assert_eq!(code(&png_claiming(100, 100)), "invalid_image");
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
