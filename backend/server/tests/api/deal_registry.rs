//! A ready deal at the state registry (docs/deals.md, "Sending"), against
//! the registry stand-in (mezha-registry, in process on loopback, speaking
//! docs/registry-gateway.md): sent through the queue with its own
//! idempotency key, so that 5xx answers, dropped connections and a process
//! that died between queueing and sending still make exactly one package;
//! accepted with a state fee (its UIN shown, or paid automatically and
//! hidden), registered, suspended and resumed, or refused — by the
//! registry's HMAC-signed callbacks, or by polling when none come.

use crate::deals::{Ready, ready_deal};
use crate::helpers::{Backend, Options, RegistryOptions, TestApp, problem, spawn_app_with};
use crate::on_both_backends;
use mezha_api_types::deals::{Deal, DealHistory, DealRegistryStatus};
use mezha_registry::protocol::{Stats, sign_callback};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

const SECRET: &str = "registry-callback-secret";

/// The stand-in: checks at once, every later step only when told
/// (`advance`), so the test decides when the registry moves.
async fn stand_in() -> mezha_registry::Running {
    let config = mezha_registry::Config {
        callback_secret: Some(SECRET.to_owned().into()),
        accept_after: Duration::from_secs(3600),
        register_after: Duration::from_secs(3600),
        callback_backoff: Duration::from_millis(50),
        ..mezha_registry::Config::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    mezha_registry::start(config, listener).await.unwrap()
}

async fn app(backend: Backend, registry: &mezha_registry::Running, callbacks: bool) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            registry: Some(RegistryOptions {
                url: registry.url(),
                secret: SECRET.into(),
                callbacks,
            }),
            ..Options::default()
        },
    )
    .await
}

async fn control(
    registry: &mezha_registry::Running,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Value {
    let resp = reqwest::Client::new()
        .request(method, format!("{}{path}", registry.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap_or(Value::Null)
}

async fn advance(registry: &mezha_registry::Running) {
    control(
        registry,
        reqwest::Method::POST,
        "/control/advance",
        json!({}),
    )
    .await;
}

async fn stats(registry: &mezha_registry::Running) -> Stats {
    serde_json::from_value(
        control(
            registry,
            reqwest::Method::GET,
            "/control/stats",
            Value::Null,
        )
        .await,
    )
    .unwrap()
}

async fn deal(app: &TestApp, token: &str, id: Uuid) -> Deal {
    let resp = app.get(&format!("/api/v1/deals/{id}"), Some(token)).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Waits (up to 15 s) until the deal satisfies `done`, moving the app's
/// clock on a minute at a time so that retries fall due.
async fn until(
    app: &TestApp,
    token: &str,
    id: Uuid,
    what: &str,
    done: impl Fn(&Deal) -> bool,
) -> Deal {
    for _ in 0..300 {
        let d = deal(app, token, id).await;
        if done(&d) {
            return d;
        }
        app.clock.advance(Duration::from_secs(60));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: {:?}", deal(app, token, id).await);
}

async fn send(app: &TestApp, token: &str, id: Uuid) -> Deal {
    let resp = app
        .post(&format!("/api/v1/deals/{id}/send"), &json!({}), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

fn status_of(d: &Deal) -> &'static str {
    d.status.as_str()
}

async fn registry_status(app: &TestApp, token: &str, id: Uuid) -> DealRegistryStatus {
    let resp = app
        .get(&format!("/api/v1/deals/{id}/registry-status"), Some(token))
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn through_faults_to_registration(backend: Backend) {
    let registry = stand_in().await;
    let app = app(backend, &registry, true).await;
    let Ready {
        admin,
        employee,
        deal: id,
    } = ready_deal(&app, 0).await;

    // The gateway fails twice — a 503, then a connection dropped after it
    // took the package — and the retries (same key) make one package.
    let fault = |kind: &'static str| {
        control(
            &registry,
            reqwest::Method::PUT,
            "/control/faults",
            json!({"scope": "global", "kind": kind, "times": 1}),
        )
    };
    fault("status_503").await;
    let sent = send(&app, &employee, id).await;
    assert_eq!(status_of(&sent), "submitted");
    assert!(sent.allowed_actions.iter().all(|a| a.as_str() == "copy"));
    for _ in 0..200 {
        if stats(&registry).await.requests_by_key.values().sum::<u64>() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // No retry comes before its time (the app's clock stands still).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let s = stats(&registry).await;
    assert_eq!(
        (s.packages, s.requests_by_key.values().sum::<u64>()),
        (0, 1)
    );
    fault("drop_after").await;
    // The retries come as the clock moves: the dropped one made the
    // package, the next one (same key) is answered with it.
    for _ in 0..300 {
        if stats(&registry).await.requests_by_key.values().sum::<u64>() >= 3 {
            break;
        }
        app.clock.advance(Duration::from_secs(60));
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let s = stats(&registry).await;
    assert_eq!(s.requests_by_key.values().sum::<u64>(), 3, "{s:?}");
    assert_eq!(s.packages, 1);
    assert_eq!(s.packages_by_reference.get(&id.to_string()), Some(&1));
    assert_eq!(
        s.powers_of_attorney_by_reference.get(&id.to_string()),
        Some(&1),
        "the package carries the power of attorney the employee signed under"
    );
    let d = until(&app, &employee, id, "the package taken", |d| {
        d.registry_package_id.is_some()
    })
    .await;
    assert_eq!(status_of(&d), "submitted");

    // Accepted: the fee is due; its UIN is shown (no automatic payment).
    advance(&registry).await;
    let d = until(&app, &employee, id, "accepted", |d| {
        status_of(d) == "fee_payment"
    })
    .await;
    let fee = d.fee.clone().unwrap();
    assert_eq!(fee.amount_kopecks, 200_000);
    assert!(!fee.automatic);
    let uin = fee.uin.unwrap();
    assert!(mezha_domain::uin::Uin::parse(&uin).is_ok(), "{uin}");
    assert!(d.allowed_actions.iter().any(|a| a.as_str() == "pay_fee"));
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/pay-fee"),
            &json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let d: Deal = resp.json().await.unwrap();
    assert_eq!(status_of(&d), "in_registration");
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/pay-fee"),
            &json!({}),
            Some(&admin),
        )
        .await;
    problem(resp, 409, "illegal_transition").await;

    // The registry takes the notice, registers, and says so.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        advance(&registry).await;
    }
    let d = until(&app, &employee, id, "registered", |d| {
        status_of(d) == "registered"
    })
    .await;
    assert!(d.fee.unwrap().paid_at.is_some());
    let tab = registry_status(&app, &employee, id).await;
    let statuses: Vec<&str> = tab.events.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(
        statuses,
        ["received", "accepted", "in_registration", "registered"]
    );
    assert_eq!(tab.status.map(|s| s.as_str()), Some("registered"));
    assert_eq!(tab.package_id, d.registry_package_id);
    // The employee heard of each move (in the app and by e-mail); the
    // client, once registered, by e-mail.
    let mut moves = 0;
    for _ in 0..100 {
        let notes: Value = app
            .get("/api/v1/notifications?limit=100", Some(&employee))
            .await
            .json()
            .await
            .unwrap();
        moves = notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "deal_status_changed")
            .count();
        if moves >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Accepted (the fee is due) and registered.
    assert_eq!(moves, 2);
    // The clients' mail is a job queued with the registration.
    let mut mails = Vec::new();
    for _ in 0..200 {
        mails = app.outbox("donor-0@example.ru").await;
        if !mails.is_empty() {
            break;
        }
        app.clock.advance(Duration::from_secs(1));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].body.contains("77:01:0004012:1234"));
    let history: DealHistory = app
        .get(
            &format!("/api/v1/deals/{id}/history?limit=100"),
            Some(&employee),
        )
        .await
        .json()
        .await
        .unwrap();
    let tail: Vec<&str> = history
        .items
        .iter()
        .rev()
        .take(4)
        .map(|h| h.action.as_str())
        .collect();
    assert_eq!(
        tail,
        [
            "registry_registered",
            "pay_fee",
            "registry_accepted",
            "send"
        ]
    );

    // A callback not signed with the secret changes nothing.
    let body = json!({"package_id": d.registry_package_id, "reference": id, "seq": 99,
        "status": "refused", "at": "2026-12-07T10:00:00Z", "message": "forged"});
    let bytes = serde_json::to_vec(&body).unwrap();
    let forged = app
        .client
        .post(app.url("/api/v1/registry/callbacks"))
        .header(
            "X-Registry-Signature",
            sign_callback("not the secret", &bytes),
        )
        .header("content-type", "application/json")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    problem(forged, 401, "unauthenticated").await;
    assert_eq!(status_of(&deal(&app, &employee, id).await), "registered");
    registry.stop().await;
}

async fn automatic_fee_and_a_suspension(backend: Backend) {
    let registry = stand_in().await;
    let app = app(backend, &registry, true).await;
    let Ready {
        admin,
        employee,
        deal: id,
    } = ready_deal(&app, 1).await;
    let org = deal(&app, &employee, id).await.organisation_id;
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/organisations/{org}/settings")))
        .bearer_auth(&admin)
        .json(&json!({"auto_pay_state_fee": true, "notify_employees_by_email": true, "notify_employees_by_sms": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    control(
        &registry,
        reqwest::Method::PUT,
        &format!("/control/plan/{id}"),
        json!({"outcome": "suspended_then_registered", "reason": "Нужен план этажа"}),
    )
    .await;

    send(&app, &employee, id).await;
    until(&app, &employee, id, "the package taken", |d| {
        d.registry_package_id.is_some()
    })
    .await;
    advance(&registry).await;
    // Paid at once: no UIN is shown, the deal registers straight on.
    let d = until(&app, &employee, id, "in registration", |d| {
        status_of(d) == "in_registration"
    })
    .await;
    let fee = d.fee.unwrap();
    assert!(fee.automatic);
    assert_eq!(fee.uin, None);
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        advance(&registry).await;
    }
    let d = until(&app, &employee, id, "suspended", |d| {
        status_of(d) == "suspended"
    })
    .await;
    assert_eq!(
        d.suspended_from.map(|s| s.as_str()),
        Some("in_registration")
    );
    let tab = registry_status(&app, &employee, id).await;
    assert_eq!(
        tab.events.last().unwrap().message.as_deref(),
        Some("Нужен план этажа")
    );
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        advance(&registry).await;
    }
    until(&app, &employee, id, "registered", |d| {
        status_of(d) == "registered"
    })
    .await;
    registry.stop().await;
}

async fn refused_by_polling_then_copied(backend: Backend) {
    let registry = stand_in().await;
    // No callbacks: the app learns everything by polling.
    let app = app(backend, &registry, false).await;
    let Ready {
        employee, deal: id, ..
    } = ready_deal(&app, 2).await;
    control(
        &registry,
        reqwest::Method::PUT,
        &format!("/control/plan/{id}"),
        json!({"outcome": "refused", "reason": "Не уплачена пошлина"}),
    )
    .await;
    send(&app, &employee, id).await;
    until(&app, &employee, id, "the package taken", |d| {
        d.registry_package_id.is_some()
    })
    .await;
    advance(&registry).await;
    until(&app, &employee, id, "accepted", |d| {
        status_of(d) == "fee_payment"
    })
    .await;
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/pay-fee"),
            &json!({}),
            Some(&employee),
        )
        .await;
    assert_eq!(resp.status(), 200);
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        advance(&registry).await;
    }
    let d = until(&app, &employee, id, "refused", |d| {
        status_of(d) == "refused"
    })
    .await;
    assert_eq!(
        d.allowed_actions
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
        ["copy"]
    );
    let tab = registry_status(&app, &employee, id).await;
    assert_eq!(
        tab.events.last().unwrap().message.as_deref(),
        Some("Не уплачена пошлина")
    );
    let resp = app
        .post(
            &format!("/api/v1/deals/{id}/copy"),
            &json!({}),
            Some(&employee),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let copy: Deal = resp.json().await.unwrap();
    assert_eq!(status_of(&copy), "draft");
    assert_eq!(copy.registry_package_id, None);
    assert_eq!(copy.fee, None);
    registry.stop().await;
}

/// The submission is queued with the status change: a process that died
/// before sending leaves it to the next one, which sends it once.
async fn a_sender_that_died_leaves_the_package_to_the_next(backend: Backend) {
    let registry = stand_in().await;
    let app = crate::helpers::spawn_app(backend).await; // no gateway: nothing is sent
    let Ready {
        employee, deal: id, ..
    } = ready_deal(&app, 3).await;
    send(&app, &employee, id).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stats(&registry).await.packages, 0);
    // The next process, with the gateway, over the same database.
    let mut config = app.config.clone();
    config.registry_gateway_url = Some(registry.url());
    config.registry_callback_secret = Some(SECRET.to_owned().into());
    config.addr = mezha_server::config::Config::default().addr;
    let state = mezha_server::startup::state(&config, std::sync::Arc::new(app.clock.clone()))
        .await
        .unwrap();
    let worker = mezha_app::deals::registry::Worker::new(&state)
        .unwrap()
        .unwrap();
    assert_eq!(worker.run_once().await.unwrap(), (1, 0));
    assert_eq!(worker.run_once().await.unwrap(), (0, 0));
    let s = stats(&registry).await;
    assert_eq!(s.packages, 1);
    assert_eq!(s.packages_by_reference.get(&id.to_string()), Some(&1));
    assert!(
        deal(&app, &employee, id)
            .await
            .registry_package_id
            .is_some()
    );
    // Polling brings the registry's answer in.
    advance(&registry).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(worker.poll_once().await.unwrap() >= 2);
    assert_eq!(status_of(&deal(&app, &employee, id).await), "fee_payment");
    registry.stop().await;
}

on_both_backends!(
    through_faults_to_registration,
    automatic_fee_and_a_suspension,
    refused_by_polling_then_copied,
    a_sender_that_died_leaves_the_package_to_the_next,
);
