//! The token store: a signed-in session kept on disk between runs, in a file only its owner
//! can read.

use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use super::error::SignInError;
use super::session::Session;

/// Where a signed-in session is kept between runs of the program: one JSON file per
/// application (client id) and identity service in a directory, written with owner-only
/// permissions (a `0700` directory and `0600` files on Unix; on Windows the user's
/// `AppData\Local` is private to them already). The file holds the access and refresh tokens:
/// nothing else is written to it, it is never logged, and signing out removes it.
///
/// ```no_run
/// use itwin_platform_runtime::TokenStore;
///
/// // ~/.config/my-tool on Linux, ~/Library/Application Support/my-tool on macOS,
/// // %LOCALAPPDATA%\my-tool on Windows.
/// let store = TokenStore::for_app("my-tool")?;
/// # Ok::<(), itwin_platform_runtime::SignInError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStore {
    dir: PathBuf,
}

/// What the file holds: the session and what it was issued to, so that a file copied or renamed
/// serves no other application or identity service.
#[derive(Serialize, Deserialize)]
struct Entry {
    authority: String,
    client_id: String,
    session: Session,
}

impl TokenStore {
    /// A store in `dir`, created when the first session is saved.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        TokenStore { dir: dir.into() }
    }

    /// A store in the user's local configuration directory, in a folder named `app`.
    ///
    /// # Errors
    /// [`SignInError::NoStoreDir`] where the system names no such directory (no home directory).
    pub fn for_app(app: &str) -> Result<Self, SignInError> {
        let base = dirs::config_local_dir().ok_or(SignInError::NoStoreDir)?;
        Ok(TokenStore::in_dir(base.join(app)))
    }

    /// The directory of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of the sessions of `client_id` at `authority`: a name of both, in characters
    /// every file system takes.
    pub(super) fn file(&self, authority: &str, client_id: &str) -> PathBuf {
        let host = authority
            .split_once("://")
            .map_or(authority, |(_, rest)| rest)
            .trim_end_matches('/');
        let name: String = format!("signin-{client_id}@{host}")
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' | '@' => c,
                _ => '_',
            })
            .collect();
        self.dir.join(format!("{name}.json"))
    }

    /// The stored session of `client_id` at `authority`; none if nothing is stored, or what is
    /// stored is unreadable or for another application.
    pub(super) async fn load(
        &self,
        authority: &str,
        client_id: &str,
    ) -> Result<Option<Session>, SignInError> {
        let path = self.file(authority, client_id);
        let text = match tokio::fs::read(&path).await {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(SignInError::Store { path, source }),
        };
        check_private(&path).await?;
        match serde_json::from_slice::<Entry>(&text) {
            Ok(entry) if entry.authority == authority && entry.client_id == client_id => {
                Ok(Some(entry.session))
            }
            Ok(_) => Ok(None),
            Err(e) => {
                // The position only: the text holds tokens.
                tracing::warn!(
                    path = %path.display(),
                    line = e.line(),
                    column = e.column(),
                    "the token file is not a stored sign-in, and is ignored"
                );
                Ok(None)
            }
        }
    }

    /// Keeps `session` for `client_id` at `authority`, in place of what was kept: written to a
    /// new private file, then renamed over the old one, so that a reader sees one or the other.
    pub(super) async fn save(
        &self,
        authority: &str,
        client_id: &str,
        session: &Session,
    ) -> Result<(), SignInError> {
        let store_error = |path: &Path| {
            let path = path.to_owned();
            move |source| SignInError::Store { path, source }
        };
        create_private_dir(&self.dir)
            .await
            .map_err(store_error(&self.dir))?;
        let path = self.file(authority, client_id);
        let entry = Entry {
            authority: authority.to_owned(),
            client_id: client_id.to_owned(),
            session: session.clone(),
        };
        let json = serde_json::to_vec_pretty(&entry).map_err(io::Error::other);
        let json = json.map_err(store_error(&path))?;
        // A random name: two saves at once (a refresh and a sign-in) must not share it.
        let random = oauth2::CsrfToken::new_random();
        let temporary = path.with_extension(format!("json.{}.tmp", random.secret()));
        let written = write_private(&temporary, &json).await;
        let renamed = match written {
            Ok(()) => tokio::fs::rename(&temporary, &path).await,
            Err(e) => Err(e),
        };
        if let Err(source) = renamed {
            let _ = tokio::fs::remove_file(&temporary).await;
            return Err(SignInError::Store { path, source });
        }
        Ok(())
    }

    /// Forgets the session of `client_id` at `authority`.
    pub(super) async fn clear(&self, authority: &str, client_id: &str) -> Result<(), SignInError> {
        let path = self.file(authority, client_id);
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                Err(SignInError::Store { path, source: e })
            }
            _ => Ok(()),
        }
    }
}

async fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).await
}

/// Writes a new file that only its owner can read or write.
async fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await?;
    file.write_all(contents).await?;
    file.sync_all().await
}

/// Refuses a file that others can read or write: its tokens may have been seen, or changed.
async fn check_private(path: &Path) -> Result<(), SignInError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = tokio::fs::metadata(path)
            .await
            .map_err(|source| SignInError::Store {
                path: path.to_owned(),
                source,
            })?;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(SignInError::StoreNotPrivate {
                path: path.to_owned(),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_per_application_and_identity_service() {
        let store = TokenStore::in_dir("/tmp/s");
        assert_eq!(
            store.file("https://ims.bentley.com", "native-abc"),
            Path::new("/tmp/s/signin-native-abc@ims.bentley.com.json")
        );
        assert_eq!(
            store.file("http://127.0.0.1:4000/", "a/b"),
            Path::new("/tmp/s/signin-a_b@127.0.0.1_4000.json")
        );
    }
}
