use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app.get("/healthz", None).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
    let csp = mezha_http::security::API_CSP;
    assert_eq!(resp.headers()["content-security-policy"], csp);
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.headers()["x-frame-options"], "DENY");
    assert_eq!(resp.headers()["referrer-policy"], "no-referrer");
    assert!(!resp.headers().contains_key("strict-transport-security"));
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
    assert_eq!(
        resp.headers()["content-security-policy"],
        mezha_http::security::DOCS_CSP
    );
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
        assert_eq!(
            resp.headers()["content-security-policy"],
            mezha_http::security::APP_CSP
        );
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(resp.text().await.unwrap().contains("Межа"));
    }
    let resp = get_encoded(&app, "/assets/app-1a2b.js", "gzip").await;
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
    let zipped = resp.bytes().await.unwrap();
    assert!(zipped.len() < 200, "{} bytes", zipped.len());
    assert_eq!(gunzip(&zipped), "console.log('mezha');".repeat(200));
    // A rebuilt file is served anew, not the kept compression of the old one.
    std::fs::write(
        dist.path().join("assets/app-1a2b.js"),
        "console.log('межа');".repeat(300),
    )
    .unwrap();
    let resp = get_encoded(&app, "/assets/app-1a2b.js", "gzip").await;
    assert_eq!(
        gunzip(&resp.bytes().await.unwrap()),
        "console.log('межа');".repeat(300)
    );
    // A client that does not accept gzip gets the file as it is.
    let resp = app.get("/assets/app-1a2b.js", None).await;
    assert!(resp.headers().get("content-encoding").is_none());
    assert_eq!(
        resp.text().await.unwrap(),
        "console.log('межа');".repeat(300)
    );
    assert_eq!(
        app.get("/favicon.svg", None).await.headers()["content-type"],
        "image/svg+xml"
    );

    // The app's module and chunks live in a hashed folder of /assets/, each
    // with the brotli the build made beside it: a client that accepts br
    // gets those bytes as they are, one that accepts only gzip a gzip.
    let module = b"\0asm\x01\0\0\0".repeat(300);
    std::fs::create_dir(dist.path().join("assets/app-9f8e")).unwrap();
    std::fs::write(
        dist.path().join("assets/app-9f8e/mezha-web_bg.wasm"),
        &module,
    )
    .unwrap();
    std::fs::write(
        dist.path().join("assets/app-9f8e/mezha-web_bg.wasm.br"),
        b"brotli of the module",
    )
    .unwrap();
    let fetch = |encoding: &'static str| {
        app.client
            .get(app.url("/assets/app-9f8e/mezha-web_bg.wasm"))
            .header("accept-encoding", encoding)
            .send()
    };
    let resp = fetch("gzip, deflate, br").await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-encoding"], "br");
    assert_eq!(resp.headers()["vary"], "accept-encoding");
    assert_eq!(resp.headers()["content-type"], "application/wasm");
    assert_eq!(
        resp.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(&resp.bytes().await.unwrap()[..], b"brotli of the module");
    let resp = fetch("gzip").await.unwrap();
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    let zipped = resp.bytes().await.unwrap();
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&zipped[..]),
        &mut unzipped,
    )
    .unwrap();
    assert_eq!(unzipped, module);
    let resp = fetch("identity").await.unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
    assert_eq!(&resp.bytes().await.unwrap()[..], &module[..]);
    // A pack of the lazily loaded modules has its own type and is
    // compressed like a module.
    std::fs::write(
        dist.path().join("assets/app-9f8e/orders_area_1.wasmpack"),
        &module,
    )
    .unwrap();
    let resp = get_encoded(&app, "/assets/app-9f8e/orders_area_1.wasmpack", "gzip").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.mezha.wasm-pack"
    );
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    // A file without a brotli beside it is gzipped for a br-and-gzip client.
    let resp = get_encoded(&app, "/assets/app-1a2b.js", "br, gzip").await;
    assert_eq!(resp.headers()["content-encoding"], "gzip");

    // Missing files, traversal and API paths are problems, not the app.
    for path in [
        "/assets/missing-00.js",
        "/assets/..%2Fsecret.txt",
        "/assets/.hidden",
        "/assets/app-9f8e/..%2F..%2Fsecret.txt",
        "/assets/app-9f8e/.hidden/x.js",
        "/assets/a/b/c.js",
        "/assets/app-9f8e/missing.wasm",
        "/assets/app-9f8e",
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

/// `GET path` with `Accept-Encoding: encoding`.
async fn get_encoded(app: &TestApp, path: &str, encoding: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap()
}

on_both_backends!(serves_the_web_app);

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// API answers are gzipped when the client accepts it and they are large
/// enough to gain from it; small ones and streams are sent as they are.
async fn api_answers_are_compressed_when_worth_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let get = |path: &'static str, encoding: Option<&'static str>| {
        let mut req = app.client.get(app.url(path));
        if let Some(encoding) = encoding {
            req = req.header("accept-encoding", encoding);
        }
        req.send()
    };
    let plain = get("/api/v1/openapi.json", None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    let plain = plain.text().await.unwrap();
    assert!(plain.len() > 10_000);

    for accepted in ["gzip", "gzip, deflate, br", "br;q=1, gzip;q=0.5, *;q=0"] {
        let resp = get("/api/v1/openapi.json", Some(accepted)).await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-encoding"], "gzip", "{accepted}");
        assert_eq!(resp.headers()["content-type"], "application/json");
        let zipped = resp.bytes().await.unwrap();
        assert!(zipped.len() < plain.len() / 3);
        assert_eq!(gunzip(&zipped), plain);
    }
    for refused in ["identity", "br", "gzip;q=0"] {
        let resp = get("/api/v1/openapi.json", Some(refused)).await.unwrap();
        assert!(
            resp.headers().get("content-encoding").is_none(),
            "{refused}"
        );
        assert_eq!(resp.text().await.unwrap(), plain);
    }
    // Small answers (a problem, the health check) go as they are.
    let resp = get("/api/v1/nope", Some("gzip")).await.unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
    problem(resp, 404, "not_found").await;
    let resp = get("/healthz", Some("gzip")).await.unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
}

on_both_backends!(api_answers_are_compressed_when_worth_it);

/// When Redis is down, a request that needs it (a login: rate limits and the
/// session live there) answers 503 with `Retry-After`, not 500; what needs
/// no Redis keeps working; once Redis is back, so is everything. (Redis is
/// only on this back-end.)
#[tokio::test]
async fn redis_down_is_503_with_retry_after() {
    use crate::helpers::{Options, TcpProxy, redis_address, spawn_app_with};
    let proxy = TcpProxy::start(redis_address()).await;
    let app = spawn_app_with(
        Backend::Services,
        Options {
            redis_proxy: Some(proxy.clone()),
            ..Default::default()
        },
    )
    .await;
    let user = app.user("redis-down@example.ru").await;
    let login = serde_json::json!({"email": user.email, "password": user.password});

    proxy.cut();
    let resp = app.post("/api/v1/auth/login", &login, None).await;
    assert_eq!(resp.headers()["retry-after"], "5");
    problem(resp, 503, "service_unavailable").await;
    assert_eq!(app.get("/readyz", None).await.status(), 503);
    assert_eq!(app.get("/api/v1/reference", None).await.status(), 200);
    assert_eq!(app.get("/healthz", None).await.status(), 200);

    proxy.restore();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let status = app.post("/api/v1/auth/login", &login, None).await.status();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            std::time::Instant::now() < deadline,
            "Redis never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
