//! Photos through HTTP (docs/accounts.md, "Photos"): an image uploaded
//! with `PUT /me/avatar` is served in each size from `GET
//! /users/{id}/avatar`, square, re-encoded without its EXIF (GPS position
//! included); refused uploads change nothing; who may see a photo.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::sro_registry::{complete_profile, engineer, moderator};
use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::{ImageDecoder as _, ImageEncoder as _, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{Value, json};
use std::io::Cursor;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The camera's name and the place, as the EXIF of the test photo holds them.
const CAMERA: &[u8] = b"SecretCam";

/// A big-endian EXIF (TIFF) block: the camera's make, orientation 6, and a
/// GPS position (55°45'21.08" N, 37°37'19.56" E).
fn exif_with_gps() -> Vec<u8> {
    fn entry(t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&kind.to_be_bytes());
        t.extend_from_slice(&count.to_be_bytes());
        t.extend_from_slice(&value);
    }
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    // IFD0 at 8 (3 entries: 42 bytes), the GPS IFD at 50 (4 entries: 54
    // bytes), then the make at 104, the latitude at 114, the longitude at 138.
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    t.extend_from_slice(&3u16.to_be_bytes());
    entry(&mut t, 0x010F, ASCII, 10, 104u32.to_be_bytes());
    entry(&mut t, 0x0112, SHORT, 1, [0, 6, 0, 0]);
    entry(&mut t, 0x8825, LONG, 1, 50u32.to_be_bytes());
    t.extend_from_slice(&[0; 4]);
    assert_eq!(t.len(), 50);
    t.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, RATIONAL, 3, 114u32.to_be_bytes());
    entry(&mut t, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, RATIONAL, 3, 138u32.to_be_bytes());
    t.extend_from_slice(&[0; 4]);
    assert_eq!(t.len(), 104);
    t.extend_from_slice(CAMERA);
    t.push(0);
    for (n, d) in [(55, 1), (45, 1), (2108, 100), (37, 1), (37, 1), (1956, 100)] {
        t.extend_from_slice(&u32::to_be_bytes(n));
        t.extend_from_slice(&u32::to_be_bytes(d));
    }
    assert_eq!(t.len(), 162);
    t
}

/// A 400 × 300 JPEG photo with EXIF: camera, orientation and GPS.
pub(crate) fn photo_with_gps() -> Vec<u8> {
    let image = RgbImage::from_pixel(400, 300, Rgb([30, 140, 90]));
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
    encoder.set_exif_metadata(exif_with_gps()).unwrap();
    encoder
        .write_image(image.as_raw(), 400, 300, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A 120 × 200 PNG, half transparent.
pub(crate) fn png() -> Vec<u8> {
    let image = RgbaImage::from_fn(120, 200, |_, y| {
        if y < 100 {
            Rgba([200, 20, 20, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A real one-pixel PNG whose header claims `width` × `height` pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    RgbImage::from_pixel(1, 1, Rgb([0, 0, 0]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(&out[12..16], b"IHDR");
    out[16..20].copy_from_slice(&width.to_be_bytes());
    out[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&out[12..29]);
    out[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    out
}

/// The EXIF block of a JPEG, if it has one.
fn exif_of(jpeg: &[u8]) -> Option<Vec<u8>> {
    JpegDecoder::new(Cursor::new(jpeg))
        .unwrap()
        .exif_metadata()
        .unwrap()
}

async fn put_avatar(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .put(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body);
    if let Some(etag) = if_match {
        req = req.header("if-match", etag);
    }
    req.send().await.unwrap()
}

async fn me(app: &TestApp, token: &str) -> (Value, String) {
    let resp = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(resp.status(), 200);
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    (resp.json().await.unwrap(), etag)
}

/// The photo files the app keeps, sorted.
async fn stored(app: &TestApp) -> Vec<String> {
    app.stored_files()
        .await
        .into_iter()
        .filter(|key| key.starts_with("avatars/"))
        .collect()
}

async fn photo_uploaded_served_in_sizes_without_exif(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("photo@example.ru").await;
    let token = &user.tokens.access_token;
    let (before, etag) = me(&app, token).await;
    assert_eq!(before["avatar_url"], Value::Null);

    let upload = photo_with_gps();
    let exif = exif_of(&upload).expect("the upload has EXIF");
    assert!(exif.windows(CAMERA.len()).any(|w| w == CAMERA));
    let resp = put_avatar(&app, token, "image/jpeg", upload, Some(&etag)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let new_etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let after: Value = resp.json().await.unwrap();
    assert_eq!(new_etag, format!("\"v{}\"", after["version"]));
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    let url = after["avatar_url"].as_str().unwrap().to_owned();
    let prefix = format!("/api/v1/users/{}/avatar?v=", user.id);
    assert!(url.starts_with(&prefix), "{url}");
    let (read, _) = me(&app, token).await;
    assert_eq!(read["avatar_url"], url.as_str());
    assert_eq!(stored(&app).await.len(), 3, "{:?}", stored(&app).await);

    // Each size, to anyone holding the address: a square JPEG without EXIF.
    for (query, side) in [
        ("", 256),
        ("&size=64", 64),
        ("&size=256", 256),
        ("&size=512", 512),
    ] {
        let resp = app.get(&format!("{url}{query}"), None).await;
        assert_eq!(resp.status(), 200, "{query}");
        let headers = resp.headers().clone();
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["cache-control"], "public, max-age=86400, immutable");
        let tag = headers["etag"].to_str().unwrap().to_owned();
        assert!(tag.ends_with(&format!("-{side}\"")), "{tag}");
        let body = resp.bytes().await.unwrap();
        let image = image::load_from_memory_with_format(&body, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((image.width(), image.height()), (side, side), "{query}");
        assert_eq!(exif_of(&body), None, "{query}: EXIF kept");
        assert!(!body.windows(4).any(|w| w == b"Exif"), "{query}");
        assert!(!body.windows(CAMERA.len()).any(|w| w == CAMERA), "{query}");
        // A copy still current is not sent again.
        let resp = app
            .client
            .get(app.url(&format!("{url}{query}")))
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 304);
        assert_eq!(resp.headers()["etag"].to_str().unwrap(), tag);
    }

    // A size that is not served, an unknown parameter: 422.
    let p = problem(
        app.get(&format!("{url}&size=100"), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("size")[0].code, "invalid_value");
    // A customer's photo is not public: without its version, or with another, 404.
    let bare = format!("/api/v1/users/{}/avatar", user.id);
    problem(app.get(&bare, None).await, 404, "not_found").await;
    problem(
        app.get(&format!("{bare}?v=0123"), Some(token)).await,
        404,
        "not_found",
    )
    .await;

    // A PNG replaces it: a new address, the old one gone with its files.
    let resp = put_avatar(&app, token, "image/png", png(), None).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let replaced: Value = resp.json().await.unwrap();
    let new_url = replaced["avatar_url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, url);
    problem(app.get(&url, None).await, 404, "not_found").await;
    let resp = app.get(&format!("{new_url}&size=64"), None).await;
    assert_eq!(resp.status(), 200);
    let image = image::load_from_memory(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!((image.width(), image.height()), (64, 64));
    // The transparent half is white, the other red.
    let rgb = image.into_rgb8();
    assert!(rgb.get_pixel(32, 60).0.iter().all(|&c| c > 200));
    assert!(rgb.get_pixel(32, 4).0[0] > 150 && rgb.get_pixel(32, 4).0[1] < 80);
    assert_eq!(stored(&app).await.len(), 3, "{:?}", stored(&app).await);

    // A stale If-Match changes nothing.
    let resp = put_avatar(&app, token, "image/jpeg", photo_with_gps(), Some(&etag)).await;
    problem(resp, 412, "precondition_failed").await;
    let resp = app
        .client
        .delete(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .header("if-match", &etag)
        .send()
        .await
        .unwrap();
    problem(resp, 412, "precondition_failed").await;
    let (read, current_etag) = me(&app, token).await;
    assert_eq!(read["avatar_url"], new_url.as_str());

    // Removed: no address, nothing served, no files; removing again is a no-op.
    let resp = app
        .client
        .delete(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .header("if-match", &current_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let gone_etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let gone: Value = resp.json().await.unwrap();
    assert_eq!(gone["avatar_url"], Value::Null);
    problem(app.get(&new_url, None).await, 404, "not_found").await;
    assert_eq!(stored(&app).await, Vec::<String>::new());
    let resp = app
        .client
        .delete(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"].to_str().unwrap(), gone_etag);

    // Typing an address is over: PATCH /me knows no avatar_url.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"avatar_url": "https://example.com/a.png"}))
        .send()
        .await
        .unwrap();
    problem(resp, 422, "invalid_body").await;
}

async fn refused_uploads_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("refused@example.ru").await;
    let token = &user.tokens.access_token;
    let (before, _) = me(&app, token).await;

    // No token.
    let resp = app
        .client
        .put(app.url("/api/v1/me/avatar"))
        .header("content-type", "image/jpeg")
        .body(photo_with_gps())
        .send()
        .await
        .unwrap();
    problem(resp, 401, "unauthenticated").await;
    // HTML labelled as a PNG; a type photos are not; no type at all.
    let html = b"<!doctype html><script>alert(1)</script>".to_vec();
    problem(
        put_avatar(&app, token, "image/png", html.clone(), None).await,
        415,
        "unsupported_media_type",
    )
    .await;
    problem(
        put_avatar(&app, token, "application/pdf", b"%PDF-1.7".to_vec(), None).await,
        415,
        "unsupported_media_type",
    )
    .await;
    problem(
        put_avatar(&app, token, "image/gif", b"GIF89a".to_vec(), None).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let resp = app
        .client
        .put(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .body(html)
        .send()
        .await
        .unwrap();
    problem(resp, 415, "unsupported_media_type").await;
    // A PNG sent as a JPEG.
    problem(
        put_avatar(&app, token, "image/jpeg", png(), None).await,
        415,
        "unsupported_media_type",
    )
    .await;

    // Empty, cut short, not decodable, or too many pixels: 422 on `body`.
    let p = problem(
        put_avatar(&app, token, "image/png", Vec::new(), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("body")[0].code, "empty");
    // A JPEG's signature and no picture; a PNG cut short.
    let mut not_a_picture = b"\xFF\xD8\xFF\xE0".to_vec();
    not_a_picture.extend_from_slice(&[b'x'; 5000]);
    let mut cut = png();
    cut.truncate(cut.len() / 2);
    for (content_type, body) in [("image/jpeg", not_a_picture), ("image/png", cut)] {
        let p = problem(
            put_avatar(&app, token, content_type, body, None).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p.field("body")[0].code, "invalid_image", "{content_type}");
    }
    let p = problem(
        put_avatar(&app, token, "image/png", png_claiming(20_000, 20_000), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("body")[0].code, "image_too_large");
    let p = problem(
        put_avatar(&app, token, "image/png", png_claiming(10_001, 10), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("body")[0].code, "image_too_large");

    // Over 10 MiB, streamed without a length: cut off while streaming.
    const MAX: usize = 10 * 1024 * 1024;
    let chunk = 64 * 1024;
    let chunks = futures_util::stream::iter((0..MAX / chunk + 1).map(move |i| {
        let mut bytes = vec![0u8; chunk];
        if i == 0 {
            bytes[..4].copy_from_slice(b"\xFF\xD8\xFF\xE0");
        }
        Ok::<_, std::io::Error>(bytes)
    }));
    let resp = app
        .client
        .put(app.url("/api/v1/me/avatar"))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    problem(resp, 413, "payload_too_large").await;
    // Declared over 10 MiB: refused before the body is read.
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "PUT /api/v1/me/avatar HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        MAX + 1
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"\xFF\xD8\xFF\xE0").await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("payload_too_large") {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "{}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&buf[..n]);
    }
    assert!(
        answer.starts_with(b"HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    drop(stream);

    // Nothing was kept and the profile did not change.
    assert_eq!(stored(&app).await, Vec::<String>::new());
    let (after, _) = me(&app, token).await;
    assert_eq!(after, before);
}

async fn engineers_photos_are_public_until_blocked(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let (ivan, token) = engineer(
        &app,
        &moderator,
        "ivan@example.ru",
        601_701_811,
        "Иванов Иван",
    )
    .await;
    complete_profile(
        &app,
        &token,
        json!({
            "website": "https://kadastr.example",
            "residence": "г. Раменское",
            "contacts": {"phone": "+7 912 345-67-89", "email": "office@kadastr.example"},
            "experience_years": 5,
            "working_hours": "пн–пт 9–18",
            "education": "МИИГАиК",
            "about": "Межевание",
            "accept_offers": true,
            "regions": ["50"],
            "work_types": [{"work_type": "map_plan", "price": 10000}],
        }),
    )
    .await;
    let resp = put_avatar(&app, &token, "image/jpeg", photo_with_gps(), None).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let url = resp.json::<Value>().await.unwrap()["avatar_url"]
        .as_str()
        .unwrap()
        .to_owned();

    // The public card and page give the same address; the profile too.
    let list: Value = app
        .get("/api/v1/engineers", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], ivan.id.to_string());
    assert_eq!(list["items"][0]["photo_url"], url.as_str());
    let page: Value = app
        .get(&format!("/api/v1/engineers/{}", ivan.id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["photo_url"], url.as_str());
    let profile: Value = app
        .get("/api/v1/me/engineer-profile", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["photo_url"], url.as_str());

    // A listed engineer's photo is public without its version too, then
    // revalidated rather than cached for long.
    let bare = format!("/api/v1/users/{}/avatar?size=64", ivan.id);
    let resp = app.get(&bare, None).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "public, no-cache");

    // Blocking takes it down everywhere.
    let resp = app
        .post(
            &format!("/api/v1/users/{}/block", ivan.id),
            &json!({"reason": "photo"}),
            Some(&moderator),
        )
        .await;
    assert_eq!(resp.status(), 204);
    problem(app.get(&url, None).await, 404, "not_found").await;
    problem(app.get(&bare, None).await, 404, "not_found").await;
}

on_both_backends!(
    photo_uploaded_served_in_sizes_without_exif,
    refused_uploads_change_nothing,
    engineers_photos_are_public_until_blocked,
);
