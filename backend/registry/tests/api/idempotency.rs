//! One package per `Idempotency-Key`, however often and however
//! concurrently it is sent.

use crate::helpers::{PackageBuilder, Pki, problem, spawn};
use futures_util::future::join_all;
use mezha_registry::protocol::PackageReceipt;

#[tokio::test]
async fn the_same_key_answers_the_same_package() {
    let registry = spawn().await;
    let pki = Pki::new(110);
    let zip = PackageBuilder::new("deal").signed_statement(&pki).zip();
    let first = registry.submit("deal-send-1", zip.clone()).await;
    assert_eq!(first.status(), 202);
    let first_body = first.bytes().await.unwrap();
    // Again, and again with another body: the first answer, byte for byte.
    let other = PackageBuilder::new("other-deal")
        .signed_statement(&pki)
        .zip();
    for body in [zip, other, b"garbage".to_vec()] {
        let again = registry.submit("deal-send-1", body).await;
        assert_eq!(again.status(), 202);
        assert_eq!(again.bytes().await.unwrap(), first_body);
    }
    let other_type = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "deal-send-1")
        .header("Content-Type", "text/plain")
        .body("retry")
        .send()
        .await
        .unwrap();
    assert_eq!(other_type.status(), 202);
    assert_eq!(other_type.bytes().await.unwrap(), first_body);
    let stats = registry.stats().await;
    assert_eq!(stats.packages, 1);
    assert_eq!(stats.requests_by_key["deal-send-1"], 5);
    assert_eq!(stats.packages_by_reference.len(), 1);
    // Another key is another package.
    let second = registry
        .submit_ok(
            "deal-send-2",
            PackageBuilder::new("deal").signed_statement(&pki).zip(),
        )
        .await;
    let first: PackageReceipt = serde_json::from_slice(&first_body).unwrap();
    assert_ne!(second.package_id, first.package_id);
    assert_eq!(registry.stats().await.packages_by_reference["deal"], 2);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_make_one_package() {
    let registry = spawn().await;
    let zip = PackageBuilder::new("deal")
        .signed_statement(&Pki::new(111))
        .zip();
    let answers = join_all((0..8).map(|_| {
        let zip = zip.clone();
        let registry = &registry;
        async move {
            let response = registry.submit("same-key", zip).await;
            (response.status().as_u16(), response.bytes().await.unwrap())
        }
    }))
    .await;
    let first = answers[0].clone();
    assert_eq!(first.0, 202);
    for answer in &answers {
        assert_eq!(answer, &first);
    }
    let stats = registry.stats().await;
    assert_eq!(stats.packages, 1);
    assert_eq!(stats.requests_by_key["same-key"], 8);
}

#[tokio::test]
async fn a_refused_request_does_not_bind_its_key() {
    let registry = spawn().await;
    let garbage = registry.submit("k", b"not a zip".to_vec()).await;
    assert_eq!(problem(garbage).await.1, "malformed_package");
    let zip = PackageBuilder::new("deal")
        .signed_statement(&Pki::new(112))
        .zip();
    registry.submit_ok("k", zip).await;
    assert_eq!(registry.stats().await.packages, 1);
}

#[tokio::test]
async fn the_key_is_required_and_bounded() {
    let registry = spawn().await;
    let zip = PackageBuilder::new("deal")
        .signed_statement(&Pki::new(113))
        .zip();
    let without = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Content-Type", "application/zip")
        .body(zip.clone())
        .send()
        .await
        .unwrap();
    let (status, code, detail) = problem(without).await;
    assert_eq!((status, code.as_str()), (400, "bad_request"));
    assert!(detail.contains("Idempotency-Key"), "{detail}");
    let too_long = "k".repeat(201);
    assert_eq!(
        problem(registry.submit(&too_long, zip.clone()).await)
            .await
            .0,
        400
    );
    registry.submit_ok(&"k".repeat(200), zip).await;
}
