//! `Idempotency-Key` on the creating requests that are not plain JSON
//! creations (docs/API.md, "Idempotency"): registration, where there is no
//! account yet; uploads and chat files, whose fingerprint is the content's
//! SHA-256 known only once the stream is in; certificate issue, whose SMS
//! code the first request spends. Orders, responses, offers, webhooks,
//! employment and certificate applications are covered with their stories.

use crate::certificates::{approved, issue_with_key};
use crate::chat::parties;
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use mezha_api_types::chat::ChatMessage;
use mezha_api_types::orders::FileInfo;
use serde_json::{Value, json};
use std::time::Duration;

async fn register(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/register"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

pub(crate) fn replayed(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

/// How many mails `email` got, once the background sender has had time
/// to send one that should not be.
async fn settled_mails(app: &TestApp, email: &str) -> usize {
    app.wait_for_mails(email, 1, |_| true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.outbox(email).await.len()
}

/// A registration retried with its key answers the same account and mails
/// one link; a taken address answers the same stand-in id and tells its
/// owner once; the key is the address's, so another address may use it.
async fn registration_retried_with_its_key_registers_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"email": "Anna@Example.ru", "password": "correct horse battery"});
    let first = register(&app, "reg-1", &body).await;
    assert_eq!(first.status(), 201);
    assert!(!replayed(&first));
    let first: Value = first.json().await.unwrap();
    let again = register(&app, "reg-1", &body).await;
    assert_eq!(again.status(), 201);
    assert!(replayed(&again), "a replay says so");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first);
    assert_eq!(settled_mails(&app, "anna@example.ru").await, 1, "one link");

    // The same key for another request about the address is refused.
    let other = json!({"email": "anna@example.ru", "password": "correct horse battery", "full_name": "Анна"});
    problem(
        register(&app, "reg-1", &other).await,
        422,
        "idempotency_key_reused",
    )
    .await;
    // Another address's key space is its own.
    let boris = json!({"email": "boris@example.ru", "password": "correct horse battery"});
    let resp = register(&app, "reg-1", &boris).await;
    assert_eq!(resp.status(), 201);
    assert!(!replayed(&resp));

    // A taken address: the same stand-in answer, and one notice.
    let taken = json!({"email": "anna@example.ru", "password": "another good passphrase"});
    let first: Value = register(&app, "reg-2", &taken).await.json().await.unwrap();
    assert_ne!(first["user_id"], again["user_id"], "no account's id");
    let resp = register(&app, "reg-2", &taken).await;
    assert!(replayed(&resp));
    assert_eq!(resp.json::<Value>().await.unwrap(), first);
    assert_eq!(
        settled_mails(&app, "anna@example.ru").await,
        2,
        "the link and one notice"
    );
}

async fn upload(app: &TestApp, token: &str, key: &str, bytes: &'static [u8]) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/files?name=plan.pdf"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// An upload retried with its key is stored once; the same key with other
/// content (told by its SHA-256) is refused and leaves nothing.
async fn an_upload_retried_with_its_key_is_stored_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("anna@example.ru").await;
    let token = &anna.tokens.access_token;
    let first = upload(&app, token, "file-1", b"%PDF-1.7 plan").await;
    assert_eq!(first.status(), 201);
    let first: FileInfo = first.json().await.unwrap();
    let again = upload(&app, token, "file-1", b"%PDF-1.7 plan").await;
    assert_eq!(again.status(), 201);
    assert!(replayed(&again));
    assert_eq!(again.json::<FileInfo>().await.unwrap().id, first.id);
    assert_eq!(app.stored_files().await, [first.id.simple().to_string()]);

    problem(
        upload(&app, token, "file-1", b"%PDF-1.7 another plan").await,
        422,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(
        app.stored_files().await,
        [first.id.simple().to_string()],
        "the refused upload left nothing"
    );
    // Without a key, the same bytes are another file.
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=plan.pdf"))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body("%PDF-1.7 plan")
        .send()
        .await
        .unwrap();
    assert_ne!(resp.json::<FileInfo>().await.unwrap().id, first.id);
}

/// A chat message retried with its key is kept once, a text as a file;
/// the message, not its file, is what the key remembers.
async fn a_chat_message_retried_with_its_key_is_kept_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, _petr, order) = parties(&app).await;
    let path = format!("/api/v1/orders/{order}/messages");
    let say = |key: &'static str, text: &'static str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", key)
            .json(&json!({ "text": text }))
            .send()
    };
    let first: ChatMessage = say("msg-1", "Добрый день")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let resp = say("msg-1", "Добрый день").await.unwrap();
    assert!(replayed(&resp));
    assert_eq!(resp.json::<ChatMessage>().await.unwrap().id, first.id);
    problem(
        say("msg-1", "Другой текст").await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;

    let send = || {
        app.client
            .post(app.url(&format!("{path}?name=plan.pdf")))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", "msg-2")
            .header("content-type", "application/pdf")
            .body("%PDF-1.7 plan")
            .send()
    };
    let with_file: ChatMessage = send().await.unwrap().json().await.unwrap();
    let resp = send().await.unwrap();
    assert_eq!(resp.status(), 201);
    assert!(replayed(&resp));
    let again: ChatMessage = resp.json().await.unwrap();
    assert_eq!(again.id, with_file.id);
    assert_eq!(app.stored_files().await.len(), 1, "one file kept");

    let page: Value = app
        .get(&path, Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page}");
}

/// Issuing retried with its key answers the certificate issued first,
/// though the SMS code is spent; without the key a retry is refused.
async fn an_issue_retried_with_its_key_answers_the_certificate(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, application, _op) = approved(&app, "owner@example.ru").await;
    let (first, again, body) = issue_with_key(&app, &token, application.id, "issue-1").await;
    assert_eq!(first.status(), 201);
    assert!(replayed(&again));
    let first: Value = first.json().await.unwrap();
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let resp = app
        .post(
            &format!("/api/v1/certificate-applications/{}/issue", application.id),
            &body,
            Some(&token),
        )
        .await;
    problem(resp, 409, "illegal_transition").await;
}

on_both_backends!(
    registration_retried_with_its_key_registers_once,
    an_upload_retried_with_its_key_is_stored_once,
    a_chat_message_retried_with_its_key_is_kept_once,
    an_issue_retried_with_its_key_answers_the_certificate,
);
