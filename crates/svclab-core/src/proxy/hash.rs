//! Chain names as kube-proxy derives them (spec §6.2, §6.4): the first 16 (iptables) or 8
//! (nftables) characters of `base32(sha256(input))`, standard RFC 4648 alphabet with padding
//! (Go's `base32.StdEncoding`). The names are part of what learners read in `iptables-save`,
//! so they must match a real node's byte for byte.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with `=` padding, as Go's `base32.StdEncoding.EncodeToString`.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        // Number of output characters carrying data for a short final chunk.
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                let idx = ((v >> (35 - i * 5)) & 0x1f) as usize;
                out.push(ALPHABET[idx] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hash_prefix(input: &str, n: usize) -> String {
    let digest = Sha256::digest(input.as_bytes());
    base32(&digest).chars().take(n).collect()
}

/// `portProtoHash(servicePortName, protocol)`: the 16-character suffix of `KUBE-SVC-`,
/// `KUBE-SVL-`, `KUBE-EXT-`, `KUBE-FW-` chains. `protocol` is lower-cased, as kube-proxy does.
pub fn port_proto_hash(service_port_name: &str, protocol: &str) -> String {
    hash_prefix(&format!("{service_port_name}{}", protocol.to_ascii_lowercase()), 16)
}

/// `KUBE-SVC-<hash>` and friends.
pub fn service_chain(prefix: &str, service_port_name: &str, protocol: &str) -> String {
    format!("{prefix}{}", port_proto_hash(service_port_name, protocol))
}

/// `KUBE-SEP-<hash>`: the hash input is `servicePortName + protocol + "IP:port"`.
pub fn endpoint_chain(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    format!("KUBE-SEP-{}", hash_prefix(&format!("{service_port_name}{}{endpoint}", protocol.to_ascii_lowercase()), 16))
}

/// nftables `hashAndTruncate`-style prefix: `base32(sha256(name))[:8]` (spec §6.4).
pub fn nft_hash(name: &str) -> String {
    hash_prefix(name, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(base32(input.as_bytes()), want, "{input}");
        }
    }
}
