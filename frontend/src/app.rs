//! The root component: context, the first silent refresh, the header and
//! the routes.
//!
//! The routes are split (docs/ARCHITECTURE.md, "Code splitting"): the shell —
//! the header, the home page and the login page — is in the first
//! WebAssembly module; every other page is a [`LazyRoute`] whose code
//! `scripts/build-frontend.sh` cuts into its own chunk, fetched the first time
//! the page is visited (the router shows [`RouteLoading`] meanwhile).

use crate::components::header::Header;
use crate::components::notifications::Counts;
use crate::pages::certificates::application::ApplicationPage;
use crate::pages::certificates::cabinet::{ApplicationQueue, CertificatesPage};
use crate::pages::certificates::claim::CertificateClaimPage;
use crate::pages::certificates::sign::SignaturesPage;
use crate::pages::choose_role::ChooseRole;
use crate::pages::clients::form::ClientFormPage;
use crate::pages::clients::link::ClientLinkPage;
use crate::pages::clients::list::ClientsPage;
use crate::pages::clients::review::ClientRequestPage;
use crate::pages::confirm_email::ConfirmEmail;
use crate::pages::deals::card::DealPage;
use crate::pages::deals::list::DealsPage;
use crate::pages::employees::EmployeesPage;
use crate::pages::engineers::details::EngineerDetailsPage;
use crate::pages::engineers::profile::EngineerProfilePage;
use crate::pages::engineers::search::EngineerSearch;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::pages::misc::Fallback;
use crate::pages::moderation::ModerationPage;
use crate::pages::notification_settings::NotificationSettingsPage;
use crate::pages::orders::card::OrderCardPage;
use crate::pages::orders::form::{EditOrderPage, NewOrderPage};
use crate::pages::orders::list::MyOrders;
use crate::pages::orders::search::OrderSearch;
use crate::pages::organisations::audit::OrgAuditPage;
use crate::pages::organisations::employees::OrgEmployeesPage;
use crate::pages::organisations::home::OrganisationPage;
use crate::pages::organisations::invitation::InvitationPage;
use crate::pages::profile::Profile;
use crate::pages::register::Register;
use crate::pages::reset_password::ResetPassword;
use crate::pages::second_factor::SecondFactorRecovery;
use crate::pages::sessions::Sessions;
use crate::session::{self, Auth};
use crate::state::{Reference, Ui, t};
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, path};

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui::new();
    let auth = Auth::new();
    provide_context(ui);
    provide_context(auth);
    provide_context(Reference::new());
    let counts = Counts::new();
    provide_context(counts);
    counts.watch(auth);
    ui.set_lang(ui.lang.get_untracked());

    // A reload keeps the session: the refresh cookie gives a new access
    // token. Only asked for when the server's hint says there is one.
    spawn_local(async move {
        if session::may_have_session() {
            session::refresh(auth).await;
        }
        auth.ready.set(true);
    });

    let (is_routing, set_is_routing) = signal(false);

    view! {
        <Router set_is_routing>
            <SessionWatch/>
            <Header/>
            <RouteLoading is_routing/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <Fallback/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()}/>
                    <Route path=path!("/confirm-email") view={Lazy::<ConfirmEmailRoute>::new()}/>
                    <Route path=path!("/second-factor-recovery") view={Lazy::<SecondFactorRecoveryRoute>::new()}/>
                    <Route path=path!("/login") view=Login/>
                    <Route path=path!("/reset-password") view={Lazy::<ResetPasswordRoute>::new()}/>
                    <Route path=path!("/choose-role") view={Lazy::<ChooseRoleRoute>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()}/>
                    <Route path=path!("/sessions") view={Lazy::<SessionsRoute>::new()}/>
                    <Route path=path!("/orders") view={Lazy::<MyOrdersRoute>::new()}/>
                    <Route path=path!("/orders/new") view={Lazy::<NewOrderPageRoute>::new()}/>
                    <Route path=path!("/orders/search") view={Lazy::<OrderSearchRoute>::new()}/>
                    <Route path=path!("/orders/:id/edit") view={Lazy::<EditOrderPageRoute>::new()}/>
                    <Route path=path!("/orders/:id") view={Lazy::<OrderCardPageRoute>::new()}/>
                    <Route path=path!("/engineer-profile") view={Lazy::<EngineerProfilePageRoute>::new()}/>
                    <Route path=path!("/engineers") view={Lazy::<EngineerSearchRoute>::new()}/>
                    <Route path=path!("/engineers/:id") view={Lazy::<EngineerDetailsPageRoute>::new()}/>
                    <Route path=path!("/employees") view={Lazy::<EmployeesPageRoute>::new()}/>
                    <Route path=path!("/moderation") view={Lazy::<ModerationPageRoute>::new()}/>
                    <Route path=path!("/certificates") view={Lazy::<CertificatesPageRoute>::new()}/>
                    <Route path=path!("/certificate-applications") view={Lazy::<ApplicationQueueRoute>::new()}/>
                    <Route path=path!("/certificate-applications/:id") view={Lazy::<ApplicationPageRoute>::new()}/>
                    <Route path=path!("/certificate-claim") view={Lazy::<CertificateClaimPageRoute>::new()}/>
                    <Route path=path!("/signatures") view={Lazy::<SignaturesPageRoute>::new()}/>
                    <Route path=path!("/notification-settings") view={Lazy::<NotificationSettingsPageRoute>::new()}/>
                    <Route path=path!("/organisation") view={Lazy::<OrganisationPageRoute>::new()}/>
                    <Route path=path!("/organisation/employees") view={Lazy::<OrgEmployeesPageRoute>::new()}/>
                    <Route path=path!("/organisation/audit") view={Lazy::<OrgAuditPageRoute>::new()}/>
                    <Route path=path!("/invitation") view={Lazy::<InvitationPageRoute>::new()}/>
                    <Route path=path!("/clients") view={Lazy::<ClientsPageRoute>::new()}/>
                    <Route path=path!("/clients/new") view={Lazy::<ClientFormPageRoute>::new()}/>
                    <Route path=path!("/clients/requests/:id") view={Lazy::<ClientRequestPageRoute>::new()}/>
                    <Route path=path!("/clients/:id") view={Lazy::<ClientFormPageRoute>::new()}/>
                    <Route path=path!("/client-request") view={Lazy::<ClientLinkPageRoute>::new()}/>
                    <Route path=path!("/deals") view={Lazy::<DealsPageRoute>::new()}/>
                    <Route path=path!("/deals/:id") view={Lazy::<DealPageRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// When the session ends under the user (revoked elsewhere, expired), load
/// the login page, which says why.
#[component]
fn SessionWatch() -> impl IntoView {
    let auth = expect_context::<Auth>();
    Effect::new(move |_| {
        if auth.ended.get() {
            session::leave_for_login(true);
        }
    });
}

/// Says that a page is on its way while the router fetches its chunk (the
/// first visit of a lazy page) — a live region, so a screen reader hears it.
#[component]
fn RouteLoading(is_routing: ReadSignal<bool>) -> impl IntoView {
    view! {
        <div class="route-loading" role="status" aria-live="polite">
            {move || is_routing.get().then(|| view! { <span class="route-loading-bar">{t().loading}</span> })}
        </div>
    }
}

/// Pages compiled into one chunk per area of the product: a `#[lazy]`
/// function per area is the split point that `wasm-split-cli` cuts out of the
/// main module, and each route of the area is a [`LazyRoute`] that awaits it
/// for its page. One split point per area rather than per page: the pages of
/// an area share most of their code, and every set of split points sharing a
/// function makes a chunk of its own — 36 split points made ~690 chunks, and an
/// order card fetched 188 of them.
macro_rules! lazy_area {
    ($area:ident, $pages:ident { $($variant:ident: $route:ident => $page:ident),* $(,)? }) => {
        #[doc = concat!("The pages of `", stringify!($area), "`.")]
        #[derive(Debug, Clone, Copy)]
        enum $pages {
            $($variant),*
        }

        #[doc = concat!("The split point of the pages of `", stringify!($area), "`.")]
        #[lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$variant => view! { <$page/> }.into_any()),*
            }
        }

        $(
            #[doc = concat!("[`", stringify!($page), "`], loaded with its area.")]
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$variant).await
                }
            }
        )*
    };
}

lazy_area!(orders_area, OrdersPages {
    List: MyOrdersRoute => MyOrders,
    Search: OrderSearchRoute => OrderSearch,
    Card: OrderCardPageRoute => OrderCardPage,
    New: NewOrderPageRoute => NewOrderPage,
    Edit: EditOrderPageRoute => EditOrderPage,
});

lazy_area!(account_area, AccountPages {
    Register: RegisterRoute => Register,
    ConfirmEmail: ConfirmEmailRoute => ConfirmEmail,
    SecondFactorRecovery: SecondFactorRecoveryRoute => SecondFactorRecovery,
    ResetPassword: ResetPasswordRoute => ResetPassword,
    ChooseRole: ChooseRoleRoute => ChooseRole,
    Profile: ProfileRoute => Profile,
    Sessions: SessionsRoute => Sessions,
    NotificationSettings: NotificationSettingsPageRoute => NotificationSettingsPage,
});

lazy_area!(engineers_area, EngineersPages {
    Profile: EngineerProfilePageRoute => EngineerProfilePage,
    Search: EngineerSearchRoute => EngineerSearch,
    Details: EngineerDetailsPageRoute => EngineerDetailsPage,
    Employees: EmployeesPageRoute => EmployeesPage,
    Moderation: ModerationPageRoute => ModerationPage,
});

lazy_area!(certificates_area, CertificatesPages {
    Cabinet: CertificatesPageRoute => CertificatesPage,
    Queue: ApplicationQueueRoute => ApplicationQueue,
    Application: ApplicationPageRoute => ApplicationPage,
    Claim: CertificateClaimPageRoute => CertificateClaimPage,
    Signatures: SignaturesPageRoute => SignaturesPage,
});

lazy_area!(organisation_area, OrganisationPages {
    Home: OrganisationPageRoute => OrganisationPage,
    Employees: OrgEmployeesPageRoute => OrgEmployeesPage,
    Audit: OrgAuditPageRoute => OrgAuditPage,
    Invitation: InvitationPageRoute => InvitationPage,
});

lazy_area!(clients_area, ClientsPages {
    List: ClientsPageRoute => ClientsPage,
    Form: ClientFormPageRoute => ClientFormPage,
    Request: ClientRequestPageRoute => ClientRequestPage,
    Link: ClientLinkPageRoute => ClientLinkPage,
});

lazy_area!(deals_area, DealsPages {
    List: DealsPageRoute => DealsPage,
    Card: DealPageRoute => DealPage,
});
