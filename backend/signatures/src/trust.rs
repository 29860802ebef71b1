//! Trust anchors, intermediate certificates and CRLs the validator knows.

use std::path::{Path, PathBuf};

use der::Decode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use crate::algorithms::to_der;

/// A parsed certificate with its DER and the DER's SHA-256.
#[derive(Debug, Clone)]
pub(crate) struct Cert {
    pub cert: Certificate,
    pub der: Vec<u8>,
    pub sha256: [u8; 32],
}

impl Cert {
    pub fn new(cert: Certificate, der: Vec<u8>) -> Cert {
        Cert {
            sha256: Sha256::digest(&der).into(),
            cert,
            der,
        }
    }

    pub fn from_der(der: &[u8]) -> Result<Cert, der::Error> {
        Ok(Cert::new(Certificate::from_der(der)?, der.to_vec()))
    }

    pub fn subject_der(&self) -> Vec<u8> {
        to_der(&self.cert.tbs_certificate.subject)
    }

    pub fn issuer_der(&self) -> Vec<u8> {
        to_der(&self.cert.tbs_certificate.issuer)
    }

    /// Same subject and same key (a re-issued root counts as the same anchor).
    pub fn same_entity(&self, other: &Cert) -> bool {
        self.der == other.der
            || (self.subject_der() == other.subject_der()
                && to_der(&self.cert.tbs_certificate.subject_public_key_info)
                    == to_der(&other.cert.tbs_certificate.subject_public_key_info))
    }
}

/// A parsed CRL with the SHA-256 of its DER.
#[derive(Debug, Clone)]
pub(crate) struct Crl {
    pub crl: CertificateList,
    pub sha256: [u8; 32],
}

impl Crl {
    pub fn new(crl: CertificateList) -> Crl {
        Crl {
            sha256: Sha256::digest(to_der(&crl)).into(),
            crl,
        }
    }
}

/// Why something could not be added to the trust store.
#[derive(Debug)]
pub enum TrustStoreError {
    /// The bytes are neither a PEM nor a DER certificate (or CRL).
    Parse {
        /// What was being read: "certificate" or "CRL", with the file when known.
        what: String,
        /// The decoder's message.
        detail: String,
    },
    /// A file or directory could not be read.
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl std::fmt::Display for TrustStoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrustStoreError::Parse { what, detail } => write!(f, "cannot parse {what}: {detail}"),
            TrustStoreError::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for TrustStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TrustStoreError::Io { source, .. } => Some(source),
            TrustStoreError::Parse { .. } => None,
        }
    }
}

/// What [`TrustStore::load_dir`] loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadSummary {
    /// Self-signed certificates added as trust anchors.
    pub anchors: usize,
    /// Other certificates added as intermediates.
    pub intermediates: usize,
    /// CRLs added.
    pub crls: usize,
    /// Files ignored (other extensions).
    pub skipped: Vec<PathBuf>,
}

/// The certificates and CRLs a validation may rely on.
///
/// *Trust anchors* end chains: a chain is trusted when it reaches one
/// (identified by subject and public key). *Intermediates* are CA
/// certificates that may be used to build a chain but are not trusted by
/// themselves. *CRLs* are used only when their signature verifies with the
/// certificate of their issuer found in the chain.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    pub(crate) anchors: Vec<Cert>,
    pub(crate) intermediates: Vec<Cert>,
    pub(crate) crls: Vec<Crl>,
}

/// The DER bodies in `bytes`: every PEM block with one of `labels`, or the
/// bytes themselves when they are not PEM.
fn der_blocks(bytes: &[u8], labels: &[&str], what: &str) -> Result<Vec<Vec<u8>>, TrustStoreError> {
    let parse_err = |detail: String| TrustStoreError::Parse {
        what: what.to_owned(),
        detail,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if t.contains("-----BEGIN ") => t,
        _ => return Ok(vec![bytes.to_vec()]),
    };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let end_marker = block
            .find("-----END ")
            .ok_or_else(|| parse_err("PEM block without an END line".to_owned()))?;
        let after_end = &block[end_marker + 9..];
        let close = after_end
            .find("-----")
            .ok_or_else(|| parse_err("PEM END line is not closed".to_owned()))?;
        let block_len = end_marker + 9 + close + 5;
        let (label, der) = der::pem::decode_vec(&block.as_bytes()[..block_len])
            .map_err(|e| parse_err(format!("PEM: {e}")))?;
        if labels.contains(&label) {
            out.push(der);
        }
        rest = &block[block_len..];
    }
    if out.is_empty() {
        return Err(parse_err(format!(
            "no PEM block labelled {}",
            labels.join(" or ")
        )));
    }
    Ok(out)
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"];
const CRL_LABELS: &[&str] = &["X509 CRL"];

fn parse_certs(bytes: &[u8], what: &str) -> Result<Vec<Cert>, TrustStoreError> {
    der_blocks(bytes, CERT_LABELS, what)?
        .iter()
        .map(|der| {
            Cert::from_der(der).map_err(|e| TrustStoreError::Parse {
                what: what.to_owned(),
                detail: e.to_string(),
            })
        })
        .collect()
}

impl TrustStore {
    /// An empty store: nothing validates until an anchor is added.
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// Adds trust anchors: one DER certificate or PEM with one or more
    /// `CERTIFICATE` blocks. Returns how many were added.
    pub fn add_trust_anchor(&mut self, pem_or_der: &[u8]) -> Result<usize, TrustStoreError> {
        let certs = parse_certs(pem_or_der, "trust anchor certificate")?;
        let n = certs.len();
        self.anchors.extend(certs);
        Ok(n)
    }

    /// Adds intermediate CA certificates (DER, or PEM with one or more
    /// blocks): usable to build chains, not trusted by themselves.
    pub fn add_intermediate(&mut self, pem_or_der: &[u8]) -> Result<usize, TrustStoreError> {
        let certs = parse_certs(pem_or_der, "intermediate certificate")?;
        let n = certs.len();
        self.intermediates.extend(certs);
        Ok(n)
    }

    /// Adds certificates by their shape: self-signed (subject = issuer) ones
    /// become trust anchors, the others intermediates. Returns
    /// `(anchors, intermediates)` added.
    pub fn add_certificates(
        &mut self,
        pem_or_der: &[u8],
    ) -> Result<(usize, usize), TrustStoreError> {
        self.add_certificates_as(pem_or_der, "certificate")
    }

    fn add_certificates_as(
        &mut self,
        pem_or_der: &[u8],
        what: &str,
    ) -> Result<(usize, usize), TrustStoreError> {
        let mut counts = (0, 0);
        for cert in parse_certs(pem_or_der, what)? {
            if cert.subject_der() == cert.issuer_der() {
                self.anchors.push(cert);
                counts.0 += 1;
            } else {
                self.intermediates.push(cert);
                counts.1 += 1;
            }
        }
        Ok(counts)
    }

    /// Adds CRLs (DER, or PEM with `X509 CRL` blocks). Their signatures are
    /// checked when used, against the issuer found while building a chain.
    pub fn add_crl(&mut self, pem_or_der: &[u8]) -> Result<usize, TrustStoreError> {
        self.add_crl_as(pem_or_der, "CRL")
    }

    /// Adds CRLs like [`add_crl`](Self::add_crl), first removing the CRLs
    /// of the same issuers: a freshly published CRL replaces its older one.
    pub fn replace_crl(&mut self, pem_or_der: &[u8]) -> Result<usize, TrustStoreError> {
        let mut fresh = TrustStore::new();
        let n = fresh.add_crl(pem_or_der)?;
        let issuers: Vec<Vec<u8>> = fresh
            .crls
            .iter()
            .map(|c| to_der(&c.crl.tbs_cert_list.issuer))
            .collect();
        self.crls
            .retain(|c| !issuers.contains(&to_der(&c.crl.tbs_cert_list.issuer)));
        self.crls.append(&mut fresh.crls);
        Ok(n)
    }

    fn add_crl_as(&mut self, pem_or_der: &[u8], what: &str) -> Result<usize, TrustStoreError> {
        let blocks = der_blocks(pem_or_der, CRL_LABELS, what)?;
        let n = blocks.len();
        for der in blocks {
            let crl = CertificateList::from_der(&der).map_err(|e| TrustStoreError::Parse {
                what: what.to_owned(),
                detail: e.to_string(),
            })?;
            self.crls.push(Crl::new(crl));
        }
        Ok(n)
    }

    /// Loads a directory an operator keeps trusted CAs in (`MEZHA_TRUST_DIR`):
    /// `*.pem`, `*.crt`, `*.cer` are certificates (PEM, possibly several in a
    /// file, or DER) — self-signed ones become trust anchors, others
    /// intermediates; `*.crl` are CRLs (PEM or DER). Other files are skipped;
    /// subdirectories are not read. Any file that does not parse stops the
    /// load with an error naming it, so a broken trust configuration is
    /// noticed at start.
    pub fn load_dir(&mut self, dir: impl AsRef<Path>) -> Result<LoadSummary, TrustStoreError> {
        let dir = dir.as_ref();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TrustStoreError::Io { path, source }
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        paths.sort();
        let mut summary = LoadSummary::default();
        for path in paths {
            if !path.is_file() {
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("pem" | "crt" | "cer") => {
                    let bytes = std::fs::read(&path).map_err(io(&path))?;
                    let what = format!("certificate file {}", path.display());
                    let (a, i) = self.add_certificates_as(&bytes, &what)?;
                    summary.anchors += a;
                    summary.intermediates += i;
                }
                Some("crl") => {
                    let bytes = std::fs::read(&path).map_err(io(&path))?;
                    let what = format!("CRL file {}", path.display());
                    summary.crls += self.add_crl_as(&bytes, &what)?;
                }
                _ => summary.skipped.push(path),
            }
        }
        Ok(summary)
    }

    /// Number of trust anchors.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
    }

    pub(crate) fn is_anchor(&self, cert: &Cert) -> bool {
        self.anchors.iter().any(|a| a.same_entity(cert))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut t = TrustStore::new();
        assert!(t.add_trust_anchor(b"").is_err());
        assert!(
            t.add_trust_anchor(b"-----BEGIN CERTIFICATE-----\nAAAA")
                .is_err()
        );
        assert!(
            t.add_trust_anchor(b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n")
                .is_err()
        );
        assert!(t.add_crl(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(t.load_dir("/nonexistent/mezha").is_err());
        assert_eq!(t.anchor_count(), 0);
    }
}
