//! `TrustStore::load_dir`, the operator's MEZHA_TRUST_DIR.

use super::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mezha-sig-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn loads_anchors_intermediates_and_crls() {
    let dir = temp_dir("load");
    std::fs::copy(vectors().join("gost256-B/root.pem"), dir.join("root.pem")).unwrap();
    std::fs::copy(vectors().join("gost256-B/inter.pem"), dir.join("inter.pem")).unwrap();
    std::fs::copy(vectors().join("gost256-B/inter.crl"), dir.join("inter.crl")).unwrap(); // DER
    std::fs::copy(vectors().join("gost256-B/root.crl"), dir.join("root.crl")).unwrap(); // PEM
    // a bundle: two certificates in one file
    let mut bundle = read("p256/root.pem");
    bundle.extend(read("p256/inter.pem"));
    std::fs::write(dir.join("bundle.pem"), bundle).unwrap();
    std::fs::write(dir.join("README.txt"), "ignored").unwrap();

    let mut t = TrustStore::new();
    let summary = t.load_dir(&dir).unwrap();
    assert_eq!(
        (summary.anchors, summary.intermediates, summary.crls),
        (2, 2, 2)
    );
    assert_eq!(summary.skipped.len(), 1);

    // valid.pem has no intermediate inside: the directory provides it
    let r = check(&doc(), &read("gost256-B/valid.pem"), &t);
    assert_verdict(&r, Indication::TotalPassed, None, "from dir");
    let r = check(&doc(), &read("p256/valid.pem"), &t);
    assert_verdict(&r, Indication::TotalPassed, None, "bundle");
    let r = check(&doc(), &read("gost256-B/revoked.der"), &t);
    assert_verdict(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::Revoked),
        "crl from dir",
    );

    // a broken file stops the load and names the file
    std::fs::write(
        dir.join("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let err = TrustStore::new().load_dir(&dir).unwrap_err().to_string();
    assert!(err.contains("broken.pem"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
