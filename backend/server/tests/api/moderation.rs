//! Moderators find accounts and block them with a reason (docs/accounts.md,
//! "Moderation").

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::sro_registry::moderator;
use mezha_api_types::users::UserList;
use serde_json::json;

async fn patch_me(app: &TestApp, token: &str, body: serde_json::Value) {
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}

async fn users(app: &TestApp, token: &str, query: &str) -> UserList {
    let resp = app
        .get(&format!("/api/v1/users?{query}"), Some(token))
        .await;
    assert_eq!(
        resp.status(),
        200,
        "{query}: {}",
        resp.text().await.unwrap()
    );
    resp.json().await.unwrap()
}

fn emails(list: &UserList) -> Vec<&str> {
    list.items.iter().map(|u| u.email.as_str()).collect()
}

async fn moderators_find_accounts_and_block_them_with_a_reason(backend: Backend) {
    let app = spawn_app(backend).await;
    let ivan = app.user("ivan@example.ru").await;
    patch_me(
        &app,
        &ivan.tokens.access_token,
        json!({"full_name": "Иван Иванович Иванов", "snils": "11223344595", "inn": "500100732259"}),
    )
    .await;
    app.confirm_phone(&ivan.tokens.access_token, "8 912 000-11-22")
        .await;
    let olga = app.user("olga@example.ru").await;
    patch_me(
        &app,
        &olga.tokens.access_token,
        json!({"full_name": "Ольга Смирнова"}),
    )
    .await;
    let mod_token = moderator(&app).await;

    // Newest first; everybody, the moderator too.
    let all = users(&app, &mod_token, "").await;
    assert_eq!(
        emails(&all),
        ["moderator@example.ru", "olga@example.ru", "ivan@example.ru"]
    );
    // By name in any case (Cyrillic too), e-mail, SNILS, INN, phone.
    for (query, expected) in [
        (
            "q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
            vec!["ivan@example.ru"],
        ), // "иванов"
        ("q=%D0%A1%D0%9C%D0%98%D0%A0%D0%9D", vec!["olga@example.ru"]), // "СМИРН"
        ("q=OLGA%40", vec!["olga@example.ru"]),
        ("q=112-233-445+95", vec!["ivan@example.ru"]),
        ("q=500100732259", vec!["ivan@example.ru"]),
        ("q=9120001122", vec!["ivan@example.ru"]),
        ("q=nobody", vec![]),
        ("role=moderator", vec!["moderator@example.ru"]),
        (
            "role=customer&q=example",
            vec!["olga@example.ru", "ivan@example.ru"],
        ),
    ] {
        assert_eq!(
            emails(&users(&app, &mod_token, query).await),
            expected,
            "{query}"
        );
    }
    let ivan_row = &users(&app, &mod_token, "q=500100732259").await.items[0];
    assert_eq!(ivan_row.snils.as_deref(), Some("112-233-445 95"));
    assert_eq!(ivan_row.blocked, None);
    assert_eq!(
        ivan_row
            .allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["block"]
    );

    // Blocking takes a reason (1–500 characters) and ends the sessions.
    let block = format!("/api/v1/users/{}/block", ivan.id);
    let p = problem(
        app.post(
            &block,
            &json!({"reason": "x".repeat(501)}),
            Some(&mod_token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.errors.unwrap()["reason"][0].code, "too_long");
    let resp = app
        .post(
            &block,
            &json!({"reason": "Спам в чатах заказов"}),
            Some(&mod_token),
        )
        .await;
    assert_eq!(resp.status(), 204);
    problem(
        app.get("/api/v1/me", Some(&ivan.tokens.access_token)).await,
        401,
        "session_revoked",
    )
    .await;
    problem(
        app.post(&block, &json!({}), Some(&mod_token)).await,
        409,
        "conflict",
    )
    .await;

    // The list says who blocked him, when and why, and offers unblocking.
    let blocked = users(&app, &mod_token, "blocked=true").await;
    assert_eq!(emails(&blocked), ["ivan@example.ru"]);
    let info = blocked.items[0].blocked.as_ref().unwrap();
    assert_eq!(info.reason.as_deref(), Some("Спам в чатах заказов"));
    let by = info.by.as_ref().unwrap();
    assert_eq!(by.name, "moderator@example.ru");
    assert_eq!(
        blocked.items[0]
            .allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["unblock"]
    );
    assert_eq!(
        emails(&users(&app, &mod_token, "blocked=false").await),
        ["moderator@example.ru", "olga@example.ru"]
    );

    // Unblocking clears the reason; a second unblock is a conflict.
    let unblock = format!("/api/v1/users/{}/unblock", ivan.id);
    let resp = app.post(&unblock, &json!({}), Some(&mod_token)).await;
    assert_eq!(resp.status(), 204);
    assert!(
        users(&app, &mod_token, "q=ivan").await.items[0]
            .blocked
            .is_none()
    );
    problem(
        app.post(&unblock, &json!({}), Some(&mod_token)).await,
        409,
        "conflict",
    )
    .await;

    // Not his own account; not for other roles.
    let me = &users(&app, &mod_token, "role=moderator").await.items[0];
    assert!(me.allowed_actions.is_empty());
    problem(
        app.post(
            &format!("/api/v1/users/{}/block", me.id),
            &json!({}),
            Some(&mod_token),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    problem(
        app.get("/api/v1/users", Some(&olga.tokens.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;

    // Page by page, nothing twice, nothing missed.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = users(&app, &mod_token, &format!("limit=1&cursor={cursor}")).await;
        seen.extend(page.items.iter().map(|u| u.email.clone()));
        match page.next_cursor {
            Some(next) => cursor = next,
            None => break,
        }
    }
    assert_eq!(seen, emails(&all));
}

on_both_backends!(moderators_find_accounts_and_block_them_with_a_reason);
