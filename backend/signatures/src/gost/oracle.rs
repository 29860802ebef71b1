//! The first GOST R 34.10-2012 verifier, on `num-bigint` (a `%` after every
//! multiplication, affine-to-Jacobian, Shamir's trick bit by bit), kept as
//! the test oracle of the Montgomery arithmetic that replaced it: slow and
//! plain enough to check by reading against RFC 7091 §6.2.

use num_bigint::BigUint;

use super::GostError;
use super::params::CurveHex;

/// A GOST R 34.10 curve `y² = x³ + a·x + b (mod p)` with a base point of
/// prime order `q`, on big integers.
#[derive(Debug, Clone)]
pub struct Oracle {
    pub p: BigUint,
    a: BigUint,
    b: BigUint,
    pub q: BigUint,
    gx: BigUint,
    gy: BigUint,
}

pub fn h(s: &str) -> BigUint {
    // The constants are valid hex; a broken one fails the tests, never panics.
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

/// A point in Jacobian coordinates; `z == 0` is the point at infinity.
#[derive(Clone, Debug)]
pub struct Jacobian {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Oracle {
    pub fn new(hex: &CurveHex) -> Oracle {
        Oracle {
            p: h(hex.p),
            a: h(hex.a),
            b: h(hex.b),
            q: h(hex.q),
            gx: h(hex.x),
            gy: h(hex.y),
        }
    }

    /// `G`, affine.
    pub fn base(&self) -> (BigUint, BigUint) {
        (self.gx.clone(), self.gy.clone())
    }

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

    pub fn is_on_curve(&self, x: &BigUint, y: &BigUint) -> bool {
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

    /// `k1·P1 + k2·P2` of affine points, affine; `None` at infinity.
    pub fn mul2_affine(
        &self,
        k1: &BigUint,
        p1: &(BigUint, BigUint),
        k2: &BigUint,
        p2: &(BigUint, BigUint),
    ) -> Option<(BigUint, BigUint)> {
        let (p1, p2) = (Self::affine(&p1.0, &p1.1), Self::affine(&p2.0, &p2.1));
        self.to_affine(&self.mul2(k1, &p1, k2, &p2))
    }

    /// `k·G`, affine.
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
}
