//! `GET /me/tasks` (docs/orders.md, "What awaits me"): the caller's
//! active orders where it is his turn, in his acting role, with what he is
//! to do (`mezha_domain::orders::tasks`), overdue orders first. Read in a
//! fixed number of queries: the orders, their open document versions,
//! their invoices.

use super::*;
use mezha_api_types::contracts::{ContractParty, ContractStatus};
use mezha_api_types::orders::{Task, TaskList};
use mezha_domain::contracts::DocumentKind;
use mezha_domain::orders::tasks::{Docs, awaiting};
use mezha_store::orders::Scope;
use std::collections::HashMap;

/// The most recently changed orders looked at (a person's active orders
/// are far fewer).
const ORDERS_MAX: u64 = 100;

/// The orders' documents as [`Docs`], by order.
async fn docs_of(state: &Core, orders: &[OrderRecord]) -> Result<HashMap<Uuid, Docs>, AppError> {
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut out: HashMap<Uuid, Docs> = orders
        .iter()
        .map(|o| {
            (
                o.id,
                Docs {
                    has_responses: o.responses_count > 0,
                    ..Docs::default()
                },
            )
        })
        .collect();
    for v in mezha_store::contracts::open_of(&state.db, ids.clone()).await? {
        let party = match v.status {
            ContractStatus::AwaitingEngineer => ContractParty::Engineer,
            _ => ContractParty::Customer,
        };
        if let Some(docs) = out.get_mut(&v.order_id) {
            match v.kind {
                DocumentKind::Contract => docs.contract_awaits = Some(party),
                DocumentKind::Act => docs.act_awaits = Some(party),
            }
        }
    }
    let status: HashMap<Uuid, OrderStatus> = orders.iter().map(|o| (o.id, o.status)).collect();
    for i in mezha_store::invoices::of_orders(&state.db, ids).await? {
        let current = status
            .get(&i.order_id)
            .and_then(|s| mezha_domain::invoices::kind_for(*s));
        if current == Some(i.kind)
            && let Some(docs) = out.get_mut(&i.order_id)
        {
            docs.invoice = Some(i.status);
        }
    }
    Ok(out)
}

/// `GET /me/tasks`: what awaits the caller, acting as customer or
/// engineer (others have no turns on orders).
pub async fn tasks(state: &Core, auth: &Caller) -> Result<TaskList, AppError> {
    let scope = match auth.role {
        Role::Customer => Scope::Customer(auth.user_id),
        Role::Engineer => Scope::Engineers(vec![auth.user_id]),
        _ => return Ok(TaskList { tasks: Vec::new() }),
    };
    let (rows, _) = store::list(&state.db, &scope, None, None, ORDERS_MAX, None).await?;
    let active: Vec<Uuid> = rows
        .iter()
        .filter(|o| !matches!(o.status, OrderStatus::Draft | OrderStatus::Cancelled))
        .map(|o| o.id)
        .collect();
    let orders = store::find_many(&state.db, active).await?;
    let docs = docs_of(state, &orders).await?;
    let today = today(state.clock.now());
    let mut tasks = Vec::new();
    for order in orders {
        let who = actor(state, auth, &order).await?;
        let d = docs.get(&order.id).copied().unwrap_or_default();
        let kinds = awaiting(who, order.status, &facts(&order), &d);
        let since = order.updated_at;
        let row = summary(order, today, who);
        tasks.extend(kinds.into_iter().map(|kind| Task {
            order: row.clone(),
            kind,
            since,
        }));
    }
    tasks.sort_by_key(|t| (!t.order.overdue, t.since));
    Ok(TaskList { tasks })
}
