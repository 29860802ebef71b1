//! The certification authority (docs/certificates.md): apply → submit → an operator
//! approves → the owner sends a CSR made here (p256 + x509-cert) with the
//! SMS code → the certificate chains to `GET /pki/ca.pem` and a CMS signed
//! with its key validates → revocation puts it on `GET /pki/crl` and the
//! signature fails; roles, 404s, illegal transitions, bad CSRs and codes,
//! renewal, expiry and reminders.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use der::asn1::SetOfVec;
use der::{Any, Decode, Encode, EncodePem, Tag};
use mezha_api_types::Role;
use mezha_api_types::certificates::{Certificate, CertificateApplication, CertificateList};
use mezha_api_types::me::AccessTokenResponse;
use mezha_api_types::orders::FileInfo;
use mezha_api_types::signatures::{Indication, SubIndication};
use p256::ecdsa::{DerSignature, SigningKey};
use serde_json::{Value, json};
use sha2::Digest;
use std::str::FromStr;
use uuid::Uuid;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
use x509_cert::spki::ObjectIdentifier;

const FULL_NAME: &str = "Иванов Иван Иванович";
const SNILS: &str = "11223344595";
const INN: &str = "500100732259";
const PHONE: &str = "+79123456789";

fn rdn(oid: &str, tag: Tag, value: &str) -> RelativeDistinguishedName {
    let atv = AttributeTypeAndValue {
        oid: ObjectIdentifier::from_str(oid).unwrap(),
        value: Any::new(tag, value.as_bytes()).unwrap(),
    };
    RelativeDistinguishedName(SetOfVec::try_from(vec![atv]).unwrap())
}

/// A PKCS#10 request as `openssl req -utf8 -subj "/CN=…/SNILS=…/INN=…"` makes.
pub(crate) fn csr(key: &SigningKey, cn: &str, snils: &str, inn: Option<&str>) -> String {
    let mut rdns = vec![
        rdn("2.5.4.6", Tag::PrintableString, "RU"),
        rdn("2.5.4.3", Tag::Utf8String, cn),
        rdn("1.2.643.100.3", Tag::NumericString, snils),
    ];
    if let Some(inn) = inn {
        rdns.push(rdn("1.2.643.3.131.1.1", Tag::NumericString, inn));
    }
    let req = RequestBuilder::new(RdnSequence(rdns), key)
        .unwrap()
        .build::<DerSignature>()
        .unwrap();
    req.to_pem(der::pem::LineEnding::LF).unwrap()
}

async fn as_role(app: &TestApp, token: &str, role: Role) -> String {
    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": role}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "switching to {role}");
    resp.json::<AccessTokenResponse>()
        .await
        .unwrap()
        .access_token
}

pub(crate) async fn operator(app: &TestApp, email: &str) -> String {
    app.user(email).await;
    let out = app.staff(email, "operator password 1", "ca_operator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tokens = app.login(email, "operator password 1").await;
    as_role(app, &tokens.access_token, Role::CaOperator).await
}

/// A PDF uploaded by `token` (`POST /files`), its id.
pub(crate) async fn upload_pdf(app: &TestApp, token: &str, name: &str) -> Uuid {
    upload(app, token, name).await
}

async fn upload(app: &TestApp, token: &str, name: &str) -> Uuid {
    let info: FileInfo = app
        .client
        .post(app.url(&format!("/api/v1/files?name={name}")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body("%PDF-1.7 scan")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    info.id
}

async fn patch(app: &TestApp, token: &str, id: Uuid, body: &Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/certificate-applications/{id}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn act(app: &TestApp, token: &str, id: Uuid, verb: &str, body: &Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/certificate-applications/{id}/{verb}"),
        body,
        Some(token),
    )
    .await
}

fn owner_data() -> Value {
    owner_data_with(SNILS)
}

/// [`owner_data`] of a person with another SNILS.
fn owner_data_with(snils: &str) -> Value {
    json!({
        "full_name": FULL_NAME,
        "snils": snils,
        "inn": INN,
        "phone": PHONE,
        "passport_series": "4508",
        "passport_number": "123456",
        "passport_issued_by": "ОВД района Арбат г. Москвы",
        "passport_issued_on": "2010-05-04",
        "purpose": "Подписание договоров и актов на платформе",
    })
}

/// A draft with the owner's data (no scans yet).
async fn draft(app: &TestApp, token: &str) -> CertificateApplication {
    draft_with(app, token, &owner_data()).await
}

async fn draft_with(app: &TestApp, token: &str, data: &Value) -> CertificateApplication {
    let resp = app
        .post("/api/v1/certificate-applications", data, Some(token))
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// A draft with its scans, submitted.
async fn submitted(app: &TestApp, token: &str) -> CertificateApplication {
    submitted_with(app, token, &owner_data()).await
}

async fn submitted_with(app: &TestApp, token: &str, data: &Value) -> CertificateApplication {
    let app_ = draft_with(app, token, data).await;
    let scans = json!({
        "passport_scan_id": upload(app, token, "passport.pdf").await,
        "snils_scan_id": upload(app, token, "snils.pdf").await,
        "form_scan_id": upload(app, token, "form.pdf").await,
    });
    assert_eq!(patch(app, token, app_.id, &scans).await.status(), 200);
    let resp = act(app, token, app_.id, "submit", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// A customer with a submitted application that an operator approved.
pub(crate) async fn approved(
    app: &TestApp,
    email: &str,
) -> (String, CertificateApplication, String) {
    let owner = app.user(email).await;
    let token = owner.tokens.access_token;
    let application = submitted(app, &token).await;
    let op = operator(app, &format!("op-{email}")).await;
    let resp = act(app, &op, application.id, "approve", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let application: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(application.status.as_str(), "approved");
    (token, application, op)
}

/// Another application of the owner of `token`, submitted and approved by
/// the operator `op`.
pub(crate) async fn approved_again(app: &TestApp, token: &str, op: &str) -> CertificateApplication {
    let application = submitted(app, token).await;
    let resp = act(app, op, application.id, "approve", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

pub(crate) async fn issue(app: &TestApp, token: &str, id: Uuid, key: &SigningKey) -> Certificate {
    issue_with_snils(app, token, id, key, SNILS).await
}

/// A certificate of `key` for a person with this SNILS (digits), issued
/// by operator `op` to the owner of `token`: what a client of an
/// organisation's base signs with (his certificate names his SNILS).
pub(crate) async fn certificate_of(
    app: &TestApp,
    token: &str,
    op: &str,
    key: &SigningKey,
    snils: &str,
) -> Certificate {
    let application = submitted_with(app, token, &owner_data_with(snils)).await;
    let resp = act(app, op, application.id, "approve", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    issue_with_snils(app, token, application.id, key, snils).await
}

async fn issue_with_snils(
    app: &TestApp,
    token: &str,
    id: Uuid,
    key: &SigningKey,
    snils: &str,
) -> Certificate {
    let resp = act(app, token, id, "issue-code", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let code = app.sms_code(PHONE).await;
    let body = json!({"consent": true, "csr": csr(key, FULL_NAME, snils, Some(INN)), "code": code});
    let resp = act(app, token, id, "issue", &body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// The SMS code for issuing `id` (asked for here) and a CSR of a fresh key
/// pair: the body of `POST .../issue`, and another body with the same code
/// and a CSR of another key pair.
pub(crate) async fn issue_bodies(app: &TestApp, token: &str, id: Uuid) -> (Value, Value) {
    let resp = act(app, token, id, "issue-code", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let code = app.sms_code(PHONE).await;
    let body = |key: &SigningKey| json!({"consent": true, "csr": csr(key, FULL_NAME, SNILS, Some(INN)), "code": code});
    (
        body(&SigningKey::random(&mut rand::rngs::OsRng)),
        body(&SigningKey::random(&mut rand::rngs::OsRng)),
    )
}

/// Issues twice with the same `Idempotency-Key` and a fresh key pair:
/// both answers and the body sent.
pub(crate) async fn issue_with_key(
    app: &TestApp,
    token: &str,
    id: Uuid,
    idempotency_key: &str,
) -> (reqwest::Response, reqwest::Response, Value) {
    let (body, _) = issue_bodies(app, token, id).await;
    let send = || {
        app.client
            .post(app.url(&format!("/api/v1/certificate-applications/{id}/issue")))
            .bearer_auth(token)
            .header("Idempotency-Key", idempotency_key)
            .json(&body)
            .send()
    };
    let first = send().await.unwrap();
    let again = send().await.unwrap();
    (first, again, body)
}

/// A detached CMS over `document` by `key`, carrying `cert`.
pub(crate) fn sign(document: &[u8], key: &SigningKey, cert_der: &[u8]) -> Vec<u8> {
    use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
    use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
    use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
    let cert = x509_cert::Certificate::from_der(cert_der).unwrap();
    let content = EncapsulatedContentInfo {
        econtent_type: ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1"),
        econtent: None,
    };
    let digest = sha2::Sha256::digest(document).to_vec();
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let sha256 = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
        parameters: None,
    };
    let signer = SignerInfoBuilder::new(key, sid, sha256.clone(), &content, Some(&digest)).unwrap();
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256)
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(cert))
        .unwrap()
        .add_signer_info::<SigningKey, DerSignature>(signer)
        .unwrap();
    builder.build().unwrap().to_der().unwrap()
}

/// The trust of an integrator: the chain from `/pki/ca.pem` and the CRL.
async fn trust(app: &TestApp) -> (mezha_signatures::TrustStore, Vec<u8>) {
    let resp = app.get("/api/v1/pki/ca.pem", None).await;
    assert_eq!(resp.status(), 200);
    let chain = resp.text().await.unwrap();
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2);
    let resp = app.get("/api/v1/pki/crl", None).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/pkix-crl"
    );
    let crl = resp.bytes().await.unwrap().to_vec();
    let mut store = mezha_signatures::TrustStore::new();
    assert_eq!(store.add_certificates(chain.as_bytes()).unwrap(), (1, 1));
    store.add_crl(&crl).unwrap();
    (store, crl)
}

fn crl_serials(crl: &[u8]) -> Vec<String> {
    let crl = x509_cert::crl::CertificateList::from_der(crl).unwrap();
    crl.tbs_cert_list
        .revoked_certificates
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.serial_number
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect()
}

async fn whole_story(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user("owner@example.ru").await;
    let token = owner.tokens.access_token.clone();

    // A draft, pre-filled with the profile's e-mail; the form prints.
    let application = draft(&app, &token).await;
    assert_eq!(application.status.as_str(), "draft");
    assert_eq!(application.email.as_deref(), Some("owner@example.ru"));
    assert_eq!(application.snils.as_deref(), Some(SNILS));
    let actions: Vec<&str> = application
        .allowed_actions
        .iter()
        .map(|a| a.as_str())
        .collect();
    assert_eq!(actions, ["edit", "submit"]);
    let resp = app
        .get(
            &format!(
                "/api/v1/certificate-applications/{}/form.pdf",
                application.id
            ),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 10_000, "with the font embedded");

    // Another customer sees nothing of it.
    let stranger = app.user("stranger@example.ru").await;
    let path = format!("/api/v1/certificate-applications/{}", application.id);
    problem(
        app.get(&path, Some(&stranger.tokens.access_token)).await,
        404,
        "not_found",
    )
    .await;
    problem(
        patch(
            &app,
            &stranger.tokens.access_token,
            application.id,
            &json!({"purpose": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Scans, submit; the owner cannot approve his own.
    let scans = json!({
        "passport_scan_id": upload(&app, &token, "passport.pdf").await,
        "snils_scan_id": upload(&app, &token, "snils.pdf").await,
        "form_scan_id": upload(&app, &token, "form.pdf").await,
    });
    assert_eq!(
        patch(&app, &token, application.id, &scans).await.status(),
        200
    );
    let resp = act(&app, &token, application.id, "submit", &json!({})).await;
    assert_eq!(resp.status(), 200);
    problem(
        act(&app, &token, application.id, "approve", &json!({})).await,
        403,
        "forbidden",
    )
    .await;

    // The operator's queue has it; he approves.
    let op = operator(&app, "operator@example.ru").await;
    let resp = app
        .get(
            "/api/v1/certificate-applications?status=submitted",
            Some(&op),
        )
        .await;
    let queue: Value = resp.json().await.unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        queue["items"][0]["allowed_actions"],
        json!(["approve", "reject"])
    );
    let resp = act(&app, &op, application.id, "approve", &json!({})).await;
    assert_eq!(resp.status(), 200);

    // The owner issues with a CSR made here and the SMS code.
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let cert = issue(&app, &token, application.id, &key).await;
    assert_eq!(cert.status.as_str(), "valid");
    assert!(cert.subject.contains(FULL_NAME), "{}", cert.subject);
    assert!(cert.subject.contains(&format!("SNILS={SNILS}")));
    let days = (cert.not_after - cert.not_before).num_days();
    assert!((364..=366).contains(&days), "one year: {days}");
    let resp = app.get(&path, Some(&token)).await;
    let issued: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(issued.status.as_str(), "issued");
    assert_eq!(issued.certificate_id, Some(cert.id));

    // Downloads: PEM and DER are the same certificate.
    let cert_path = format!("/api/v1/certificates/{}", cert.id);
    let der = app
        .get(&format!("{cert_path}?format=der"), Some(&token))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let x509 = x509_cert::Certificate::from_der(&der).unwrap();
    assert_eq!(x509.to_pem(der::pem::LineEnding::LF).unwrap(), cert.pem);
    let pem = app
        .get(&format!("{cert_path}?format=pem"), Some(&token))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(pem, cert.pem);
    let dp = x509
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id.to_string() == "2.5.29.31")
        .expect("CRL distribution point");
    assert!(
        String::from_utf8_lossy(dp.extn_value.as_bytes()).contains("/api/v1/pki/crl"),
        "CRL DP"
    );
    problem(
        app.get(&cert_path, Some(&stranger.tokens.access_token))
            .await,
        404,
        "not_found",
    )
    .await;
    let mine: CertificateList = app
        .get("/api/v1/certificates", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 1);
    let theirs: CertificateList = app
        .get("/api/v1/certificates", Some(&stranger.tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs.items.is_empty());
    let all: CertificateList = app
        .get("/api/v1/certificates", Some(&op))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.items.len(), 1);

    // A signature with the new key validates against the published chain.
    let document = b"contract no. 1";
    let signature = sign(document, &key, &der);
    let (store, crl) = trust(&app).await;
    assert!(crl_serials(&crl).is_empty());
    let report = store.validate(document, &signature, &Default::default());
    assert_eq!(report.indication, Indication::TotalPassed, "{report:?}");

    // Revoke: the CRL lists it, and the signature no longer validates.
    let revoke = |token: String| {
        let app = &app;
        let path = format!("{cert_path}/revoke");
        async move {
            app.post(
                &path,
                &json!({"reason": "key_compromise", "comment": "lost the token"}),
                Some(&token),
            )
            .await
        }
    };
    problem(
        revoke(stranger.tokens.access_token.clone()).await,
        404,
        "not_found",
    )
    .await;
    let resp = revoke(token.clone()).await;
    assert_eq!(resp.status(), 200);
    let revoked: Certificate = resp.json().await.unwrap();
    assert_eq!(revoked.status.as_str(), "revoked");
    assert_eq!(
        revoked.revocation_reason.map(|r| r.as_str()),
        Some("key_compromise")
    );
    let (store, crl) = trust(&app).await;
    assert_eq!(crl_serials(&crl), vec![cert.serial.clone()]);
    let report = store.validate(document, &signature, &Default::default());
    assert_ne!(report.indication, Indication::TotalPassed);
    assert_eq!(
        report.sub_indication,
        Some(SubIndication::Revoked),
        "{report:?}"
    );
    let p = problem(revoke(op.clone()).await, 409, "illegal_transition").await;
    assert_eq!(p.current_status.as_deref(), Some("revoked"));
    let resp = app.get(&path, Some(&token)).await;
    let app_now: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(app_now.status.as_str(), "revoked");
    problem(
        app.post(&format!("{cert_path}/renew"), &json!({}), Some(&token))
            .await,
        409,
        "illegal_transition",
    )
    .await;
}

async fn illegal_transitions_and_roles(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user("owner@example.ru").await;
    let token = owner.tokens.access_token.clone();
    let op = operator(&app, "operator@example.ru").await;

    // Staff do not apply; bad data is named per field.
    problem(
        app.post("/api/v1/certificate-applications", &owner_data(), Some(&op))
            .await,
        403,
        "forbidden",
    )
    .await;
    let p = problem(
        app.post(
            "/api/v1/certificate-applications",
            &json!({"snils": "112-233-445 96", "inn": "7707083893", "passport_series": "45"}),
            Some(&token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("snils")[0].code, "snils_checksum");
    assert_eq!(p.field("inn")[0].code, "inn_not_personal");
    assert_eq!(p.field("passport_series")[0].code, "passport_series_format");

    // A retried create with the same Idempotency-Key replays the first answer.
    let create = || {
        app.client
            .post(app.url("/api/v1/certificate-applications"))
            .bearer_auth(&token)
            .header("idempotency-key", "apply-once")
            .json(&owner_data())
            .send()
    };
    let first: CertificateApplication = create().await.unwrap().json().await.unwrap();
    let again = create().await.unwrap();
    assert_eq!(again.status(), 201);
    let again: CertificateApplication = again.json().await.unwrap();
    assert_eq!(again.id, first.id);

    // An incomplete draft cannot be submitted; the operator cannot act on it.
    let application = draft(&app, &token).await;
    let p = problem(
        act(&app, &token, application.id, "submit", &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("form_scan_id")[0].code, "required");
    let p = problem(
        act(&app, &op, application.id, "approve", &json!({})).await,
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(p.current_status.as_deref(), Some("draft"));
    assert_eq!(p.allowed_actions, Some(vec![]));
    let p = problem(
        act(&app, &token, application.id, "issue-code", &json!({})).await,
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        p.allowed_actions,
        Some(vec!["edit".to_owned(), "submit".to_owned()])
    );
    problem(
        patch(&app, &op, application.id, &json!({"purpose": "x"})).await,
        403,
        "forbidden",
    )
    .await;

    // Rejected with reasons, edited, submitted again, approved.
    let application = submitted(&app, &token).await;
    problem(
        act(&app, &op, application.id, "reject", &json!({"reasons": []})).await,
        422,
        "validation_failed",
    )
    .await;
    let resp = act(
        &app,
        &op,
        application.id,
        "reject",
        &json!({"reasons": ["Скан паспорта нечитаем"]}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let rejected: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(rejected.status.as_str(), "rejected");
    assert_eq!(rejected.reject_reasons, vec!["Скан паспорта нечитаем"]);
    problem(
        act(&app, &op, application.id, "approve", &json!({})).await,
        409,
        "illegal_transition",
    )
    .await;
    // A stale If-Match is refused.
    let resp = app
        .client
        .patch(app.url(&format!(
            "/api/v1/certificate-applications/{}",
            application.id
        )))
        .bearer_auth(&token)
        .header("if-match", "\"v1\"")
        .json(&json!({"passport_scan_id": upload(&app, &token, "p2.pdf").await}))
        .send()
        .await
        .unwrap();
    problem(resp, 412, "precondition_failed").await;
    let resp = patch(
        &app,
        &token,
        application.id,
        &json!({"passport_scan_id": upload(&app, &token, "p2.pdf").await}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        act(&app, &token, application.id, "submit", &json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(
        act(&app, &op, application.id, "approve", &json!({}))
            .await
            .status(),
        200
    );
    problem(
        patch(&app, &token, application.id, &json!({"purpose": "x"})).await,
        409,
        "illegal_transition",
    )
    .await;
    // The operator may not issue for the owner.
    problem(
        act(&app, &op, application.id, "issue-code", &json!({})).await,
        403,
        "forbidden",
    )
    .await;
}

async fn bad_csrs_and_codes(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, application, _) = approved(&app, "owner@example.ru").await;
    let id = application.id;
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let good = csr(&key, FULL_NAME, SNILS, Some(INN));

    // No code requested yet.
    let body = |csr: &str, code: &str| json!({"consent": true, "csr": csr, "code": code});
    problem(
        act(&app, &token, id, "issue", &body(&good, "123456")).await,
        401,
        "otp_expired",
    )
    .await;
    assert_eq!(
        act(&app, &token, id, "issue-code", &json!({}))
            .await
            .status(),
        200
    );
    problem(
        act(&app, &token, id, "issue-code", &json!({})).await,
        429,
        "otp_resend_too_early",
    )
    .await;
    let code = app.sms_code(PHONE).await;

    // No consent; a CSR that is not one; a forged signature; another person.
    let p = problem(
        act(
            &app,
            &token,
            id,
            "issue",
            &json!({"consent": false, "csr": good, "code": code}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("consent")[0].code, "required");
    problem(
        act(&app, &token, id, "issue", &body("not a csr", &code)).await,
        422,
        "invalid_csr",
    )
    .await;
    let (_, mut der) = der::pem::decode_vec(good.as_bytes()).unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let forged =
        der::pem::encode_string("CERTIFICATE REQUEST", der::pem::LineEnding::LF, &der).unwrap();
    problem(
        act(&app, &token, id, "issue", &body(&forged, &code)).await,
        422,
        "invalid_csr",
    )
    .await;
    let p = problem(
        act(
            &app,
            &token,
            id,
            "issue",
            &body(&csr(&key, "Петров Пётр Петрович", SNILS, None), &code),
        )
        .await,
        422,
        "csr_subject_mismatch",
    )
    .await;
    assert_eq!(p.field("full_name")[0].code, "csr_subject_mismatch");
    let p = problem(
        act(
            &app,
            &token,
            id,
            "issue",
            &body(&csr(&key, FULL_NAME, SNILS, Some("7707083893")), &code),
        )
        .await,
        422,
        "csr_subject_mismatch",
    )
    .await;
    assert_eq!(p.field("inn")[0].code, "csr_subject_mismatch");

    // A wrong code, then the right one after it expired.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    problem(
        act(&app, &token, id, "issue", &body(&good, wrong)).await,
        401,
        "invalid_otp",
    )
    .await;
    app.clock.advance(std::time::Duration::from_secs(301));
    problem(
        act(&app, &token, id, "issue", &body(&good, &code)).await,
        401,
        "otp_expired",
    )
    .await;
    // Still approved: a new code issues (base64 DER is accepted too).
    assert_eq!(
        act(&app, &token, id, "issue-code", &json!({}))
            .await
            .status(),
        200
    );
    let code = app.sms_code(PHONE).await;
    use base64::Engine as _;
    let (_, der) = der::pem::decode_vec(good.as_bytes()).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let resp = act(&app, &token, id, "issue", &body(&b64, &code)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    // Issued once: the code is used and the status moved on.
    problem(
        act(&app, &token, id, "issue", &body(&good, &code)).await,
        409,
        "illegal_transition",
    )
    .await;
}

async fn renewal_expiry_and_reminders(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, application, op) = approved(&app, "owner@example.ru").await;
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let cert = issue(&app, &token, application.id, &key).await;

    // Renewal: a new draft with the same data, from a valid certificate;
    // a retry with the same Idempotency-Key answers the same draft.
    let renew = || {
        app.client
            .post(app.url(&format!("/api/v1/certificates/{}/renew", cert.id)))
            .bearer_auth(&token)
            .header("idempotency-key", "renew-1")
            .send()
    };
    let resp = renew().await.unwrap();
    assert_eq!(resp.status(), 201);
    let renewal: CertificateApplication = resp.json().await.unwrap();
    let again = renew().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.json::<CertificateApplication>().await.unwrap().id,
        renewal.id
    );
    assert_eq!(renewal.status.as_str(), "draft");
    assert_eq!(renewal.renewal_of, Some(cert.id));
    assert_eq!(renewal.full_name.as_deref(), Some(FULL_NAME));
    assert_eq!(renewal.form_scan_id, None);
    problem(
        app.post(
            &format!("/api/v1/certificates/{}/renew", cert.id),
            &json!({}),
            Some(&op),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Reminders: 30 days ahead once, 7 days ahead once.
    // Each is a `certificate_expiring` notification; the worker mails it.
    let db = app.db().await;
    let send = |days_left: i64| {
        let db = db.clone();
        let at = cert.not_after - chrono::Duration::days(days_left);
        async move {
            mezha_app::certificates::reminders::send_due(&db, at)
                .await
                .unwrap()
        }
    };
    assert_eq!(send(45).await, 0, "too early");
    assert_eq!(send(29).await, 1, "30 days ahead");
    assert_eq!(send(28).await, 0, "once");
    assert_eq!(send(6).await, 1, "7 days ahead");
    assert_eq!(send(5).await, 0, "once");
    let reminders = app
        .wait_for_mails("owner@example.ru", 2, |m| {
            m.subject.as_deref().unwrap_or("").contains("истекает")
        })
        .await;
    assert_eq!(reminders.len(), 2);
    assert!(reminders[0].body.contains(&cert.serial));

    // After not_after the certificate and its application show expired.
    app.clock
        .advance(std::time::Duration::from_secs(366 * 24 * 3600));
    let token = app
        .login("owner@example.ru", "correct horse battery")
        .await
        .access_token;
    let now: Certificate = app
        .get(&format!("/api/v1/certificates/{}", cert.id), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now.status.as_str(), "expired");
    let app_now: CertificateApplication = app
        .get(
            &format!("/api/v1/certificate-applications/{}", application.id),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app_now.status.as_str(), "expired");
    assert!(app_now.allowed_actions.is_empty());
    problem(
        app.post(
            &format!("/api/v1/certificates/{}/renew", cert.id),
            &json!({}),
            Some(&token),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;
}

/// Login by certificate (docs/accounts.md, "Logging in"): a challenge signed with the key of a
/// certificate the platform issued logs its owner in, once; a wrong or
/// revoked signature, a replayed or unknown challenge do not.
async fn login_by_certificate(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, application, _op) = approved(&app, "signer@example.ru").await;
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let cert = issue(&app, &token, application.id, &key).await;
    let der = app
        .get(
            &format!("/api/v1/certificates/{}?format=der", cert.id),
            Some(&token),
        )
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let b64 = |bytes: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let challenge = || async {
        let resp = app
            .post("/api/v1/auth/cert/challenge", &json!({}), None)
            .await;
        assert_eq!(resp.status(), 201);
        let body: Value = resp.json().await.unwrap();
        body["nonce"].as_str().unwrap().to_owned()
    };
    let verify = |nonce: String, signature: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/cert/verify",
                &json!({"nonce": nonce, "signature": signature}),
                None,
            )
            .await
        }
    };

    // The signed challenge logs the owner in.
    let nonce = challenge().await;
    let signature = b64(&sign(nonce.as_bytes(), &key, &der));
    let resp = verify(nonce.clone(), signature.clone()).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let tokens: Value = resp.json().await.unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let me: Value = app
        .get("/api/v1/me", Some(access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], json!(cert.owner_id));
    // The session says how it started.
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(access))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        sessions["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["method"] == "certificate"),
        "{sessions:#}"
    );

    // A challenge is answered once; an unknown one never.
    problem(verify(nonce, signature).await, 401, "challenge_expired").await;
    problem(
        verify("bm90LWEtY2hhbGxlbmdl".into(), b64(&sign(b"x", &key, &der))).await,
        401,
        "challenge_expired",
    )
    .await;
    // A signature of something else is not accepted, and it uses the challenge up.
    let nonce = challenge().await;
    let wrong = b64(&sign(b"another text", &key, &der));
    let p = problem(
        verify(nonce.clone(), wrong).await,
        401,
        "certificate_not_accepted",
    )
    .await;
    assert!(format!("{p:?}").contains("HASH_FAILURE"), "{p:?}");
    let again = b64(&sign(nonce.as_bytes(), &key, &der));
    problem(verify(nonce, again).await, 401, "challenge_expired").await;
    // Not a signature at all.
    let nonce = challenge().await;
    problem(
        verify(nonce, "%%% not base64".into()).await,
        422,
        "validation_failed",
    )
    .await;

    // Once revoked, the certificate no longer logs in.
    let resp = app
        .post(
            &format!("/api/v1/certificates/{}/revoke", cert.id),
            &json!({"reason": "key_compromise"}),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let nonce = challenge().await;
    let signature = b64(&sign(nonce.as_bytes(), &key, &der));
    let p = problem(
        verify(nonce, signature).await,
        401,
        "certificate_not_accepted",
    )
    .await;
    assert!(format!("{p:?}").contains("REVOKED"), "{p:?}");
}

/// What the web app does (frontend/src/crypto): the request and the
/// detached signature built by `mezha-cms-build` around WebCrypto-style
/// `r ‖ s` signatures. The platform issues a certificate for the request and
/// `POST /signatures/validate` passes the signature; over a changed document
/// it is `HASH_FAILURE`.
async fn browser_built_request_and_signature(backend: Backend) {
    use p256::ecdsa::Signature;
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::EncodePublicKey;
    let app = spawn_app(backend).await;
    let (token, application, _op) = approved(&app, "browser@example.ru").await;
    let key = SigningKey::from_slice(&[0x42; 32]).unwrap();
    let raw = |data: &[u8]| -> Vec<u8> {
        let sig: Signature = key.sign(data);
        sig.to_bytes().to_vec()
    };

    let spki = key.verifying_key().to_public_key_der().unwrap();
    let subject = mezha_cms_build::Subject {
        full_name: FULL_NAME,
        snils: SNILS,
        inn: Some(INN),
    };
    let info = mezha_cms_build::request_info(&subject, spki.as_bytes()).unwrap();
    let tbs = mezha_cms_build::request_to_be_signed(&info).unwrap();
    let csr = mezha_cms_build::request_pem(info, &raw(&tbs)).unwrap();
    let resp = act(&app, &token, application.id, "issue-code", &json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let code = app.sms_code(PHONE).await;
    let body = json!({"consent": true, "csr": csr, "code": code});
    let resp = act(&app, &token, application.id, "issue", &body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let cert: Certificate = resp.json().await.unwrap();

    let sign = |document: &[u8]| {
        let digest = sha2::Sha256::digest(document).to_vec();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let attrs = mezha_cms_build::signed_attributes(&digest, now).unwrap();
        let tbs = mezha_cms_build::to_be_signed(&attrs).unwrap();
        let parsed = mezha_cms_build::certificate(&cert.pem).unwrap();
        mezha_cms_build::signed_data(parsed, attrs, &raw(&tbs)).unwrap()
    };
    let validate = |document: &'static [u8], signature: Vec<u8>| {
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new()
                .part("document", reqwest::multipart::Part::bytes(document))
                .part("signature", reqwest::multipart::Part::bytes(signature));
            let resp = app
                .client
                .post(app.url("/api/v1/signatures/validate"))
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            resp.json::<mezha_api_types::signatures::ValidationReport>()
                .await
                .unwrap()
        }
    };
    let document: &'static [u8] = "Договор подряда № 17, цена 25 000 руб.".as_bytes();
    let signature = sign(document);
    let report = validate(document, signature.clone()).await;
    assert_eq!(report.indication, Indication::TotalPassed, "{report:?}");
    let signer = report.signer.unwrap();
    assert_eq!(signer.common_name.as_deref(), Some(FULL_NAME));
    assert_eq!(signer.snils.as_deref(), Some(SNILS));
    assert_eq!(
        signer.serial_number.trim_start_matches('0'),
        cert.serial.trim_start_matches('0')
    );

    let changed: &'static [u8] = "Договор подряда № 17, цена 95 000 руб.".as_bytes();
    let report = validate(changed, signature).await;
    assert_eq!(report.indication, Indication::TotalFailed);
    assert_eq!(report.sub_indication, Some(SubIndication::HashFailure));
}

/// One answer names every bad field of an application: the body's bounds
/// (a name too long), the owner's rules (SNILS check digits) and the scans
/// (a file the caller did not upload); nothing is kept.
async fn every_bad_field_of_an_application_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user("owner@example.ru").await;
    let token = owner.tokens.access_token;
    let other = app.user("other@example.ru").await;
    let theirs = upload(&app, &other.tokens.access_token, "passport.pdf").await;
    let body = json!({
        "full_name": "Я".repeat(201),
        "snils": "112-233-445 96",
        "passport_scan_id": theirs,
    });
    let p = problem(
        app.post("/api/v1/certificate-applications", &body, Some(&token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("full_name").is_empty(), "{p:?}");
    assert_eq!(p.field("snils")[0].code, "snils_checksum");
    assert_eq!(p.field("passport_scan_id")[0].code, "unknown_file");
    let mine: Value = app
        .get("/api/v1/certificate-applications", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]), "nothing kept");
}

on_both_backends!(
    every_bad_field_of_an_application_at_once,
    login_by_certificate,
    browser_built_request_and_signature,
    whole_story,
    illegal_transitions_and_roles,
    bad_csrs_and_codes,
    renewal_expiry_and_reminders,
);

/// `POST /signatures/validate` on `app`.
async fn validate_on(
    app: &TestApp,
    document: &'static [u8],
    signature: Vec<u8>,
) -> mezha_api_types::signatures::ValidationReport {
    let form = reqwest::multipart::Form::new()
        .part("document", reqwest::multipart::Part::bytes(document))
        .part("signature", reqwest::multipart::Part::bytes(signature));
    let resp = app
        .client
        .post(app.url("/api/v1/signatures/validate"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// A revocation on one replica counts on the others at once: each
/// validation first installs the newest CRL the platform published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_reaches_every_replica() {
    let a = spawn_app(Backend::Services).await;
    let b = a.replica().await;
    let (token, application, _op) = approved(&a, "replica@example.ru").await;
    let key = SigningKey::from_slice(&[0x24; 32]).unwrap();
    let cert = issue(&a, &token, application.id, &key).await;
    let der = a
        .get(
            &format!("/api/v1/certificates/{}?format=der", cert.id),
            Some(&token),
        )
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let document: &'static [u8] = b"contract signed before the revocation";
    let signature = sign(document, &key, &der);
    let report = validate_on(&b, document, signature.clone()).await;
    assert_eq!(report.indication, Indication::TotalPassed, "{report:?}");

    let resp = a
        .post(
            &format!("/api/v1/certificates/{}/revoke", cert.id),
            &json!({"reason": "key_compromise"}),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    let report = validate_on(&b, document, signature).await;
    assert_eq!(report.indication, Indication::TotalFailed, "{report:?}");
    assert_eq!(report.sub_indication, Some(SubIndication::Revoked));
}
