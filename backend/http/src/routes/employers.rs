//! Employers and their engineers (docs/employers.md): the employer switch, the
//! employer search, join requests, the Employees tab, and an engineer's
//! own employment.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::idempotency::Keyed;
use crate::openapi::problems::{InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use mezha_api_types::engineers::{
    AddEmployee, EmployeesQuery, EmployerList, EmployerSearchQuery, EmployerSettings, Employment,
    EmploymentList, MyEmployment, NewJoinRequest, UpdateEmployerSettings,
};
use mezha_api_types::page::PageQuery;
use mezha_api_types::{Problem, Role};
use mezha_app::employment;
use mezha_domain::employment::Action;
use uuid::Uuid;

/// The caller's "I employ cadastral engineers" settings.
#[utoipa::path(
    operation_id = "get_employer_settings",
    tag = "employers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Settings", body = EmployerSettings),
        Unauthorized,
        (status = 403, description = "Acting role is not customer or employer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/employer")]
pub async fn get_settings(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Customer, Role::Employer])?;
    Ok(HttpResponse::Ok().json(employment::settings(&state.core(), auth.user_id).await?))
}

/// Turn "I employ cadastral engineers" on or off (acting role `customer`
/// or `employer`).
///
/// On: grants the `employer` role (switch to it with
/// `POST /me/acting-role`); `name` and `inn` are required the first time.
/// Off: revokes the role; refused with 409 `conflict` while engineers are
/// employed, suspended or have pending requests. The employer's requisites
/// (`PUT /me/requisites`) go into its engineers' contracts.
#[utoipa::path(
    operation_id = "put_employer_settings",
    tag = "employers",
    security(("bearer" = [])),
    request_body = UpdateEmployerSettings,
    responses(
        (status = 200, description = "Settings", body = EmployerSettings),
        Unauthorized,
        (status = 403, description = "Acting role is not customer or employer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: engineers still employed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`required`, `inn_checksum`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/employer")]
pub async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<UpdateEmployerSettings>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Customer, Role::Employer])?;
    let settings = employment::update_settings(&state.core(), auth.user_id, body.0).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Employers an engineer can ask to join (any signed-in account).
///
/// Employers with the switch on whose name contains `q`
/// (case-insensitive) or whose INN starts with it, by name.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(EmployerSearchQuery, PageQuery),
    responses(
        (status = 200, description = "A page of employers", body = EmployerList),
        (status = 400, description = "Bad query string or cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/employers")]
pub async fn search(
    state: web::Data<AppState>,
    _auth: Auth,
    query: web::Query<EmployerSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(employment::search(&state.core(), query.into_inner()).await?))
}

/// Ask to join an employer (acting role `engineer`).
///
/// With the basis document (date, name, number, optional file). An
/// engineer has at most one employer or pending request: 409
/// `already_employed` otherwise. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    request_body = NewJoinRequest,
    params(
        ("id" = Uuid, Path, description = "The employer's account id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer"),
    ),
    responses(
        (status = 201, description = "Join request filed", body = Employment),
        Unauthorized,
        (status = 403, description = "`forbidden` (acting role) or `not_an_engineer`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No employer has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_employed`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/employers/{id}/join-requests")]
pub async fn request_to_join(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: JsonBody<NewJoinRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let employer_id = id.into_inner();
    let scope = format!("POST /employers/{employer_id}/join-requests");
    let core = state.core();
    Keyed::read(&req, &auth, scope, &body.0)?
        .once(
            &state,
            employment::request_to_join(&core, auth.user_id, employer_id, body.0),
            |id| employment::created(&core, auth.user_id, id),
            |employment| HttpResponse::Created().json(employment),
        )
        .await
}

/// The employer's engineers and join requests (acting role `employer`).
///
/// By default the current ones (requested, active, suspended), newest
/// first; `status` picks one status, including `rejected` and `removed`.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(EmployeesQuery, PageQuery),
    responses(
        (status = 200, description = "A page of employments", body = EmploymentList),
        (status = 400, description = "Bad query string or cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/employees")]
pub async fn employees(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<EmployeesQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Employer])?;
    let list = employment::employees(&state.core(), auth.user_id, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Add an engineer directly (acting role `employer`).
///
/// By e-mail or SNILS. He must be a cadastral engineer (404 otherwise),
/// must have logged in at least once (409 `engineer_never_logged_in`) and
/// must have no employer or pending request (409 `already_employed`). The
/// employment is active at once. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    request_body = AddEmployee,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    responses(
        (status = 201, description = "Employed", body = Employment),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No cadastral engineer has this e-mail or SNILS", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`engineer_never_logged_in` or `already_employed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`one_of`, `invalid_email`, `snils_checksum`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/employees")]
pub async fn add_employee(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: JsonBody<AddEmployee>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Employer])?;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /me/employees", &body.0)?
        .once(
            &state,
            employment::add(&core, auth.user_id, body.0),
            |id| employment::created(&core, auth.user_id, id),
            |employment| HttpResponse::Created().json(employment),
        )
        .await
}

/// Approve a join request (acting role `employer`).
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Join request (employment) id")),
    responses(
        (status = 200, description = "Approved: the engineer is employed", body = Employment),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "You have no join request with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the request is not pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/join-requests/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Employer])?;
    let e = employment::decide(&state.core(), auth.user_id, id.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// Reject a join request (acting role `employer`).
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Join request (employment) id")),
    responses(
        (status = 200, description = "Rejected", body = Employment),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "You have no join request with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the request is not pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/join-requests/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Employer])?;
    let e = employment::decide(&state.core(), auth.user_id, id.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// The employer's `action` on the employment of engineer `id`.
async fn act(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    action: Action,
) -> Result<mezha_api_types::engineers::Employment, ApiError> {
    auth.require(&[Role::Employer])?;
    Ok(employment::change_employee(&state.core(), auth.user_id, id, action).await?)
}

/// Suspend an employee (acting role `employer`).
///
/// Active → suspended: he keeps the employer but works on his own
/// requisites until resumed.
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The engineer's account id")),
    responses(
        (status = 200, description = "Suspended", body = Employment),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your employee", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: not active", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/employees/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = act(&state, &auth, id.into_inner(), Action::Suspend).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// Resume a suspended employee (acting role `employer`).
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The engineer's account id")),
    responses(
        (status = 200, description = "Active again", body = Employment),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your employee", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: not suspended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/employees/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = act(&state, &auth, id.into_inner(), Action::Resume).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// Remove an employee (acting role `employer`).
///
/// Ends an active or suspended employment, or drops a pending join
/// request (status `removed`).
#[utoipa::path(
    operation_id = "remove_employee",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The engineer's account id")),
    responses(
        (status = 204, description = "Removed"),
        Unauthorized,
        (status = 403, description = "Acting role is not employer, or the switch is off", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your employee", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/employees/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    act(&state, &auth, id.into_inner(), Action::Remove).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's employer or pending join request (acting role `engineer`).
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Current employment, or `null`", body = MyEmployment),
        Unauthorized,
        (status = 403, description = "Acting role is not engineer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/employment")]
pub async fn my_employment(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    Ok(HttpResponse::Ok().json(employment::mine(&state.core(), auth.user_id).await?))
}

/// Leave the employer, or withdraw the pending join request (acting role
/// `engineer`).
#[utoipa::path(
    tag = "employers",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Left"),
        Unauthorized,
        (status = 403, description = "Acting role is not engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No employer and no pending request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/employment")]
pub async fn leave(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    employment::leave(&state.core(), auth.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
