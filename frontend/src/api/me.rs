//! The caller's photo (`/me/avatar`): uploaded as an image with its
//! progress, removed; and the address of a photo in a given size.

use super::files::send_with_progress;
use super::{ApiError, Credentials, Method, NONE, Reply, call};
use mezha_api_types::me::Me;

/// `PUT /me/avatar` with the image as is; the profile with its new photo.
pub async fn upload_avatar(
    auth: impl Credentials,
    file: &web_sys::File,
    progress: impl Fn(u32) + 'static,
) -> Result<Reply<Me>, ApiError> {
    send_with_progress(auth, "PUT", "/me/avatar", file, progress).await
}

/// `DELETE /me/avatar`; the profile without a photo.
pub async fn remove_avatar(auth: impl Credentials) -> Result<Reply<Me>, ApiError> {
    call(auth, Method::Delete, "/me/avatar", NONE, &[]).await
}

/// A photo's address (`avatar_url`, `photo_url`, as the API gives it) for
/// the square of `size` pixels (64, 256 or 512).
pub fn avatar_src(url: &str, size: u32) -> String {
    let joint = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joint}size={size}")
}
