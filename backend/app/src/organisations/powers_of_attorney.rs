//! An organisation's machine-readable powers of attorney
//! (docs/power-of-attorney.md, "What the API does with it"): the admin
//! uploads the XML the head issued (read by `poa::parse`, refused with its
//! code, kept byte for byte), then the head's detached signature of those
//! bytes (`TOTAL_PASSED`, made with the organisation's certificate or the
//! head's own); from then on the employee it names may sign deals for the
//! organisation within its dates and powers ([`authority`]), until the
//! admin revokes it.

use super::*;
use crate::files::{self, Staged, Upload};
use mezha_api_types::powers_of_attorney::{
    DealPowerKind, POA_XML_MAX_BYTES, PoaAction, PoaPerson, PoaStatus, PowerOfAttorney,
    PowerOfAttorneyList, RevokePowerOfAttorney, SignPowerOfAttorney,
};
use mezha_api_types::signatures::SignerInfo;
use mezha_domain::FieldError;
use mezha_domain::inn::Inn;
use mezha_domain::ogrn::Ogrn;
use mezha_domain::poa::{self, DealPower, Presentation, stored};
use mezha_domain::snils::Snils;
use mezha_store::powers_of_attorney::{self as poas, NewPoa, PoaPersonRecord, PoaRecord};

/// The media type the XML is kept and served as.
pub const XML: &str = "application/xml";

fn no_poa() -> AppError {
    AppError::new(ErrorCode::NotFound, "organisations.poa_not_found")
}

fn kind(power: DealPower) -> DealPowerKind {
    match power {
        DealPower::SignDocuments => DealPowerKind::SignDocuments,
        DealPower::SignStatements => DealPowerKind::SignStatements,
        DealPower::SubmitToRegistry => DealPowerKind::SubmitToRegistry,
    }
}

fn person(p: &PoaPersonRecord) -> PoaPerson {
    PoaPerson {
        full_name: p.full_name.clone(),
        snils: p.snils.clone(),
        inn: p.inn.clone(),
    }
}

/// The representation of `rec`, whose XML is `file`, for a member who
/// may (`admin`) or may not manage it.
fn view(state: &Core, rec: PoaRecord, file: &files::File, admin: bool) -> PowerOfAttorney {
    let status = stored::shown_status(
        rec.status,
        rec.valid_until,
        poa::moscow_date(state.clock.now()),
    );
    let deal_powers =
        DealPower::granted(rec.powers.iter().map(|p| (p.code.as_str(), p.restricted)))
            .into_iter()
            .map(kind)
            .collect();
    PowerOfAttorney {
        allowed_actions: stored::actions(status, admin),
        status,
        id: rec.id,
        organisation_id: rec.organisation_id,
        number: rec.number,
        internal_number: rec.internal_number,
        issued_on: rec.issued_on,
        valid_until: rec.valid_until,
        head: person(&rec.head),
        representative: person(&rec.representative),
        powers: rec.powers,
        deal_powers,
        xml_sha256: file.sha256.clone(),
        xml_size: file.size,
        signed_by: rec.signed_by,
        signed_at: rec.signed_at,
        revoked_at: rec.revoked_at,
        revoke_reason: rec.revoke_reason,
        uploaded_by: rec.uploaded_by,
        created_at: rec.created_at,
    }
}

/// [`view`], the XML's file read.
async fn view_one(state: &Core, rec: PoaRecord, admin: bool) -> Result<PowerOfAttorney, AppError> {
    let file = mezha_store::files::find(&state.db, rec.xml_file_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("МЧД file missing")))?;
    Ok(view(state, rec, &file, admin))
}

/// Whether the member manages the organisation's powers of attorney (the
/// rule of its settings).
fn manages(org: &OrganisationRecord, member: &MemberRecord) -> bool {
    rules::authorize(
        org.status,
        Some(&membership(member)),
        Permission::EditSettings,
    )
    .is_ok()
}

/// What an upload of an XML may be, known before its body is read: the
/// caller must be the organisation's admin; at most 1 MiB.
pub async fn prepare(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    declared_len: Option<u64>,
) -> Result<Upload, AppError> {
    permitted(state, auth, id, Permission::EditSettings).await?;
    Ok(Upload {
        owner: auth.user_id,
        name: "power-of-attorney.xml".to_owned(),
        content_type: XML.to_owned(),
        declared_len,
        max: POA_XML_MAX_BYTES,
    })
}

fn refused_xml(code: &'static str, message: String) -> AppError {
    AppError::field("xml", FieldError::new(code, message))
}

/// `POST /organisations/{id}/powers-of-attorney`: keeps a [`prepare`]d
/// and received XML when it reads as an МЧД of this organisation; anything
/// else is refused with its code and leaves nothing.
pub async fn upload(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    staged: Staged,
) -> Result<PowerOfAttorney, AppError> {
    let (org, _) = permitted(state, auth, id, Permission::EditSettings).await?;
    let file = mezha_store::idempotency::unguarded(files::store(state, staged)).await?;
    let result = async {
        let (_, bytes) = files::read(state, file.id).await?;
        let parsed = poa::parse(&bytes).map_err(|e| refused_xml(e.code(), e.to_string()))?;
        let same_ogrn = match &parsed.principal.ogrn {
            Some(ogrn) => ogrn.as_str() == org.ogrn,
            None => true,
        };
        if parsed.principal.inn.as_str() != org.inn || !same_ogrn {
            return Err(refused_xml(
                "poa_other_principal",
                format!(
                    "The power of attorney was issued by {} (INN {}), not by this organisation.",
                    parsed.principal.name,
                    parsed.principal.inn.as_str()
                ),
            ));
        }
        let of = |p: &poa::Person| PoaPersonRecord {
            full_name: p.full_name.as_str().to_owned(),
            snils: p.snils.as_ref().map(|s| s.digits().to_owned()),
            inn: p.inn.as_ref().map(|i| i.as_str().to_owned()),
        };
        let new = NewPoa {
            number: parsed.number,
            internal_number: parsed.internal_number.clone(),
            issued_on: parsed.issued_on,
            valid_until: parsed.valid_until,
            head: of(&parsed.principal.head),
            representative: of(&parsed.representative),
            powers: parsed
                .powers
                .iter()
                .map(|p| mezha_api_types::powers_of_attorney::PoaPower {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    restricted: p.restricted,
                })
                .collect(),
            xml_file_id: file.id,
        };
        poas::insert(&state.db, id, new, auth.user_id, state.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => AppError::new(
                    ErrorCode::Conflict,
                    crate::msg!("organisations.poa_duplicate", number = parsed.number),
                ),
                other => other.into(),
            })
    }
    .await;
    match result {
        Ok(rec) => Ok(view(state, rec, &file, true)),
        Err(err) => {
            files::discard(state, vec![file.id]).await;
            Err(err)
        }
    }
}

/// `GET /organisations/{id}/powers-of-attorney`: any active member reads
/// them (an employee sees what he may sign under), a page at a time.
pub async fn list(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<PowerOfAttorneyList, AppError> {
    let (org, member) = permitted(state, auth, id, Permission::View).await?;
    let admin = manages(&org, &member);
    let limit = paging::limit(page)?;
    let before: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = poas::list(&state.db, id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    let files =
        mezha_store::files::find_many(&state.db, rows.iter().map(|r| r.xml_file_id).collect())
            .await?;
    let items = rows
        .into_iter()
        .map(|rec| {
            let file = files
                .get(&rec.xml_file_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("МЧД file missing")))?;
            Ok(view(state, rec, file, admin))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(PowerOfAttorneyList { items, next_cursor })
}

async fn load(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
    what: Permission,
) -> Result<(OrganisationRecord, MemberRecord, PoaRecord), AppError> {
    let (org, member) = permitted(state, auth, id, what).await?;
    let rec = poas::get(&state.db, id, poa_id).await?.ok_or_else(no_poa)?;
    Ok((org, member, rec))
}

/// `GET /organisations/{id}/powers-of-attorney/{poa_id}`.
pub async fn get(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
) -> Result<PowerOfAttorney, AppError> {
    let (org, member, rec) = load(state, auth, id, poa_id, Permission::View).await?;
    let admin = manages(&org, &member);
    view_one(state, rec, admin).await
}

/// `GET …/{poa_id}/xml`: the XML's exact bytes.
pub async fn xml(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
) -> Result<files::Download, AppError> {
    let (_, _, rec) = load(state, auth, id, poa_id, Permission::View).await?;
    files::open_stored(state, rec.xml_file_id).await
}

/// `GET …/{poa_id}/signature`: the head's signature (DER); 404 before it.
pub async fn signature(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
) -> Result<(Uuid, Vec<u8>), AppError> {
    let (_, _, rec) = load(state, auth, id, poa_id, Permission::View).await?;
    match rec.signature {
        Some(der) => Ok((rec.number, der)),
        None => Err(AppError::new(
            ErrorCode::NotFound,
            "organisations.poa_unsigned",
        )),
    }
}

fn illegal(state: &Core, rec: &PoaRecord, tried: PoaAction) -> AppError {
    let status = stored::shown_status(
        rec.status,
        rec.valid_until,
        poa::moscow_date(state.clock.now()),
    );
    AppError::illegal_transition(
        crate::msg!(
            "organisations.poa_illegal_step",
            action = tried,
            status = status,
        ),
        status.as_str(),
        stored::actions(status, true)
            .into_iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
    )
}

/// `POST …/{poa_id}/signature`: the head's detached signature of the XML's
/// exact bytes. Accepted only when it validates `TOTAL_PASSED` and its
/// certificate is the organisation's (its INN as a legal entity's) or the
/// head's own; anything else is refused with its report and changes
/// nothing.
pub async fn sign(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
    input: SignPowerOfAttorney,
) -> Result<PowerOfAttorney, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let (org, _, rec) = load(state, auth, id, poa_id, Permission::EditSettings).await?;
    if rec.status != PoaStatus::AwaitingSignature {
        return Err(illegal(state, &rec, PoaAction::Sign));
    }
    let signature = crate::cert_login::signature_bytes(&input.signature)?;
    let (_, bytes) = files::read(state, rec.xml_file_id).await?;
    let (der, report) = super::head_signature(
        state,
        &org,
        bytes,
        signature,
        (
            "organisations.poa_signature_refused",
            "organisations.poa_signer_not_head",
        ),
    )
    .await?;
    let signed_by = report.signer.as_ref().and_then(|s| s.common_name.clone());
    let report =
        serde_json::to_string(&report).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    poas::sign(
        &state.db,
        &rec,
        der,
        report,
        signed_by,
        auth.user_id,
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::VersionMismatch => {
            AppError::new(ErrorCode::Conflict, "organisations.poa_changed")
        }
        other => other.into(),
    })?;
    get(state, auth, id, poa_id).await
}

/// `POST …/{poa_id}/revoke`: withdraws it; signatures already accepted
/// under it stay, but a deal whose statements were signed under it is not
/// sent while it is revoked ([`authority`] at sending).
pub async fn revoke(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    poa_id: Uuid,
    input: RevokePowerOfAttorney,
) -> Result<PowerOfAttorney, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let reason = input
        .reason
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            FieldError::new("required", "Say why it is revoked."),
        ));
    }
    let (_, _, rec) = load(state, auth, id, poa_id, Permission::EditSettings).await?;
    if rec.status == PoaStatus::Revoked {
        return Err(illegal(state, &rec, PoaAction::Revoke));
    }
    poas::revoke(&state.db, &rec, reason, auth.user_id, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::VersionMismatch => {
                AppError::new(ErrorCode::Conflict, "organisations.poa_changed")
            }
            other => other.into(),
        })?;
    get(state, auth, id, poa_id).await
}

/// Under which power of attorney the employee whose certificate is
/// `signer` may do `power` for `org` today: the id of the first of the
/// organisation's active ones naming him that `poa::check` lets through.
/// When none names him: 422 `poa_required`; when those naming him all
/// refuse: 422 with the refusal of the latest-ending one. `field` names
/// the request field the refusal is about.
pub(crate) async fn authority(
    state: &Core,
    org: &OrganisationRecord,
    signer: &SignerInfo,
    power: DealPower,
    field: &str,
) -> Result<Uuid, AppError> {
    let snils = signer.snils.as_deref().and_then(|s| Snils::parse(s).ok());
    let inn = signer.inn.as_deref().and_then(|s| Inn::parse(s).ok());
    let candidates = poas::active_naming(
        &state.db,
        org.id,
        snils.as_ref().map(|s| s.digits()),
        inn.as_ref().map(|i| i.as_str()),
    )
    .await?;
    let presentation = Presentation {
        today: poa::moscow_date(state.clock.now()),
        organisation_inn: Inn::parse(&org.inn)
            .map_err(|e| AppError::internal(anyhow::anyhow!("organisation INN: {e}")))?,
        organisation_ogrn: Ogrn::parse(&org.ogrn).ok(),
        signer_snils: snils,
        signer_inn: inn,
        power,
    };
    let mut first_refusal = None;
    for rec in candidates {
        let (_, bytes) = files::read(state, rec.xml_file_id).await?;
        let parsed = poa::parse(&bytes)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored МЧД {}: {e}", rec.id)))?;
        match poa::check(&parsed, &presentation) {
            Ok(()) => return Ok(rec.id),
            Err(refusal) => {
                first_refusal.get_or_insert((rec.number, refusal));
            }
        }
    }
    Err(match first_refusal {
        Some((number, refusal)) => AppError::field(
            field,
            FieldError::new(
                refusal.code(),
                format!("Power of attorney {number}: {refusal}."),
            ),
        ),
        None => AppError::field(
            field,
            FieldError::new(
                "poa_required",
                format!(
                    "The signer acts for the organisation with a personal certificate: it needs an active power of attorney of the organisation naming him with the power {}.",
                    power.code()
                ),
            ),
        ),
    })
}

/// Whether the stored power of attorney `id` still lets its representative
/// do `power` today (it was accepted for a signature earlier): not revoked,
/// within its dates, with the power.
pub(crate) async fn still_valid(
    state: &Core,
    org: &OrganisationRecord,
    id: Uuid,
    power: DealPower,
) -> Result<Result<(), String>, AppError> {
    let Some(rec) = poas::get(&state.db, org.id, id).await? else {
        return Ok(Err(format!("the power of attorney {id} is gone")));
    };
    if rec.status == PoaStatus::Revoked {
        return Ok(Err(format!(
            "the power of attorney {} was revoked: {}",
            rec.number,
            rec.revoke_reason.unwrap_or_default()
        )));
    }
    let (_, bytes) = files::read(state, rec.xml_file_id).await?;
    let parsed = poa::parse(&bytes)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored МЧД {}: {e}", rec.id)))?;
    // Whose it is was settled when the signature was accepted.
    Ok(
        poa::in_force(&parsed, poa::moscow_date(state.clock.now()), power)
            .map_err(|r| format!("power of attorney {}: {r}", rec.number)),
    )
}
