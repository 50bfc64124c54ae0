//! Languages: which BCP 47 tags the contract accepts, and which way each one's text runs.
//!
//! An article may say what language it is in (`Article::lang`); the site has one too (the
//! server's `--lang`). Both go into `lang` and `dir` attributes, so a screen reader speaks the
//! text in its language, the browser picks fonts for its script, and an Arabic article reads right
//! to left on an English site.

use icu_locale_core::Locale;

/// The longest tag we keep. BCP 47 sets no limit; real ones ("zh-Hant-TW", "ar-EG-u-nu-latn") are
/// far shorter, and a tag goes into every page of its article.
pub const LANG_MAX: usize = 35;

/// Whether `tag` is a well-formed BCP 47 language tag ("ko", "ar-EG", "zh-Hant-TW", "en-GB"), as
/// ICU4X's parser reads it. Well-formed, not registered: "xx" passes, as it does in browsers.
pub fn is_valid_lang(tag: &str) -> bool {
    tag.len() <= LANG_MAX && Locale::try_from_str(tag).is_ok()
}

/// Which way a language's text runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LeftToRight => "ltr",
            Direction::RightToLeft => "rtl",
        }
    }
}

/// The scripts written right to left (ISO 15924 codes, lower case), from Unicode's script
/// property data: those in use today and the historic ones a tag may still name.
const RTL_SCRIPTS: &[&str] = &[
    "adlm", "arab", "aran", "armi", "avst", "chrs", "cprt", "elym", "hatr", "hebr", "hung", "khar",
    "lydi", "mand", "mani", "mend", "merc", "mero", "narb", "nbat", "nkoo", "orkh", "ougr", "palm",
    "phli", "phlp", "phnx", "prti", "rohg", "samr", "sarb", "sogd", "sogo", "syrc", "thaa", "yezi",
];

/// Languages whose usual script (CLDR's likely subtags) runs right to left, when the tag names no
/// script: Arabic, Hebrew (and its old code "iw"), Persian and Dari, Urdu, Pashto, Sindhi, Uyghur,
/// Yiddish, Dhivehi, Central Kurdish, Kashmiri, Syriac, Punjabi as written in Pakistan ("pnb"),
/// Balochi, Northern Luri, Mazanderani, Gilaki, N'Ko and Aramaic. A tag that names a script is
/// decided by the script instead ("pa-Arab" is right to left; "uz-Arab" too; "ku" alone is not).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "bal", "bgn", "ckb", "dv", "fa", "glk", "he", "iw", "ks", "lrc", "mzn", "nqo",
    "pnb", "prs", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// Which way text in `tag` runs: by its script subtag when it names one ("az-Arab"), else by its
/// language ("ar", "he-IL"). Anything not known to run right to left, including a malformed tag,
/// is left to right. Cheap and table-driven, so the app can call it for every article without
/// carrying a locale database.
pub fn direction(tag: &str) -> Direction {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next().unwrap_or("").to_ascii_lowercase();
    // The script is the first four-letter subtag before any singleton (extension) subtag.
    let script = subtags
        .take_while(|s| s.len() > 1)
        .find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase);
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
        None => RTL_LANGUAGES.contains(&language.as_str()),
    };
    if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags_pass() {
        for tag in [
            "en",
            "ko",
            "ar",
            "ar-EG",
            "zh-Hant-TW",
            "en-GB",
            "sr-Latn",
            "ar-u-nu-latn",
        ] {
            assert!(is_valid_lang(tag), "{tag}");
        }
    }

    #[test]
    fn malformed_tags_fail() {
        for tag in [
            "", " ", "e", "english", "ko_KR!", "ar-", "-ar", "12", "ar EG", "<ar>",
        ] {
            assert!(!is_valid_lang(tag), "{tag:?}");
        }
        assert!(!is_valid_lang(&format!("en-{}", "x-abcdefgh".repeat(4))));
    }

    #[test]
    fn directions() {
        for tag in [
            "ar", "AR", "ar-EG", "he", "iw", "fa-IR", "ur", "ps", "yi", "ckb", "az-Arab",
        ] {
            assert_eq!(direction(tag), Direction::RightToLeft, "{tag}");
        }
        for tag in [
            "en",
            "ko",
            "ko-KR",
            "zh-Hant-TW",
            "ku",
            "az",
            "sr-Latn",
            "ar-Latn",
            "",
            "x",
        ] {
            assert_eq!(direction(tag), Direction::LeftToRight, "{tag}");
        }
        assert_eq!(Direction::RightToLeft.as_str(), "rtl");
        assert_eq!(Direction::LeftToRight.as_str(), "ltr");
    }
}
