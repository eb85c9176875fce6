//! `-o yaml|json|name|jsonpath=...`: objects printed through [`crate::encode`], one object
//! alone, several in kubectl's `List` wrapper. JSONPath covers the subset people type
//! (kubectl's template syntax): `{.a.b}`, `{.items[*].x}`, `{.items[0].x}`, `{.a['k.b']}`,
//! `{range .items[*]}...{end}`, quoted literals `{"\n"}` and plain text between templates.

use crate::api::Object;
use crate::encode;
use crate::yaml::{self, Node, NodeKind};

/// The output formats kubectl accepts for `-o`.
pub const FORMATS: &str = "custom-columns, custom-columns-file, go-template, go-template-file, json, jsonpath, jsonpath-as-json, jsonpath-file, name, template, templatefile, wide, yaml";

/// Is `-o` one of the formats that print whole objects (not tables)?
pub fn is_object_format(o: &str) -> bool {
    matches!(o, "yaml" | "json") || o.starts_with("jsonpath") || o.starts_with("custom-columns=")
}

/// `-o custom-columns=NAME:.metadata.name,IP:.status.podIP`: one column per spec, values
/// from a JSONPath each, `<none>` when absent, several values comma-joined (kubectl's
/// CustomColumnsPrinter).
fn custom_columns(objs: &[&Object], spec: &str) -> Result<String, String> {
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((name, path)) = part.split_once(':') else {
            return Err(format!("error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
        };
        let path = path.trim_start_matches('{').trim_end_matches('}');
        let path = if path.starts_with('.') || path.starts_with('$') { path.to_string() } else { format!(".{path}") };
        cols.push((name.to_string(), parse_path(&path, spec)?));
    }
    let mut rows = vec![cols.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()];
    for o in objs {
        let node = encode::encode(o);
        let mut row = Vec::new();
        for (_, steps) in &cols {
            let vals = eval(steps, &node, &node)?;
            let text: Vec<String> = vals.iter().map(|v| scalar(v)).collect();
            row.push(if text.is_empty() { "<none>".to_string() } else { text.join(",") });
        }
        rows.push(row);
    }
    Ok(super::table::render(&rows))
}

/// Print objects in an object format. `single` is true when the user asked for exactly one
/// object by name (kubectl then prints it without the List wrapper).
pub fn print_objects(objs: &[&Object], format: &str, single: bool) -> Result<String, String> {
    if let Some(spec) = format.strip_prefix("custom-columns=") {
        return custom_columns(objs, spec);
    }
    let mut items: Vec<Node> = objs.iter().map(|o| encode::encode(o)).collect();
    let root = if single && items.len() == 1 { items.remove(0) } else { encode::list(items) };
    match format {
        "yaml" => Ok(yaml::to_yaml(&root)),
        "json" => Ok(yaml::to_json(&root)),
        f => {
            let tmpl = f
                .strip_prefix("jsonpath=")
                .or_else(|| f.strip_prefix("jsonpath-as-json="))
                .ok_or_else(|| "error: template format specified but no template given".to_string())?;
            jsonpath(&root, tmpl)
        }
    }
}

/// `--dry-run=client [-o yaml|json|name]`: the object as kubectl would send it: no uid,
/// resourceVersion or namespace, `creationTimestamp: null`, `status: {}` (the server's
/// defaults are kept: they are what the object will get, and they decode back).
pub fn print_dry_run(obj: &Object, format: Option<&str>) -> Result<String, String> {
    let kind = obj.kind();
    let name = &obj.meta().name;
    let Some(format) = format else {
        return Ok(format!("{}/{name} created (dry run)\n", kind.qualified()));
    };
    if format == "name" {
        return Ok(format!("{}/{name}\n", kind.qualified()));
    }
    let mut node = encode::encode(obj);
    if let NodeKind::Map(entries) = &mut node.kind {
        for (k, v) in entries.iter_mut() {
            match k.as_str() {
                "metadata" => {
                    if let NodeKind::Map(m) = &mut v.kind {
                        m.retain(|(mk, _)| {
                            !matches!(mk.as_str(), "uid" | "resourceVersion" | "generation" | "namespace")
                        });
                        for (mk, mv) in m.iter_mut() {
                            if mk == "creationTimestamp" {
                                *mv = Node::null();
                            }
                        }
                    }
                }
                "status" if kind != crate::api::Kind::Service => *v = Node::map(),
                _ => {}
            }
        }
    }
    match format {
        "yaml" => Ok(yaml::to_yaml(&node)),
        "json" => Ok(yaml::to_json(&node)),
        f if f.starts_with("jsonpath") => jsonpath(&node, f.split_once('=').map(|(_, t)| t).unwrap_or("")),
        f => Err(format!(
            "error: unable to match a printer suitable for the output format \"{f}\", allowed formats are: {FORMATS}"
        )),
    }
}

#[derive(Debug, PartialEq)]
enum Seg {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>),
    End,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    /// `..key`: every value named `key` at any depth.
    Descend(String),
    Index(i64),
    All,
}

/// Render a JSONPath template against a node, as `kubectl get -o jsonpath=...` does.
pub fn jsonpath(root: &Node, tmpl: &str) -> Result<String, String> {
    let segs = parse_template(tmpl)?;
    let mut out = String::new();
    let (rendered, rest) = render(&segs, root, root)?;
    out.push_str(&rendered);
    if !rest.is_empty() {
        return Err("error: error parsing jsonpath, not in range".into());
    }
    Ok(out)
}

/// Render segments until an unmatched `{end}`; returns the text and the remaining segments.
fn render<'a>(segs: &'a [Seg], root: &Node, cur: &Node) -> Result<(String, &'a [Seg]), String> {
    let mut out = String::new();
    let mut i = 0;
    while i < segs.len() {
        match &segs[i] {
            Seg::Text(t) => out.push_str(t),
            Seg::Path(steps) => {
                let vals = eval(steps, root, cur)?;
                let parts: Vec<String> = vals.iter().map(|v| scalar(v)).collect();
                out.push_str(&parts.join(" "));
            }
            Seg::Range(steps) => {
                let body = &segs[i + 1..];
                let vals = eval(steps, root, cur)?;
                let items: Vec<&Node> = match vals.as_slice() {
                    [one] => match &one.kind {
                        NodeKind::Seq(items) => items.iter().collect(),
                        _ => vals.clone(),
                    },
                    _ => vals.clone(),
                };
                // Find where the body ends even if there are no items.
                let (_, after) = render_skip(body)?;
                for item in items {
                    let (t, _) = render(body, root, item)?;
                    out.push_str(&t);
                }
                i = segs.len() - after.len();
                continue;
            }
            Seg::End => return Ok((out, &segs[i + 1..])),
        }
        i += 1;
    }
    Ok((out, &[]))
}

/// The segments after the `{end}` matching a range body.
fn render_skip(segs: &[Seg]) -> Result<((), &[Seg]), String> {
    let mut depth = 0;
    for (i, s) in segs.iter().enumerate() {
        match s {
            Seg::Range(_) => depth += 1,
            Seg::End if depth == 0 => return Ok(((), &segs[i + 1..])),
            Seg::End => depth -= 1,
            _ => {}
        }
    }
    Err("error: error parsing jsonpath, unclosed range".into())
}

fn eval<'a>(steps: &[Step], root: &'a Node, cur: &'a Node) -> Result<Vec<&'a Node>, String> {
    let mut vals: Vec<&Node> = vec![if steps.first() == Some(&Step::Key("$".into())) { root } else { cur }];
    for step in steps.iter().filter(|s| **s != Step::Key("$".into())) {
        let mut next = Vec::new();
        for v in vals {
            match (step, &v.kind) {
                (Step::Key(k), NodeKind::Map(_)) => {
                    if let Some(x) = v.get(k) {
                        next.push(x);
                    }
                }
                (Step::Index(i), NodeKind::Seq(items)) => {
                    let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                    match usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                        Some(x) => next.push(x),
                        None => {
                            return Err("error: array index out of bounds: index {i}, length {len}"
                                .replace("{i}", &i.to_string())
                                .replace("{len}", &items.len().to_string()))
                        }
                    }
                }
                (Step::Descend(k), _) => descend(v, k, &mut next),
                (Step::All, NodeKind::Seq(items)) => next.extend(items.iter()),
                (Step::All, NodeKind::Map(entries)) => next.extend(entries.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        vals = next;
    }
    Ok(vals)
}

fn descend<'a>(n: &'a Node, key: &str, out: &mut Vec<&'a Node>) {
    match &n.kind {
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                if k == key {
                    out.push(v);
                }
                descend(v, key, out);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|i| descend(i, key, out)),
        _ => {}
    }
}

/// A value as jsonpath prints it: strings bare, maps and lists as compact JSON.
fn scalar(n: &Node) -> String {
    match &n.kind {
        NodeKind::Str(s) => s.clone(),
        NodeKind::Null => String::new(),
        _ => compact_json(n),
    }
}

fn compact_json(n: &Node) -> String {
    match &n.kind {
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        NodeKind::Str(s) => {
            let mut o = String::new();
            yaml::json_str(s, &mut o);
            o
        }
        NodeKind::Seq(items) => format!("[{}]", items.iter().map(compact_json).collect::<Vec<_>>().join(",")),
        NodeKind::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| {
                    let mut o = String::new();
                    yaml::json_str(k, &mut o);
                    format!("{o}:{}", compact_json(v))
                })
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn parse_template(t: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        match rest.find('{') {
            None => {
                segs.push(Seg::Text(unescape(rest)));
                break;
            }
            Some(i) => {
                if i > 0 {
                    segs.push(Seg::Text(unescape(&rest[..i])));
                }
                let after = &rest[i + 1..];
                let close =
                    find_close(after).ok_or_else(|| format!("error: error parsing jsonpath {t}, unclosed action"))?;
                let inner = after[..close].trim();
                rest = &after[close + 1..];
                if inner == "end" {
                    segs.push(Seg::End);
                } else if let Some(p) = inner.strip_prefix("range ") {
                    segs.push(Seg::Range(parse_path(p.trim(), t)?));
                } else if inner.starts_with('"') || inner.starts_with('\'') {
                    segs.push(Seg::Text(unescape(inner.trim_matches(|c| c == '"' || c == '\''))));
                } else if inner.is_empty() {
                    continue;
                } else {
                    segs.push(Seg::Path(parse_path(inner, t)?));
                }
            }
        }
    }
    Ok(segs)
}

/// The `}` closing an action, skipping quoted text.
fn find_close(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            _ => {}
        }
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

fn parse_path(p: &str, whole: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("error: error parsing jsonpath {whole}, unrecognized identifier {p}");
    let mut steps = Vec::new();
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    if chars.first() == Some(&'$') {
        steps.push(Step::Key("$".into()));
        i = 1;
    } else if chars.first() == Some(&'@') {
        i = 1;
    }
    while i < chars.len() {
        match chars[i] {
            '.' if chars.get(i + 1) == Some(&'.') => {
                i += 2;
                let mut key = String::new();
                while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                    key.push(chars[i]);
                    i += 1;
                }
                steps.push(Step::Descend(key));
            }
            '.' => {
                i += 1;
                let mut key = String::new();
                while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    key.push(chars[i]);
                    i += 1;
                }
                if key == "*" {
                    steps.push(Step::All);
                } else if !key.is_empty() {
                    steps.push(Step::Key(key));
                }
            }
            '[' => {
                let end = chars[i..].iter().position(|c| *c == ']').map(|e| e + i).ok_or_else(bad)?;
                let inner: String = chars[i + 1..end].iter().collect();
                let inner = inner.trim();
                if inner == "*" {
                    steps.push(Step::All);
                } else if let Ok(n) = inner.parse::<i64>() {
                    steps.push(Step::Index(n));
                } else if inner.starts_with('\'') || inner.starts_with('"') {
                    steps.push(Step::Key(inner.trim_matches(|c| c == '\'' || c == '"').to_string()));
                } else {
                    return Err(bad());
                }
                i = end + 1;
            }
            _ => return Err(bad()),
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Node {
        let (docs, _) = crate::yaml::parse_documents(
            "items:\n- metadata:\n    name: a\n    labels:\n      app.kubernetes.io/name: x\n  status:\n    podIP: 10.0.0.1\n- metadata:\n    name: b\n  status:\n    podIP: 10.0.0.2\nspec:\n  clusterIP: 10.96.0.5\n",
        );
        docs.into_iter().next().and_then(|d| d.root).unwrap_or_else(Node::null)
    }

    #[test]
    fn jsonpath_subset_matches_kubectl() {
        let cases: &[(&str, &str)] = &[
            ("{.spec.clusterIP}", "10.96.0.5"),
            ("{.items[*].status.podIP}", "10.0.0.1 10.0.0.2"),
            ("{.items[1].metadata.name}", "b"),
            ("{.items[-1].metadata.name}", "b"),
            ("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", "a\nb\n"),
            ("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}", "a\t10.0.0.1\nb\t10.0.0.2\n"),
            ("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}", "x"),
            ("{.items[0].metadata.labels['app.kubernetes.io/name']}", "x"),
            ("ip={.spec.clusterIP}", "ip=10.96.0.5"),
            ("{.spec}", "{\"clusterIP\":\"10.96.0.5\"}"),
            ("{.nothing}", ""),
            ("{..podIP}", "10.0.0.1 10.0.0.2"),
        ];
        for (t, want) in cases {
            assert_eq!(jsonpath(&doc(), t).as_deref(), Ok(*want), "{t}");
        }
    }

    #[test]
    fn jsonpath_errors_do_not_panic() {
        for t in ["{.items[", "{range .items[*]}", "{.a", "{.items[x]}", "{.items[9]}", "{end}{end}"] {
            assert!(jsonpath(&doc(), t).is_err(), "{t}");
        }
    }
}
