//! Profile photos (docs/accounts.md, "Photos"): which uploads are taken,
//! how a photo is framed, the sizes it is served in, and who may see it.
//!
//! A photo is an image the account uploads (`PUT /me/avatar`); the server
//! decodes it, turns it upright by its EXIF orientation, keeps the centred
//! square ([`centre_square`]) and encodes each of [`AvatarSize::ALL`] from
//! the pixels alone, so nothing of the upload but its picture is kept (no
//! EXIF, GPS position, camera or comment). The decoding itself is the
//! application's (`mezha_app::avatars`); the rules are here.

use crate::FieldError;
use mezha_api_types::limits::{AVATAR_MAX_BYTES, AVATAR_SIZES};
use subtle::ConstantTimeEq as _;

/// Largest upload, in bytes.
pub const MAX_BYTES: u64 = AVATAR_MAX_BYTES;

/// Media types an upload may declare (its content must be of that type).
pub const ACCEPTED_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Widest and tallest source image, in pixels, read from its header before
/// anything is decoded: a small file that claims more (a decompression
/// bomb) is refused without allocating its pixels.
pub const MAX_SIDE: u32 = 10_000;

/// Most pixels of a source image (a 50-megapixel camera's photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;

/// The sizes a photo is served in: squares of [`AvatarSize::px`] pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AvatarSize {
    /// 64 × 64: lists, the header.
    Small,
    /// 256 × 256: cards, the profile (the default).
    Medium,
    /// 512 × 512: a profile page on a high-density screen.
    Large,
}

impl AvatarSize {
    /// Every size, smallest first.
    pub const ALL: [AvatarSize; 3] = [AvatarSize::Small, AvatarSize::Medium, AvatarSize::Large];

    /// The size served when none is asked for.
    pub const DEFAULT: AvatarSize = AvatarSize::Medium;

    /// Its side in pixels.
    pub const fn px(self) -> u32 {
        match self {
            AvatarSize::Small => AVATAR_SIZES[0],
            AvatarSize::Medium => AVATAR_SIZES[1],
            AvatarSize::Large => AVATAR_SIZES[2],
        }
    }

    /// The size whose side is `px` pixels, if it is one.
    pub fn from_px(px: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.px() == px)
    }
}

/// Whether a source image of `width` × `height` pixels may be decoded.
///
/// Refusals: `invalid_image` (no pixels), `image_too_large` (a side over
/// [`MAX_SIDE`] or more than [`MAX_PIXELS`] in all).
pub fn check_source(width: u32, height: u32) -> Result<(), FieldError> {
    if width == 0 || height == 0 {
        return Err(FieldError::new("invalid_image", "the image has no pixels"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(FieldError::new(
            "image_too_large",
            format!(
                "the image is {width} × {height} pixels; at most {MAX_SIDE} on a side and {} megapixels are accepted",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// A square part of an image: its top-left corner and side, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Square {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Side.
    pub side: u32,
}

/// The largest square centred in a `width` × `height` image: the whole
/// shorter side, the longer one's middle (an odd remainder leaves the extra
/// pixel on the right or at the bottom).
///
/// The centred square of an image turned by its EXIF orientation is the
/// centred square of the stored image, turned: a turn or a mirror keeps the
/// centre and squares. So the square may be cut before the turn, which then
/// works on fewer pixels.
pub fn centre_square(width: u32, height: u32) -> Square {
    let side = width.min(height);
    Square {
        x: (width - side) / 2,
        y: (height - side) / 2,
        side,
    }
}

/// Who may see a photo: the answer to `GET /users/{id}/avatar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The address the API gave out (its version is the current photo's):
    /// served, and cacheable for long, since a new photo has a new address.
    Current,
    /// No version, or an old one: served only when the account's profile
    /// is public (a listed engineer), to be revalidated on every use.
    IfPublic,
    /// Not served (`404`): the account is blocked, or has no photo.
    Hidden,
}

/// Who may see the photo `current` (its version, if the account has one)
/// of an account, asked for with the version `asked`.
///
/// A photo's address carries its version, a random value given out only
/// where the account is shown by name (its own profile, the public engineer
/// card), so knowing the address is what lets one see a customer's photo;
/// an engineer's photo is public like the rest of his listed profile. A
/// blocked account's photo is shown to no one (blocking takes an offensive
/// picture down at once).
pub fn access(blocked: bool, current: Option<&str>, asked: Option<&str>) -> Access {
    let Some(current) = current else {
        return Access::Hidden;
    };
    if blocked {
        return Access::Hidden;
    }
    let matches = asked.is_some_and(|asked| bool::from(asked.as_bytes().ct_eq(current.as_bytes())));
    if matches {
        Access::Current
    } else {
        Access::IfPublic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_the_served_squares() {
        let px: Vec<u32> = AvatarSize::ALL.iter().map(|s| s.px()).collect();
        assert_eq!(px, [64, 256, 512]);
        for size in AvatarSize::ALL {
            assert_eq!(AvatarSize::from_px(size.px()), Some(size));
        }
        assert_eq!(AvatarSize::from_px(128), None);
        assert_eq!(AvatarSize::from_px(0), None);
        assert_eq!(AvatarSize::DEFAULT.px(), 256);
    }

    #[test]
    fn the_centre_square_takes_the_shorter_side() {
        assert_eq!(
            centre_square(400, 300),
            Square {
                x: 50,
                y: 0,
                side: 300
            }
        );
        assert_eq!(
            centre_square(300, 400),
            Square {
                x: 0,
                y: 50,
                side: 300
            }
        );
        assert_eq!(
            centre_square(256, 256),
            Square {
                x: 0,
                y: 0,
                side: 256
            }
        );
        // An odd remainder: the extra pixel stays on the right.
        assert_eq!(
            centre_square(5, 2),
            Square {
                x: 1,
                y: 0,
                side: 2
            }
        );
        assert_eq!(
            centre_square(1, 1),
            Square {
                x: 0,
                y: 0,
                side: 1
            }
        );
    }

    #[test]
    fn the_square_stays_inside_the_image() {
        for (w, h) in [(1, 10_000), (10_000, 1), (7, 3), (3, 7), (4032, 3024)] {
            let s = centre_square(w, h);
            assert!(s.x + s.side <= w && s.y + s.side <= h, "{w}×{h}: {s:?}");
            assert_eq!(s.side, w.min(h));
            // Centred: the margins differ by at most one pixel.
            let (left, right) = (s.x, w - s.x - s.side);
            let (top, bottom) = (s.y, h - s.y - s.side);
            assert!(right - left <= 1 && bottom - top <= 1, "{w}×{h}: {s:?}");
        }
    }

    #[test]
    fn sources_are_bounded_before_decoding() {
        assert_eq!(check_source(1, 1), Ok(()));
        assert_eq!(check_source(4032, 3024), Ok(()));
        assert_eq!(check_source(8160, 6120), Ok(()));
        assert_eq!(check_source(MAX_SIDE, 5_000), Ok(()));
        for (w, h) in [
            (MAX_SIDE + 1, 1),
            (1, MAX_SIDE + 1),
            (u32::MAX, u32::MAX),
            // Each side allowed, too many pixels in all.
            (MAX_SIDE, MAX_SIDE),
            (9_000, 6_000),
        ] {
            assert_eq!(
                check_source(w, h).unwrap_err().code,
                "image_too_large",
                "{w}×{h}"
            );
        }
        assert_eq!(check_source(0, 10).unwrap_err().code, "invalid_image");
        assert_eq!(check_source(10, 0).unwrap_err().code, "invalid_image");
    }

    #[test]
    fn who_may_see_a_photo() {
        let v = "0193f1a27c4d7e3a9f005b1c2d3e4f50";
        assert_eq!(access(false, Some(v), Some(v)), Access::Current);
        assert_eq!(access(false, Some(v), None), Access::IfPublic);
        assert_eq!(access(false, Some(v), Some("old")), Access::IfPublic);
        assert_eq!(access(false, Some(v), Some("")), Access::IfPublic);
        // No photo, or a blocked account: nothing, whatever is asked.
        assert_eq!(access(false, None, Some(v)), Access::Hidden);
        assert_eq!(access(true, Some(v), Some(v)), Access::Hidden);
        assert_eq!(access(true, Some(v), None), Access::Hidden);
    }
}
