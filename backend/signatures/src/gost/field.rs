//! Arithmetic modulo an odd prime in Montgomery form, on `crypto-bigint`'s
//! fixed-size integers (`Uint<4>` for 256-bit curves, `Uint<8>` for 512):
//! every value lives on the stack, nothing is allocated.
//!
//! An element is a `Uint<L>` holding `x·R mod m` (`R = 2^(64·L)`), always
//! fully reduced (`< m`), so two elements are equal exactly when their
//! representations are. The multiplication is `crypto-bigint`'s schoolbook
//! product followed by its Montgomery reduction (HAC 14.32); additions are its
//! `add_mod`/`sub_mod`. Those happen to run in constant time, but nothing here
//! relies on it: verification handles public data only (docs/signatures.md).

use crypto_bigint::modular::montgomery_reduction;
use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Limb, Uint, Word};

/// The residues modulo one odd modulus `m < 2^(64·L)`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field<const L: usize> {
    params: DynResidueParams<L>,
    modulus: Uint<L>,
    /// `−m⁻¹ mod 2^64`, the reduction's constant.
    neg_inv: Limb,
    one: Uint<L>,
}

impl<const L: usize> Field<L> {
    /// The field of an odd `modulus`; `None` when it is even or below 3.
    pub fn new(modulus: Uint<L>) -> Option<Field<L>> {
        if modulus.as_words()[0] & 1 == 0 || modulus <= Uint::ONE {
            return None;
        }
        let params = DynResidueParams::new(&modulus);
        // −m⁻¹ mod 2^64 from the lowest word, as `DynResidueParams` computes it
        // (it keeps the value private).
        let low = Uint::<1>::from_words([modulus.as_words()[0]]);
        let neg_inv =
            Limb(Word::MIN.wrapping_sub(low.inv_mod2k_vartime(Word::BITS as usize).as_words()[0]));
        Some(Field {
            params,
            modulus,
            neg_inv,
            one: *DynResidue::one(params).as_montgomery(),
        })
    }

    pub fn modulus(&self) -> &Uint<L> {
        &self.modulus
    }

    /// `x mod m` into Montgomery form (any `x < 2^(64·L)`).
    pub fn montgomery(&self, x: &Uint<L>) -> Uint<L> {
        *DynResidue::new(x, self.params).as_montgomery()
    }

    /// Back from Montgomery form.
    pub fn plain(&self, x: &Uint<L>) -> Uint<L> {
        DynResidue::from_montgomery(*x, self.params).retrieve()
    }

    pub fn one(&self) -> Uint<L> {
        self.one
    }

    pub fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        montgomery_reduction(&a.mul_wide(b), &self.modulus, self.neg_inv)
    }

    pub fn square(&self, a: &Uint<L>) -> Uint<L> {
        montgomery_reduction(&a.square_wide(), &self.modulus, self.neg_inv)
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
        let (inv, ok) = DynResidue::from_montgomery(*a, self.params).invert();
        bool::from(ok).then(|| *inv.as_montgomery())
    }
}
