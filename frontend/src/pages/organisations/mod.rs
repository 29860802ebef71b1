//! The organisation screens (docs/organisations.md): the organisation's
//! page ([`home`]: registration, the offer signature, requisites,
//! settings), its employees and invitations ([`employees`]), the audit log
//! ([`audit`]), its powers of attorney (МЧД, [`powers`], a section of its
//! page), and the invitation link's page ([`invitation`]), which needs no
//! account.
//!
//! What a screen offers follows the representations' `allowed_actions`.
//! Inside a confirmed organisation one works acting as its admin or
//! employee: acting in another role, a screen says so and offers the switch
//! ([`RoleSwitch`]) instead of actions the server would refuse.

pub mod audit;
pub mod employees;
pub mod home;
pub mod invitation;
pub mod powers;

use crate::api::organisations;
use crate::components::bind::{click, sig};
use crate::components::header::switch_role_in;
use crate::components::html::{Html, status_badge};
use crate::components::status::{Load, LoadStatus, load};
use crate::session::{Auth, use_auth};
use crate::state::{Ui, t, tr};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use mezha_api_types::Role;
use mezha_api_types::organisations::{
    MemberRole, MemberStatus, OrgRight, Organisation, OrganisationAction, OrganisationStatus,
};
use uuid::Uuid;

/// The `?id=` of the page: which of the caller's organisations it shows.
pub fn query_id() -> Memo<Option<Uuid>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("id").and_then(|s| s.parse().ok()))
}

/// The organisation asked for by `id` if `list` has it, else the first
/// that allows `action` (the first of all without one).
pub fn pick(
    list: &[Organisation],
    id: Option<Uuid>,
    action: Option<OrganisationAction>,
) -> Option<Organisation> {
    id.and_then(|id| list.iter().find(|o| o.id == id))
        .or_else(|| {
            list.iter()
                .find(|o| action.is_none_or(|a| o.allowed_actions.contains(&a)))
        })
        .cloned()
}

/// The acting role one works in with `org`: its admin's or employee's.
pub fn member_role(org: &Organisation) -> Role {
    match org.my_role {
        MemberRole::Admin => Role::OrgAdmin,
        MemberRole::Employee => Role::OrgEmployee,
    }
}

/// Whether the session may act in `org` now: an unconfirmed one only has
/// its offer signed (any acting role); a confirmed one is worked in as its
/// admin or employee.
pub fn working(auth: Auth, org: &Organisation) -> bool {
    org.status == OrganisationStatus::Unconfirmed || auth.acting.get() == Some(member_role(org))
}

/// `data-testid=<testid>` link to a page of the organisation.
pub fn org_link(h: &mut Html, path: &str, id: Uuid, testid: &str, label: &str) {
    h.el(
        "a",
        &[
            ("href", Some(&format!("{path}?id={id}"))),
            ("data-testid", Some(testid)),
        ],
        label,
    );
}

/// The organisation's short name and status, as a heading's line.
pub fn title_html(org: &Organisation) -> String {
    let mut h = Html::new();
    h.el(
        "span",
        &[("data-testid", Some("org-name"))],
        &org.short_name,
    )
    .text(" ");
    status_badge(&mut h, org.status.as_str(), t().orgs.org_status(org.status));
    h.finish()
}

/// "You act in another role": the switch to the role `org` is worked in,
/// while the session acts otherwise (hidden when it needs none).
#[component]
pub fn RoleSwitch(org: Signal<Option<Organisation>>) -> impl IntoView {
    let auth = use_auth();
    let needed = sig(move || {
        org.with(|o| {
            o.as_ref()
                .filter(|o| !working(auth, o))
                .map(member_role)
                .filter(|r| auth.roles.with(|held| held.contains(r)))
        })
    });
    let ui = expect_context::<Ui>();
    let enter = click(move |_| {
        if let Some(role) = needed.get_untracked() {
            switch_role_in(auth, ui, role, || ());
        }
    });
    view! {
        <div class="notice" data-testid="org-role-switch" hidden=sig(move || needed.with(Option::is_none))>
            <p>{tr(|s| s.orgs.switch_hint)}</p>
            <button type="button" class="primary" data-testid="enter-org-role" on:click=enter>
                {move || needed.get().map(|r| format!("{} {}", t().enter_as, t().role(r)))}
            </button>
        </div>
    }
}

/// The organisation a page of its admin is about (`?id=`, else the first
/// of the caller's that allows `action`), loaded once the page shows.
#[derive(Clone, Copy)]
pub struct Managed {
    pub org: RwSignal<Option<Organisation>>,
    pub state: RwSignal<Load>,
    reload: Callback<()>,
}

impl Managed {
    pub fn new(action: OrganisationAction) -> Self {
        Self::choosing(move |list| pick(list, None, Some(action)))
    }

    /// For the pages of a right rather than an action (deals): the first
    /// confirmed organisation where the caller is an active member holding
    /// one of `rights`.
    pub fn with_rights(rights: &'static [OrgRight]) -> Self {
        Self::choosing(move |list| {
            list.iter()
                .find(|o| {
                    o.status == OrganisationStatus::Confirmed
                        && o.my_status == MemberStatus::Active
                        && o.my_rights.iter().any(|r| rights.contains(r))
                })
                .cloned()
        })
    }

    /// `choose` picks the organisation among the caller's when the page's
    /// address names none.
    fn choosing(
        choose: impl Fn(&[Organisation]) -> Option<Organisation> + Copy + Send + Sync + 'static,
    ) -> Self {
        let auth = use_auth();
        let id = query_id();
        let org = RwSignal::new(None::<Organisation>);
        let state = RwSignal::new(Load::Loading);
        let reload = Callback::new(move |_| {
            state.set(Load::Loading);
            match id.get_untracked() {
                // The one asked for: the server says why it is not to be had.
                Some(want) => load(state, organisations::get(auth, want), move |one| {
                    org.set(Some(one));
                }),
                None => load(state, organisations::mine(auth), move |list| {
                    org.set(choose(&list.organisations));
                }),
            }
        });
        Managed { org, state, reload }
    }

    /// Loads (again).
    pub fn load(&self) {
        self.reload.run(());
    }

    /// The organisation, once the session acts in its role: the page's
    /// content shows then.
    pub fn working(&self) -> Signal<Option<Organisation>> {
        let (org, auth) = (self.org, use_auth());
        sig(move || org.get().filter(|o| working(auth, o)))
    }
}

/// Above an admin's page: loading, its failure, "no organisation you
/// manage", and the role switch.
#[component]
pub fn ManagedStatus(managed: Managed) -> impl IntoView {
    let none = sig(move || managed.state.get().is_ready() && managed.org.with(Option::is_none));
    view! {
        <LoadStatus state=managed.state retry=managed.reload/>
        <div class="notice" data-testid="org-none" hidden=sig(move || !none.get())>
            <p>{tr(|s| s.orgs.none_managed)}</p>
            <a href="/organisation">{tr(|s| s.orgs.to_organisation)}</a>
        </div>
        <RoleSwitch org=managed.org.into()/>
    }
}

/// The back link of an admin's page: the organisation's page.
pub fn back_html(org: &Organisation) -> String {
    let mut h = Html::new();
    org_link(
        &mut h,
        "/organisation",
        org.id,
        "to-organisation",
        &format!("← {}", org.short_name),
    );
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mezha_api_types::organisations::OrganisationSettings;

    fn org(n: u128, allowed: &[OrganisationAction]) -> Organisation {
        Organisation {
            id: Uuid::from_u128(n),
            full_name: format!("Организация {n}"),
            short_name: format!("Орг {n}"),
            inn: "7707083893".into(),
            kpp: "770701001".into(),
            ogrn: "1027700132195".into(),
            address: "г. Москва".into(),
            head_name: "Сидоров Алексей Петрович".into(),
            head_position: "генерального директора".into(),
            head_id: Uuid::from_u128(100),
            status: OrganisationStatus::Confirmed,
            confirmed_at: None,
            settings: OrganisationSettings::default(),
            my_role: MemberRole::Employee,
            my_status: MemberStatus::Active,
            my_rights: Vec::new(),
            allowed_actions: allowed.to_vec(),
            created_at: Default::default(),
        }
    }

    #[test]
    fn the_page_shows_the_organisation_asked_for_else_the_first_that_fits() {
        let list = [
            org(1, &[]),
            org(2, &[OrganisationAction::ManageMembers]),
            org(3, &[OrganisationAction::ViewAudit]),
        ];
        let id = |o: Option<Organisation>| o.map(|o| o.id.as_u128());
        assert_eq!(id(pick(&list, None, None)), Some(1));
        assert_eq!(id(pick(&list, Some(Uuid::from_u128(3)), None)), Some(3));
        // Asked for explicitly: shown, whatever it allows.
        assert_eq!(
            id(pick(
                &list,
                Some(Uuid::from_u128(1)),
                Some(OrganisationAction::ManageMembers)
            )),
            Some(1)
        );
        // Not among the caller's: the first that fits.
        assert_eq!(
            id(pick(
                &list,
                Some(Uuid::from_u128(9)),
                Some(OrganisationAction::ViewAudit)
            )),
            Some(3)
        );
        assert_eq!(
            id(pick(&list[..1], None, Some(OrganisationAction::ViewAudit))),
            None
        );
    }
}
