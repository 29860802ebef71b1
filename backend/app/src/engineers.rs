//! Engineer profiles, requisites and the public engineer list (docs/API.md, "Engineers and employers").

use crate::context::Core;
use crate::error::{AppError, FieldIssues, push_issue};
use crate::paging;
use mezha_api_types::engineers::{
    BusinessForm, Contacts, EmployerSummary, EngineerCard, EngineerDetails, EngineerList,
    EngineerProfile, EngineerSearchQuery, EngineerSort, LEGAL_ADDRESS_MAX_CHARS, Requisites,
    RequisitesSource, RequisitesView, SroDisciplinaryAction, SroMemberStatus, SroMembership,
    UpdateEngineerProfile, WorkTypePrice,
};
use mezha_api_types::orders::WorkType;
use mezha_api_types::{ErrorCode, Role};
use mezha_domain::orders::eligibility::missing_profile_fields;
use mezha_domain::requisites::{self as bank, Account, Bik, CorrespondentAccount, Kpp};
use mezha_domain::sro::SroStatus;
use mezha_domain::{Email, FieldError, Inn, Ogrn, Phone, Snils};
use mezha_store::engineers::{
    self, CardRecord, ContactsRecord, DocumentsRecord, ProfileData, RequisitesData,
    RequisitesRecord, SearchFilter, Sort,
};
use mezha_store::users::{self, UserRecord};
use mezha_store::{employment, sro};
use serde::Serialize;
use std::collections::HashSet;
use uuid::Uuid;

/// The account, or 401 when it no longer exists.
async fn account(state: &Core, user_id: Uuid) -> Result<UserRecord, AppError> {
    users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))
}

/// 403 `not_an_engineer` unless the account holds the engineer role now
/// (the token's acting role may predate a registry change).
pub async fn require_engineer(state: &Core, user_id: Uuid) -> Result<(), AppError> {
    if engineers::has_role(&state.db, user_id, Role::Engineer).await? {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::NotAnEngineer,
            "engineers.not_an_engineer",
        ))
    }
}

fn contacts_view(c: ContactsRecord) -> Contacts {
    Contacts {
        phone: c.phone,
        email: c.email,
        other: c.other,
    }
}

fn work_types_view(list: Vec<(String, Option<i64>)>) -> Vec<WorkTypePrice> {
    let mut out: Vec<WorkTypePrice> = list
        .into_iter()
        .filter_map(|(code, price)| {
            code.parse::<WorkType>()
                .ok()
                .map(|work_type| WorkTypePrice { work_type, price })
        })
        .collect();
    out.sort_by_key(|w| w.work_type);
    out
}

fn employer_view(e: employment::EmployerRecord) -> EmployerSummary {
    EmployerSummary {
        id: e.user_id,
        name: e.name,
        inn: e.inn,
    }
}

/// The SRO membership of an account with this SNILS, from the registry,
/// with the disciplinary actions it lists (docs/sro-registry.md).
pub async fn membership(
    state: &Core,
    snils: Option<&str>,
) -> Result<Option<SroMembership>, AppError> {
    let Some(snils) = snils else { return Ok(None) };
    Ok(sro::entry(&state.db, snils).await?.map(|e| SroMembership {
        sro_name: e.sro_name,
        registry_number: e.registry_number,
        status: match e.status {
            SroStatus::Active => SroMemberStatus::Active,
            SroStatus::Suspended => SroMemberStatus::Suspended,
            SroStatus::Excluded => SroMemberStatus::Excluded,
        },
        status_date: e.status_date,
        disciplinary_actions: e
            .disciplinary_actions
            .into_iter()
            .map(|a| SroDisciplinaryAction {
                date: a.date,
                text: a.text,
            })
            .collect(),
    }))
}

/// The caller's engineer profile (an empty one, version 0, before the
/// first save).
pub async fn profile(state: &Core, user_id: Uuid) -> Result<EngineerProfile, AppError> {
    require_engineer(state, user_id).await?;
    let user = account(state, user_id).await?;
    let saved = engineers::profile(&state.db, user_id).await?;
    let (facts, employer_id) = engineers::profile_facts(&state.db, user_id).await?;
    let employer = match employer_id {
        Some(id) => employment::employer(&state.db, id)
            .await?
            .map(employer_view),
        None => None,
    };
    let missing: Vec<String> = missing_profile_fields(&facts)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let sro = membership(state, user.snils.as_deref()).await?;
    let (data, version, updated_at) = match saved {
        Some(p) => (p.data, p.version, Some(p.updated_at)),
        None => (
            ProfileData {
                accept_offers: true,
                ..ProfileData::default()
            },
            0,
            None,
        ),
    };
    Ok(EngineerProfile {
        user_id,
        full_name: user.full_name,
        photo_url: user.avatar_id.map(|v| crate::avatars::url(user_id, v)),
        website: data.website,
        residence: data.residence,
        contacts: contacts_view(data.contacts),
        experience_years: data.experience_years.and_then(|y| u32::try_from(y).ok()),
        working_hours: data.working_hours,
        education: data.education,
        about: data.about,
        accept_offers: data.accept_offers,
        regions: data.regions,
        work_types: work_types_view(data.work_types),
        diploma_file_ids: data.documents.diplomas,
        work_example_file_ids: data.documents.work_examples,
        business_form: if employer_id.is_some() {
            BusinessForm::Employee
        } else {
            BusinessForm::SoleProprietor
        },
        employer,
        sro,
        complete: missing.is_empty(),
        missing_fields: missing,
        version,
        updated_at,
    })
}

/// Trimmed text, `None` when blank.
fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn website(text: &str) -> Result<String, FieldError> {
    let bad = || FieldError::new("invalid_url", "use an http:// or https:// address");
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty()
        || host.contains('@')
        || text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(bad());
    }
    Ok(text.to_owned())
}

/// Checks file ids: each must be a file the caller uploaded.
async fn check_files(
    state: &Core,
    owner: Uuid,
    field: &str,
    ids: &[Uuid],
    errors: &mut FieldIssues,
) -> Result<Vec<Uuid>, AppError> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if out.contains(id) {
            continue;
        }
        match mezha_store::files::find(&state.db, *id).await? {
            Some(file) if file.owner_id == owner => out.push(*id),
            _ => push_issue(
                errors,
                &format!("{field}[{i}]"),
                FieldError::new("unknown_file", "no file you uploaded has this id"),
            ),
        }
    }
    Ok(out)
}

/// Saves the caller's engineer profile (`PUT /me/engineer-profile`).
pub async fn update_profile(
    state: &Core,
    user_id: Uuid,
    expected_version: Option<i64>,
    body: UpdateEngineerProfile,
) -> Result<EngineerProfile, AppError> {
    require_engineer(state, user_id).await?;
    // The body's own rules (lengths, ranges) and the checks below, at once.
    let mut errors = crate::error::body_issues(&body);
    let website = match clean(body.website) {
        Some(w) => website(&w)
            .map_err(|e| push_issue(&mut errors, "website", e))
            .ok(),
        None => None,
    };
    let phone = match clean(body.contacts.phone) {
        Some(p) => Phone::parse(&p)
            .map(|p| p.as_str().to_owned())
            .map_err(|e| push_issue(&mut errors, "contacts.phone", e))
            .ok(),
        None => None,
    };
    let email = match clean(body.contacts.email) {
        Some(e) => Email::parse(&e)
            .map(Email::into_string)
            .map_err(|e| push_issue(&mut errors, "contacts.email", e))
            .ok(),
        None => None,
    };
    let mut regions: Vec<String> = Vec::new();
    let asked: Vec<String> = body.regions.iter().map(|r| r.trim().to_owned()).collect();
    let known: HashSet<String> = engineers::known_regions(&state.db, &asked)
        .await?
        .into_iter()
        .collect();
    for (i, code) in asked.iter().enumerate() {
        let code = code.as_str();
        if !known.contains(code) {
            push_issue(
                &mut errors,
                &format!("regions[{i}]"),
                FieldError::new("unknown_region", format!("no region has the code {code:?}")),
            );
        } else if regions.iter().any(|r| r == code) {
            push_issue(
                &mut errors,
                &format!("regions[{i}]"),
                FieldError::new("duplicate", "this region is listed twice"),
            );
        } else {
            regions.push(code.to_owned());
        }
    }
    regions.sort();
    let mut work_types: Vec<(String, Option<i64>)> = Vec::new();
    for (i, w) in body.work_types.iter().enumerate() {
        if work_types.iter().any(|(c, _)| c == w.work_type.as_str()) {
            push_issue(
                &mut errors,
                &format!("work_types[{i}].work_type"),
                FieldError::new("duplicate", "this work type is listed twice"),
            );
        } else {
            work_types.push((w.work_type.as_str().to_owned(), w.price));
        }
    }
    let diplomas = check_files(
        state,
        user_id,
        "diploma_file_ids",
        &body.diploma_file_ids,
        &mut errors,
    )
    .await?;
    let work_examples = check_files(
        state,
        user_id,
        "work_example_file_ids",
        &body.work_example_file_ids,
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let data = ProfileData {
        website,
        residence: clean(body.residence),
        contacts: ContactsRecord {
            phone,
            email,
            other: clean(body.contacts.other),
        },
        experience_years: body.experience_years.and_then(|y| i32::try_from(y).ok()),
        working_hours: clean(body.working_hours),
        education: clean(body.education),
        about: clean(body.about),
        accept_offers: body.accept_offers,
        documents: DocumentsRecord {
            diplomas,
            work_examples,
        },
        regions,
        work_types,
    };
    engineers::save_profile(
        &state.db,
        user_id,
        expected_version,
        data,
        state.clock.now(),
    )
    .await?;
    profile(state, user_id).await
}

fn requisites_view_dto(r: RequisitesData) -> Requisites {
    Requisites {
        recipient: r.recipient,
        inn: r.inn,
        kpp: r.kpp,
        bank_name: r.bank_name,
        bik: r.bik,
        account: r.account,
        correspondent_account: r.correspondent_account,
        ogrn: r.ogrn,
        legal_address: r.legal_address,
    }
}

/// The employer whose requisites the caller uses: only when he acts as an
/// engineer and has an active employment.
async fn inherited_from(
    state: &Core,
    user_id: Uuid,
    acting: Role,
) -> Result<Option<Uuid>, AppError> {
    if acting != Role::Engineer {
        return Ok(None);
    }
    Ok(employment::employer_of(&state.db, user_id).await?)
}

/// `GET /me/requisites`.
pub async fn requisites(
    state: &Core,
    user_id: Uuid,
    acting: Role,
) -> Result<RequisitesView, AppError> {
    let own = engineers::requisites_of(&state.db, user_id).await?;
    let version = own.as_ref().map_or(0, |r| r.version);
    match inherited_from(state, user_id, acting).await? {
        Some(employer) => {
            let theirs = engineers::requisites_of(&state.db, employer).await?;
            Ok(RequisitesView {
                source: RequisitesSource::Employer,
                editable: false,
                employer_id: Some(employer),
                updated_at: theirs.as_ref().map(|r| r.updated_at),
                requisites: theirs.map(|r| requisites_view_dto(r.data)),
                version,
            })
        }
        None => Ok(own_view(own)),
    }
}

fn own_view(own: Option<RequisitesRecord>) -> RequisitesView {
    RequisitesView {
        source: RequisitesSource::Own,
        editable: true,
        employer_id: None,
        version: own.as_ref().map_or(0, |r| r.version),
        updated_at: own.as_ref().map(|r| r.updated_at),
        requisites: own.map(|r| requisites_view_dto(r.data)),
    }
}

/// Checks bank details; per-field issues on failure.
pub fn parse_requisites(body: Requisites) -> Result<RequisitesData, AppError> {
    let mut errors = FieldIssues::new();
    let max =
        usize::try_from(mezha_api_types::engineers::ORGANISATION_NAME_MAX_CHARS).unwrap_or(300);
    let recipient = bank::text(&body.recipient, max)
        .map_err(|e| push_issue(&mut errors, "recipient", e))
        .ok();
    let bank_name = bank::text(&body.bank_name, max)
        .map_err(|e| push_issue(&mut errors, "bank_name", e))
        .ok();
    let inn = Inn::parse(&body.inn)
        .map_err(|e| push_issue(&mut errors, "inn", e))
        .ok();
    let kpp = match clean(body.kpp) {
        Some(k) => match Kpp::parse(&k) {
            Ok(k) => Some(k.as_str().to_owned()),
            Err(e) => {
                push_issue(&mut errors, "kpp", e);
                None
            }
        },
        None => None,
    };
    let ogrn = match (clean(body.ogrn), &inn) {
        (Some(o), Some(inn)) => Ogrn::parse_for(&o, inn.kind())
            .map(|o| Some(o.as_str().to_owned()))
            .map_err(|e| push_issue(&mut errors, "ogrn", e))
            .unwrap_or(None),
        (Some(o), None) => Ogrn::parse(&o)
            .map(|o| Some(o.as_str().to_owned()))
            .map_err(|e| push_issue(&mut errors, "ogrn", e))
            .unwrap_or(None),
        (None, _) => None,
    };
    let address_max = usize::try_from(LEGAL_ADDRESS_MAX_CHARS).unwrap_or(500);
    let legal_address = match clean(body.legal_address) {
        Some(a) => bank::text(&a, address_max)
            .map(Some)
            .map_err(|e| push_issue(&mut errors, "legal_address", e))
            .unwrap_or(None),
        None => None,
    };
    let bik = Bik::parse(&body.bik)
        .map_err(|e| push_issue(&mut errors, "bik", e))
        .ok();
    let (account, correspondent) = match &bik {
        Some(bik) => (
            Account::parse(&body.account, bik)
                .map_err(|e| push_issue(&mut errors, "account", e))
                .ok(),
            CorrespondentAccount::parse(&body.correspondent_account, bik)
                .map_err(|e| push_issue(&mut errors, "correspondent_account", e))
                .ok(),
        ),
        None => (None, None),
    };
    match (recipient, bank_name, inn, bik, account, correspondent) {
        (Some(recipient), Some(bank_name), Some(inn), Some(bik), Some(account), Some(corr))
            if errors.is_empty() =>
        {
            Ok(RequisitesData {
                recipient,
                inn: inn.as_str().to_owned(),
                kpp,
                bank_name,
                bik: bik.as_str().to_owned(),
                account: account.as_str().to_owned(),
                correspondent_account: corr.as_str().to_owned(),
                ogrn,
                legal_address,
            })
        }
        _ => Err(AppError::validation(errors)),
    }
}

/// `PUT /me/requisites`: the caller's own. An employed engineer acting as
/// engineer uses his employer's and gets 409 `requisites_inherited`.
pub async fn update_requisites(
    state: &Core,
    user_id: Uuid,
    acting: Role,
    expected_version: Option<i64>,
    body: Requisites,
) -> Result<RequisitesView, AppError> {
    if inherited_from(state, user_id, acting).await?.is_some() {
        return Err(AppError::new(
            ErrorCode::RequisitesInherited,
            "engineers.requisites_inherited",
        ));
    }
    let data = parse_requisites(body)?;
    let saved = engineers::save_requisites(
        &state.db,
        user_id,
        expected_version,
        data,
        state.clock.now(),
    )
    .await?;
    Ok(own_view(Some(saved)))
}

fn card_view(c: CardRecord) -> EngineerCard {
    EngineerCard {
        id: c.id,
        full_name: c.full_name,
        photo_url: c.avatar_id.map(|v| crate::avatars::url(c.id, v)),
        // Two decimals, from the integer key.
        rating: c.rating_x100.map(|r| r as f64 / 100.0),
        reviews_count: c.reviews_count,
        regions: c.regions,
        work_types: work_types_view(c.work_types),
        completed_orders: c.completed_orders,
        successful_orders: c.successful_orders,
        experience_years: c.experience_years.and_then(|y| u32::try_from(y).ok()),
        on_time_percent: c.on_time_percent,
        employer: c
            .employer
            .map(|(id, name, inn)| EmployerSummary { id, name, inn }),
        accept_offers: c.accept_offers,
    }
}

fn sort(sort: Option<EngineerSort>) -> Sort {
    match sort.unwrap_or(EngineerSort::Rating) {
        EngineerSort::Rating => Sort::Rating,
        EngineerSort::CompletedOrders => Sort::CompletedOrders,
        EngineerSort::Experience => Sort::Experience,
    }
}

/// Cursor of the engineer list: the sort, its key and the id of the last
/// row (a cursor from another sort is refused).
#[derive(Serialize, serde::Deserialize)]
struct EngineerCursor {
    s: String,
    k: i64,
    id: Uuid,
}

/// `GET /engineers`.
pub async fn list(state: &Core, q: EngineerSearchQuery) -> Result<EngineerList, AppError> {
    let limit = paging::limit(&q.page)?;
    let sort_name = q.sort.unwrap_or(EngineerSort::Rating).as_str();
    let after = match paging::decode::<EngineerCursor>(q.page.cursor.as_deref())? {
        Some(c) => {
            if c.s != sort_name {
                return Err(AppError::new(
                    ErrorCode::BadRequest,
                    "paging.cursor_other_sort",
                ));
            }
            Some((c.k, c.id))
        }
        None => None,
    };
    let rating_min_x100 = match q.rating_min {
        Some(r) if r.is_finite() && (0.0..=5.0).contains(&r) => Some((r * 100.0).round() as i64),
        Some(_) => {
            return Err(AppError::field(
                "rating_min",
                FieldError::new("out_of_range", "rating_min is between 0 and 5"),
            ));
        }
        None => None,
    };
    let region_code = q
        .region_code
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let filter = SearchFilter {
        id: None,
        region_code,
        work_type: q.work_type.map(|w| w.as_str().to_owned()),
        rating_min_x100,
        experience_min: q.experience_min.map(i64::from),
        accepts_offers: q.accepts_offers,
        sort: sort(q.sort),
        after,
        limit: limit + 1,
        today: state.clock.now().date_naive(),
    };
    let mut rows = engineers::search(&state.db, &filter).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = paging::next_cursor(more, &rows, |last| EngineerCursor {
        s: sort_name.to_owned(),
        k: last.sort_key,
        id: last.id,
    });
    Ok(EngineerList {
        items: rows.into_iter().map(card_view).collect(),
        next_cursor,
    })
}

/// The card of `id` when the engineer is listed (holds the role, is not
/// blocked, has a complete profile): the public engineer list's filter.
async fn listed_card(state: &Core, id: Uuid) -> Result<Option<CardRecord>, AppError> {
    let filter = SearchFilter {
        id: Some(id),
        region_code: None,
        work_type: None,
        rating_min_x100: None,
        experience_min: None,
        accepts_offers: None,
        sort: Sort::Rating,
        after: None,
        limit: 1,
        today: state.clock.now().date_naive(),
    };
    Ok(engineers::search(&state.db, &filter)
        .await?
        .into_iter()
        .next())
}

/// Whether `id` is a listed engineer, whose profile (and photo) is public.
pub async fn is_listed(state: &Core, id: Uuid) -> Result<bool, AppError> {
    Ok(listed_card(state, id).await?.is_some())
}

/// `GET /engineers/{id}`: 404 unless the engineer is publicly listed.
pub async fn details(state: &Core, id: Uuid) -> Result<EngineerDetails, AppError> {
    let not_found = || AppError::new(ErrorCode::NotFound, "engineers.not_found");
    let card = listed_card(state, id).await?.ok_or_else(not_found)?;
    let profile = engineers::profile(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let user = users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let sro = membership(state, user.snils.as_deref()).await?;
    Ok(EngineerDetails {
        card: card_view(card),
        website: profile.data.website,
        residence: profile.data.residence,
        contacts: contacts_view(profile.data.contacts),
        working_hours: profile.data.working_hours,
        education: profile.data.education,
        about: profile.data.about,
        diploma_file_ids: profile.data.documents.diplomas,
        work_example_file_ids: profile.data.documents.work_examples,
        sro,
    })
}

/// Formats stored SNILS digits for display.
pub fn snils_display(digits: Option<&str>) -> Option<String> {
    digits
        .and_then(|s| Snils::parse(s).ok())
        .map(|s| s.formatted())
}
