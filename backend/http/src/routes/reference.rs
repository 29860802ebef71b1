//! `/reference`: regions and work types.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use mezha_api_types::orders::ReferenceData;

/// Regions and work types, for forms and filters.
#[utoipa::path(
    tag = "orders",
    responses((status = 200, description = "Reference data", body = ReferenceData))
)]
#[get("/reference")]
pub async fn reference(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let data = mezha_app::reference::load(&state.core()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(data))
}
