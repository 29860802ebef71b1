//! What a browser signs with WebCrypto, as DER: a PKCS#10 certificate
//! request (RFC 2986) for its ECDSA P-256 key, and a detached CMS
//! SignedData (RFC 5652) of a document. WebCrypto signs but cannot build
//! ASN.1, so building is split in two: the bytes to sign, then the structure
//! around the signature (`r ‖ s`, as WebCrypto returns it). Pure Rust on the
//! RustCrypto `der`, `spki`, `x509-cert` and `cms` types; compiled into the
//! web app (wasm) and used by the server's tests to make exactly what the
//! browser sends (docs/certificates.md, "In the web app").
//!
//! Depends only on those RustCrypto crates: no I/O, no keys (the signing is
//! the caller's), no other Mezha crate. One module, no submodules.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, BitString, ObjectIdentifier, OctetString, SetOfVec, UintRef, UtcTime};
use der::pem::LineEnding;
use der::{Decode, DecodePem, Encode, Sequence, Tag};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeTypeAndValue, Attributes};
use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, CertReqInfo, Version};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// SNILS in Russian qualified certificates (NumericString, 11 digits).
const SNILS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.100.3");
/// A person's INN (NumericString, 12 digits).
const INN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.3.131.1.1");

/// Why a structure could not be built (a message for the log; the user
/// sees a generic text).
pub type Error = der::Error;

/// Who the certificate is for: what the CA compares with the approved
/// application.
pub struct Subject<'a> {
    pub full_name: &'a str,
    /// 11 digits.
    pub snils: &'a str,
    /// 12 digits, when the application has one.
    pub inn: Option<&'a str>,
}

fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

fn rdn(oid: ObjectIdentifier, tag: Tag, value: &str) -> Result<RelativeDistinguishedName, Error> {
    let atv = AttributeTypeAndValue {
        oid,
        value: Any::new(tag, value.as_bytes())?,
    };
    Ok(RelativeDistinguishedName(SetOfVec::try_from(vec![atv])?))
}

/// The part of a certificate request that is signed, for the public key
/// `spki` (DER of a SubjectPublicKeyInfo, as WebCrypto exports it).
pub fn request_info(subject: &Subject<'_>, spki: &[u8]) -> Result<CertReqInfo, Error> {
    let mut rdns = vec![
        rdn(CN, Tag::Utf8String, subject.full_name)?,
        rdn(SNILS, Tag::NumericString, subject.snils)?,
    ];
    if let Some(inn) = subject.inn {
        rdns.push(rdn(INN, Tag::NumericString, inn)?);
    }
    Ok(CertReqInfo {
        version: Version::V1,
        subject: RdnSequence(rdns),
        public_key: SubjectPublicKeyInfoOwned::from_der(spki)?,
        attributes: Attributes::new(),
    })
}

/// The bytes the key signs for a request: the DER of its signed part.
pub fn request_to_be_signed(info: &CertReqInfo) -> Result<Vec<u8>, Error> {
    info.to_der()
}

/// The request as PEM, from its signed part and the ECDSA signature over
/// `info.to_der()` in WebCrypto's form (`r ‖ s`).
pub fn request_pem(info: CertReqInfo, raw_signature: &[u8]) -> Result<String, Error> {
    let req = CertReq {
        info,
        algorithm: alg(ECDSA_SHA256),
        signature: BitString::from_bytes(&ecdsa_der(raw_signature)?)?,
    };
    der::EncodePem::to_pem(&req, LineEnding::LF)
}

#[derive(Sequence)]
struct EcdsaSigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// WebCrypto's ECDSA signature (`r ‖ s`, each the curve's size) as the
/// DER `Ecdsa-Sig-Value` that X.509 and CMS carry.
pub fn ecdsa_der(raw: &[u8]) -> Result<Vec<u8>, Error> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return Err(der::ErrorKind::Length { tag: Tag::Sequence }.into());
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    EcdsaSigValue {
        r: UintRef::new(r)?,
        s: UintRef::new(s)?,
    }
    .to_der()
}

/// A certificate from its PEM text.
pub fn certificate(pem: &str) -> Result<Certificate, Error> {
    Certificate::from_pem(pem.as_bytes())
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, Error> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

/// The signed attributes of a detached signature of a document whose
/// SHA-256 is `digest`, made `now` (seconds since 1970): content type,
/// signing time and message digest.
pub fn signed_attributes(digest: &[u8], now: u64) -> Result<Attributes, Error> {
    let time = UtcTime::from_unix_duration(Duration::from_secs(now))?;
    SetOfVec::try_from(vec![
        attribute(CONTENT_TYPE, Any::encode_from(&ID_DATA)?)?,
        attribute(SIGNING_TIME, Any::encode_from(&time)?)?,
        attribute(MESSAGE_DIGEST, Any::new(Tag::OctetString, digest)?)?,
    ])
}

/// The bytes the signer's key signs: the DER of the attributes as a SET.
pub fn to_be_signed(attrs: &Attributes) -> Result<Vec<u8>, Error> {
    attrs.to_der()
}

/// The detached CMS (DER `ContentInfo` of a `SignedData` with the signer's
/// certificate) from the attributes and WebCrypto's ECDSA signature over
/// [`to_be_signed`].
pub fn signed_data(
    cert: Certificate,
    attrs: Attributes,
    raw_signature: &[u8],
) -> Result<Vec<u8>, Error> {
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid,
        digest_alg: alg(SHA256),
        signed_attrs: Some(attrs),
        signature_algorithm: alg(ECDSA_SHA256),
        signature: OctetString::new(ecdsa_der(raw_signature)?)?,
        unsigned_attrs: None,
    };
    let data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![alg(SHA256)])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(vec![
            CertificateChoices::Certificate(cert),
        ])?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer])?),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&data)?,
    }
    .to_der()
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Tagged;
    use p256::ecdsa::signature::{Signer, Verifier};
    use p256::ecdsa::{Signature, SigningKey};
    use p256::pkcs8::EncodePublicKey;
    use sha2::Digest;

    fn key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap()
    }

    /// What WebCrypto returns: `r ‖ s`.
    fn raw_sign(key: &SigningKey, data: &[u8]) -> Vec<u8> {
        let sig: Signature = key.sign(data);
        sig.to_bytes().to_vec()
    }

    #[test]
    fn ecdsa_signature_becomes_der_integers() {
        // A high bit in r needs a leading zero; leading zeros of s go.
        let mut raw = vec![0x80; 32];
        raw.extend([0u8; 31]);
        raw.push(0x05);
        let der = ecdsa_der(&raw).unwrap();
        assert_eq!(&der[..4], &[0x30, 0x26, 0x02, 0x21]);
        assert_eq!(der[4], 0x00);
        assert_eq!(&der[der.len() - 3..], &[0x02, 0x01, 0x05]);
        assert!(ecdsa_der(&[1, 2, 3]).is_err());
        assert!(ecdsa_der(&[]).is_err());
    }

    #[test]
    fn request_verifies_and_names_the_owner() {
        let key = key();
        let spki = key.verifying_key().to_public_key_der().unwrap();
        let subject = Subject {
            full_name: "Иванов Иван Иванович",
            snils: "11223344595",
            inn: Some("500100732259"),
        };
        let info = request_info(&subject, spki.as_bytes()).unwrap();
        let tbs = request_to_be_signed(&info).unwrap();
        let pem = request_pem(info, &raw_sign(&key, &tbs)).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));

        let req = <CertReq as der::DecodePem>::from_pem(pem.as_bytes()).unwrap();
        let signed = req.info.to_der().unwrap();
        mezha_signatures::verify_signature(
            &req.info.public_key,
            &req.algorithm,
            &signed,
            req.signature.as_bytes().unwrap(),
        )
        .unwrap();
        let names: Vec<(String, Tag, Vec<u8>)> = req
            .info
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .map(|atv| {
                (
                    atv.oid.to_string(),
                    atv.value.tag(),
                    atv.value.value().to_vec(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                (
                    "2.5.4.3".into(),
                    Tag::Utf8String,
                    "Иванов Иван Иванович".as_bytes().to_vec()
                ),
                (
                    "1.2.643.100.3".into(),
                    Tag::NumericString,
                    b"11223344595".to_vec()
                ),
                (
                    "1.2.643.3.131.1.1".into(),
                    Tag::NumericString,
                    b"500100732259".to_vec()
                ),
            ]
        );
        // A key that is not DER SPKI is refused, not a panic.
        assert!(request_info(&subject, b"not a key").is_err());
    }

    #[test]
    fn detached_signature_carries_digest_time_and_a_verifiable_signature() {
        // Any certificate does for the structure; the server's tests
        // validate one issued by the platform CA end to end.
        let pem = include_str!("../../signatures/tests/vectors/p256/inter.pem");
        let cert = certificate(pem).unwrap();
        let key = key();
        let document = "Договор № 17".as_bytes();
        let digest = sha2::Sha256::digest(document).to_vec();
        let attrs = signed_attributes(&digest, 1_795_000_000).unwrap();
        let tbs = to_be_signed(&attrs).unwrap();
        assert_eq!(
            tbs[0], 0x31,
            "signed over a SET, not the [0] of the SignerInfo"
        );
        let cms = signed_data(cert.clone(), attrs, &raw_sign(&key, &tbs)).unwrap();

        let info = ContentInfo::from_der(&cms).unwrap();
        assert_eq!(info.content_type, ID_SIGNED_DATA);
        let data: SignedData = info.content.decode_as().unwrap();
        assert!(data.encap_content_info.econtent.is_none(), "detached");
        let certs: Vec<_> = data.certificates.unwrap().0.into_vec();
        assert_eq!(certs, vec![CertificateChoices::Certificate(cert.clone())]);
        let signer = data.signer_infos.0.into_vec().remove(0);
        let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
            panic!("issuer and serial expected");
        };
        assert_eq!(sid.serial_number, cert.tbs_certificate.serial_number);
        let attrs = signer.signed_attrs.unwrap();
        let value = |oid| {
            attrs
                .iter()
                .find(|a| a.oid == oid)
                .map(|a| a.values.get(0).unwrap().clone())
                .unwrap()
        };
        assert_eq!(value(MESSAGE_DIGEST).value(), digest.as_slice());
        assert_eq!(
            value(SIGNING_TIME)
                .decode_as::<UtcTime>()
                .unwrap()
                .to_unix_duration()
                .as_secs(),
            1_795_000_000
        );
        let sig = Signature::from_der(signer.signature.as_bytes()).unwrap();
        key.verifying_key()
            .verify(&attrs.to_der().unwrap(), &sig)
            .unwrap();
    }
}
