//! The names people know accounts by.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Friendly names of accounts (Organizations ListAccounts, the demo's names), by account id. Rows
/// show the name where one is known and the id otherwise; the filter matches both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountNames(BTreeMap<String, String>);

impl AccountNames {
    /// No names: every account shows as its id.
    pub fn none() -> &'static Self {
        static NONE: AccountNames = AccountNames(BTreeMap::new());
        &NONE
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn insert(&mut self, id: impl Into<String>, name: impl Into<String>) {
        self.0.insert(id.into(), name.into());
    }

    pub fn name(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    /// The account as a row shows it: its name, else its id.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.name(id).unwrap_or(id)
    }

    /// "shop-prod (111122223333)", or the id alone.
    pub fn long(&self, id: &str) -> String {
        match self.name(id) {
            Some(name) if name.ends_with(&format!("({id})")) => name.to_string(),
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(id, name)| (id.as_str(), name.as_str()))
    }
}

impl AccountNames {
    /// Names that could pass one account off as another are not shown as they are. An account's
    /// name is chosen by whoever runs it: a name two accounts share is dropped (those accounts
    /// show as their ids); a name that reads as an id (`1234-5678-9012`, `arn:aws:...`, twelve
    /// digits anywhere) keeps the real id beside it, `1234-5678-9012 (111122223333)`.
    pub fn settled(mut self) -> Self {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for name in self.0.values() {
            *uses.entry(name.trim().to_lowercase()).or_default() += 1;
        }
        self.0.retain(|_, name| {
            let key = name.trim().to_lowercase();
            !key.is_empty() && uses.get(&key) == Some(&1)
        });
        for (id, name) in self.0.iter_mut() {
            if reads_as_another_id(name, id) && !name.ends_with(&format!("({id})")) {
                *name = format!("{} ({id})", name.trim());
            }
        }
        self
    }
}

/// Whether the name of account `id` could be read as another account's id: digits with
/// separators only (`1234-5678-9012`) other than its own id, an ARN, or a run of twelve digits
/// other than its own id inside other text (`prod-999988887777`). Its own id in its name passes
/// for nothing else.
fn reads_as_another_id(name: &str, id: &str) -> bool {
    let name = name.trim();
    let digits: String = name.chars().filter(char::is_ascii_digit).collect();
    let digits_and_separators = name.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '.' | '_' | '/'));
    let other_run = name.split(|c: char| !c.is_ascii_digit()).any(|run| run.len() >= 12 && run != id);
    (digits_and_separators && !digits.is_empty() && digits != id)
        || name.to_ascii_lowercase().starts_with("arn:")
        || other_run
}

impl FromIterator<(String, String)> for AccountNames {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        Self(iter.into_iter().collect()).settled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_could_pass_for_another_account_is_not_shown() {
        let names: AccountNames = [
            ("111111111111", "shop-prod"),
            ("222222222222", "Shop-Prod "),
            ("333333333333", "111111111111"),
            ("444444444444", "payments"),
        ]
        .into_iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect();
        assert_eq!(names.label("111111111111"), "111111111111", "shared with another account");
        assert_eq!(names.label("222222222222"), "222222222222");
        assert_eq!(names.label("333333333333"), "111111111111 (333333333333)", "digits read as an id: the id beside");
        assert_eq!(names.label("444444444444"), "payments");
    }

    #[test]
    fn a_name_that_reads_as_an_id_or_an_arn_shows_the_real_id_beside_it() {
        let names: AccountNames = [
            ("111122223333", "1234-5678-9012"),
            ("222233334444", "arn:aws:iam::999988887777:root"),
            ("333344445555", "prod 999988887777 copy"),
            ("444455556666", "team-2026"),
        ]
        .into_iter()
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect();
        assert_eq!(names.label("111122223333"), "1234-5678-9012 (111122223333)");
        assert_eq!(names.label("222233334444"), "arn:aws:iam::999988887777:root (222233334444)");
        assert_eq!(names.label("333344445555"), "prod 999988887777 copy (333344445555)");
        assert_eq!(names.label("444455556666"), "team-2026", "a year is no account id");
        let own: AccountNames = [("555566667777".to_string(), "prod-555566667777".to_string())].into_iter().collect();
        assert_eq!(own.label("555566667777"), "prod-555566667777", "its own id passes for no other account");
        assert_eq!(names.long("111122223333"), "1234-5678-9012 (111122223333)", "the id once");
        assert_eq!(names.clone().settled(), names, "settling twice changes nothing");
    }
}
