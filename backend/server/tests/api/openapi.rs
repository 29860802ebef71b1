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

/// The link of every order action (`action_links`) is an operation of the
/// document, with the method it names; only what the platform applies
/// itself has none.
#[test]
fn every_order_action_links_to_an_operation() {
    use mezha_api_types::orders::OrderAction;
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let system = [
        OrderAction::ContractSigned,
        OrderAction::ConfirmPrepayment,
        OrderAction::ConfirmPayment,
        OrderAction::ActSigned,
        OrderAction::Suspend,
        OrderAction::Resume,
    ];
    for action in OrderAction::ALL.iter().copied() {
        let Some((method, template)) = action.endpoint() else {
            assert!(system.contains(&action), "{action:?} has no endpoint");
            continue;
        };
        // The document names every path parameter `{id}`.
        let path = template
            .replace("{response_id}", "{id}")
            .replace("{offer_id}", "{id}");
        assert!(
            doc["paths"][&path][method.to_lowercase()].is_object(),
            "{action:?}: {method} {path} is not an operation of the document"
        );
    }
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

/// Every `$ref` names a schema the document has: a generator stops at the
/// first one that does not.
#[test]
fn every_reference_resolves() {
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let prefix = "\"#/components/schemas/";
    let dangling: std::collections::BTreeSet<&str> = text
        .match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(dangling.is_empty(), "undefined schemas: {dangling:?}");
}

/// The Rust sources under `dir` (relative to the workspace root), with
/// their text, leaving out test, build and fuzz directories.
fn rust_sources(dir: &str) -> Vec<(PathBuf, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join(dir)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "tests" | "target" | "fuzz") {
                    dirs.push(path);
                }
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}

/// The document states the bounds the API checks: each `#[validate]`
/// length or range of a request type in `mezha-api-types` (written
/// `#[cfg_attr(feature = "validate", validate(...))]`) has the same
/// numbers in the `schema(...)` line under it (`min_length`/`max_length`,
/// `min_items`/`max_items` for lists, `minimum`/`maximum`), its constants
/// resolved, so the two cannot drift apart.
#[test]
fn validation_bounds_are_in_the_schemas() {
    let files = rust_sources("backend/api-types/src");
    // `pub const NAME: T = 16 * 1024;` → 16384, per file: a name is the
    // file's own constant, else the one constant of that name.
    let mut consts: std::collections::HashMap<(String, String), u64> =
        std::collections::HashMap::new();
    for (path, text) in &files {
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((_, value)) = rest.split_once('=') else {
                continue;
            };
            let product: Option<u64> = value
                .trim()
                .trim_end_matches(';')
                .split('*')
                .map(|f| f.trim().replace('_', "").parse::<u64>().ok())
                .product();
            if let Some(v) = product {
                consts.insert((path.display().to_string(), name.trim().to_owned()), v);
            }
        }
    }
    let value = |file: &str, text: &str| -> u64 {
        let t = text.trim().rsplit("::").next().unwrap();
        if let Ok(n) = t.replace('_', "").parse() {
            return n;
        }
        if let Some(v) = consts.get(&(file.to_owned(), t.to_owned())) {
            return *v;
        }
        let all: std::collections::BTreeSet<u64> = consts
            .iter()
            .filter(|((_, name), _)| name == t)
            .map(|(_, v)| *v)
            .collect();
        assert_eq!(all.len(), 1, "{file}: the constant {t} is {all:?}");
        *all.first().unwrap()
    };
    // `min = 1, max = X` → [("min", 1), ("max", X)].
    let bounds = |file: &str, args: &str| -> Vec<(String, u64)> {
        args.split(',')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), value(file, v)))
            .collect()
    };
    let mut checked = 0;
    for (path, text) in &files {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            if !line.starts_with("#[cfg_attr(feature = \"validate\", validate(") {
                continue;
            }
            let (kind, args) = if let Some(at) = line.find("length(") {
                ("length", &line[at + 7..])
            } else if let Some(at) = line.find("range(") {
                ("range", &line[at + 6..])
            } else {
                continue;
            };
            let args = &args[..args.find(')').unwrap()];
            let field = lines[i..]
                .iter()
                .find(|l| l.trim().starts_with("pub "))
                .unwrap();
            let list = field.contains(": Vec<") || field.contains(": Option<Vec<");
            let schema = lines[i + 1].trim();
            let place = format!("{}:{}", path.display(), i + 1);
            assert!(
                schema.starts_with("#[cfg_attr(feature = \"openapi\", schema("),
                "{place}: no schema(...) line under the #[validate]"
            );
            for (bound, number) in bounds(&path.display().to_string(), args) {
                let key = match (kind, bound.as_str(), list) {
                    ("length", "min", false) => "min_length",
                    ("length", "max", false) => "max_length",
                    ("length", "min", true) => "min_items",
                    ("length", "max", true) => "max_items",
                    ("range", "min", _) => "minimum",
                    ("range", "max", _) => "maximum",
                    other => panic!("{place}: {other:?}"),
                };
                assert!(
                    schema.contains(&format!("{key} = {number}")),
                    "{place}: the schema does not say {key} = {number}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "only {checked} bounds found");
}

/// Every error code the API can answer — each `ErrorCode` and each field
/// code a `FieldError` or a query check is made with anywhere in the
/// server's sources — is named in docs/API.md ("Errors"), and every
/// `ErrorCode` is in the document's `ErrorCode` enum.
#[test]
fn every_error_code_is_documented() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let api_md = std::fs::read_to_string(root.join("docs/API.md")).unwrap();
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let documented: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    // `ErrorCode::Name => "code",` in the problem type.
    let problem = std::fs::read_to_string(root.join("backend/api-types/src/problem.rs")).unwrap();
    let mut codes = Vec::new();
    for line in problem.lines() {
        let line = line.trim();
        if line.starts_with("ErrorCode::")
            && let Some((_, code)) = line.split_once("=> \"")
            && let Some(code) = code.strip_suffix("\",")
            && code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            assert!(
                documented.contains(&code),
                "{code} is not in the document's ErrorCode"
            );
            codes.push(code.to_owned());
        }
    }
    assert!(codes.len() > 30, "only {} error codes found", codes.len());
    // The first string literal after `FieldError::new(` or `issue(`.
    for (_, text) in rust_sources("backend") {
        for marker in ["FieldError::new(", " issue(\""] {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                let Some(rest) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !code.is_empty() {
                    codes.push(code);
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !api_md.contains(&format!("`{c}`")))
        .collect();
    assert!(missing.is_empty(), "docs/API.md does not name {missing:?}");
}

/// The operations of `method` in the document: (path, operation).
fn operations(doc: &serde_json::Value, method: &str) -> Vec<(String, serde_json::Value)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(path, item)| item.get(method).map(|op| (path.clone(), op.clone())))
        .collect()
}

fn takes(op: &serde_json::Value, name: &str) -> bool {
    op["parameters"]
        .as_array()
        .is_some_and(|list| list.iter().any(|p| p["name"] == name))
}

/// Conventions derived from the document (docs/API.md, "Conventions"), so
/// that a new endpoint cannot forget them: a creating `POST` (it answers
/// 201) takes `Idempotency-Key`; a list (a body with `items`) is a page
/// with `next_cursor` and takes `limit` and `cursor`, and no list is a bare
/// array; an update that takes `If-Match` answers its new `ETag`. The
/// operations that do not follow one yet are named here, with why, and the
/// test fails when one of them starts following it (take it off the list).
#[test]
fn endpoints_follow_the_conventions() {
    const NO_KEY_YET: &[(&str, &str)] = &[
        (
            "/api/v1/auth/cert/challenge",
            "a one-time challenge, nothing is kept",
        ),
        (
            "/api/v1/client-requests/files",
            "the uploader has no account to own a key (docs/API.md, Conventions)",
        ),
    ];
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    fn resolve<'a>(
        schemas: &'a serde_json::Value,
        mut s: &'a serde_json::Value,
    ) -> serde_json::Value {
        while let Some(name) = s["$ref"].as_str() {
            s = &schemas[name.rsplit('/').next().unwrap()];
        }
        s.clone()
    }
    for (path, op) in operations(&doc, "post") {
        if !op["responses"]["201"].is_object() {
            continue;
        }
        let exempt = NO_KEY_YET.iter().any(|(p, _)| *p == path);
        assert_eq!(
            takes(&op, "Idempotency-Key"),
            !exempt,
            "POST {path} creates: Idempotency-Key {}",
            if exempt {
                "is taken now: remove it from NO_KEY_YET"
            } else {
                "is missing"
            }
        );
    }
    for (path, op) in operations(&doc, "get") {
        let body = &op["responses"]["200"]["content"]["application/json"]["schema"];
        if body.is_null() {
            continue;
        }
        let body = resolve(schemas, body);
        assert_ne!(body["type"], "array", "GET {path} answers a bare array");
        if body["properties"].get("items").is_none() {
            continue;
        }
        let paged = body["properties"].get("next_cursor").is_some()
            && takes(&op, "limit")
            && takes(&op, "cursor");
        assert!(
            paged,
            "GET {path}: a list must be a page (next_cursor, limit, cursor)"
        );
    }
    for method in ["patch", "put"] {
        for (path, op) in operations(&doc, method) {
            if takes(&op, "If-Match") {
                assert!(
                    op["responses"]["200"]["headers"]["ETag"].is_object(),
                    "{method} {path} takes If-Match but documents no ETag"
                );
            }
        }
    }
}

/// Operation ids are unique (OpenAPI requires it; generators name methods
/// after them and link operations by them).
#[test]
fn operation_ids_are_unique() {
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
                panic!("{id} names both {other} and {method} {path}");
            }
        }
    }
}

/// Every operation that takes a body documents how a body is refused
/// (400, 413, 415, 422).
#[test]
fn operations_with_bodies_document_their_refusals() {
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_none() {
                continue;
            }
            for status in ["400", "413", "415", "422"] {
                assert!(
                    op["responses"][status]["content"]["application/problem+json"].is_object(),
                    "{method} {path} takes a body but documents no {status}"
                );
            }
        }
    }
}

/// Every operation with query parameters documents the 422 that a bad
/// query string gets (docs/API.md, "Conventions").
#[test]
fn operations_with_query_parameters_document_their_refusal() {
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let query = op["parameters"]
                .as_array()
                .is_some_and(|list| list.iter().any(|p| p["in"] == "query"));
            if query {
                seen += 1;
                assert!(
                    op["responses"]["422"]["content"]["application/problem+json"].is_object(),
                    "{method} {path} has query parameters but documents no 422"
                );
            }
        }
    }
    assert!(seen > 10, "only {seen} operations with query parameters");
}

/// Every enum of the wire types is documented with the values the API really
/// sends and accepts (serde's), so a client generated from the document
/// speaks the API's language. The list is checked against the sources: a new
/// `wire_enum!` must be added here.
#[test]
fn documented_enums_are_the_wire_values() {
    use mezha_api_types::certificate_agents as ca;
    use mezha_api_types::clients as l;
    use mezha_api_types::contracts as k;
    use mezha_api_types::deals as d;
    use mezha_api_types::invoices as i;
    use mezha_api_types::orders as o;
    use mezha_api_types::organisations as g;
    use mezha_api_types::powers_of_attorney as p;
    use mezha_api_types::results as r;
    use mezha_api_types::{certificates as c, chat as h, engineers as e, notifications as n};
    use mezha_api_types::{signatures as s, users as u, webhooks as w};
    let doc = serde_json::to_value(mezha_http::openapi_document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut checked = Vec::new();
    macro_rules! check {
        ($($ty:path),+ $(,)?) => {$({
            let name = stringify!($ty).rsplit("::").next().unwrap().trim().to_owned();
            let wire: Vec<serde_json::Value> =
                <$ty>::ALL.iter().map(|v| serde_json::to_value(v).unwrap()).collect();
            let own = serde_json::to_value(<$ty as utoipa::PartialSchema>::schema()).unwrap();
            assert_eq!(own["enum"], serde_json::Value::Array(wire.clone()), "{name}: its schema's values are not the wire's");
            if let Some(documented) = schemas.get(&name) {
                assert_eq!(documented["enum"], own["enum"], "{name}: the document's values are not the wire's");
            }
            for value in &wire {
                let back: $ty = serde_json::from_value(value.clone()).unwrap();
                assert_eq!(serde_json::to_value(back).unwrap(), *value);
            }
            checked.push(name);
        })+};
    }
    check!(
        c::ApplicantKind,
        c::ApplicationAction,
        c::ApplicationStatus,
        e::BusinessForm,
        h::ChatAction,
        h::ChatStage,
        c::CertificateStatus,
        s::CheckName,
        k::ContractAction,
        k::ContractParty,
        k::ContractSource,
        k::ContractStatus,
        k::DocumentFormat,
        s::CheckResult,
        o::CustomerType,
        w::DeliveryStatus,
        e::EmploymentStatus,
        e::EngineerSort,
        s::Indication,
        i::InvoiceAction,
        i::InvoiceKind,
        i::InvoiceStatus,
        n::Language,
        n::NotificationChannel,
        n::NotificationKind,
        n::ObjectKind,
        o::OfferStatus,
        o::OrderAction,
        o::OrderStatus,
        o::Registration,
        e::RequisitesSource,
        k::Signatory,
        o::ResponseStatus,
        r::ResultMethod,
        r::ResultStage,
        c::RevocationReason,
        o::SearchSort,
        o::TaskKind,
        e::SroMemberStatus,
        s::SubIndication,
        u::UserAction,
        o::WorkType,
        g::AuditKind,
        g::InvitationStatus,
        g::MemberAction,
        g::MemberRole,
        g::MemberStatus,
        g::OrgRight,
        g::OrganisationAction,
        g::OrganisationStatus,
        l::ClientRequestAction,
        l::ClientRequestStatus,
        l::ClientAction,
        ca::AgentApplicationAction,
        ca::ClaimStatus,
        d::ChecklistCode,
        d::DealAction,
        d::DealDocumentKind,
        d::DealStatus,
        d::ObjectType,
        d::ParticipantRole,
        d::RegistryStatus,
        p::DealPowerKind,
        p::PoaAction,
        p::PoaStatus,
    );
    let mut declared = Vec::new();
    for (_, text) in rust_sources("backend/api-types/src") {
        for block in text.split("wire_enum! {").skip(1) {
            let name = block.split("pub enum ").nth(1).unwrap();
            declared.push(name.split_whitespace().next().unwrap().to_owned());
        }
    }
    declared.sort();
    checked.sort();
    assert_eq!(declared, checked, "every wire_enum! is checked here");
}
