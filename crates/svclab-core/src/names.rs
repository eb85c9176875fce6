//! Generated names, shaped exactly like the API server's and controllers'
//! (spec §1.1): `<rs>-<5 chars>` pods, `<deploy>-<pod-template-hash>` ReplicaSets.

/// apimachinery util/rand's alphabet: no vowels, no confusable characters.
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `SafeEncodeString`: each character maps to `ALPHANUMS[byte % 27]`. Applied to the decimal
/// digits of a uint32 hash this yields `[4-9bcdf]{1,10}`.
pub fn safe_encode(s: &str) -> String {
    s.bytes().map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char).collect()
}

/// FNV-1a, 32 bit, as `hash/fnv.New32a`.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `pod-template-hash`: the same template text always gives the same hash. The input is the
/// lab's canonical dump of the template (Go's dump of a defaulted PodTemplateSpec cannot be
/// reproduced portably; the shape can), plus the collision count.
pub fn pod_template_hash(canonical_template: &str, collision_count: u32) -> String {
    let mut data = canonical_template.as_bytes().to_vec();
    if collision_count > 0 {
        data.extend_from_slice(&collision_count.to_le_bytes());
    }
    safe_encode(&fnv32a(&data).to_string())
}

/// `generateName` completion: base truncated to 58 characters plus 5 random characters.
pub fn generate_name(base: &str, rng: &mut fastrand::Rng) -> String {
    let base: String = base.chars().take(58).collect();
    let suffix: String = (0..5).map(|_| ALPHANUMS[rng.usize(..ALPHANUMS.len())] as char).collect();
    format!("{base}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_hash_shape_and_stability() {
        let a = pod_template_hash("containers: [api]", 0);
        assert_eq!(a, pod_template_hash("containers: [api]", 0));
        assert_ne!(a, pod_template_hash("containers: [api2]", 0));
        assert!(a.len() <= 10 && a.chars().all(|c| "456789bcdf".contains(c)), "{a}");
    }

    #[test]
    fn generated_names_use_the_alphabet() {
        let mut rng = fastrand::Rng::with_seed(1);
        let n = generate_name("api-deployment-7898bdd89-", &mut rng);
        let suffix = n.strip_prefix("api-deployment-7898bdd89-").unwrap();
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|b| ALPHANUMS.contains(&b)));
    }
}
