//! A certificate for a deal participant, filed by the organisation's CA
//! agent from the client base (docs/certificates.md, "Filed by an
//! organisation's CA agent"): incomplete client data is named and nothing
//! is filed; the agent files, an operator approves, the client claims the
//! application through the mailed link with his own new account, issues it
//! with his own key and the SMS code, and the certificate — naming his
//! SNILS and INN — signs the deal's document for him. An employee without
//! `ca_agent` is refused (403), another organisation sees no such client
//! (404), the agent never owns the application.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::customer;
use crate::organisations::{bank, confirmed, confirmed_with, employee};
use base64::Engine as _;
use mezha_api_types::certificate_agents::{AgentApplication, AgentApplicationList, ClaimPreview};
use mezha_api_types::certificates::{Certificate, CertificateApplication};
use mezha_api_types::clients::{Client, ClientList};
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};
use uuid::Uuid;

const NAME: &str = "Сидоров Сидор Сидорович";
const SNILS: &str = "123-456-789 64";
const SNILS_DIGITS: &str = "12345678964";
const INN: &str = "500100732259";
const EMAIL: &str = "sidorov@example.ru";
const PHONE: &str = "+79161112233";

fn actions(client: &Client) -> Vec<&'static str> {
    client.allowed_actions.iter().map(|a| a.as_str()).collect()
}

async fn card(app: &TestApp, token: &str, id: Uuid) -> Client {
    let resp = app.get(&format!("/api/v1/clients/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn file(app: &TestApp, token: &str, client: Uuid) -> reqwest::Response {
    app.post(
        &format!("/api/v1/clients/{client}/certificate-applications"),
        &json!({}),
        Some(token),
    )
    .await
}

async fn filed(app: &TestApp, token: &str, client: Uuid) -> Vec<AgentApplication> {
    let resp = app
        .get(
            &format!("/api/v1/clients/{client}/certificate-applications"),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json::<AgentApplicationList>().await.unwrap().items
}

async fn claim(app: &TestApp, token: &str, link: &str) -> reqwest::Response {
    app.post(
        "/api/v1/certificate-claims/accept",
        &json!({"token": link}),
        Some(token),
    )
    .await
}

async fn preview(app: &TestApp, link: &str) -> reqwest::Response {
    app.post(
        "/api/v1/certificate-claims/preview",
        &json!({"token": link}),
        None,
    )
    .await
}

async fn resend(app: &TestApp, token: &str, client: Uuid, id: Uuid) -> reqwest::Response {
    app.post(
        &format!("/api/v1/clients/{client}/certificate-applications/{id}/resend-link"),
        &json!({}),
        Some(token),
    )
    .await
}

/// A client of the base of `token`'s organisation with every datum a
/// certificate needs but `without`.
async fn client_without(app: &TestApp, token: &str, without: &[&str]) -> Uuid {
    let mut body = json!({
        "full_name": NAME, "birth_date": "1980-04-12",
        "passport_series": "4510", "passport_number": "654321",
        "passport_issued_on": "2010-05-04", "passport_issuer_code": "770-001",
        "passport_issuer": "ОВД района Арбат г. Москвы",
        "snils": SNILS, "inn": INN, "email": EMAIL, "phone": PHONE,
    });
    for field in without {
        body.as_object_mut().unwrap().remove(*field);
    }
    let resp = app.post("/api/v1/clients", &body, Some(token)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json::<Client>().await.unwrap().id
}

async fn an_agent_files_a_certificate_for_a_deal_participant(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-ag@example.com").await;
    let head = customer(&app, "head-ag@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let (_, agent) = employee(
        &app,
        org.id,
        &admin,
        "agent-ag@example.com",
        &["manage_clients", "ca_agent"],
    )
    .await;
    let (_, clerk) = employee(
        &app,
        org.id,
        &admin,
        "clerk-ag@example.com",
        &["manage_clients"],
    )
    .await;
    let other_head = customer(&app, "other-head-ag@example.com").await;
    let (_, other_admin) = confirmed_with(&app, &other_head, &op, &bank()).await;

    // Incomplete data is named under the card's fields; nothing is filed.
    let client = client_without(&app, &agent, &["phone", "passport_issuer"]).await;
    let p = problem(file(&app, &agent, client).await, 422, "validation_failed").await;
    let errors = p.errors.unwrap();
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["passport_issuer", "phone"]);
    assert!(filed(&app, &agent, client).await.is_empty());
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/clients/{client}")))
        .bearer_auth(&agent)
        .json(&json!({"phone": PHONE, "passport_issuer": "ОВД района Арбат г. Москвы"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // Rights: no `ca_agent` → 403; another organisation → 404.
    problem(file(&app, &clerk, client).await, 403, "forbidden").await;
    let resp = app
        .get(
            &format!("/api/v1/clients/{client}/certificate-applications"),
            Some(&clerk),
        )
        .await;
    problem(resp, 403, "forbidden").await;
    problem(file(&app, &other_admin, client).await, 404, "not_found").await;
    assert!(filed(&app, &agent, client).await.is_empty());
    // The clerk sees the card but is offered only editing.
    assert_eq!(actions(&card(&app, &clerk, client).await), ["edit"]);
    assert_eq!(
        actions(&card(&app, &agent, client).await),
        ["edit", "file_certificate_application"]
    );

    // The agent files: submitted at once, one at a time.
    let resp = file(&app, &agent, client).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let filing: AgentApplication = resp.json().await.unwrap();
    assert_eq!(filing.status.as_str(), "submitted");
    assert_eq!(filing.claim.as_str(), "not_sent");
    assert_eq!(filing.client_id, client);
    assert!(filing.allowed_actions.is_empty());
    problem(file(&app, &agent, client).await, 409, "conflict").await;
    let on_card = card(&app, &agent, client).await;
    assert_eq!(actions(&on_card), ["edit"]);
    assert_eq!(
        on_card.certificate_applications,
        std::slice::from_ref(&filing)
    );
    // The agent never owns it: not his to read or issue, not in his cabinet.
    let resp = app
        .get(
            &format!("/api/v1/certificate-applications/{}", filing.id),
            Some(&agent),
        )
        .await;
    problem(resp, 404, "not_found").await;
    let mine: Value = app
        .get("/api/v1/certificate-applications", Some(&agent))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]));

    // The operator sees the client's data, no scans needed, and approves.
    let resp = app
        .get(
            &format!("/api/v1/certificate-applications/{}", filing.id),
            Some(&op),
        )
        .await;
    let seen: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(seen.full_name.as_deref(), Some(NAME));
    assert_eq!(seen.snils.as_deref(), Some(SNILS_DIGITS));
    assert_eq!(seen.inn.as_deref(), Some(INN));
    assert_eq!(seen.passport_number.as_deref(), Some("654321"));
    assert_eq!(seen.organisation_name, None);
    let resp = app
        .post(
            &format!("/api/v1/certificate-applications/{}/approve", filing.id),
            &json!({}),
            Some(&op),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // The client is mailed a one-use link; the agent sees it sent.
    let token = app.link_token(EMAIL).await;
    let [now] = filed(&app, &agent, client).await.try_into().unwrap();
    assert_eq!(now.status.as_str(), "approved");
    assert_eq!(now.claim.as_str(), "sent");
    assert_eq!(
        now.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["resend_link"]
    );
    let resp = preview(&app, &token).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let preview: ClaimPreview = resp.json().await.unwrap();
    assert_eq!(preview.application_id, filing.id);
    assert_eq!(preview.full_name.as_deref(), Some(NAME));
    assert_eq!(preview.organisation, org.short_name);

    // He registers and claims it: his account owns it now, once.
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": EMAIL, "password": "correct horse battery"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let confirmation = app.nth_link_token(EMAIL, 2).await;
    let resp = app
        .post(
            "/api/v1/auth/confirm-email",
            &json!({"token": confirmation}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let me = app.login(EMAIL, "correct horse battery").await.access_token;
    let person_id = app
        .get("/api/v1/me", Some(&me))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    let resp = claim(&app, &me, &token).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let mine: CertificateApplication = resp.json().await.unwrap();
    assert_eq!(mine.owner_id, person_id);
    assert_eq!(
        mine.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["request_code", "issue"]
    );
    problem(claim(&app, &me, &token).await, 400, "invalid_token").await;
    let [now] = filed(&app, &agent, client).await.try_into().unwrap();
    assert_eq!(now.claim.as_str(), "claimed");
    assert!(now.allowed_actions.is_empty());
    problem(
        resend(&app, &agent, client, filing.id).await,
        409,
        "illegal_transition",
    )
    .await;

    // He issues it with his own key and the SMS code to his phone.
    let key = SigningKey::random(&mut rand::rngs::OsRng);
    let id = filing.id;
    let resp = app
        .post(
            &format!("/api/v1/certificate-applications/{id}/issue-code"),
            &json!({}),
            Some(&me),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let code = app.sms_code(PHONE).await;
    let csr = crate::certificates::csr(&key, NAME, SNILS_DIGITS, Some(INN));
    let resp = app
        .post(
            &format!("/api/v1/certificate-applications/{id}/issue"),
            &json!({"consent": true, "csr": csr, "code": code}),
            Some(&me),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let cert: Certificate = resp.json().await.unwrap();
    assert_eq!(cert.owner_id, person_id);
    assert!(cert.subject.contains(SNILS_DIGITS), "{}", cert.subject);
    assert!(cert.subject.contains(INN), "{}", cert.subject);
    let [now] = filed(&app, &agent, client).await.try_into().unwrap();
    assert_eq!(now.status.as_str(), "issued");
    assert_eq!(now.certificate_id, Some(cert.id));
    assert_eq!(
        actions(&card(&app, &agent, client).await),
        ["edit", "file_certificate_application"]
    );

    // His signature of a deal's document is accepted for him.
    let resp = app
        .post(
            "/api/v1/deals",
            &json!({"title": "Дарение квартиры"}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let deal: Value = resp.json().await.unwrap();
    let deal_id = deal["id"].as_str().unwrap().to_owned();
    let resp = app
        .post(
            &format!("/api/v1/deals/{deal_id}/participants"),
            &json!({"client_id": client, "role": "seller"}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let deal: Value = resp.json().await.unwrap();
    let participant = deal["participants"][0]["id"].as_str().unwrap().to_owned();
    let contract = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n gift contract".to_vec();
    let resp = app
        .client
        .post(app.url(&format!(
            "/api/v1/deals/{deal_id}/documents?name=contract.pdf"
        )))
        .bearer_auth(&admin)
        .header("content-type", "application/pdf")
        .body(contract.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let deal: Value = resp.json().await.unwrap();
    let document = deal["documents"][0]["id"].as_str().unwrap().to_owned();
    let cert_der = {
        use der::{DecodePem, Encode};
        x509_cert::Certificate::from_pem(cert.pem.as_bytes())
            .unwrap()
            .to_der()
            .unwrap()
    };
    let signature = crate::certificates::sign(&contract, &key, &cert_der);
    let resp = app
        .post(
            &format!("/api/v1/deals/{deal_id}/documents/{document}/signatures"),
            &json!({
                "participant_id": participant,
                "signature": base64::engine::general_purpose::STANDARD.encode(signature),
            }),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let deal: Value = resp.json().await.unwrap();
    assert_eq!(
        deal["documents"][0]["signatures"].as_array().unwrap().len(),
        1
    );
}

async fn a_claim_needs_the_right_person_and_a_live_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-cl2@example.com").await;
    let head = customer(&app, "head-cl2@example.com").await;
    let (_, admin) = confirmed(&app, &head, &op).await;
    let client = client_without(&app, &admin, &[]).await;
    let resp = file(&app, &admin, client).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let filing: AgentApplication = resp.json().await.unwrap();
    // Not approved yet: no link, nothing to resend.
    problem(
        resend(&app, &admin, client, filing.id).await,
        409,
        "illegal_transition",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/certificate-applications/{}/approve", filing.id),
            &json!({}),
            Some(&op),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let first = app.link_token(EMAIL).await;
    // A new link replaces the first.
    let resp = resend(&app, &admin, client, filing.id).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let second = app.nth_link_token(EMAIL, 2).await;
    assert_ne!(first, second);
    problem(preview(&app, &first).await, 400, "invalid_token").await;
    assert_eq!(preview(&app, &second).await.status(), 200);
    // An account whose profile names another SNILS is another person.
    let stranger = app.user("stranger-cl2@example.com").await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&stranger.tokens.access_token)
        .json(&json!({"snils": "112-233-445 95"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = claim(&app, &stranger.tokens.access_token, &second).await;
    problem(resp, 403, "forbidden").await;
    // Unchanged: the link still works for the person himself.
    assert_eq!(preview(&app, &second).await.status(), 200);
    let list: ClientList = app
        .get("/api/v1/clients", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.items.len(), 1);
}

on_both_backends!(
    an_agent_files_a_certificate_for_a_deal_participant,
    a_claim_needs_the_right_person_and_a_live_link,
);
