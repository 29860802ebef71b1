//! The query mix of the search benchmark, and how a page is fetched from
//! each side: over HTTP from the endpoint, and as the store's raw SQL.

use super::LIMIT;
use crate::bench::seed::{ENGINEER_EMAIL, ENGINEER_PASSWORD, POPULOUS_REGIONS, STREETS};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::{CustomerType, WorkType};
use mezha_store::orders::{Cursor, SearchFilter, search_query};
use sea_orm::{DbBackend, QueryTrait, Statement};
use serde_json::Value;
use uuid::Uuid;

/// One query of the mix.
pub(super) struct Query {
    pub(super) name: String,
    pub(super) filter: SearchFilter,
    pub(super) params: Vec<(&'static str, String)>,
    /// Page 2: the endpoint's cursor and the raw SQL's.
    pub(super) cursor: Option<(String, Cursor)>,
}

/// The SQL `mezha_store::orders::search` runs for `filter`, `cursor`: the
/// store's own [`search_query`].
pub(super) fn statement(filter: &SearchFilter, cursor: Option<Cursor>) -> Statement {
    search_query(filter, LIMIT + 1, cursor).build(DbBackend::Postgres)
}

pub(super) fn first_pages() -> Vec<Query> {
    let populous = POPULOUS_REGIONS[1].to_owned();
    let typical = POPULOUS_REGIONS[5].to_owned();
    let street = STREETS[0];
    let work_types = [
        WorkType::LandPlotBoundaryClarification,
        WorkType::ObjectFormation,
    ];
    let query = |name: String, filter: SearchFilter, params: Vec<(&'static str, String)>| Query {
        name,
        filter,
        params,
        cursor: None,
    };
    vec![
        query("newest, no filter".into(), SearchFilter::default(), vec![]),
        query(
            format!("region {populous} + 2 work types"),
            SearchFilter {
                region_code: Some(populous.clone()),
                work_types: work_types.to_vec(),
                ..SearchFilter::default()
            },
            vec![
                ("region_code", populous),
                (
                    "work_types",
                    work_types
                        .iter()
                        .map(|w| w.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ],
        ),
        query(
            format!("region {typical}, most urgent"),
            SearchFilter {
                region_code: Some(typical.clone()),
                by_urgency: true,
                ..SearchFilter::default()
            },
            vec![("region_code", typical), ("sort", "urgency".into())],
        ),
        query(
            "with prepayment and price".into(),
            SearchFilter {
                with_prepayment: true,
                with_price: true,
                ..SearchFilter::default()
            },
            vec![
                ("with_prepayment", "true".into()),
                ("with_price", "true".into()),
            ],
        ),
        query(
            format!("address contains «{street}»"),
            SearchFilter {
                address: Some(street.to_lowercase()),
                ..SearchFilter::default()
            },
            vec![("address", street.into())],
        ),
        query(
            "deadline ≤ 30 days, most urgent".into(),
            SearchFilter {
                deadline_days_max: Some(30),
                by_urgency: true,
                ..SearchFilter::default()
            },
            vec![
                ("deadline_days_max", "30".into()),
                ("sort", "urgency".into()),
            ],
        ),
        query(
            "legal customers, no responses yet".into(),
            SearchFilter {
                customer_types: vec![CustomerType::Legal],
                without_responses: true,
                ..SearchFilter::default()
            },
            vec![
                ("customer_types", "legal".into()),
                ("without_responses", "true".into()),
            ],
        ),
    ]
}

/// An address text a few dozen orders contain (a street and a house
/// number), outside the load mix.
pub(super) fn rare_address() -> Query {
    let text = "ул. Мира, д. 117";
    Query {
        name: format!("rare address «{text}» (not in mix)"),
        filter: SearchFilter {
            address: Some(text.to_lowercase()),
            ..SearchFilter::default()
        },
        params: vec![("address", text.into())],
        cursor: None,
    }
}

/// Which first pages also get their second page in the mix.
pub(super) const SECOND_PAGES: [usize; 2] = [0, 2];

pub(super) fn url(base: &str, query: &Query) -> anyhow::Result<String> {
    let mut params = query.params.clone();
    if let Some((cursor, _)) = &query.cursor {
        params.push(("cursor", cursor.clone()));
    }
    let url = if params.is_empty() {
        reqwest::Url::parse(base)?
    } else {
        reqwest::Url::parse_with_params(base, &params)?
    };
    Ok(url.to_string())
}

pub(super) fn ids(rows: &[sea_orm::QueryResult]) -> anyhow::Result<Vec<Uuid>> {
    rows.iter()
        .take(LIMIT as usize)
        .map(|row| Ok(row.try_get::<Uuid>("", "id")?))
        .collect()
}

/// The raw SQL's cursor after the last row of a page.
pub(super) fn raw_cursor(
    rows: &[sea_orm::QueryResult],
    by_urgency: bool,
) -> anyhow::Result<Cursor> {
    let last = rows
        .get(LIMIT as usize - 1)
        .context("the first page is not full")?;
    let id: Uuid = last.try_get("", "id")?;
    Ok(if by_urgency {
        Cursor::Due(last.try_get::<NaiveDate>("", "due_date")?, id)
    } else {
        Cursor::Published(last.try_get::<DateTime<Utc>>("", "published_at")?, id)
    })
}

pub(super) async fn endpoint_page(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> anyhow::Result<(Vec<Uuid>, Option<String>)> {
    let response = client.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "GET {url}: {status} {body}");
    let ids = body["items"]
        .as_array()
        .context("no items")?
        .iter()
        .map(|item| {
            item["id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .context("an item without id")
        })
        .collect::<anyhow::Result<Vec<Uuid>>>()?;
    Ok((ids, body["next_cursor"].as_str().map(str::to_owned)))
}

pub(super) async fn log_in(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": ENGINEER_EMAIL, "password": ENGINEER_PASSWORD}))
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "logging in: {status} {body}");
    let token = body["access_token"]
        .as_str()
        .context("no access_token")?
        .to_owned();
    let response = client
        .post(format!("{base}/api/v1/me/acting-role"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"role": "engineer"}))
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(
        status.is_success(),
        "switching to the engineer role: {status} {body}"
    );
    Ok(body["access_token"]
        .as_str()
        .context("no access_token")?
        .to_owned())
}
