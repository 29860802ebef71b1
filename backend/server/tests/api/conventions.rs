//! Two conventions of docs/API.md ("Conventions") tried on every operation
//! the OpenAPI document says follows them, not only on the few the stories
//! try by hand:
//!
//! - each creating `POST` that takes `Idempotency-Key` is sent twice with
//!   one key (the same status and body, the second marked
//!   `Idempotent-Replayed: true`, one resource made, as its list shows),
//!   then with the same key and another body (`422 idempotency_key_reused`,
//!   nothing made);
//! - each update that takes `If-Match` answers the resource's new `ETag`,
//!   refuses a stale one (`412 precondition_failed`, nothing changed) and
//!   takes the current one.
//!
//! The operations are read from the document the app serves, and each has
//! an entry in a table here that prepares what it needs: an operation
//! without an entry fails the test by name (a new endpoint cannot be
//! forgotten), and so does an entry the document no longer has.

use crate::avatars::{photo_with_gps, png};
use crate::certificates::{approved, issue_bodies};
use crate::employers::{basis, employer};
use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::idempotency::replayed;
use crate::on_both_backends;
use crate::orders::{Party, complete_order, create, customer, engineer, publish};
use crate::sro_registry::{assigned_order, engineer as registered_engineer, moderator};
use futures_util::FutureExt as _;
use futures_util::future::LocalBoxFuture;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The creating `POST`s that take no key, with why (docs/API.md,
/// "Conventions").
const NO_KEY: &[(&str, &str)] = &[
    (
        "/api/v1/auth/cert/challenge",
        "a one-time challenge: nothing a retry could repeat is kept",
    ),
    (
        "/api/v1/client-requests/files",
        "a person without an account uploads through a one-use link: no account owns a key; \
         a repeat is one more of at most 20 files, and only those the submission names are kept",
    ),
];

/// The people every entry may use.
struct World {
    /// A customer.
    anna: Party,
    /// An engineer with a complete profile in region 50, taking offers.
    petr: Party,
    /// A moderator's token.
    moderator: String,
    /// An employer: its account id and token.
    employer: (Uuid, String),
}

impl World {
    async fn new(app: &TestApp) -> World {
        World {
            anna: customer(app, "anna@example.ru").await,
            petr: engineer(app, "petr@example.ru", &["50"], true).await,
            moderator: moderator(app).await,
            employer: employer(app, "hr@example.ru", "ООО «Кадастр»", "7707083893").await,
        }
    }
}

/// What a request carries.
#[derive(Clone, Debug)]
enum Body {
    Empty,
    Json(Value),
    /// An upload: its content type and bytes.
    Bytes(&'static str, Vec<u8>),
}

/// Sends `method path` with `body`, as `token` and with `header` if given.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    header: Option<(&str, &str)>,
    body: &Body,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.url(path));
    if let Some((name, value)) = header {
        req = req.header(name, value);
    }
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req = match body {
        Body::Empty => req,
        Body::Json(value) => req.json(value),
        Body::Bytes(content_type, bytes) => req
            .header("content-type", *content_type)
            .body(bytes.clone()),
    };
    req.send().await.expect("request")
}

/// The operations of the served document that take the header `name`:
/// `METHOD path`, e.g. `POST /api/v1/orders`.
async fn operations_taking(app: &TestApp, name: &str) -> (Value, BTreeSet<String>) {
    let resp = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(resp.status(), 200);
    let doc: Value = resp.json().await.unwrap();
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let takes = op["parameters"].as_array().is_some_and(|list| {
                list.iter()
                    .any(|p| p["in"] == "header" && p["name"].as_str() == Some(name))
            });
            if takes {
                found.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    (doc, found)
}

/// Fails naming each operation of the document without an entry in the
/// table, and each entry the document does not have.
fn same_operations(convention: &str, documented: &BTreeSet<String>, table: &[&str]) {
    let table: BTreeSet<String> = table.iter().map(|s| (*s).to_owned()).collect();
    let untested: Vec<&String> = documented.difference(&table).collect();
    assert!(
        untested.is_empty(),
        "{convention}: no entry in tests/api/conventions.rs for {untested:?}"
    );
    let lost: Vec<&String> = table.difference(documented).collect();
    assert!(
        lost.is_empty(),
        "{convention}: the document has no {lost:?} (take its entry out)"
    );
}

// ---------------------------------------------------------------------------
// Idempotency-Key.

/// How many resources of a kind there are.
enum Count {
    /// The items of the list at `path` (no query string) that `token` sees,
    /// or only those whose `field` is the value.
    List {
        path: String,
        token: String,
        only: Option<(&'static str, Value)>,
    },
    /// The elements of the array `field` of the answer at `path` (a list
    /// that is not paged).
    Array {
        path: String,
        token: String,
        field: &'static str,
    },
    /// The files the app keeps: uploads have no list.
    StoredFiles,
}

impl Count {
    fn list(path: impl Into<String>, token: &str) -> Count {
        Count::List {
            path: path.into(),
            token: token.to_owned(),
            only: None,
        }
    }

    async fn read(&self, app: &TestApp) -> usize {
        match self {
            Count::List { path, token, only } => {
                let (items, _) = app.walk::<Value>(path, token, 100).await;
                items
                    .iter()
                    .filter(|item| only.as_ref().is_none_or(|(field, v)| item[field] == *v))
                    .count()
            }
            Count::Array { path, token, field } => {
                let resp = app.get(path, Some(token)).await;
                assert_eq!(resp.status(), 200, "{path}");
                let body: Value = resp.json().await.unwrap();
                body[*field].as_array().map_or(0, Vec::len)
            }
            Count::StoredFiles => app.stored_files().await.len(),
        }
    }
}

/// A creating request, ready to be sent.
struct Creation {
    /// Where it is sent (a query string included).
    path: String,
    token: Option<String>,
    body: Body,
    /// Another body for the same key, which is refused; `None` for a
    /// request with no body (its key has nothing else to be used with).
    other: Option<Body>,
    /// What the request adds one of.
    count: Count,
}

/// Prepares what a creating request needs; the request.
type CreationEntry = for<'a> fn(&'a TestApp, &'a World) -> LocalBoxFuture<'a, Creation>;

/// Every creating `POST` that takes `Idempotency-Key`, by its path.
fn creations() -> Vec<(&'static str, CreationEntry)> {
    vec![
        ("POST /api/v1/auth/register", registration as CreationEntry),
        ("POST /api/v1/certificate-applications", application),
        ("POST /api/v1/certificate-applications/{id}/issue", issue),
        ("POST /api/v1/certificates/{id}/renew", renewal),
        ("POST /api/v1/clients", client),
        (
            "POST /api/v1/clients/{id}/certificate-applications",
            agent_application,
        ),
        ("POST /api/v1/deals", deal),
        ("POST /api/v1/deals/{id}/copy", deal_copy),
        ("POST /api/v1/deals/{id}/documents", deal_document),
        ("POST /api/v1/deals/{id}/participants", deal_participant),
        ("POST /api/v1/client-requests", client_request),
        ("POST /api/v1/employers/{id}/join-requests", join_request),
        ("POST /api/v1/files", upload),
        ("POST /api/v1/me/employees", employee),
        ("POST /api/v1/orders", order),
        ("POST /api/v1/orders/{id}/acts", act),
        ("POST /api/v1/orders/{id}/contracts", contract),
        ("POST /api/v1/orders/{id}/invoices", invoice),
        ("POST /api/v1/orders/{id}/messages", message),
        ("POST /api/v1/orders/{id}/registration-outcome", outcome),
        ("POST /api/v1/orders/{id}/results", delivery),
        ("POST /api/v1/orders/{id}/review", review),
        ("POST /api/v1/orders/{id}/offers", offer),
        ("POST /api/v1/orders/{id}/responses", response),
        ("POST /api/v1/organisations", organisation),
        ("POST /api/v1/organisations/{id}/invitations", invitation),
        (
            "POST /api/v1/organisations/{id}/powers-of-attorney",
            power_of_attorney,
        ),
        ("POST /api/v1/webhooks", webhook),
    ]
}

fn registration<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let body = json!({"email": "reg@example.ru", "password": "correct horse battery"});
        let mut other = body.clone();
        other["full_name"] = json!("Регина");
        Creation {
            path: "/api/v1/auth/register".into(),
            token: None,
            body: Body::Json(body),
            other: Some(Body::Json(other)),
            count: Count::List {
                path: "/api/v1/users".into(),
                token: world.moderator.clone(),
                only: Some(("email", json!("reg@example.ru"))),
            },
        }
    }
    .boxed_local()
}

fn application<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        Creation {
            path: "/api/v1/certificate-applications".into(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(json!({})),
            other: Some(Body::Json(json!({"purpose": "Подписание актов"}))),
            count: Count::list("/api/v1/certificate-applications", &world.anna.token),
        }
    }
    .boxed_local()
}

fn issue<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (token, application, _) = approved(app, "issue@example.ru").await;
        let (body, other) = issue_bodies(app, &token, application.id).await;
        Creation {
            path: format!("/api/v1/certificate-applications/{}/issue", application.id),
            token: Some(token.clone()),
            body: Body::Json(body),
            other: Some(Body::Json(other)),
            count: Count::list("/api/v1/certificates", &token),
        }
    }
    .boxed_local()
}

fn renewal<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (token, application, _) = approved(app, "renew@example.ru").await;
        let (body, _) = issue_bodies(app, &token, application.id).await;
        let resp = app
            .post(
                &format!("/api/v1/certificate-applications/{}/issue", application.id),
                &body,
                Some(&token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let cert: Value = resp.json().await.unwrap();
        Creation {
            path: format!(
                "/api/v1/certificates/{}/renew",
                cert["id"].as_str().unwrap()
            ),
            token: Some(token.clone()),
            body: Body::Empty,
            other: None,
            count: Count::list("/api/v1/certificate-applications", &token),
        }
    }
    .boxed_local()
}

fn join_request<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (_, ivan) = registered_engineer(
            app,
            &world.moderator,
            "ivan@example.ru",
            801_901_101,
            "Иванов Иван",
        )
        .await;
        let mut other = basis();
        other["basis_number"] = json!("18/2026");
        let (employer_id, employer_token) = &world.employer;
        Creation {
            path: format!("/api/v1/employers/{employer_id}/join-requests"),
            token: Some(ivan),
            body: Body::Json(basis()),
            other: Some(Body::Json(other)),
            count: Count::list("/api/v1/me/employees", employer_token),
        }
    }
    .boxed_local()
}

fn upload<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        Creation {
            path: "/api/v1/files?name=plan.pdf".into(),
            token: Some(world.anna.token.clone()),
            body: Body::Bytes("application/pdf", b"%PDF-1.7 plan".to_vec()),
            other: Some(Body::Bytes(
                "application/pdf",
                b"%PDF-1.7 another plan".to_vec(),
            )),
            count: Count::StoredFiles,
        }
    }
    .boxed_local()
}

fn employee<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        registered_engineer(
            app,
            &world.moderator,
            "oleg@example.ru",
            801_901_102,
            "Олегов Олег",
        )
        .await;
        let employer_token = &world.employer.1;
        Creation {
            path: "/api/v1/me/employees".into(),
            token: Some(employer_token.clone()),
            body: Body::Json(json!({"email": "oleg@example.ru"})),
            other: Some(Body::Json(json!({"email": "petr@example.ru"}))),
            count: Count::list("/api/v1/me/employees", employer_token),
        }
    }
    .boxed_local()
}

fn order<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        Creation {
            path: "/api/v1/orders".into(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(complete_order("Межевание")),
            other: Some(Body::Json(complete_order("Техплан"))),
            count: Count::list("/api/v1/orders", &world.anna.token),
        }
    }
    .boxed_local()
}

fn message<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order =
            assigned_order(app, world.anna.id, world.petr.id, "contract_signing", None).await;
        let path = format!("/api/v1/orders/{order}/messages");
        Creation {
            path: path.clone(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(json!({"text": "Добрый день"})),
            other: Some(Body::Json(json!({"text": "Когда выезд?"}))),
            count: Count::list(path, &world.anna.token),
        }
    }
    .boxed_local()
}

fn contract<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order =
            assigned_order(app, world.anna.id, world.petr.id, "contract_signing", None).await;
        let path = format!("/api/v1/orders/{order}/contracts");
        let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
        let body = |kopecks: i64| {
            json!({"terms": {
                "signatory": "executor",
                "signatory_name": "Кадастров Пётр Сергеевич",
                "acting_on_basis": "квалификационного аттестата",
                "object_characteristics": "Земельный участок",
                "deadline": deadline,
                "price_kopecks": kopecks,
                "advance_percent": 0,
                "advance_kopecks": 0,
                "remainder_kopecks": kopecks,
            }})
        };
        Creation {
            path: path.clone(),
            token: Some(world.petr.token.clone()),
            body: Body::Json(body(1_000_000)),
            other: Some(Body::Json(body(1_200_000))),
            count: Count::list(path, &world.petr.token),
        }
    }
    .boxed_local()
}

fn act<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = assigned_order(app, world.anna.id, world.petr.id, "payment", None).await;
        let path = format!("/api/v1/orders/{order}/acts");
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
        Creation {
            path: path.clone(),
            token: Some(world.petr.token.clone()),
            body: Body::Json(json!({})),
            other: Some(Body::Json(json!({"completed_on": yesterday}))),
            count: Count::list(path, &world.petr.token),
        }
    }
    .boxed_local()
}

fn invoice<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = assigned_order(app, world.anna.id, world.petr.id, "prepayment", None).await;
        let path = format!("/api/v1/orders/{order}/invoices");
        let body = |n: u32| json!({"link": format!("https://bank.example.ru/pay/{n}")});
        Creation {
            path: path.clone(),
            token: Some(world.petr.token.clone()),
            body: Body::Json(body(1)),
            other: Some(Body::Json(body(2))),
            count: Count::list(path, &world.petr.token),
        }
    }
    .boxed_local()
}

fn delivery<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = assigned_order(app, world.anna.id, world.petr.id, "in_progress", None).await;
        let path = format!("/api/v1/orders/{order}/results");
        let body =
            |n: u32| json!({"method": "link", "link": format!("https://disk.example.ru/{n}")});
        Creation {
            path: path.clone(),
            token: Some(world.petr.token.clone()),
            body: Body::Json(body(1)),
            other: Some(Body::Json(body(2))),
            count: Count::list(path, &world.petr.token),
        }
    }
    .boxed_local()
}

fn outcome<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = assigned_order(app, world.anna.id, world.petr.id, "registration", None).await;
        let body = |n: u32| json!({"method": "storage_uin", "uin": format!("77-01-{n}")});
        Creation {
            path: format!("/api/v1/orders/{order}/registration-outcome"),
            token: Some(world.petr.token.clone()),
            body: Body::Json(body(1)),
            other: Some(Body::Json(body(2))),
            count: Count::list(format!("/api/v1/orders/{order}/results"), &world.petr.token),
        }
    }
    .boxed_local()
}

fn review<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = assigned_order(app, world.anna.id, world.petr.id, "completed", None).await;
        Creation {
            path: format!("/api/v1/orders/{order}/review"),
            token: Some(world.anna.token.clone()),
            body: Body::Json(json!({"rating": 5})),
            other: Some(Body::Json(json!({"rating": 4}))),
            count: Count::list(
                format!("/api/v1/engineers/{}/reviews", world.petr.id),
                &world.anna.token,
            ),
        }
    }
    .boxed_local()
}

/// A published order of Anna's.
async fn published(app: &TestApp, world: &World, title: &str) -> Uuid {
    let order = create(app, &world.anna.token, &complete_order(title)).await;
    publish(app, &world.anna.token, order.id).await;
    order.id
}

fn offer<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = published(app, world, "Техплан дома").await;
        let path = format!("/api/v1/orders/{order}/offers");
        let body = |message: &str| json!({"engineer_id": world.petr.id, "message": message});
        Creation {
            path: path.clone(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(body("Возьмётесь?")),
            other: Some(Body::Json(body("Возьмётесь за неделю?"))),
            count: Count::list(path, &world.anna.token),
        }
    }
    .boxed_local()
}

fn response<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let order = published(app, world, "Межевание участка").await;
        let path = format!("/api/v1/orders/{order}/responses");
        let body = |price: u32| json!({"price": price, "deadline_days": 20, "message": "Готов"});
        Creation {
            path: path.clone(),
            token: Some(world.petr.token.clone()),
            body: Body::Json(body(20_000)),
            other: Some(Body::Json(body(18_000))),
            count: Count::list(path, &world.anna.token),
        }
    }
    .boxed_local()
}

fn webhook<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let body =
            |n: u32| json!({"url": format!("http://127.0.0.1:9/hook{n}"), "kinds": ["response_received"]});
        Creation {
            path: "/api/v1/webhooks".into(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(body(1)),
            other: Some(Body::Json(body(2))),
            count: Count::list("/api/v1/webhooks", &world.anna.token),
        }
    }
    .boxed_local()
}

fn organisation<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let body = crate::organisations::requisites();
        let mut other = body.clone();
        other["short_name"] = json!("ООО «Квартал-2»");
        Creation {
            path: "/api/v1/organisations".into(),
            token: Some(world.anna.token.clone()),
            body: Body::Json(body),
            other: Some(Body::Json(other)),
            count: Count::Array {
                path: "/api/v1/organisations".into(),
                token: world.anna.token.clone(),
                field: "organisations",
            },
        }
    }
    .boxed_local()
}

fn client<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let op = crate::certificates::operator(app, "cl-op@example.ru").await;
        let head = customer(app, "cl-head@example.ru").await;
        let bank = crate::organisations::bank();
        let (_, admin) = crate::organisations::confirmed_with(app, &head, &op, &bank).await;
        Creation {
            path: "/api/v1/clients".into(),
            token: Some(admin.clone()),
            body: Body::Json(json!({"full_name": "Петров Пётр Петрович"})),
            other: Some(Body::Json(json!({"full_name": "Сидоров Иван Ильич"}))),
            count: Count::list("/api/v1/clients", &admin),
        }
    }
    .boxed_local()
}

/// A client with every datum a certificate needs, of an agency of its
/// own; its CA agent (the admin) files for him.
fn agent_application<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let op = crate::certificates::operator(app, "ag-op@example.ru").await;
        let head = customer(app, "ag-head@example.ru").await;
        let mut body = crate::organisations::requisites();
        body["inn"] = json!("7709123453");
        body["ogrn"] = json!("1027700912348");
        let (_, admin) = crate::organisations::confirmed_with(app, &head, &op, &body).await;
        let resp = app
            .post(
                "/api/v1/clients",
                &json!({
                    "full_name": "Сидоров Сидор Сидорович", "snils": "123-456-789 64",
                    "passport_series": "4510", "passport_number": "654321",
                    "passport_issued_on": "2010-05-04", "passport_issuer": "ОВД района Арбат",
                    "email": "sidorov-ag@example.ru", "phone": "+79161112233",
                }),
                Some(&admin),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let id = resp.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/clients/{id}/certificate-applications");
        Creation {
            path: path.clone(),
            token: Some(admin.clone()),
            body: Body::Json(json!({})),
            other: Some(Body::Json(json!({"purpose": "Ипотека"}))),
            count: Count::Array {
                path,
                token: admin,
                field: "items",
            },
        }
    }
    .boxed_local()
}

/// A confirmed agency (its INN and OGRN after `n`) and a draft of its
/// admin: the admin's token and the deal's id.
async fn agency_draft(app: &TestApp, n: usize) -> (String, String) {
    let (admin, _) = crate::deals::agency(app, n).await;
    let resp = app
        .post(
            "/api/v1/deals",
            &json!({"title": "Купля-продажа"}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (admin, id)
}

fn deal<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (admin, _) = crate::deals::agency(app, 0).await;
        Creation {
            path: "/api/v1/deals".into(),
            token: Some(admin.clone()),
            body: Body::Json(json!({"title": "Купля-продажа квартиры"})),
            other: Some(Body::Json(json!({"title": "Дарение дачи"}))),
            count: Count::list("/api/v1/deals", &admin),
        }
    }
    .boxed_local()
}

fn deal_copy<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (admin, id) = agency_draft(app, 1).await;
        Creation {
            path: format!("/api/v1/deals/{id}/copy"),
            token: Some(admin.clone()),
            body: Body::Empty,
            other: None,
            count: Count::list("/api/v1/deals", &admin),
        }
    }
    .boxed_local()
}

fn deal_document<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (admin, id) = agency_draft(app, 2).await;
        Creation {
            path: format!("/api/v1/deals/{id}/documents?name=contract.pdf"),
            token: Some(admin.clone()),
            body: Body::Bytes("application/pdf", b"%PDF-1.7\n% the contract".to_vec()),
            other: Some(Body::Bytes(
                "application/pdf",
                b"%PDF-1.7\n% another".to_vec(),
            )),
            count: Count::Array {
                path: format!("/api/v1/deals/{id}"),
                token: admin,
                field: "documents",
            },
        }
    }
    .boxed_local()
}

fn deal_participant<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let (admin, id) = agency_draft(app, 3).await;
        Creation {
            path: format!("/api/v1/deals/{id}/participants"),
            token: Some(admin.clone()),
            body: Body::Json(json!({"role": "pledgee"})),
            other: Some(Body::Json(json!({"role": "buyer"}))),
            count: Count::Array {
                path: format!("/api/v1/deals/{id}"),
                token: admin,
                field: "participants",
            },
        }
    }
    .boxed_local()
}

fn power_of_attorney<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let agency = crate::deals::agency_with_head(app, 5).await;
        let spec = |snils: &str| {
            crate::powers_of_attorney::sample(
                &agency,
                snils,
                &crate::powers_of_attorney::ALL_POWERS,
            )
        };
        let xml =
            |snils: &str| mezha_testkit::poa::power_of_attorney_xml(&spec(snils)).into_bytes();
        Creation {
            path: format!("/api/v1/organisations/{}/powers-of-attorney", agency.org),
            token: Some(agency.admin.clone()),
            body: Body::Bytes("application/xml", xml("112-233-445 95")),
            other: Some(Body::Bytes("application/xml", xml("123-456-789 64"))),
            count: Count::Array {
                path: format!("/api/v1/organisations/{}/powers-of-attorney", agency.org),
                token: agency.admin.clone(),
                field: "items",
            },
        }
    }
    .boxed_local()
}

fn client_request<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let op = crate::certificates::operator(app, "rq-op@example.ru").await;
        let head = customer(app, "rq-head@example.ru").await;
        let bank = crate::organisations::notary();
        let (_, admin) = crate::organisations::confirmed_with(app, &head, &op, &bank).await;
        Creation {
            path: "/api/v1/client-requests".into(),
            token: Some(admin.clone()),
            body: Body::Json(json!({"email": "person1@example.ru"})),
            other: Some(Body::Json(json!({"email": "person2@example.ru"}))),
            count: Count::list("/api/v1/client-requests", &admin),
        }
    }
    .boxed_local()
}

fn invitation<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Creation> {
    async move {
        let op = crate::certificates::operator(app, "org-op@example.ru").await;
        let head = customer(app, "org-head@example.ru").await;
        let (org, admin) = crate::organisations::confirmed(app, &head, &op).await;
        Creation {
            path: format!("/api/v1/organisations/{}/invitations", org.id),
            token: Some(admin.clone()),
            body: Body::Json(json!({"email": "invitee@example.ru"})),
            other: Some(Body::Json(json!({"email": "invitee2@example.ru"}))),
            count: Count::list(
                format!("/api/v1/organisations/{}/invitations", org.id),
                &admin,
            ),
        }
    }
    .boxed_local()
}

/// Sends `case` with the idempotency `key` and `body`.
async fn post(app: &TestApp, case: &Creation, key: &str, body: &Body) -> reqwest::Response {
    send(
        app,
        Method::POST,
        &case.path,
        case.token.as_deref(),
        Some(("Idempotency-Key", key)),
        body,
    )
    .await
}

/// Each creating `POST` of the document, retried with its key: the first
/// answer again, marked a replay, one resource; the key with another body
/// is refused and makes nothing.
async fn creating_posts_honour_idempotency_keys(backend: Backend) {
    let app = spawn_app(backend).await;
    let (doc, keyed) = operations_taking(&app, "Idempotency-Key").await;
    let table = creations();
    same_operations(
        "Idempotency-Key",
        &keyed,
        &table.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
    );
    // A creating POST takes a key unless it is the documented exemption.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let creates = item["post"]["responses"]["201"].is_object();
        let exempt = NO_KEY.iter().any(|(p, _)| p == path);
        if creates && !exempt {
            assert!(
                keyed.contains(&format!("POST {path}")),
                "POST {path} creates and takes no Idempotency-Key"
            );
        }
        if exempt {
            assert!(creates, "POST {path} is exempt but creates nothing");
        }
    }

    let world = World::new(&app).await;
    for (op, prepare) in table {
        let case = prepare(&app, &world).await;
        let key = Uuid::new_v4().to_string();
        let before = case.count.read(&app).await;

        let first = post(&app, &case, &key, &case.body).await;
        let status = first.status();
        let etag = first.headers().get("etag").cloned();
        assert!(!replayed(&first), "{op}: the first answer is no replay");
        let text = first.text().await.unwrap();
        assert_eq!(status, 201, "{op}: {text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(case.count.read(&app).await, before + 1, "{op}: one made");

        let again = post(&app, &case, &key, &case.body).await;
        assert_eq!(again.status(), status, "{op}: the same status again");
        assert!(replayed(&again), "{op}: the retry is marked a replay");
        assert_eq!(
            again.headers().get("etag"),
            etag.as_ref(),
            "{op}: the same ETag again"
        );
        assert_eq!(
            again.json::<Value>().await.unwrap(),
            answer,
            "{op}: the same body again"
        );
        assert_eq!(
            case.count.read(&app).await,
            before + 1,
            "{op}: the retry made nothing"
        );

        if let Some(other) = &case.other {
            let resp = post(&app, &case, &key, other).await;
            assert!(!replayed(&resp), "{op}");
            assert_eq!(resp.status(), 422, "{op}: the key with another body");
            problem(resp, 422, "idempotency_key_reused").await;
            assert_eq!(
                case.count.read(&app).await,
                before + 1,
                "{op}: the refused request made nothing"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// If-Match.

/// An update of a versioned resource, ready to be sent.
struct Update {
    /// Where it is sent.
    path: String,
    token: String,
    /// Where the resource (with its `ETag`) is read.
    read: String,
    /// Two changes, made in turn (the same for a removal).
    first: Body,
    second: Body,
}

/// Prepares what an update needs; the update.
type UpdateEntry = for<'a> fn(&'a TestApp, &'a World) -> LocalBoxFuture<'a, Update>;

/// Every operation that takes `If-Match`, by its method and path.
fn updates() -> Vec<(&'static str, UpdateEntry)> {
    vec![
        (
            "PATCH /api/v1/certificate-applications/{id}",
            application_update as UpdateEntry,
        ),
        ("PATCH /api/v1/me", profile_update),
        ("PUT /api/v1/me/avatar", avatar_update),
        ("DELETE /api/v1/me/avatar", avatar_removal),
        ("PUT /api/v1/me/engineer-profile", engineer_profile_update),
        ("PUT /api/v1/me/requisites", requisites_update),
        ("PATCH /api/v1/orders/{id}", order_update),
        ("PATCH /api/v1/deals/{id}", deal_update),
    ]
}

fn deal_update<'a>(app: &'a TestApp, _world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        let (admin, id) = agency_draft(app, 4).await;
        let path = format!("/api/v1/deals/{id}");
        Update {
            path: path.clone(),
            token: admin,
            read: path,
            first: Body::Json(json!({"object": {"area": "54.3"}})),
            second: Body::Json(json!({"title": "Дарение"})),
        }
    }
    .boxed_local()
}

fn application_update<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        let token = &world.anna.token;
        let resp = app
            .post("/api/v1/certificate-applications", &json!({}), Some(token))
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let id = resp.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/certificate-applications/{id}");
        Update {
            path: path.clone(),
            token: token.clone(),
            read: path,
            first: Body::Json(json!({"purpose": "Подписание договоров"})),
            second: Body::Json(json!({"purpose": "Подписание актов"})),
        }
    }
    .boxed_local()
}

fn profile_update<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        Update {
            path: "/api/v1/me".into(),
            token: world.anna.token.clone(),
            read: "/api/v1/me".into(),
            first: Body::Json(json!({"full_name": "Анна Сергеевна Соколова"})),
            second: Body::Json(json!({"full_name": "Анна Соколова"})),
        }
    }
    .boxed_local()
}

fn avatar_update<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        Update {
            path: "/api/v1/me/avatar".into(),
            token: world.anna.token.clone(),
            read: "/api/v1/me".into(),
            first: Body::Bytes("image/png", png()),
            second: Body::Bytes("image/jpeg", photo_with_gps()),
        }
    }
    .boxed_local()
}

/// Removing the photo put in place first (the second removal changes
/// nothing and keeps the `ETag`).
fn avatar_removal<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        let token = &world.anna.token;
        let resp = send(
            app,
            Method::PUT,
            "/api/v1/me/avatar",
            Some(token),
            None,
            &Body::Bytes("image/png", png()),
        )
        .await;
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        Update {
            path: "/api/v1/me/avatar".into(),
            token: token.clone(),
            read: "/api/v1/me".into(),
            first: Body::Empty,
            second: Body::Empty,
        }
    }
    .boxed_local()
}

fn engineer_profile_update<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        let profile = |region: &str| {
            json!({
                "contacts": {"phone": "+79123456780", "email": "petr@example.ru"},
                "regions": [region],
                "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 20000}],
                "accept_offers": true,
            })
        };
        Update {
            path: "/api/v1/me/engineer-profile".into(),
            token: world.petr.token.clone(),
            read: "/api/v1/me/engineer-profile".into(),
            first: Body::Json(profile("77")),
            second: Body::Json(profile("50")),
        }
    }
    .boxed_local()
}

fn requisites_update<'a>(_app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        use crate::sro_registry::{ACCOUNT, ACCOUNT_2, requisites};
        Update {
            path: "/api/v1/me/requisites".into(),
            token: world.anna.token.clone(),
            read: "/api/v1/me/requisites".into(),
            first: Body::Json(requisites("Соколова Анна", "500100732259", ACCOUNT)),
            second: Body::Json(requisites("Соколова Анна", "500100732259", ACCOUNT_2)),
        }
    }
    .boxed_local()
}

fn order_update<'a>(app: &'a TestApp, world: &'a World) -> LocalBoxFuture<'a, Update> {
    async move {
        let token = &world.anna.token;
        let order = create(app, token, &json!({"title": "Межевание"})).await;
        let path = format!("/api/v1/orders/{}", order.id);
        Update {
            path: path.clone(),
            token: token.clone(),
            read: path,
            first: Body::Json(json!({"title": "Межевание участка", "price": 25000})),
            second: Body::Json(json!({"title": "Межевание двух участков", "price": 40000})),
        }
    }
    .boxed_local()
}

/// The resource at `path` and its `ETag`.
async fn read(app: &TestApp, path: &str, token: &str) -> (Value, String) {
    let resp = app.get(path, Some(token)).await;
    assert_eq!(resp.status(), 200, "GET {path}");
    let etag = resp
        .headers()
        .get("etag")
        .unwrap_or_else(|| panic!("GET {path} has no ETag"))
        .to_str()
        .unwrap()
        .to_owned();
    (resp.json().await.unwrap(), etag)
}

/// Sends `case` as `method` with `If-Match: etag` and `body`: the status,
/// the answer's `ETag` and its text.
async fn update(
    app: &TestApp,
    method: &Method,
    case: &Update,
    etag: &str,
    body: &Body,
) -> (reqwest::StatusCode, Option<String>, String) {
    let resp = send(
        app,
        method.clone(),
        &case.path,
        Some(&case.token),
        Some(("If-Match", etag)),
        body,
    )
    .await;
    let status = resp.status();
    let etag = resp
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, etag, resp.text().await.unwrap())
}

/// Each update that takes `If-Match`: made with the current `ETag` it
/// answers the new one (the one a read then gives); with a stale one it is
/// `412` and changes nothing; with the current one again it is made.
async fn versioned_updates_honour_if_match(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, matched) = operations_taking(&app, "If-Match").await;
    let table = updates();
    same_operations(
        "If-Match",
        &matched,
        &table.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
    );

    let world = World::new(&app).await;
    for (op, prepare) in table {
        let case = prepare(&app, &world).await;
        let method: Method = op.split(' ').next().unwrap().parse().unwrap();
        let (_, stale) = read(&app, &case.read, &case.token).await;

        // With the current ETag: made, and the answer names the new one.
        let (status, etag, text) = update(&app, &method, &case, &stale, &case.first).await;
        assert_eq!(status, 200, "{op}: {text}");
        let etag = etag.unwrap_or_else(|| panic!("{op}: no ETag in the answer"));
        let (after, current) = read(&app, &case.read, &case.token).await;
        assert_eq!(etag, current, "{op}: the answer's ETag is the new one");
        assert_ne!(current, stale, "{op}: the version moved");

        // With the stale one: refused, nothing changed.
        let resp = send(
            &app,
            method.clone(),
            &case.path,
            Some(&case.token),
            Some(("If-Match", &stale)),
            &case.second,
        )
        .await;
        assert_eq!(resp.status(), 412, "{op}: a stale If-Match");
        problem(resp, 412, "precondition_failed").await;
        assert_eq!(
            read(&app, &case.read, &case.token).await,
            (after, current.clone()),
            "{op}: the refused update changed nothing"
        );

        // With the current one: made.
        let (status, etag, text) = update(&app, &method, &case, &current, &case.second).await;
        assert_eq!(status, 200, "{op}: {text}");
        let etag = etag.unwrap_or_else(|| panic!("{op}: no ETag in the answer"));
        let (_, now) = read(&app, &case.read, &case.token).await;
        assert_eq!(etag, now, "{op}: the answer's ETag is the new one");
    }
}

on_both_backends!(
    creating_posts_honour_idempotency_keys,
    versioned_updates_honour_if_match,
);
