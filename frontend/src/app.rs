//! The root component: context, the first silent refresh, the header and
//! the routes.

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
use crate::state::{Reference, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

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

    // A reload keeps the session: the refresh cookie gives a new access token.
    spawn_local(async move {
        session::refresh(auth).await;
        auth.ready.set(true);
    });

    view! {
        <Router>
            <SessionWatch/>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <Fallback/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/register") view=Register/>
                    <Route path=path!("/confirm-email") view=ConfirmEmail/>
                    <Route path=path!("/second-factor-recovery") view=SecondFactorRecovery/>
                    <Route path=path!("/login") view=Login/>
                    <Route path=path!("/reset-password") view=ResetPassword/>
                    <Route path=path!("/choose-role") view=ChooseRole/>
                    <Route path=path!("/profile") view=Profile/>
                    <Route path=path!("/sessions") view=Sessions/>
                    <Route path=path!("/orders") view=MyOrders/>
                    <Route path=path!("/orders/new") view=NewOrderPage/>
                    <Route path=path!("/orders/search") view=OrderSearch/>
                    <Route path=path!("/orders/:id/edit") view=EditOrderPage/>
                    <Route path=path!("/orders/:id") view=OrderCardPage/>
                    <Route path=path!("/engineer-profile") view=EngineerProfilePage/>
                    <Route path=path!("/engineers") view=EngineerSearch/>
                    <Route path=path!("/engineers/:id") view=EngineerDetailsPage/>
                    <Route path=path!("/employees") view=EmployeesPage/>
                    <Route path=path!("/moderation") view=ModerationPage/>
                    <Route path=path!("/certificates") view=CertificatesPage/>
                    <Route path=path!("/certificate-applications") view=ApplicationQueue/>
                    <Route path=path!("/certificate-applications/:id") view=ApplicationPage/>
                    <Route path=path!("/certificate-claim") view=CertificateClaimPage/>
                    <Route path=path!("/signatures") view=SignaturesPage/>
                    <Route path=path!("/notification-settings") view=NotificationSettingsPage/>
                    <Route path=path!("/organisation") view=OrganisationPage/>
                    <Route path=path!("/organisation/employees") view=OrgEmployeesPage/>
                    <Route path=path!("/organisation/audit") view=OrgAuditPage/>
                    <Route path=path!("/invitation") view=InvitationPage/>
                    <Route path=path!("/clients") view=ClientsPage/>
                    <Route path=path!("/clients/new") view=ClientFormPage/>
                    <Route path=path!("/clients/requests/:id") view=ClientRequestPage/>
                    <Route path=path!("/clients/:id") view=ClientFormPage/>
                    <Route path=path!("/client-request") view=ClientLinkPage/>
                    <Route path=path!("/deals") view=DealsPage/>
                    <Route path=path!("/deals/:id") view=DealPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// When the session ends under the user (revoked elsewhere, expired), go to
/// the login page, which says why.
#[component]
fn SessionWatch() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.ended.get() {
            navigate("/login", Default::default());
        }
    });
}
