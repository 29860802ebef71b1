//! Who may respond to an order or receive an offer (docs/orders.md, "Who may respond or
//! receive an offer").

/// An engineer's standing, gathered from his account, profile, employment
/// and the SRO registry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EngineerStanding {
    /// Holds the engineer role (listed active in the SRO registry).
    pub is_engineer: bool,
    /// Blocked by a moderator.
    pub blocked: bool,
    /// Required profile fields that are empty (see [`missing_profile_fields`]).
    pub missing_fields: Vec<&'static str>,
    /// Activity region codes.
    pub regions: Vec<String>,
    /// An employee whose employer has him as its only active engineer.
    pub sole_active_engineer: bool,
    /// The "accept offers" switch.
    pub accepts_offers: bool,
}

/// Why an engineer may not respond or receive an offer. Each is answered
/// with 403 and its own code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not a cadastral engineer.
    #[error("the account is not a cadastral engineer listed in the SRO registry")]
    NotAnEngineer,
    /// Blocked by a moderator.
    #[error("the engineer is blocked by a moderator")]
    Blocked,
    /// Required profile fields are empty.
    #[error("the engineer's profile lacks required fields: {}", .0.join(", "))]
    ProfileIncomplete(Vec<&'static str>),
    /// No activity region is the order's region.
    #[error("the order's region {0} is not among the engineer's activity regions")]
    RegionNotCovered(String),
    /// The employer's only active engineer.
    #[error("the engineer is the only active engineer of his employer")]
    SoleActiveEngineer,
    /// "Accept offers" is off.
    #[error("the engineer does not accept offers at the moment")]
    OffersDisabled,
}

fn common(standing: &EngineerStanding, order_region: Option<&str>) -> Result<(), Refusal> {
    if !standing.is_engineer {
        return Err(Refusal::NotAnEngineer);
    }
    if standing.blocked {
        return Err(Refusal::Blocked);
    }
    if !standing.missing_fields.is_empty() {
        return Err(Refusal::ProfileIncomplete(standing.missing_fields.clone()));
    }
    if let Some(region) = order_region
        && !standing.regions.iter().any(|r| r == region)
    {
        return Err(Refusal::RegionNotCovered(region.to_owned()));
    }
    if standing.sole_active_engineer {
        return Err(Refusal::SoleActiveEngineer);
    }
    Ok(())
}

/// Whether the engineer may respond to an order in `order_region`.
pub fn may_respond(standing: &EngineerStanding, order_region: Option<&str>) -> Result<(), Refusal> {
    common(standing, order_region)
}

/// Whether the order may be offered to the engineer (responding's rules
/// plus the "accept offers" switch).
pub fn may_receive_offer(
    standing: &EngineerStanding,
    order_region: Option<&str>,
) -> Result<(), Refusal> {
    common(standing, order_region)?;
    if !standing.accepts_offers {
        return Err(Refusal::OffersDisabled);
    }
    Ok(())
}

/// What a profile has, for the required-field check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProfileFacts {
    /// Full name in the account.
    pub has_full_name: bool,
    /// Number of activity regions.
    pub regions: usize,
    /// Number of work types with a price.
    pub priced_work_types: usize,
    /// Contacts filled.
    pub has_contacts: bool,
    /// Requisites: own (sole proprietor) or the employer's (employee).
    pub has_requisites: bool,
}

/// Required fields (docs/orders.md, "Who may respond or receive an
/// offer") that are empty, by their API names.
pub fn missing_profile_fields(facts: &ProfileFacts) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !facts.has_full_name {
        missing.push("full_name");
    }
    if facts.regions == 0 {
        missing.push("regions");
    }
    if facts.priced_work_types == 0 {
        missing.push("work_types");
    }
    if !facts.has_contacts {
        missing.push("contacts");
    }
    if !facts.has_requisites {
        missing.push("requisites");
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> EngineerStanding {
        EngineerStanding {
            is_engineer: true,
            blocked: false,
            missing_fields: vec![],
            regions: vec!["50".into(), "77".into()],
            sole_active_engineer: false,
            accepts_offers: true,
        }
    }

    #[test]
    fn a_good_engineer_may_do_both() {
        assert_eq!(may_respond(&good(), Some("50")), Ok(()));
        assert_eq!(may_receive_offer(&good(), Some("77")), Ok(()));
    }

    #[test]
    fn each_rule_refuses_with_its_reason() {
        let cases = [
            (
                EngineerStanding {
                    is_engineer: false,
                    ..good()
                },
                Refusal::NotAnEngineer,
            ),
            (
                EngineerStanding {
                    blocked: true,
                    ..good()
                },
                Refusal::Blocked,
            ),
            (
                EngineerStanding {
                    missing_fields: vec!["contacts", "requisites"],
                    ..good()
                },
                Refusal::ProfileIncomplete(vec!["contacts", "requisites"]),
            ),
            (
                EngineerStanding {
                    regions: vec!["23".into()],
                    ..good()
                },
                Refusal::RegionNotCovered("50".into()),
            ),
            (
                EngineerStanding {
                    sole_active_engineer: true,
                    ..good()
                },
                Refusal::SoleActiveEngineer,
            ),
        ];
        for (standing, refusal) in cases {
            assert_eq!(may_respond(&standing, Some("50")), Err(refusal.clone()));
            assert_eq!(may_receive_offer(&standing, Some("50")), Err(refusal));
        }
    }

    #[test]
    fn offers_switch_matters_for_offers_only() {
        let off = EngineerStanding {
            accepts_offers: false,
            ..good()
        };
        assert_eq!(may_respond(&off, Some("50")), Ok(()));
        assert_eq!(
            may_receive_offer(&off, Some("50")),
            Err(Refusal::OffersDisabled)
        );
    }

    #[test]
    fn rules_apply_in_a_fixed_order() {
        let everything_wrong = EngineerStanding {
            is_engineer: true,
            blocked: true,
            missing_fields: vec!["regions"],
            regions: vec![],
            sole_active_engineer: true,
            accepts_offers: false,
        };
        assert_eq!(
            may_receive_offer(&everything_wrong, Some("50")),
            Err(Refusal::Blocked)
        );
    }

    #[test]
    fn refusal_messages_name_the_rule() {
        assert_eq!(
            Refusal::ProfileIncomplete(vec!["regions", "contacts"]).to_string(),
            "the engineer's profile lacks required fields: regions, contacts"
        );
        assert_eq!(
            Refusal::RegionNotCovered("50".into()).to_string(),
            "the order's region 50 is not among the engineer's activity regions"
        );
    }

    #[test]
    fn required_profile_fields() {
        assert_eq!(
            missing_profile_fields(&ProfileFacts::default()),
            vec![
                "full_name",
                "regions",
                "work_types",
                "contacts",
                "requisites"
            ]
        );
        let full = ProfileFacts {
            has_full_name: true,
            regions: 1,
            priced_work_types: 2,
            has_contacts: true,
            has_requisites: true,
        };
        assert!(missing_profile_fields(&full).is_empty());
    }
}
