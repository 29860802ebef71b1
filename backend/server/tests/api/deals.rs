//! Deals (docs/deals.md) through HTTP on both back-ends: an employee of a
//! confirmed organisation collects a deal's data — the object, two clients
//! of the base as seller and buyer, PDF documents within the limits — and
//! each participant's signature of each document; forms the statements,
//! after which nothing of the deal changes; the statements are signed by
//! each applicant and the employee and the deal is ready. Signatures of
//! other bytes or by another person's certificate are refused with their
//! report and change nothing; other employees see only what their rights
//! show; a copy starts a new draft.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::customer;
use crate::organisations::employee;
use base64::Engine as _;
use mezha_api_types::deals::{Deal, DealHistory, DealList};
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};
use uuid::Uuid;

const MIB: usize = 1024 * 1024;
/// The seller's and the buyer's SNILS (valid check digits).
const SELLER_SNILS: &str = "112-233-445 95";
const BUYER_SNILS: &str = "123-456-789 64";
/// The SNILS on the certificate of the employee of [`signed_draft`] and
/// [`unsigned_draft`], named by his power of attorney.
pub(crate) const EMPLOYEE_SNILS: &str = "112-233-445 95";

/// A key and the certificate the platform CA issued for it.
pub(crate) struct Key {
    key: SigningKey,
    cert: Vec<u8>,
}

impl Key {
    /// The body of a signature of `document` with this key.
    pub(crate) fn signs(&self, document: &[u8], participant: Option<Uuid>) -> Value {
        let der = crate::certificates::sign(document, &self.key, &self.cert);
        json!({
            "participant_id": participant,
            "signature": base64::engine::general_purpose::STANDARD.encode(der),
        })
    }
}

/// A certificate for a person with `snils`, applied for by the account of
/// `email` (a client has no account; someone applies for him).
async fn key_of(app: &TestApp, op: &str, email: &str, seed: u8, snils: &str) -> Key {
    let person = customer(app, email).await;
    let key = SigningKey::from_slice(&[seed; 32]).unwrap();
    let digits: String = snils.chars().filter(char::is_ascii_digit).collect();
    let cert = crate::certificates::certificate_of(app, &person.token, op, &key, &digits).await;
    Key {
        key,
        cert: pem_to_der(&cert.pem),
    }
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    use der::{DecodePem, Encode};
    x509_cert::Certificate::from_pem(pem.as_bytes())
        .unwrap()
        .to_der()
        .unwrap()
}

/// A PDF of exactly `len` bytes (a header and padding: a PDF by its
/// content, which is all the limits look at).
fn pdf(len: usize, fill: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.resize(len, fill);
    bytes
}

async fn deal(app: &TestApp, token: &str, id: Uuid) -> Deal {
    let resp = app.get(&format!("/api/v1/deals/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn ok(resp: reqwest::Response, status: u16) -> Deal {
    let code = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn upload(
    app: &TestApp,
    token: &str,
    id: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/deals/{id}/documents?name={name}")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn sign(
    app: &TestApp,
    token: &str,
    id: Uuid,
    document: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/deals/{id}/documents/{document}/signatures"),
        body,
        Some(token),
    )
    .await
}

async fn client(app: &TestApp, admin: &str, name: &str, snils: &str) -> Uuid {
    let resp = app
        .post(
            "/api/v1/clients",
            &json!({"full_name": name, "snils": snils, "birth_date": "1980-04-12"}),
            Some(admin),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Legal entities with valid INN and OGRN, for tests that need several
/// confirmed organisations at once.
const ENTITIES: [(&str, &str); 6] = [
    ("7736207543", "1027700229193"),
    ("7708004767", "1027700035769"),
    ("7740000076", "1027700149124"),
    ("7706107510", "1027700043502"),
    ("7728168971", "1027700067328"),
    ("7705123452", "1027700123450"),
];

/// The `n`-th of [`ENTITIES`] as a confirmed agency: its admin's token
/// (who holds every right) and its id.
pub(crate) async fn agency(app: &TestApp, n: usize) -> (String, Uuid) {
    let agency = agency_with_head(app, n).await;
    (agency.admin, agency.org)
}

/// A confirmed agency with what its head needs to sign for it.
pub(crate) struct Agency {
    /// The head's token as the organisation's admin.
    pub admin: String,
    pub org: Uuid,
    pub inn: &'static str,
    pub ogrn: &'static str,
    /// The head's key and certificate (the platform CA's).
    pub head: crate::contracts::Signer,
}

/// The `n`-th of [`ENTITIES`] as a confirmed agency, with its head.
pub(crate) async fn agency_with_head(app: &TestApp, n: usize) -> Agency {
    let (inn, ogrn) = ENTITIES[n];
    let op = crate::certificates::operator(app, &format!("agency-op-{n}@example.ru")).await;
    let head = customer(app, &format!("agency-head-{n}@example.ru")).await;
    let mut requisites = crate::organisations::requisites();
    requisites["inn"] = json!(inn);
    requisites["ogrn"] = json!(ogrn);
    requisites["short_name"] = json!(format!("ООО «Агентство {n}»"));
    let (org, admin, head) =
        crate::organisations::confirmed_with_key(app, &head, &op, &requisites).await;
    Agency {
        admin,
        org: org.id,
        inn,
        ogrn,
        head,
    }
}

async fn ok_json(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn codes(deal: &Deal) -> Vec<&'static str> {
    deal.checklist.iter().map(|c| c.code.as_str()).collect()
}

fn actions(deal: &Deal) -> Vec<&'static str> {
    deal.allowed_actions.iter().map(|a| a.as_str()).collect()
}

/// What must not change when a step is refused.
fn unchanged(before: &Deal, after: &Deal) {
    assert_eq!(before.version, after.version);
    assert_eq!(before.status, after.status);
    assert_eq!(before.documents.len(), after.documents.len());
    assert_eq!(before.participants, after.participants);
    let sigs = |d: &Deal| {
        d.documents
            .iter()
            .map(|x| x.signatures.len())
            .sum::<usize>()
    };
    assert_eq!(sigs(before), sigs(after));
}

async fn a_deal_is_collected_signed_frozen_and_ready(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-deals@example.com").await;
    let head = customer(&app, "head-deals@example.com").await;
    let requisites = crate::organisations::requisites();
    let (org, admin, head_key) =
        crate::organisations::confirmed_with_key(&app, &head, &op, &requisites).await;
    let rights = ["create_deals", "sign_on_behalf", "send_to_registry"];
    let (_, ivan) = employee(&app, org.id, &admin, "ivan@example.com", &rights).await;
    // The head empowers Ivan to sign for the organisation (his МЧД).
    let agency = Agency {
        admin: admin.clone(),
        org: org.id,
        inn: "7707083893",
        ogrn: "1027700132195",
        head: head_key,
    };
    let spec = crate::powers_of_attorney::sample(
        &agency,
        EMPLOYEE_SNILS,
        &crate::powers_of_attorney::ALL_POWERS,
    );
    crate::powers_of_attorney::issued(&app, &agency, &spec).await;
    let (_, olga) = employee(&app, org.id, &admin, "olga@example.com", &["create_deals"]).await;
    let (_, clerk) = employee(
        &app,
        org.id,
        &admin,
        "clerk@example.com",
        &["see_all_deals"],
    )
    .await;
    // Ivan's own certificate (he signs the statements as the filer).
    let ivan_login = app.login("ivan@example.com", "correct horse battery").await;
    let ivan_key = {
        let key = SigningKey::from_slice(&[31; 32]).unwrap();
        let cert = crate::certificates::certificate_of(
            &app,
            &ivan_login.access_token,
            &op,
            &key,
            &EMPLOYEE_SNILS.replace(['-', ' '], ""),
        )
        .await;
        Key {
            key,
            cert: pem_to_der(&cert.pem),
        }
    };
    let seller_key = key_of(&app, &op, "seller-key@example.com", 32, SELLER_SNILS).await;
    let buyer_key = key_of(&app, &op, "buyer-key@example.com", 33, BUYER_SNILS).await;
    let seller = client(&app, &admin, "Петров Пётр Петрович", SELLER_SNILS).await;
    let buyer = client(&app, &admin, "Смирнова Анна Сергеевна", BUYER_SNILS).await;

    // A draft with what is known; the checklist says what is missing.
    let resp = app
        .post(
            "/api/v1/deals",
            &json!({"title": "Купля-продажа квартиры", "object": {"cadastral_number": "77:01:0004012:1234"}}),
            Some(&ivan),
        )
        .await;
    let draft = ok(resp, 201).await;
    let id = draft.id;
    assert_eq!(draft.status.as_str(), "draft");
    assert_eq!(draft.number, 1);
    assert_eq!(
        codes(&draft),
        ["object_incomplete", "no_participants", "no_documents"]
    );
    assert!(!actions(&draft).contains(&"form_statements"));
    assert!(actions(&draft).contains(&"upload_document"));

    // The object, saved field by field; a bad value names its field.
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/deals/{id}")))
        .bearer_auth(&ivan)
        .json(&json!({"object": {"cadastral_number": "77:01", "area": "0"}}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422, "validation_failed").await;
    let errors = p.errors.unwrap_or_default();
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["object.area", "object.cadastral_number"]);
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/deals/{id}")))
        .bearer_auth(&ivan)
        .header("If-Match", format!("\"v{}\"", draft.version))
        .json(&json!({"object": {"address": "г. Москва, ул. Тверская, д. 1, кв. 5", "object_type": "premises", "area": "54,30"}}))
        .send()
        .await
        .unwrap();
    let d = ok(resp, 200).await;
    assert_eq!(d.object.area.as_deref(), Some("54.3"));
    assert_eq!(
        d.object.cadastral_number.as_deref(),
        Some("77:01:0004012:1234")
    );
    assert_eq!(codes(&d), ["no_participants", "no_documents"]);
    // A stale If-Match changes nothing.
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/deals/{id}")))
        .bearer_auth(&ivan)
        .header("If-Match", format!("\"v{}\"", draft.version))
        .json(&json!({"title": "Другое"}))
        .send()
        .await
        .unwrap();
    problem(resp, 412, "precondition_failed").await;

    // Participants from the base; a client of nobody's base is refused.
    let path = format!("/api/v1/deals/{id}/participants");
    let resp = app
        .post(
            &path,
            &json!({"client_id": Uuid::now_v7(), "role": "buyer"}),
            Some(&ivan),
        )
        .await;
    problem(resp, 422, "validation_failed").await;
    let resp = app
        .post(
            &path,
            &json!({"client_id": seller, "role": "seller"}),
            Some(&ivan),
        )
        .await;
    ok(resp, 201).await;
    let resp = app
        .post(
            &path,
            &json!({"client_id": buyer, "role": "buyer", "share": "2/3"}),
            Some(&ivan),
        )
        .await;
    let d = ok(resp, 201).await;
    assert_eq!(codes(&d), ["shares_not_whole", "no_documents"]);
    let buyer_part = d.participants[1].id;
    let seller_part = d.participants[0].id;
    assert_eq!(d.participants[0].name, "Петров Пётр Петрович");
    let resp = app
        .client
        .put(app.url(&format!("{path}/{buyer_part}")))
        .bearer_auth(&ivan)
        .json(&json!({"client_id": buyer, "role": "buyer", "share": "3/3"}))
        .send()
        .await
        .unwrap();
    let d = ok(resp, 200).await;
    assert_eq!(d.participants[1].share.as_deref(), Some("1/1"));
    assert_eq!(codes(&d), ["no_documents"]);

    // Documents: a PDF by its content, 20 MiB each, 50 MiB a deal — the
    // upload that would cross a limit is cut off and leaves nothing.
    let before = deal(&app, &ivan, id).await;
    let resp = upload(
        &app,
        &ivan,
        id,
        "contract.pdf",
        b"PK\x03\x04 not a pdf".to_vec(),
    )
    .await;
    problem(resp, 415, "unsupported_media_type").await;
    let resp = upload(&app, &ivan, id, "big.pdf", pdf(20 * MIB + 1, b'a')).await;
    problem(resp, 413, "payload_too_large").await;
    unchanged(&before, &deal(&app, &ivan, id).await);
    // Sent without a length, it is cut off while it streams.
    let chunks = futures_util::stream::iter(
        pdf(20 * MIB + 1, b'a')
            .chunks(MIB)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/deals/{id}/documents?name=big.pdf")))
        .bearer_auth(&ivan)
        .header("content-type", "application/pdf")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    problem(resp, 413, "payload_too_large").await;
    unchanged(&before, &deal(&app, &ivan, id).await);
    let contract = pdf(40_000, b'c');
    ok(
        upload(&app, &ivan, id, "contract.pdf", contract.clone()).await,
        201,
    )
    .await;
    let big1 = ok(
        upload(&app, &ivan, id, "annex-1.pdf", pdf(20 * MIB, b'1')).await,
        201,
    )
    .await;
    let big2 = ok(
        upload(&app, &ivan, id, "annex-2.pdf", pdf(20 * MIB, b'2')).await,
        201,
    )
    .await;
    let rest = 50 * MIB - 40 * MIB - contract.len();
    let before = deal(&app, &ivan, id).await;
    let resp = upload(&app, &ivan, id, "annex-3.pdf", pdf(rest + 1, b'3')).await;
    problem(resp, 413, "payload_too_large").await;
    unchanged(&before, &deal(&app, &ivan, id).await);
    let full = ok(
        upload(&app, &ivan, id, "annex-3.pdf", pdf(rest, b'3')).await,
        201,
    )
    .await;
    assert_eq!(full.documents_bytes as usize, 50 * MIB);
    let resp = upload(&app, &ivan, id, "one-more.pdf", pdf(100, b'4')).await;
    problem(resp, 413, "payload_too_large").await;
    // Removing documents gives their bytes back.
    let mut d = full;
    for big in [&big1, &big2, &d.clone()] {
        let doc = big.documents.last().unwrap().id;
        let resp = app
            .client
            .delete(app.url(&format!("/api/v1/deals/{id}/documents/{doc}")))
            .bearer_auth(&ivan)
            .send()
            .await
            .unwrap();
        d = ok(resp, 200).await;
    }
    assert_eq!(d.documents.len(), 1);
    assert_eq!(d.documents_bytes as usize, contract.len());
    let contract_doc = d.documents[0].id;
    assert_eq!(
        d.documents[0].signers,
        [Some(seller_part), Some(buyer_part)]
    );
    assert_eq!(codes(&d), ["signature_missing", "signature_missing"]);

    // Signatures: each participant's own certificate over the exact bytes.
    let before = d.clone();
    let resp = sign(
        &app,
        &ivan,
        id,
        contract_doc,
        &seller_key.signs(b"other bytes", Some(seller_part)),
    )
    .await;
    let p = problem(resp, 422, "signature_refused").await;
    assert!(p.report.is_some());
    let resp = sign(
        &app,
        &ivan,
        id,
        contract_doc,
        &seller_key.signs(&contract, Some(buyer_part)),
    )
    .await;
    let p = problem(resp, 422, "signer_not_party").await;
    assert_eq!(p.report.unwrap().indication.as_str(), "TOTAL_PASSED");
    unchanged(&before, &deal(&app, &ivan, id).await);
    let d = ok(
        sign(
            &app,
            &ivan,
            id,
            contract_doc,
            &seller_key.signs(&contract, Some(seller_part)),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(d.documents[0].signatures.len(), 1);
    let resp = sign(
        &app,
        &ivan,
        id,
        contract_doc,
        &seller_key.signs(&contract, Some(seller_part)),
    )
    .await;
    problem(resp, 409, "conflict").await;
    let d = ok(
        sign(
            &app,
            &ivan,
            id,
            contract_doc,
            &buyer_key.signs(&contract, Some(buyer_part)),
        )
        .await,
        200,
    )
    .await;
    assert!(d.checklist.is_empty());
    assert!(actions(&d).contains(&"form_statements"));

    // Olga (her own deals only) and another organisation see nothing of it;
    // a clerk who sees all deals reads it but may not change it.
    problem(
        app.get(&format!("/api/v1/deals/{id}"), Some(&olga)).await,
        404,
        "not_found",
    )
    .await;
    let olgas: DealList = app
        .get("/api/v1/deals", Some(&olga))
        .await
        .json()
        .await
        .unwrap();
    assert!(olgas.items.is_empty());
    let seen = deal(&app, &clerk, id).await;
    assert!(actions(&seen).is_empty());
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/form-statements"),
            &json!({}),
            Some(&clerk),
        )
        .await;
    problem(resp, 403, "forbidden").await;
    let other_head = customer(&app, "other-head@example.com").await;
    let (_, other_admin) =
        crate::organisations::confirmed_with(&app, &other_head, &op, &crate::organisations::bank())
            .await;
    problem(
        app.get(&format!("/api/v1/deals/{id}"), Some(&other_admin))
            .await,
        404,
        "not_found",
    )
    .await;
    let all: DealList = app
        .get("/api/v1/deals", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.items.len(), 1);

    // The statements: one per applicant; the deal freezes.
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/form-statements"),
            &json!({}),
            Some(&ivan),
        )
        .await;
    let d = ok(resp, 200).await;
    assert_eq!(d.status.as_str(), "statements");
    let statements: Vec<_> = d
        .documents
        .iter()
        .filter(|x| x.kind.as_str() == "statement")
        .collect();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0].signers, [Some(seller_part), None]);
    assert_eq!(statements[1].signers, [Some(buyer_part), None]);
    assert_eq!(actions(&d), ["sign", "copy"]);

    // Nothing of a frozen deal changes: every mutating endpoint is 409.
    let frozen = d.clone();
    let attempts = [
        app.client
            .patch(app.url(&format!("/api/v1/deals/{id}")))
            .bearer_auth(&ivan)
            .json(&json!({"title": "x"}))
            .send()
            .await
            .unwrap(),
        app.post(
            &path,
            &json!({"client_id": seller, "role": "donor"}),
            Some(&ivan),
        )
        .await,
        app.client
            .put(app.url(&format!("{path}/{buyer_part}")))
            .bearer_auth(&ivan)
            .json(&json!({"client_id": buyer, "role": "buyer"}))
            .send()
            .await
            .unwrap(),
        app.client
            .delete(app.url(&format!("{path}/{buyer_part}")))
            .bearer_auth(&ivan)
            .send()
            .await
            .unwrap(),
        upload(&app, &ivan, id, "late.pdf", pdf(100, b'5')).await,
        app.client
            .delete(app.url(&format!("/api/v1/deals/{id}/documents/{contract_doc}")))
            .bearer_auth(&ivan)
            .send()
            .await
            .unwrap(),
        app.client
            .delete(app.url(&format!("/api/v1/deals/{id}")))
            .bearer_auth(&ivan)
            .send()
            .await
            .unwrap(),
        app.post(
            &format!("/api/v1/deals/{id}/form-statements"),
            &json!({}),
            Some(&ivan),
        )
        .await,
        sign(
            &app,
            &ivan,
            id,
            contract_doc,
            &seller_key.signs(&contract, Some(seller_part)),
        )
        .await,
    ];
    for (i, resp) in attempts.into_iter().enumerate() {
        let p = problem(resp, 409, "illegal_transition").await;
        assert_eq!(
            p.current_status.as_deref(),
            Some("statements"),
            "attempt {i}"
        );
        assert_eq!(
            p.allowed_actions.unwrap_or_default(),
            ["sign", "copy"],
            "attempt {i}"
        );
    }
    unchanged(&frozen, &deal(&app, &ivan, id).await);

    // Each statement: its applicant and the employee; the last one makes
    // the deal ready.
    let bytes = |doc: Uuid| {
        let app = &app;
        let ivan = &ivan;
        async move {
            let resp = app
                .get(
                    &format!("/api/v1/deals/{id}/documents/{doc}/file"),
                    Some(ivan),
                )
                .await;
            assert_eq!(resp.status(), 200);
            resp.bytes().await.unwrap().to_vec()
        }
    };
    let (s1, s2) = (statements[0].id, statements[1].id);
    let (b1, b2) = (bytes(s1).await, bytes(s2).await);
    assert!(b1.starts_with(b"%PDF-"));
    let resp = sign(&app, &ivan, id, s1, &buyer_key.signs(&b1, Some(buyer_part))).await;
    problem(resp, 422, "validation_failed").await;
    ok(
        sign(
            &app,
            &ivan,
            id,
            s1,
            &seller_key.signs(&b1, Some(seller_part)),
        )
        .await,
        200,
    )
    .await;
    let resp = sign(&app, &ivan, id, s1, &seller_key.signs(&b1, None)).await;
    problem(resp, 422, "signer_not_party").await;
    ok(
        sign(&app, &ivan, id, s1, &ivan_key.signs(&b1, None)).await,
        200,
    )
    .await;
    ok(
        sign(&app, &ivan, id, s2, &buyer_key.signs(&b2, Some(buyer_part))).await,
        200,
    )
    .await;
    let d = ok(
        sign(&app, &ivan, id, s2, &ivan_key.signs(&b2, None)).await,
        200,
    )
    .await;
    assert_eq!(d.status.as_str(), "ready");
    assert!(d.checklist.is_empty());
    assert_eq!(actions(&d), ["send", "copy"]);
    // Olga may not send; she does not see it at all.
    problem(
        app.post(&format!("/api/v1/deals/{id}/copy"), &json!({}), Some(&olga))
            .await,
        404,
        "not_found",
    )
    .await;

    // The history tells it all, oldest first.
    let history: DealHistory = app
        .get(
            &format!("/api/v1/deals/{id}/history?limit=100"),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<&str> = history.items.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(steps.first(), Some(&"create"));
    assert_eq!(steps.iter().filter(|s| **s == "sign").count(), 6);
    assert_eq!(steps.last(), Some(&"statements_signed"));

    // A copy starts a new draft with the data, without statements or
    // signatures.
    let resp = app
        .post(&format!("/api/v1/deals/{id}/copy"), &json!({}), Some(&ivan))
        .await;
    let copy = ok(resp, 201).await;
    assert_eq!(copy.status.as_str(), "draft");
    assert_eq!(copy.number, 2);
    assert_eq!(copy.copied_from, Some(id));
    assert_eq!(copy.participants.len(), 2);
    assert_eq!(copy.documents.len(), 1);
    assert_eq!(copy.documents[0].file.sha256, d.documents[0].file.sha256);
    assert_eq!(codes(&copy), ["signature_missing", "signature_missing"]);
    assert_eq!(deal(&app, &ivan, id).await.status.as_str(), "ready");
}

on_both_backends!(a_deal_is_collected_signed_frozen_and_ready);

/// Fields saved at once (the web app saves each field as it is left): a
/// save answered 200 is never undone by another; one that met another's
/// change is refused with 409 `conflict` and may be sent again.
async fn fields_saved_at_once_all_land_or_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, org) = agency(&app, 0).await;
    let resp = app
        .post(
            "/api/v1/deals",
            &json!({"organisation_id": org, "title": "Дарение квартиры"}),
            Some(&admin),
        )
        .await;
    let id = ok(resp, 201).await.id;
    let fields = [
        ("cadastral_number", "77:01:0004012:1234"),
        ("address", "г. Москва, ул. Тверская, д. 7, кв. 12"),
        ("object_type", "premises"),
        ("area", "54.3"),
    ];
    let save = |field: &'static str, value: &'static str| {
        let request = app
            .client
            .patch(app.url(&format!("/api/v1/deals/{id}")))
            .bearer_auth(&admin)
            .json(&json!({ "object": { field: value } }));
        async move { (field, request.send().await.unwrap()) }
    };
    for _round in 0..3 {
        let answers = futures_util::future::join_all(fields.iter().map(|(f, v)| save(f, v))).await;
        let mut landed = Vec::new();
        for (field, resp) in answers {
            match resp.status().as_u16() {
                200 => landed.push(field),
                409 => {
                    problem(resp, 409, "conflict").await;
                }
                other => panic!("{field}: {other} {}", resp.text().await.unwrap()),
            }
        }
        assert!(!landed.is_empty(), "one of the saves wins");
        let now = deal(&app, &admin, id).await;
        let o = serde_json::to_value(&now.object).unwrap();
        for field in landed {
            let want = fields.iter().find(|(f, _)| *f == field).unwrap().1;
            assert_eq!(o[field], want, "the saved {field} stays: {o}");
        }
        // Everything sent again, one by one, lands.
        for (f, v) in fields {
            assert_eq!(save(f, v).await.1.status(), 200);
        }
        let now = deal(&app, &admin, id).await;
        assert!(
            now.checklist
                .iter()
                .all(|c| c.code.as_str() != "object_incomplete")
        );
        // Cleared for the next round.
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/deals/{id}")))
            .bearer_auth(&admin)
            .json(&json!({"object": {"cadastral_number": "", "address": "", "area": ""}}))
            .send()
            .await
            .unwrap();
        ok(resp, 200).await;
    }
}
on_both_backends!(fields_saved_at_once_all_land_or_are_refused);

/// The statements count to the deal's 50 MiB: forming them over documents
/// that leave no room for them is refused (413) and changes nothing; with
/// one document smaller, they form.
async fn statements_that_would_cross_the_deal_limit_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (doc_max, deal_max) = (20 * MIB, 50 * MIB);
    // Documents 10 KiB short of the deal's limit; two statements take more.
    let draft = signed_draft(
        &app,
        0,
        &[doc_max, doc_max, deal_max - 2 * doc_max - 10 * 1024],
    )
    .await;
    let (employee, id) = (&draft.employee, draft.deal);
    let before = deal(&app, employee, id).await;
    assert!(before.checklist.is_empty(), "{:?}", before.checklist);
    let (form_path, empty) = (format!("/api/v1/deals/{id}/form-statements"), json!({}));
    let form = || app.post(&form_path, &empty, Some(employee));
    let p = problem(form().await, 413, "payload_too_large").await;
    let detail = p.detail.unwrap_or_default();
    assert!(detail.contains("52428800"), "{detail}");
    let after = deal(&app, employee, id).await;
    unchanged(&before, &after);
    assert_eq!(after.status.as_str(), "draft");
    // The last document removed and a small one signed in its place: formed.
    let last = before.documents[2].id;
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/deals/{id}/documents/{last}")))
        .bearer_auth(employee)
        .send()
        .await
        .unwrap();
    ok(resp, 200).await;
    let small = pdf(30_000, b'z');
    let d = ok(
        upload(&app, employee, id, "act.pdf", small.clone()).await,
        201,
    )
    .await;
    let doc = d
        .documents
        .iter()
        .find(|x| x.file.size == 30_000)
        .unwrap()
        .id;
    let donee = d.participants[1].id;
    ok(
        sign(
            &app,
            employee,
            id,
            doc,
            &draft.donor_key.signs(&small, Some(draft.donor)),
        )
        .await,
        200,
    )
    .await;
    ok(
        sign(
            &app,
            employee,
            id,
            doc,
            &draft.own.signs(&small, Some(donee)),
        )
        .await,
        200,
    )
    .await;
    let formed = ok(form().await, 200).await;
    assert_eq!(formed.status.as_str(), "statements");
    assert!(formed.documents_bytes <= deal_max as i64);
}
on_both_backends!(statements_that_would_cross_the_deal_limit_are_refused);

/// A deal made ready by the shortest path, in the `n`-th agency of
/// [`ENTITIES`]: its admin's token, the employee's (every deal right) and
/// the deal's id.
pub(crate) struct Ready {
    pub admin: String,
    pub employee: String,
    pub deal: Uuid,
}

pub(crate) async fn ready_deal(app: &TestApp, n: usize) -> Ready {
    let draft = signed_draft(app, n, &[30_000]).await;
    let (employee, id) = (&draft.employee, draft.deal);
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/form-statements"),
            &json!({}),
            Some(employee),
        )
        .await;
    let d = ok(resp, 200).await;
    for statement in d
        .documents
        .iter()
        .filter(|x| x.kind.as_str() == "statement")
    {
        let bytes = app
            .get(
                &format!("/api/v1/deals/{id}/documents/{}/file", statement.id),
                Some(employee),
            )
            .await
            .bytes()
            .await
            .unwrap();
        for signer in &statement.signers {
            let key = if *signer == Some(draft.donor) {
                &draft.donor_key
            } else {
                &draft.own
            };
            ok(
                sign(app, employee, id, statement.id, &key.signs(&bytes, *signer)).await,
                200,
            )
            .await;
        }
    }
    let d = deal(app, employee, id).await;
    assert_eq!(d.status.as_str(), "ready", "{:?}", d.checklist);
    Ready {
        admin: draft.admin,
        employee: draft.employee,
        deal: id,
    }
}

/// A draft whose checklist is complete: a donor from the base and the
/// organisation as donee, one document of each of `sizes` bytes signed by
/// both — the organisation by the employee under a power of attorney.
struct SignedDraft {
    admin: String,
    employee: String,
    deal: Uuid,
    donor: Uuid,
    donor_key: Key,
    own: Key,
}

/// A draft with a donor from the base and the organisation as donee, one
/// unsigned document of each of `sizes` bytes; its employee holds no power
/// of attorney yet.
pub(crate) struct Draft {
    pub agency: Agency,
    pub employee: String,
    pub deal: Uuid,
    pub donor: Uuid,
    pub donor_key: Key,
    /// The organisation's participant (the donee).
    pub org_participant: Uuid,
    /// The employee's own key (SNILS [`EMPLOYEE_SNILS`]).
    pub own: Key,
    /// The documents' ids and bytes, in the order of `sizes`.
    pub documents: Vec<(Uuid, Vec<u8>)>,
}

pub(crate) async fn unsigned_draft(app: &TestApp, n: usize, sizes: &[usize]) -> Draft {
    let agency = agency_with_head(app, n).await;
    let (admin, org) = (agency.admin.clone(), agency.org);
    let op = crate::certificates::operator(app, &format!("ready-op-{n}@example.ru")).await;
    let email = format!("ready-employee-{n}@example.ru");
    let rights = ["create_deals", "sign_on_behalf", "send_to_registry"];
    let (_, employee) = crate::organisations::employee(app, org, &admin, &email, &rights).await;
    let login = app.login(&email, "correct horse battery").await;
    let own = {
        let key = SigningKey::from_slice(&[40 + n as u8; 32]).unwrap();
        let cert = crate::certificates::certificate_of(
            app,
            &login.access_token,
            &op,
            &key,
            &EMPLOYEE_SNILS.replace(['-', ' '], ""),
        )
        .await;
        Key {
            key,
            cert: pem_to_der(&cert.pem),
        }
    };
    let seller_key = key_of(
        app,
        &op,
        &format!("ready-seller-{n}@example.ru"),
        50 + n as u8,
        SELLER_SNILS,
    )
    .await;
    // The donor has an e-mail address: he hears of the registration.
    let resp = app
        .post(
            "/api/v1/clients",
            &json!({"full_name": "Петров Пётр Петрович", "snils": SELLER_SNILS,
                "email": format!("donor-{n}@example.ru")}),
            Some(&admin),
        )
        .await;
    let seller: Uuid = ok_json(resp).await["id"].as_str().unwrap().parse().unwrap();
    let resp = app
        .post(
            "/api/v1/deals",
            &json!({"title": "Дарение квартиры", "object": {
                "cadastral_number": "77:01:0004012:1234", "address": "г. Москва, ул. Тверская, д. 1, кв. 5",
                "object_type": "premises", "area": "54.3"}}),
            Some(&employee),
        )
        .await;
    let id = ok(resp, 201).await.id;
    let path = format!("/api/v1/deals/{id}/participants");
    ok(
        app.post(
            &path,
            &json!({"client_id": seller, "role": "donor"}),
            Some(&employee),
        )
        .await,
        201,
    )
    .await;
    // The organisation itself takes the gift: the employee signs for it.
    let d = ok(
        app.post(&path, &json!({"role": "donee"}), Some(&employee))
            .await,
        201,
    )
    .await;
    let (donor, donee) = (d.participants[0].id, d.participants[1].id);
    let mut documents = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let contract = pdf(*size, b'd' + i as u8);
        let d = ok(
            upload(app, &employee, id, "gift.pdf", contract.clone()).await,
            201,
        )
        .await;
        documents.push((d.documents[i].id, contract));
    }
    Draft {
        agency,
        employee,
        deal: id,
        donor,
        donor_key: seller_key,
        org_participant: donee,
        own,
        documents,
    }
}

async fn signed_draft(app: &TestApp, n: usize, sizes: &[usize]) -> SignedDraft {
    let draft = unsigned_draft(app, n, sizes).await;
    let spec = crate::powers_of_attorney::sample(
        &draft.agency,
        EMPLOYEE_SNILS,
        &crate::powers_of_attorney::ALL_POWERS,
    );
    crate::powers_of_attorney::issued(app, &draft.agency, &spec).await;
    let (employee, id) = (&draft.employee, draft.deal);
    for (doc, contract) in &draft.documents {
        ok(
            sign(
                app,
                employee,
                id,
                *doc,
                &draft.donor_key.signs(contract, Some(draft.donor)),
            )
            .await,
            200,
        )
        .await;
        ok(
            sign(
                app,
                employee,
                id,
                *doc,
                &draft.own.signs(contract, Some(draft.org_participant)),
            )
            .await,
            200,
        )
        .await;
    }
    SignedDraft {
        admin: draft.agency.admin,
        employee: draft.employee,
        deal: id,
        donor: draft.donor,
        donor_key: draft.donor_key,
        own: draft.own,
    }
}
