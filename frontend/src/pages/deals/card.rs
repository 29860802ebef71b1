//! A deal's card (`/deals/:id`): the heading (number, title, status, who
//! is responsible, dates), "Copy into a new draft" and "Delete", the
//! checklist of what is missing, and the steps as tabs. While the registry
//! works on the deal, the card asks it again every few seconds.

use super::documents::DocumentsStep;
use super::object::ObjectStep;
use super::participants::ParticipantsStep;
use super::registry::{HistoryStep, RegistryStep, StatementsStep};
use super::signatures::SignaturesStep;
use super::{DealError, at_registry, badge, signer_label};
use crate::api::{ApiError, IdempotencyKey, deals};
use crate::components::bind::{click, sig};
use crate::components::html::Html;
use crate::components::notifications::Counts;
use crate::components::route::route_id;
use crate::components::status::{AuthGate, Load, LoadStatus, signed_in};
use crate::format;
use crate::pages::misc::NotFound;
use crate::session::{Auth, use_auth};
use crate::state::{Pick, t, tr};
use futures_util::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::deals::{
    ChecklistCode, Deal, DealAction, DealDocumentKind, DealHistoryEntry, DealRegistryStatus,
    DealStatus,
};
use mezha_api_types::notifications::ObjectKind;
use std::time::Duration;
use uuid::Uuid;

/// How often the card asks again while the registry works on the deal, in
/// case the live stream is down: the registry's moves reach an open card
/// at once through the responsible employee's live notifications.
const POLL: Duration = Duration::from_secs(15);

/// The card's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Object,
    Participants,
    Documents,
    Signatures,
    Statements,
    Registry,
    History,
}

/// The tabs in order: the step, its name, its `data-testid` suffix.
const TABS: [(Tab, Pick, &str); 7] = [
    (Tab::Object, |s| s.deals.tab_object, "object"),
    (
        Tab::Participants,
        |s| s.deals.tab_participants,
        "participants",
    ),
    (Tab::Documents, |s| s.deals.tab_documents, "documents"),
    (Tab::Signatures, |s| s.deals.tab_signatures, "signatures"),
    (Tab::Statements, |s| s.deals.tab_statements, "statements"),
    (Tab::Registry, |s| s.deals.tab_registry, "registry"),
    (Tab::History, |s| s.deals.tab_history, "history"),
];

/// The step a deal opens on: where its work is now.
fn tab_for(status: DealStatus) -> Tab {
    match status {
        DealStatus::Draft => Tab::Object,
        DealStatus::Statements | DealStatus::Ready => Tab::Statements,
        _ => Tab::Registry,
    }
}

/// The card's state, shared with its steps.
#[derive(Clone, Copy)]
pub struct DealCard {
    pub auth: Auth,
    pub route: Memo<Option<Uuid>>,
    pub deal: RwSignal<Option<Deal>>,
    pub state: RwSignal<Load>,
    pub registry: RwSignal<Option<Result<DealRegistryStatus, ApiError>>>,
    pub history: RwSignal<Option<Result<Vec<DealHistoryEntry>, ApiError>>>,
    /// A refused step: where the deal is now.
    pub notice: RwSignal<Option<ApiError>>,
    pub busy: RwSignal<bool>,
    pub tab: RwSignal<Tab>,
}

impl DealCard {
    fn new(auth: Auth, route: Memo<Option<Uuid>>) -> Self {
        DealCard {
            auth,
            route,
            deal: RwSignal::new(None),
            state: RwSignal::new(Load::Loading),
            registry: RwSignal::new(None),
            history: RwSignal::new(None),
            notice: RwSignal::new(None),
            busy: RwSignal::new(false),
            tab: RwSignal::new(Tab::Object),
        }
    }

    /// The deal's id (from the address).
    pub fn id(&self) -> Uuid {
        self.route.get_untracked().unwrap_or_default()
    }

    /// Whether the server lists `action` for the caller (reactive).
    pub fn allows(&self, action: DealAction) -> bool {
        self.deal.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.allowed_actions.contains(&action))
        })
    }

    /// Whether the loaded deal has no uploaded document yet (reactive;
    /// statements do not count).
    pub fn no_documents(&self) -> bool {
        self.deal.with(|d| {
            d.as_ref().is_some_and(|d| {
                d.documents
                    .iter()
                    .all(|x| x.kind != DealDocumentKind::Document)
            })
        })
    }

    /// The deal's status (reactive), once loaded.
    pub fn status(&self) -> Option<DealStatus> {
        self.deal.with(|d| d.as_ref().map(|d| d.status))
    }

    /// Takes the deal as the server answered it (after an await: the card
    /// may be gone).
    pub fn show(&self, deal: Deal) {
        // Answers may come back out of order (fields saved at once): an
        // older version of the deal shown never replaces a newer one.
        let older = self
            .deal
            .try_with_untracked(|d| {
                d.as_ref()
                    .is_some_and(|d| d.id == deal.id && d.version > deal.version)
            })
            .unwrap_or(false);
        if older {
            return;
        }
        let _ = self.deal.try_set(Some(deal));
        let _ = self.state.try_set(Load::Ready);
    }

    /// Loads the deal again, and what the open step shows of the registry
    /// or the history.
    pub fn reload(self) {
        let (auth, id) = (self.auth, self.id());
        if self.route.get_untracked().is_none() {
            return;
        }
        spawn_local(async move {
            match deals::get(auth, id).await {
                Ok(deal) => {
                    let registry = at_registry(deal.status) || deal.registry_package_id.is_some();
                    self.show(deal);
                    self.refresh_tab(registry).await;
                }
                Err(e) => {
                    let _ = self.state.try_set(Load::Failed(e));
                }
            }
        });
    }

    /// Loads what the open step shows beside the deal: the registry's
    /// answers (when `registry`), the history.
    async fn refresh_tab(self, registry: bool) {
        let (auth, id) = (self.auth, self.id());
        match self.tab.try_get_untracked() {
            Some(Tab::Registry) if registry => {
                let status = deals::registry_status(auth, id).await;
                let _ = self.registry.try_set(Some(status));
            }
            Some(Tab::History) => {
                let history = deals::history(auth, id).await.map(|h| h.items);
                let _ = self.history.try_set(Some(history));
            }
            _ => {}
        }
    }

    /// Runs a step answered by the deal; the card shows the answer. A
    /// refused step (or a deal changed meanwhile) refreshes the card and
    /// says why beside the status; other errors go to `error`, beside what
    /// was pressed. `then` runs after a success.
    pub fn act(
        self,
        error: RwSignal<Option<ApiError>>,
        action: LocalBoxFuture<'static, Result<Deal, ApiError>>,
        then: impl FnOnce() + 'static,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.notice.set(None);
        error.set(None);
        spawn_local(async move {
            match action.await {
                Ok(deal) => {
                    self.show(deal);
                    then();
                }
                Err(e) => self.refused(e, error),
            }
            let _ = self.busy.try_set(false);
        });
    }

    /// A refused step (or a deal changed meanwhile) refreshes the card and
    /// says why beside the status; other errors go to `error`.
    pub fn refused(self, e: ApiError, error: RwSignal<Option<ApiError>>) {
        match e.code() {
            Some("illegal_transition" | "precondition_failed") => {
                let _ = self.notice.try_set(Some(e));
                self.reload();
            }
            _ => {
                let _ = error.try_set(Some(e));
            }
        }
    }

    /// Every few seconds while the registry works on the deal: its status
    /// and answers again.
    fn poll(self) {
        let waiting = self
            .deal
            .try_with_untracked(|d| d.as_ref().is_some_and(|d| at_registry(d.status)))
            .unwrap_or(false);
        if waiting && self.busy.try_get_untracked() == Some(false) {
            self.reload();
        }
    }
}

/// `/deals/:id`.
#[component]
pub fn DealPage() -> impl IntoView {
    let route = route_id();
    view! {
        <AuthGate/>
        {move || route.get().is_none().then(|| view! { <NotFound/> })}
        <DealView route=route/>
    }
}

fn heading_html(deal: &Deal) -> String {
    let d = t().deals;
    let mut h = Html::new();
    h.open("h1", &[("data-testid", Some("deal-title"))]);
    h.span(
        "order-number",
        &format!("{} №\u{a0}{}", d.deal, deal.number),
    )
    .text(" ");
    badge(&mut h, deal.status);
    h.close("h1");
    h.el("p", &[("class", Some("order-title"))], &deal.title);
    h.open("div", &[("class", Some("order-meta"))]);
    h.el(
        "span",
        &[],
        &format!("{}: {}", d.responsible, deal.responsible_name),
    );
    h.el(
        "span",
        &[],
        &format!("{} {}", d.created, format::time(deal.created_at)),
    );
    h.el(
        "span",
        &[],
        &format!("{} {}", d.updated, format::time(deal.updated_at)),
    );
    if let Some(from) = deal.copied_from {
        h.el(
            "a",
            &[
                ("href", Some(&format!("/deals/{from}"))),
                ("data-testid", Some("deal-copied-from")),
            ],
            d.copied_from,
        );
    }
    h.close("div");
    h.finish()
}

/// The checklist: what is still missing, each naming its participant and
/// document.
fn checklist_html(deal: &Deal) -> String {
    let d = t().deals;
    let mut h = Html::new();
    for item in &deal.checklist {
        let document = item.document_id.and_then(|id| {
            deal.documents
                .iter()
                .find(|x| x.id == id)
                .map(|x| x.title.as_str())
        });
        let who = if item.employee {
            signer_label(deal, None)
        } else {
            signer_label(deal, item.participant_id)
        };
        let text = match item.code {
            ChecklistCode::ObjectIncomplete => d.check_object.to_owned(),
            ChecklistCode::NoParticipants => d.check_participants.to_owned(),
            ChecklistCode::RepresentsNobody => d.check_represents.replace("{}", &who),
            ChecklistCode::SharesNotWhole => d.check_shares.to_owned(),
            ChecklistCode::NoDocuments => d.check_documents.to_owned(),
            ChecklistCode::SignatureMissing => d.check_signature.replacen("{}", &who, 1).replacen(
                "{}",
                document.unwrap_or(d.someone),
                1,
            ),
        };
        h.el(
            "li",
            &[
                ("data-testid", Some("checklist-item")),
                ("data-code", Some(item.code.as_str())),
            ],
            &text,
        );
    }
    h.finish()
}

#[component]
fn DealView(route: Memo<Option<Uuid>>) -> impl IntoView {
    let auth = use_auth();
    let shown = signed_in();
    let card = DealCard::new(auth, route);
    let opened = StoredValue::new(None::<Uuid>);
    // Load when the session is there, and again for another deal or another
    // acting role.
    Effect::new(move |_| {
        let (_, _, shown) = (route.get(), auth.acting.get(), shown.get());
        if shown {
            card.state.set(Load::Loading);
            card.deal.set(None);
            card.registry.set(None);
            card.history.set(None);
            card.notice.set(None);
            card.reload();
        }
    });
    // A deal opens on the step where its work is (once per deal).
    Effect::new(move |_| {
        let now = card.deal.with(|d| d.as_ref().map(|d| (d.id, d.status)));
        if let Some((id, status)) = now
            && opened.get_value() != Some(id)
        {
            opened.set_value(Some(id));
            card.tab.set(tab_for(status));
        }
    });
    // A live notification about this deal (the registry moved it): the card
    // reloads at once.
    let counts = expect_context::<Counts>();
    Effect::new(move |_| {
        let about_this = counts.changed.with(|c| {
            c.as_ref()
                .is_some_and(|o| o.kind == ObjectKind::Deal && Some(o.id) == route.get_untracked())
        });
        if about_this && !card.busy.get_untracked() {
            card.reload();
        }
    });
    if let Ok(handle) = set_interval_with_handle(move || card.poll(), POLL) {
        on_cleanup(move || handle.clear());
    }
    let loaded = Memo::new(move |_| card.deal.with(Option::is_some));
    let retry = Callback::new(move |_| card.reload());
    view! {
        <section class="card order-card" data-testid="deal-card" hidden=sig(move || !shown.get())>
            <p class="back"><a href="/deals">{tr(|s| s.deals.back)}</a></p>
            <LoadStatus state=card.state retry=retry/>
            {move || loaded.get().then(|| view! { <Loaded card=card/> })}
        </section>
    }
}

/// The card once the deal is there.
#[component]
fn Loaded(card: DealCard) -> impl IntoView {
    let heading = sig(move || {
        card.deal
            .with(|d| d.as_ref().map(heading_html).unwrap_or_default())
    });
    let checklist = sig(move || {
        card.deal
            .with(|d| d.as_ref().map(checklist_html).unwrap_or_default())
    });
    let checklist_shown = sig(move || {
        card.deal.with(|d| {
            d.as_ref().is_some_and(|d| {
                !d.checklist.is_empty()
                    && matches!(d.status, DealStatus::Draft | DealStatus::Statements)
            })
        })
    });
    let choose = move |tab: Tab| {
        card.tab.set(tab);
        card.registry.set(None);
        card.history.set(None);
        card.reload();
    };
    view! {
        <div data-testid="deal-heading" inner_html=heading></div>
        <DealError error=card.notice/>
        <CardActions card=card/>
        <div class="notice checklist" data-testid="checklist" hidden=sig(move || !checklist_shown.get())>
            <h2>{tr(|s| s.deals.checklist_title)}</h2>
            <ul inner_html=checklist></ul>
        </div>
        <div class="tabs" role="tablist" data-testid="deal-tabs">
            {TABS.iter().map(|(tab, name, id)| {
                let tab = *tab;
                view! {
                    <button type="button" role="tab" data-testid=format!("tab-{id}")
                        class:active=sig(move || card.tab.get() == tab)
                        aria-selected=sig(move || (card.tab.get() == tab).to_string())
                        on:click=move |_| choose(tab)>
                        {tr(*name)}
                    </button>
                }
            }).collect_view()}
        </div>
        {move || match card.tab.get() {
            Tab::Object => view! { <ObjectStep card=card/> }.into_any(),
            Tab::Participants => view! { <ParticipantsStep card=card/> }.into_any(),
            Tab::Documents => view! { <DocumentsStep card=card/> }.into_any(),
            Tab::Signatures => view! { <SignaturesStep card=card/> }.into_any(),
            Tab::Statements => view! { <StatementsStep card=card/> }.into_any(),
            Tab::Registry => view! { <RegistryStep card=card/> }.into_any(),
            Tab::History => view! { <HistoryStep card=card/> }.into_any(),
        }}
    }
}

/// "Copy into a new draft" (then its card) and "Delete" (a draft, after
/// asking), as the deal allows.
#[component]
pub fn CardActions(card: DealCard) -> impl IntoView {
    let navigate = use_navigate();
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::<Uuid>::new();
    let confirming = RwSignal::new(false);
    let copy = {
        let navigate = navigate.clone();
        click(move |_| {
            if card.busy.get_untracked() {
                return;
            }
            let (auth, id) = (card.auth, card.id());
            card.busy.set(true);
            error.set(None);
            let navigate = navigate.clone();
            spawn_local(async move {
                match deals::copy(auth, id, key).await {
                    Ok(new) => navigate(&format!("/deals/{}", new.id), Default::default()),
                    Err(e) => card.refused(e, error),
                }
                let _ = card.busy.try_set(false);
            });
        })
    };
    let delete = click(move |_| {
        if card.busy.get_untracked() {
            return;
        }
        let (auth, id) = (card.auth, card.id());
        card.busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match deals::delete(auth, id).await {
                Ok(()) => navigate("/deals", Default::default()),
                Err(e) => card.refused(e, error),
            }
            let _ = card.busy.try_set(false);
        });
    });
    view! {
        <div class="actions order-actions">
            <button type="button" data-testid="deal-copy" hidden=sig(move || !card.allows(DealAction::Copy))
                disabled=card.busy on:click=copy>
                {tr(|s| s.deals.copy)}
            </button>
            <button type="button" class="danger-outline" data-testid="deal-delete"
                hidden=sig(move || !card.allows(DealAction::Delete) || confirming.get())
                on:click=move |_| confirming.set(true)>
                {tr(|s| s.deals.delete)}
            </button>
        </div>
        <div class="confirm" data-testid="deal-delete-confirm" hidden=sig(move || !confirming.get())>
            <p>{tr(|s| s.deals.delete_confirm)}</p>
            <div class="actions">
                <button type="button" class="danger-fill" data-testid="deal-delete-yes" disabled=card.busy on:click=delete>
                    {tr(|s| s.deals.delete)}
                </button>
                <button type="button" on:click=move |_| confirming.set(false)>{tr(|s| s.deals.cancel)}</button>
            </div>
        </div>
        <DealError error=error/>
    }
}
