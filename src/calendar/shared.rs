//! [`Text`]: a session's text, shared rather than copied. Most of a calendar's text lives in
//! one buffer — the snapshot it was read from, or the text of its source — and a `Text` is
//! a range of it; a clone costs a reference count, never a copy. Text made afresh (a room
//! label, a renamed id) is a string of its own.
//!
//! A `Text` reads as a `&str` (it dereferences to one), compares, hashes and orders as its
//! string does, prints as it, and is made from a `String` or a `&str` with `.into()`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Immutable text that is cheap to clone: see the module's documentation. Sixteen bytes:
/// the buffer (none for empty text) and a range of it.
#[derive(Clone, Default)]
pub struct Text {
    buffer: Option<Arc<Buffer>>,
    start: u32,
    len: u32,
}

/// A buffer of UTF-8 that many [`Text`]s share.
pub struct Buffer(Bytes);

enum Bytes {
    Heap(Box<str>),
    Static(&'static str),
    /// A snapshot file, mapped read-only; its text section was validated as UTF-8 when
    /// mapped (see [`Buffer::mapped`]).
    Mapped {
        map: memmap2::Mmap,
        text: std::ops::Range<usize>,
    },
}

impl Buffer {
    /// A buffer holding `text`.
    pub fn new(text: impl Into<Box<str>>) -> Arc<Self> {
        Arc::new(Self(Bytes::Heap(text.into())))
    }

    /// A mapped file whose bytes `text` are its text section; `None` when they are not
    /// UTF-8 (or out of the map).
    pub fn mapped(map: memmap2::Mmap, text: std::ops::Range<usize>) -> Option<Arc<Self>> {
        std::str::from_utf8(map.get(text.clone())?).ok()?;
        Some(Arc::new(Self(Bytes::Mapped { map, text })))
    }

    /// The whole text of the buffer.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Bytes::Heap(text) => text,
            Bytes::Static(text) => text,
            Bytes::Mapped { map, text } => {
                let bytes = &map[text.clone()];
                // SAFETY: `Buffer::mapped` checked that these bytes are UTF-8, and a mapping
                // is read-only: hallway replaces a snapshot by renaming a new file over it,
                // never by writing into it, so the mapped bytes do not change.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
        }
    }

    /// All the bytes the buffer holds: its text, and for a mapped file the rest of the
    /// file.
    pub fn bytes(&self) -> &[u8] {
        match &self.0 {
            Bytes::Heap(text) => text.as_bytes(),
            Bytes::Static(text) => text.as_bytes(),
            Bytes::Mapped { map, .. } => map,
        }
    }

    /// The text `start..start + len` of this buffer. It is not checked here, to keep
    /// loading a snapshot from reading every text: a range that is not whole characters
    /// within the buffer (only a corrupt snapshot with a valid checksum could hold one)
    /// reads as empty.
    pub fn text(self: &Arc<Self>, start: u32, len: u32) -> Text {
        if len == 0 {
            return Text::default();
        }
        Text {
            buffer: Some(Arc::clone(self)),
            start,
            len,
        }
    }

    /// A `Text` of `part`, which should lie within this buffer's text: shared when it does,
    /// else a copy.
    pub fn share(self: &Arc<Self>, part: &str) -> Text {
        self.range_of(part).unwrap_or_else(|| Text::from(part))
    }

    /// A `Text` of `part` when it lies within this buffer's text.
    pub fn range_of(self: &Arc<Self>, part: &str) -> Option<Text> {
        let all = self.as_str();
        let offset = (part.as_ptr() as usize).wrapping_sub(all.as_ptr() as usize);
        match (u32::try_from(offset), u32::try_from(part.len())) {
            (Ok(start), Ok(len)) if offset + part.len() <= all.len() => Some(self.text(start, len)),
            _ => None,
        }
    }

    /// The text of `buffer`, moved out when nothing else holds the buffer, else copied.
    pub fn into_string(buffer: Arc<Self>) -> String {
        match Arc::try_unwrap(buffer) {
            Ok(Self(Bytes::Heap(text))) => text.into_string(),
            Ok(other) => other.as_str().to_owned(),
            Err(shared) => shared.as_str().to_owned(),
        }
    }

    /// Bytes of text held.
    pub fn len(&self) -> usize {
        self.as_str().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Text {
    /// The length its range states, found without reading its buffer (a read of the text
    /// itself may be a cache miss): its text's length, unless the range is not whole
    /// characters within the buffer, which only a corrupt snapshot can make.
    pub(crate) fn stated_len(&self) -> usize {
        match self.buffer {
            Some(_) => self.len as usize,
            None => 0,
        }
    }

    /// A text that is a literal.
    pub fn from_static(text: &'static str) -> Self {
        Self::whole(Arc::new(Buffer(Bytes::Static(text))))
    }

    /// All of `buffer`.
    fn whole(buffer: Arc<Buffer>) -> Self {
        match u32::try_from(buffer.len()) {
            Ok(len) if len > 0 => Self {
                buffer: Some(buffer),
                start: 0,
                len,
            },
            _ => Self::default(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.buffer {
            None => "",
            Some(buffer) => {
                let from = self.start as usize;
                buffer
                    .as_str()
                    .get(from..from + self.len as usize)
                    .unwrap_or_default()
            }
        }
    }

    /// Where this text lies in `buffer`, when it is a range of it.
    pub fn range_in(&self, buffer: &Arc<Buffer>) -> Option<(u32, u32)> {
        match &self.buffer {
            Some(own) if Arc::ptr_eq(own, buffer) => Some((self.start, self.len)),
            _ => None,
        }
    }

    /// What tells this text's value apart without reading it: texts with the same identity
    /// are clones of one another (a room every session in it shares).
    pub(crate) fn identity(&self) -> (usize, u32, u32) {
        let buffer = self.buffer.as_ref().map_or(0, |b| Arc::as_ptr(b) as usize);
        (buffer, self.start, self.len)
    }

    /// The buffer this text is a range of, if any.
    pub fn buffer(&self) -> Option<&Arc<Buffer>> {
        self.buffer.as_ref()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.identity() == other.identity() || self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.identity() == other.identity() {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Text {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<Text> for $other {
            fn eq(&self, other: &Text) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}
eq_with!(str, String);

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        if text.is_empty() {
            return Self::default();
        }
        Self::whole(Buffer::new(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Self {
        Self::whole(Buffer::new(text))
    }
}

impl From<std::borrow::Cow<'_, str>> for Text {
    fn from(text: std::borrow::Cow<'_, str>) -> Self {
        Self::from(text.as_ref())
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.as_str().to_owned()
    }
}

impl From<&Text> for String {
    fn from(text: &Text) -> Self {
        text.as_str().to_owned()
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_share_their_buffer_and_read_as_str() {
        let buffer = Buffer::new("Master Stage, Paris é");
        let room = buffer.text(0, 12);
        assert_eq!(room, "Master Stage");
        assert_eq!(room.to_uppercase(), "MASTER STAGE");
        assert_eq!(room.range_in(&buffer), Some((0, 12)));
        // Half of 'é', or past the end, reads as nothing.
        assert_eq!(buffer.text(20, 1), "");
        assert_eq!(buffer.text(0, 100), "");
        let paris = buffer.share(&buffer.as_str()[14..19]);
        assert_eq!(paris.range_in(&buffer), Some((14, 5)));
        let elsewhere = buffer.share("Paris");
        assert_eq!(elsewhere, paris);
        assert_eq!(elsewhere.range_in(&buffer), None);
    }

    #[test]
    fn compares_hashes_and_prints_as_its_string() {
        let own = Text::from("talk".to_owned());
        let shared = Buffer::new("a talk").text(2, 4);
        assert_eq!(own, shared);
        assert_eq!(own, "talk");
        assert_eq!("talk", own);
        assert_eq!(String::from("talk"), own);
        let mut set = std::collections::HashSet::new();
        set.insert(own);
        assert!(set.contains("talk"));
        assert!(set.contains(&shared));
        assert_eq!(format!("[{shared}] {shared:?}"), "[talk] \"talk\"");
        assert!(Text::default().is_empty());
        assert_eq!(std::mem::size_of::<Text>(), 16);
        assert_eq!(String::from(shared), "talk");
    }
}
