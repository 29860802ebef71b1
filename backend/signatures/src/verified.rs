//! Signatures already verified, remembered for the life of the process: a
//! certificate's or a CRL's signature under its issuer's key is a pure
//! function of two DER encodings, so once it has verified it always will,
//! and nothing ever has to invalidate it. A chain seen before then costs no
//! signature check but the CMS signer's own (docs/signatures.md, "Signature
//! checks done once"). Only the signature is remembered: validity times,
//! CA constraints and revocation are checked on every validation by their
//! callers, and failures are not remembered (they are cheap to repeat and
//! may come from a key not supported yet).
//!
//! Process-wide rather than per [`TrustStore`](crate::TrustStore): a store is
//! rebuilt when its CRLs are replaced, and the facts stay true across stores.
//! Bounded: two generations of at most [`GENERATION`] entries each; a lookup
//! moves an entry into the current one, and when that fills up the older
//! generation is dropped — a least-recently-used eviction in O(1).

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

/// Entries per generation; 64 bytes each, so at most ~512 KiB in all.
const GENERATION: usize = 4096;

/// SHA-256 of the signed object's DER, then of the signer certificate's DER.
type Key = [u8; 64];

/// Recently verified (signed object, signer) pairs.
#[derive(Debug)]
pub(crate) struct Seen {
    current: HashSet<Key>,
    previous: HashSet<Key>,
    limit: usize,
}

impl Seen {
    pub fn new(limit: usize) -> Seen {
        Seen {
            current: HashSet::new(),
            previous: HashSet::new(),
            limit,
        }
    }

    fn contains(&mut self, key: &Key) -> bool {
        if self.current.contains(key) {
            return true;
        }
        if self.previous.remove(key) {
            self.insert(*key);
            return true;
        }
        false
    }

    fn insert(&mut self, key: Key) {
        if self.current.len() >= self.limit {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(key);
    }

    /// Runs `verify` unless `signer` was already seen to sign `signed`
    /// (both SHA-256 of their DER), and remembers a success.
    pub fn check<E>(
        this: &Mutex<Seen>,
        signed: &[u8; 32],
        signer: &[u8; 32],
        verify: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), E> {
        let mut key = [0u8; 64];
        key[..32].copy_from_slice(signed);
        key[32..].copy_from_slice(signer);
        // A poisoned lock only loses the memory, never the verification.
        if this.lock().is_ok_and(|mut seen| seen.contains(&key)) {
            return Ok(());
        }
        verify()?;
        if let Ok(mut seen) = this.lock() {
            seen.insert(key);
        }
        Ok(())
    }
}

/// The process's memory of verified signatures.
static SEEN: LazyLock<Mutex<Seen>> = LazyLock::new(|| Mutex::new(Seen::new(GENERATION)));

/// [`Seen::check`] on the process's memory.
pub(crate) fn once<E>(
    signed: &[u8; 32],
    signer: &[u8; 32],
    verify: impl FnOnce() -> Result<(), E>,
) -> Result<(), E> {
    Seen::check(&SEEN, signed, signer, verify)
}

/// Empties the process's memory: the next validation of any chain verifies
/// every signature again.
pub(crate) fn forget() {
    if let Ok(mut seen) = SEEN.lock() {
        seen.current.clear();
        seen.previous.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(seen: &Mutex<Seen>, signed: u8, signer: u8, ok: bool) -> usize {
        let mut n = 0;
        let _ = Seen::check(seen, &[signed; 32], &[signer; 32], || {
            n += 1;
            if ok { Ok(()) } else { Err(()) }
        });
        n
    }

    #[test]
    fn a_success_is_verified_once_a_failure_every_time() {
        let seen = Mutex::new(Seen::new(8));
        assert_eq!(calls(&seen, 1, 2, true), 1);
        assert_eq!(calls(&seen, 1, 2, true), 0);
        // the same object under another signer, and the pair reversed
        assert_eq!(calls(&seen, 1, 3, true), 1);
        assert_eq!(calls(&seen, 2, 1, true), 1);
        assert_eq!(calls(&seen, 4, 2, false), 1);
        assert_eq!(calls(&seen, 4, 2, false), 1);
        // a remembered success never hides a failing verification elsewhere
        assert_eq!(calls(&seen, 1, 2, false), 0);
        assert_eq!(calls(&seen, 5, 2, false), 1);
    }

    #[test]
    fn the_memory_is_bounded_and_keeps_what_is_used() {
        let seen = Mutex::new(Seen::new(4));
        for i in 0..100 {
            calls(&seen, i, 0, true);
            // pair 0 stays in use, so it survives every eviction
            assert_eq!(calls(&seen, 0, 0, true), 0);
        }
        let guard = seen.lock().unwrap();
        assert!(guard.current.len() + guard.previous.len() <= 8);
        drop(guard);
        // an old pair not used since was dropped and is verified again
        assert_eq!(calls(&seen, 1, 0, true), 1);
    }
}
