//! The platform's environments: the same APIs on a host of their own each.

/// The platform's environments; each serves the same APIs on its own host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://api.bentley.com`
    #[default]
    Production,
    /// `https://dev-api.bentley.com`
    Dev,
    /// `https://qa-api.bentley.com`
    Qa,
}

impl Environment {
    /// The environment's base URL, e.g. `https://api.bentley.com`.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => "https://api.bentley.com",
            Environment::Dev => "https://dev-api.bentley.com",
            Environment::Qa => "https://qa-api.bentley.com",
        }
    }

    /// The identity service (IMS) that issues the environment's tokens, e.g.
    /// `https://ims.bentley.com`: dev and qa alike use QA's, as Bentley's own clients do.
    pub fn ims_authority(self) -> &'static str {
        match self {
            Environment::Production => "https://ims.bentley.com",
            Environment::Dev | Environment::Qa => "https://qa-ims.bentley.com",
        }
    }
}
