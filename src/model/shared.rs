//! Shared strings: one allocation for a text that many records repeat (a product ARN, a finding
//! type, an account id, a title), so 100k findings do not hold 100k copies of the same 60 bytes,
//! and cloning a record copies pointers, not text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string behind a reference count. Reads as a `str`, serialises as a plain string,
/// compares and hashes by its text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same allocation (interned together), not merely equal text.
    pub fn ptr_eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        Self::from("")
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        Self(Arc::from(text))
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        Self(Arc::from(text))
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        text.0.to_string()
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == &*other.0
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// Hands out one [`SharedStr`] per distinct text. Used while a batch of records is built; dropped
/// with the batch's construction (the strings live on in the records).
#[derive(Debug, Default)]
pub struct Interner {
    seen: HashSet<SharedStr>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `text`, allocated the first time it is seen.
    pub fn intern(&mut self, text: &str) -> SharedStr {
        if let Some(shared) = self.seen.get(text) {
            return shared.clone();
        }
        let shared = SharedStr::from(text);
        self.seen.insert(shared.clone());
        shared
    }

    /// Replaces `slot` with the shared copy of its text (a no-op when it already is that copy).
    pub fn share(&mut self, slot: &mut SharedStr) {
        match self.seen.get(slot.as_str()) {
            Some(shared) => {
                if !shared.ptr_eq(slot) {
                    *slot = shared.clone();
                }
            }
            None => {
                self.seen.insert(slot.clone());
            }
        }
    }

    /// How many distinct texts it holds.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serialises_as_a_plain_string() {
        let text = SharedStr::from("arn:aws:securityhub:us-east-1::product/aws/guardduty");
        assert_eq!(text, "arn:aws:securityhub:us-east-1::product/aws/guardduty");
        assert!(text.starts_with("arn:"), "derefs to str");
        assert_eq!(format!("{text}"), text.as_str());
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, "\"arn:aws:securityhub:us-east-1::product/aws/guardduty\"");
        let back: SharedStr = serde_json::from_str(&json).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn interning_keeps_one_allocation_per_text() {
        let mut interner = Interner::new();
        let a = interner.intern("us-east-1");
        let mut b = SharedStr::from(String::from("us-east-1"));
        assert!(!a.ptr_eq(&b));
        interner.share(&mut b);
        assert!(a.ptr_eq(&b), "the second copy now points at the first");
        assert_eq!(interner.len(), 1);
    }
}
