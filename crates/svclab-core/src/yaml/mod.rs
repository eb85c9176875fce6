//! YAML with positions: multi-document text becomes a tree of [`Node`]s that remember their
//! line and column, so every later error (type, unknown field, validation) can point at the
//! place the user typed. Parsing never fails: it returns the documents it could read plus
//! [`Diagnostic`]s for the rest. Output (`kubectl get -o yaml|json`) uses the same tree.

mod emit;

pub use emit::{go_quote, json_str, to_json, to_yaml};

use crate::diag::{Diagnostic, Pos};
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::BTreeMap;

/// A YAML value with the position where it starts (line 1-based, column 1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
    /// Where this node's key starts when it is a mapping value (else `Pos::default()`), so
    /// an unknown field points at the key the user typed, not at its value.
    pub key_pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys keep their order, as written.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn new(kind: NodeKind) -> Self {
        Node { kind, pos: Pos::default(), key_pos: Pos::default() }
    }
    /// The position of the key of this mapping value, falling back to the value's own.
    pub fn key_or_pos(&self) -> Pos {
        if self.key_pos.line > 0 {
            self.key_pos
        } else {
            self.pos
        }
    }
    pub fn str(s: impl Into<String>) -> Self {
        Node::new(NodeKind::Str(s.into()))
    }
    pub fn int(i: i64) -> Self {
        Node::new(NodeKind::Int(i))
    }
    pub fn bool(b: bool) -> Self {
        Node::new(NodeKind::Bool(b))
    }
    pub fn null() -> Self {
        Node::new(NodeKind::Null)
    }
    pub fn seq(items: Vec<Node>) -> Self {
        Node::new(NodeKind::Seq(items))
    }
    pub fn map() -> Self {
        Node::new(NodeKind::Map(Vec::new()))
    }
    /// Builder: append `key: value` to a map node (no-op on other kinds).
    pub fn with(mut self, key: &str, value: Node) -> Self {
        self.set(key, value);
        self
    }
    /// Builder: append only when `value` is `Some`.
    pub fn with_opt(self, key: &str, value: Option<Node>) -> Self {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }
    pub fn set(&mut self, key: &str, value: Node) {
        if let NodeKind::Map(entries) = &mut self.kind {
            if let Some(e) = entries.iter_mut().find(|(k, _)| k == key) {
                e.1 = value;
            } else {
                entries.push((key.to_string(), value));
            }
        }
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }
    /// The Go/JSON type name used in decoding errors.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "bool",
            NodeKind::Int(_) | NodeKind::Float(_) => "number",
            NodeKind::Str(_) => "string",
            NodeKind::Seq(_) => "array",
            NodeKind::Map(_) => "object",
        }
    }
    /// A map of string labels (`{app: api}`), if this node is one.
    pub fn string_map(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let NodeKind::Map(entries) = &self.kind {
            for (k, v) in entries {
                out.insert(k.clone(), scalar_text(v));
            }
        }
        out
    }
}

/// The node an API field path names (`spec.ports[0].port`, `metadata.name`), or the deepest
/// ancestor the manifest has, so a field error can point at what the user typed.
pub fn node_at_path<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    let mut cur = root;
    for seg in path.split('.') {
        let (key, idx) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let Some(next) = cur.get(key) else { return Some(cur) };
        cur = next;
        if let Some(i) = idx {
            match &cur.kind {
                NodeKind::Seq(items) => match items.get(i) {
                    Some(item) => cur = item,
                    None => return Some(cur),
                },
                _ => return Some(cur),
            }
        }
    }
    Some(cur)
}

/// The text of a scalar as a string field would read it.
pub fn scalar_text(n: &Node) -> String {
    match &n.kind {
        NodeKind::Null => String::new(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        NodeKind::Str(s) => s.clone(),
        NodeKind::Seq(_) | NodeKind::Map(_) => String::new(),
    }
}

/// One document of a multi-document stream. `root` is `None` for an empty document
/// (kubectl skips those) or one that failed to parse.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Option<Node>,
    /// Line where the document starts (for messages about a whole document).
    pub line: usize,
    /// Index among the non-empty documents of the stream.
    pub index: usize,
}

/// Parse a multi-document YAML stream. Never fails: syntax errors become diagnostics with
/// the position the scanner stopped at, and documents before the error are kept (kubectl
/// applies the documents it read before the broken one, spec §7).
pub fn parse_documents(text: &str) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut b = Builder::default();
    let mut diags = Vec::new();
    for item in Parser::new_from_str(text) {
        match item {
            Ok((ev, span)) => {
                let pos = Pos::new(span.start.line(), span.start.col() + 1);
                if let Err(d) = b.event(ev, pos) {
                    diags.push(d);
                    break;
                }
            }
            Err(e) => {
                let m = e.marker();
                diags.push(syntax_error(text, Pos::new(m.line().max(1), m.col() + 1), e.info()));
                break;
            }
        }
    }
    diags.extend(b.dup_keys);
    (b.docs, diags)
}

/// The line of the last `---` separator at or before `line` (0 if none): kubectl splits the
/// stream into documents before parsing, so go-yaml counts lines from the separator.
pub fn document_start_line(text: &str, line: usize) -> usize {
    text.lines()
        .enumerate()
        .take(line.saturating_sub(1))
        .filter(|(_, l)| l.starts_with("---") && l[3..].trim().chars().next().is_none_or(|c| c == '#'))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0)
}

/// A saphyr scanner/parser error, reworded as go-yaml v2 (kubectl's YAML→JSON step) says it.
/// go-yaml prints scanner errors at the problem's line and parser errors one line earlier
/// (its `fail()` adds 1 only for scanner errors), counted within the document; the
/// diagnostic itself keeps the exact position.
fn syntax_error(text: &str, pos: Pos, info: &str) -> Diagnostic {
    let problem = info.rsplit(", ").next().unwrap_or(info);
    let (go_msg, scanner, at_eof) = if info.contains("tab") {
        ("found character that cannot start any token", true, false)
    } else if info.contains("mapping values are not allowed") {
        ("mapping values are not allowed in this context", true, false)
    } else if info.contains("block sequence entries are not allowed") {
        ("block sequence entries are not allowed in this context", true, false)
    } else if info.contains("quoted scalar") || info.contains("unexpected end of stream") {
        ("found unexpected end of stream", true, true)
    } else if info.contains("did not find expected key") {
        ("did not find expected key", false, false)
    } else if info.contains("did not find expected '-'") {
        ("did not find expected '-' indicator", false, false)
    } else if info.contains("'}'") {
        ("did not find expected ',' or '}'", false, false)
    } else if info.contains("']'") || info.contains("':' indicator") || info.contains("flow") {
        ("did not find expected ',' or ']'", false, false)
    } else if info.contains("unexpected character") || info.contains("cannot start any token") {
        ("found character that cannot start any token", true, false)
    } else if info.contains("could not find expected ':'") {
        ("could not find expected ':'", true, false)
    } else if info.contains("unknown anchor") {
        // go-yaml's decoder names the alias and gives no line.
        let line = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
        let name: String = line
            .chars()
            .skip(pos.col.saturating_sub(1))
            .skip_while(|c| *c == '*')
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
            .collect();
        let msg = format!("yaml: unknown anchor '{name}' referenced");
        return Diagnostic::error("yaml.syntax", pos, msg)
            .with_args(&["0", &format!("unknown anchor '{name}' referenced")]);
    } else if info.contains("did not find expected node content") {
        ("did not find expected node content", false, false)
    } else {
        (problem, true, false)
    };
    let abs = if at_eof { text.matches('\n').count() + 1 } else { pos.line };
    let doc_line = abs.saturating_sub(document_start_line(text, abs));
    let shown = if scanner { doc_line } else { doc_line.saturating_sub(1) };
    let message = if shown == 0 { format!("yaml: {go_msg}") } else { format!("yaml: line {shown}: {go_msg}") };
    Diagnostic::error("yaml.syntax", pos, message).with_args(&[&shown.to_string(), go_msg])
}

/// How deep collections may nest. go-yaml v3 stops at 10000 (`exceeded max depth of 10000`);
/// the lab's decoder, emitters and `Drop` recurse over the tree and wasm's stack is 1 MiB, so
/// the lab stops far earlier (real manifests nest about 10 deep). saphyr itself refuses flow
/// collections deeper than 255 but not block ones.
pub const MAX_DEPTH: usize = 100;

/// How many nodes aliases may copy into one document (a "billion laughs" of nested aliases
/// would otherwise build an exponentially large tree). go-yaml v2 refuses such documents with
/// `yaml: document contains excessive aliasing`.
pub const MAX_ALIASED_NODES: usize = 10_000;

/// How many bytes (scalar text and keys) aliases may copy into one stream. Counting nodes
/// alone lets one 200 KB scalar referenced 9,000 times through (gigabytes from a 30 KB link);
/// serde-saphyr and go-yaml v3 budget the expansion instead. The API server stores no object
/// over 1 MiB (etcd's limit; a ConfigMap's `data` at most 1048576 bytes), so a stream whose
/// aliases alone copy more can never be applied: it is refused while parsing, before it
/// costs memory.
pub const MAX_ALIASED_BYTES: usize = 1 << 20;

/// (nodes, bytes) an alias of `n` copies.
fn alias_cost(n: &Node) -> (usize, usize) {
    match &n.kind {
        NodeKind::Seq(items) => items.iter().map(alias_cost).fold((1, 0), |(a, b), (c, d)| (a + c, b + d)),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                let (c, d) = alias_cost(v);
                (c, d + k.len())
            })
            .fold((1, 0), |(a, b), (c, d)| (a + c, b + d)),
        NodeKind::Str(s) => (1, s.len()),
        // A number or boolean copies a few bytes; count it as its longest text.
        _ => (1, 8),
    }
}

#[derive(Default)]
struct Builder {
    docs: Vec<Document>,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Node>,
    /// Nodes copied by aliases in the current document (see [`MAX_ALIASED_NODES`]).
    aliased: usize,
    /// Bytes copied by aliases in the whole stream (see [`MAX_ALIASED_BYTES`]).
    aliased_bytes: usize,
    doc_line: usize,
    dup_keys: Vec<Diagnostic>,
}

enum Frame {
    Seq(Node, usize),
    /// A map under construction, its anchor, while a value is awaited its key, and the index
    /// of each key among its entries (duplicate detection in O(log n), not a linear search:
    /// a 100k-key ConfigMap must parse in linear time).
    /// An index entry is `(position, came from a merge key)`: an explicit key overrides a
    /// merged one silently, as YAML's `<<` merge keys specify.
    Map(Node, usize, Option<(String, Pos)>, BTreeMap<String, (usize, bool)>),
}

impl Builder {
    fn event(&mut self, ev: Event<'_>, pos: Pos) -> Result<(), Diagnostic> {
        match ev {
            Event::DocumentStart(_) => {
                self.doc_line = pos.line;
                self.anchors.clear();
                self.aliased = 0;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let kind = if style == ScalarStyle::Plain && tag.is_none() {
                    plain_scalar(&value)
                } else {
                    NodeKind::Str(value.into_owned())
                };
                let node = Node { kind, pos, key_pos: Pos::default() };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push(node, pos)?;
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    kind: NodeKind::Null,
                    pos,
                    key_pos: Pos::default(),
                });
                let (nodes, bytes) = alias_cost(&node);
                self.aliased = self.aliased.saturating_add(nodes);
                self.aliased_bytes = self.aliased_bytes.saturating_add(bytes);
                if self.aliased > MAX_ALIASED_NODES || self.aliased_bytes > MAX_ALIASED_BYTES {
                    return Err(Diagnostic::error(
                        "yaml.excessive_aliasing",
                        pos,
                        "yaml: document contains excessive aliasing".to_string(),
                    ));
                }
                self.push(node, pos)?;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                return Err(Diagnostic::error(
                    "yaml.max_depth",
                    pos,
                    format!("yaml: line {}: exceeded max depth of {MAX_DEPTH}", pos.line),
                )
                .with_args(&[&pos.line.to_string(), &MAX_DEPTH.to_string()]));
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Frame::Seq(Node { kind: NodeKind::Seq(vec![]), pos, key_pos: Pos::default() }, anchor))
            }
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(
                Node { kind: NodeKind::Map(vec![]), pos, key_pos: Pos::default() },
                anchor,
                None,
                BTreeMap::new(),
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(n, a)) | Some(Frame::Map(n, a, _, _)) => (n, a),
                    None => return Ok(()),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                let p = node.pos;
                self.push(node, p)?;
            }
            Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn push(&mut self, node: Node, pos: Pos) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => {
                // A document's root. An empty document (`---` alone) is a null scalar: skipped.
                let index = self.docs.iter().filter(|d| d.root.is_some()).count();
                let root = if node.is_null() { None } else { Some(node) };
                self.docs.push(Document { root, line: self.doc_line.max(1), index });
            }
            Some(Frame::Seq(seq, _)) => {
                if let NodeKind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, pending, index)) => match pending.take() {
                None => {
                    let key = match &node.kind {
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            return Err(Diagnostic::error(
                                "yaml.complex_key",
                                pos,
                                "yaml: complex map keys are not supported".to_string(),
                            ))
                        }
                        _ => scalar_text(&node),
                    };
                    *pending = Some((key, pos));
                }
                Some((key, _)) if key == "<<" => {
                    // A merge key (go-yaml v2, behind kubectl, supports them): the mapping's
                    // entries, or each mapping's of a sequence (earlier ones win), join this
                    // mapping unless it already has the key.
                    let sources: Vec<&Node> = match &node.kind {
                        NodeKind::Map(_) => vec![&node],
                        NodeKind::Seq(items) if items.iter().all(|n| matches!(n.kind, NodeKind::Map(_))) => {
                            items.iter().collect()
                        }
                        _ => {
                            let msg = "map merge requires map or sequence of maps as the value";
                            return Err(Diagnostic::error("yaml.syntax", pos, format!("yaml: {msg}"))
                                .with_args(&[&pos.line.to_string(), msg]));
                        }
                    };
                    if let NodeKind::Map(entries) = &mut map.kind {
                        for src in sources {
                            if let NodeKind::Map(more) = &src.kind {
                                for (k, v) in more {
                                    if !index.contains_key(k) {
                                        index.insert(k.clone(), (entries.len(), true));
                                        entries.push((k.clone(), v.clone()));
                                    }
                                }
                            }
                        }
                    }
                }
                Some((key, kpos)) => {
                    let mut node = node;
                    node.key_pos = kpos;
                    if let NodeKind::Map(entries) = &mut map.kind {
                        if let Some(&(i, true)) = index.get(&key) {
                            // Overrides what a merge key brought in: no warning.
                            index.insert(key.clone(), (i, false));
                            if let Some(e) = entries.get_mut(i) {
                                e.1 = node;
                            }
                        } else if let Some(e) = index.get(&key).and_then(|&(i, _)| entries.get_mut(i)) {
                            // kubectl's YAML→JSON step keeps the later value without a word
                            // (kubernetes#99286); the lab warns, in go-yaml v3's words.
                            let first = e.1.key_or_pos().line;
                            self.dup_keys.push(
                                Diagnostic::warning(
                                    "yaml.duplicate_key",
                                    kpos,
                                    format!("mapping key \"{key}\" already defined at line {first}"),
                                )
                                .with_args(&[&key, &first.to_string()]),
                            );
                            e.1 = node;
                        } else {
                            index.insert(key.clone(), (entries.len(), false));
                            entries.push((key, node));
                        }
                    }
                }
            },
        }
        Ok(())
    }
}

/// go-yaml v2's integer resolution: `strconv.ParseInt(s, 0, 64)`, so a sign, then `0x` hex,
/// `0o` or a bare leading `0` octal (YAML 1.1: `0120` is 80), `0b` binary, else decimal.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i128::from_str_radix(digits, radix).ok()?;
    i64::try_from(if neg { -v } else { v }).ok()
}

/// YAML plain-scalar typing as sigs.k8s.io/yaml sees it for Kubernetes manifests.
fn plain_scalar(s: &str) -> NodeKind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        _ => {}
    }
    if let Some(i) = go_parse_int(s) {
        return NodeKind::Int(i);
    }
    let numeric = s.bytes().next().is_some_and(|c| c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.');
    if numeric && s.bytes().any(|c| c.is_ascii_digit()) {
        // go-yaml keeps a float that overflows (`1e999`: ParseFloat's range error) a string.
        if let Ok(f) = s.parse::<f64>().map_err(|_| ()).and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) }) {
            return NodeKind::Float(f);
        }
    }
    NodeKind::Str(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_positions() {
        let (docs, diags) = parse_documents("a: 1\n---\nkind: Service\nspec:\n  ports:\n  - port: 80\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(docs.len(), 2);
        let svc = docs[1].root.as_ref().unwrap();
        let port = &svc.get("spec").unwrap().get("ports").unwrap();
        let NodeKind::Seq(items) = &port.kind else { panic!() };
        let p = items[0].get("port").unwrap();
        assert_eq!(p.kind, NodeKind::Int(80));
        assert_eq!((p.pos.line, p.pos.col), (6, 11));
    }

    #[test]
    fn syntax_error_has_line_and_keeps_earlier_documents() {
        let (docs, diags) = parse_documents("a: 1\n---\nb: [1, 2\nc: 3\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].pos.line >= 3, "{diags:?}");
    }

    #[test]
    fn duplicate_key_warns_and_the_later_value_wins() {
        let (docs, diags) = parse_documents("a: 1\na: 2\n");
        assert_eq!(diags[0].code, "yaml.duplicate_key");
        assert!(!diags[0].is_error());
        assert_eq!(diags[0].pos.line, 2);
        assert_eq!(docs[0].root.as_ref().unwrap().get("a").unwrap().kind, NodeKind::Int(2));
    }

    /// go-yaml's wording; scanner errors at the line, parser errors one line earlier, both
    /// counted from the document's `---` (spec §7; kubectl splits documents before parsing).
    #[test]
    fn syntax_errors_read_as_go_yaml() {
        let cases = [
            ("a: 1\nb:\n\tc: 2\n", "yaml: line 3: found character that cannot start any token"),
            ("a: b: c\n", "yaml: line 1: mapping values are not allowed in this context"),
            ("a:\n  b: 1\n c: 2\n", "yaml: line 2: did not find expected key"),
            ("a: \"abc\nb: 2\n", "yaml: line 3: found unexpected end of stream"),
            ("a: {x: 1\nb: 3\n", "yaml: line 1: did not find expected ',' or '}'"),
            ("a: 1\n---\nb: 2\nc: d: e\n", "yaml: line 2: mapping values are not allowed in this context"),
            ("a: *nope\n", "yaml: unknown anchor 'nope' referenced"),
        ];
        for (text, want) in cases {
            let (_, diags) = parse_documents(text);
            assert_eq!(diags.first().map(|d| d.message.as_str()), Some(want), "{text:?}");
            assert!(diags[0].pos.line >= 1);
        }
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let (docs, _) = parse_documents("a: \"80\"\nb: 80\nc: None\n");
        let r = docs[0].root.as_ref().unwrap();
        assert_eq!(r.get("a").unwrap().kind, NodeKind::Str("80".into()));
        assert_eq!(r.get("b").unwrap().kind, NodeKind::Int(80));
        assert_eq!(r.get("c").unwrap().kind, NodeKind::Str("None".into()));
    }
}
