//! How the person is shown the sign-in page: the system browser, or the address printed.

use std::fmt;
use std::io;
use std::sync::Arc;

type Open = dyn Fn(&str) -> io::Result<()> + Send + Sync;

/// Shows the person the identity service's sign-in page, given its address.
///
/// [`OpenBrowser::system`] (the default) opens the system browser, and prints the address on
/// standard error where there is none; [`OpenBrowser::print_url`] only prints it (for a terminal
/// on another machine than the browser, a `--no-browser` flag); [`OpenBrowser::with`] hands it
/// to the caller's code (a window of a desktop application, or a test).
///
/// ```
/// use itwin_platform_runtime::OpenBrowser;
///
/// let show = OpenBrowser::with(|url| {
///     println!("Sign in at {url}");
///     Ok(())
/// });
/// # let _ = show;
/// ```
#[derive(Clone)]
pub struct OpenBrowser(Arc<Open>);

impl OpenBrowser {
    /// The system browser (`xdg-open` and friends, `open` on macOS, the default browser on
    /// Windows); where none can be started (no display), the address is printed on standard
    /// error for the person to open elsewhere.
    pub fn system() -> Self {
        OpenBrowser::with(|url| {
            let opened = can_start_a_browser() && webbrowser::open(url).is_ok();
            if !opened {
                print_url(url);
            }
            Ok(())
        })
    }

    /// Prints the address on standard error, and opens nothing.
    pub fn print_url() -> Self {
        OpenBrowser::with(|url| {
            print_url(url);
            Ok(())
        })
    }

    /// Hands the address to `open`; its error ends the sign-in with
    /// [`SignInError::Browser`](super::SignInError::Browser).
    pub fn with(open: impl Fn(&str) -> io::Result<()> + Send + Sync + 'static) -> Self {
        OpenBrowser(Arc::new(open))
    }

    pub(super) fn open(&self, url: &str) -> io::Result<()> {
        (self.0)(url)
    }
}

impl Default for OpenBrowser {
    fn default() -> Self {
        OpenBrowser::system()
    }
}

impl fmt::Debug for OpenBrowser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OpenBrowser(..)")
    }
}

/// The address holds no secret (the code comes back to the loopback listener, and the PKCE
/// verifier never leaves this process), so it can be shown.
fn print_url(url: &str) {
    eprintln!("To sign in, open this address in a browser:\n\n    {url}\n");
}

/// Whether a graphical browser can be started: on Linux and the BSDs only with a display (or a
/// browser named by `$BROWSER`, or Windows' through WSL). Without one, `xdg-open` would start a
/// text browser in the terminal, where the identity service's pages do not work.
fn can_start_a_browser() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "WSL_DISTRO_NAME"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}
