//! Contracts signed with certificates Mezha did not issue (docs/contracts.md,
//! "Signing"): detached CMS signatures made by OpenSSL — ECDSA P-256, RSA
//! and GOST R 34.10-2012 with the GOST engine (scripts/make-signature-vectors.sh)
//! — over the committed PDF/A contract, by a test CA the server trusts
//! through `MEZHA_TRUST_DIR`. The engineer's certificate names his SNILS,
//! the customer's only her INN: each counts for the account whose SNILS
//! or INN it is, and for nobody else.

use crate::contracts::order_in_signing;
use crate::helpers::{Backend, Options, TestApp, problem, spawn_app_with};
use crate::on_both_backends;
use crate::orders::{Party, customer, engineer};
use crate::signatures::vector;
use base64::Engine as _;
use mezha_api_types::contracts::Contract;
use serde_json::{Value, json};

const FAMILIES: [&str; 3] = ["p256", "rsa-pkcs1", "gost256-A"];

fn contract_pdf() -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/contract-pdfa.pdf"),
    )
    .unwrap()
}

fn signature(family: &str, party: &str) -> Value {
    let der = vector(&format!("{family}/contract-{party}.der"));
    json!({"signature": base64::engine::general_purpose::STANDARD.encode(der)})
}

async fn set_identity(app: &TestApp, party: &Party, field: &str, value: &str) {
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&party.token)
        .json(&json!({ field: value }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}

async fn sign(app: &TestApp, token: &str, id: uuid::Uuid, body: &Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/contracts/{id}/signatures"),
        body,
        Some(token),
    )
    .await
}

async fn openssl_signatures_of_each_algorithm_count_by_snils_and_inn(backend: Backend) {
    let trust = tempfile::tempdir().unwrap();
    for family in FAMILIES {
        for file in ["root.pem", "inter.pem", "root.crl", "inter.crl"] {
            std::fs::write(
                trust.path().join(format!("{family}-{file}")),
                vector(&format!("{family}/{file}")),
            )
            .unwrap();
        }
    }
    let app = spawn_app_with(
        backend,
        Options {
            trust_dir: Some(trust.path().to_path_buf()),
            ..Options::default()
        },
    )
    .await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    set_identity(&app, &anna, "inn", "770123456703").await;
    set_identity(&app, &petr, "snils", "112-233-445 95").await;

    for family in FAMILIES {
        let id = order_in_signing(&app, &anna, &petr).await;
        let resp = app
            .client
            .post(app.url("/api/v1/files?name=contract.pdf"))
            .bearer_auth(&petr.token)
            .header("content-type", "application/pdf")
            .body(contract_pdf())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let file: Value = resp.json().await.unwrap();
        let resp = app
            .post(
                &format!("/api/v1/orders/{id}/contracts"),
                &json!({"file_id": file["id"]}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(
            resp.status(),
            201,
            "{family}: {}",
            resp.text().await.unwrap()
        );
        let version: Contract = resp.json().await.unwrap();
        assert_eq!(version.source.as_str(), "upload");

        // The customer's certificate is not the engineer's, and his is not hers.
        let p = problem(
            sign(
                &app,
                &petr.token,
                version.id,
                &signature(family, "customer"),
            )
            .await,
            422,
            "signer_not_party",
        )
        .await;
        assert_eq!(
            p.report.unwrap().indication.as_str(),
            "TOTAL_PASSED",
            "{family}"
        );
        let resp = sign(
            &app,
            &petr.token,
            version.id,
            &signature(family, "engineer"),
        )
        .await;
        assert_eq!(
            resp.status(),
            200,
            "{family}: {}",
            resp.text().await.unwrap()
        );
        let signed: Contract = resp.json().await.unwrap();
        assert_eq!(signed.status.as_str(), "awaiting_customer", "{family}");
        let report = &signed.signatures[0].report;
        assert_eq!(
            report.signer.as_ref().and_then(|s| s.snils.as_deref()),
            Some("11223344595"),
            "{family}"
        );
        problem(
            sign(
                &app,
                &anna.token,
                version.id,
                &signature(family, "engineer"),
            )
            .await,
            422,
            "signer_not_party",
        )
        .await;
        let resp = sign(
            &app,
            &anna.token,
            version.id,
            &signature(family, "customer"),
        )
        .await;
        assert_eq!(
            resp.status(),
            200,
            "{family}: {}",
            resp.text().await.unwrap()
        );
        let done: Contract = resp.json().await.unwrap();
        assert_eq!(done.status.as_str(), "signed", "{family}");
        let order: Value = app
            .get(&format!("/api/v1/orders/{id}"), Some(&anna.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(order["status"], "prepayment", "{family}");
    }
}

on_both_backends!(openssl_signatures_of_each_algorithm_count_by_snils_and_inn);
