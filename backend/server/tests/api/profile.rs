use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;
use serde_json::{Value, json};

async fn profile_view_and_edit(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("profile@example.ru").await;
    let token = &user.tokens.access_token;

    let resp = app.get("/api/v1/me", Some(token)).await;
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let me: Value = resp.json().await.unwrap();
    assert_eq!(etag, format!("\"v{}\"", me["version"]));

    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .header("if-match", &etag)
        .json(&json!({"full_name": "Иван Иванович Иванов", "snils": "11223344595", "inn": "500100732259"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let new_etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["snils"], "112-233-445 95");
    assert_eq!(me["inn"], "500100732259");
    assert_eq!(me["full_name"], "Иван Иванович Иванов");
    // The phone is saved by its SMS confirmation (tests/api/second_factor.rs).
    let confirmed = app.confirm_phone(token, "8 912 000-11-22").await;
    assert_eq!(confirmed["phone"], "+79120001122");
    let etag = new_etag;
    let new_etag = format!("\"v{}\"", confirmed["version"]);
    assert_ne!(new_etag, etag);

    // A stale If-Match changes nothing.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .header("if-match", &etag)
        .json(&json!({"full_name": "Пётр"}))
        .send()
        .await
        .unwrap();
    problem(resp, 412, "precondition_failed").await;

    // Bad SNILS and INN check digits are refused per field; nothing is stored.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"snils": "112-233-445 96", "inn": "500100732258", "full_name": "Пётр"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("snils")[0].code, "snils_checksum");
    assert_eq!(p.field("inn")[0].code, "inn_checksum");
    let me: Value = app
        .get("/api/v1/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["full_name"], "Иван Иванович Иванов");
    assert_eq!(me["snils"], "112-233-445 95");

    // null clears; absent keeps.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"inn": null}))
        .send()
        .await
        .unwrap();
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["inn"], Value::Null);
    assert_eq!(me["snils"], "112-233-445 95");

    // Another account's e-mail is refused.
    let other = app.user("other-phone@example.ru").await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&other.tokens.access_token)
        .json(&json!({"email": "profile@example.ru"}))
        .send()
        .await
        .unwrap();
    problem(resp, 409, "email_taken").await;
}

async fn changing_email_needs_confirmation(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("old@example.ru").await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&user.tokens.access_token)
        .json(&json!({"email": "New@Example.ru"}))
        .send()
        .await
        .unwrap();
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["email"], "new@example.ru");
    assert_eq!(me["email_confirmed"], false);
    let token = app.link_token("new@example.ru").await;
    assert_eq!(
        app.post("/api/v1/auth/confirm-email", &json!({"token": token}), None)
            .await
            .status(),
        200
    );
    let me: Value = app
        .get("/api/v1/me", Some(&user.tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email_confirmed"], true);
    app.login("new@example.ru", &user.password).await;
}

on_both_backends!(profile_view_and_edit, changing_email_needs_confirmation);
