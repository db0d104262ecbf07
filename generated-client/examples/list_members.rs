//! A service application that lists every user member of an iTwin, page after page.
//!
//! ```sh
//! ITWIN_CLIENT_ID=... ITWIN_CLIENT_SECRET=... ITWIN_ID=... \
//!     cargo run -p itwin-platform --example list_members
//! ```
//!
//! `ITWIN_BASE_URL` and `ITWIN_TOKEN_URL` point it at other servers (a dev environment, or a
//! local mock); `RUST_LOG`-style tracing is left to the application, as here.

use futures::TryStreamExt;
use itwin_platform::{Client, ClientCredentials, Environment, Error, RetryPolicy};

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("set {name}");
        std::process::exit(2)
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut credentials =
        ClientCredentials::new(required("ITWIN_CLIENT_ID"), required("ITWIN_CLIENT_SECRET"));
    if let Ok(url) = std::env::var("ITWIN_TOKEN_URL") {
        credentials = credentials.token_url(url);
    }
    let mut builder = Client::builder()
        .environment(Environment::Production)
        .token_provider(credentials)
        // Long listings meet rate limits: wait for them patiently.
        .retry_policy(RetryPolicy::default().max_attempts(8));
    if let Ok(url) = std::env::var("ITWIN_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build().expect("valid settings");

    let itwin = required("ITWIN_ID");
    let mut members = client
        .access_control()
        .get_itwin_user_members(&itwin)
        .top(100)
        .into_stream();
    let mut count = 0;
    while let Some(member) = members.try_next().await? {
        count += 1;
        let email = member.email.flatten().unwrap_or_default();
        let roles: Vec<String> = member
            .roles
            .unwrap_or_default()
            .into_iter()
            .map(|role| role.display_name.unwrap_or(role.id))
            .collect();
        println!("{}\t{email}\t{}", member.id, roles.join(", "));
    }
    eprintln!("{count} members");
    Ok(())
}
