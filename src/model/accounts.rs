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
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(id, name)| (id.as_str(), name.as_str()))
    }
}

impl AccountNames {
    /// Drops the names that could pass one account off as another: a name two accounts share, or
    /// a name of digits (which reads as an account id). Those accounts show as their ids. An
    /// account's name is chosen by whoever runs it.
    pub fn settled(mut self) -> Self {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for name in self.0.values() {
            *uses.entry(name.trim().to_lowercase()).or_default() += 1;
        }
        self.0.retain(|_, name| {
            let key = name.trim().to_lowercase();
            !key.is_empty() && !key.bytes().all(|b| b.is_ascii_digit()) && uses.get(&key) == Some(&1)
        });
        self
    }
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
        assert_eq!(names.label("333333333333"), "333333333333", "digits read as an id");
        assert_eq!(names.label("444444444444"), "payments");
    }
}
