//! Any bytes as a detached signature over a fixed document, against trust
//! stores with real anchors and CRLs (P-256, RSA-PSS, GOST 256 and 512), so
//! mutations of the seed corpus (the committed valid signatures) reach the
//! chain, revocation and signature code. The property: no panic, and a
//! report always comes back.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mezha_signatures::{ExpectedSigner, TrustStore, ValidationOptions, validate};

const DOC: &[u8] = include_bytes!("../../tests/vectors/doc.txt");

fn trust() -> &'static TrustStore {
    static TRUST: OnceLock<TrustStore> = OnceLock::new();
    TRUST.get_or_init(|| {
        let mut t = TrustStore::new();
        for (anchor, crl) in [
            (
                &include_bytes!("../../tests/vectors/p256/root.pem")[..],
                &include_bytes!("../../tests/vectors/p256/inter.crl")[..],
            ),
            (
                include_bytes!("../../tests/vectors/rsa-pss/root.pem"),
                include_bytes!("../../tests/vectors/rsa-pss/inter.crl"),
            ),
            (
                include_bytes!("../../tests/vectors/gost256-A/root.pem"),
                include_bytes!("../../tests/vectors/gost256-A/inter.crl"),
            ),
            (
                include_bytes!("../../tests/vectors/gost512-C/root.pem"),
                include_bytes!("../../tests/vectors/gost512-C/inter.crl"),
            ),
        ] {
            let _ = t.add_trust_anchor(anchor);
            let _ = t.add_crl(crl);
        }
        t
    })
}

fuzz_target!(|data: &[u8]| {
    let options = ValidationOptions {
        expected_signer: Some(ExpectedSigner {
            snils: Some("11223344595".to_owned()),
            ..Default::default()
        }),
        validation_time: None,
        signed_now: false,
    };
    let report = validate(DOC, data, trust(), &options);
    // the wire form must always serialise
    let _ = format!("{report:?}");
});
