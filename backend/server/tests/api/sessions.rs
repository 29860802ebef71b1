use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;
use mezha_api_types::Role;
use mezha_api_types::auth::{SessionInfo, SessionList, TokenResponse};
use mezha_api_types::me::AccessTokenResponse;
use serde_json::json;
use std::time::Duration;

async fn refresh_rotates_and_reuse_revokes(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("rotate@example.ru").await;
    let first = user.tokens.clone();

    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first.refresh_token}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let second: TokenResponse = resp.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.session_id, first.session_id);
    assert_eq!(
        app.get("/api/v1/me", Some(&second.access_token))
            .await
            .status(),
        200
    );

    // The old token within seconds: a concurrent refresh lost the race (another
    // tab); refused, but the session lives.
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first.refresh_token}),
            None,
        )
        .await;
    problem(resp, 409, "refresh_token_superseded").await;
    assert_eq!(
        app.get("/api/v1/me", Some(&second.access_token))
            .await
            .status(),
        200
    );

    // The old refresh token again later: reuse, the whole session is revoked.
    app.clock.advance(Duration::from_secs(11));
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first.refresh_token}),
            None,
        )
        .await;
    problem(resp, 401, "refresh_token_reused").await;
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": second.refresh_token}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_refresh_token").await;
    problem(
        app.get("/api/v1/me", Some(&second.access_token)).await,
        401,
        "session_revoked",
    )
    .await;

    // Garbage is refused without harming anything.
    for junk in [
        "",
        "x",
        "not-a-uuid.secret",
        &format!("{}.guess", first.session_id),
    ] {
        let resp = app
            .post(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": junk}),
                None,
            )
            .await;
        assert!(
            matches!(resp.status().as_u16(), 401 | 422),
            "{junk}: {}",
            resp.status()
        );
    }
}

async fn access_tokens_expire_sessions_slide(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("clock@example.ru").await;
    app.clock.advance(Duration::from_secs(15 * 60));
    let p = problem(
        app.get("/api/v1/me", Some(&user.tokens.access_token)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(p.detail.unwrap().contains("expired"));
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.tokens.refresh_token}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let fresh: TokenResponse = resp.json().await.unwrap();
    assert_eq!(
        app.get("/api/v1/me", Some(&fresh.access_token))
            .await
            .status(),
        200
    );
    // An idle session ends after 30 days.
    app.clock.advance(Duration::from_secs(31 * 24 * 3600));
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": fresh.refresh_token}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_refresh_token").await;
}

async fn sessions_list_and_logout(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("multi@example.ru").await;
    let phone = app.login(&user.email, &user.password).await;
    let laptop = app.login(&user.email, &user.password).await;

    let resp = app
        .get("/api/v1/auth/sessions", Some(&laptop.access_token))
        .await;
    let list: SessionList = resp.json().await.unwrap();
    assert_eq!(list.items.len(), 3);
    assert_eq!(list.items.iter().filter(|s| s.current).count(), 1);
    assert!(list.items.iter().find(|s| s.current).unwrap().id == laptop.session_id);
    assert!(
        list.items
            .iter()
            .all(|s| s.method == "password" && s.ip.as_deref() == Some("127.0.0.1"))
    );

    // Log out another session by id.
    let resp = app
        .post(
            "/api/v1/auth/logout",
            &json!({"session_id": phone.session_id}),
            Some(&laptop.access_token),
        )
        .await;
    assert_eq!(resp.status(), 204);
    problem(
        app.get("/api/v1/me", Some(&phone.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    // Not someone else's session.
    let other = app.user("other@example.ru").await;
    let resp = app
        .post(
            "/api/v1/auth/logout",
            &json!({"session_id": other.tokens.session_id}),
            Some(&laptop.access_token),
        )
        .await;
    problem(resp, 404, "not_found").await;
    assert_eq!(
        app.get("/api/v1/me", Some(&other.tokens.access_token))
            .await
            .status(),
        200
    );

    // Log out the current session with an empty body.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&laptop.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    problem(
        app.get("/api/v1/me", Some(&laptop.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": laptop.refresh_token}),
            None,
        )
        .await;
    problem(resp, 401, "invalid_refresh_token").await;

    // Log out everywhere.
    let again = app.login(&user.email, &user.password).await;
    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout-all"))
        .bearer_auth(&again.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    for token in [&again.access_token, &user.tokens.access_token] {
        problem(
            app.get("/api/v1/me", Some(token)).await,
            401,
            "session_revoked",
        )
        .await;
    }
    let fresh = app.login(&user.email, &user.password).await;
    let list: SessionList = app
        .get("/api/v1/auth/sessions", Some(&fresh.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.items.len(), 1);
}

/// The sessions one page at a time, newest first (the start, then the
/// id), each once; a cursor the list did not give out is 400.
async fn sessions_page_newest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("multi@example.ru").await;
    // Five sessions and the current one: the second and third begin at one
    // time (the id decides between them), the others a minute apart.
    let mut started = vec![user.tokens.session_id];
    for n in 1..5 {
        if n != 2 {
            app.clock.advance(Duration::from_secs(60));
        }
        started.push(app.login(&user.email, &user.password).await.session_id);
    }
    app.clock.advance(Duration::from_secs(60));
    let token = app.login(&user.email, &user.password).await.access_token;
    let (sessions, pages) = app
        .walk::<SessionInfo>("/api/v1/auth/sessions", &token, 2)
        .await;
    assert_eq!(pages, 3, "six sessions, two a page");
    let (whole, _) = app
        .walk::<SessionInfo>("/api/v1/auth/sessions", &token, 100)
        .await;
    assert_eq!(sessions, whole);
    let keys: Vec<_> = sessions.iter().map(|s| (s.created_at, s.id)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] > w[1]),
        "newest first, by start then id, each once: {keys:?}"
    );
    // The current one, begun last, first; then the others newest first.
    assert!(sessions[0].current);
    let ids: Vec<_> = sessions[1..].iter().map(|s| s.id).collect();
    assert_eq!(
        [ids[0], ids[1], ids[4]],
        [started[4], started[3], started[0]]
    );
    let (mut tied, mut want) = ([ids[2], ids[3]], [started[1], started[2]]);
    tied.sort();
    want.sort();
    assert_eq!(tied, want);

    let foreign = mezha_app::paging::encode(&uuid::Uuid::now_v7());
    for cursor in ["nonsense", foreign.as_str()] {
        let resp = app
            .get(
                &format!("/api/v1/auth/sessions?cursor={cursor}"),
                Some(&token),
            )
            .await;
        problem(resp, 400, "bad_request").await;
    }
}

async fn login_is_rate_limited(backend: Backend) {
    // The app trusts the test client as a proxy, so a test can speak from
    // two addresses.
    let app = crate::helpers::spawn_app_with(
        backend,
        crate::helpers::Options {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Default::default()
        },
    )
    .await;
    app.user("brute@example.ru").await;
    let login = |from: &'static str, password: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"email": "brute@example.ru", "password": password}))
            .send()
    };
    // Ten wrong passwords from one address, each answer telling how many
    // are left (the tightest policy met, draft RateLimit headers) …
    for left in (0..10).rev() {
        let resp = login("203.0.113.9", "wrong wrong wrong").await.unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.headers()["ratelimit-policy"],
            "\"login_fail\";q=10;w=600"
        );
        let state = resp.headers()["ratelimit"].to_str().unwrap();
        assert!(
            state.starts_with(&format!("\"login_fail\";r={left};t=")),
            "{state}"
        );
    }
    // … refuse that address for this account, even with the right one …
    let resp = login("203.0.113.9", "correct horse battery").await.unwrap();
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    assert_eq!(
        resp.headers()["ratelimit"].to_str().unwrap(),
        format!("\"login_fail\";r=0;t={retry}")
    );
    problem(resp, 429, "rate_limited").await;
    // … but never lock the owner out: from his own address he logs in (after
    // a pause that grows with the failures, which slows a guesser).
    let started = std::time::Instant::now();
    let resp = login("198.51.100.20", "correct horse battery")
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "the login was slowed"
    );
    // The refused address may try again when its window is over.
    app.clock.advance(Duration::from_secs(601));
    assert_eq!(
        login("203.0.113.9", "correct horse battery")
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn cookie_transport_for_browsers(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("browser@example.ru").await;
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-token-transport", "cookie")
        .json(&json!({"email": user.email, "password": user.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let set_cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in [
        "mezha_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=2592000",
    ] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing in {set_cookie}"
        );
    }
    // Beside it, the hint the page reads (not a credential): path /, not httpOnly.
    let cookies = |resp: &reqwest::Response| -> Vec<String> {
        resp.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    let hint = cookies(&login)
        .into_iter()
        .find(|c| c.starts_with("mezha_session="))
        .expect("the hint cookie");
    assert!(hint.starts_with("mezha_session=1;"), "{hint}");
    for attribute in ["Path=/;", "SameSite=Strict", "Max-Age=2592000"] {
        assert!(
            format!("{hint};").contains(attribute),
            "{attribute} missing in {hint}"
        );
    }
    assert!(!hint.contains("HttpOnly"), "the page must read it: {hint}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let body: serde_json::Value = login.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "the token must not reach page scripts"
    );

    // Without the header the cookie is ignored (a cross-site form cannot add it).
    let resp = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    problem(resp, 401, "invalid_refresh_token").await;

    let resp = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &cookie)
        .header("x-token-transport", "cookie")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rotated = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(rotated, cookie);
    let tokens: TokenResponse = resp.json().await.unwrap();
    assert!(tokens.refresh_token.is_none());

    // Logout clears the cookie.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let cleared = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cleared.starts_with("mezha_refresh=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert!(
        cookies(&resp)
            .iter()
            .any(|c| c.starts_with("mezha_session=;") && c.contains("Max-Age=0")),
        "the hint is cleared with the cookie: {:?}",
        cookies(&resp)
    );
    let resp = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &rotated)
        .header("x-token-transport", "cookie")
        .send()
        .await
        .unwrap();
    problem(resp, 401, "invalid_refresh_token").await;
}

async fn client_address_behind_a_trusted_proxy(backend: Backend) {
    use crate::helpers::{Options, spawn_app_with};
    let direct = spawn_app(backend).await;
    let proxied = spawn_app_with(
        backend,
        Options {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Default::default()
        },
    )
    .await;
    for (app, expected) in [(&direct, "127.0.0.1"), (&proxied, "203.0.113.9")] {
        let user = app.user("proxy@example.ru").await;
        let resp = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", "198.51.100.7, 203.0.113.9")
            .json(&json!({"email": user.email, "password": user.password}))
            .send()
            .await
            .unwrap();
        let tokens: TokenResponse = resp.json().await.unwrap();
        let list: SessionList = app
            .get("/api/v1/auth/sessions", Some(&tokens.access_token))
            .await
            .json()
            .await
            .unwrap();
        let current = list.items.iter().find(|s| s.current).unwrap();
        assert_eq!(current.ip.as_deref(), Some(expected));
    }
}

/// The access token is checked as RFC 6750 and the session say: the scheme
/// in any case, a lifetime no longer than the configured one, and the role
/// the session acts in now.
async fn access_tokens_are_held_to_their_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.user("strict@example.ru").await;
    let token = user.tokens.access_token.clone();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let resp = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{scheme}");
    }
    let sessions: SessionList = app
        .get("/api/v1/auth/sessions", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let session = sessions.items.iter().find(|s| s.current).unwrap().id;

    // Signed with the right key, but living longer than this server issues.
    let long = app.signed_token(
        user.id,
        session,
        Role::Customer,
        Duration::from_secs(86_400),
    );
    let p = problem(
        app.get("/api/v1/me", Some(&long)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(p.detail.unwrap().contains("not valid"));
    let same = app.signed_token(user.id, session, Role::Customer, Duration::from_secs(900));
    assert_eq!(app.get("/api/v1/me", Some(&same)).await.status(), 200);

    // A role the session does not act in (one the account does not even
    // hold) is refused; so is the old role once the session switches.
    let forged = app.signed_token(user.id, session, Role::Moderator, Duration::from_secs(900));
    problem(
        app.get("/api/v1/me", Some(&forged)).await,
        401,
        "unauthenticated",
    )
    .await;
    let db = app.db().await;
    mezha_store::users::grant_role(
        &db,
        user.id,
        Role::Engineer,
        mezha_app::clock::Clock::now(&app.clock),
    )
    .await
    .unwrap();
    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": "engineer"}),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let engineer: AccessTokenResponse = resp.json().await.unwrap();
    let me: serde_json::Value = app
        .get("/api/v1/me", Some(&engineer.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["acting_role"], "engineer");
    let p = problem(
        app.get("/api/v1/me", Some(&token)).await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(p.detail.unwrap().contains("role"));
    // A refresh gives a token of the role the session acts in.
    let resp = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.tokens.refresh_token}),
            None,
        )
        .await;
    let fresh: TokenResponse = resp.json().await.unwrap();
    let me: serde_json::Value = app
        .get("/api/v1/me", Some(&fresh.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["acting_role"], "engineer");
}

on_both_backends!(
    access_tokens_are_held_to_their_session,
    client_address_behind_a_trusted_proxy,
    cookie_transport_for_browsers,
    refresh_rotates_and_reuse_revokes,
    access_tokens_expire_sessions_slide,
    sessions_list_and_logout,
    sessions_page_newest_first,
    login_is_rate_limited
);
