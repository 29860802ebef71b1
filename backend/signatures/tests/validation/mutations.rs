//! Thousands of mutated and truncated real signatures (and documents):
//! never a panic, never TOTAL_PASSED unless everything the signature
//! depends on is unchanged.

use super::*;

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutants(sig: &[u8], rng: &mut Lcg, count: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // truncations at many lengths
    for len in (0..sig.len()).step_by(7) {
        out.push(sig[..len].to_vec());
    }
    for _ in 0..count {
        let mut m = sig.to_vec();
        match rng.below(6) {
            0 | 1 => {
                let i = rng.below(m.len());
                m[i] ^= 1 << rng.below(8);
            }
            2 => {
                let i = rng.below(m.len());
                m[i] = rng.next() as u8;
            }
            3 => {
                let i = rng.below(m.len());
                m.insert(i, rng.next() as u8);
            }
            4 => {
                let i = rng.below(m.len());
                m.remove(i);
            }
            _ => {
                // a length byte made huge
                let i = rng.below(m.len());
                m[i] = 0x84;
            }
        }
        out.push(m);
    }
    out
}

#[test]
fn mutated_signatures_never_panic_nor_pass_when_altered() {
    let document = doc();
    let mut rng = Lcg(0x5eed_0005);
    let mut total = 0;
    for (fam, count) in [
        ("p256", 1500),
        ("rsa-pss", 1000),
        ("gost256-A", 700),
        ("gost512-C", 200),
    ] {
        let t = trust(fam);
        let original = read(&format!("{fam}/valid.der"));
        let original_signer = signer_info_der(&original).unwrap();
        let original_chain: Vec<String> = check(&document, &original, &t)
            .chain
            .into_iter()
            .map(|c| c.certificate_sha256)
            .collect();
        for m in mutants(&original, &mut rng, count) {
            total += 1;
            let r = check(&document, &m, &t);
            if r.indication == Indication::TotalPassed {
                // only a change in what nothing signs may pass (e.g. the
                // outer digestAlgorithms set): the SignerInfo and the chain
                // must be exactly the original ones
                assert_eq!(
                    signer_info_der(&m).as_ref(),
                    Some(&original_signer),
                    "{fam}: {m:02x?}"
                );
                let chain: Vec<String> =
                    r.chain.into_iter().map(|c| c.certificate_sha256).collect();
                assert_eq!(chain, original_chain, "{fam}");
            }
        }
    }
    assert!(total > 3000, "{total}");
}

#[test]
fn mutated_documents_never_pass() {
    let document = doc();
    let t = trust("gost256-TCA");
    let sig = read("gost256-TCA/valid.der");
    let mut rng = Lcg(7);
    let mut docs: Vec<Vec<u8>> = (0..document.len())
        .map(|n| document[..n].to_vec())
        .collect();
    for _ in 0..300 {
        let mut d = document.clone();
        let i = rng.below(d.len());
        d[i] ^= 1 << rng.below(8);
        docs.push(d);
    }
    let mut longer = document.clone();
    longer.push(b'\n');
    docs.push(longer);
    for d in docs {
        let r = check(&d, &sig, &t);
        assert_verdict(
            &r,
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
            "doc",
        );
    }
}
