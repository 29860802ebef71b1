//! The notification catalogue (docs/notifications.md, "The catalogue"): every
//! event the marketplace and
//! the CA announce, as one typed enum with its payload; the default
//! channels of each kind; which events an order transition produces; and
//! the retry schedule of deliveries. [`render`] turns an event into the
//! texts of each channel in Russian or English.
//!
//! Events are stored as JSON (`serde(tag = "kind")`, the kind's wire name
//! as tag), so the payload kept in the outbox is exactly this enum.

pub mod render;

use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{NotificationChannel, NotificationKind, ObjectKind};
use mezha_api_types::orders::{OrderAction, OrderStatus};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

pub use render::{Rendered, render};

/// The order an event concerns, as its parties know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRef {
    /// Order id.
    pub id: Uuid,
    /// Order number (shown to people).
    pub number: i64,
    /// Order title.
    pub title: String,
}

/// The deal an event concerns, as its organisation's members know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRef {
    /// Deal id.
    pub id: Uuid,
    /// Its number within the organisation.
    pub number: i64,
    /// Its title.
    pub title: String,
}

/// Something that happened, with what its texts need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// To the customer: an engineer responded.
    ResponseReceived {
        order: OrderRef,
        response_id: Uuid,
        engineer_name: Option<String>,
        price: i64,
        deadline_days: u32,
    },
    /// To the engineer: a customer offers him an order.
    OfferReceived {
        order: OrderRef,
        offer_id: Uuid,
        message: Option<String>,
    },
    /// To the engineer: the customer selected his response.
    ExecutorSelected { order: OrderRef },
    /// To the customer: the engineer accepted the offer.
    OfferAccepted {
        order: OrderRef,
        engineer_name: Option<String>,
    },
    /// To the customer: the engineer declined the offer.
    OfferDeclined {
        order: OrderRef,
        engineer_name: Option<String>,
    },
    /// To a party: the order moved to another status.
    OrderStatusChanged {
        order: OrderRef,
        from: OrderStatus,
        to: OrderStatus,
        comment: Option<String>,
    },
    /// To a party: a contract awaits his signature.
    ContractSentForSignature { order: OrderRef },
    /// To both parties: the contract is signed by both.
    ContractSigned { order: OrderRef },
    /// To the engineer: the customer declined to sign the contract.
    ContractDeclined { order: OrderRef, reason: String },
    /// To the customer: an act of completed works awaits his signature.
    ActSentForSignature { order: OrderRef },
    /// To both parties: the act is signed by both (`completed`: and the
    /// order with it).
    ActSigned { order: OrderRef, completed: bool },
    /// To the engineer: the customer declined to sign the act.
    ActDeclined { order: OrderRef, reason: String },
    /// To the customer: an invoice was sent.
    InvoiceSent {
        order: OrderRef,
        amount: Option<i64>,
    },
    /// To the engineer: the customer marked an invoice paid.
    PaymentMarked { order: OrderRef },
    /// To the customer: the engineer confirmed the payment.
    PaymentConfirmed { order: OrderRef },
    /// To the customer: the results are delivered.
    ResultsDelivered { order: OrderRef },
    /// To the engineer: the customer accepted the results.
    ResultsAccepted { order: OrderRef },
    /// To the engineer: the customer rejected the results.
    ResultsRejected {
        order: OrderRef,
        reasons: Option<String>,
    },
    /// To the party a step waits for: it has waited `days` days.
    Reminder {
        order: OrderRef,
        task: Task,
        days: i64,
    },
    /// To the executor: the deadline is `days_left` days away.
    DeadlineApproaching {
        order: OrderRef,
        due_date: chrono::NaiveDate,
        days_left: i64,
    },
    /// To both parties: the deadline passed without the results.
    OrderOverdue {
        order: OrderRef,
        due_date: chrono::NaiveDate,
    },
    /// To the employer: an engineer asks to join.
    JoinRequestReceived {
        employment_id: Uuid,
        engineer_name: Option<String>,
    },
    /// To the engineer: the employer decided his join request.
    JoinRequestDecided {
        employment_id: Uuid,
        employer_name: Option<String>,
        approved: bool,
    },
    /// To the applicant: the application is approved.
    CertificateApplicationApproved { application_id: Uuid },
    /// To the applicant: the application is rejected.
    CertificateApplicationRejected {
        application_id: Uuid,
        reasons: Vec<String>,
    },
    /// To the owner: the certificate is issued.
    CertificateIssued {
        certificate_id: Uuid,
        serial: String,
        not_after: DateTime<Utc>,
    },
    /// To the owner: the certificate expires soon.
    CertificateExpiring {
        certificate_id: Uuid,
        serial: String,
        not_after: DateTime<Utc>,
        days_left: i64,
    },
    /// To the account holder: a moderator blocked him.
    EngineerBlocked { user_id: Uuid },
    /// To the deal's responsible employee: the deal moved on, by the
    /// registry's answer (with its message) or the automatic fee payment.
    DealStatusChanged {
        deal: DealRef,
        from: mezha_api_types::deals::DealStatus,
        to: mezha_api_types::deals::DealStatus,
        message: Option<String>,
    },
}

impl Event {
    /// The event's kind (its wire name is the JSON tag).
    pub fn kind(&self) -> NotificationKind {
        use NotificationKind as K;
        match self {
            Event::ResponseReceived { .. } => K::ResponseReceived,
            Event::OfferReceived { .. } => K::OfferReceived,
            Event::ExecutorSelected { .. } => K::ExecutorSelected,
            Event::OfferAccepted { .. } => K::OfferAccepted,
            Event::OfferDeclined { .. } => K::OfferDeclined,
            Event::OrderStatusChanged { .. } => K::OrderStatusChanged,
            Event::ContractSentForSignature { .. } => K::ContractSentForSignature,
            Event::ContractSigned { .. } => K::ContractSigned,
            Event::ContractDeclined { .. } => K::ContractDeclined,
            Event::ActSentForSignature { .. } => K::ActSentForSignature,
            Event::ActSigned { .. } => K::ActSigned,
            Event::ActDeclined { .. } => K::ActDeclined,
            Event::Reminder { .. } => K::Reminder,
            Event::DeadlineApproaching { .. } => K::DeadlineApproaching,
            Event::OrderOverdue { .. } => K::OrderOverdue,
            Event::InvoiceSent { .. } => K::InvoiceSent,
            Event::PaymentMarked { .. } => K::PaymentMarked,
            Event::PaymentConfirmed { .. } => K::PaymentConfirmed,
            Event::ResultsDelivered { .. } => K::ResultsDelivered,
            Event::ResultsAccepted { .. } => K::ResultsAccepted,
            Event::ResultsRejected { .. } => K::ResultsRejected,
            Event::JoinRequestReceived { .. } => K::JoinRequestReceived,
            Event::JoinRequestDecided { .. } => K::JoinRequestDecided,
            Event::CertificateApplicationApproved { .. } => K::CertificateApplicationApproved,
            Event::CertificateApplicationRejected { .. } => K::CertificateApplicationRejected,
            Event::CertificateIssued { .. } => K::CertificateIssued,
            Event::CertificateExpiring { .. } => K::CertificateExpiring,
            Event::EngineerBlocked { .. } => K::EngineerBlocked,
            Event::DealStatusChanged { .. } => K::DealStatusChanged,
        }
    }

    /// The order the event concerns, if any.
    pub fn order(&self) -> Option<&OrderRef> {
        match self {
            Event::ResponseReceived { order, .. }
            | Event::OfferReceived { order, .. }
            | Event::ExecutorSelected { order }
            | Event::OfferAccepted { order, .. }
            | Event::OfferDeclined { order, .. }
            | Event::OrderStatusChanged { order, .. }
            | Event::ContractSentForSignature { order }
            | Event::ContractSigned { order }
            | Event::ContractDeclined { order, .. }
            | Event::ActSentForSignature { order }
            | Event::ActSigned { order, .. }
            | Event::ActDeclined { order, .. }
            | Event::Reminder { order, .. }
            | Event::DeadlineApproaching { order, .. }
            | Event::OrderOverdue { order, .. }
            | Event::InvoiceSent { order, .. }
            | Event::PaymentMarked { order }
            | Event::PaymentConfirmed { order }
            | Event::ResultsDelivered { order }
            | Event::ResultsAccepted { order }
            | Event::ResultsRejected { order, .. } => Some(order),
            _ => None,
        }
    }

    /// The object a notification of this event links to.
    pub fn object(&self) -> (ObjectKind, Uuid) {
        if let Some(order) = self.order() {
            return (ObjectKind::Order, order.id);
        }
        match self {
            Event::JoinRequestReceived { employment_id, .. }
            | Event::JoinRequestDecided { employment_id, .. } => {
                (ObjectKind::Employment, *employment_id)
            }
            Event::CertificateApplicationApproved { application_id }
            | Event::CertificateApplicationRejected { application_id, .. } => {
                (ObjectKind::CertificateApplication, *application_id)
            }
            Event::CertificateIssued { certificate_id, .. }
            | Event::CertificateExpiring { certificate_id, .. } => {
                (ObjectKind::Certificate, *certificate_id)
            }
            Event::EngineerBlocked { user_id } => (ObjectKind::Account, *user_id),
            Event::DealStatusChanged { deal, .. } => (ObjectKind::Deal, deal.id),
            // Order events returned above.
            _ => (ObjectKind::Account, Uuid::nil()),
        }
    }

    /// The JSON kept in the outbox.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Reads the JSON kept in the outbox.
    pub fn from_json(text: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Whether `channel` is on for `kind` when the user has not chosen: in-app
/// always; e-mail for everything that asks the recipient to act or that he
/// must not miss (a plain status change is in-app only); SMS only where a
/// delay costs money or access — being chosen as executor, an offer, a
/// certificate about to expire, a block.
pub fn default_enabled(kind: NotificationKind, channel: NotificationChannel) -> bool {
    use NotificationKind as K;
    match channel {
        NotificationChannel::InApp => true,
        NotificationChannel::Email => !matches!(kind, K::OrderStatusChanged),
        NotificationChannel::Sms => matches!(
            kind,
            K::OfferReceived | K::ExecutorSelected | K::CertificateExpiring | K::EngineerBlocked
        ),
    }
}

/// The parties of an order at a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    /// The customer.
    pub customer: Uuid,
    /// The executor, once assigned.
    pub executor: Option<Uuid>,
    /// The executor's name, for the customer's texts.
    pub executor_name: Option<String>,
    /// Who took the action (`None`: the system); he is not notified.
    pub actor: Option<Uuid>,
}

/// The events an order transition produces, with their recipients. The
/// actor never notifies himself; actions with an event of their own
/// (selection, offers, contract, results, payment) produce that event
/// instead of the generic `order_status_changed`.
pub fn order_transition_events(
    action: OrderAction,
    from: OrderStatus,
    to: OrderStatus,
    order: &OrderRef,
    parties: &Parties,
    comment: Option<&str>,
) -> Vec<(Uuid, Event)> {
    use OrderAction as A;
    let o = || order.clone();
    let customer = Some(parties.customer);
    let executor = parties.executor;
    let name = || parties.executor_name.clone();
    let to_each = |recipients: Vec<Option<Uuid>>, event: Event| -> Vec<(Uuid, Event)> {
        let mut out: Vec<(Uuid, Event)> = Vec::new();
        for r in recipients.into_iter().flatten() {
            if Some(r) != parties.actor && !out.iter().any(|(id, _)| *id == r) {
                out.push((r, event.clone()));
            }
        }
        out
    };
    match action {
        A::Create
        | A::Edit
        | A::Delete
        | A::Publish
        | A::Respond
        | A::Offer
        | A::CreateContract
        | A::CreateAct
        | A::SendInvoice
        | A::Review => Vec::new(),
        A::SelectResponse => to_each(vec![executor], Event::ExecutorSelected { order: o() }),
        A::AcceptOffer => to_each(
            vec![customer],
            Event::OfferAccepted {
                order: o(),
                engineer_name: name(),
            },
        ),
        A::DeclineOffer => to_each(
            vec![customer],
            Event::OfferDeclined {
                order: o(),
                engineer_name: name(),
            },
        ),
        A::ContractSigned => to_each(
            vec![customer, executor],
            Event::ContractSigned { order: o() },
        ),
        A::DeliverResults => to_each(vec![customer], Event::ResultsDelivered { order: o() }),
        A::AcceptResults => to_each(vec![executor], Event::ResultsAccepted { order: o() }),
        A::RejectResults => to_each(
            vec![executor],
            Event::ResultsRejected {
                order: o(),
                reasons: comment.map(str::to_owned),
            },
        ),
        A::ConfirmPayment => to_each(vec![customer], Event::PaymentConfirmed { order: o() }),
        A::ActSigned => to_each(
            vec![customer, executor],
            Event::ActSigned {
                order: o(),
                completed: to == OrderStatus::Completed,
            },
        ),
        A::Cancel | A::ConfirmPrepayment | A::SendRegistrationOutcome | A::Suspend | A::Resume => {
            to_each(
                vec![customer, executor],
                Event::OrderStatusChanged {
                    order: o(),
                    from,
                    to,
                    comment: comment.map(str::to_owned),
                },
            )
        }
    }
}

/// What a [`Event::Reminder`] reminds of: the step that waits for the
/// recipient (docs/reminders.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Sign the contract (either party).
    SignContract,
    /// Sign the act of completed works (either party).
    SignAct,
    /// Pay a sent invoice (customer).
    PayInvoice,
    /// Confirm a paid invoice (engineer).
    ConfirmPayment,
    /// Accept or reject the delivered results (customer).
    AcceptResults,
}

impl Task {
    /// The wire name (as in the event's JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Task::SignContract => "sign_contract",
            Task::SignAct => "sign_act",
            Task::PayInvoice => "pay_invoice",
            Task::ConfirmPayment => "confirm_payment",
            Task::AcceptResults => "accept_results",
        }
    }
}

/// Attempts of one delivery before it is given up (about a day of retries).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 12;

/// How long to wait after the `attempts`-th failed attempt: 30 s doubling
/// up to an hour (30 s, 1 min, 2 min, … 1 h, 1 h, …).
pub fn retry_delay(attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(16);
    let secs = 30u64.saturating_mul(1 << exp);
    Duration::from_secs(secs.min(3600))
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again after this delay.
    RetryAfter(Duration),
    /// Give up: the attempts are spent.
    GiveUp,
}

/// The decision after the `attempts`-th failed attempt.
pub fn after_failure(attempts: u32) -> AfterFailure {
    if attempts >= MAX_DELIVERY_ATTEMPTS {
        AfterFailure::GiveUp
    } else {
        AfterFailure::RetryAfter(retry_delay(attempts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> OrderRef {
        OrderRef {
            id: Uuid::from_u128(1),
            number: 12,
            title: "Межевание".into(),
        }
    }

    fn every_event() -> Vec<Event> {
        let o = order();
        let id = Uuid::from_u128(2);
        let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        vec![
            Event::ResponseReceived {
                order: o.clone(),
                response_id: id,
                engineer_name: Some("Иван".into()),
                price: 15000,
                deadline_days: 20,
            },
            Event::OfferReceived {
                order: o.clone(),
                offer_id: id,
                message: None,
            },
            Event::ExecutorSelected { order: o.clone() },
            Event::OfferAccepted {
                order: o.clone(),
                engineer_name: None,
            },
            Event::OfferDeclined {
                order: o.clone(),
                engineer_name: Some("Иван".into()),
            },
            Event::OrderStatusChanged {
                order: o.clone(),
                from: OrderStatus::ExecutorSelection,
                to: OrderStatus::Cancelled,
                comment: Some("<b>нет</b>".into()),
            },
            Event::ContractSentForSignature { order: o.clone() },
            Event::ContractSigned { order: o.clone() },
            Event::ContractDeclined {
                order: o.clone(),
                reason: "Срок короче".into(),
            },
            Event::ActSentForSignature { order: o.clone() },
            Event::ActSigned {
                order: o.clone(),
                completed: true,
            },
            Event::ActDeclined {
                order: o.clone(),
                reason: "Не тот объём".into(),
            },
            Event::InvoiceSent {
                order: o.clone(),
                amount: Some(5000),
            },
            Event::PaymentMarked { order: o.clone() },
            Event::PaymentConfirmed { order: o.clone() },
            Event::ResultsDelivered { order: o.clone() },
            Event::ResultsAccepted { order: o.clone() },
            Event::ResultsRejected {
                order: o.clone(),
                reasons: Some("нет подписи".into()),
            },
            Event::Reminder {
                order: o.clone(),
                task: Task::SignAct,
                days: 3,
            },
            Event::DeadlineApproaching {
                order: o.clone(),
                due_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
                days_left: 3,
            },
            Event::OrderOverdue {
                order: o,
                due_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
            },
            Event::JoinRequestReceived {
                employment_id: id,
                engineer_name: None,
            },
            Event::JoinRequestDecided {
                employment_id: id,
                employer_name: Some("ООО Кадастр".into()),
                approved: false,
            },
            Event::CertificateApplicationApproved { application_id: id },
            Event::CertificateApplicationRejected {
                application_id: id,
                reasons: vec!["скан нечитаем".into()],
            },
            Event::CertificateIssued {
                certificate_id: id,
                serial: "0A1B".into(),
                not_after: at,
            },
            Event::CertificateExpiring {
                certificate_id: id,
                serial: "0A1B".into(),
                not_after: at,
                days_left: 7,
            },
            Event::EngineerBlocked { user_id: id },
            Event::DealStatusChanged {
                deal: DealRef {
                    id,
                    number: 3,
                    title: "Дарение квартиры".into(),
                },
                from: mezha_api_types::deals::DealStatus::Submitted,
                to: mezha_api_types::deals::DealStatus::FeePayment,
                message: Some("Пакет принят".into()),
            },
        ]
    }

    #[test]
    fn the_catalogue_covers_every_kind_once() {
        let kinds: Vec<NotificationKind> = every_event().iter().map(Event::kind).collect();
        assert_eq!(kinds, NotificationKind::ALL.to_vec());
    }

    #[test]
    fn json_tag_is_the_wire_name_and_round_trips() {
        for event in every_event() {
            let json = event.to_json();
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(value["kind"], event.kind().as_str(), "{json}");
            assert_eq!(Event::from_json(&json).unwrap(), event);
        }
    }

    #[test]
    fn objects_link_to_what_the_event_concerns() {
        for event in every_event() {
            let (kind, id) = event.object();
            assert!(!id.is_nil(), "{event:?}");
            if event.order().is_some() {
                assert_eq!((kind, id), (ObjectKind::Order, Uuid::from_u128(1)));
            } else {
                assert_ne!(kind, ObjectKind::Order);
            }
        }
    }

    #[test]
    fn defaults() {
        for kind in NotificationKind::ALL {
            assert!(default_enabled(*kind, NotificationChannel::InApp));
        }
        use NotificationKind as K;
        assert!(default_enabled(
            K::ResponseReceived,
            NotificationChannel::Email
        ));
        assert!(!default_enabled(
            K::OrderStatusChanged,
            NotificationChannel::Email
        ));
        assert!(!default_enabled(
            K::ResponseReceived,
            NotificationChannel::Sms
        ));
        assert!(default_enabled(
            K::CertificateExpiring,
            NotificationChannel::Sms
        ));
    }

    #[test]
    fn transitions_notify_the_other_party_only() {
        let customer = Uuid::from_u128(10);
        let engineer = Uuid::from_u128(11);
        let parties = |actor| Parties {
            customer,
            executor: Some(engineer),
            executor_name: Some("Иван".into()),
            actor,
        };
        let events = order_transition_events(
            OrderAction::SelectResponse,
            OrderStatus::ExecutorSelection,
            OrderStatus::ContractSigning,
            &order(),
            &parties(Some(customer)),
            None,
        );
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].0, engineer);
        assert_eq!(events[0].1.kind(), NotificationKind::ExecutorSelected);

        let events = order_transition_events(
            OrderAction::Cancel,
            OrderStatus::ContractSigning,
            OrderStatus::Cancelled,
            &order(),
            &parties(Some(customer)),
            Some("передумал"),
        );
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].0, engineer);
        assert_eq!(events[0].1.kind(), NotificationKind::OrderStatusChanged);

        // The system suspends: both parties hear of it.
        let events = order_transition_events(
            OrderAction::Suspend,
            OrderStatus::InProgress,
            OrderStatus::Suspended,
            &order(),
            &parties(None),
            None,
        );
        let recipients: Vec<Uuid> = events.iter().map(|(r, _)| *r).collect();
        assert_eq!(recipients, vec![customer, engineer]);

        // Publication and edits notify nobody.
        assert!(
            order_transition_events(
                OrderAction::Publish,
                OrderStatus::Draft,
                OrderStatus::ExecutorSelection,
                &order(),
                &parties(Some(customer)),
                None,
            )
            .is_empty()
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour_then_gives_up() {
        assert_eq!(retry_delay(1), Duration::from_secs(30));
        assert_eq!(retry_delay(2), Duration::from_secs(60));
        assert_eq!(retry_delay(3), Duration::from_secs(120));
        assert_eq!(retry_delay(8), Duration::from_secs(3600));
        assert_eq!(retry_delay(40), Duration::from_secs(3600));
        assert_eq!(
            after_failure(1),
            AfterFailure::RetryAfter(Duration::from_secs(30))
        );
        assert_eq!(after_failure(MAX_DELIVERY_ATTEMPTS), AfterFailure::GiveUp);
    }
}
