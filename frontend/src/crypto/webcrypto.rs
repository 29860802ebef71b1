//! The browser's WebCrypto (`crypto.subtle`): ECDSA P-256 key pairs whose
//! private key cannot be exported, signatures with SHA-256 and SHA-256
//! digests. Called through `Reflect` so that the code does not depend on
//! how a `web-sys` version spells each overload.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A key pair made by [`generate`]; the private key never leaves WebCrypto.
#[derive(Clone)]
pub struct KeyPair {
    pub private_key: JsValue,
    pub public_key: JsValue,
}

fn subtle() -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let crypto = Reflect::get(&window, &"crypto".into())?;
    let subtle = Reflect::get(&crypto, &"subtle".into())?;
    if subtle.is_undefined() {
        // Only secure contexts (https, localhost) have it.
        return Err(JsValue::from_str("WebCrypto is not available"));
    }
    Ok(subtle)
}

async fn call(method: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let subtle = subtle()?;
    let f: Function = Reflect::get(&subtle, &method.into())?.dyn_into()?;
    let list = Array::new();
    for arg in args {
        list.push(arg);
    }
    let promise: Promise = f.apply(&subtle, &list)?.dyn_into()?;
    JsFuture::from(promise).await
}

fn object(pairs: &[(&str, &str)]) -> Result<JsValue, JsValue> {
    let o = Object::new();
    for (name, value) in pairs {
        Reflect::set(&o, &(*name).into(), &(*value).into())?;
    }
    Ok(o.into())
}

fn bytes(value: &JsValue) -> Vec<u8> {
    Uint8Array::new(value).to_vec()
}

/// A new ECDSA P-256 key pair for signing; the private key is not
/// extractable (it can sign and be stored in IndexedDB, never be read).
pub async fn generate() -> Result<KeyPair, JsValue> {
    let algorithm = object(&[("name", "ECDSA"), ("namedCurve", "P-256")])?;
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let pair = call("generateKey", &[&algorithm, &JsValue::FALSE, &usages]).await?;
    Ok(KeyPair {
        private_key: Reflect::get(&pair, &"privateKey".into())?,
        public_key: Reflect::get(&pair, &"publicKey".into())?,
    })
}

/// The public key as DER `SubjectPublicKeyInfo`.
pub async fn export_spki(public_key: &JsValue) -> Result<Vec<u8>, JsValue> {
    let der = call("exportKey", &[&"spki".into(), public_key]).await?;
    Ok(bytes(&der))
}

/// An ECDSA-with-SHA-256 signature of `data`: `r ‖ s`, 64 bytes.
pub async fn sign(private_key: &JsValue, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"ECDSA".into())?;
    Reflect::set(&algorithm, &"hash".into(), &object(&[("name", "SHA-256")])?)?;
    let data: JsValue = Uint8Array::from(data).into();
    let signature = call("sign", &[&algorithm.into(), private_key, &data]).await?;
    Ok(bytes(&signature))
}

/// SHA-256 of `data`.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let data: JsValue = Uint8Array::from(data).into();
    let digest = call("digest", &[&"SHA-256".into(), &data]).await?;
    Ok(bytes(&digest))
}
