//! How long an article takes to read, shown in its header ("4 min read") by the first screen and
//! the app alike, so both compute it here.
//!
//! Spaced scripts are read word by word, Chinese, Japanese and Korean character by character, so
//! the two are counted apart and added: words at [`WORDS_PER_MINUTE`], CJK characters at
//! [`CJK_CHARS_PER_MINUTE`]. Words are runs of non-space text, not UAX #29 words: the word-break
//! tables of `unicode-segmentation` would add kilobytes to the app for no better estimate.

use crate::{Article, Block};

/// An adult's silent reading speed in English and other spaced scripts.
pub const WORDS_PER_MINUTE: u64 = 230;
/// Reading speed in Han, Hiragana, Katakana and Hangul characters.
pub const CJK_CHARS_PER_MINUTE: u64 = 500;

/// What a text holds to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextCount {
    /// Words of spaced scripts (a run holding at least one letter or digit).
    pub words: u64,
    /// Han, Hiragana, Katakana and Hangul characters.
    pub cjk_chars: u64,
}

impl TextCount {
    /// Counts `text` and adds it.
    pub fn add(&mut self, text: &str) {
        for token in text.split_whitespace() {
            // A token may mix scripts ("Kスタジオ", "5월"): its CJK characters count as characters,
            // and whatever else it holds as one word if that has a letter or digit.
            let mut other = false;
            for c in token.chars() {
                if is_cjk(c) {
                    self.cjk_chars += 1;
                } else if wordy(c) {
                    other = true;
                }
            }
            self.words += u64::from(other);
        }
    }

    /// Whole minutes, rounded up, at least one.
    pub fn minutes(self) -> u64 {
        // words / 230 + chars / 500, over a common denominator to stay in integers.
        let per = WORDS_PER_MINUTE * CJK_CHARS_PER_MINUTE;
        let work = self.words * CJK_CHARS_PER_MINUTE + self.cjk_chars * WORDS_PER_MINUTE;
        work.div_ceil(per).max(1)
    }
}

/// Whether `c` is read as a character rather than as part of a spaced word.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'     // Hangul Jamo
        | '\u{3040}'..='\u{309F}'   // Hiragana
        | '\u{30A0}'..='\u{30FF}'   // Katakana
        | '\u{3130}'..='\u{318F}'   // Hangul Compatibility Jamo
        | '\u{31F0}'..='\u{31FF}'   // Katakana Phonetic Extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK Unified Ideographs Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{A960}'..='\u{A97F}'   // Hangul Jamo Extended-A
        | '\u{AC00}'..='\u{D7AF}'   // Hangul Syllables
        | '\u{D7B0}'..='\u{D7FF}'   // Hangul Jamo Extended-B
        | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
        | '\u{FF66}'..='\u{FF9F}'   // Halfwidth Katakana
        | '\u{FFA0}'..='\u{FFDC}'   // Halfwidth Hangul
        | '\u{20000}'..='\u{3134F}' // CJK Unified Ideographs Extensions B to G
    )
}

/// Whether `c` makes a token a word: a letter or a digit, judged cheaply. `char::is_alphanumeric`
/// would bring Unicode's letter tables into the app (kilobytes of wasm) for the few tokens that
/// are punctuation alone ("—", "…", "&", "«", "。"), which these blocks cover.
fn wordy(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || !matches!(c,
            '\0'..='\u{7F}'             // the rest of ASCII
            | '\u{A0}'..='\u{BF}'       // Latin-1 punctuation and symbols
            | '\u{2000}'..='\u{206F}'   // General Punctuation
            | '\u{3000}'..='\u{303F}'   // CJK Symbols and Punctuation
            | '\u{FF01}'..='\u{FF0F}'   // fullwidth punctuation
            | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}'
        )
}

/// The minutes `text` takes to read.
pub fn reading_minutes(text: &str) -> u64 {
    let mut count = TextCount::default();
    count.add(text);
    count.minutes()
}

impl Article {
    /// The minutes the article takes to read: its standfirst and the text of its body (headings,
    /// paragraphs, quotes, lists and captions).
    pub fn reading_minutes(&self) -> u64 {
        let mut count = TextCount::default();
        if let Some(standfirst) = &self.standfirst {
            count.add(standfirst);
        }
        for block in &self.body.blocks {
            match block {
                Block::Paragraph { text, .. } | Block::Heading { text } => count.add(text),
                Block::Quote { text, cite } => {
                    count.add(text);
                    if let Some(cite) = cite {
                        count.add(cite);
                    }
                }
                Block::List { items, .. } => items.iter().for_each(|i| count.add(i)),
                Block::Image(image) => {
                    if let Some(caption) = &image.caption {
                        count.add(caption);
                    }
                }
            }
        }
        count.minutes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> TextCount {
        let mut c = TextCount::default();
        c.add(text);
        c
    }

    #[test]
    fn english_is_counted_in_words() {
        let c = count("The council voted, 7–2, on Tuesday — after a long debate.");
        // The dash alone is no word.
        assert_eq!(
            c,
            TextCount {
                words: 10,
                cjk_chars: 0
            }
        );
        assert_eq!(reading_minutes(&"word ".repeat(230)), 1);
        assert_eq!(reading_minutes(&"word ".repeat(231)), 2);
        assert_eq!(reading_minutes(&"word ".repeat(920)), 4);
    }

    #[test]
    fn korean_is_counted_in_characters() {
        // Hangul syllables, spaced between words, count one by one.
        let c = count("서울시는 오늘 새 예산안을 발표했다.");
        assert_eq!(
            c,
            TextCount {
                words: 0,
                cjk_chars: 15
            }
        );
        let text = "가나다라마 ".repeat(100); // 500 syllables
        assert_eq!(reading_minutes(&text), 1);
        assert_eq!(reading_minutes(&format!("{text}바")), 2);
        assert_eq!(reading_minutes(&text.repeat(3)), 3);
    }

    #[test]
    fn japanese_is_counted_in_characters() {
        // Kanji, hiragana and katakana, with no spaces and a full stop that is not counted.
        let c = count("東京都はデジタル化を進めている。");
        assert_eq!(
            c,
            TextCount {
                words: 0,
                cjk_chars: 15
            }
        );
        assert_eq!(reading_minutes(&"日本語".repeat(500)), 3);
        // Halfwidth katakana count too.
        assert_eq!(count("ｶﾀｶﾅ").cjk_chars, 4);
    }

    #[test]
    fn mixed_text_adds_both_speeds() {
        let c = count("Samsung은 서울에서 AI 칩을 발표했다 in 2026");
        // Words: Samsung, AI, in, 2026; characters: 은, 서울에서, 칩을, 발표했다.
        assert_eq!(
            c,
            TextCount {
                words: 4,
                cjk_chars: 11
            }
        );
        // 230 words (one minute) and 250 characters (half a minute): two minutes.
        let text = format!("{} {}", "word ".repeat(230), "漢字".repeat(125));
        assert_eq!(reading_minutes(&text), 2);
        // 115 words and 250 characters: exactly one minute.
        let text = format!("{} {}", "word ".repeat(115), "漢字".repeat(125));
        assert_eq!(reading_minutes(&text), 1);
    }

    #[test]
    fn an_empty_text_takes_a_minute() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(" — … "), 1);
    }
}
