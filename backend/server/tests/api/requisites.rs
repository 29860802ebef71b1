//! Customers' requisites and the customer type they decide (docs/orders.md,
//! "Customer type"; docs/accounts.md, "Requisites"): a 12-digit INN with
//! an OGRNIP is a sole proprietor, a 10-digit INN a legal entity, anything
//! else a person — in the order, the engineer's view and the search filter.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::orders::{complete_order, create, customer, engineer, publish};
use crate::sro_registry::{ACCOUNT, ACCOUNT_2, put, requisites};
use mezha_api_types::orders::{Order, OrderList};
use serde_json::{Value, json};
use uuid::Uuid;

/// A published order of a customer with `requisites` (none: `None`).
async fn order_of(app: &TestApp, email: &str, requisites: Option<Value>) -> Uuid {
    let party = customer(app, email).await;
    if let Some(body) = requisites {
        let resp = put(app, "/api/v1/me/requisites", &body, &party.token).await;
        assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        let saved: Value = resp.json().await.unwrap();
        assert_eq!(saved["requisites"]["ogrn"], body["ogrn"]);
    }
    let order = create(app, &party.token, &complete_order(email)).await;
    publish(app, &party.token, order.id).await;
    order.id
}

fn with(mut body: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn found(app: &TestApp, token: &str, types: &str) -> Vec<Uuid> {
    let resp = app
        .get(
            &format!("/api/v1/orders/search?customer_types={types}"),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let mut ids: Vec<Uuid> = resp
        .json::<OrderList>()
        .await
        .unwrap()
        .items
        .iter()
        .map(|o| o.id)
        .collect();
    ids.sort();
    ids
}

async fn customer_types_follow_the_requisites(backend: Backend) {
    let app = spawn_app(backend).await;
    let sole = order_of(
        &app,
        "ip@example.ru",
        Some(with(
            requisites("ИП Соколова Анна", "500100732259", ACCOUNT),
            json!({"ogrn": "304500116000157"}),
        )),
    )
    .await;
    let legal = order_of(
        &app,
        "ooo@example.ru",
        Some(with(
            requisites("ООО «Ромашка»", "7707083893", ACCOUNT_2),
            json!({"kpp": "773601001", "ogrn": "1027700132195",
                   "legal_address": "117312, г. Москва, ул. Вавилова, д. 19"}),
        )),
    )
    .await;
    // A person's bank details: a 12-digit INN without an OGRNIP.
    let person = order_of(
        &app,
        "person@example.ru",
        Some(requisites("Петров Пётр", "500100732259", ACCOUNT)),
    )
    .await;
    let bare = order_of(&app, "bare@example.ru", None).await;

    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    for (id, expected) in [
        (sole, "sole_proprietor"),
        (legal, "legal"),
        (person, "person"),
        (bare, "person"),
    ] {
        let order: Order = app
            .get(&format!("/api/v1/orders/{id}"), Some(&petr.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(order.customer_type.as_str(), expected, "{id}");
    }
    let mut persons = vec![person, bare];
    persons.sort();
    assert_eq!(found(&app, &petr.token, "sole_proprietor").await, [sole]);
    assert_eq!(found(&app, &petr.token, "legal").await, [legal]);
    assert_eq!(found(&app, &petr.token, "person").await, persons);
    assert_eq!(
        found(&app, &petr.token, "person,sole_proprietor")
            .await
            .len(),
        3
    );
}

/// A registration number must be right and suit the INN; every bad field
/// is named at once and nothing is saved.
async fn registration_numbers_are_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let base = requisites("ИП Соколова Анна", "500100732259", ACCOUNT);
    for (ogrn, code) in [
        ("304500116000158", "ogrn_checksum"),
        ("30450011600015", "ogrn_format"),
        ("1027700132195", "ogrn_inn_mismatch"),
    ] {
        let body = with(base.clone(), json!({"ogrn": ogrn, "bik": "12"}));
        let p = problem(
            put(&app, "/api/v1/me/requisites", &body, &anna.token).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p.field("ogrn")[0].code, code, "{ogrn}");
        assert_eq!(p.field("bik")[0].code, "bik_format");
    }
    let view: Value = app
        .get("/api/v1/me/requisites", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["requisites"], Value::Null, "nothing saved");
    let long = with(base, json!({"legal_address": "д".repeat(501)}));
    let p = problem(
        put(&app, "/api/v1/me/requisites", &long, &anna.token).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("legal_address").is_empty());
}

on_both_backends!(
    customer_types_follow_the_requisites,
    registration_numbers_are_checked,
);
