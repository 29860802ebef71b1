//! What intake refuses before any package exists: garbage, oversize
//! bodies, other media types, a missing token; unknown endpoints.

use crate::helpers::{PackageBuilder, Pki, config, problem, spawn, spawn_with, zip_of};
use mezha_registry::Config;
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn garbage_is_a_client_error() {
    let registry = spawn().await;
    let no_manifest = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("statement.pdf", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.finish().unwrap().into_inner()
    };
    let mut wrong_format = PackageBuilder::new("deal").manifest();
    wrong_format["format"] = "other/1".into();
    let wrong_format = zip_of(&wrong_format, &[]);
    let mut bad_manifest = PackageBuilder::new("deal").manifest();
    bad_manifest["callback_url"] = "ftp://example.com/x".into();
    let bad_callback = zip_of(&bad_manifest, &[]);
    let mut empty_reference = PackageBuilder::new(" ").manifest();
    empty_reference["documents"] = serde_json::json!([]);
    for (i, (body, why)) in [
        (b"PK\x03\x04 not really".to_vec(), "ZIP"),
        (Vec::new(), "ZIP"),
        (no_manifest, "manifest.json"),
        (
            zip_of(&serde_json::json!([1, 2]), &[]),
            "not a valid manifest",
        ),
        (wrong_format, "format"),
        (bad_callback, "callback_url"),
        (zip_of(&empty_reference, &[]), "reference"),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, code, detail) = problem(registry.submit(&format!("k{i}"), body).await).await;
        assert_eq!((status, code.as_str()), (400, "malformed_package"), "{why}");
        assert!(detail.contains(why), "{why}: {detail}");
    }
    assert_eq!(registry.stats().await.packages, 0);
}

#[tokio::test]
async fn another_media_type_is_refused() {
    let registry = spawn().await;
    let response = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "k")
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(response).await.0, 415);
}

/// Sends a request head (and `body`, if any) over a raw connection and
/// returns the status line of the answer.
async fn raw(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer before the body is through; that is the point.
    let _ = stream.write_all(body).await;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_declared_length_over_64_mib_is_refused_at_once() {
    let registry = spawn().await;
    let head = format!(
        "POST /v1/packages HTTP/1.1\r\nHost: x\r\nIdempotency-Key: big\r\n\
         Content-Type: application/zip\r\nContent-Length: {}\r\n\r\n",
        64 * 1024 * 1024 + 1
    );
    let status = raw(registry.running.addr(), &head, b"PK").await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert_eq!(registry.stats().await.packages, 0);
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_refused_while_streaming() {
    let registry = spawn_with(Config {
        max_package_bytes: 64 * 1024,
        ..config()
    })
    .await;
    // Chunked, so no length is declared: the limit is found while reading.
    let head = "POST /v1/packages HTTP/1.1\r\nHost: x\r\nIdempotency-Key: big\r\n\
                Content-Type: application/zip\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut body = Vec::new();
    for _ in 0..8 {
        body.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
        body.extend_from_slice(&[0u8; 16 * 1024]);
        body.extend_from_slice(b"\r\n");
    }
    let status = raw(registry.running.addr(), head, &body).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");

    // Through a real client too, as a stream of chunks.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..8).map(|_| Ok(vec![0u8; 16 * 1024])).collect();
    let outcome = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "big-2")
        .header("Content-Type", "application/zip")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await;
    if let Ok(response) = outcome {
        assert_eq!(problem(response).await.1, "payload_too_large");
    }
    // Just under the limit is fine (and a client error for being no ZIP).
    let small = vec![0u8; 64 * 1024];
    assert_eq!(problem(registry.submit("small", small).await).await.0, 400);
    assert_eq!(registry.stats().await.packages, 0);
}

#[tokio::test]
async fn the_token_is_required_when_configured() {
    let registry = spawn_with(Config {
        api_token: Some(SecretString::from("s3cret")),
        ..config()
    })
    .await;
    let zip = PackageBuilder::new("deal")
        .signed_statement(&Pki::new(130))
        .zip();
    for token in [
        None,
        Some("Bearer wrong"),
        Some("s3cret"),
        Some("Basic s3cret"),
    ] {
        let mut request = registry
            .client
            .post(registry.url("/v1/packages"))
            .header("Idempotency-Key", "k")
            .header("Content-Type", "application/zip")
            .body(zip.clone());
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(problem(response).await.1, "unauthorized", "{token:?}");
    }
    let response = registry
        .client
        .post(registry.url("/v1/packages"))
        .bearer_auth("s3cret")
        .header("Idempotency-Key", "k")
        .header("Content-Type", "application/zip")
        .body(zip)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    // The control API takes no token.
    assert_eq!(registry.stats().await.packages, 1);
}

#[tokio::test]
async fn unknown_endpoints_are_problems() {
    let registry = spawn().await;
    for path in ["/", "/v2/packages", "/control/nothing"] {
        let response = registry
            .client
            .get(registry.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(problem(response).await.1, "not_found", "{path}");
    }
    let bad_fault = registry
        .client
        .put(registry.url("/control/faults"))
        .json(&serde_json::json!({"scope": "global", "kind": "meltdown"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(bad_fault).await.0, 400);
}
