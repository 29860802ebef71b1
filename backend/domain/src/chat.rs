//! The order chat's rules (docs/chat.md): which conversation a caller
//! means, who writes, who reads, who is told of a new message, and what a
//! text message may be.
//!
//! An order's chat is a set of threads, one per engineer, each between the
//! customer and that engineer: the executor's, once one is chosen, and,
//! while the order looks for its executor, one with every engineer it is
//! offered to (they talk before he accepts). A thread whose offer was
//! declined or closed, and whose engineer is not the executor, is closed:
//! its people still read it, nobody writes.

use crate::error::FieldError;
use mezha_api_types::Role;
use uuid::Uuid;

/// Longest text message, in characters.
pub const TEXT_MAX_CHARS: usize = 4000;

/// Where a thread is: executor's, offered, closed (the wire's own enum).
pub use mezha_api_types::chat::ChatStage as Stage;

/// The thread's stage from what is known of the order: the engineer is its
/// executor, has a pending offer, or had an offer (`None`: he has no
/// thread).
pub fn stage_of(executor: bool, pending_offer: bool, any_offer: bool) -> Option<Stage> {
    if executor {
        Some(Stage::Executor)
    } else if pending_offer {
        Some(Stage::Offered)
    } else if any_offer {
        Some(Stage::Closed)
    } else {
        None
    }
}

/// The people of one thread of an order's chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatParties {
    pub customer: Uuid,
    /// The thread's engineer.
    pub engineer: Uuid,
    /// The engineer's employer, when he is employed.
    pub engineer_employer: Option<Uuid>,
    /// `None`: the engineer has no thread (no offer, not the executor).
    pub stage: Option<Stage>,
}

/// What the caller may do in a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatAccess {
    /// Write and read (the customer and the engineer of an open thread);
    /// reading marks read.
    Write,
    /// Read, as one of its two people, a closed thread; reading marks read.
    Closed,
    /// Read only (the engineer's employer, moderators).
    Read,
}

impl ChatAccess {
    /// The customer or the engineer: his reading marks the thread read.
    pub fn is_party(self) -> bool {
        matches!(self, ChatAccess::Write | ChatAccess::Closed)
    }
}

/// Why the caller gets no chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRefusal {
    /// No thread yet: it opens with an offer or the executor's selection.
    NotOpen,
    /// Not a person of this thread (answered as "not found").
    Hidden,
}

/// The engineer whose thread the caller means: an engineer always means
/// his own (naming another is `Hidden`); the others name one
/// (`requested`), or mean the executor's. `Err` when there is none to mean.
pub fn thread_engineer(
    caller: Uuid,
    role: Role,
    customer: Uuid,
    requested: Option<Uuid>,
    executor: Option<Uuid>,
) -> Result<Uuid, ChatRefusal> {
    if role == Role::Engineer {
        return match requested {
            Some(other) if other != caller => Err(ChatRefusal::Hidden),
            _ => Ok(caller),
        };
    }
    requested.or(executor).ok_or(match role {
        Role::Customer if caller == customer => ChatRefusal::NotOpen,
        Role::Moderator => ChatRefusal::NotOpen,
        _ => ChatRefusal::Hidden,
    })
}

/// The caller's access to a thread, acting in `role`.
pub fn access(p: &ChatParties, caller: Uuid, role: Role) -> Result<ChatAccess, ChatRefusal> {
    #[derive(Clone, Copy)]
    enum Who {
        Party,
        Reader,
    }
    let who = match role {
        Role::Customer if caller == p.customer => Who::Party,
        Role::Engineer if caller == p.engineer => Who::Party,
        Role::Employer if p.engineer_employer == Some(caller) => Who::Reader,
        Role::Moderator => Who::Reader,
        _ => return Err(ChatRefusal::Hidden),
    };
    match (p.stage, who, role) {
        // The customer and moderators learn there is no thread yet; an
        // engineer without an offer, or his employer, learn nothing.
        (None, _, Role::Customer | Role::Moderator) => Err(ChatRefusal::NotOpen),
        (None, _, _) => Err(ChatRefusal::Hidden),
        (Some(Stage::Executor | Stage::Offered), Who::Party, _) => Ok(ChatAccess::Write),
        (Some(Stage::Closed), Who::Party, _) => Ok(ChatAccess::Closed),
        (Some(_), Who::Reader, _) => Ok(ChatAccess::Read),
    }
}

/// Who is told of (and counts) a message by `author`: the other person.
pub fn recipients(p: &ChatParties, author: Uuid) -> Vec<Uuid> {
    [p.customer, p.engineer]
        .into_iter()
        .filter(|u| *u != author)
        .collect()
}

/// Everyone whose open streams show the message live: both people, the
/// engineer's employer.
pub fn audience(p: &ChatParties) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = [Some(p.customer), Some(p.engineer), p.engineer_employer]
        .into_iter()
        .flatten()
        .collect();
    // The customer may also be the engineer's employer.
    out.sort_unstable();
    out.dedup();
    out
}

/// A text message as kept: trimmed, 1 to [`TEXT_MAX_CHARS`] characters.
pub fn text(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new("required", "write a message"));
    }
    if t.chars().count() > TEXT_MAX_CHARS {
        return Err(FieldError::new(
            "too_long",
            format!("a message has at most {TEXT_MAX_CHARS} characters"),
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (Uuid, Uuid, Uuid, Uuid) {
        (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        )
    }

    fn thread(stage: Option<Stage>) -> ChatParties {
        let (customer, engineer, employer, _) = ids();
        ChatParties {
            customer,
            engineer,
            engineer_employer: Some(employer),
            stage,
        }
    }

    #[test]
    fn stages_follow_the_engineer_and_his_offers() {
        assert_eq!(stage_of(true, false, true), Some(Stage::Executor));
        assert_eq!(stage_of(false, true, true), Some(Stage::Offered));
        assert_eq!(stage_of(false, false, true), Some(Stage::Closed));
        assert_eq!(stage_of(false, false, false), None);
    }

    #[test]
    fn open_threads_people_write_employer_and_moderator_read_others_see_nothing() {
        let (customer, engineer, employer, stranger) = ids();
        for stage in [Stage::Executor, Stage::Offered] {
            let p = thread(Some(stage));
            assert_eq!(access(&p, customer, Role::Customer), Ok(ChatAccess::Write));
            assert_eq!(access(&p, engineer, Role::Engineer), Ok(ChatAccess::Write));
            assert_eq!(access(&p, employer, Role::Employer), Ok(ChatAccess::Read));
            assert_eq!(access(&p, stranger, Role::Moderator), Ok(ChatAccess::Read));
            // The right person in the wrong role, and strangers.
            for (who, role) in [
                (customer, Role::Engineer),
                (engineer, Role::Customer),
                (stranger, Role::Customer),
                (stranger, Role::Engineer),
                (stranger, Role::Employer),
            ] {
                assert_eq!(access(&p, who, role), Err(ChatRefusal::Hidden), "{stage:?}");
            }
        }
    }

    #[test]
    fn a_closed_thread_is_read_by_its_people_and_written_by_nobody() {
        let (customer, engineer, employer, stranger) = ids();
        let p = thread(Some(Stage::Closed));
        assert_eq!(access(&p, customer, Role::Customer), Ok(ChatAccess::Closed));
        assert_eq!(access(&p, engineer, Role::Engineer), Ok(ChatAccess::Closed));
        assert_eq!(access(&p, employer, Role::Employer), Ok(ChatAccess::Read));
        assert_eq!(access(&p, stranger, Role::Moderator), Ok(ChatAccess::Read));
        assert!(ChatAccess::Closed.is_party() && ChatAccess::Write.is_party());
        assert!(!ChatAccess::Read.is_party());
    }

    #[test]
    fn no_thread_before_an_offer_or_an_executor() {
        let (customer, engineer, employer, stranger) = ids();
        let p = thread(None);
        assert_eq!(
            access(&p, customer, Role::Customer),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            access(&p, stranger, Role::Moderator),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            access(&p, engineer, Role::Engineer),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            access(&p, employer, Role::Employer),
            Err(ChatRefusal::Hidden)
        );
    }

    #[test]
    fn an_engineer_means_his_own_thread_others_name_one_or_mean_the_executor() {
        let (customer, engineer, other, stranger) = ids();
        let mean = |caller, role, requested, executor| {
            thread_engineer(caller, role, customer, requested, executor)
        };
        assert_eq!(mean(engineer, Role::Engineer, None, None), Ok(engineer));
        assert_eq!(
            mean(engineer, Role::Engineer, Some(engineer), Some(other)),
            Ok(engineer)
        );
        assert_eq!(
            mean(engineer, Role::Engineer, Some(other), None),
            Err(ChatRefusal::Hidden)
        );
        for role in [Role::Customer, Role::Employer, Role::Moderator] {
            assert_eq!(mean(customer, role, Some(other), Some(engineer)), Ok(other));
            assert_eq!(mean(customer, role, None, Some(engineer)), Ok(engineer));
        }
        // Nobody to mean: the customer and moderators learn there is no chat yet.
        assert_eq!(
            mean(customer, Role::Customer, None, None),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            mean(stranger, Role::Moderator, None, None),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            mean(stranger, Role::Customer, None, None),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            mean(stranger, Role::Employer, None, None),
            Err(ChatRefusal::Hidden)
        );
    }

    #[test]
    fn the_other_person_is_told() {
        let (customer, engineer, employer, _) = ids();
        let p = thread(Some(Stage::Offered));
        assert_eq!(recipients(&p, customer), vec![engineer]);
        assert_eq!(recipients(&p, engineer), vec![customer]);
        assert_eq!(audience(&p), vec![customer, engineer, employer]);
        // An employer who orders from his own engineer is there once.
        let own = ChatParties {
            customer: employer,
            ..p
        };
        assert_eq!(audience(&own), vec![engineer, employer]);
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("  привет \n").unwrap(), "привет");
        assert_eq!(text(" \n\t ").unwrap_err().code, "required");
        assert!(text(&"я".repeat(TEXT_MAX_CHARS)).is_ok());
        assert_eq!(
            text(&"я".repeat(TEXT_MAX_CHARS + 1)).unwrap_err().code,
            "too_long"
        );
    }
}
