//! Engineer profiles, requisites and the public engineer list through HTTP
//! (docs/API.md, "Engineers and employers"): required fields, validation
//! (nothing changes on bad input),
//! `If-Match`, filters, sorts, pages and the computed figures.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::sro_registry::{
    ACCOUNT, assigned_order, complete_profile, engineer, moderator, put, requisites,
};
use mezha_api_types::engineers::{EngineerDetails, EngineerList, EngineerProfile, RequisitesView};
use serde_json::{Value, json};
use std::collections::HashSet;
use uuid::Uuid;

fn profile_body(regions: &[&str], work_types: Value, experience: u32, accept: bool) -> Value {
    json!({
        "website": "https://kadastr.example",
        "residence": "г. Раменское",
        "contacts": {"phone": "+7 912 345-67-89", "email": "office@kadastr.example"},
        "experience_years": experience,
        "working_hours": "пн–пт 9–18",
        "education": "МИИГАиК",
        "about": "Межевание",
        "accept_offers": accept,
        "regions": regions,
        "work_types": work_types,
    })
}

async fn put_if_match(
    app: &TestApp,
    path: &str,
    body: &Value,
    token: &str,
    etag: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .header("if-match", etag)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn my_profile(app: &TestApp, token: &str) -> EngineerProfile {
    let resp = app.get("/api/v1/me/engineer-profile", Some(token)).await;
    assert_eq!(resp.status(), 200);
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let profile: EngineerProfile = resp.json().await.unwrap();
    assert_eq!(etag, format!("\"v{}\"", profile.version));
    profile
}

async fn profile_required_fields_validation_and_if_match(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let customer = app.user("customer@example.ru").await;
    let (_ivan, token) = engineer(
        &app,
        &moderator,
        "ivan@example.ru",
        501_601_701,
        "Иванов Иван",
    )
    .await;

    // Only an engineer, acting as engineer.
    problem(
        app.get(
            "/api/v1/me/engineer-profile",
            Some(&customer.tokens.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get("/api/v1/me/engineer-profile", None).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(
        put(
            &app,
            "/api/v1/me/engineer-profile",
            &profile_body(&["50"], json!([]), 1, true),
            &customer.tokens.access_token,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get("/api/v1/me/requisites", None).await,
        401,
        "unauthenticated",
    )
    .await;

    // Empty at first: everything but the name is missing.
    let empty = my_profile(&app, &token).await;
    assert_eq!(empty.version, 0);
    assert!(empty.accept_offers && !empty.complete);
    assert_eq!(
        empty.missing_fields,
        ["regions", "work_types", "contacts", "requisites"]
    );
    assert_eq!(empty.full_name.as_deref(), Some("Иванов Иван"));

    // Bad input: 422 with every field named, nothing saved.
    let bad = json!({
        "website": "javascript:alert(1)",
        "contacts": {"phone": "12", "email": "not-an-email"},
        "experience_years": 200,
        "regions": ["50", "99", "50"],
        "work_types": [
            {"work_type": "map_plan", "price": -5},
            {"work_type": "map_plan", "price": 100}
        ],
        "diploma_file_ids": [Uuid::now_v7()],
    });
    let p = problem(
        put(&app, "/api/v1/me/engineer-profile", &bad, &token).await,
        422,
        "validation_failed",
    )
    .await;
    // Every bad field at once, the bounds in the message: the body's own
    // rules (ranges) and the use case's (regions, files) together.
    assert_eq!(p.field("experience_years")[0].code, "range", "{p:?}");
    assert_eq!(
        p.field("experience_years")[0].message,
        "Must be at most 80."
    );
    let price = &p.field("work_types[0].price")[0];
    assert_eq!(price.code, "range");
    assert_eq!(price.message, "Must be between 1 and 1 000 000 000.");
    assert_eq!(p.field("regions[1]")[0].code, "unknown_region");
    assert_eq!(p.field("regions[2]")[0].code, "duplicate");
    assert_eq!(p.field("work_types[1].work_type")[0].code, "duplicate");
    assert_eq!(p.field("diploma_file_ids[0]")[0].code, "unknown_file");
    let bad = json!({
        "website": "javascript:alert(1)",
        "contacts": {"phone": "12", "email": "not-an-email"},
        "regions": ["50", "99", "50"],
        "work_types": [{"work_type": "map_plan", "price": 5}, {"work_type": "map_plan"}],
        "diploma_file_ids": [Uuid::now_v7()],
    });
    let p = problem(
        put(&app, "/api/v1/me/engineer-profile", &bad, &token).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("website")[0].code, "invalid_url");
    assert!(!p.field("contacts.phone").is_empty());
    assert!(!p.field("contacts.email").is_empty());
    assert_eq!(p.field("regions[1]")[0].code, "unknown_region");
    assert_eq!(p.field("regions[2]")[0].code, "duplicate");
    assert_eq!(p.field("work_types[1].work_type")[0].code, "duplicate");
    assert_eq!(p.field("diploma_file_ids[0]")[0].code, "unknown_file");
    problem(
        put(
            &app,
            "/api/v1/me/engineer-profile",
            &json!({"colour": "red"}),
            &token,
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    problem(
        put(
            &app,
            "/api/v1/me/engineer-profile",
            &json!({"work_types": [{"work_type": "dance"}]}),
            &token,
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    assert_eq!(my_profile(&app, &token).await, empty);

    // Saved with If-Match "v0"; a price-less work type does not count.
    let body = profile_body(
        &["77", "50"],
        json!([{"work_type": "map_plan"}, {"work_type": "layout_scheme", "price": 9000}]),
        12,
        true,
    );
    let resp = put_if_match(&app, "/api/v1/me/engineer-profile", &body, &token, "\"v0\"").await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(resp.headers()["etag"], "\"v1\"");
    let saved: EngineerProfile = resp.json().await.unwrap();
    assert_eq!(saved.regions, ["50", "77"]);
    assert_eq!(saved.contacts.phone.as_deref(), Some("+79123456789"));
    assert_eq!(saved.missing_fields, ["requisites"]);
    assert_eq!(saved.business_form.as_str(), "sole_proprietor");

    // A stale If-Match is 412 and changes nothing.
    let resp = put_if_match(
        &app,
        "/api/v1/me/engineer-profile",
        &profile_body(&["23"], json!([]), 1, false),
        &token,
        "\"v0\"",
    )
    .await;
    problem(resp, 412, "precondition_failed").await;
    assert_eq!(my_profile(&app, &token).await, saved);

    // Only priced work types count.
    let unpriced = profile_body(&["50"], json!([{"work_type": "map_plan"}]), 12, true);
    let resp = put(&app, "/api/v1/me/engineer-profile", &unpriced, &token).await;
    let p: EngineerProfile = resp.json().await.unwrap();
    assert_eq!(p.missing_fields, ["work_types", "requisites"]);
    let resp = put(&app, "/api/v1/me/engineer-profile", &body, &token).await;
    assert_eq!(resp.status(), 200);

    // Requisites: bad BIK, account, INN and KPP are 422, nothing saved.
    let mut bad = requisites("ИП Иванов", "500100732250", "40802810000000000001");
    bad["kpp"] = json!("12");
    let p = problem(
        put(&app, "/api/v1/me/requisites", &bad, &token).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("account")[0].code, "account_checksum");
    assert!(!p.field("inn").is_empty());
    assert_eq!(p.field("kpp")[0].code, "kpp_format");
    let mut bad = requisites("ИП Иванов", "500100732259", ACCOUNT);
    bad["bik"] = json!("123");
    let p = problem(
        put(&app, "/api/v1/me/requisites", &bad, &token).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("bik")[0].code, "bik_format");
    let mut bad = requisites("  ", "500100732259", ACCOUNT);
    bad["correspondent_account"] = json!("30101810500000000225");
    let p = problem(
        put(&app, "/api/v1/me/requisites", &bad, &token).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("recipient").is_empty());
    assert_eq!(p.field("correspondent_account")[0].code, "account_checksum");
    let view: RequisitesView = app
        .get("/api/v1/me/requisites", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (view.version, view.requisites.is_none(), view.editable),
        (0, true, true)
    );

    let resp = put_if_match(
        &app,
        "/api/v1/me/requisites",
        &requisites("ИП Иванов", "500100732259", ACCOUNT),
        &token,
        "\"v0\"",
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"], "\"v1\"");
    let resp = put_if_match(
        &app,
        "/api/v1/me/requisites",
        &requisites("ИП Иванов", "500100732259", ACCOUNT),
        &token,
        "\"v0\"",
    )
    .await;
    problem(resp, 412, "precondition_failed").await;
    let done = my_profile(&app, &token).await;
    assert!(done.complete && done.missing_fields.is_empty(), "{done:?}");

    // A customer has requisites too (for his contracts).
    let resp = put(
        &app,
        "/api/v1/me/requisites",
        &requisites("Покупатель", "7707083893", ACCOUNT),
        &customer.tokens.access_token,
    )
    .await;
    assert_eq!(resp.status(), 200);
}

async fn public_list_filters_sorts_pages_and_figures(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let customer = app.user("customer@example.ru").await;
    let boundary = json!([{"work_type": "land_plot_boundary_clarification", "price": 15000}]);
    let map = json!([{"work_type": "map_plan", "price": 50000}]);

    let (a, ta) = engineer(
        &app,
        &moderator,
        "a@example.ru",
        601_701_801,
        "Алексеев Алексей",
    )
    .await;
    complete_profile(&app, &ta, profile_body(&["50"], boundary.clone(), 5, true)).await;
    let (b, tb) = engineer(
        &app,
        &moderator,
        "b@example.ru",
        601_701_802,
        "Борисов Борис",
    )
    .await;
    complete_profile(
        &app,
        &tb,
        profile_body(&["50", "77"], map.clone(), 20, false),
    )
    .await;
    let (c, tc) = engineer(&app, &moderator, "c@example.ru", 601_701_803, "Власов Влас").await;
    complete_profile(&app, &tc, profile_body(&["77"], boundary.clone(), 12, true)).await;
    // Incomplete (no requisites) and blocked engineers are not listed.
    let (d, td) = engineer(&app, &moderator, "d@example.ru", 601_701_804, "Глебов Глеб").await;
    let resp = put(
        &app,
        "/api/v1/me/engineer-profile",
        &profile_body(&["50"], boundary.clone(), 30, true),
        &td,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let (e, te) = engineer(
        &app,
        &moderator,
        "e@example.ru",
        601_701_805,
        "Дмитриев Дмитрий",
    )
    .await;
    complete_profile(&app, &te, profile_body(&["50"], boundary.clone(), 40, true)).await;
    let resp = app
        .post(
            &format!("/api/v1/users/{}/block", e.id),
            &json!({}),
            Some(&moderator),
        )
        .await;
    assert_eq!(resp.status(), 204);

    // Figures: A completed two orders and works on two more: one he
    // delivered before its due date, one overdue without results.
    let today = chrono::Utc::now().date_naive();
    for _ in 0..2 {
        assign(&app, customer.id, a.id, "completed", None).await;
    }
    let delivered = assigned_order(
        &app,
        customer.id,
        a.id,
        "in_progress",
        Some(today + chrono::Days::new(5)),
    )
    .await;
    let resp = app
        .post(
            &format!("/api/v1/orders/{delivered}/results"),
            &json!({"method": "storage_uin", "uin": "77-1"}),
            Some(&ta),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assign(
        &app,
        customer.id,
        a.id,
        "in_progress",
        Some(today - chrono::Days::new(1)),
    )
    .await;
    assign(&app, customer.id, c.id, "completed", None).await;

    let list = |query: &str| {
        let app = &app;
        let query = query.to_owned();
        async move {
            let resp = app.get(&format!("/api/v1/engineers{query}"), None).await;
            assert_eq!(
                resp.status(),
                200,
                "{query}: {}",
                resp.text().await.unwrap()
            );
            resp.json::<EngineerList>().await.unwrap()
        }
    };
    let ids = |l: &EngineerList| l.items.iter().map(|c| c.id).collect::<Vec<_>>();

    // Public, no token; only complete, unblocked engineers.
    let all = list("").await;
    let listed: HashSet<Uuid> = ids(&all).into_iter().collect();
    assert_eq!(listed, HashSet::from([a.id, b.id, c.id]));
    assert!(!listed.contains(&d.id) && !listed.contains(&e.id));
    let card_a = all.items.iter().find(|x| x.id == a.id).unwrap();
    assert_eq!(
        (
            card_a.completed_orders,
            card_a.successful_orders,
            card_a.on_time_percent
        ),
        (2, 2, Some(50))
    );
    assert_eq!(card_a.rating, None);
    assert_eq!(card_a.full_name, "Алексеев Алексей");
    let card_b = all.items.iter().find(|x| x.id == b.id).unwrap();
    assert_eq!((card_b.completed_orders, card_b.on_time_percent), (0, None));
    assert_eq!(card_b.regions, ["50", "77"]);

    // Filters.
    assert_eq!(
        ids(&list("?region_code=77&sort=experience").await),
        [b.id, c.id]
    );
    assert_eq!(ids(&list("?work_type=map_plan").await), [b.id]);
    assert_eq!(
        ids(&list("?experience_min=10&sort=experience").await),
        [b.id, c.id]
    );
    assert_eq!(ids(&list("?accepts_offers=false").await), [b.id]);
    assert!(list("?rating_min=4").await.items.is_empty());
    assert_eq!(
        ids(&list("?region_code=50&accepts_offers=true").await),
        [a.id]
    );

    // Sorts.
    assert_eq!(ids(&list("?sort=experience").await), [b.id, c.id, a.id]);
    assert_eq!(
        ids(&list("?sort=completed_orders").await)[..2],
        [a.id, c.id]
    );

    // Pages of one, by cursor, cover everyone once in order.
    let mut seen = Vec::new();
    let mut query = "?sort=experience&limit=1".to_owned();
    loop {
        let page = list(&query).await;
        assert!(page.items.len() <= 1);
        seen.extend(ids(&page));
        match page.next_cursor {
            Some(cursor) => query = format!("?sort=experience&limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, [b.id, c.id, a.id]);
    let first = list("?sort=experience&limit=1").await;
    let cursor = first.next_cursor.unwrap();
    problem(
        app.get(
            &format!("/api/v1/engineers?sort=rating&cursor={cursor}"),
            None,
        )
        .await,
        400,
        "bad_request",
    )
    .await;

    // Bad input.
    problem(
        app.get("/api/v1/engineers?cursor=!!!", None).await,
        400,
        "bad_request",
    )
    .await;
    problem(
        app.get("/api/v1/engineers?limit=0", None).await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/engineers?limit=101", None).await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/engineers?rating_min=7", None).await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/engineers?sort=price", None).await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        app.get("/api/v1/engineers?experience_min=-1", None).await,
        422,
        "validation_failed",
    )
    .await;

    // One engineer's public profile; unlisted ones are 404.
    let resp = app.get(&format!("/api/v1/engineers/{}", b.id), None).await;
    assert_eq!(resp.status(), 200);
    let details: EngineerDetails = resp.json().await.unwrap();
    assert_eq!(details.card.id, b.id);
    assert_eq!(details.website.as_deref(), Some("https://kadastr.example"));
    assert_eq!(
        details.sro.unwrap().registry_number.as_deref(),
        Some("77-601")
    );
    for hidden in [d.id, e.id, customer.id, Uuid::now_v7()] {
        problem(
            app.get(&format!("/api/v1/engineers/{hidden}"), None).await,
            404,
            "not_found",
        )
        .await;
    }
    problem(
        app.get("/api/v1/engineers/not-a-uuid", None).await,
        404,
        "not_found",
    )
    .await;
}

async fn assign(
    app: &TestApp,
    customer: Uuid,
    engineer: Uuid,
    status: &str,
    due: Option<chrono::NaiveDate>,
) {
    assigned_order(app, customer, engineer, status, due).await;
}

on_both_backends!(
    profile_required_fields_validation_and_if_match,
    public_list_filters_sorts_pages_and_figures,
);
