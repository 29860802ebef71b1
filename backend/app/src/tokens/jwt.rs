//! Access tokens: EdDSA (Ed25519) JWTs with a `kid` header. The algorithm
//! is pinned: a token with any other `alg`, an unknown `kid`, another
//! issuer or a past `exp` is refused. Expiry is checked against the
//! application clock.

use super::keys::KeyPair;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mezha_domain::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use uuid::Uuid;

const ISSUER: &str = "mezha";

/// Tokens remembered as verified (see [`JwtKeys::verify`]); about 400 bytes
/// each.
const VERIFIED_MAX: usize = 10_000;

/// How far in the future a token's `iat` may lie: the clocks of replicas
/// differ a little.
const CLOCK_SKEW_SECS: i64 = 60;

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer, always `mezha`.
    pub iss: String,
    /// Account id.
    pub sub: Uuid,
    /// Session id.
    pub sid: Uuid,
    /// Acting role.
    pub role: Role,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Token id.
    pub jti: Uuid,
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is malformed or its signature does not verify")]
    Invalid,
    #[error("the token has expired")]
    Expired,
}

/// The signing key and every key still accepted for verification.
pub struct JwtKeys {
    kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    ttl: Duration,
    /// Tokens whose signature has verified, with their claims: a client
    /// sends the same token with every request for its 15 minutes, and the
    /// Ed25519 check (~45 µs) is the largest cost of authenticating it.
    /// Keyed by the whole token, so only that exact string is ever trusted.
    verified: Mutex<HashMap<String, Claims>>,
}

impl JwtKeys {
    /// Keys from loaded pairs; the last one signs. Tokens live `ttl`.
    pub fn new(pairs: &[KeyPair], ttl: Duration) -> anyhow::Result<Self> {
        let Some(active) = pairs.last() else {
            anyhow::bail!("at least one signing key is required");
        };
        let signing = EncodingKey::from_ed_pem(active.private_pem.as_bytes())?;
        let verifying = pairs
            .iter()
            .map(|pair| {
                let x = URL_SAFE_NO_PAD.encode(pair.public);
                Ok((pair.kid.clone(), DecodingKey::from_ed_components(&x)?))
            })
            .collect::<anyhow::Result<HashMap<_, _>>>()?;
        Ok(JwtKeys {
            kid: active.kid.clone(),
            signing,
            verifying,
            ttl,
            verified: Mutex::new(HashMap::new()),
        })
    }

    /// Lifetime of issued tokens.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Signs an access token for the session.
    pub fn issue(
        &self,
        user: Uuid,
        session: Uuid,
        role: Role,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let iat = now.timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            sub: user,
            sid: session,
            role,
            iat,
            exp: iat + i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2),
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.signing)?)
    }

    /// Verifies a token and returns its claims.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let known = self
            .verified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(token)
            .cloned();
        let claims = match known {
            Some(claims) => claims,
            None => {
                let claims = self.verify_signature(token)?;
                self.remember(token, &claims, now);
                claims
            }
        };
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        // A token this server signs lives exactly `ttl` from its issue; one
        // that claims longer (made with another configuration, or not by
        // this code) or that was issued in the future is not honoured.
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2);
        if claims.exp - claims.iat > ttl || claims.iat > now.timestamp() + CLOCK_SKEW_SECS {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }

    fn remember(&self, token: &str, claims: &Claims, now: DateTime<Utc>) {
        if claims.exp <= now.timestamp() {
            return;
        }
        let mut verified = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
        if verified.len() >= VERIFIED_MAX {
            verified.retain(|_, c| c.exp > now.timestamp());
            if verified.len() >= VERIFIED_MAX {
                verified.clear();
            }
        }
        verified.insert(token.to_owned(), claims.clone());
    }

    /// The claims of `token` when its header, issuer and signature are right
    /// (expiry is the caller's check).
    fn verify_signature(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.verifying.get(kid))
            .ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, key, &validation)
            .map_err(|_| TokenError::Invalid)?;
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn keys() -> (KeyPair, JwtKeys) {
        let pair = KeyPair::generate().unwrap();
        let again = KeyPair::from_pem(&pair.private_pem).unwrap();
        let jwt = JwtKeys::new(&[again], Duration::from_secs(900)).unwrap();
        (pair, jwt)
    }

    #[test]
    fn issues_and_verifies() {
        let (_, jwt) = keys();
        let now = Utc::now();
        let (user, session) = (Uuid::new_v4(), Uuid::new_v4());
        let token = jwt.issue(user, session, Role::Engineer, now).unwrap();
        let claims = jwt.verify(&token, now).unwrap();
        assert_eq!(
            (claims.sub, claims.sid, claims.role),
            (user, session, Role::Engineer)
        );
        assert_eq!(claims.exp - claims.iat, 900);
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::EdDSA);
        assert!(header.kid.is_some());
    }

    #[test]
    fn expires_on_the_clock() {
        let (_, jwt) = keys();
        let now = Utc::now();
        let token = jwt
            .issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
            .unwrap();
        assert_eq!(
            jwt.verify(&token, now + chrono::Duration::seconds(899))
                .map(|_| ()),
            Ok(())
        );
        assert_eq!(
            jwt.verify(&token, now + chrono::Duration::seconds(900)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn refuses_other_keys_algorithms_and_tampering() {
        let (_, jwt) = keys();
        let (_, other) = keys();
        let now = Utc::now();
        let token = other
            .issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
            .unwrap();
        assert_eq!(jwt.verify(&token, now), Err(TokenError::Invalid));

        // HS256 with the public key as secret, and alg=none: both refused.
        let claims = jwt
            .verify(
                &jwt.issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
                    .unwrap(),
                now,
            )
            .unwrap();
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(jwt.kid.clone());
        let hs =
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(b"secret")).unwrap();
        assert_eq!(jwt.verify(&hs, now), Err(TokenError::Invalid));
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
        );
        assert_eq!(jwt.verify(&none, now), Err(TokenError::Invalid));

        let good = jwt
            .issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
            .unwrap();
        // Even once the genuine token is remembered as verified…
        assert!(jwt.verify(&good, now).is_ok());
        // …flipping one character in the middle of its signature is refused.
        let at = good.rfind('.').unwrap() + 10;
        let flipped = if &good[at..=at] == "A" { "B" } else { "A" };
        let good = format!("{}{flipped}{}", &good[..at], &good[at + 1..]);
        assert!(jwt.verify(&good, now).is_err());
        assert_eq!(jwt.verify("not a token", now), Err(TokenError::Invalid));
    }

    #[test]
    fn rotation_keeps_old_tokens_valid() {
        let old = KeyPair::generate().unwrap();
        let new = KeyPair::generate().unwrap();
        let now = Utc::now();
        let before = JwtKeys::new(
            &[KeyPair::from_pem(&old.private_pem).unwrap()],
            Duration::from_secs(60),
        )
        .unwrap();
        let token = before
            .issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
            .unwrap();
        let after = JwtKeys::new(&[old, new], Duration::from_secs(60)).unwrap();
        assert!(after.verify(&token, now).is_ok());
        let fresh = after
            .issue(Uuid::new_v4(), Uuid::new_v4(), Role::Customer, now)
            .unwrap();
        assert_ne!(
            jsonwebtoken::decode_header(&fresh).unwrap().kid,
            jsonwebtoken::decode_header(&token).unwrap().kid
        );
    }
}
