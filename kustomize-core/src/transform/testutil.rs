//! Helpers for tests: documents written as JSON (which is YAML) without the YAML reader.

use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::{Resource, ResourceList};
use crate::transform::gojson::{self, Json};

/// A node from JSON text: strings are `!!str`, whole numbers `!!int`, other numbers `!!float`;
/// key order is kept.
pub(crate) fn node(json: &str) -> Node {
    fn convert(v: Json) -> Node {
        match v {
            Json::Nil | Json::RawNil | Json::Null => Node::null(),
            Json::Scalar(raw) => match raw.as_bytes()[0] {
                b'"' => Node::string(gojson::decode_string(&raw)),
                b't' | b'f' => Node::Scalar(Scalar::tagged(raw.as_ref(), Tag::Bool)),
                _ if raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                    Node::Scalar(Scalar::tagged(raw.as_ref(), Tag::Int))
                }
                _ => Node::Scalar(Scalar::tagged(raw.as_ref(), Tag::Float)),
            },
            Json::Array(items) => Node::Seq(items.into_iter().map(convert).collect()),
            Json::Object(entries) => {
                let mut m = Mapping::new();
                for (k, v) in entries {
                    m.push(Scalar::string(k), convert(v));
                }
                Node::Map(m)
            }
        }
    }
    convert(gojson::parse(json).unwrap_or_else(|e| panic!("bad test JSON {json}: {e}")))
}

/// A resource list from JSON documents.
pub(crate) fn resources(docs: &[&str]) -> ResourceList {
    let mut list = ResourceList::new();
    for d in docs {
        list.append(Resource::new(node(d))).unwrap();
    }
    list
}
