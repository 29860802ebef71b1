//! Live events through HTTP (docs/notifications.md, "Live events (SSE)"): notifications and
//! counters arrive as Server-Sent Events; a reconnect with `Last-Event-ID`
//! replays exactly what was missed; heartbeats; tickets; the per-user
//! stream bound and its release on disconnect; and two replicas sharing
//! PostgreSQL and Redis, where an event caused through one reaches a
//! stream opened on the other.

use crate::helpers::{Backend, Options, TestApp, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use futures_util::StreamExt as _;
use mezha_api_types::events::EventTicket;
use mezha_api_types::notifications::{NotificationList, UnreadCounts};
use serde_json::{Value, json};
use std::pin::Pin;
use std::time::Duration;

type Body =
    Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<actix_web::web::Bytes>> + Send>>;

/// One SSE frame: an event, or a comment (heartbeat).
#[derive(Debug, Clone)]
enum Frame {
    Comment(String),
    Event {
        event: String,
        id: Option<String>,
        data: Value,
    },
}

/// An open event stream, read frame by frame; every read times out.
struct Sse {
    body: Body,
    buf: Vec<u8>,
}

impl Sse {
    /// The next frame within `wait`; `None` when none came or the stream ended.
    async fn frame_within(&mut self, wait: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Bytes until a frame is whole: a chunk may split a character.
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\n\n") {
                let raw: Vec<u8> = self.buf.drain(..end + 2).collect();
                return Some(parse(std::str::from_utf8(&raw).unwrap()));
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next()).await;
            match chunk {
                Ok(Some(Ok(bytes))) => self.buf.extend_from_slice(&bytes),
                Ok(Some(Err(e))) => panic!("reading the stream: {e}"),
                Ok(None) | Err(_) => return None,
            }
        }
    }

    /// Whether the server ends the stream within `wait` (what it still
    /// sends before is read and dropped).
    async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => return true,
                Err(_) => return false,
            }
        }
    }

    /// Every byte the server still sends, if it ends the stream within
    /// `wait` (`None` when it does not).
    async fn rest_within(&mut self, wait: Duration) -> Option<Vec<u8>> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut rest = std::mem::take(&mut self.buf);
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(bytes))) => rest.extend_from_slice(&bytes),
                Ok(Some(Err(_))) | Ok(None) => return Some(rest),
                Err(_) => return None,
            }
        }
    }

    /// The next event (skipping heartbeats), within 10 s.
    async fn event(&mut self) -> (String, Option<String>, Value) {
        loop {
            match self.frame_within(Duration::from_secs(10)).await {
                Some(Frame::Event { event, id, data }) => return (event, id, data),
                Some(Frame::Comment(_)) => {}
                None => panic!("no event within 10 s"),
            }
        }
    }

    /// The next event named `name`, skipping others, within 10 s.
    async fn next_named(&mut self, name: &str) -> (Option<String>, Value) {
        loop {
            let (event, id, data) = self.event().await;
            if event == name {
                return (id, data);
            }
        }
    }

    /// Events (not heartbeats) arriving within `wait`.
    async fn events_within(&mut self, wait: Duration) -> Vec<(String, Option<String>, Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.frame_within(left).await {
                Some(Frame::Event { event, id, data }) => out.push((event, id, data)),
                Some(Frame::Comment(_)) => {}
                None => return out,
            }
        }
    }
}

fn parse(raw: &str) -> Frame {
    let (mut event, mut id, mut data) = (None, None, String::new());
    for line in raw.lines() {
        if let Some(c) = line.strip_prefix(':') {
            return Frame::Comment(c.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("event: ") {
            event = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("id: ") {
            id = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push_str(v);
        }
    }
    Frame::Event {
        event: event.unwrap_or_else(|| "message".into()),
        id,
        data: serde_json::from_str(&data).unwrap_or_else(|e| panic!("data ({e}): {raw}")),
    }
}

/// `GET /events` + `query` with the token (Bearer) and `Last-Event-ID`.
async fn connect(
    app: &TestApp,
    query: &str,
    token: Option<&str>,
    last: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .get(app.url(&format!("/api/v1/events{query}")))
        // The compression middleware must let the stream through as it is.
        .header("accept-encoding", "gzip");
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(last) = last {
        req = req.header("last-event-id", last);
    }
    tokio::time::timeout(Duration::from_secs(10), req.send())
        .await
        .expect("the stream's head within 10 s")
        .expect("request")
}

/// Opens a stream that must succeed.
async fn open(app: &TestApp, query: &str, token: Option<&str>, last: Option<&str>) -> Sse {
    let resp = connect(app, query, token, last).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let headers = resp.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(headers.get("content-encoding").is_none(), "{headers:?}");
    assert!(headers.get("content-length").is_none(), "{headers:?}");
    Sse {
        body: Box::pin(resp.bytes_stream()),
        buf: Vec::new(),
    }
}

async fn counts(app: &TestApp, token: &str) -> UnreadCounts {
    let resp = app
        .get("/api/v1/notifications/unread-counts", Some(token))
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn list(app: &TestApp, token: &str) -> Value {
    let resp = app.get("/api/v1/notifications", Some(token)).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// A published order of `customer` that `engineer` responds to: one
/// `response_received` notification for the customer.
async fn respond_to_new_order(app: &TestApp, customer: &Party, engineer: &Party, title: &str) {
    let order = create(app, &customer.token, &complete_order(title)).await;
    let order = publish(app, &customer.token, order.id).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{}/responses", order.id),
            &json!({"price": 23000, "deadline_days": 20, "message": "Готов."}),
            Some(&engineer.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
}

async fn wait_for_notifications(app: &TestApp, token: &str, n: usize) -> NotificationList {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let resp = app.get("/api/v1/notifications", Some(token)).await;
        let page: NotificationList = resp.json().await.unwrap();
        if page.items.len() >= n {
            return page;
        }
        assert!(std::time::Instant::now() < deadline, "no {n} notifications");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_notification_and_its_counters_arrive_live(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let mut sse = open(&app, "", Some(&anna.token), None).await;
    // Every connection starts with the counters.
    let (event, id, data) = sse.event().await;
    assert_eq!((event.as_str(), id), ("counters", None));
    assert_eq!(
        data,
        json!({"system": 0, "chat_total": 0, "chat_by_order": []})
    );

    respond_to_new_order(&app, &anna, &petr, "Межевание участка").await;
    let (id, data) = sse.next_named("notification").await;
    // The event is the notification exactly as the list shows it, and its
    // SSE id is the notification's id.
    let listed = list(&app, &anna.token).await;
    assert_eq!(data, listed["items"][0]);
    assert_eq!(id.as_deref(), data["id"].as_str());
    assert_eq!(data["kind"], "response_received");
    assert_eq!(data["read_at"], Value::Null);
    let (_, data) = sse.next_named("counters").await;
    assert_eq!(data["system"], 1);

    // Reading it changes the counters: another event.
    let resp = app
        .post(
            &format!("/api/v1/notifications/{}/read", id.unwrap()),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let (id, data) = sse.next_named("counters").await;
    assert_eq!((id, data["system"].clone()), (None, json!(0)));

    // Nothing else is pending for anna (petr's events are his own).
    assert!(
        sse.events_within(Duration::from_millis(700))
            .await
            .is_empty()
    );
}

async fn heartbeats_keep_the_stream_alive(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let mut sse = open(&app, "", Some(&anna.token), None).await;
    let _counters = sse.event().await;
    // The tests' heartbeat is 300 ms: two within 2 s, and no event.
    let mut beats = 0;
    while beats < 2 {
        match sse.frame_within(Duration::from_secs(2)).await {
            Some(Frame::Comment(c)) => {
                assert_eq!(c, "heartbeat");
                beats += 1;
            }
            other => panic!("expected a heartbeat, got {other:?}"),
        }
    }
}

/// `got` is the notifications `ids` in this order, then only counters, the
/// last of them `system` unread.
fn assert_replayed(got: &[(String, Option<String>, Value)], ids: &[&str], system: u64) {
    let names: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|(e, id, _)| (e.as_str(), id.as_deref()))
        .collect();
    let (replayed, rest) = names.split_at(ids.len().min(names.len()));
    let expected: Vec<(&str, Option<&str>)> =
        ids.iter().map(|id| ("notification", Some(*id))).collect();
    assert_eq!(replayed, expected.as_slice(), "{names:?}");
    assert!(
        !rest.is_empty() && rest.iter().all(|n| *n == ("counters", None)),
        "{names:?}"
    );
    assert_eq!(got.last().unwrap().2["system"], system);
}

async fn a_reconnect_replays_exactly_what_was_missed(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let mut sse = open(&app, "", Some(&anna.token), None).await;
    respond_to_new_order(&app, &anna, &petr, "Первый").await;
    let (first, _) = sse.next_named("notification").await;
    let first = first.unwrap();
    drop(sse);

    // Two more while disconnected.
    respond_to_new_order(&app, &anna, &petr, "Второй").await;
    respond_to_new_order(&app, &anna, &petr, "Третий").await;
    let page = wait_for_notifications(&app, &anna.token, 3).await;
    let (second, third) = (page.items[1].id.to_string(), page.items[0].id.to_string());

    // Header: exactly the two, oldest first, then the counters, then no
    // other notification. (The worker may still be publishing the third's
    // live events: the notification is then skipped as already sent, and
    // its `counters` follows — a counters event more, never a duplicate.)
    let mut sse = open(&app, "", Some(&anna.token), Some(&first)).await;
    let got = sse.events_within(Duration::from_millis(1500)).await;
    assert_replayed(&got, &[&second, &third], 3);

    // The query parameter does the same for clients that cannot set headers.
    let mut sse = open(
        &app,
        &format!("?last_event_id={second}"),
        Some(&anna.token),
        None,
    )
    .await;
    let got = sse.events_within(Duration::from_millis(1000)).await;
    assert_replayed(&got, &[&third], 3);

    // An id this stream never sent is 400.
    let resp = connect(&app, "", Some(&anna.token), Some("not-an-id")).await;
    problem(resp, 400, "bad_request").await;
}

async fn emit(app: &TestApp, user: uuid::Uuid, numbers: std::ops::RangeInclusive<i64>) {
    let db = app.db().await;
    for number in numbers {
        let event = mezha_domain::notifications::Event::OfferDeclined {
            order: mezha_domain::notifications::OrderRef {
                id: uuid::Uuid::new_v4(),
                number,
                title: format!("Заказ {number}"),
            },
            engineer_name: None,
        };
        mezha_store::notifications::emit(&db, user, &event, chrono::Utc::now())
            .await
            .unwrap();
    }
}

async fn a_long_absence_is_replayed_page_by_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let mut sse = open(&app, "", Some(&anna.token), None).await;
    emit(&app, anna.id, 1..=1).await;
    let (first, _) = sse.next_named("notification").await;
    drop(sse);
    // 250 while away: more than two pages of the replay.
    emit(&app, anna.id, 2..=251).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while counts(&app, &anna.token).await.system < 251 {
        assert!(std::time::Instant::now() < deadline, "not all processed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut sse = open(&app, "", Some(&anna.token), first.as_deref()).await;
    let mut ids = Vec::new();
    loop {
        let (event, id, data) = sse.event().await;
        if event == "counters" {
            assert_eq!(data["system"], 251);
            break;
        }
        assert_eq!(event, "notification");
        ids.push(id.unwrap().parse::<uuid::Uuid>().unwrap());
    }
    assert_eq!(ids.len(), 250, "each missed one, once");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert!(ids[0] > first.unwrap().parse::<uuid::Uuid>().unwrap());
}

/// The chat message `resp` answered (201).
async fn said(resp: reqwest::Response) -> String {
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let m: mezha_api_types::chat::ChatMessage = resp.json().await.unwrap();
    m.id.to_string()
}

async fn missed_chat_messages_are_replayed_with_notifications(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, petr, order) = crate::chat::parties(&app).await;
    let mut sse = open(&app, "", Some(&petr.token), None).await;
    let first = said(crate::chat::say(&app, &anna.token, order, "Первое").await).await;
    let (id, data) = sse.next_named("chat_message").await;
    assert_eq!(id.as_deref(), Some(first.as_str()));
    assert_eq!(data["text"], "Первое");
    drop(sse);

    // While Petr is away: a message, a notification, another message.
    let second = said(crate::chat::say(&app, &anna.token, order, "Второе").await).await;
    emit(&app, petr.id, 1..=1).await;
    let note = wait_for_notifications(&app, &petr.token, 1).await.items[0]
        .id
        .to_string();
    let third = said(crate::chat::say(&app, &anna.token, order, "Третье").await).await;

    // Resuming after the first message: all three, in commit order, each
    // once, then the counters (the three messages are unread: a live
    // event is not reading), and one notification.
    let mut sse = open(&app, "", Some(&petr.token), Some(&first)).await;
    let mut got = Vec::new();
    loop {
        let (event, id, data) = sse.event().await;
        if event == "counters" {
            assert_eq!(
                (data["system"].clone(), data["chat_total"].clone()),
                (json!(1), json!(3))
            );
            break;
        }
        got.push((event, id.unwrap()));
    }
    let expected = [
        ("chat_message", &second),
        ("notification", &note),
        ("chat_message", &third),
    ];
    let got: Vec<(&str, &String)> = got.iter().map(|(e, id)| (e.as_str(), id)).collect();
    assert_eq!(got, expected);

    // Resuming after the notification: the one message after it.
    let mut sse = open(&app, "", Some(&petr.token), Some(&note)).await;
    let got = sse.events_within(Duration::from_millis(1000)).await;
    let names: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|(e, id, _)| (e.as_str(), id.as_deref()))
        .collect();
    assert_eq!(
        names[0],
        ("chat_message", Some(third.as_str())),
        "{names:?}"
    );
    assert!(
        names[1..].iter().all(|n| *n == ("counters", None)),
        "{names:?}"
    );

    // Another server's clock ran an hour ahead when it handed Petr his
    // newest id: the next message still comes after it, not before.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let ahead = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        (chrono::Utc::now().timestamp() + 3600) as u64,
        0,
    ));
    mezha_store::entities::live_event_cursors::ActiveModel {
        user_id: Set(petr.id),
        last_id: Set(ahead),
    }
    .update(&app.db().await)
    .await
    .unwrap();
    let fourth = said(crate::chat::say(&app, &anna.token, order, "Четвёртое").await).await;
    assert!(fourth.parse::<uuid::Uuid>().unwrap() > ahead);
    let mut sse = open(&app, "", Some(&petr.token), Some(&ahead.to_string())).await;
    let (id, data) = sse.next_named("chat_message").await;
    assert_eq!(
        (id.as_deref(), &data["text"]),
        (Some(fourth.as_str()), &json!("Четвёртое"))
    );
}

async fn tickets_authenticate_once_and_streams_are_bounded(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;

    // No credentials, a bad ticket: 401 problem+json.
    problem(connect(&app, "", None, None).await, 401, "unauthenticated").await;
    problem(
        connect(&app, "?ticket=nonsense", None, None).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(
        app.post("/api/v1/events/ticket", &json!({}), None).await,
        401,
        "unauthenticated",
    )
    .await;

    let ticket = |app: &TestApp| {
        let token = anna.token.clone();
        let app_url = app.url("/api/v1/events/ticket");
        let client = app.client.clone();
        async move {
            let resp = client
                .post(app_url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            resp.json::<EventTicket>().await.unwrap()
        }
    };
    let t = ticket(&app).await;
    assert_eq!(t.expires_in, 60);
    let mut sse = open(&app, &format!("?ticket={}", t.ticket), None, None).await;
    assert_eq!(sse.event().await.0, "counters");
    // Once only.
    problem(
        connect(&app, &format!("?ticket={}", t.ticket), None, None).await,
        401,
        "unauthenticated",
    )
    .await;
    // Expired after 60 s of the application clock.
    let t = ticket(&app).await;
    app.clock.advance(Duration::from_secs(61));
    problem(
        connect(&app, &format!("?ticket={}", t.ticket), None, None).await,
        401,
        "unauthenticated",
    )
    .await;
    drop(sse);

    // At most five streams per user here: a sixth ends the oldest (a page
    // reloaded five times must not lock its user out of live updates).
    let token = app
        .login("anna@example.ru", "correct horse battery")
        .await
        .access_token;
    let mut streams = Vec::new();
    for _ in 0..5 {
        streams.push(open(&app, "", Some(&token), None).await);
    }
    let mut newest = open(&app, "", Some(&token), None).await;
    // The oldest is told why (so the web app does not reconnect in a loop)
    // and ended.
    streams[0].next_named("replaced").await;
    assert!(
        streams[0].ends_within(Duration::from_secs(5)).await,
        "the oldest stream is ended"
    );
    for other in &mut streams[1..] {
        assert!(!other.ends_within(Duration::from_millis(100)).await);
    }
    assert!(!newest.ends_within(Duration::from_millis(100)).await);
}

/// A stream whose client has gone is released at once, not at the next
/// heartbeat: with heartbeats a minute apart, four streams closed by their
/// clients leave room for four new ones without ending the fifth, still
/// open (were the closed ones still counted, the first new one would end
/// it as the oldest).
async fn a_closed_stream_is_released_at_once(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            events_heartbeat: Some(Duration::from_secs(60)),
            ..Options::default()
        },
    )
    .await;
    let anna = app.user("anna@example.ru").await;
    let token = anna.tokens.access_token;
    let mut first = open(&app, "", Some(&token), None).await;
    let mut gone = Vec::new();
    for _ in 0..4 {
        gone.push(open(&app, "", Some(&token), None).await);
    }
    drop(gone);
    // The server learns of the closed connections from their sockets.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut fresh = Vec::new();
    for _ in 0..4 {
        fresh.push(open(&app, "", Some(&token), None).await);
    }
    let replaced = first
        .events_within(Duration::from_secs(1))
        .await
        .into_iter()
        .any(|(event, _, _)| event == "replaced");
    assert!(!replaced, "the open stream was ended for closed ones");
    // A sixth does end the oldest open one.
    fresh.push(open(&app, "", Some(&token), None).await);
    let (event, _, _) = first.event().await;
    assert_eq!(event, "replaced");
}

on_both_backends!(
    a_notification_and_its_counters_arrive_live,
    heartbeats_keep_the_stream_alive,
    a_reconnect_replays_exactly_what_was_missed,
    a_long_absence_is_replayed_page_by_page,
    tickets_authenticate_once_and_streams_are_bounded,
    missed_chat_messages_are_replayed_with_notifications,
    a_closed_stream_is_released_at_once,
);

/// Two replicas on one PostgreSQL database and one Redis: an event caused
/// through one reaches streams on both, and both count the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_deliver_each_others_events() {
    let a = spawn_app(Backend::Services).await;
    let b = a.replica().await;
    let anna = customer(&a, "anna@example.ru").await;
    let petr = engineer(&a, "petr@example.ru", &["50"], true).await;
    // Anna's token from A is good on B (shared keys and sessions).
    let mut on_a = open(&a, "", Some(&anna.token), None).await;
    let mut on_b = open(&b, "", Some(&anna.token), None).await;
    assert_eq!(on_b.event().await.0, "counters");

    // Either replica's worker may create the notification: both streams
    // get it, so at least one got it from the other process.
    respond_to_new_order(&a, &anna, &petr, "Межевание").await;
    let (id_b, data_b) = on_b.next_named("notification").await;
    let (id_a, _) = on_a.next_named("notification").await;
    assert_eq!(id_a, id_b);
    assert_eq!(data_b["kind"], "response_received");
    assert_eq!(counts(&a, &anna.token).await, counts(&b, &anna.token).await);
    assert_eq!(counts(&b, &anna.token).await.system, 1);

    // Read through A (this request publishes from A): B's stream hears it.
    let resp = a
        .post(
            "/api/v1/notifications/read-all",
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    loop {
        let (_, data) = on_b.next_named("counters").await;
        if data["system"] == 0 {
            break;
        }
    }
    assert_eq!(counts(&a, &anna.token).await, counts(&b, &anna.token).await);
    assert_eq!(counts(&a, &anna.token).await.system, 0);
    drop(b);
}

/// Two server processes (the `mezha` binary beside the app of the test) on
/// different ports, sharing PostgreSQL and Redis: a chat message posted
/// through one arrives on a stream opened on the other, both ways, and
/// both count the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_message_crosses_server_processes() {
    let a = spawn_app(Backend::Services).await;
    let b = a.replica_process().await;
    let (anna, petr, order) = crate::chat::parties(&a).await;
    let mut petr_on_b = open(&b, "", Some(&petr.token), None).await;
    let mut anna_on_a = open(&a, "", Some(&anna.token), None).await;
    assert_eq!(petr_on_b.event().await.0, "counters");
    assert_eq!(anna_on_a.event().await.0, "counters");

    let sent = said(crate::chat::say(&a, &anna.token, order, "Через A").await).await;
    // His counters first (they are published before the message), then
    // the message.
    let (_, data) = petr_on_b.next_named("counters").await;
    assert_eq!(data["chat_total"], 1);
    let (id, data) = petr_on_b.next_named("chat_message").await;
    assert_eq!(
        (id.as_deref(), &data["text"]),
        (Some(sent.as_str()), &json!("Через A"))
    );
    assert_eq!(counts(&a, &petr.token).await, counts(&b, &petr.token).await);
    assert_eq!(counts(&b, &petr.token).await.chat_total, 1);

    // Petr answers through B (reading the chat there): Anna's stream on A
    // has it, and his counter is clear on both.
    let sent = said(crate::chat::say(&b, &petr.token, order, "Через B").await).await;
    // (Her own message came to her stream first: every open stream of the
    // chat's people shows it.)
    let (own, _) = anna_on_a.next_named("chat_message").await;
    assert_ne!(own.as_deref(), Some(sent.as_str()));
    let (id, data) = anna_on_a.next_named("chat_message").await;
    assert_eq!(
        (id.as_deref(), &data["text"]),
        (Some(sent.as_str()), &json!("Через B"))
    );
    assert_eq!(counts(&a, &petr.token).await.chat_total, 0);
    assert_eq!(counts(&a, &anna.token).await, counts(&b, &anna.token).await);
    assert_eq!(counts(&b, &anna.token).await.chat_total, 1);
    drop(b);
}

/// A replica told to stop (SIGTERM, as an orchestrator does) stops
/// gracefully: its live-event stream ends at once with a reconnection hint
/// (to another replica, with `Last-Event-ID`), an upload still arriving is
/// received and stored, and the process then exits by itself, successfully
/// (docs/deploy.md, "Stopping").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stops_gracefully_on_sigterm() {
    let a = spawn_app(Backend::Services).await;
    let mut b = a.replica_process().await;
    let anna = a.user("anna@example.ru").await;
    let token = anna.tokens.access_token.clone();
    let mut stream = open(&b, "", Some(&token), None).await;
    assert_eq!(stream.event().await.0, "counters");

    // An upload whose second half waits for the signal.
    let half = [b"%PDF-".as_slice(), &[b'%'; 64 * 1024 - 5]].concat();
    let (go_on, wait) = tokio::sync::oneshot::channel::<()>();
    let first = half.clone();
    let second = vec![b'%'; 64 * 1024];
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(
        futures_util::stream::once(async move {
            let _ = wait.await;
            Ok(second)
        }),
    );
    let upload = b
        .client
        .post(b.url("/api/v1/files?name=late.pdf"))
        .bearer_auth(&token)
        .header("content-type", "application/pdf")
        .header("content-length", (128 * 1024).to_string())
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let upload = tokio::spawn(upload);
    tokio::time::sleep(Duration::from_millis(300)).await;

    b.signal("TERM");
    let rest = stream
        .rest_within(Duration::from_secs(5))
        .await
        .expect("the stream ends within 5 s of SIGTERM");
    assert!(
        String::from_utf8_lossy(&rest).contains("retry: 1000\n"),
        "{}",
        String::from_utf8_lossy(&rest)
    );
    assert!(
        b.exit_status(Duration::from_millis(500)).await.is_none(),
        "the replica waits for the upload in flight"
    );

    go_on.send(()).unwrap();
    let stored = upload.await.unwrap().unwrap();
    assert_eq!(stored.status(), 201, "{}", stored.text().await.unwrap());
    let file: mezha_api_types::orders::FileInfo = stored.json().await.unwrap();
    assert_eq!(file.size, 128 * 1024);
    let status = b
        .exit_status(Duration::from_secs(25))
        .await
        .expect("the replica exits by itself");
    assert!(status.success(), "{status}");
    // The other replica serves the file it stored.
    let resp = a
        .get(&format!("/api/v1/files/{}", file.id), Some(&token))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().len(), 128 * 1024);
}
