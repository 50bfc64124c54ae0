//! Share links: where each network's share page is, with the article's URL and title encoded.
//! Pure functions, so they are tested natively.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::i18n;

/// Everything but RFC 3986's unreserved characters is encoded, as `encodeURIComponent` does
/// (and a little more: `!'()*` too, which some share pages mishandle).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A network an article can be shared to by link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    X,
    Facebook,
    LinkedIn,
    WhatsApp,
    Email,
}

impl Network {
    pub const ALL: [Network; 5] = [
        Network::X,
        Network::Facebook,
        Network::LinkedIn,
        Network::WhatsApp,
        Network::Email,
    ];

    /// The name people know it by, as the site's language spells it.
    pub fn name(self) -> String {
        i18n::t(&format!("share.network_{}", self.key()))
    }

    /// The accessible name of its share control.
    pub fn label(self) -> String {
        match self {
            Network::Email => i18n::t("share.by_email"),
            n => i18n::fill("share.on_network", &[("network", &n.name())]),
        }
    }

    /// A short class name for styling.
    pub fn key(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::LinkedIn => "linkedin",
            Network::WhatsApp => "whatsapp",
            Network::Email => "email",
        }
    }

    /// The link that shares `url` (the article's canonical URL) titled `title`.
    pub fn link(self, url: &str, title: &str) -> String {
        match self {
            Network::X => format!(
                "https://x.com/intent/post?text={}&url={}",
                enc(title),
                enc(url)
            ),
            Network::Facebook => {
                format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(url))
            }
            Network::LinkedIn => {
                format!(
                    "https://www.linkedin.com/sharing/share-offsite/?url={}",
                    enc(url)
                )
            }
            Network::WhatsApp => {
                let message = i18n::fill("share.message", &[("title", title), ("url", url)]);
                format!("https://wa.me/?text={}", enc(&message))
            }
            Network::Email => {
                let body = i18n::fill("share.email_body", &[("url", url)]);
                format!("mailto:?subject={}&body={}", enc(title), enc(&body))
            }
        }
    }

    /// Whether the link opens a web page (in a new tab), rather than the mail program.
    pub fn opens_tab(self) -> bool {
        self != Network::Email
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://news.example/article/a-b?x=1&y=2#top";
    const TITLE: &str = "Fish & chips: 50% off? #deal — 한국어 \"quoted\"";

    #[test]
    fn every_network_encodes_url_and_title_completely() {
        let url = "https%3A%2F%2Fnews.example%2Farticle%2Fa-b%3Fx%3D1%26y%3D2%23top";
        let title = "Fish%20%26%20chips%3A%2050%25%20off%3F%20%23deal%20%E2%80%94%20%ED%95%9C%EA%B5%AD%EC%96%B4%20%22quoted%22";
        assert_eq!(
            Network::X.link(URL, TITLE),
            format!("https://x.com/intent/post?text={title}&url={url}")
        );
        assert_eq!(
            Network::Facebook.link(URL, TITLE),
            format!("https://www.facebook.com/sharer/sharer.php?u={url}")
        );
        assert_eq!(
            Network::LinkedIn.link(URL, TITLE),
            format!("https://www.linkedin.com/sharing/share-offsite/?url={url}")
        );
        assert_eq!(
            Network::WhatsApp.link(URL, TITLE),
            format!("https://wa.me/?text={title}%20{url}")
        );
        assert_eq!(
            Network::Email.link(URL, TITLE),
            format!("mailto:?subject={title}&body=A%20story%20from%20Broadsheet%3A%20{url}")
        );
    }

    #[test]
    fn spaces_are_percent_20_not_plus() {
        for n in Network::ALL {
            let link = n.link("https://a.example/x", "a b");
            assert!(!link.contains(' ') && !link.contains('+'), "{link}");
        }
    }

    #[test]
    fn names_and_labels() {
        assert_eq!(Network::Facebook.label(), "Share on Facebook");
        assert_eq!(Network::Email.label(), "Share by email");
        assert!(!Network::Email.opens_tab());
        assert!(Network::X.opens_tab());
    }
}
