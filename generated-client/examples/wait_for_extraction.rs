//! Runs an Insights extraction on an iModel and waits for it to end, printing each state.
//!
//! ```sh
//! ITWIN_TOKEN=... IMODEL_ID=... cargo run -p itwin-platform --example wait_for_extraction
//! ```
//!
//! `ITWIN_BASE_URL` points it at another server (a dev environment, or a local mock).

use std::time::Duration;

use futures::TryStreamExt;
use itwin_platform::runtime::WaitErrorKind;
use itwin_platform::{Client, Error};

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("set {name}");
        std::process::exit(2)
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut builder = Client::builder().access_token(required("ITWIN_TOKEN"));
    if let Ok(url) = std::env::var("ITWIN_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build().expect("valid settings");

    let run = client
        .insights()
        .run_extraction(required("IMODEL_ID"))
        .send()
        .await?;
    eprintln!("extraction run {} started", run.run.id);

    // Every poll as it comes; the stream ends after `Succeeded`, or with the error that ended it.
    let mut polls = run
        .wait(&client)
        .interval(Duration::from_secs(5))
        .max_wait(Duration::from_secs(60 * 60))
        .into_stream();
    loop {
        match polls.try_next().await {
            Ok(Some(poll)) => println!("{}", poll.state.as_deref().unwrap_or("(no state)")),
            Ok(None) => break,
            Err(Error::Wait(wait)) if matches!(wait.kind, WaitErrorKind::Failed { .. }) => {
                eprintln!("the extraction failed; its logs say why (get_extraction_logs)");
                return Err(Error::Wait(wait));
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}
