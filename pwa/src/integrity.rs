//! How the built page starts the app. Trunk marks the stylesheets and preloads with `integrity`,
//! but its bootstrap script imports the JS glue and fetches the wasm without it (a preload
//! `as=fetch` does not enforce integrity), and as soon as it can. This writes our own bootstrap:
//! it waits until the page's first screen is painted, fetches the wasm as
//! `new Request(path, {integrity})`, and imports the glue pinned by an import map with its hash,
//! so a tampered file is refused by the browser, not run; and it drops the preloads of the app.

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

/// `index.html` without Trunk's preloads of the app (`rel=preload` of the wasm, `rel=modulepreload`
/// of the JS glue). The page's content comes first: an article page arrives rendered, and
/// high-priority downloads of the app would compete with its stylesheets and lead image. The
/// bootstrap (a module script, run once the page is parsed) imports the glue and fetches the
/// wasm itself, both with their integrity, which a preload of the wasm would not check anyway.
pub fn without_app_preloads(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link ") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        out.push_str(&rest[..start]);
        let preloads_app = (tag.contains("rel=preload") && tag.contains(".wasm"))
            || tag.contains("rel=modulepreload");
        if !preloads_app {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// What the bootstrap waits for before it loads the app, on a page the server rendered (it
/// carries `#broadsheet-first-screen`, the app's `first_screen::DATA_ID`): the page's `load`
/// (stylesheets and the lead image are in) and then two painted frames (an image decoded after
/// the first paint is painted in the next). That first screen is on screen before a byte of the
/// app is asked for, so the app's download never competes with it.
/// Other pages (home, embeds: nothing to show without the app) start it at once.
const AFTER_FIRST_PAINT: &str = "if(document.getElementById(`broadsheet-first-screen`)){await new Promise(r=>document.readyState==`complete`?r():addEventListener(`load`,()=>r(),{once:true}));await new Promise(r=>requestAnimationFrame(()=>requestAnimationFrame(()=>setTimeout(r))))}";

/// The JS glue's path in the bootstrap: Trunk's static `from"/x.js"` (or `from "/x.js"`), or our
/// own `import("/x.js")`.
fn glue_path(script: &str) -> Result<&str> {
    let (_, glue) = between(script, "from\"", '"')
        .or_else(|| between(script, "from \"", '"'))
        .or_else(|| between(script, "import(\"", '"'))
        .context("no JS import in the bootstrap")?;
    if !glue.starts_with('/') || !glue.ends_with(".js") {
        bail!("unexpected JS path {glue:?}");
    }
    Ok(glue)
}

/// The wasm's path in the bootstrap: Trunk's `module_or_path:`/x_bg.wasm`` or our own
/// `new Request(`/x_bg.wasm`,…)`.
fn wasm_path(script: &str) -> Result<&str> {
    let value = &script[script
        .find(WASM_KEY)
        .context("no wasm path in the bootstrap")?
        + WASM_KEY.len()..];
    let (_, wasm) = if value.starts_with('`') {
        between(value, "`", '`')
    } else if value.starts_with("new Request(`") {
        between(value, "new Request(`", '`')
    } else {
        bail!("unexpected wasm source in the bootstrap: {value:.40}");
    }
    .context("wasm path")?;
    if !wasm.starts_with('/') || !wasm.ends_with(".wasm") {
        bail!("unexpected wasm path {wasm:?}");
    }
    Ok(wasm)
}

/// `index.html` with our bootstrap in place of Trunk's: it waits for the first paint
/// ([`AFTER_FIRST_PAINT`]), imports the JS glue (pinned by an import map with its integrity)
/// and fetches the wasm as `new Request(path, {integrity})`. Running it again on its own output
/// only refreshes the hashes.
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
    let script = &html[boot + BOOT_START.len()..script_end];
    if !script.contains("TrunkApplicationStarted") {
        bail!("the bootstrap is not Trunk's (has Trunk's output changed?)");
    }
    let (glue, wasm) = (glue_path(script)?.to_owned(), wasm_path(script)?.to_owned());
    let bootstrap = format!(
        "{BOOT_START}{AFTER_FIRST_PAINT}const bindings=await import(\"{glue}\"),init=bindings.default;\
         const wasm=await init({{module_or_path:new Request(`{wasm}`,{{integrity:`{}`}})}});\
         window.wasmBindings=bindings,dispatchEvent(new CustomEvent(`TrunkApplicationStarted`,{{detail:{{wasm}}}}));",
        digest(dist, &wasm)?
    );
    let map = format!(
        "{MAP_START}{{\"integrity\":{{\"{glue}\":\"{}\"}}}}</script>",
        digest(dist, &glue)?
    );
    html.replace_range(boot..script_end, &bootstrap);
    html.insert_str(boot, &map);
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<title>B</title><script type=module>import init,*as bindings from\"/app-1.js\";const wasm=await init({module_or_path:`/app-1_bg.wasm`});window.wasmBindings=bindings,dispatchEvent(new CustomEvent(`TrunkApplicationStarted`,{detail:{wasm}}));</script><link rel=stylesheet href=/a.css>";

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
                "<title>B</title><script type=importmap>{{\"integrity\":{{\"/app-1.js\":\"{js}\"}}}}</script><script type=module>{AFTER_FIRST_PAINT}const bindings=await import(\"/app-1.js\"),init=bindings.default;const wasm=await init({{module_or_path:new Request(`/app-1_bg.wasm`,{{integrity:`{wasm}`}})}});window.wasmBindings=bindings,dispatchEvent(new CustomEvent(`TrunkApplicationStarted`,{{detail:{{wasm}}}}));</script><link rel=stylesheet href=/a.css>"
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
    fn the_app_is_not_preloaded() {
        let built = "<link href=/a.css rel=stylesheet><link crossorigin href=/app-1.js rel=modulepreload><link as=fetch crossorigin href=/app-1_bg.wasm integrity=sha384-x rel=preload type=application/wasm><link href=/m.webmanifest rel=manifest></head>";
        let out = without_app_preloads(built);
        assert_eq!(
            out,
            "<link href=/a.css rel=stylesheet><link href=/m.webmanifest rel=manifest></head>"
        );
        assert_eq!(without_app_preloads(&out), out);
    }

    #[test]
    fn refuses_a_bootstrap_it_does_not_know() {
        let dir = site();
        assert!(pin("<title>B</title>", dir.path()).is_err());
        assert!(
            pin(
                "<script type=module>init({module_or_path:x});TrunkApplicationStarted</script>",
                dir.path()
            )
            .is_err()
        );
        assert!(
            pin(
                "<script type=module>import init from\"/app-1.js\";init({module_or_path:`/app-1_bg.wasm`})</script>",
                dir.path()
            )
            .is_err(),
            "not Trunk's bootstrap"
        );
        let missing = TRUNK.replace("app-1_bg.wasm", "gone_bg.wasm");
        assert!(pin(&missing, dir.path()).is_err());
    }
}
