//! Subresource integrity for the app's own code. Trunk marks the stylesheets and preloads with
//! `integrity`, but its bootstrap script imports the JS glue and fetches the wasm without it (a
//! preload `as=fetch` does not enforce integrity). This rewrites the bootstrap so that the wasm
//! is fetched as `new Request(path, {integrity})` and adds an import map that pins the glue's
//! hash: a tampered file is refused by the browser, not run.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha384};

const BOOT_START: &str = "<script type=module>";
const MAP_START: &str = "<script type=importmap>";
const WASM_KEY: &str = "module_or_path:";

/// `sha384-…` of a built file.
fn digest(dist: &Path, path: &str) -> Result<String> {
    let bytes = fs::read(dist.join(path.trim_start_matches('/')))
        .with_context(|| format!("reading {path} for its integrity hash"))?;
    Ok(format!("sha384-{}", STANDARD.encode(Sha384::digest(bytes))))
}

/// The text between the first `open` after `from` and the next `close`.
fn between<'a>(s: &'a str, open: &str, close: char) -> Option<(usize, &'a str)> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some((start, &s[start..start + len]))
}

/// `index.html` with integrity on the bootstrap's wasm fetch and JS import. Running it again on
/// its own output only refreshes the hashes.
pub fn pin(html: &str, dist: &Path) -> Result<String> {
    // A previous run's import map goes; a fresh one is written below.
    let mut html = html.to_owned();
    if let Some(start) = html.find(MAP_START) {
        let end = html[start..]
            .find("</script>")
            .context("unterminated import map")?
            + start
            + "</script>".len();
        html.replace_range(start..end, "");
    }
    let Some(boot) = html.find(BOOT_START) else {
        bail!("index.html has no {BOOT_START} bootstrap (has Trunk's output changed?)");
    };
    let script_end = html[boot..]
        .find("</script>")
        .context("unterminated bootstrap")?
        + boot;
    let script = &html[boot..script_end];

    // The wasm: `module_or_path:`/x_bg.wasm`` (Trunk) or our own `new Request(…)` form.
    let key = script
        .find(WASM_KEY)
        .context("no wasm path in the bootstrap")?
        + WASM_KEY.len();
    let value = &script[key..];
    let (wasm, old_len) = if value.starts_with('`') {
        let (_, path) = between(value, "`", '`').context("wasm path")?;
        (path.to_owned(), path.len() + 2)
    } else if value.starts_with("new Request(`") {
        let (_, path) = between(value, "new Request(`", '`').context("wasm path")?;
        let end = value.find("})").context("wasm request")? + 2;
        (path.to_owned(), end)
    } else {
        bail!("unexpected wasm source in the bootstrap: {value:.40}");
    };
    if !wasm.starts_with('/') || !wasm.ends_with(".wasm") {
        bail!("unexpected wasm path {wasm:?}");
    }
    let request = format!(
        "new Request(`{wasm}`,{{integrity:`{}`}})",
        digest(dist, &wasm)?
    );

    // The glue: `from"/x.js"` (minified) or `from "/x.js"`.
    let (_, glue) = between(script, "from\"", '"')
        .or_else(|| between(script, "from \"", '"'))
        .context("no JS import in the bootstrap")?;
    if !glue.starts_with('/') || !glue.ends_with(".js") {
        bail!("unexpected JS path {glue:?}");
    }
    let map = format!(
        "{MAP_START}{{\"integrity\":{{\"{glue}\":\"{}\"}}}}</script>",
        digest(dist, glue)?
    );

    let wasm_at = boot + key;
    html.replace_range(wasm_at..wasm_at + old_len, &request);
    html.insert_str(boot, &map);
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<title>B</title><script type=module>import init,*as bindings from\"/app-1.js\";const wasm=await init({module_or_path:`/app-1_bg.wasm`});</script><link rel=modulepreload href=/app-1.js>";

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("app-1.js"), "export default 1").expect("js");
        fs::write(dir.path().join("app-1_bg.wasm"), b"\0asm").expect("wasm");
        dir
    }

    #[test]
    fn pins_the_wasm_and_the_glue() {
        let dir = site();
        let out = pin(TRUNK, dir.path()).expect("pins");
        let js = digest(dir.path(), "/app-1.js").expect("hash");
        let wasm = digest(dir.path(), "/app-1_bg.wasm").expect("hash");
        assert_eq!(
            out,
            format!(
                "<title>B</title><script type=importmap>{{\"integrity\":{{\"/app-1.js\":\"{js}\"}}}}</script><script type=module>import init,*as bindings from\"/app-1.js\";const wasm=await init({{module_or_path:new Request(`/app-1_bg.wasm`,{{integrity:`{wasm}`}})}});</script><link rel=modulepreload href=/app-1.js>"
            )
        );
        // Again on its own output: the same page, with hashes of the files as they are now.
        assert_eq!(pin(&out, dir.path()).expect("pins again"), out);
        fs::write(dir.path().join("app-1_bg.wasm"), b"\0asm2").expect("wasm");
        let again = pin(&out, dir.path()).expect("pins again");
        assert!(!again.contains(&wasm));
        assert!(again.contains(&digest(dir.path(), "/app-1_bg.wasm").expect("hash")));
    }

    #[test]
    fn refuses_a_bootstrap_it_does_not_know() {
        let dir = site();
        assert!(pin("<title>B</title>", dir.path()).is_err());
        assert!(
            pin(
                "<script type=module>init({module_or_path:x})</script>",
                dir.path()
            )
            .is_err()
        );
        let missing = TRUNK.replace("app-1_bg.wasm", "gone_bg.wasm");
        assert!(pin(&missing, dir.path()).is_err());
    }
}
