//! Every diagnostic code the core can emit has an English and a Chinese text in
//! `locales/diagnostics.{en,zh-CN}.txt`, with the same placeholders. Codes are found by reading
//! the sources: the first argument of `Diagnostic::error(`/`Diagnostic::warning(` and any
//! `"<area>.<name>"` literal of the diagnostic areas (codes chosen through a `match`).

use std::collections::BTreeMap;
use std::path::Path;

const AREAS: &[&str] = &["yaml", "decode", "validation", "apply", "lint"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The string literal starting at `s` (which begins with `"`), if any.
fn literal(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

fn is_code(s: &str) -> bool {
    let Some((area, name)) = s.split_once('.') else { return false };
    !area.is_empty()
        && !name.is_empty()
        && area.bytes().all(|c| c.is_ascii_lowercase())
        && name.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
}

fn emitted_codes() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut codes = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for pat in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (i, _) in text.match_indices(pat) {
                let after = text[i + pat.len()..].trim_start();
                if let Some(code) = literal(after).filter(|c| is_code(c)) {
                    codes.push(code.to_string());
                }
            }
        }
        for (i, _) in text.match_indices('"') {
            if let Some(lit) = literal(&text[i..]) {
                if is_code(lit) && AREAS.iter().any(|a| lit.starts_with(&format!("{a}."))) {
                    codes.push(lit.to_string());
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

fn locale(file: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect()
}

fn placeholders(s: &str) -> Vec<String> {
    let mut v: Vec<String> = (0..10).map(|i| format!("{{{i}}}")).filter(|p| s.contains(p.as_str())).collect();
    v.sort();
    v
}

#[test]
fn every_emitted_code_has_english_and_chinese_text() {
    let codes = emitted_codes();
    assert!(codes.len() >= 20, "code scan found too little: {codes:?}");
    assert!(codes.contains(&"kind.config".to_string()) && codes.contains(&"lint.label_typo".to_string()));
    let en = locale("diagnostics.en.txt");
    let zh = locale("diagnostics.zh-CN.txt");
    let mut missing = Vec::new();
    for code in &codes {
        let key = format!("diag.{code}");
        for (name, table) in [("en", &en), ("zh-CN", &zh)] {
            if !table.contains_key(&key) {
                missing.push(format!("{name}: {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
}

#[test]
fn translations_agree_on_keys_and_placeholders() {
    let en = locale("diagnostics.en.txt");
    let zh = locale("diagnostics.zh-CN.txt");
    assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
    for (k, v) in &en {
        assert_eq!(placeholders(v), placeholders(&zh[k]), "{k}");
    }
    // Chinese texts use the kubernetes.io/zh-cn terms.
    assert!(zh["diag.lint.selector_matches_nothing"].contains("选择算符"));
    assert!(zh["diag.lint.statefulset_service_not_headless"].contains("无头服务（Headless Service"));
}
