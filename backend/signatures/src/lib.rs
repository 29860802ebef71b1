//! Validation of detached CMS signatures with an EU DSS-style report, for
//! ECDSA P-256/P-384, RSA PKCS#1 v1.5 and PSS, and GOST R 34.10-2012
//! (256/512, every standard parameter set) with Streebog. What is checked
//! and how, and the OpenSSL commands that make signatures this accepts:
//! `docs/signatures.md`.
//!
//! The crate knows nothing of HTTP or SQL: give it the document bytes, the
//! signature bytes (DER or PEM) and a [`TrustStore`]; it returns a
//! [`ValidationReport`] (the wire type of `mezha-api-types`). Any input,
//! however malformed, yields a report (`TOTAL_FAILED` / `FORMAT_FAILURE`),
//! never a panic.
//!
//! Depends on `mezha-api-types` (the report) and RustCrypto crates; never
//! on the store, the application layer, an async runtime or a web
//! framework.
//!
//! ```no_run
//! use mezha_signatures::{TrustStore, ValidationOptions, validate};
//! let mut trust = TrustStore::new();
//! trust.load_dir("/etc/mezha/trust").expect("trust dir");
//! let report = validate(b"document", b"signature", &trust, &ValidationOptions::default());
//! if report.is_signed() { /* TOTAL_PASSED */ }
//! ```
//!
//! | module | what it does |
//! |---|---|
//! | `algorithms` | digest and signature OIDs, hashing, verifying with a public key |
//! | `chain` | chain building, CA constraints, revocation from CRLs |
//! | `expected` | whether the signer is the party expected to sign |
//! | [`gost`] | GOST R 34.10-2012 verification (RFC 7091) |
//! | `names` | distinguished names, SNILS/INN extraction |
//! | `report` | the checks, the final indication, the signer and chain |
//! | `trust` | trust anchors, intermediates and CRLs ([`TrustStore`]) |
//! | `validate` | validating one signature, check by check ([`validate()`]) |
//! | `verified` | certificate and CRL signatures verified once per process |

mod algorithms;
mod chain;
mod expected;
pub mod gost;
mod names;
mod report;
mod trust;
mod validate;
mod verified;

pub use mezha_api_types::signatures::{
    CertificateInfo, Check, CheckName, CheckResult, ExpectedSigner, Indication, SignerInfo,
    SubIndication, ValidationReport,
};
pub use trust::{LoadSummary, TrustStore, TrustStoreError};
pub use validate::{MAX_SIGNATURE_BYTES, ValidationOptions, signature_der, validate};

/// Verifies one signature over `message` made with the key in `spki` under
/// the signature `algorithm` (as in a certificate or a PKCS#10 request):
/// ECDSA P-256/P-384 with SHA-2, RSA PKCS#1 v1.5 and PSS, GOST R 34.10-2012
/// with Streebog. The error says why, for people.
pub fn verify_signature(
    spki: &spki::SubjectPublicKeyInfoOwned,
    algorithm: &spki::AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    algorithms::scheme(algorithm, None)
        .and_then(|scheme| algorithms::verify(spki, scheme, message, signature))
        .map_err(|e| e.to_string())
}

/// Forgets the certificate and CRL signatures verified so far in this
/// process (docs/signatures.md, "Signature checks done once"), so that the
/// next validation of a chain verifies every link again — what a chain seen
/// for the first time costs. For benchmarks and tests; validation never needs
/// it, a verified signature stays verified.
pub fn forget_verified_signatures() {
    verified::forget();
}

impl TrustStore {
    /// Validates `signature` over `document` against this store; see [`validate`].
    pub fn validate(
        &self,
        document: &[u8],
        signature: &[u8],
        options: &ValidationOptions,
    ) -> ValidationReport {
        validate(document, signature, self, options)
    }
}
