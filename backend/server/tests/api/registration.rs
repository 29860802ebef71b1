use crate::helpers::{Backend, problem, spawn_app, token_in};
use crate::on_both_backends;
use serde_json::{Value, json};

async fn register_confirm_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .post("/api/v1/auth/register", &json!({"email": " Anna.Petrova@Example.RU ", "password": "correct horse battery", "full_name": "Анна  Петрова"}), None)
        .await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["email"], "anna.petrova@example.ru");
    assert_eq!(body["email_confirmed"], false);

    // Not confirmed yet: no login.
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "anna.petrova@example.ru", "password": "correct horse battery"}),
            None,
        )
        .await;
    problem(resp, 403, "email_not_confirmed").await;

    app.link_token("anna.petrova@example.ru").await;
    let mails = app.outbox("anna.petrova@example.ru").await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0]
            .body
            .contains("http://mezha.test/confirm-email?token="),
        "{}",
        mails[0].body
    );
    let token = token_in(&mails[0].body).unwrap();

    let resp = app
        .post("/api/v1/auth/confirm-email", &json!({"token": token}), None)
        .await;
    assert_eq!(resp.status(), 200);
    // A link works once.
    let resp = app
        .post("/api/v1/auth/confirm-email", &json!({"token": token}), None)
        .await;
    problem(resp, 400, "invalid_token").await;

    let tokens = app
        .login("ANNA.PETROVA@example.ru", "correct horse battery")
        .await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 900);
    assert_eq!(tokens.acting_role.as_str(), "customer");
    let me: Value = app
        .get("/api/v1/me", Some(&tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email_confirmed"], true);
    assert_eq!(me["full_name"], "Анна Петрова");
    assert_eq!(me["roles"], json!(["customer"]));

    // Wrong password and unknown account look the same.
    let wrong = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "anna.petrova@example.ru", "password": "wrong horse battery"}),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "nobody@example.ru", "password": "wrong horse battery"}),
            None,
        )
        .await;
    let (a, b) = (
        problem(wrong, 401, "invalid_credentials").await,
        problem(unknown, 401, "invalid_credentials").await,
    );
    assert_eq!(a.detail, b.detail);
}

async fn registration_rules(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "not-an-email", "password": "qwerty123"}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("email")[0].code, "invalid_email");
    assert_eq!(p.field("password")[0].code, "too_common");

    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "a@example.ru", "password": "short"}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("password")[0].code, "too_short");
    assert!(
        app.outbox("a@example.ru").await.is_empty(),
        "nothing is stored or sent for invalid input"
    );

    // A taken address is answered like a new one; its owner is told.
    let owner = app.user("taken@example.ru").await;
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "TAKEN@example.ru", "password": "another fine password"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 201);
    let answer: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(answer["email"], "taken@example.ru");
    assert_eq!(answer["email_confirmed"], false);
    assert_ne!(answer["user_id"], owner.id.to_string());
    let notices = app
        .wait_for_mails("taken@example.ru", 1, |m| {
            m.subject
                .as_deref()
                .is_some_and(|s| s.contains("registration attempt"))
        })
        .await;
    assert_eq!(notices.len(), 1);
    assert!(notices[0].body.contains("http://mezha.test/login"));
    // The account and its password are untouched.
    app.login("taken@example.ru", &owner.password).await;
}

async fn confirmation_can_be_resent_and_expires(backend: Backend) {
    let app = spawn_app(backend).await;
    app.post(
        "/api/v1/auth/register",
        &json!({"email": "late@example.ru", "password": "correct horse battery"}),
        None,
    )
    .await;
    let first = app.link_token("late@example.ru").await;
    let resp = app
        .post(
            "/api/v1/auth/confirm-email/resend",
            &json!({"email": "late@example.ru"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    let second = app.nth_link_token("late@example.ru", 2).await;
    assert_ne!(first, second);
    // The newer link replaces the older one.
    problem(
        app.post("/api/v1/auth/confirm-email", &json!({"token": first}), None)
            .await,
        400,
        "invalid_token",
    )
    .await;
    // Links expire after 48 hours.
    app.clock.advance(std::time::Duration::from_secs(49 * 3600));
    problem(
        app.post(
            "/api/v1/auth/confirm-email",
            &json!({"token": second}),
            None,
        )
        .await,
        400,
        "invalid_token",
    )
    .await;
    // Unknown addresses get the same answer and no mail.
    let resp = app
        .post(
            "/api/v1/auth/confirm-email/resend",
            &json!({"email": "ghost@example.ru"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    assert!(app.outbox("ghost@example.ru").await.is_empty());
}

on_both_backends!(
    register_confirm_login,
    registration_rules,
    confirmation_can_be_resent_and_expires
);

async fn every_field_problem_is_reported_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "bad", "password": "short"}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("email")[0].code, "invalid_email");
    assert_eq!(p.field("password")[0].code, "too_short");
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "", "password": ""}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("email")[0].code, "required");
    assert_eq!(p.field("password")[0].code, "required");
}

on_both_backends!(every_field_problem_is_reported_at_once);
