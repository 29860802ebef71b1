//! `/organisations`, `/invitations`: organisations confirmed by the head's
//! signature of the platform offer, their members and rights, invitations
//! by e-mail, settings and the audit log (docs/organisations.md).

use crate::auth::Auth;
use crate::auth::guard::from_bearer;
use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidJson};
use crate::idempotency::Keyed;
use crate::openapi::problems::{InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::OtpRequested;
use mezha_api_types::organisations::{
    AcceptInvitation, AuditLog, ConfirmOrganisation, Invitation, InvitationAccepted,
    InvitationList, InvitationPhone, InvitationPreview, InvitationToken, Member, MemberList,
    MemberRights, NewInvitation, NewOrganisation, Offer, Organisation, OrganisationList,
    OrganisationSettings,
};
use mezha_api_types::page::PageQuery;
use mezha_app::organisations::{self as service, invitations};
use uuid::Uuid;

/// Register an organisation (a legal entity) as its head.
///
/// The requisites are checked (INN and OGRN of a legal entity with their
/// check digits, KPP, names, address); the caller becomes its admin. It is
/// `unconfirmed` and can do nothing but have its offer signed
/// (`GET …/offer`, `POST …/confirm`).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = NewOrganisation,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Registered, unconfirmed", body = Organisation),
        Unauthorized,
        InvalidFields,
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: ValidJson<NewOrganisation>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /organisations".to_owned(), &input)?
        .once(
            &state,
            service::create(&core, &auth, input.clone()),
            |id| service::get(&core, &auth, id),
            |org| HttpResponse::Created().json(org),
        )
        .await
}

/// The organisations the caller belongs to, in any membership status
/// (`my_status`): pending ones wait for activation, only active ones act.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's organisations, with his membership status", body = OrganisationList),
        Unauthorized,
    )
)]
#[get("/organisations")]
pub async fn my_organisations(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::mine(&state.core(), &auth).await?))
}

const NOT_YOURS: &str = "No such organisation, or the caller is not its member";

/// One organisation, with the caller's role, rights and what he may do.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// The platform offer filled in with the organisation's requisites: its
/// head signs the UTF-8 bytes of `text` to confirm the organisation.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The offer", body = Offer),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/offer")]
pub async fn organisation_offer(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::offer(&state.core(), &auth, id.into_inner()).await?))
}

/// Confirm the organisation with the head's detached CMS signature of the
/// offer.
///
/// Accepted only when the signature validates `TOTAL_PASSED` over the
/// offer's exact bytes and its certificate is the organisation's (its INN
/// as a legal entity's) or the head's own (his SNILS or INN, or one the
/// platform issued him). The head gets the `org_admin` role.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = ConfirmOrganisation,
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "Confirmed", body = Organisation),
        Unauthorized,
        (status = 403, description = "`forbidden`: only its admin (the head) signs the offer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: confirmed already, or another organisation with this INN is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`signature_refused` (not `TOTAL_PASSED`, with the report) or `signer_not_party` (not the organisation's or the head's certificate), or bad fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{id}/confirm")]
pub async fn confirm_organisation(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ConfirmOrganisation>,
) -> Result<HttpResponse, ApiError> {
    let org = service::confirm(&state.certificates(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(org))
}

const ADMIN_ONLY: &str = "`forbidden`: only the organisation's admin, acting as `org_admin`; or the caller's membership is not active";
const UNCONFIRMED: &str = "`conflict`: the organisation is not confirmed yet";

/// Change the organisation's settings (its admin): auto-payment of the
/// state fee, the notification defaults of its employees.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = OrganisationSettings,
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation with its new settings", body = Organisation),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organisations/{id}/settings")]
pub async fn organisation_settings(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<OrganisationSettings>,
) -> Result<HttpResponse, ApiError> {
    let org = service::update_settings(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(org))
}

/// The organisation's members (its admin), in the order they joined, each
/// with what the admin may do with him.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), PageQuery),
    responses(
        (status = 200, description = "A page of members", body = MemberList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::members(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

const MEMBER_STEP: &str = "`illegal_transition`: not from the member's status (the admin himself is never a subject), or `conflict`";

/// Activate a pending or deactivated member (the admin): he gets the
/// `org_employee` role and works with the rights granted.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("user_id" = Uuid, Path, description = "The member's account id"),
    ),
    responses(
        (status = 200, description = "The member, active", body = Member),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation of the caller's, or no such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = MEMBER_STEP, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{id}/members/{user_id}/activate")]
pub async fn activate_member(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    Ok(HttpResponse::Ok().json(service::activate(&state.core(), &auth, id, user).await?))
}

/// Deactivate a member (the admin): his sessions end at once on every
/// replica; his history and rights stay for a later activation.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("user_id" = Uuid, Path, description = "The member's account id"),
    ),
    responses(
        (status = 200, description = "The member, deactivated", body = Member),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation of the caller's, or no such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = MEMBER_STEP, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{id}/members/{user_id}/deactivate")]
pub async fn deactivate_member(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    Ok(HttpResponse::Ok().json(service::deactivate(&state.accounts(), &auth, id, user).await?))
}

/// Set a member's rights (the admin), replacing what he had.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = MemberRights,
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("user_id" = Uuid, Path, description = "The member's account id"),
    ),
    responses(
        (status = 200, description = "The member with his rights", body = Member),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation of the caller's, or no such member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = MEMBER_STEP, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[put("/organisations/{id}/members/{user_id}/rights")]
pub async fn set_member_rights(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<MemberRights>,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    Ok(HttpResponse::Ok().json(service::set_rights(&state.core(), &auth, id, user, body.0).await?))
}

/// Invite an employee by e-mail (the admin of a confirmed organisation).
///
/// The link in the mail works once, for 7 days: the invitee registers
/// there (password, phone confirmed by an SMS code) or logs in with the
/// invited address and accepts; the admin then activates him.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = NewInvitation,
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "Sent", body = Invitation),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/organisations/{id}/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewInvitation>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = body.0;
    let (accounts, core) = (state.accounts(), state.core());
    Keyed::read(
        &req,
        &auth,
        format!("POST /organisations/{id}/invitations"),
        &input,
    )?
    .once(
        &state,
        invitations::invite(&accounts, &auth, id, input.clone()),
        |invitation| invitations::get(&core, &auth, id, invitation),
        |invitation| HttpResponse::Created().json(invitation),
    )
    .await
}

/// The organisation's invitations (its admin), newest first.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), PageQuery),
    responses(
        (status = 200, description = "A page of invitations", body = InvitationList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = invitations::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The audit log of every membership, rights and settings change (its
/// admin), newest first: who, when, what.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), PageQuery),
    responses(
        (status = 200, description = "A page of the log", body = AuditLog),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/audit")]
pub async fn organisation_audit(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::audit(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

const LINK_INVALID: &str = "`invalid_token`: the link is unknown, used or expired";

/// What an invitation link invites to (no account needed).
#[utoipa::path(
    tag = "organisations",
    request_body = InvitationToken,
    responses(
        (status = 200, description = "The organisation, the invited address, whether it has an account", body = InvitationPreview),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/invitations/preview")]
pub async fn preview_invitation(
    state: web::Data<AppState>,
    body: ValidJson<InvitationToken>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(invitations::preview(&state.core(), &body.0.token).await?))
}

/// Text a code to the phone the invitee's new account will have.
#[utoipa::path(
    tag = "organisations",
    request_body = InvitationPhone,
    responses(
        (status = 202, description = "The code is on its way to the number", body = OtpRequested),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`phone_format`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`otp_resend_too_early` or `rate_limited`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/invitations/phone-code")]
pub async fn invitation_phone_code(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidJson<InvitationPhone>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let sent =
        invitations::phone_code(&state.accounts(), &client, &input.token, &input.phone).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Accept an invitation: with a bearer token the caller's account (the
/// invited address's) joins; without one a new account is registered from
/// the body (full name, password, the phone and its SMS code). Either way
/// the member waits for the admin's activation. The link works once.
#[utoipa::path(
    tag = "organisations",
    request_body = AcceptInvitation,
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Joined, pending activation", body = InvitationAccepted),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A bearer token that is not valid, or `invalid_otp` / `otp_expired` / `otp_attempts_exceeded`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: the caller's e-mail is not the invited one", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`: the address has an account (log in and accept), `phone_taken`, or `conflict`: a member already", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/invitations/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    let caller = if req.headers().contains_key(header::AUTHORIZATION) {
        Some(from_bearer(&req).await?)
    } else {
        None
    };
    let accepted = invitations::accept(&state.accounts(), caller.as_deref(), body.0).await?;
    Ok(HttpResponse::Ok().json(accepted))
}
