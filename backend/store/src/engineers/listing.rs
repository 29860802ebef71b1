//! The public list of engineers: its SQL, filters, sort and cards.

use crate::entities::{
    employments, engineer_profiles, engineer_regions, engineer_work_types, order_history, orders,
    requisites, reviews, user_roles, users,
};
use crate::error::StoreError;
use chrono::NaiveDate;
use mezha_api_types::orders::OrderStatus;
use mezha_domain::Role;
use mezha_domain::employment::Status as EmploymentStatus;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

// ---------------------------------------------------------------------------
// The public list.

/// Sort order of [`search`]; every sort is descending on an integer key,
/// then ascending on the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Rating × 100, engineers without a rating (key −1) last.
    Rating,
    /// Completed orders.
    CompletedOrders,
    /// Years of experience, unknown (key −1) last.
    Experience,
}

/// Filters, sort and page of [`search`].
#[derive(Debug, Clone)]
pub struct SearchFilter {
    /// Only this engineer (for a single card).
    pub id: Option<Uuid>,
    pub region_code: Option<String>,
    pub work_type: Option<String>,
    /// Rating × 100 at least this.
    pub rating_min_x100: Option<i64>,
    pub experience_min: Option<i64>,
    pub accepts_offers: Option<bool>,
    pub sort: Sort,
    /// Keyset: the last row of the previous page (sort key, id).
    pub after: Option<(i64, Uuid)>,
    pub limit: u64,
    /// Today, for the on-time figure.
    pub today: NaiveDate,
}

/// An engineer in the list, with the computed figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecord {
    pub id: Uuid,
    pub full_name: String,
    /// The photo's version, if any.
    pub avatar_id: Option<Uuid>,
    pub experience_years: Option<i32>,
    pub accept_offers: bool,
    /// Mean rating × 100, when rated.
    pub rating_x100: Option<i64>,
    pub reviews_count: i64,
    pub completed_orders: i64,
    pub successful_orders: i64,
    pub on_time_percent: Option<u8>,
    pub regions: Vec<String>,
    pub work_types: Vec<(String, Option<i64>)>,
    /// The employer (active employment): id, name, INN.
    pub employer: Option<(Uuid, String, String)>,
    /// The sort key of this row, for the next page's cursor.
    pub sort_key: i64,
}

fn p(col: impl sea_orm::sea_query::IntoIden) -> Expr {
    Expr::col((Alias::new("p"), col))
}

fn sub(sel: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(sel.into()))
}

/// `EXISTS (SELECT 1 FROM table WHERE table.user_col = p.user_id AND …)`.
fn exists_for_engineer(table: impl sea_orm::sea_query::IntoTableRef, cond: Expr) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(table)
            .and_where(cond)
            .to_owned(),
    )
}

/// Completed orders of the engineer `p.user_id`.
fn completed_orders_expr() -> Expr {
    sub(Query::select()
        .expr(Expr::col((orders::Entity, orders::Column::Id)).count())
        .from(orders::Entity)
        .and_where(
            Expr::col((orders::Entity, orders::Column::ExecutorId))
                .equals((Alias::new("p"), engineer_profiles::Column::UserId)),
        )
        .and_where(
            Expr::col((orders::Entity, orders::Column::Status)).eq(OrderStatus::Completed.as_str()),
        )
        .to_owned())
}

/// Completed orders of the engineer `p.user_id` whose results the customer
/// never rejected.
fn successful_orders_expr() -> Expr {
    let rejected = Query::select()
        .expr(Expr::val(1))
        .from(order_history::Entity)
        .and_where(
            Expr::col((order_history::Entity, order_history::Column::OrderId))
                .equals((orders::Entity, orders::Column::Id)),
        )
        .and_where(
            Expr::col((order_history::Entity, order_history::Column::Action))
                .eq(mezha_api_types::orders::OrderAction::RejectResults.as_str()),
        )
        .to_owned();
    sub(Query::select()
        .expr(Expr::col((orders::Entity, orders::Column::Id)).count())
        .from(orders::Entity)
        .and_where(
            Expr::col((orders::Entity, orders::Column::ExecutorId))
                .equals((Alias::new("p"), engineer_profiles::Column::UserId)),
        )
        .and_where(
            Expr::col((orders::Entity, orders::Column::Status)).eq(OrderStatus::Completed.as_str()),
        )
        .and_where(Expr::exists(rejected).not())
        .to_owned())
}

/// Mean rating × 100 of the engineer `p.user_id`, rounded; −1 when
/// unrated (docs/results.md, "Rating").
fn rating_x100_expr() -> Expr {
    let mean = Query::select()
        .expr(Expr::cust(
            "CAST(ROUND(AVG(reviews.rating) * 100) AS BIGINT)",
        ))
        .from(reviews::Entity)
        .and_where(
            Expr::col((reviews::Entity, reviews::Column::EngineerId))
                .equals((Alias::new("p"), engineer_profiles::Column::UserId)),
        )
        .to_owned();
    Expr::expr(Func::coalesce([sub(mean), Expr::val(-1i64)])).cast_as("BIGINT")
}

/// Reviews of the engineer `p.user_id`.
fn reviews_count_expr() -> Expr {
    sub(Query::select()
        .expr(Expr::col((reviews::Entity, reviews::Column::Id)).count())
        .from(reviews::Entity)
        .and_where(
            Expr::col((reviews::Entity, reviews::Column::EngineerId))
                .equals((Alias::new("p"), engineer_profiles::Column::UserId)),
        )
        .to_owned())
}

/// Engineers listed publicly: engineer role, not blocked, profile
/// complete; then the filters.
fn listed_engineers(filter: &SearchFilter) -> SelectStatement {
    let user_id = || (Alias::new("p"), engineer_profiles::Column::UserId);
    let completed = completed_orders_expr();
    let sort_key = match filter.sort {
        Sort::Rating => rating_x100_expr(),
        Sort::CompletedOrders => completed.clone(),
        Sort::Experience => Expr::expr(Func::coalesce([
            p(engineer_profiles::Column::ExperienceYears),
            Expr::val(-1i64),
        ]))
        .cast_as("BIGINT"),
    };
    let active_employment = |extra: Option<Expr>| {
        let mut q = Query::select()
            .expr(Expr::val(1))
            .from(employments::Entity)
            .and_where(
                Expr::col((employments::Entity, employments::Column::EngineerId)).equals(user_id()),
            )
            .and_where(
                Expr::col((employments::Entity, employments::Column::Status))
                    .eq(EmploymentStatus::Active.as_str()),
            )
            .to_owned();
        if let Some(extra) = extra {
            q.and_where(extra);
        }
        q
    };
    let employer_has_requisites = Expr::exists(active_employment(Some(Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(requisites::Entity)
            .and_where(
                Expr::col((requisites::Entity, requisites::Column::UserId))
                    .equals((employments::Entity, employments::Column::EmployerId)),
            )
            .to_owned(),
    ))));
    let own_requisites = Expr::not_exists(active_employment(None)).and(exists_for_engineer(
        requisites::Entity,
        Expr::col((requisites::Entity, requisites::Column::UserId)).equals(user_id()),
    ));

    let mut q = Query::select();
    q.expr_as(p(engineer_profiles::Column::UserId), Alias::new("id"))
        .expr_as(
            Expr::col((users::Entity, users::Column::FullName)),
            Alias::new("full_name"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::AvatarId)),
            Alias::new("avatar_id"),
        )
        .expr_as(
            p(engineer_profiles::Column::ExperienceYears),
            Alias::new("experience_years"),
        )
        .expr_as(
            p(engineer_profiles::Column::AcceptOffers),
            Alias::new("accept_offers"),
        )
        .expr_as(completed, Alias::new("completed_orders"))
        .expr_as(rating_x100_expr(), Alias::new("rating_x100"))
        .expr_as(reviews_count_expr(), Alias::new("reviews_count"))
        .expr_as(successful_orders_expr(), Alias::new("successful_orders"))
        .expr_as(sort_key, Alias::new("sort_key"))
        .from_as(engineer_profiles::Entity, Alias::new("p"))
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id)).equals(user_id()),
        )
        .and_where(Expr::col((users::Entity, users::Column::BlockedAt)).is_null())
        .and_where(Expr::col((users::Entity, users::Column::FullName)).is_not_null())
        .and_where(exists_for_engineer(
            user_roles::Entity,
            Expr::col((user_roles::Entity, user_roles::Column::UserId))
                .equals(user_id())
                .and(
                    Expr::col((user_roles::Entity, user_roles::Column::Role))
                        .eq(Role::Engineer.as_str()),
                ),
        ))
        .and_where(exists_for_engineer(
            engineer_regions::Entity,
            Expr::col((engineer_regions::Entity, engineer_regions::Column::UserId))
                .equals(user_id()),
        ))
        .and_where(exists_for_engineer(
            engineer_work_types::Entity,
            Expr::col((
                engineer_work_types::Entity,
                engineer_work_types::Column::UserId,
            ))
            .equals(user_id())
            .and(
                Expr::col((
                    engineer_work_types::Entity,
                    engineer_work_types::Column::Price,
                ))
                .is_not_null(),
            ),
        ))
        .and_where(p(engineer_profiles::Column::Contacts).is_not_null())
        .and_where(employer_has_requisites.or(own_requisites));
    if let Some(id) = filter.id {
        q.and_where(p(engineer_profiles::Column::UserId).eq(id));
    }
    if let Some(region) = &filter.region_code {
        q.and_where(exists_for_engineer(
            engineer_regions::Entity,
            Expr::col((engineer_regions::Entity, engineer_regions::Column::UserId))
                .equals(user_id())
                .and(
                    Expr::col((
                        engineer_regions::Entity,
                        engineer_regions::Column::RegionCode,
                    ))
                    .eq(region.as_str()),
                ),
        ));
    }
    if let Some(work_type) = &filter.work_type {
        q.and_where(exists_for_engineer(
            engineer_work_types::Entity,
            Expr::col((
                engineer_work_types::Entity,
                engineer_work_types::Column::UserId,
            ))
            .equals(user_id())
            .and(
                Expr::col((
                    engineer_work_types::Entity,
                    engineer_work_types::Column::WorkType,
                ))
                .eq(work_type.as_str()),
            ),
        ));
    }
    if let Some(min) = filter.experience_min {
        q.and_where(p(engineer_profiles::Column::ExperienceYears).gte(min));
    }
    if let Some(accepts) = filter.accepts_offers {
        q.and_where(p(engineer_profiles::Column::AcceptOffers).eq(accepts));
    }
    if let Some(min) = filter.rating_min_x100 {
        q.and_where(rating_x100_expr().gte(min));
    }
    q
}

/// One page of publicly listed engineers, best first by `filter.sort`.
/// Returns up to `filter.limit` rows.
pub async fn search(
    db: &DatabaseConnection,
    filter: &SearchFilter,
) -> Result<Vec<CardRecord>, StoreError> {
    let t = || Alias::new("t");
    let mut q = Query::select();
    q.column(sea_orm::sea_query::Asterisk)
        .from_subquery(listed_engineers(filter), t());
    if let Some((key, id)) = filter.after {
        q.and_where(
            Expr::col((t(), Alias::new("sort_key")))
                .lt(key)
                .or(Expr::col((t(), Alias::new("sort_key")))
                    .eq(key)
                    .and(Expr::col((t(), Alias::new("id"))).gt(id))),
        );
    }
    q.order_by_expr(Expr::col((t(), Alias::new("sort_key"))), Order::Desc)
        .order_by_expr(Expr::col((t(), Alias::new("id"))), Order::Asc)
        .limit(filter.limit);
    let rows = db.query_all(&q).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for row in rows {
        let rating_x100: i64 = row.try_get("", "rating_x100")?;
        let completed: i64 = row.try_get("", "completed_orders")?;
        cards.push(CardRecord {
            id: row.try_get("", "id")?,
            full_name: row.try_get("", "full_name")?,
            avatar_id: row.try_get("", "avatar_id")?,
            experience_years: row.try_get("", "experience_years")?,
            accept_offers: row.try_get("", "accept_offers")?,
            rating_x100: (rating_x100 >= 0).then_some(rating_x100),
            reviews_count: row.try_get("", "reviews_count")?,
            completed_orders: completed,
            successful_orders: row.try_get("", "successful_orders")?,
            on_time_percent: None,
            regions: Vec::new(),
            work_types: Vec::new(),
            employer: None,
            sort_key: row.try_get("", "sort_key")?,
        });
    }
    fill_cards(db, &mut cards, filter.today).await?;
    Ok(cards)
}

/// Regions, work types, employer and the on-time figure of each card.
async fn fill_cards(
    db: &DatabaseConnection,
    cards: &mut [CardRecord],
    today: NaiveDate,
) -> Result<(), StoreError> {
    if cards.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = cards.iter().map(|c| c.id).collect();
    let mut regions: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in engineer_regions::Entity::find()
        .filter(engineer_regions::Column::UserId.is_in(ids.clone()))
        .order_by_asc(engineer_regions::Column::RegionCode)
        .all(db)
        .await?
    {
        regions.entry(r.user_id).or_default().push(r.region_code);
    }
    let mut work_types: HashMap<Uuid, Vec<(String, Option<i64>)>> = HashMap::new();
    for w in engineer_work_types::Entity::find()
        .filter(engineer_work_types::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        work_types
            .entry(w.user_id)
            .or_default()
            .push((w.work_type, w.price));
    }
    let employers = crate::employment::active_employers_of(db, &ids).await?;
    // On time (docs/results.md, "Rating"): each executed order with a due
    // date, by its first delivery of results.
    let mut working: HashMap<Uuid, (u64, u64)> = HashMap::new();
    let executed: Vec<(Uuid, Option<Uuid>, Option<NaiveDate>, String)> = orders::Entity::find()
        .select_only()
        .column(orders::Column::Id)
        .column(orders::Column::ExecutorId)
        .column(orders::Column::DueDate)
        .column(orders::Column::Status)
        .filter(orders::Column::ExecutorId.is_in(ids.clone()))
        .filter(orders::Column::DueDate.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut first_delivery: HashMap<Uuid, NaiveDate> = HashMap::new();
    if !executed.is_empty() {
        let deliveries: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> =
            crate::entities::order_results::Entity::find()
                .select_only()
                .column(crate::entities::order_results::Column::OrderId)
                .column(crate::entities::order_results::Column::CreatedAt)
                .filter(
                    crate::entities::order_results::Column::OrderId
                        .is_in(executed.iter().map(|o| o.0).collect::<Vec<_>>()),
                )
                .filter(
                    crate::entities::order_results::Column::Stage
                        .eq(mezha_api_types::results::ResultStage::Results.as_str()),
                )
                .into_tuple()
                .all(db)
                .await?;
        for (order, at) in deliveries {
            // The customer's day (Moscow), as the due date is.
            let day = (at + chrono::Duration::hours(3)).date_naive();
            let first = first_delivery.entry(order).or_insert(day);
            *first = Ord::min(*first, day);
        }
    }
    for (id, executor, due, status) in executed {
        let (Some(executor), Ok(status)) = (executor, status.parse()) else {
            continue;
        };
        let delivered = first_delivery.get(&id).copied();
        if let Some(in_time) =
            mezha_domain::orders::reminders::on_time(status, due, delivered, today)
        {
            let entry = working.entry(executor).or_default();
            entry.0 += 1;
            entry.1 += u64::from(in_time);
        }
    }
    for card in cards.iter_mut() {
        card.regions = regions.remove(&card.id).unwrap_or_default();
        card.work_types = work_types.remove(&card.id).unwrap_or_default();
        card.employer = employers.get(&card.id).cloned();
        card.on_time_percent = working.get(&card.id).and_then(|(total, on_time)| {
            (*total > 0).then(|| u8::try_from(on_time * 100 / total).unwrap_or(100))
        });
    }
    Ok(())
}
