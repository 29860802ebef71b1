//! Engineers, employers and the SRO registry (docs/API.md, "Engineers and employers"): the engineer
//! profile, requisites, the public engineer list, employers and their
//! employees (join requests, direct additions), and the registry import.

mod employment;
mod listing;
mod profile;
mod registry;

pub use employment::{
    AddEmployee, EmployeeSummary, EmployeesQuery, EmployerList, EmployerSearchQuery,
    EmployerSettings, EmployerSummary, Employment, EmploymentList, MyEmployment, NewJoinRequest,
    UpdateEmployerSettings,
};
pub use listing::{EngineerCard, EngineerDetails, EngineerList, EngineerSearchQuery};
pub use profile::{
    Contacts, EngineerProfile, LEGAL_ADDRESS_MAX_CHARS, Requisites, RequisitesView,
    UpdateEngineerProfile, WorkTypePrice,
};
pub use registry::{
    SroDisciplinaryAction, SroImportFromUrl, SroImportJson, SroImportReport, SroMembership,
    SroRegistryEngineer, SroRegistryFile,
};

use crate::wire_enum;

/// Longest website address.
pub const WEBSITE_MAX_CHARS: u64 = 2048;
/// Longest place of residence.
pub const RESIDENCE_MAX_CHARS: u64 = 200;
/// Longest working-hours text.
pub const WORKING_HOURS_MAX_CHARS: u64 = 200;
/// Longest education text.
pub const EDUCATION_MAX_CHARS: u64 = 2000;
/// Longest "about" text.
pub const ABOUT_MAX_CHARS: u64 = 5000;
/// Longest free-form contact line (messenger, office hours, …).
pub const CONTACT_OTHER_MAX_CHARS: u64 = 500;
/// Most years of experience accepted.
pub const EXPERIENCE_MAX_YEARS: u32 = 80;
/// Most files in one list of the profile (diplomas, work examples).
pub const PROFILE_FILES_MAX: u64 = 20;
/// Longest organisation name, recipient or bank name.
pub const ORGANISATION_NAME_MAX_CHARS: u64 = 300;
/// Longest basis document name.
pub const BASIS_NAME_MAX_CHARS: u64 = 300;
/// Longest basis document number.
pub const BASIS_NUMBER_MAX_CHARS: u64 = 100;
/// Longest URL of an SRO registry feed.
pub const FEED_URL_MAX_CHARS: u64 = 2048;

wire_enum! {
    /// How an engineer works: on his own as a sole proprietor (ИП), or as
    /// the employee of a legal entity. Derived: an engineer with an active
    /// employment is an employee.
    pub enum BusinessForm {
        /// Sole proprietor: his own requisites go into contracts.
        SoleProprietor => "sole_proprietor",
        /// Employee: the employer's requisites go into contracts.
        Employee => "employee",
    }
}

wire_enum! {
    /// Where an engineer's employment (or join request) stands.
    pub enum EmploymentStatus {
        /// Join request filed by the engineer; the employer decides.
        Requested => "requested",
        /// Employed.
        Active => "active",
        /// The employer rejected the join request.
        Rejected => "rejected",
        /// Employed, but suspended by the employer: the engineer works on
        /// his own requisites until resumed.
        Suspended => "suspended",
        /// Ended: removed by the employer, left, or a request withdrawn.
        Removed => "removed",
    }
}

wire_enum! {
    /// Sort order of the engineer list (best first; ties by id).
    pub enum EngineerSort {
        /// Highest rating first; engineers without a rating last.
        Rating => "rating",
        /// Most orders completed on the platform first.
        CompletedOrders => "completed_orders",
        /// Longest experience first; unknown experience last.
        Experience => "experience",
    }
}

wire_enum! {
    /// A member's status in the SRO registry.
    pub enum SroMemberStatus {
        /// Membership in force.
        Active => "active",
        /// Membership suspended.
        Suspended => "suspended",
        /// Excluded from the SRO.
        Excluded => "excluded",
    }
}

wire_enum! {
    /// Whose requisites `GET /me/requisites` shows.
    pub enum RequisitesSource {
        /// The caller's own (editable).
        Own => "own",
        /// The employer's, for an employed engineer (read-only).
        Employer => "employer",
    }
}

#[cfg(test)]
mod tests;
