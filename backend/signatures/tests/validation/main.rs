//! Validation against the OpenSSL-made vectors in `tests/vectors/`
//! (regenerate with `scripts/make-signature-vectors.sh`).

// Test helpers panic on purpose: a broken vector is a broken test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cases;
mod mutations;
mod trust_dir;

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};
use mezha_signatures::{
    ExpectedSigner, Indication, SubIndication, TrustStore, ValidationOptions, ValidationReport,
    validate,
};

/// Families with every case (valid, expired, notyet, revoked, noku, unknownca).
pub const FULL: &[&str] = &[
    "p256",
    "p384",
    "rsa-pkcs1",
    "rsa-pss",
    "gost256-TCA",
    "gost256-A",
    "gost256-B",
    "gost512-A",
    "gost512-B",
    "gost512-C",
];
/// Families with the valid signature only (the other GOST parameter sets).
pub const LIGHT: &[&str] = &[
    "gost256-TCB",
    "gost256-TCC",
    "gost256-TCD",
    "gost256-C",
    "gost256-XA",
    "gost256-XB",
];

pub fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(vectors().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn doc() -> Vec<u8> {
    read("doc.txt")
}

/// The family's root as the only anchor, plus its CRLs when it has them.
pub fn trust(family: &str) -> TrustStore {
    let mut t = TrustStore::new();
    t.add_trust_anchor(&read(&format!("{family}/root.pem")))
        .unwrap();
    if vectors().join(family).join("inter.crl").exists() {
        assert_eq!(t.add_crl(&read(&format!("{family}/inter.crl"))).unwrap(), 1);
        assert_eq!(t.add_crl(&read(&format!("{family}/root.crl"))).unwrap(), 1);
    }
    t
}

pub fn check(doc: &[u8], sig: &[u8], trust: &TrustStore) -> ValidationReport {
    validate(doc, sig, trust, &ValidationOptions::default())
}

pub fn check_as(
    doc: &[u8],
    sig: &[u8],
    trust: &TrustStore,
    expected: ExpectedSigner,
) -> ValidationReport {
    let options = ValidationOptions {
        expected_signer: Some(expected),
        ..Default::default()
    };
    validate(doc, sig, trust, &options)
}

pub fn check_at(doc: &[u8], sig: &[u8], trust: &TrustStore, year: i32) -> ValidationReport {
    let options = ValidationOptions {
        validation_time: Some(Utc.with_ymd_and_hms(year, 6, 1, 0, 0, 0).unwrap()),
        ..Default::default()
    };
    validate(doc, sig, trust, &options)
}

#[track_caller]
pub fn assert_verdict(
    r: &ValidationReport,
    indication: Indication,
    sub: Option<SubIndication>,
    what: &str,
) {
    assert_eq!(
        (r.indication, r.sub_indication),
        (indication, sub),
        "{what}: {:#?}",
        r.checks
    );
}

/// The SignedData of a DER signature.
pub fn signed_data(der: &[u8]) -> SignedData {
    ContentInfo::from_der(der)
        .unwrap()
        .content
        .decode_as::<SignedData>()
        .unwrap()
}

/// The DER of the (first) SignerInfo: everything the signature depends on.
pub fn signer_info_der(der: &[u8]) -> Option<Vec<u8>> {
    let ci = ContentInfo::from_der(der).ok()?;
    let sd = ci.content.decode_as::<SignedData>().ok()?;
    sd.signer_infos.0.iter().next()?.to_der().ok()
}

/// The signature with one byte of the signer's signature value changed
/// (the structure stays valid).
pub fn with_bad_signature_value(der: &[u8]) -> Vec<u8> {
    let sd = signed_data(der);
    let value = sd
        .signer_infos
        .0
        .iter()
        .next()
        .unwrap()
        .signature
        .as_bytes()
        .to_vec();
    let pos = der
        .windows(value.len())
        .position(|w| w == value.as_slice())
        .unwrap();
    let mut out = der.to_vec();
    let last = pos + value.len() - 1;
    out[last] ^= 0x01;
    out
}
