//! Code that uses `itwin-platform`, as an application would have it: its tests
//! (`tests/mocked.rs`) run against [`itwin_platform::mock::MockServer`](https://docs.rs/itwin-platform)
//! with the crate's `test-util` feature, offline.

use itwin_platform::access_control::models::RoleCreate;
use itwin_platform::{Client, Error};

/// The display names of an iTwin's roles, sorted; a role without one is listed by its id.
pub async fn role_names(client: &Client, itwin_id: &str) -> Result<Vec<String>, Error> {
    let roles = client
        .access_control()
        .get_itwin_roles(itwin_id)
        .send()
        .await?;
    let mut names: Vec<String> = roles
        .roles
        .into_iter()
        .map(|role| role.display_name.unwrap_or(role.id))
        .collect();
    names.sort();
    Ok(names)
}

/// The id of the iTwin's role named `name`, created with `description` if there is none.
pub async fn ensure_role(
    client: &Client,
    itwin_id: &str,
    name: &str,
    description: &str,
) -> Result<String, Error> {
    let access_control = client.access_control();
    let roles = access_control.get_itwin_roles(itwin_id).send().await?;
    if let Some(role) = roles
        .roles
        .into_iter()
        .find(|role| role.display_name.as_deref() == Some(name))
    {
        return Ok(role.id);
    }
    let created = access_control
        .create_itwin_role(itwin_id, RoleCreate::new(name, description))
        .send()
        .await?;
    Ok(created.role.id)
}
