//! Orders for cadastral works (docs/orders.md): the order itself, its history,
//! search, responses and offers.

mod edit;
mod links;
mod listing;
mod marketplace;
mod reference;
mod tasks;
mod view;

pub use edit::{NewOrder, UpdateOrder};
pub use links::{ActionLink, action_links};
pub use listing::{MyOrdersQuery, OrderList, OrderSearchQuery, OrderSummary};
pub use marketplace::{
    Comment, NewOffer, NewResponse, Offer, OfferList, OrderResponse, ResponseList,
};
pub use reference::{ReferenceData, Region, RegistryCabinets, WorkTypeInfo};
pub use tasks::{Task, TaskKind, TaskList};
pub use view::{FileInfo, HistoryEntry, HistoryList, Order};

use crate::wire_enum;

/// Longest order title.
pub const TITLE_MAX_CHARS: u64 = 200;
/// Longest object description.
pub const DESCRIPTION_MAX_CHARS: u64 = 5000;
/// Longest address.
pub const ADDRESS_MAX_CHARS: u64 = 500;
/// Most cadastral numbers on one order.
pub const CADASTRAL_NUMBERS_MAX: u64 = 50;
/// Most attachments on one order.
pub const ATTACHMENTS_MAX: u64 = 20;
/// Longest response message or comment.
pub const MESSAGE_MAX_CHARS: u64 = 2000;
/// Largest price, in roubles.
pub const PRICE_MAX: i64 = 1_000_000_000;
/// Longest deadline in days.
pub const DEADLINE_DAYS_MAX: u32 = 3650;

wire_enum! {
    /// The ten kinds of cadastral works (docs/orders.md, "Fields").
    pub enum WorkType {
        /// Land plot formation by redistribution.
        LandPlotRedistribution => "land_plot_redistribution",
        /// Land plot formation.
        LandPlotFormation => "land_plot_formation",
        /// Clarification of land plot boundaries and area.
        LandPlotBoundaryClarification => "land_plot_boundary_clarification",
        /// Formation of a part of a real-estate object.
        ObjectPartFormation => "object_part_formation",
        /// Liquidation of a real-estate object.
        ObjectLiquidation => "object_liquidation",
        /// Clarification of real-estate object data.
        ObjectDataClarification => "object_data_clarification",
        /// Real-estate object formation.
        ObjectFormation => "object_formation",
        /// Map-plan preparation.
        MapPlan => "map_plan",
        /// Layout scheme preparation.
        LayoutScheme => "layout_scheme",
        /// Formation of a part of a land plot.
        LandPlotPartFormation => "land_plot_part_formation",
    }
}

wire_enum! {
    /// Where an order is in its life (docs/orders.md, "Statuses").
    pub enum OrderStatus {
        /// Being prepared by the customer; visible to him only.
        Draft => "draft",
        /// Published; engineers respond, the customer chooses.
        ExecutorSelection => "executor_selection",
        /// Executor chosen; the contract is being signed.
        ContractSigning => "contract_signing",
        /// Waiting for the prepayment.
        Prepayment => "prepayment",
        /// The engineer is doing the work.
        InProgress => "in_progress",
        /// Results delivered; the customer checks them.
        Acceptance => "acceptance",
        /// The engineer registers the results with the state.
        Registration => "registration",
        /// The customer pays; the engineer confirms.
        Payment => "payment",
        /// Done.
        Completed => "completed",
        /// Cancelled by the customer.
        Cancelled => "cancelled",
        /// The executor lost active SRO status; resumes when restored.
        Suspended => "suspended",
    }
}

wire_enum! {
    /// Something that can happen to an order. Each changes its status or
    /// is allowed only in some statuses; `allowed_actions` of an order lists
    /// those the caller may take now.
    pub enum OrderAction {
        /// The order was created (history only).
        Create => "create",
        /// Change the order's fields (customer).
        Edit => "edit",
        /// Delete a draft (customer).
        Delete => "delete",
        /// Publish a draft (customer).
        Publish => "publish",
        /// Cancel before the contract is signed (customer).
        Cancel => "cancel",
        /// Respond to the order (engineer).
        Respond => "respond",
        /// Choose a response's engineer as executor (customer).
        SelectResponse => "select_response",
        /// Offer the order to an engineer (customer).
        Offer => "offer",
        /// Accept an offer (engineer).
        AcceptOffer => "accept_offer",
        /// Decline an offer (engineer).
        DeclineOffer => "decline_offer",
        /// Make a new contract version, from the template or a PDF/A file (executor).
        CreateContract => "create_contract",
        /// Both parties signed the contract.
        ContractSigned => "contract_signed",
        /// Send the prepayment or the final invoice (executor).
        SendInvoice => "send_invoice",
        /// The engineer confirmed the prepayment invoice's payment.
        ConfirmPrepayment => "confirm_prepayment",
        /// The engineer delivers the results.
        DeliverResults => "deliver_results",
        /// The customer accepts the results.
        AcceptResults => "accept_results",
        /// The customer rejects the results with reasons.
        RejectResults => "reject_results",
        /// The engineer sends the registration outcome, act and final invoice.
        SendRegistrationOutcome => "send_registration_outcome",
        /// Make a new version of the act of completed works (executor).
        CreateAct => "create_act",
        /// Both parties signed the act of completed works.
        ActSigned => "act_signed",
        /// The engineer confirmed the final invoice's payment.
        ConfirmPayment => "confirm_payment",
        /// Rate the engineer of a completed order, once (customer).
        Review => "review",
        /// The executor lost active SRO status (system).
        Suspend => "suspend",
        /// The executor's SRO status is active again (system).
        Resume => "resume",
    }
}

wire_enum! {
    /// Who the customer is, derived from his profile: a 10-digit INN is a
    /// legal entity; otherwise a person.
    pub enum CustomerType {
        /// A private person.
        Person => "person",
        /// A legal entity.
        Legal => "legal",
        /// A sole proprietor (ИП).
        SoleProprietor => "sole_proprietor",
    }
}

wire_enum! {
    /// State registration done by the engineer as part of the order.
    pub enum Registration {
        /// None; the customer registers himself.
        None => "none",
        /// State cadastral registration (ГКУ).
        Gku => "gku",
        /// State registration of rights (ГРП).
        Grp => "grp",
        /// Both.
        Both => "both",
    }
}

wire_enum! {
    /// Sort order of the order search.
    pub enum SearchSort {
        /// Newest publication first.
        Newest => "newest",
        /// Nearest deadline first.
        Urgency => "urgency",
    }
}

wire_enum! {
    /// Where a response stands.
    pub enum ResponseStatus {
        /// Waiting for the customer's choice.
        Active => "active",
        /// Withdrawn by the engineer.
        Withdrawn => "withdrawn",
        /// Chosen: its engineer is the executor.
        Selected => "selected",
        /// Another executor was chosen, or the order was cancelled.
        Closed => "closed",
    }
}

wire_enum! {
    /// Where an offer stands.
    pub enum OfferStatus {
        /// Waiting for the engineer's answer.
        Pending => "pending",
        /// Accepted: the engineer is the executor.
        Accepted => "accepted",
        /// Declined by the engineer.
        Declined => "declined",
        /// Another executor was chosen, or the order was cancelled.
        Closed => "closed",
    }
}

// `wire_enum!` owns the derive list, so the default is written out.
#[allow(clippy::derivable_impls)]
impl Default for Registration {
    fn default() -> Self {
        Registration::None
    }
}

#[cfg(test)]
mod tests;
