//! The Markdown subset of lesson texts, parsed into plain data the page renders: paragraphs,
//! `- ` lists, fenced code blocks, and inline `*emphasis*`, `**strong**` and `` `code` ``.
//! Anything else is text, shown as written (never an error: a teacher sees what they typed).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Em(String),
    Strong(String),
    Code(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    /// A fenced block: its info string (`yaml`, ``) and its lines.
    Code {
        info: String,
        text: String,
    },
}

/// Split a text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<(String, Vec<&str>)> = None;
    let flush = |para: &mut Vec<&str>, list: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(inlines(&join(para))));
            para.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(list.iter().map(|i| inlines(i)).collect()));
            list.clear();
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some((info, body)) = &mut code {
            if t.starts_with("```") {
                out.push(Block::Code { info: std::mem::take(info), text: body.join("\n") });
                code = None;
            } else {
                body.push(line);
            }
            continue;
        }
        if let Some(info) = t.strip_prefix("```") {
            flush(&mut para, &mut list, &mut out);
            code = Some((info.trim().to_string(), Vec::new()));
        } else if t.is_empty() {
            flush(&mut para, &mut list, &mut out);
        } else if let Some(item) = t.strip_prefix("- ") {
            if !para.is_empty() {
                out.push(Block::Paragraph(inlines(&join(&para))));
                para.clear();
            }
            list.push(item.to_string());
        } else if !list.is_empty() && line.starts_with("  ") {
            // A list item's continuation line.
            if let Some(last) = list.last_mut() {
                *last = join(&[last.as_str(), t]);
            }
        } else {
            if !list.is_empty() {
                flush(&mut Vec::new(), &mut list, &mut out);
            }
            para.push(t);
        }
    }
    if let Some((info, body)) = code {
        out.push(Block::Code { info, text: body.join("\n") });
    }
    flush(&mut para, &mut list, &mut out);
    out
}

/// Join a paragraph's source lines: with a space, except where Chinese text was wrapped between two Chinese characters
/// (no spaces between CJK characters).
fn join(lines: &[&str]) -> String {
    let cjk = |c: char| ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    let mut out = String::new();
    for l in lines {
        let glue = match (out.chars().last(), l.chars().next()) {
            (None, _) => false,
            (Some(a), Some(b)) => !(cjk(a) && cjk(b)),
            _ => true,
        };
        if glue {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// Inline markup of one paragraph or list item. An unclosed marker is plain text.
pub fn inlines(s: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let found = [("`", "`"), ("**", "**"), ("*", "*")].into_iter().find_map(|(open, close)| {
            let body = rest.strip_prefix(open)?;
            let end = body.find(close)?;
            (end > 0).then(|| (open, &body[..end], &body[end + close.len()..]))
        });
        match found {
            Some((open, inner, after)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(match open {
                    "`" => Inline::Code(inner.to_string()),
                    "**" => Inline::Strong(inner.to_string()),
                    _ => Inline::Em(inner.to_string()),
                });
                rest = after;
            }
            None => {
                let ch = rest.chars().next().unwrap_or(' ');
                text.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_code_and_inline_marks() {
        let b = blocks("A **Service** has a `selector`,\nsee *this*.\n\n- one\n- two `x`\n  more\n\n```yaml\nkind: Service\n  spec: {}\n```\nlast");
        assert_eq!(b.len(), 4, "{b:?}");
        assert_eq!(
            b[0],
            Block::Paragraph(vec![
                Inline::Text("A ".into()),
                Inline::Strong("Service".into()),
                Inline::Text(" has a ".into()),
                Inline::Code("selector".into()),
                Inline::Text(", see ".into()),
                Inline::Em("this".into()),
                Inline::Text(".".into()),
            ])
        );
        assert_eq!(
            b[1],
            Block::List(vec![
                vec![Inline::Text("one".into())],
                vec![Inline::Text("two ".into()), Inline::Code("x".into()), Inline::Text(" more".into())]
            ])
        );
        assert_eq!(b[2], Block::Code { info: "yaml".into(), text: "kind: Service\n  spec: {}".into() });
        assert_eq!(b[3], Block::Paragraph(vec![Inline::Text("last".into())]));
    }

    #[test]
    fn unclosed_marks_and_unicode_are_text() {
        assert_eq!(inlines("3 * 10 s 「轮询」 `x"), vec![Inline::Text("3 * 10 s 「轮询」 `x".into())]);
        assert_eq!(blocks("```\nopen"), vec![Block::Code { info: String::new(), text: "open".into() }]);
        assert_eq!(
            blocks("回答一条 A 记录。\n客户端拿到\nthe list"),
            vec![Block::Paragraph(vec![Inline::Text("回答一条 A 记录。客户端拿到 the list".into())])]
        );
    }
}
