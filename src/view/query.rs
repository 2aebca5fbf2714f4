//! The `/` filter's language, shared with `vigil snapshot --filter`: words that must all appear in
//! a record's search text, and field terms in the spirit of k9s label filters and Security Hub
//! insights: `sev:crit,high product:guardduty acct:shop-data type:*S3* -workflow:notified`.
//!
//! A field is a column, by its title (`sev`, `product`, `account`, `in-use`), or one of the fields
//! a pane adds (`type`, `control` on findings); a unique prefix or a common alias (`acct`) names
//! it too. A word with a colon that names no field (an ARN) is searched as text. A value matches
//! when it appears in the field (case-insensitive), or, with `*`, when the field reads as the
//! pattern from start to end; `a,b` matches either; a leading `-` or `!` keeps the records it
//! does not match. A term still being typed (`sev:`) keeps every record.

use super::{CellContext, Tabular};

/// Names people reach for that are not a column's title.
const ALIASES: &[(&str, &str)] = &[("acct", "account"), ("severity", "sev"), ("rtype", "resource-type")];

/// Which field a term reads: a column, or one of the pane's added fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRef {
    Column(usize),
    Extra(usize),
}

/// A field's name as the filter spells it: the column's title, lower-case, spaces as dashes.
pub fn column_field_name(title: &str) -> String {
    title.to_lowercase().replace(' ', "-")
}

/// Every field name `T`'s filter knows, columns first.
pub fn field_names<T: Tabular>() -> Vec<String> {
    let mut names: Vec<String> = T::columns().iter().map(|c| column_field_name(c.title)).collect();
    names.extend(T::extra_fields().iter().map(|f| f.to_string()));
    names
}

fn resolve<T: Tabular>(name: &str) -> Option<FieldRef> {
    let name = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, field)| field);
    let columns = T::columns().iter().enumerate().map(|(i, c)| (column_field_name(c.title), FieldRef::Column(i)));
    let extras = T::extra_fields().iter().enumerate().map(|(i, f)| (f.to_string(), FieldRef::Extra(i)));
    let fields: Vec<(String, FieldRef)> = columns.chain(extras).collect();
    if let Some((_, field)) = fields.iter().find(|(n, _)| n == name) {
        return Some(*field);
    }
    let mut prefixed = fields.iter().filter(|(n, _)| n.starts_with(name));
    match (prefixed.next(), prefixed.next()) {
        (Some((_, field)), None) => Some(*field),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Contains(String),
    /// The parts between the `*`s, in order; the first is anchored at the start and the last at
    /// the end.
    Glob(Vec<String>),
}

impl Pattern {
    fn parse(value: &str) -> Self {
        if value.contains('*') {
            Self::Glob(value.split('*').map(str::to_string).collect())
        } else {
            Self::Contains(value.to_string())
        }
    }

    /// The pattern is lower-case; `text` is as the record has it. ASCII text (nearly all of AWS's)
    /// is compared without lower-casing a copy: a field term is checked against every record.
    fn matches(&self, text: &str) -> bool {
        if !text.is_ascii() {
            return self.matches_lower(&text.to_lowercase());
        }
        self.matches_lower(AsciiFolded(text.as_bytes()))
    }

    fn matches_lower<H: Haystack>(&self, text: H) -> bool {
        match self {
            Self::Contains(needle) => text.find(needle.as_bytes(), 0).is_some(),
            Self::Glob(parts) => glob_matches(parts, text),
        }
    }
}

/// Text a pattern is searched in: lower-case already, or ASCII compared as if it were.
trait Haystack: Copy {
    fn len(self) -> usize;
    /// Where `needle` (lower-case) first appears at or after `from`.
    fn find(self, needle: &[u8], from: usize) -> Option<usize>;
    fn has_at(self, at: usize, needle: &[u8]) -> bool;
}

impl Haystack for &String {
    fn len(self) -> usize {
        self.as_str().len()
    }
    fn find(self, needle: &[u8], from: usize) -> Option<usize> {
        memchr::memmem::find(&self.as_bytes()[from..], needle).map(|i| i + from)
    }
    fn has_at(self, at: usize, needle: &[u8]) -> bool {
        self.as_bytes().get(at..at + needle.len()) == Some(needle)
    }
}

#[derive(Clone, Copy)]
struct AsciiFolded<'a>(&'a [u8]);

impl Haystack for AsciiFolded<'_> {
    fn len(self) -> usize {
        self.0.len()
    }
    fn find(self, needle: &[u8], from: usize) -> Option<usize> {
        let last = self.0.len().checked_sub(needle.len())?;
        (from..=last).find(|&at| self.has_at(at, needle))
    }
    fn has_at(self, at: usize, needle: &[u8]) -> bool {
        self.0.get(at..at + needle.len()).is_some_and(|part| part.eq_ignore_ascii_case(needle))
    }
}

fn glob_matches<H: Haystack>(parts: &[String], text: H) -> bool {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else { return true };
    let (first, last) = (first.as_bytes(), last.as_bytes());
    if parts.len() == 1 {
        return text.len() == first.len() && text.has_at(0, first);
    }
    if text.len() < first.len() + last.len() || !text.has_at(0, first) || !text.has_at(text.len() - last.len(), last) {
        return false;
    }
    let (mut at, end) = (first.len(), text.len() - last.len());
    for part in &parts[1..parts.len() - 1] {
        match text.find(part.as_bytes(), at) {
            Some(found) if found + part.len() <= end => at = found + part.len(),
            _ => return false,
        }
    }
    true
}

/// One `name:value` of the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: FieldRef,
    /// Any one of them matching is a match (`sev:crit,high`).
    alternatives: Vec<Pattern>,
    pub negated: bool,
}

impl FieldTerm {
    pub fn matches<T: Tabular>(&self, record: &T, ctx: &CellContext) -> bool {
        let values = record.field_values(self.field, ctx);
        let hit = self.alternatives.iter().any(|pattern| values.iter().any(|value| pattern.matches(value)));
        hit != self.negated
    }
}

/// A filter, parsed for one pane's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words that must appear in the search text, lower-cased.
    pub words: Vec<String>,
    pub fields: Vec<FieldTerm>,
    /// Words shaped like a field term (`sevv:crit`) whose name is no field here: searched as
    /// text, and worth a hint when nothing matches.
    pub unknown_fields: Vec<String>,
}

impl Query {
    pub fn parse<T: Tabular>(filter: &str) -> Self {
        let mut query = Self::default();
        for word in filter.to_lowercase().split_whitespace() {
            match field_term::<T>(word) {
                Term::Field(Some(term)) => query.fields.push(term),
                // Still being typed: keeps every record.
                Term::Field(None) => {}
                Term::Unknown(name) => {
                    query.unknown_fields.push(name);
                    query.words.push(word.to_string());
                }
                Term::Word => query.words.push(word.to_string()),
            }
        }
        query
    }

    /// Whether `record` passes the field terms (the words are matched against the search text,
    /// by the table's index).
    pub fn fields_match<T: Tabular>(&self, record: &T, ctx: &CellContext) -> bool {
        self.fields.iter().all(|term| term.matches(record, ctx))
    }

    /// The whole filter against one record (where no index is kept: the snapshot).
    pub fn matches<T: Tabular>(&self, record: &T, ctx: &CellContext) -> bool {
        self.fields_match(record, ctx) && {
            let text = record.search_text(ctx);
            self.words.iter().all(|w| text.contains(w.as_str()))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.fields.is_empty()
    }
}

enum Term {
    /// A field term; `None` while its value is still empty.
    Field(Option<FieldTerm>),
    Unknown(String),
    Word,
}

fn field_term<T: Tabular>(word: &str) -> Term {
    let (negated, body) = match word.strip_prefix(['-', '!']) {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let Some((name, value)) = body.split_once(':') else { return Term::Word };
    let shaped_like_field = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if !shaped_like_field {
        return Term::Word;
    }
    // A field's value may hold colons (`type:Recon:EC2/*`, `resource:arn:aws:s3:::shop`).
    let Some(field) = resolve::<T>(name) else {
        // `arn:aws:…` (more colons), `UnauthorizedAccess:EC2/…` (no field near its name) are
        // text; `sevv:crit` is a field mistyped.
        let names = field_names::<T>();
        return match crate::text::closest(name, names.iter().map(String::as_str)) {
            Some(_) if !value.contains(':') => Term::Unknown(name.to_string()),
            _ => Term::Word,
        };
    };
    let alternatives: Vec<Pattern> = value.split(',').filter(|v| !v.is_empty()).map(Pattern::parse).collect();
    if alternatives.is_empty() {
        return Term::Field(None);
    }
    Term::Field(Some(FieldTerm { field, alternatives, negated }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SeverityLabel;
    use crate::model::finding::Finding;
    use crate::model::finding::tests::sample;

    fn ctx() -> CellContext<'static> {
        CellContext::plain(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH)
    }

    fn finding(severity: SeverityLabel, finding_type: &str) -> Finding {
        let mut f = sample("f-1");
        f.severity = severity;
        f.finding_type = finding_type.into();
        f
    }

    #[test]
    fn field_terms_read_the_fields_and_words_stay_words() {
        let q = Query::parse::<Finding>("sev:crit,high type:*S3* bucket -workflow:notified");
        assert_eq!(q.words, ["bucket"]);
        assert_eq!(q.fields.len(), 3);
        assert!(q.fields[2].negated);
        let hit = finding(SeverityLabel::Critical, "Software and Configuration Checks/S3 exposure");
        assert!(q.fields_match(&hit, &ctx()));
        assert!(!q.fields_match(&finding(SeverityLabel::Medium, "S3"), &ctx()));
        assert!(!q.fields_match(&finding(SeverityLabel::High, "TTPs/Discovery"), &ctx()));
    }

    #[test]
    fn an_arn_a_half_typed_term_and_an_unknown_name_are_handled_apart() {
        let q = Query::parse::<Finding>("arn:aws:s3:::shop unauthorizedaccess:ec2/sshbruteforce sev: sevv:crit");
        assert_eq!(q.words, ["arn:aws:s3:::shop", "unauthorizedaccess:ec2/sshbruteforce", "sevv:crit"]);
        assert!(q.fields.is_empty());
        assert_eq!(q.unknown_fields, ["sevv"], "only a name close to a field's is a mistyped field");
        // A field's value keeps its colons.
        let q = Query::parse::<Finding>("type:recon:ec2/* resource:arn:aws:s3:::shop");
        assert_eq!(q.fields.len(), 2);
        let mut f = finding(SeverityLabel::High, "Recon:EC2/PortProbeUnprotectedPort");
        f.resource = "arn:aws:s3:::shop".into();
        assert!(q.fields_match(&f, &ctx()));
    }

    #[test]
    fn aliases_and_unique_prefixes_name_fields_and_an_ambiguous_prefix_does_not() {
        assert_eq!(resolve::<Finding>("acct"), resolve::<Finding>("account"));
        assert_eq!(resolve::<Finding>("prod"), resolve::<Finding>("product"));
        assert_eq!(resolve::<Finding>("severity"), Some(FieldRef::Column(crate::view::findings::SEVERITY)));
        // resource, resource-type, region.
        assert_eq!(resolve::<Finding>("re"), None);
    }

    #[test]
    fn rows_streaming_in_and_a_new_load_are_checked_against_the_field_terms() {
        use crate::view::table::{SortSpec, TableView};
        let rows: Vec<Finding> = (0..40)
            .map(|i| {
                let severity = if i % 3 == 0 { SeverityLabel::Critical } else { SeverityLabel::Low };
                let mut f = finding(severity, "T");
                f.id = format!("f-{i}");
                f
            })
            .collect();
        let sort = SortSpec { column: crate::view::findings::RISK, descending: true };
        let mut streamed = TableView::new(sort);
        streamed.rebuild(&rows[..10], &ctx(), |_| true);
        streamed.set_filter(&rows[..10], &ctx(), "sev:crit");
        assert_eq!(streamed.len(), 4);
        streamed.append(&rows, 10, &ctx(), |_| true);
        let mut whole = TableView::new(sort);
        whole.rebuild(&rows, &ctx(), |_| true);
        whole.set_filter(&rows, &ctx(), "sev:crit");
        assert_eq!(streamed.visible, whole.visible);
        assert_eq!(whole.len(), 14);
        // A new load is checked again; the filter stays.
        let fewer = rows[..20].to_vec();
        whole.rebuild(&fewer, &ctx(), |_| true);
        assert_eq!(whole.len(), 7);
        whole.set_filter(&fewer, &ctx(), "-sev:crit");
        assert_eq!(whole.len(), 13);
    }

    #[test]
    fn globs_are_anchored_and_contains_is_not() {
        let glob = |p: &str, t: &str| Pattern::parse(p).matches(t);
        assert!(glob("*s3*", "aws s3 bucket"));
        assert!(glob("s3*", "s3 bucket"));
        assert!(!glob("s3*", "aws s3"));
        assert!(glob("*bucket", "s3 bucket"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxcyyb"));
        assert!(!glob("ab*ba", "aba"));
        assert!(glob("s3", "xs3x"), "without a star a value is found anywhere");
        assert!(glob("*s3*", "AWS S3 Bucket") && glob("s3*bucket", "S3 BUCKET"), "case does not matter");
        assert!(glob("*é*", "CAFÉ") && !glob("café", "cafe"), "beyond ASCII too");
        assert!(!glob("a*ab*b", "aab"), "the middle parts stay between the anchored ends");
    }
}
