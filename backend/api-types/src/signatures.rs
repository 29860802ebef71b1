//! Validation of signed documents (docs/signatures.md): the report, modelled on the EU
//! DSS validation report (ETSI EN 319 102-1 indications), and the optional
//! description of who is expected to have signed.
//!
//! Only [`Indication::TotalPassed`] counts as signed.

use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// The overall outcome, as EU DSS spells it.
    pub enum Indication {
        /// Every check passed: the document is signed.
        TotalPassed => "TOTAL_PASSED",
        /// Nothing proves the signature wrong, but it cannot be accepted
        /// either (no chain to a trust anchor, certificate out of its
        /// validity without proof of the signing time, unsupported algorithm).
        Indeterminate => "INDETERMINATE",
        /// The signature is proven wrong: bad structure, the document was
        /// changed, the signature does not verify, the certificate was
        /// revoked/expired when signing, wrong key usage or the wrong signer.
        TotalFailed => "TOTAL_FAILED",
    }
}

wire_enum! {
    /// Why the indication is not `TOTAL_PASSED` (DSS sub-indications, plus
    /// `KEY_USAGE_FAILURE` and `SIGNER_MISMATCH` of this platform).
    pub enum SubIndication {
        /// The signature (or a certificate in it) does not parse as detached
        /// CMS SignedData, or required attributes are missing or malformed.
        FormatFailure => "FORMAT_FAILURE",
        /// The document's digest differs from the signed `messageDigest`.
        HashFailure => "HASH_FAILURE",
        /// The signature over the signed attributes does not verify with the
        /// signer certificate's key.
        SigCryptoFailure => "SIG_CRYPTO_FAILURE",
        /// The CMS carries no certificate matching the signer identifier.
        NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
        /// No chain of verified certificates leads to a trust anchor.
        NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
        /// A certificate is outside its validity now, and nothing but the
        /// signer's own claim says the signature was made while it was valid.
        OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
        /// The signing time lies after a certificate's `notAfter`.
        Expired => "EXPIRED",
        /// The signing time (or now) lies before a certificate's `notBefore`.
        NotYetValid => "NOT_YET_VALID",
        /// A certificate of the chain was revoked at or before the signing time.
        Revoked => "REVOKED",
        /// The signer certificate's key usage allows neither
        /// `digitalSignature` nor `nonRepudiation`.
        KeyUsageFailure => "KEY_USAGE_FAILURE",
        /// An algorithm (or key size, or parameter set) is not supported.
        CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
        /// The signer is not the party expected to sign.
        SignerMismatch => "SIGNER_MISMATCH",
    }
}

wire_enum! {
    /// One step of the validation, in the order they run.
    pub enum CheckName {
        /// The signature parses as detached CMS SignedData with one usable signer.
        Format => "format",
        /// The signed `contentType` attribute is `id-data`.
        ContentType => "content_type",
        /// The document's digest equals the signed `messageDigest`.
        MessageDigest => "message_digest",
        /// The signer certificate is present in the CMS.
        SigningCertificate => "signing_certificate",
        /// The signature over the signed attributes verifies.
        SignatureValue => "signature_value",
        /// A chain of verified certificates leads to a trust anchor.
        CertificateChain => "certificate_chain",
        /// Every certificate of the chain was valid at the signing time.
        ValidityAtSigningTime => "validity_at_signing_time",
        /// Every certificate of the chain is valid now.
        ValidityNow => "validity_now",
        /// No certificate of the chain is revoked by a known CRL at the
        /// signing time.
        Revocation => "revocation",
        /// The signer certificate's key usage allows signing.
        KeyUsage => "key_usage",
        /// The signer is the expected party (only when one was given).
        ExpectedSigner => "expected_signer",
    }
}

wire_enum! {
    /// The outcome of one check.
    pub enum CheckResult {
        /// The check passed.
        Passed => "passed",
        /// The check failed.
        Failed => "failed",
        /// The check could not decide (see the detail).
        Indeterminate => "indeterminate",
        /// The check did not run: an earlier one failed or it does not apply.
        Skipped => "skipped",
    }
}

/// One check with its result and a human-readable detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    /// Which check.
    pub name: CheckName,
    /// Its outcome.
    pub result: CheckResult,
    /// What was compared or why it failed (English, for people, not parsed).
    pub detail: String,
}

/// The certificate holder who signed, from the signer certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignerInfo {
    /// Subject distinguished name (RFC 4514 style, most specific first).
    pub subject: String,
    /// The subject's common name.
    pub common_name: Option<String>,
    /// SNILS from the subject (OID 1.2.643.100.3), 11 digits.
    pub snils: Option<String>,
    /// INN of a person from the subject (OID 1.2.643.3.131.1.1), 12 digits.
    pub inn: Option<String>,
    /// INN of a legal entity from the subject (OID 1.2.643.100.4), 10 digits.
    pub inn_le: Option<String>,
    /// Certificate serial number, lower-case hex without leading zeros.
    pub serial_number: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// SHA-256 of the certificate's DER, lower-case hex.
    pub certificate_sha256: String,
}

/// One certificate of the chain, signer first, trust anchor last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, lower-case hex without leading zeros.
    pub serial_number: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the certificate's DER, lower-case hex.
    pub certificate_sha256: String,
    /// Public key algorithm, e.g. `ecdsa-p256`, `rsa-2048`,
    /// `gost3410-2012-256` (with the parameter set in `public_key_parameters`).
    pub public_key_algorithm: String,
    /// Named curve or GOST parameter set, when the key has one.
    pub public_key_parameters: Option<String>,
    /// Algorithm of the issuer's signature on this certificate.
    pub signature_algorithm: String,
    /// Whether this certificate is a trust anchor of the trust store.
    pub trust_anchor: bool,
}

/// The result of validating one detached signature against one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationReport {
    /// Overall outcome; only `TOTAL_PASSED` counts as signed.
    pub indication: Indication,
    /// Why, when not `TOTAL_PASSED`.
    pub sub_indication: Option<SubIndication>,
    /// The signer, when the signer certificate was found.
    pub signer: Option<SignerInfo>,
    /// The `signingTime` signed attribute (claimed by the signer).
    pub signing_time: Option<DateTime<Utc>>,
    /// When the validation ran ("now" of the validity checks).
    pub validation_time: DateTime<Utc>,
    /// Signature algorithm, e.g. `ecdsa-sha256`, `rsa-pkcs1-sha256`,
    /// `rsa-pss-sha384`, `gost3410-2012-256-streebog256`; the dotted OID
    /// when unknown.
    pub signature_algorithm: Option<String>,
    /// Digest algorithm of the document: `sha256`, `sha384`, `sha512`,
    /// `streebog256`, `streebog512`; the dotted OID when unknown.
    pub digest_algorithm: Option<String>,
    /// The chain from the signer certificate to the trust anchor (as far as
    /// it could be built).
    pub chain: Vec<CertificateInfo>,
    /// Every check, in the order they ran.
    pub checks: Vec<Check>,
}

impl ValidationReport {
    /// Whether the document counts as signed (`TOTAL_PASSED`).
    pub fn is_signed(&self) -> bool {
        self.indication == Indication::TotalPassed
    }
}

/// Who is expected to have signed. Every given field must match the signer
/// certificate; an empty value means "no expectation".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpectedSigner {
    /// SNILS, digits only or with the usual `123-456-789 01` separators.
    pub snils: Option<String>,
    /// INN of a person (12 digits) or of a legal entity (10 digits).
    pub inn: Option<String>,
    /// SHA-256 of the exact certificate bound to the account, hex.
    pub certificate_sha256: Option<String>,
    /// Serial number (hex) of the certificate bound to the account; with
    /// `issuer` when both are known.
    pub serial_number: Option<String>,
    /// Issuer distinguished name, as reported in [`SignerInfo::issuer`].
    pub issuer: Option<String>,
}
