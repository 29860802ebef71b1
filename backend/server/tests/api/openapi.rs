//! The committed `openapi/openapi.json` is the generated document.
//! `make openapi` (MEZHA_TEST_UPDATE_OPENAPI=1) rewrites it.

use std::path::PathBuf;

#[test]
fn openapi_document_is_committed() {
    let generated = serde_json::to_string_pretty(&mezha_http::openapi_document()).unwrap() + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    if std::env::var("MEZHA_TEST_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json differs from the document the code generates; run `make openapi` and commit it"
    );
}

#[test]
fn every_operation_is_documented() {
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
            let secured = op.get("security").is_some();
            let problems = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(status, _)| status.starts_with('4'));
            for (status, response) in problems {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{method} {path} {status} is not problem+json"
                );
            }
            if secured {
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} is secured but documents no 401"
                );
            }
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
