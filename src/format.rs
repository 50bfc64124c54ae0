//! How numbers and times read on the page.

use broadsheet_model::Timestamp;

use crate::i18n;

/// `"1 view"`, `"1,234 views"`.
pub fn views(n: u64) -> String {
    i18n::count("article.views", n, &[])
}

/// A time as the page's locale writes it, e.g. `7 November 2026 at 08:40`: on the server's
/// first screen in UTC (the reader's clock is unknown there), in the app in the reader's own
/// time zone, which it puts in place as it takes over.
pub fn datetime(t: Timestamp) -> String {
    i18n::datetime(t)
}

/// How long ago `then` was, seen at `now` (both Unix milliseconds): "just now", "5 minutes ago",
/// "3 hours ago", "2 days ago"; `None` past a week, when the date itself reads better.
pub fn ago(now_ms: f64, then_ms: f64) -> Option<String> {
    let seconds = ((now_ms - then_ms) / 1000.0).max(0.0) as u64;
    let plural = |n: u64, key: &str| i18n::count(key, n, &[]);
    match seconds {
        0..60 => Some(i18n::t("time.just_now")),
        60..3_600 => Some(plural(seconds / 60, "time.minutes_ago")),
        3_600..86_400 => Some(plural(seconds / 3_600, "time.hours_ago")),
        86_400..604_800 => Some(plural(seconds / 86_400, "time.days_ago")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn english_times_read_as_british_long_dates_in_utc() {
        let at = |s: &str| Timestamp::parse(s).expect("valid");
        assert_eq!(
            datetime(at("2026-11-07T08:05:00Z")),
            "7 November 2026 at 08:05"
        );
        assert_eq!(
            datetime(at("2026-11-27T23:40:00-02:00")),
            "28 November 2026 at 01:40"
        );
    }

    #[test]
    fn time_ago() {
        let minute = 60_000.0;
        assert_eq!(
            ago(10.0 * minute, 10.0 * minute).as_deref(),
            Some("just now")
        );
        assert_eq!(
            ago(0.0, 5.0 * minute).as_deref(),
            Some("just now"),
            "clock skew"
        );
        assert_eq!(ago(minute, 0.0).as_deref(), Some("1 minute ago"));
        assert_eq!(ago(59.0 * minute, 0.0).as_deref(), Some("59 minutes ago"));
        assert_eq!(ago(60.0 * minute, 0.0).as_deref(), Some("1 hour ago"));
        assert_eq!(
            ago(49.0 * 60.0 * minute, 0.0).as_deref(),
            Some("2 days ago")
        );
        assert_eq!(ago(7.0 * 24.0 * 60.0 * minute, 0.0), None);
    }

    #[test]
    fn view_counts() {
        assert_eq!(views(0), "0 views");
        assert_eq!(views(1), "1 view");
        assert_eq!(views(1234), "1,234 views");
    }
}
