//! Addresses and ranges: CIDR parsing and indexing for both families, used by IPAM, the
//! Service IP allocator and reverse DNS.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A CIDR range, either family. Addresses are handled as u128 offsets from the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub base: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = s.split_once('/')?;
        let base: IpAddr = ip.parse().ok()?;
        let prefix: u8 = prefix.parse().ok()?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        if prefix > max {
            return None;
        }
        // Normalise the base to the network address.
        let c = Cidr { base, prefix };
        Some(Cidr { base: c.nth(0)?, prefix })
    }

    pub fn is_ipv6(&self) -> bool {
        self.base.is_ipv6()
    }

    fn bits(&self) -> u32 {
        if self.is_ipv6() {
            128
        } else {
            32
        }
    }

    /// Number of addresses (saturating for huge IPv6 ranges).
    pub fn size(&self) -> u128 {
        let host = self.bits() - self.prefix as u32;
        if host >= 127 {
            u128::MAX
        } else {
            1u128 << host
        }
    }

    fn base_u128(&self) -> u128 {
        let raw = ip_to_u128(self.base);
        let host = self.bits() - self.prefix as u32;
        if host >= 128 {
            0
        } else {
            raw & !((1u128 << host) - 1)
        }
    }

    /// The `n`th address of the range (0 = network address).
    pub fn nth(&self, n: u128) -> Option<IpAddr> {
        if n >= self.size() {
            return None;
        }
        let v = self.base_u128().checked_add(n)?;
        Some(u128_to_ip(v, self.is_ipv6()))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv6() == self.is_ipv6() && self.offset(ip).is_some()
    }

    /// The offset of `ip` inside the range.
    pub fn offset(&self, ip: IpAddr) -> Option<u128> {
        if ip.is_ipv6() != self.is_ipv6() {
            return None;
        }
        let d = ip_to_u128(ip).checked_sub(self.base_u128())?;
        (d < self.size()).then_some(d)
    }

    /// The `i`th sub-range of the given prefix length (node pod CIDRs: /24 of a /16).
    pub fn subnet(&self, prefix: u8, i: u128) -> Option<Cidr> {
        if prefix < self.prefix || prefix as u32 > self.bits() {
            return None;
        }
        let step = 1u128.checked_shl(self.bits() - prefix as u32)?;
        let base = self.nth(i.checked_mul(step)?)?;
        Some(Cidr { base, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

fn ip_to_u128(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v) => u32::from(v) as u128,
        IpAddr::V6(v) => u128::from(v),
    }
}

fn u128_to_ip(v: u128, v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(v))
    } else {
        IpAddr::V4(Ipv4Addr::from(v as u32))
    }
}

/// The dashed form CoreDNS uses for endpoint and pod names: `10-244-1-5`, `fd00--1`.
pub fn dashed(ip: &str) -> String {
    ip.replace(['.', ':'], "-")
}

/// Canonical text of an address (`1234::5678:0000:0000:9abc:def0` → `1234::5678:0:0:9abc:def0`).
pub fn canonical(ip: &str) -> Option<String> {
    ip.parse::<IpAddr>().ok().map(|i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_ranges() {
        let c = Cidr::parse("10.96.0.0/12").unwrap();
        assert_eq!(c.nth(10).unwrap().to_string(), "10.96.0.10");
        assert_eq!(c.size(), 1 << 20);
        assert!(c.contains("10.111.255.255".parse().unwrap()));
        assert!(!c.contains("10.112.0.0".parse().unwrap()));
        let pods = Cidr::parse("10.244.0.0/16").unwrap();
        assert_eq!(pods.subnet(24, 2).unwrap().to_string(), "10.244.2.0/24");
    }

    #[test]
    fn v6_ranges() {
        let c = Cidr::parse("2001:db8::/112").unwrap();
        assert_eq!(c.nth(10).unwrap().to_string(), "2001:db8::a");
        assert_eq!(canonical("1234::5678:0000:0000:9abc:def0").unwrap(), "1234::5678:0:0:9abc:def0");
        assert_eq!(dashed("fd00::1"), "fd00--1");
    }
}
