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

async fn upload_through_link(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/client-requests/files?name=scan.png"))
        .header("x-link-token", token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn a_person_fills_in_his_data_from_the_mailed_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-rq@example.com").await;
    let head = customer(&app, "head-rq@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let (_, clerk) = employee(
        &app,
        org.id,
        &admin,
        "clerk-rq@example.com",
        &["manage_clients"],
    )
    .await;

    problem(
        app.post(
            "/api/v1/client-requests",
            &json!({"email": "nope"}),
            Some(&clerk),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/client-requests",
            &json!({"email": "person@example.ru", "full_name": "Орлов Олег Олегович"}),
            Some(&clerk),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let request: Value = resp.json().await.unwrap();
    assert_eq!(request["status"], "sent");
    let id = request["id"].as_str().unwrap().to_owned();
    let token = app.link_token("person@example.ru").await;

    let resp = app
        .post(
            "/api/v1/client-requests/preview",
            &json!({"token": token}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let preview: Value = resp.json().await.unwrap();
    assert_eq!(preview["organisation"], "ООО «АН „Квартал“»");
    assert_eq!(preview["full_name"], "Орлов Олег Олегович");

    // His scans go through the link: images and PDFs only, by content.
    problem(
        upload_through_link(&app, "wrong", "image/png", crate::avatars::png()).await,
        400,
        "invalid_token",
    )
    .await;
    problem(
        upload_through_link(&app, &token, "text/plain", b"hello".to_vec()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    problem(
        upload_through_link(&app, &token, "image/png", b"not a png at all".to_vec()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let resp = upload_through_link(&app, &token, "image/png", crate::avatars::png()).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let file: FileInfo = resp.json().await.unwrap();

    // His passport photo is read into his form; nothing is saved.
    let page = mezha_testkit::PassportPage::sample(5);
    let photo = mezha_testkit::render(&page, 1.0, 0.02, 5).expect("the DejaVu font (make ocr)");
    let resp = upload_through_link(&app, &token, "image/png", photo).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let photo: FileInfo = resp.json().await.unwrap();
    let resp = app
        .post(
            "/api/v1/client-requests/recognise",
            &json!({"token": token, "file_id": photo.id}),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let proposal: Value = resp.json().await.unwrap();
    let number = proposal["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "passport_number")
        .map(|f| f["value"].clone());
    assert_eq!(number, Some(json!(page.number)), "{proposal}");
    let foreign_photo = scan(&app, &clerk).await;
    problem(
        app.post(
            "/api/v1/client-requests/recognise",
            &json!({"token": token, "file_id": foreign_photo.id}),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    // Only files of this link; his data is checked, not refused.
    let foreign = scan(&app, &clerk).await;
    let data = |scans: Vec<Uuid>| {
        json!({"token": token, "data": {
            "full_name": "Орлов Олег Олегович", "birth_date": "1985-03-01",
            "snils": "112-233-445 96", "passport_series": "4507", "passport_number": "654321",
            "passport_issued_on": "2005-03-10", "scan_ids": scans}})
    };
    let p = problem(
        app.post(
            "/api/v1/client-requests/submit",
            &data(vec![foreign.id]),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.errors.unwrap().contains_key("data.scan_ids[0]"));
    let resp = app
        .post("/api/v1/client-requests/submit", &data(vec![file.id]), None)
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let answer: Value = resp.json().await.unwrap();
    assert!(
        answer["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "snils_checksum"),
        "{answer}"
    );
    // The link works once.
    problem(
        app.post("/api/v1/client-requests/submit", &data(vec![file.id]), None)
            .await,
        400,
        "invalid_token",
    )
    .await;
    problem(
        upload_through_link(&app, &token, "image/png", crate::avatars::png()).await,
        400,
        "invalid_token",
    )
    .await;

    // The employee reviews the submission and accepts it, once.
    let reviewed: Value = app
        .get(&format!("/api/v1/client-requests/{id}"), Some(&clerk))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reviewed["status"], "submitted");
    assert_eq!(reviewed["allowed_actions"], json!(["accept"]));
    assert_eq!(reviewed["submission"]["scans"][0]["id"], json!(file.id));
    // The list names no personal data; the card's read is in the audit log.
    let listed: Value = app
        .get("/api/v1/client-requests", Some(&clerk))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["items"][0]["submission"].is_null());
    assert!(listed["items"][0]["submitted_at"].is_string());
    let log: AuditLog = app
        .get(
            &format!("/api/v1/organisations/{}/audit", org.id),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        log.items
            .iter()
            .any(|e| e.kind.as_str() == "client_read" && e.details["request_id"] == json!(id)),
        "the review's read is logged"
    );
    let rival = customer(&app, "rival-rq@example.com").await;
    problem(
        app.get(&format!("/api/v1/client-requests/{id}"), Some(&rival.token))
            .await,
        404,
        "not_found",
    )
    .await;
    let accept = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post(
                &format!("/api/v1/client-requests/{id}/accept"),
                &json!({}),
                Some(&token),
            )
            .await
        }
    };
    let resp = accept(clerk.clone()).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let client: Client = resp.json().await.unwrap();
    assert_eq!(client.full_name, "Орлов Олег Олегович");
    assert_eq!(client.scans.len(), 1);
    assert!(codes(&client).contains(&("snils".into(), "snils_checksum".into())));
    problem(accept(clerk.clone()).await, 409, "illegal_transition").await;
    assert_eq!(search(&app, &clerk, "орлов").await, ["Орлов Олег Олегович"]);
    let resp = app
        .get(&format!("/api/v1/files/{}", file.id), Some(&admin))
        .await;
    assert_eq!(resp.status(), 200);

    // An expired link opens nothing.
    let resp = app
        .post(
            "/api/v1/client-requests",
            &json!({"email": "late@example.ru"}),
            Some(&clerk),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let late = app.link_token("late@example.ru").await;
    let db = app.db().await;
    use mezha_store::entities::client_requests;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    client_requests::Entity::update_many()
        .col_expr(
            client_requests::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(client_requests::Column::Email.eq("late@example.ru"))
        .exec(&db)
        .await
        .unwrap();
    db.close().await.ok();
    problem(
        app.post(
            "/api/v1/client-requests/preview",
            &json!({"token": late}),
            None,
        )
        .await,
        400,
        "invalid_token",
    )
    .await;
    let list: Value = app
        .get("/api/v1/client-requests", Some(&clerk))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["expired", "accepted"]);
}

async fn a_passport_scan_is_read_and_proposed(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-ocr@example.com").await;
    let head = customer(&app, "head-ocr@example.com").await;
    let (_, admin) = confirmed(&app, &head, &op).await;
    let page = mezha_testkit::PassportPage::sample(3);
    let png = mezha_testkit::render(&page, -1.5, 0.02, 3).expect("the DejaVu font (make ocr)");
    let resp = app
        .client
        .post(app.url("/api/v1/files?name=passport.png"))
        .bearer_auth(&admin)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let image: FileInfo = resp.json().await.unwrap();

    let resp = app
        .post(
            "/api/v1/clients/recognise",
            &json!({"file_id": image.id}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let proposal: Value = resp.json().await.unwrap();
    let value = |field: &str| {
        proposal["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .map(|f| f["value"].as_str().unwrap().to_owned())
    };
    // The fields OCR reads every time on these pages, exactly.
    assert_eq!(
        value("passport_series").as_deref(),
        Some(page.series.as_str()),
        "{proposal}"
    );
    assert_eq!(
        value("passport_number").as_deref(),
        Some(page.number.as_str())
    );
    assert_eq!(
        value("passport_issuer_code").as_deref(),
        Some(page.issuer_code.as_str())
    );
    assert_eq!(value("birth_date"), Some(page.birth_date.to_string()));
    assert_eq!(
        value("passport_issued_on"),
        Some(page.issued_on.to_string())
    );
    assert!(value("full_name").is_some(), "{proposal}");
    // Each proposed field carries its checks; nothing was saved.
    assert!(
        proposal["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["findings"].is_array())
    );
    assert!(search(&app, &admin, "").await.is_empty());

    // Only images the caller uploaded, only inside an organisation.
    let pdf = crate::certificates::upload_pdf(&app, &admin, "passport.pdf").await;
    let p = problem(
        app.post(
            "/api/v1/clients/recognise",
            &json!({"file_id": pdf}),
            Some(&admin),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p.errors.unwrap()["file_id"][0].code, "scan_type");
    let stranger = customer(&app, "stranger-ocr@example.com").await;
    problem(
        app.post(
            "/api/v1/clients/recognise",
            &json!({"file_id": image.id}),
            Some(&stranger.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

/// Every endpoint of an organisation and its client base, asked by another
/// organisation's admin (404: it does not exist for him) and by an
/// employee without the right it needs (403); neither changes anything.
async fn every_endpoint_refuses_outsiders_and_the_unentitled(backend: Backend) {
    let app = spawn_app(backend).await;
    let op = crate::certificates::operator(&app, "op-mx@example.com").await;
    let head = customer(&app, "head-mx@example.com").await;
    let (org, admin) = confirmed(&app, &head, &op).await;
    let (clerk_id, _) = employee(
        &app,
        org.id,
        &admin,
        "clerk-mx@example.com",
        &["manage_clients"],
    )
    .await;
    let (_, idle) = employee(
        &app,
        org.id,
        &admin,
        "idle-mx@example.com",
        &["create_deals"],
    )
    .await;
    let rival_head = customer(&app, "rival-mx@example.com").await;
    let (_, rival) =
        crate::organisations::confirmed_with(&app, &rival_head, &op, &crate::organisations::bank())
            .await;
    let resp = add(&app, &admin, &json!({"full_name": "Петров Пётр Петрович"})).await;
    assert_eq!(resp.status(), 201);
    let client: Client = resp.json().await.unwrap();
    let resp = app
        .post(
            "/api/v1/client-requests",
            &json!({"email": "p@example.ru"}),
            Some(&admin),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let request: Value = resp.json().await.unwrap();
    let (o, c, r, u) = (
        org.id,
        client.id,
        request["id"].as_str().unwrap().to_owned(),
        clerk_id,
    );
    // (method, path, body, what the employee without rights gets)
    let endpoints: Vec<(&str, String, Value, u16)> = vec![
        (
            "GET",
            format!("/api/v1/organisations/{o}/offer"),
            json!(null),
            200,
        ),
        (
            "PUT",
            format!("/api/v1/organisations/{o}/settings"),
            json!({"auto_pay_state_fee": true, "notify_employees_by_email": true, "notify_employees_by_sms": true}),
            403,
        ),
        (
            "GET",
            format!("/api/v1/organisations/{o}/members"),
            json!(null),
            403,
        ),
        (
            "POST",
            format!("/api/v1/organisations/{o}/members/{u}/deactivate"),
            json!({}),
            403,
        ),
        (
            "POST",
            format!("/api/v1/organisations/{o}/members/{u}/activate"),
            json!({}),
            403,
        ),
        (
            "PUT",
            format!("/api/v1/organisations/{o}/members/{u}/rights"),
            json!({"rights": []}),
            403,
        ),
        (
            "POST",
            format!("/api/v1/organisations/{o}/invitations"),
            json!({"email": "x@example.ru"}),
            403,
        ),
        (
            "GET",
            format!("/api/v1/organisations/{o}/invitations"),
            json!(null),
            403,
        ),
        (
            "GET",
            format!("/api/v1/organisations/{o}/audit"),
            json!(null),
            403,
        ),
        (
            "POST",
            format!("/api/v1/organisations/{o}/confirm"),
            json!({"signature": "AA=="}),
            409,
        ),
        ("GET", format!("/api/v1/clients/{c}"), json!(null), 403),
        (
            "PATCH",
            format!("/api/v1/clients/{c}"),
            json!({"inn": null}),
            403,
        ),
        (
            "GET",
            format!("/api/v1/client-requests/{r}"),
            json!(null),
            403,
        ),
        (
            "POST",
            format!("/api/v1/client-requests/{r}/accept"),
            json!({}),
            403,
        ),
    ];
    let send = |method: &'static str, path: String, body: Value, token: String| {
        let app = &app;
        async move {
            let req = match method {
                "GET" => app.client.get(app.url(&path)),
                "PUT" => app.client.put(app.url(&path)).json(&body),
                "PATCH" => app.client.patch(app.url(&path)).json(&body),
                _ => app.client.post(app.url(&path)).json(&body),
            };
            req.bearer_auth(token).send().await.unwrap()
        }
    };
    for (method, path, body, unentitled) in &endpoints {
        let resp = send(method, path.clone(), body.clone(), rival.clone()).await;
        assert_eq!(
            resp.status(),
            404,
            "{method} {path} by another organisation's admin"
        );
        let resp = send(method, path.clone(), body.clone(), idle.clone()).await;
        assert_eq!(
            resp.status().as_u16(),
            *unentitled,
            "{method} {path} without the right"
        );
    }
    // The base-wide endpoints answer the employee without the right 403 and
    // show the rival only his own (empty) base.
    for path in ["/api/v1/clients", "/api/v1/client-requests"] {
        problem(app.get(path, Some(&idle)).await, 403, "forbidden").await;
        let resp = app.get(path, Some(&rival)).await;
        assert_eq!(resp.status(), 200);
        let page: Value = resp.json().await.unwrap();
        assert_eq!(page["items"], json!([]), "{path}");
    }
    problem(
        add(&app, &idle, &json!({"full_name": "Кто-то"})).await,
        403,
        "forbidden",
    )
    .await;
    // Nothing changed: the clerk is still active with his right, the
    // client as he was, the request unaccepted.
    let members: Value = app
        .get(&format!("/api/v1/organisations/{o}/members"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let clerk = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == json!(clerk_id))
        .unwrap();
    assert_eq!(clerk["status"], "active");
    assert_eq!(clerk["rights"], json!(["manage_clients"]));
    let same: Client = app
        .get(&format!("/api/v1/clients/{c}"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(same.updated_at, client.updated_at);
    assert_eq!(search(&app, &admin, "").await.len(), 1);
}

on_both_backends!(
    every_endpoint_refuses_outsiders_and_the_unentitled,
    a_passport_scan_is_read_and_proposed,
    a_clerk_keeps_the_client_base,
    a_person_fills_in_his_data_from_the_mailed_link,
);
