//! A draft's participants (docs/deals.md, "Participants"): persons from the
//! organisation's client base, or the organisation itself, each in a role,
//! with a share, a representative naming whom he signs for.

use super::*;
use mezha_api_types::deals::{NewParticipant, PARTICIPANTS_MAX, ParticipantRole};
use mezha_store::deals::ParticipantData;

/// The participant's data checked against the deal (`editing`: the
/// participant being changed, who may keep his own place).
fn checked(
    seen: &Seen,
    loaded: &Loaded,
    input: &NewParticipant,
    editing: Option<Uuid>,
) -> Result<ParticipantData, AppError> {
    let mut issues = crate::error::FieldIssues::new();
    let share = match input
        .share
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match Share::parse(s) {
            Ok(share) => Some(share.text()),
            Err(e) => {
                push_issue(&mut issues, "share", e);
                None
            }
        },
    };
    if let Some(client_id) = input.client_id {
        match loaded.clients.get(&client_id) {
            Some(c) if c.organisation_id == seen.deal.organisation_id => {}
            _ => push_issue(
                &mut issues,
                "client_id",
                FieldError::new("unknown", "No such client in the organisation's base."),
            ),
        }
    }
    let twice = loaded
        .participants
        .iter()
        .any(|p| Some(p.id) != editing && p.client_id == input.client_id && p.role == input.role);
    if twice {
        push_issue(
            &mut issues,
            "role",
            FieldError::new(
                "duplicate",
                "This participant is in the deal in this role already.",
            ),
        );
    }
    match (input.role, input.represents) {
        (ParticipantRole::Representative, Some(whom)) => {
            let represented = loaded.participants.iter().find(|p| p.id == whom);
            let fits = represented.is_some_and(|p| {
                Some(p.id) != editing && p.role != ParticipantRole::Representative
            });
            if !fits {
                push_issue(
                    &mut issues,
                    "represents",
                    FieldError::new(
                        "unknown",
                        "A representative signs for another participant of this deal who is not a representative.",
                    ),
                );
            }
        }
        (ParticipantRole::Representative, None) => push_issue(
            &mut issues,
            "represents",
            FieldError::new(
                "required",
                "Name the participant the representative signs for.",
            ),
        ),
        (_, Some(_)) => push_issue(
            &mut issues,
            "represents",
            FieldError::new(
                "not_a_representative",
                "Only a representative signs for someone.",
            ),
        ),
        (_, None) => {}
    }
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    Ok(ParticipantData {
        client_id: input.client_id,
        role: input.role,
        share,
        represents: input.represents,
    })
}

/// Loads the clients `input` names (beside the deal's own).
async fn with_client(
    state: &Core,
    mut loaded: Loaded,
    input: &NewParticipant,
) -> Result<Loaded, AppError> {
    if let Some(id) = input.client_id
        && !loaded.clients.contains_key(&id)
        && let Some(client) = mezha_store::clients::get(&state.db, id).await?
    {
        loaded.clients.insert(id, client);
    }
    Ok(loaded)
}

/// `POST /deals/{id}/participants`: adds a participant to the draft.
pub async fn add(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    input: NewParticipant,
) -> Result<Deal, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let seen = seen(state, auth, id).await?;
    let loaded = with_client(state, Loaded::of(state, &seen.deal).await?, &input).await?;
    check(&seen, &loaded, DealAction::AddParticipant)?;
    if loaded.participants.len() >= PARTICIPANTS_MAX {
        return Err(AppError::field(
            "client_id",
            FieldError::new(
                "too_many",
                format!("A deal has at most {PARTICIPANTS_MAX} participants."),
            ),
        ));
    }
    let data = checked(&seen, &loaded, &input, None)?;
    store::add_participant(&state.db, &seen.deal, data, auth.user_id, now(state))
        .await
        .map_err(changed)?;
    get(state, auth, id).await
}

fn no_participant() -> AppError {
    AppError::new(ErrorCode::NotFound, "deals.participant_not_found")
}

/// `PUT /deals/{id}/participants/{participant_id}`: changes his role,
/// share or whom he represents (the client stays); his signatures go.
pub async fn update(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    participant_id: Uuid,
    input: NewParticipant,
) -> Result<Deal, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    let current = loaded
        .participants
        .iter()
        .find(|p| p.id == participant_id)
        .ok_or_else(no_participant)?;
    check(&seen, &loaded, DealAction::EditParticipant)?;
    if input.client_id != current.client_id {
        return Err(AppError::field(
            "client_id",
            FieldError::new(
                "immutable",
                "A participant's person does not change: remove him and add the other.",
            ),
        ));
    }
    let data = checked(&seen, &loaded, &input, Some(participant_id))?;
    store::update_participant(
        &state.db,
        &seen.deal,
        participant_id,
        data,
        auth.user_id,
        now(state),
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => no_participant(),
        other => changed(other),
    })?;
    get(state, auth, id).await
}

/// `DELETE /deals/{id}/participants/{participant_id}`: removes him and his
/// signatures.
pub async fn remove(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    participant_id: Uuid,
) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    if !loaded.participants.iter().any(|p| p.id == participant_id) {
        return Err(no_participant());
    }
    check(&seen, &loaded, DealAction::EditParticipant)?;
    store::remove_participant(
        &state.db,
        &seen.deal,
        participant_id,
        auth.user_id,
        now(state),
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => no_participant(),
        other => changed(other),
    })?;
    get(state, auth, id).await
}
