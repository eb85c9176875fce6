//! Shell words: quotes, backslashes, heredoc markers, output redirection, `&&`, `;` and
//! pipes, enough for the commands people paste from tutorials.

/// One simple command of a line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    /// `> file` (false) or `>> file` (true).
    pub redirect: Option<(String, bool)>,
    /// `< file`.
    pub input_file: Option<String>,
    /// Heredoc delimiter and whether `<<-` strips leading tabs.
    pub heredoc: Option<(String, bool)>,
}

/// Commands joined by pipes.
pub type Pipeline = Vec<SimpleCommand>;

/// How a pipeline joins the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// `;` (or the first pipeline): always runs.
    Seq,
    /// `&&`: runs when the last status was 0.
    And,
    /// `||`: runs when the last status was not 0.
    Or,
}

/// A line: pipelines and how each joins the one before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    pub items: Vec<(Join, Pipeline)>,
}

impl Line {
    /// The heredoc the line opens, if any (the first one wins, as in a script).
    pub fn heredoc(&self) -> Option<(String, bool)> {
        self.items.iter().flat_map(|(_, p)| p.iter()).find_map(|c| c.heredoc.clone())
    }
}

#[derive(Debug, PartialEq)]
pub struct LexError(pub String);

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Pipe,
    And,
    Or,
    Semi,
    Out(bool),
    In,
    Heredoc(bool),
}

fn tokenize(line: &str) -> Result<Vec<Tok>, LexError> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut has_word = false;
    let mut chars = line.chars().peekable();
    macro_rules! flush {
        () => {
            if has_word {
                toks.push(Tok::Word(std::mem::take(&mut cur)));
                has_word = false;
            }
        };
    }
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                has_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(LexError("unterminated quoted string".into())),
                    }
                }
            }
            '"' => {
                has_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err(LexError("unterminated quoted string".into())),
                        },
                        Some(c) => cur.push(c),
                        None => return Err(LexError("unterminated quoted string".into())),
                    }
                }
            }
            '\\' => {
                has_word = true;
                if let Some(c) = chars.next() {
                    cur.push(c);
                }
            }
            '#' if !has_word => break,
            ' ' | '\t' => flush!(),
            '|' => {
                flush!();
                if chars.peek() == Some(&'|') {
                    chars.next();
                    toks.push(Tok::Or);
                } else {
                    toks.push(Tok::Pipe);
                }
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                flush!();
                toks.push(Tok::And);
            }
            ';' => {
                flush!();
                toks.push(Tok::Semi);
            }
            '>' => {
                flush!();
                if chars.peek() == Some(&'>') {
                    chars.next();
                    toks.push(Tok::Out(true));
                } else {
                    toks.push(Tok::Out(false));
                }
            }
            '<' => {
                flush!();
                if chars.peek() == Some(&'<') {
                    chars.next();
                    let strip = chars.peek() == Some(&'-');
                    if strip {
                        chars.next();
                    }
                    toks.push(Tok::Heredoc(strip));
                } else {
                    toks.push(Tok::In);
                }
            }
            c => {
                has_word = true;
                cur.push(c);
            }
        }
    }
    if has_word {
        toks.push(Tok::Word(cur));
    }
    Ok(toks)
}

/// Parse one input line.
pub fn parse_line(line: &str) -> Result<Line, LexError> {
    let toks = tokenize(line)?;
    let mut out = Line::default();
    let mut pipeline: Pipeline = Vec::new();
    let mut cmd = SimpleCommand::default();
    let mut joiner = Join::Seq;
    let mut it = toks.into_iter();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => cmd.words.push(w),
            Tok::Out(append) => match it.next() {
                Some(Tok::Word(f)) => cmd.redirect = Some((f, append)),
                _ => return Err(LexError("syntax error: unexpected redirection".into())),
            },
            Tok::In => match it.next() {
                Some(Tok::Word(f)) => cmd.input_file = Some(f),
                _ => return Err(LexError("syntax error: unexpected redirection".into())),
            },
            Tok::Heredoc(strip) => match it.next() {
                Some(Tok::Word(d)) => cmd.heredoc = Some((d, strip)),
                _ => return Err(LexError("syntax error: unexpected newline".into())),
            },
            Tok::Pipe => {
                pipeline.push(std::mem::take(&mut cmd));
            }
            Tok::And | Tok::Or | Tok::Semi => {
                pipeline.push(std::mem::take(&mut cmd));
                out.items.push((joiner, std::mem::take(&mut pipeline)));
                joiner = match t {
                    Tok::And => Join::And,
                    Tok::Or => Join::Or,
                    _ => Join::Seq,
                };
            }
        }
    }
    if !cmd.words.is_empty() || cmd.redirect.is_some() || cmd.heredoc.is_some() || !pipeline.is_empty() {
        pipeline.push(cmd);
    }
    if !pipeline.is_empty() {
        out.items.push((joiner, pipeline));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredoc_and_redirect() {
        let l = parse_line("cat > api-deployment.yaml << EOF").unwrap();
        let c = &l.items[0].1[0];
        assert_eq!(c.words, ["cat"]);
        assert_eq!(c.redirect, Some(("api-deployment.yaml".into(), false)));
        assert_eq!(l.heredoc(), Some(("EOF".into(), false)));
        let l = parse_line("kubectl apply -f - <<'EOF'").unwrap();
        assert_eq!(l.heredoc(), Some(("EOF".into(), false)));
    }

    #[test]
    fn quotes_pipes_and_comments() {
        let l = parse_line("echo 'a b' \"c\\\"d\" # note").unwrap();
        assert_eq!(l.items[0].1[0].words, ["echo", "a b", "c\"d"]);
        let l = parse_line("kubectl get pods | grep api && echo ok").unwrap();
        assert_eq!(l.items.len(), 2);
        assert_eq!(l.items[0].1.len(), 2);
        assert!(parse_line("echo 'open").is_err());
        let l = parse_line("false || echo ran; true").unwrap();
        assert_eq!(l.items.iter().map(|(j, _)| *j).collect::<Vec<_>>(), [Join::Seq, Join::Or, Join::Seq]);
    }
}
