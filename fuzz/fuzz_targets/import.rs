//! The import's parser and validator (`broadsheet-server import`): any file is taken whole or
//! refused with its problems named, never a panic; what it takes survives a second import.
#![no_main]

use broadsheet_server::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match import::parse(text) {
        Ok(items) => {
            let articles: Vec<_> = items.iter().map(|i| &i.article).collect();
            let encoded = serde_json::to_string(&articles).expect("encodes");
            let again = import::parse(&encoded).expect("what was taken is taken again");
            assert_eq!(again.len(), items.len());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
