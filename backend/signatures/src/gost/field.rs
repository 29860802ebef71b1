//! Arithmetic modulo an odd prime on `crypto-bigint`'s fixed-size integers
//! (`Uint<4>` for 256-bit curves, `Uint<8>` for 512): every value lives on
//! the stack, nothing is allocated.
//!
//! An element is a `Uint<L>` always fully reduced (`< m`), so two elements
//! are equal exactly when their representations are. It holds one of two
//! forms, fixed per modulus:
//! - **Montgomery**, `x·R mod m` with `R = 2^(64·L)`: the multiplication is
//!   a schoolbook product (our own, below, on the integer's words) followed
//!   by `crypto-bigint`'s Montgomery reduction (HAC Alg. 14.32). Every
//!   modulus can use it.
//! - **special**, `x` itself, for a modulus `m = 2^(64·L) − c` with a small
//!   `c` (the primes of CryptoPro A = tc26 256-B, tc26 256-A, 512-A and
//!   512-C): the same product, then `2^(64·L) ≡ c` folds the high half into
//!   the low one with `L` word multiplications instead of `L²` (HAC 14.3.4).
//!
//! Products, squares, additions and subtractions are word loops of our own
//! (the end of this file) in variable time, on purpose: verification
//! handles public data only (docs/signatures.md). `crypto-bigint` keeps the
//! integer type, the Montgomery reduction, conversions and the inversion.

use crypto_bigint::modular::montgomery_reduction;
use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Limb, Uint, Word};

/// The residues modulo one odd modulus `m < 2^(64·L)`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field<const L: usize> {
    params: DynResidueParams<L>,
    modulus: Uint<L>,
    form: Form,
    one: Uint<L>,
}

/// How elements are held; see the module's comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// With `−m⁻¹ mod 2^64`, the reduction's constant.
    Montgomery(Limb),
    /// With `c = 2^(64·L) − m`, below 2^32.
    Special(Word),
}

impl<const L: usize> Field<L> {
    /// The field of an odd `modulus`; `None` when it is even or below 3.
    pub fn new(modulus: Uint<L>) -> Option<Field<L>> {
        if modulus.as_words()[0] & 1 == 0 || modulus <= Uint::ONE {
            return None;
        }
        let params = DynResidueParams::new(&modulus);
        let c = modulus.wrapping_neg();
        if c < Uint::from_u64(1 << 32) {
            return Some(Field {
                params,
                modulus,
                form: Form::Special(c.as_words()[0]),
                one: Uint::ONE,
            });
        }
        // −m⁻¹ mod 2^64 from the lowest word, as `DynResidueParams` computes it
        // (it keeps the value private).
        let low = Uint::<1>::from_words([modulus.as_words()[0]]);
        let inv = low.inv_mod2k_vartime(Word::BITS as usize).as_words()[0];
        Some(Field {
            params,
            modulus,
            form: Form::Montgomery(Limb(Word::MIN.wrapping_sub(inv))),
            one: *DynResidue::one(params).as_montgomery(),
        })
    }

    pub fn modulus(&self) -> &Uint<L> {
        &self.modulus
    }

    /// `x mod m` (any `x < 2^(64·L)`) into the field's form.
    pub fn montgomery(&self, x: &Uint<L>) -> Uint<L> {
        match self.form {
            Form::Montgomery(_) => *DynResidue::new(x, self.params).as_montgomery(),
            // x < 2^(64·L) < 2m
            Form::Special(_) => self.reduce_once(*x.as_words()),
        }
    }

    /// Back to a plain integer below `m`.
    pub fn plain(&self, x: &Uint<L>) -> Uint<L> {
        match self.form {
            Form::Montgomery(_) => DynResidue::from_montgomery(*x, self.params).retrieve(),
            Form::Special(_) => *x,
        }
    }

    pub fn one(&self) -> Uint<L> {
        self.one
    }

    pub fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        self.reduce(product(a.as_words(), b.as_words()))
    }

    pub fn square(&self, a: &Uint<L>) -> Uint<L> {
        self.reduce(square(a.as_words()))
    }

    /// `lo + hi·2^(64·L)`, a product of two elements, back into the field.
    fn reduce(&self, (lo, hi): ([Word; L], [Word; L])) -> Uint<L> {
        match self.form {
            Form::Montgomery(neg_inv) => montgomery_reduction(
                &(Uint::from_words(lo), Uint::from_words(hi)),
                &self.modulus,
                neg_inv,
            ),
            Form::Special(c) => {
                // lo + hi·c: L words and a top word below c + 1.
                let mut words = lo;
                let mut top: Word = 0;
                for (w, h) in words.iter_mut().zip(hi) {
                    let t = u128::from(h) * u128::from(c) + u128::from(*w) + u128::from(top);
                    *w = t as Word;
                    top = (t >> Word::BITS) as Word;
                }
                // top·2^(64·L) ≡ top·c, below 2^64 (c < 2^32); one more carry
                // at most, and then the sum is small, so adding c cannot carry.
                if add_word(&mut words, top * c) {
                    add_word(&mut words, c);
                }
                self.reduce_once(words)
            }
        }
    }

    /// `x − m` when `x ≥ m`, for `x < 2m`.
    fn reduce_once(&self, mut x: [Word; L]) -> Uint<L> {
        if !below(&x, self.modulus.as_words()) {
            sub_words(&mut x, self.modulus.as_words());
        }
        Uint::from_words(x)
    }

    pub fn add(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        let mut sum = *a.as_words();
        // a + b < 2m: past 2^(64·L) or not below m, m comes off once.
        if add_words(&mut sum, b.as_words()) || !below(&sum, self.modulus.as_words()) {
            sub_words(&mut sum, self.modulus.as_words());
        }
        Uint::from_words(sum)
    }

    pub fn sub(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        let mut diff = *a.as_words();
        if sub_words(&mut diff, b.as_words()) {
            add_words(&mut diff, self.modulus.as_words());
        }
        Uint::from_words(diff)
    }

    pub fn neg(&self, a: &Uint<L>) -> Uint<L> {
        self.sub(&Uint::ZERO, a)
    }

    pub fn double(&self, a: &Uint<L>) -> Uint<L> {
        self.add(a, a)
    }

    /// `a⁻¹`, or `None` for zero: the binary extended Euclidean algorithm
    /// (HAC Alg. 14.61 for an odd modulus), variable time, on the plain
    /// value. Invariants: `x1·a ≡ u` and `x2·a ≡ v (mod m)`, `u` and `v` odd
    /// after the halvings; the smaller is taken from the larger until one
    /// is 1. A common factor (only with a modulus not prime) ends at `u = 0`.
    pub fn invert(&self, a: &Uint<L>) -> Option<Uint<L>> {
        let m = self.modulus.as_words();
        let (mut u, mut v) = (*self.plain(a).as_words(), *m);
        let (mut x1, mut x2) = (*Uint::<L>::ONE.as_words(), [0; L]);
        let is_one = |w: &[Word; L]| w[0] == 1 && w[1..].iter().all(|&x| x == 0);
        let halve = |w: &mut [Word; L], x: &mut [Word; L]| {
            while w[0] & 1 == 0 {
                shift_right(w, false);
                let carry = x[0] & 1 == 1 && add_words(x, m);
                shift_right(x, carry);
            }
        };
        loop {
            if u.iter().all(|&x| x == 0) {
                return None;
            }
            halve(&mut u, &mut x1);
            halve(&mut v, &mut x2);
            if is_one(&u) {
                return Some(self.montgomery(&Uint::from_words(x1)));
            }
            if is_one(&v) {
                return Some(self.montgomery(&Uint::from_words(x2)));
            }
            let (big, small, xb, xs) = if below(&u, &v) {
                (&mut v, &u, &mut x2, &x1)
            } else {
                (&mut u, &v, &mut x1, &x2)
            };
            sub_words(big, small);
            if sub_words(xb, xs) {
                add_words(xb, m);
            }
        }
    }

    /// `x^e`, left to right (variable time; used when a curve is set up).
    pub fn pow(&self, x: &Uint<L>, e: &Uint<L>) -> Uint<L> {
        let mut acc = self.one;
        for i in (0..e.bits_vartime()).rev() {
            acc = self.square(&acc);
            if e.bit_vartime(i) {
                acc = self.mul(&acc, x);
            }
        }
        acc
    }

    /// A square root of `x`, if it has one and `m ≡ 3 (mod 4)`
    /// (`x^((m+1)/4)`); `None` otherwise.
    pub fn sqrt(&self, x: &Uint<L>) -> Option<Uint<L>> {
        if self.modulus.as_words()[0] & 3 != 3 {
            return None;
        }
        // (m + 1)/4 without overflow: m >> 2 plus the carry of 3 + 1.
        let root = self.pow(x, &self.modulus.shr_vartime(2).wrapping_add(&Uint::ONE));
        (self.square(&root) == *x).then_some(root)
    }

    /// Whether the field uses the special form (for tests).
    #[cfg(test)]
    pub fn is_special(&self) -> bool {
        matches!(self.form, Form::Special(_))
    }
}

// The word arithmetic under `Field`, on `[Word; L]` (64-bit words, least
// significant first). `crypto-bigint` 0.5 has the same operations, but as
// `const fn`s written for constant time; these, with constant loop bounds
// the compiler unrolls and early exits where the data is public, make a
// 512-bit product ~25% faster and an addition about twice as fast
// (docs/benchmarks.md). The tests compare every field operation built on
// them with the `num-bigint` oracle.

/// `t + a·b + carry` as (low word, high word); never overflows.
#[inline(always)]
fn mac(t: Word, a: Word, b: Word, carry: Word) -> (Word, Word) {
    let v = u128::from(a) * u128::from(b) + u128::from(t) + u128::from(carry);
    (v as Word, (v >> Word::BITS) as Word)
}

/// The word `k` of a double-width value held as `(lo, hi)`.
#[inline(always)]
fn slot<'a, const L: usize>(
    lo: &'a mut [Word; L],
    hi: &'a mut [Word; L],
    k: usize,
) -> &'a mut Word {
    if k < L { &mut lo[k] } else { &mut hi[k - L] }
}

/// `a·b` as (low half, high half): schoolbook.
// Index loops: the iterator forms measured ~20% slower (not unrolled).
#[allow(clippy::needless_range_loop)]
#[inline]
fn product<const L: usize>(a: &[Word; L], b: &[Word; L]) -> ([Word; L], [Word; L]) {
    let (mut lo, mut hi) = ([0; L], [0; L]);
    for i in 0..L {
        let mut carry = 0;
        for j in 0..L {
            let w = slot(&mut lo, &mut hi, i + j);
            (*w, carry) = mac(*w, a[i], b[j], carry);
        }
        hi[i] = carry;
    }
    (lo, hi)
}

/// `a²` as (low half, high half): the products `a_i·a_j` with `i < j` once,
/// doubled, then the squares `a_i²` added.
#[allow(clippy::needless_range_loop)]
#[inline]
fn square<const L: usize>(a: &[Word; L]) -> ([Word; L], [Word; L]) {
    let (mut lo, mut hi) = ([0; L], [0; L]);
    for i in 0..L.saturating_sub(1) {
        let mut carry = 0;
        for j in i + 1..L {
            let w = slot(&mut lo, &mut hi, i + j);
            (*w, carry) = mac(*w, a[i], a[j], carry);
        }
        hi[i] = carry;
    }
    let mut shifted_out = 0;
    for k in 0..2 * L {
        let w = slot(&mut lo, &mut hi, k);
        (*w, shifted_out) = ((*w << 1) | shifted_out, *w >> (Word::BITS - 1));
    }
    let mut carry = 0;
    for (i, &x) in a.iter().enumerate() {
        let sq = u128::from(x) * u128::from(x);
        let w = slot(&mut lo, &mut hi, 2 * i);
        let low = u128::from(*w) + u128::from(sq as Word) + u128::from(carry);
        *w = low as Word;
        let w = slot(&mut lo, &mut hi, 2 * i + 1);
        let high = u128::from(*w) + (sq >> Word::BITS) + (low >> Word::BITS);
        *w = high as Word;
        carry = (high >> Word::BITS) as Word;
    }
    (lo, hi)
}

/// `a += b`; whether it carried out.
#[inline]
fn add_words<const L: usize>(a: &mut [Word; L], b: &[Word; L]) -> bool {
    let mut carry = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (s, c1) = x.overflowing_add(*y);
        let (s, c2) = s.overflowing_add(Word::from(carry));
        (*x, carry) = (s, c1 | c2);
    }
    carry
}

/// `a += w`; whether it carried out.
#[inline]
fn add_word<const L: usize>(a: &mut [Word; L], mut w: Word) -> bool {
    for x in a.iter_mut() {
        let carry;
        (*x, carry) = x.overflowing_add(w);
        if !carry {
            return false;
        }
        w = 1;
    }
    true
}

/// `a −= b`; whether it borrowed.
#[inline]
fn sub_words<const L: usize>(a: &mut [Word; L], b: &[Word; L]) -> bool {
    let mut borrow = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (d, b1) = x.overflowing_sub(*y);
        let (d, b2) = d.overflowing_sub(Word::from(borrow));
        (*x, borrow) = (d, b1 | b2);
    }
    borrow
}

/// `a >>= 1`, `top` shifted in at the top.
#[inline]
fn shift_right<const L: usize>(a: &mut [Word; L], top: bool) {
    for i in 0..L {
        let next = a.get(i + 1).map_or(Word::from(top), |&w| w & 1);
        a[i] = (a[i] >> 1) | (next << (Word::BITS - 1));
    }
}

/// `a < b`, from the top word down.
#[inline]
fn below<const L: usize>(a: &[Word; L], b: &[Word; L]) -> bool {
    for (x, y) in a.iter().zip(b).rev() {
        if x != y {
            return x < y;
        }
    }
    false
}
