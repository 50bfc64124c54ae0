//! How numbers and times read on the page.

use broadsheet_model::Timestamp;

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
    if n == 1 {
        "1 view".to_owned()
    } else {
        format!("{} views", thousands(n))
    }
}

/// A time as the reader's clock shows it, e.g. `27 Nov 2026, 08:40`.
#[cfg(target_arch = "wasm32")]
pub fn datetime(t: Timestamp) -> String {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(t.unix_millis()));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    String::from(date.to_locale_string("en-GB", &options))
}

/// On the server (the first screen it renders) the reader's clock is unknown: the same form in
/// UTC, which the app replaces with the reader's own time when it starts.
#[cfg(not(target_arch = "wasm32"))]
pub fn datetime(t: Timestamp) -> String {
    use time::macros::format_description;
    let nanos = (t.unix_millis() as i128) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|utc| {
            utc.format(format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute]"
            ))
            .ok()
        })
        .unwrap_or_else(|| t.to_rfc3339())
}

/// How long ago `then` was, seen at `now` (both Unix milliseconds): "just now", "5 minutes ago",
/// "3 hours ago", "2 days ago"; `None` past a week, when the date itself reads better.
pub fn ago(now_ms: f64, then_ms: f64) -> Option<String> {
    let seconds = ((now_ms - then_ms) / 1000.0).max(0.0) as u64;
    let plural = |n: u64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match seconds {
        0..60 => Some("just now".to_owned()),
        60..3_600 => Some(plural(seconds / 60, "minute")),
        3_600..86_400 => Some(plural(seconds / 3_600, "hour")),
        86_400..604_800 => Some(plural(seconds / 86_400, "day")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
