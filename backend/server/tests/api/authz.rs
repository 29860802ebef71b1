use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;
use mezha_api_types::auth::TokenResponse;
use mezha_api_types::me::AccessTokenResponse;
use serde_json::json;

async fn the_guard_wants_a_valid_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app.get("/api/v1/me", None).await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    problem(resp, 401, "unauthenticated").await;
    for header in [
        "Bearer",
        "Bearer not.a.jwt",
        "Basic dXNlcjpwYXNz",
        "bearer eyJhbGciOiJub25lIn0.e30.",
    ] {
        let resp = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        problem(resp, 401, "unauthenticated").await;
    }
    // A token of another deployment (another signing key) is refused.
    let other = spawn_app(Backend::Embedded).await;
    let stranger = other.user("stranger@example.ru").await;
    problem(
        app.get("/api/v1/me", Some(&stranger.tokens.access_token))
            .await,
        401,
        "unauthenticated",
    )
    .await;
}

async fn acting_role_and_moderator_guard(backend: Backend) {
    let app = spawn_app(backend).await;
    let target = app.user("target@example.ru").await;
    let staff = app.user("staff@example.ru").await;

    let out = app.staff("staff@example.ru", "moderator password 1", "moderator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.staff("staff@example.ru", "x", "moderator");
    assert!(!out.status.success(), "a weak staff password is refused");
    let out = app.staff("staff@example.ru", "moderator password 1", "customer");
    assert!(!out.status.success(), "only staff roles");

    let tokens: TokenResponse = app.login(&staff.email, "moderator password 1").await;
    assert_eq!(
        tokens.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ["customer", "moderator"]
    );
    assert_eq!(tokens.acting_role.as_str(), "customer");

    // Acting as customer: moderation is forbidden.
    let block = format!("/api/v1/users/{}/block", target.id);
    problem(
        app.post(&block, &json!({}), Some(&tokens.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;

    // Roles the account does not hold cannot be chosen; unknown roles are invalid.
    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": "engineer"}),
            Some(&tokens.access_token),
        )
        .await;
    problem(resp, 403, "role_not_held").await;
    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": "admin"}),
            Some(&tokens.access_token),
        )
        .await;
    problem(resp, 422, "invalid_body").await;

    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": "moderator"}),
            Some(&tokens.access_token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let switched: AccessTokenResponse = resp.json().await.unwrap();
    assert_eq!(switched.acting_role.as_str(), "moderator");
    let me: serde_json::Value = app
        .get("/api/v1/me", Some(&switched.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["acting_role"], "moderator");

    // The session keeps the role across refreshes.
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": tokens.refresh_token}),
            None,
        )
        .await;
    let refreshed: TokenResponse = resp.json().await.unwrap();
    assert_eq!(refreshed.acting_role.as_str(), "moderator");

    // Acting as moderator: block, the target's sessions end, it cannot log in.
    let resp = app
        .client
        .post(app.url(&block))
        .bearer_auth(&refreshed.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    problem(
        app.get("/api/v1/me", Some(&target.tokens.access_token))
            .await,
        401,
        "session_revoked",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": target.email, "password": target.password}),
            None,
        )
        .await;
    problem(resp, 403, "account_blocked").await;

    let unblock = format!("/api/v1/users/{}/unblock", target.id);
    let resp = app
        .client
        .post(app.url(&unblock))
        .bearer_auth(&refreshed.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    app.login(&target.email, &target.password).await;

    // Unknown and malformed ids are 404.
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/users/{}/block", uuid::Uuid::new_v4())))
        .bearer_auth(&refreshed.access_token)
        .send()
        .await
        .unwrap();
    problem(resp, 404, "not_found").await;
    let resp = app
        .client
        .post(app.url("/api/v1/users/42/block"))
        .bearer_auth(&refreshed.access_token)
        .send()
        .await
        .unwrap();
    problem(resp, 404, "not_found").await;
}

on_both_backends!(
    the_guard_wants_a_valid_token,
    acting_role_and_moderator_guard
);
