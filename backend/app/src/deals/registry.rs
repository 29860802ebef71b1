//! A deal at the state registry (docs/deals.md, "Sending", "The state
//! fee", "The registry's answers"; the protocol: docs/registry-gateway.md).
//!
//! Sending queues the package's submission in the transaction that makes
//! the deal `submitted` (an outbox); the [`Worker`] sends it — a ZIP of the
//! manifest, the documents and statements and every signature — with the
//! job's own `Idempotency-Key`, so a retry after a timeout, a 5xx or a
//! dropped connection never makes a second submission; it retries with
//! exponential backoff and jitter. The registry answers by callbacks
//! (HMAC-verified) and, as their fallback, by polling ([`poll_once`]);
//! each event is recorded once and the newest moves the deal.

use super::*;
use crate::context::RegistryGateway;
use crate::jobs::{Attempt, Jobs, Runner};
use crate::messaging::{Mail, Mailer};
use mezha_api_types::deals::{DealFee, DealRegistryStatus, RegistryEvent, RegistryStatus};
use mezha_domain::deals::registry::{actions_for, final_refusal, retry_after};
use mezha_domain::uin::Uin;
use mezha_registry::protocol::{self as wire, Manifest, ManifestDocument};
use mezha_store::deal_registry::{self as queue, EventEffect, EventRecord, JobKind, RegistryJob};
use mezha_store::queue::Lease;
use std::collections::HashMap;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// `POST /deals/{id}/send`: a ready deal is submitted; its package goes to
/// the registry from the queue.
pub async fn send(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::Send)?;
    // The employee's statement signatures made under a power of attorney
    // file the package: it must still be in force and grant sending
    // (docs/power-of-attorney.md, "Sending").
    let statements: Vec<Uuid> = loaded
        .documents
        .iter()
        .filter(|d| d.kind == mezha_api_types::deals::DealDocumentKind::Statement)
        .map(|d| d.id)
        .collect();
    let mut under: Vec<Uuid> = loaded
        .signatures
        .iter()
        .filter(|s| s.participant_id.is_none() && statements.contains(&s.document_id))
        .filter_map(|s| s.power_of_attorney_id)
        .collect();
    under.sort_unstable();
    under.dedup();
    for poa in under {
        if let Err(why) = crate::organisations::powers_of_attorney::still_valid(
            state,
            &seen.org,
            poa,
            mezha_domain::poa::DealPower::SubmitToRegistry,
        )
        .await?
        {
            return Err(AppError::new(
                ErrorCode::Conflict,
                crate::msg!("deals.poa_no_longer_valid", reason = why),
            ));
        }
    }
    queue::send(&state.db, &seen.deal, auth.user_id, now(state))
        .await
        .map_err(changed)?;
    get(state, auth, id).await
}

/// `POST /deals/{id}/pay-fee`: the employee marks the state fee paid (the
/// organisation does not pay it automatically); the notice goes to the
/// registry from the queue.
pub async fn pay_fee(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::PayFee)?;
    queue::fee_paid(&state.db, &seen.deal, Some(auth.user_id), now(state))
        .await
        .map_err(changed)?;
    get(state, auth, id).await
}

/// The fee as the caller sees it: its UIN hidden when paid automatically.
pub(crate) fn fee_of(deal: &DealRecord) -> Option<DealFee> {
    let amount = deal.fee_amount_kopecks?;
    let automatic = deal.fee_paid_at.is_some() && deal.fee_paid_by.is_none();
    Some(DealFee {
        uin: if automatic {
            None
        } else {
            deal.fee_uin.clone()
        },
        amount_kopecks: amount,
        automatic,
        paid_at: deal.fee_paid_at,
    })
}

/// `GET /deals/{id}/registry-status`: what the registry reported.
pub async fn status(state: &Core, auth: &Caller, id: Uuid) -> Result<DealRegistryStatus, AppError> {
    let seen = seen(state, auth, id).await?;
    let events: Vec<RegistryEvent> = queue::events(&state.db, id)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(RegistryEvent {
                seq: e.seq,
                status: e.status.parse().ok()?,
                at: e.at,
                message: e.message,
                received_at: e.received_at,
            })
        })
        .collect();
    Ok(DealRegistryStatus {
        package_id: seen.deal.registry_package_id.clone(),
        status: events.last().map(|e| e.status),
        events,
        error: queue::given_up(&state.db, id).await?,
    })
}

/// A request to the gateway that failed: whether trying again cannot help,
/// and why.
#[derive(Debug)]
pub struct Failure {
    pub final_: bool,
    pub error: String,
}

impl Failure {
    fn transient(error: impl std::fmt::Display) -> Self {
        Failure {
            final_: false,
            error: error.to_string(),
        }
    }
}

/// The gateway's HTTP client: timeouts on connecting and on the whole
/// request, the bearer token, no redirects.
#[derive(Clone)]
pub struct Gateway {
    client: reqwest::Client,
    config: RegistryGateway,
}

impl Gateway {
    /// A client of the configured gateway.
    pub fn new(config: RegistryGateway) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mezha-Registry-Client/1")
            .build()?;
        Ok(Gateway { client, config })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.url.trim_end_matches('/'))
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = &self.config.token {
            req = req.bearer_auth(token);
        }
        req
    }

    async fn answer(req: reqwest::RequestBuilder) -> Result<Vec<u8>, Failure> {
        let resp = req
            .send()
            .await
            .map_err(|e| Failure::transient(format!("{:#}", anyhow::Error::from(e))))?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .map_err(|e| Failure::transient(format!("reading the answer: {e}")))?;
        if status.is_success() {
            Ok(body.to_vec())
        } else {
            let detail = String::from_utf8_lossy(&body)
                .chars()
                .take(500)
                .collect::<String>();
            Err(Failure {
                final_: final_refusal(status.as_u16()),
                error: format!("HTTP {status}: {detail}"),
            })
        }
    }

    fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
        serde_json::from_slice(body).map_err(|e| Failure::transient(format!("bad answer: {e}")))
    }

    /// Submits a package (the same `key` on every attempt).
    pub async fn submit(&self, key: &str, zip: Vec<u8>) -> Result<wire::PackageReceipt, Failure> {
        let req = self
            .request(reqwest::Method::POST, "/v1/packages")
            .header(wire::IDEMPOTENCY_KEY_HEADER, key)
            .header(reqwest::header::CONTENT_TYPE, wire::PACKAGE_CONTENT_TYPE)
            .body(zip);
        Self::parse(&Self::answer(req).await?)
    }

    /// Tells the registry the fee of `package` is paid.
    pub async fn fee(
        &self,
        key: &str,
        package: &str,
        notice: &wire::FeeNotice,
    ) -> Result<(), Failure> {
        let body = serde_json::to_vec(notice).map_err(Failure::transient)?;
        let req = self
            .request(
                reqwest::Method::POST,
                &format!("/v1/packages/{package}/fee"),
            )
            .header(wire::IDEMPOTENCY_KEY_HEADER, key)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        Self::answer(req).await.map(|_| ())
    }

    /// The package as the registry has it.
    pub async fn package(&self, package: &str) -> Result<wire::PackageView, Failure> {
        let req = self.request(reqwest::Method::GET, &format!("/v1/packages/{package}"));
        Self::parse(&Self::answer(req).await?)
    }
}

/// The deal's package: `manifest.json`, each document and statement under
/// `documents/`, each signature (DER) under `signatures/`.
pub async fn package(
    state: &Core,
    deal_id: Uuid,
    callback_url: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let deal = store::get(&state.db, deal_id)
        .await?
        .ok_or_else(not_found)?;
    let org = orgs::get(&state.db, deal.organisation_id)
        .await?
        .ok_or_else(not_found)?;
    let loaded = Loaded::of(state, &deal).await?;
    let key = |id: Uuid| format!("p{}", id.simple());
    let participants = loaded
        .participants
        .iter()
        .map(|p| {
            let person = loaded.person(p, &org);
            wire::Participant {
                key: key(p.id),
                role: p.role.as_str().to_owned(),
                full_name: person.name,
                snils: person
                    .snils
                    .map(|s| s.chars().filter(char::is_ascii_digit).collect())
                    .unwrap_or_default(),
                share: p.share.clone(),
            }
        })
        .collect();
    let o = &deal.object;
    let area = o
        .area
        .as_deref()
        .and_then(|a| a.parse::<f64>().ok())
        .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut documents = Vec::new();
    let mut poas_written = HashMap::new();
    let zipped = |e: zip::result::ZipError| AppError::internal(anyhow::anyhow!(e));
    for (i, d) in loaded.documents.iter().enumerate() {
        let (file, bytes) = crate::files::read(state, d.file_id).await?;
        let path = format!("documents/{}-{}.pdf", i + 1, d.id.simple());
        zip.start_file(path.as_str(), options).map_err(zipped)?;
        zip.write_all(&bytes).map_err(AppError::internal)?;
        let mut signatures = Vec::new();
        for s in loaded.signatures.iter().filter(|s| s.document_id == d.id) {
            let sig_path = format!("signatures/{}.p7s", s.id.simple());
            zip.start_file(sig_path.as_str(), options).map_err(zipped)?;
            zip.write_all(&s.signature).map_err(AppError::internal)?;
            let (power_of_attorney, power_of_attorney_signature) = match s.power_of_attorney_id {
                Some(id) => {
                    let (xml, cms) =
                        poa_files(state, &org, id, &mut poas_written, &mut zip, options).await?;
                    (Some(xml), Some(cms))
                }
                None => (None, None),
            };
            signatures.push(wire::DocumentSignature {
                file: sig_path,
                participant: s.participant_id.map(key),
                power_of_attorney,
                power_of_attorney_signature,
            });
        }
        documents.push(ManifestDocument {
            file: path,
            kind: match d.kind {
                mezha_api_types::deals::DealDocumentKind::Statement => {
                    wire::DocumentKind::Statement
                }
                mezha_api_types::deals::DealDocumentKind::Document => wire::DocumentKind::Document,
            },
            title: d.title.clone(),
            sha256: file.sha256,
            signatures,
        });
    }
    let manifest = Manifest {
        format: wire::PACKAGE_FORMAT.to_owned(),
        reference: deal.id.to_string(),
        callback_url,
        object: wire::RealEstateObject {
            cadastral_number: o.cadastral_number.clone().unwrap_or_default(),
            address: o.address.clone().unwrap_or_default(),
            object_type: o
                .object_type
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            area_sq_m: area,
        },
        participants,
        documents,
    };
    zip.start_file(wire::MANIFEST_FILE, options)
        .map_err(zipped)?;
    let json = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    zip.write_all(&json).map_err(AppError::internal)?;
    Ok(zip.finish().map_err(zipped)?.into_inner())
}

type Zip = zip::ZipWriter<std::io::Cursor<Vec<u8>>>;

/// The paths in the package of a power of attorney's XML and of the head's
/// signature of it, written into it the first time one of the deal's
/// signatures names it (`written` remembers them by id).
async fn poa_files(
    state: &Core,
    org: &orgs::OrganisationRecord,
    id: Uuid,
    written: &mut HashMap<Uuid, (String, String)>,
    zip: &mut Zip,
    options: zip::write::SimpleFileOptions,
) -> Result<(String, String), AppError> {
    if let Some(paths) = written.get(&id) {
        return Ok(paths.clone());
    }
    let rec = mezha_store::powers_of_attorney::get(&state.db, org.id, id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("МЧД {id} of a signature missing")))?;
    let signature = rec
        .signature
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("МЧД {id} unsigned")))?;
    let xml = format!("powers-of-attorney/{}.xml", rec.number);
    let cms = format!("{xml}.p7s");
    let zipped = |e: zip::result::ZipError| AppError::internal(anyhow::anyhow!(e));
    let (_, bytes) = crate::files::read(state, rec.xml_file_id).await?;
    zip.start_file(xml.as_str(), options).map_err(zipped)?;
    zip.write_all(&bytes).map_err(AppError::internal)?;
    zip.start_file(cms.as_str(), options).map_err(zipped)?;
    zip.write_all(&signature).map_err(AppError::internal)?;
    written.insert(id, (xml.clone(), cms.clone()));
    Ok((xml, cms))
}

/// Applies one event the registry reported (by callback or polling) to
/// its deal: recorded once; the newest moves the deal along the path the
/// domain gives, charging the fee when the package is accepted (and paying
/// it at once when the organisation pays automatically), and telling the
/// responsible employee and, once registered, queueing the clients' e-mail
/// (in the same transaction). Tried again when the deal changed meanwhile.
pub async fn apply_event(
    state: &Core,
    deal_id: Uuid,
    event: EventRecord,
) -> Result<bool, AppError> {
    for _ in 0..5 {
        let deal = store::get(&state.db, deal_id)
            .await?
            .ok_or_else(not_found)?;
        let mut effect = EventEffect::default();
        if let Ok(status) = event.status.parse::<RegistryStatus>() {
            let mut at = deal.status;
            for action in actions_for(deal.status, status) {
                let facts = DealFacts {
                    complete: true,
                    suspended_from: deal.suspended_from,
                };
                if let Ok(machine::Effect::MoveTo(to)) = machine::apply(at, action, &facts) {
                    effect.steps.push((at, to, action));
                    at = to;
                }
            }
            if effect
                .steps
                .iter()
                .any(|(_, _, a)| *a == DealAction::RegistryAccepted)
            {
                let serial = queue::next_fee_serial(&state.db).await?;
                let uin = Uin::issue(
                    &state.settings.state_fee_payee,
                    u64::try_from(serial).unwrap_or_default(),
                )
                .map_err(|e| AppError::internal(anyhow::anyhow!("issuing a UIN: {}", e.message)))?;
                effect.fee = Some((uin.as_str().to_owned(), state.settings.state_fee_kopecks));
                effect.auto_pay = orgs::get(&state.db, deal.organisation_id)
                    .await?
                    .is_some_and(|o| o.settings.auto_pay_state_fee);
            }
        }
        match queue::record_event(&state.db, &deal, &event, &effect, now(state)).await {
            Ok(new) => return Ok(new),
            Err(StoreError::VersionMismatch) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::new(ErrorCode::Conflict, "deals.changed"))
}

/// E-mails each client of a registered deal who has an address (the
/// clients hear of a deal only once it is registered). Run as the
/// `tell_clients` job queued with the step to `registered`: a failure is
/// retried with the queue's backoff, so the mail is sent at least once (a
/// client may get it twice when a later one of several failed).
async fn tell_clients(
    state: &Core,
    mailer: &Arc<dyn Mailer>,
    deal_id: Uuid,
) -> Result<(), Failure> {
    let deal = store::get(&state.db, deal_id)
        .await
        .map_err(Failure::transient)?
        .ok_or_else(|| Failure::transient("the deal is gone"))?;
    let deal = &deal;
    let org = orgs::get(&state.db, deal.organisation_id)
        .await
        .map_err(Failure::transient)?
        .ok_or_else(|| Failure::transient("the organisation is gone"))?;
    let participants = store::participants(&state.db, deal.id)
        .await
        .map_err(Failure::transient)?;
    let object = deal.object.cadastral_number.clone().unwrap_or_default();
    let address = deal.object.address.clone().unwrap_or_default();
    for client_id in participants.iter().filter_map(|p| p.client_id) {
        let Some(client) = mezha_store::clients::get(&state.db, client_id)
            .await
            .map_err(Failure::transient)?
        else {
            continue;
        };
        let Some(email) = client.data.email.clone() else {
            continue;
        };
        let body = format!(
            "Здравствуйте, {name}!\n\nПрава по сделке «{title}» на объект {object} ({address}) \
             зарегистрированы в Едином государственном реестре недвижимости. Сделку оформляло \
             {org}.\n\nThe rights under the deal \"{title}\" on {object} ({address}) are registered \
             in the state register; the deal was filed by {org}.\n",
            name = client.data.full_name,
            title = deal.title,
            org = org.short_name,
        );
        let sent = mailer
            .send(Mail {
                to: email,
                subject: format!(
                    "Межа: права зарегистрированы / Mezha: rights registered ({object})"
                ),
                body,
                html: None,
            })
            .await;
        sent.map_err(|e| Failure::transient(format!("mailing a client of the registration: {e}")))?;
    }
    Ok(())
}

fn event_of(package: &str, e: &wire::PackageEvent) -> EventRecord {
    EventRecord {
        package_id: package.to_owned(),
        seq: i64::try_from(e.seq).unwrap_or(i64::MAX),
        status: e.status.as_str().to_owned(),
        message: e.message.clone(),
        at: e.at,
        received_at: e.at,
    }
}

/// 401: a callback without the gateway's valid signature.
pub fn unsigned() -> AppError {
    AppError::new(ErrorCode::Unauthenticated, "deals.callback_unsigned")
}

/// `POST /registry/callbacks`: a status change the registry posts, signed
/// with the shared secret (`X-Registry-Signature`). 401 when the signature
/// is wrong, 404 when no deal has that package.
pub async fn callback(state: &Core, body: &[u8], signature: Option<&str>) -> Result<(), AppError> {
    // An unsigned callback is refused before anything else is said.
    let signature = signature.ok_or_else(unsigned)?;
    let Some(config) = &state.settings.registry else {
        return Err(AppError::new(ErrorCode::NotFound, "deals.registry_off"));
    };
    if !wire::verify_callback(&config.callback_secret, body, signature) {
        return Err(unsigned());
    }
    let callback: wire::Callback = serde_json::from_slice(body)
        .map_err(|e| AppError::field("body", FieldError::new("invalid_json", e.to_string())))?;
    // The answer to the submission may not have arrived yet: the
    // reference is the deal's id.
    let deal_id = match queue::deal_of_package(&state.db, &callback.package_id).await? {
        Some(id) => id,
        None => {
            let by_reference = callback.reference.parse::<Uuid>().ok();
            match by_reference {
                Some(id) if store::get(&state.db, id).await?.is_some() => {
                    queue::adopt_package(&state.db, id, &callback.package_id).await?;
                    id
                }
                _ => return Err(not_found()),
            }
        }
    };
    let event = wire::PackageEvent {
        seq: callback.seq,
        status: callback.status,
        at: callback.at,
        message: callback.message,
    };
    apply_event(state, deal_id, event_of(&callback.package_id, &event)).await?;
    Ok(())
}

/// Asks the registry about every package it works on and applies what is
/// new: the fallback for callbacks that did not come.
pub async fn poll_once(state: &Core, gateway: &Gateway) -> Result<usize, AppError> {
    let mut applied = 0;
    for (deal_id, package) in queue::at_registry(&state.db).await? {
        match gateway.package(&package).await {
            Ok(view) => {
                for e in &view.events {
                    if apply_event(state, deal_id, event_of(&package, e)).await? {
                        applied += 1;
                    }
                }
            }
            Err(failure) => {
                tracing::warn!(deal = %deal_id, package, error = failure.error, "polling the registry");
            }
        }
    }
    Ok(applied)
}

/// The registry's jobs and what doing them needs.
#[derive(Clone)]
struct Queue {
    core: Core,
    mailer: Arc<dyn Mailer>,
    gateway: Gateway,
    /// Ends the poller when the process stops.
    stopping: tokio_util::sync::CancellationToken,
}

/// The sender of the registry's jobs and the poller.
#[derive(Clone)]
pub struct Worker {
    runner: Runner,
    jobs: Queue,
}

impl Worker {
    /// A worker over the app and its configured gateway; `None` without one.
    pub fn new(app: &crate::App) -> anyhow::Result<Option<Self>> {
        let (core, metrics) = (app.core(), app.job_metrics.clone());
        let Some(config) = core.settings.registry.clone() else {
            return Ok(None);
        };
        let poll = config.jobs_poll;
        let gateway = Gateway::new(config)?;
        Ok(Some(Worker {
            runner: Runner::new(
                Arc::clone(&core.clock),
                Duration::from_secs(300),
                poll,
                metrics,
            )
            .until(app.stopping.clone()),
            jobs: Queue {
                core,
                mailer: Arc::clone(&app.mailer),
                gateway,
                stopping: app.stopping.clone(),
            },
        }))
    }

    /// Sends every job that is due now: (done, failed).
    pub async fn run_once(&self) -> Result<(usize, usize), StoreError> {
        let drained = self.runner.drain(&self.jobs).await?;
        Ok((drained.done, drained.failed))
    }

    /// Polls the registry once.
    pub async fn poll_once(&self) -> Result<usize, AppError> {
        poll_once(&self.jobs.core, &self.jobs.gateway).await
    }

    /// Runs forever (spawned at start): the queue, and polling beside it.
    pub async fn run(self) {
        let poller = self.clone();
        let every = self
            .jobs
            .core
            .settings
            .registry
            .as_ref()
            .map_or(Duration::from_secs(60), |c| c.poll);
        let stopping = self.jobs.stopping.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    () = stopping.cancelled() => return,
                }
                if let Err(e) = poller.poll_once().await {
                    tracing::warn!(error = %e, "polling the registry");
                }
            }
        });
        let runner = self.runner.clone();
        runner
            .run("registry", move || {
                let worker = self.clone();
                async move {
                    let (done, failed) = worker.run_once().await?;
                    Ok(done + failed)
                }
            })
            .await;
    }
}

impl Queue {
    async fn attempt_job(&self, job: &RegistryJob) -> Result<Option<String>, Failure> {
        let core = &self.core;
        match job.kind {
            JobKind::Submit => {
                let callback = core
                    .settings
                    .registry
                    .as_ref()
                    .and_then(|c| c.callback_url.clone());
                let zip = package(core, job.deal_id, callback)
                    .await
                    .map_err(|e| Failure::transient(format!("making the package: {e:?}")))?;
                let receipt = self.gateway.submit(&job.idempotency_key, zip).await?;
                Ok(Some(receipt.package_id))
            }
            JobKind::Fee => {
                let deal = store::get(&core.db, job.deal_id)
                    .await
                    .map_err(Failure::transient)?
                    .ok_or_else(|| Failure::transient("the deal is gone"))?;
                let (Some(package), Some(uin), Some(amount), Some(paid_at)) = (
                    deal.registry_package_id.as_deref(),
                    deal.fee_uin.clone(),
                    deal.fee_amount_kopecks,
                    deal.fee_paid_at,
                ) else {
                    return Err(Failure::transient("the deal's fee is not known yet"));
                };
                let notice = wire::FeeNotice {
                    uin,
                    amount_kopecks: u64::try_from(amount).unwrap_or_default(),
                    paid_at,
                };
                self.gateway
                    .fee(&job.idempotency_key, package, &notice)
                    .await?;
                Ok(None)
            }
            JobKind::TellClients => {
                tell_clients(core, &self.mailer, job.deal_id).await?;
                Ok(None)
            }
        }
    }
}

impl Jobs for Queue {
    type Job = RegistryJob;
    type Done = Option<String>;
    type Failed = bool;
    const QUEUE: &'static str = "deal_registry_jobs";
    const CONCURRENT: bool = true;

    async fn claim(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<RegistryJob>, StoreError> {
        queue::claim(&self.core.db, now, lease, limit).await
    }

    fn lease(job: &RegistryJob) -> &Lease {
        &job.lease
    }

    async fn attempt(&self, job: &RegistryJob) -> Attempt<Option<String>, bool> {
        match self.attempt_job(job).await {
            Ok(package) => Attempt::Done(package),
            Err(f) => Attempt::Failed {
                detail: f.final_,
                error: f.error,
            },
        }
    }

    async fn done(
        &self,
        job: &RegistryJob,
        package: Option<String>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        match package {
            Some(p) => queue::submitted(&self.core.db, job, &p, now).await,
            None => queue::done(&self.core.db, job, now).await,
        }
    }

    /// The runner's own schedule is not used: the gateway's retries back
    /// off with jitter ([`retry_after`]), and a final refusal is given up.
    async fn failed(
        &self,
        job: &RegistryJob,
        final_: bool,
        error: &str,
        _retry_at: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let attempts = job.lease.attempts + 1;
        let retry = if final_ {
            None
        } else {
            retry_after(attempts, rand::random::<f64>()).map(|d| {
                now + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::minutes(15))
            })
        };
        tracing::warn!(deal = %job.deal_id, attempts, error, given_up = retry.is_none(), "registry job failed");
        queue::failed(&self.core.db, job, error, retry, now).await
    }
    async fn release(&self, job: &RegistryJob) -> Result<(), StoreError> {
        queue::release(&self.core.db, job).await
    }
}
