//! Where each of an order's actions is taken: the endpoint behind every
//! entry of `allowed_actions` (docs/orders.md, "What can I do now").

use super::OrderAction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One action the caller may take now and the request that takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "action": "select_response", "method": "POST",
    "href": "/api/v1/responses/{response_id}/select", "templated": true
})))]
pub struct ActionLink {
    /// The action, as in `allowed_actions`.
    pub action: OrderAction,
    /// The HTTP method: `POST`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path, the order's id filled in. A `{name}` left in it is chosen
    /// by the caller among the order's own items (`{response_id}` from its
    /// responses, `{offer_id}` from its offers).
    pub href: String,
    /// Whether `href` still holds a `{name}` to fill.
    pub templated: bool,
}

impl OrderAction {
    /// The method and the path template (`{id}` is the order's) of the
    /// request that takes this action; `None` for what the platform itself
    /// applies when a document decides it (both signatures of a contract or
    /// an act, a confirmed invoice, the SRO registry), which is never in a
    /// caller's `allowed_actions`.
    pub fn endpoint(self) -> Option<(&'static str, &'static str)> {
        use OrderAction as A;
        Some(match self {
            A::Create => ("POST", "/api/v1/orders"),
            A::Edit => ("PATCH", "/api/v1/orders/{id}"),
            A::Delete => ("DELETE", "/api/v1/orders/{id}"),
            A::Publish => ("POST", "/api/v1/orders/{id}/publish"),
            A::Cancel => ("POST", "/api/v1/orders/{id}/cancel"),
            A::Respond => ("POST", "/api/v1/orders/{id}/responses"),
            A::SelectResponse => ("POST", "/api/v1/responses/{response_id}/select"),
            A::Offer => ("POST", "/api/v1/orders/{id}/offers"),
            A::AcceptOffer => ("POST", "/api/v1/offers/{offer_id}/accept"),
            A::DeclineOffer => ("POST", "/api/v1/offers/{offer_id}/decline"),
            A::CreateContract => ("POST", "/api/v1/orders/{id}/contracts"),
            A::SendInvoice => ("POST", "/api/v1/orders/{id}/invoices"),
            A::DeliverResults => ("POST", "/api/v1/orders/{id}/results"),
            A::AcceptResults => ("POST", "/api/v1/orders/{id}/accept"),
            A::RejectResults => ("POST", "/api/v1/orders/{id}/reject-results"),
            A::SendRegistrationOutcome => ("POST", "/api/v1/orders/{id}/registration-outcome"),
            A::CreateAct => ("POST", "/api/v1/orders/{id}/acts"),
            A::Review => ("POST", "/api/v1/orders/{id}/review"),
            A::ContractSigned
            | A::ConfirmPrepayment
            | A::ConfirmPayment
            | A::ActSigned
            | A::Suspend
            | A::Resume => return None,
        })
    }

    /// The link of this action on order `order`, if a request takes it.
    pub fn link(self, order: Uuid) -> Option<ActionLink> {
        let (method, template) = self.endpoint()?;
        let href = template.replace("{id}", &order.to_string());
        Some(ActionLink {
            action: self,
            method: method.to_owned(),
            templated: href.contains('{'),
            href,
        })
    }
}

/// The links of `actions` on order `order`, in their order.
pub fn action_links(order: Uuid, actions: &[OrderAction]) -> Vec<ActionLink> {
    actions.iter().filter_map(|a| a.link(order)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_id_is_filled_in_and_the_rest_stays_a_template() {
        let order = Uuid::from_u128(7);
        let edit = OrderAction::Edit.link(order).unwrap();
        assert_eq!(edit.method, "PATCH");
        assert_eq!(edit.href, format!("/api/v1/orders/{order}"));
        assert!(!edit.templated);
        let select = OrderAction::SelectResponse.link(order).unwrap();
        assert_eq!(select.href, "/api/v1/responses/{response_id}/select");
        assert!(select.templated);
    }

    #[test]
    fn what_the_platform_applies_has_no_link() {
        let links = action_links(
            Uuid::nil(),
            &[
                OrderAction::ContractSigned,
                OrderAction::Cancel,
                OrderAction::Suspend,
            ],
        );
        assert_eq!(
            links.iter().map(|l| l.action).collect::<Vec<_>>(),
            [OrderAction::Cancel]
        );
    }
}
