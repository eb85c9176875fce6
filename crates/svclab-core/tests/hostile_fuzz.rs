//! The hostile-input campaign's short run (issue 13): a few cases of each generator in
//! `support/hostile_gen.rs`, in the normal test suite (about 20 s of CPU in a debug build). The
//! long run, which adds "scale to the limit then let an hour pass", is `tests/fuzz_long.rs`
//! (`hostile_campaign`); docs/ROBUSTNESS.md records what ran and what it found.

// The long campaign alone uses `scale_then_an_hour`.
#[allow(dead_code)]
#[path = "support/hostile_gen.rs"]
mod hostile_gen;

use hostile_gen::*;
use proptest::prelude::*;

#[global_allocator]
static ALLOC: Counting = Counting;

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn large_maps(input in large_map(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn large_strings(input in large_string(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn aliases_of_large_scalars(input in alias_bombs(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn bulk_docs(input in bulk_documents(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn terminal_redirect_loops(input in redirect_loops(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn link_decoded_manifests(input in link_like_manifests()) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
    #[test]
    fn terminal_pastes(input in pastes(1)) { prop_assert!(check(&input).is_ok(), "{}", check(&input).unwrap_err()); }
}
