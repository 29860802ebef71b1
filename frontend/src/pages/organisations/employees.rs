//! The organisation's employees (`/organisation/employees`, its admin):
//! inviting one by e-mail, the invitations with their status and expiry,
//! and the members — each with his status, his rights as checkboxes saved
//! together, and the activate / deactivate buttons the server allows him.

use super::{Managed, ManagedStatus, back_html};
use crate::api::{ApiError, IdempotencyKey, organisations};
use crate::components::bind::{click, sig};
use crate::components::fields::Input;
use crate::components::form::Submit;
use crate::components::html::{Html, status_badge};
use crate::components::problem::{FormError, explain_with, issues};
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::format;
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::ErrorCode;
use mezha_api_types::organisations::{
    Invitation, InvitationStatus, Member, MemberAction, MemberRights, MemberRole, MemberStatus,
    NewInvitation, OrgRight, OrganisationAction,
};
use uuid::Uuid;

#[component]
pub fn OrgEmployeesPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="org-employees-page">
            <h1>{tr(|s| s.orgs.employees_title)}</h1>
            {move || shown.get().then(|| view! { <Employees/> })}
        </section>
    }
}

#[component]
fn Employees() -> impl IntoView {
    let managed = Managed::new(OrganisationAction::ManageMembers);
    managed.load();
    let org = managed.working();
    let shape = Memo::new(move |_| {
        org.with(|o| {
            o.as_ref().map(|o| {
                (
                    o.id,
                    o.allowed_actions.contains(&OrganisationAction::Invite),
                )
            })
        })
    });
    view! {
        <p inner_html=sig(move || managed.org.with(|o| o.as_ref().map(back_html).unwrap_or_default()))></p>
        <ManagedStatus managed=managed/>
        {move || shape.get().map(|(id, may_invite)| view! { <Lists id=id may_invite=may_invite/> })}
    }
}

/// The invitations and members of organisation `id`.
#[component]
fn Lists(id: Uuid, may_invite: bool) -> impl IntoView {
    let auth = use_auth();
    let invitations = RwSignal::new(Vec::<Invitation>::new());
    let invitations_state = RwSignal::new(Load::Loading);
    let load_invitations = Callback::new(move |_| {
        load(
            invitations_state,
            organisations::invitations(auth, id),
            move |page| invitations.set(page.items),
        );
    });
    load_invitations.run(());
    let members = RwSignal::new(Vec::<Member>::new());
    let members_state = RwSignal::new(Load::Loading);
    let load_members = Callback::new(move |_| {
        load(
            members_state,
            organisations::members(auth, id),
            move |page| members.set(page.items),
        );
    });
    load_members.run(());
    let invited = Callback::new(move |_| load_invitations.run(()));
    view! {
        {may_invite.then(|| view! { <Invite id=id invited=invited/> })}
        <section class="subsection" data-testid="org-invitations">
            <h2>{tr(|s| s.orgs.invitations_title)}</h2>
            <LoadStatus state=invitations_state retry=load_invitations quiet=true/>
            <ul class="parties" data-testid="invitation-list"
                inner_html=sig(move || invitations.with(|i| invitations_html(i)))></ul>
            <p class="empty" hidden=sig(move || !invitations_state.get().is_ready() || !invitations.with(Vec::is_empty))>
                {tr(|s| s.orgs.invitations_empty)}
            </p>
        </section>
        <section class="subsection" data-testid="org-members">
            <h2>{tr(|s| s.orgs.members_title)}</h2>
            <LoadStatus state=members_state retry=load_members quiet=true/>
            <ul class="parties" data-testid="member-list">
                <For each=move || members.get() key=|m| m.user_id children=move |m: Member| view! {
                    <MemberRow org=id user=m.user_id rights=m.rights members=members reload=load_members/>
                }/>
            </ul>
            <p class="empty" hidden=sig(move || !members_state.get().is_ready() || !members.with(Vec::is_empty))>
                {tr(|s| s.orgs.members_empty)}
            </p>
        </section>
    }
}

/// "Invite an employee": the address the link is mailed to.
#[component]
fn Invite(id: Uuid, invited: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let issues = issues(error, |n| (n == "email").then_some("email"), |_| {});
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewInvitation {
            email: email.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        error.set(None);
        done.set(false);
        spawn_local(async move {
            match organisations::invite(auth, id, &body, key).await {
                Ok(_) => {
                    done.set(true);
                    email.set(String::new());
                    let _ = invited.try_run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="org-invite" aria-labelledby="org-invite-title">
            <h2 id="org-invite-title">{tr(|s| s.orgs.invite_title)}</h2>
            <Input id="invite-email" name="email" kind="email" required=true label=|s| s.orgs.invite_email
                hint=|s| s.orgs.invite_hint value=email issues=issues/>
            <FormError error=error server_text=&["conflict", "not_found"]/>
            <Submit label=ts(|s| s.orgs.invite_submit) busy=busy/>
            <p class="success" role="status" data-testid="org-invited" hidden=sig(move || !done.get())>{tr(|s| s.orgs.invited)}</p>
        </form>
    }
}

fn invitations_html(items: &[Invitation]) -> String {
    let o = t().orgs;
    let mut h = Html::new();
    for x in items {
        h.open(
            "li",
            &[
                ("data-testid", Some("invitation")),
                ("data-status", Some(x.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], &x.email);
        status_badge(&mut h, x.status.as_str(), o.invitation_status(x.status));
        h.close("div");
        let mut meta = format!("{} {}", o.sent_at, format::time(x.created_at));
        // Until when the link works, while it still may.
        if x.status == InvitationStatus::Pending {
            meta.push_str(&format!(
                " · {} {}",
                o.valid_until,
                format::time(x.expires_at)
            ));
        }
        h.el("p", &[("class", Some("party-terms"))], &meta);
        h.close("li");
    }
    h.finish()
}

/// The member's name, status and role.
fn member_head(m: &Member) -> String {
    let o = t().orgs;
    let mut h = Html::new();
    h.el("strong", &[], m.full_name.as_deref().unwrap_or(&m.email));
    status_badge(&mut h, m.status.as_str(), o.member_status(m.status));
    h.span("tag-status", o.role(m.role));
    h.finish()
}

/// His contacts and the moments of his membership.
fn member_meta(m: &Member) -> String {
    let o = t().orgs;
    let mut parts = vec![m.email.clone()];
    if let Some(phone) = &m.phone {
        parts.push(phone.clone());
    }
    parts.push(format!("{} {}", o.joined_at, format::time(m.joined_at)));
    if let Some(at) = m.deactivated_at {
        parts.push(format!("{} {}", o.deactivated_at, format::time(at)));
    } else if let Some(at) = m.activated_at {
        parts.push(format!("{} {}", o.activated_at, format::time(at)));
    }
    parts.join(" · ")
}

/// What is said of a refused member action: a step the member's status no
/// longer allows names that status.
fn member_error(e: &ApiError) -> String {
    if let ApiError::Problem(p) = e
        && p.code == ErrorCode::IllegalTransition
        && let Some(Ok(now)) = p.current_status.as_deref().map(str::parse::<MemberStatus>)
    {
        return t()
            .orgs
            .member_now
            .replace("{}", t().orgs.member_status(now));
    }
    explain_with(e, &["conflict", "not_found"])
}

/// One member of the list: `members` holds him as the server last said.
#[component]
fn MemberRow(
    org: Uuid,
    user: Uuid,
    rights: Vec<OrgRight>,
    members: RwSignal<Vec<Member>>,
    reload: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let member =
        Memo::new(move |_| members.with(|l| l.iter().find(|m| m.user_id == user).cloned()));
    let allows = move |a: MemberAction| {
        member.with(|m| m.as_ref().is_some_and(|m| m.allowed_actions.contains(&a)))
    };
    let chosen = RwSignal::new(rights);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let run = move |action: Option<MemberAction>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        saved.set(false);
        let rights = chosen.get_untracked();
        spawn_local(async move {
            let result = match action {
                Some(step) => organisations::member_step(auth, org, user, step).await,
                None => {
                    let body = MemberRights { rights };
                    organisations::set_rights(auth, org, user, &body).await
                }
            };
            match result {
                Ok(changed) => {
                    if action.is_none() {
                        saved.set(true);
                    }
                    members.update(|l| {
                        if let Some(m) = l.iter_mut().find(|m| m.user_id == user) {
                            *m = changed;
                        }
                    });
                }
                Err(e) => {
                    // The member changed meanwhile: show him as he is now.
                    if matches!(e.code(), Some("illegal_transition" | "conflict")) {
                        let _ = reload.try_run(());
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let activate = click(move |_| run(Some(MemberAction::Activate)));
    let deactivate = click(move |_| run(Some(MemberAction::Deactivate)));
    let save = click(move |_| run(None));
    let may_set = sig(move || allows(MemberAction::SetRights));
    let shown_rights = sig(move || {
        let o = t().orgs;
        member.with(|m| match m {
            Some(m) if m.role == MemberRole::Admin => o.admin_rights.to_owned(),
            Some(m) => {
                let names: Vec<&str> = m.rights.iter().map(|r| o.right(*r)).collect();
                if names.is_empty() {
                    format!("{}: {}", o.rights, o.nothing)
                } else {
                    format!("{}: {}", o.rights, names.join(", "))
                }
            }
            None => String::new(),
        })
    });
    let boxes = OrgRight::ALL
        .iter()
        .map(|right| {
            let right = *right;
            let box_id = format!("right-{user}-{}", right.as_str());
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    c.retain(|x| *x != right);
                    if on {
                        c.push(right);
                    }
                });
            };
            view! {
                <label class="check" for=box_id.clone()>
                    <input type="checkbox" id=box_id.clone() data-right=right.as_str()
                        prop:checked=move || chosen.with(|c| c.contains(&right)) on:change=toggle/>
                    <span>{move || t().orgs.right(right)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <li data-testid="member" data-user-id=user.to_string()
            data-status=sig(move || member.with(|m| m.as_ref().map(|m| m.status.as_str()).unwrap_or_default()))>
            <div class="party-head" inner_html=sig(move || member.with(|m| m.as_ref().map(member_head).unwrap_or_default()))></div>
            <p class="party-terms" data-testid="member-meta"
                inner_html=sig(move || member.with(|m| m.as_ref().map(member_meta).unwrap_or_default()))></p>
            <p data-testid="member-rights" hidden=may_set>{shown_rights}</p>
            <fieldset class="field checks" data-testid="member-rights-form" hidden=sig(move || !may_set.get())>
                <legend>{tr(|s| s.orgs.rights)}</legend>
                {boxes}
            </fieldset>
            <div class="actions">
                <button type="button" data-testid="member-save-rights" hidden=sig(move || !may_set.get())
                    disabled=busy on:click=save>{tr(|s| s.orgs.save_rights)}</button>
                <button type="button" class="primary" data-testid="member-activate"
                    hidden=sig(move || !allows(MemberAction::Activate)) disabled=busy on:click=activate>
                    {tr(|s| s.orgs.activate)}
                </button>
                <button type="button" class="danger-outline" data-testid="member-deactivate"
                    hidden=sig(move || !allows(MemberAction::Deactivate)) disabled=busy on:click=deactivate>
                    {tr(|s| s.orgs.deactivate)}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error form-error" role="alert">{member_error(&e)}</p> })}
            <p class="success" role="status" data-testid="member-rights-saved" hidden=sig(move || !saved.get())>
                {tr(|s| s.orgs.rights_saved)}
            </p>
        </li>
    }
}
