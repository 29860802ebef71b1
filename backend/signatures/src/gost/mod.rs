//! GOST R 34.10-2012 signature verification (RFC 7091), 256- and 512-bit,
//! over every standard parameter set.
//!
//! The arithmetic is fixed-size Montgomery arithmetic on `crypto-bigint`
//! (`Uint<4>` for the 256-bit sets, `Uint<8>` for the 512-bit ones, see
//! `field.rs`) with Jacobian points and a width-w NAF double-scalar
//! multiplication for `z1·G + z2·Q`, the odd multiples of each curve's `G`
//! computed once per process (`point.rs`). Verification handles only public
//! data, so all of it runs in variable time. The tc26 twisted-Edwards sets
//! 256-A and 512-C are used in their Weierstrass form; the sets with
//! `a = −3` take a cheaper doubling, and so does 512-C through an
//! isomorphic curve with `a = −3` (`point.rs`). The first implementation, on
//! `num-bigint`, is kept under `cfg(test)` as the oracle the tests compare
//! with (`oracle.rs`). How it is checked: docs/signatures.md.
//!
//! Encodings (RFC 4491 / RFC 9215, pinned by tests against OpenSSL's GOST
//! engine in `tests/`):
//! - public key: the SubjectPublicKeyInfo BIT STRING holds a DER OCTET STRING
//!   of `X || Y`, each coordinate **little-endian**, 32 or 64 bytes;
//! - signature value (CMS and X.509): `s || r`, each half **big-endian**;
//! - the Streebog digest `H` is read as a **little-endian** integer `e`
//!   (`alpha` of the standard), then reduced mod `q`.

mod field;
mod params;
mod point;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use crypto_bigint::{Limb, Uint};

use field::Field;
use params::{CURVES, CurveHex, PARAM_SETS};
use point::{Affine, BASE_TABLE, Group};

/// Why a signature or key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GostError {
    /// The public key is malformed or not on the curve.
    BadPublicKey,
    /// The signature has the wrong length or `r`/`s` out of range.
    BadSignatureEncoding,
    /// The digest is longer than the curve's coordinates (a 512-bit digest
    /// for a 256-bit key).
    DigestSize,
    /// `R ≠ r`: the signature does not verify.
    Mismatch,
}

impl std::fmt::Display for GostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GostError::BadPublicKey => "the GOST public key is malformed or not on the curve",
            GostError::BadSignatureEncoding => "the GOST signature value is malformed",
            GostError::DigestSize => "the digest is longer than the GOST key's size",
            GostError::Mismatch => "the GOST signature does not verify",
        })
    }
}

/// A GOST R 34.10 curve `y² = x³ + a·x + b (mod p)` with a base point of
/// prime order `q`.
#[derive(Debug)]
pub struct Curve {
    /// Human name of the parameter set.
    pub name: &'static str,
    /// Size of a coordinate and of `r`/`s` in bytes (32 or 64).
    pub len: usize,
    width: Width,
}

/// The arithmetic of one curve, at its size.
#[derive(Debug)]
enum Width {
    Bits256(Box<Arith<4>>),
    Bits512(Box<Arith<8>>),
}

/// A curve's fields and base point, `L` 64-bit words wide.
#[derive(Debug)]
struct Arith<const L: usize> {
    group: Group<L>,
    /// The scalars, modulo `q`.
    fq: Field<L>,
    g: Affine<L>,
    /// `[G, 3G, …, 127G]`, made on the curve's first verification.
    base: OnceLock<Option<[Affine<L>; BASE_TABLE]>>,
}

/// The integer of a big-endian hex string, if it fits in `L` words.
fn uint_from_hex<const L: usize>(hex: &str) -> Option<Uint<L>> {
    let mut words = [0u64; L];
    for (i, c) in hex.bytes().rev().enumerate() {
        let nibble = u64::from((c as char).to_digit(16)?);
        *words.get_mut(i / 16)? |= nibble << (4 * (i % 16));
    }
    Some(Uint::from_words(words))
}

impl<const L: usize> Arith<L> {
    const LEN: usize = 8 * L;

    fn new(hex: &CurveHex) -> Option<Arith<L>> {
        let int = uint_from_hex::<L>;
        let group = Group::new(Field::new(int(hex.p)?)?, &int(hex.a)?, &int(hex.b)?);
        Some(Arith {
            g: group.point(&int(hex.x)?, &int(hex.y)?)?,
            group,
            fq: Field::new(int(hex.q)?)?,
            base: OnceLock::new(),
        })
    }

    fn q(&self) -> &Uint<L> {
        self.fq.modulus()
    }

    fn base(&self) -> Option<&[Affine<L>; BASE_TABLE]> {
        self.base
            .get_or_init(|| self.group.base_table(&self.g))
            .as_ref()
    }

    /// The wire form (see [`Curve::verify`]) parsed, then RFC 7091 §6.2.
    fn verify(&self, digest: &[u8], signature: &[u8], public_key: &[u8]) -> Result<(), GostError> {
        if public_key.len() != 2 * Self::LEN {
            return Err(GostError::BadPublicKey);
        }
        if signature.len() != 2 * Self::LEN {
            return Err(GostError::BadSignatureEncoding);
        }
        if digest.len() > Self::LEN {
            return Err(GostError::DigestSize);
        }
        let (xs, ys) = public_key.split_at(Self::LEN);
        let key = self
            .group
            .point(&Uint::from_le_slice(xs), &Uint::from_le_slice(ys))
            .ok_or(GostError::BadPublicKey)?;
        let (ss, rs) = signature.split_at(Self::LEN);
        let (s, r) = (Uint::from_be_slice(ss), Uint::from_be_slice(rs));
        let mut e = [0u8; 64];
        e[..digest.len()].copy_from_slice(digest);
        self.verify_integers(&Uint::from_le_slice(&e[..Self::LEN]), &r, &s, &key)
    }

    /// RFC 7091 §6.2 steps 1–6 on integers, the key already on the curve.
    fn verify_integers(
        &self,
        e: &Uint<L>,
        r: &Uint<L>,
        s: &Uint<L>,
        key: &Affine<L>,
    ) -> Result<(), GostError> {
        let q = self.q();
        if *r == Uint::ZERO || *s == Uint::ZERO || r >= q || s >= q {
            return Err(GostError::BadSignatureEncoding);
        }
        let fq = &self.fq;
        let mut e = fq.montgomery(e);
        if e == Uint::ZERO {
            e = fq.one();
        }
        let v = fq.invert(&e).ok_or(GostError::Mismatch)?;
        let z1 = fq.plain(&fq.mul(&fq.montgomery(s), &v));
        let z2 = fq.plain(&fq.neg(&fq.mul(&fq.montgomery(r), &v)));
        let base = self.base().ok_or(GostError::Mismatch)?;
        let c = self.group.mul2(&z1, base, &z2, key);
        if c.is_infinity() {
            return Err(GostError::Mismatch);
        }
        // R = x_C mod q. Instead of inverting Z, look for an x ≡ r (mod q)
        // below p with X = x·Z² (`Group::has_x`): x_C < p, and p < 5q on
        // every set, so at most five candidates.
        let p = self.group.fp.modulus();
        let mut x = *r;
        while x < *p {
            if self.group.has_x(&c, &x) {
                return Ok(());
            }
            let (next, carry) = x.adc(q, Limb::ZERO);
            if carry != Limb::ZERO {
                break;
            }
            x = next;
        }
        Err(GostError::Mismatch)
    }
}

impl Curve {
    fn new(hex: &CurveHex) -> Option<Curve> {
        let width = match hex.len {
            32 => Width::Bits256(Box::new(Arith::new(hex)?)),
            64 => Width::Bits512(Box::new(Arith::new(hex)?)),
            _ => return None,
        };
        Some(Curve {
            name: hex.name,
            len: hex.len,
            width,
        })
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
        match &self.width {
            Width::Bits256(c) => c.verify(digest, signature, public_key),
            Width::Bits512(c) => c.verify(digest, signature, public_key),
        }
    }
}

/// Short names of the parameter-set OIDs, for reports.
pub fn param_set_name(oid: &str) -> Option<&'static str> {
    PARAM_SETS
        .iter()
        .find(|(o, _, _)| *o == oid)
        .map(|(_, name, _)| *name)
}

/// Every curve, built once.
fn curves() -> &'static [Curve] {
    static BUILT: OnceLock<Vec<Curve>> = OnceLock::new();
    BUILT.get_or_init(|| CURVES.iter().filter_map(|hex| Curve::new(hex)).collect())
}

/// The curve of a public-key parameter set, by dotted OID.
pub fn curve_for_param_set(oid: &str) -> Option<&'static Curve> {
    let (_, _, hex) = PARAM_SETS.iter().find(|(o, _, _)| *o == oid)?;
    curves().iter().find(|c| c.name == hex.name)
}
