//! What every handler can reach: the application ([`mezha_app::App`], the
//! use cases' dependencies), the built web app, and the settings of the
//! HTTP edge. Built once by the server and shared by all workers.

use mezha_app::App;

/// Tunables of the HTTP edge.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    /// Mount `GET /api/v1/dev/outbox`.
    pub dev_outbox: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (for rate limits
    /// and the sessions list); empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Shared state of the HTTP layer (`web::Data<AppState>`); dereferences to
/// the application.
pub struct AppState {
    /// The application the handlers call.
    pub app: App,
    /// The built web app, when there is one to serve.
    pub web: Option<crate::webapp::WebApp>,
    /// Settings of the edge.
    pub http: HttpSettings,
}

impl AppState {
    /// The state serving `app`, with no web app and default edge settings.
    pub fn new(app: App) -> Self {
        AppState {
            app,
            web: None,
            http: HttpSettings::default(),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}
