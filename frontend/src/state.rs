//! App-wide state, provided as context: the interface language and the
//! session. The access token lives only here, in memory; the refresh token
//! is an httpOnly cookie the page cannot read. Nothing sensitive touches
//! localStorage (only the language choice does).

use crate::i18n::{Lang, Strings};
use leptos::prelude::*;
use mezha_api_types::Role;

const LANG_KEY: &str = "mezha.lang";

/// Interface settings.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    /// A message for the whole page (e.g. a failed role switch).
    pub flash: RwSignal<Option<String>>,
}

impl Ui {
    /// The language stored from a previous visit, else Russian.
    pub fn new() -> Self {
        let stored = local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
        Ui {
            lang: RwSignal::new(stored.map(|c| Lang::from_code(&c)).unwrap_or(Lang::Ru)),
            flash: RwSignal::new(None),
        }
    }

    /// Switches the language and remembers it.
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The current catalogue (reactive).
pub fn t() -> &'static Strings {
    expect_context::<Ui>().lang.get().t()
}

/// The session as the page knows it.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The access token (memory only).
    pub access: RwSignal<Option<String>>,
    /// Roles of the account.
    pub roles: RwSignal<Vec<Role>>,
    /// Acting role of the session.
    pub acting: RwSignal<Option<Role>>,
    /// The first silent refresh has finished (we know whether we are logged in).
    pub ready: RwSignal<bool>,
    /// The session ended under us (revoked, expired): the login page says so.
    pub ended: RwSignal<bool>,
}

impl Auth {
    /// Logged out, not yet checked.
    pub fn new() -> Self {
        Auth {
            access: RwSignal::new(None),
            roles: RwSignal::new(Vec::new()),
            acting: RwSignal::new(None),
            ready: RwSignal::new(false),
            ended: RwSignal::new(false),
        }
    }

    /// Whether there is a session, without subscribing.
    pub fn logged_in_untracked(&self) -> bool {
        self.access.with_untracked(Option::is_some)
    }

    /// Whether there is a session (reactive).
    pub fn logged_in(&self) -> bool {
        self.access.with(Option::is_some)
    }
}

/// The session context.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
