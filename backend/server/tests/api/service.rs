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

async fn serves_the_web_app(backend: Backend) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Межа</title><script src=/assets/app-1a2b.js></script>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("assets/app-1a2b.js"),
        "console.log('mezha');".repeat(200),
    )
    .unwrap();
    std::fs::write(dist.path().join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(dist.path().join("secret.txt"), "x").unwrap();
    let app = crate::helpers::spawn_app_with(
        backend,
        crate::helpers::Options {
            web_dir: Some(dist.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;

    for path in ["/", "/profile", "/confirm-email?token=abc", "/sessions/"] {
        let resp = app.get(path, None).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(resp.text().await.unwrap().contains("Межа"));
    }
    let resp = app
        .client
        .get(app.url("/assets/app-1a2b.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(
        app.get("/favicon.svg", None).await.headers()["content-type"],
        "image/svg+xml"
    );

    // Missing files, traversal and API paths are problems, not the app.
    for path in [
        "/assets/missing-00.js",
        "/assets/..%2Fsecret.txt",
        "/assets/.hidden",
        "/missing.js",
        "/api/v1/nope",
    ] {
        problem(app.get(path, None).await, 404, "not_found").await;
    }
    let resp = app.client.post(app.url("/profile")).send().await.unwrap();
    problem(resp, 404, "not_found").await;
    // The API still answers as before.
    assert_eq!(app.get("/healthz", None).await.status(), 200);
}

on_both_backends!(serves_the_web_app);
