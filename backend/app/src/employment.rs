//! Employers and their engineers (docs/employers.md): the "I employ cadastral
//! engineers" switch, the employer search, join requests, direct
//! additions, suspension and removal; an engineer's own employment.

use crate::context::Core;
use crate::engineers::{require_engineer, snils_display};
use crate::error::{AppError, FieldIssues, push_issue};
use crate::paging;
use chrono::{DateTime, Utc};
use mezha_api_types::engineers::{
    AddEmployee, EmployeeSummary, EmployeesQuery, EmployerList, EmployerSearchQuery,
    EmployerSettings, EmployerSummary, Employment, EmploymentList, EmploymentStatus, MyEmployment,
    NewJoinRequest, UpdateEmployerSettings,
};
use mezha_api_types::{ErrorCode, Role};
use mezha_domain::employment::{self as machine, Action};
use mezha_domain::inn::InnKind;
use mezha_domain::{Email, FieldError, Inn, Snils};
use mezha_store::StoreError;
use mezha_store::employment::{self, EmployerRecord, EmploymentRecord, NewEmployment};
use mezha_store::engineers;
use mezha_store::users;
use std::collections::HashMap;
use uuid::Uuid;

fn already_employed() -> AppError {
    AppError::new(ErrorCode::AlreadyEmployed, "employment.already_employed")
}

fn maps_duplicate(err: StoreError) -> AppError {
    match err {
        StoreError::Duplicate(_) => already_employed(),
        other => other.into(),
    }
}

fn settings_view(record: Option<EmployerRecord>) -> EmployerSettings {
    match record {
        Some(e) => EmployerSettings {
            employs_engineers: e.enabled,
            name: Some(e.name),
            inn: Some(e.inn),
            enabled_at: Some(e.enabled_at),
        },
        None => EmployerSettings {
            employs_engineers: false,
            name: None,
            inn: None,
            enabled_at: None,
        },
    }
}

/// `GET /me/employer`.
pub async fn settings(state: &Core, user_id: Uuid) -> Result<EmployerSettings, AppError> {
    Ok(settings_view(
        employment::employer(&state.db, user_id).await?,
    ))
}

/// `PUT /me/employer`: on grants the `employer` role, off revokes it
/// (refused while the employer has current employments).
pub async fn update_settings(
    state: &Core,
    user_id: Uuid,
    body: UpdateEmployerSettings,
) -> Result<EmployerSettings, AppError> {
    let now = state.clock.now();
    let current = employment::employer(&state.db, user_id).await?;
    let mut errors = crate::error::body_issues(&body);
    let name = match body.name.as_deref().map(str::trim) {
        Some("") => {
            push_issue(
                &mut errors,
                "name",
                FieldError::new("required", "This field is required."),
            );
            None
        }
        Some(name) => Some(name.split_whitespace().collect::<Vec<_>>().join(" ")),
        None => current.as_ref().map(|c| c.name.clone()),
    };
    let inn = match body.inn.as_deref() {
        // An employer is a legal entity (docs/employers.md): a 10-digit INN.
        Some(inn) => Inn::parse(inn)
            .and_then(|i| match i.kind() {
                InnKind::LegalEntity => Ok(i.as_str().to_owned()),
                InnKind::Person => Err(FieldError::new(
                    "inn_not_legal_entity",
                    "An employer is a legal entity: give its 10-digit INN.",
                )),
            })
            .map_err(|e| push_issue(&mut errors, "inn", e))
            .ok(),
        None => current.as_ref().map(|c| c.inn.clone()),
    };
    if body.employs_engineers {
        if name.is_none() && !errors.contains_key("name") {
            push_issue(
                &mut errors,
                "name",
                FieldError::new("required", "The organisation name is required."),
            );
        }
        if inn.is_none() && !errors.contains_key("inn") {
            push_issue(
                &mut errors,
                "inn",
                FieldError::new("required", "The organisation INN is required."),
            );
        }
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if !body.employs_engineers {
        let Some(current) = current else {
            return Ok(settings_view(None));
        };
        if employment::current_count(&state.db, user_id).await? > 0 {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "employment.cannot_turn_off",
            ));
        }
        let saved = employment::save_employer(
            &state.db,
            user_id,
            name.unwrap_or(current.name),
            inn.unwrap_or(current.inn),
            false,
            now,
        )
        .await?;
        engineers::revoke_role(&state.db, user_id, Role::Employer).await?;
        return Ok(settings_view(Some(saved)));
    }
    let (Some(name), Some(inn)) = (name, inn) else {
        return Err(AppError::validation(errors));
    };
    let saved = employment::save_employer(&state.db, user_id, name, inn, true, now).await?;
    engineers::grant_role(&state.db, user_id, Role::Employer, now).await?;
    Ok(settings_view(Some(saved)))
}

/// The caller's employer settings, when the switch is on; 403 otherwise.
async fn enabled_employer(state: &Core, user_id: Uuid) -> Result<EmployerRecord, AppError> {
    employment::employer(&state.db, user_id)
        .await?
        .filter(|e| e.enabled)
        .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "employment.not_an_employer"))
}

/// `GET /employers`.
pub async fn search(state: &Core, q: EmployerSearchQuery) -> Result<EmployerList, AppError> {
    let limit = paging::limit(&q.page)?;
    let after: Option<(String, Uuid)> = paging::decode(q.page.cursor.as_deref())?;
    let mut rows =
        employment::search_employers(&state.db, q.q.as_deref(), after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = paging::next_cursor(more, &rows, |e| (e.name.clone(), e.user_id));
    Ok(EmployerList {
        items: rows
            .into_iter()
            .map(|e| EmployerSummary {
                id: e.user_id,
                name: e.name,
                inn: e.inn,
            })
            .collect(),
        next_cursor,
    })
}

/// Turns records into views, loading the employers and engineers named.
async fn views(state: &Core, records: Vec<EmploymentRecord>) -> Result<Vec<Employment>, AppError> {
    let mut employer_ids: Vec<Uuid> = records.iter().map(|r| r.employer_id).collect();
    employer_ids.dedup();
    let employers = employment::employers_by_id(&state.db, &employer_ids).await?;
    let mut people: HashMap<Uuid, users::UserRecord> = HashMap::new();
    for r in &records {
        if !people.contains_key(&r.engineer_id)
            && let Some(user) = users::find_by_id(&state.db, r.engineer_id).await?
        {
            people.insert(user.id, user);
        }
    }
    Ok(records
        .into_iter()
        .map(|r| {
            let employer = employers.get(&r.employer_id);
            let engineer = people.get(&r.engineer_id);
            Employment {
                id: r.id,
                employer: EmployerSummary {
                    id: r.employer_id,
                    name: employer.map(|e| e.name.clone()).unwrap_or_default(),
                    inn: employer.map(|e| e.inn.clone()).unwrap_or_default(),
                },
                engineer: EmployeeSummary {
                    id: r.engineer_id,
                    full_name: engineer.and_then(|u| u.full_name.clone()),
                    email: engineer.map(|u| u.email.clone()).unwrap_or_default(),
                    snils: snils_display(engineer.and_then(|u| u.snils.as_deref())),
                },
                status: r.status,
                basis_date: r.basis_date,
                basis_name: r.basis_name,
                basis_number: r.basis_number,
                basis_file_id: r.basis_file_id,
                created_at: r.created_at,
                decided_at: r.decided_at,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

/// The employment `id` (of `user`, its engineer or employer) as its
/// creation answered it: for an `Idempotency-Key` retry whose first request
/// created it but could not answer.
pub async fn created(state: &Core, user: Uuid, id: Uuid) -> Result<Employment, AppError> {
    let record = employment::get(&state.db, id)
        .await?
        .filter(|r| r.engineer_id == user || r.employer_id == user)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))?;
    view(state, record).await
}

async fn view(state: &Core, record: EmploymentRecord) -> Result<Employment, AppError> {
    views(state, vec![record])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("employment view vanished")))
}

fn text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

/// 422 unless the file exists and belongs to `owner`.
async fn check_basis_file(
    state: &Core,
    owner: Uuid,
    id: Option<Uuid>,
    errors: &mut FieldIssues,
) -> Result<(), AppError> {
    if let Some(id) = id {
        match mezha_store::files::find(&state.db, id).await? {
            Some(file) if file.owner_id == owner => {}
            _ => push_issue(
                errors,
                "basis_file_id",
                FieldError::new("unknown_file", "no file you uploaded has this id"),
            ),
        }
    }
    Ok(())
}

/// `POST /employers/{id}/join-requests` (engineer).
pub async fn request_to_join(
    state: &Core,
    engineer_id: Uuid,
    employer_id: Uuid,
    body: NewJoinRequest,
) -> Result<Employment, AppError> {
    require_engineer(state, engineer_id).await?;
    let employer = employment::employer(&state.db, employer_id)
        .await?
        .filter(|e| e.enabled && e.user_id != engineer_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "employment.employer_not_found"))?;
    let mut errors = crate::error::body_issues(&body);
    let basis_name = text(Some(body.basis_name));
    let basis_number = text(Some(body.basis_number));
    for (field, value) in [("basis_name", &basis_name), ("basis_number", &basis_number)] {
        if value.is_none() {
            push_issue(
                &mut errors,
                field,
                FieldError::new("required", "This field is required."),
            );
        }
    }
    check_basis_file(state, engineer_id, body.basis_file_id, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if employment::current_of(&state.db, engineer_id)
        .await?
        .is_some()
    {
        return Err(already_employed());
    }
    let record = employment::create(
        &state.db,
        NewEmployment {
            employer_id: employer.user_id,
            engineer_id,
            status: EmploymentStatus::Requested,
            basis_date: Some(body.basis_date),
            basis_name,
            basis_number,
            basis_file_id: body.basis_file_id,
        },
        state.clock.now(),
    )
    .await
    .map_err(maps_duplicate)?;
    view(state, record).await
}

/// `GET /me/employees` (employer).
pub async fn employees(
    state: &Core,
    employer_id: Uuid,
    q: EmployeesQuery,
) -> Result<EmploymentList, AppError> {
    enabled_employer(state, employer_id).await?;
    let limit = paging::limit(&q.page)?;
    let after: Option<(DateTime<Utc>, Uuid)> = paging::decode(q.page.cursor.as_deref())?;
    let statuses: Vec<EmploymentStatus> = match q.status {
        Some(s) => vec![s],
        None => employment::CURRENT.to_vec(),
    };
    let mut rows =
        employment::list_for_employer(&state.db, employer_id, &statuses, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = paging::next_cursor(more, &rows, |e| (e.created_at, e.id));
    Ok(EmploymentList {
        items: views(state, rows).await?,
        next_cursor,
    })
}

fn not_found_request() -> AppError {
    AppError::new(ErrorCode::NotFound, "employment.request_not_found")
}

/// `POST /join-requests/{id}/approve|reject` (employer).
pub async fn decide(
    state: &Core,
    employer_id: Uuid,
    request_id: Uuid,
    approve: bool,
) -> Result<Employment, AppError> {
    enabled_employer(state, employer_id).await?;
    let record = employment::get(&state.db, request_id)
        .await?
        .filter(|r| r.employer_id == employer_id)
        .ok_or_else(not_found_request)?;
    let action = if approve {
        Action::Approve
    } else {
        Action::Reject
    };
    let conflict = |status: EmploymentStatus| {
        AppError::new(
            ErrorCode::Conflict,
            crate::msg!("employment.request_decided", status = status),
        )
    };
    match take(state, &record, action).await? {
        Taken::Done(updated) => view(state, updated).await,
        Taken::Refused(refused) => Err(conflict(refused.status)),
        Taken::Raced => {
            let now = employment::get(&state.db, record.id)
                .await?
                .ok_or_else(not_found_request)?;
            Err(conflict(now.status))
        }
    }
}

/// What became of an action on an employment.
enum Taken {
    /// It was taken: the employment as it is now.
    Done(EmploymentRecord),
    /// Its status does not allow it.
    Refused(machine::Refused),
    /// Its status changed between reading and writing.
    Raced,
}

/// Takes `action` on `record` if its status allows it (the domain rule),
/// writing only if the status is still one the action starts from.
async fn take(state: &Core, record: &EmploymentRecord, action: Action) -> Result<Taken, AppError> {
    if let Err(refused) = machine::apply(record.status, action) {
        return Ok(Taken::Refused(refused));
    }
    match employment::transition(&state.db, record.id, action, state.clock.now()).await {
        Ok(updated) => Ok(Taken::Done(updated)),
        Err(StoreError::VersionMismatch) => Ok(Taken::Raced),
        Err(e) => Err(maps_duplicate(e)),
    }
}

/// `POST /me/employees` (employer): adds an engineer directly.
pub async fn add(
    state: &Core,
    employer_id: Uuid,
    body: AddEmployee,
) -> Result<Employment, AppError> {
    enabled_employer(state, employer_id).await?;
    let mut errors = crate::error::body_issues(&body);
    let engineer = match (body.email.as_deref(), body.snils.as_deref()) {
        (Some(email), None) => match Email::parse(email) {
            Ok(email) => users::find_by_email(&state.db, email.as_str()).await?,
            Err(e) => {
                push_issue(&mut errors, "email", e);
                None
            }
        },
        (None, Some(snils)) => match Snils::parse(snils) {
            Ok(snils) => {
                let ids = mezha_store::sro::users_by_snils(&state.db, &[snils.digits().to_owned()])
                    .await?;
                let mut found = None;
                for (id, _) in ids {
                    if engineers::has_role(&state.db, id, Role::Engineer).await? {
                        found = users::find_by_id(&state.db, id).await?;
                        break;
                    }
                }
                found
            }
            Err(e) => {
                push_issue(&mut errors, "snils", e);
                None
            }
        },
        _ => {
            let issue = || FieldError::new("one_of", "give exactly one of email and snils");
            push_issue(&mut errors, "email", issue());
            push_issue(&mut errors, "snils", issue());
            None
        }
    };
    check_basis_file(state, employer_id, body.basis_file_id, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let not_found = || AppError::new(ErrorCode::NotFound, "employment.engineer_not_found");
    let engineer = engineer.ok_or_else(not_found)?;
    if engineer.id == employer_id
        || !engineers::has_role(&state.db, engineer.id, Role::Engineer).await?
    {
        return Err(not_found());
    }
    if employment::last_login_at(&state.db, engineer.id)
        .await?
        .is_none()
    {
        return Err(AppError::new(
            ErrorCode::EngineerNeverLoggedIn,
            "employment.never_logged_in",
        ));
    }
    if employment::current_of(&state.db, engineer.id)
        .await?
        .is_some()
    {
        return Err(already_employed());
    }
    let record = employment::create(
        &state.db,
        NewEmployment {
            employer_id,
            engineer_id: engineer.id,
            status: EmploymentStatus::Active,
            basis_date: body.basis_date,
            basis_name: text(body.basis_name),
            basis_number: text(body.basis_number),
            basis_file_id: body.basis_file_id,
        },
        state.clock.now(),
    )
    .await
    .map_err(maps_duplicate)?;
    view(state, record).await
}

/// The employer's action on the current employment of `engineer_id`
/// with him (suspend, resume, remove). 404 when there is none; 409 when
/// its status does not allow the action.
pub async fn change_employee(
    state: &Core,
    employer_id: Uuid,
    engineer_id: Uuid,
    action: Action,
) -> Result<Employment, AppError> {
    enabled_employer(state, employer_id).await?;
    let record = employment::current_between(&state.db, employer_id, engineer_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "employment.not_your_employee"))?;
    let conflict = |message: crate::error::Message| {
        AppError::new(ErrorCode::Conflict, message.arg("needs", action.needs()))
    };
    match take(state, &record, action).await? {
        Taken::Done(updated) => view(state, updated).await,
        Taken::Refused(refused) => Err(conflict(crate::msg!(
            "employment.status_refused",
            status = refused.status.as_str()
        ))),
        Taken::Raced => Err(conflict(crate::msg!("employment.changed"))),
    }
}

/// `GET /me/employment` (engineer).
pub async fn mine(state: &Core, engineer_id: Uuid) -> Result<MyEmployment, AppError> {
    let current = match employment::current_of(&state.db, engineer_id).await? {
        Some(record) => Some(view(state, record).await?),
        None => None,
    };
    Ok(MyEmployment { current })
}

/// `DELETE /me/employment` (engineer): leave, or withdraw the request.
pub async fn leave(state: &Core, engineer_id: Uuid) -> Result<(), AppError> {
    let record = employment::current_of(&state.db, engineer_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "employment.none"))?;
    match employment::transition(&state.db, record.id, Action::Leave, state.clock.now()).await {
        Ok(_) | Err(StoreError::VersionMismatch) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
