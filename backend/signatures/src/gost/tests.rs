//! The Montgomery arithmetic against the standard's examples and against
//! the `num-bigint` oracle on seeded random inputs.

use num_bigint::BigUint;

use super::oracle::{Oracle, h};
use super::params::{CURVES, CurveHex, PARAM_SETS, TEST_256, TEST_512};
use super::point::{Jacobian, wnaf};
use super::*;

/// splitmix64: a seeded, reproducible stream for the property tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform enough below `n` (`n > 0`).
    fn below(&mut self, n: &BigUint) -> BigUint {
        let words = (n.bits() as usize).div_ceil(64) + 1;
        let bytes: Vec<u8> = (0..words).flat_map(|_| self.next().to_le_bytes()).collect();
        BigUint::from_bytes_le(&bytes) % n
    }
}

fn to_uint<const L: usize>(n: &BigUint) -> Uint<L> {
    let mut bytes = n.to_bytes_le();
    assert!(bytes.len() <= 8 * L, "{n:x} does not fit");
    bytes.resize(8 * L, 0);
    Uint::from_le_slice(&bytes)
}

fn to_big<const L: usize>(n: &Uint<L>) -> BigUint {
    let bytes: Vec<u8> = n.as_words().iter().flat_map(|w| w.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
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

/// The wire forms of a key, a signature and a digest (see [`Curve::verify`]).
fn wire(
    len: usize,
    key: &(BigUint, BigUint),
    r: &BigUint,
    s: &BigUint,
    e: &BigUint,
) -> [Vec<u8>; 3] {
    let mut k = pad_le(&key.0, len);
    k.extend(pad_le(&key.1, len));
    let mut sig = pad_be(s, len);
    sig.extend(pad_be(r, len));
    [k, sig, pad_le(e, len)]
}

/// A signature by RFC 7091 §6.1 with the oracle: `(r, s)` for digest
/// integer `e`, private key `d`, nonce `k`.
fn sign(o: &Oracle, e: &BigUint, d: &BigUint, k: &BigUint) -> Option<(BigUint, BigUint)> {
    let mut e = e % &o.q;
    if e == BigUint::ZERO {
        e = BigUint::from(1u8);
    }
    let (cx, _) = o.mul_base(k)?;
    let r = cx % &o.q;
    let s = (&r * d + k * &e) % &o.q;
    (r != BigUint::ZERO && s != BigUint::ZERO).then_some((r, s))
}

/// `f::<4>(args)` for a 256-bit curve, `f::<8>(args)` for a 512-bit one.
macro_rules! at_width {
    ($hex:expr, $f:ident($($arg:expr),*)) => {
        match $hex.len {
            32 => $f::<4>($($arg),*),
            _ => $f::<8>($($arg),*),
        }
    };
}

/// Rounds of a random test: half as many on 512-bit curves (4× the cost).
fn rounds<const L: usize>(on_256: usize) -> usize {
    on_256 * 4 / L
}

/// `k·G` with the new arithmetic, plain affine coordinates.
fn mul_base<const L: usize>(c: &Arith<L>, k: &BigUint) -> Option<(BigUint, BigUint)> {
    let pt = c
        .group
        .mul2(&to_uint(k), c.base().unwrap(), &Uint::ZERO, &c.g);
    affine(c, &pt)
}

fn affine<const L: usize>(c: &Arith<L>, pt: &Jacobian<L>) -> Option<(BigUint, BigUint)> {
    let (x, y) = c.group.coordinates(pt)?;
    Some((to_big(&x), to_big(&y)))
}

#[test]
fn every_parameter_set_has_a_curve_of_order_q() {
    for (oid, name, hex) in PARAM_SETS {
        let c = curve_for_param_set(oid).unwrap();
        assert_eq!(c.name, hex.name, "{oid}");
        assert_eq!(param_set_name(oid), Some(*name));
        let o = Oracle::new(hex);
        assert!(o.self_check(), "{oid}");
        assert!(o.q.bits() as usize <= hex.len * 8);
        // p < 5q: the final comparison tries at most five candidates.
        assert!(o.p < &o.q * 5u8, "{oid}");
    }
    assert_eq!(curves().len(), CURVES.len());
    assert!(curve_for_param_set("1.2.643.7.1.2.1.1.9").is_none());
}

fn order_is_q<const L: usize>(hex: &CurveHex) {
    let c: &Arith<L> = &Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    assert_eq!(mul_base(c, &o.q), None);
    let g = o.base();
    let minus_g = (g.0.clone(), &o.p - &g.1);
    assert_eq!(mul_base(c, &(&o.q - 1u8)), Some(minus_g));
    assert_eq!(mul_base(c, &BigUint::from(1u8)), Some(g));
}

#[test]
fn the_new_arithmetic_finds_order_q_on_every_curve() {
    for hex in CURVES {
        at_width!(hex, order_is_q(hex));
    }
}

// RFC 7091 §7.1 (= GOST R 34.10-2012 Appendix A.1): the 256-bit example.
const EX256: [&str; 6] = [
    "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28", // d
    "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B", // Qx
    "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA", // Qy
    "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5", // e
    "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493", // r
    "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40", // s
];
// The example's nonce k, with which §7.1 computes r and s.
const EX256_K: &str = "77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3";

// RFC 7091 §7.2 (= GOST R 34.10-2012 Appendix A.2): the 512-bit example.
const EX512: [&str; 6] = [
    "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
    "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
    "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
    "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
    "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
];
const EX512_K: &str = "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1";

/// The standard's example on one curve: the key from `d`, the signature
/// from `k` (the oracle signs), acceptance through the wire encodings, and
/// refusal with one bit changed in the signature, the digest or the key.
fn standard_example<const L: usize>(hex: &CurveHex, ex: &[&str; 6], k: &str) {
    let len = 8 * L;
    let c: Arith<L> = Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    let [d, qx, qy, e, r, s] = ex.map(h);
    let key = (qx, qy);
    assert_eq!(mul_base(&c, &d).as_ref(), Some(&key));
    assert_eq!(sign(&o, &e, &d, &h(k)), Some((r.clone(), s.clone())));
    assert_eq!(o.verify_integers(&e, &r, &s, &key.0, &key.1), Ok(()));

    let [pk, sig, digest] = wire(len, &key, &r, &s, &e);
    assert_eq!(c.verify(&digest, &sig, &pk), Ok(()));
    let mut rng = Rng(len as u64);
    for (i, field) in [&sig, &digest, &pk].into_iter().enumerate() {
        let bit = |rng: &mut Rng| (rng.next() % (8 * field.len() as u64)) as usize;
        for b in [
            0,
            8 * field.len() - 1,
            bit(&mut rng),
            bit(&mut rng),
            bit(&mut rng),
        ] {
            let mut changed = [sig.clone(), digest.clone(), pk.clone()];
            changed[i][b / 8] ^= 1 << (b % 8);
            let [s2, d2, k2] = &changed;
            assert!(
                c.verify(d2, s2, k2).is_err(),
                "field {i} bit {b} still verifies"
            );
        }
    }
    // r||s (the other order) does not verify
    let [_, rs, _] = wire(len, &key, &s, &r, &e);
    assert_eq!(c.verify(&digest, &rs, &pk), Err(GostError::Mismatch));
    // the digest read big-endian does not verify
    assert_eq!(
        c.verify(&pad_be(&e, len), &sig, &pk),
        Err(GostError::Mismatch)
    );
    // the key's coordinates swapped are off the curve
    let [swapped, _, _] = wire(len, &(key.1.clone(), key.0.clone()), &r, &s, &e);
    assert_eq!(
        c.verify(&digest, &sig, &swapped),
        Err(GostError::BadPublicKey)
    );
    // wrong lengths, r = 0, s = q, a digest longer than the curve
    assert_eq!(
        c.verify(&digest, &sig[1..], &pk),
        Err(GostError::BadSignatureEncoding)
    );
    assert_eq!(
        c.verify(&digest, &sig, &pk[1..]),
        Err(GostError::BadPublicKey)
    );
    let [_, r0, _] = wire(len, &key, &BigUint::ZERO, &s, &e);
    assert_eq!(
        c.verify(&digest, &r0, &pk),
        Err(GostError::BadSignatureEncoding)
    );
    let [_, sq, _] = wire(len, &key, &r, &o.q, &e);
    assert_eq!(
        c.verify(&digest, &sq, &pk),
        Err(GostError::BadSignatureEncoding)
    );
    let long = [digest.clone(), vec![0]].concat();
    assert_eq!(c.verify(&long, &sig, &pk), Err(GostError::DigestSize));
}

#[test]
fn rfc7091_example_256() {
    standard_example::<4>(&TEST_256, &EX256, EX256_K);
}

#[test]
fn rfc7091_example_512() {
    standard_example::<8>(&TEST_512, &EX512, EX512_K);
}

#[test]
fn a_zero_digest_is_read_as_one() {
    // e ≡ 0 mod q has no inverse: the standard sets e = 1, so a signature
    // made for e = 1 verifies for a digest equal to q.
    let c: Arith<4> = Arith::new(&TEST_256).unwrap();
    let o = Oracle::new(&TEST_256);
    let [d, qx, qy, _, _, _] = EX256.map(h);
    let (r, s) = sign(&o, &BigUint::from(1u8), &d, &h(EX256_K)).unwrap();
    let [pk, sig, _] = wire(32, &(qx, qy), &r, &s, &BigUint::ZERO);
    assert_eq!(c.verify(&pad_le(&o.q, 32), &sig, &pk), Ok(()));
    assert_eq!(
        c.verify(&pad_le(&BigUint::from(1u8), 32), &sig, &pk),
        Ok(())
    );
    assert_eq!(
        c.verify(&pad_le(&BigUint::from(2u8), 32), &sig, &pk),
        Err(GostError::Mismatch)
    );
}

#[test]
fn field_arithmetic_agrees_with_the_oracle() {
    let mut rng = Rng(1);
    for hex in CURVES {
        at_width!(hex, fields_agree(hex, &mut rng));
    }
}

fn fields_agree<const L: usize>(hex: &CurveHex, rng: &mut Rng) {
    let c: Arith<L> = Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    field_agrees(&c.group.fp, &o.p, rng);
    field_agrees(&c.fq, &o.q, rng);
}

fn field_agrees<const L: usize>(f: &Field<L>, m: &BigUint, rng: &mut Rng) {
    let edges = [BigUint::ZERO, BigUint::from(1u8), m - 1u8, m - 2u8];
    for i in 0..200 {
        let a = edges.get(i % 8).cloned().unwrap_or_else(|| rng.below(m));
        let b = edges.get(i / 8).cloned().unwrap_or_else(|| rng.below(m));
        let (am, bm) = (f.montgomery(&to_uint(&a)), f.montgomery(&to_uint(&b)));
        let back = |x: Uint<L>| to_big(&f.plain(&x));
        assert_eq!(back(am), a);
        assert_eq!(back(f.mul(&am, &bm)), (&a * &b) % m);
        assert_eq!(back(f.square(&am)), (&a * &a) % m);
        assert_eq!(back(f.add(&am, &bm)), (&a + &b) % m);
        assert_eq!(back(f.sub(&am, &bm)), (m + &a - &b) % m);
        assert_eq!(back(f.neg(&am)), (m - &a) % m);
        assert_eq!(back(f.double(&am)), (&a + &a) % m);
        let inv = f.invert(&am).map(back);
        assert_eq!(inv, a.modinv(m), "{a:x}");
        let root = f.sqrt(&am).map(back);
        let square = a.modpow(&((m - 1u8) >> 1u8), m) != m - 1u8;
        match root {
            Some(root) => assert_eq!((&root * &root) % m, a),
            None => assert!(m % 4u8 != BigUint::from(3u8) || !square, "{a:x}"),
        }
    }
    // x ≥ m is reduced on the way in
    let big = to_uint::<L>(&(m + 5u8).min(BigUint::from(2u8).pow(64 * L as u32) - 1u8));
    assert_eq!(to_big(&f.plain(&f.montgomery(&big))), to_big(&big) % m);
}

/// For `m = 2^N − c`: `(m − 1)·(2^N − 3c)` is the product whose folded
/// high half carries out of the top word once more (the rare branch of the
/// special reduction), found by hand; random inputs almost never hit it.
/// Whether the curve's prime takes the special form; if so, checks it.
fn special_carry<const L: usize>(hex: &CurveHex) -> bool {
    let curve: Arith<L> = Arith::new(hex).unwrap();
    let f = &curve.group.fp;
    if !f.is_special() {
        return false;
    }
    let two_n = BigUint::from(2u8).pow(64 * L as u32);
    let m = to_big(f.modulus());
    let c = &two_n - &m;
    let (a, b) = (&m - 1u8, &two_n - &c * 3u8);
    let got = f.plain(&f.mul(&f.montgomery(&to_uint(&a)), &f.montgomery(&to_uint(&b))));
    assert_eq!(to_big(&got), (&a * &b) % &m);
    assert_eq!(to_big(&got), &c * 2u8);
    true
}

#[test]
fn the_primes_2n_minus_c_take_the_special_reduction() {
    let special: Vec<&str> = CURVES
        .iter()
        .filter(|hex| at_width!(hex, special_carry(hex)))
        .map(|hex| hex.name)
        .collect();
    assert_eq!(
        special,
        [
            "id-GostR3410-2001-CryptoPro-A-ParamSet",
            "id-tc26-gost-3410-2012-256-paramSetA",
            "id-tc26-gost-3410-12-512-paramSetA",
            "id-tc26-gost-3410-2012-512-paramSetC",
        ]
    );
}

#[test]
fn wnaf_digits_add_up_to_the_scalar() {
    let mut rng = Rng(2);
    let top = BigUint::from(2u8).pow(512);
    let mut scalars = vec![BigUint::ZERO, BigUint::from(1u8), &top - 1u8, &top >> 1u8];
    scalars.extend((0..100).map(|_| rng.below(&top)));
    for k in &scalars {
        for w in [2, 5, 8] {
            let naf = wnaf(&to_uint::<8>(k), w);
            let mut sum = num_bigint::BigInt::ZERO;
            let mut last_nonzero: Option<usize> = None;
            for (i, d) in naf.iter().enumerate() {
                if *d != 0 {
                    assert!(
                        d % 2 != 0 && d.unsigned_abs() < 1 << (w - 1),
                        "digit {d} w={w}"
                    );
                    assert!(last_nonzero.is_none_or(|j| i - j >= w), "digits too close");
                    last_nonzero = Some(i);
                }
                sum += num_bigint::BigInt::from(*d) << i;
            }
            assert_eq!(sum, num_bigint::BigInt::from(k.clone()), "k={k:x} w={w}");
        }
    }
}

/// `k1·G + k2·P` against the oracle on random and edge scalars and points
/// (`P = ±G` makes the additions meet equal and opposite points).
fn double_scalar_agrees<const L: usize>(hex: &CurveHex, rng: &mut Rng) {
    let c: Arith<L> = Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    let g = o.base();
    let q = &o.q;
    for i in 0..rounds::<L>(28) {
        let m = rng.below(q);
        let p = match i % 4 {
            0 => g.clone(),
            1 => (g.0.clone(), &o.p - &g.1),
            _ => o.mul_base(&m).unwrap_or_else(|| g.clone()),
        };
        let k2 = match i % 5 {
            0 => BigUint::ZERO,
            1 => q - 1u8,
            _ => rng.below(q),
        };
        let k1 = match i % 7 {
            0 => BigUint::ZERO,
            1 => k2.clone(),
            2 => (q - &k2) % q,
            _ => rng.below(q),
        };
        let key = c.group.point(&to_uint(&p.0), &to_uint(&p.1)).unwrap();
        let ours = c
            .group
            .mul2(&to_uint(&k1), c.base().unwrap(), &to_uint(&k2), &key);
        assert_eq!(
            affine(&c, &ours),
            o.mul2_affine(&k1, &g, &k2, &p),
            "{} k1={k1:x} k2={k2:x}",
            hex.name
        );
    }
}

#[test]
fn double_scalar_multiplication_agrees_with_the_oracle() {
    let mut rng = Rng(3);
    for hex in CURVES {
        at_width!(hex, double_scalar_agrees(hex, &mut rng));
    }
}

/// Random keys, nonces and digests signed by the oracle verify; one bit
/// changed anywhere fails, as it does for the oracle.
fn signatures_agree<const L: usize>(hex: &CurveHex, rng: &mut Rng) {
    let len = 8 * L;
    let c: Arith<L> = Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    let all = BigUint::from(2u8).pow(8 * len as u32);
    for _ in 0..rounds::<L>(12) {
        let (d, k, e) = (rng.below(&o.q), rng.below(&o.q), rng.below(&all));
        let (Some(key), Some((r, s))) = (o.mul_base(&d), sign(&o, &e, &d, &k)) else {
            continue;
        };
        let [pk, sig, digest] = wire(len, &key, &r, &s, &e);
        assert_eq!(c.verify(&digest, &sig, &pk), Ok(()), "{}", hex.name);
        let mut fields = [sig, digest, pk];
        let which = (rng.next() % 3) as usize;
        let bit = (rng.next() % (8 * fields[which].len() as u64)) as usize;
        fields[which][bit / 8] ^= 1 << (bit % 8);
        let [sig, digest, pk] = &fields;
        let ours = c.verify(digest, sig, pk);
        assert!(ours.is_err(), "{} field {which} bit {bit}", hex.name);
        let x = BigUint::from_bytes_le(&pk[..len]);
        let y = BigUint::from_bytes_le(&pk[len..]);
        let theirs = if o.is_on_curve(&x, &y) {
            o.verify_integers(
                &BigUint::from_bytes_le(digest),
                &BigUint::from_bytes_be(&sig[len..]),
                &BigUint::from_bytes_be(&sig[..len]),
                &x,
                &y,
            )
        } else {
            Err(GostError::BadPublicKey)
        };
        assert_eq!(ours, theirs, "{} field {which} bit {bit}", hex.name);
    }
}

#[test]
fn random_signatures_agree_with_the_oracle() {
    let mut rng = Rng(4);
    for hex in CURVES {
        at_width!(hex, signatures_agree(hex, &mut rng));
    }
}

#[test]
fn hex_constants_parse_or_are_refused() {
    assert_eq!(uint_from_hex::<1>("A6"), Some(Uint::from_u64(0xA6)));
    assert_eq!(uint_from_hex::<1>("FFFFFFFFFFFFFFFF"), Some(Uint::MAX));
    assert_eq!(uint_from_hex::<1>("1FFFFFFFFFFFFFFFF"), None);
    assert_eq!(uint_from_hex::<1>("xy"), None);
}

#[test]
fn the_sets_with_another_a_are_computed_with_a_minus_3_where_they_can() {
    fn isomorphic<const L: usize>(hex: &CurveHex) -> bool {
        Arith::<L>::new(hex).unwrap().group.is_isomorphic()
    }
    let mapped: Vec<&str> = CURVES
        .iter()
        .filter(|hex| at_width!(hex, isomorphic(hex)))
        .map(|hex| hex.name)
        .collect();
    assert_eq!(
        mapped,
        [
            "id-tc26-gost-3410-2012-512-paramSetTest",
            "id-tc26-gost-3410-2012-512-paramSetC",
        ]
    );
}

/// On the sets of cofactor 4 (tc26 256-A and 512-C) `x_C` lies in
/// `[j·q, (j+1)·q)` for every `j` up to 3: signatures for each such `x_C`
/// (so `R = x_C − j·q`) verify, and with `r` one more they do not.
fn every_x_range_verifies<const L: usize>(hex: &CurveHex) {
    let len = 8 * L;
    let c: Arith<L> = Arith::new(hex).unwrap();
    let o = Oracle::new(hex);
    let d = BigUint::from(0x1234_5678_9abc_u64);
    let key = o.mul_base(&d).unwrap();
    let e = BigUint::from(0xfeed_u32);
    let mut seen = [false; 4];
    for k in 1u32..200 {
        let k = BigUint::from(k) * 0x9E37_79B9_u64;
        let (x, _) = o.mul_base(&k).unwrap();
        let j = usize::try_from(&x / &o.q).unwrap();
        if seen[j] {
            continue;
        }
        let (r, s) = sign(&o, &e, &d, &k).unwrap();
        let [pk, sig, digest] = wire(len, &key, &r, &s, &e);
        assert_eq!(c.verify(&digest, &sig, &pk), Ok(()), "{} j={j}", hex.name);
        let [_, off, _] = wire(len, &key, &((&r + 1u8) % &o.q), &s, &e);
        assert_eq!(c.verify(&digest, &off, &pk), Err(GostError::Mismatch));
        seen[j] = true;
    }
    assert_eq!(seen, [true; 4], "{}", hex.name);
}

#[test]
fn r_is_found_in_every_multiple_of_q_below_p() {
    every_x_range_verifies::<4>(&params::TC26_256_A);
    every_x_range_verifies::<8>(&params::TC26_512_C);
}

#[test]
fn inversion_modulo_a_composite_refuses_common_factors() {
    // Not a case verification meets (every modulus is prime), but the
    // binary inversion must end there too.
    let f = Field::<1>::new(Uint::from_u64(15)).unwrap();
    for a in 0..15u64 {
        let inv = f.invert(&f.montgomery(&Uint::from_u64(a)));
        let expected = (1..15u64).find(|b| a * b % 15 == 1);
        assert_eq!(
            inv.map(|x| f.plain(&x)),
            expected.map(Uint::from_u64),
            "{a}"
        );
    }
}
