//! Every list the OpenAPI document has (a `GET` whose answer has `items`),
//! walked page by page (docs/API.md, "Conventions"): a page of one item
//! at a time gives the same items in the same order as one page of a
//! hundred, none twice, and the last page says so. The lists are found in
//! the document, so a new list fails here until this world fills it with
//! at least two items (one item would fit on any page).

use crate::certificates::{approved, approved_again, issue};
use crate::chat::say;
use crate::employers::{basis, employer};
use crate::helpers::{Backend, TestApp, spawn_app};
use crate::on_both_backends;
use crate::orders::{complete_order, create, customer, engineer, publish};
use crate::sro_registry::{assigned_order, engineer as registered_engineer, moderator};
use p256::ecdsa::SigningKey;
use serde_json::{Value, json};

/// The ids (or, without one, the whole item) of a list read at `limit` a
/// page, and how many pages it took.
async fn walk(app: &TestApp, path: &str, token: Option<&str>, limit: usize) -> (Vec<Value>, usize) {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{join}limit={limit}");
    let mut items = Vec::new();
    for pages in 1..=200 {
        let resp = app.get(&url, token).await;
        assert_eq!(resp.status(), 200, "{url}: {}", resp.text().await.unwrap());
        let page: Value = resp.json().await.unwrap();
        let list = page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{url}: {page}"));
        assert!(list.len() <= limit, "{url}: more than {limit}");
        items.extend(
            list.iter()
                .map(|i| i.get("id").cloned().unwrap_or_else(|| i.clone())),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(list.len(), limit, "{url}: a page before the last is full");
                url = format!("{path}{join}limit={limit}&cursor={cursor}");
            }
            None => return (items, pages),
        }
    }
    panic!("{path}: no last page after 200");
}

async fn every_list_walks_page_by_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = customer(&app, "anna@example.ru").await;
    let petr = engineer(&app, "petr@example.ru", &["50"], true).await;
    let ivan = engineer(&app, "ivan@example.ru", &["50"], true).await;
    let mod_token = moderator(&app).await;
    let (employer_id, employer_token) =
        employer(&app, "hr@example.ru", "ООО «Кадастр»", "7707083893").await;
    employer(&app, "hr@kadastr-yug.ru", "ООО «Кадастр-Юг»", "7728168971").await;
    // Two employees: one asked to join, the other was added.
    let (_, oleg) = registered_engineer(
        &app,
        &mod_token,
        "oleg@example.ru",
        801_901_101,
        "Олегов Олег",
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/employers/{employer_id}/join-requests"),
            &basis(),
            Some(&oleg),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    registered_engineer(
        &app,
        &mod_token,
        "olga@example.ru",
        801_901_102,
        "Ольгина Ольга",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/me/employees",
            &json!({"email": "olga@example.ru"}),
            Some(&employer_token),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());

    // Two webhooks, before the responses they are told of.
    let mut hook = None;
    for n in 1..=2 {
        let resp = app
            .post(
                "/api/v1/webhooks",
                &json!({"url": format!("http://127.0.0.1:9/hook{n}"), "kinds": ["response_received"]}),
                Some(&anna.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        hook = resp.json::<Value>().await.unwrap()["id"]
            .as_str()
            .map(str::to_owned);
    }
    let hook = hook.unwrap();

    // Orders, published; two responses to the first, two offers of the second.
    let first = create(&app, &anna.token, &complete_order("Межевание")).await;
    publish(&app, &anna.token, first.id).await;
    let second = create(&app, &anna.token, &complete_order("Техплан")).await;
    publish(&app, &anna.token, second.id).await;
    for who in [&petr, &ivan] {
        let resp = app
            .post(
                &format!("/api/v1/orders/{}/responses", first.id),
                &json!({"price": 20000, "deadline_days": 20, "message": "Готов"}),
                Some(&who.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    for who in [&petr, &ivan] {
        let resp = app
            .post(
                &format!("/api/v1/orders/{}/offers", second.id),
                &json!({"engineer_id": who.id, "message": "Возьмётесь?"}),
                Some(&anna.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // A chat with three messages.
    let chat = assigned_order(&app, anna.id, petr.id, "contract_signing", None).await;
    for text in ["Добрый день", "Когда выезд?", "Во вторник"] {
        assert_eq!(say(&app, &anna.token, chat, text).await.status(), 201);
    }
    // Two invoices of an order: the prepayment, then the final one.
    let paid = assigned_order(&app, anna.id, petr.id, "prepayment", None).await;
    for status in ["prepayment", "payment"] {
        if status == "payment" {
            use sea_orm::{ActiveModelTrait, ActiveValue::Set};
            let db = app.db().await;
            mezha_store::entities::orders::ActiveModel {
                id: Set(paid),
                status: Set(status.into()),
                ..Default::default()
            }
            .update(&db)
            .await
            .unwrap();
        }
        let resp = app
            .post(
                &format!("/api/v1/orders/{paid}/invoices"),
                &json!({"link": "https://bank.example.ru/pay"}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // Two deliveries of results, the first rejected.
    let delivered = assigned_order(&app, anna.id, petr.id, "in_progress", None).await;
    for n in 1..=2 {
        let resp = app
            .post(
                &format!("/api/v1/orders/{delivered}/results"),
                &json!({"method": "link", "link": format!("https://disk.example.ru/{n}")}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        if n == 1 {
            let resp = app
                .post(
                    &format!("/api/v1/orders/{delivered}/reject-results"),
                    &json!({"reasons": "Нет схемы"}),
                    Some(&anna.token),
                )
                .await;
            assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        }
    }
    // Two reviews of Petr, of two completed orders.
    for rating in [5, 4] {
        let done = assigned_order(&app, anna.id, petr.id, "completed", None).await;
        let resp = app
            .post(
                &format!("/api/v1/orders/{done}/review"),
                &json!({"rating": rating}),
                Some(&anna.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // Two contract versions of that order.
    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
    for kopecks in [1_000_000, 1_100_000] {
        let terms = json!({
            "signatory": "executor", "signatory_name": "Кадастров Пётр",
            "acting_on_basis": "аттестата", "object_characteristics": "Участок",
            "deadline": deadline, "price_kopecks": kopecks, "advance_percent": 0,
            "advance_kopecks": 0, "remainder_kopecks": kopecks,
        });
        let resp = app
            .post(
                &format!("/api/v1/orders/{chat}/contracts"),
                &json!({"terms": terms}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // Two act versions of an order in payment.
    let closing = assigned_order(&app, anna.id, petr.id, "payment", None).await;
    for _ in 0..2 {
        let resp = app
            .post(
                &format!("/api/v1/orders/{closing}/acts"),
                &json!({}),
                Some(&petr.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // Sessions; two certificate drafts; two certificates of one owner.
    for _ in 0..2 {
        app.login("anna@example.ru", "correct horse battery").await;
    }
    for _ in 0..2 {
        let resp = app
            .post(
                "/api/v1/certificate-applications",
                &json!({}),
                Some(&anna.token),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    let (owner, application, operator) = approved(&app, "owner@example.ru").await;
    let another = approved_again(&app, &owner, &operator).await;
    for id in [application.id, another.id] {
        issue(
            &app,
            &owner,
            id,
            &SigningKey::random(&mut rand::rngs::OsRng),
        )
        .await;
    }
    // The responses' deliveries to both webhooks are queued by the
    // notification worker: wait for this one's two.
    let deliveries = format!("/api/v1/webhooks/{hook}/deliveries");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while walk(&app, &deliveries, Some(&anna.token), 100)
        .await
        .0
        .len()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no deliveries to {hook}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The mails this world causes go out after the answers: walk the outbox
    // once nothing has been added to it for half a second.
    let mut sent = walk(&app, "/api/v1/dev/outbox", None, 100).await.0;
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox keeps growing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let now = walk(&app, "/api/v1/dev/outbox", None, 100).await.0;
        if now == sent {
            break;
        }
        sent = now;
    }

    // Each list of the document: where it is and whose it is; at least
    // how many items this world gives it.
    let order = first.id;
    // An organisation with two invitations, one accepted: two members, and
    // an audit log of five entries (registered, confirmed, two invited,
    // joined).
    let head = customer(&app, "org-head@example.ru").await;
    let (org, org_admin) = crate::organisations::confirmed(&app, &head, &operator).await;
    let clerk = customer(&app, "clerk1@example.ru").await;
    for email in ["clerk1@example.ru", "clerk2@example.ru"] {
        let resp = app
            .post(
                &format!("/api/v1/organisations/{}/invitations", org.id),
                &json!({"email": email}),
                Some(&org_admin),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // The newest link to him is the invitation (his confirmation came first).
    let token = app.nth_link_token("clerk1@example.ru", 2).await;
    let resp = app
        .post(
            "/api/v1/invitations/accept",
            &json!({"token": token}),
            Some(&clerk.token),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    // Two powers of attorney in its settings (uploaded, not yet signed).
    for snils in ["112-233-445 95", "123-456-789 64"] {
        let spec = crate::powers_of_attorney::sample_of(
            "7707083893",
            "1027700132195",
            snils,
            &crate::powers_of_attorney::ALL_POWERS,
        );
        let xml = mezha_testkit::poa::power_of_attorney_xml(&spec).into_bytes();
        let resp = crate::powers_of_attorney::upload(&app, &org_admin, org.id, xml).await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }
    // Two clients in its base.
    for name in ["Петров Пётр Петрович", "Сидорова Анна Ивановна"]
    {
        let resp = app
            .post(
                "/api/v1/clients",
                &json!({"full_name": name}),
                Some(&org_admin),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }

    // A client with two certificate applications its CA agent filed: the
    // first rejected, so the second could be filed.
    let resp = app
        .post(
            "/api/v1/clients",
            &json!({
                "full_name": "Сидоров Сидор Сидорович", "snils": "123-456-789 64",
                "passport_series": "4510", "passport_number": "654321",
                "passport_issued_on": "2010-05-04", "passport_issuer": "ОВД района Арбат",
                "email": "sidorov-l@example.ru", "phone": "+79161112233",
            }),
            Some(&org_admin),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let agent_client = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let filings = format!("/api/v1/clients/{agent_client}/certificate-applications");
    for reject in [true, false] {
        let resp = app.post(&filings, &json!({}), Some(&org_admin)).await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let id = resp.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if reject {
            let resp = app
                .post(
                    &format!("/api/v1/certificate-applications/{id}/reject"),
                    &json!({"reasons": ["Паспорт недействителен"]}),
                    Some(&operator),
                )
                .await;
            assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
        }
    }

    for email in ["person1@example.ru", "person2@example.ru"] {
        let resp = app
            .post(
                "/api/v1/client-requests",
                &json!({"email": email}),
                Some(&org_admin),
            )
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }

    // Two deals, the first with a history of several entries.
    let mut deal_ids = Vec::new();
    for title in ["Купля-продажа", "Дарение"] {
        let resp = app
            .post("/api/v1/deals", &json!({"title": title}), Some(&org_admin))
            .await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        deal_ids.push(
            resp.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let resp = app
        .client
        .patch(app.url(&format!("/api/v1/deals/{}", deal_ids[0])))
        .bearer_auth(&org_admin)
        .json(&json!({"object": {"area": "12.5"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let deal_history = format!("/api/v1/deals/{}/history", deal_ids[0]);

    let table: Vec<(&str, String, Option<&str>, usize)> = vec![
        ("/api/v1/deals", "/api/v1/deals".into(), Some(&org_admin), 2),
        (
            "/api/v1/deals/{id}/history",
            deal_history.clone(),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/client-requests",
            "/api/v1/client-requests".into(),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/clients",
            "/api/v1/clients".into(),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/clients/{id}/certificate-applications",
            filings.clone(),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/auth/sessions",
            "/api/v1/auth/sessions".into(),
            Some(&anna.token),
            3,
        ),
        (
            "/api/v1/certificate-applications",
            "/api/v1/certificate-applications".into(),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/certificates",
            "/api/v1/certificates".into(),
            Some(&owner),
            2,
        ),
        ("/api/v1/dev/outbox", "/api/v1/dev/outbox".into(), None, 3),
        (
            "/api/v1/employers",
            "/api/v1/employers?q=%D0%9A%D0%B0%D0%B4%D0%B0%D1%81%D1%82%D1%80".into(),
            Some(&petr.token),
            2,
        ),
        ("/api/v1/engineers", "/api/v1/engineers".into(), None, 2),
        (
            "/api/v1/me/employees",
            "/api/v1/me/employees".into(),
            Some(&employer_token),
            2,
        ),
        (
            "/api/v1/notifications",
            "/api/v1/notifications".into(),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders",
            "/api/v1/orders".into(),
            Some(&anna.token),
            3,
        ),
        (
            "/api/v1/orders/search",
            "/api/v1/orders/search".into(),
            Some(&ivan.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/history",
            format!("/api/v1/orders/{order}/history"),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/chats",
            format!("/api/v1/orders/{}/chats", second.id),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/contracts",
            format!("/api/v1/orders/{chat}/contracts"),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/acts",
            format!("/api/v1/orders/{closing}/acts"),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/invoices",
            format!("/api/v1/orders/{paid}/invoices"),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/orders/{id}/results",
            format!("/api/v1/orders/{delivered}/results"),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/engineers/{id}/reviews",
            format!("/api/v1/engineers/{}/reviews", petr.id),
            None,
            2,
        ),
        (
            "/api/v1/orders/{id}/messages",
            format!("/api/v1/orders/{chat}/messages"),
            Some(&anna.token),
            3,
        ),
        (
            "/api/v1/orders/{id}/offers",
            format!("/api/v1/orders/{}/offers", second.id),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/organisations/{id}/audit",
            format!("/api/v1/organisations/{}/audit", org.id),
            Some(&org_admin),
            5,
        ),
        (
            "/api/v1/organisations/{id}/invitations",
            format!("/api/v1/organisations/{}/invitations", org.id),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/organisations/{id}/powers-of-attorney",
            format!("/api/v1/organisations/{}/powers-of-attorney", org.id),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/organisations/{id}/members",
            format!("/api/v1/organisations/{}/members", org.id),
            Some(&org_admin),
            2,
        ),
        (
            "/api/v1/orders/{id}/responses",
            format!("/api/v1/orders/{order}/responses"),
            Some(&anna.token),
            2,
        ),
        ("/api/v1/users", "/api/v1/users".into(), Some(&mod_token), 5),
        (
            "/api/v1/webhooks",
            "/api/v1/webhooks".into(),
            Some(&anna.token),
            2,
        ),
        (
            "/api/v1/webhooks/{id}/deliveries",
            deliveries.clone(),
            Some(&anna.token),
            2,
        ),
    ];

    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut lists = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let mut body = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        while let Some(name) = body["$ref"].as_str() {
            body = &schemas[name.rsplit('/').next().unwrap()];
        }
        if body["properties"].get("items").is_some() {
            lists.push(path.clone());
        }
    }
    let known: Vec<&str> = table.iter().map(|(p, ..)| *p).collect();
    for path in &lists {
        assert!(
            known.contains(&path.as_str()),
            "{path}: a list this test does not walk yet"
        );
    }
    assert_eq!(
        lists.len(),
        table.len(),
        "the table names a list the document lost"
    );

    for (template, path, token, at_least) in &table {
        assert!(*at_least >= 2, "{template}: a walk of fewer than two items");
        let (whole, pages) = walk(&app, path, *token, 100).await;
        assert_eq!(pages, 1, "{template}: one page of a hundred");
        assert!(
            whole.len() >= *at_least,
            "{template}: {} items, wanted {at_least}",
            whole.len()
        );
        let (one_by_one, pages) = walk(&app, path, *token, 1).await;
        assert_eq!(one_by_one, whole, "{template}: walked one a page");
        assert!(pages >= whole.len(), "{template}: one item a page");
        let mut unique = whole.clone();
        unique.sort_by_key(|v| v.to_string());
        unique.dedup();
        assert_eq!(unique.len(), whole.len(), "{template}: an item twice");
    }
}

on_both_backends!(every_list_walks_page_by_page);
