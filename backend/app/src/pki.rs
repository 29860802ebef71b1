//! The platform's PKI (docs/certificates.md, "The PKI";
//! docs/adr/0006-in-house-certification-authority.md): a root CA and an
//! issuing CA under it,
//! both ECDSA P-256. From configuration (PEM files), or — on the embedded
//! default — generated on first start under `data_dir/pki/` and reused
//! after. The issuing CA signs owners' certificates and the CRL.
//!
//! Certificates are built with x509-cert's builder; the CRL (which that
//! crate cannot build) is assembled from its typed structures and signed
//! with the issuing key.

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use der::asn1::{BitString, Ia5String, OctetString, SetOfVec, Uint};
use der::{Any, Decode, DecodePem, Encode, EncodePem, Tag};
use p256::ecdsa::{DerSignature, SigningKey, signature::Signer};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rand::RngCore;
use spki::{
    AlgorithmIdentifierOwned, EncodePublicKey, ObjectIdentifier, SubjectPublicKeyInfoOwned,
};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::SystemTime;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::certificate::Certificate;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, CrlDistributionPoints, ExtendedKeyUsage, SubjectAltName,
    crl::dp::DistributionPoint,
};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// OIDs the platform writes.
pub mod oid {
    /// commonName.
    pub const CN: &str = "2.5.4.3";
    /// SNILS (Russian individual insurance account number).
    pub const SNILS: &str = "1.2.643.100.3";
    /// INN of a person.
    pub const INN: &str = "1.2.643.3.131.1.1";
    /// INN of a legal entity.
    pub const INN_LE: &str = "1.2.643.100.4";
    /// organizationName.
    pub const O: &str = "2.5.4.10";
    /// title (position).
    pub const TITLE: &str = "2.5.4.12";
    /// countryName.
    pub const C: &str = "2.5.4.6";
    /// emailAddress.
    pub const EMAIL: &str = "1.2.840.113549.1.9.1";
    /// ecdsa-with-SHA256.
    pub const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
    /// cRLNumber extension.
    pub const CRL_NUMBER: &str = "2.5.29.20";
    /// authorityKeyIdentifier extension.
    pub const AKI: &str = "2.5.29.35";
    /// CRL entry reasonCode extension.
    pub const REASON_CODE: &str = "2.5.29.21";
    /// id-kp-clientAuth.
    pub const KP_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
    /// id-kp-emailProtection.
    pub const KP_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
}

/// Where the CA material comes from.
#[derive(Debug, Clone, Default)]
pub struct PkiConfig {
    /// Root certificate PEM (`MEZHA_CA_ROOT_CERT`).
    pub root_cert: Option<PathBuf>,
    /// Root key PEM (`MEZHA_CA_ROOT_KEY`); needed only to make a new issuing CA.
    pub root_key: Option<PathBuf>,
    /// Issuing CA certificate PEM (`MEZHA_CA_ISSUING_CERT`).
    pub issuing_cert: Option<PathBuf>,
    /// Issuing CA key PEM, PKCS#8 or SEC1 (`MEZHA_CA_ISSUING_KEY`).
    pub issuing_key: Option<PathBuf>,
    /// Where generated material is kept (`data_dir/pki`).
    pub dir: PathBuf,
}

/// The subject and extras of an owner's certificate.
#[derive(Debug, Clone, Default)]
pub struct OwnerSubject {
    pub full_name: String,
    pub snils: String,
    pub inn: Option<String>,
    pub email: Option<String>,
    pub organisation: Option<(String, String)>,
    pub position: Option<String>,
}

/// A certificate the issuing CA signed.
#[derive(Debug, Clone)]
pub struct Issued {
    pub der: Vec<u8>,
    /// Lowercase hex.
    pub serial: String,
    pub subject: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// A CRL entry.
#[derive(Debug, Clone)]
pub struct CrlEntry {
    pub serial_hex: String,
    pub revoked_at: DateTime<Utc>,
    /// RFC 5280 reasonCode.
    pub reason_code: Option<u8>,
}

/// The loaded CA.
pub struct Pki {
    root_der: Vec<u8>,
    issuing_der: Vec<u8>,
    issuing: Certificate,
    issuing_key: SigningKey,
    chain_pem: String,
    crl_url: String,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pki")
            .field("issuer", &self.issuer_name())
            .field("crl_url", &self.crl_url)
            .finish_non_exhaustive()
    }
}

fn oid(s: &str) -> anyhow::Result<ObjectIdentifier> {
    ObjectIdentifier::from_str(s).map_err(|e| anyhow!("OID {s}: {e}"))
}

fn time(at: DateTime<Utc>) -> anyhow::Result<Time> {
    Time::try_from(SystemTime::from(at)).map_err(|e| anyhow!("time {at}: {e}"))
}

fn atv(id: &str, tag: Tag, value: &str) -> anyhow::Result<RelativeDistinguishedName> {
    let value = Any::new(tag, value.as_bytes()).map_err(|e| anyhow!("{id} value: {e}"))?;
    let atv = AttributeTypeAndValue {
        oid: oid(id)?,
        value,
    };
    Ok(RelativeDistinguishedName(
        SetOfVec::try_from(vec![atv]).map_err(|e| anyhow!("RDN: {e}"))?,
    ))
}

fn signing_key_from_pem(pem: &str) -> anyhow::Result<SigningKey> {
    if let Ok(key) = SigningKey::from_pkcs8_pem(pem) {
        return Ok(key);
    }
    let secret = p256::SecretKey::from_sec1_pem(pem)
        .map_err(|_| anyhow!("not a P-256 private key in PKCS#8 or SEC1 PEM"))?;
    Ok(SigningKey::from(secret))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// A random positive serial of 16 bytes (no leading zero byte).
fn random_serial() -> Vec<u8> {
    let mut bytes = vec![0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        bail!("odd hex length");
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| anyhow!("hex: {e}")))
        .collect()
}

fn spki_of(key: &SigningKey) -> anyhow::Result<SubjectPublicKeyInfoOwned> {
    let der = key
        .verifying_key()
        .to_public_key_der()
        .map_err(|e| anyhow!("public key: {e}"))?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| anyhow!("public key: {e}"))
}

fn ca_name(cn: &str) -> anyhow::Result<Name> {
    Ok(RdnSequence(vec![
        atv(oid::C, Tag::PrintableString, "RU")?,
        atv(oid::O, Tag::Utf8String, "Межа")?,
        atv(oid::CN, Tag::Utf8String, cn)?,
    ]))
}

/// Builds a CA certificate: self-signed root, or a sub-CA signed by `issuer`.
fn ca_certificate(
    key: &SigningKey,
    issuer: Option<(&Certificate, &SigningKey)>,
    cn: &str,
    now: DateTime<Utc>,
    years: i64,
) -> anyhow::Result<Vec<u8>> {
    let validity = Validity {
        not_before: time(now - Duration::minutes(5))?,
        not_after: time(now + Duration::days(365 * years))?,
    };
    let serial = SerialNumber::new(&random_serial()).map_err(|e| anyhow!("serial: {e}"))?;
    let subject = ca_name(cn)?;
    let spki = spki_of(key)?;
    let cert = match issuer {
        None => CertificateBuilder::new(Profile::Root, serial, validity, subject, spki, key)
            .map_err(|e| anyhow!("root: {e}"))?
            .build::<DerSignature>()
            .map_err(|e| anyhow!("signing the root: {e}"))?,
        Some((issuer_cert, issuer_key)) => CertificateBuilder::new(
            Profile::SubCA {
                issuer: issuer_cert.tbs_certificate.subject.clone(),
                path_len_constraint: Some(0),
            },
            serial,
            validity,
            subject,
            spki,
            issuer_key,
        )
        .map_err(|e| anyhow!("issuing CA: {e}"))?
        .build::<DerSignature>()
        .map_err(|e| anyhow!("signing the issuing CA: {e}"))?,
    };
    cert.to_der().map_err(|e| anyhow!("encoding: {e}"))
}

fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("restricting {}", path.display()))?;
    }
    Ok(())
}

fn cert_pem(der: &[u8]) -> anyhow::Result<String> {
    Certificate::from_der(der)
        .and_then(|c| c.to_pem(LineEnding::LF))
        .map_err(|e| anyhow!("PEM: {e}"))
}

/// The certificate (first `CERTIFICATE` block) in a PEM file.
fn cert_from_pem(pem: &str) -> anyhow::Result<Vec<u8>> {
    let cert = Certificate::from_pem(pem.trim()).map_err(|e| anyhow!("certificate PEM: {e}"))?;
    cert.to_der().map_err(|e| anyhow!("certificate: {e}"))
}

impl Pki {
    /// Loads the CA from `config`, or generates it under `config.dir` on
    /// first start. `public_url` is the base of the CRL distribution point.
    pub fn load_or_generate(
        config: &PkiConfig,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Pki> {
        let crl_url = format!("{}/api/v1/pki/crl", public_url.trim_end_matches('/'));
        let configured = [&config.root_cert, &config.issuing_cert, &config.issuing_key];
        if configured.iter().any(|p| p.is_some()) {
            let (Some(root), Some(cert), Some(key)) =
                (&config.root_cert, &config.issuing_cert, &config.issuing_key)
            else {
                bail!(
                    "MEZHA_CA_ROOT_CERT, MEZHA_CA_ISSUING_CERT and MEZHA_CA_ISSUING_KEY go together"
                );
            };
            let root_der = cert_from_pem(&read(root)?)?;
            let issuing_der = cert_from_pem(&read(cert)?)?;
            let issuing_key = signing_key_from_pem(&read(key)?)
                .with_context(|| format!("MEZHA_CA_ISSUING_KEY {}", key.display()))?;
            return Self::assemble(root_der, issuing_der, issuing_key, crl_url);
        }
        let dir = &config.dir;
        let paths = (
            dir.join("root.pem"),
            dir.join("root.key"),
            dir.join("issuing.pem"),
            dir.join("issuing.key"),
        );
        if paths.2.exists() && paths.3.exists() && paths.0.exists() {
            let root_der = cert_from_pem(&read(&paths.0)?)?;
            let issuing_der = cert_from_pem(&read(&paths.2)?)?;
            let issuing_key = signing_key_from_pem(&read(&paths.3)?)?;
            return Self::assemble(root_der, issuing_der, issuing_key, crl_url);
        }
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let root_key = SigningKey::random(&mut rand::rngs::OsRng);
        let root_der = ca_certificate(&root_key, None, "Межа Root CA", now, 20)?;
        let root = Certificate::from_der(&root_der).map_err(|e| anyhow!("root: {e}"))?;
        let issuing_key = SigningKey::random(&mut rand::rngs::OsRng);
        let issuing_der = ca_certificate(
            &issuing_key,
            Some((&root, &root_key)),
            "Межа Issuing CA",
            now,
            10,
        )?;
        let key_pem = |k: &SigningKey| {
            k.to_pkcs8_pem(LineEnding::LF)
                .map(|p| p.to_string())
                .map_err(|e| anyhow!("key PEM: {e}"))
        };
        write_secret(&paths.1, &key_pem(&root_key)?)?;
        write_secret(&paths.3, &key_pem(&issuing_key)?)?;
        std::fs::write(&paths.0, cert_pem(&root_der)?)?;
        std::fs::write(&paths.2, cert_pem(&issuing_der)?)?;
        tracing::info!(dir = %dir.display(), "generated the platform root and issuing CA");
        Self::assemble(root_der, issuing_der, issuing_key, crl_url)
    }

    fn assemble(
        root_der: Vec<u8>,
        issuing_der: Vec<u8>,
        issuing_key: SigningKey,
        crl_url: String,
    ) -> anyhow::Result<Pki> {
        let issuing =
            Certificate::from_der(&issuing_der).map_err(|e| anyhow!("issuing CA: {e}"))?;
        let key_spki = spki_of(&issuing_key)?;
        if key_spki != issuing.tbs_certificate.subject_public_key_info {
            bail!("the issuing CA key does not belong to the issuing CA certificate");
        }
        let chain_pem = format!("{}{}", cert_pem(&root_der)?, cert_pem(&issuing_der)?);
        Ok(Pki {
            root_der,
            issuing_der,
            issuing,
            issuing_key,
            chain_pem,
            crl_url,
        })
    }

    /// The root certificate (DER), a trust anchor.
    pub fn root_der(&self) -> &[u8] {
        &self.root_der
    }

    /// The issuing CA certificate (DER).
    pub fn issuing_der(&self) -> &[u8] {
        &self.issuing_der
    }

    /// Root and issuing CA certificates, PEM.
    pub fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    /// Where the CRL is published.
    pub fn crl_url(&self) -> &str {
        &self.crl_url
    }

    /// The issuing CA's name, RFC 4514.
    pub fn issuer_name(&self) -> String {
        self.issuing.tbs_certificate.subject.to_string()
    }

    /// Signs a one-year certificate for `spki` with `subject`, valid from
    /// `now`: keyUsage digitalSignature + nonRepudiation, extendedKeyUsage
    /// emailProtection + clientAuth, SKI/AKI, the CRL distribution point.
    pub fn issue(
        &self,
        subject: &OwnerSubject,
        spki: SubjectPublicKeyInfoOwned,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Issued> {
        let mut rdns = vec![atv(oid::C, Tag::PrintableString, "RU")?];
        let mut shown = Vec::new();
        if let Some((name, inn)) = &subject.organisation {
            rdns.push(atv(oid::O, Tag::Utf8String, name)?);
            rdns.push(atv(oid::INN_LE, Tag::NumericString, inn)?);
            shown.push(format!("O={name}"));
            shown.push(format!("INNLE={inn}"));
        }
        if let Some(position) = &subject.position {
            rdns.push(atv(oid::TITLE, Tag::Utf8String, position)?);
            shown.push(format!("T={position}"));
        }
        rdns.push(atv(oid::SNILS, Tag::NumericString, &subject.snils)?);
        shown.push(format!("SNILS={}", subject.snils));
        if let Some(inn) = &subject.inn {
            rdns.push(atv(oid::INN, Tag::NumericString, inn)?);
            shown.push(format!("INN={inn}"));
        }
        if let Some(email) = &subject.email {
            rdns.push(atv(oid::EMAIL, Tag::Ia5String, email)?);
            shown.push(format!("E={email}"));
        }
        rdns.push(atv(oid::CN, Tag::Utf8String, &subject.full_name)?);
        shown.push(format!("CN={}", subject.full_name));
        shown.push("C=RU".to_owned());
        shown.reverse();

        let not_before = now - Duration::minutes(1);
        let not_after = now + Duration::days(365);
        let serial = random_serial();
        let mut builder = CertificateBuilder::new(
            Profile::Leaf {
                issuer: self.issuing.tbs_certificate.subject.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            SerialNumber::new(&serial).map_err(|e| anyhow!("serial: {e}"))?,
            Validity {
                not_before: time(not_before)?,
                not_after: time(not_after)?,
            },
            RdnSequence(rdns),
            spki,
            &self.issuing_key,
        )
        .map_err(|e| anyhow!("certificate: {e}"))?;
        builder
            .add_extension(&ExtendedKeyUsage(vec![
                oid(oid::KP_EMAIL_PROTECTION)?,
                oid(oid::KP_CLIENT_AUTH)?,
            ]))
            .map_err(|e| anyhow!("extendedKeyUsage: {e}"))?;
        let url = Ia5String::new(&self.crl_url).map_err(|e| anyhow!("CRL URL: {e}"))?;
        builder
            .add_extension(&CrlDistributionPoints(vec![DistributionPoint {
                distribution_point: Some(DistributionPointName::FullName(vec![
                    GeneralName::UniformResourceIdentifier(url),
                ])),
                reasons: None,
                crl_issuer: None,
            }]))
            .map_err(|e| anyhow!("cRLDistributionPoints: {e}"))?;
        if let Some(email) = &subject.email
            && let Ok(email) = Ia5String::new(email)
        {
            builder
                .add_extension(&SubjectAltName(vec![GeneralName::Rfc822Name(email)]))
                .map_err(|e| anyhow!("subjectAltName: {e}"))?;
        }
        let cert = builder
            .build::<DerSignature>()
            .map_err(|e| anyhow!("signing: {e}"))?;
        Ok(Issued {
            der: cert.to_der().map_err(|e| anyhow!("encoding: {e}"))?,
            serial: hex(&serial),
            subject: shown.join(", "),
            not_before,
            not_after,
        })
    }

    /// A CRL numbered `number`, signed by the issuing CA, listing `entries`.
    pub fn crl(
        &self,
        number: i64,
        entries: &[CrlEntry],
        this_update: DateTime<Utc>,
        next_update: DateTime<Utc>,
    ) -> anyhow::Result<Vec<u8>> {
        let algorithm = AlgorithmIdentifierOwned {
            oid: oid(oid::ECDSA_SHA256)?,
            parameters: None,
        };
        let mut revoked = Vec::with_capacity(entries.len());
        for e in entries {
            let extensions = match e.reason_code {
                Some(code) => Some(vec![Extension {
                    extn_id: oid(oid::REASON_CODE)?,
                    critical: false,
                    // ENUMERATED { code }
                    extn_value: OctetString::new(vec![0x0a, 0x01, code])
                        .map_err(|e| anyhow!("reason: {e}"))?,
                }]),
                None => None,
            };
            revoked.push(RevokedCert {
                serial_number: SerialNumber::new(&unhex(&e.serial_hex)?)
                    .map_err(|e| anyhow!("serial: {e}"))?,
                revocation_date: time(e.revoked_at)?,
                crl_entry_extensions: extensions,
            });
        }
        let number_der = Uint::new(&number.to_be_bytes())
            .and_then(|n| n.to_der())
            .map_err(|e| anyhow!("CRL number: {e}"))?;
        let aki = AuthorityKeyIdentifier {
            key_identifier: x509_signing_key_id(&self.issuing)?,
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        let tbs = TbsCertList {
            version: x509_cert::Version::V2,
            signature: algorithm.clone(),
            issuer: self.issuing.tbs_certificate.subject.clone(),
            this_update: time(this_update)?,
            next_update: Some(time(next_update)?),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: Some(vec![
                Extension {
                    extn_id: oid(oid::AKI)?,
                    critical: false,
                    extn_value: OctetString::new(aki.to_der().map_err(|e| anyhow!("AKI: {e}"))?)
                        .map_err(|e| anyhow!("AKI: {e}"))?,
                },
                Extension {
                    extn_id: oid(oid::CRL_NUMBER)?,
                    critical: false,
                    extn_value: OctetString::new(number_der)
                        .map_err(|e| anyhow!("CRL number: {e}"))?,
                },
            ]),
        };
        let message = tbs.to_der().map_err(|e| anyhow!("CRL: {e}"))?;
        let signature: DerSignature = self.issuing_key.sign(&message);
        let crl = CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(signature.as_bytes())
                .map_err(|e| anyhow!("signature: {e}"))?,
        };
        crl.to_der().map_err(|e| anyhow!("CRL: {e}"))
    }
}

impl crate::context::Certificates {
    /// The platform CA, or 503 when the server was built without one.
    pub fn pki(&self) -> Result<&Pki, crate::AppError> {
        self.pki.as_deref().ok_or_else(|| {
            crate::AppError::new(
                mezha_api_types::ErrorCode::ServiceUnavailable,
                "pki.not_configured",
            )
        })
    }
}

/// The issuing CA's subjectKeyIdentifier, for the CRL's AKI.
fn x509_signing_key_id(cert: &Certificate) -> anyhow::Result<Option<OctetString>> {
    use x509_cert::ext::pkix::SubjectKeyIdentifier;
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        if ext.extn_id.to_string() == "2.5.29.14" {
            let ski = SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes())
                .map_err(|e| anyhow!("SKI: {e}"))?;
            return Ok(Some(ski.0));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn generated_ca_is_reused_and_issues_a_chaining_certificate() {
        let dir = std::env::temp_dir().join(format!("mezha-pki-{}", uuid::Uuid::new_v4()));
        let config = PkiConfig {
            dir: dir.clone(),
            ..PkiConfig::default()
        };
        let now = Utc::now();
        let a = Pki::load_or_generate(&config, "http://x.test/", now).unwrap();
        let b = Pki::load_or_generate(&config, "http://x.test", now).unwrap();
        assert_eq!(a.chain_pem(), b.chain_pem());
        assert_eq!(a.crl_url(), "http://x.test/api/v1/pki/crl");

        let key = SigningKey::random(&mut rand::rngs::OsRng);
        let subject = OwnerSubject {
            full_name: "Иванов Иван Иванович".into(),
            snils: "11223344595".into(),
            inn: Some("500100732259".into()),
            email: Some("ivan@example.com".into()),
            ..OwnerSubject::default()
        };
        let issued = a.issue(&subject, spki_of(&key).unwrap(), now).unwrap();
        assert_eq!(issued.serial.len(), 32);
        let mut trust = mezha_signatures::TrustStore::new();
        trust.add_trust_anchor(a.root_der()).unwrap();
        trust.add_intermediate(a.issuing_der()).unwrap();
        let crl = a
            .crl(
                1,
                &[CrlEntry {
                    serial_hex: issued.serial.clone(),
                    revoked_at: now,
                    reason_code: Some(1),
                }],
                now,
                now + Duration::days(7),
            )
            .unwrap();
        assert_eq!(trust.replace_crl(&crl).unwrap(), 1);
        let parsed = CertificateList::from_der(&crl).unwrap();
        assert_eq!(parsed.tbs_cert_list.revoked_certificates.unwrap().len(), 1);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn configured_pem_files_are_used_and_checked() {
        let dir = std::env::temp_dir().join(format!("mezha-pki-{}", uuid::Uuid::new_v4()));
        let generated = PkiConfig {
            dir: dir.clone(),
            ..PkiConfig::default()
        };
        let now = Utc::now();
        let made = Pki::load_or_generate(&generated, "http://x.test", now).unwrap();
        let elsewhere = dir.join("unused");
        let configured = PkiConfig {
            root_cert: Some(dir.join("root.pem")),
            root_key: None,
            issuing_cert: Some(dir.join("issuing.pem")),
            issuing_key: Some(dir.join("issuing.key")),
            dir: elsewhere.clone(),
        };
        let loaded = Pki::load_or_generate(&configured, "http://x.test", now).unwrap();
        assert_eq!(loaded.chain_pem(), made.chain_pem());
        assert!(!elsewhere.exists(), "nothing generated when configured");

        let partial = PkiConfig {
            issuing_key: None,
            ..configured.clone()
        };
        let err = Pki::load_or_generate(&partial, "http://x.test", now).unwrap_err();
        assert!(err.to_string().contains("go together"), "{err}");

        let other_key = SigningKey::random(&mut rand::rngs::OsRng);
        let key_path = dir.join("other.key");
        std::fs::write(
            &key_path,
            other_key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
        )
        .unwrap();
        let mismatched = PkiConfig {
            issuing_key: Some(key_path),
            ..configured
        };
        let err = Pki::load_or_generate(&mismatched, "http://x.test", now).unwrap_err();
        assert!(err.to_string().contains("does not belong"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }
}
