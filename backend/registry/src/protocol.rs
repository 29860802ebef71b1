//! The registry gateway's protocol as types: what the platform sends, what
//! the registry answers and calls back with, and the HMAC of callbacks
//! (docs/registry-gateway.md). Always compiled, with no web framework and no
//! async runtime, so that the platform's client can depend on it with
//! `default-features = false`.
//!
//! ```text
//! POST /v1/packages            ZIP (manifest.json + files)  → 202 PackageReceipt
//! GET  /v1/packages/{id}                                    → 200 PackageView
//! GET  /v1/packages?reference=…                             → 200 [PackageView]
//! POST /v1/packages/{id}/fee   FeeNotice                    → 200 FeeReceipt
//! POST <callback_url>          Callback + X-Registry-Signature
//! PUT  /control/plan/{ref}     Plan        PUT /control/faults  FaultSpec
//! GET  /control/stats → Stats  POST /control/advance → Advanced
//! ```

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;

/// The `format` of every manifest this version of the protocol reads.
pub const PACKAGE_FORMAT: &str = "mezha-registry-package/1";
/// The manifest's path inside the package ZIP.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Largest package body accepted, in bytes (64 MiB); larger ones get 413.
pub const MAX_PACKAGE_BYTES: usize = 64 * 1024 * 1024;
/// The header that makes a package submission idempotent.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Longest idempotency key accepted, in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;
/// The header of a callback carrying `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "X-Registry-Signature";
/// The media type of a package body.
pub const PACKAGE_CONTENT_TYPE: &str = "application/zip";
/// The media type of every error answer (RFC 9457).
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Whether `key` is a usable `Idempotency-Key`: 1 to 200 printable ASCII
/// characters (space included, control characters not).
pub fn valid_idempotency_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= MAX_IDEMPOTENCY_KEY_CHARS
        && key.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

// ------------------------------------------------------------------ package

/// `manifest.json`: what the package is and which of its files are which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`PACKAGE_FORMAT`].
    pub format: String,
    /// The client's own identifier of the package (the deal's id), by which
    /// it can find a package whose id it lost.
    pub reference: String,
    /// Where status changes are posted ([`Callback`]); none, none are sent.
    #[serde(default)]
    pub callback_url: Option<String>,
    /// The real-estate object.
    pub object: RealEstateObject,
    /// The parties of the deal.
    pub participants: Vec<Participant>,
    /// The statements and documents, with their signatures.
    pub documents: Vec<ManifestDocument>,
}

/// The real-estate object of a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealEstateObject {
    /// Cadastral number, `AA:BB:CCCCCCC:KK`.
    pub cadastral_number: String,
    /// Address as written in the documents.
    pub address: String,
    /// Kind of object (`flat`, `house`, `land_plot`, …).
    pub object_type: String,
    /// Area in square metres.
    pub area_sq_m: f64,
}

/// A party of the deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Key by which signatures name the participant, unique in the manifest.
    pub key: String,
    /// Role in the deal (`seller`, `buyer`, …).
    pub role: String,
    /// Full name (ФИО).
    pub full_name: String,
    /// SNILS, 11 digits.
    pub snils: String,
    /// Share in the right, e.g. `1/2`, when the role has one.
    #[serde(default)]
    pub share: Option<String>,
}

/// Whether a document is a registration statement or a supporting document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A registration statement (at least one per package).
    Statement,
    /// Any other document (the contract, a power of attorney, …).
    Document,
}

/// One file of the package that is a statement or a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestDocument {
    /// Path of the file inside the ZIP.
    pub file: String,
    /// Statement or document.
    pub kind: DocumentKind,
    /// Title for people.
    pub title: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Detached signatures of the file.
    #[serde(default)]
    pub signatures: Vec<DocumentSignature>,
}

/// A detached CMS signature of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSignature {
    /// Path inside the ZIP of the detached CMS (DER).
    pub file: String,
    /// The [`Participant::key`] of the signer; `None` for the organisation's
    /// employee who files the package.
    #[serde(default)]
    pub participant: Option<String>,
    /// Path inside the ZIP of the power of attorney (XML) the signer acts
    /// under, if any.
    #[serde(default)]
    pub power_of_attorney: Option<String>,
    /// Path inside the ZIP of the head's detached CMS (DER) over the power
    /// of attorney's XML, when it names one.
    #[serde(default)]
    pub power_of_attorney_signature: Option<String>,
}

// ------------------------------------------------------------------ statuses

/// Where a package is in the registry.
///
/// ```text
/// received ─checks pass─> accepted ─fee paid─> in_registration ─> registered
/// received ─checks fail─> refused          in_registration ─> refused
/// in_registration ─> suspended ─> in_registration
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageStatus {
    /// Taken in; the checks have not run yet.
    Received,
    /// The checks passed; the state fee is awaited.
    Accepted,
    /// Refused (checks failed, or the registrar refused); final.
    Refused,
    /// The fee is paid; the registrar is working on it.
    InRegistration,
    /// Registration is suspended; it resumes by itself in this stand-in.
    Suspended,
    /// Registered; final.
    Registered,
}

impl PackageStatus {
    /// Every status, in the order of the diagram.
    pub const ALL: [Self; 6] = [
        Self::Received,
        Self::Accepted,
        Self::Refused,
        Self::InRegistration,
        Self::Suspended,
        Self::Registered,
    ];

    /// The wire name, e.g. `in_registration`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::InRegistration => "in_registration",
            Self::Suspended => "suspended",
            Self::Registered => "registered",
        }
    }

    /// Whether nothing follows (`registered`, `refused`).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Registered | Self::Refused)
    }
}

impl std::fmt::Display for PackageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// ------------------------------------------------------------------ answers

/// The 202 answer to a package submission (and to every repetition of its
/// `Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageReceipt {
    /// The registry's id of the package.
    pub package_id: String,
    /// The manifest's `reference`.
    pub reference: String,
    /// Always `received`.
    pub status: PackageStatus,
    /// When the registry took the package in.
    pub received_at: DateTime<Utc>,
}

/// One status change of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageEvent {
    /// 1, 2, … in the order of the changes.
    pub seq: u64,
    /// The status entered.
    pub status: PackageStatus,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, for people (refusal and suspension reasons), when there is one.
    pub message: Option<String>,
}

/// A package as `GET /v1/packages/{id}` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageView {
    /// The registry's id.
    pub package_id: String,
    /// The manifest's `reference`.
    pub reference: String,
    /// The current status (that of the last event).
    pub status: PackageStatus,
    /// Every status change, oldest first.
    pub events: Vec<PackageEvent>,
}

/// The state fee payment notice, `POST /v1/packages/{id}/fee`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    /// The УИН of the fee's charge (20 or 25 digits with a valid control digit).
    pub uin: String,
    /// Amount paid, in kopecks (more than zero).
    pub amount_kopecks: u64,
    /// When it was paid.
    pub paid_at: DateTime<Utc>,
}

/// The answer to a fee notice (the same each time the same notice comes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeReceipt {
    /// The package.
    pub package_id: String,
    /// The notice's УИН.
    pub uin: String,
    /// The notice's amount in kopecks.
    pub amount_kopecks: u64,
    /// The notice's payment time.
    pub paid_at: DateTime<Utc>,
    /// When the registry took the notice in (the first time).
    pub received_at: DateTime<Utc>,
}

/// The body posted to a package's `callback_url` on each status change.
/// Deliveries are retried, so receivers must tolerate duplicates (`seq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    /// The package.
    pub package_id: String,
    /// The manifest's `reference`.
    pub reference: String,
    /// The event's sequence number ([`PackageEvent::seq`]).
    pub seq: u64,
    /// The status entered.
    pub status: PackageStatus,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, when there is a reason.
    pub message: Option<String>,
}

/// An error answer (`application/problem+json`, RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `urn:mezha-registry:problem:<code>`, one per kind of error.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What exactly went wrong, for people.
    pub detail: String,
}

impl Problem {
    /// The problem `code` (`bad_request`, …) of this answer, from its `type`.
    pub fn code(&self) -> &str {
        self.kind
            .strip_prefix(PROBLEM_TYPE_PREFIX)
            .unwrap_or(&self.kind)
    }
}

/// What every problem `type` starts with; the code follows.
pub const PROBLEM_TYPE_PREFIX: &str = "urn:mezha-registry:problem:";

// ------------------------------------------------------------------ control

/// How the registrar will decide the packages of a reference
/// (`PUT /control/plan/{reference}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlannedOutcome {
    /// in_registration → registered (the default).
    Registered,
    /// in_registration → refused with the reason.
    Refused,
    /// in_registration → suspended with the reason → in_registration →
    /// registered.
    SuspendedThenRegistered,
}

/// The planned outcome of a reference's packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// What will happen.
    pub outcome: PlannedOutcome,
    /// The refusal or suspension reason; a default one when absent.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A kind of injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Removes the fault of the scope.
    None,
    /// Answers 500 without processing.
    #[serde(rename = "status_500")]
    Status500,
    /// Answers 503 (with `Retry-After: 1`) without processing.
    #[serde(rename = "status_503")]
    Status503,
    /// Processes, then waits `delay_ms` before answering.
    Slow,
    /// Closes the connection without processing or answering.
    DropBefore,
    /// Processes (a package is created), then closes the connection
    /// without an answer.
    DropAfter,
}

/// A fault to inject (`PUT /control/faults`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// `global` (every `/v1` request) or an `Idempotency-Key` (the requests
    /// carrying it).
    pub scope: String,
    /// What happens.
    pub kind: FaultKind,
    /// How many matching requests it hits; 1 when absent.
    #[serde(default = "one")]
    pub times: u32,
    /// The delay of `slow`, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
}

fn one() -> u32 {
    1
}

/// The scope of a [`FaultSpec`] that hits every `/v1` request.
pub const GLOBAL_SCOPE: &str = "global";

/// What the registry has seen (`GET /control/stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Packages created.
    pub packages: u64,
    /// `/v1` requests per `Idempotency-Key` (faulted ones included).
    pub requests_by_key: BTreeMap<String, u64>,
    /// Packages created per manifest `reference`.
    pub packages_by_reference: BTreeMap<String, u64>,
    /// Powers of attorney carried by the packages of each `reference`
    /// (each file counted once per package).
    #[serde(default)]
    pub powers_of_attorney_by_reference: BTreeMap<String, u64>,
}

/// The answer of `POST /control/advance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advanced {
    /// How many scheduled steps ran.
    pub steps: u64,
}

// ------------------------------------------------------------------ signatures

/// The `X-Registry-Signature` value of a callback `body`:
/// `sha256=` and the lowercase hex HMAC-SHA256 of the raw body with `secret`.
pub fn sign_callback(secret: &str, body: &[u8]) -> String {
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    if let Some(mac) = mac(secret, body) {
        for byte in mac.finalize().into_bytes() {
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
    out
}

/// Whether `header` is the `X-Registry-Signature` of `body` under `secret`
/// (hex in either case); the comparison takes the same time wherever the
/// first difference is.
pub fn verify_callback(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Some(given) = decode_hex(hex) else {
        return false;
    };
    mac(secret, body).is_some_and(|mac| mac.verify_slice(&given).is_ok())
}

/// The HMAC of `body`; `None` never happens (HMAC takes keys of any length).
fn mac(secret: &str, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(body);
    Some(mac)
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    let value = |c: u8| char::from(c).to_digit(16);
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some((value(pair[0])? * 16 + value(pair[1])?) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_signature_is_hmac_sha256_hex() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            sign_callback("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn verify_accepts_only_the_right_signature() {
        let body = br#"{"package_id":"p","seq":1}"#;
        let header = sign_callback("secret", body);
        assert!(verify_callback("secret", body, &header));
        assert!(verify_callback(
            "secret",
            body,
            &header.to_uppercase().replace("SHA256=", "sha256=")
        ));
        assert!(verify_callback("secret", body, &format!(" {header} ")));
        assert!(!verify_callback("other", body, &header));
        assert!(!verify_callback("secret", b"{}", &header));
        for bad in [
            "",
            "sha256=",
            "sha1=00",
            &header[7..],
            &header[..header.len() - 1],
            &format!("{header}0"),
            &format!("sha256={}", "zz".repeat(32)),
            &format!("sha256={}", "é".repeat(32)),
        ] {
            assert!(!verify_callback("secret", body, bad), "{bad:?}");
        }
    }

    #[test]
    fn idempotency_keys() {
        assert!(valid_idempotency_key("a"));
        assert!(valid_idempotency_key("deal 42 / attempt-1"));
        assert!(valid_idempotency_key(&"k".repeat(200)));
        assert!(!valid_idempotency_key(""));
        assert!(!valid_idempotency_key(&"k".repeat(201)));
        assert!(!valid_idempotency_key("tab\there"));
        assert!(!valid_idempotency_key("ключ"));
    }

    #[test]
    fn statuses_use_their_wire_names() {
        for status in PackageStatus::ALL {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::String(status.as_str().to_owned())
            );
            assert_eq!(status.to_string(), status.as_str());
        }
        let finals: Vec<_> = PackageStatus::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [PackageStatus::Refused, PackageStatus::Registered]);
    }

    #[test]
    fn manifest_reads_the_documented_shape() {
        let manifest: Manifest = serde_json::from_str(
            r#"{"format":"mezha-registry-package/1","reference":"deal-1",
                "object":{"cadastral_number":"77:01:0001001:1","address":"Москва",
                          "object_type":"flat","area_sq_m":42.5},
                "participants":[{"key":"p1","role":"seller","full_name":"Иванов И. И.",
                                 "snils":"11223344595","share":"1/1"}],
                "documents":[{"file":"statement.pdf","kind":"statement","title":"Заявление",
                              "sha256":"00","signatures":[{"file":"statement.p1.sig",
                              "participant":"p1","power_of_attorney":null}]}]}"#,
        )
        .unwrap();
        assert_eq!(manifest.callback_url, None);
        assert_eq!(manifest.documents[0].kind, DocumentKind::Statement);
        assert_eq!(
            manifest.documents[0].signatures[0].participant.as_deref(),
            Some("p1")
        );
    }

    #[test]
    fn fault_spec_defaults_to_one_request() {
        let spec: FaultSpec =
            serde_json::from_str(r#"{"scope":"global","kind":"status_503"}"#).unwrap();
        assert_eq!(
            (spec.kind, spec.times, spec.delay_ms),
            (FaultKind::Status503, 1, 0)
        );
        for (kind, wire) in [
            (FaultKind::None, "none"),
            (FaultKind::Status500, "status_500"),
            (FaultKind::Status503, "status_503"),
            (FaultKind::Slow, "slow"),
            (FaultKind::DropBefore, "drop_before"),
            (FaultKind::DropAfter, "drop_after"),
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), wire);
        }
        let problem = Problem {
            kind: format!("{PROBLEM_TYPE_PREFIX}not_found"),
            title: "Not found".into(),
            status: 404,
            detail: "no package".into(),
        };
        assert_eq!(problem.code(), "not_found");
        assert_eq!(
            serde_json::to_value(&problem).unwrap()["type"],
            "urn:mezha-registry:problem:not_found"
        );
    }
}
