//! The catalogue's part for orders: screens, statuses, actions and the
//! other enums of `mezha_api_types::orders`.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use super::Strings;
use mezha_api_types::orders::TaskKind;
use mezha_api_types::orders::{
    CustomerType, OfferStatus, OrderAction, OrderStatus, Registration, ResponseStatus,
};

/// Strings of the order screens.
pub struct OrderStrings {
    // list
    pub new_order: &'static str,
    pub filters: &'static str,
    pub status: &'static str,
    pub any_status: &'static str,
    pub query: &'static str,
    pub query_hint: &'static str,
    pub apply: &'static str,
    pub reset: &'static str,
    pub load_more: &'static str,
    pub empty: &'static str,
    pub empty_filtered: &'static str,
    pub number_prefix: &'static str,
    pub no_price: &'static str,
    pub no_deadline: &'static str,
    pub no_region: &'static str,

    // fields
    pub title: &'static str,
    pub work_types: &'static str,
    pub description: &'static str,
    pub cadastral_numbers: &'static str,
    pub cadastral_hint: &'static str,
    pub cadastral_invalid: &'static str,
    pub region: &'static str,
    pub region_none: &'static str,
    pub address: &'static str,
    pub address_hint: &'static str,
    pub deadline: &'static str,
    /// The day the results are due, in the card.
    pub due_date: &'static str,
    /// Before the due date in a list row ("due by 10.03.2027").
    pub due_by: &'static str,
    /// The mark of an order past its due date without results.
    pub overdue: &'static str,
    /// Names of the tasks of the home screen, in `TaskKind::ALL` order.
    pub tasks: [&'static str; TaskKind::ALL.len()],
    pub tasks_title: &'static str,
    pub tasks_empty: &'static str,
    pub tasks_all_orders: &'static str,
    pub deadline_by_date: &'static str,
    pub deadline_in_days: &'static str,
    pub deadline_date: &'static str,
    pub deadline_days: &'static str,
    pub price: &'static str,
    pub price_hint: &'static str,
    pub prepayment: &'static str,
    pub prepayment_percent: &'static str,
    pub registration: &'static str,
    pub attachments: &'static str,
    pub attach_hint: &'static str,
    pub uploading: &'static str,
    pub remove: &'static str,
    pub customer_type: &'static str,
    pub responses_count: &'static str,
    pub created_at: &'static str,
    pub published_at: &'static str,
    pub updated_at: &'static str,
    pub executor: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub kb: &'static str,
    pub mb: &'static str,
    pub whole_number: &'static str,
    pub percent_range: &'static str,
    pub days_range: &'static str,

    // form
    pub form_new_title: &'static str,
    pub form_edit_title: &'static str,
    pub save_draft: &'static str,
    pub save_publish: &'static str,
    pub save_changes: &'static str,
    pub back: &'static str,
    pub form_stale: &'static str,
    pub draft_saved_not_published: &'static str,

    // card
    pub back_to_list: &'static str,
    pub history: &'static str,
    pub export: &'static str,
    pub export_hint: &'static str,
    pub history_empty: &'static str,
    pub history_created: &'static str,
    pub history_system: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    pub publish_missing: &'static str,
    pub publish: &'static str,
    pub cancel: &'static str,
    pub cancel_prompt: &'static str,
    pub illegal_now: &'static str,

    // responses
    pub responses: &'static str,
    pub responses_empty: &'static str,
    pub select_response: &'static str,
    pub response_price: &'static str,
    pub response_days: &'static str,
    pub response_message: &'static str,
    pub respond_title: &'static str,
    pub respond_submit: &'static str,
    pub my_responses: &'static str,
    pub withdraw: &'static str,

    // offers
    pub offers: &'static str,
    pub offer_message: &'static str,
    pub offer_sent: &'static str,
    pub offers_to_me: &'static str,
    pub accept_offer: &'static str,
    pub decline_offer: &'static str,

    // search
    pub search_title: &'static str,
    pub any_region: &'static str,
    pub address_contains: &'static str,
    pub number: &'static str,
    pub deadline_until: &'static str,
    pub deadline_days_max: &'static str,
    pub without_responses: &'static str,
    pub with_prepayment: &'static str,
    pub with_price: &'static str,
    pub customer_types: &'static str,
    pub customers_person: &'static str,
    pub customers_legal: &'static str,
    pub customers_sole_proprietor: &'static str,
    pub sort: &'static str,
    pub sort_newest: &'static str,
    pub sort_urgency: &'static str,
    pub search_empty: &'static str,
    pub reference_failed: &'static str,

    /// "30 дней" / "30 days".
    pub days: fn(u32) -> String,

    pub statuses: StatusStrings,
    pub actions: ActionStrings,
    pub customer_kinds: CustomerTypeStrings,
    pub registrations: RegistrationStrings,
    pub response_statuses: ResponseStatusStrings,
    pub offer_statuses: OfferStatusStrings,
}

/// Order statuses, as the customer sees them in his list.
pub struct StatusStrings {
    pub draft: &'static str,
    pub executor_selection: &'static str,
    pub contract_signing: &'static str,
    pub prepayment: &'static str,
    pub in_progress: &'static str,
    pub acceptance: &'static str,
    pub registration: &'static str,
    pub payment: &'static str,
    pub completed: &'static str,
    pub cancelled: &'static str,
    pub suspended: &'static str,
}

/// What happened to an order (history entries).
pub struct ActionStrings {
    pub create: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub publish: &'static str,
    pub cancel: &'static str,
    pub respond: &'static str,
    pub select_response: &'static str,
    pub offer: &'static str,
    pub accept_offer: &'static str,
    pub decline_offer: &'static str,
    pub create_contract: &'static str,
    pub contract_signed: &'static str,
    pub send_invoice: &'static str,
    pub review: &'static str,
    pub confirm_prepayment: &'static str,
    pub deliver_results: &'static str,
    pub accept_results: &'static str,
    pub reject_results: &'static str,
    pub send_registration_outcome: &'static str,
    pub create_act: &'static str,
    pub act_signed: &'static str,
    pub confirm_payment: &'static str,
    pub suspend: &'static str,
    pub resume: &'static str,
}

pub struct CustomerTypeStrings {
    pub person: &'static str,
    pub legal: &'static str,
    pub sole_proprietor: &'static str,
}

pub struct RegistrationStrings {
    pub none: &'static str,
    pub gku: &'static str,
    pub grp: &'static str,
    pub both: &'static str,
}

pub struct ResponseStatusStrings {
    pub active: &'static str,
    pub withdrawn: &'static str,
    pub selected: &'static str,
    pub closed: &'static str,
}

pub struct OfferStatusStrings {
    pub pending: &'static str,
    pub accepted: &'static str,
    pub declined: &'static str,
    pub closed: &'static str,
}

impl Strings {
    /// What a task of the home screen asks.
    pub fn task(&self, kind: TaskKind) -> &'static str {
        TaskKind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| self.orders.tasks.get(i))
            .copied()
            .unwrap_or_else(|| kind.as_str())
    }

    /// The name of an order status.
    pub fn status(&self, status: OrderStatus) -> &'static str {
        let s = &self.orders.statuses;
        match status {
            OrderStatus::Draft => s.draft,
            OrderStatus::ExecutorSelection => s.executor_selection,
            OrderStatus::ContractSigning => s.contract_signing,
            OrderStatus::Prepayment => s.prepayment,
            OrderStatus::InProgress => s.in_progress,
            OrderStatus::Acceptance => s.acceptance,
            OrderStatus::Registration => s.registration,
            OrderStatus::Payment => s.payment,
            OrderStatus::Completed => s.completed,
            OrderStatus::Cancelled => s.cancelled,
            OrderStatus::Suspended => s.suspended,
        }
    }

    /// What an action did, for the history.
    pub fn action(&self, action: OrderAction) -> &'static str {
        let a = &self.orders.actions;
        match action {
            OrderAction::Create => a.create,
            OrderAction::Edit => a.edit,
            OrderAction::Delete => a.delete,
            OrderAction::Publish => a.publish,
            OrderAction::Cancel => a.cancel,
            OrderAction::Respond => a.respond,
            OrderAction::SelectResponse => a.select_response,
            OrderAction::Offer => a.offer,
            OrderAction::AcceptOffer => a.accept_offer,
            OrderAction::DeclineOffer => a.decline_offer,
            OrderAction::CreateContract => a.create_contract,
            OrderAction::ContractSigned => a.contract_signed,
            OrderAction::SendInvoice => a.send_invoice,
            OrderAction::Review => a.review,
            OrderAction::ConfirmPrepayment => a.confirm_prepayment,
            OrderAction::DeliverResults => a.deliver_results,
            OrderAction::AcceptResults => a.accept_results,
            OrderAction::RejectResults => a.reject_results,
            OrderAction::SendRegistrationOutcome => a.send_registration_outcome,
            OrderAction::CreateAct => a.create_act,
            OrderAction::ActSigned => a.act_signed,
            OrderAction::ConfirmPayment => a.confirm_payment,
            OrderAction::Suspend => a.suspend,
            OrderAction::Resume => a.resume,
        }
    }

    pub fn customer_type(&self, kind: CustomerType) -> &'static str {
        let c = &self.orders.customer_kinds;
        match kind {
            CustomerType::Person => c.person,
            CustomerType::Legal => c.legal,
            CustomerType::SoleProprietor => c.sole_proprietor,
        }
    }

    pub fn registration(&self, registration: Registration) -> &'static str {
        let r = &self.orders.registrations;
        match registration {
            Registration::None => r.none,
            Registration::Gku => r.gku,
            Registration::Grp => r.grp,
            Registration::Both => r.both,
        }
    }

    pub fn response_status(&self, status: ResponseStatus) -> &'static str {
        let r = &self.orders.response_statuses;
        match status {
            ResponseStatus::Active => r.active,
            ResponseStatus::Withdrawn => r.withdrawn,
            ResponseStatus::Selected => r.selected,
            ResponseStatus::Closed => r.closed,
        }
    }

    pub fn offer_status(&self, status: OfferStatus) -> &'static str {
        let o = &self.orders.offer_statuses;
        match status {
            OfferStatus::Pending => o.pending,
            OfferStatus::Accepted => o.accepted,
            OfferStatus::Declined => o.declined,
            OfferStatus::Closed => o.closed,
        }
    }
}
