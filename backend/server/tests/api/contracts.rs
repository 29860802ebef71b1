//! Contracts (docs/contracts.md) through HTTP: the executor makes versions
//! from the template or a PDF/A file, both parties sign the exact bytes
//! with certificates the platform issued them, the customer may decline,
//! an edit of the order voids the open version, and the second signature
//! moves the order to `prepayment`. Every refused step changes nothing.

use crate::certificates::{approved_again, issue, operator, sign};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use base64::Engine as _;
use der::{DecodePem, Encode};
use mezha_api_types::contracts::{Contract, ContractList};
use mezha_api_types::invoices::Invoice;
use mezha_api_types::orders::{Order, OrderResponse};
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};
use sha2::Digest;
use uuid::Uuid;

/// A party's key and the DER of the certificate the platform issued for it.
pub(crate) struct Signer {
    key: SigningKey,
    cert: Vec<u8>,
}

pub(crate) async fn signer(app: &TestApp, party: &Party, op: &str, seed: u8) -> Signer {
    let application = approved_again(app, &party.token, op).await;
    let key = SigningKey::from_slice(&[seed; 32]).unwrap();
    let cert = issue(app, &party.token, application.id, &key).await;
    let cert = x509_cert::Certificate::from_pem(cert.pem.as_bytes())
        .unwrap()
        .to_der()
        .unwrap();
    Signer { key, cert }
}

pub(crate) fn signature_of(document: &[u8], signer: &Signer) -> Value {
    signature_with(document, &signer.key, &signer.cert)
}

/// The body of a detached signature of `document` with `key`, whose
/// certificate is `cert_der`.
pub(crate) fn signature_with(document: &[u8], key: &SigningKey, cert_der: &[u8]) -> Value {
    let der = sign(document, key, cert_der);
    json!({"signature": base64::engine::general_purpose::STANDARD.encode(der)})
}

/// The signature the web app makes (`SignDocument`): the CMS assembled by
/// `mezha-cms-build`, the browser's own code, around a raw ECDSA signature
/// of its signed attributes (WebCrypto's part, made here with the key).
pub(crate) fn browser_signature_of(document: &[u8], signer: &Signer) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    browser_signature_at(document, &signer.key, &signer.cert, now)
}

/// [`browser_signature_of`] with `key` and the certificate `cert_der`,
/// its signingTime claiming `at` (seconds since 1970).
pub(crate) fn browser_signature_at(
    document: &[u8],
    key: &SigningKey,
    cert_der: &[u8],
    at: u64,
) -> Value {
    use der::Decode as _;
    use p256::ecdsa::signature::Signer as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(document).to_vec();
    let attrs = mezha_cms_build::signed_attributes(&digest, at).unwrap();
    let tbs = mezha_cms_build::to_be_signed(&attrs).unwrap();
    let raw: p256::ecdsa::Signature = key.sign(&tbs);
    let cert = x509_cert::Certificate::from_der(cert_der).unwrap();
    let der = mezha_cms_build::signed_data(cert, attrs, &raw.to_bytes()).unwrap();
    json!({"signature": base64::engine::general_purpose::STANDARD.encode(der)})
}

/// An order in `contract_signing` with `executor` chosen.
pub(crate) async fn order_in_signing(app: &TestApp, customer: &Party, executor: &Party) -> Uuid {
    order_in_signing_with(
        app,
        customer,
        executor,
        &complete_order("Межевание участка"),
    )
    .await
}

/// An order made of `body` in `contract_signing` with `executor` chosen.
pub(crate) async fn order_in_signing_with(
    app: &TestApp,
    customer: &Party,
    executor: &Party,
    body: &Value,
) -> Uuid {
    let order = create(app, &customer.token, body).await;
    publish(app, &customer.token, order.id).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{}/responses", order.id),
            &json!({"price": 25000, "deadline_days": 30}),
            Some(&executor.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let response: OrderResponse = resp.json().await.unwrap();
    let resp = app
        .post(
            &format!("/api/v1/responses/{}/select", response.id),
            &json!({}),
            Some(&customer.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    order.id
}

pub(crate) fn terms() -> Value {
    let deadline = (chrono::Utc::now() + chrono::Duration::days(60)).date_naive();
    json!({
        "signatory": "executor",
        "signatory_name": "Кадастров Пётр Сергеевич",
        "acting_on_basis": "квалификационного аттестата № 50-11-123",
        "object_characteristics": "Земельный участок 50:23:0040312:118, 1 200 кв. м",
        "deadline": deadline,
        "price_kopecks": 2_500_000,
        "advance_percent": 30,
        "advance_kopecks": 750_000,
        "remainder_kopecks": 1_750_000,
    })
}

pub(crate) async fn make(
    app: &TestApp,
    token: &str,
    order: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/orders/{order}/contracts"),
        body,
        Some(token),
    )
    .await
}

pub(crate) async fn contract(app: &TestApp, token: &str, id: Uuid) -> Contract {
    let resp = app
        .get(&format!("/api/v1/contracts/{id}"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

pub(crate) async fn document(app: &TestApp, token: &str, id: Uuid) -> Vec<u8> {
    let resp = app
        .get(&format!("/api/v1/contracts/{id}/document"), Some(token))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    resp.bytes().await.unwrap().to_vec()
}

pub(crate) async fn sign_as(
    app: &TestApp,
    token: &str,
    id: Uuid,
    body: &Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/contracts/{id}/signatures"),
        body,
        Some(token),
    )
    .await
}

async fn order(app: &TestApp, token: &str, id: Uuid) -> Order {
    app.get(&format!("/api/v1/orders/{id}"), Some(token))
        .await
        .json()
        .await
        .unwrap()
}

fn actions(contract: &Contract) -> Vec<&'static str> {
    contract
        .allowed_actions
        .iter()
        .map(|a| a.as_str())
        .collect()
}

/// A one-page PDF whose catalogue has XMP metadata, declaring PDF/A-2b
/// when `pdf_a`.
fn pdf_with_xmp(pdf_a: bool) -> Vec<u8> {
    let id = if pdf_a {
        r#" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="2" pdfaid:conformance="B""#
    } else {
        ""
    };
    let xmp = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""{id}/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned(),
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
            xmp.len()
        ),
    ];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

async fn upload_pdf(app: &TestApp, token: &str, bytes: Vec<u8>) -> Uuid {
    crate::storage::upload(app, token, "contract.pdf", bytes)
        .await
        .id
}

/// The whole signing of a contract, with every refusal on the way.
async fn the_contract_story(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let id = order_in_signing(&app, &anna, &petr).await;
    let op = operator(&app, "operator@example.ru").await;
    let anna_signs = signer(&app, &anna, &op, 0x21).await;
    let petr_signs = signer(&app, &petr, &op, 0x42).await;

    // The executor may make a contract; the customer may not.
    assert!(
        order(&app, &petr.token, id)
            .await
            .allowed_actions
            .iter()
            .any(|a| a.as_str() == "create_contract")
    );
    problem(
        make(&app, &anna.token, id, &json!({"terms": terms()})).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        make(&app, &ivan.token, id, &json!({"terms": terms()})).await,
        404,
        "not_found",
    )
    .await;

    // Terms that do not add up: every problem beside its field, nothing made.
    let mut bad = terms();
    bad["remainder_kopecks"] = json!(1_750_001);
    bad["advance_percent"] = json!(0);
    bad["email"] = json!("not-an-email");
    let p = problem(
        make(&app, &petr.token, id, &json!({"terms": bad})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        p.field("remainder_kopecks")[0].code,
        "amounts_do_not_add_up"
    );
    assert_eq!(p.field("advance_percent")[0].code, "advance_required");
    assert_eq!(p.field("email")[0].code, "invalid_email");
    let both = json!({"terms": terms(), "file_id": Uuid::now_v7()});
    problem(
        make(&app, &petr.token, id, &both).await,
        422,
        "validation_failed",
    )
    .await;
    let list: ContractList = app
        .get(&format!("/api/v1/orders/{id}/contracts"), Some(&petr.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(list.items.is_empty());

    // Only a PDF/A file may be uploaded as the contract.
    for (bytes, code) in [
        (b"%PDF-1.7 not really".to_vec(), "not_pdf_a"),
        (pdf_with_xmp(false), "not_pdf_a"),
    ] {
        let file = upload_pdf(&app, &petr.token, bytes).await;
        problem(
            make(&app, &petr.token, id, &json!({"file_id": file})).await,
            422,
            code,
        )
        .await;
    }
    let file = upload_pdf(&app, &petr.token, pdf_with_xmp(true)).await;
    let resp = make(&app, &petr.token, id, &json!({"file_id": file})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let uploaded: Contract = resp.json().await.unwrap();
    assert_eq!((uploaded.number, uploaded.source.as_str()), (1, "upload"));

    // From the template: a new version voids the uploaded one.
    let resp = make(&app, &petr.token, id, &json!({"terms": terms()})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let v2: Contract = resp.json().await.unwrap();
    assert_eq!((v2.number, v2.status.as_str()), (2, "awaiting_engineer"));
    assert_eq!(
        v2.price_in_words.as_deref(),
        Some("двадцать пять тысяч рублей 00 копеек")
    );
    assert_eq!(
        v2.terms.as_ref().unwrap().email.as_deref(),
        Some("petr@example.ru")
    );
    assert_eq!(actions(&v2), ["sign"]);
    assert_eq!(
        contract(&app, &anna.token, uploaded.id)
            .await
            .status
            .as_str(),
        "voided"
    );
    assert!(actions(&contract(&app, &anna.token, v2.id).await).is_empty());
    problem(
        app.get(&format!("/api/v1/contracts/{}", v2.id), Some(&ivan.token))
            .await,
        404,
        "not_found",
    )
    .await;

    // The document is the bytes the SHA-256 names, the same for both.
    let pdf = document(&app, &anna.token, v2.id).await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(hex(&sha2::Sha256::digest(&pdf)), v2.document.sha256);
    assert_eq!(document(&app, &petr.token, v2.id).await, pdf);
    // The same text as DOCX; an uploaded version has none.
    let resp = app
        .get(
            &format!("/api/v1/contracts/{}/document?format=docx", v2.id),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"PK"));
    let docx_of_upload = format!("/api/v1/contracts/{}/document?format=docx", uploaded.id);
    problem(
        app.get(&docx_of_upload, Some(&anna.token)).await,
        404,
        "not_found",
    )
    .await;
    let resp = app
        .get(
            &format!("/api/v1/contracts/{}/document?format=xml", v2.id),
            Some(&anna.token),
        )
        .await;
    problem(resp, 422, "validation_failed").await;

    // The customer cannot sign first; the engineer cannot sign with the
    // customer's certificate, nor sign other bytes. Nothing changes.
    let p = problem(
        sign_as(&app, &anna.token, v2.id, &signature_of(&pdf, &anna_signs)).await,
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(p.current_status.as_deref(), Some("awaiting_engineer"));
    let p = problem(
        sign_as(&app, &petr.token, v2.id, &signature_of(&pdf, &anna_signs)).await,
        422,
        "signer_not_party",
    )
    .await;
    assert_eq!(p.report.unwrap().indication.as_str(), "TOTAL_PASSED");
    let p = problem(
        sign_as(
            &app,
            &petr.token,
            v2.id,
            &signature_of(b"another document", &petr_signs),
        )
        .await,
        422,
        "signature_refused",
    )
    .await;
    assert_eq!(p.report.unwrap().indication.as_str(), "TOTAL_FAILED");
    problem(
        sign_as(
            &app,
            &petr.token,
            v2.id,
            &json!({"signature": "not base64 !"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let unchanged = contract(&app, &petr.token, v2.id).await;
    assert_eq!(
        (unchanged.status.as_str(), unchanged.signatures.len()),
        ("awaiting_engineer", 0)
    );

    // The engineer signs; the customer declines with a reason.
    let resp = sign_as(&app, &petr.token, v2.id, &signature_of(&pdf, &petr_signs)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let signed: Contract = resp.json().await.unwrap();
    assert_eq!(signed.status.as_str(), "awaiting_customer");
    assert_eq!(signed.signatures[0].party.as_str(), "engineer");
    assert_eq!(
        signed.signatures[0].report.indication.as_str(),
        "TOTAL_PASSED"
    );
    problem(
        sign_as(&app, &petr.token, v2.id, &signature_of(&pdf, &petr_signs)).await,
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(
        actions(&contract(&app, &anna.token, v2.id).await),
        ["sign", "decline"]
    );
    let decline = |reason: &str| json!({"reason": reason});
    problem(
        app.post(
            &format!("/api/v1/contracts/{}/decline", v2.id),
            &decline("нет"),
            Some(&petr.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/contracts/{}/decline", v2.id),
            &decline("Срок короче на неделю"),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let declined: Contract = resp.json().await.unwrap();
    assert_eq!(declined.status.as_str(), "declined");
    assert_eq!(
        declined.declined_reason.as_deref(),
        Some("Срок короче на неделю")
    );

    // A new version; the customer's edit of the order voids it.
    let v3: Contract = make(&app, &petr.token, id, &json!({"terms": terms()}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v3.number, 3);
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&anna.token)
        .json(&json!({"description": "Уточнение границ и площади участка."}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        contract(&app, &petr.token, v3.id).await.status.as_str(),
        "voided"
    );
    problem(
        sign_as(&app, &petr.token, v3.id, &signature_of(&pdf, &petr_signs)).await,
        409,
        "illegal_transition",
    )
    .await;

    // Version 4, signed by both: the order moves to prepayment.
    let v4: Contract = make(&app, &petr.token, id, &json!({"terms": terms()}))
        .await
        .json()
        .await
        .unwrap();
    let pdf = document(&app, &petr.token, v4.id).await;
    let resp = sign_as(&app, &petr.token, v4.id, &signature_of(&pdf, &petr_signs)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    // The customer's signature as her browser makes it (mezha-cms-build).
    let resp = sign_as(
        &app,
        &anna.token,
        v4.id,
        &browser_signature_of(&pdf, &anna_signs),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let done: Contract = resp.json().await.unwrap();
    assert_eq!(done.status.as_str(), "signed");
    let parties: Vec<&str> = done.signatures.iter().map(|s| s.party.as_str()).collect();
    assert_eq!(parties, ["engineer", "customer"]);
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "prepayment"
    );

    // Signed: no new version, no second signature, no cancellation.
    problem(
        make(&app, &petr.token, id, &json!({"terms": terms()})).await,
        409,
        "illegal_transition",
    )
    .await;
    problem(
        sign_as(&app, &anna.token, v4.id, &signature_of(&pdf, &anna_signs)).await,
        409,
        "illegal_transition",
    )
    .await;
    problem(
        app.post(
            &format!("/api/v1/orders/{id}/cancel"),
            &json!({}),
            Some(&anna.token),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;
    let list: ContractList = app
        .get(&format!("/api/v1/orders/{id}/contracts"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = list.items.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, ["voided", "declined", "voided", "signed"]);

    let app = &app;
    // The prepayment: the executor's invoice for the contract's advance,
    // the customer's receipt, the executor's confirmation.
    let invoice_body = json!({"link": "https://bank.example.ru/pay/1"});
    let send = |token: &str, body: &Value| {
        let (token, body) = (token.to_owned(), body.clone());
        async move {
            app.post(
                &format!("/api/v1/orders/{id}/invoices"),
                &body,
                Some(&token),
            )
            .await
        }
    };
    problem(send(&anna.token, &invoice_body).await, 403, "forbidden").await;
    let p = problem(
        send(&petr.token, &json!({"link": "ftp://x"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("link")[0].code, "invalid_url");
    let resp = send(&petr.token, &invoice_body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invoice: Invoice = resp.json().await.unwrap();
    assert_eq!(
        (invoice.kind.as_str(), invoice.status.as_str()),
        ("prepayment", "sent")
    );
    assert_eq!(invoice.amount_kopecks, 750_000);
    assert!(invoice.allowed_actions.is_empty());
    problem(send(&petr.token, &invoice_body).await, 409, "conflict").await;
    let act = |verb: &str, token: &str, body: Value| {
        let path = format!("/api/v1/invoices/{}/{verb}", invoice.id);
        let token = token.to_owned();
        async move { app.post(&path, &body, Some(&token)).await }
    };
    problem(
        act("confirm-payment", &petr.token, json!({})).await,
        409,
        "illegal_transition",
    )
    .await;
    problem(
        act(
            "mark-paid",
            &petr.token,
            json!({"receipt_link": "https://x.ru/r"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        act("mark-paid", &anna.token, json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    let resp = act(
        "mark-paid",
        &anna.token,
        json!({"receipt_link": "https://bank.example.ru/receipt/1"}),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let paid: Invoice = resp.json().await.unwrap();
    assert_eq!(paid.status.as_str(), "paid");
    problem(
        act(
            "mark-paid",
            &anna.token,
            json!({"receipt_link": "https://x.ru/r"}),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;
    let resp = act("confirm-payment", &petr.token, json!({})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        resp.json::<Invoice>().await.unwrap().status.as_str(),
        "confirmed"
    );
    let now = order(app, &petr.token, id).await;
    assert_eq!(now.status.as_str(), "in_progress");
    assert_eq!(
        now.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["deliver_results"]
    );
    problem(
        send(&petr.token, &invoice_body).await,
        409,
        "illegal_transition",
    )
    .await;

    // Results: refused without what their way needs; delivered by a link,
    // rejected with reasons, delivered again by a storage UIN, accepted.
    let deliver = |token: &str, body: Value| {
        let token = token.to_owned();
        async move {
            app.post(&format!("/api/v1/orders/{id}/results"), &body, Some(&token))
                .await
        }
    };
    problem(
        deliver(
            &anna.token,
            json!({"method": "link", "link": "https://disk.example.ru/1"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let p = problem(
        deliver(&petr.token, json!({"method": "link", "uin": "77-1"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("link")[0].code, "required");
    assert_eq!(p.field("uin")[0].code, "not_for_method");
    problem(
        app.post(
            &format!("/api/v1/orders/{id}/accept"),
            &json!({}),
            Some(&anna.token),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;
    let resp = deliver(
        &petr.token,
        json!({"method": "link", "link": "https://disk.example.ru/1", "note": "Межевой план"}),
    )
    .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_eq!(
        order(app, &anna.token, id).await.status.as_str(),
        "acceptance"
    );
    let reject = |token: &str, body: Value| {
        let token = token.to_owned();
        async move {
            app.post(
                &format!("/api/v1/orders/{id}/reject-results"),
                &body,
                Some(&token),
            )
            .await
        }
    };
    problem(
        reject(&petr.token, json!({"reasons": "нет"})).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        reject(&anna.token, json!({"reasons": "  "})).await,
        422,
        "validation_failed",
    )
    .await;
    let resp = reject(&anna.token, json!({"reasons": "Нет схемы расположения"})).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        resp.json::<Order>().await.unwrap().status.as_str(),
        "in_progress"
    );
    let history: Value = app
        .get(&format!("/api/v1/orders/{id}/history"), Some(&petr.token))
        .await
        .json()
        .await
        .unwrap();
    let last = history["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].as_str(), last["comment"].as_str()),
        (Some("reject_results"), Some("Нет схемы расположения"))
    );
    let resp = deliver(
        &petr.token,
        json!({"method": "storage_uin", "uin": "77-01-2026-000123"}),
    )
    .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/accept"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    // The engineer registers the works (ГКУ) before the final payment.
    assert_eq!(
        resp.json::<Order>().await.unwrap().status.as_str(),
        "registration"
    );
    let deliveries: Value = app
        .get(&format!("/api/v1/orders/{id}/results"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let methods: Vec<&str> = deliveries["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["link", "storage_uin"]);

    // The act of completed works, signed while the works are registered.
    crate::acts::the_act_story(app, id, (&petr, &petr_signs), (&anna, &anna_signs), &ivan).await;

    // The registration outcome, then the final invoice for the remainder:
    // paid and confirmed, the order is completed (the act is signed).
    let outcome = json!({"method": "link", "link": "https://rosreestr.example.ru/extract/1"});
    problem(
        deliver(&petr.token, outcome.clone()).await,
        409,
        "illegal_transition",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/registration-outcome"),
            &outcome,
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_eq!(
        resp.json::<Value>().await.unwrap()["stage"],
        "registration_outcome"
    );
    assert_eq!(order(app, &anna.token, id).await.status.as_str(), "payment");
    let resp = send(&petr.token, &invoice_body).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let last: Invoice = resp.json().await.unwrap();
    assert_eq!(
        (last.kind.as_str(), last.amount_kopecks),
        ("final", 1_750_000)
    );
    let path = |verb: &str| format!("/api/v1/invoices/{}/{verb}", last.id);
    let resp = app
        .post(
            &path("mark-paid"),
            &json!({"receipt_link": "https://bank.example.ru/receipt/2"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = app
        .post(&path("confirm-payment"), &json!({}), Some(&petr.token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let done = order(app, &anna.token, id).await;
    assert_eq!(done.status.as_str(), "completed");
    assert!(order(app, &petr.token, id).await.allowed_actions.is_empty());

    // Each step told the other party.
    expect_kinds(
        app,
        &anna.token,
        &[
            "contract_sent_for_signature",
            "invoice_sent",
            "results_delivered",
            "act_sent_for_signature",
            "payment_confirmed",
        ],
    )
    .await;
    expect_kinds(
        app,
        &petr.token,
        &[
            "executor_selected",
            "contract_declined",
            "contract_signed",
            "payment_marked",
            "results_rejected",
            "results_accepted",
            "act_declined",
            "act_signed",
        ],
    )
    .await;
    assert_eq!(
        done.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["review"]
    );

    // The evidence: the signed contract and act with both signatures and
    // their reports, the declined versions too, the history to the end.
    let files =
        crate::export::the_export_holds_the_evidence(app, id, &anna.token, &ivan.token).await;
    for dir in ["contracts/v4", "acts/v2"] {
        for party in ["engineer", "customer"] {
            let signature = &files[&format!("{dir}/signature-{party}.p7s")];
            assert_eq!(signature[0], 0x30, "{dir} {party}: DER");
            let report: Value =
                serde_json::from_slice(&files[&format!("{dir}/report-{party}.json")]).unwrap();
            assert_eq!(report["indication"], "TOTAL_PASSED");
        }
    }
    let version: Value = serde_json::from_slice(&files["contracts/v4/version.json"]).unwrap();
    assert_eq!(version["status"], "signed");
    assert_eq!(version["document_sha256"], v4.document.sha256);
    assert!(files.contains_key("contracts/v2/signature-engineer.p7s"));
    assert!(!files.contains_key("contracts/v2/signature-customer.p7s"));
    assert!(files.keys().any(|p| p.starts_with("invoices/final/")));
    let history: Value = serde_json::from_slice(&files["history.json"]).unwrap();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"] == "confirm_payment" && h["to_status"] == "completed"),
        "{history:#}"
    );
}

/// The final invoice of an order without a contract's terms (as after an
/// uploaded contract): the order's price. Confirmed before the act is
/// signed, the order waits in `payment`; the act signed by both completes
/// it.
async fn the_final_payment_completes_the_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let op = operator(&app, "operator@example.ru").await;
    let anna_signs = signer(&app, &anna, &op, 0x21).await;
    let petr_signs = signer(&app, &petr, &op, 0x42).await;
    let id = crate::sro_registry::assigned_order(&app, anna.id, petr.id, "payment", None).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/invoices"),
            &json!({"link": "https://bank.example.ru/pay/2"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invoice: Invoice = resp.json().await.unwrap();
    assert_eq!(
        (invoice.kind.as_str(), invoice.amount_kopecks),
        ("final", 1_000_000)
    );
    assert!(invoice.allowed_actions.is_empty());
    let as_anna: Invoice = app
        .get(
            &format!("/api/v1/invoices/{}", invoice.id),
            Some(&anna.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        as_anna
            .allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["mark_paid"]
    );
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=receipt.pdf"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body("%PDF-1.7 receipt")
        .send()
        .await
        .unwrap();
    let receipt: mezha_api_types::orders::FileInfo = resp.json().await.unwrap();
    let resp = app
        .post(
            &format!("/api/v1/invoices/{}/mark-paid", invoice.id),
            &json!({"receipt_file_id": receipt.id}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        resp.json::<Invoice>()
            .await
            .unwrap()
            .receipt_file
            .unwrap()
            .id,
        receipt.id
    );
    let resp = app
        .post(
            &format!("/api/v1/invoices/{}/confirm-payment", invoice.id),
            &json!({}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let paid = order(&app, &petr.token, id).await;
    assert_eq!(paid.status.as_str(), "payment");
    assert_eq!(
        paid.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["create_act"]
    );
    let act = crate::acts::signed_act(&app, id, (&petr, &petr_signs), (&anna, &anna_signs)).await;
    assert_eq!(act.amount_kopecks, 1_000_000, "the order's price");
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "completed"
    );
    expect_kinds(&app, &petr.token, &["act_signed"]).await;

    // The customer rates the engineer once; the public card shows it.
    let review = |token: &str, body: Value| {
        let token = token.to_owned();
        let app = &app;
        async move {
            app.post(&format!("/api/v1/orders/{id}/review"), &body, Some(&token))
                .await
        }
    };
    problem(
        review(&petr.token, json!({"rating": 5})).await,
        403,
        "forbidden",
    )
    .await;
    let p = problem(
        review(&anna.token, json!({"rating": 6})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("rating").is_empty());
    let resp = review(&anna.token, json!({"rating": 4, "text": "Всё в срок"})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    problem(
        review(&anna.token, json!({"rating": 5})).await,
        409,
        "illegal_transition",
    )
    .await;
    assert!(
        order(&app, &anna.token, id)
            .await
            .allowed_actions
            .is_empty()
    );
    let card: Value = app
        .get(&format!("/api/v1/engineers/{}", petr.id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (card["rating"].as_f64(), card["reviews_count"].as_i64()),
        (Some(4.0), Some(1)),
        "{card}"
    );
    let reviews: Value = app
        .get(&format!("/api/v1/engineers/{}/reviews", petr.id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reviews["items"][0]["text"], "Всё в срок");
}

/// Waits until the in-app notifications of `token` hold each kind of `want`
/// and the bell's counter is the number of unread ones listed.
pub(crate) async fn expect_kinds(app: &TestApp, token: &str, want: &[&str]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let page: Value = app
            .get("/api/v1/notifications?limit=100", Some(token))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        let unread = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["read_at"].is_null())
            .count() as u64;
        let counts: Value = app
            .get("/api/v1/notifications/unread-counts", Some(token))
            .await
            .json()
            .await
            .unwrap();
        let counted = counts["system"].as_u64();
        if want.iter().all(|k| kinds.contains(k)) && counted == Some(unread) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{want:?} not all among {kinds:?}, or the counter {counted:?} is not the {unread} unread"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A suspended order's contract waits: nothing to do, signing refused.
async fn a_suspended_order_s_contract_waits(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let id =
        crate::sro_registry::assigned_order(&app, anna.id, petr.id, "contract_signing", None).await;
    // The order has no prepayment: no advance.
    let mut no_advance = terms();
    no_advance["advance_percent"] = json!(0);
    no_advance["advance_kopecks"] = json!(0);
    no_advance["remainder_kopecks"] = json!(2_500_000);
    let resp = make(&app, &petr.token, id, &json!({"terms": no_advance})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let version: Contract = resp.json().await.unwrap();
    assert_eq!(actions(&version), ["sign"]);
    let db = app.db().await;
    mezha_store::entities::orders::Entity::update_many()
        .col_expr(
            mezha_store::entities::orders::Column::Status,
            Expr::value("suspended"),
        )
        .col_expr(
            mezha_store::entities::orders::Column::SuspendedFrom,
            Expr::value("contract_signing"),
        )
        .filter(mezha_store::entities::orders::Column::Id.eq(id))
        .exec(&db)
        .await
        .unwrap();
    assert!(actions(&contract(&app, &petr.token, version.id).await).is_empty());
    let p = problem(
        sign_as(&app, &petr.token, version.id, &json!({"signature": "MAA="})).await,
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(p.allowed_actions, Some(Vec::new()));
    assert_eq!(
        contract(&app, &anna.token, version.id)
            .await
            .status
            .as_str(),
        "awaiting_engineer"
    );
}

on_both_backends!(
    the_contract_story,
    the_final_payment_completes_the_order,
    a_suspended_order_s_contract_waits
);
