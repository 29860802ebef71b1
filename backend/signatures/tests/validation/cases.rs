//! Every indication and sub-indication, for every algorithm family.

use super::*;
use cms::cert::CertificateChoices;
use mezha_signatures::{CheckName, CheckResult};

#[test]
fn valid_signatures_pass_with_signer_chain_and_time() {
    for fam in FULL.iter().chain(LIGHT) {
        let t = trust(fam);
        let r = check(&doc(), &read(&format!("{fam}/valid.der")), &t);
        assert_verdict(&r, Indication::TotalPassed, None, fam);
        assert!(r.is_signed());
        let signer = r.signer.as_ref().unwrap();
        assert_eq!(signer.snils.as_deref(), Some("11223344595"), "{fam}");
        assert_eq!(signer.inn.as_deref(), Some("500100732259"), "{fam}");
        assert_eq!(signer.common_name.as_deref(), Some("Иванов Иван Иванович"));
        assert!(
            signer
                .subject
                .starts_with("INN=500100732259,SNILS=11223344595,CN=Иванов")
        );
        assert!(signer.issuer.contains("Issuing CA"), "{}", signer.issuer);
        assert_eq!(signer.certificate_sha256.len(), 64);
        assert_eq!(r.chain.len(), 3, "{fam}");
        assert!(r.chain[2].trust_anchor && !r.chain[0].trust_anchor);
        let st = r.signing_time.unwrap();
        assert!(st > Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
        assert!(r.checks.iter().all(|c| c.result != CheckResult::Failed));
        let expected_alg = match *fam {
            "p256" => "ecdsa-sha256",
            "p384" => "ecdsa-sha384",
            "rsa-pkcs1" => "rsa-pkcs1-sha256",
            "rsa-pss" => "rsa-pss-sha384",
            f if f.starts_with("gost256") => "gost3410-2012-256-streebog256",
            _ => "gost3410-2012-512-streebog512",
        };
        assert_eq!(
            r.signature_algorithm.as_deref(),
            Some(expected_alg),
            "{fam}"
        );
        if fam.starts_with("gost") {
            assert!(r.chain[0].public_key_parameters.is_some(), "{fam}");
        }
    }
}

#[test]
fn pem_signature_without_intermediate_needs_it_in_the_store() {
    for fam in FULL.iter().chain(LIGHT) {
        let mut t = trust(fam);
        let sig = read(&format!("{fam}/valid.pem"));
        let r = check(&doc(), &sig, &t);
        assert_verdict(
            &r,
            Indication::Indeterminate,
            Some(SubIndication::NoCertificateChainFound),
            fam,
        );
        assert_eq!(
            t.add_intermediate(&read(&format!("{fam}/inter.pem")))
                .unwrap(),
            1
        );
        let r = check(&doc(), &sig, &t);
        assert_verdict(&r, Indication::TotalPassed, None, fam);
    }
}

#[test]
fn tampered_document_is_a_hash_failure() {
    for fam in FULL.iter().chain(LIGHT) {
        let r = check(
            &read("doc-tampered.txt"),
            &read(&format!("{fam}/valid.der")),
            &trust(fam),
        );
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
            fam,
        );
        assert!(!r.is_signed());
    }
}

#[test]
fn changed_signature_value_is_a_crypto_failure() {
    for fam in FULL.iter().chain(LIGHT) {
        let sig = with_bad_signature_value(&read(&format!("{fam}/valid.der")));
        let r = check(&doc(), &sig, &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::SigCryptoFailure),
            fam,
        );
    }
}

#[test]
fn expired_certificate_at_signing_time() {
    for fam in FULL {
        let r = check(&doc(), &read(&format!("{fam}/expired.der")), &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::Expired),
            fam,
        );
        assert_eq!(
            r.signer.as_ref().unwrap().inn_le.as_deref(),
            Some("7707083893")
        );
    }
}

#[test]
fn expired_now_but_valid_when_signed_is_out_of_bounds_no_poe() {
    for fam in FULL.iter().chain(LIGHT) {
        let r = check_at(
            &doc(),
            &read(&format!("{fam}/valid.der")),
            &trust(fam),
            2100,
        );
        assert_verdict(
            &r,
            Indication::Indeterminate,
            Some(SubIndication::OutOfBoundsNoPoe),
            fam,
        );
    }
}

#[test]
fn not_yet_valid_certificate() {
    for fam in FULL {
        let r = check(&doc(), &read(&format!("{fam}/notyet.der")), &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::NotYetValid),
            fam,
        );
    }
}

#[test]
fn revoked_certificate_with_the_crl() {
    for fam in FULL {
        let sig = read(&format!("{fam}/revoked.der"));
        let r = check(&doc(), &sig, &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::Revoked),
            fam,
        );
        // Without the CRL nothing says it is revoked.
        let mut t = TrustStore::new();
        t.add_trust_anchor(&read(&format!("{fam}/root.pem")))
            .unwrap();
        let r = check(&doc(), &sig, &t);
        assert_verdict(&r, Indication::TotalPassed, None, fam);
        let rev = r
            .checks
            .iter()
            .find(|c| c.name == CheckName::Revocation)
            .unwrap();
        assert!(rev.detail.contains("no CRL"), "{}", rev.detail);
    }
}

#[test]
fn crl_with_a_broken_signature_is_ignored() {
    let mut tested = 0;
    for fam in FULL {
        let mut crl = read(&format!("{fam}/inter.crl"));
        let n = crl.len();
        crl[n - 3] ^= 0x40;
        let mut t = TrustStore::new();
        t.add_trust_anchor(&read(&format!("{fam}/root.pem")))
            .unwrap();
        if t.add_crl(&crl).is_err() {
            continue; // the flip broke the DER itself (ECDSA) — nothing to use
        }
        let r = check(&doc(), &read(&format!("{fam}/revoked.der")), &t);
        assert_verdict(&r, Indication::TotalPassed, None, fam);
        let rev = r
            .checks
            .iter()
            .find(|c| c.name == CheckName::Revocation)
            .unwrap();
        assert!(
            rev.detail.contains("does not verify"),
            "{fam}: {}",
            rev.detail
        );
        tested += 1;
    }
    assert!(tested >= 6, "{tested}");
}

#[test]
fn key_usage_without_digital_signature() {
    for fam in FULL {
        let r = check(&doc(), &read(&format!("{fam}/noku.der")), &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::KeyUsageFailure),
            fam,
        );
    }
}

#[test]
fn unknown_ca_has_no_chain_until_trusted() {
    for fam in FULL {
        let sig = read(&format!("{fam}/unknownca.der"));
        let mut t = trust(fam);
        let r = check(&doc(), &sig, &t);
        assert_verdict(
            &r,
            Indication::Indeterminate,
            Some(SubIndication::NoCertificateChainFound),
            fam,
        );
        assert_eq!(r.chain.len(), 1);
        t.add_trust_anchor(&read(&format!("{fam}/unknown-root.pem")))
            .unwrap();
        assert_verdict(&check(&doc(), &sig, &t), Indication::TotalPassed, None, fam);
    }
}

#[test]
fn no_trust_anchor_at_all() {
    let r = check(&doc(), &read("p256/valid.der"), &TrustStore::new());
    assert_verdict(
        &r,
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
        "empty store",
    );
    // self-signed root of the CMS is not trusted by being present
}

#[test]
fn anchor_of_another_family_does_not_help() {
    let r = check(&doc(), &read("gost256-A/valid.der"), &trust("gost256-B"));
    assert_verdict(
        &r,
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
        "other root",
    );
}

#[test]
fn expected_signer_by_snils_inn_fingerprint_serial() {
    for fam in FULL {
        let sig = read(&format!("{fam}/valid.der"));
        let t = trust(fam);
        let signer = check(&doc(), &sig, &t).signer.unwrap();
        let ok = [
            ExpectedSigner {
                snils: Some("112-233-445 95".into()),
                ..Default::default()
            },
            ExpectedSigner {
                inn: Some("500100732259".into()),
                ..Default::default()
            },
            ExpectedSigner {
                snils: Some("11223344595".into()),
                inn: Some("500100732259".into()),
                ..Default::default()
            },
            ExpectedSigner {
                certificate_sha256: Some(signer.certificate_sha256.to_uppercase()),
                ..Default::default()
            },
            ExpectedSigner {
                serial_number: Some(format!("00{}", signer.serial_number)),
                issuer: Some(signer.issuer.clone()),
                ..Default::default()
            },
        ];
        for e in ok {
            assert_verdict(
                &check_as(&doc(), &sig, &t, e.clone()),
                Indication::TotalPassed,
                None,
                &format!("{e:?}"),
            );
        }
        let bad = [
            ExpectedSigner {
                snils: Some("98765432100".into()),
                ..Default::default()
            },
            ExpectedSigner {
                inn: Some("7707083893".into()),
                ..Default::default()
            },
            ExpectedSigner {
                snils: Some("11223344595".into()),
                inn: Some("000000000000".into()),
                ..Default::default()
            },
            ExpectedSigner {
                certificate_sha256: Some("ab".repeat(32)),
                ..Default::default()
            },
            ExpectedSigner {
                serial_number: Some("1".into()),
                ..Default::default()
            },
            ExpectedSigner {
                issuer: Some("CN=Someone Else".into()),
                ..Default::default()
            },
        ];
        for e in bad {
            let r = check_as(&doc(), &sig, &t, e.clone());
            assert_verdict(
                &r,
                Indication::TotalFailed,
                Some(SubIndication::SignerMismatch),
                &format!("{e:?}"),
            );
        }
        // INNLE matches an expected INN too
        let r = check_as(
            &doc(),
            &read(&format!("{fam}/expired.der")),
            &t,
            ExpectedSigner {
                inn: Some("7707083893".into()),
                ..Default::default()
            },
        );
        assert_eq!(r.sub_indication, Some(SubIndication::Expired));
        let ex = r
            .checks
            .iter()
            .find(|c| c.name == CheckName::ExpectedSigner)
            .unwrap();
        assert_eq!(ex.result, CheckResult::Passed);
    }
}

#[test]
fn a_stronger_failure_wins_over_indeterminate() {
    // untrusted chain + changed document: the proven failure is reported
    let r = check(
        &read("doc-tampered.txt"),
        &read("p256/unknownca.der"),
        &trust("p256"),
    );
    assert_verdict(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
        "tampered+unknown",
    );
}

#[test]
fn garbage_is_a_format_failure() {
    let t = trust("p256");
    for g in [
        "garbage-random.der",
        "garbage-truncated.der",
        "garbage-cert.der",
        "garbage-broken.pem",
        "garbage-empty.der",
    ] {
        let r = check(&doc(), &read(g), &t);
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::FormatFailure),
            g,
        );
        assert_eq!(r.checks[0].name, CheckName::Format);
        assert!(r.signer.is_none());
    }
    for bytes in [
        &[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff][..],
        &[
            0x30, 0x89, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ],
        &[0x30, 0x80, 0x00, 0x00],
        &[0x06, 0x03, 0x2a, 0x86, 0x48],
        b"-----BEGIN CMS-----\n-----END CMS-----\n",
    ] {
        let r = check(&doc(), bytes, &t);
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::FormatFailure),
            &format!("{bytes:?}"),
        );
    }
}

#[test]
fn report_travels_as_dss_json() {
    let r = check(
        &read("doc-tampered.txt"),
        &read("gost512-C/valid.der"),
        &trust("gost512-C"),
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["indication"], "TOTAL_FAILED");
    assert_eq!(json["sub_indication"], "HASH_FAILURE");
    assert_eq!(json["digest_algorithm"], "streebog512");
    assert_eq!(json["signer"]["snils"], "11223344595");
    assert_eq!(json["checks"][0]["name"], "format");
    assert_eq!(json["checks"][0]["result"], "passed");
    assert_eq!(json["chain"][2]["trust_anchor"], true);
    let back: ValidationReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

/// Certificate signatures are verified once per process (`src/verified.rs`):
/// after a chain has passed, its times and revocation are still checked on
/// every validation, and a certificate with one bit changed is verified
/// afresh and refused.
#[test]
fn a_chain_seen_before_is_still_checked_for_time_revocation_and_every_bit() {
    for fam in FULL {
        let sig = read(&format!("{fam}/revoked.der"));
        let mut no_crl = TrustStore::new();
        no_crl
            .add_trust_anchor(&read(&format!("{fam}/root.pem")))
            .unwrap();
        for _ in 0..2 {
            let r = check(&doc(), &sig, &no_crl);
            assert_verdict(&r, Indication::TotalPassed, None, fam);
        }
        let r = check(&doc(), &sig, &trust(fam));
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::Revoked),
            fam,
        );
        let r = check_at(&doc(), &sig, &no_crl, 2100);
        assert_verdict(
            &r,
            Indication::Indeterminate,
            Some(SubIndication::OutOfBoundsNoPoe),
            fam,
        );
        for cert in signed_data(&sig)
            .certificates
            .iter()
            .flat_map(|s| s.0.iter())
        {
            let CertificateChoices::Certificate(cert) = cert else {
                continue;
            };
            let value = cert.signature.raw_bytes();
            let at = sig.windows(value.len()).position(|w| w == value).unwrap();
            let mut changed = sig.clone();
            changed[at + value.len() - 1] ^= 0x01;
            let r = check(&doc(), &changed, &no_crl);
            assert_ne!(
                r.indication,
                Indication::TotalPassed,
                "{fam}: {:#?}",
                r.checks
            );
        }
    }
}
