//! Arithmetic modulo an odd prime on `crypto-bigint`'s fixed-size integers
//! (`Uint<4>` for 256-bit curves, `Uint<8>` for 512): every value lives on
//! the stack, nothing is allocated.
//!
//! An element is a `Uint<L>` always fully reduced (`< m`), so two elements
//! are equal exactly when their representations are. It holds one of two
//! forms, fixed per modulus:
//! - **Montgomery**, `x·R mod m` with `R = 2^(64·L)`: the multiplication is
//!   `crypto-bigint`'s schoolbook product followed by its Montgomery
//!   reduction (HAC Alg. 14.32). Every modulus can use it.
//! - **special**, `x` itself, for a modulus `m = 2^(64·L) − c` with a small
//!   `c` (the primes of CryptoPro A = tc26 256-B, tc26 256-A, 512-A and
//!   512-C): the same product, then `2^(64·L) ≡ c` folds the high half into
//!   the low one with `L` word multiplications instead of `L²` (HAC 14.3.4).
//!
//! Additions are `crypto-bigint`'s `add_mod`/`sub_mod`. Some of this happens
//! to run in constant time, but nothing relies on it: verification handles
//! public data only (docs/signatures.md).

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
            Form::Special(_) => self.reduce_once(*x),
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
        self.reduce(&a.mul_wide(b))
    }

    pub fn square(&self, a: &Uint<L>) -> Uint<L> {
        self.reduce(&a.square_wide())
    }

    /// `lo + hi·2^(64·L)`, a product of two elements, back into the field.
    fn reduce(&self, wide: &(Uint<L>, Uint<L>)) -> Uint<L> {
        match self.form {
            Form::Montgomery(neg_inv) => montgomery_reduction(wide, &self.modulus, neg_inv),
            Form::Special(c) => {
                // lo + hi·c: L words and a top word below c + 1.
                let (lo, hi) = wide;
                let mut words = *lo.as_words();
                let mut top: Word = 0;
                for (w, h) in words.iter_mut().zip(hi.as_words()) {
                    let t = u128::from(*h) * u128::from(c) + u128::from(*w) + u128::from(top);
                    *w = t as Word;
                    top = (t >> Word::BITS) as Word;
                }
                // top·2^(64·L) ≡ top·c, below 2^64 (c < 2^32); one more carry
                // at most, and then the sum is small, so adding c cannot carry.
                let (sum, carry) =
                    Uint::from_words(words).adc(&Uint::from_u64(top * c), Limb::ZERO);
                let sum = if carry == Limb::ZERO {
                    sum
                } else {
                    sum.wrapping_add(&Uint::from_u64(c))
                };
                self.reduce_once(sum)
            }
        }
    }

    /// `x − m` when `x ≥ m`, for `x < 2m`.
    fn reduce_once(&self, x: Uint<L>) -> Uint<L> {
        if x >= self.modulus {
            x.wrapping_sub(&self.modulus)
        } else {
            x
        }
    }

    pub fn add(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.add_mod(b, &self.modulus)
    }

    pub fn sub(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.sub_mod(b, &self.modulus)
    }

    pub fn neg(&self, a: &Uint<L>) -> Uint<L> {
        Uint::ZERO.sub_mod(a, &self.modulus)
    }

    pub fn double(&self, a: &Uint<L>) -> Uint<L> {
        a.add_mod(a, &self.modulus)
    }

    /// `a⁻¹`, or `None` for zero. Constant time in `crypto-bigint`, which
    /// this does not need; it runs a handful of times per verification.
    pub fn invert(&self, a: &Uint<L>) -> Option<Uint<L>> {
        let residue = match self.form {
            Form::Montgomery(_) => DynResidue::from_montgomery(*a, self.params),
            Form::Special(_) => DynResidue::new(a, self.params),
        };
        let (inv, ok) = residue.invert();
        let inv = match self.form {
            Form::Montgomery(_) => *inv.as_montgomery(),
            Form::Special(_) => inv.retrieve(),
        };
        bool::from(ok).then_some(inv)
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
