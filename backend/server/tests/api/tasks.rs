//! What awaits me (`GET /me/tasks`, docs/orders.md): each party sees the
//! orders where it is his turn, with what to do; overdue orders first.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use crate::orders::{customer, engineer};
use crate::sro_registry::assigned_order;
use chrono::{Duration, Utc};
use mezha_api_types::orders::TaskList;
use serde_json::json;
use uuid::Uuid;

async fn tasks(app: &TestApp, token: &str) -> Vec<(Uuid, String, bool)> {
    let resp = app.get("/api/v1/me/tasks", Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let list: TaskList = resp.json().await.unwrap();
    list.tasks
        .into_iter()
        .map(|t| (t.order.id, t.kind.as_str().to_owned(), t.order.overdue))
        .collect()
}

async fn each_party_sees_his_turns(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let today = (Utc::now() + Duration::hours(3)).date_naive();
    let signing = assigned_order(&app, anna.id, petr.id, "contract_signing", None).await;
    let unpaid = assigned_order(&app, anna.id, petr.id, "prepayment", None).await;
    let late = assigned_order(
        &app,
        anna.id,
        petr.id,
        "in_progress",
        Some(today - Duration::days(2)),
    )
    .await;
    let delivered = assigned_order(&app, anna.id, petr.id, "acceptance", None).await;
    let done = assigned_order(&app, anna.id, petr.id, "completed", None).await;
    assigned_order(&app, anna.id, petr.id, "cancelled", None).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{unpaid}/invoices"),
            &json!({"link": "https://bank.example.ru/pay/1"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());

    let mut mine = tasks(&app, &petr.token).await;
    assert_eq!(
        mine.remove(0),
        (late, "deliver_results".to_owned(), true),
        "overdue first"
    );
    mine.sort();
    let mut want = vec![(signing, "make_contract".to_owned(), false)];
    want.sort();
    assert_eq!(mine, want);

    let mut hers = tasks(&app, &anna.token).await;
    hers.sort();
    let mut want = vec![
        (unpaid, "pay_invoice".to_owned(), false),
        (delivered, "accept_results".to_owned(), false),
        (done, "review".to_owned(), false),
    ];
    want.sort();
    assert_eq!(hers, want);
}

on_both_backends!(each_party_sees_his_turns);
