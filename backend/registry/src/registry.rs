//! The stand-in's state: packages, plans, faults, counters and the
//! idempotency slots, in memory behind one mutex, and the work that moves
//! packages along the schedule and delivers their callbacks.

use crate::config::Config;
use crate::package::{self, Contents};
use crate::protocol::{
    Callback, FaultKind, FaultSpec, FeeNotice, FeeReceipt, GLOBAL_SCOPE, PackageEvent,
    PackageReceipt, PackageStatus, PackageView, Plan, SIGNATURE_HEADER, Stats, sign_callback,
};
use crate::schedule::{self, Step, Transition, Wait};
use chrono::{DateTime, Utc};
use mezha_signatures::TrustStore;
use secrecy::ExposeSecret;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// The answer a package submission gave, replayed for its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// One idempotency key's slot: locked while a request with the key is
/// processed, holding the answer once one was given.
pub type Slot = Arc<tokio::sync::Mutex<Option<Answer>>>;

/// A fee notice the package cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeRefusal {
    /// No such package.
    NotFound,
    /// The package is not awaiting its fee, or took a different notice.
    Conflict(String),
}

/// The stand-in registry.
pub struct Registry {
    config: Config,
    trust: TrustStore,
    inner: Mutex<Inner>,
    /// The runtime that `start` ran on: background work goes there, not on
    /// an HTTP worker's runtime.
    runtime: tokio::runtime::Handle,
    http: reqwest::Client,
}

#[derive(Default)]
struct Inner {
    packages: HashMap<String, Package>,
    /// Package ids in the order they arrived.
    order: Vec<String>,
    plans: HashMap<String, Plan>,
    faults: HashMap<String, Fault>,
    requests_by_key: BTreeMap<String, u64>,
    packages_by_reference: BTreeMap<String, u64>,
    powers_of_attorney_by_reference: BTreeMap<String, u64>,
    slots: HashMap<String, Slot>,
}

struct Fault {
    kind: FaultKind,
    remaining: u32,
    delay: Duration,
}

struct Package {
    id: String,
    reference: String,
    /// Until the checks have run.
    contents: Option<Contents>,
    status: PackageStatus,
    events: Vec<PackageEvent>,
    next: Option<(Instant, Step)>,
    fee: Option<FeeReceipt>,
    /// Whether a suspended registration has resumed once.
    resumed: bool,
    callbacks: Option<mpsc::UnboundedSender<Callback>>,
}

impl Package {
    fn view(&self) -> PackageView {
        PackageView {
            package_id: self.id.clone(),
            reference: self.reference.clone(),
            status: self.status,
            events: self.events.clone(),
        }
    }

    /// Records a status change and tells the callback receiver.
    fn enter(&mut self, status: PackageStatus, message: Option<String>, at: DateTime<Utc>) {
        let event = PackageEvent {
            seq: self.events.len() as u64 + 1,
            status,
            at,
            message,
        };
        self.status = status;
        if let Some(tx) = &self.callbacks {
            // The receiver lives as long as the sender; a send cannot fail
            // but while the server shuts down, when nobody listens anyway.
            let _ = tx.send(Callback {
                package_id: self.id.clone(),
                reference: self.reference.clone(),
                seq: event.seq,
                status,
                at,
                message: event.message.clone(),
            });
        }
        self.events.push(event);
    }
}

impl Registry {
    /// A registry with no packages, validating signatures against `trust`.
    pub fn new(
        config: Config,
        trust: TrustStore,
        runtime: tokio::runtime::Handle,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.callback_timeout)
            .build()?;
        Ok(Self {
            config,
            trust,
            inner: Mutex::new(Inner::default()),
            runtime,
            http,
        })
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while the lock was held leaves plain data behind; go on.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    // ---------------------------------------------------------------- intake

    /// The slot of an idempotency key (created on first use).
    pub fn slot(&self, key: &str) -> Slot {
        Arc::clone(self.lock().slots.entry(key.to_owned()).or_default())
    }

    /// Creates a package from checked-in contents: `received`, its checks
    /// scheduled after `accept_after`, its callbacks started.
    pub fn create(&self, contents: Contents) -> PackageReceipt {
        let id = uuid::Uuid::now_v7().to_string();
        let now = Utc::now();
        let reference = contents.manifest.reference.clone();
        let callbacks = contents.manifest.callback_url.clone().map(|url| {
            let (tx, rx) = mpsc::unbounded_channel();
            self.runtime.spawn(deliver(
                rx,
                url,
                self.http.clone(),
                self.config
                    .callback_secret
                    .as_ref()
                    .map(|s| s.expose_secret().to_owned()),
                self.config.callback_attempts,
                self.config.callback_backoff,
            ));
            tx
        });
        let powers_of_attorney: std::collections::BTreeSet<&str> = contents
            .manifest
            .documents
            .iter()
            .flat_map(|d| &d.signatures)
            .filter_map(|s| s.power_of_attorney.as_deref())
            .collect();
        let powers_of_attorney = powers_of_attorney.len() as u64;
        let mut package = Package {
            id: id.clone(),
            reference: reference.clone(),
            contents: Some(contents),
            status: PackageStatus::Received,
            events: Vec::new(),
            next: Some((self.due(Step::Check), Step::Check)),
            fee: None,
            resumed: false,
            callbacks,
        };
        package.enter(
            PackageStatus::Received,
            Some("Пакет документов получен, проводится проверка".to_owned()),
            now,
        );
        let mut inner = self.lock();
        *inner
            .packages_by_reference
            .entry(reference.clone())
            .or_default() += 1;
        *inner
            .powers_of_attorney_by_reference
            .entry(reference.clone())
            .or_default() += powers_of_attorney;
        inner.order.push(id.clone());
        inner.packages.insert(id.clone(), package);
        tracing::info!(package_id = %id, %reference, "package received");
        PackageReceipt {
            package_id: id,
            reference,
            status: PackageStatus::Received,
            received_at: now,
        }
    }

    fn due(&self, step: Step) -> Instant {
        Instant::now()
            + match step.wait() {
                Wait::Accept => self.config.accept_after,
                Wait::Register => self.config.register_after,
            }
    }

    // ---------------------------------------------------------------- reading

    /// A package by id.
    pub fn view(&self, id: &str) -> Option<PackageView> {
        self.lock().packages.get(id).map(Package::view)
    }

    /// The packages of a reference, oldest first.
    pub fn by_reference(&self, reference: &str) -> Vec<PackageView> {
        let inner = self.lock();
        inner
            .order
            .iter()
            .filter_map(|id| inner.packages.get(id))
            .filter(|p| p.reference == reference)
            .map(Package::view)
            .collect()
    }

    // ---------------------------------------------------------------- fee

    /// Takes the fee notice of a package: the first in `accepted` schedules
    /// the registration; the same notice again gets the same receipt.
    pub fn fee(&self, id: &str, notice: &FeeNotice) -> Result<FeeReceipt, FeeRefusal> {
        let due = self.due(Step::StartRegistration);
        let mut inner = self.lock();
        let package = inner.packages.get_mut(id).ok_or(FeeRefusal::NotFound)?;
        if let Some(fee) = &package.fee {
            let same = fee.uin == notice.uin
                && fee.amount_kopecks == notice.amount_kopecks
                && fee.paid_at == notice.paid_at;
            return if same {
                Ok(fee.clone())
            } else {
                Err(FeeRefusal::Conflict(
                    "the package has already taken a different fee notice".to_owned(),
                ))
            };
        }
        let Some(step) = schedule::after_fee(package.status) else {
            return Err(FeeRefusal::Conflict(format!(
                "the package is `{}`, not `accepted`: it is not awaiting its fee",
                package.status
            )));
        };
        let receipt = FeeReceipt {
            package_id: id.to_owned(),
            uin: notice.uin.clone(),
            amount_kopecks: notice.amount_kopecks,
            paid_at: notice.paid_at,
            received_at: Utc::now(),
        };
        package.fee = Some(receipt.clone());
        package.next = Some((due, step));
        Ok(receipt)
    }

    // ---------------------------------------------------------------- schedule

    /// Runs the scheduled steps that are due (`force`: every scheduled step,
    /// as if its time had come), one per package; returns how many ran.
    pub async fn run_due(self: &Arc<Self>, force: bool) -> u64 {
        let now = Instant::now();
        let taken: Vec<(String, Step, Option<Contents>)> = {
            let mut inner = self.lock();
            let mut taken = Vec::new();
            for id in inner.order.clone() {
                let Some(package) = inner.packages.get_mut(&id) else {
                    continue;
                };
                match package.next {
                    Some((due, step)) if force || due <= now => {
                        package.next = None;
                        let contents = if step == Step::Check {
                            package.contents.take()
                        } else {
                            None
                        };
                        taken.push((id, step, contents));
                    }
                    _ => {}
                }
            }
            taken
        };
        let ran = taken.len() as u64;
        let mut checks = Vec::new();
        for (id, step, contents) in taken {
            if step == Step::Check {
                let registry = Arc::clone(self);
                checks.push(self.runtime.spawn_blocking(move || {
                    let reasons = match &contents {
                        Some(c) => {
                            package::check(c, &registry.trust, registry.config.trust_dir.is_some())
                        }
                        None => vec!["the package's content is lost".to_owned()],
                    };
                    registry.apply(&id, step, schedule::after_checks(&reasons));
                }));
            } else {
                let transition = {
                    let inner = self.lock();
                    let Some(package) = inner.packages.get(&id) else {
                        continue;
                    };
                    schedule::registrar(step, inner.plans.get(&package.reference), package.resumed)
                };
                self.apply(&id, step, transition);
            }
        }
        for check in checks {
            if let Err(e) = check.await {
                tracing::error!(error = %e, "the checks of a package panicked");
            }
        }
        ran
    }

    fn apply(&self, id: &str, step: Step, transition: Transition) {
        let next = transition.next.map(|s| (self.due(s), s));
        let mut inner = self.lock();
        let Some(package) = inner.packages.get_mut(id) else {
            return;
        };
        if step == Step::Resume {
            package.resumed = true;
        }
        tracing::info!(package_id = %id, status = %transition.status, "package status");
        package.enter(transition.status, transition.message, Utc::now());
        package.next = next;
    }

    // ---------------------------------------------------------------- control

    /// Plans the outcome of a reference's packages (present and future).
    pub fn plan(&self, reference: &str, plan: Plan) {
        self.lock().plans.insert(reference.to_owned(), plan);
    }

    /// Sets (or, with `none`, removes) the fault of a scope.
    pub fn set_fault(&self, spec: &FaultSpec) {
        let mut inner = self.lock();
        if spec.kind == FaultKind::None || spec.times == 0 {
            inner.faults.remove(&spec.scope);
        } else {
            inner.faults.insert(
                spec.scope.clone(),
                Fault {
                    kind: spec.kind,
                    remaining: spec.times,
                    delay: Duration::from_millis(spec.delay_ms),
                },
            );
        }
    }

    /// Counts a `/v1` request and takes the fault it meets, if any: the
    /// fault of its idempotency key first, then the global one.
    pub fn meet_fault(&self, key: Option<&str>) -> Option<(FaultKind, Duration)> {
        let mut inner = self.lock();
        if let Some(key) = key {
            *inner.requests_by_key.entry(key.to_owned()).or_default() += 1;
        }
        let scope = key
            .filter(|k| inner.faults.contains_key(*k))
            .unwrap_or(GLOBAL_SCOPE)
            .to_owned();
        let fault = inner.faults.get_mut(&scope)?;
        fault.remaining -= 1;
        let hit = (fault.kind, fault.delay);
        if fault.remaining == 0 {
            inner.faults.remove(&scope);
        }
        Some(hit)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        let inner = self.lock();
        Stats {
            packages: inner.packages.len() as u64,
            requests_by_key: inner.requests_by_key.clone(),
            packages_by_reference: inner.packages_by_reference.clone(),
            powers_of_attorney_by_reference: inner.powers_of_attorney_by_reference.clone(),
        }
    }
}

/// Runs the due steps every `tick` until the task is aborted.
pub async fn tick(registry: Arc<Registry>, tick: Duration) {
    loop {
        tokio::time::sleep(tick).await;
        registry.run_due(false).await;
    }
}

/// Delivers a package's callbacks one after the other, each retried with
/// doubling waits until the receiver answers 2xx or the attempts run out.
async fn deliver(
    mut rx: mpsc::UnboundedReceiver<Callback>,
    url: String,
    http: reqwest::Client,
    secret: Option<String>,
    attempts: u32,
    backoff: Duration,
) {
    while let Some(callback) = rx.recv().await {
        let body = match serde_json::to_vec(&callback) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "a callback cannot be serialised");
                continue;
            }
        };
        let mut wait = backoff;
        for attempt in 1..=attempts.max(1) {
            let mut request = http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
            if let Some(secret) = &secret {
                request = request.header(SIGNATURE_HEADER, sign_callback(secret, &body));
            }
            match request.send().await {
                Ok(response) if response.status().is_success() => break,
                Ok(response) => tracing::warn!(
                    %url, seq = callback.seq, attempt, status = %response.status(),
                    "callback refused"
                ),
                Err(e) => tracing::warn!(
                    %url, seq = callback.seq, attempt, error = %e, "callback failed"
                ),
            }
            if attempt < attempts {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
        }
    }
}
