//! The OpenAPI 3.1 document. Paths and schemas are collected from the
//! route registrations (see [`crate::routes`]); this module adds what is
//! global: info, the bearer security scheme, tags. It also answers requests
//! that match no route: 405 with `Allow` when the path exists with other
//! methods, 404 otherwise — both derived from the same document.

use crate::error::ApiError;
use actix_web::{HttpRequest, get};
use mezha_api_types::ErrorCode;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

/// Global parts of the document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mezha API",
        description = "JSON REST API of Mezha, the platform for cadastral works and electronic real-estate transactions. \
Errors are `application/problem+json` (RFC 9457) with a stable `code`; see docs/API.md.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerScheme),
    // Not in any response: the body Mezha POSTs to webhooks (docs/webhooks.md);
    // query-parameter enums (`IntoParams` refers to them without adding them).
    components(schemas(
        mezha_api_types::webhooks::WebhookPayload,
        mezha_api_types::orders::SearchSort,
        mezha_api_types::engineers::EngineerSort,
        mezha_api_types::contracts::DocumentFormat,
    )),
    tags(
        (name = "auth", description = "Registration, login, tokens, sessions"),
        (name = "me", description = "The caller's profile and acting role"),
        (name = "photos", description = "Profile photos: uploading one's own as an image, serving an account's in fixed sizes"),
        (name = "moderation", description = "Moderators' actions on accounts"),
        (name = "engineers", description = "Engineer profiles and the public engineer list"),
        (name = "employers", description = "Employers, join requests and employees"),
        (name = "sro-registry", description = "Import of the SRO registry (moderators)"),
        (name = "signatures", description = "Validation of detached CMS signatures (public, nothing stored)"),
        (name = "certificates", description = "Certificate applications, issuing, revocation and renewal (the platform CA)"),
        (name = "pki", description = "The platform CA chain and CRL (public)"),
        (name = "contracts", description = "Contract versions of an order and both parties' signatures (docs/contracts.md)"),
        (name = "acts", description = "Acts of completed works of an order and both parties' signatures (docs/acts.md)"),
        (name = "organisations", description = "Organisations confirmed by the head's offer signature, members, rights, invitations, settings, the audit log (docs/organisations.md)"),
        (name = "deals", description = "Electronic registration of real-estate deals: object, participants, documents, signatures, statements (docs/deals.md)"),
        (name = "clients", description = "An organisation's client base: persons, their data checks, scans, search (docs/clients.md)"),
        (name = "invoices", description = "Invoices of an order, receipts and the confirmation of payment (docs/payments.md)"),
        (name = "results", description = "Delivery of an order's results, their acceptance or rejection (docs/results.md)"),
        (name = "chat", description = "The order chat: text messages and files up to 500 MiB, read marks"),
        (name = "notifications", description = "Notification settings, the in-app list and unread counters"),
        (name = "webhooks", description = "Webhooks for integrators: registration and the delivery log (docs/webhooks.md)"),
        (name = "dev", description = "Development helpers (off in production)"),
        (name = "service", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        http.description = Some("Access token from `/auth/login`, `/auth/otp/verify` or `/auth/refresh` (EdDSA JWT, 15 minutes).".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The problems many endpoints answer with the same words, described once
/// and listed by name in `responses(...)` (an endpoint whose answer says
/// more, such as which resource was not found, keeps its own line).
pub mod problems {
    use mezha_api_types::Problem;

    /// 401: no valid access token.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 401,
        description = "No valid access token",
        content_type = "application/problem+json"
    )]
    pub struct Unauthorized(pub Problem);

    /// 400: the body is not JSON.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 400,
        description = "Malformed JSON",
        content_type = "application/problem+json"
    )]
    pub struct MalformedJson(pub Problem);

    /// 422: fields refused (`validation_failed` with per-field `errors`).
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 422,
        description = "Invalid fields",
        content_type = "application/problem+json"
    )]
    pub struct InvalidFields(pub Problem);

    /// 412: `If-Match` names an older version.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 412,
        description = "`precondition_failed`: stale If-Match",
        content_type = "application/problem+json"
    )]
    pub struct StaleVersion(pub Problem);

    /// 400, 401 and 412: how any signed-in JSON update with `If-Match` can
    /// be refused: the body is not JSON, no valid token, a stale version.
    pub struct UpdateRefused;

    impl utoipa::IntoResponses for UpdateRefused {
        fn responses() -> std::collections::BTreeMap<
            String,
            utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
        > {
            let mut responses = MalformedJson::responses();
            responses.extend(Unauthorized::responses());
            responses.extend(StaleVersion::responses());
            responses
        }
    }

    /// 429: the address was sent too many e-mails lately.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 429,
        description = "Too many e-mails requested",
        content_type = "application/problem+json",
        headers(("Retry-After" = u64, description = "Seconds to wait"))
    )]
    pub struct TooManyEmails(pub Problem);

    /// 409: the action is not allowed in the resource's status.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 409,
        description = "`illegal_transition`",
        content_type = "application/problem+json"
    )]
    pub struct IllegalTransition(pub Problem);
}

/// Paths of the document as segment patterns, for 404/405 answers and
/// the query-string check ([`crate::query`]).
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

#[derive(Debug, Clone)]
struct Route {
    /// Literal segments, `None` for a `{parameter}`.
    pattern: Vec<Option<String>>,
    /// Its methods, each with its query parameters.
    methods: Vec<(&'static str, Vec<crate::query::Param>)>,
}

impl Route {
    fn matches(&self, segments: &[&str]) -> bool {
        self.pattern.len() == segments.len()
            && self.pattern.iter().zip(segments).all(|(p, s)| match p {
                Some(literal) => literal == s,
                None => !s.is_empty(),
            })
    }

    fn literals(&self) -> usize {
        self.pattern.iter().filter(|p| p.is_some()).count()
    }
}

impl RouteTable {
    /// Builds the table from a document.
    pub fn new(doc: &utoipa::openapi::OpenApi) -> Self {
        let doc = serde_json::to_value(doc).unwrap_or_default();
        let components = &doc["components"];
        let routes = doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, item)| Route {
                pattern: path
                    .trim_matches('/')
                    .split('/')
                    .map(|seg| (!seg.starts_with('{')).then(|| seg.to_owned()))
                    .collect(),
                methods: ["GET", "POST", "PUT", "PATCH", "DELETE"]
                    .into_iter()
                    .filter_map(|method| {
                        let operation = item.get(method.to_ascii_lowercase())?;
                        Some((method, crate::query::params_of(operation, components)))
                    })
                    .collect(),
            })
            .collect();
        RouteTable { routes }
    }

    /// The query parameters of the operation `method` at `path`, or `None`
    /// when the document has no such operation.
    pub fn query_params(&self, method: &str, path: &str) -> Option<&[crate::query::Param]> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes
            .iter()
            .filter(|route| route.matches(&segments))
            .filter_map(|route| {
                let (_, params) = route.methods.iter().find(|(m, _)| *m == method)?;
                Some((route.literals(), params.as_slice()))
            })
            .max_by_key(|(literals, _)| *literals)
            .map(|(_, params)| params)
    }

    /// Methods allowed on `path`, or `None` when no route has this path.
    /// Only the most specific paths count: `/orders/search` is that
    /// resource, not an order whose id is `search`.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut allowed: Vec<&'static str> = Vec::new();
        let mut best: Option<usize> = None;
        for route in &self.routes {
            if !route.matches(&segments) {
                continue;
            }
            let literals = route.literals();
            match best {
                Some(b) if literals < b => continue,
                Some(b) if literals == b => {}
                _ => {
                    allowed.clear();
                    best = Some(literals);
                }
            }
            allowed.extend(route.methods.iter().map(|(m, _)| *m));
        }
        best.map(|_| {
            allowed.sort_unstable();
            allowed.dedup();
            allowed
        })
    }

    /// The answer for a request no route took.
    pub fn fallback(&self, req: &HttpRequest) -> ApiError {
        match self.allowed(req.path()) {
            Some(methods) => ApiError::method_not_allowed(methods.join(", ")),
            None => ApiError::new(
                ErrorCode::NotFound,
                mezha_app::msg!("http.no_route", path = req.path()),
            ),
        }
    }
}

/// Answers 405 with `Allow` before any handler or extractor runs when the
/// documented resource at the request's path does not take its method: a
/// fixed path is its own resource, so `PATCH /orders/search` is 405 (`Allow:
/// GET`), not an order whose id is `search` (nor a 401 from that route's
/// guard). Paths no operation has (the web app's files) pass through.
pub async fn allowed_methods(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::ResponseError;
    use actix_web::http::Method;
    let method = req.method().clone();
    let refused = match req.app_data::<actix_web::web::Data<RouteTable>>() {
        Some(table) if method != Method::OPTIONS => {
            let asked = if method == Method::HEAD {
                "GET"
            } else {
                method.as_str()
            };
            table
                .allowed(req.path())
                .filter(|allowed| !allowed.contains(&asked))
        }
        _ => None,
    };
    if let Some(allowed) = refused {
        let response = ApiError::method_not_allowed(allowed.join(", ")).error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(actix_web::dev::ServiceResponse::map_into_left_body)
}

/// Refuses a request to a documented operation whose query string the
/// operation's parameters do not allow, before any handler or guard runs
/// (422 naming each parameter, [`crate::query`]).
pub async fn strict_query(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::ResponseError;
    let method = match req.method().as_str() {
        "HEAD" => "GET",
        other => other,
    };
    let errors = match req.app_data::<actix_web::web::Data<RouteTable>>() {
        Some(table) => table
            .query_params(method, req.path())
            .map(|params| crate::query::check(req.query_string(), params))
            .unwrap_or_default(),
        _ => Default::default(),
    };
    if !errors.is_empty() {
        let response = ApiError::validation(errors).error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(actix_web::dev::ServiceResponse::map_into_left_body)
}

/// Every operation of the document, to complete what the derive leaves out.
fn operations_mut(
    doc: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    doc.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
    })
}

/// Adds a problem+json answer with `status` unless the operation
/// documents that status already.
fn document_problem(
    operation: &mut utoipa::openapi::path::Operation,
    status: &str,
    description: &str,
) {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::{Ref, RefOr, ResponseBuilder};
    if operation.responses.responses.contains_key(status) {
        return;
    }
    let content = ContentBuilder::new()
        .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
        .build();
    let response = ResponseBuilder::new()
        .description(description)
        .content(crate::error::PROBLEM_JSON, content)
        .build();
    operation
        .responses
        .responses
        .insert(status.into(), RefOr::T(response));
}

/// Documents the answer of [`strict_query`] on every operation that has
/// query parameters, so no such operation can leave it out.
pub fn document_query_refusals(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    for operation in operations_mut(doc) {
        let has_query = operation
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Query);
        if has_query {
            document_problem(
                operation,
                "422",
                "`validation_failed`: a query parameter the operation does not have, given twice, left out while required, or with a value its schema refuses, each named",
            );
        }
    }
}

/// Documents how any request body can be refused, on every operation that
/// takes one and does not say it already (each extractor answers them:
/// [`crate::extract`], the upload streams): `400` a body that cannot be
/// read (not JSON, a broken upload), `413` one over its limit, `415` one of
/// a type the operation does not take, `422` one of the wrong shape or
/// with invalid fields.
pub fn document_body_refusals(doc: &mut utoipa::openapi::OpenApi) {
    let refusals = [
        (
            "400",
            "`malformed_json` or `bad_request`: the body cannot be read (not JSON, not UTF-8, a broken upload)",
        ),
        ("413", "`payload_too_large`: the body is over its limit"),
        (
            "415",
            "`unsupported_media_type`: the body is not of a type this operation takes",
        ),
        (
            "422",
            "`invalid_body` (wrong JSON types, missing or unknown fields) or `validation_failed` (see `errors`)",
        ),
    ];
    for operation in operations_mut(doc) {
        if operation.request_body.is_some() {
            for (status, description) in refusals {
                document_problem(operation, status, description);
            }
        }
    }
}

/// Header parameters as the server reads them: a header is text, never
/// `null` (the derive documents `Option<String>` as `string | null`); an
/// `Idempotency-Key` is 1–255 visible ASCII characters, and the `400` of
/// one that is not is documented wherever it is taken.
pub fn document_headers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    for operation in operations_mut(doc) {
        let mut takes_key = false;
        for param in operation.parameters.iter_mut().flatten() {
            if param.parameter_in != ParameterIn::Header {
                continue;
            }
            let mut schema = ObjectBuilder::new().schema_type(Type::String);
            if param.name.eq_ignore_ascii_case(crate::idempotency::HEADER) {
                takes_key = true;
                schema = schema
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some("^[!-~]([ -~]*[!-~])?$"));
            }
            param.schema = Some(RefOr::T(schema.build().into()));
        }
        if takes_key {
            document_problem(
                operation,
                "400",
                "`bad_request`: an `Idempotency-Key` that is empty or longer than 255 characters; `malformed_json`: a body that cannot be read",
            );
        }
    }
}

/// Gives every `uuid`, `date` and `date-time` string its pattern: JSON
/// Schema treats `format` as a note, so a client (or a fuzzer) may read
/// `""` or any text as valid, while the API refuses anything but the
/// format (`422 invalid_body`); the pattern says so in a way every
/// validator checks.
pub fn document_formats(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, KnownFormat, Schema, SchemaFormat};
    fn walk(schema: &mut RefOr<Schema>) {
        let RefOr::T(schema) = schema else { return };
        match schema {
            Schema::Object(object) => {
                let pattern = match &object.format {
                    Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)) => Some(
                        "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
                    ),
                    Some(SchemaFormat::KnownFormat(KnownFormat::Date)) => {
                        Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
                    }
                    Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)) => {
                        Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}")
                    }
                    _ => None,
                };
                if let Some(pattern) = pattern
                    && object.pattern.is_none()
                {
                    object.pattern = Some(pattern.to_owned());
                }
                object.properties.values_mut().for_each(walk);
            }
            Schema::Array(array) => {
                if let ArrayItems::RefOrSchema(items) = &mut array.items {
                    walk(items);
                }
            }
            Schema::OneOf(list) => list.items.iter_mut().for_each(walk),
            Schema::AllOf(list) => list.items.iter_mut().for_each(walk),
            Schema::AnyOf(list) => list.items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(walk);
    }
    for operation in operations_mut(doc) {
        for param in operation.parameters.iter_mut().flatten() {
            if let Some(schema) = param.schema.as_mut() {
                walk(schema);
            }
        }
    }
}

/// The serialised document, shared with the handler.
pub struct Document(pub String);

/// This document (OpenAPI 3.1).
#[utoipa::path(tag = "service", responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
pub async fn openapi_json(doc: actix_web::web::Data<Document>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}
