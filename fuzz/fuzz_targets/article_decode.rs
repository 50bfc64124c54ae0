//! The article decoder, as the app and the server run it on what an API sends: any bytes decode
//! or fail cleanly, never panic; whatever decodes encodes and decodes back to itself, and the
//! code that reads a decoded article (validation, description, link checks) never panics.
#![no_main]

use broadsheet_model::{Article, ArticleSummary, Block, safe_href, safe_src};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(article) = serde_json::from_str::<Article>(text) else {
        return;
    };
    let _ = article.validate();
    let _ = article.description(200);
    let _ = ArticleSummary::from(&article);
    for block in &article.body.blocks {
        match block {
            Block::Paragraph { runs, .. } => {
                for run in runs {
                    if let Some(link) = &run.link {
                        let _ = safe_href(link);
                    }
                }
            }
            Block::Image(image) => {
                let _ = safe_src(&image.src);
            }
            _ => {}
        }
    }
    let encoded = serde_json::to_string(&article).expect("a decoded article encodes");
    let again: Article = serde_json::from_str(&encoded).expect("an encoded article decodes");
    assert_eq!(again.slug, article.slug);
    assert_eq!(again.body.blocks, article.body.blocks);
    assert_eq!(again.headline, article.headline);
});
