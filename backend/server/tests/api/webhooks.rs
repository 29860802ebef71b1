//! Webhooks through HTTP (docs/webhooks.md): a real marketplace
//! event reaches a local receiver signed with the webhook's secret; a
//! failing receiver is retried on the backoff schedule of the application
//! clock and the log shows each attempt; kinds not subscribed are not
//! sent; internal addresses are refused unless allowed; bad input stores
//! nothing; another user's webhook is 404.

use crate::helpers::{Backend, Options, TestApp, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use mezha_api_types::webhooks::{
    CreatedWebhook, DeliveryStatus, WebhookDeliveryList, WebhookList, WebhookPayload,
};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A request the receiver got: lower-case headers and the body.
#[derive(Debug, Clone)]
struct Received {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// A local HTTP receiver on 127.0.0.1 that records every request and
/// answers the statuses scripted, then 200.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(script: &[u16]) -> Receiver {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let store = Arc::clone(&received);
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let store = Arc::clone(&store);
                let script = Arc::clone(&script);
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let (head_end, length) = loop {
                        let Ok(n) = socket.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (i + 4, length);
                        }
                    };
                    while buf.len() < head_end + length {
                        let Ok(n) = socket.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let headers = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
                        .collect();
                    store.lock().unwrap().push(Received {
                        headers,
                        body: buf[head_end..head_end + length].to_vec(),
                    });
                    let status = script.lock().unwrap().pop_front().unwrap_or(200);
                    let reply = format!(
                        "HTTP/1.1 {status} Whatever\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks/mezha"),
            received,
        }
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
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

async fn register(app: &TestApp, token: &str, url: &str, kinds: &[&str]) -> CreatedWebhook {
    let resp = app
        .post(
            "/api/v1/webhooks",
            &json!({"url": url, "kinds": kinds}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn log(app: &TestApp, token: &str, webhook: Uuid) -> WebhookDeliveryList {
    let resp = app
        .get(
            &format!("/api/v1/webhooks/{webhook}/deliveries"),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn list(app: &TestApp, token: &str) -> WebhookList {
    let resp = app.get("/api/v1/webhooks", Some(token)).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn respond(app: &TestApp, engineer: &Party, order: Uuid) {
    let resp = app
        .post(
            &format!("/api/v1/orders/{order}/responses"),
            &json!({"price": 23000, "deadline_days": 20, "message": "Готов."}),
            Some(&engineer.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
}

async fn a_response_reaches_the_customers_webhook(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let receiver = Receiver::start(&[]).await;
    let other = Receiver::start(&[]).await;
    let hook = register(&app, &anna.token, &receiver.url, &["response_received"]).await;
    assert!(hook.secret.starts_with("whsec_"));
    let unsubscribed = register(&app, &anna.token, &other.url, &["offer_accepted"]).await;
    let listed = list(&app, &anna.token).await;
    assert_eq!(listed.items.len(), 2);
    assert_eq!(listed.items[0].id, hook.id);
    assert_eq!(listed.next_cursor, None);
    // A page at a time, oldest first.
    let first: WebhookList = app
        .get("/api/v1/webhooks?limit=1", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first.items[0].id, hook.id);
    let next: WebhookList = app
        .get(
            &format!(
                "/api/v1/webhooks?limit=1&cursor={}",
                first.next_cursor.unwrap()
            ),
            Some(&anna.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next.items[0].id, unsubscribed.id);
    assert_eq!(next.next_cursor, None);
    let raw = app
        .get("/api/v1/webhooks", Some(&anna.token))
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains(&hook.secret), "the secret is shown only once");

    let order = create(&app, &anna.token, &complete_order("Межевание участка")).await;
    let order = publish(&app, &anna.token, order.id).await;
    respond(&app, &petr, order.id).await;

    eventually!("the webhook request", !receiver.requests().is_empty());
    let got = receiver.requests().remove(0);
    let header = |name: &str| got.headers.get(name).cloned().unwrap_or_default();
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("mezha-event"), "response_received");
    assert_eq!(header("mezha-webhook-id"), hook.id.to_string());
    let timestamp: i64 = header("mezha-timestamp").parse().unwrap();
    assert!(mezha_domain::webhooks::verify(
        &hook.secret,
        timestamp,
        &got.body,
        &header("mezha-signature")
    ));
    assert!(!mezha_domain::webhooks::verify(
        "whsec_wrong",
        timestamp,
        &got.body,
        &header("mezha-signature")
    ));
    let payload: WebhookPayload = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(payload.id.to_string(), header("mezha-delivery"));
    assert_eq!(payload.event.as_str(), "response_received");
    assert_eq!(payload.data.object.id, order.id);
    assert_eq!(
        payload.data.link,
        format!("http://mezha.test/orders/{}", order.id)
    );
    assert_eq!(
        payload.data.details["order"]["title"],
        Value::from("Межевание участка")
    );
    assert!(payload.data.title.contains(&order.number.to_string()));

    eventually!(
        "the log says sent",
        log(&app, &anna.token, hook.id)
            .await
            .items
            .first()
            .is_some_and(|d| d.status == DeliveryStatus::Sent)
    );
    let entry = log(&app, &anna.token, hook.id).await.items.remove(0);
    assert_eq!(entry.id, payload.id);
    assert_eq!(entry.attempts, 1);
    assert_eq!(entry.last_status, Some(200));
    assert!(entry.sent_at.is_some());

    // The kind it did not subscribe to is not sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(other.requests().is_empty());
    assert!(
        log(&app, &anna.token, unsubscribed.id)
            .await
            .items
            .is_empty()
    );
    // The engineer has no webhook: nothing else arrived.
    assert_eq!(receiver.requests().len(), 1);
}

async fn a_failing_receiver_gets_it_on_the_third_attempt(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let receiver = Receiver::start(&[500, 500]).await;
    let hook = register(&app, &anna.token, &receiver.url, &["response_received"]).await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    let order = publish(&app, &anna.token, order.id).await;
    respond(&app, &petr, order.id).await;

    eventually!(
        "the first attempt",
        log(&app, &anna.token, hook.id)
            .await
            .items
            .first()
            .is_some_and(|d| d.attempts == 1)
    );
    let d = log(&app, &anna.token, hook.id).await.items.remove(0);
    assert_eq!(d.status, DeliveryStatus::Pending);
    assert_eq!(d.last_status, Some(500));
    assert!(d.last_error.as_deref().unwrap_or("").contains("500"));
    assert!(d.next_attempt_at.is_some());

    // Not before its time (30 s after the first failure) ...
    app.clock.advance(Duration::from_secs(20));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.requests().len(), 1);
    // ... then again (500 again, next in 60 s), and then delivered.
    app.clock.advance(Duration::from_secs(11));
    eventually!(
        "the second attempt",
        log(&app, &anna.token, hook.id)
            .await
            .items
            .first()
            .is_some_and(|d| d.attempts == 2)
    );
    app.clock.advance(Duration::from_secs(61));
    eventually!(
        "sent",
        log(&app, &anna.token, hook.id)
            .await
            .items
            .first()
            .is_some_and(|d| d.status == DeliveryStatus::Sent)
    );
    let d = log(&app, &anna.token, hook.id).await.items.remove(0);
    assert_eq!(d.attempts, 3);
    assert_eq!(d.last_status, Some(200));
    assert_eq!(d.last_error, None);
    let requests = receiver.requests();
    assert_eq!(requests.len(), 3, "delivered once, after two failures");
    let ids: Vec<&String> = requests
        .iter()
        .map(|r| &r.headers["mezha-delivery"])
        .collect();
    assert!(ids.iter().all(|id| **id == d.id.to_string()));
}

async fn bad_input_and_other_users(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let bob = customer(&app, "bob@example.ru").await;

    // Unauthenticated.
    problem(
        app.get("/api/v1/webhooks", None).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(
        app.post(
            "/api/v1/webhooks",
            &json!({"url": "https://example.com/", "kinds": ["response_received"]}),
            None,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;

    // Bad input: 422, nothing stored.
    for (body, field) in [
        (
            json!({"url": "ftp://example.com/", "kinds": ["response_received"]}),
            "url",
        ),
        (
            json!({"url": format!("http://127.0.0.1/{}", "a".repeat(2000)), "kinds": ["response_received"]}),
            "url",
        ),
        (json!({"url": "http://127.0.0.1:9/", "kinds": []}), "kinds"),
        (
            json!({"url": "http://127.0.0.1:9/", "kinds": ["offer_accepted", "offer_accepted"]}),
            "kinds",
        ),
    ] {
        let p = problem(
            app.post("/api/v1/webhooks", &body, Some(&anna.token)).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(p.errors.unwrap().contains_key(field), "{body}");
    }
    problem(
        app.post(
            "/api/v1/webhooks",
            &json!({"url": "http://127.0.0.1:9/", "kinds": ["no_such_kind"]}),
            Some(&anna.token),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    assert!(list(&app, &anna.token).await.items.is_empty());

    // Another user's webhook is 404; the owner deletes it.
    let hook = register(
        &app,
        &anna.token,
        "http://127.0.0.1:9/",
        &["offer_accepted"],
    )
    .await;
    let path = format!("/api/v1/webhooks/{}", hook.id);
    problem(
        app.client
            .delete(app.url(&path))
            .bearer_auth(&bob.token)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("{path}/deliveries"), Some(&bob.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert!(list(&app, &bob.token).await.items.is_empty());
    let resp = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&anna.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    problem(
        app.get(&format!("{path}/deliveries"), Some(&anna.token))
            .await,
        404,
        "not_found",
    )
    .await;

    // At most 10 per account.
    for i in 0..10 {
        register(
            &app,
            &anna.token,
            &format!("http://127.0.0.1:9/{i}"),
            &["offer_accepted"],
        )
        .await;
    }
    let p = problem(
        app.post(
            "/api/v1/webhooks",
            &json!({"url": "http://127.0.0.1:9/11", "kinds": ["offer_accepted"]}),
            Some(&anna.token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.errors.unwrap().contains_key("webhooks"));
    assert_eq!(list(&app, &anna.token).await.items.len(), 10);
}

async fn internal_addresses_are_refused_unless_allowed(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            webhooks_allow_private: Some(false),
            ..Options::default()
        },
    )
    .await;
    let anna = customer(&app, "anna@example.ru").await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://localhost:9000/hook",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[fd00::1]/",
    ] {
        let p = problem(
            app.post(
                "/api/v1/webhooks",
                &json!({"url": url, "kinds": ["response_received"]}),
                Some(&anna.token),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        let errors = p.errors.unwrap();
        assert_eq!(errors["url"][0].code, "address_not_allowed", "{url}");
    }
    assert!(list(&app, &anna.token).await.items.is_empty());
    // A public literal address is accepted (nothing is sent to it here).
    register(
        &app,
        &anna.token,
        "https://93.184.216.34/hook",
        &["offer_accepted"],
    )
    .await;
}

async fn a_retried_registration_registers_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let send = |url: &'static str| {
        app.client
            .post(app.url("/api/v1/webhooks"))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", "0193c2d4-hook-1")
            .json(&json!({"url": url, "kinds": ["response_received"]}))
            .send()
    };
    let first = send("http://127.0.0.1:9/hook").await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: CreatedWebhook = first.json().await.unwrap();
    // The retry (the answer was lost on the way): the same webhook and secret.
    let again = send("http://127.0.0.1:9/hook").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: CreatedWebhook = again.json().await.unwrap();
    assert_eq!(again, first);
    // The key with another request is refused and registers nothing.
    problem(
        send("http://127.0.0.1:9/other").await.unwrap(),
        422,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(list(&app, &anna.token).await.items.len(), 1);
}

on_both_backends!(
    a_response_reaches_the_customers_webhook,
    a_failing_receiver_gets_it_on_the_third_attempt,
    bad_input_and_other_users,
    internal_addresses_are_refused_unless_allowed,
    a_retried_registration_registers_once,
);
