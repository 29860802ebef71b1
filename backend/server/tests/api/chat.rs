//! The order chat (docs/chat.md): the customer and the executor write,
//! the executor's employer and moderators read, others see nothing; texts
//! and streamed files; unread counters per order and in total, cleared by
//! opening the chat and exact under concurrency; oversized and interrupted
//! uploads leave nothing behind.

use crate::helpers::{Backend, Options, TestApp, problem, spawn_app, spawn_app_with};
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use crate::sro_registry::{assigned_order, moderator};
use mezha_api_types::chat::{ChatAction, ChatMessage, ChatPage, ChatStage, ChatThreadPage};
use mezha_api_types::notifications::UnreadCounts;
use serde_json::json;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

pub async fn say(app: &TestApp, token: &str, order: Uuid, text: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/orders/{order}/messages"),
        &json!({"text": text}),
        Some(token),
    )
    .await
}

async fn send_file(
    app: &TestApp,
    token: &str,
    order: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/orders/{order}/messages?name={name}")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, token: &str, order: Uuid, query: &str) -> ChatPage {
    let resp = app
        .get(
            &format!("/api/v1/orders/{order}/messages{query}"),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn counts(app: &TestApp, token: &str) -> UnreadCounts {
    let resp = app
        .get("/api/v1/notifications/unread-counts", Some(token))
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// A customer and an engineer with an order he executes.
pub async fn parties(app: &TestApp) -> (Party, Party, Uuid) {
    let anna = customer(app, "anna@example.ru").await;
    let petr = engineer(app, "petr@example.ru", &["50"], true).await;
    let order = assigned_order(app, anna.id, petr.id, "contract_signing", None).await;
    (anna, petr, order)
}

async fn customer_and_executor_talk(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, petr, order) = parties(&app).await;

    // Anna writes; Petr's counters show one unread message in this order.
    let resp = say(&app, &anna.token, order, "  Добрый день! Когда выезд?  ").await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let first: ChatMessage = resp.json().await.unwrap();
    assert_eq!(first.text.as_deref(), Some("Добрый день! Когда выезд?"));
    assert_eq!(first.author_id, anna.id);
    let c = counts(&app, &petr.token).await;
    assert_eq!(c.chat_total, 1);
    assert_eq!(c.chat_by_order.len(), 1);
    assert_eq!(c.chat_by_order[0].order_id, order);
    assert_eq!(
        counts(&app, &anna.token).await.chat_total,
        0,
        "own messages are read"
    );

    // Opening the chat shows it and marks it read.
    let p = page(&app, &petr.token, order, "").await;
    assert_eq!(p.items, vec![first.clone()]);
    assert_eq!(counts(&app, &petr.token).await.chat_total, 0);

    // Petr answers with a file; Anna downloads the same bytes.
    let pdf = b"%PDF-1.4\n% plan\n%%EOF\n".to_vec();
    let resp = send_file(&app, &petr.token, order, "plan.pdf", pdf.clone()).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let with_file: ChatMessage = resp.json().await.unwrap();
    let file = with_file.file.clone().unwrap();
    assert_eq!(
        (file.name.as_str(), file.size),
        ("plan.pdf", pdf.len() as i64)
    );
    assert_eq!(counts(&app, &anna.token).await.chat_total, 1);
    let resp = app
        .get(&format!("/api/v1/files/{}", file.id), Some(&anna.token))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf);

    // An explicit read clears Anna's counter.
    let resp = app
        .post(
            &format!("/api/v1/orders/{order}/messages/read"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(counts(&app, &anna.token).await.chat_total, 0);

    // Pages go back in time with the cursor.
    for n in 0..3 {
        assert_eq!(
            say(&app, &anna.token, order, &format!("№{n}"))
                .await
                .status(),
            201
        );
    }
    let newest = page(&app, &anna.token, order, "?limit=2").await;
    let texts: Vec<_> = newest.items.iter().map(|m| m.text.clone()).collect();
    assert_eq!(texts, vec![Some("№2".into()), Some("№1".into())]);
    let cursor = newest.next_cursor.unwrap();
    let older = page(
        &app,
        &anna.token,
        order,
        &format!("?limit=10&cursor={cursor}"),
    )
    .await;
    assert_eq!(older.items.len(), 3);
    assert_eq!(older.items[2], first);
    assert!(older.next_cursor.is_none());

    // Bad input changes nothing.
    let before = page(&app, &anna.token, order, "?limit=100")
        .await
        .items
        .len();
    problem(
        say(&app, &anna.token, order, " \n ").await,
        422,
        "validation_failed",
    )
    .await;
    let long = "я".repeat(4001);
    problem(
        say(&app, &anna.token, order, &long).await,
        422,
        "validation_failed",
    )
    .await;
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/orders/{order}/messages")))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(b"no name".to_vec())
        .send()
        .await
        .unwrap();
    problem(resp, 422, "validation_failed").await;
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/orders/{order}/messages")))
        .bearer_auth(&anna.token)
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        page(&app, &anna.token, order, "?limit=100")
            .await
            .items
            .len(),
        before
    );

    // A moderator reads but does not write; strangers see nothing, even
    // the chat's files.
    let moderator = moderator(&app).await;
    assert_eq!(page(&app, &moderator, order, "").await.items.len(), before);
    problem(
        say(&app, &moderator, order, "Проверка").await,
        403,
        "forbidden",
    )
    .await;
    let olga = customer(&app, "olga@example.ru").await;
    problem(
        app.get(
            &format!("/api/v1/orders/{order}/messages"),
            Some(&olga.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    problem(
        say(&app, &olga.token, order, "Здравствуйте").await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/files/{}", file.id), Some(&olga.token))
            .await,
        404,
        "not_found",
    )
    .await;
    let resp = app
        .get(&format!("/api/v1/orders/{order}/messages"), None)
        .await;
    assert_eq!(resp.status(), 401);
}

async fn no_chat_before_an_executor(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    let order = publish(&app, &anna.token, order.id).await;
    problem(
        say(&app, &anna.token, order.id, "Есть кто?").await,
        409,
        "conflict",
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/orders/{}/messages", order.id),
            Some(&anna.token),
        )
        .await,
        409,
        "conflict",
    )
    .await;
}

async fn messages_at_once_count_exactly(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, petr, order) = parties(&app).await;
    let sends = (0..10).map(|n| {
        let app = &app;
        let token = anna.token.clone();
        async move {
            say(app, &token, order, &format!("сообщение {n}"))
                .await
                .status()
        }
    });
    for status in futures_util::future::join_all(sends).await {
        assert_eq!(status, 201);
    }
    assert_eq!(counts(&app, &petr.token).await.chat_total, 10);

    // Reading while a message arrives: the new one stays unread or is
    // read, never lost, never negative.
    let (read, sent) = tokio::join!(
        page(&app, &petr.token, order, ""),
        say(&app, &anna.token, order, "ещё одно")
    );
    assert_eq!(sent.status(), 201);
    let left = counts(&app, &petr.token).await.chat_total;
    let seen_new = read
        .items
        .iter()
        .any(|m| m.text.as_deref() == Some("ещё одно"));
    assert_eq!(left, if seen_new { 0 } else { 1 });

    // A second order of theirs with one unread message.
    let other = assigned_order(&app, anna.id, petr.id, "contract_signing", None).await;
    assert_eq!(
        say(&app, &anna.token, other, "другой заказ").await.status(),
        201
    );

    // The counters are rebuilt from the database when Redis loses them
    // (only the counters: sessions live there too), per order.
    let kv = app.kv();
    for key in [
        format!("unread:{}:ok", petr.id),
        format!("unread:{}:chats", petr.id),
        format!("unread:{}:chat:{order}", petr.id),
        format!("unread:{}:chat:{order}:upto", petr.id),
        format!("unread:{}:chat:{other}", petr.id),
        format!("unread:{}:chat:{other}:upto", petr.id),
    ] {
        kv.del(&key).await.unwrap();
    }
    let rebuilt = counts(&app, &petr.token).await;
    assert_eq!(rebuilt.chat_total, left + 1);
    let mut by_order: Vec<(Uuid, u64)> = rebuilt
        .chat_by_order
        .iter()
        .map(|c| (c.order_id, c.unread))
        .collect();
    by_order.sort();
    let mut expected = vec![(other, 1)];
    if left > 0 {
        expected.push((order, left));
    }
    expected.sort();
    assert_eq!(by_order, expected);
}

async fn oversized_and_interrupted_uploads_leave_nothing(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            chat_file_max_bytes: Some(64 * 1024),
            ..Default::default()
        },
    )
    .await;
    let (anna, _petr, order) = parties(&app).await;

    // Announced too large: refused before reading.
    problem(
        send_file(
            &app,
            &anna.token,
            order,
            "big.pdf",
            [b"%PDF-".as_slice(), &[b'x'; 64 * 1024 - 4]].concat(),
        )
        .await,
        413,
        "payload_too_large",
    )
    .await;
    // Streamed without a length: cut off while streaming.
    let chunks = futures_util::stream::iter((0..20).map(|i| {
        let mut chunk = vec![b'y'; 8 * 1024];
        if i == 0 {
            chunk[..5].copy_from_slice(b"%PDF-");
        }
        Ok::<_, std::io::Error>(chunk)
    }));
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/orders/{order}/messages?name=stream.pdf")))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    problem(resp, 413, "payload_too_large").await;

    // Interrupted: the client promises 60 KiB, sends 1 KiB and goes away.
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /api/v1/orders/{order}/messages?name=cut.pdf HTTP/1.1\r\nHost: {host}\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/pdf\r\nContent-Length: 61440\r\n\r\n",
        anna.token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"%PDF-").await.unwrap();
    stream.write_all(&[b'z'; 1019]).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(stream);

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !app.stored_files().await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "left behind: {:?}",
            app.stored_files().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(page(&app, &anna.token, order, "").await.items.is_empty());

    // Within the limit it is kept.
    let resp = send_file(
        &app,
        &anna.token,
        order,
        "ok.pdf",
        [b"%PDF-".as_slice(), &[b'%'; 64 * 1024 - 5]].concat(),
    )
    .await;
    assert_eq!(resp.status(), 201);
    assert_eq!(app.stored_files().await.len(), 1);
}

/// The process's resident memory now (`VmRSS`), in bytes.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb * 1024
}

/// A 500 MiB file (the limit) goes through the server in this process
/// while its resident memory is sampled: it grows by a small fraction of
/// the file, because the body is streamed to storage chunk by chunk. The
/// stored file has the size and SHA-256 of what was sent. On both
/// back-ends: into a local directory, and into an S3 bucket as a multipart
/// upload (docs/storage.md, "Writing").
async fn a_500_mib_file_streams_in_bounded_memory(backend: Backend) {
    use sha2::Digest;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    const CHUNK: usize = 256 * 1024;
    let size = mezha_api_types::chat::FILE_MAX_BYTES;
    let chunks = size / CHUNK as u64;
    assert_eq!(chunks * CHUNK as u64, size);
    let app = spawn_app(backend).await;
    let (anna, _petr, order) = parties(&app).await;

    // The same chunk again and again (the client holds one copy).
    let chunk =
        actix_web::web::Bytes::from((0..CHUNK).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    let mut sha = sha2::Sha256::new();
    for _ in 0..chunks {
        sha.update(&chunk);
    }
    let expected_sha = format!("{:x}", sha.finalize());

    let before = resident_bytes();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(resident_bytes(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let body = futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    );
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/orders/{order}/messages?name=ortho.tif")))
        .bearer_auth(&anna.token)
        .header("content-type", "application/octet-stream")
        .body(reqwest::Body::wrap_stream(body))
        .timeout(Duration::from_secs(600))
        .send()
        .await
        .unwrap();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let message: ChatMessage = resp.json().await.unwrap();
    let file = message.file.unwrap();
    assert_eq!(file.size as u64, size);
    assert_eq!(file.sha256, expected_sha);
    assert_eq!(
        app.stored_size(&file.id.simple().to_string()).await,
        Some(size)
    );

    let grown = peak.load(Ordering::Relaxed).saturating_sub(before);
    eprintln!(
        "500 MiB upload: resident memory {} MiB before, peak {} MiB (+{} MiB)",
        before >> 20,
        peak.load(Ordering::Relaxed) >> 20,
        grown >> 20
    );
    assert!(
        grown < size / 10,
        "resident memory grew by {} MiB while a {} MiB file was uploaded",
        grown >> 20,
        size >> 20
    );
}

/// Posts `body` to `path` as `token` and answers the JSON of a 2xx answer.
async fn ok(app: &TestApp, path: &str, body: serde_json::Value, token: &str) -> serde_json::Value {
    let resp = app.post(path, &body, Some(token)).await;
    assert!(
        resp.status().is_success(),
        "{path}: {}",
        resp.text().await.unwrap()
    );
    resp.json().await.unwrap_or(serde_json::Value::Null)
}

async fn threads(app: &TestApp, token: &str, order: Uuid) -> ChatThreadPage {
    let resp = app
        .get(&format!("/api/v1/orders/{order}/chats"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// The seed's story: an engineer the order is offered to asks the customer
/// in the order's chat before accepting; each offered engineer has a thread
/// of his own; declining closes his; accepting makes his the executor's.
async fn offered_engineers_talk_before_accepting(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let oleg = engineer(&app, "oleg@example.ru", &["50"], true).await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    let id = publish(&app, &anna.token, order.id).await.id;
    let offers = format!("/api/v1/orders/{id}/offers");
    let to_petr = ok(&app, &offers, json!({"engineer_id": petr.id}), &anna.token).await;
    let to_ivan = ok(&app, &offers, json!({"engineer_id": ivan.id}), &anna.token).await;
    let messages = |engineer: Uuid| format!("/api/v1/orders/{id}/messages?engineer_id={engineer}");

    // Petr asks before accepting: his thread is open, his own.
    let resp = say(&app, &petr.token, id, "Есть ли схема участка?").await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let question: ChatMessage = resp.json().await.unwrap();
    assert_eq!(question.engineer_id, petr.id);
    // Anna answers Petr and writes to Ivan; nobody named: no executor yet.
    problem(say(&app, &anna.token, id, "Кому?").await, 409, "conflict").await;
    let resp = app
        .post(
            &messages(petr.id),
            &json!({"text": "Есть, пришлю"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let resp = app
        .post(
            &messages(ivan.id),
            &json!({"text": "Сроки устроят?"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let resp = say(&app, &ivan.token, id, "Да, устроят").await;
    assert_eq!(resp.status(), 201);
    let resp = say(&app, &petr.token, id, "Жду схему").await;
    assert_eq!(resp.status(), 201);

    // Each sees his own thread only; the others' are not found.
    let p = page(&app, &petr.token, id, "").await;
    let texts: Vec<_> = p.items.iter().filter_map(|m| m.text.clone()).collect();
    assert_eq!(
        texts,
        ["Жду схему", "Есть, пришлю", "Есть ли схема участка?"]
    );
    assert!(p.items.iter().all(|m| m.engineer_id == petr.id));
    let resp = app.get(&messages(petr.id), Some(&ivan.token)).await;
    problem(resp, 404, "not_found").await;
    assert!(threads(&app, &oleg.token, id).await.items.is_empty());
    let resp = app
        .get(&format!("/api/v1/orders/{id}/messages"), Some(&oleg.token))
        .await;
    problem(resp, 404, "not_found").await;

    // Anna has two threads, both offered and writable, one unread in each;
    // reading Petr's leaves Ivan's unread.
    let list = threads(&app, &anna.token, id).await;
    let mut engineers: Vec<Uuid> = list.items.iter().map(|t| t.engineer_id).collect();
    engineers.sort();
    let mut expected = vec![petr.id, ivan.id];
    expected.sort();
    assert_eq!(engineers, expected);
    for t in &list.items {
        assert_eq!(t.stage, ChatStage::Offered);
        assert_eq!(
            t.allowed_actions,
            vec![ChatAction::Send, ChatAction::MarkRead]
        );
        assert!(t.engineer_name.is_some() && t.last_message_at.is_some());
    }
    assert_eq!(counts(&app, &anna.token).await.chat_total, 2);
    page(&app, &anna.token, id, &format!("?engineer_id={}", petr.id)).await;
    assert_eq!(counts(&app, &anna.token).await.chat_total, 1);
    let unread: Vec<(Uuid, u64)> = threads(&app, &anna.token, id)
        .await
        .items
        .iter()
        .map(|t| (t.engineer_id, t.unread))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(unread, vec![(ivan.id, 1)]);

    // A file in Petr's thread is his and Anna's, not Ivan's.
    let resp = app
        .client
        .post(app.url(&format!("{}&name=scheme.pdf", messages(petr.id))))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4\n%%EOF\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let file = resp.json::<ChatMessage>().await.unwrap().file.unwrap();
    let download = format!("/api/v1/files/{}", file.id);
    assert_eq!(app.get(&download, Some(&petr.token)).await.status(), 200);
    assert_eq!(app.get(&download, Some(&ivan.token)).await.status(), 404);

    // Ivan declines: his thread is closed, read but not written.
    ok(
        &app,
        &format!("/api/v1/offers/{}/decline", to_ivan["id"].as_str().unwrap()),
        json!({}),
        &ivan.token,
    )
    .await;
    problem(
        say(&app, &ivan.token, id, "А всё же?").await,
        409,
        "conflict",
    )
    .await;
    let resp = app
        .post(
            &messages(ivan.id),
            &json!({"text": "Жаль"}),
            Some(&anna.token),
        )
        .await;
    problem(resp, 409, "conflict").await;
    assert_eq!(page(&app, &ivan.token, id, "").await.items.len(), 2);
    let closed = threads(&app, &anna.token, id).await;
    let ivans = closed
        .items
        .iter()
        .find(|t| t.engineer_id == ivan.id)
        .unwrap();
    assert_eq!(
        (ivans.stage, ivans.allowed_actions.clone()),
        (ChatStage::Closed, vec![ChatAction::MarkRead])
    );

    // Petr accepts: his thread is the executor's, first, with what was said.
    ok(
        &app,
        &format!("/api/v1/offers/{}/accept", to_petr["id"].as_str().unwrap()),
        json!({}),
        &petr.token,
    )
    .await;
    let list = threads(&app, &anna.token, id).await;
    assert_eq!(list.items[0].engineer_id, petr.id);
    assert_eq!(list.items[0].stage, ChatStage::Executor);
    let p = page(&app, &anna.token, id, "").await;
    assert_eq!(p.items.len(), 4, "three texts and the file");
    assert_eq!(p.items.last().unwrap().id, question.id);
    let resp = say(&app, &anna.token, id, "Договор скоро?").await;
    assert_eq!(resp.status(), 201);
    assert_eq!(
        resp.json::<ChatMessage>().await.unwrap().engineer_id,
        petr.id
    );
}

on_both_backends!(
    a_500_mib_file_streams_in_bounded_memory,
    offered_engineers_talk_before_accepting,
    customer_and_executor_talk,
    no_chat_before_an_executor,
    messages_at_once_count_exactly,
    oversized_and_interrupted_uploads_leave_nothing,
);
