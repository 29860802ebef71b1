//! Acts of completed works of an order (docs/acts.md): made by the
//! executor from the order and its signed contract once the customer has
//! accepted the results, signed by both parties like the contract (the
//! statuses, actions, signatures and bodies are the contract's).

use crate::contracts::{ContractAction, ContractSignature, ContractStatus};
use crate::orders::FileInfo;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A new act version: nothing to fill in, the act is made from the order,
/// its signed contract and its accepted results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAct {
    /// The day the works were completed (`dd.mm.yyyy` on the act); today
    /// (Moscow time) when not given. Not in the future.
    #[serde(default)]
    pub completed_on: Option<NaiveDate>,
}

/// A version of the act of completed works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Act {
    pub id: Uuid,
    pub order_id: Uuid,
    /// Version number within the order (1, 2, …), written on the act.
    pub number: i32,
    /// Same statuses as a contract version.
    pub status: ContractStatus,
    /// The price of the works the act states, in kopecks: the signed
    /// contract's price (the order's price when the contract was uploaded).
    pub amount_kopecks: i64,
    /// The amount in Russian words, as written on the act.
    pub amount_in_words: String,
    /// The day the works were completed, as written on the act.
    pub completed_on: NaiveDate,
    /// The PDF the signatures bind to (its SHA-256 is `document.sha256`).
    pub document: FileInfo,
    /// Why the customer declined to sign (status `declined`).
    pub declined_reason: Option<String>,
    /// Accepted signatures, the engineer's first.
    pub signatures: Vec<ContractSignature>,
    /// What the caller may do with the version now (`sign`, `decline`).
    pub allowed_actions: Vec<ContractAction>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /orders/{id}/acts`: the order's act versions, oldest first.
    ActList = Page<Act> {
        items: "Act versions, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
