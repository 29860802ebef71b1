//! Points of `y² = x³ + a·x + b` over a [`Field`], and the double-scalar
//! multiplication `z1·G + z2·Q` of verification: width-w NAF for both
//! scalars (Hankerson–Menezes–Vanstone, *Guide to ECC*, Alg. 3.35 and 3.51),
//! one shared run of doublings (Straus–Shamir), odd multiples of `G`
//! precomputed once per curve in affine form (mixed additions), odd
//! multiples of `Q` computed per call in Jacobian form.
//!
//! Variable time on purpose: every input is public (the key, the signature,
//! the digest). Nothing is allocated; the tables are fixed-size arrays.

use crypto_bigint::Uint;

use super::field::Field;

/// Window of the base point's NAF: 2^(w−2) = 64 precomputed odd multiples.
pub(super) const W_BASE: usize = 8;
/// Window of the public key's NAF: 2^(w−2) = 8 odd multiples per call.
const W_KEY: usize = 5;
pub(super) const BASE_TABLE: usize = 1 << (W_BASE - 2);
const KEY_TABLE: usize = 1 << (W_KEY - 2);
/// Room for the NAF of any scalar below 2^512 with a window up to 8.
const NAF_LEN: usize = 512 + W_BASE;

/// An affine point (Montgomery-form coordinates); never the infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Affine<const L: usize> {
    pub x: Uint<L>,
    pub y: Uint<L>,
}

/// A point in Jacobian coordinates `(X/Z², Y/Z³)`; `Z = 0` is the infinity.
#[derive(Debug, Clone, Copy)]
pub(super) struct Jacobian<const L: usize> {
    pub x: Uint<L>,
    pub y: Uint<L>,
    pub z: Uint<L>,
}

impl<const L: usize> Jacobian<L> {
    pub const INFINITY: Jacobian<L> = Jacobian {
        x: Uint::ONE,
        y: Uint::ONE,
        z: Uint::ZERO,
    };

    pub fn is_infinity(&self) -> bool {
        self.z == Uint::ZERO
    }
}

/// A curve's coefficients over its prime field.
///
/// A curve with another `a` is used, when it can be, through the
/// isomorphism `(x, y) ↦ (u²·x, u³·y)` onto `y² = x³ + u⁴a·x + u⁶b` with
/// `u⁴ = −3/a` (tc26 512-C and the 512-bit test set: `p ≡ 3 (mod 4)` and
/// `−3/a` a square): the cheaper doubling then serves every set but tc26
/// 256-A and the 256-bit test set. Points enter through [`Group::point`]
/// and leave through [`Group::coordinates`] or [`Group::has_x`], which undo
/// the map; inside, every point and table is on the isomorphic curve.
#[derive(Debug, Clone, Copy)]
pub(super) struct Group<const L: usize> {
    pub fp: Field<L>,
    /// `a` and `b` of the curve computed on, field form.
    a: Uint<L>,
    b: Uint<L>,
    /// `a = −3`: the cheaper doubling (CryptoPro A/B/C, tc26 512-A/B, and
    /// through the isomorphism tc26 512-C).
    a_is_minus_3: bool,
    /// `(u², u³)` of the isomorphism, field form; `None` without one.
    iso: Option<(Uint<L>, Uint<L>)>,
}

impl<const L: usize> Group<L> {
    /// The curve `y² = x³ + a·x + b (mod p)`, coefficients as plain integers.
    pub fn new(fp: Field<L>, a: &Uint<L>, b: &Uint<L>) -> Group<L> {
        let (a, b) = (fp.montgomery(a), fp.montgomery(b));
        let minus_3 = fp.neg(&fp.montgomery(&Uint::from_u8(3)));
        let plain = Group {
            fp,
            a,
            b,
            a_is_minus_3: a == minus_3,
            iso: None,
        };
        if plain.a_is_minus_3 {
            return plain;
        }
        // u² = a square root of −3/a that is itself a square (of u): with
        // p ≡ 3 (mod 4) exactly one of ±√(−3/a) is.
        let Some(root) = fp
            .invert(&a)
            .and_then(|inv| fp.sqrt(&fp.mul(&minus_3, &inv)))
        else {
            return plain;
        };
        let (u2, u) = match fp.sqrt(&root) {
            Some(u) => (root, u),
            None => match fp.sqrt(&fp.neg(&root)) {
                Some(u) => (fp.neg(&root), u),
                None => return plain,
            },
        };
        let u4a = fp.mul(&fp.square(&u2), &a);
        if u4a != minus_3 {
            return plain;
        }
        Group {
            fp,
            a: u4a,
            b: fp.mul(&fp.mul(&fp.square(&u2), &u2), &b),
            a_is_minus_3: true,
            iso: Some((u2, fp.mul(&u2, &u))),
        }
    }

    /// Whether the curve is computed on through the isomorphism (for tests).
    #[cfg(test)]
    pub fn is_isomorphic(&self) -> bool {
        self.iso.is_some()
    }

    /// The affine point of plain coordinates, if both are below `p` and it
    /// lies on the curve.
    pub fn point(&self, x: &Uint<L>, y: &Uint<L>) -> Option<Affine<L>> {
        let p = self.fp.modulus();
        if x >= p || y >= p {
            return None;
        }
        let (mut x, mut y) = (self.fp.montgomery(x), self.fp.montgomery(y));
        if let Some((u2, u3)) = &self.iso {
            (x, y) = (self.fp.mul(&x, u2), self.fp.mul(&y, u3));
        }
        let pt = Affine { x, y };
        self.is_on_curve(&pt).then_some(pt)
    }

    /// The plain affine coordinates of a point, `None` at infinity (for
    /// tests: two more inversions than verification needs).
    #[cfg(test)]
    pub fn coordinates(&self, pt: &Jacobian<L>) -> Option<(Uint<L>, Uint<L>)> {
        let f = &self.fp;
        let Affine { mut x, mut y } = self.normalize(pt)?;
        if let Some((u2, u3)) = &self.iso {
            x = f.mul(&x, &f.invert(u2)?);
            y = f.mul(&y, &f.invert(u3)?);
        }
        Some((f.plain(&x), f.plain(&y)))
    }

    /// Whether the affine `x` of `pt` (not the infinity) is `x` (plain,
    /// below `p`), without an inversion: `X = x·Z²` (`u²·x·Z²` through the
    /// isomorphism).
    pub fn has_x(&self, pt: &Jacobian<L>, x: &Uint<L>) -> bool {
        let f = &self.fp;
        let mut x = f.montgomery(x);
        if let Some((u2, _)) = &self.iso {
            x = f.mul(&x, u2);
        }
        f.mul(&x, &f.square(&pt.z)) == pt.x
    }

    fn is_on_curve(&self, pt: &Affine<L>) -> bool {
        let f = &self.fp;
        let rhs = f.mul(&f.add(&f.square(&pt.x), &self.a), &pt.x);
        f.square(&pt.y) == f.add(&rhs, &self.b)
    }

    pub fn jacobian(&self, pt: &Affine<L>) -> Jacobian<L> {
        Jacobian {
            x: pt.x,
            y: pt.y,
            z: self.fp.one(),
        }
    }

    /// The affine point (still Montgomery form), `None` at infinity.
    pub fn normalize(&self, pt: &Jacobian<L>) -> Option<Affine<L>> {
        let f = &self.fp;
        let zinv = f.invert(&pt.z)?;
        let zinv2 = f.square(&zinv);
        Some(Affine {
            x: f.mul(&pt.x, &zinv2),
            y: f.mul(&pt.y, &f.mul(&zinv2, &zinv)),
        })
    }

    /// `2·P`: dbl-2001-b (3M + 5S) when `a = −3`, dbl-2007-bl otherwise
    /// (Explicit-Formulas Database, Jacobian coordinates).
    pub fn double(&self, pt: &Jacobian<L>) -> Jacobian<L> {
        let f = &self.fp;
        if pt.is_infinity() || pt.y == Uint::ZERO {
            return Jacobian::INFINITY;
        }
        if self.a_is_minus_3 {
            let delta = f.square(&pt.z);
            let gamma = f.square(&pt.y);
            let beta = f.mul(&pt.x, &gamma);
            let t = f.mul(&f.sub(&pt.x, &delta), &f.add(&pt.x, &delta));
            let alpha = f.add(&f.double(&t), &t);
            let beta4 = f.double(&f.double(&beta));
            let x3 = f.sub(&f.square(&alpha), &f.double(&beta4));
            let z3 = f.sub(&f.sub(&f.square(&f.add(&pt.y, &pt.z)), &gamma), &delta);
            let gamma8 = f.double(&f.double(&f.double(&f.square(&gamma))));
            let y3 = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x3)), &gamma8);
            return Jacobian {
                x: x3,
                y: y3,
                z: z3,
            };
        }
        let xx = f.square(&pt.x);
        let yy = f.square(&pt.y);
        let yyyy = f.square(&yy);
        let zz = f.square(&pt.z);
        let s = f.double(&f.sub(&f.sub(&f.square(&f.add(&pt.x, &yy)), &xx), &yyyy));
        let m = f.add(&f.add(&f.double(&xx), &xx), &f.mul(&self.a, &f.square(&zz)));
        let x3 = f.sub(&f.square(&m), &f.double(&s));
        let yyyy8 = f.double(&f.double(&f.double(&yyyy)));
        let y3 = f.sub(&f.mul(&m, &f.sub(&s, &x3)), &yyyy8);
        let z3 = f.sub(&f.sub(&f.square(&f.add(&pt.y, &pt.z)), &yy), &zz);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `P1 + P2`: add-2007-bl (11M + 5S), doubling when the points are equal.
    pub fn add(&self, p1: &Jacobian<L>, p2: &Jacobian<L>) -> Jacobian<L> {
        let f = &self.fp;
        if p1.is_infinity() {
            return *p2;
        }
        if p2.is_infinity() {
            return *p1;
        }
        let z1z1 = f.square(&p1.z);
        let z2z2 = f.square(&p2.z);
        let u1 = f.mul(&p1.x, &z2z2);
        let u2 = f.mul(&p2.x, &z1z1);
        let s1 = f.mul(&p1.y, &f.mul(&p2.z, &z2z2));
        let s2 = f.mul(&p2.y, &f.mul(&p1.z, &z1z1));
        let h = f.sub(&u2, &u1);
        let r = f.double(&f.sub(&s2, &s1));
        if h == Uint::ZERO {
            return if r == Uint::ZERO {
                self.double(p1)
            } else {
                Jacobian::INFINITY
            };
        }
        let i = f.square(&f.double(&h));
        let j = f.mul(&h, &i);
        let v = f.mul(&u1, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.double(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.double(&f.mul(&s1, &j)));
        let zsum = f.square(&f.add(&p1.z, &p2.z));
        let z3 = f.mul(&f.sub(&f.sub(&zsum, &z1z1), &z2z2), &h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `P1 + P2` with `P2` affine: madd-2007-bl (7M + 4S).
    pub fn add_affine(&self, p1: &Jacobian<L>, p2: &Affine<L>) -> Jacobian<L> {
        let f = &self.fp;
        if p1.is_infinity() {
            return self.jacobian(p2);
        }
        let z1z1 = f.square(&p1.z);
        let u2 = f.mul(&p2.x, &z1z1);
        let s2 = f.mul(&p2.y, &f.mul(&p1.z, &z1z1));
        let h = f.sub(&u2, &p1.x);
        let r = f.double(&f.sub(&s2, &p1.y));
        if h == Uint::ZERO {
            return if r == Uint::ZERO {
                self.double(p1)
            } else {
                Jacobian::INFINITY
            };
        }
        let hh = f.square(&h);
        let i = f.double(&f.double(&hh));
        let j = f.mul(&h, &i);
        let v = f.mul(&p1.x, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.double(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.double(&f.mul(&p1.y, &j)));
        let z3 = f.sub(&f.sub(&f.square(&f.add(&p1.z, &h)), &z1z1), &hh);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn neg(&self, pt: &Jacobian<L>) -> Jacobian<L> {
        Jacobian {
            y: self.fp.neg(&pt.y),
            ..*pt
        }
    }

    fn neg_affine(&self, pt: &Affine<L>) -> Affine<L> {
        Affine {
            x: pt.x,
            y: self.fp.neg(&pt.y),
        }
    }

    /// `[P, 3P, 5P, …]`, Jacobian.
    fn odd_multiples<const N: usize>(&self, pt: &Affine<L>) -> [Jacobian<L>; N] {
        let first = self.jacobian(pt);
        let twice = self.double(&first);
        let mut table = [first; N];
        for i in 1..N {
            table[i] = self.add(&table[i - 1], &twice);
        }
        table
    }

    /// The odd multiples `[G, 3G, …, 127G]` of a base point, affine; `None`
    /// if one of them is the infinity (`G` of order below 128: not a base
    /// point of any standard set).
    pub fn base_table(&self, g: &Affine<L>) -> Option<[Affine<L>; BASE_TABLE]> {
        let jac: [Jacobian<L>; BASE_TABLE] = self.odd_multiples(g);
        let mut table = [*g; BASE_TABLE];
        for (slot, pt) in table.iter_mut().zip(&jac) {
            *slot = self.normalize(pt)?;
        }
        Some(table)
    }

    /// `z1·G + z2·Q`, with `base` the odd multiples of `G` from
    /// [`Group::base_table`].
    pub fn mul2(
        &self,
        z1: &Uint<L>,
        base: &[Affine<L>; BASE_TABLE],
        z2: &Uint<L>,
        q: &Affine<L>,
    ) -> Jacobian<L> {
        let naf1 = wnaf(z1, W_BASE);
        let naf2 = wnaf(z2, W_KEY);
        let key: [Jacobian<L>; KEY_TABLE] = self.odd_multiples(q);
        let top = naf1
            .iter()
            .zip(&naf2)
            .rposition(|(a, b)| *a != 0 || *b != 0);
        let mut acc = Jacobian::INFINITY;
        for i in (0..=top.unwrap_or(0)).rev() {
            acc = self.double(&acc);
            let (d1, d2) = (naf1[i], naf2[i]);
            if d1 > 0 {
                acc = self.add_affine(&acc, &base[(d1 / 2) as usize]);
            } else if d1 < 0 {
                acc = self.add_affine(&acc, &self.neg_affine(&base[(-d1 / 2) as usize]));
            }
            if d2 > 0 {
                acc = self.add(&acc, &key[(d2 / 2) as usize]);
            } else if d2 < 0 {
                acc = self.add(&acc, &self.neg(&key[(-d2 / 2) as usize]));
            }
        }
        acc
    }
}

/// The width-`w` NAF of `k` (`2 ≤ w ≤ 8`), least significant digit first:
/// every non-zero digit is odd and below 2^(w−1) in absolute value, and
/// any `w` consecutive digits hold at most one that is non-zero.
pub(super) fn wnaf<const L: usize>(k: &Uint<L>, w: usize) -> [i8; NAF_LEN] {
    let mut naf = [0i8; NAF_LEN];
    let words = k.as_words();
    let bits = 64 * L;
    // The window of `w` bits at `pos` (bits past the top read as zero).
    let window_at = |pos: usize| -> u64 {
        let (i, shift) = (pos / 64, pos % 64);
        let low = words.get(i).map_or(0, |x| x >> shift);
        let high = match (shift, words.get(i + 1)) {
            (0, _) | (_, None) => 0,
            (_, Some(x)) => x << (64 - shift),
        };
        (low | high) & ((1 << w) - 1)
    };
    let width = 1u64 << w;
    let mut carry = 0u64;
    let mut pos = 0;
    while pos < bits {
        let window = carry + window_at(pos);
        if window & 1 == 0 {
            // A zero digit; a carry here met a set bit and moves up with `pos`.
            pos += 1;
            continue;
        }
        let digit = if window < width / 2 {
            carry = 0;
            window as i64
        } else {
            carry = 1;
            window as i64 - width as i64
        };
        naf[pos] = digit as i8;
        pos += w;
    }
    if carry == 1 {
        naf[pos] = 1;
    }
    naf
}
