//! Employers and their engineers through HTTP (docs/employers.md): the employer
//! switch, the employer search, join requests, direct additions,
//! suspension, removal, inherited requisites, the standing the orders side
//! reads; the wrong employer, the wrong acting role and bad input.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use crate::sro_registry::{
    ACCOUNT, ACCOUNT_2, as_role, delete, engineer, import_ok, moderator, put, registry_csv,
    requisites, snils,
};
use mezha_api_types::Role;
use mezha_api_types::engineers::{
    EmployerList, EmployerSettings, Employment, EmploymentList, EngineerProfile, MyEmployment,
    RequisitesView,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// A customer who turned on "I employ cadastral engineers", acting as
/// employer.
pub(crate) async fn employer(app: &TestApp, email: &str, name: &str, inn: &str) -> (Uuid, String) {
    let user = app.user(email).await;
    let resp = put(
        app,
        "/api/v1/me/employer",
        &json!({"employs_engineers": true, "name": name, "inn": inn}),
        &user.tokens.access_token,
    )
    .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let tokens = app.login(email, &user.password).await;
    assert!(tokens.roles.contains(&Role::Employer));
    (
        user.id,
        as_role(app, &tokens.access_token, Role::Employer).await,
    )
}

pub(crate) fn basis() -> Value {
    json!({"basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "17/2026"})
}

async fn employees(app: &TestApp, token: &str, query: &str) -> EmploymentList {
    let resp = app
        .get(&format!("/api/v1/me/employees{query}"), Some(token))
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn employer_switch_and_search(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let org = app.user("org@example.ru").await;
    let token = org.tokens.access_token.clone();

    let settings: EmployerSettings = app
        .get("/api/v1/me/employer", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(!settings.employs_engineers && settings.name.is_none());

    // Bad input, nothing changes.
    let p = problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": true}),
            &token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("name")[0].code, "required");
    assert_eq!(p.field("inn")[0].code, "required");
    let p = problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": true, "name": " ", "inn": "7707083890"}),
            &token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(!p.field("inn").is_empty() && !p.field("name").is_empty());
    // A sole proprietor (12-digit INN) is not an employer: legal entities only.
    let p = problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": true, "name": "ИП Иванов", "inn": "500100732259"}),
            &token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("inn")[0].code, "inn_not_legal_entity");
    problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": "yes"}),
            &token,
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    let settings: EmployerSettings = app
        .get("/api/v1/me/employer", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(!settings.employs_engineers);
    let tokens = app.login("org@example.ru", &org.password).await;
    assert!(!tokens.roles.contains(&Role::Employer));

    // On: the employer role.
    let resp = put(
        &app,
        "/api/v1/me/employer",
        &json!({"employs_engineers": true, "name": "ООО «Кадастр-Юг»", "inn": "7707083893"}),
        &token,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let settings: EmployerSettings = resp.json().await.unwrap();
    assert!(settings.employs_engineers && settings.enabled_at.is_some());
    let tokens = app.login("org@example.ru", &org.password).await;
    assert_eq!(tokens.roles, [Role::Customer, Role::Employer]);
    let (_other, _) = employer(&app, "other@example.ru", "АО Геодезия", "7728168971").await;

    // Engineers find employers by name (any case, Cyrillic) or INN prefix.
    let (eng_user, eng) = engineer(
        &app,
        &moderator,
        "eng@example.ru",
        701_801_901,
        "Инженеров Иван",
    )
    .await;
    let found: EmployerList = app
        .get("/api/v1/employers?q=КАДАСТР", Some(&eng))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].name, "ООО «Кадастр-Юг»");
    assert_eq!(found.items[0].id, org.id);
    let found: EmployerList = app
        .get("/api/v1/employers?q=77281", Some(&eng))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.items[0].name, "АО Геодезия");
    let page: EmployerList = app
        .get("/api/v1/employers?limit=1", Some(&eng))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.items[0].name, "АО Геодезия");
    let cursor = page.next_cursor.unwrap();
    let page: EmployerList = app
        .get(
            &format!("/api/v1/employers?limit=1&cursor={cursor}"),
            Some(&eng),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.items[0].name, "ООО «Кадастр-Юг»");
    assert!(page.next_cursor.is_none());
    problem(
        app.get("/api/v1/employers", None).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(
        app.get("/api/v1/employers?cursor=zz", Some(&eng)).await,
        400,
        "bad_request",
    )
    .await;

    // Engineers and moderators do not switch employers on.
    problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": true, "name": "X", "inn": "7707083893"}),
            &eng,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get("/api/v1/me/employer", Some(&moderator)).await,
        403,
        "forbidden",
    )
    .await;

    // Off while an engineer is employed: 409; after removal: off, role gone.
    let emp_token = as_role(&app, &tokens.access_token, Role::Employer).await;
    let resp = app
        .post(
            &format!("/api/v1/employers/{}/join-requests", org.id),
            &basis(),
            Some(&eng),
        )
        .await;
    assert_eq!(resp.status(), 201);
    problem(
        put(
            &app,
            "/api/v1/me/employer",
            &json!({"employs_engineers": false}),
            &emp_token,
        )
        .await,
        409,
        "conflict",
    )
    .await;
    let resp = delete(
        &app,
        &format!("/api/v1/me/employees/{}", eng_user.id),
        &emp_token,
    )
    .await;
    assert_eq!(resp.status(), 204);
    let resp = put(
        &app,
        "/api/v1/me/employer",
        &json!({"employs_engineers": false}),
        &emp_token,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let tokens = app.login("org@example.ru", &org.password).await;
    assert_eq!(tokens.roles, [Role::Customer]);
    let found: EmployerList = app
        .get("/api/v1/employers?q=кадастр", Some(&eng))
        .await
        .json()
        .await
        .unwrap();
    assert!(found.items.is_empty());
    // The stale employer token is refused by the Employees tab.
    problem(
        app.get("/api/v1/me/employees", Some(&emp_token)).await,
        403,
        "forbidden",
    )
    .await;
}

async fn join_request_approve_suspend_remove(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let (org, org_t) = employer(&app, "org@example.ru", "ООО «Кадастр-Юг»", "7707083893").await;
    let (rival, rival_t) = employer(&app, "rival@example.ru", "АО Геодезия", "7728168971").await;
    let (ivan, ivan_t) = engineer(
        &app,
        &moderator,
        "ivan@example.ru",
        801_901_101,
        "Иванов Иван",
    )
    .await;
    let customer = app.user("customer@example.ru").await;
    let join = |employer: Uuid| format!("/api/v1/employers/{employer}/join-requests");

    // Bad requests: wrong role, unknown employer, bad body, bad file.
    problem(
        app.post(&join(org), &basis(), Some(&customer.tokens.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.post(&join(Uuid::now_v7()), &basis(), Some(&ivan_t))
            .await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.post(&join(customer.id), &basis(), Some(&ivan_t)).await,
        404,
        "not_found",
    )
    .await;
    let p = problem(
        app.post(
            &join(org),
            &json!({"basis_date": "2026-11-01", "basis_name": "", "basis_number": "1"}),
            Some(&ivan_t),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("basis_name")[0].code, "required");
    problem(
        app.post(
            &join(org),
            &json!({"basis_date": "yesterday", "basis_name": "Д", "basis_number": "1"}),
            Some(&ivan_t),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
    let mut with_file = basis();
    with_file["basis_file_id"] = json!(Uuid::now_v7());
    let p = problem(
        app.post(&join(org), &with_file, Some(&ivan_t)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("basis_file_id")[0].code, "unknown_file");
    let mine: MyEmployment = app
        .get("/api/v1/me/employment", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.current.is_none());

    // The request; at most one employer (or pending request).
    let resp = app
        .client
        .post(app.url(&join(org)))
        .bearer_auth(&ivan_t)
        .header("idempotency-key", "join-1")
        .json(&basis())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let request: Employment = resp.json().await.unwrap();
    assert_eq!(request.status.as_str(), "requested");
    let digits = snils(801_901_101);
    let formatted = format!(
        "{}-{}-{} {}",
        &digits[0..3],
        &digits[3..6],
        &digits[6..9],
        &digits[9..]
    );
    assert_eq!(request.engineer.snils.as_deref(), Some(formatted.as_str()));
    // A retry with the same key is the same request, not a conflict.
    let resp = app
        .client
        .post(app.url(&join(org)))
        .bearer_auth(&ivan_t)
        .header("idempotency-key", "join-1")
        .json(&basis())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.json::<Employment>().await.unwrap().id, request.id);
    problem(
        app.post(&join(rival), &basis(), Some(&ivan_t)).await,
        409,
        "already_employed",
    )
    .await;

    // The employer sees it; the rival does not and cannot decide it.
    let list = employees(&app, &org_t, "").await;
    assert_eq!(
        list.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        [request.id]
    );
    assert!(employees(&app, &rival_t, "").await.items.is_empty());
    let approve = format!("/api/v1/join-requests/{}/approve", request.id);
    problem(
        app.post(&approve, &json!({}), Some(&rival_t)).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.post(&approve, &json!({}), Some(&ivan_t)).await,
        403,
        "forbidden",
    )
    .await;
    let org_customer = app
        .login("org@example.ru", "correct horse battery")
        .await
        .access_token;
    problem(
        app.post(&approve, &json!({}), Some(&org_customer)).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.post(
            "/api/v1/join-requests/not-an-id/approve",
            &json!({}),
            Some(&org_t),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Approved: employed, once.
    let resp = app.post(&approve, &json!({}), Some(&org_t)).await;
    assert_eq!(resp.status(), 200);
    let approved: Employment = resp.json().await.unwrap();
    assert_eq!(approved.status.as_str(), "active");
    assert!(approved.decided_at.is_some());
    problem(
        app.post(&approve, &json!({}), Some(&org_t)).await,
        409,
        "conflict",
    )
    .await;
    problem(
        app.post(
            &format!("/api/v1/join-requests/{}/reject", request.id),
            &json!({}),
            Some(&org_t),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    let mine: MyEmployment = app
        .get("/api/v1/me/employment", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.current.unwrap().employer.name, "ООО «Кадастр-Юг»");

    // The employee's requisites are the employer's, read-only.
    complete_profile_without_requisites(&app, &ivan_t).await;
    let profile: EngineerProfile = app
        .get("/api/v1/me/engineer-profile", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile.business_form.as_str(), "employee");
    assert_eq!(profile.employer.as_ref().unwrap().id, org);
    assert_eq!(profile.missing_fields, ["requisites"]);
    let view: RequisitesView = app
        .get("/api/v1/me/requisites", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (view.source.as_str(), view.editable, view.employer_id),
        ("employer", false, Some(org))
    );
    assert!(view.requisites.is_none());
    problem(
        put(
            &app,
            "/api/v1/me/requisites",
            &requisites("ИП Иванов", "500100732259", ACCOUNT),
            &ivan_t,
        )
        .await,
        409,
        "requisites_inherited",
    )
    .await;
    let resp = put(
        &app,
        "/api/v1/me/requisites",
        &requisites("ООО «Кадастр-Юг»", "7707083893", ACCOUNT_2),
        &org_t,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let view: RequisitesView = app
        .get("/api/v1/me/requisites", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view.requisites.unwrap().recipient, "ООО «Кадастр-Юг»");
    let profile: EngineerProfile = app
        .get("/api/v1/me/engineer-profile", Some(&ivan_t))
        .await
        .json()
        .await
        .unwrap();
    assert!(profile.complete, "{profile:?}");
    let listed: Value = app
        .get(&format!("/api/v1/engineers/{}", ivan.id), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["employer"]["name"], "ООО «Кадастр-Юг»");

    // The standing the orders side reads: his employer's only engineer.
    let db = app.db().await;
    let standing = mezha_store::engineers::standing(&db, ivan.id)
        .await
        .unwrap();
    assert!(
        standing.is_engineer && standing.sole_active_engineer && standing.missing_fields.is_empty()
    );
    assert_eq!(
        mezha_store::employment::employer_of(&db, ivan.id)
            .await
            .unwrap(),
        Some(org)
    );
    assert_eq!(
        mezha_store::employment::employees_of(&db, org)
            .await
            .unwrap(),
        [ivan.id]
    );

    // A second engineer, added directly: neither is alone any more.
    let (petr, petr_t) = engineer(
        &app,
        &moderator,
        "petr@example.ru",
        801_901_102,
        "Петров Пётр",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/me/employees",
            &json!({"email": "petr@example.ru"}),
            Some(&org_t),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let standing = mezha_store::engineers::standing(&db, ivan.id)
        .await
        .unwrap();
    assert!(!standing.sole_active_engineer);
    assert_eq!(
        mezha_store::employment::employees_of(&db, org)
            .await
            .unwrap(),
        [ivan.id, petr.id]
    );

    // Suspend and resume: only the own employees, only from the right status.
    let suspend = format!("/api/v1/me/employees/{}/suspend", ivan.id);
    let resume = format!("/api/v1/me/employees/{}/resume", ivan.id);
    problem(
        app.post(&suspend, &json!({}), Some(&rival_t)).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.post(&resume, &json!({}), Some(&org_t)).await,
        409,
        "conflict",
    )
    .await;
    let resp = app.post(&suspend, &json!({}), Some(&org_t)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Employment>().await.unwrap().status.as_str(),
        "suspended"
    );
    problem(
        app.post(&suspend, &json!({}), Some(&org_t)).await,
        409,
        "conflict",
    )
    .await;
    // Suspended: no employer's requisites; still employed for a new request.
    assert_eq!(
        mezha_store::employment::employer_of(&db, ivan.id)
            .await
            .unwrap(),
        None
    );
    problem(
        app.post(&join(rival), &basis(), Some(&ivan_t)).await,
        409,
        "already_employed",
    )
    .await;
    let suspended = employees(&app, &org_t, "?status=suspended").await;
    assert_eq!(suspended.items.len(), 1);
    let resp = app.post(&resume, &json!({}), Some(&org_t)).await;
    assert_eq!(
        resp.json::<Employment>().await.unwrap().status.as_str(),
        "active"
    );

    // Only the employer acting as employer; bad cursors are 400.
    problem(
        app.get("/api/v1/me/employees", Some(&ivan_t)).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.post(&suspend, &json!({}), Some(&ivan_t)).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        app.get("/api/v1/me/employees?cursor=x", Some(&org_t)).await,
        400,
        "bad_request",
    )
    .await;
    problem(
        app.get("/api/v1/me/employees?status=fired", Some(&org_t))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // Pages of the Employees tab.
    let page = employees(&app, &org_t, "?limit=1").await;
    assert_eq!(page.items.len(), 1);
    let next = employees(
        &app,
        &org_t,
        &format!("?limit=1&cursor={}", page.next_cursor.unwrap()),
    )
    .await;
    assert_eq!(next.items.len(), 1);
    assert_ne!(page.items[0].id, next.items[0].id);
    assert!(next.next_cursor.is_none());

    // Remove: the wrong employer gets 404; then he may join someone else.
    problem(
        delete(&app, &format!("/api/v1/me/employees/{}", ivan.id), &rival_t).await,
        404,
        "not_found",
    )
    .await;
    problem(
        delete(&app, &format!("/api/v1/me/employees/{}", ivan.id), &ivan_t).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        delete(&app, &format!("/api/v1/me/employees/{}", ivan.id), &org_t)
            .await
            .status(),
        204
    );
    problem(
        delete(&app, &format!("/api/v1/me/employees/{}", ivan.id), &org_t).await,
        404,
        "not_found",
    )
    .await;
    let removed = employees(&app, &org_t, "?status=removed").await;
    assert_eq!(removed.items[0].engineer.id, ivan.id);

    // Reject, then a new request is possible; leaving withdraws it.
    let resp = app.post(&join(rival), &basis(), Some(&ivan_t)).await;
    let second: Employment = resp.json().await.unwrap();
    let resp = app
        .post(
            &format!("/api/v1/join-requests/{}/reject", second.id),
            &json!({}),
            Some(&rival_t),
        )
        .await;
    assert_eq!(
        resp.json::<Employment>().await.unwrap().status.as_str(),
        "rejected"
    );
    let resp = app.post(&join(rival), &basis(), Some(&ivan_t)).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(
        delete(&app, "/api/v1/me/employment", &ivan_t)
            .await
            .status(),
        204
    );
    problem(
        delete(&app, "/api/v1/me/employment", &ivan_t).await,
        404,
        "not_found",
    )
    .await;
    problem(
        app.get("/api/v1/me/employment", Some(&org_t)).await,
        403,
        "forbidden",
    )
    .await;

    // Petr leaves his employer himself.
    assert_eq!(
        delete(&app, "/api/v1/me/employment", &petr_t)
            .await
            .status(),
        204
    );
    assert!(
        mezha_store::employment::employees_of(&db, org)
            .await
            .unwrap()
            .is_empty()
    );
    db.close().await.ok();
}

async fn complete_profile_without_requisites(app: &TestApp, token: &str) {
    let resp = put(
        app,
        "/api/v1/me/engineer-profile",
        &json!({
            "contacts": {"phone": "+79123456789"},
            "regions": ["50"],
            "work_types": [{"work_type": "map_plan", "price": 40000}],
        }),
        token,
    )
    .await;
    assert_eq!(resp.status(), 200);
}

async fn adding_an_engineer_directly(backend: Backend) {
    let app = spawn_app(backend).await;
    let moderator = moderator(&app).await;
    let (_org, org_t) = employer(&app, "org@example.ru", "ООО «Кадастр-Юг»", "7707083893").await;
    let customer = app.user("customer@example.ru").await;

    // An engineer who has never logged in: registered and confirmed, his
    // SNILS set by support, then listed active by the registry import.
    let resp = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "new@example.ru", "password": "correct horse battery"}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 201);
    let id: Uuid = resp.json::<Value>().await.unwrap()["user_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let token = app.link_token("new@example.ru").await;
    app.post("/api/v1/auth/confirm-email", &json!({"token": token}), None)
        .await;
    let fresh = snils(901_101_201);
    let db = app.db().await;
    mezha_store::users::update_profile(
        &db,
        id,
        None,
        mezha_store::users::ProfileChanges {
            snils: Some(Some(fresh.clone())),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    db.close().await.ok();
    let report = import_ok(
        &app,
        &moderator,
        &registry_csv(&[(&fresh, "Новиков Ной", "действует")]),
    )
    .await;
    assert_eq!(report.roles_granted, 1);

    // Bad input and the wrong acting role; nothing is created.
    let add = |body: Value| {
        let app = &app;
        let token = org_t.clone();
        async move { app.post("/api/v1/me/employees", &body, Some(&token)).await }
    };
    problem(
        app.post(
            "/api/v1/me/employees",
            &json!({"email": "new@example.ru"}),
            Some(&customer.tokens.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let p = problem(add(json!({})).await, 422, "validation_failed").await;
    assert_eq!(p.field("email")[0].code, "one_of");
    problem(
        add(json!({"email": "new@example.ru", "snils": fresh})).await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        add(json!({"email": "not-an-email"})).await,
        422,
        "validation_failed",
    )
    .await;
    let p = problem(
        add(json!({"snils": "112-233-445 96"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.field("snils")[0].code, "snils_checksum");
    problem(
        add(json!({"email": "customer@example.ru"})).await,
        404,
        "not_found",
    )
    .await;
    problem(
        add(json!({"email": "nobody@example.ru"})).await,
        404,
        "not_found",
    )
    .await;

    // Never logged in: 409; after a login: employed by SNILS.
    problem(
        add(json!({"email": "new@example.ru"})).await,
        409,
        "engineer_never_logged_in",
    )
    .await;
    assert!(employees(&app, &org_t, "").await.items.is_empty());
    app.login("new@example.ru", "correct horse battery").await;
    let resp = add(json!({"snils": fresh, "basis_name": "Приказ", "basis_number": "5-к"})).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let added: Employment = resp.json().await.unwrap();
    assert_eq!((added.engineer.id, added.status.as_str()), (id, "active"));
    assert_eq!(added.basis_name.as_deref(), Some("Приказ"));
    problem(
        add(json!({"email": "new@example.ru"})).await,
        409,
        "already_employed",
    )
    .await;

    // Another employer cannot take him.
    let (_rival, rival_t) = employer(&app, "rival@example.ru", "АО Геодезия", "7728168971").await;
    problem(
        app.post(
            "/api/v1/me/employees",
            &json!({"email": "new@example.ru"}),
            Some(&rival_t),
        )
        .await,
        409,
        "already_employed",
    )
    .await;
}

on_both_backends!(
    employer_switch_and_search,
    join_request_approve_suspend_remove,
    adding_an_engineer_directly,
);
