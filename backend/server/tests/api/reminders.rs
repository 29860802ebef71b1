//! Reminders of orders (docs/reminders.md), run by the job at chosen
//! moments: a step left waiting reminds its party every few days up to a
//! limit, once per step and moment; the executor hears of a near due date
//! once; an order past its due date without results is marked overdue and
//! both parties hear of it once. Suspended orders remind nobody.

use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use crate::orders::{customer, engineer};
use crate::sro_registry::assigned_order;
use chrono::{Duration, Utc};
use mezha_api_types::orders::Order;
use mezha_domain::orders::reminders::Policy;
use serde_json::{Value, json};
use uuid::Uuid;

/// The caller's notifications as (kind, what a reminder asks, order),
/// sorted.
async fn kinds(app: &TestApp, token: &str) -> Vec<(String, Option<String>, Option<Uuid>)> {
    let page: Value = app
        .get("/api/v1/notifications?limit=100", Some(token))
        .await
        .json()
        .await
        .unwrap();
    let mut out: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_owned(),
                (n["kind"] == "reminder").then(|| asks(n["body"].as_str().unwrap())),
                n["object"]["id"].as_str().map(|s| s.parse().unwrap()),
            )
        })
        .collect();
    out.sort();
    out
}

/// What a reminder's (Russian) text asks for.
fn asks(body: &str) -> String {
    let tasks = [
        ("оплатить счёт", "pay_invoice"),
        ("принять или отклонить результаты", "accept_results"),
        ("подписать", "sign"),
        ("подтвердить получение оплаты", "confirm_payment"),
    ];
    tasks
        .iter()
        .find(|(text, _)| body.contains(text))
        .map_or_else(|| body.to_owned(), |(_, task)| (*task).to_owned())
}

async fn the_job_reminds_each_party_once_per_step(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let t0 = Utc::now();
    let today = (t0 + Duration::hours(3)).date_naive();
    let near = assigned_order(
        &app,
        anna.id,
        petr.id,
        "in_progress",
        Some(today + Duration::days(2)),
    )
    .await;
    let late = assigned_order(
        &app,
        anna.id,
        petr.id,
        "in_progress",
        Some(today - Duration::days(1)),
    )
    .await;
    let unpaid = assigned_order(&app, anna.id, petr.id, "prepayment", None).await;
    let delivered = assigned_order(&app, anna.id, petr.id, "acceptance", None).await;
    let suspended = assigned_order(&app, anna.id, petr.id, "suspended", None).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{unpaid}/invoices"),
            &json!({"link": "https://bank.example.ru/pay/1"}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());

    // The late order is marked overdue for both, in the card and the list.
    for token in [&anna.token, &petr.token] {
        let card: Order = app
            .get(&format!("/api/v1/orders/{late}"), Some(token))
            .await
            .json()
            .await
            .unwrap();
        assert!(card.overdue);
        assert_eq!(card.due_date, Some(today - Duration::days(1)));
    }
    let list: Value = app
        .get("/api/v1/orders?limit=100", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let overdue: Vec<Uuid> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["overdue"] == true)
        .map(|o| o["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(overdue, [late]);

    let db = app.db().await;
    let policy = Policy::default();
    let run = |at: chrono::DateTime<Utc>| {
        let db = db.clone();
        async move {
            mezha_app::orders::reminders::send_due(&db, at, &policy)
                .await
                .unwrap()
        }
    };
    // Now: the near due date (to the executor), the passed one (to both).
    assert_eq!(run(t0).await, 3);
    assert_eq!(run(t0).await, 0, "once");
    // Three days on: the unpaid invoice and the results waiting for the
    // customer; the near order is overdue now too.
    let later = t0 + Duration::days(3) + Duration::hours(1);
    assert_eq!(run(later).await, 4);
    assert_eq!(run(later).await, 0, "once");
    // Six days on: the second reminder of each waiting step.
    assert_eq!(run(t0 + Duration::days(6) + Duration::hours(1)).await, 2);

    let reminder =
        |task: &str, order: Uuid| ("reminder".to_owned(), Some(task.to_owned()), Some(order));
    let overdue = |order: Uuid| ("order_overdue".to_owned(), None, Some(order));
    let mut want = vec![
        reminder("accept_results", delivered),
        reminder("accept_results", delivered),
        reminder("pay_invoice", unpaid),
        reminder("pay_invoice", unpaid),
        overdue(late),
        overdue(near),
        ("invoice_sent".to_owned(), None, Some(unpaid)),
    ];
    want.sort();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let got = kinds(&app, &anna.token).await;
        if got == want {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{got:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut want = vec![
        ("deadline_approaching".to_owned(), None, Some(near)),
        overdue(late),
        overdue(near),
    ];
    want.sort();
    assert_eq!(kinds(&app, &petr.token).await, want);
    assert!(
        !kinds(&app, &anna.token)
            .await
            .iter()
            .any(|(_, _, order)| *order == Some(suspended))
    );
}

on_both_backends!(the_job_reminds_each_party_once_per_step);
