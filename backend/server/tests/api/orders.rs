//! The marketplace through HTTP (docs/orders.md): orders, search, responses,
//! offers, attachments; every endpoint with the wrong user, the wrong
//! acting role and bad input.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use chrono::NaiveDate;
use mezha_api_types::Role;
use mezha_api_types::me::AccessTokenResponse;
use mezha_api_types::orders::{
    FileInfo, HistoryList, Offer, Order, OrderList, OrderResponse, ResponseList,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// A valid settlement account for BIK 044525225 (its key digit computed
/// by the Bank of Russia rule).
fn account_for(bik: &str, account: &str) -> String {
    let weights = [7u32, 1, 3];
    let mut digits: Vec<u32> = bik[6..]
        .chars()
        .chain(account.chars())
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    digits[11] = 0;
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| (d * weights[i % 3]) % 10)
        .sum();
    let key = ((10 - sum % 10) % 10 * 7) % 10;
    let mut out: Vec<char> = account.chars().collect();
    out[8] = char::from_digit(key, 10).unwrap();
    out.into_iter().collect()
}

/// A party with its current access token.
pub(crate) struct Party {
    pub id: Uuid,
    pub token: String,
}

pub(crate) async fn as_role(app: &TestApp, token: &str, role: Role) -> String {
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

pub(crate) async fn customer(app: &TestApp, email: &str) -> Party {
    let user = app.user(email).await;
    Party {
        id: user.id,
        token: user.tokens.access_token,
    }
}

/// An engineer with a complete profile in `regions`.
pub(crate) async fn engineer(
    app: &TestApp,
    email: &str,
    regions: &[&str],
    accept_offers: bool,
) -> Party {
    let user = app.user(email).await;
    let db = app.db().await;
    mezha_store::users::grant_role(&db, user.id, Role::Engineer, chrono::Utc::now())
        .await
        .unwrap();
    db.close().await.ok();
    // The role is in the next token.
    let tokens = app.login(email, &user.password).await;
    let token = as_role(app, &tokens.access_token, Role::Engineer).await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"full_name": "Пётр Сергеевич Кадастров"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = app
        .client
        .put(app.url("/api/v1/me/engineer-profile"))
        .bearer_auth(&token)
        .json(&json!({
            "contacts": {"phone": "+79123456780", "email": email},
            "regions": regions,
            "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 20000}],
            "accept_offers": accept_offers,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "engineer profile: {}",
        resp.text().await.unwrap()
    );
    let bik = "044525225";
    let resp = app
        .client
        .put(app.url("/api/v1/me/requisites"))
        .bearer_auth(&token)
        .json(&json!({
            "recipient": "ИП Кадастров Пётр Сергеевич",
            "inn": "500100732259",
            "bank_name": "ПАО Сбербанк",
            "bik": bik,
            "account": account_for(bik, "40802810000000000001"),
            "correspondent_account": "30101810400000000225",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "requisites: {}",
        resp.text().await.unwrap()
    );
    Party { id: user.id, token }
}

pub(crate) fn complete_order(title: &str) -> Value {
    json!({
        "title": title,
        "work_types": ["land_plot_boundary_clarification"],
        "description": "Уточнение границ участка под ИЖС.",
        "cadastral_numbers": ["50:23:0040312:118"],
        "region_code": "50",
        "address": "Московская обл., г. Раменское, ул. Серова",
        "deadline_days": 30,
        "price": 25000,
        "prepayment_required": true,
        "prepayment_percent": 30,
        "registration": "gku",
    })
}

pub(crate) async fn create(app: &TestApp, token: &str, body: &Value) -> Order {
    let resp = app.post("/api/v1/orders", body, Some(token)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

pub(crate) async fn publish(app: &TestApp, token: &str, id: Uuid) -> Order {
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/publish"),
            &json!({}),
            Some(token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn get_order(app: &TestApp, token: &str, id: Uuid) -> reqwest::Response {
    app.get(&format!("/api/v1/orders/{id}"), Some(token)).await
}

async fn search(app: &TestApp, token: &str, query: &str) -> OrderList {
    let resp = app
        .get(&format!("/api/v1/orders/search?{query}"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

fn actions(order: &Order) -> Vec<&'static str> {
    order.allowed_actions.iter().map(|a| a.as_str()).collect()
}

async fn the_marketplace_story(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50", "77"], true).await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;

    // A draft, created once even when the request is retried.
    let key = Uuid::new_v4().to_string();
    let body = json!({"title": "Межевание участка"});
    let mut ids = Vec::new();
    for _ in 0..2 {
        let resp = app
            .client
            .post(app.url("/api/v1/orders"))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        let order: Order = resp.json().await.unwrap();
        ids.push(order.id);
    }
    assert_eq!(ids[0], ids[1], "a retry returns the first order");
    let resp = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(&anna.token)
        .header("Idempotency-Key", &key)
        .json(&json!({"title": "Другой заказ"}))
        .send()
        .await
        .unwrap();
    problem(resp, 422, "idempotency_key_reused").await;
    let mine: OrderList = app
        .get("/api/v1/orders", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 1);
    let id = ids[0];
    let row: Vec<&str> = mine.items[0]
        .allowed_actions
        .iter()
        .map(|a| a.as_str())
        .collect();
    assert_eq!(row, ["edit", "delete", "publish"], "a draft's row");

    // Publishing an incomplete draft names what is missing.
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/publish"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    let p = problem(resp, 422, "validation_failed").await;
    for field in ["work_types", "region_code", "address", "deadline_date"] {
        assert_eq!(p.field(field)[0].code, "required", "{field}");
    }

    // Completing it with If-Match; a stale version is refused.
    let resp = get_order(&app, &anna.token, id).await;
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let draft: Order = resp.json().await.unwrap();
    assert_eq!(actions(&draft), ["edit", "delete", "publish"]);
    let mut patch = complete_order("Межевание участка в Раменском");
    patch.as_object_mut().unwrap().remove("registration");
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&anna.token)
        .header("If-Match", &etag)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let edited: Order = resp.json().await.unwrap();
    assert_eq!(edited.version, draft.version + 1);
    assert_eq!(edited.cadastral_numbers, ["50:23:0040312:118"]);
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&anna.token)
        .header("If-Match", &etag)
        .json(&json!({"price": 1}))
        .send()
        .await
        .unwrap();
    problem(resp, 412, "precondition_failed").await;

    // Engineers do not see drafts.
    problem(get_order(&app, &petr.token, id).await, 404, "not_found").await;
    assert!(search(&app, &petr.token, "").await.items.is_empty());

    let published = publish(&app, &anna.token, id).await;
    assert_eq!(published.status.as_str(), "executor_selection");
    assert!(published.published_at.is_some());
    assert_eq!(
        actions(&published),
        ["edit", "cancel", "select_response", "offer"]
    );
    // Each action with the request that takes it.
    let links: Vec<(&str, &str, String, bool)> = published
        .action_links
        .iter()
        .map(|l| {
            (
                l.action.as_str(),
                l.method.as_str(),
                l.href.clone(),
                l.templated,
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("edit", "PATCH", format!("/api/v1/orders/{id}"), false),
            (
                "cancel",
                "POST",
                format!("/api/v1/orders/{id}/cancel"),
                false
            ),
            (
                "select_response",
                "POST",
                "/api/v1/responses/{response_id}/select".to_owned(),
                true
            ),
            (
                "offer",
                "POST",
                format!("/api/v1/orders/{id}/offers"),
                false
            ),
        ]
    );

    // Publishing again: 409 naming the status and what is allowed now.
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/publish"),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    let p = problem(resp, 409, "illegal_transition").await;
    assert_eq!(p.current_status.as_deref(), Some("executor_selection"));
    assert_eq!(
        p.allowed_actions.unwrap(),
        ["edit", "cancel", "select_response", "offer"]
    );

    // The engineer finds it by its filters, and not by others.
    let found = search(
        &app,
        &petr.token,
        "region_code=50&address=%D0%A1%D0%B5%D1%80%D0%BE%D0%B2%D0%B0&with_prepayment=true&with_price=true&without_responses=true&customer_types=person&work_types=map_plan,land_plot_boundary_clarification&deadline_days_max=30",
    )
    .await;
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, id);
    for miss in [
        "region_code=77",
        "address=ленина",
        "customer_types=legal",
        "work_types=map_plan",
        "deadline_days_max=29",
        &format!("number={}", published.number + 1),
    ] {
        assert!(
            search(&app, &petr.token, miss).await.items.is_empty(),
            "{miss}"
        );
    }
    let found = search(&app, &petr.token, &format!("number={}", published.number)).await;
    assert_eq!(found.items.len(), 1);
    // A row tells what the caller may do with it, as the order does.
    let row = &found.items[0];
    let row_actions: Vec<&str> = row.allowed_actions.iter().map(|a| a.as_str()).collect();
    assert_eq!(row_actions, ["respond"]);
    assert_eq!(
        row.action_links[0].href,
        format!("/api/v1/orders/{id}/responses")
    );
    let seen: Order = get_order(&app, &petr.token, id).await.json().await.unwrap();
    assert_eq!(actions(&seen), ["respond"]);

    // Two engineers respond; one active response each.
    let mut responses = Vec::new();
    for (who, price) in [(&petr, 23000), (&ivan, 21000)] {
        let resp = app
            .post(
                &format!("/api/v1/orders/{id}/responses"),
                &json!({"price": price, "deadline_days": 20, "message": "Готов приступить."}),
                Some(&who.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        responses.push(resp.json::<OrderResponse>().await.unwrap());
    }
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/responses"),
            &json!({"price": 1, "deadline_days": 1}),
            Some(&petr.token),
        )
        .await;
    problem(resp, 409, "already_responded").await;
    assert!(
        search(&app, &petr.token, "without_responses=true")
            .await
            .items
            .is_empty()
    );

    // Each engineer sees his own response; the customer sees both.
    let own: ResponseList = app
        .get(&format!("/api/v1/orders/{id}/responses"), Some(&ivan.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.items.len(), 1);
    assert_eq!(own.items[0].engineer_id, ivan.id);
    let all: ResponseList = app
        .get(&format!("/api/v1/orders/{id}/responses"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.items.len(), 2);
    assert_eq!(
        all.items[0].engineer_name.as_deref(),
        Some("Пётр Сергеевич Кадастров")
    );

    // Only the customer selects; an engineer cannot select.
    let resp = app
        .post(
            &format!("/api/v1/responses/{}/select", responses[0].id),
            &json!({}),
            Some(&petr.token),
        )
        .await;
    problem(resp, 403, "forbidden").await;
    let resp = app
        .post(
            &format!("/api/v1/responses/{}/select", responses[0].id),
            &json!({}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let chosen: Order = resp.json().await.unwrap();
    assert_eq!(chosen.status.as_str(), "contract_signing");
    assert_eq!(chosen.executor_id, Some(petr.id));
    assert_eq!(
        chosen.executor_name.as_deref(),
        Some("Пётр Сергеевич Кадастров")
    );
    assert_eq!(actions(&chosen), ["edit", "cancel"]);

    // The other response is closed; the order left the search.
    let all: ResponseList = app
        .get(&format!("/api/v1/orders/{id}/responses"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = all.items.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["selected", "closed"]);
    assert!(search(&app, &ivan.token, "").await.items.is_empty());
    // The executor still sees it and lists it among his orders.
    assert_eq!(get_order(&app, &petr.token, id).await.status(), 200);
    let his: OrderList = app
        .get("/api/v1/orders", Some(&petr.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(his.items.len(), 1);

    // The history has every step, oldest first.
    let history: HistoryList = app
        .get(&format!("/api/v1/orders/{id}/history"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = history
        .items
        .iter()
        .map(|h| (h.action.as_str(), h.to_status.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("create", "draft"),
            ("edit", "draft"),
            ("publish", "executor_selection"),
            ("select_response", "contract_signing"),
        ]
    );
    assert_eq!(history.items[3].actor_id, Some(anna.id));

    // Cancelling before the contract is signed is allowed, with a reason.
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/cancel"),
            &json!({"comment": "Передумали"}),
            Some(&anna.token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let cancelled: Order = resp.json().await.unwrap();
    assert_eq!(cancelled.status.as_str(), "cancelled");
    assert!(cancelled.allowed_actions.is_empty());
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&anna.token)
        .json(&json!({"price": 1}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 409, "illegal_transition").await;
    assert_eq!(p.current_status.as_deref(), Some("cancelled"));
}

async fn orders_are_private_and_role_bound(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let boris = customer(&app, "boris@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    let id = order.id;
    let paths = [
        ("GET", format!("/api/v1/orders/{id}")),
        ("GET", format!("/api/v1/orders/{id}/history")),
        ("GET", format!("/api/v1/orders/{id}/responses")),
        ("GET", format!("/api/v1/orders/{id}/offers")),
        ("POST", format!("/api/v1/orders/{id}/publish")),
        ("POST", format!("/api/v1/orders/{id}/cancel")),
        ("DELETE", format!("/api/v1/orders/{id}")),
    ];
    // Another customer, and an engineer, cannot even tell the draft exists.
    for token in [&boris.token, &petr.token] {
        for (method, path) in &paths {
            let req = match *method {
                "GET" => app.client.get(app.url(path)),
                "DELETE" => app.client.delete(app.url(path)),
                _ => app.client.post(app.url(path)).json(&json!({})),
            };
            let resp = req.bearer_auth(token).send().await.unwrap();
            let status = resp.status().as_u16();
            assert!(status == 404 || status == 403, "{method} {path}: {status}");
            if token == &boris.token {
                problem(resp, 404, "not_found").await;
            }
        }
    }
    // Unknown and malformed ids are 404 too.
    problem(
        get_order(&app, &anna.token, Uuid::now_v7()).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get("/api/v1/orders/not-a-uuid", Some(&anna.token))
            .await,
        404,
        "not_found",
    )
    .await;
    // Wrong acting roles.
    problem(
        app.post("/api/v1/orders", &json!({"title": "x"}), Some(&petr.token))
            .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get("/api/v1/orders/search", Some(&anna.token)).await,
        403,
        "forbidden",
    )
    .await;
    publish(&app, &anna.token, id).await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/responses"),
            &json!({"price": 100, "deadline_days": 5}),
            Some(&anna.token),
        )
        .await;
    problem(resp, 403, "forbidden").await;
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&petr.token)
        .json(&json!({"price": 1}))
        .send()
        .await
        .unwrap();
    problem(resp, 403, "forbidden").await;
    // Another customer still cannot see the published order.
    problem(get_order(&app, &boris.token, id).await, 404, "not_found").await;
    // Without a token: 401.
    problem(
        app.get("/api/v1/orders", None).await,
        401,
        "unauthenticated",
    )
    .await;
    // Deleting: only drafts.
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(&anna.token)
        .send()
        .await
        .unwrap();
    problem(resp, 409, "illegal_transition").await;
    let draft = create(&app, &anna.token, &json!({"title": "Черновик"})).await;
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/orders/{}", draft.id)))
        .bearer_auth(&anna.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    problem(
        get_order(&app, &anna.token, draft.id).await,
        404,
        "not_found",
    )
    .await;
}

async fn bad_orders_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let boris = customer(&app, "boris@example.ru").await;
    let foreign: FileInfo = app
        .client
        .post(app.url("/api/v1/files?name=plan.pdf"))
        .bearer_auth(&boris.token)
        .header("content-type", "application/pdf")
        .body("%PDF-1.7 test")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(2))
        .date_naive()
        .to_string();
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"cadastral_numbers": ["50:23:12"]}),
            "cadastral_numbers",
            "cadastral_number_format",
        ),
        (
            json!({"region_code": "99"}),
            "region_code",
            "unknown_region",
        ),
        (json!({"price": -5}), "price", "not_positive"),
        (
            json!({"deadline_date": yesterday, "deadline_days": null}),
            "deadline_date",
            "deadline_in_past",
        ),
        (json!({"deadline_days": 0}), "deadline_days", "out_of_range"),
        (
            json!({"attachment_ids": [foreign.id]}),
            "attachment_ids",
            "unknown_file",
        ),
        (
            json!({"prepayment_required": true, "prepayment_percent": 101}),
            "prepayment_percent",
            "out_of_range",
        ),
    ];
    for (change, field, code) in &cases {
        let mut body = complete_order("Межевание");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let resp = app.post("/api/v1/orders", &body, Some(&anna.token)).await;
        let p = problem(resp, 422, "validation_failed").await;
        assert_eq!(p.field(field)[0].code, *code, "{change}");
    }
    // All of them at once, with a field the body's own rules refuse.
    let mut body = complete_order("Межевание");
    for (change, _, _) in &cases[..5] {
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
    }
    body["attachment_ids"] = json!([foreign.id]);
    body["title"] = json!("");
    let resp = app.post("/api/v1/orders", &body, Some(&anna.token)).await;
    let p = problem(resp, 422, "validation_failed").await;
    for field in [
        "title",
        "cadastral_numbers",
        "region_code",
        "price",
        "attachment_ids",
    ] {
        assert!(!p.field(field).is_empty(), "{field} is not named: {p:?}");
    }
    for (body, status, code) in [
        (json!({"title": "x", "colour": "red"}), 422, "invalid_body"),
        (
            json!({"title": "x", "work_types": ["gardening"]}),
            422,
            "invalid_body",
        ),
        (json!({"title": ""}), 422, "validation_failed"),
        (json!({"title": "x", "price": "много"}), 422, "invalid_body"),
    ] {
        let resp = app.post("/api/v1/orders", &body, Some(&anna.token)).await;
        problem(resp, status, code).await;
    }
    let resp = app
        .client
        .post(app.url("/api/v1/orders"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    problem(resp, 400, "malformed_json").await;
    // Nothing was created.
    let mine: OrderList = app
        .get("/api/v1/orders", Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.items.is_empty());

    // A bad edit leaves the order as it was.
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    for (change, _, _) in &cases {
        let resp = app
            .client
            .patch(app.url(&format!("/api/v1/orders/{}", order.id)))
            .bearer_auth(&anna.token)
            .json(change)
            .send()
            .await
            .unwrap();
        problem(resp, 422, "validation_failed").await;
    }
    let same: Order = get_order(&app, &anna.token, order.id)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(same, order);
    // Search input is checked too.
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    for query in ["work_types=gardening", "customer_types=alien"] {
        let resp = app
            .get(&format!("/api/v1/orders/search?{query}"), Some(&petr.token))
            .await;
        problem(resp, 422, "validation_failed").await;
    }
    for query in [
        "limit=0",
        "limit=101",
        "cursor=%%%",
        "sort=random",
        "number=abc",
    ] {
        let resp = app
            .get(&format!("/api/v1/orders/search?{query}"), Some(&petr.token))
            .await;
        assert!(
            [400, 422].contains(&resp.status().as_u16()),
            "{query}: {}",
            resp.status()
        );
        assert_eq!(
            resp.headers()["content-type"],
            "application/problem+json",
            "{query}"
        );
    }
}

async fn offers_and_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let keen = engineer(&app, "keen@example.ru", &["50"], true).await;
    let busy = engineer(&app, "busy@example.ru", &["50"], false).await;
    let far = engineer(&app, "far@example.ru", &["23"], true).await;
    let blocked = engineer(&app, "blocked@example.ru", &["50"], true).await;
    let novice = app.user("novice@example.ru").await;
    let db = app.db().await;
    mezha_store::users::grant_role(&db, novice.id, Role::Engineer, chrono::Utc::now())
        .await
        .unwrap();
    let order = create(&app, &anna.token, &complete_order("Вынос границ")).await;
    let id = order.id;

    // Not before publication.
    let offer_to = |engineer: Uuid| json!({"engineer_id": engineer, "message": "Возьмётесь?"});
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/offers"),
            &offer_to(keen.id),
            Some(&anna.token),
        )
        .await;
    problem(resp, 409, "illegal_transition").await;
    publish(&app, &anna.token, id).await;

    // A moderator blocks one engineer.
    let moderator = app.user("moderator@example.ru").await;
    let out = app.staff("moderator@example.ru", "moderator password 1", "moderator");
    assert!(out.status.success());
    let tokens = app.login(&moderator.email, "moderator password 1").await;
    let mod_token = as_role(&app, &tokens.access_token, Role::Moderator).await;
    let resp = app
        .post(
            &format!("/api/v1/users/{}/block", blocked.id),
            &json!({}),
            Some(&mod_token),
        )
        .await;
    assert_eq!(resp.status(), 204);

    for (who, code) in [
        (busy.id, "offers_disabled"),
        (far.id, "region_not_covered"),
        (blocked.id, "engineer_blocked"),
        (novice.id, "engineer_profile_incomplete"),
        (anna.id, "forbidden"),
    ] {
        let resp = app
            .post(
                &format!("/api/v1/orders/{id}/offers"),
                &offer_to(who),
                Some(&anna.token),
            )
            .await;
        let p = problem(resp, 403, code).await;
        assert!(p.detail.is_some());
    }
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/offers"),
            &offer_to(Uuid::now_v7()),
            Some(&anna.token),
        )
        .await;
    problem(resp, 404, "not_found").await;
    // The far engineer may not respond either; the busy one may.
    let respond = json!({"price": 100, "deadline_days": 5});
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/responses"),
            &respond,
            Some(&far.token),
        )
        .await;
    problem(resp, 403, "region_not_covered").await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/responses"),
            &respond,
            Some(&busy.token),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let response: OrderResponse = resp.json().await.unwrap();
    // He withdraws it; withdrawing twice is a conflict; others cannot.
    let path = format!("/api/v1/responses/{}/withdraw", response.id);
    problem(
        app.post(&path, &json!({}), Some(&keen.token)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.post(&path, &json!({}), Some(&busy.token))
            .await
            .status(),
        200
    );
    problem(
        app.post(&path, &json!({}), Some(&busy.token)).await,
        409,
        "conflict",
    )
    .await;

    // Nothing was offered: no offers exist.
    let offers: mezha_api_types::orders::OfferList = app
        .get(&format!("/api/v1/orders/{id}/offers"), Some(&anna.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(offers.items.is_empty());

    // The keen engineer gets an offer, sees it, and may accept or decline.
    // A retry with the same Idempotency-Key answers the same offer.
    let offer_with_key = || {
        app.client
            .post(app.url(&format!("/api/v1/orders/{id}/offers")))
            .bearer_auth(&anna.token)
            .header("idempotency-key", "offer-1")
            .json(&offer_to(keen.id))
            .send()
    };
    let resp = offer_with_key().await.unwrap();
    assert_eq!(resp.status(), 201);
    assert!(resp.headers().get("idempotent-replayed").is_none());
    let offer: Offer = resp.json().await.unwrap();
    let resp = offer_with_key().await.unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    assert_eq!(resp.json::<Offer>().await.unwrap().id, offer.id);
    let resp = app
        .post(
            &format!("/api/v1/orders/{id}/offers"),
            &offer_to(keen.id),
            Some(&anna.token),
        )
        .await;
    problem(resp, 409, "conflict").await;
    let seen: Order = get_order(&app, &keen.token, id).await.json().await.unwrap();
    assert_eq!(actions(&seen), ["respond", "accept_offer", "decline_offer"]);
    // The search row says the same (the page's pending offers read at once).
    let row = search(&app, &keen.token, &format!("number={}", seen.number))
        .await
        .items
        .remove(0);
    assert_eq!(row.allowed_actions, seen.allowed_actions);
    assert_eq!(row.action_links, seen.action_links);
    let his: OrderList = app
        .get("/api/v1/orders", Some(&keen.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(his.items.len(), 1);
    // Another engineer cannot answer it.
    problem(
        app.post(
            &format!("/api/v1/offers/{}/accept", offer.id),
            &json!({}),
            Some(&busy.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/offers/{}/accept", offer.id),
            &json!({}),
            Some(&keen.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let accepted: Order = resp.json().await.unwrap();
    assert_eq!(accepted.status.as_str(), "contract_signing");
    assert_eq!(accepted.executor_id, Some(keen.id));
    problem(
        app.post(
            &format!("/api/v1/offers/{}/decline", offer.id),
            &json!({}),
            Some(&keen.token),
        )
        .await,
        409,
        "conflict",
    )
    .await;
}

async fn search_pages_and_sorts(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let today = chrono::Utc::now().date_naive();
    let mut published = Vec::new();
    for (i, days) in [40u32, 10, 30, 20, 50].into_iter().enumerate() {
        let mut body = complete_order(&format!("Заказ {i}"));
        body["deadline_days"] = json!(days);
        let order = create(&app, &anna.token, &body).await;
        // Publication times must differ for a visible order.
        app.clock.advance(std::time::Duration::from_secs(60));
        published.push((publish(&app, &anna.token, order.id).await, days));
    }
    let collect = |sort: &'static str| {
        let app = &app;
        let token = petr.token.clone();
        async move {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let mut query = format!("sort={sort}&limit=2");
                if let Some(c) = &cursor {
                    query.push_str(&format!("&cursor={c}"));
                }
                let page = search(app, &token, &query).await;
                assert!(page.items.len() <= 2);
                seen.extend(page.items.iter().map(|o| o.id));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            seen
        }
    };
    let newest = collect("newest").await;
    let expected: Vec<Uuid> = published.iter().rev().map(|(o, _)| o.id).collect();
    assert_eq!(newest, expected);
    let urgent = collect("urgency").await;
    let mut by_days = published.clone();
    by_days.sort_by_key(|(o, days)| {
        (
            o.published_at.unwrap().date_naive() + chrono::Duration::days(i64::from(*days)),
            o.id,
        )
    });
    assert_eq!(
        urgent,
        by_days.iter().map(|(o, _)| o.id).collect::<Vec<_>>()
    );
    // "Until a date" uses the due date.
    let until = today + chrono::Duration::days(25);
    let found = search(&app, &petr.token, &format!("deadline_until={until}")).await;
    assert_eq!(found.items.len(), 2);
    let _ = NaiveDate::MIN;
    // A cursor of one sort is refused by the other.
    let page = search(&app, &petr.token, "sort=newest&limit=1").await;
    let resp = app
        .get(
            &format!(
                "/api/v1/orders/search?sort=urgency&cursor={}",
                page.next_cursor.unwrap()
            ),
            Some(&petr.token),
        )
        .await;
    problem(resp, 400, "bad_request").await;
}

async fn attachments_are_streamed_and_shared_with_parties(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let boris = customer(&app, "boris@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let content = b"%PDF-1.7\nplan of the plot\n".repeat(1000);
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=..%2Fплан.pdf"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(content.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let file: FileInfo = resp.json().await.unwrap();
    assert_eq!(file.name, "план.pdf");
    assert_eq!(file.size, content.len() as i64);
    use sha2::Digest as _;
    let digest: String = sha2::Sha256::digest(&content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file.sha256, digest);

    // Refused uploads leave nothing behind.
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=run.exe"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/x-msdownload")
        .body("MZ")
        .send()
        .await
        .unwrap();
    problem(resp, 415, "unsupported_media_type").await;
    // The declared type must be the content's; a program is no file at all.
    let mut program = b"MZ\x90\0".to_vec();
    program.resize(0x80, 0);
    program[0x3C] = 0x80;
    program.extend_from_slice(b"PE\0\0");
    program.resize(10_000, 0x90);
    for (name, declared, body) in [
        (
            "plan.pdf",
            "application/pdf",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
        ),
        ("photo.png", "image/png", program),
        ("scan.pdf", "application/pdf", b"%PD".to_vec()),
    ] {
        let resp = app
            .client
            .post(app.url(&format!("/api/v1/files?name={name}")))
            .bearer_auth(&anna.token)
            .header("content-type", declared)
            .body(body)
            .send()
            .await
            .unwrap();
        problem(resp, 415, "unsupported_media_type").await;
    }
    let big = vec![0u8; 50 * 1024 * 1024 + 1];
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=big.pdf"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(resp, 413, "payload_too_large").await;
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=empty.pdf"))
        .bearer_auth(&anna.token)
        .header("content-type", "application/pdf")
        .body(Vec::<u8>::new())
        .send()
        .await
        .unwrap();
    problem(resp, 422, "validation_failed").await;
    let db = app.db().await;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        mezha_store::entities::files::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        1
    );

    let mut body = complete_order("С планом");
    body["attachment_ids"] = json!([file.id]);
    let order = create(&app, &anna.token, &body).await;
    assert_eq!(order.attachments, vec![file.clone()]);
    let download = format!("/api/v1/files/{}", file.id);
    // Before publication only the uploader can download it.
    problem(
        app.get(&download, Some(&petr.token)).await,
        404,
        "not_found",
    )
    .await;
    publish(&app, &anna.token, order.id).await;
    for token in [&anna.token, &petr.token] {
        let resp = app.get(&download, Some(token)).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert_eq!(resp.bytes().await.unwrap().as_ref(), content.as_slice());
    }
    problem(
        app.get(&download, Some(&boris.token)).await,
        404,
        "not_found",
    )
    .await;
}

async fn employer_joins(app: &TestApp, employer_token: &str, employer_id: Uuid, engineer: &Party) {
    let resp = app
        .post(
            &format!("/api/v1/employers/{employer_id}/join-requests"),
            &json!({"basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "1"}),
            Some(&engineer.token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let request: Value = resp.json().await.unwrap();
    let resp = app
        .post(
            &format!(
                "/api/v1/join-requests/{}/approve",
                request["id"].as_str().unwrap()
            ),
            &json!({}),
            Some(employer_token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
}

async fn employers_see_their_engineers_orders(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let make_employer = |email: &'static str, name: &'static str, inn: &'static str| {
        let app = &app;
        async move {
            let user = app.user(email).await;
            let resp = app
                .client
                .put(app.url("/api/v1/me/employer"))
                .bearer_auth(&user.tokens.access_token)
                .json(&json!({"employs_engineers": true, "name": name, "inn": inn}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
            let tokens = app.login(email, &user.password).await;
            let token = as_role(app, &tokens.access_token, Role::Employer).await;
            let bik = "044525225";
            let resp = app
                .client
                .put(app.url("/api/v1/me/requisites"))
                .bearer_auth(&token)
                .json(&json!({
                    "recipient": name,
                    "inn": inn,
                    "bank_name": "ПАО Сбербанк",
                    "bik": bik,
                    "account": account_for(bik, "40702810000000000002"),
                    "correspondent_account": "30101810400000000225",
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
            (user.id, token)
        }
    };
    let (org_id, org) = make_employer("org@example.ru", "ООО «Межевик»", "7707083893").await;
    let (_, rival) = make_employer("rival@example.ru", "ООО «Соперник»", "7736207543").await;
    let order = create(&app, &anna.token, &complete_order("Межевание")).await;
    publish(&app, &anna.token, order.id).await;

    // Petr alone at the employer: its only active engineer may not respond.
    employer_joins(&app, &org, org_id, &petr).await;
    let respond = json!({"price": 100, "deadline_days": 5});
    let path = format!("/api/v1/orders/{}/responses", order.id);
    problem(
        app.post(&path, &respond, Some(&petr.token)).await,
        403,
        "sole_active_engineer",
    )
    .await;
    // With a second engineer he may.
    employer_joins(&app, &org, org_id, &ivan).await;
    assert_eq!(
        app.post(&path, &respond, Some(&petr.token)).await.status(),
        201
    );

    // The employer lists and opens it, read-only; another employer cannot.
    let list: OrderList = app
        .get("/api/v1/orders", Some(&org))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.items.len(), 1);
    let seen: Order = get_order(&app, &org, order.id).await.json().await.unwrap();
    assert!(seen.allowed_actions.is_empty());
    problem(get_order(&app, &rival, order.id).await, 404, "not_found").await;
    let rival_list: OrderList = app
        .get("/api/v1/orders", Some(&rival))
        .await
        .json()
        .await
        .unwrap();
    assert!(rival_list.items.is_empty());
    problem(
        app.post(
            &format!("/api/v1/orders/{}/cancel", order.id),
            &json!({}),
            Some(&org),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

/// A key is remembered for a day (`mezha_app::idempotency::KEEP`): within
/// it a retry replays the first order, after the purge job it is free.
async fn idempotency_keys_are_forgotten_after_a_day(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let key = Uuid::new_v4().to_string();
    let create = |title: &'static str| {
        app.client
            .post(app.url("/api/v1/orders"))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", &key)
            .json(&json!({ "title": title }))
            .send()
    };
    let first: Order = create("Межевание").await.unwrap().json().await.unwrap();
    let db = app.db().await;
    let now = mezha_app::clock::Clock::now(&app.clock);
    let hours = |h: i64| now + chrono::Duration::hours(h);
    // The purge an hour later keeps it.
    assert_eq!(
        mezha_app::idempotency::purge(&db, hours(1)).await.unwrap(),
        0
    );
    let resp = create("Межевание").await.unwrap();
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    let again: Order = resp.json().await.unwrap();
    assert_eq!(again.id, first.id);
    // The purge a day later forgets it: the key makes a new order.
    assert_eq!(
        mezha_app::idempotency::purge(&db, hours(25)).await.unwrap(),
        1
    );
    let resp = create("Другой заказ").await.unwrap();
    assert_eq!(resp.status(), 201);
    assert!(resp.headers().get("idempotent-replayed").is_none());
    let fresh: Order = resp.json().await.unwrap();
    assert_ne!(fresh.id, first.id);
    assert_eq!(fresh.title, "Другой заказ");
}

/// Order numbers come from a sequence: drafts created at the same moment all
/// succeed, each with its own number, with no gap (docs/orders.md, "Numbers").
async fn concurrent_orders_get_distinct_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("numbers@example.ru").await;
    let first = create(&app, &anna.tokens.access_token, &json!({"title": "Первый"})).await;
    let attempts = (0..24).map(|i| {
        let app = &app;
        let token = anna.tokens.access_token.clone();
        async move {
            app.post(
                "/api/v1/orders",
                &json!({"title": format!("Заказ {i}")}),
                Some(&token),
            )
            .await
        }
    });
    let mut numbers = Vec::new();
    for resp in futures_util::future::join_all(attempts).await {
        assert_eq!(
            resp.status(),
            201,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        numbers.push(resp.json::<Order>().await.unwrap().number);
    }
    numbers.sort_unstable();
    let expected: Vec<i64> = (first.number + 1..=first.number + 24).collect();
    assert_eq!(numbers, expected);
}

/// A key whose request died with the process is not stranded (docs/API.md,
/// "Idempotency"): died after its order committed, a retry answers with
/// that order; died before, the key is taken over once the claim is older
/// than a request can take, and the work is done once.
async fn idempotency_keys_survive_a_crash(backend: Backend) {
    use mezha_store::entities::idempotency_keys as keys;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
    let app = spawn_app(backend).await;
    let anna = customer(&app, "crash@example.ru").await;
    let post = |key: &str| {
        app.client
            .post(app.url("/api/v1/orders"))
            .bearer_auth(&anna.token)
            .header("Idempotency-Key", key)
            .json(&json!({"title": "После сбоя"}))
            .send()
    };
    let db = app.db().await;
    let orders = || async {
        mezha_store::entities::orders::Entity::find()
            .count(&db)
            .await
            .unwrap()
    };
    let first: Order = post("k1").await.unwrap().json().await.unwrap();
    let row = keys::Entity::find_by_id((anna.id, "POST /orders".to_owned(), "k1".to_owned()))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.resource_id,
        Some(first.id),
        "bound in the creating transaction"
    );

    // Died after the commit, before the answer was stored.
    let mut died: keys::ActiveModel = row.clone().into();
    died.status = Set(None);
    died.response = Set(None);
    died.update(&db).await.unwrap();
    let resp = post("k1").await.unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    assert_eq!(resp.json::<Order>().await.unwrap().id, first.id);
    assert_eq!(orders().await, 1, "no second order");

    // Died before the commit: a claim of the same request, bound to nothing.
    keys::ActiveModel {
        key: Set("k2".to_owned()),
        status: Set(None),
        response: Set(None),
        resource_id: Set(None),
        created_at: Set(mezha_app::clock::Clock::now(&app.clock)),
        ..row.into()
    }
    .insert(&db)
    .await
    .unwrap();
    // While it may still be running: in progress.
    problem(post("k2").await.unwrap(), 409, "idempotency_in_progress").await;
    // Older than any request: taken over, the work done once.
    app.clock.advance(mezha_app::idempotency::STALE_AFTER);
    let resp = post("k2").await.unwrap();
    assert_eq!(resp.status(), 201);
    assert!(resp.headers().get("idempotent-replayed").is_none());
    let second: Order = resp.json().await.unwrap();
    assert_ne!(second.id, first.id);
    let resp = post("k2").await.unwrap();
    assert_eq!(resp.headers()["idempotent-replayed"], "true");
    assert_eq!(resp.json::<Order>().await.unwrap().id, second.id);
    assert_eq!(orders().await, 2);
}

on_both_backends!(
    concurrent_orders_get_distinct_numbers,
    idempotency_keys_survive_a_crash,
    idempotency_keys_are_forgotten_after_a_day,
    the_marketplace_story,
    orders_are_private_and_role_bound,
    bad_orders_change_nothing,
    offers_and_refusals,
    search_pages_and_sorts,
    attachments_are_streamed_and_shared_with_parties,
    employers_see_their_engineers_orders,
);
