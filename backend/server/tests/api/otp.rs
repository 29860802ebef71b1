use crate::helpers::{Backend, Options, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use mezha_api_types::auth::TokenResponse;
use mezha_app::RateLimits;
use mezha_app::clock::Clock;
use mezha_domain::rate_limit::RateLimit;
use serde_json::json;
use std::time::Duration;

async fn with_phone(app: &crate::helpers::TestApp, email: &str, phone: &str) {
    let user = app.user(email).await;
    app.confirm_phone(&user.tokens.access_token, phone).await;
}

async fn sms_login(backend: Backend) {
    let app = spawn_app(backend).await;
    with_phone(&app, "sms@example.ru", "8 (912) 345-67-89").await;

    let resp = app
        .post(
            "/api/v1/auth/otp/request",
            &json!({"phone": "+7 912 345 67 89"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"phone": "+79123456789", "expires_in": 300, "resend_after": 120})
    );
    let code = app.sms_code("+79123456789").await;
    assert_eq!(code.len(), 6);

    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": "89123456789", "code": code}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let tokens: TokenResponse = resp.json().await.unwrap();
    let sessions: serde_json::Value = app
        .get("/api/v1/auth/sessions", Some(&tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        sessions["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["method"] == "sms" && s["current"] == true)
    );
    // A code works once.
    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": "89123456789", "code": code}),
            None,
        )
        .await;
    problem(resp, 401, "otp_expired").await;
}

async fn sms_code_expiry_resend_and_attempts(backend: Backend) {
    let app = spawn_app(backend).await;
    with_phone(&app, "otp@example.ru", "+79001112233").await;
    let phone = "+79001112233";
    let body = json!({"phone": phone});
    let request = || app.post("/api/v1/auth/otp/request", &body, None);

    assert_eq!(request().await.status(), 202);
    let first = app.sms_code(phone).await;

    // Resend only after two minutes.
    app.clock.advance(Duration::from_secs(60));
    let resp = request().await;
    assert_eq!(resp.headers()["retry-after"], "60");
    problem(resp, 429, "otp_resend_too_early").await;

    // Expires after five minutes.
    app.clock.advance(Duration::from_secs(240));
    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": phone, "code": first}),
            None,
        )
        .await;
    problem(resp, 401, "otp_expired").await;

    // A new code; five wrong attempts burn it.
    assert_eq!(request().await.status(), 202);
    let second = app.sms_code(phone).await;
    let wrong = if second == "000000" {
        "111111"
    } else {
        "000000"
    };
    // The text follows the request's language (English by default).
    for left in (0..5).rev() {
        let russian = left % 2 == 1;
        let mut request = app
            .client
            .post(format!("{}/api/v1/auth/otp/verify", app.address))
            .json(&json!({"phone": phone, "code": wrong}));
        if russian {
            request = request.header("accept-language", "ru-RU,ru;q=0.9,en;q=0.8");
        }
        let resp = request.send().await.unwrap();
        let p = problem(resp, 401, "invalid_otp").await;
        let detail = p.detail.unwrap();
        if russian {
            assert!(
                detail.contains(&format!("осталось попыток: {left}")),
                "{detail}"
            );
        } else {
            assert!(
                detail.contains(&format!("{left} attempts left")),
                "{detail}"
            );
        }
    }
    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": phone, "code": second}),
            None,
        )
        .await;
    problem(resp, 401, "otp_attempts_exceeded").await;

    // After the resend window a fresh code works.
    app.clock.advance(Duration::from_secs(120));
    assert_eq!(request().await.status(), 202);
    let third = app.sms_code(phone).await;
    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": phone, "code": third}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
}

async fn unknown_phones_get_the_same_answer_and_no_sms(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .post(
            "/api/v1/auth/otp/request",
            &json!({"phone": "+79990000000"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    assert!(app.outbox("+79990000000").await.is_empty());
    let resp = app
        .post(
            "/api/v1/auth/otp/verify",
            &json!({"phone": "+79990000000", "code": "123456"}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_otp").await;
    let resp = app
        .post("/api/v1/auth/otp/request", &json!({"phone": "12"}), None)
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("phone")[0].code, "phone_format");
}

async fn sms_requests_are_rate_limited(backend: Backend) {
    let limits = RateLimits {
        otp_request_per_phone: RateLimit {
            max: 2,
            window: Duration::from_secs(3600),
        },
        otp_request_per_ip: RateLimit {
            max: 4,
            window: Duration::from_secs(3600),
        },
        ..RateLimits::default()
    };
    let app = spawn_app_with(
        backend,
        Options {
            limits: Some(limits),
            ..Default::default()
        },
    )
    .await;
    // Fixed windows: start at the beginning of one so the steps below stay in it.
    let now = app.clock.now().timestamp();
    app.clock
        .advance(Duration::from_secs((3600 - now.rem_euclid(3600)) as u64));
    let phone = "+79005554433";
    for _ in 0..2 {
        let resp = app
            .post("/api/v1/auth/otp/request", &json!({"phone": phone}), None)
            .await;
        assert_eq!(resp.status(), 202);
        app.clock.advance(Duration::from_secs(121));
    }
    // Per phone.
    let resp = app
        .post("/api/v1/auth/otp/request", &json!({"phone": phone}), None)
        .await;
    assert!(resp.headers().contains_key("retry-after"));
    problem(resp, 429, "rate_limited").await;
    // Per IP: the fourth request from this address passes, the fifth does not.
    let resp = app
        .post(
            "/api/v1/auth/otp/request",
            &json!({"phone": "+79005554400"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 202);
    let resp = app
        .post(
            "/api/v1/auth/otp/request",
            &json!({"phone": "+79005554411"}),
            None,
        )
        .await;
    problem(resp, 429, "rate_limited").await;
    // A new window lets them through again.
    app.clock.advance(Duration::from_secs(3600));
    let resp = app
        .post("/api/v1/auth/otp/request", &json!({"phone": phone}), None)
        .await;
    assert_eq!(resp.status(), 202);
}

on_both_backends!(
    sms_login,
    sms_code_expiry_resend_and_attempts,
    unknown_phones_get_the_same_answer_and_no_sms,
    sms_requests_are_rate_limited
);
