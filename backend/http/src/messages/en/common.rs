//! English texts of the message catalogue: common, http, idempotency, paging, files, avatars, signatures, dev.

/// `(key, text)`, by area (`{name}`: a parameter).
pub const TEXTS: &[(&str, &str)] = &[
    // common
    (
        "common.validation_failed",
        "One or more fields are invalid.",
    ),
    ("common.duplicate", "The record already exists."),
    ("common.not_found", "The resource does not exist."),
    (
        "common.stale_version",
        "The resource was changed since you read it; reload it and try again.",
    ),
    (
        "common.kv_unavailable",
        "A service the platform needs is unavailable for a moment; retry shortly.",
    ),
    (
        "common.internal",
        "An unexpected error occurred. Quote the request id when you contact support.",
    ),
    // http
    (
        "http.method_not_allowed",
        "This path accepts only: {allow}.",
    ),
    ("http.no_route", "No resource at {path}."),
    ("http.no_such_id", "No resource has this id."),
    (
        "http.body_too_large",
        "The body is larger than this endpoint accepts.",
    ),
    (
        "http.body_too_large_limit",
        "The body is larger than the {limit} bytes this endpoint accepts.",
    ),
    (
        "http.body_too_large_length",
        "The body is {length} bytes; this endpoint accepts at most {limit}.",
    ),
    ("http.body_unreadable", "The body could not be read."),
    (
        "http.body_unreadable_reason",
        "The body could not be read: {reason}.",
    ),
    (
        "http.json_content_type",
        "Send the body as JSON with `Content-Type: application/json`.",
    ),
    (
        "http.json_shape",
        "The JSON does not match the expected shape: {reason}.",
    ),
    ("http.json_syntax", "The body is not valid JSON: {reason}."),
    ("http.query_invalid", "Invalid query string: {reason}."),
    (
        "http.if_match_stale",
        "If-Match does not name a current version of the resource.",
    ),
    (
        "http.token_missing",
        "Send an access token: `Authorization: Bearer <token>`.",
    ),
    (
        "http.authorization_invalid",
        "The Authorization header is not valid.",
    ),
    (
        "http.bearer_scheme",
        "Use the Bearer scheme: `Authorization: Bearer <token>`.",
    ),
    ("http.unclassified", "{reason}"),
    // idempotency
    (
        "idempotency.key_invalid",
        "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key).",
    ),
    (
        "idempotency.in_progress",
        "A request with this Idempotency-Key is still being processed; retry in a moment.",
    ),
    (
        "idempotency.key_reused",
        "This Idempotency-Key was used with a different request; use a new key.",
    ),
    // paging
    (
        "paging.bad_cursor",
        "The cursor is not one this list gave out; start again without it.",
    ),
    (
        "paging.cursor_other_sort",
        "The cursor belongs to another sort; start from the first page.",
    ),
    // files
    (
        "files.type_not_accepted",
        "Files of type `{content_type}` are not accepted; send one of: {allowed}.",
    ),
    (
        "files.content_not_declared",
        "The file is not `{content_type}`: its content is of another type. Declare its real type.",
    ),
    ("files.program", "Programs are not accepted as files."),
    ("files.too_large", "A file may be at most {max} bytes."),
    (
        "files.range_not_satisfiable",
        "The range asked for starts past the end of the file ({size} bytes).",
    ),
    ("files.not_found", "No file has this id."),
    // avatars
    (
        "avatars.type_not_accepted",
        "A photo of type `{content_type}` is not accepted; send one of: {allowed}.",
    ),
    ("avatars.not_found", "This account has no photo to show."),
    // signatures
    (
        "signatures.multipart_expected",
        "Send the document and the signature as multipart/form-data.",
    ),
    (
        "signatures.multipart_unreadable",
        "The multipart body could not be read: {reason}.",
    ),
    (
        "signatures.part_too_large",
        "The `{part}` part may be at most {max} bytes.",
    ),
    // dev
    (
        "dev.outbox_off",
        "The development outbox is off (MEZHA_DEV_OUTBOX=1 turns it on).",
    ),
];
