//! Electronic signatures in the browser (docs/certificates.md, "In the web
//! app"): keys made and kept by
//! WebCrypto and IndexedDB, the certificate request and the detached CMS
//! signature built in Rust.

pub mod keystore;
pub mod webcrypto;

pub use mezha_cms_build as pkcs;

use chrono::{DateTime, Utc};
use keystore::StoredKey;
use wasm_bindgen::JsValue;

/// Why signing failed, for the log; the user sees a generic text.
pub fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Seconds since 1970, by the browser's clock.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A detached CMS signature (DER) of `document` with a stored key and its
/// certificate.
pub async fn sign_detached(key: &StoredKey, document: &[u8]) -> Result<Vec<u8>, String> {
    let pem = key
        .certificate
        .as_deref()
        .ok_or_else(|| "the key has no certificate yet".to_owned())?;
    let cert = pkcs::certificate(pem).map_err(|e| e.to_string())?;
    let digest = webcrypto::sha256(document)
        .await
        .map_err(|e| describe(&e))?;
    let attrs = pkcs::signed_attributes(&digest, now_secs()).map_err(|e| e.to_string())?;
    let tbs = pkcs::to_be_signed(&attrs).map_err(|e| e.to_string())?;
    let raw = webcrypto::sign(&key.private_key, &tbs)
        .await
        .map_err(|e| describe(&e))?;
    pkcs::signed_data(cert, attrs, &raw).map_err(|e| e.to_string())
}

/// A key of this browser with its certificate, described for a person to
/// choose it (the certificate login).
#[derive(Clone)]
pub struct CertifiedKey {
    pub key: StoredKey,
    /// The holder's name (the certificate's CN), else its whole subject.
    pub name: String,
    /// Serial number, lower-case hex without leading zeros (as the API and
    /// the cabinet write it).
    pub serial: String,
    pub not_after: Option<DateTime<Utc>>,
}

impl CertifiedKey {
    /// Whether the certificate's validity has ended, by the browser's clock.
    pub fn expired(&self) -> bool {
        self.not_after
            .is_some_and(|end| end.timestamp() < now_secs() as i64)
    }
}

/// The keys of this browser that have a certificate, described from the
/// certificate itself; the ones still valid first. A record whose
/// certificate does not parse is left out (it could not sign either).
pub async fn certified_keys() -> Result<Vec<CertifiedKey>, JsValue> {
    let keys: Vec<CertifiedKey> = keystore::all()
        .await?
        .into_iter()
        .filter_map(|key| {
            let cert = pkcs::certificate(key.certificate.as_deref()?).ok()?;
            let tbs = &cert.tbs_certificate;
            // id-at-commonName, 2.5.4.3
            let name = tbs
                .subject
                .0
                .iter()
                .flat_map(|rdn| rdn.0.iter())
                .find(|atv| atv.oid.as_bytes() == [0x55, 0x04, 0x03])
                .and_then(|atv| std::str::from_utf8(atv.value.value()).ok())
                .map(str::to_owned)
                .or_else(|| key.subject.clone())
                .unwrap_or_default();
            let serial: String = tbs
                .serial_number
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let serial = match serial.trim_start_matches('0') {
                "" => "0".to_owned(),
                s => s.to_owned(),
            };
            let end = tbs.validity.not_after.to_unix_duration().as_secs();
            Some(CertifiedKey {
                name,
                serial,
                not_after: i64::try_from(end)
                    .ok()
                    .and_then(|s| DateTime::from_timestamp(s, 0)),
                key,
            })
        })
        .collect();
    let (valid, expired): (Vec<_>, Vec<_>) = keys.into_iter().partition(|k| !k.expired());
    Ok(valid.into_iter().chain(expired).collect())
}

/// Standard base64 (with padding) of `bytes`, by the browser's `btoa`.
pub fn base64(bytes: &[u8]) -> Result<String, JsValue> {
    // `btoa` takes a "binary string": one character per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .btoa(&binary)
}

/// A new key pair for an application, kept in IndexedDB before anything is
/// sent (a lost answer must not lose the key), and the PEM request for it.
/// A key already kept for the application without a certificate is reused.
pub async fn request_for(
    application_id: &str,
    subject: &pkcs::Subject<'_>,
) -> Result<(StoredKey, String), String> {
    let existing = keystore::get(application_id)
        .await
        .map_err(|e| describe(&e))?
        .filter(|k| k.certificate.is_none());
    let key = match existing {
        Some(key) => key,
        None => {
            let pair = webcrypto::generate().await.map_err(|e| describe(&e))?;
            let key = StoredKey {
                application_id: application_id.to_owned(),
                private_key: pair.private_key,
                public_key: pair.public_key,
                certificate_id: None,
                certificate: None,
                subject: None,
                not_after: None,
            };
            keystore::put(&key).await.map_err(|e| describe(&e))?;
            key
        }
    };
    let spki = webcrypto::export_spki(&key.public_key)
        .await
        .map_err(|e| describe(&e))?;
    let info = pkcs::request_info(subject, &spki).map_err(|e| e.to_string())?;
    let tbs = pkcs::request_to_be_signed(&info).map_err(|e| e.to_string())?;
    let raw = webcrypto::sign(&key.private_key, &tbs)
        .await
        .map_err(|e| describe(&e))?;
    let pem = pkcs::request_pem(info, &raw).map_err(|e| e.to_string())?;
    Ok((key, pem))
}
