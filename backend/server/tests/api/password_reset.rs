use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;
use serde_json::json;
use std::time::Duration;

async fn password_reset_by_email(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("forgot@example.ru").await;

    let resp = app
        .post(
            "/api/v1/auth/password-reset/request",
            &json!({"email": "Forgot@example.ru"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    let token = app.nth_link_token("forgot@example.ru", 2).await;
    let mails = app.outbox("forgot@example.ru").await;
    assert!(
        mails[0]
            .body
            .contains("http://mezha.test/reset-password?token=")
    );

    let resp = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "new_password": "12345678"}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("new_password")[0].code, "too_common");

    let resp = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 204);
    // Every session ended; the old password no longer works; the new one does.
    problem(
        app.get("/api/v1/me", Some(&user.tokens.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": user.email, "password": user.password}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_credentials").await;
    app.login(&user.email, "a brand new secret").await;
    // The link was used up.
    let resp = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "new_password": "another new secret"}),
            None,
        )
        .await;
    problem(resp, 400, "invalid_token").await;
}

async fn reset_links_expire_and_unknown_addresses_learn_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user("slow@example.ru").await;
    app.post(
        "/api/v1/auth/password-reset/request",
        &json!({"email": "slow@example.ru"}),
        None,
    )
    .await;
    let token = app.nth_link_token("slow@example.ru", 2).await;
    app.clock.advance(Duration::from_secs(3601));
    let resp = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "new_password": "a brand new secret"}),
            None,
        )
        .await;
    problem(resp, 400, "invalid_token").await;

    let known = app
        .post(
            "/api/v1/auth/password-reset/request",
            &json!({"email": "slow@example.ru"}),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/password-reset/request",
            &json!({"email": "nobody@example.ru"}),
            None,
        )
        .await;
    assert_eq!(known.status(), 202);
    assert_eq!(unknown.status(), 202);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(app.outbox("nobody@example.ru").await.is_empty());
}

on_both_backends!(
    password_reset_by_email,
    reset_links_expire_and_unknown_addresses_learn_nothing
);
