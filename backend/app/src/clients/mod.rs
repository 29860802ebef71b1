//! The client base (docs/clients.md): an organisation's persons, added and
//! edited by members with the `manage_clients` right. The data checks of
//! the domain run on every read and are reported beside the fields; they
//! never block a save. Personal data is the organisation's alone: anyone
//! else gets 404, and every read of a client's passport data is written in
//! the organisation's audit log.

pub mod ocr;
pub mod requests;

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::{AppError, body_issues, push_issue};
use crate::organisations::{ORG_ROLES, permitted};
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::clients::{
    Client, ClientFinding, ClientList, ClientPatch, ClientSummary, ClientsQuery, NewClient,
};
use mezha_api_types::organisations::{AuditKind, OrgRight};
use mezha_domain::FieldError;
use mezha_domain::clients::checks::{ClientFacts, check_client};
use mezha_domain::clients::passport::{IssuerCode, PassportNumber, PassportSeries};
use mezha_domain::organisations::Permission;
use mezha_store::StoreError;
use mezha_store::clients::{self as store, ClientData, ClientRecord, Search};
use mezha_store::organisations::{self as orgs, Audit, OrganisationRecord};
use mezha_store::paging::After;
use uuid::Uuid;

/// The media types a scan may have.
pub const SCAN_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

const MANAGE: Permission = Permission::Right(OrgRight::ManageClients);

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "clients.not_found")
}

/// The organisation whose base the caller works with: `requested`, or the
/// only one he is active in; he must hold `manage_clients` there.
async fn base_of(
    state: &Core,
    auth: &Caller,
    requested: Option<Uuid>,
) -> Result<OrganisationRecord, AppError> {
    let id = crate::organisations::the_one(state, auth, requested).await?;
    Ok(permitted(state, auth, id, MANAGE).await?.0)
}

/// The client `id` when the caller may work with his organisation's base;
/// 404 for anyone outside it (the client does not exist for him).
async fn client_of(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<(ClientRecord, OrganisationRecord), AppError> {
    let client = store::get(&state.db, id).await?.ok_or_else(not_found)?;
    let org = within(state, auth, client.organisation_id).await?;
    Ok((client, org))
}

/// The organisation `id` when the caller works with its base; a
/// non-member gets the same 404 as for a record that does not exist, so
/// nothing tells him it does.
async fn within(state: &Core, auth: &Caller, id: Uuid) -> Result<OrganisationRecord, AppError> {
    permitted(state, auth, id, MANAGE)
        .await
        .map(|(org, _)| org)
        .map_err(|e| {
            if e.code() == ErrorCode::NotFound {
                not_found()
            } else {
                e
            }
        })
}

/// A trimmed text, `None` when blank.
fn text(value: Option<&str>) -> Option<String> {
    let value = value?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!value.is_empty()).then_some(value)
}

/// A value in its normal spelling when it parses, else as typed (the
/// checks report it; the save goes on).
fn normal<T>(
    value: Option<String>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
    show: impl Fn(T) -> String,
) -> Option<String> {
    value.map(|v| parse(&v).map(&show).unwrap_or(v))
}

/// The data to store: texts trimmed, blanks dropped, passport fields and
/// the SNILS in their normal spelling when they parse.
fn data_of(mut data: ClientData) -> ClientData {
    data.full_name = text(Some(&data.full_name)).unwrap_or_default();
    data.birth_place = text(data.birth_place.as_deref());
    data.passport_series = normal(
        text(data.passport_series.as_deref()),
        PassportSeries::parse,
        |s| s.as_str().to_owned(),
    );
    data.passport_number = normal(
        text(data.passport_number.as_deref()),
        PassportNumber::parse,
        |n| n.as_str().to_owned(),
    );
    data.passport_issuer_code = normal(
        text(data.passport_issuer_code.as_deref()),
        IssuerCode::parse,
        |c| c.as_str().to_owned(),
    );
    data.passport_issuer = text(data.passport_issuer.as_deref());
    data.snils = normal(
        text(data.snils.as_deref()),
        mezha_domain::Snils::parse,
        |s| s.formatted(),
    );
    data.inn = text(data.inn.as_deref());
    data.address = text(data.address.as_deref());
    data.phone = normal(
        text(data.phone.as_deref()),
        mezha_domain::Phone::parse,
        |p| p.as_str().to_owned(),
    );
    data.email = text(data.email.as_deref());
    data
}

/// The data of a new client as given, to store ([`data_of`]).
fn new_data(input: NewClient) -> ClientData {
    data_of(ClientData {
        full_name: input.full_name,
        birth_date: input.birth_date,
        birth_place: input.birth_place,
        passport_series: input.passport_series,
        passport_number: input.passport_number,
        passport_issued_on: input.passport_issued_on,
        passport_issuer_code: input.passport_issuer_code,
        passport_issuer: input.passport_issuer,
        snils: input.snils,
        inn: input.inn,
        address: input.address,
        phone: input.phone,
        email: input.email,
    })
}

fn required_name(data: &ClientData) -> Result<(), AppError> {
    if data.full_name.is_empty() {
        let mut issues = Default::default();
        push_issue(
            &mut issues,
            "full_name",
            FieldError::new("required", "This field is required."),
        );
        return Err(AppError::validation(issues));
    }
    Ok(())
}

/// The scans as given: each a file the caller uploaded (or one the client
/// has already), a PDF or an image, each once.
async fn checked_scans(
    state: &Core,
    auth: &Caller,
    scans: &[Uuid],
    has: &[Uuid],
) -> Result<Vec<Uuid>, AppError> {
    let mut out: Vec<Uuid> = Vec::with_capacity(scans.len());
    for (i, id) in scans.iter().enumerate() {
        let field = format!("scan_ids[{i}]");
        if out.contains(id) {
            return Err(AppError::field(
                &field,
                FieldError::new("duplicate", "The same file twice."),
            ));
        }
        let file = if has.contains(id) {
            mezha_store::files::find(&state.db, *id).await?
        } else {
            crate::files::uploaded(state, auth, *id).await.ok()
        };
        let Some(file) = file else {
            return Err(AppError::field(
                &field,
                FieldError::new("unknown_file", "No file of yours has this id."),
            ));
        };
        if !SCAN_TYPES.contains(&file.content_type.as_str()) {
            return Err(AppError::field(
                &field,
                FieldError::new("scan_type", "A scan is a PDF, JPEG or PNG file."),
            ));
        }
        out.push(*id);
    }
    Ok(out)
}

fn findings(state: &Core, data: &ClientData) -> Vec<ClientFinding> {
    let today = crate::orders::today(state.clock.now());
    let facts = ClientFacts {
        birth_date: data.birth_date,
        snils: data.snils.as_deref(),
        inn: data.inn.as_deref(),
        passport_series: data.passport_series.as_deref(),
        passport_number: data.passport_number.as_deref(),
        passport_issued_on: data.passport_issued_on,
        issuer_code: data.passport_issuer_code.as_deref(),
    };
    check_client(&facts, today)
        .into_iter()
        .map(|f| ClientFinding {
            field: f.field.to_owned(),
            code: f.code.to_owned(),
            message: f.message,
        })
        .collect()
}

async fn view(state: &Core, auth: &Caller, client: ClientRecord) -> Result<Client, AppError> {
    let scans = store::scans(&state.db, client.id)
        .await?
        .into_iter()
        .map(crate::orders::file_info)
        .collect();
    let findings = findings(state, &client.data);
    let (certificate_applications, allowed_actions) =
        crate::certificates::agents::on_card(state, auth, &client).await?;
    let d = client.data;
    Ok(Client {
        id: client.id,
        organisation_id: client.organisation_id,
        full_name: d.full_name,
        birth_date: d.birth_date,
        birth_place: d.birth_place,
        passport_series: d.passport_series,
        passport_number: d.passport_number,
        passport_issued_on: d.passport_issued_on,
        passport_issuer_code: d.passport_issuer_code,
        passport_issuer: d.passport_issuer,
        snils: d.snils,
        inn: d.inn,
        address: d.address,
        phone: d.phone,
        email: d.email,
        scans,
        findings,
        created_by: client.created_by,
        created_at: client.created_at,
        updated_at: client.updated_at,
        certificate_applications,
        allowed_actions,
    })
}

/// Writes that `auth` read `client`'s passport data.
async fn record_read(state: &Core, auth: &Caller, client: &ClientRecord) -> Result<(), AppError> {
    orgs::record(
        &state.db,
        client.organisation_id,
        Audit {
            kind: AuditKind::ClientRead,
            actor_id: Some(auth.user_id),
            subject_id: None,
            details: serde_json::json!({"client_id": client.id, "full_name": client.data.full_name}),
        },
        state.clock.now(),
    )
    .await?;
    Ok(())
}

/// `POST /clients`: adds a client; the checks' findings come back beside
/// the fields, the save is not blocked by them.
pub async fn create(state: &Core, auth: &Caller, input: NewClient) -> Result<Client, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let (organisation_id, scan_ids) = (input.organisation_id, input.scan_ids.clone());
    let data = new_data(input);
    required_name(&data)?;
    let org = base_of(state, auth, organisation_id).await?;
    let scans = checked_scans(state, auth, &scan_ids, &[]).await?;
    let client = store::create(
        &state.db,
        org.id,
        data,
        &scans,
        auth.user_id,
        state.clock.now(),
    )
    .await?;
    view(state, auth, client).await
}

/// `GET /clients/{id}`: all his data; the read is written in the audit log.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Client, AppError> {
    let (client, _) = client_of(state, auth, id).await?;
    record_read(state, auth, &client).await?;
    view(state, auth, client).await
}

/// The client as he is now, for an `Idempotency-Key` retry of his creation.
pub async fn created(state: &Core, auth: &Caller, id: Uuid) -> Result<Client, AppError> {
    let (client, _) = client_of(state, auth, id).await?;
    view(state, auth, client).await
}

fn patched<T: Clone>(value: &Option<Option<T>>, was: &Option<T>) -> Option<T> {
    match value {
        None => was.clone(),
        Some(v) => v.clone(),
    }
}

/// `PATCH /clients/{id}`: changes the fields given (`null` clears one).
pub async fn update(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    input: ClientPatch,
) -> Result<Client, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let (client, _) = client_of(state, auth, id).await?;
    let was = &client.data;
    let data = data_of(ClientData {
        full_name: input
            .full_name
            .clone()
            .unwrap_or_else(|| was.full_name.clone()),
        birth_date: patched(&input.birth_date, &was.birth_date),
        birth_place: patched(&input.birth_place, &was.birth_place),
        passport_series: patched(&input.passport_series, &was.passport_series),
        passport_number: patched(&input.passport_number, &was.passport_number),
        passport_issued_on: patched(&input.passport_issued_on, &was.passport_issued_on),
        passport_issuer_code: patched(&input.passport_issuer_code, &was.passport_issuer_code),
        passport_issuer: patched(&input.passport_issuer, &was.passport_issuer),
        snils: patched(&input.snils, &was.snils),
        inn: patched(&input.inn, &was.inn),
        address: patched(&input.address, &was.address),
        phone: patched(&input.phone, &was.phone),
        email: patched(&input.email, &was.email),
    });
    required_name(&data)?;
    let scans = match &input.scan_ids {
        Some(ids) => {
            let has: Vec<Uuid> = store::scans(&state.db, id)
                .await?
                .into_iter()
                .map(|f| f.id)
                .collect();
            Some(checked_scans(state, auth, ids, &has).await?)
        }
        None => None,
    };
    let updated = store::update(
        &state.db,
        &client,
        data,
        scans.as_deref(),
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::VersionMismatch => AppError::new(ErrorCode::Conflict, "clients.changed"),
        other => other.into(),
    })?;
    view(state, auth, updated).await
}

/// `GET /clients`: the base, newest first, optionally searched by part of
/// the name, a SNILS or a passport number.
pub async fn list(
    state: &Core,
    auth: &Caller,
    query: &ClientsQuery,
) -> Result<ClientList, AppError> {
    let limit = paging::limit(&query.page)?;
    let before: Option<After> = paging::decode(query.page.cursor.as_deref())?;
    let org = base_of(state, auth, query.organisation_id).await?;
    let search = query.q.as_deref().and_then(Search::of);
    let (rows, more) = store::list(&state.db, org.id, search.as_ref(), limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |c| (c.created_at, c.id));
    let items = rows
        .into_iter()
        .map(|c| ClientSummary {
            findings: findings(state, &c.data).len(),
            id: c.id,
            full_name: c.data.full_name,
            birth_date: c.data.birth_date,
            snils: c.data.snils,
            updated_at: c.updated_at,
        })
        .collect();
    Ok(ClientList { items, next_cursor })
}

/// Whether `auth` may read scan `file_id` through a client of an
/// organisation whose base he works with.
pub(crate) async fn may_read_scan(state: &Core, auth: &Caller, file_id: Uuid) -> bool {
    let Ok(organisations) = store::organisations_of_scan(&state.db, file_id).await else {
        return false;
    };
    for org in organisations {
        if auth.require(&ORG_ROLES).is_ok() && permitted(state, auth, org, MANAGE).await.is_ok() {
            return true;
        }
    }
    false
}
