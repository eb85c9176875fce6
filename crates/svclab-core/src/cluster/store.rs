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
