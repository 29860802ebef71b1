//! The checks after intake: statements, hashes, signatures, trust.

use crate::helpers::{PackageBuilder, Pki, config, spawn, spawn_with};
use mezha_registry::protocol::PackageStatus as S;
use std::sync::atomic::{AtomicU64, Ordering};

/// Submits (under a new key), runs the checks and returns the outcome and
/// its message.
async fn checked(registry: &crate::helpers::TestRegistry, zip: Vec<u8>) -> (S, String) {
    static KEYS: AtomicU64 = AtomicU64::new(0);
    let key = format!("key-{}", KEYS.fetch_add(1, Ordering::Relaxed));
    let id = registry.submit_ok(&key, zip).await.package_id;
    assert_eq!(registry.advance().await, 1);
    let view = registry.package(&id).await;
    let message = view.events.last().unwrap().message.clone().unwrap();
    (view.status, message)
}

#[tokio::test]
async fn a_signature_over_other_bytes_is_refused_with_the_reason() {
    let registry = spawn().await;
    let pki = Pki::new(70);
    let contract = b"%PDF-1.7 the contract".to_vec();
    let over_other_bytes = pki.sign(b"%PDF-1.7 another contract");
    let zip = PackageBuilder::new("deal")
        .signed_statement(&pki)
        .document(
            "contract.pdf",
            "document",
            &contract,
            Some(over_other_bytes),
        )
        .zip();
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("contract.pdf.seller.p7s"), "{message}");
    assert!(message.contains("HASH_FAILURE"), "{message}");
    assert!(
        !message.contains("statement.pdf.seller"),
        "the statement is fine: {message}"
    );
}

#[tokio::test]
async fn a_malformed_or_forged_signature_is_refused() {
    let registry = spawn().await;
    let pki = Pki::new(71);
    let statement = b"%PDF-1.7 statement".to_vec();
    let mut forged = pki.sign(&statement);
    // Flip a bit of the ECDSA signature value (the last bytes of the DER).
    let last = forged.len() - 2;
    forged[last] ^= 0x01;
    let zip = PackageBuilder::new("deal")
        .document("statement.pdf", "statement", &statement, Some(forged))
        .document(
            "garbage.pdf",
            "document",
            b"%PDF",
            Some(b"not a CMS at all".to_vec()),
        )
        .zip();
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("SIG_CRYPTO_FAILURE"), "{message}");
    assert!(message.contains("FORMAT_FAILURE"), "{message}");
}

#[tokio::test]
async fn a_package_without_a_statement_is_refused() {
    let registry = spawn().await;
    let pki = Pki::new(72);
    let contract = b"%PDF-1.7 the contract".to_vec();
    let zip = PackageBuilder::new("deal")
        .document(
            "contract.pdf",
            "document",
            &contract,
            Some(pki.sign(&contract)),
        )
        .zip();
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("no statement"), "{message}");
}

#[tokio::test]
async fn a_document_that_differs_from_its_hash_or_is_missing_is_refused() {
    let registry = spawn().await;
    let pki = Pki::new(73);
    let zip = PackageBuilder::new("deal")
        .signed_statement(&pki)
        .document("plan.pdf", "document", b"%PDF plan", None)
        .replace_file("plan.pdf", b"%PDF another plan".to_vec())
        .zip();
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("`plan.pdf` has SHA-256"), "{message}");

    let mut manifest = PackageBuilder::new("deal")
        .signed_statement(&pki)
        .manifest();
    manifest["documents"][0]["signatures"][0]["participant"] = "nobody".into();
    manifest["documents"][0]["signatures"][0]["power_of_attorney"] = "poa.xml".into();
    manifest["documents"].as_array_mut().unwrap().push(
        serde_json::json!({"file": "absent.pdf", "kind": "document", "title": "t",
                                 "sha256": "00", "signatures": []}),
    );
    let zip = crate::helpers::zip_of(
        &manifest,
        &[
            (
                "statement.pdf".into(),
                b"%PDF-1.7 statement of registration".to_vec(),
            ),
            (
                "statement.pdf.seller.p7s".into(),
                pki.sign(b"%PDF-1.7 statement of registration"),
            ),
        ],
    );
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Refused);
    for reason in [
        "unknown participant `nobody`",
        "`poa.xml` of signature",
        "`absent.pdf` is not in the package",
    ] {
        assert!(message.contains(reason), "{reason}: {message}");
    }
}

#[tokio::test]
async fn with_a_trust_directory_only_trusted_signers_pass() {
    let trusted = Pki::new(80);
    let stranger = Pki::new(90);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("root.pem"), &trusted.root_pem).unwrap();
    let registry = spawn_with(mezha_registry::Config {
        trust_dir: Some(dir.path().to_path_buf()),
        ..config()
    })
    .await;

    let ok = PackageBuilder::new("deal-a")
        .signed_statement(&trusted)
        .zip();
    assert_eq!(checked(&registry, ok).await.0, S::Accepted);

    let untrusted = PackageBuilder::new("deal-b")
        .signed_statement(&stranger)
        .zip();
    let (status, message) = checked(&registry, untrusted).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("NO_CERTIFICATE_CHAIN_FOUND"), "{message}");
}

#[tokio::test]
async fn without_a_trust_directory_a_sound_signature_passes() {
    let registry = spawn().await;
    let zip = PackageBuilder::new("deal")
        .signed_statement(&Pki::new(100))
        .zip();
    let (status, message) = checked(&registry, zip).await;
    assert_eq!(status, S::Accepted, "{message}");
}

/// A signature under a power of attorney travels with the МЧД and the
/// head's signature of it: both present and the CMS valid over the XML's
/// bytes, the package passes; a signature over other bytes, or none, is a
/// reason to refuse it.
#[tokio::test]
async fn a_power_of_attorney_travels_with_the_heads_valid_signature() {
    let registry = spawn().await;
    let pki = Pki::new(75);
    let statement = b"%PDF-1.7 statement of registration".to_vec();
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Доверенность ВерсФорм=\"EMCHD_1\"/>"
        .as_bytes()
        .to_vec();
    let package = |head_signature: Option<Vec<u8>>| {
        let mut manifest = PackageBuilder::new("deal")
            .signed_statement(&pki)
            .manifest();
        let sig = &mut manifest["documents"][0]["signatures"][0];
        sig["power_of_attorney"] = "poa/1.xml".into();
        let mut files = vec![
            ("statement.pdf".to_owned(), statement.clone()),
            ("statement.pdf.seller.p7s".to_owned(), pki.sign(&statement)),
            ("poa/1.xml".to_owned(), xml.clone()),
        ];
        if let Some(cms) = head_signature {
            sig["power_of_attorney_signature"] = "poa/1.xml.p7s".into();
            files.push(("poa/1.xml.p7s".to_owned(), cms));
        }
        crate::helpers::zip_of(&manifest, &files)
    };
    let (status, message) = checked(&registry, package(Some(pki.sign(&xml)))).await;
    assert_ne!(status, S::Refused, "{message}");

    let (status, message) = checked(&registry, package(Some(pki.sign(b"<other/>")))).await;
    assert_eq!(status, S::Refused);
    assert!(message.contains("`poa/1.xml.p7s`"), "{message}");
    assert!(message.contains("HASH_FAILURE"), "{message}");

    let (status, message) = checked(&registry, package(None)).await;
    assert_eq!(status, S::Refused);
    assert!(
        message.contains("without the head's signature"),
        "{message}"
    );
}
