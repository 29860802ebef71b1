//! Orders after the contract (issue #15) through HTTP, the refusals the
//! stories (contracts.rs, acts.rs) do not walk: signatures by revoked or
//! expired certificates, who may call what (404 for whoever cannot see
//! the order, 403 for a party acting out of his part), nothing changed
//! after the contract is signed and nothing paid before, and results
//! delivered as files.

use crate::certificates::{approved_again, issue, operator, sign};
use crate::contracts::{contract, document, make, order_in_signing, sign_as, terms};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{Party, as_role, customer, engineer};
use der::{DecodePem, Encode};
use mezha_api_types::Role;
use mezha_api_types::certificates::Certificate;
use mezha_api_types::contracts::Contract;
use mezha_api_types::orders::Order;
use mezha_api_types::signatures::{Indication, SubIndication};
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

fn now(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    mezha_app::clock::Clock::now(&app.clock)
}

const PASSWORD: &str = "correct horse battery";

/// A certificate the platform issued to `party` for the key of `seed`.
async fn certificate(
    app: &TestApp,
    party: &Party,
    op: &str,
    seed: u8,
) -> (SigningKey, Certificate, Vec<u8>) {
    let application = approved_again(app, &party.token, op).await;
    let key = SigningKey::from_slice(&[seed; 32]).unwrap();
    let cert = issue(app, &party.token, application.id, &key).await;
    let der = x509_cert::Certificate::from_pem(cert.pem.as_bytes())
        .unwrap()
        .to_der()
        .unwrap();
    (key, cert, der)
}

/// A detached CMS over `document` whose signingTime attribute claims `at`.
fn signed_at(
    document: &[u8],
    key: &SigningKey,
    cert: &Certificate,
    at: chrono::DateTime<chrono::Utc>,
) -> Value {
    use base64::Engine as _;
    use p256::ecdsa::signature::Signer as _;
    let digest = sha2::Sha256::digest(document).to_vec();
    let attrs = mezha_cms_build::signed_attributes(&digest, at.timestamp() as u64).unwrap();
    let tbs = mezha_cms_build::to_be_signed(&attrs).unwrap();
    let raw: p256::ecdsa::Signature = key.sign(&tbs);
    let parsed = mezha_cms_build::certificate(&cert.pem).unwrap();
    let der = mezha_cms_build::signed_data(parsed, attrs, &raw.to_bytes()).unwrap();
    json!({"signature": base64::engine::general_purpose::STANDARD.encode(der)})
}

fn detached(document: &[u8], key: &SigningKey, der: &[u8]) -> Value {
    use base64::Engine as _;
    json!({"signature": base64::engine::general_purpose::STANDARD.encode(sign(document, key, der))})
}

async fn order(app: &TestApp, token: &str, id: Uuid) -> Order {
    let resp = app.get(&format!("/api/v1/orders/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// The version is still waiting for the engineer, with no signature, and
/// its order still in `contract_signing`.
async fn nothing_signed(app: &TestApp, token: &str, version: &Contract) {
    let now = contract(app, token, version.id).await;
    assert_eq!(
        (now.status.as_str(), now.signatures.len()),
        ("awaiting_engineer", 0)
    );
    assert_eq!(now.updated_at, version.updated_at);
    assert_eq!(
        order(app, token, version.order_id).await.status.as_str(),
        "contract_signing"
    );
}

/// A signature by a revoked certificate is refused with its report —
/// also when it claims a signing time before the revocation (the claim is
/// the signer's word; the platform receives the signature now) — and so
/// is one by an expired certificate. Nothing is stored, nothing moves.
async fn revoked_and_expired_certificates_sign_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let id = order_in_signing(&app, &anna, &petr).await;
    let op = operator(&app, "operator@example.ru").await;
    let (key, cert, der) = certificate(&app, &petr, &op, 0x42).await;
    let resp = make(&app, &petr.token, id, &json!({"terms": terms()})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let version: Contract = resp.json().await.unwrap();
    // As stored (PostgreSQL keeps microseconds).
    let version = contract(&app, &petr.token, version.id).await;
    let pdf = document(&app, &petr.token, version.id).await;

    // Signed while the certificate was good, sent after its revocation.
    let signing_time = now(&app);
    let before_revocation = signed_at(&pdf, &key, &cert, signing_time);
    app.clock.advance(std::time::Duration::from_secs(60));
    let resp = app
        .post(
            &format!("/api/v1/certificates/{}/revoke", cert.id),
            &json!({"reason": "key_compromise"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert!(cert.not_before <= signing_time);
    for (what, signature) in [
        ("without a signing time", detached(&pdf, &key, &der)),
        ("claiming a time before the revocation", before_revocation),
    ] {
        let resp = sign_as(&app, &petr.token, version.id, &signature).await;
        assert_eq!(resp.status(), 422, "{what}");
        let p = problem(resp, 422, "signature_refused").await;
        let report = p.report.expect("the validation report");
        assert_eq!(report.indication, Indication::TotalFailed, "{report:?}");
        assert_eq!(report.sub_indication, Some(SubIndication::Revoked));
        nothing_signed(&app, &anna.token, &version).await;
    }

    // Another certificate, a year and a day later: expired.
    let (key, cert, der) = certificate(&app, &petr, &op, 0x43).await;
    let signed_in_time = signed_at(&pdf, &key, &cert, now(&app));
    app.clock
        .advance(std::time::Duration::from_secs(366 * 24 * 3600));
    assert!(now(&app) > cert.not_after);
    let tokens = app.login("petr@example.ru", PASSWORD).await;
    let petr_token = as_role(&app, &tokens.access_token, Role::Engineer).await;
    let anna_token = app.login("anna@example.ru", PASSWORD).await.access_token;
    for (what, signature) in [
        ("without a signing time", detached(&pdf, &key, &der)),
        ("claiming a time it was valid", signed_in_time),
    ] {
        let resp = sign_as(&app, &petr_token, version.id, &signature).await;
        assert_eq!(resp.status(), 422, "{what}");
        let p = problem(resp, 422, "signature_refused").await;
        let report = p.report.expect("the validation report");
        assert_ne!(report.indication, Indication::TotalPassed, "{report:?}");
        assert_eq!(
            report.sub_indication,
            Some(SubIndication::OutOfBoundsNoPoe),
            "{report:?}"
        );
        nothing_signed(&app, &anna_token, &version).await;
    }
}

on_both_backends!(revoked_and_expired_certificates_sign_nothing);
