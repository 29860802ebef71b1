//! Contract versions of an order (docs/contracts.md): the terms a template
//! version is rendered from, and the life of one version.
//!
//! ```text
//! awaiting_engineer ─engineer signs─> awaiting_customer ─customer signs─> signed
//! awaiting_customer ─customer declines with a reason─> declined
//! awaiting_engineer | awaiting_customer ─new version, order edited or cancelled─> voided
//! ```
//!
//! A version is signed when both parties' signatures of its exact bytes are
//! present; then the order moves on (`contract_signed`). Signed, declined
//! and voided versions never change again.

use crate::money::Kopecks;
use crate::{Email, FieldError, FieldProblems, Phone};
use chrono::NaiveDate;
use mezha_api_types::contracts::{ContractAction, ContractParty, ContractStatus, ContractTerms};

/// The two-party signed documents of an order (docs/contracts.md,
/// docs/acts.md): versions of either kind live the same life (the machine
/// below), each numbered within its order and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// The contract.
    Contract,
    /// The act of completed works.
    Act,
}

impl DocumentKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Contract => "contract",
            DocumentKind::Act => "act",
        }
    }

    /// The kind stored as `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [DocumentKind::Contract, DocumentKind::Act]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// What the terms are checked against: the order and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermsContext {
    /// Whether the order requires a prepayment: the advance must then be
    /// above zero, and zero otherwise.
    pub prepayment_required: bool,
    /// Today (Moscow time): the deadline may not be earlier.
    pub today: NaiveDate,
}

/// The amounts of valid terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    /// The price.
    pub price: Kopecks,
    /// The advance.
    pub advance: Kopecks,
    /// The remainder.
    pub remainder: Kopecks,
}

fn amount(
    problems: &mut FieldProblems,
    field: &'static str,
    kopecks: i64,
    positive: bool,
) -> Option<Kopecks> {
    match Kopecks::new(kopecks) {
        Some(k) if !positive || k > Kopecks::ZERO => Some(k),
        _ => {
            let message = format!(
                "give a whole number of kopecks from {} to {}",
                u8::from(positive),
                Kopecks::MAX.get()
            );
            problems.push((field, FieldError::new("amount_out_of_range", message)));
            None
        }
    }
}

/// Checks the terms of a template contract: every amount is in range, the
/// advance is `advance_percent` of the price (rounded half up to the
/// kopeck), advance + remainder = price, an advance exactly when the order
/// requires a prepayment, a deadline not in the past, a well-formed e-mail
/// and phone when given. Every problem is reported, each beside its field.
pub fn check_terms(terms: &ContractTerms, ctx: &TermsContext) -> Result<Amounts, FieldProblems> {
    let mut problems = FieldProblems::new();
    let price = amount(&mut problems, "price_kopecks", terms.price_kopecks, true);
    let advance = amount(
        &mut problems,
        "advance_kopecks",
        terms.advance_kopecks,
        false,
    );
    let remainder = amount(
        &mut problems,
        "remainder_kopecks",
        terms.remainder_kopecks,
        false,
    );
    if terms.advance_percent > 100 {
        problems.push((
            "advance_percent",
            FieldError::new("percent_out_of_range", "give a percent from 0 to 100"),
        ));
    } else if ctx.prepayment_required && terms.advance_percent == 0 {
        problems.push((
            "advance_percent",
            FieldError::new(
                "advance_required",
                "the order requires a prepayment: give the advance percent",
            ),
        ));
    } else if !ctx.prepayment_required && terms.advance_percent != 0 {
        problems.push((
            "advance_percent",
            FieldError::new(
                "advance_not_agreed",
                "the order has no prepayment: the advance must be 0",
            ),
        ));
    }
    if let (Some(price), Some(advance)) = (price, advance)
        && terms.advance_percent <= 100
        && price.percent(terms.advance_percent) != advance
    {
        problems.push((
            "advance_kopecks",
            FieldError::new(
                "advance_mismatch",
                format!(
                    "{}% of the price is {} kopecks",
                    terms.advance_percent,
                    price.percent(terms.advance_percent).get()
                ),
            ),
        ));
    }
    if let (Some(price), Some(advance), Some(remainder)) = (price, advance, remainder)
        && advance.checked_add(remainder) != Some(price)
    {
        problems.push((
            "remainder_kopecks",
            FieldError::new(
                "amounts_do_not_add_up",
                "the advance and the remainder must add up to the price",
            ),
        ));
    }
    if terms.deadline < ctx.today {
        problems.push((
            "deadline",
            FieldError::new("deadline_in_past", "the deadline may not be in the past"),
        ));
    }
    if let Some(email) = terms.email.as_deref()
        && let Err(e) = Email::parse(email)
    {
        problems.push(("email", e));
    }
    if let Some(phone) = terms.phone.as_deref()
        && let Err(e) = Phone::parse(phone)
    {
        problems.push(("phone", e));
    }
    for (field, text) in [
        ("signatory_name", &terms.signatory_name),
        ("acting_on_basis", &terms.acting_on_basis),
        ("object_characteristics", &terms.object_characteristics),
    ] {
        if text.trim().is_empty() {
            problems.push((field, FieldError::new("required", "fill this in")));
        }
    }
    match (price, advance, remainder) {
        (Some(price), Some(advance), Some(remainder)) if problems.is_empty() => Ok(Amounts {
            price,
            advance,
            remainder,
        }),
        _ => Err(problems),
    }
}

/// Something that happens to a contract version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A party's valid signature of the version's bytes.
    Signed(ContractParty),
    /// The customer declines to sign.
    Declined,
    /// A newer version was made, or the order was edited or cancelled.
    Voided,
}

/// The event is not possible in the version's status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{event:?} is not possible while the contract is `{status}`")]
pub struct IllegalContractStep {
    /// The version's status.
    pub status: ContractStatus,
    /// The event asked for.
    pub event: Event,
}

/// The status a version moves to on `event`.
pub fn apply(status: ContractStatus, event: Event) -> Result<ContractStatus, IllegalContractStep> {
    use ContractParty as P;
    use ContractStatus as S;
    match (status, event) {
        (S::AwaitingEngineer, Event::Signed(P::Engineer)) => Ok(S::AwaitingCustomer),
        (S::AwaitingCustomer, Event::Signed(P::Customer)) => Ok(S::Signed),
        (S::AwaitingCustomer, Event::Declined) => Ok(S::Declined),
        (S::AwaitingEngineer | S::AwaitingCustomer, Event::Voided) => Ok(S::Voided),
        _ => Err(IllegalContractStep { status, event }),
    }
}

/// Whether the version may still change (neither signed, declined nor
/// voided): the versions voided by a new version or an order edit.
pub fn is_open(status: ContractStatus) -> bool {
    matches!(
        status,
        ContractStatus::AwaitingEngineer | ContractStatus::AwaitingCustomer
    )
}

/// What `party` may do with a version in `status` now (`None`: he is no
/// party to the order, and may only read).
pub fn allowed_actions(
    status: ContractStatus,
    party: Option<ContractParty>,
) -> Vec<ContractAction> {
    let Some(party) = party else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    if apply(status, Event::Signed(party)).is_ok() {
        actions.push(ContractAction::Sign);
    }
    if party == ContractParty::Customer && apply(status, Event::Declined).is_ok() {
        actions.push(ContractAction::Decline);
    }
    actions
}

#[cfg(test)]
// Amounts read as roubles_kopecks: 25_000_00 is 25 000 roubles.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;
    use ContractParty as P;
    use ContractStatus as S;
    use mezha_api_types::contracts::Signatory;

    /// Every status × event: the status it leads to, or refused.
    #[test]
    fn the_machine_as_a_table() {
        let events = [
            Event::Signed(P::Engineer),
            Event::Signed(P::Customer),
            Event::Declined,
            Event::Voided,
        ];
        let table: [(S, [Option<S>; 4]); 5] = [
            (
                S::AwaitingEngineer,
                [Some(S::AwaitingCustomer), None, None, Some(S::Voided)],
            ),
            (
                S::AwaitingCustomer,
                [None, Some(S::Signed), Some(S::Declined), Some(S::Voided)],
            ),
            (S::Signed, [None; 4]),
            (S::Declined, [None; 4]),
            (S::Voided, [None; 4]),
        ];
        assert_eq!(table.len(), S::ALL.len());
        for (status, outcomes) in table {
            for (event, outcome) in events.iter().zip(outcomes) {
                assert_eq!(apply(status, *event).ok(), outcome, "{status} {event:?}");
            }
        }
    }

    #[test]
    fn actions_follow_the_turn() {
        use ContractAction as A;
        let cases = [
            (S::AwaitingEngineer, Some(P::Engineer), vec![A::Sign]),
            (S::AwaitingEngineer, Some(P::Customer), vec![]),
            (S::AwaitingCustomer, Some(P::Engineer), vec![]),
            (
                S::AwaitingCustomer,
                Some(P::Customer),
                vec![A::Sign, A::Decline],
            ),
            (S::AwaitingCustomer, None, vec![]),
            (S::Signed, Some(P::Customer), vec![]),
            (S::Declined, Some(P::Engineer), vec![]),
            (S::Voided, Some(P::Customer), vec![]),
        ];
        for (status, party, want) in cases {
            assert_eq!(allowed_actions(status, party), want, "{status} {party:?}");
        }
        assert!(is_open(S::AwaitingCustomer) && !is_open(S::Signed));
    }

    fn terms() -> ContractTerms {
        ContractTerms {
            signatory: Signatory::Executor,
            signatory_name: "Иванов Иван Иванович".into(),
            acting_on_basis: "квалификационного аттестата".into(),
            object_characteristics: "Участок 50:20:0010203:45".into(),
            email: Some("ivanov@example.ru".into()),
            phone: Some("+79001234567".into()),
            deadline: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
            price_kopecks: 25_000_00,
            advance_percent: 30,
            advance_kopecks: 7_500_00,
            remainder_kopecks: 17_500_00,
            extra_file_id: None,
        }
    }

    fn ctx(prepayment_required: bool) -> TermsContext {
        TermsContext {
            prepayment_required,
            today: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        }
    }

    fn codes(terms: &ContractTerms, prepayment: bool) -> Vec<(&'static str, &'static str)> {
        match check_terms(terms, &ctx(prepayment)) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(|(f, e)| (f, e.code)).collect(),
        }
    }

    #[test]
    fn consistent_terms_pass_with_their_amounts() {
        let amounts = check_terms(&terms(), &ctx(true)).unwrap();
        assert_eq!(amounts.price.get(), 25_000_00);
        assert_eq!(amounts.advance.get(), 7_500_00);
        let mut none = terms();
        none.advance_percent = 0;
        none.advance_kopecks = 0;
        none.remainder_kopecks = 25_000_00;
        assert_eq!(codes(&none, false), vec![]);
    }

    #[test]
    fn each_inconsistency_is_reported_beside_its_field() {
        type Edit = fn(&mut ContractTerms);
        type Want = Vec<(&'static str, &'static str)>;
        let cases: [(Edit, bool, Want); 11] = [
            (
                |t| t.remainder_kopecks += 1,
                true,
                vec![("remainder_kopecks", "amounts_do_not_add_up")],
            ),
            (
                |t| {
                    t.advance_kopecks += 1;
                    t.remainder_kopecks -= 1;
                },
                true,
                vec![("advance_kopecks", "advance_mismatch")],
            ),
            (
                |t| t.price_kopecks = 0,
                true,
                vec![("price_kopecks", "amount_out_of_range")],
            ),
            (
                |t| t.advance_kopecks = -1,
                true,
                vec![("advance_kopecks", "amount_out_of_range")],
            ),
            (
                |t| t.price_kopecks = Kopecks::MAX.get() + 1,
                true,
                vec![("price_kopecks", "amount_out_of_range")],
            ),
            (
                |t| t.advance_percent = 101,
                true,
                vec![("advance_percent", "percent_out_of_range")],
            ),
            (
                |_| {},
                false,
                vec![("advance_percent", "advance_not_agreed")],
            ),
            (
                |t| {
                    t.advance_percent = 0;
                    t.advance_kopecks = 0;
                    t.remainder_kopecks = t.price_kopecks;
                },
                true,
                vec![("advance_percent", "advance_required")],
            ),
            (
                |t| t.deadline = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
                true,
                vec![("deadline", "deadline_in_past")],
            ),
            (
                |t| t.email = Some("not-an-email".into()),
                true,
                vec![("email", "invalid_email")],
            ),
            (
                |t| t.signatory_name = "  ".into(),
                true,
                vec![("signatory_name", "required")],
            ),
        ];
        for (edit, prepayment, want) in cases {
            let mut t = terms();
            edit(&mut t);
            assert_eq!(codes(&t, prepayment), want, "{t:?}");
        }
    }

    #[test]
    fn the_deadline_may_be_today() {
        let mut t = terms();
        t.deadline = ctx(true).today;
        assert_eq!(codes(&t, true), vec![]);
    }
}
