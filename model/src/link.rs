//! Which link targets may become links.

/// Schemes a link may use. Everything else (`javascript:`, `data:`, `vbscript:`, relative
/// paths…) is shown as text, never as a link.
const ALLOWED: [&str; 3] = ["http://", "https://", "mailto:"];

/// The target to put in `href`, if `target` may be a link at all.
///
/// Browsers drop ASCII tab and newline anywhere in a URL and trim leading and trailing C0
/// controls and spaces before they look at the scheme (`java\tscript:` is `javascript:`), so we
/// normalise the same way first and return the normalised form: what we checked is what the
/// browser follows.
pub fn safe_href(target: &str) -> Option<String> {
    let cleaned: String = target
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let allowed = ALLOWED
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    allowed.then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::safe_href;

    #[test]
    fn allows_web_and_mail_links() {
        assert_eq!(
            safe_href("https://example.org/a?b=c").as_deref(),
            Some("https://example.org/a?b=c")
        );
        assert_eq!(
            safe_href("HTTP://EXAMPLE.ORG").as_deref(),
            Some("HTTP://EXAMPLE.ORG")
        );
        assert_eq!(
            safe_href("mailto:desk@broadsheet.example").as_deref(),
            Some("mailto:desk@broadsheet.example")
        );
    }

    #[test]
    fn refuses_script_data_and_disguised_schemes() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "/relative/path",
            "//evil.example/x",
            "https://",
            "",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?} must not become a link");
        }
    }

    #[test]
    fn strips_what_the_browser_would_strip() {
        assert_eq!(
            safe_href("  https://exa\tmple.org \n").as_deref(),
            Some("https://example.org")
        );
    }
}

/// The `src` to load an image from, if `src` is a same-site path (`/media/x.webp`) or an
/// http(s) URL. Anything else (`data:`, `javascript:`, protocol-relative) is not loaded.
pub fn safe_src(src: &str) -> Option<&str> {
    let s = src.trim();
    let lower = s.to_ascii_lowercase();
    let same_site = s.starts_with('/') && !s.starts_with("//") && !s.contains('\\');
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    (same_site || web).then_some(s)
}

#[cfg(test)]
mod src_tests {
    use super::safe_src;

    #[test]
    fn images_load_only_from_paths_and_the_web() {
        assert_eq!(safe_src("/media/harbour.svg"), Some("/media/harbour.svg"));
        assert_eq!(
            safe_src("https://cdn.example/a.jpg"),
            Some("https://cdn.example/a.jpg")
        );
        for bad in [
            "//evil.example/a.png",
            "javascript:alert(1)",
            "data:image/svg+xml,<svg/>",
            "a.png",
            "/\\evil",
        ] {
            assert_eq!(safe_src(bad), None, "{bad:?}");
        }
    }
}
