//! How numbers and times read on the page.

use broadsheet_model::Timestamp;

use crate::i18n;

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `"1 view"`, `"1,234 views"`.
pub fn views(n: u64) -> String {
    i18n::count_shown("article.views", n, &thousands(n), &[])
}

/// `27 Nov 2026, 08:40`: the form the site shows times in (as `Intl`'s en-GB "medium" date and
/// "short" time read). `month` counts from 1.
fn medium_date_time(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = MONTHS[(month.clamp(1, 12) - 1) as usize];
    format!("{day} {name} {year}, {hour:02}:{minute:02}")
}

/// A time as the reader's clock shows it, e.g. `27 Nov 2026, 08:40`. (Made by hand from the
/// date's local fields: an `Intl` formatter costs the first page tens of milliseconds to create.)
#[cfg(target_arch = "wasm32")]
pub fn datetime(t: Timestamp) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.unix_millis()));
    medium_date_time(
        date.get_full_year() as i32,
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
    )
}

/// On the server (the first screen it renders) the reader's clock is unknown: the same form in
/// UTC, which the app replaces with the reader's own time when it starts.
#[cfg(not(target_arch = "wasm32"))]
pub fn datetime(t: Timestamp) -> String {
    let nanos = (t.unix_millis() as i128) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(utc) => medium_date_time(
            utc.year(),
            u32::from(u8::from(utc.month())),
            u32::from(utc.day()),
            u32::from(utc.hour()),
            u32::from(utc.minute()),
        ),
        Err(_) => t.to_rfc3339(),
    }
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

    #[test]
    fn times_read_like_en_gb_medium_date_and_short_time() {
        assert_eq!(medium_date_time(2026, 11, 7, 8, 5), "7 Nov 2026, 08:05");
        assert_eq!(medium_date_time(2027, 1, 31, 23, 59), "31 Jan 2027, 23:59");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn server_times_read_like_the_browsers_en_gb_medium_form_in_utc() {
        let at = |s: &str| Timestamp::parse(s).expect("valid");
        assert_eq!(datetime(at("2026-11-07T08:05:00Z")), "7 Nov 2026, 08:05");
        assert_eq!(
            datetime(at("2026-11-27T23:40:00-02:00")),
            "28 Nov 2026, 01:40"
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
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn view_counts() {
        assert_eq!(views(0), "0 views");
        assert_eq!(views(1), "1 view");
        assert_eq!(views(1234), "1,234 views");
    }
}
