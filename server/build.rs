//! Lists `locales/*.json` (the interface's message catalogues) into a table the server embeds
//! with `include_str!` (`src/catalogues.rs`): adding a language is adding a file there; the next
//! build carries it.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the locales folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let tag = p.file_stem()?.to_str()?.to_owned();
            let path = p.canonicalize().ok()?.to_str()?.to_owned();
            println!("cargo:rerun-if-changed={path}");
            Some((tag, path))
        })
        .collect();
    entries.sort();
    let mut out = String::from("/// Every catalogue in `locales/`: its tag and its text.\n");
    out.push_str("pub static SHIPPED: &[(&str, &str)] = &[\n");
    for (tag, path) in entries {
        out.push_str(&format!("    ({tag:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogues.rs");
    std::fs::write(target, out).expect("written");
}
