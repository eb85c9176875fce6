//! Store keys and typed access to the [`Object`] enum.

use crate::api::*;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// (kind, namespace, name): the order objects are stored and listed in. Cluster-scoped
/// kinds (Namespace, Node) have an empty namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        let namespace = if kind.namespaced() { namespace.to_string() } else { String::new() };
        ObjKey { kind, namespace, name: name.to_string() }
    }
    pub fn of(obj: &Object) -> Self {
        ObjKey::new(obj.kind(), &obj.meta().namespace, &obj.meta().name)
    }
    pub(crate) fn kind_range(kind: Kind) -> RangeInclusive<ObjKey> {
        let lo = ObjKey { kind, namespace: String::new(), name: String::new() };
        let hi = ObjKey { kind, namespace: "\u{10ffff}".into(), name: "\u{10ffff}".into() };
        lo..=hi
    }
}

/// A store key seen as borrowed parts, so lookups need not build an [`ObjKey`] (two strings)
/// per `get`: `BTreeMap<ObjKey, _>` is searched with `&dyn KeyParts`, ordered exactly as
/// `ObjKey`'s derived order (kind, namespace, name).
pub(crate) trait KeyParts {
    fn parts(&self) -> (Kind, &str, &str);
}

impl KeyParts for ObjKey {
    fn parts(&self) -> (Kind, &str, &str) {
        (self.kind, &self.namespace, &self.name)
    }
}

/// A key borrowed from the caller's strings (the namespace already emptied for
/// cluster-scoped kinds, as [`ObjKey::new`] does).
pub(crate) struct KeyRef<'a>(pub Kind, pub &'a str, pub &'a str);

impl<'a> KeyRef<'a> {
    pub(crate) fn new(kind: Kind, namespace: &'a str, name: &'a str) -> Self {
        KeyRef(kind, if kind.namespaced() { namespace } else { "" }, name)
    }
}

impl KeyParts for KeyRef<'_> {
    fn parts(&self) -> (Kind, &str, &str) {
        (self.0, self.1, self.2)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyParts + 'a> for ObjKey {
    fn borrow(&self) -> &(dyn KeyParts + 'a) {
        self
    }
}

impl PartialEq for dyn KeyParts + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyParts + '_ {}

impl PartialOrd for dyn KeyParts + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyParts + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

/// A kind that lives in the store, with typed access to its [`Object`] variant.
pub trait Resource: Sized + 'static {
    const KIND: Kind;
    fn from_object(o: &Object) -> Option<&Self>;
    fn from_object_mut(o: &mut Object) -> Option<&mut Self>;
    fn into_object(self) -> Object;
    fn meta(&self) -> &ObjectMeta;
}

macro_rules! resource {
    ($t:ident) => {
        impl Resource for $t {
            const KIND: Kind = Kind::$t;
            fn from_object(o: &Object) -> Option<&Self> {
                match o {
                    Object::$t(x) => Some(x),
                    _ => None,
                }
            }
            fn from_object_mut(o: &mut Object) -> Option<&mut Self> {
                match o {
                    Object::$t(x) => Some(x),
                    _ => None,
                }
            }
            fn into_object(self) -> Object {
                Object::$t(self)
            }
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
        }
    };
}

resource!(Namespace);
resource!(PersistentVolumeClaim);
resource!(StorageClass);
resource!(Node);
resource!(Pod);
resource!(Service);
resource!(Endpoints);
resource!(EndpointSlice);
resource!(ConfigMap);
resource!(Deployment);
resource!(ReplicaSet);
resource!(StatefulSet);
resource!(DaemonSet);
