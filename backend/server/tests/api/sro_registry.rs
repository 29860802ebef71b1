//! The SRO registry (docs/sro-registry.md): the moderator's
//! import over HTTP (file or feed URL), idempotency, the engineer role
//! granted and revoked from the registry, suspended and resumed orders,
//! the `mezha sro import` command and the scheduled import. Also the
//! helpers the engineer and employer tests share. The registry's formats
//! and disciplinary actions: `formats`.

mod formats;

use crate::helpers::{Backend, TestApp, TestUser, problem, spawn_app};
use crate::on_both_backends;
use mezha_api_types::Role;
use mezha_api_types::engineers::SroImportReport;
use mezha_api_types::me::AccessTokenResponse;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Shared helpers.

/// A valid SNILS (11 digits) from nine digits above 001-001-998.
pub fn snils(first9: u32) -> String {
    let digits = format!("{first9:09}");
    let sum: u32 = digits
        .bytes()
        .zip((1..=9u32).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            c => c,
        },
    };
    format!("{digits}{check:02}")
}

/// A registry CSV (semicolons, Russian statuses) of `(snils, full name,
/// status)` rows.
pub fn registry_csv(rows: &[(&str, &str, &str)]) -> String {
    let mut csv = String::from("snils;full_name;sro_name;registry_number;status;status_date\n");
    for (snils, name, status) in rows {
        csv.push_str(&format!(
            "{snils};{name};СРО «Кадастр-Юг»;77-{};{status};2024-01-15\n",
            &snils[..3]
        ));
    }
    csv
}

/// Switches the session's acting role; the new access token.
pub async fn as_role(app: &TestApp, token: &str, role: Role) -> String {
    let resp = app
        .post(
            "/api/v1/me/acting-role",
            &json!({"role": role}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "switching to {role}");
    resp.json::<AccessTokenResponse>()
        .await
        .unwrap()
        .access_token
}

/// A moderator's access token (the account is created with `mezha staff`).
pub async fn moderator(app: &TestApp) -> String {
    let email = "moderator@example.ru";
    let password = "moderator password 1";
    let out = app.staff(email, password, "moderator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.login(email, password).await.access_token
}

/// Posts a registry file as a moderator.
pub async fn import(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/sro-registry/import"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// Imports and expects success.
pub async fn import_ok(app: &TestApp, token: &str, csv: &str) -> SroImportReport {
    let resp = import(app, token, "text/csv", csv).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// PUT a JSON body.
pub async fn put(app: &TestApp, path: &str, body: &Value, token: &str) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// DELETE.
pub async fn delete(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .delete(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// PATCH /me.
pub async fn patch_me(app: &TestApp, token: &str, body: &Value) {
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}

/// An engineer made the real way: an account with a full name and SNILS,
/// the SNILS imported as active by a moderator, a new login (the registry
/// grants the role), acting as engineer. Returns the account and the
/// engineer-acting token.
pub async fn engineer(
    app: &TestApp,
    moderator_token: &str,
    email: &str,
    number: u32,
    full_name: &str,
) -> (TestUser, String) {
    let user = app.user(email).await;
    let snils = snils(number);
    patch_me(
        app,
        &user.tokens.access_token,
        &json!({"full_name": full_name, "snils": snils}),
    )
    .await;
    import_ok(
        app,
        moderator_token,
        &registry_csv(&[(&snils, full_name, "действует")]),
    )
    .await;
    let tokens = app.login(email, &user.password).await;
    assert!(tokens.roles.contains(&Role::Engineer), "{:?}", tokens.roles);
    let token = as_role(app, &tokens.access_token, Role::Engineer).await;
    (user, token)
}

/// A valid settlement account for BIK 044525225.
pub const ACCOUNT: &str = "40802810100000000001";
/// Another valid settlement account for BIK 044525225.
pub const ACCOUNT_2: &str = "40702810938000012345";

/// Valid requisites.
pub fn requisites(recipient: &str, inn: &str, account: &str) -> Value {
    json!({
        "recipient": recipient,
        "inn": inn,
        "bank_name": "ПАО Сбербанк",
        "bik": "044525225",
        "account": account,
        "correspondent_account": "30101810400000000225",
    })
}

/// Fills every required profile field and the own requisites.
pub async fn complete_profile(app: &TestApp, token: &str, profile: Value) {
    let resp = put(app, "/api/v1/me/engineer-profile", &profile, token).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let resp = put(
        app,
        "/api/v1/me/requisites",
        &requisites("ИП Кадастров", "500100732259", ACCOUNT),
        token,
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}

/// An order assigned to `executor` in `status`, written straight to the
/// database (the order flow itself is tested in `orders.rs`).
pub async fn assigned_order(
    app: &TestApp,
    customer: Uuid,
    executor: Uuid,
    status: &str,
    due: Option<chrono::NaiveDate>,
) -> Uuid {
    use mezha_store::entities::orders;
    let db = app.db().await;
    let now = chrono::Utc::now();
    let id = Uuid::now_v7();
    orders::ActiveModel {
        id: Set(id),
        number: Set(i64::from(rand_number())),
        customer_id: Set(customer),
        customer_type: Set("person".into()),
        status: Set(status.into()),
        suspended_from: Set(None),
        title: Set("Межевание".into()),
        description: Set(None),
        work_types: Set(0),
        cadastral_numbers: Set("[]".into()),
        region_code: Set(Some("50".into())),
        address: Set(None),
        address_search: Set(None),
        deadline_date: Set(due),
        deadline_days: Set(None),
        due_date: Set(due),
        price: Set(Some(10_000)),
        prepayment_required: Set(false),
        prepayment_percent: Set(None),
        registration: Set("none".into()),
        executor_id: Set(Some(executor)),
        responses_count: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(Some(now)),
        reviewed_at: Set(None),
        act_signed_at: Set(None),
        paid_at: Set(None),
    }
    .insert(&db)
    .await
    .unwrap();
    db.close().await.ok();
    id
}

fn rand_number() -> u32 {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    u32::try_from(NEXT.fetch_add(1, Ordering::SeqCst)).unwrap() + 900_000
}

/// An order's status (and the status it was suspended from).
pub async fn order_status(app: &TestApp, id: Uuid) -> (String, Option<String>) {
    let db = app.db().await;
    let order = mezha_store::entities::orders::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    db.close().await.ok();
    (order.status, order.suspended_from)
}

/// A one-file HTTP server on a thread: answers every request with
/// `status` and `body`; counts requests.
pub struct FeedServer {
    pub url: String,
    pub hits: Arc<AtomicUsize>,
}

pub fn feed_server(status: u16, body: String) -> FeedServer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/registry.csv", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: text/csv; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).ok();
            stream.write_all(body.as_bytes()).ok();
        }
    });
    FeedServer { url, hits }
}

// ---------------------------------------------------------------------------
// Tests.

async fn import_is_moderator_only_all_or_nothing_and_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    let customer = app.user("customer@example.ru").await;
    let moderator = moderator(&app).await;
    let numbers = [snils(123_456_001), snils(123_456_002), snils(123_456_003)];
    let rows = [
        (numbers[0].as_str(), "Иванов Иван Иванович", "действует"),
        (
            numbers[1].as_str(),
            "Петрова Анна Сергеевна",
            "приостановлен",
        ),
        (numbers[2].as_str(), "Сидоров Пётр", "исключен"),
    ];
    let csv = registry_csv(&rows);

    // Not a moderator, no token, a wrong content type.
    problem(
        import(&app, &customer.tokens.access_token, "text/csv", &csv).await,
        403,
        "forbidden",
    )
    .await;
    let resp = app
        .client
        .post(app.url("/api/v1/sro-registry/import"))
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    problem(resp, 401, "unauthenticated").await;
    problem(
        import(&app, &moderator, "text/plain", &csv).await,
        415,
        "unsupported_media_type",
    )
    .await;

    // A file with one bad row is refused whole, with the issues listed.
    let bad = format!(
        "{csv}112-233-445 96;Плохой СНИЛС;СРО;;действует;\n{};Дубль;СРО;;active;\n",
        rows[0].0
    );
    let p = problem(
        import(&app, &moderator, "text/csv", &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("line[5].snils").is_empty(), "{p:?}");
    assert!(!p.field("line[6].snils").is_empty(), "{p:?}");
    let p = problem(
        import(&app, &moderator, "application/json", "[{\"snils\": }]").await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("file").is_empty(), "{p:?}");

    // Nothing was written: the first good import writes all three.
    let first = import_ok(&app, &moderator, &csv).await;
    assert_eq!(
        first,
        SroImportReport {
            entries: 3,
            written: 3,
            unchanged: 0,
            became_active: 1,
            became_inactive: 0,
            ..SroImportReport::default()
        }
    );
    // The same file again changes nothing; so does the same data as JSON.
    let second = import_ok(&app, &moderator, &csv).await;
    assert_eq!(
        (second.written, second.unchanged, second.became_active),
        (0, 3, 0)
    );
    let entries: Vec<Value> = rows
        .iter()
        .map(|(s, n, st)| {
            json!({"snils": s, "full_name": n, "sro_name": "СРО «Кадастр-Юг»",
                   "registry_number": format!("77-{}", &s[..3]), "status": st, "status_date": "15.01.2024"})
        })
        .collect();
    let resp = import(
        &app,
        &moderator,
        "application/json",
        &json!({"generated_at": "2026-11-23T03:00:00Z", "entries": entries}).to_string(),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let again: SroImportReport = resp.json().await.unwrap();
    assert_eq!((again.written, again.unchanged), (0, 3));

    // A feed URL: fetched, imported; a failing feed is 502; a bad URL 422.
    let changed = registry_csv(&[(rows[1].0, rows[1].1, "действует")]);
    let feed = feed_server(200, changed);
    let resp = app
        .post(
            "/api/v1/sro-registry/import",
            &json!({"url": feed.url}),
            Some(&moderator),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let report: SroImportReport = resp.json().await.unwrap();
    assert_eq!((report.written, report.became_active), (1, 1));
    assert_eq!(feed.hits.load(Ordering::SeqCst), 1);
    let missing = feed_server(404, "no".into());
    problem(
        app.post(
            "/api/v1/sro-registry/import",
            &json!({"url": missing.url}),
            Some(&moderator),
        )
        .await,
        502,
        "feed_unavailable",
    )
    .await;
    let p = problem(
        app.post(
            "/api/v1/sro-registry/import",
            &json!({"url": "ftp://registry.example/x.csv"}),
            Some(&moderator),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("url")[0].code, "invalid_url");
    problem(
        app.post(
            "/api/v1/sro-registry/import",
            &json!({"url": 5}),
            Some(&moderator),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
}

async fn the_registry_grants_and_revokes_the_engineer_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let customer = app.user("customer@example.ru").await;

    // Listed active after he set his SNILS: engineer at the next login.
    let anna = app.user("anna@example.ru").await;
    let anna_snils = snils(200_300_401);
    patch_me(
        &app,
        &anna.tokens.access_token,
        &json!({"full_name": "Анна Кадастрова", "snils": anna_snils}),
    )
    .await;
    let tokens = app.login("anna@example.ru", &anna.password).await;
    assert!(!tokens.roles.contains(&Role::Engineer));
    let report = import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&anna_snils, "Анна Кадастрова", "действует")]),
    )
    .await;
    // The import itself grants the role to accounts with that SNILS.
    assert_eq!((report.became_active, report.roles_granted), (1, 1));
    let tokens = app.login("anna@example.ru", &anna.password).await;
    assert!(tokens.roles.contains(&Role::Engineer));
    let anna_engineer = as_role(&app, &tokens.access_token, Role::Engineer).await;

    // Someone who sets a listed SNILS later gets the role at login.
    let boris = app.user("boris@example.ru").await;
    let boris_snils = snils(200_300_402);
    import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&boris_snils, "Борис Межевой", "active")]),
    )
    .await;
    patch_me(
        &app,
        &boris.tokens.access_token,
        &json!({"snils": boris_snils}),
    )
    .await;
    let tokens = app.login("boris@example.ru", &boris.password).await;
    assert_eq!(tokens.roles, vec![Role::Customer, Role::Engineer]);

    // Losing active status: role revoked, assigned orders suspended.
    let working = assigned_order(&app, customer.id, anna.id, "in_progress", None).await;
    let paying = assigned_order(&app, customer.id, anna.id, "payment", None).await;
    let done = assigned_order(&app, customer.id, anna.id, "completed", None).await;
    let report = import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&anna_snils, "Анна Кадастрова", "приостановлен")]),
    )
    .await;
    assert_eq!(
        (
            report.became_inactive,
            report.roles_revoked,
            report.orders_suspended
        ),
        (1, 1, 2)
    );
    assert_eq!(
        order_status(&app, working).await,
        ("suspended".into(), Some("in_progress".into()))
    );
    assert_eq!(
        order_status(&app, paying).await,
        ("suspended".into(), Some("payment".into()))
    );
    assert_eq!(order_status(&app, done).await.0, "completed");
    // Her engineer token from before is refused where the role matters.
    problem(
        app.get("/api/v1/me/engineer-profile", Some(&anna_engineer))
            .await,
        403,
        "not_an_engineer",
    )
    .await;
    let tokens = app.login("anna@example.ru", &anna.password).await;
    assert!(!tokens.roles.contains(&Role::Engineer));
    // Suspended → excluded changes nothing more.
    let report = import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&anna_snils, "Анна Кадастрова", "исключен")]),
    )
    .await;
    assert_eq!(
        (
            report.written,
            report.became_inactive,
            report.orders_suspended
        ),
        (1, 0, 0)
    );

    // Restored: role back, orders resume where they were.
    let report = import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&anna_snils, "Анна Кадастрова", "действует")]),
    )
    .await;
    assert_eq!(
        (
            report.became_active,
            report.roles_granted,
            report.orders_resumed
        ),
        (1, 1, 2)
    );
    assert_eq!(
        order_status(&app, working).await,
        ("in_progress".into(), None)
    );
    assert_eq!(order_status(&app, paying).await, ("payment".into(), None));
    let tokens = app.login("anna@example.ru", &anna.password).await;
    assert!(tokens.roles.contains(&Role::Engineer));

    // The engineer profile shows the SRO data.
    let token = as_role(&app, &tokens.access_token, Role::Engineer).await;
    let profile: Value = app
        .get("/api/v1/me/engineer-profile", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["sro"]["status"], "active");
    assert_eq!(profile["sro"]["sro_name"], "СРО «Кадастр-Юг»");
}

on_both_backends!(
    import_is_moderator_only_all_or_nothing_and_idempotent,
    the_registry_grants_and_revokes_the_engineer_role,
);

// ---------------------------------------------------------------------------
// The command line and the scheduled import (SQLite, the binary itself).

fn mezha(dir: &std::path::Path, url: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mezha"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MEZHA_DATA_DIR", dir)
        .env("DATABASE_URL", url)
        .env("MEZHA_LOG_LEVEL", "warn");
    cmd
}

/// Rows in `sro_registry`; −1 while the table is not there yet.
async fn registry_rows(url: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let Ok(db) = mezha_store::db::connect(url, 1).await else {
        return -1;
    };
    let n = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM sro_registry",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(-1);
    db.close().await.ok();
    n
}

#[tokio::test]
async fn the_command_imports_a_file_or_a_url_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let file = dir.path().join("registry.csv");
    let (a, b) = (snils(300_400_501), snils(300_400_502));
    std::fs::write(
        &file,
        registry_csv(&[
            (&a, "Иванов Иван", "действует"),
            (&b, "Петров Пётр", "исключен"),
        ]),
    )
    .unwrap();
    let run = |source: &str| {
        mezha(dir.path(), &url)
            .args(["sro", "import", source])
            .output()
            .unwrap()
    };
    let first = run(file.to_str().unwrap());
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.contains("2 entries, 2 written, 0 unchanged, 1 became active"),
        "{out}"
    );
    let again = run(file.to_str().unwrap());
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(out.contains("2 entries, 0 written, 2 unchanged"), "{out}");

    // From a URL.
    let feed = feed_server(
        200,
        registry_csv(&[(&snils(300_400_503), "Сидоров", "active")]),
    );
    let fetched = run(&feed.url);
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    assert_eq!(registry_rows(&url).await, 3);

    // A bad file: refused with the issue, nothing written.
    std::fs::write(
        &file,
        "snils;full_name;sro_name;status\n123;Имя;СРО;active\n",
    )
    .unwrap();
    let bad = run(file.to_str().unwrap());
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("line 2, snils"), "{err}");
    let missing = run(dir.path().join("nope.csv").to_str().unwrap());
    assert!(!missing.status.success());
    assert_eq!(registry_rows(&url).await, 3);
}

#[tokio::test]
async fn the_server_imports_the_feed_on_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("serve.db").display());
    let feed = feed_server(
        200,
        registry_csv(&[(&snils(400_500_601), "Иванов Иван", "действует")]),
    );
    let mut child = mezha(dir.path(), &url)
        .env("MEZHA_ADDR", "127.0.0.1:0")
        .env("MEZHA_SRO_FEED_URL", &feed.url)
        .env("MEZHA_SRO_IMPORT_INTERVAL", "1h")
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut imported = false;
    for _ in 0..120 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if feed.hits.load(Ordering::SeqCst) > 0
            && dir.path().join("serve.db").exists()
            && registry_rows(&url).await == 1
        {
            imported = true;
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    assert!(imported, "the scheduled import did not run");
}
