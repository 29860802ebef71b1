//! Organisations (docs/organisations.md): the legal entity's requisites,
//! the platform offer its head signs to confirm it, who may do what in it
//! ([`authorize`]), where a membership may go ([`member_transition`]) and
//! when an invitation link works. Pure: no I/O, the caller passes the time.
//!
//! ```text
//! (head registers) ──> unconfirmed ─head signs the offer─> confirmed
//! (invitation accepted) ──> pending ─activate─> active ─deactivate─> deactivated
//! pending ─deactivate─> deactivated ─activate─> active
//! ```

pub mod offer;

use crate::error::{FieldError, FieldProblems};
use crate::inn::{Inn, InnKind};
use crate::ogrn::Ogrn;
use crate::requisites::Kpp;
use chrono::{DateTime, Duration, Utc};
pub use mezha_api_types::organisations::{
    InvitationStatus, MemberAction, MemberRole, MemberStatus, OrgRight, OrganisationAction,
    OrganisationStatus,
};

/// How long an invitation link works.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// A legal entity's requisites, each checked: the INN is a legal entity's
/// with its check digit, the OGRN a legal entity's with its check digit,
/// the KPP well formed, the names and the address not blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requisites {
    /// Full name, inner whitespace collapsed.
    pub full_name: String,
    /// Short name.
    pub short_name: String,
    /// INN (10 digits).
    pub inn: Inn,
    /// KPP.
    pub kpp: Kpp,
    /// OGRN (13 digits).
    pub ogrn: Ogrn,
    /// Legal address.
    pub address: String,
    /// The head's full name.
    pub head_name: String,
    /// The head's position.
    pub head_position: String,
}

/// The requisites as given, unchecked.
#[derive(Debug, Clone, Copy)]
pub struct RawRequisites<'a> {
    pub full_name: &'a str,
    pub short_name: &'a str,
    pub inn: &'a str,
    pub kpp: &'a str,
    pub ogrn: &'a str,
    pub address: &'a str,
    pub head_name: &'a str,
    pub head_position: &'a str,
}

fn collapsed(input: &str) -> Result<String, FieldError> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::new("required", "This field is required."));
    }
    Ok(text)
}

impl Requisites {
    /// Checks every field and names each bad one: `required` for a blank
    /// text, `inn_format`/`inn_checksum`/`inn_not_legal_entity`,
    /// `kpp_format`, `ogrn_format`/`ogrn_checksum`/`ogrn_inn_mismatch`.
    pub fn parse(raw: RawRequisites<'_>) -> Result<Self, FieldProblems> {
        let mut problems: FieldProblems = Vec::new();
        let mut text = |field: &'static str, value: &str| {
            collapsed(value)
                .map_err(|e| problems.push((field, e)))
                .unwrap_or_default()
        };
        let full_name = text("full_name", raw.full_name);
        let short_name = text("short_name", raw.short_name);
        let address = text("address", raw.address);
        let head_name = text("head_name", raw.head_name);
        let head_position = text("head_position", raw.head_position);
        let inn = Inn::parse(raw.inn).and_then(|inn| match inn.kind() {
            InnKind::LegalEntity => Ok(inn),
            InnKind::Person => Err(FieldError::new(
                "inn_not_legal_entity",
                "An organisation is a legal entity: give its 10-digit INN.",
            )),
        });
        let kpp = Kpp::parse(raw.kpp);
        let ogrn = Ogrn::parse_for(raw.ogrn, InnKind::LegalEntity);
        match (inn, kpp, ogrn) {
            (Ok(inn), Ok(kpp), Ok(ogrn)) if problems.is_empty() => Ok(Requisites {
                full_name,
                short_name,
                inn,
                kpp,
                ogrn,
                address,
                head_name,
                head_position,
            }),
            (inn, kpp, ogrn) => {
                for (field, result) in
                    [("inn", inn.err()), ("kpp", kpp.err()), ("ogrn", ogrn.err())]
                {
                    if let Some(e) = result {
                        problems.push((field, e));
                    }
                }
                Err(problems)
            }
        }
    }
}

/// A member's place, status and rights, as the rules need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// Admin or employee.
    pub role: MemberRole,
    /// Where it stands.
    pub status: MemberStatus,
    /// Rights granted (the admin's are implied: every right).
    pub rights: Vec<OrgRight>,
}

impl Membership {
    /// Whether he holds `right` (the admin holds every right).
    pub fn holds(&self, right: OrgRight) -> bool {
        self.role == MemberRole::Admin || self.rights.contains(&right)
    }

    /// The rights he holds, in [`OrgRight::ALL`] order.
    pub fn effective_rights(&self) -> Vec<OrgRight> {
        OrgRight::ALL
            .iter()
            .copied()
            .filter(|r| self.holds(*r))
            .collect()
    }
}

/// Something done in an organisation that the rules decide on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the organisation, its offer.
    View,
    /// Sign the platform offer.
    SignOffer,
    /// Invite, activate, deactivate, set rights.
    ManageMembers,
    /// Change the settings.
    EditSettings,
    /// Read the audit log.
    ViewAudit,
    /// Something that needs one of the granted rights.
    Right(OrgRight),
}

/// Why the rules refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The caller is no member: the organisation is not his to see (404).
    NotMember,
    /// The organisation is not confirmed yet: only the offer may be
    /// signed (409).
    Unconfirmed,
    /// Already confirmed: the offer was signed (409).
    AlreadyConfirmed,
    /// The caller's membership is not active (403).
    Inactive,
    /// Only the admin may (403).
    AdminOnly,
    /// The caller lacks this right (403).
    MissingRight(OrgRight),
}

/// Whether `member` (`None`: not a member) may do `what` in an organisation
/// of `status`. Decided on every request from the stored membership, so a
/// change of rights or a deactivation takes effect at once.
pub fn authorize(
    status: OrganisationStatus,
    member: Option<&Membership>,
    what: Permission,
) -> Result<(), Denied> {
    let member = member.ok_or(Denied::NotMember)?;
    if member.status != MemberStatus::Active {
        // A pending or deactivated member sees nothing of it.
        return Err(Denied::Inactive);
    }
    let admin = member.role == MemberRole::Admin;
    match what {
        Permission::View => Ok(()),
        Permission::SignOffer => match (status, admin) {
            (OrganisationStatus::Confirmed, _) => Err(Denied::AlreadyConfirmed),
            (OrganisationStatus::Unconfirmed, true) => Ok(()),
            (OrganisationStatus::Unconfirmed, false) => Err(Denied::AdminOnly),
        },
        _ if status == OrganisationStatus::Unconfirmed => Err(Denied::Unconfirmed),
        Permission::ManageMembers | Permission::EditSettings | Permission::ViewAudit => {
            if admin {
                Ok(())
            } else {
                Err(Denied::AdminOnly)
            }
        }
        Permission::Right(right) => {
            if member.holds(right) {
                Ok(())
            } else {
                Err(Denied::MissingRight(right))
            }
        }
    }
}

/// What `member` may do with an organisation of `status` now.
pub fn organisation_actions(
    status: OrganisationStatus,
    member: &Membership,
) -> Vec<OrganisationAction> {
    let may = |p| authorize(status, Some(member), p).is_ok();
    let mut actions = Vec::new();
    if may(Permission::SignOffer) {
        actions.push(OrganisationAction::SignOffer);
    }
    if may(Permission::ManageMembers) {
        actions.push(OrganisationAction::Invite);
        actions.push(OrganisationAction::ManageMembers);
    }
    if may(Permission::EditSettings) {
        actions.push(OrganisationAction::EditSettings);
    }
    if may(Permission::ViewAudit) {
        actions.push(OrganisationAction::ViewAudit);
    }
    if may(Permission::Right(OrgRight::ManageClients)) {
        actions.push(OrganisationAction::ManageClients);
    }
    actions
}

/// Where `action` takes a membership of `status`, or `None` when it may
/// not be taken from there. The admin's own membership is never the
/// subject of an action ([`member_actions`]).
pub fn member_transition(status: MemberStatus, action: MemberAction) -> Option<MemberStatus> {
    match (action, status) {
        (MemberAction::Activate, MemberStatus::Pending | MemberStatus::Deactivated) => {
            Some(MemberStatus::Active)
        }
        (MemberAction::Deactivate, MemberStatus::Pending | MemberStatus::Active) => {
            Some(MemberStatus::Deactivated)
        }
        // Rights may be prepared before activation and kept while deactivated.
        (MemberAction::SetRights, s) => Some(s),
        _ => None,
    }
}

/// What the admin may do with `target` now: nothing with the admin
/// himself; otherwise every action [`member_transition`] allows.
pub fn member_actions(target: &Membership) -> Vec<MemberAction> {
    if target.role == MemberRole::Admin {
        return Vec::new();
    }
    MemberAction::ALL
        .iter()
        .copied()
        .filter(|a| member_transition(target.status, *a).is_some())
        .collect()
}

/// Rights as given, each at most once, in [`OrgRight::ALL`] order.
pub fn normalised_rights(rights: &[OrgRight]) -> Vec<OrgRight> {
    OrgRight::ALL
        .iter()
        .copied()
        .filter(|r| rights.contains(r))
        .collect()
}

/// Where an invitation stands at `now`.
pub fn invitation_status(
    accepted_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> InvitationStatus {
    match accepted_at {
        Some(_) => InvitationStatus::Accepted,
        None if now >= expires_at => InvitationStatus::Expired,
        None => InvitationStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawRequisites<'static> {
        RawRequisites {
            full_name: "Общество с ограниченной ответственностью «Квартал»",
            short_name: "ООО  «Квартал»",
            inn: "7707083893",
            kpp: "770701001",
            ogrn: "1027700132195",
            address: "г. Москва, ул. Тверская, д. 1",
            head_name: "Сидоров Алексей Петрович",
            head_position: "Генеральный директор",
        }
    }

    #[test]
    fn good_requisites_parse_and_collapse_spaces() {
        let r = Requisites::parse(raw()).unwrap();
        assert_eq!(r.short_name, "ООО «Квартал»");
        assert_eq!(r.inn.as_str(), "7707083893");
        assert_eq!(r.ogrn.as_str(), "1027700132195");
    }

    #[test]
    fn every_bad_field_is_named() {
        let cases: [(&str, RawRequisites<'static>, &str); 7] = [
            (
                "inn",
                RawRequisites {
                    inn: "7707083890",
                    ..raw()
                },
                "inn_checksum",
            ),
            (
                "inn",
                RawRequisites {
                    inn: "500100732259",
                    ..raw()
                },
                "inn_not_legal_entity",
            ),
            (
                "inn",
                RawRequisites {
                    inn: "77070838",
                    ..raw()
                },
                "inn_format",
            ),
            (
                "kpp",
                RawRequisites {
                    kpp: "77070100",
                    ..raw()
                },
                "kpp_format",
            ),
            (
                "ogrn",
                RawRequisites {
                    ogrn: "1027700132196",
                    ..raw()
                },
                "ogrn_checksum",
            ),
            (
                "ogrn",
                RawRequisites {
                    ogrn: "304500116000157",
                    ..raw()
                },
                "ogrn_inn_mismatch",
            ),
            (
                "short_name",
                RawRequisites {
                    short_name: "  ",
                    ..raw()
                },
                "required",
            ),
        ];
        for (field, input, code) in cases {
            let problems = Requisites::parse(input).unwrap_err();
            assert_eq!(problems.len(), 1, "{field}: {problems:?}");
            assert_eq!(problems[0].0, field);
            assert_eq!(problems[0].1.code, code, "{field}");
        }
    }

    #[test]
    fn several_bad_fields_are_named_together() {
        let problems = Requisites::parse(RawRequisites {
            inn: "1",
            kpp: "",
            head_name: "",
            ..raw()
        })
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["head_name", "inn", "kpp"]);
    }

    fn member(role: MemberRole, status: MemberStatus, rights: &[OrgRight]) -> Membership {
        Membership {
            role,
            status,
            rights: rights.to_vec(),
        }
    }

    use MemberRole::{Admin, Employee};
    use MemberStatus::{Active, Deactivated, Pending};
    use OrganisationStatus::{Confirmed, Unconfirmed};

    #[test]
    fn authorize_over_every_case() {
        let clients = Permission::Right(OrgRight::ManageClients);
        let admin = member(Admin, Active, &[]);
        let clerk = member(Employee, Active, &[OrgRight::ManageClients]);
        let bare = member(Employee, Active, &[]);
        let pending = member(Employee, Pending, &[OrgRight::ManageClients]);
        let gone = member(Employee, Deactivated, &[OrgRight::ManageClients]);
        type Case<'a> = (
            OrganisationStatus,
            Option<&'a Membership>,
            Permission,
            Result<(), Denied>,
        );
        let table: Vec<Case<'_>> = vec![
            (Confirmed, None, Permission::View, Err(Denied::NotMember)),
            (Confirmed, None, clients, Err(Denied::NotMember)),
            (Unconfirmed, Some(&admin), Permission::View, Ok(())),
            (Unconfirmed, Some(&admin), Permission::SignOffer, Ok(())),
            (
                Confirmed,
                Some(&admin),
                Permission::SignOffer,
                Err(Denied::AlreadyConfirmed),
            ),
            (
                Unconfirmed,
                Some(&admin),
                Permission::ManageMembers,
                Err(Denied::Unconfirmed),
            ),
            (Unconfirmed, Some(&admin), clients, Err(Denied::Unconfirmed)),
            (Confirmed, Some(&admin), Permission::ManageMembers, Ok(())),
            (Confirmed, Some(&admin), Permission::EditSettings, Ok(())),
            (Confirmed, Some(&admin), Permission::ViewAudit, Ok(())),
            (Confirmed, Some(&admin), clients, Ok(())),
            (Confirmed, Some(&clerk), clients, Ok(())),
            (Confirmed, Some(&clerk), Permission::View, Ok(())),
            (
                Confirmed,
                Some(&clerk),
                Permission::ManageMembers,
                Err(Denied::AdminOnly),
            ),
            (
                Confirmed,
                Some(&clerk),
                Permission::ViewAudit,
                Err(Denied::AdminOnly),
            ),
            (
                Confirmed,
                Some(&clerk),
                Permission::SignOffer,
                Err(Denied::AlreadyConfirmed),
            ),
            (
                Confirmed,
                Some(&clerk),
                Permission::Right(OrgRight::CreateDeals),
                Err(Denied::MissingRight(OrgRight::CreateDeals)),
            ),
            (
                Confirmed,
                Some(&bare),
                clients,
                Err(Denied::MissingRight(OrgRight::ManageClients)),
            ),
            (Confirmed, Some(&pending), clients, Err(Denied::Inactive)),
            (
                Confirmed,
                Some(&pending),
                Permission::View,
                Err(Denied::Inactive),
            ),
            (Confirmed, Some(&gone), clients, Err(Denied::Inactive)),
            (
                Confirmed,
                Some(&gone),
                Permission::View,
                Err(Denied::Inactive),
            ),
        ];
        for (status, who, what, expected) in table {
            assert_eq!(
                authorize(status, who, what),
                expected,
                "{status:?} {who:?} {what:?}"
            );
        }
    }

    #[test]
    fn the_admin_holds_every_right_and_his_actions_follow_the_status() {
        let admin = member(Admin, Active, &[]);
        assert_eq!(admin.effective_rights(), OrgRight::ALL);
        assert_eq!(
            organisation_actions(Unconfirmed, &admin),
            [OrganisationAction::SignOffer]
        );
        assert_eq!(
            organisation_actions(Confirmed, &admin),
            [
                OrganisationAction::Invite,
                OrganisationAction::ManageMembers,
                OrganisationAction::EditSettings,
                OrganisationAction::ViewAudit,
                OrganisationAction::ManageClients,
            ]
        );
        let clerk = member(Employee, Active, &[OrgRight::ManageClients]);
        assert_eq!(
            organisation_actions(Confirmed, &clerk),
            [OrganisationAction::ManageClients]
        );
        assert!(organisation_actions(Confirmed, &member(Employee, Active, &[])).is_empty());
    }

    #[test]
    fn member_transitions_over_every_status_and_action() {
        for status in MemberStatus::ALL.iter().copied() {
            for action in MemberAction::ALL.iter().copied() {
                let expected = match (action, status) {
                    (MemberAction::Activate, Pending | Deactivated) => Some(Active),
                    (MemberAction::Deactivate, Pending | Active) => Some(Deactivated),
                    (MemberAction::SetRights, s) => Some(s),
                    _ => None,
                };
                assert_eq!(
                    member_transition(status, action),
                    expected,
                    "{status:?} {action:?}"
                );
            }
        }
        assert!(member_actions(&member(Admin, Active, &[])).is_empty());
        assert_eq!(
            member_actions(&member(Employee, Pending, &[])),
            [
                MemberAction::Activate,
                MemberAction::Deactivate,
                MemberAction::SetRights
            ]
        );
        assert_eq!(
            member_actions(&member(Employee, Active, &[])),
            [MemberAction::Deactivate, MemberAction::SetRights]
        );
    }

    #[test]
    fn rights_are_deduplicated_in_a_stable_order() {
        assert_eq!(
            normalised_rights(&[OrgRight::CaAgent, OrgRight::CreateDeals, OrgRight::CaAgent]),
            [OrgRight::CreateDeals, OrgRight::CaAgent]
        );
    }

    #[test]
    fn an_invitation_expires_at_its_time_unless_accepted() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let second = Duration::seconds(1);
        assert_eq!(
            invitation_status(None, now + second, now),
            InvitationStatus::Pending
        );
        assert_eq!(invitation_status(None, now, now), InvitationStatus::Expired);
        assert_eq!(
            invitation_status(Some(now), now - second, now),
            InvitationStatus::Accepted
        );
    }
}
