//! An order's history, responses and offers one page at a time: every row
//! exactly once, oldest first (the time, then the id), the last page says
//! so; a cursor the list did not give out is 400.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{complete_order, create, customer, engineer, publish};
use chrono::{DateTime, Utc};
use mezha_api_types::orders::{HistoryEntry, Offer, OrderResponse};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

/// The list at `path` walked `limit` at a time is the list read whole, in
/// ascending `(time, id)` order with no row twice; returns it and how many
/// pages the walk took.
async fn walked<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    app: &TestApp,
    path: &str,
    token: &str,
    limit: usize,
    key: impl Fn(&T) -> (DateTime<Utc>, Uuid),
) -> (Vec<T>, usize) {
    let (items, pages) = app.walk::<T>(path, token, limit).await;
    let (whole, _) = app.walk::<T>(path, token, 100).await;
    assert_eq!(items, whole, "{path}: the pages are the whole list");
    let keys: Vec<_> = items.iter().map(key).collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "{path}: oldest first, by time then id, each once: {keys:?}"
    );
    (items, pages)
}

/// A cursor that is not one, or one of another list's key, is 400; a limit
/// out of 1–100 is 422.
async fn refuses_bad_pages(app: &TestApp, path: &str, token: &str) {
    let foreign = mezha_app::paging::encode(&Uuid::now_v7());
    for cursor in ["nonsense", foreign.as_str()] {
        let resp = app
            .get(&format!("{path}?cursor={cursor}"), Some(token))
            .await;
        problem(resp, 400, "bad_request").await;
    }
    for limit in [0, 101] {
        let resp = app.get(&format!("{path}?limit={limit}"), Some(token)).await;
        problem(resp, 422, "validation_failed").await;
    }
}

async fn history_pages_oldest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    let id = order.id;
    // Four edits: the first two at the time of the creation (the id
    // decides among them), the others a minute apart.
    for n in 0..4 {
        if n >= 2 {
            app.clock.advance(Duration::from_secs(60));
        }
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/orders/{id}")))
            .bearer_auth(&anna.token)
            .json(&json!({"title": format!("Межевание, правка {n}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    }
    app.clock.advance(Duration::from_secs(60));
    publish(&app, &anna.token, id).await;

    let path = format!("/api/v1/orders/{id}/history");
    // Six entries, three a page: two full pages, the second the last.
    let (entries, pages) = walked(&app, &path, &anna.token, 3, |h: &HistoryEntry| {
        (h.created_at, h.id)
    })
    .await;
    assert_eq!(pages, 2);
    let actions: Vec<&str> = entries.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "edit", "edit", "edit", "edit", "publish"]
    );
    // Four a page: a full page and a short last one.
    let (_, pages) = app.walk::<HistoryEntry>(&path, &anna.token, 4).await;
    assert_eq!(pages, 2);
    refuses_bad_pages(&app, &path, &anna.token).await;
}

async fn responses_and_offers_page_oldest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let mut engineers = Vec::new();
    for n in 0..5 {
        engineers.push(engineer(&app, &format!("eng{n}@example.ru"), &["50"], true).await);
    }
    let responded = create(&app, &anna.token, &complete_order("Межевание")).await;
    publish(&app, &anna.token, responded.id).await;
    let offered = create(&app, &anna.token, &complete_order("Вынос границ")).await;
    publish(&app, &anna.token, offered.id).await;

    // Five responses and five offers; the clock stands still for the
    // second and third of each (the id decides between them).
    let responses_path = format!("/api/v1/orders/{}/responses", responded.id);
    let offers_path = format!("/api/v1/orders/{}/offers", offered.id);
    for (n, e) in engineers.iter().enumerate() {
        if n != 2 {
            app.clock.advance(Duration::from_secs(60));
        }
        let resp = app
            .post(
                &responses_path,
                &json!({"price": 20000 + n, "deadline_days": 10}),
                Some(&e.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let resp = app
            .post(
                &offers_path,
                &json!({"engineer_id": e.id, "message": "Возьмётесь?"}),
                Some(&anna.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    let ids: Vec<Uuid> = engineers.iter().map(|e| e.id).collect();

    // The customer: all five, two a page.
    let (responses, pages) = walked(
        &app,
        &responses_path,
        &anna.token,
        2,
        |r: &OrderResponse| (r.created_at, r.id),
    )
    .await;
    assert_eq!(pages, 3);
    let mut by = responses.iter().map(|r| r.engineer_id).collect::<Vec<_>>();
    by.sort();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(by, all, "every engineer's response once");
    let (offers, pages) = walked(&app, &offers_path, &anna.token, 2, |o: &Offer| {
        (o.created_at, o.id)
    })
    .await;
    assert_eq!(pages, 3);
    let mut to = offers.iter().map(|o| o.engineer_id).collect::<Vec<_>>();
    to.sort();
    assert_eq!(to, all, "an offer to every engineer once");
    // Apart from the two of one time, in the order they were made.
    for list in [
        responses.iter().map(|r| r.engineer_id).collect::<Vec<_>>(),
        offers.iter().map(|o| o.engineer_id).collect(),
    ] {
        assert_eq!([list[0], list[3], list[4]], [ids[0], ids[3], ids[4]]);
    }

    // An engineer still sees only his own, on one last page.
    let (his, pages) = app
        .walk::<OrderResponse>(&responses_path, &engineers[1].token, 2)
        .await;
    assert_eq!(pages, 1);
    assert_eq!(
        his.iter().map(|r| r.engineer_id).collect::<Vec<_>>(),
        [ids[1]]
    );
    let (his, _) = app
        .walk::<Offer>(&offers_path, &engineers[1].token, 2)
        .await;
    assert_eq!(
        his.iter().map(|o| o.engineer_id).collect::<Vec<_>>(),
        [ids[1]]
    );

    refuses_bad_pages(&app, &responses_path, &anna.token).await;
    refuses_bad_pages(&app, &offers_path, &anna.token).await;
}

on_both_backends!(
    history_pages_oldest_first,
    responses_and_offers_page_oldest_first,
);
