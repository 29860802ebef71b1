//! Digests and signature schemes: which OIDs mean what, hashing, and
//! verifying a signature with a SubjectPublicKeyInfo. Shared by the CMS
//! signer, certificates and CRLs.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::gost;

/// Dotted OIDs used here.
pub mod oid {
    pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
    pub const SHA384: &str = "2.16.840.1.101.3.4.2.2";
    pub const SHA512: &str = "2.16.840.1.101.3.4.2.3";
    pub const STREEBOG256: &str = "1.2.643.7.1.1.2.2";
    pub const STREEBOG512: &str = "1.2.643.7.1.1.2.3";

    pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
    pub const SECP256R1: &str = "1.2.840.10045.3.1.7";
    pub const SECP384R1: &str = "1.3.132.0.34";
    pub const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
    pub const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
    pub const ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";

    pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
    pub const RSA_PSS: &str = "1.2.840.113549.1.1.10";
    pub const MGF1: &str = "1.2.840.113549.1.1.8";
    pub const SHA256_RSA: &str = "1.2.840.113549.1.1.11";
    pub const SHA384_RSA: &str = "1.2.840.113549.1.1.12";
    pub const SHA512_RSA: &str = "1.2.840.113549.1.1.13";

    pub const GOST_2012_256_KEY: &str = "1.2.643.7.1.1.1.1";
    pub const GOST_2012_512_KEY: &str = "1.2.643.7.1.1.1.2";
    pub const GOST_2012_256_SIG: &str = "1.2.643.7.1.1.3.2";
    pub const GOST_2012_512_SIG: &str = "1.2.643.7.1.1.3.3";
}

/// A supported digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
    Streebog256,
    Streebog512,
}

impl Hash {
    /// By dotted OID.
    pub fn from_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            oid::SHA256 => Hash::Sha256,
            oid::SHA384 => Hash::Sha384,
            oid::SHA512 => Hash::Sha512,
            oid::STREEBOG256 => Hash::Streebog256,
            oid::STREEBOG512 => Hash::Streebog512,
            _ => return None,
        })
    }

    /// The report's name.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
            Hash::Streebog256 => "streebog256",
            Hash::Streebog512 => "streebog512",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
            Hash::Streebog256 => streebog::Streebog256::digest(data).to_vec(),
            Hash::Streebog512 => streebog::Streebog512::digest(data).to_vec(),
        }
    }
}

/// How a signature is made: the scheme and its digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Ecdsa(Hash),
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt_len: usize },
    Gost(Hash),
}

impl Scheme {
    /// The report's name, e.g. `ecdsa-sha256`.
    pub fn name(self) -> String {
        match self {
            Scheme::Ecdsa(h) => format!("ecdsa-{}", h.name()),
            Scheme::RsaPkcs1(h) => format!("rsa-pkcs1-{}", h.name()),
            Scheme::RsaPss { hash, .. } => format!("rsa-pss-{}", hash.name()),
            Scheme::Gost(Hash::Streebog512) => "gost3410-2012-512-streebog512".to_owned(),
            Scheme::Gost(h) => format!("gost3410-2012-256-{}", h.name()),
        }
    }

    /// The digest the scheme signs.
    pub fn hash(self) -> Hash {
        match self {
            Scheme::Ecdsa(h) | Scheme::RsaPkcs1(h) | Scheme::Gost(h) => h,
            Scheme::RsaPss { hash, .. } => hash,
        }
    }
}

/// Why a signature was not verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The algorithm, curve, parameter set or key size is not supported.
    Unsupported(String),
    /// The key or the signature is malformed, or the signature is wrong.
    Invalid(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Unsupported(s) | VerifyError::Invalid(s) => f.write_str(s),
        }
    }
}

/// RSASSA-PSS-params (RFC 4055), with the defaults spelled out.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

fn pss_scheme(alg: &AlgorithmIdentifierOwned) -> Result<Scheme, VerifyError> {
    let unsupported = |s: &str| VerifyError::Unsupported(format!("RSASSA-PSS: {s}"));
    let params = alg
        .parameters
        .as_ref()
        .ok_or_else(|| unsupported("SHA-1 defaults (no parameters) are not accepted"))?;
    let params: PssParams = params
        .decode_as()
        .map_err(|e| VerifyError::Invalid(format!("RSASSA-PSS parameters: {e}")))?;
    let hash_oid = params
        .hash
        .as_ref()
        .map(|h| h.oid.to_string())
        .ok_or_else(|| unsupported("SHA-1 is not accepted"))?;
    let hash = Hash::from_oid(&hash_oid)
        .filter(|h| matches!(h, Hash::Sha256 | Hash::Sha384 | Hash::Sha512))
        .ok_or_else(|| unsupported(&format!("digest {hash_oid}")))?;
    let mgf = params
        .mask_gen
        .as_ref()
        .ok_or_else(|| unsupported("MGF1 with SHA-1 is not accepted"))?;
    if mgf.oid.to_string() != oid::MGF1 {
        return Err(unsupported(&format!("mask generation {}", mgf.oid)));
    }
    let mgf_hash: AlgorithmIdentifierOwned = mgf
        .parameters
        .as_ref()
        .ok_or_else(|| unsupported("MGF1 without a digest"))?
        .decode_as()
        .map_err(|e| VerifyError::Invalid(format!("MGF1 parameters: {e}")))?;
    if Hash::from_oid(&mgf_hash.oid.to_string()) != Some(hash) {
        return Err(unsupported("MGF1 digest differs from the message digest"));
    }
    if params.trailer.is_some_and(|t| t != 1) {
        return Err(unsupported("trailer field other than 1"));
    }
    let salt_len = params.salt_len.unwrap_or(20) as usize;
    if salt_len > 512 {
        return Err(VerifyError::Invalid("RSASSA-PSS salt length".to_owned()));
    }
    Ok(Scheme::RsaPss { hash, salt_len })
}

/// The scheme named by a signature AlgorithmIdentifier. `digest` is the CMS
/// signer's digest algorithm, used when the OID names only the key type
/// (`rsaEncryption`, `id-ecPublicKey`, GOST key OIDs — common in CMS).
pub fn scheme(alg: &AlgorithmIdentifierOwned, digest: Option<Hash>) -> Result<Scheme, VerifyError> {
    let oid = alg.oid.to_string();
    let with_digest = |f: fn(Hash) -> Scheme| {
        digest.map(f).ok_or_else(|| {
            VerifyError::Unsupported(format!("signature algorithm {oid} without a digest"))
        })
    };
    let scheme = match oid.as_str() {
        oid::ECDSA_SHA256 => Scheme::Ecdsa(Hash::Sha256),
        oid::ECDSA_SHA384 => Scheme::Ecdsa(Hash::Sha384),
        oid::ECDSA_SHA512 => Scheme::Ecdsa(Hash::Sha512),
        oid::EC_PUBLIC_KEY => with_digest(Scheme::Ecdsa)?,
        oid::SHA256_RSA => Scheme::RsaPkcs1(Hash::Sha256),
        oid::SHA384_RSA => Scheme::RsaPkcs1(Hash::Sha384),
        oid::SHA512_RSA => Scheme::RsaPkcs1(Hash::Sha512),
        oid::RSA_ENCRYPTION => with_digest(Scheme::RsaPkcs1)?,
        oid::RSA_PSS => pss_scheme(alg)?,
        oid::GOST_2012_256_SIG => Scheme::Gost(Hash::Streebog256),
        oid::GOST_2012_512_SIG => Scheme::Gost(Hash::Streebog512),
        oid::GOST_2012_256_KEY | oid::GOST_2012_512_KEY => with_digest(Scheme::Gost)?,
        _ => {
            return Err(VerifyError::Unsupported(format!(
                "signature algorithm {oid}"
            )));
        }
    };
    // A digest given by the CMS signer must agree with the signature OID.
    if let Some(d) = digest
        && d != scheme.hash()
    {
        return Err(VerifyError::Invalid(format!(
            "digest algorithm {} does not match signature algorithm {}",
            d.name(),
            scheme.name()
        )));
    }
    match scheme {
        Scheme::Ecdsa(Hash::Streebog256 | Hash::Streebog512)
        | Scheme::RsaPkcs1(Hash::Streebog256 | Hash::Streebog512) => Err(VerifyError::Unsupported(
            format!("{} with Streebog", scheme.name()),
        )),
        Scheme::Gost(Hash::Sha256 | Hash::Sha384 | Hash::Sha512) => Err(VerifyError::Unsupported(
            "GOST R 34.10 with a SHA-2 digest".to_owned(),
        )),
        s => Ok(s),
    }
}

/// The kind of a public key, for reports: `(algorithm, parameters)`.
pub fn describe_key(spki: &SubjectPublicKeyInfoOwned) -> (String, Option<String>) {
    let oid = spki.algorithm.oid.to_string();
    match oid.as_str() {
        oid::EC_PUBLIC_KEY => match ec_curve(spki).as_deref() {
            Some(oid::SECP256R1) => ("ecdsa-p256".to_owned(), Some("secp256r1".to_owned())),
            Some(oid::SECP384R1) => ("ecdsa-p384".to_owned(), Some("secp384r1".to_owned())),
            other => ("ecdsa".to_owned(), other.map(str::to_owned)),
        },
        oid::RSA_ENCRYPTION | oid::RSA_PSS => {
            let bits = rsa_key(spki).map(|k| rsa::traits::PublicKeyParts::size(&k) * 8);
            (
                bits.map_or_else(|_| "rsa".to_owned(), |b| format!("rsa-{b}")),
                None,
            )
        }
        oid::GOST_2012_256_KEY | oid::GOST_2012_512_KEY => {
            let name = if oid == oid::GOST_2012_256_KEY {
                "gost3410-2012-256"
            } else {
                "gost3410-2012-512"
            };
            let set = gost_param_set(spki)
                .map(|o| gost::param_set_name(&o).map_or(o.clone(), str::to_owned))
                .ok();
            (name.to_owned(), set)
        }
        _ => (oid, None),
    }
}

fn ec_curve(spki: &SubjectPublicKeyInfoOwned) -> Option<String> {
    spki.algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .map(|o| o.to_string())
}

fn rsa_key(spki: &SubjectPublicKeyInfoOwned) -> Result<rsa::RsaPublicKey, VerifyError> {
    let bytes = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| VerifyError::Invalid("RSA key bit string".to_owned()))?;
    let key = rsa::pkcs1::RsaPublicKey::from_der(bytes)
        .map_err(|e| VerifyError::Invalid(format!("RSA public key: {e}")))?;
    let n = rsa::BigUint::from_bytes_be(key.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(key.public_exponent.as_bytes());
    rsa::RsaPublicKey::new_with_max_size(n, e, 16384)
        .map_err(|e| VerifyError::Invalid(format!("RSA public key: {e}")))
}

/// GOST key parameters: `SEQUENCE { publicKeyParamSet OID, digestParamSet OID OPTIONAL, ... }`.
fn gost_param_set(spki: &SubjectPublicKeyInfoOwned) -> Result<String, VerifyError> {
    #[derive(Sequence)]
    struct GostKeyParams {
        public_key_param_set: ObjectIdentifier,
        digest_param_set: Option<ObjectIdentifier>,
        encryption_param_set: Option<ObjectIdentifier>,
    }
    let params = spki
        .algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| VerifyError::Invalid("GOST key without parameters".to_owned()))?;
    let p: GostKeyParams = params
        .decode_as()
        .map_err(|e| VerifyError::Invalid(format!("GOST key parameters: {e}")))?;
    Ok(p.public_key_param_set.to_string())
}

/// Verifies `signature` over `message` (which this function hashes) with
/// the key in `spki`, under `scheme`.
pub fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let key_oid = spki.algorithm.oid.to_string();
    let digest = scheme.hash().digest(message);
    let invalid = |what: &str| VerifyError::Invalid(what.to_owned());
    match scheme {
        Scheme::Ecdsa(_) => {
            if key_oid != oid::EC_PUBLIC_KEY {
                return Err(invalid("ECDSA signature with a non-EC key"));
            }
            let point = spki
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| invalid("EC key bit string"))?;
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            match ec_curve(spki).as_deref() {
                Some(oid::SECP256R1) => {
                    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| invalid("P-256 public key"))?;
                    let sig = p256::ecdsa::Signature::from_der(signature)
                        .map_err(|_| invalid("ECDSA signature encoding"))?;
                    key.verify_prehash(&digest, &sig)
                        .map_err(|_| invalid("ECDSA P-256 signature does not verify"))
                }
                Some(oid::SECP384R1) => {
                    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                        .map_err(|_| invalid("P-384 public key"))?;
                    let sig = p384::ecdsa::Signature::from_der(signature)
                        .map_err(|_| invalid("ECDSA signature encoding"))?;
                    key.verify_prehash(&digest, &sig)
                        .map_err(|_| invalid("ECDSA P-384 signature does not verify"))
                }
                other => Err(VerifyError::Unsupported(format!(
                    "EC curve {}",
                    other.unwrap_or("(none)")
                ))),
            }
        }
        Scheme::RsaPkcs1(h) | Scheme::RsaPss { hash: h, .. } => {
            if key_oid != oid::RSA_ENCRYPTION && key_oid != oid::RSA_PSS {
                return Err(invalid("RSA signature with a non-RSA key"));
            }
            let key = rsa_key(spki)?;
            let bits = rsa::traits::PublicKeyParts::size(&key) * 8;
            if bits < 2048 {
                return Err(VerifyError::Unsupported(format!("RSA key of {bits} bits")));
            }
            let result = match (scheme, h) {
                (Scheme::RsaPkcs1(_), Hash::Sha256) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest, signature)
                }
                (Scheme::RsaPkcs1(_), Hash::Sha384) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha384>(), &digest, signature)
                }
                (Scheme::RsaPkcs1(_), Hash::Sha512) => {
                    key.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha512>(), &digest, signature)
                }
                (Scheme::RsaPss { salt_len, .. }, Hash::Sha256) => key.verify(
                    rsa::Pss::new_with_salt::<sha2::Sha256>(salt_len),
                    &digest,
                    signature,
                ),
                (Scheme::RsaPss { salt_len, .. }, Hash::Sha384) => key.verify(
                    rsa::Pss::new_with_salt::<sha2::Sha384>(salt_len),
                    &digest,
                    signature,
                ),
                (Scheme::RsaPss { salt_len, .. }, Hash::Sha512) => key.verify(
                    rsa::Pss::new_with_salt::<sha2::Sha512>(salt_len),
                    &digest,
                    signature,
                ),
                _ => return Err(VerifyError::Unsupported(scheme.name())),
            };
            result.map_err(|_| invalid("RSA signature does not verify"))
        }
        Scheme::Gost(h) => {
            let expected_key = if h == Hash::Streebog256 {
                oid::GOST_2012_256_KEY
            } else {
                oid::GOST_2012_512_KEY
            };
            if key_oid != expected_key {
                return Err(invalid("GOST signature with a key of another type or size"));
            }
            let set = gost_param_set(spki)?;
            let curve = gost::curve_for_param_set(&set)
                .ok_or_else(|| VerifyError::Unsupported(format!("GOST parameter set {set}")))?;
            let bits = spki
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| invalid("GOST key bit string"))?;
            let point = OctetString::from_der(bits).map_err(|_| invalid("GOST public key"))?;
            curve
                .verify(&digest, signature, point.as_bytes())
                .map_err(|e| VerifyError::Invalid(e.to_string()))
        }
    }
}

/// The DER of anything encodable, or an empty vector (never fails for
/// values that were decoded from DER).
pub fn to_der<T: Encode>(value: &T) -> Vec<u8> {
    value.to_der().unwrap_or_default()
}
