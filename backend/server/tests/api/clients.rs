//! The client base (docs/clients.md) through HTTP: an employee with the
//! `manage_clients` right adds a client whose data has flaws — saved, the
//! findings beside the fields — finds him by name, SNILS and passport
//! number, reads him (written in the audit log), fixes a field, attaches a
//! scan his colleague can open. Nobody outside the organisation sees any
//! of it (404), an employee without the right is refused (403), bad input
//! changes nothing.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::customer;
use crate::organisations::{bank, confirmed, employee};
use mezha_api_types::clients::{Client, ClientList};
use mezha_api_types::orders::FileInfo;
use mezha_api_types::organisations::AuditLog;
use serde_json::{Value, json};
use uuid::Uuid;

async fn add(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post("/api/v1/clients", body, Some(token)).await
}

async fn patch(app: &TestApp, token: &str, id: Uuid, body: &Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/clients/{id}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let resp = app
        .client
        .get(app.url("/api/v1/clients"))
        .query(&[("q", q)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let list: ClientList = resp.json().await.unwrap();
    list.items.into_iter().map(|c| c.full_name).collect()
}

fn codes(client: &Client) -> Vec<(String, String)> {
    client
        .findings
        .iter()
        .map(|f| (f.field.clone(), f.code.clone()))
        .collect()
}

async fn scan(app: &TestApp, token: &str) -> FileInfo {
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=passport.png"))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(crate::avatars::png())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn a_clerk_keeps_the_client_base(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-cl@example.com").await;
    let head = customer(&app, "head-cl@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let (_, clerk) = employee(
        &app,
        org.id,
        &admin,
        "clerk-cl@example.com",
        &["manage_clients"],
    )
    .await;
    let (_, idle) = employee(
        &app,
        org.id,
        &admin,
        "idle-cl@example.com",
        &["create_deals"],
    )
    .await;

    // Bad input is refused and changes nothing.
    problem(
        add(&app, &clerk, &json!({"full_name": "  "})).await,
        422,
        "validation_failed",
    )
    .await;
    let p = problem(
        add(
            &app,
            &clerk,
            &json!({"full_name": "Петров", "scan_ids": [Uuid::now_v7()]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.errors.unwrap().contains_key("scan_ids[0]"));
    assert!(search(&app, &clerk, "").await.is_empty());

    // Flawed data is saved; the flaws come back beside their fields.
    let photo = scan(&app, &clerk).await;
    let resp = add(
        &app,
        &clerk,
        &json!({
            "full_name": "Петров Пётр Петрович", "birth_date": "1990-06-15",
            "passport_series": "45 06", "passport_number": "123456",
            "passport_issued_on": "2003-06-14", "passport_issuer_code": "770001",
            "snils": "112-233-445 96", "inn": "500100732259",
            "email": "petrov@example.ru", "scan_ids": [photo.id],
        }),
    )
    .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let petrov: Client = resp.json().await.unwrap();
    assert_eq!(petrov.passport_series.as_deref(), Some("4506"));
    assert_eq!(petrov.passport_issuer_code.as_deref(), Some("770-001"));
    assert_eq!(petrov.scans.len(), 1);
    let found = codes(&petrov);
    assert!(
        found.contains(&("snils".into(), "snils_checksum".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "passport_issued_on".into(),
            "passport_issued_before_14".into()
        )),
        "{found:?}"
    );
    let resp = add(
        &app,
        &clerk,
        &json!({"full_name": "Сидорова Анна Ивановна", "snils": "11223344595"}),
    )
    .await;
    assert_eq!(resp.status(), 201);

    // Found by part of the name in any case, by SNILS, by passport number.
    assert_eq!(
        search(&app, &clerk, "пЕтРов").await,
        ["Петров Пётр Петрович"]
    );
    assert_eq!(
        search(&app, &clerk, "112-233-445 95").await,
        ["Сидорова Анна Ивановна"]
    );
    assert_eq!(
        search(&app, &clerk, "123456").await,
        ["Петров Пётр Петрович"]
    );
    assert_eq!(
        search(&app, &clerk, "4506 123456").await,
        ["Петров Пётр Петрович"]
    );
    assert!(search(&app, &clerk, "Кузнецов").await.is_empty());
    assert_eq!(search(&app, &admin, "").await.len(), 2);

    // Fixed: the finding goes; `null` clears a field.
    let resp = patch(
        &app,
        &clerk,
        petrov.id,
        &json!({"snils": "11223344595", "email": null}),
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let fixed: Client = resp.json().await.unwrap();
    assert!(!codes(&fixed).iter().any(|(f, _)| f == "snils"));
    assert_eq!(fixed.email, None);
    assert_eq!(fixed.passport_number.as_deref(), Some("123456"));
    problem(
        patch(&app, &clerk, petrov.id, &json!({"full_name": ""})).await,
        422,
        "validation_failed",
    )
    .await;

    // Reading him is written in the audit log.
    let resp = app
        .get(&format!("/api/v1/clients/{}", petrov.id), Some(&admin))
        .await;
    assert_eq!(resp.status(), 200);
    let log: AuditLog = app
        .get(
            &format!("/api/v1/organisations/{}/audit", org.id),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let read = log
        .items
        .iter()
        .find(|e| e.kind.as_str() == "client_read")
        .unwrap();
    assert_eq!(read.details["client_id"], json!(petrov.id));
    assert_eq!(read.actor_id, Some(head.id));

    // The scan opens for the organisation, for nobody else.
    let resp = app
        .get(&format!("/api/v1/files/{}", photo.id), Some(&admin))
        .await;
    assert_eq!(resp.status(), 200);

    // Without the right: 403. Outside the organisation: 404, whoever asks.
    problem(
        app.get("/api/v1/clients", Some(&idle)).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get(&format!("/api/v1/clients/{}", petrov.id), Some(&idle))
            .await,
        403,
        "forbidden",
    )
    .await;
    let rival = customer(&app, "rival-cl@example.com").await;
    let resp = app
        .post("/api/v1/organisations", &bank(), Some(&rival.token))
        .await;
    assert_eq!(resp.status(), 201);
    let moderator = crate::sro_registry::moderator(&app).await;
    for token in [&rival.token, &moderator] {
        problem(
            app.get(&format!("/api/v1/clients/{}", petrov.id), Some(token))
                .await,
            404,
            "not_found",
        )
        .await;
        problem(
            patch(&app, token, petrov.id, &json!({"inn": null})).await,
            404,
            "not_found",
        )
        .await;
        problem(
            app.get(&format!("/api/v1/files/{}", photo.id), Some(token))
                .await,
            404,
            "not_found",
        )
        .await;
    }
    let unchanged: Client = app
        .get(&format!("/api/v1/clients/{}", petrov.id), Some(&clerk))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged.inn.as_deref(), Some("500100732259"));
}

on_both_backends!(a_clerk_keeps_the_client_base);
