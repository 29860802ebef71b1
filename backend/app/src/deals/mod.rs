//! Deals (docs/deals.md): an organisation's members register real-estate
//! deals with the state registry. A deal is seen by its responsible
//! employee and by members who see all deals (the admin among them);
//! anyone else gets 404. What a member may do is the domain's decision
//! ([`mezha_domain::deals::machine`]) from the deal's status, its checklist
//! and his rights; the same decision gives `allowed_actions` and the 409
//! answers.

pub mod documents;
pub mod participants;
pub mod registry;
pub mod signing;
pub mod statements;

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::{AppError, body_issues, push_issue};
use crate::organisations::{ORG_ROLES, permitted};
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::deals::{
    ChecklistItem, Deal, DealAction, DealDocument, DealHistory, DealHistoryEntry, DealList,
    DealObject, DealParticipant, DealPatch, DealSignature, DealStatus, DealSummary, DealsQuery,
    NewDeal,
};
use mezha_api_types::organisations::{MemberStatus, OrgRight};
use mezha_api_types::page::PageQuery;
use mezha_domain::FieldError;
use mezha_domain::deals::checklist::{self as rules, Area, ObjectData, Share, Signer};
use mezha_domain::deals::machine::{self, Actor, DealFacts};
use mezha_domain::orders::cadastral::CadastralNumber;
use mezha_domain::organisations::{Denied, Membership, Permission};
use mezha_store::StoreError;
use mezha_store::clients::ClientRecord;
use mezha_store::deals::{
    self as store, DealFilter, DealRecord, DocumentRecord, NewDealRecord, ParticipantRecord,
    SignatureRecord,
};
use mezha_store::organisations::{self as orgs, MemberRecord, OrganisationRecord};
use mezha_store::paging::After;
use std::collections::HashMap;
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "deals.not_found")
}

pub(crate) fn changed(err: StoreError) -> AppError {
    match err {
        StoreError::VersionMismatch => AppError::new(ErrorCode::Conflict, "deals.changed"),
        other => other.into(),
    }
}

fn membership(m: &MemberRecord) -> Membership {
    Membership {
        role: m.role,
        status: m.status,
        rights: m.rights.clone(),
    }
}

/// A deal the caller can see, with his organisation and membership.
pub(crate) struct Seen {
    pub deal: DealRecord,
    pub org: OrganisationRecord,
    pub member: MemberRecord,
}

impl Seen {
    fn membership(&self) -> Membership {
        membership(&self.member)
    }
}

/// Whether `member` sees `deal`: his own, or every deal with `see_all_deals`.
fn sees(member: &Membership, user: Uuid, deal: &DealRecord) -> bool {
    deal.responsible_id == user || member.holds(OrgRight::SeeAllDeals)
}

/// The deal `id` when the caller sees it; 404 otherwise (a deal of
/// another organisation, or another employee's without `see_all_deals`,
/// does not exist for him).
pub(crate) async fn seen(state: &Core, auth: &Caller, id: Uuid) -> Result<Seen, AppError> {
    let deal = store::get(&state.db, id).await?.ok_or_else(not_found)?;
    let (org, member) = permitted(state, auth, deal.organisation_id, Permission::View)
        .await
        .map_err(|e| {
            if e.code() == ErrorCode::NotFound || e.code() == ErrorCode::Forbidden {
                not_found()
            } else {
                e
            }
        })?;
    auth.require(&ORG_ROLES)?;
    if !sees(&membership(&member), auth.user_id, &deal) {
        return Err(not_found());
    }
    Ok(Seen { deal, org, member })
}

/// The organisation where the caller works with deals: `requested`, or the
/// only one he is active in; `what` must be permitted there.
async fn organisation_for(
    state: &Core,
    auth: &Caller,
    requested: Option<Uuid>,
    what: Permission,
) -> Result<(OrganisationRecord, MemberRecord), AppError> {
    let id = crate::organisations::the_one(state, auth, requested).await?;
    permitted(state, auth, id, what).await
}

/// Everything a deal's representation and its rules need.
pub(crate) struct Loaded {
    pub participants: Vec<ParticipantRecord>,
    pub clients: HashMap<Uuid, ClientRecord>,
    pub documents: Vec<DocumentRecord>,
    pub signatures: Vec<SignatureRecord>,
}

impl Loaded {
    pub(crate) async fn of(state: &Core, deal: &DealRecord) -> Result<Self, AppError> {
        let participants = store::participants(&state.db, deal.id).await?;
        let mut clients = HashMap::new();
        for p in &participants {
            if let Some(id) = p.client_id
                && let Some(client) = mezha_store::clients::get(&state.db, id).await?
            {
                clients.insert(id, client);
            }
        }
        Ok(Loaded {
            participants,
            clients,
            documents: store::documents(&state.db, deal.id).await?,
            signatures: store::signatures(&state.db, deal.id).await?,
        })
    }

    /// The participants as the rules see them.
    pub(crate) fn rule_participants(&self) -> Vec<rules::Participant> {
        self.participants
            .iter()
            .map(|p| rules::Participant {
                id: p.id,
                role: p.role,
                share: p.share.as_deref().and_then(|s| Share::parse(s).ok()),
                represents: p.represents,
            })
            .collect()
    }

    /// The documents as the rules see them.
    pub(crate) fn rule_documents(&self) -> Vec<rules::Document> {
        self.documents
            .iter()
            .map(|d| rules::Document {
                id: d.id,
                kind: d.kind,
                applicant: d.applicant_id,
            })
            .collect()
    }

    /// The (document, signer) pairs signed.
    pub(crate) fn signed(&self) -> Vec<(Uuid, Signer)> {
        self.signatures
            .iter()
            .map(|s| {
                (
                    s.document_id,
                    s.participant_id
                        .map_or(Signer::Employee, Signer::Participant),
                )
            })
            .collect()
    }

    /// What the deal lacks.
    pub(crate) fn checklist(&self, deal: &DealRecord) -> Vec<rules::Missing> {
        self.checklist_with(deal, &self.signed())
    }

    /// What the deal would lack with `signed` signed.
    pub(crate) fn checklist_with(
        &self,
        deal: &DealRecord,
        signed: &[(Uuid, Signer)],
    ) -> Vec<rules::Missing> {
        let o = &deal.object;
        rules::checklist(
            &ObjectData {
                cadastral_number: o.cadastral_number.as_deref(),
                address: o.address.as_deref(),
                has_type: o.object_type.is_some(),
                area: o.area.as_deref(),
            },
            &self.rule_participants(),
            &self.rule_documents(),
            signed,
        )
    }

    /// A participant's person data: frozen with the statements, else the
    /// client's as it is now, else (the organisation itself) the
    /// organisation's.
    pub(crate) fn person(&self, p: &ParticipantRecord, org: &OrganisationRecord) -> Person {
        if let Some(frozen) = p
            .snapshot
            .as_deref()
            .and_then(|s| serde_json::from_str::<Person>(s).ok())
        {
            return frozen;
        }
        match p.client_id.and_then(|id| self.clients.get(&id)) {
            Some(c) => Person::of_client(c),
            None => Person {
                name: org.full_name.clone(),
                organisation: true,
                snils: None,
                inn: Some(org.inn.clone()),
                ogrn: Some(org.ogrn.clone()),
                birth_date: None,
                passport: None,
                address: Some(org.address.clone()),
            },
        }
    }
}

/// A participant's person data as the statements write it (and as kept
/// frozen with the participant once they are formed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Person {
    pub name: String,
    pub organisation: bool,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub ogrn: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub passport: Option<String>,
    pub address: Option<String>,
}

impl Person {
    fn of_client(c: &ClientRecord) -> Self {
        let d = &c.data;
        let passport = match (&d.passport_series, &d.passport_number) {
            (Some(s), Some(n)) => Some(format!(
                "{s} {n}{}{}",
                d.passport_issued_on
                    .map(|on| format!(", выдан {}", on.format("%d.%m.%Y")))
                    .unwrap_or_default(),
                d.passport_issuer
                    .as_deref()
                    .map(|by| format!(" {by}"))
                    .unwrap_or_default()
            )),
            _ => None,
        };
        Person {
            name: d.full_name.clone(),
            organisation: false,
            snils: d.snils.clone(),
            inn: d.inn.clone(),
            ogrn: None,
            birth_date: d.birth_date,
            passport,
            address: d.address.clone(),
        }
    }
}

/// 409 naming the deal's status and what the caller may do now.
pub(crate) fn illegal(seen: &Seen, loaded: &Loaded, tried: DealAction) -> AppError {
    let allowed: Vec<String> = actions(seen, loaded)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    AppError::illegal_transition(
        crate::msg!(
            "deals.illegal_step",
            action = tried,
            status = seen.deal.status,
        ),
        seen.deal.status.as_str(),
        allowed,
    )
}

fn facts(deal: &DealRecord, loaded: &Loaded) -> DealFacts {
    DealFacts {
        complete: loaded.checklist(deal).is_empty(),
        suspended_from: deal.suspended_from,
    }
}

/// What the caller may do with the deal now.
pub(crate) fn actions(seen: &Seen, loaded: &Loaded) -> Vec<DealAction> {
    if seen.member.status != MemberStatus::Active {
        return Vec::new();
    }
    let m = seen.membership();
    machine::allowed_actions(
        seen.deal.status,
        &facts(&seen.deal, loaded),
        &Actor::Member(&m),
    )
}

/// Refuses `action` unless the caller's rights and the deal's status allow
/// it: 403 naming the right missing, 409 naming the status and what is
/// allowed.
pub(crate) fn check(seen: &Seen, loaded: &Loaded, action: DealAction) -> Result<(), AppError> {
    let m = seen.membership();
    if !machine::may_act(&Actor::Member(&m), action)
        && let Some(right) = machine::right_for(action)
    {
        return Err(crate::organisations::refused(Denied::MissingRight(right)));
    }
    machine::apply(seen.deal.status, action, &facts(&seen.deal, loaded))
        .map(|_| ())
        .map_err(|_| illegal(seen, loaded, action))
}

/// The deal as the caller sees it.
pub(crate) async fn view(state: &Core, seen: &Seen) -> Result<Deal, AppError> {
    let loaded = Loaded::of(state, &seen.deal).await?;
    let deal = &seen.deal;
    let rule_participants = loaded.rule_participants();
    let signing = rules::signing_participants(&rule_participants);
    let participants = loaded
        .participants
        .iter()
        .map(|p| DealParticipant {
            id: p.id,
            client_id: p.client_id,
            name: loaded.person(p, &seen.org).name,
            role: p.role,
            share: p.share.clone(),
            represents: p.represents,
            signs: signing.contains(&p.id),
        })
        .collect();
    let mut documents = Vec::with_capacity(loaded.documents.len());
    for (d, rule) in loaded.documents.iter().zip(loaded.rule_documents()) {
        let file = mezha_store::files::find(&state.db, d.file_id)
            .await?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("deal file {} missing", d.file_id))
            })?;
        documents.push(DealDocument {
            id: d.id,
            kind: d.kind,
            title: d.title.clone(),
            file: crate::orders::file_info(file),
            signers: rules::required_signers(&rule_participants, &rule)
                .into_iter()
                .map(|s| match s {
                    Signer::Participant(id) => Some(id),
                    Signer::Employee => None,
                })
                .collect(),
            signatures: loaded
                .signatures
                .iter()
                .filter(|s| s.document_id == d.id)
                .map(|s| DealSignature {
                    id: s.id,
                    participant_id: s.participant_id,
                    signer_name: s.signer_name.clone(),
                    sha256: s.sha256.clone(),
                    added_by: s.added_by,
                    power_of_attorney_id: s.power_of_attorney_id,
                    created_at: s.created_at,
                    report: s.report.clone(),
                })
                .collect(),
        });
    }
    let checklist = loaded
        .checklist(deal)
        .into_iter()
        .map(|m| ChecklistItem {
            code: m.code,
            participant_id: m.participant,
            employee: m.employee,
            document_id: m.document,
        })
        .collect();
    let responsible_name = mezha_store::users::find_by_id(&state.db, deal.responsible_id)
        .await?
        .and_then(|u| u.full_name.or(Some(u.email)))
        .unwrap_or_default();
    Ok(Deal {
        allowed_actions: actions(seen, &loaded),
        id: deal.id,
        organisation_id: deal.organisation_id,
        number: deal.number,
        title: deal.title.clone(),
        status: deal.status,
        suspended_from: deal.suspended_from,
        responsible_id: deal.responsible_id,
        responsible_name,
        object: deal.object.clone(),
        participants,
        documents,
        documents_bytes: deal.documents_bytes,
        checklist,
        copied_from: deal.copied_from,
        registry_package_id: deal.registry_package_id.clone(),
        fee: registry::fee_of(deal),
        version: deal.version,
        created_at: deal.created_at,
        updated_at: deal.updated_at,
    })
}

/// The object's fields in their normal spelling; each one that is given
/// and does not parse is named (`422`), all at once.
fn object_of(input: &DealObject, field: &str) -> Result<DealObject, AppError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    let mut issues = crate::error::FieldIssues::new();
    let cadastral_number = text(&input.cadastral_number).and_then(|c| {
        CadastralNumber::parse(&c)
            .map(|n| n.as_str().to_owned())
            .map_err(|e| push_issue(&mut issues, &format!("{field}.cadastral_number"), e))
            .ok()
    });
    let area = text(&input.area).and_then(|a| {
        Area::parse(&a)
            .map(|a| a.text())
            .map_err(|e| push_issue(&mut issues, &format!("{field}.area"), e))
            .ok()
    });
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    Ok(DealObject {
        cadastral_number,
        address: text(&input.address),
        object_type: input.object_type,
        area,
    })
}

/// `POST /deals`: a new draft, the caller responsible for it.
pub async fn create(state: &Core, auth: &Caller, input: NewDeal) -> Result<Deal, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let object = object_of(&input.object, "object")?;
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        return Err(AppError::field(
            "title",
            FieldError::new("required", "A deal needs a title."),
        ));
    }
    let (org, _) = organisation_for(
        state,
        auth,
        input.organisation_id,
        Permission::Right(OrgRight::CreateDeals),
    )
    .await?;
    let deal = store::create(
        &state.db,
        NewDealRecord {
            organisation_id: org.id,
            title,
            object,
            responsible_id: auth.user_id,
            copied_from: None,
        },
        now(state),
    )
    .await?;
    get(state, auth, deal.id).await
}

/// The time stored (microseconds, as PostgreSQL keeps them).
pub(crate) fn now(state: &Core) -> chrono::DateTime<chrono::Utc> {
    chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6)
}

/// `GET /deals/{id}`.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    view(state, &seen).await
}

/// `PATCH /deals/{id}`: the title and the object's fields given replace
/// theirs, if the deal is still at `version` (`If-Match`).
pub async fn update(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    version: Option<i64>,
    input: DealPatch,
) -> Result<Deal, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::Edit)?;
    let was = &seen.deal.object;
    let object = match &input.object {
        None => was.clone(),
        Some(o) => {
            let given = object_of(o, "object")?;
            DealObject {
                cadastral_number: if o.cadastral_number.is_some() {
                    given.cadastral_number
                } else {
                    was.cadastral_number.clone()
                },
                address: if o.address.is_some() {
                    given.address
                } else {
                    was.address.clone()
                },
                object_type: o.object_type.or(was.object_type),
                area: if o.area.is_some() {
                    given.area
                } else {
                    was.area.clone()
                },
            }
        }
    };
    let title = match input.title.as_deref().map(str::trim) {
        Some("") => {
            return Err(AppError::field(
                "title",
                FieldError::new("required", "A deal needs a title."),
            ));
        }
        Some(t) => t.to_owned(),
        None => seen.deal.title.clone(),
    };
    // The object was merged with the deal as read: it is written only if
    // the deal is still that version (the caller's `If-Match`, else the
    // version read), or two saves at once would undo each other's field.
    store::update(
        &state.db,
        &seen.deal,
        title,
        object,
        version.or(Some(seen.deal.version)),
        auth.user_id,
        now(state),
    )
    .await
    // A stale `If-Match` is 412; without one, a deal changed meanwhile 409.
    .map_err(|e| {
        if version.is_some() {
            e.into()
        } else {
            changed(e)
        }
    })?;
    get(state, auth, id).await
}

/// `DELETE /deals/{id}`: a draft goes.
pub async fn delete(state: &Core, auth: &Caller, id: Uuid) -> Result<(), AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::Delete)?;
    store::delete(&state.db, &seen.deal).await.map_err(changed)
}

/// `POST /deals/{id}/copy`: a new draft with this deal's title, object,
/// participants and documents (not its statements or signatures), the
/// caller responsible for it.
pub async fn copy(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::Copy)?;
    let copy = store::copy(&state.db, &seen.deal, auth.user_id, now(state)).await?;
    get(state, auth, copy.id).await
}

/// The deal as it is now, for an `Idempotency-Key` retry of the request
/// that made or changed it.
pub async fn current(state: &Core, auth: &Caller, id: Uuid) -> Result<Deal, AppError> {
    get(state, auth, id).await
}

/// `GET /deals`: the deals the caller sees (his own, or all with
/// `see_all_deals`), newest first.
pub async fn list(state: &Core, auth: &Caller, query: &DealsQuery) -> Result<DealList, AppError> {
    let limit = paging::limit(&query.page)?;
    let before: Option<After> = paging::decode(query.page.cursor.as_deref())?;
    let (org, member) =
        organisation_for(state, auth, query.organisation_id, Permission::View).await?;
    auth.require(&ORG_ROLES)?;
    let m = membership(&member);
    let filter = DealFilter {
        organisation_id: org.id,
        responsible_id: (!m.holds(OrgRight::SeeAllDeals)).then_some(auth.user_id),
        status: query.status,
    };
    let (rows, more) = store::list(&state.db, &filter, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |d| (d.created_at, d.id));
    let items = rows
        .into_iter()
        .map(|d| DealSummary {
            id: d.id,
            organisation_id: d.organisation_id,
            number: d.number,
            title: d.title,
            status: d.status,
            cadastral_number: d.object.cadastral_number,
            responsible_id: d.responsible_id,
            created_at: d.created_at,
            updated_at: d.updated_at,
        })
        .collect();
    Ok(DealList { items, next_cursor })
}

/// `GET /deals/{id}/history`: what happened, oldest first.
pub async fn history(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<DealHistory, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let seen = seen(state, auth, id).await?;
    let (rows, more) = store::history(&state.db, seen.deal.id, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |h| (h.at, h.id));
    Ok(DealHistory {
        items: rows
            .into_iter()
            .map(|h| DealHistoryEntry {
                action: h.action,
                from_status: h.from_status,
                to_status: h.to_status,
                actor_id: h.actor_id,
                message: h.message,
                at: h.at,
            })
            .collect(),
        next_cursor,
    })
}

/// Whether a deal in `status` keeps its data frozen.
pub fn frozen(status: DealStatus) -> bool {
    !machine::editable(status)
}
