//! The order chat's rules (docs/chat.md): who writes, who reads, who is
//! told of a new message, and what a text message may be.

use crate::error::FieldError;
use mezha_api_types::Role;
use uuid::Uuid;

/// Longest text message, in characters.
pub const TEXT_MAX_CHARS: usize = 4000;

/// The people of an order's chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatParties {
    pub customer: Uuid,
    /// `None` until an executor is chosen: there is no chat before.
    pub executor: Option<Uuid>,
    /// The executor's employer, when he is employed.
    pub executor_employer: Option<Uuid>,
}

/// What the caller may do in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatAccess {
    /// Write and read (the customer and the executor); reading marks read.
    Write,
    /// Read only (the executor's employer, moderators).
    Read,
}

/// Why the caller gets no chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRefusal {
    /// The order has no executor yet: the chat opens with the selection.
    NotOpen,
    /// Not a party of this chat (answered as "not found").
    Hidden,
}

/// The caller's access, acting in `role`.
pub fn access(p: &ChatParties, caller: Uuid, role: Role) -> Result<ChatAccess, ChatRefusal> {
    let Some(executor) = p.executor else {
        return match role {
            Role::Customer if caller == p.customer => Err(ChatRefusal::NotOpen),
            Role::Moderator => Err(ChatRefusal::NotOpen),
            _ => Err(ChatRefusal::Hidden),
        };
    };
    match role {
        Role::Customer if caller == p.customer => Ok(ChatAccess::Write),
        Role::Engineer if caller == executor => Ok(ChatAccess::Write),
        Role::Employer if p.executor_employer == Some(caller) => Ok(ChatAccess::Read),
        Role::Moderator => Ok(ChatAccess::Read),
        _ => Err(ChatRefusal::Hidden),
    }
}

/// Who is told of (and counts) a message by `author`: the other party.
pub fn recipients(p: &ChatParties, author: Uuid) -> Vec<Uuid> {
    [Some(p.customer), p.executor]
        .into_iter()
        .flatten()
        .filter(|u| *u != author)
        .collect()
}

/// Everyone whose open streams show the message live: both parties, the
/// executor's employer.
pub fn audience(p: &ChatParties) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = [Some(p.customer), p.executor, p.executor_employer]
        .into_iter()
        .flatten()
        .collect();
    // The customer may also be the executor's employer.
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

    #[test]
    fn parties_write_employer_and_moderator_read_others_see_nothing() {
        let (customer, executor, employer, stranger) = ids();
        let p = ChatParties {
            customer,
            executor: Some(executor),
            executor_employer: Some(employer),
        };
        assert_eq!(access(&p, customer, Role::Customer), Ok(ChatAccess::Write));
        assert_eq!(access(&p, executor, Role::Engineer), Ok(ChatAccess::Write));
        assert_eq!(access(&p, employer, Role::Employer), Ok(ChatAccess::Read));
        assert_eq!(access(&p, stranger, Role::Moderator), Ok(ChatAccess::Read));
        // The right person in the wrong role, and strangers.
        assert_eq!(
            access(&p, customer, Role::Engineer),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            access(&p, executor, Role::Customer),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            access(&p, stranger, Role::Engineer),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            access(&p, stranger, Role::Employer),
            Err(ChatRefusal::Hidden)
        );
        assert_eq!(
            access(&p, stranger, Role::Customer),
            Err(ChatRefusal::Hidden)
        );
    }

    #[test]
    fn no_chat_before_an_executor() {
        let (customer, _, _, stranger) = ids();
        let p = ChatParties {
            customer,
            executor: None,
            executor_employer: None,
        };
        assert_eq!(
            access(&p, customer, Role::Customer),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            access(&p, stranger, Role::Moderator),
            Err(ChatRefusal::NotOpen)
        );
        assert_eq!(
            access(&p, stranger, Role::Engineer),
            Err(ChatRefusal::Hidden)
        );
    }

    #[test]
    fn the_other_party_is_told() {
        let (customer, executor, employer, _) = ids();
        let p = ChatParties {
            customer,
            executor: Some(executor),
            executor_employer: Some(employer),
        };
        assert_eq!(recipients(&p, customer), vec![executor]);
        assert_eq!(recipients(&p, executor), vec![customer]);
        assert_eq!(audience(&p), vec![customer, executor, employer]);
        // An employer who orders from his own engineer is there once.
        let own = ChatParties {
            customer: employer,
            executor: Some(executor),
            executor_employer: Some(employer),
        };
        assert_eq!(audience(&own), vec![executor, employer]);
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
