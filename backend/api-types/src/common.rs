//! Enumerations and identifiers used across the API.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role an account holds (docs/accounts.md, "Roles"). One account may hold several; the
/// *acting* role, chosen after login, decides what the API allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Publishes orders, chooses executors, signs, pays and rates.
    Customer,
    /// Cadastral engineer listed in the SRO registry.
    Engineer,
    /// Legal entity employing cadastral engineers.
    Employer,
    /// Administrator of an organisation (deals).
    OrgAdmin,
    /// Employee of an organisation (deals).
    OrgEmployee,
    /// Certification authority operator.
    CaOperator,
    /// Platform moderator.
    Moderator,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 7] = [
        Role::Customer,
        Role::Engineer,
        Role::Employer,
        Role::OrgAdmin,
        Role::OrgEmployee,
        Role::CaOperator,
        Role::Moderator,
    ];

    /// The snake_case wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Engineer => "engineer",
            Role::Employer => "employer",
            Role::OrgAdmin => "org_admin",
            Role::OrgEmployee => "org_employee",
            Role::CaOperator => "ca_operator",
            Role::Moderator => "moderator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not a role name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown role `{}`", self.0)
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Declares a fieldless enum that travels as a snake_case string: serde,
/// the utoipa schema (with the `openapi` feature), `ALL`, `as_str`,
/// `Display` and `FromStr`, from one list of `Variant => "wire_name"`.
///
/// The wire name is taken as a token tree, not a `literal` fragment: a
/// `literal` reaches the derive macros wrapped in an invisible group, which
/// serde reads but utoipa does not, so the document showed the Rust names
/// (`ExecutorSelection`) while the wire carried `executor_selection`. The
/// test `documented_enums_are_the_wire_values` pins every enum.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::common::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    other => Err($crate::common::UnknownValue {
                        kind: stringify!($name),
                        value: other.to_owned(),
                    }),
                }
            }
        }
    };
}

/// A wire name that names no value of the enum `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enum's Rust name.
    pub kind: &'static str,
    /// The text received.
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.value, self.kind)
    }
}

impl std::error::Error for UnknownValue {}

/// Channel of a message sent to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// SMS.
    Sms,
}

impl Channel {
    /// The snake_case wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

impl FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Channel::Email),
            "sms" => Ok(Channel::Sms),
            other => Err(format!("unknown channel `{other}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
