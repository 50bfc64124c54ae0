//! The files of each crate — the app (`src/`), the server (`server/src/`) and the build step
//! (`postbuild/src/`) — import each other in layers: no file uses one that (through others) uses
//! it. Read from the sources: an edge A -> B when A names a path into B (`crate::…`, `super::…`,
//! a child module, or a module it imported by `use`); `mod x;` declarations are the tree, not
//! edges. `cargo test -p broadsheet-server --test suite imports::` prints nothing but the verdict; a
//! circle is named file by file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

fn files(dir: &Path, root: &Path, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src");
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == "main.rs" {
                continue; // the binary: another crate
            }
            let mut module: Module = rel
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_owned)
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            out.insert(module, std::fs::read_to_string(&path).expect("read"));
        }
    }
}

/// `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`.
fn expand(prefix: &[String], body: &str, out: &mut Vec<Module>) {
    let body = body.trim();
    if let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        let (mut depth, mut start) = (0, 0);
        for (i, ch) in inner.char_indices().chain([(inner.len(), ',')]) {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(prefix, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let body = body.split(" as ").next().unwrap_or("").trim();
    if body.is_empty() {
        return;
    }
    match body.find("::{") {
        Some(at) => {
            let mut p = prefix.to_vec();
            p.extend(body[..at].split("::").map(str::to_owned));
            expand(&p, &body[at + 2..], out);
        }
        None => {
            let mut p = prefix.to_vec();
            p.extend(body.split("::").map(str::to_owned));
            out.push(p);
        }
    }
}

/// Every `ident::ident…` path written in `src`, as its segments.
fn paths_in(src: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if ident(bytes[i]) && (i == 0 || !(ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            let mut segments = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < bytes.len() && ident(bytes[j]) {
                    j += 1;
                }
                segments.push(src[start..j].to_owned());
                if src[j..].starts_with("::") && j + 2 < bytes.len() && ident(bytes[j + 2]) {
                    j += 2;
                } else {
                    break;
                }
            }
            if segments.len() > 1 {
                out.push(segments);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The import graph of the crate whose sources are at `src` (from the server's directory).
fn edges(src: &str) -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(src);
    let mut modules = BTreeMap::new();
    files(&root, &root, &mut modules);
    let name = |m: &Module| {
        if m.is_empty() {
            "lib.rs".to_owned()
        } else {
            m.join("/")
        }
    };
    // The file holding the longest prefix of a module path.
    let resolve = |path: &[String]| {
        (0..=path.len())
            .rev()
            .find(|&n| modules.contains_key(&path[..n]))
            .map(|n| name(&path[..n].to_vec()))
    };
    let mut graph = BTreeMap::new();
    for (module, text) in &modules {
        let text: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        // In an inline `mod tests` (behind its `#[cfg(…)]`), `super` is this file.
        let (code, tests) = match text.find("\nmod tests {") {
            Some(at) => text[..at]
                .rfind("#[cfg(")
                .map_or(text.split_at(at), |cfg| text.split_at(cfg)),
            None => (text.as_str(), ""),
        };
        let parent: Module = module[..module.len().saturating_sub(1)].to_vec();
        let mut paths: Vec<Module> = Vec::new();
        let mut aliases: BTreeMap<String, Module> = modules
            .keys()
            .filter(|k| k.len() == module.len() + 1 && k[..module.len()] == module[..])
            .map(|k| (k[module.len()].clone(), k.clone()))
            .collect();
        for part in [code, tests] {
            for statement in part.split(';') {
                let Some(at) = statement.find("use ") else {
                    continue;
                };
                let body = statement[at + 4..].trim();
                let (base, rest): (Module, &str) = if let Some(r) = body.strip_prefix("crate::") {
                    (Vec::new(), r)
                } else if let Some(r) = body.strip_prefix("super::") {
                    if part == tests {
                        continue;
                    }
                    (parent.clone(), r)
                } else {
                    match body.split_once("::") {
                        Some((first, r)) if aliases.contains_key(first) => {
                            (aliases[first].clone(), r)
                        }
                        _ => continue,
                    }
                };
                let mut found = Vec::new();
                expand(&base, rest, &mut found);
                for p in &found {
                    if modules.contains_key(p) {
                        aliases.insert(p.last().cloned().unwrap_or_default(), p.clone());
                    }
                }
                paths.extend(found);
            }
        }
        for part in [code, tests] {
            for p in paths_in(part) {
                match p[0].as_str() {
                    "crate" => paths.push(p[1..].to_vec()),
                    "super" if part == code => {
                        paths.push([parent.clone(), p[1..].to_vec()].concat())
                    }
                    first if aliases.contains_key(first) => {
                        paths.push([aliases[first].clone(), p[1..].to_vec()].concat())
                    }
                    _ => {}
                }
            }
        }
        let me = name(module);
        let targets: BTreeSet<String> = paths
            .iter()
            .filter_map(|p| resolve(p))
            .filter(|t| *t != me)
            .collect();
        graph.insert(me, targets);
    }
    graph
}

/// A path from `from` back to itself, if there is one.
fn circle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> bool {
    for next in graph.get(at).into_iter().flatten() {
        if next == from {
            path.push(next.clone());
            return true;
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if circle(graph, from, next, path, seen) {
                return true;
            }
            path.pop();
        }
    }
    false
}

fn assert_no_circle(graph: &BTreeMap<String, BTreeSet<String>>) {
    for file in graph.keys() {
        let mut path = vec![file.clone()];
        assert!(
            !circle(graph, file, file, &mut path, &mut BTreeSet::new()),
            "an import circle: {}",
            path.join(" -> ")
        );
    }
}

#[test]
fn no_server_file_imports_one_that_imports_it() {
    let graph = edges("src");
    // The reading finds what it must: the old circle's edges would show here.
    assert!(graph["lib.rs"].contains("api"), "{graph:#?}");
    assert!(graph["api"].contains("comments/routes"), "{graph:#?}");
    assert!(graph["store/sqlite"].contains("store"), "{graph:#?}");
    assert!(graph["web"].contains("state"), "{graph:#?}");
    assert_no_circle(&graph);
}

#[test]
fn no_app_file_imports_one_that_imports_it() {
    let graph = edges("../src");
    assert!(graph["page_data"].contains("api"), "{graph:#?}");
    assert!(
        graph["pages/section"].contains("components/paged"),
        "{graph:#?}"
    );
    assert!(graph["components/comments/form"].contains("components/comments/form_state"));
    assert_no_circle(&graph);
}

#[test]
fn the_apps_http_layer_uses_nothing_of_the_app() {
    // Nothing but the interface's catalogue (its errors are said in the site's language),
    // which is a leaf: it uses nothing of the app itself but its own parts.
    let graph = edges("../src");
    let others: Vec<_> = graph["api"].iter().filter(|u| *u != "i18n").collect();
    assert!(others.is_empty(), "api uses {others:?}");
    for (module, uses) in graph
        .iter()
        .filter(|(m, _)| m.split('/').next() == Some("i18n"))
    {
        let outside: Vec<_> = uses.iter().filter(|u| !u.starts_with("i18n/")).collect();
        assert!(outside.is_empty(), "{module} uses {outside:?}");
    }
    assert!(
        graph.contains_key("i18n/formats"),
        "the test sees i18n's parts"
    );
}

#[test]
fn only_the_two_roots_put_pages_together() {
    for (file, uses) in edges("../src") {
        let pages: Vec<_> = uses.iter().filter(|u| u.starts_with("pages/")).collect();
        let allowed = file == "app" || file == "render" || file.starts_with("pages/");
        assert!(allowed || pages.is_empty(), "{file} uses {pages:?}");
    }
}

#[test]
fn no_build_step_file_imports_one_that_imports_it() {
    let graph = edges("../postbuild/src");
    assert!(graph["lib.rs"].contains("bootstrap"), "{graph:#?}");
    assert_no_circle(&graph);
}

#[test]
fn the_storage_layer_knows_nothing_of_http() {
    let graph = edges("src");
    for (file, uses) in &graph {
        if file.starts_with("store") {
            let above: Vec<_> = uses.iter().filter(|u| !u.starts_with("store")).collect();
            assert!(above.is_empty(), "{file} uses {above:?}");
        }
    }
}

#[test]
fn the_apps_top_level_modules_are_layers_too() {
    // `components/…` as one `components`, and so on: the layers of `src/lib.rs`.
    let top = |f: &str| f.split('/').next().unwrap_or(f).to_owned();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, uses) in edges("../src") {
        let from = top(&file);
        let to: BTreeSet<String> = uses.iter().map(|u| top(u)).filter(|u| *u != from).collect();
        graph.entry(from).or_default().extend(to);
    }
    assert!(graph["pages"].contains("components"), "{graph:#?}");
    assert_no_circle(&graph);
}
