//! Reading any document as a feed (`broadsheet-server import FILE-OR-URL`): every format, the
//! encodings, the XML pass and HTML → blocks. Any bytes are read or refused with a reason, never
//! a panic, and every article read passes the contract's rules.
#![no_main]

use broadsheet_server::import::{self, Format, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match import::prepare(data, Format::Auto, &Options::default(), None, &[]) {
        Ok(prepared) => {
            for item in &prepared.items {
                assert!(item.article.validate().is_empty(), "{:?}", item.article.validate());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
