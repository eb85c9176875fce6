//! Robustness of `kubectl apply`: arbitrary text and mutated valid manifests never panic the
//! parser, decoder, validation or lints; every error diagnostic points at a line; and a
//! document that failed leaves the object it names as it was.

use proptest::prelude::*;
use std::collections::BTreeMap;
use svclab_core::apply::{apply_text, ApplyReport};
use svclab_core::cluster::ObjKey;
use svclab_core::{Cluster, ClusterConfig};

const SEEDS: &[&str] = &[
    include_str!("fixtures/manifests/every_kind_created.yaml"),
    include_str!("fixtures/manifests/svc_target_port_name_rules.yaml"),
    include_str!("fixtures/manifests/lint_label_typo_same_manifest.yaml"),
    include_str!("fixtures/manifests/endpointslice_addresses_by_type.yaml"),
];

/// Characters that break YAML in interesting ways.
const NASTY: &[char] =
    &[':', '-', ' ', '\t', '"', '\'', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\n', 'і', '\u{feff}', '0'];

/// One fresh cluster per input (a clone of one bootstrapped cluster, which is slow to build),
/// so failures do not depend on earlier inputs.
fn run(text: &str) -> (Cluster, Cluster, ApplyReport) {
    static BASE: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
    let before = BASE.get_or_init(|| Cluster::new(ClusterConfig::default(), 7)).clone();
    let mut c = before.clone();
    let report = apply_text(&mut c, text, "x.yaml", "default");
    (before, c, report)
}

fn check_invariants(text: &str) -> Result<ApplyReport, TestCaseError> {
    let (before, after, report) = run(text);
    for d in report.diagnostics.iter().filter(|d| d.is_error()) {
        prop_assert!(d.pos.line >= 1, "error without a line: {d:?}\n--- input\n{text}");
    }
    // Documents that failed leave their object as it was (unless another document of the same
    // name in this manifest succeeded).
    let succeeded: Vec<&ObjKey> =
        report.results.iter().filter(|r| r.outcome.is_ok()).filter_map(|r| r.key.as_ref()).collect();
    let before_objs: BTreeMap<ObjKey, _> = before.objects().map(|o| (ObjKey::of(o), o.clone())).collect();
    for r in report.results.iter().filter(|r| r.outcome.is_err()) {
        let Some(key) = &r.key else { continue };
        if succeeded.contains(&key) {
            continue;
        }
        prop_assert_eq!(after.get_object(key), before_objs.get(key), "failed document changed {:?}", key);
    }
    // kubectl's output names every failure.
    let out = report.output();
    prop_assert_eq!(report.ok(), report.errors().is_empty());
    for e in report.errors() {
        prop_assert!(out.contains(&e.single) || out.contains(&e.listed));
    }
    Ok(report)
}

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    Insert(usize, char),
    Indent(usize, i8),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), prop::sample::select(NASTY)).prop_map(|(i, c)| Mutation::Insert(i, c)),
        (any::<usize>(), -3i8..=3).prop_map(|(i, d)| Mutation::Indent(i, d)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn mutate(text: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for m in muts {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Mutation::DuplicateLine(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::Indent(i, d) => {
                let l = &mut lines[i % n];
                if d > 0 {
                    l.insert_str(0, &" ".repeat(d as usize));
                } else {
                    let strip = l.len() - l.trim_start_matches(' ').len();
                    l.drain(..strip.min((-d) as usize));
                }
            }
            Mutation::Insert(i, c) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                let at = if chars.is_empty() { 0 } else { i % (chars.len() + 1) };
                let mut s: String = chars[..at].iter().collect();
                s.push(c);
                s.extend(&chars[at..]);
                *l = s;
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check_invariants(&text).map(|_| ())?;
    }

    #[test]
    fn yaml_shaped_text_never_panics(text in "([a-zA-Z: \\-\\[\\]{}\"'#\t\n]|apiVersion: v1\n|kind: Service\n|  ports:\n  - port: 8|metadata:\n  name: x\n|---\n){0,40}") {
        check_invariants(&text).map(|_| ())?;
    }

    #[test]
    fn mutated_manifests_keep_the_invariants(seed in 0..SEEDS.len(), muts in prop::collection::vec(mutation(), 1..6)) {
        check_invariants(&mutate(SEEDS[seed], &muts)).map(|_| ())?;
    }
}

/// A small coverage-guided loop in the spirit of cargo-fuzz, with the diagnostic codes and
/// outcome kinds an input produces standing in for coverage: inputs that show something new
/// join the corpus and are mutated further. Seeded, so a failure reproduces.
#[test]
fn corpus_guided_mutation_loop() {
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut corpus: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
    let mut seen: std::collections::BTreeSet<String> = Default::default();
    for _ in 0..1000 {
        let base = corpus[rng.usize(..corpus.len())].clone();
        let muts: Vec<Mutation> = (0..rng.usize(1..4))
            .map(|_| match rng.u8(..4) {
                0 => Mutation::DeleteLine(rng.usize(..)),
                1 => Mutation::Insert(rng.usize(..), NASTY[rng.usize(..NASTY.len())]),
                2 => Mutation::Indent(rng.usize(..), rng.i8(-3..=3)),
                _ => Mutation::DuplicateLine(rng.usize(..)),
            })
            .collect();
        let input = mutate(&base, &muts);
        let report = match check_invariants(&input) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let signature: Vec<String> = report.diagnostics.iter().map(|d| d.code.clone()).collect();
        let mut new = false;
        for s in signature {
            new |= seen.insert(s);
        }
        if new && corpus.len() < 64 {
            corpus.push(input);
        }
    }
    assert!(seen.len() >= 5, "the loop should reach several kinds of diagnostics: {seen:?}");
}
