//! Notifications through HTTP (docs/notifications.md): events written by real
//! marketplace actions reach the in-app list and the mail; settings are
//! honoured; read marks and the unread counters, under concurrency and
//! after Redis loses them; delivery through a failing mailer and a failing
//! SMTP server is retried with backoff and nothing is lost.

use crate::helpers::{Backend, Options, TestApp, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use mezha_api_types::notifications::{
    NotificationList, NotificationSettings, ReadAll, UnreadCounts,
};
use mezha_api_types::orders::{Order, OrderResponse};
use mezha_app::messaging::{Mail, Mailer};
use mezha_domain::notifications::{Event, OrderRef};
use mezha_store::queue::JobStatus;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A mailer that fails the first `failures` notification mails (those with
/// an HTML part), then hands everything to the real one.
struct FlakyMailer {
    inner: Arc<dyn Mailer>,
    failures: Arc<AtomicUsize>,
    attempts: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl Mailer for FlakyMailer {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        if mail.html.is_some() {
            self.attempts.fetch_add(1, Ordering::SeqCst);
            let failed = self
                .failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
            if failed.is_ok() {
                anyhow::bail!("421 4.3.0 try again later");
            }
        }
        self.inner.send(mail).await
    }
}

/// Waits up to 15 s for `$cond` (an expression that may `.await`).
macro_rules! eventually {
    ($what:expr, $cond:expr) => {{
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if $cond {
                break;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {}", $what);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }};
}

async fn list(app: &TestApp, token: &str, query: &str) -> NotificationList {
    let resp = app
        .get(&format!("/api/v1/notifications{query}"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn counts(app: &TestApp, token: &str) -> UnreadCounts {
    let resp = app
        .get("/api/v1/notifications/unread-counts", Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn wait_for_notifications(app: &TestApp, token: &str, n: usize) -> NotificationList {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let page = list(app, token, "?limit=100").await;
        if page.items.len() >= n {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {n} notifications"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn all_processed(db: &sea_orm::DatabaseConnection) -> bool {
    mezha_store::notifications::pending_events(db)
        .await
        .unwrap()
        == 0
}

async fn the_delivery(
    db: &sea_orm::DatabaseConnection,
    user: Uuid,
) -> Option<mezha_store::notifications::DeliveryRecord> {
    let mut list = mezha_store::notifications::deliveries_of(db, user)
        .await
        .unwrap();
    assert!(list.len() <= 1, "{list:?}");
    list.pop()
}

async fn published(app: &TestApp, customer: &Party, title: &str) -> Order {
    let order = create(app, &customer.token, &complete_order(title)).await;
    publish(app, &customer.token, order.id).await
}

async fn respond(app: &TestApp, engineer: &Party, order: Uuid) -> OrderResponse {
    let resp = app
        .post(
            &format!("/api/v1/orders/{order}/responses"),
            &json!({"price": 23000, "deadline_days": 20, "message": "Готов."}),
            Some(&engineer.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn a_marketplace_flow_notifies_the_other_party(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let order = published(&app, &anna, "Межевание участка").await;
    assert!(
        list(&app, &anna.token, "").await.items.is_empty(),
        "publishing notifies nobody"
    );

    let response = respond(&app, &petr, order.id).await;
    let page = wait_for_notifications(&app, &anna.token, 1).await;
    let n = &page.items[0];
    assert_eq!(n.kind.as_str(), "response_received");
    assert_eq!(n.object.kind.as_str(), "order");
    assert_eq!(n.object.id, order.id);
    assert_eq!(n.title, format!("Новый отклик на заказ № {}", order.number));
    assert!(n.body.contains("Пётр Сергеевич Кадастров"), "{}", n.body);
    assert_eq!(n.read_at, None);
    let en = list(&app, &anna.token, "?lang=en").await;
    assert_eq!(
        en.items[0].title,
        format!("New response to order No. {}", order.number)
    );
    assert_eq!(counts(&app, &anna.token).await.system, 1);
    assert_eq!(counts(&app, &petr.token).await.system, 0);

    // E-mail is on by default for responses: plain text and HTML.
    let mails = app
        .wait_for_mails("anna@example.ru", 1, |m| {
            m.subject.as_deref().unwrap_or("").contains("Новый отклик")
        })
        .await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0]
            .body
            .contains(&format!("http://mezha.test/orders/{}", order.id))
    );

    // Selecting the response tells the engineer.
    let resp = app
        .post(
            &format!("/api/v1/responses/{}/select", response.id),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let page = wait_for_notifications(&app, &petr.token, 1).await;
    assert_eq!(page.items[0].kind.as_str(), "executor_selected");
    assert_eq!(page.items[0].object.id, order.id);

    // Cancelling in contract signing tells the executor, not the customer.
    let resp = app
        .post(
            &format!("/api/v1/orders/{}/cancel", order.id),
            &json!({"comment": "Передумала"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let page = wait_for_notifications(&app, &petr.token, 2).await;
    assert_eq!(page.items[0].kind.as_str(), "order_status_changed");
    assert!(page.items[0].body.contains("Передумала"));
    assert_eq!(list(&app, &anna.token, "").await.items.len(), 1);

    // Mark one read: once, idempotent; foreign or unknown ids are 404.
    let id = page.items[0].id;
    for _ in 0..2 {
        let resp = app
            .post(
                &format!("/api/v1/notifications/{id}/read"),
                &json!({}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(resp.status(), 200);
        let n: mezha_api_types::notifications::Notification = resp.json().await.unwrap();
        assert!(n.read_at.is_some());
        assert_eq!(counts(&app, &petr.token).await.system, 1);
    }
    problem(
        app.post(
            &format!("/api/v1/notifications/{id}/read"),
            &json!({}),
            Some(&anna.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let unread = list(&app, &petr.token, "?unread=true").await;
    assert_eq!(unread.items.len(), 1);

    // Bad input: problem+json, nothing changed.
    problem(
        app.get("/api/v1/notifications?limit=0", Some(&petr.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/notifications?cursor=nonsense", Some(&petr.token))
            .await,
        400,
        "bad_request",
    )
    .await;
    problem(
        app.get("/api/v1/notifications?lang=de", Some(&petr.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/notifications", None).await,
        401,
        "unauthenticated",
    )
    .await;

    // Read all.
    let resp = app
        .post(
            "/api/v1/notifications/read-all",
            &json!({}),
            Some(&petr.token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<ReadAll>().await.unwrap().marked, 1);
    assert_eq!(counts(&app, &petr.token).await.system, 0);
    assert!(
        list(&app, &petr.token, "?unread=true")
            .await
            .items
            .is_empty()
    );
}

async fn cursor_pages_newest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let db = app.db().await;
    let now = chrono::Utc::now();
    for number in 1..=5 {
        let event = Event::OfferDeclined {
            order: OrderRef {
                id: Uuid::new_v4(),
                number,
                title: format!("Заказ {number}"),
            },
            engineer_name: None,
        };
        mezha_store::notifications::emit(&db, anna.id, &event, now)
            .await
            .unwrap();
    }
    wait_for_notifications(&app, &anna.token, 5).await;
    let first = list(&app, &anna.token, "?limit=2").await;
    assert_eq!(first.items.len(), 2);
    assert!(
        first.items[0].title.contains("№ 5"),
        "{}",
        first.items[0].title
    );
    let cursor = first.next_cursor.clone().unwrap();
    let second = list(&app, &anna.token, &format!("?limit=2&cursor={cursor}")).await;
    assert!(second.items[0].title.contains("№ 3"));
    let cursor = second.next_cursor.clone().unwrap();
    let third = list(&app, &anna.token, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(third.items.len(), 1);
    assert_eq!(third.next_cursor, None);
}

async fn settings_are_honoured(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;

    let resp = app
        .get("/api/v1/me/notification-settings", Some(&anna.token))
        .await;
    assert_eq!(resp.status(), 200);
    let defaults: NotificationSettings = resp.json().await.unwrap();
    assert_eq!(defaults.language.as_str(), "ru");
    assert_eq!(
        defaults.kinds.len(),
        mezha_api_types::notifications::NotificationKind::ALL.len()
    );
    assert_eq!(defaults.kinds, defaults.defaults);
    let response_received = defaults
        .kinds
        .iter()
        .find(|k| k.kind.as_str() == "response_received")
        .unwrap();
    assert!(response_received.in_app && response_received.email && !response_received.sms);

    // Bad input changes nothing.
    let put = |body: serde_json::Value| {
        app.client
            .put(app.url("/api/v1/me/notification-settings"))
            .bearer_auth(&anna.token)
            .json(&body)
            .send()
    };
    let resp = put(json!({"kinds": [
        {"kind": "response_received", "email": false},
        {"kind": "response_received", "sms": true},
    ]}))
    .await
    .unwrap();
    let p = problem(resp, 422, "validation_failed").await;
    assert_eq!(p.field("kinds[1].kind")[0].code, "duplicate");
    let resp = put(json!({"kinds": [{"kind": "no_such_kind", "email": false}]}))
        .await
        .unwrap();
    problem(resp, 422, "invalid_body").await;
    let resp = put(json!({"language": "de"})).await.unwrap();
    problem(resp, 422, "invalid_body").await;
    let unchanged: NotificationSettings = app
        .get("/api/v1/me/notification-settings", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged, defaults);

    // E-mail off for responses, texts in English.
    let resp =
        put(json!({"language": "en", "kinds": [{"kind": "response_received", "email": false}]}))
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    let saved: NotificationSettings = resp.json().await.unwrap();
    assert_eq!(saved.language.as_str(), "en");
    let rr = saved
        .kinds
        .iter()
        .find(|k| k.kind.as_str() == "response_received")
        .unwrap();
    assert!(rr.in_app && !rr.email);

    let order = published(&app, &anna, "Межевание").await;
    respond(&app, &petr, order.id).await;
    let page = wait_for_notifications(&app, &anna.token, 1).await;
    assert_eq!(
        page.items[0].title,
        format!("New response to order No. {}", order.number),
        "the saved language by default"
    );
    // Processed, and no e-mail delivery was created.
    let db = app.db().await;
    eventually!("the event processed", all_processed(&db).await);
    assert!(
        mezha_store::notifications::deliveries_of(&db, anna.id)
            .await
            .unwrap()
            .is_empty()
    );
    let mails = app.outbox("anna@example.ru").await;
    assert!(
        mails
            .iter()
            .all(|m| !m.subject.as_deref().unwrap_or("").contains("response")),
        "{mails:?}"
    );

    // In-app off: no notification either.
    let resp = put(json!({"kinds": [{"kind": "offer_declined", "in_app": false}]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let event = Event::OfferDeclined {
        order: OrderRef {
            id: order.id,
            number: order.number,
            title: order.title.clone(),
        },
        engineer_name: None,
    };
    mezha_store::notifications::emit(&db, anna.id, &event, chrono::Utc::now())
        .await
        .unwrap();
    eventually!("the event processed", all_processed(&db).await);
    assert_eq!(list(&app, &anna.token, "").await.items.len(), 1);
}

/// Emits `n` events for `user` at once, each on its own connection task.
async fn emit_concurrently(app: &TestApp, user: Uuid, n: usize) {
    let db = app.db().await;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let event = Event::ResultsDelivered {
                    order: OrderRef {
                        id: Uuid::new_v4(),
                        number: i64::try_from(i).unwrap(),
                        title: "Заказ".into(),
                    },
                };
                // SQLite allows one writer: retry when busy.
                for _ in 0..50 {
                    match mezha_store::notifications::emit(&db, user, &event, chrono::Utc::now())
                        .await
                    {
                        Ok(()) => return,
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
                panic!("could not emit");
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

async fn counters_are_exact_under_concurrency(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let user = anna.id;

    // Many notifications at once count exactly.
    emit_concurrently(&app, user, 30).await;
    eventually!("30 unread", counts(&app, &anna.token).await.system == 30);

    // Read-all while more arrive: never negative, the new ones stay unread.
    let reader = {
        let client = app.client.clone();
        let url = app.url("/api/v1/notifications/read-all");
        let token = anna.token.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    emit_concurrently(&app, user, 10).await;
    assert_eq!(reader.await.unwrap(), 200);
    let db = app.db().await;
    eventually!("every event processed", all_processed(&db).await);
    let truth = mezha_store::notifications::unread_ids(&db, user)
        .await
        .unwrap()
        .len() as u64;
    assert_eq!(counts(&app, &anna.token).await.system, truth);

    // The counter primitives themselves: 100 concurrent additions of 50
    // distinct ids (each twice) count 50; concurrent reads count down exactly.
    let unread = mezha_store::counters::Unread::new(app.kv());
    let other = Uuid::new_v4();
    unread
        .rebuild(other, &[], &[], chrono::Utc::now())
        .await
        .unwrap();
    let ids: Vec<Uuid> = (0..50).map(|_| Uuid::now_v7()).collect();
    let adds: Vec<_> = ids
        .iter()
        .chain(ids.iter())
        .map(|id| {
            let unread = unread.clone();
            let id = *id;
            tokio::spawn(async move { unread.add_system(other, id).await.unwrap() })
        })
        .collect();
    for t in adds {
        t.await.unwrap();
    }
    assert_eq!(unread.snapshot(other).await.unwrap().unwrap().system, 50);
    let reads: Vec<_> = ids[..20]
        .iter()
        .chain(ids[..20].iter())
        .map(|id| {
            let unread = unread.clone();
            let id = *id;
            tokio::spawn(async move { unread.read_system(other, id).await.unwrap() })
        })
        .collect();
    for t in reads {
        t.await.unwrap();
    }
    assert_eq!(unread.snapshot(other).await.unwrap().unwrap().system, 30);

    // Chat: two messages at once count two; reading the first keeps the
    // second.
    let order = Uuid::new_v4();
    let (m1, m2) = (Uuid::now_v7(), Uuid::now_v7());
    let (a, b) = tokio::join!(
        unread.add_chat(other, order, m1),
        unread.add_chat(other, order, m2)
    );
    a.unwrap();
    b.unwrap();
    let s = unread.snapshot(other).await.unwrap().unwrap();
    assert_eq!((s.chat_total(), s.chat), (2, vec![(order, 2)]));
    unread.read_chat(other, order, &[m1]).await.unwrap();
    assert_eq!(
        unread.snapshot(other).await.unwrap().unwrap().chat_total(),
        1
    );
}

async fn counters_are_rebuilt_when_redis_loses_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    emit_concurrently(&app, anna.id, 3).await;
    eventually!("3 unread", counts(&app, &anna.token).await.system == 3);
    let page = list(&app, &anna.token, "").await;
    let resp = app
        .post(
            &format!("/api/v1/notifications/{}/read", page.items[0].id),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200);

    // Redis restarts empty (only the counters; sessions are elsewhere).
    let kv = app.kv();
    for key in ["ok", "sys", "sys:gone", "sys:upto"] {
        kv.del(&format!("unread:{}:{key}", anna.id)).await.unwrap();
    }
    assert_eq!(
        mezha_store::counters::Unread::new(kv.clone())
            .snapshot(anna.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(counts(&app, &anna.token).await.system, 2, "recounted");
    assert_eq!(counts(&app, &anna.token).await.system, 2);
    emit_concurrently(&app, anna.id, 1).await;
    eventually!(
        "3 unread again",
        counts(&app, &anna.token).await.system == 3
    );
}

async fn a_failing_mailer_is_retried_and_nothing_is_lost(backend: Backend) {
    let failures = Arc::new(AtomicUsize::new(0));
    let attempts = Arc::new(AtomicUsize::new(0));
    let (f, a) = (Arc::clone(&failures), Arc::clone(&attempts));
    let app = spawn_app_with(
        backend,
        Options {
            wrap_mailer: Some(Box::new(move |inner| {
                Arc::new(FlakyMailer {
                    inner,
                    failures: f,
                    attempts: a,
                })
            })),
            ..Options::default()
        },
    )
    .await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let order = published(&app, &anna, "Межевание").await;
    failures.store(2, Ordering::SeqCst);
    respond(&app, &petr, order.id).await;

    // In-app does not wait for the mail.
    wait_for_notifications(&app, &anna.token, 1).await;
    let db = app.db().await;
    eventually!(
        "the first attempt",
        the_delivery(&db, anna.id)
            .await
            .is_some_and(|d| d.attempts == 1)
    );
    let d = the_delivery(&db, anna.id).await.unwrap();
    assert_eq!(d.status, JobStatus::Pending);
    assert_eq!(d.channel, "email");
    // The queue's metrics say so: one waiting row, one retried attempt.
    let rows = r#"mezha_queue_rows{queue="notification_deliveries",state="waiting"}"#;
    let retried =
        r#"mezha_queue_outcomes_total{queue="notification_deliveries",outcome="retried"}"#;
    let sent = r#"mezha_queue_outcomes_total{queue="notification_deliveries",outcome="done"}"#;
    assert_eq!(metric(&app, rows).await, 1);
    assert_eq!(metric(&app, retried).await, 1);
    assert_eq!(metric(&app, sent).await, 0);
    assert!(
        d.last_error
            .as_deref()
            .unwrap_or("")
            .contains("try again later")
    );
    let is_reply = |m: &mezha_api_types::dev::OutboxMessage| {
        m.subject.as_deref().unwrap_or("").contains("Новый отклик")
    };
    assert!(
        app.outbox("anna@example.ru")
            .await
            .iter()
            .all(|m| !is_reply(m))
    );

    // Not before its time (30 s after the first failure) ...
    app.clock.advance(Duration::from_secs(20));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    // ... then again (fails, next in 60 s), and then delivered.
    app.clock.advance(Duration::from_secs(11));
    eventually!(
        "the second attempt",
        the_delivery(&db, anna.id)
            .await
            .is_some_and(|d| d.attempts == 2)
    );
    app.clock.advance(Duration::from_secs(61));
    let mails = app.wait_for_mails("anna@example.ru", 1, is_reply).await;
    assert_eq!(mails.len(), 1, "delivered once");
    eventually!(
        "sent",
        the_delivery(&db, anna.id)
            .await
            .is_some_and(|d| d.status == JobStatus::Sent)
    );
    assert_eq!(the_delivery(&db, anna.id).await.unwrap().attempts, 3);
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(metric(&app, rows).await, 0);
    assert_eq!(metric(&app, retried).await, 2);
    assert_eq!(metric(&app, sent).await, 1);
}

/// A figure of `GET /metrics`, by its name and labels.
async fn metric(app: &TestApp, series: &str) -> u64 {
    let resp = app.get("/metrics", None).await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{series} not in\n{text}"))
}

on_both_backends!(
    a_marketplace_flow_notifies_the_other_party,
    cursor_pages_newest_first,
    settings_are_honoured,
    counters_are_exact_under_concurrency,
    counters_are_rebuilt_when_redis_loses_them,
    a_failing_mailer_is_retried_and_nothing_is_lost,
);

/// A local SMTP server that answers `451` to the first `failures` DATA
/// commands, then accepts; the messages it accepted.
async fn failing_smtp(failures: usize) -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicUsize::new(failures));
    let store = Arc::clone(&received);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = Arc::clone(&store);
            let failures = Arc::clone(&failures);
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 flaky ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-flaky\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            let failed = failures
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                                    n.checked_sub(1)
                                })
                                .is_ok();
                            if failed {
                                b"451 4.3.0 Mailbox temporarily unavailable\r\n"
                            } else {
                                data = Some(String::new());
                                b"354 go ahead\r\n"
                            }
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, received)
}

/// Notification mails (those with HTML) go to SMTP; account mails stay in
/// the development outbox the helpers read.
struct SmtpForNotifications {
    smtp: mezha_app::messaging::SmtpMailer,
    inner: Arc<dyn Mailer>,
}

#[async_trait::async_trait]
impl Mailer for SmtpForNotifications {
    async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        match mail.html {
            Some(_) => self.smtp.send(mail).await,
            None => self.inner.send(mail).await,
        }
    }
}

async fn a_failing_smtp_server_gets_the_mail_later(backend: Backend) {
    let (port, received) = failing_smtp(1).await;
    let smtp = mezha_app::messaging::SmtpMailer::new(&mezha_app::messaging::SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: "none".into(),
        username: None,
        password: None,
        from: "Mezha <no-reply@mezha.test>".into(),
    })
    .unwrap();
    let app = spawn_app_with(
        backend,
        Options {
            wrap_mailer: Some(Box::new(move |inner| {
                Arc::new(SmtpForNotifications { smtp, inner })
            })),
            ..Options::default()
        },
    )
    .await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let order = published(&app, &anna, "Межевание").await;
    respond(&app, &petr, order.id).await;

    let db = app.db().await;
    eventually!(
        "the refused attempt",
        the_delivery(&db, anna.id)
            .await
            .is_some_and(|d| d.attempts == 1)
    );
    let d = the_delivery(&db, anna.id).await.unwrap();
    assert_eq!(d.status, JobStatus::Pending);
    assert!(d.last_error.is_some());
    assert!(received.lock().unwrap().is_empty());

    app.clock.advance(Duration::from_secs(31));
    eventually!("the mail", !received.lock().unwrap().is_empty());
    eventually!(
        "sent",
        the_delivery(&db, anna.id)
            .await
            .is_some_and(|d| d.status == JobStatus::Sent)
    );
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("To: anna@example.ru"), "{mail}");
    assert!(mail.contains("multipart/alternative"), "{mail}");
    assert!(mail.contains("text/plain"), "{mail}");
    assert!(mail.contains("text/html"), "{mail}");
}

async fn a_moderators_block_reaches_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let out = app.staff("mod@mezha.test", "moderator password 1", "moderator");
    assert!(out.status.success(), "{out:?}");
    let tokens = app.login("mod@mezha.test", "moderator password 1").await;
    let resp = app
        .post(
            &format!("/api/v1/users/{}/block", petr.id),
            &json!({}),
            Some(&tokens.access_token),
        )
        .await;
    assert_eq!(resp.status(), 204);
    // He cannot log in any more; the notification and the mail are there.
    let db = app.db().await;
    eventually!("processed", all_processed(&db).await);
    let (items, _) = mezha_store::notifications::list(&db, petr.id, 10, None, false)
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind.as_str(), "engineer_blocked");
    assert_eq!(items[0].object_kind.as_str(), "account");
    let mails = app
        .wait_for_mails("petr@example.ru", 1, |m| {
            m.subject.as_deref() == Some("Учётная запись заблокирована")
        })
        .await;
    assert_eq!(mails.len(), 1);
}

on_both_backends!(
    a_failing_smtp_server_gets_the_mail_later,
    a_moderators_block_reaches_the_account,
);

async fn join_requests_notify_the_employer_then_the_engineer(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = crate::sro_registry::moderator(&app).await;
    let (org, org_t) =
        crate::employers::employer(&app, "org@example.ru", "ООО «Кадастр-Юг»", "7707083893").await;
    let (_, ivan_t) = crate::sro_registry::engineer(
        &app,
        &moderator,
        "ivan@example.ru",
        801_901_101,
        "Иванов Иван",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/employers/{org}/join-requests"),
            &crate::employers::basis(),
            Some(&ivan_t),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let request: serde_json::Value = resp.json().await.unwrap();
    let page = wait_for_notifications(&app, &org_t, 1).await;
    assert_eq!(page.items[0].kind.as_str(), "join_request_received");
    assert_eq!(page.items[0].object.kind.as_str(), "employment");
    assert!(
        page.items[0].body.contains("Иванов Иван"),
        "{}",
        page.items[0].body
    );

    let resp = app
        .post(
            &format!(
                "/api/v1/join-requests/{}/approve",
                request["id"].as_str().unwrap()
            ),
            &json!({}),
            Some(&org_t),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let page = wait_for_notifications(&app, &ivan_t, 1).await;
    assert_eq!(page.items[0].kind.as_str(), "join_request_decided");
    assert_eq!(page.items[0].title, "Заявка одобрена");
    assert!(page.items[0].body.contains("Кадастр-Юг"));
}

on_both_backends!(join_requests_notify_the_employer_then_the_engineer);

async fn the_ca_tells_the_owner(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, application, _) = crate::certificates::approved(&app, "owner@example.ru").await;
    let page = wait_for_notifications(&app, &token, 1).await;
    assert_eq!(
        page.items[0].kind.as_str(),
        "certificate_application_approved"
    );
    assert_eq!(page.items[0].object.id, application.id);
    let key = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
    let cert = crate::certificates::issue(&app, &token, application.id, &key).await;
    let page = wait_for_notifications(&app, &token, 2).await;
    assert_eq!(page.items[0].kind.as_str(), "certificate_issued");
    assert_eq!(page.items[0].object.kind.as_str(), "certificate");
    assert_eq!(page.items[0].object.id, cert.id);
    assert!(page.items[0].body.contains(&cert.serial));
}

on_both_backends!(the_ca_tells_the_owner);

async fn concurrent_claims_never_share_a_row(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    // Four claimers at once (the app's own worker is a fifth): whoever
    // wins a row, no row is won twice.
    let db = app.db().await;
    let now = chrono::Utc::now();
    for i in 0..40 {
        let event = Event::PaymentMarked {
            order: OrderRef {
                id: Uuid::new_v4(),
                number: i,
                title: "Заказ".into(),
            },
        };
        mezha_store::notifications::emit(&db, anna.id, &event, now)
            .await
            .unwrap();
    }
    let claims: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                mezha_store::notifications::claim_events(
                    &db,
                    chrono::Utc::now(),
                    Duration::from_secs(600),
                    15,
                )
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.lease.id)
                .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for c in claims {
        for id in c.await.unwrap() {
            assert!(seen.insert(id), "{id} claimed twice");
        }
    }
}

on_both_backends!(concurrent_claims_never_share_a_row);
