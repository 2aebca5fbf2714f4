//! The search texts of a table's records, lower-cased, kept so that a keystroke scans memory in
//! order and a refresh that changed a few records of 100k shares the rest instead of copying it.
//!
//! Texts live in chunks: one buffer each, written once and then shared (`Arc`) by every index
//! built from the one that wrote it. A refresh's index shares all the chunks of the index on
//! screen, points its unchanged records at their old texts and writes only the changed ones into a
//! new chunk. Texts of records that left stay behind as garbage until [`Haystacks::settled`]
//! compacts them.

use std::ops::Range;
use std::sync::Arc;

/// No record: a slot whose text belongs to a record that changed or left.
const FREE: u32 = u32::MAX;
/// More chunks than this are merged (all but the one with the most live text).
const MAX_CHUNKS: usize = 8;

#[derive(Debug, Default)]
struct Chunk {
    text: String,
    /// Where each slot's text ends; slot `k` is `text[ends[k-1]..ends[k]]`.
    ends: Vec<u32>,
}

impl Chunk {
    fn range(&self, slot: usize) -> Range<usize> {
        let start = if slot == 0 { 0 } else { self.ends[slot - 1] as usize };
        start..self.ends[slot] as usize
    }
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    chunk: u32,
    slot: u32,
}

/// The search text of every record, by record index.
#[derive(Debug, Clone, Default)]
pub struct Haystacks {
    chunks: Vec<Arc<Chunk>>,
    /// Per chunk and slot, the record whose text it is (or [`FREE`]): a scan's hit in a chunk
    /// names its record through this.
    records: Vec<Vec<u32>>,
    /// Per record, where its text is.
    slots: Vec<Slot>,
    /// Per record, which letters and digits its text holds (bit per character): the first key
    /// typed in a filter is usually one of them, answered without reading the text.
    alphanumerics: Vec<u64>,
    /// Bytes of text the records use; the chunks' other bytes are garbage.
    live: usize,
}

/// The bit of a lower-case letter or digit in [`Haystacks::alphanumerics`].
fn alphanumeric_bit(byte: u8) -> Option<u64> {
    match byte {
        b'a'..=b'z' => Some(1 << (byte - b'a')),
        b'0'..=b'9' => Some(1 << (26 + byte - b'0')),
        _ => None,
    }
}

impl Haystacks {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// An empty set that shares the texts of `other`, for its records to be taken over with
    /// [`Haystacks::reuse`] and new ones written with [`Haystacks::push`].
    pub(super) fn sharing(other: &Haystacks, records: usize) -> Self {
        Self {
            chunks: other.chunks.clone(),
            records: other.chunks.iter().map(|c| vec![FREE; c.ends.len()]).collect(),
            slots: Vec::with_capacity(records),
            alphanumerics: Vec::with_capacity(records),
            live: 0,
        }
    }

    /// Record `i` of `other`, which this set shares the texts of (see [`Haystacks::sharing`]),
    /// as the next record: no text is copied.
    pub(super) fn reuse(&mut self, other: &Haystacks, i: usize) {
        let slot = other.slots[i];
        let (chunk, k) = (slot.chunk as usize, slot.slot as usize);
        self.records[chunk][k] = self.slots.len() as u32;
        self.live += self.chunks[chunk].range(k).len();
        self.slots.push(slot);
        self.alphanumerics.push(other.alphanumerics[i]);
    }

    pub fn push(&mut self, record_text: &str) {
        // The last chunk takes the text if no other index shares it; else a new chunk does.
        if self.chunks.last_mut().and_then(Arc::get_mut).is_none() {
            self.chunks.push(Arc::default());
            self.records.push(Vec::new());
        }
        let record = self.slots.len() as u32;
        let chunk_index = self.chunks.len() - 1;
        let Some(chunk) = self.chunks.last_mut().and_then(Arc::get_mut) else { return };
        chunk.text.push_str(record_text);
        chunk.ends.push(chunk.text.len() as u32);
        self.slots.push(Slot { chunk: chunk_index as u32, slot: (chunk.ends.len() - 1) as u32 });
        self.records[chunk_index].push(record);
        self.alphanumerics.push(record_text.bytes().filter_map(alphanumeric_bit).fold(0, |m, b| m | b));
        self.live += record_text.len();
    }

    pub fn get(&self, i: usize) -> &str {
        let slot = self.slots[i];
        let chunk = &self.chunks[slot.chunk as usize];
        &chunk.text[chunk.range(slot.slot as usize)]
    }

    #[cfg(test)]
    pub(super) fn alphanumerics(&self, i: usize) -> u64 {
        self.alphanumerics[i]
    }

    /// The same texts, with the garbage compacted once it is worth it: when a quarter of the bytes
    /// are garbage everything is rewritten into one chunk; when refreshes have left many small
    /// chunks, those are merged and the large first one stays shared.
    pub(super) fn settled(self) -> Self {
        let total: usize = self.chunks.iter().map(|c| c.text.len()).sum();
        if total - self.live > total / 4 + (1 << 20) {
            let mut compact = Self::default();
            compact
                .chunks
                .push(Arc::new(Chunk { text: String::with_capacity(self.live), ends: Vec::with_capacity(self.len()) }));
            compact.records.push(Vec::with_capacity(self.len()));
            for i in 0..self.len() {
                compact.push(self.get(i));
            }
            return compact;
        }
        if self.chunks.len() <= MAX_CHUNKS {
            return self;
        }
        // The chunk holding most of the live text stays shared; the others' live texts are copied
        // into one new chunk.
        let mut live = vec![0usize; self.chunks.len()];
        for slot in &self.slots {
            live[slot.chunk as usize] += self.chunks[slot.chunk as usize].range(slot.slot as usize).len();
        }
        let keep = (0..live.len()).max_by_key(|&c| live[c]).unwrap_or(0);
        let kept = Arc::clone(&self.chunks[keep]);
        let mut merged = Self {
            records: vec![vec![FREE; kept.ends.len()]],
            chunks: vec![kept],
            slots: Vec::with_capacity(self.len()),
            alphanumerics: Vec::with_capacity(self.len()),
            live: 0,
        };
        for i in 0..self.len() {
            let slot = self.slots[i];
            if slot.chunk as usize == keep {
                merged.records[0][slot.slot as usize] = i as u32;
                merged.live += merged.chunks[0].range(slot.slot as usize).len();
                merged.slots.push(Slot { chunk: 0, slot: slot.slot });
                merged.alphanumerics.push(self.alphanumerics[i]);
            } else {
                merged.push(self.get(i));
            }
        }
        merged
    }

    /// Which records contain `needle`: one scan of each chunk that jumps to the next text after
    /// each hit, so a rare word costs one pass at memory speed.
    pub(super) fn containing(&self, needle: &memchr::memmem::Finder<'_>) -> Vec<bool> {
        if let [byte] = needle.needle()
            && let Some(bit) = alphanumeric_bit(*byte)
        {
            return self.alphanumerics.iter().map(|m| m & bit != 0).collect();
        }
        let mut hit = vec![false; self.slots.len()];
        for (chunk, records) in self.chunks.iter().zip(&self.records) {
            let bytes = chunk.text.as_bytes();
            let (mut from, mut slot) = (0usize, 0usize);
            while let Some(offset) = needle.find(&bytes[from..]) {
                let at = from + offset;
                // Hits only move forward: walk to the slot holding this one (cheaper than a binary
                // search when most texts match, and one pass over `ends` in all when few do).
                while chunk.ends.get(slot).is_some_and(|&end| end as usize <= at) {
                    slot += 1;
                }
                let Some(&end) = chunk.ends.get(slot) else { break };
                // A hit that runs into the next text is no hit: this text ends first.
                if at + needle.needle().len() <= end as usize
                    && let Some(&record) = records.get(slot).filter(|&&r| r != FREE)
                {
                    hit[record as usize] = true;
                }
                from = end as usize;
            }
        }
        hit
    }
}

impl<S: AsRef<str>> FromIterator<S> for Haystacks {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut haystacks = Self::default();
        haystacks.extend(iter);
        haystacks
    }
}

impl<S: AsRef<str>> Extend<S> for Haystacks {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for text in iter {
            self.push(text.as_ref());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(h: &Haystacks) -> Vec<&str> {
        (0..h.len()).map(|i| h.get(i)).collect()
    }

    #[test]
    fn a_word_is_found_inside_a_record_never_across_two() {
        let haystacks: Haystacks = ["alpha", "beta", "gamma", "betabeta"].into_iter().collect();
        let find = |word: &str| haystacks.containing(&memchr::memmem::Finder::new(word.as_bytes()));
        assert_eq!(find("beta"), vec![false, true, false, true]);
        assert_eq!(find("hab"), vec![false; 4], "alpha|beta must not match across the boundary");
        assert_eq!(find("a"), vec![true; 4]);
        assert_eq!(find("g"), vec![false, false, true, false], "one letter is answered from the bitmask");
        assert_eq!(find("-"), vec![false; 4]);
        assert_eq!(haystacks.get(2), "gamma");
    }

    #[test]
    fn a_set_built_from_another_shares_its_texts_and_finds_only_its_own_records() {
        let old: Haystacks = ["alpha", "beta", "gamma"].into_iter().collect();
        let mut new = Haystacks::sharing(&old, 3);
        new.reuse(&old, 2);
        new.push("delta");
        new.reuse(&old, 0);
        assert_eq!(texts(&new), ["gamma", "delta", "alpha"]);
        assert!(Arc::ptr_eq(&new.chunks[0], &old.chunks[0]), "the old texts are shared, not copied");
        let find = |word: &str| new.containing(&memchr::memmem::Finder::new(word.as_bytes()));
        assert_eq!(find("beta"), vec![false; 3], "beta left: its text is garbage, never a hit");
        assert_eq!(find("lta"), vec![false, true, false]);
        assert_eq!(find("mma"), vec![true, false, false]);
        assert_eq!(texts(&old), ["alpha", "beta", "gamma"], "the old set is untouched");
    }

    #[test]
    fn garbage_and_many_chunks_are_compacted_without_changing_a_text() {
        let long = "x".repeat(1 << 20);
        let old: Haystacks = [long.as_str(), long.as_str(), "keep"].into_iter().collect();
        let mut new = Haystacks::sharing(&old, 1);
        new.reuse(&old, 2);
        let new = new.settled();
        assert_eq!(texts(&new), ["keep"]);
        assert_eq!(new.chunks.len(), 1);
        assert_eq!(new.chunks[0].text.len(), 4, "two megabytes of garbage went");

        // A small first chunk (a cache head), then the bulk arrives in the second: the bulk stays.
        let mut many: Haystacks = ["base"].into_iter().collect();
        let mut bulk = Haystacks::sharing(&many, 2);
        bulk.reuse(&many, 0);
        bulk.push(&"y".repeat(10_000));
        let bulk_chunk = Arc::clone(&bulk.chunks[1]);
        many = bulk;
        for round in 0..12 {
            let mut next = Haystacks::sharing(&many, many.len() + 1);
            for i in 0..many.len() {
                next.reuse(&many, i);
            }
            next.push(&format!("r{round}"));
            many = next.settled();
        }
        assert!(many.chunks.len() <= MAX_CHUNKS);
        assert_eq!(many.len(), 14);
        assert_eq!(many.get(0), "base");
        assert_eq!(many.get(1).len(), 10_000);
        assert_eq!(many.get(13), "r11");
        assert!(
            many.chunks.iter().any(|c| Arc::ptr_eq(c, &bulk_chunk)),
            "the chunk with most live text is never copied"
        );
        let hits = many.containing(&memchr::memmem::Finder::new(b"r1"));
        assert_eq!(hits.iter().filter(|&&h| h).count(), 3, "r1, r10, r11");
    }
}
