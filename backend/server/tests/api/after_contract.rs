//! Orders after the contract (issue #15) through HTTP, the refusals the
//! stories (contracts.rs, acts.rs) do not walk: signatures by revoked or
//! expired certificates, who may call what (404 for whoever cannot see
//! the order, 403 for a party acting out of his part), nothing changed
//! after the contract is signed and nothing paid before, and results
//! delivered as files.

use crate::certificates::{approved_again, issue, operator};
use crate::contracts::{
    contract, document, make, order_in_signing, sign_as, signature_of, signature_with, terms,
};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{Party, as_role, customer, engineer};
use der::{DecodePem, Encode};
use mezha_api_types::Role;
use mezha_api_types::certificates::Certificate;
use mezha_api_types::contracts::Contract;
use mezha_api_types::orders::{FileInfo, Order};
use mezha_api_types::results::OrderResult;
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

/// A detached CMS over `document` whose signingTime attribute claims `at`
/// (made as the web app makes it).
fn signed_at(
    document: &[u8],
    key: &SigningKey,
    der: &[u8],
    at: chrono::DateTime<chrono::Utc>,
) -> Value {
    crate::contracts::browser_signature_at(document, key, der, at.timestamp() as u64)
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
    let before_revocation = signed_at(&pdf, &key, &der, signing_time);
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
        ("without a signing time", signature_with(&pdf, &key, &der)),
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
    let signed_in_time = signed_at(&pdf, &key, &der, now(&app));
    app.clock
        .advance(std::time::Duration::from_secs(366 * 24 * 3600));
    assert!(now(&app) > cert.not_after);
    let tokens = app.login("petr@example.ru", PASSWORD).await;
    let petr_token = as_role(&app, &tokens.access_token, Role::Engineer).await;
    let anna_token = app.login("anna@example.ru", PASSWORD).await.access_token;
    for (what, signature) in [
        ("without a signing time", signature_with(&pdf, &key, &der)),
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

/// One call of the table: what the order's customer and its executor get
/// (`None`: the call is theirs and its stories test it); whoever cannot
/// see the order gets 404.
struct Call {
    method: reqwest::Method,
    path: String,
    body: Value,
    customer: Option<u16>,
    executor: Option<u16>,
}

fn call(
    method: &str,
    path: String,
    body: Value,
    customer: Option<u16>,
    executor: Option<u16>,
) -> Call {
    Call {
        method: method.parse().unwrap(),
        path,
        body,
        customer,
        executor,
    }
}

async fn send(app: &TestApp, call: &Call, token: &str) -> reqwest::Response {
    let mut req = app
        .client
        .request(call.method.clone(), app.url(&call.path))
        .bearer_auth(token);
    if call.method != reqwest::Method::GET {
        req = req.json(&call.body);
    }
    req.send().await.unwrap()
}

/// What the customer sees of the orders and their documents.
async fn snapshot(app: &TestApp, token: &str, orders: &[Uuid]) -> Vec<Value> {
    let mut all = Vec::new();
    for id in orders {
        for path in ["", "/contracts", "/acts", "/invoices", "/results"] {
            let resp = app
                .get(&format!("/api/v1/orders/{id}{path}"), Some(token))
                .await;
            assert_eq!(resp.status(), 200);
            all.push(resp.json::<Value>().await.unwrap());
        }
    }
    all
}

/// Every endpoint of contracts, acts, invoices, results and reviews
/// (openapi.json) answers 404 to a customer or an engineer who cannot see
/// the order — whatever his acting role, so an id reveals nothing — and
/// 403 to a party taking the other party's step; nothing changes.
async fn who_may_call_what_after_the_contract(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let olga = customer(&app, "olga@example.ru").await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let assigned = |status: &'static str| {
        crate::sro_registry::assigned_order(&app, anna.id, petr.id, status, None)
    };
    // An order in signing with a version, one awaiting payment with an
    // act and an invoice, one awaiting acceptance of its results, one
    // completed.
    let signing = assigned("contract_signing").await;
    let mut no_advance = terms();
    no_advance["advance_percent"] = json!(0);
    no_advance["advance_kopecks"] = json!(0);
    no_advance["remainder_kopecks"] = json!(2_500_000);
    let resp = make(&app, &petr.token, signing, &json!({"terms": no_advance})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let version: Contract = resp.json().await.unwrap();
    let paying = assigned("payment").await;
    let resp = crate::acts::make_act(&app, &petr.token, paying, &json!({})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let act: Value = resp.json().await.unwrap();
    let act = act["id"].as_str().unwrap().to_owned();
    let invoice_body = json!({"link": "https://bank.example.ru/pay/1"});
    let resp = app
        .post(
            &format!("/api/v1/orders/{paying}/invoices"),
            &invoice_body,
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invoice: Value = resp.json().await.unwrap();
    let invoice = invoice["id"].as_str().unwrap().to_owned();
    let accepting = assigned("in_progress").await;
    let delivery = json!({"method": "physical", "note": "Передано лично"});
    let resp = app
        .post(
            &format!("/api/v1/orders/{accepting}/results"),
            &delivery,
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let result: OrderResult = resp.json().await.unwrap();
    let completed = assigned("completed").await;

    let none = json!({});
    let signature = json!({"signature": "MAA="});
    let reason = json!({"reason": "Не согласен"});
    let (ok, forbidden) = (Some(200), Some(403));
    let calls = [
        // Contracts.
        call(
            "GET",
            format!("/api/v1/orders/{signing}/contracts"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{signing}/contracts"),
            json!({"terms": terms()}),
            forbidden,
            None,
        ),
        call(
            "GET",
            format!("/api/v1/contracts/{}", version.id),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "GET",
            format!("/api/v1/contracts/{}/document", version.id),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/contracts/{}/signatures", version.id),
            signature.clone(),
            None,
            None,
        ),
        call(
            "POST",
            format!("/api/v1/contracts/{}/decline", version.id),
            reason.clone(),
            None,
            forbidden,
        ),
        // Acts.
        call(
            "GET",
            format!("/api/v1/orders/{paying}/acts"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{paying}/acts"),
            none.clone(),
            forbidden,
            None,
        ),
        call("GET", format!("/api/v1/acts/{act}"), none.clone(), ok, ok),
        call(
            "GET",
            format!("/api/v1/acts/{act}/document"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/acts/{act}/signatures"),
            signature.clone(),
            None,
            None,
        ),
        call(
            "POST",
            format!("/api/v1/acts/{act}/decline"),
            reason.clone(),
            None,
            forbidden,
        ),
        // Invoices.
        call(
            "GET",
            format!("/api/v1/orders/{paying}/invoices"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{paying}/invoices"),
            invoice_body.clone(),
            forbidden,
            None,
        ),
        call(
            "GET",
            format!("/api/v1/invoices/{invoice}"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/invoices/{invoice}/mark-paid"),
            json!({"receipt_link": "https://bank.example.ru/r/1"}),
            None,
            forbidden,
        ),
        call(
            "POST",
            format!("/api/v1/invoices/{invoice}/confirm-payment"),
            none.clone(),
            forbidden,
            None,
        ),
        // Results.
        call(
            "GET",
            format!("/api/v1/orders/{accepting}/results"),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{accepting}/results"),
            delivery.clone(),
            forbidden,
            None,
        ),
        call(
            "GET",
            format!("/api/v1/results/{}", result.id),
            none.clone(),
            ok,
            ok,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{accepting}/registration-outcome"),
            delivery.clone(),
            forbidden,
            None,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{accepting}/accept"),
            none.clone(),
            None,
            forbidden,
        ),
        call(
            "POST",
            format!("/api/v1/orders/{accepting}/reject-results"),
            json!({"reasons": "Нет схемы"}),
            None,
            forbidden,
        ),
        // Reviews.
        call(
            "POST",
            format!("/api/v1/orders/{completed}/review"),
            json!({"rating": 5}),
            None,
            forbidden,
        ),
    ];
    let orders = [signing, paying, accepting, completed];
    let before = snapshot(&app, &anna.token, &orders).await;
    for call in &calls {
        let callers = [
            ("the customer", &anna.token, call.customer),
            ("the executor", &petr.token, call.executor),
            ("another customer", &olga.token, Some(404)),
            ("another engineer", &ivan.token, Some(404)),
        ];
        for (who, token, want) in callers {
            let Some(want) = want else { continue };
            let resp = send(&app, call, token).await;
            let got = resp.status().as_u16();
            let body = resp.text().await.unwrap();
            assert_eq!(got, want, "{} {} by {who}: {body}", call.method, call.path);
            let code = match want {
                403 => "forbidden",
                404 => "not_found",
                _ => continue,
            };
            let problem: mezha_api_types::Problem = serde_json::from_str(&body).unwrap();
            assert_eq!(
                problem.code.as_str(),
                code,
                "{} {} by {who}",
                call.method,
                call.path
            );
        }
    }
    assert_eq!(
        snapshot(&app, &anna.token, &orders).await,
        before,
        "nothing changed"
    );
}

on_both_backends!(who_may_call_what_after_the_contract);

/// Before both signatures no invoice can be sent (so none can be marked
/// paid); after them the order cannot be edited and no new version can be
/// made: 409, and nothing changes.
async fn nothing_is_paid_before_signing_nor_edited_after(backend: Backend) {
    use crate::contracts::signer;
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let id = order_in_signing(&app, &anna, &petr).await;
    let op = operator(&app, "operator@example.ru").await;
    let anna_signs = signer(&app, &anna, &op, 0x21).await;
    let petr_signs = signer(&app, &petr, &op, 0x42).await;
    let resp = make(&app, &petr.token, id, &json!({"terms": terms()})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let version: Contract = resp.json().await.unwrap();
    let pdf = document(&app, &petr.token, version.id).await;

    let invoices = "/api/v1/orders/{id}/invoices".replace("{id}", &id.to_string());
    let invoice = json!({"link": "https://bank.example.ru/pay/1"});
    let no_invoice = || async {
        let p = problem(
            app.post(&invoices, &invoice, Some(&petr.token)).await,
            409,
            "illegal_transition",
        )
        .await;
        assert_eq!(p.current_status.as_deref(), Some("contract_signing"));
        let list: Value = app
            .get(&invoices, Some(&anna.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["items"], json!([]));
    };
    no_invoice().await;
    let resp = sign_as(
        &app,
        &petr.token,
        version.id,
        &signature_of(&pdf, &petr_signs),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    no_invoice().await;
    let resp = sign_as(
        &app,
        &anna.token,
        version.id,
        &signature_of(&pdf, &anna_signs),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "prepayment"
    );

    let seen = |token: String| {
        let app = &app;
        async move {
            let order: Value = app
                .get(&format!("/api/v1/orders/{id}"), Some(&token))
                .await
                .json()
                .await
                .unwrap();
            let contracts: Value = app
                .get(&format!("/api/v1/orders/{id}/contracts"), Some(&token))
                .await
                .json()
                .await
                .unwrap();
            (order, contracts)
        }
    };
    let before = seen(anna.token.clone()).await;
    for patch in [
        json!({"description": "Уточнение границ и площади участка."}),
        json!({"price": 30000}),
        json!({"deadline_days": 10}),
    ] {
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/orders/{id}")))
            .bearer_auth(&anna.token)
            .json(&patch)
            .send()
            .await
            .unwrap();
        let p = problem(resp, 409, "illegal_transition").await;
        assert_eq!(p.current_status.as_deref(), Some("prepayment"));
    }
    problem(
        make(&app, &petr.token, id, &json!({"terms": terms()})).await,
        409,
        "illegal_transition",
    )
    .await;
    let after = seen(anna.token.clone()).await;
    assert_eq!(after, before, "nothing changed");
    let statuses: Vec<&str> = after.1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["signed"]);
    assert_eq!(document(&app, &anna.token, version.id).await, pdf);
}

on_both_backends!(nothing_is_paid_before_signing_nor_edited_after);

async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> FileInfo {
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/files?name={name}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// Results delivered as uploaded files: refused without files or with
/// another's upload; delivered, they are listed with the delivery and the
/// customer downloads the same bytes — as each party does the other's
/// invoice and receipt files; whoever cannot see the order cannot download
/// them.
async fn results_delivered_as_files_reach_the_customer(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let olga = customer(&app, "olga@example.ru").await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let id = crate::sro_registry::assigned_order(&app, anna.id, petr.id, "in_progress", None).await;
    let mut plan = b"%PDF-1.7\n".to_vec();
    plan.extend((0..=255u8).cycle().take(10_000));
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><MP><Title>Межевой план</Title></MP>";
    let pdf_file = upload(&app, &petr.token, "plan.pdf", "application/pdf", &plan).await;
    let xml_file = upload(
        &app,
        &petr.token,
        "MP.xml",
        "application/xml",
        xml.as_bytes(),
    )
    .await;
    let hers = upload(
        &app,
        &anna.token,
        "anna.pdf",
        "application/pdf",
        b"%PDF-1.7 hers",
    )
    .await;

    let deliver = |body: Value| {
        let (app, token) = (&app, petr.token.clone());
        async move {
            app.post(&format!("/api/v1/orders/{id}/results"), &body, Some(&token))
                .await
        }
    };
    let p = problem(
        deliver(json!({"method": "files"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("file_ids")[0].code, "required");
    let p = problem(
        deliver(json!({"method": "files", "file_ids": [pdf_file.id, hers.id]})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("file_ids")[0].code, "unknown_file");
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "in_progress"
    );

    let resp = deliver(json!({
        "method": "files",
        "file_ids": [pdf_file.id, xml_file.id],
        "note": "Межевой план: PDF и XML",
    }))
    .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let delivered: OrderResult = resp.json().await.unwrap();
    assert_eq!(delivered.method.as_str(), "files");
    assert_eq!(delivered.files, [pdf_file.clone(), xml_file.clone()]);
    assert_eq!(
        delivered.files[0].sha256,
        format!("{:x}", sha2::Sha256::digest(&plan))
    );
    assert_eq!(
        order(&app, &anna.token, id).await.status.as_str(),
        "acceptance"
    );
    let list: Value = app
        .get(&format!("/api/v1/orders/{id}/results"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let listed: Vec<OrderResult> = serde_json::from_value(list["items"].clone()).unwrap();
    assert_eq!(listed, std::slice::from_ref(&delivered));
    let one: OrderResult = app
        .get(
            &format!("/api/v1/results/{}", delivered.id),
            Some(&anna.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one, delivered);

    let parties = [&anna.token, &petr.token];
    let strangers = [&olga.token, &ivan.token];
    for (file, bytes) in [(&pdf_file, plan.as_slice()), (&xml_file, xml.as_bytes())] {
        downloads(&app, file, bytes, &parties, &strangers).await;
    }
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/accept"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // The final invoice as a file, paid with a receipt as a file: each
    // reaches the other party, and no one else.
    let invoice_pdf = b"%PDF-1.7 invoice 1".to_vec();
    let file = upload(
        &app,
        &petr.token,
        "invoice.pdf",
        "application/pdf",
        &invoice_pdf,
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/invoices"),
            &json!({"file_id": file.id}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let invoice: mezha_api_types::invoices::Invoice = resp.json().await.unwrap();
    assert_eq!(invoice.file.as_ref(), Some(&file));
    downloads(&app, &file, &invoice_pdf, &parties, &strangers).await;
    let receipt_pdf = b"%PDF-1.7 receipt 1".to_vec();
    let receipt = upload(
        &app,
        &anna.token,
        "receipt.pdf",
        "application/pdf",
        &receipt_pdf,
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/invoices/{}/mark-paid", invoice.id),
            &json!({"receipt_file_id": receipt.id}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    downloads(&app, &receipt, &receipt_pdf, &parties, &strangers).await;
}

/// Each of `parties` downloads `file` as `bytes`; each of `strangers` gets 404.
async fn downloads(
    app: &TestApp,
    file: &FileInfo,
    bytes: &[u8],
    parties: &[&String],
    strangers: &[&String],
) {
    let path = format!("/api/v1/files/{}", file.id);
    for token in parties {
        let resp = app.get(&path, Some(token)).await;
        assert_eq!(resp.status(), 200, "{}", file.name);
        assert_eq!(resp.headers()["content-type"], file.content_type.as_str());
        assert_eq!(resp.headers()["x-content-sha256"], file.sha256.as_str());
        assert_eq!(resp.bytes().await.unwrap(), bytes);
    }
    for token in strangers {
        problem(app.get(&path, Some(token)).await, 404, "not_found").await;
    }
}

on_both_backends!(results_delivered_as_files_reach_the_customer);
