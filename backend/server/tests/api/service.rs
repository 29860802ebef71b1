use crate::helpers::{Backend, problem, spawn_app};
use crate::on_both_backends;

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app.get("/healthz", None).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
    let resp = app.get("/readyz", None).await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["session_store"], "ok");
}

async fn docs_page_and_document_are_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(resp.status(), 200);
    let doc: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc,
        serde_json::to_value(mezha_http::openapi_document()).unwrap()
    );
    let resp = app.get("/api/docs", None).await;
    assert_eq!(resp.status(), 308);
    let resp = app.get("/api/docs/", None).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("://cdn"), "the docs page must work offline");
    let resp = app.get("/api/docs/swagger-initializer.js", None).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("/api/v1/openapi.json"));
}

async fn request_ids_are_echoed_or_made(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "abc-123");
    let resp = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(resp.headers()["x-request-id"], "bad id with spaces");
    let resp = app.get("/api/v1/nothing-here", None).await;
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    let p = problem(resp, 404, "not_found").await;
    assert_eq!(p.request_id.as_deref(), Some(id.as_str()));
}

async fn dev_outbox_is_off_unless_enabled(backend: Backend) {
    let app = crate::helpers::spawn_app_with(
        backend,
        crate::helpers::Options {
            dev_outbox: Some(false),
            ..Default::default()
        },
    )
    .await;
    problem(app.get("/api/v1/dev/outbox", None).await, 404, "not_found").await;
}

on_both_backends!(
    health_and_readiness,
    docs_page_and_document_are_served,
    request_ids_are_echoed_or_made,
    dev_outbox_is_off_unless_enabled
);
