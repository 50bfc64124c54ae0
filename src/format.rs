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

/// Native builds (tests, clippy) have no `Intl`: use the RFC 3339 form.
#[cfg(not(target_arch = "wasm32"))]
pub fn datetime(t: Timestamp) -> String {
    t.to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

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
