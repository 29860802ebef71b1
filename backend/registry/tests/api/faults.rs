//! Each injected fault, as a client sees it.

use crate::helpers::{PackageBuilder, Pki, problem, spawn};
use mezha_registry::protocol::{FaultKind, GLOBAL_SCOPE, PackageReceipt};
use std::time::{Duration, Instant};

fn zip(seed: u8) -> Vec<u8> {
    PackageBuilder::new("deal")
        .signed_statement(&Pki::new(seed))
        .zip()
}

#[tokio::test]
async fn status_faults_answer_without_processing() {
    let registry = spawn().await;
    registry.fault("k", FaultKind::Status500, 1, 0).await;
    let (status, code, _) = problem(registry.submit("k", zip(120)).await).await;
    assert_eq!((status, code.as_str()), (500, "internal_error"));
    assert_eq!(registry.stats().await.packages, 0);

    registry.fault("k", FaultKind::Status503, 2, 0).await;
    for _ in 0..2 {
        let response = registry.submit("k", zip(120)).await;
        assert_eq!(response.headers()["retry-after"], "1");
        assert_eq!(problem(response).await.1, "unavailable");
    }
    assert_eq!(registry.stats().await.packages, 0);
    // The fault is spent: the retry goes through.
    registry.submit_ok("k", zip(120)).await;
    let stats = registry.stats().await;
    assert_eq!((stats.packages, stats.requests_by_key["k"]), (1, 4));
}

#[tokio::test]
async fn a_global_fault_hits_any_request_and_a_key_fault_only_its_key() {
    let registry = spawn().await;
    registry
        .fault(GLOBAL_SCOPE, FaultKind::Status503, 2, 0)
        .await;
    let unknown = registry
        .client
        .get(registry.url("/v1/packages/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 503);
    assert_eq!(registry.submit("a", zip(121)).await.status(), 503);
    assert_eq!(registry.submit("a", zip(121)).await.status(), 202);

    registry.fault("b", FaultKind::Status500, 1, 0).await;
    assert_eq!(registry.submit("c", zip(121)).await.status(), 202);
    assert_eq!(registry.submit("b", zip(121)).await.status(), 500);
    assert_eq!(registry.submit("b", zip(121)).await.status(), 202);
    // `none` removes a fault before it is spent.
    registry.fault("d", FaultKind::Status500, 5, 0).await;
    registry.fault("d", FaultKind::None, 1, 0).await;
    assert_eq!(registry.submit("d", zip(121)).await.status(), 202);
}

#[tokio::test]
async fn slow_processes_then_answers_late() {
    let registry = spawn().await;
    registry.fault("k", FaultKind::Slow, 1, 400).await;
    // A client that gives up after 100 ms…
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = impatient
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "k")
        .header("Content-Type", "application/zip")
        .body(zip(122))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_millis(400));
    // …still made the package; its retry gets it.
    let retried = registry.submit_ok("k", zip(122)).await;
    let stats = registry.stats().await;
    assert_eq!(stats.packages, 1);
    assert_eq!(
        registry.by_reference("deal").await[0].package_id,
        retried.package_id
    );

    // A patient client gets the answer after the delay.
    registry.fault("p", FaultKind::Slow, 1, 300).await;
    let started = Instant::now();
    registry.submit_ok("p", zip(122)).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn drop_before_closes_the_connection_and_makes_nothing() {
    let registry = spawn().await;
    registry.fault("k", FaultKind::DropBefore, 1, 0).await;
    let error = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "k")
        .header("Content-Type", "application/zip")
        .body(zip(123))
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_timeout(), "{error}");
    assert_eq!(registry.stats().await.packages, 0);
    registry.submit_ok("k", zip(123)).await;
    let stats = registry.stats().await;
    assert_eq!((stats.packages, stats.requests_by_key["k"]), (1, 2));
}

#[tokio::test]
async fn drop_after_makes_the_package_but_breaks_the_answer() {
    let registry = spawn().await;
    registry.fault("k", FaultKind::DropAfter, 1, 0).await;
    let outcome = registry
        .client
        .post(registry.url("/v1/packages"))
        .header("Idempotency-Key", "k")
        .header("Content-Type", "application/zip")
        .body(zip(124))
        .send()
        .await;
    // No complete answer: the request fails, or its body does.
    match outcome {
        Err(_) => {}
        Ok(response) => assert!(response.bytes().await.is_err()),
    }
    let created = registry.by_reference("deal").await;
    assert_eq!(created.len(), 1, "the package was made");
    // The retry with the same key is told about that very package.
    let retried: PackageReceipt = registry.submit_ok("k", zip(124)).await;
    assert_eq!(retried.package_id, created[0].package_id);
    let stats = registry.stats().await;
    assert_eq!((stats.packages, stats.requests_by_key["k"]), (1, 2));
}
