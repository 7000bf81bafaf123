//! The dependency rules of ARCHITECTURE.md, checked on the source text: each layer may only use
//! the layers below it, and feature modules in `ops` form no circles. A forbidden `use` (or any
//! path written in code) fails this test with the file and line.
//!
//! Layers, bottom up: `clock`, `error`, `paths`, `text` · `domain` · `io`, `print` (pure: no
//! store) · `store` · `ops` · `demo` · the shell (`src-tauri/src`) and the CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates/hearth-core/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below `src`: `ops/credit/mod.rs` → `["ops", "credit"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Code without comments and string literals (so a doc line naming `crate::store` is not a use).
fn code_only(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = 0usize;
    for (n, line) in text.lines().enumerate() {
        let mut code = String::new();
        let mut chars = line.chars().peekable();
        let mut in_str = false;
        while let Some(c) = chars.next() {
            if in_block > 0 {
                if c == '*' && chars.peek() == Some(&'/') {
                    chars.next();
                    in_block -= 1;
                }
                continue;
            }
            if in_str {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    in_str = false;
                }
                continue;
            }
            match c {
                '/' if chars.peek() == Some(&'/') => break,
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    in_block += 1;
                }
                '"' => in_str = true,
                _ => code.push(c),
            }
        }
        out.push((n + 1, code));
    }
    out
}

/// Every module path the code names through `crate::` or `super::`, resolved against the file's
/// own module, with its line. Grouped uses (`crate::{a, b::c}`) name each member.
fn named_paths(module: &[String], text: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (line, code) in code_only(text) {
        let bytes: Vec<char> = code.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            let rest: String = bytes[i..].iter().collect();
            let at_word_start = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
            let (base, skip) = if at_word_start && rest.starts_with("crate::") {
                (Vec::new(), "crate::".len())
            } else if at_word_start && rest.starts_with("super::") {
                let mut base = module.to_vec();
                let mut skip = 0;
                while rest[skip..].starts_with("super::") {
                    base.pop();
                    skip += "super::".len();
                }
                (base, skip)
            } else {
                i += 1;
                continue;
            };
            let tail = &rest[skip..];
            for path in expand(tail) {
                let mut full = base.clone();
                full.extend(path);
                found.push((line, full));
            }
            i += skip.max(1);
        }
    }
    found
}

/// `a::b::{c, d::e}` → `[a, b, c]`, `[a, b, d, e]`; stops at the first non-path character.
fn expand(tail: &str) -> Vec<Vec<String>> {
    let mut segs = Vec::new();
    let mut word = String::new();
    let mut chars = tail.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segs.push(std::mem::take(&mut word));
        } else if c == '{' && word.is_empty() {
            // A group: split its top level on commas.
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in chars.by_ref() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            items.push(item);
            let mut out = Vec::new();
            for item in items {
                for inner in expand(item.trim()) {
                    let mut p = segs.clone();
                    p.extend(inner);
                    out.push(p);
                }
            }
            return out;
        } else {
            break;
        }
    }
    if !word.is_empty() {
        segs.push(word);
    }
    segs.retain(|s| !s.is_empty() && s != "self");
    if segs.is_empty() {
        Vec::new()
    } else {
        vec![segs]
    }
}

/// The layer a top-level module of hearth-core belongs to, and the top-level modules it must not use.
fn forbidden_for(top: &str) -> &'static [&'static str] {
    match top {
        "clock" | "error" | "paths" | "text" => &["domain", "store", "ops", "io", "print", "demo"],
        "domain" => &["store", "ops", "io", "print", "demo"],
        "io" | "print" => &["store", "ops", "demo"],
        "store" => &["ops", "io", "print", "demo"],
        "ops" => &["demo"],
        _ => &[],
    }
}

struct Finding {
    file: String,
    line: usize,
    what: String,
}

fn layer_violations() -> Vec<Finding> {
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = Vec::new();
    for file in files {
        let module = module_of(&src, &file);
        let Some(top) = module.first() else { continue };
        let text = fs::read_to_string(&file).unwrap();
        for (line, path) in named_paths(&module, &text) {
            let Some(target) = path.first() else { continue };
            if target == top {
                continue;
            }
            if forbidden_for(top).contains(&target.as_str()) {
                out.push(Finding {
                    file: file.strip_prefix(&src).unwrap().display().to_string(),
                    line,
                    what: format!("`{top}` may not use `{target}` ({})", path.join("::")),
                });
            }
        }
    }
    out
}

/// Edges between feature modules of `ops` (`ops::credit` → `ops::events` …), with one example
/// place for each. `ops::consequences` is the composition root that registers every feature and
/// is left out; `ops::mod.rs` itself (the `Ctx`) is shared by all.
fn feature_edges() -> BTreeMap<(String, String), String> {
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src.join("ops"), &mut files);
    let mut edges = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        let Some(from) = module.get(1).cloned() else {
            continue;
        };
        if from == "consequences" {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (line, path) in named_paths(&module, &text) {
            if path.first().map(String::as_str) != Some("ops") {
                continue;
            }
            let Some(to) = path.get(1) else { continue };
            // `crate::ops::Ctx` and the shared helpers of ops/mod.rs are not a feature.
            if to == &from || to.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let is_module = src.join("ops").join(format!("{to}.rs")).exists()
                || src.join("ops").join(to).is_dir();
            if !is_module || to == "consequences" {
                continue;
            }
            edges.entry((from.clone(), to.clone())).or_insert_with(|| {
                format!("{}:{line}", file.strip_prefix(&src).unwrap().display())
            });
        }
    }
    edges
}

/// A cycle in the feature graph, if any, as the list of modules around it.
fn find_cycle(edges: &BTreeMap<(String, String), String>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(pos) = stack.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = stack[pos..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node);
        for to in next.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(to, next, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    for node in next.keys() {
        if let Some(cycle) = visit(node, &next, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let findings = layer_violations();
    let report: Vec<String> = findings
        .iter()
        .map(|f| format!("{}:{}: {}", f.file, f.line, f.what))
        .collect();
    assert!(
        report.is_empty(),
        "forbidden uses (see ARCHITECTURE.md, \"Which layer may use which\"):\n{}",
        report.join("\n")
    );
}

#[test]
fn feature_modules_form_no_circles() {
    let edges = feature_edges();
    if let Some(cycle) = find_cycle(&edges) {
        let places: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                format!(
                    "{} -> {} at {}",
                    w[0],
                    w[1],
                    edges[&(w[0].clone(), w[1].clone())]
                )
            })
            .collect();
        panic!(
            "feature modules in ops form a circle (see ARCHITECTURE.md):\n{}",
            places.join("\n")
        );
    }
}

#[test]
fn the_shell_and_the_cli_never_touch_sql() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut findings = Vec::new();
    for dir in ["src-tauri/src", "src-tauri/crates/hearth-cli/src"] {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for (line, code) in code_only(&text) {
                if code.contains("rusqlite") || code.contains("Connection") {
                    findings.push(format!("{}:{line}: {}", file.display(), code.trim()));
                }
            }
        }
    }
    assert!(
        findings.is_empty(),
        "SQL belongs in hearth-core's store:\n{}",
        findings.join("\n")
    );
}

#[test]
fn the_checker_sees_a_forbidden_use() {
    // The rules above are only worth something if the reader finds uses in every form.
    let module = vec!["store".to_owned(), "tags".to_owned()];
    let text = "use crate::ops::tags::TagCount;\nuse super::super::ops::x;\n\
                use crate::{domain::Member, ops::today};\n// crate::ops::in_a_comment\n\
                let s = \"crate::ops::in_a_string\";\n";
    let found: Vec<String> = named_paths(&module, text)
        .into_iter()
        .map(|(line, p)| format!("{line}:{}", p.join("::")))
        .collect();
    assert_eq!(
        found,
        vec![
            "1:ops::tags::TagCount",
            "2:ops::x",
            "3:domain::Member",
            "3:ops::today",
        ]
    );
}
