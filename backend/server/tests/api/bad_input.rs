//! Hostile and broken requests get problem+json with the right status and
//! change nothing.

use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;
use serde_json::json;

async fn malformed_bodies(backend: Backend) {
    let app = spawn_app(backend).await;
    let register = app.url("/api/v1/auth/register");
    let send = |body: Vec<u8>, content_type: &str| {
        app.client
            .post(&register)
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    problem(
        send(b"{\"email\": ".to_vec(), "application/json")
            .await
            .unwrap(),
        400,
        "malformed_json",
    )
    .await;
    problem(
        send(b"{\"email\" \"x\"}".to_vec(), "application/json")
            .await
            .unwrap(),
        400,
        "malformed_json",
    )
    .await;
    problem(
        send(
            b"{\"email\": \"\xff\xfe\", \"password\": \"x\"}".to_vec(),
            "application/json",
        )
        .await
        .unwrap(),
        400,
        "malformed_json",
    )
    .await;
    problem(
        send(b"".to_vec(), "application/json").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    problem(
        send(
            br#"{"email": 5, "password": true}"#.to_vec(),
            "application/json",
        )
        .await
        .unwrap(),
        422,
        "invalid_body",
    )
    .await;
    problem(
        send(br#"{"email": "a@b.ru"}"#.to_vec(), "application/json")
            .await
            .unwrap(),
        422,
        "invalid_body",
    )
    .await;
    problem(
        send(
            br#"{"email": "a@b.ru", "password": "long enough pw", "is_admin": true}"#.to_vec(),
            "application/json",
        )
        .await
        .unwrap(),
        422,
        "invalid_body",
    )
    .await;
    problem(
        send(
            br#"{"email": "a@b.ru", "password": "long enough pw"}"#.to_vec(),
            "text/plain",
        )
        .await
        .unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
    let resp = app
        .client
        .post(&register)
        .body(r#"{"email": "a@b.ru", "password": "long enough pw"}"#)
        .send()
        .await
        .unwrap();
    problem(resp, 415, "unsupported_media_type").await;

    // Huge bodies: refused while reading, with and without a length.
    let huge = format!(
        r#"{{"email": "a@b.ru", "password": "{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    problem(
        send(huge.clone().into_bytes(), "application/json")
            .await
            .unwrap(),
        413,
        "payload_too_large",
    )
    .await;
    let chunks = futures_chunks(huge.into_bytes());
    let resp = app
        .client
        .post(&register)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    problem(resp, 413, "payload_too_large").await;

    // Very long strings within the body limit: per-field 422.
    let long = "я".repeat(10_000);
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": format!("{long}@b.ru"), "password": long, "full_name": long}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    for field in ["email", "password", "full_name"] {
        assert_eq!(p.field(field)[0].code, "too_long", "{field}");
    }

    // Nothing of the above created an account or sent mail.
    assert!(app.outbox("a@b.ru").await.is_empty());
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "a@b.ru", "password": "long enough pw"}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_credentials").await;
}

fn futures_chunks(
    bytes: Vec<u8>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    futures_util::stream::iter(chunks)
}

async fn injection_looking_strings_are_data(backend: Backend) {
    let app = spawn_app(backend).await;
    // Refused by the e-mail rules, not by the database.
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "x'); DROP TABLE users;--@b.ru", "password": "long enough pw"}),
            None,
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("email")[0].code, "invalid_email");
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "' OR 1=1 --", "password": "' OR '1'='1"}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_credentials").await;
    let user = app.user("bobby@example.ru").await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&user.tokens.access_token)
        .json(&json!({"full_name": "Robert'); DROP TABLE users;--"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("full_name")[0].code, "full_name_chars");
    // A name with an apostrophe is a name, stored as typed.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&user.tokens.access_token)
        .json(&json!({"full_name": "Д'Артаньян Шарль"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let me: serde_json::Value = app
        .get("/api/v1/me", Some(&user.tokens.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["full_name"], "Д'Артаньян Шарль");
    assert_eq!(app.get("/readyz", None).await.status(), 200);
}

async fn unknown_routes_and_methods(backend: Backend) {
    let app = spawn_app(backend).await;
    problem(
        app.get("/api/v1/orders-that-do-not-exist", None).await,
        404,
        "not_found",
    )
    .await;
    problem(app.get("/nothing", None).await, 404, "not_found").await;
    let resp = app.get("/api/v1/auth/login", None).await;
    assert_eq!(resp.headers()["allow"], "POST");
    problem(resp, 405, "method_not_allowed").await;
    let resp = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["allow"], "GET, PATCH");
    problem(resp, 405, "method_not_allowed").await;
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/users/{}/block", uuid::Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    problem(resp, 405, "method_not_allowed").await;
    // A fixed path is its own resource, not an id of the one beside it.
    for method in [
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let resp = app
            .client
            .request(method.clone(), app.url("/api/v1/orders/search"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["allow"], "GET", "{method}");
        problem(resp, 405, "method_not_allowed").await;
    }
    let resp = app.get("/api/v1/dev/outbox?cursor=zzz", None).await;
    problem(resp, 400, "bad_request").await;
}

/// A NUL character (U+0000) in any text is refused at the edge as 422
/// naming the field, and nothing is written (docs/API.md, "Text").
async fn nul_characters_are_refused_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("nul@example.ru").await;
    let token = Some(anna.tokens.access_token.as_str());
    let body = json!({
        "title": "a\u{0}b",
        "cadastral_numbers": ["77:01:0001001:1", "77:01\u{0}"],
        "address": "ok",
    });
    let refused = problem(
        app.post("/api/v1/orders", &body, token).await,
        422,
        "validation_failed",
    )
    .await;
    let errors = refused.errors.unwrap();
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        ["cadastral_numbers[1]", "title"]
    );
    assert_eq!(errors["title"][0].code, "nul_character");
    let mine: serde_json::Value = app.get("/api/v1/orders", token).await.json().await.unwrap();
    assert_eq!(mine["items"], json!([]), "nothing was written");

    // A key with NUL is named too, before the shape is looked at.
    let refused = problem(
        app.post(
            "/api/v1/orders",
            &json!({"title": "x", "b\u{0}d": 1}),
            token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(refused.errors.unwrap().contains_key("b\\u0000d"));

    // Query strings: every route, before authentication.
    for path in [
        "/api/v1/orders/search?q=a%00b",
        "/api/v1/engineers?q=%00",
        "/api/v1/orders?limit=5&cursor=%00",
    ] {
        let refused = problem(app.get(path, None).await, 422, "validation_failed").await;
        let errors = refused.errors.unwrap();
        assert_eq!(errors.len(), 1, "{path}");
        assert_eq!(errors.values().next().unwrap()[0].code, "nul_character");
    }
    // A percent sign spelled out is data, not a NUL.
    let resp = app
        .get("/api/v1/orders/search?address=a%2500b", token)
        .await;
    assert_ne!(resp.status(), 422);
}

/// A query string is checked against the operation's documented
/// parameters before anything else: every unknown, repeated or ill-typed
/// parameter is named at once in a 422 (docs/API.md, "Conventions").
async fn query_strings_are_as_strict_as_bodies(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("strict-query@example.ru").await;
    let token = Some(anna.tokens.access_token.as_str());
    let refused = problem(
        app.get(
            "/api/v1/orders/search?sort=oldest&regoin=77&deadline_until=31.12.2026\
             &with_price=yes&number=12a&limit=1000000000000",
            token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let errors = refused.errors.unwrap();
    let named: Vec<(&str, &str)> = errors
        .iter()
        .map(|(name, list)| (name.as_str(), list[0].code.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("deadline_until", "invalid_value"),
            ("limit", "out_of_range"),
            ("number", "invalid_value"),
            ("regoin", "unknown_parameter"),
            ("sort", "invalid_value"),
            ("with_price", "invalid_value"),
        ]
    );
    assert_eq!(
        errors["sort"][0].message,
        "Must be one of: newest, urgency."
    );
    assert!(errors["regoin"][0].message.contains("region_code"));
    assert!(errors["deadline_until"][0].message.contains("YYYY-MM-DD"));

    // Before authentication, on every documented operation alike.
    for (path, name, code) in [
        ("/api/v1/orders?status=done", "status", "invalid_value"),
        ("/api/v1/engineers?limit=abc", "limit", "invalid_value"),
        (
            "/api/v1/engineers?limit=5&limit=6",
            "limit",
            "repeated_parameter",
        ),
        ("/api/v1/notifications?unread=1", "unread", "invalid_value"),
        ("/api/v1/dev/outbox?limit=abc", "limit", "invalid_value"),
        ("/api/v1/me?expand=all", "expand", "unknown_parameter"),
    ] {
        let refused = problem(app.get(path, None).await, 422, "validation_failed").await;
        let errors = refused.errors.unwrap();
        assert_eq!(errors.len(), 1, "{path}");
        assert_eq!(errors[name][0].code, code, "{path}");
    }

    // What the document allows passes, and the web app's own pages are
    // not operations.
    let resp = app
        .get(
            "/api/v1/engineers?sort=rating&accepts_offers=false&rating_min=4.5&limit=5",
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app
        .get("/api/v1/orders?status=executor_selection", token)
        .await;
    assert_eq!(resp.status(), 200);
}

/// What the OpenAPI document allows is read as it says (found by the
/// contract test, e2e/contract/TRIAGE.md): `null` for an optional body, a
/// whole number written `30.0`; a required query parameter left out and an
/// unknown field are named 422s.
async fn requests_are_read_as_the_document_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("contract@example.ru").await;
    let token = anna.tokens.access_token.as_str();

    let mut order = crate::orders::complete_order("Межевание");
    order["deadline_days"] = json!(30.0);
    let resp = app.post("/api/v1/orders", &order, Some(token)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let created: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(created["deadline_days"], 30);
    order["deadline_days"] = json!(30.5);
    problem(
        app.post("/api/v1/orders", &order, Some(token)).await,
        422,
        "invalid_body",
    )
    .await;

    let refused = problem(
        app.client
            .post(app.url("/api/v1/files"))
            .bearer_auth(token)
            .header("content-type", "application/pdf")
            .body("%PDF-1.7 x")
            .send()
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused.errors.unwrap()["name"][0].code, "required");

    problem(
        app.post(
            "/api/v1/certificate-applications",
            &json!({"no_such_field": 1}),
            Some(token),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;

    // A body is an object, never an array of its fields in order.
    problem(
        app.post(
            "/api/v1/certificate-applications",
            &json!([null, null]),
            Some(token),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;

    // `null`, like no body: the caller's own session ends.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body("null")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    problem(
        app.get("/api/v1/me", Some(token)).await,
        401,
        "session_revoked",
    )
    .await;
}

on_both_backends!(
    requests_are_read_as_the_document_says,
    query_strings_are_as_strict_as_bodies,
    malformed_bodies,
    nul_characters_are_refused_naming_the_field,
    injection_looking_strings_are_data,
    unknown_routes_and_methods
);
