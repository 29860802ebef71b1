//! Engineer profiles, requisites, the public engineer list and an
//! engineer's standing (docs/API.md, "Engineers and employers").
//!
//! Requisites belong to any account (`requisites`, one row per account);
//! an engineer with an active employment uses his employer's. Whether a
//! profile is complete is computed on read, in Rust for one engineer
//! ([`standing`], [`profile_facts`]) and in SQL for the list ([`search`]),
//! from the same facts: full name, a region, a priced work type, contacts,
//! requisites.

mod eligibility;
mod listing;
mod profiles;
mod requisites;
mod roles;

pub use eligibility::{profile_facts, standing};
pub use listing::{CardRecord, SearchFilter, Sort, search};
pub use profiles::{known_regions, profile, save_profile};
pub use requisites::{effective_requisites, requisites_of, save_requisites};
pub use roles::{grant_role, has_role, revoke_role};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Contacts as stored (JSON in `engineer_profiles.contacts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

impl ContactsRecord {
    /// Nothing is filled.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none() && self.other.is_none()
    }
}

/// Profile files as stored (JSON in `engineer_profiles.documents`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsRecord {
    #[serde(default)]
    pub diplomas: Vec<Uuid>,
    #[serde(default)]
    pub work_examples: Vec<Uuid>,
}

/// The editable part of an engineer's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileData {
    pub website: Option<String>,
    pub residence: Option<String>,
    pub contacts: ContactsRecord,
    pub experience_years: Option<i32>,
    pub working_hours: Option<String>,
    pub education: Option<String>,
    pub about: Option<String>,
    pub accept_offers: bool,
    pub documents: DocumentsRecord,
    /// Region codes, sorted, each once.
    pub regions: Vec<String>,
    /// `(work type code, price)`, each work type once.
    pub work_types: Vec<(String, Option<i64>)>,
}

/// A saved profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRecord {
    pub user_id: Uuid,
    pub data: ProfileData,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Bank details of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitesData {
    pub recipient: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub bank_name: String,
    pub bik: String,
    pub account: String,
    pub correspondent_account: String,
    /// OGRN (legal entity) or OGRNIP (sole proprietor).
    pub ogrn: Option<String>,
    /// A company's legal address.
    pub legal_address: Option<String>,
}

/// Saved bank details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitesRecord {
    pub user_id: Uuid,
    pub data: RequisitesData,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}
