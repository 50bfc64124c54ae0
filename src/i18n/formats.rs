//! Dates and numbers in the catalogue's locale, by CLDR's rules, from kept libraries: ICU4X
//! natively (the server's first screen, where the reader's clock is unknown: UTC) and the
//! browser's own `Intl` in the app (the reader's time zone). Both are asked for the same forms
//! — a date in CLDR's long style with a short time ("7 November 2026 at 08:05",
//! "2026년 11월 7일 오전 8:05"), a whole number with its locale's digits and grouping — and
//! the tests hold them to each other: the native tests to what Chromium's `Intl` wrote, the
//! browser tests (`e2e/languages.spec.ts`) to the live `Intl` of the page.
//!
//! The long style rather than the medium one: ICU4X and `Intl` build the medium form of some
//! languages differently (Korean: "2026/11/7" against "2026. 11. 7."), the long one alike.

#[cfg(target_arch = "wasm32")]
pub use browser::Formats;
#[cfg(not(target_arch = "wasm32"))]
pub use native::Formats;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use broadsheet_model::Timestamp;
    use icu_calendar::Gregorian;
    use icu_datetime::FixedCalendarDateTimeFormatter;
    use icu_datetime::fieldsets::YMDT;
    use icu_datetime::input::{Date, DateTime, Time};
    use icu_datetime::options::TimePrecision;
    use icu_decimal::DecimalFormatter;
    use icu_decimal::input::Decimal;
    use writeable::Writeable;

    /// ICU4X's formatters for one locale, made once per site.
    pub struct Formats {
        datetime: FixedCalendarDateTimeFormatter<Gregorian, YMDT>,
        decimal: DecimalFormatter,
    }

    impl Formats {
        /// The formatters of `locale` (a BCP 47 tag), or why ICU4X has none.
        pub fn new(locale: &str) -> Result<Formats, String> {
            let locale = icu_locale_core::Locale::try_from_str(locale)
                .map_err(|e| format!("{locale:?} is not a locale: {e}"))?;
            let fields = YMDT::long().with_time_precision(TimePrecision::Minute);
            let datetime = FixedCalendarDateTimeFormatter::try_new((&locale).into(), fields)
                .map_err(|e| format!("no date formats for {locale}: {e}"))?;
            let decimal = DecimalFormatter::try_new((&locale).into(), Default::default())
                .map_err(|e| format!("no number formats for {locale}: {e}"))?;
            Ok(Formats { datetime, decimal })
        }

        /// `t` in UTC, in the long date and short time form.
        pub fn datetime(&self, t: Timestamp) -> String {
            let nanos = i128::from(t.unix_millis() as i64) * 1_000_000;
            let fields = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
                .ok()
                .and_then(|utc| {
                    let date =
                        Date::try_new_gregorian(utc.year(), u8::from(utc.month()), utc.day())
                            .ok()?;
                    let time = Time::try_new(utc.hour(), utc.minute(), 0, 0).ok()?;
                    Some(DateTime { date, time })
                });
            match fields {
                Some(at) => self.datetime.format(&at).write_to_string().into_owned(),
                None => t.to_rfc3339(),
            }
        }

        /// `n` with the locale's digits and grouping ("1,234").
        pub fn number(&self, n: u64) -> String {
            self.decimal
                .format(&Decimal::from(n))
                .write_to_string()
                .into_owned()
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use broadsheet_model::Timestamp;
    use std::cell::OnceCell;
    use wasm_bindgen::JsValue;

    /// The browser's `Intl` formatters for one locale, each made on first use (making one
    /// costs milliseconds).
    pub struct Formats {
        locale: String,
        datetime: OnceCell<js_sys::Function>,
        number: OnceCell<js_sys::Function>,
    }

    impl Formats {
        /// The formatters of `locale`; `Intl` falls back by itself for a locale it lacks.
        pub fn new(locale: &str) -> Result<Formats, String> {
            Ok(Formats {
                locale: locale.to_owned(),
                datetime: OnceCell::new(),
                number: OnceCell::new(),
            })
        }

        fn locales(&self) -> js_sys::Array {
            js_sys::Array::of1(&self.locale.as_str().into())
        }

        /// `t` in the reader's time zone, in the long date and short time form.
        pub fn datetime(&self, t: Timestamp) -> String {
            let format = self.datetime.get_or_init(|| {
                let options = js_sys::Object::new();
                for (name, value) in [("dateStyle", "long"), ("timeStyle", "short")] {
                    let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
                }
                js_sys::Intl::DateTimeFormat::new(&self.locales(), &options).format()
            });
            let date = js_sys::Date::new(&JsValue::from_f64(t.unix_millis()));
            format
                .call1(&JsValue::UNDEFINED, &date)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| t.to_rfc3339())
        }

        /// `n` with the locale's digits and grouping ("1,234").
        pub fn number(&self, n: u64) -> String {
            let format = self.number.get_or_init(|| {
                js_sys::Intl::NumberFormat::new(&self.locales(), &js_sys::Object::new()).format()
            });
            format
                .call1(&JsValue::UNDEFINED, &JsValue::from_f64(n as f64))
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| n.to_string())
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use broadsheet_model::Timestamp;

    /// What Chromium 156's `Intl` wrote for 2026-11-07T08:05Z (`timeZone: 'UTC'`, `dateStyle:
    /// 'long'`, `timeStyle: 'short'`) and for 1234567, in each shipped catalogue's locale.
    const CHROMIUM: [(&str, &str, &str); 3] = [
        ("en-GB", "7 November 2026 at 08:05", "1,234,567"),
        ("ko", "2026년 11월 7일 오전 8:05", "1,234,567"),
        ("ar", "7 نوفمبر 2026 في 8:05 ص", "1,234,567"),
    ];

    #[test]
    fn icu4x_writes_what_the_browsers_intl_writes() {
        let at = Timestamp::parse("2026-11-07T08:05:00Z").expect("valid");
        for (locale, datetime, number) in CHROMIUM {
            let formats = Formats::new(locale).expect("formats");
            assert_eq!(formats.datetime(at), datetime, "{locale}");
            assert_eq!(formats.number(1_234_567), number, "{locale}");
        }
    }

    #[test]
    fn times_are_utc_and_numbers_keep_their_locales_digits() {
        let formats = Formats::new("en-GB").expect("formats");
        let at = Timestamp::parse("2026-11-27T23:40:00-02:00").expect("valid");
        assert_eq!(formats.datetime(at), "28 November 2026 at 01:40");
        assert_eq!(formats.number(0), "0");
        assert_eq!(formats.number(u64::MAX), "18,446,744,073,709,551,615");
        // Egyptian Arabic writes Arabic-Indic digits, and its own group separator.
        assert_eq!(
            Formats::new("ar-EG").expect("formats").number(1234),
            "١٬٢٣٤"
        );
    }

    #[test]
    fn a_tag_that_is_no_locale_is_refused() {
        assert!(Formats::new("not a tag").is_err());
    }
}
