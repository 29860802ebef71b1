//! GOST R 34.10-2012 signature verification (RFC 7091), 256- and 512-bit,
//! over every standard parameter set, on `num-bigint`.
//!
//! Verification handles only public data, so it needs no constant time; it
//! uses Jacobian coordinates with a general `a` (the tc26 twisted-Edwards sets
//! 256-A and 512-C are given in their Weierstrass form, `a ≠ −3`) and Shamir's
//! trick for `z1·P + z2·Q`.
//!
//! Encodings (RFC 4491 / RFC 9215, pinned by tests against OpenSSL's GOST
//! engine in `tests/`):
//! - public key: the SubjectPublicKeyInfo BIT STRING holds a DER OCTET STRING
//!   of `X || Y`, each coordinate **little-endian**, 32 or 64 bytes;
//! - signature value (CMS and X.509): `s || r`, each half **big-endian**;
//! - the Streebog digest `H` is read as a **little-endian** integer `e`
//!   (`alpha` of the standard), then reduced mod `q`.

use num_bigint::BigUint;
use std::sync::OnceLock;

/// A GOST R 34.10 curve `y² = x³ + a·x + b (mod p)` with a base point of
/// prime order `q`.
#[derive(Debug, Clone)]
pub struct Curve {
    /// Human name of the parameter set.
    pub name: &'static str,
    /// Size of a coordinate and of `r`/`s` in bytes (32 or 64).
    pub len: usize,
    p: BigUint,
    a: BigUint,
    b: BigUint,
    q: BigUint,
    gx: BigUint,
    gy: BigUint,
}

/// Why a signature or key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GostError {
    /// The public key is malformed or not on the curve.
    BadPublicKey,
    /// The signature has the wrong length or `r`/`s` out of range.
    BadSignatureEncoding,
    /// `R ≠ r`: the signature does not verify.
    Mismatch,
}

impl std::fmt::Display for GostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GostError::BadPublicKey => "the GOST public key is malformed or not on the curve",
            GostError::BadSignatureEncoding => "the GOST signature value is malformed",
            GostError::Mismatch => "the GOST signature does not verify",
        })
    }
}

fn h(s: &str) -> BigUint {
    // The constants below are valid hex; an empty number would only make the
    // curve useless (and the curve self-tests fail), never panic.
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

/// A curve's parameters as the RFCs print them: hexadecimal, big-endian.
struct CurveHex {
    name: &'static str,
    len: usize,
    p: &'static str,
    a: &'static str,
    b: &'static str,
    q: &'static str,
    x: &'static str,
    y: &'static str,
}

impl CurveHex {
    fn build(&self) -> Curve {
        Curve {
            name: self.name,
            len: self.len,
            p: h(self.p),
            a: h(self.a),
            b: h(self.b),
            q: h(self.q),
            gx: h(self.x),
            gy: h(self.y),
        }
    }
}

/// The curves, one a row: RFC 4357 §11.4 (CryptoPro), RFC 7836 Appendix A.1
/// (tc26; the twisted Edwards sets in Weierstrass form), RFC 7091 (test sets).
#[rustfmt::skip]
mod curves {
    use super::CurveHex;

    pub(super) const TEST_256: CurveHex = CurveHex { name: "id-GostR3410-2001-TestParamSet", len: 32, p: "8000000000000000000000000000000000000000000000000000000000000431", a: "7", b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E", q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3", x: "2", y: "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8" };
    pub(super) const CRYPTOPRO_A: CurveHex = CurveHex { name: "id-GostR3410-2001-CryptoPro-A-ParamSet", len: 32, p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97", a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94", b: "A6", q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893", x: "1", y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14" };
    pub(super) const CRYPTOPRO_B: CurveHex = CurveHex { name: "id-GostR3410-2001-CryptoPro-B-ParamSet", len: 32, p: "8000000000000000000000000000000000000000000000000000000000000C99", a: "8000000000000000000000000000000000000000000000000000000000000C96", b: "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B", q: "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F", x: "1", y: "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC" };
    pub(super) const CRYPTOPRO_C: CurveHex = CurveHex { name: "id-GostR3410-2001-CryptoPro-C-ParamSet", len: 32, p: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B", a: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598", b: "805A", q: "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9", x: "0", y: "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67" };
    pub(super) const TC26_256_A: CurveHex = CurveHex { name: "id-tc26-gost-3410-2012-256-paramSetA", len: 32, p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97", a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335", b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513", q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67", x: "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28", y: "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C" };
    pub(super) const TEST_512: CurveHex = CurveHex { name: "id-tc26-gost-3410-2012-512-paramSetTest", len: 64, p: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373", a: "7", b: "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC", q: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF", x: "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A", y: "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E" };
    pub(super) const TC26_512_A: CurveHex = CurveHex { name: "id-tc26-gost-3410-12-512-paramSetA", len: 64, p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7", a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4", b: "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760", q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275", x: "3", y: "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4" };
    pub(super) const TC26_512_B: CurveHex = CurveHex { name: "id-tc26-gost-3410-12-512-paramSetB", len: 64, p: "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006F", a: "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006C", b: "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116", q: "800000000000000000000000000000000000000000000000000000000000000149A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD", x: "2", y: "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD" };
    pub(super) const TC26_512_C: CurveHex = CurveHex { name: "id-tc26-gost-3410-2012-512-paramSetC", len: 64, p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7", a: "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E143064546E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3", b: "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE038CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1", q: "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED", x: "E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043AA27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148", y: "F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9BE18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F" };
}
use curves::*;

/// The parameter sets by public-key-parameter OID (dotted): the set's short
/// name (for reports) and the curve it names. Several OIDs share a curve
/// (RFC 7836 §A.1 / RFC 4357).
#[rustfmt::skip]
const PARAM_SETS: &[(&str, &str, &CurveHex)] = &[
    ("1.2.643.2.2.35.0", "id-GostR3410-2001-TestParamSet", &TEST_256),
    ("1.2.643.2.2.35.1", "id-GostR3410-2001-CryptoPro-A-ParamSet", &CRYPTOPRO_A),
    ("1.2.643.2.2.35.2", "id-GostR3410-2001-CryptoPro-B-ParamSet", &CRYPTOPRO_B),
    ("1.2.643.2.2.35.3", "id-GostR3410-2001-CryptoPro-C-ParamSet", &CRYPTOPRO_C),
    ("1.2.643.2.2.36.0", "id-GostR3410-2001-CryptoPro-XchA-ParamSet", &CRYPTOPRO_A),
    ("1.2.643.2.2.36.1", "id-GostR3410-2001-CryptoPro-XchB-ParamSet", &CRYPTOPRO_C),
    ("1.2.643.7.1.2.1.1.1", "id-tc26-gost-3410-2012-256-paramSetA", &TC26_256_A),
    ("1.2.643.7.1.2.1.1.2", "id-tc26-gost-3410-2012-256-paramSetB", &CRYPTOPRO_A),
    ("1.2.643.7.1.2.1.1.3", "id-tc26-gost-3410-2012-256-paramSetC", &CRYPTOPRO_B),
    ("1.2.643.7.1.2.1.1.4", "id-tc26-gost-3410-2012-256-paramSetD", &CRYPTOPRO_C),
    ("1.2.643.7.1.2.1.2.0", "id-tc26-gost-3410-2012-512-paramSetTest", &TEST_512),
    ("1.2.643.7.1.2.1.2.1", "id-tc26-gost-3410-12-512-paramSetA", &TC26_512_A),
    ("1.2.643.7.1.2.1.2.2", "id-tc26-gost-3410-12-512-paramSetB", &TC26_512_B),
    ("1.2.643.7.1.2.1.2.3", "id-tc26-gost-3410-2012-512-paramSetC", &TC26_512_C),
];

/// Short names of the parameter-set OIDs, for reports.
pub fn param_set_name(oid: &str) -> Option<&'static str> {
    PARAM_SETS
        .iter()
        .find(|(o, _, _)| *o == oid)
        .map(|(_, name, _)| *name)
}

/// The curve of a public-key parameter set, by dotted OID.
pub fn curve_for_param_set(oid: &str) -> Option<&'static Curve> {
    static CURVES: OnceLock<Vec<(&'static str, Curve)>> = OnceLock::new();
    let curves = CURVES.get_or_init(|| {
        PARAM_SETS
            .iter()
            .map(|(oid, _, hex)| (*oid, hex.build()))
            .collect()
    });
    curves.iter().find(|(o, _)| *o == oid).map(|(_, c)| c)
}

/// A point in Jacobian coordinates; `z == 0` is the point at infinity.
#[derive(Clone, Debug)]
struct Jacobian {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Curve {
    fn add_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + b) % &self.p
    }
    fn sub_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        // a, b < p
        if a >= b { a - b } else { &self.p - (b - a) }
    }
    fn mul_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }

    fn infinity() -> Jacobian {
        Jacobian {
            x: BigUint::from(1u8),
            y: BigUint::from(1u8),
            z: BigUint::ZERO,
        }
    }

    fn is_on_curve(&self, x: &BigUint, y: &BigUint) -> bool {
        if x >= &self.p || y >= &self.p {
            return false;
        }
        let lhs = self.mul_mod(y, y);
        let x3 = self.mul_mod(&self.mul_mod(x, x), x);
        let rhs = self.add_mod(&self.add_mod(&x3, &self.mul_mod(&self.a, x)), &self.b);
        lhs == rhs
    }

    fn double(&self, pt: &Jacobian) -> Jacobian {
        if pt.z == BigUint::ZERO || pt.y == BigUint::ZERO {
            return Self::infinity();
        }
        let xx = self.mul_mod(&pt.x, &pt.x);
        let yy = self.mul_mod(&pt.y, &pt.y);
        let yyyy = self.mul_mod(&yy, &yy);
        let zz = self.mul_mod(&pt.z, &pt.z);
        // S = 4·X·Y², M = 3·X² + a·Z⁴
        let s = self.mul_mod(&BigUint::from(4u8), &self.mul_mod(&pt.x, &yy));
        let m = self.add_mod(
            &self.mul_mod(&BigUint::from(3u8), &xx),
            &self.mul_mod(&self.a, &self.mul_mod(&zz, &zz)),
        );
        let x3 = self.sub_mod(&self.mul_mod(&m, &m), &self.add_mod(&s, &s));
        let y3 = self.sub_mod(
            &self.mul_mod(&m, &self.sub_mod(&s, &x3)),
            &self.mul_mod(&BigUint::from(8u8), &yyyy),
        );
        let z3 = self.mul_mod(&BigUint::from(2u8), &self.mul_mod(&pt.y, &pt.z));
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn add(&self, p1: &Jacobian, p2: &Jacobian) -> Jacobian {
        if p1.z == BigUint::ZERO {
            return p2.clone();
        }
        if p2.z == BigUint::ZERO {
            return p1.clone();
        }
        let z1z1 = self.mul_mod(&p1.z, &p1.z);
        let z2z2 = self.mul_mod(&p2.z, &p2.z);
        let u1 = self.mul_mod(&p1.x, &z2z2);
        let u2 = self.mul_mod(&p2.x, &z1z1);
        let s1 = self.mul_mod(&p1.y, &self.mul_mod(&p2.z, &z2z2));
        let s2 = self.mul_mod(&p2.y, &self.mul_mod(&p1.z, &z1z1));
        if u1 == u2 {
            return if s1 == s2 {
                self.double(p1)
            } else {
                Self::infinity()
            };
        }
        let hh = self.sub_mod(&u2, &u1);
        let r = self.sub_mod(&s2, &s1);
        let h2 = self.mul_mod(&hh, &hh);
        let h3 = self.mul_mod(&h2, &hh);
        let u1h2 = self.mul_mod(&u1, &h2);
        let x3 = self.sub_mod(
            &self.sub_mod(&self.mul_mod(&r, &r), &h3),
            &self.add_mod(&u1h2, &u1h2),
        );
        let y3 = self.sub_mod(
            &self.mul_mod(&r, &self.sub_mod(&u1h2, &x3)),
            &self.mul_mod(&s1, &h3),
        );
        let z3 = self.mul_mod(&hh, &self.mul_mod(&p1.z, &p2.z));
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `k1·P1 + k2·P2` (Shamir's trick).
    fn mul2(&self, k1: &BigUint, p1: &Jacobian, k2: &BigUint, p2: &Jacobian) -> Jacobian {
        let both = self.add(p1, p2);
        let bits = k1.bits().max(k2.bits());
        let mut acc = Self::infinity();
        for i in (0..bits).rev() {
            acc = self.double(&acc);
            match (k1.bit(i), k2.bit(i)) {
                (true, true) => acc = self.add(&acc, &both),
                (true, false) => acc = self.add(&acc, p1),
                (false, true) => acc = self.add(&acc, p2),
                (false, false) => {}
            }
        }
        acc
    }

    /// Affine `(x, y)`, or `None` at infinity.
    fn to_affine(&self, pt: &Jacobian) -> Option<(BigUint, BigUint)> {
        if pt.z == BigUint::ZERO {
            return None;
        }
        let zinv = pt.z.modinv(&self.p)?;
        let zinv2 = self.mul_mod(&zinv, &zinv);
        let zinv3 = self.mul_mod(&zinv2, &zinv);
        Some((self.mul_mod(&pt.x, &zinv2), self.mul_mod(&pt.y, &zinv3)))
    }

    fn affine(x: &BigUint, y: &BigUint) -> Jacobian {
        Jacobian {
            x: x.clone(),
            y: y.clone(),
            z: BigUint::from(1u8),
        }
    }

    /// `k·G`, affine (for tests and self-checks).
    pub fn mul_base(&self, k: &BigUint) -> Option<(BigUint, BigUint)> {
        let g = Self::affine(&self.gx, &self.gy);
        self.to_affine(&self.mul2(k, &g, &BigUint::ZERO, &Self::infinity()))
    }

    /// Whether `G` lies on the curve and `q·G` is the point at infinity.
    pub fn self_check(&self) -> bool {
        let g = Self::affine(&self.gx, &self.gy);
        self.is_on_curve(&self.gx, &self.gy)
            && self
                .to_affine(&self.mul2(&self.q, &g, &BigUint::ZERO, &Self::infinity()))
                .is_none()
    }

    /// The core of RFC 7091 §6.2 on integers: accepts when `R = r`.
    /// `e` is the digest already converted to an integer (any size; it is
    /// reduced mod `q`, and 0 becomes 1); `(qx, qy)` is the public key.
    pub fn verify_integers(
        &self,
        e: &BigUint,
        r: &BigUint,
        s: &BigUint,
        qx: &BigUint,
        qy: &BigUint,
    ) -> Result<(), GostError> {
        if !self.is_on_curve(qx, qy) {
            return Err(GostError::BadPublicKey);
        }
        let zero = BigUint::ZERO;
        if r == &zero || s == &zero || r >= &self.q || s >= &self.q {
            return Err(GostError::BadSignatureEncoding);
        }
        let mut e = e % &self.q;
        if e == zero {
            e = BigUint::from(1u8);
        }
        let v = e.modinv(&self.q).ok_or(GostError::Mismatch)?;
        let z1 = (s * &v) % &self.q;
        let rv = (r * &v) % &self.q;
        let z2 = if rv == zero { zero } else { &self.q - rv };
        let g = Self::affine(&self.gx, &self.gy);
        let pk = Self::affine(qx, qy);
        let c = self.mul2(&z1, &g, &z2, &pk);
        let (cx, _) = self.to_affine(&c).ok_or(GostError::Mismatch)?;
        if (cx % &self.q) == *r {
            Ok(())
        } else {
            Err(GostError::Mismatch)
        }
    }

    /// Verifies a signature as it travels in CMS/X.509: `digest` is the
    /// Streebog output (bytes as the hash produced them), `signature` is
    /// `s || r` big-endian, `public_key` is `X || Y` little-endian (the
    /// content of the SubjectPublicKeyInfo's OCTET STRING).
    pub fn verify(
        &self,
        digest: &[u8],
        signature: &[u8],
        public_key: &[u8],
    ) -> Result<(), GostError> {
        if public_key.len() != 2 * self.len {
            return Err(GostError::BadPublicKey);
        }
        if signature.len() != 2 * self.len {
            return Err(GostError::BadSignatureEncoding);
        }
        let (xs, ys) = public_key.split_at(self.len);
        let qx = BigUint::from_bytes_le(xs);
        let qy = BigUint::from_bytes_le(ys);
        let (ss, rs) = signature.split_at(self.len);
        let s = BigUint::from_bytes_be(ss);
        let r = BigUint::from_bytes_be(rs);
        let e = BigUint::from_bytes_le(digest);
        self.verify_integers(&e, &r, &s, &qx, &qy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_curve(hex: &CurveHex) -> Curve {
        hex.build()
    }

    #[test]
    fn every_parameter_set_is_a_curve_of_order_q() {
        for (oid, _, _) in PARAM_SETS {
            let c = curve_for_param_set(oid).unwrap();
            assert!(c.self_check(), "{oid} {}", c.name);
            assert!(param_set_name(oid).is_some(), "{oid}");
            assert!(c.q.bits() as usize <= c.len * 8);
        }
    }

    // RFC 7091 §7.1 (= GOST R 34.10-2012 Appendix A.1): 256-bit example.
    #[test]
    fn rfc7091_example_256() {
        let c = test_curve(&TEST_256);
        let d = h("7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28");
        let qx = h("7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B");
        let qy = h("26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA");
        assert_eq!(c.mul_base(&d), Some((qx.clone(), qy.clone())));
        let e = h("2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5");
        let r = h("41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493");
        let s = h("01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40");
        assert_eq!(c.verify_integers(&e, &r, &s, &qx, &qy), Ok(()));
        // one bit off anywhere fails
        let s1 = &s ^ BigUint::from(1u8);
        assert_eq!(
            c.verify_integers(&e, &r, &s1, &qx, &qy),
            Err(GostError::Mismatch)
        );
        let e1 = &e + 1u8;
        assert_eq!(
            c.verify_integers(&e1, &r, &s, &qx, &qy),
            Err(GostError::Mismatch)
        );
        assert_eq!(
            c.verify_integers(&e, &r, &s, &qy, &qx),
            Err(GostError::BadPublicKey)
        );
        assert_eq!(
            c.verify_integers(&e, &BigUint::ZERO, &s, &qx, &qy),
            Err(GostError::BadSignatureEncoding)
        );

        // The same example through the wire encodings: key X||Y little-endian,
        // signature s||r big-endian, digest bytes read little-endian.
        let mut key = pad_le(&qx, 32);
        key.extend(pad_le(&qy, 32));
        let mut sig = pad_be(&s, 32);
        sig.extend(pad_be(&r, 32));
        let digest = pad_le(&e, 32);
        assert_eq!(c.verify(&digest, &sig, &key), Ok(()));
        // r||s (the other order) does not verify
        let mut rs = pad_be(&r, 32);
        rs.extend(pad_be(&s, 32));
        assert!(c.verify(&digest, &rs, &key).is_err());
        // the digest read big-endian does not verify
        let digest_be = pad_be(&e, 32);
        assert!(c.verify(&digest_be, &sig, &key).is_err());
    }

    // RFC 7091 §7.2 (= GOST R 34.10-2012 Appendix A.2): 512-bit example.
    #[test]
    fn rfc7091_example_512() {
        let c = test_curve(&TEST_512);
        let d = h(
            "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
        );
        let qx = h(
            "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
        );
        let qy = h(
            "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
        );
        assert_eq!(c.mul_base(&d), Some((qx.clone(), qy.clone())));
        let e = h(
            "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
        );
        let r = h(
            "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
        );
        let s = h(
            "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
        );
        assert_eq!(c.verify_integers(&e, &r, &s, &qx, &qy), Ok(()));
        let r1 = &r ^ BigUint::from(0x80u8);
        assert_eq!(
            c.verify_integers(&e, &r1, &s, &qx, &qy),
            Err(GostError::Mismatch)
        );

        let mut key = pad_le(&qx, 64);
        key.extend(pad_le(&qy, 64));
        let mut sig = pad_be(&s, 64);
        sig.extend(pad_be(&r, 64));
        assert_eq!(c.verify(&pad_le(&e, 64), &sig, &key), Ok(()));
        assert!(c.verify(&pad_le(&e, 64), &sig[..127], &key).is_err());
        assert!(c.verify(&pad_le(&e, 64), &sig, &key[..100]).is_err());
    }

    #[test]
    fn zero_digest_is_treated_as_one() {
        // e ≡ 0 mod q must not panic (no inverse of 0): the standard says e = 1.
        let c = test_curve(&TEST_256);
        let qx = h("7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B");
        let qy = h("26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA");
        let r = h("41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493");
        let s = h("01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40");
        assert_eq!(
            c.verify_integers(&c.q.clone(), &r, &s, &qx, &qy),
            Err(GostError::Mismatch)
        );
    }

    fn pad_be(n: &BigUint, len: usize) -> Vec<u8> {
        let b = n.to_bytes_be();
        let mut out = vec![0u8; len - b.len()];
        out.extend(b);
        out
    }
    fn pad_le(n: &BigUint, len: usize) -> Vec<u8> {
        let mut b = n.to_bytes_le();
        b.resize(len, 0);
        b
    }
}
