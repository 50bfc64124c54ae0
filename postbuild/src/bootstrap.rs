//! How the built page starts the app. Trunk writes, in place of its own loader, a small JSON
//! element naming the app's files (`pattern_script` in `Trunk.toml`) and no preloads of them
//! (`pattern_preload`: the page's content comes first). This step puts our bootstrap
//! (`postbuild/bootstrap.js`) after it, filled in with those files and the wasm's integrity
//! hash, and an import map that pins the JS glue by its hash: the browser refuses a tampered
//! file instead of running it. Run again on its own output, it brings the hashes up to date.

use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha384};

/// The id of the element Trunk writes from `pattern_script`.
const APP_ID: &str = "broadsheet-app";
/// The ids of the import map and the bootstrap this step writes.
const MAP_ID: &str = "broadsheet-importmap";
const BOOT_ID: &str = "broadsheet-bootstrap";
/// Where the bootstrap template takes the app's files.
const APP_MARK: &str = "__BROADSHEET_APP__";

/// The app's files, as Trunk names them.
#[derive(Debug, Deserialize)]
struct Files {
    js: String,
    wasm: String,
}

/// What the bootstrap is given.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct App<'a> {
    js: &'a str,
    wasm: &'a str,
    wasm_integrity: String,
    /// What the bootstrap imports to start the app (`postbuild/start.js`, minified).
    start: &'a str,
}

/// The file `postbuild/start.js` is written to: `start-<hash>.js`.
const START_PREFIX: &str = "start-";

/// Where `postbuild/start.js` takes the file of the site's whole CSS ([`Stylesheet`]).
const STYLE_MARK: &str = "__BROADSHEET_STYLE__";
/// The page's inline CSS (`crate::styles`), and the file it is also written to:
/// `style-<hash>.css`.
const STYLE_OPEN: &str = "<style id=broadsheet-style>";
const STYLE_PREFIX: &str = "style-";

/// The site's whole CSS as a file: a front's page carries only the fronts' part of it
/// (`crate::styles::FRONTS_FILE`), and the app, which shows every kind of page, adds this.
#[derive(Debug, Serialize)]
struct Stylesheet {
    href: String,
    integrity: String,
}

/// Removes the files of `dist` named `<prefix>…<extension>`, those of earlier builds, and their
/// compressed twins.
fn remove_earlier(dist: &Path, prefix: &str, extension: &str) -> Result<()> {
    for entry in fs::read_dir(dist)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(extension) {
            fs::remove_file(dist.join(name.as_ref()))?;
            // And their compressed twins, which a run before `crate::precompress` left.
            for twin in [".br", ".gz"] {
                let _ = fs::remove_file(dist.join(format!("{name}{twin}")));
            }
        }
    }
    Ok(())
}

/// The first 16 hex digits of `bytes`' SHA-384, to name a file by its content.
fn short_hash(bytes: &[u8]) -> String {
    Sha384::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the CSS of the page's `<style id=broadsheet-style>` into `dist` as `style-<hash>.css`
/// (removing those of earlier builds); `None` if the page has no such element.
fn write_style(dist: &Path, html: &str) -> Result<Option<Stylesheet>> {
    remove_earlier(dist, STYLE_PREFIX, ".css")?;
    let Some(start) = html.find(STYLE_OPEN).map(|i| i + STYLE_OPEN.len()) else {
        return Ok(None);
    };
    let end = html[start..]
        .find("</style>")
        .context("unterminated <style>")?
        + start;
    let css = &html[start..end];
    let name = format!("{STYLE_PREFIX}{}.css", short_hash(css.as_bytes()));
    fs::write(dist.join(&name), css)?;
    Ok(Some(Stylesheet {
        href: format!("/{name}"),
        integrity: format!("sha384-{}", STANDARD.encode(Sha384::digest(css.as_bytes()))),
    }))
}

/// Writes `source` minified into `dist` as `start-<hash>.js` (removing those of earlier builds)
/// and returns its path from the site's root.
fn write_start(dist: &Path, source: &str) -> Result<String> {
    let code = minify(source)?;
    remove_earlier(dist, START_PREFIX, ".js")?;
    let name = format!("{START_PREFIX}{}.js", short_hash(code.as_bytes()));
    fs::write(dist.join(&name), code)?;
    Ok(format!("/{name}"))
}

/// `sha384-…` of a built file.
fn digest(dist: &Path, path: &str) -> Result<String> {
    let bytes = fs::read(dist.join(path.trim_start_matches('/')))
        .with_context(|| format!("reading {path} for its integrity hash"))?;
    Ok(format!("sha384-{}", STANDARD.encode(Sha384::digest(bytes))))
}

/// JSON for inside a `<script>` element: no `<`, so nothing in it can end the element.
fn script_json(value: &impl Serialize) -> Result<String> {
    Ok(serde_json::to_string(value)?.replace('<', "\\u003c"))
}

/// The bootstrap template as it goes into the page: minified by esbuild (the npm package, from the
/// workspace's `node_modules/.bin`, else from PATH), then given the app's files. It is in every
/// first-screen page's first response, which must fit in one round trip (`e2e/budget.spec.ts`):
/// minified, it takes about 300 B less of it.
fn script(template: &str, app: &App) -> Result<String> {
    if template.matches(APP_MARK).count() != 1 {
        bail!("the bootstrap template must contain {APP_MARK} exactly once");
    }
    let code = minify(template)?;
    if code.matches(APP_MARK).count() != 1 {
        bail!("the minified bootstrap lost {APP_MARK}");
    }
    Ok(code.replace(APP_MARK, &script_json(app)?))
}

/// `code`, a module, minified by esbuild: its comments and whitespace gone, its names shortened.
/// Nothing in the result may end the `<script>` element it goes into.
fn minify(code: &str) -> Result<String> {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/esbuild");
    let program = if local.exists() {
        local.into_os_string()
    } else {
        "esbuild".into()
    };
    let mut esbuild = Command::new(program)
        .args([
            "--minify",
            "--format=esm",
            "--target=es2022",
            "--log-level=error",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running esbuild (node_modules/.bin; `make setup` installs it)")?;
    esbuild
        .stdin
        .take()
        .context("esbuild's input")?
        .write_all(code.as_bytes())?;
    let out = esbuild.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "esbuild refused the bootstrap: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let minified = String::from_utf8(out.stdout)?.trim_end().to_owned();
    let lower = minified.to_ascii_lowercase();
    if lower.contains("</script") || lower.contains("<!--") {
        bail!("the minified bootstrap would end its <script> element");
    }
    Ok(minified)
}

/// Where the element with the id `id` is in `html`: from `<script` to the end of `</script>`, and
/// its text. Only our own elements are looked for, by their ids.
fn script_element<'a>(html: &'a str, id: &str) -> Result<Option<(Range<usize>, &'a str)>> {
    let mut found = None;
    for (start, _) in html.match_indices("<script") {
        let tag_end = html[start..].find('>').context("unterminated tag")? + start;
        let tag = &html[start..tag_end];
        let names_id = tag
            .split_whitespace()
            .any(|attr| attr == format!("id={id}") || attr == format!("id=\"{id}\""));
        if !names_id {
            continue;
        }
        if found.is_some() {
            bail!("index.html has more than one #{id}");
        }
        let text_end = html[tag_end..]
            .find("</script>")
            .context("unterminated script")?
            + tag_end;
        found = Some((
            start..text_end + "</script>".len(),
            &html[tag_end + 1..text_end],
        ));
    }
    Ok(found)
}

/// `index.html` with the import map and the bootstrap (from `template`; what it imports to start
/// the app, from `start`, in a file of its own) after the element Trunk
/// wrote, which the page must have exactly once. Those written by an earlier run go first, so a
/// second run (a deploy re-running the step) only brings the hashes up to date.
pub fn write(html: &str, dist: &Path, template: &str, start: &str) -> Result<String> {
    let mut html = html.to_owned();
    for ours in [MAP_ID, BOOT_ID] {
        if let Some((range, _)) = script_element(&html, ours)? {
            html.replace_range(range, "");
        }
    }
    let (range, text) = script_element(&html, APP_ID)?.with_context(|| {
        format!("index.html has no #{APP_ID} element (is pattern_script set in Trunk.toml?)")
    })?;
    let files: Files = serde_json::from_str(text)
        .with_context(|| format!("the #{APP_ID} element is not the app's files"))?;
    for (path, ext) in [(&files.js, ".js"), (&files.wasm, ".wasm")] {
        if !path.starts_with('/') || !path.ends_with(ext) {
            bail!("unexpected app file {path:?}");
        }
    }
    if start.matches(STYLE_MARK).count() != 1 {
        bail!("postbuild/start.js must contain {STYLE_MARK} exactly once");
    }
    let style = write_style(dist, &html)?;
    let start = write_start(dist, &start.replace(STYLE_MARK, &script_json(&style)?))?;
    let app = App {
        js: &files.js,
        wasm: &files.wasm,
        wasm_integrity: digest(dist, &files.wasm)?,
        start: &start,
    };
    let map = serde_json::json!({ "integrity": {
        &files.js: digest(dist, &files.js)?,
        &start: digest(dist, &start)?,
    } });
    let scripts = format!(
        "<script type=importmap id={MAP_ID}>{}</script><script type=module id={BOOT_ID}>{}</script>",
        script_json(&map)?,
        script(template, &app)?
    );
    html.insert_str(range.end, &scripts);
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str =
        "// a comment\nconst app = __BROADSHEET_APP__;\n  // another\nstart(app);";
    const START: &str =
        "// starts\nconst style = __BROADSHEET_STYLE__;\nexport default (app) => app.go(style);";
    const FILES: &str = r#"<script id=broadsheet-app type=application/json>{"js":"/app-1.js","wasm":"/app-1_bg.wasm"}</script>"#;

    fn built() -> String {
        format!("<title>B</title>{FILES}<link rel=stylesheet href=/a.css>")
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("app-1.js"), "export default 1").expect("js");
        fs::write(dir.path().join("app-1_bg.wasm"), b"\0asm").expect("wasm");
        dir
    }

    #[test]
    fn writes_the_bootstrap_with_the_files_and_their_hashes() {
        let dir = site();
        let out = write(&built(), dir.path(), TEMPLATE, START).expect("writes");
        let js = digest(dir.path(), "/app-1.js").expect("hash");
        let wasm = digest(dir.path(), "/app-1_bg.wasm").expect("hash");
        // What the bootstrap imports, minified, in a file named by its hash, pinned by the map.
        let starts: Vec<String> = fs::read_dir(dir.path())
            .expect("dist")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(START_PREFIX))
            .collect();
        let [start_file] = starts.as_slice() else {
            panic!("one start file: {starts:?}");
        };
        let start = format!("/{start_file}");
        let code = fs::read_to_string(dir.path().join(start_file)).expect("start");
        assert!(
            !code.contains("starts") && code.contains("default"),
            "{code}"
        );
        let pinned = digest(dir.path(), &start).expect("hash");
        let expected = |script: &str| {
            format!(
                "<title>B</title>{FILES}<script type=importmap id=broadsheet-importmap>{{\"integrity\":{{\"/app-1.js\":\"{js}\",\"{start}\":\"{pinned}\"}}}}</script><script type=module id=broadsheet-bootstrap>{script}</script><link rel=stylesheet href=/a.css>"
            )
        };
        // esbuild names the constant as it likes: the page holds the minified template with the
        // app's files and hashes in place of the mark.
        let name = out
            .split("<script type=module id=broadsheet-bootstrap>const ")
            .nth(1)
            .and_then(|rest| rest.split('=').next())
            .expect("the bootstrap's constant");
        assert_eq!(
            out,
            expected(&format!(
                "const {name}={{\"js\":\"/app-1.js\",\"wasm\":\"/app-1_bg.wasm\",\"wasmIntegrity\":\"{wasm}\",\"start\":\"{start}\"}};start({name});"
            ))
        );
        // Again on its own output: the same page, with hashes of the files as they are now.
        assert_eq!(
            write(&out, dir.path(), TEMPLATE, START).expect("again"),
            out
        );
        fs::write(dir.path().join("app-1_bg.wasm"), b"\0asm2").expect("wasm");
        let again = write(&out, dir.path(), TEMPLATE, START).expect("again");
        assert!(!again.contains(&wasm));
        assert!(again.contains(&digest(dir.path(), "/app-1_bg.wasm").expect("hash")));
        assert_eq!(again.matches("<script").count(), 3);
        // Another start.js takes the place of the first.
        write(
            &out,
            dir.path(),
            TEMPLATE,
            "export default () => __BROADSHEET_STYLE__;",
        )
        .expect("another");
        assert!(!dir.path().join(start_file).exists());
        // A page without the inline CSS has no file of it to give.
        assert!(code.contains("null"), "{code}");
    }

    #[test]
    fn gives_the_app_the_whole_css_as_a_file_by_its_integrity() {
        let dir = site();
        let page = built().replace(
            "<title>B</title>",
            "<style id=broadsheet-style>.a{b:c}</style><title>B</title>",
        );
        write(&page, dir.path(), TEMPLATE, START).expect("writes");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("dist")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        let styles: Vec<&String> = names
            .iter()
            .filter(|n| n.starts_with(STYLE_PREFIX))
            .collect();
        let [style] = styles.as_slice() else {
            panic!("one style file: {names:?}");
        };
        assert_eq!(
            fs::read_to_string(dir.path().join(style)).expect("css"),
            ".a{b:c}"
        );
        let start = names
            .iter()
            .find(|n| n.starts_with(START_PREFIX))
            .expect("start");
        let code = fs::read_to_string(dir.path().join(start)).expect("start");
        let integrity = digest(dir.path(), &format!("/{style}")).expect("hash");
        assert!(
            code.contains(&format!("{{href:\"/{style}\",integrity:\"{integrity}\"}}"))
                || code.contains(&format!(
                    "{{\"href\":\"/{style}\",\"integrity\":\"{integrity}\"}}"
                )),
            "{code}"
        );
        // Another build's CSS takes the place of the first.
        write(&page.replace("b:c", "b:d"), dir.path(), TEMPLATE, START).expect("again");
        assert!(!dir.path().join(style).exists());
        let mark = format!("{START} {STYLE_MARK}");
        assert!(
            write(&page, dir.path(), TEMPLATE, &mark).is_err(),
            "the mark twice"
        );
    }

    #[test]
    fn the_bootstrap_minifies() {
        let app = App {
            js: "/app-1.js",
            wasm: "/app-1_bg.wasm",
            wasm_integrity: "sha384-x".to_owned(),
            start: "/start-1.js",
        };
        let template = include_str!("../bootstrap.js");
        let code = script(template, &app).expect("minifies");
        assert!(!code.contains("Starts Broadsheet"), "{code}");
        assert!(
            code.contains(
                r#"{"js":"/app-1.js","wasm":"/app-1_bg.wasm","wasmIntegrity":"sha384-x","start":"/start-1.js"}"#
            ),
            "{code}"
        );
        assert!(code.contains("import("), "{code}");
        let start = minify(include_str!("../start.js")).expect("minifies");
        assert!(start.contains("take_over"), "{start}");
    }

    #[test]
    fn finds_the_element_however_the_minifier_quoted_it() {
        let dir = site();
        let quoted = built().replace("id=broadsheet-app", r#"id="broadsheet-app""#);
        assert!(write(&quoted, dir.path(), TEMPLATE, START).is_ok());
        let last = built().replace(
            "<script id=broadsheet-app type=application/json>",
            "<script type=application/json id=broadsheet-app>",
        );
        assert!(write(&last, dir.path(), TEMPLATE, START).is_ok());
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        let dir = site();
        assert!(
            write("<title>B</title>", dir.path(), TEMPLATE, START).is_err(),
            "no element"
        );
        let not_files = built().replace(r#""js":"#, r#""jsx":"#);
        assert!(
            write(&not_files, dir.path(), TEMPLATE, START).is_err(),
            "not the files"
        );
        let missing = built().replace("app-1_bg.wasm", "gone_bg.wasm");
        assert!(
            write(&missing, dir.path(), TEMPLATE, START).is_err(),
            "no such file"
        );
        let outside = built().replace("/app-1.js", "https://elsewhere.example/app.js");
        assert!(
            write(&outside, dir.path(), TEMPLATE, START).is_err(),
            "not ours"
        );
        assert!(
            write(&built(), dir.path(), "start();", START).is_err(),
            "no mark"
        );
        let twice = format!("{}{FILES}", built());
        assert!(
            write(&twice, dir.path(), TEMPLATE, START).is_err(),
            "two elements"
        );
    }
}
