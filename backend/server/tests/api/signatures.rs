//! `POST /signatures/validate` (docs/signatures.md): the report
//! over HTTP for signatures made by OpenSSL (backend/signatures/tests/vectors),
//! trust from `MEZHA_TRUST_DIR`, the expected signer, and bad input that gets
//! problem+json. The validation rules themselves are pinned in
//! `mezha-signatures`' own tests.

use crate::helpers::{Backend, Options, TestApp, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::path::PathBuf;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../signatures/tests/vectors")
}

pub(crate) fn vector(name: &str) -> Vec<u8> {
    std::fs::read(vectors().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A trust directory as an operator would make it: the roots and
/// intermediates of the P-256 and GOST-256 test CAs and their CRLs.
fn trust_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for family in ["p256", "gost256-A"] {
        for file in ["root.pem", "inter.pem", "root.crl", "inter.crl"] {
            std::fs::write(
                dir.path().join(format!("{family}-{file}")),
                vector(&format!("{family}/{file}")),
            )
            .unwrap();
        }
    }
    dir
}

async fn app_trusting(backend: Backend) -> (TestApp, tempfile::TempDir) {
    let dir = trust_dir();
    let app = spawn_app_with(
        backend,
        Options {
            trust_dir: Some(dir.path().to_path_buf()),
            ..Options::default()
        },
    )
    .await;
    (app, dir)
}

fn form(document: Vec<u8>, signature: Vec<u8>) -> Form {
    Form::new()
        .part("document", Part::bytes(document).file_name("doc.txt"))
        .part("signature", Part::bytes(signature).file_name("doc.txt.sig"))
}

async fn validate(app: &TestApp, form: Form) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/signatures/validate"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn report(app: &TestApp, form: Form) -> Value {
    let resp = validate(app, form).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn verdict(report: &Value) -> (&str, &str) {
    (
        report["indication"].as_str().unwrap(),
        report["sub_indication"].as_str().unwrap_or(""),
    )
}

async fn signed_documents_get_their_report(backend: Backend) {
    let (app, _trust) = app_trusting(backend).await;
    let doc = vector("doc.txt");
    for family in ["p256", "gost256-A"] {
        // DER and PEM signatures of the exact document pass, with the signer
        // and the chain up to the operator's root.
        for sig in ["valid.der", "valid.pem"] {
            let r = report(&app, form(doc.clone(), vector(&format!("{family}/{sig}")))).await;
            assert_eq!(verdict(&r), ("TOTAL_PASSED", ""), "{family}/{sig}: {r:#}");
            assert!(r["signer"]["subject"].as_str().unwrap().contains("CN="));
            assert!(r["signing_time"].is_string());
            assert!(r["chain"].as_array().unwrap().len() >= 2, "{r:#}");
            assert!(r["checks"].as_array().unwrap().len() >= 5);
        }
        let expect = |sig: &str, verdict_: (&'static str, &'static str)| {
            let app = &app;
            let doc = doc.clone();
            let sig = format!("{family}/{sig}");
            async move {
                let r = report(app, form(doc, vector(&sig))).await;
                assert_eq!(verdict(&r), verdict_, "{sig}: {r:#}");
            }
        };
        expect("revoked.der", ("TOTAL_FAILED", "REVOKED")).await;
        expect("expired.der", ("TOTAL_FAILED", "EXPIRED")).await;
        expect("notyet.der", ("TOTAL_FAILED", "NOT_YET_VALID")).await;
        expect("noku.der", ("TOTAL_FAILED", "KEY_USAGE_FAILURE")).await;
        expect(
            "unknownca.der",
            ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND"),
        )
        .await;
        // The same signature against a changed document.
        let r = report(
            &app,
            form(
                vector("doc-tampered.txt"),
                vector(&format!("{family}/valid.der")),
            ),
        )
        .await;
        assert_eq!(verdict(&r), ("TOTAL_FAILED", "HASH_FAILURE"), "{r:#}");
    }
    // Garbage is a report, not an error.
    for garbage in [
        "garbage-random.der",
        "garbage-truncated.der",
        "garbage-empty.der",
    ] {
        let r = report(&app, form(doc.clone(), vector(garbage))).await;
        assert_eq!(verdict(&r), ("TOTAL_FAILED", "FORMAT_FAILURE"), "{garbage}");
    }
}

async fn the_expected_signer_is_checked(backend: Backend) {
    let (app, _trust) = app_trusting(backend).await;
    let doc = vector("doc.txt");
    let sig = vector("p256/valid.der");
    let first = report(&app, form(doc.clone(), sig.clone())).await;
    let snils = first["signer"]["snils"]
        .as_str()
        .expect("the test signer has a SNILS");
    let with = |expected: Value| {
        form(doc.clone(), sig.clone()).text("expected_signer", expected.to_string())
    };
    let r = report(&app, with(json!({ "snils": snils }))).await;
    assert_eq!(verdict(&r), ("TOTAL_PASSED", ""), "{r:#}");
    let r = report(&app, with(json!({ "snils": "98765432100" }))).await;
    assert_eq!(verdict(&r), ("TOTAL_FAILED", "SIGNER_MISMATCH"), "{r:#}");
    let sha = first["signer"]["certificate_sha256"].as_str().unwrap();
    let r = report(&app, with(json!({ "certificate_sha256": sha }))).await;
    assert_eq!(verdict(&r), ("TOTAL_PASSED", ""), "{r:#}");
}

async fn nothing_is_trusted_without_configuration(backend: Backend) {
    // Without MEZHA_TRUST_DIR only the platform CA is trusted: a signature
    // of another CA does not chain to anything.
    let app = spawn_app(backend).await;
    let r = report(&app, form(vector("doc.txt"), vector("p256/valid.der"))).await;
    assert_eq!(
        verdict(&r),
        ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND"),
        "{r:#}"
    );
}

async fn bad_requests_get_problems(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = vector("doc.txt");
    let sig = vector("p256/valid.der");
    // Not multipart.
    let resp = app
        .client
        .post(app.url("/api/v1/signatures/validate"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(resp, 415, "unsupported_media_type").await;
    // A part missing.
    let resp = validate(&app, Form::new().part("document", Part::bytes(doc.clone()))).await;
    let p = problem(resp, 422, "validation_failed").await;
    assert!(format!("{p:?}").contains("signature"), "{p:?}");
    let resp = validate(
        &app,
        Form::new().part("signature", Part::bytes(sig.clone())),
    )
    .await;
    problem(resp, 422, "validation_failed").await;
    // expected_signer that is not JSON.
    let resp = validate(
        &app,
        form(doc.clone(), sig.clone()).text("expected_signer", "SNILS 123"),
    )
    .await;
    problem(resp, 422, "validation_failed").await;
    // Too large: a signature over 1 MiB, a document over 20 MiB.
    let resp = validate(&app, form(doc.clone(), vec![0x30; 1024 * 1024 + 1])).await;
    problem(resp, 413, "payload_too_large").await;
    let resp = validate(&app, form(vec![b'a'; 20 * 1024 * 1024 + 1], sig.clone())).await;
    problem(resp, 413, "payload_too_large").await;
    // And the endpoint still answers.
    let r = report(&app, form(doc, sig)).await;
    assert_eq!(r["indication"], "INDETERMINATE");
}

on_both_backends!(
    signed_documents_get_their_report,
    the_expected_signer_is_checked,
    nothing_is_trusted_without_configuration,
    bad_requests_get_problems,
);
