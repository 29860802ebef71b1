//! The stand-in on 127.0.0.1:0, a callback receiver, signing keys and
//! certificates, and a package builder.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use mezha_registry::protocol::{
    Advanced, Callback, FaultKind, FaultSpec, FeeNotice, IDEMPOTENCY_KEY_HEADER, MANIFEST_FILE,
    PACKAGE_FORMAT, PackageReceipt, PackageStatus, PackageView, Plan, PlannedOutcome, Problem,
    SIGNATURE_HEADER, Stats, verify_callback,
};
use mezha_registry::{Config, Running, start};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, Signature, SigningKey};
use p256::pkcs8::EncodePublicKey;
use secrecy::SecretString;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::certificate::Certificate;
use x509_cert::der::{Decode, EncodePem};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

/// The callback secret of every test registry.
pub const SECRET: &str = "test-callback-secret";
/// A long wait: nothing happens by itself; tests call `advance`.
const NEVER: Duration = Duration::from_secs(3600);

/// A registry for one test.
pub struct TestRegistry {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
}

/// The configuration of a test registry: no step happens before `advance`.
pub fn config() -> Config {
    Config {
        callback_secret: Some(SecretString::from(SECRET)),
        accept_after: NEVER,
        register_after: NEVER,
        callback_backoff: Duration::from_millis(10),
        callback_timeout: Duration::from_secs(5),
        workers: 1,
        ..Config::default()
    }
}

pub async fn spawn() -> TestRegistry {
    spawn_with(config()).await
}

pub async fn spawn_with(config: Config) -> TestRegistry {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let running = start(config, listener).await.unwrap();
    let base = running.url();
    TestRegistry {
        running,
        base,
        client: reqwest::Client::new(),
    }
}

impl TestRegistry {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /v1/packages` with `key`; the raw response.
    pub async fn submit(&self, key: &str, zip: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.url("/v1/packages"))
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .header("Content-Type", "application/zip")
            .body(zip)
            .send()
            .await
            .unwrap()
    }

    /// Submits and expects 202.
    pub async fn submit_ok(&self, key: &str, zip: Vec<u8>) -> PackageReceipt {
        let response = self.submit(key, zip).await;
        assert_eq!(response.status(), 202);
        response.json().await.unwrap()
    }

    pub async fn package(&self, id: &str) -> PackageView {
        let response = self
            .client
            .get(self.url(&format!("/v1/packages/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn status(&self, id: &str) -> PackageStatus {
        self.package(id).await.status
    }

    pub async fn by_reference(&self, reference: &str) -> Vec<PackageView> {
        self.client
            .get(self.url("/v1/packages"))
            .query(&[("reference", reference)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `POST /control/advance`: how many steps ran.
    pub async fn advance(&self) -> u64 {
        let advanced: Advanced = self
            .client
            .post(self.url("/control/advance"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        advanced.steps
    }

    pub async fn fee(&self, id: &str, notice: &FeeNotice) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/v1/packages/{id}/fee")))
            .json(notice)
            .send()
            .await
            .unwrap()
    }

    pub async fn plan(&self, reference: &str, outcome: PlannedOutcome, reason: Option<&str>) {
        let response = self
            .client
            .put(self.url(&format!("/control/plan/{reference}")))
            .json(&Plan {
                outcome,
                reason: reason.map(str::to_owned),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    pub async fn fault(&self, scope: &str, kind: FaultKind, times: u32, delay_ms: u64) {
        let response = self
            .client
            .put(self.url("/control/faults"))
            .json(&FaultSpec {
                scope: scope.to_owned(),
                kind,
                times,
                delay_ms,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    pub async fn stats(&self) -> Stats {
        self.client
            .get(self.url("/control/stats"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// A fee notice with a valid УИН.
pub fn notice() -> FeeNotice {
    FeeNotice {
        uin: "32100000000000000425".to_owned(),
        amount_kopecks: 200_000,
        paid_at: "2026-11-23T10:05:00Z".parse().unwrap(),
    }
}

/// A problem answer: status, code and detail.
pub async fn problem(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.status, status);
    (status, problem.code().to_owned(), problem.detail)
}

/// Waits (up to 10 s) until `ready` holds; panics otherwise.
pub async fn eventually<F: FnMut() -> bool>(what: &str, mut ready: F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !ready() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

// ------------------------------------------------------------------ callbacks

/// One callback as received: the signature header and the raw body.
#[derive(Debug, Clone)]
pub struct Received {
    pub signature: Option<String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn callback(&self) -> Callback {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// Requests still to be answered 500.
    failures_left: usize,
    attempts: usize,
}

/// An HTTP server that records the callbacks posted to it.
#[derive(Clone)]
pub struct Receiver {
    state: Arc<Mutex<ReceiverState>>,
    pub url: String,
}

impl Receiver {
    /// A receiver answering 500 to its first `failures` requests.
    pub async fn start(failures: usize) -> Receiver {
        let state = Arc::new(Mutex::new(ReceiverState {
            failures_left: failures,
            ..ReceiverState::default()
        }));
        let data = web::Data::from(Arc::clone(&state));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/callbacks", listener.local_addr().unwrap());
        let server = HttpServer::new(move || {
            App::new().app_data(data.clone()).route(
                    "/callbacks",
                    web::post().to(
                        |req: HttpRequest,
                         body: web::Bytes,
                         state: web::Data<Mutex<ReceiverState>>| async move {
                            let mut state = state.lock().unwrap();
                            state.attempts += 1;
                            if state.failures_left > 0 {
                                state.failures_left -= 1;
                                return HttpResponse::InternalServerError().finish();
                            }
                            state.received.push(Received {
                                signature: req
                                    .headers()
                                    .get(SIGNATURE_HEADER)
                                    .map(|v| v.to_str().unwrap().to_owned()),
                                body: body.to_vec(),
                            });
                            HttpResponse::NoContent().finish()
                        },
                    ),
                )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Receiver { state, url }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn attempts(&self) -> usize {
        self.state.lock().unwrap().attempts
    }

    /// Waits until `n` callbacks arrived, checks every signature and
    /// returns them in arrival order.
    pub async fn wait_for(&self, n: usize) -> Vec<Callback> {
        eventually(&format!("{n} callbacks"), || self.received().len() >= n).await;
        self.received()
            .iter()
            .map(|r| {
                let signature = r.signature.as_deref().expect("signed");
                assert!(verify_callback(SECRET, &r.body, signature), "HMAC");
                r.callback()
            })
            .collect()
    }
}

// ------------------------------------------------------------------ signatures

/// A CA and a signer certified by it, both ECDSA P-256.
pub struct Pki {
    pub root_pem: String,
    signer: Certificate,
    signer_key: SigningKey,
}

fn spki(key: &SigningKey) -> SubjectPublicKeyInfoOwned {
    let der = key.verifying_key().to_public_key_der().unwrap();
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).unwrap()
}

fn validity() -> Validity {
    let now = SystemTime::now();
    Validity {
        not_before: Time::try_from(now - Duration::from_secs(3600)).unwrap(),
        not_after: Time::try_from(now + Duration::from_secs(86_400 * 30)).unwrap(),
    }
}

impl Pki {
    /// A fresh root and signer; `seed` makes the keys.
    pub fn new(seed: u8) -> Pki {
        let root_key = SigningKey::from_slice(&[seed; 32]).unwrap();
        let signer_key = SigningKey::from_slice(&[seed.wrapping_add(1); 32]).unwrap();
        let root_name = Name::from_str(&format!("CN=Test Registry Root {seed},O=Mezha")).unwrap();
        let root = CertificateBuilder::new(
            Profile::Root,
            SerialNumber::new(&[1]).unwrap(),
            validity(),
            root_name.clone(),
            spki(&root_key),
            &root_key,
        )
        .unwrap()
        .build::<DerSignature>()
        .unwrap();
        let signer = CertificateBuilder::new(
            Profile::Leaf {
                issuer: root_name,
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            SerialNumber::new(&[2]).unwrap(),
            validity(),
            Name::from_str("CN=Иванов Иван Иванович").unwrap(),
            spki(&signer_key),
            &root_key,
        )
        .unwrap()
        .build::<DerSignature>()
        .unwrap();
        Pki {
            root_pem: root.to_pem(p256::pkcs8::LineEnding::LF).unwrap(),
            signer,
            signer_key,
        }
    }

    /// A detached CMS (DER) of `document` by the signer.
    pub fn sign(&self, document: &[u8]) -> Vec<u8> {
        let digest = Sha256::digest(document);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let attrs = mezha_cms_build::signed_attributes(&digest, now).unwrap();
        let tbs = mezha_cms_build::to_be_signed(&attrs).unwrap();
        let signature: Signature = self.signer_key.sign(&tbs);
        mezha_cms_build::signed_data(self.signer.clone(), attrs, &signature.to_bytes()).unwrap()
    }
}

// ------------------------------------------------------------------ packages

/// A package ZIP under construction.
pub struct PackageBuilder {
    reference: String,
    callback_url: Option<String>,
    documents: Vec<serde_json::Value>,
    files: Vec<(String, Vec<u8>)>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl PackageBuilder {
    pub fn new(reference: &str) -> Self {
        Self {
            reference: reference.to_owned(),
            callback_url: None,
            documents: Vec::new(),
            files: Vec::new(),
        }
    }

    pub fn callback(mut self, url: &str) -> Self {
        self.callback_url = Some(url.to_owned());
        self
    }

    /// A document of `kind` whose bytes are `bytes`, signed by the seller
    /// with `signature` (or unsigned).
    pub fn document(
        mut self,
        file: &str,
        kind: &str,
        bytes: &[u8],
        signature: Option<Vec<u8>>,
    ) -> Self {
        let mut signatures = Vec::new();
        if let Some(cms) = signature {
            let sig_file = format!("{file}.seller.p7s");
            signatures.push(
                json!({"file": sig_file, "participant": "seller", "power_of_attorney": null}),
            );
            self.files.push((sig_file, cms));
        }
        self.documents.push(json!({
            "file": file, "kind": kind, "title": file, "sha256": sha256_hex(bytes),
            "signatures": signatures,
        }));
        self.files.push((file.to_owned(), bytes.to_vec()));
        self
    }

    /// A statement signed properly by `pki`.
    pub fn signed_statement(self, pki: &Pki) -> Self {
        let bytes = b"%PDF-1.7 statement of registration".to_vec();
        let cms = pki.sign(&bytes);
        self.document("statement.pdf", "statement", &bytes, Some(cms))
    }

    /// Replaces a file's bytes after the manifest was written for others.
    pub fn replace_file(mut self, file: &str, bytes: Vec<u8>) -> Self {
        for (name, content) in &mut self.files {
            if name == file {
                *content = bytes.clone();
            }
        }
        self
    }

    pub fn manifest(&self) -> serde_json::Value {
        json!({
            "format": PACKAGE_FORMAT,
            "reference": self.reference,
            "callback_url": self.callback_url,
            "object": {"cadastral_number": "77:01:0001001:1001", "address": "г. Москва, ул. Тверская, д. 1, кв. 2",
                       "object_type": "flat", "area_sq_m": 42.5},
            "participants": [
                {"key": "seller", "role": "seller", "full_name": "Иванов Иван Иванович", "snils": "11223344595", "share": "1/1"},
                {"key": "buyer", "role": "buyer", "full_name": "Петрова Анна Сергеевна", "snils": "12345678964", "share": null}
            ],
            "documents": self.documents,
        })
    }

    pub fn zip(&self) -> Vec<u8> {
        zip_of(&self.manifest(), &self.files)
    }
}

/// A ZIP with `manifest.json` and the files.
pub fn zip_of(manifest: &serde_json::Value, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(MANIFEST_FILE, options).unwrap();
    zip.write_all(&serde_json::to_vec(manifest).unwrap())
        .unwrap();
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
