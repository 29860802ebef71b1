//! A phone confirmed by an SMS code before it is saved, and the optional
//! SMS second factor after the password (docs/accounts.md, "Phone and the
//! second factor"), with its recovery through the e-mail.

use crate::helpers::{Backend, TestApp, problem, spawn_app, token_in};
use crate::on_both_backends;
use mezha_api_types::auth::TokenResponse;
use serde_json::{Value, json};

async fn me(app: &TestApp, token: &str) -> Value {
    let resp = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn sms_count(app: &TestApp, phone: &str) -> usize {
    app.outbox(phone)
        .await
        .iter()
        .filter(|m| m.channel.as_str() == "sms")
        .count()
}

/// A new number is saved by its confirmation only; a number another
/// account confirmed is refused; `null` removes it.
async fn a_phone_is_saved_once_confirmed(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("anna@example.ru").await;
    let token = &anna.tokens.access_token;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"phone": "+7 912 345-67-89", "full_name": "Анна"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("phone")[0].code, "confirmation_required");
    assert_eq!(
        me(&app, token).await["full_name"],
        Value::Null,
        "nothing saved"
    );

    let resp = app
        .post(
            "/api/v1/me/phone",
            &json!({"phone": "8 912 345 67 89"}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 202);
    let sent: Value = resp.json().await.unwrap();
    assert_eq!(sent["phone"], "+79123456789");
    assert_eq!(
        me(&app, token).await["phone"],
        Value::Null,
        "not before the code"
    );
    // An SMS login to the pending number texts nothing.
    let resp = app
        .post(
            "/api/v1/auth/otp/request",
            &json!({"phone": "+79123456789"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    assert_eq!(
        sms_count(&app, "+79123456789").await,
        1,
        "the confirmation only"
    );
    let code = app.sms_code("+79123456789").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    problem(
        app.post(
            "/api/v1/me/phone/confirm",
            &json!({"phone": "+79123456789", "code": wrong}),
            Some(token),
        )
        .await,
        401,
        "invalid_otp",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/me/phone/confirm",
            &json!({"phone": "+79123456789", "code": code}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("etag"));
    let saved: Value = resp.json().await.unwrap();
    assert_eq!(saved["phone"], "+79123456789");
    assert_eq!(saved["phone_confirmed"], true);
    // Repeating the saved number in PATCH /me changes nothing.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"phone": "+79123456789"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // Another account proves the SMS but cannot take the number.
    let boris = app.user("boris@example.ru").await;
    let resp = app
        .post(
            "/api/v1/me/phone",
            &json!({"phone": "+79123456789"}),
            Some(&boris.tokens.access_token),
        )
        .await;
    assert_eq!(resp.status(), 202);
    let code = app.sms_code("+79123456789").await;
    problem(
        app.post(
            "/api/v1/me/phone/confirm",
            &json!({"phone": "+79123456789", "code": code}),
            Some(&boris.tokens.access_token),
        )
        .await,
        409,
        "phone_taken",
    )
    .await;

    // `null` removes it.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&json!({"phone": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cleared: Value = resp.json().await.unwrap();
    assert_eq!(cleared["phone"], Value::Null);
    assert_eq!(cleared["phone_confirmed"], false);
}

async fn login_step(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/login",
        &json!({"email": email, "password": password}),
        None,
    )
    .await
}

async fn second_factor(
    app: &TestApp,
    token: &str,
    enabled: bool,
    password: &str,
) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/me/second-factor"))
        .bearer_auth(token)
        .json(&json!({"enabled": enabled, "password": password}))
        .send()
        .await
        .unwrap()
}

/// On, a password login answers `202` with a ticket and texts a code; the
/// ticket and the code log in. Five wrong codes end the ticket. A lost
/// phone: the mailed link switches the factor off and ends the sessions.
async fn the_second_factor_asks_for_a_code_after_the_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("anna@example.ru").await;
    let token = anna.tokens.access_token.clone();
    let phone = "+79120001234";

    // Off without a confirmed phone; never without the password.
    problem(
        second_factor(&app, &token, true, &anna.password).await,
        409,
        "phone_not_confirmed",
    )
    .await;
    app.confirm_phone(&token, phone).await;
    let p = problem(
        second_factor(&app, &token, true, "not the password").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("password")[0].code, "wrong_password");
    let resp = second_factor(&app, &token, true, &anna.password).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["second_factor"], true);

    // The password alone is not a session.
    let resp = login_step(&app, &anna.email, &anna.password).await;
    assert_eq!(resp.status(), 202);
    let step: Value = resp.json().await.unwrap();
    assert!(step.get("access_token").is_none());
    assert!(
        !step["phone"].as_str().unwrap().contains("0001234"),
        "masked"
    );
    let ticket = step["ticket"].as_str().unwrap().to_owned();
    let code = app.sms_code(phone).await;
    problem(
        app.post(
            "/api/v1/auth/second-factor/resend",
            &json!({ "ticket": ticket }),
            None,
        )
        .await,
        429,
        "otp_resend_too_early",
    )
    .await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    problem(
        app.post(
            "/api/v1/auth/second-factor",
            &json!({"ticket": ticket, "code": wrong}),
            None,
        )
        .await,
        401,
        "invalid_otp",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/auth/second-factor",
            &json!({"ticket": ticket, "code": code}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let tokens: TokenResponse = resp.json().await.unwrap();
    assert_eq!(
        me(&app, &tokens.access_token).await["email"],
        "anna@example.ru"
    );
    // A ticket is used once.
    problem(
        app.post(
            "/api/v1/auth/second-factor",
            &json!({"ticket": ticket, "code": code}),
            None,
        )
        .await,
        401,
        "otp_expired",
    )
    .await;

    // Five wrong codes spend the code and end the ticket.
    let step: Value = login_step(&app, &anna.email, &anna.password)
        .await
        .json()
        .await
        .unwrap();
    let ticket = step["ticket"].as_str().unwrap().to_owned();
    let code = app.sms_code(phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        problem(
            app.post(
                "/api/v1/auth/second-factor",
                &json!({"ticket": ticket, "code": wrong}),
                None,
            )
            .await,
            401,
            "invalid_otp",
        )
        .await;
    }
    problem(
        app.post(
            "/api/v1/auth/second-factor",
            &json!({"ticket": ticket, "code": code}),
            None,
        )
        .await,
        401,
        "otp_attempts_exceeded",
    )
    .await;
    problem(
        app.post(
            "/api/v1/auth/second-factor",
            &json!({"ticket": ticket, "code": code}),
            None,
        )
        .await,
        401,
        "otp_expired",
    )
    .await;

    // The phone is lost: the link from the e-mail switches the factor off.
    let step: Value = login_step(&app, &anna.email, &anna.password)
        .await
        .json()
        .await
        .unwrap();
    let ticket = step["ticket"].as_str().unwrap().to_owned();
    let resp = app
        .post(
            "/api/v1/auth/second-factor/recover",
            &json!({ "ticket": ticket }),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    let link = app
        .wait_for_mails(&anna.email, 1, |m| {
            m.body.contains("/second-factor-recovery?token=")
        })
        .await;
    let link_token = token_in(&link[0].body).unwrap();
    let resp = app
        .post(
            "/api/v1/auth/second-factor/recover/confirm",
            &json!({ "token": link_token }),
            None,
        )
        .await;
    assert_eq!(resp.status(), 204);
    // Every session ended; the password alone logs in again.
    problem(
        app.get("/api/v1/me", Some(&tokens.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    let tokens = app.login(&anna.email, &anna.password).await;
    let now = me(&app, &tokens.access_token).await;
    assert_eq!(now["second_factor"], false);
    assert_eq!(now["phone"], Value::Null, "the lost number is gone");
    // A link works once.
    problem(
        app.post(
            "/api/v1/auth/second-factor/recover/confirm",
            &json!({ "token": link_token }),
            None,
        )
        .await,
        400,
        "invalid_token",
    )
    .await;
}

on_both_backends!(
    a_phone_is_saved_once_confirmed,
    the_second_factor_asks_for_a_code_after_the_password,
);
