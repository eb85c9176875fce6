//! The patterns of `ran PATTERN` checks: a small regular-expression subset a teacher can read
//! (`kubectl get (svc|services)`), matched against the learner's terminal lines.
//!
//! Supported: literal characters, `.` (any character), groups with alternatives `(a|b)`,
//! the quantifiers `?`, `*` and `+` after a character, `.` or group, and `\` to take the next
//! character literally. A space matches one or more blanks, so `kubectl  get svc` typed with
//! two spaces still counts. The match is anchored at the start of the line and open at the
//! end (`kubectl get svc` matches `kubectl get svc -o wide`). Matching simulates the pattern
//! over sets of positions, so it never backtracks exponentially whatever a teacher writes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Atom {
    Char(char),
    Any,
    Blank,
    Group(Vec<Vec<Item>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Rep {
    One,
    Optional,
    Star,
    Plus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Item {
    atom: Atom,
    rep: Rep,
}

/// A compiled pattern and its source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    pub source: String,
    seq: Vec<Item>,
}

impl Pattern {
    /// Compile; the error names the 0-based character offset of the problem.
    pub fn parse(source: &str) -> Result<Pattern, (usize, String)> {
        let chars: Vec<char> = source.chars().collect();
        let mut i = 0;
        let alts = parse_alts(&chars, &mut i, 0)?;
        if i < chars.len() {
            return Err((i, "unmatched ')'".into()));
        }
        let seq = if alts.len() == 1 {
            alts.into_iter().next().unwrap_or_default()
        } else {
            vec![Item { atom: Atom::Group(alts), rep: Rep::One }]
        };
        if seq.is_empty() {
            return Err((0, "empty pattern".into()));
        }
        Ok(Pattern { source: source.to_string(), seq })
    }

    /// Whether the pattern matches a prefix of `line` (leading blanks ignored).
    pub fn matches(&self, line: &str) -> bool {
        let chars: Vec<char> = line.trim_start().chars().collect();
        !seq_ends(&self.seq, &chars, BTreeSet::from([0])).is_empty()
    }
}

fn parse_alts(chars: &[char], i: &mut usize, depth: usize) -> Result<Vec<Vec<Item>>, (usize, String)> {
    if depth > 8 {
        return Err((*i, "groups nested too deeply".into()));
    }
    let mut alts = vec![Vec::new()];
    while *i < chars.len() {
        let ch = chars[*i];
        let atom = match ch {
            ')' => break,
            '|' => {
                *i += 1;
                alts.push(Vec::new());
                continue;
            }
            '(' => {
                let open = *i;
                *i += 1;
                let inner = parse_alts(chars, i, depth + 1)?;
                if chars.get(*i) != Some(&')') {
                    return Err((open, "unclosed '('".into()));
                }
                *i += 1;
                Atom::Group(inner)
            }
            '\\' => {
                *i += 1;
                let Some(&c) = chars.get(*i) else { return Err((*i - 1, "'\\' at the end".into())) };
                *i += 1;
                Atom::Char(c)
            }
            '.' => {
                *i += 1;
                Atom::Any
            }
            '?' | '*' | '+' => return Err((*i, format!("'{ch}' follows nothing"))),
            c if c.is_whitespace() => {
                while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
                    *i += 1;
                }
                Atom::Blank
            }
            c => {
                *i += 1;
                Atom::Char(c)
            }
        };
        let rep = match chars.get(*i) {
            Some('?') => Rep::Optional,
            Some('*') => Rep::Star,
            Some('+') => Rep::Plus,
            _ => Rep::One,
        };
        if rep != Rep::One {
            *i += 1;
        }
        if let Some(last) = alts.last_mut() {
            last.push(Item { atom, rep });
        }
    }
    Ok(alts)
}

/// Every position where `seq` can end when started at any of `starts`: a set simulation
/// (no backtracking), so the work is bounded by pattern size times line length.
fn seq_ends(seq: &[Item], s: &[char], starts: BTreeSet<usize>) -> BTreeSet<usize> {
    seq.iter().fold(starts, |acc, item| if acc.is_empty() { acc } else { item_ends(item, s, acc) })
}

fn item_ends(item: &Item, s: &[char], starts: BTreeSet<usize>) -> BTreeSet<usize> {
    let once = |from: &BTreeSet<usize>| -> BTreeSet<usize> {
        from.iter().flat_map(|&p| atom_ends(&item.atom, s, p)).collect()
    };
    match item.rep {
        Rep::One => once(&starts),
        Rep::Optional => {
            let mut out = once(&starts);
            out.extend(starts);
            out
        }
        Rep::Star | Rep::Plus => {
            let first = once(&starts);
            let mut all = first.clone();
            let mut frontier = first;
            while !frontier.is_empty() {
                let next: BTreeSet<usize> = once(&frontier).difference(&all).copied().collect();
                all.extend(next.iter().copied());
                frontier = next;
            }
            if item.rep == Rep::Star {
                all.extend(starts);
            }
            all
        }
    }
}

fn atom_ends(atom: &Atom, s: &[char], p: usize) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    match atom {
        Atom::Char(c) => {
            if s.get(p) == Some(c) {
                out.insert(p + 1);
            }
        }
        Atom::Any => {
            if p < s.len() {
                out.insert(p + 1);
            }
        }
        Atom::Blank => {
            let mut q = p;
            while s.get(q).is_some_and(|c| c.is_whitespace()) {
                q += 1;
                out.insert(q);
            }
        }
        Atom::Group(alts) => {
            for alt in alts {
                out.extend(seq_ends(alt, s, BTreeSet::from([p])));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_and_open_end() {
        let p = Pattern::parse("kubectl get (svc|services)").unwrap();
        assert!(p.matches("kubectl get svc"));
        assert!(p.matches("  kubectl   get services -o wide"));
        assert!(!p.matches("kubectl get pods"));
        assert!(!p.matches("echo kubectl get svc"));
    }

    #[test]
    fn quantifiers() {
        let p = Pattern::parse("kubectl (-n default )?get po(d|ds)?").unwrap();
        assert!(p.matches("kubectl get po"));
        assert!(p.matches("kubectl -n default get pods"));
        let p = Pattern::parse("nslookup .*service").unwrap();
        assert!(p.matches("nslookup headless-service"));
        assert!(!p.matches("nslookup web"));
        let p = Pattern::parse("kubectl scale .*--replicas=3").unwrap();
        assert!(p.matches("kubectl scale deployment api-deployment --replicas=3"));
        assert!(!p.matches("kubectl scale deployment api-deployment --replicas=5"));
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(Pattern::parse("kubectl get (svc").unwrap_err().0, 12);
        assert_eq!(Pattern::parse("a)").unwrap_err().0, 1);
        assert_eq!(Pattern::parse("*a").unwrap_err().0, 0);
        assert_eq!(Pattern::parse("a\\").unwrap_err().0, 1);
    }
}
