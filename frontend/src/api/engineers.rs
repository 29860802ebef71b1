//! Engineers, employers and moderation (`/me/engineer-profile`,
//! `/me/requisites`, `/engineers`, `/me/employer`, `/employers`,
//! `/me/employees`, `/me/employment`, `/join-requests`,
//! `/sro-registry/import`).

use super::{ApiError, Credentials, Method, NONE, Reply, call, call_raw, encode, if_match};
use mezha_api_types::engineers::{
    AddEmployee, EmployerList, EmployerSettings, EmploymentList, EmploymentStatus, EngineerDetails,
    EngineerList, EngineerProfile, EngineerSearchQuery, MyEmployment, NewJoinRequest, Requisites,
    RequisitesView, SroImportFromUrl, SroImportReport, UpdateEmployerSettings,
    UpdateEngineerProfile,
};
use serde::de::IgnoredAny;
use uuid::Uuid;

/// A call whose answer is not needed (an employment, `204`).
async fn act(auth: impl Credentials, method: Method, path: &str) -> Result<(), ApiError> {
    call::<(), IgnoredAny>(auth, method, path, None, &[]).await?;
    Ok(())
}

/// `GET /me/engineer-profile`, with its `ETag`.
pub async fn profile(auth: impl Credentials) -> Result<Reply<EngineerProfile>, ApiError> {
    call(auth, Method::Get, "/me/engineer-profile", NONE, &[]).await
}

/// `PUT /me/engineer-profile` against the version the form was filled from.
pub async fn save_profile(
    auth: impl Credentials,
    body: &UpdateEngineerProfile,
    etag: Option<String>,
) -> Result<Reply<EngineerProfile>, ApiError> {
    let headers = if_match(etag);
    call(
        auth,
        Method::Put,
        "/me/engineer-profile",
        Some(body),
        &headers,
    )
    .await
}

/// `GET /me/requisites`, with its `ETag`.
pub async fn requisites(auth: impl Credentials) -> Result<Reply<RequisitesView>, ApiError> {
    call(auth, Method::Get, "/me/requisites", NONE, &[]).await
}

/// `PUT /me/requisites`.
pub async fn save_requisites(
    auth: impl Credentials,
    body: &Requisites,
    etag: Option<String>,
) -> Result<Reply<RequisitesView>, ApiError> {
    let headers = if_match(etag);
    call(auth, Method::Put, "/me/requisites", Some(body), &headers).await
}

/// The query string of an engineer search. (By hand: `rating_min` is a
/// number with a fraction, which the shared `query_string` leaves out.)
pub fn search_query(q: &EngineerSearchQuery) -> String {
    let mut pairs = Vec::new();
    if let Some(region) = &q.region_code {
        pairs.push(format!("region_code={}", encode(region)));
    }
    if let Some(work) = q.work_type {
        pairs.push(format!("work_type={}", work.as_str()));
    }
    if let Some(rating) = q.rating_min {
        // Whole stars only in the filter: an integer needs no float formatting.
        pairs.push(format!("rating_min={}", rating as i64));
    }
    if let Some(years) = q.experience_min {
        pairs.push(format!("experience_min={years}"));
    }
    if let Some(accepts) = q.accepts_offers {
        pairs.push(format!("accepts_offers={accepts}"));
    }
    if let Some(sort) = q.sort {
        pairs.push(format!("sort={}", sort.as_str()));
    }
    if let Some(cursor) = &q.page.cursor {
        pairs.push(format!("cursor={}", encode(cursor)));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// `GET /engineers` (public).
pub async fn search(
    auth: impl Credentials,
    q: &EngineerSearchQuery,
) -> Result<EngineerList, ApiError> {
    let path = format!("/engineers{}", search_query(q));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /engineers/{id}` (public).
pub async fn details(auth: impl Credentials, id: Uuid) -> Result<EngineerDetails, ApiError> {
    let path = format!("/engineers/{id}");
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /engineers/{id}/reviews`: the first page, newest first.
pub async fn reviews(
    auth: impl Credentials,
    id: Uuid,
) -> Result<mezha_api_types::reviews::ReviewList, ApiError> {
    let path = format!("/engineers/{id}/reviews");
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /me/employer`: the "I employ engineers" switch.
pub async fn employer_settings(auth: impl Credentials) -> Result<EmployerSettings, ApiError> {
    Ok(call(auth, Method::Get, "/me/employer", NONE, &[])
        .await?
        .body)
}

/// `PUT /me/employer`.
pub async fn save_employer_settings(
    auth: impl Credentials,
    body: &UpdateEmployerSettings,
) -> Result<EmployerSettings, ApiError> {
    Ok(call(auth, Method::Put, "/me/employer", Some(body), &[])
        .await?
        .body)
}

/// `GET /employers?q=`.
pub async fn employers(auth: impl Credentials, q: &str) -> Result<EmployerList, ApiError> {
    let path = format!("/employers?q={}", encode(q.trim()));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /employers/{id}/join-requests`.
pub async fn join(
    auth: impl Credentials,
    employer: Uuid,
    body: &NewJoinRequest,
) -> Result<(), ApiError> {
    let path = format!("/employers/{employer}/join-requests");
    call::<_, IgnoredAny>(auth, Method::Post, &path, Some(body), &[]).await?;
    Ok(())
}

/// `GET /me/employment`.
pub async fn my_employment(auth: impl Credentials) -> Result<MyEmployment, ApiError> {
    Ok(call(auth, Method::Get, "/me/employment", NONE, &[])
        .await?
        .body)
}

/// `DELETE /me/employment`: leave, or withdraw the request.
pub async fn leave(auth: impl Credentials) -> Result<(), ApiError> {
    act(auth, Method::Delete, "/me/employment").await
}

/// `GET /me/employees?status=`.
pub async fn employees(
    auth: impl Credentials,
    status: Option<EmploymentStatus>,
    cursor: Option<String>,
) -> Result<EmploymentList, ApiError> {
    let mut path = "/me/employees?limit=100".to_owned();
    if let Some(status) = status {
        path.push_str(&format!("&status={}", status.as_str()));
    }
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(&cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /me/employees`: add an engineer directly.
pub async fn add_employee(auth: impl Credentials, body: &AddEmployee) -> Result<(), ApiError> {
    call::<_, IgnoredAny>(auth, Method::Post, "/me/employees", Some(body), &[]).await?;
    Ok(())
}

/// The Employees tab's buttons: `approve`/`reject` take a join request's
/// id, `suspend`/`resume`/`remove` an engineer's.
pub async fn employee_action(
    auth: impl Credentials,
    action: &str,
    id: Uuid,
) -> Result<(), ApiError> {
    match action {
        "approve" => act(auth, Method::Post, &format!("/join-requests/{id}/approve")).await,
        "reject" => act(auth, Method::Post, &format!("/join-requests/{id}/reject")).await,
        "suspend" => act(auth, Method::Post, &format!("/me/employees/{id}/suspend")).await,
        "resume" => act(auth, Method::Post, &format!("/me/employees/{id}/resume")).await,
        _ => act(auth, Method::Delete, &format!("/me/employees/{id}")).await,
    }
}

/// `POST /sro-registry/import` `{url}`: fetch the registry from a feed.
pub async fn sro_import_url(
    auth: impl Credentials,
    url: String,
) -> Result<SroImportReport, ApiError> {
    let body = SroImportFromUrl { url };
    Ok(
        call(auth, Method::Post, "/sro-registry/import", Some(&body), &[])
            .await?
            .body,
    )
}

/// `POST /sro-registry/import` with a registry file (CSV, or JSON when its
/// name ends in `.json`).
pub async fn sro_import_file(
    auth: impl Credentials,
    file: &web_sys::File,
) -> Result<SroImportReport, ApiError> {
    let content_type = if file.name().to_lowercase().ends_with(".json") {
        "application/json"
    } else {
        "text/csv"
    };
    Ok(
        call_raw(auth, "/sro-registry/import", file.as_ref(), content_type)
            .await?
            .body,
    )
}
