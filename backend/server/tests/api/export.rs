//! The order's evidence export (docs/export.md) through HTTP, on the
//! contract story's completed order: every document and signature with
//! its report, the history, the summary, and a manifest whose digests
//! match the entries; nothing for someone who cannot see the order.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;
use std::io::Read;
use uuid::Uuid;

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// Exports `order` as `token` and checks the archive; its entries by path.
pub(crate) async fn the_export_holds_the_evidence(
    app: &TestApp,
    order: Uuid,
    token: &str,
    stranger: &str,
) -> BTreeMap<String, Vec<u8>> {
    let path = format!("/api/v1/orders/{order}/export");
    problem(app.get(&path, Some(stranger)).await, 404, "not_found").await;
    let resp = app.get(&path, Some(token)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/zip");
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let digest = resp.headers()["x-content-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = resp.bytes().await.unwrap().to_vec();
    assert_eq!(sha256(&body), digest);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        entries.insert(entry.name().to_owned(), bytes);
    }
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    let listed: BTreeMap<String, (u64, String)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                (
                    f["size"].as_u64().unwrap(),
                    f["sha256"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    let others: Vec<&String> = entries.keys().filter(|p| *p != "manifest.json").collect();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        others,
        "the manifest lists every entry"
    );
    for (path, (size, digest)) in &listed {
        assert_eq!(entries[path].len() as u64, *size, "{path}");
        assert_eq!(&sha256(&entries[path]), digest, "{path}");
    }
    assert!(entries["summary.pdf"].starts_with(b"%PDF-"));
    let history: Value = serde_json::from_slice(&entries["history.json"]).unwrap();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"] == "create"),
        "{history:#}"
    );
    let order_json: Value = serde_json::from_slice(&entries["order.json"]).unwrap();
    assert_eq!(order_json["id"], order.to_string());
    entries
}

/// A draft exported before anything was ever uploaded to the server: the
/// order, its history, the summary and the manifest.
async fn a_fresh_draft_exports(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = crate::orders::customer(&app, "anna@example.ru").await;
    let stranger = crate::orders::customer(&app, "boris@example.ru").await;
    let order = crate::orders::create(
        &app,
        &anna.token,
        &serde_json::json!({"title": "Межевание"}),
    )
    .await;
    let files = the_export_holds_the_evidence(&app, order.id, &anna.token, &stranger.token).await;
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["history.json", "manifest.json", "order.json", "summary.pdf"]
    );
}

on_both_backends!(a_fresh_draft_exports);
