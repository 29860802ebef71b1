//! The browser's key store: IndexedDB database `mezha-keys`, object store
//! `keys`, one record per certificate application (its id is the key).
//! A record holds the WebCrypto key pair (the private key as a
//! non-extractable `CryptoKey`, which IndexedDB keeps as is) and, once
//! issued, the certificate beside it.

use js_sys::{Array, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DB: &str = "mezha-keys";
const STORE: &str = "keys";

/// A key pair kept in this browser, with its certificate once issued.
#[derive(Clone)]
pub struct StoredKey {
    pub application_id: String,
    pub private_key: JsValue,
    pub public_key: JsValue,
    /// The certificate's id in the API.
    pub certificate_id: Option<String>,
    /// PEM.
    pub certificate: Option<String>,
    /// The certificate's subject and end of validity, for choosing a key.
    pub subject: Option<String>,
    pub not_after: Option<String>,
}

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// Waits for an IndexedDB request and returns its result.
async fn finished(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await?;
    req.result()
}

async fn database() -> Result<IdbDatabase, JsValue> {
    if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(db);
    }
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let factory = window
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let req = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db
            && !db.object_store_names().contains(STORE)
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = finished(&req).await?.dyn_into()?;
    drop(upgrade);
    OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn get_str(o: &JsValue, name: &str) -> Option<String> {
    Reflect::get(o, &name.into()).ok()?.as_string()
}

fn from_js(o: &JsValue) -> Option<StoredKey> {
    Some(StoredKey {
        application_id: get_str(o, "application_id")?,
        private_key: Reflect::get(o, &"private_key".into()).ok()?,
        public_key: Reflect::get(o, &"public_key".into()).ok()?,
        certificate_id: get_str(o, "certificate_id"),
        certificate: get_str(o, "certificate"),
        subject: get_str(o, "subject"),
        not_after: get_str(o, "not_after"),
    })
}

fn to_js(k: &StoredKey) -> Result<JsValue, JsValue> {
    let o = js_sys::Object::new();
    let opt = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    Reflect::set(
        &o,
        &"application_id".into(),
        &k.application_id.as_str().into(),
    )?;
    Reflect::set(&o, &"private_key".into(), &k.private_key)?;
    Reflect::set(&o, &"public_key".into(), &k.public_key)?;
    Reflect::set(&o, &"certificate_id".into(), &opt(&k.certificate_id))?;
    Reflect::set(&o, &"certificate".into(), &opt(&k.certificate))?;
    Reflect::set(&o, &"subject".into(), &opt(&k.subject))?;
    Reflect::set(&o, &"not_after".into(), &opt(&k.not_after))?;
    Ok(o.into())
}

/// Keeps `key` (replacing the record of its application).
pub async fn put(key: &StoredKey) -> Result<(), JsValue> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(STORE)?;
    let req = store.put_with_key(&to_js(key)?, &key.application_id.as_str().into())?;
    finished(&req).await?;
    Ok(())
}

/// The record of an application, if this browser has one.
pub async fn get(application_id: &str) -> Result<Option<StoredKey>, JsValue> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?;
    let req = tx.object_store(STORE)?.get(&application_id.into())?;
    let value = finished(&req).await?;
    Ok(if value.is_undefined() {
        None
    } else {
        from_js(&value)
    })
}

/// Every record, keys with a certificate first.
pub async fn all() -> Result<Vec<StoredKey>, JsValue> {
    let db = database().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?;
    let req = tx.object_store(STORE)?.get_all()?;
    let list: Array = finished(&req).await?.dyn_into()?;
    let mut keys: Vec<StoredKey> = list.iter().filter_map(|v| from_js(&v)).collect();
    keys.sort_by_key(|k| k.certificate.is_none());
    Ok(keys)
}
