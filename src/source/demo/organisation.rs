//! The demo as an organisation (`--accounts N --regions M`): findings spread over member accounts
//! and regions, as a delegated administrator with a cross-region aggregator sees them. With one
//! account and one region (the default) nothing is moved.

use super::catalog::{ACCOUNT_ID, ACCOUNT_NAME, REGION};
use super::rng::DemoRng;
use crate::model::Finding;

/// The regions a demo organisation uses, in order (the 17 enabled by default, then opt-in ones).
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "eu-central-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-northeast-1",
    "us-east-2",
    "us-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
    "af-south-1",
    "ap-east-1",
    "eu-south-1",
    "me-south-1",
    "il-central-1",
];
/// The most regions `--regions` takes.
pub const MAX_REGIONS: usize = REGIONS.len();
/// Names of the first member accounts; the rest are numbered.
const NAMES: &[&str] = &[ACCOUNT_NAME, "shop-payments", "shop-data", "shop-security-tooling", "shop-staging"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrganisation {
    pub accounts: Vec<DemoAccount>,
    pub regions: Vec<&'static str>,
}

impl Default for DemoOrganisation {
    fn default() -> Self {
        Self::new(1, 1)
    }
}

impl DemoOrganisation {
    /// `accounts` accounts (the first the demo's own, `shop-prod`) in the first `regions` regions
    /// (from us-east-1); each at least one, regions at most [`MAX_REGIONS`].
    pub fn new(accounts: usize, regions: usize) -> Self {
        let accounts = (0..accounts.max(1))
            .map(|i| DemoAccount {
                id: if i == 0 { ACCOUNT_ID.to_string() } else { format!("{:012}", 210_000_000_000 + i * 7_919) },
                name: NAMES.get(i).map_or_else(|| format!("shop-member-{i:03}"), |n| (*n).to_string()),
            })
            .collect();
        Self { accounts, regions: REGIONS[..regions.clamp(1, MAX_REGIONS)].to_vec() }
    }

    pub fn is_single(&self) -> bool {
        self.accounts.len() == 1 && self.regions.len() == 1
    }

    /// Where the finding generated at `index` lives: the same for the same seed and index.
    fn place(&self, seed: u64, index: usize) -> (&DemoAccount, &'static str) {
        let mut rng = DemoRng::stream(seed, "placement", index as u64);
        // The production account holds a third of the findings; the rest spread evenly.
        let account = match rng.below(3) {
            0 => 0,
            _ => rng.below(self.accounts.len() as u64) as usize,
        };
        let region = rng.below(self.regions.len() as u64) as usize;
        (&self.accounts[account], self.regions[region])
    }

    /// Moves the findings generated at `index` (a GuardDuty finding and its Security Hub copy
    /// move together) from the demo's own account and region to their place: every ARN and id
    /// that names them is rewritten.
    pub fn relocate<'a>(&self, seed: u64, index: usize, findings: impl IntoIterator<Item = &'a mut Finding>) {
        if self.is_single() {
            return;
        }
        let (account, region) = self.place(seed, index);
        let (from, to) = (format!(":{REGION}:"), format!(":{region}:"));
        let moved = |text: &str| -> String { text.replace(&from, &to).replace(ACCOUNT_ID, &account.id) };
        for f in findings {
            f.id = moved(&f.id);
            f.resource = moved(&f.resource).into();
            f.product_arn = f.product_arn.as_deref().map(|arn| moved(arn).into());
            for (_, value) in &mut f.details {
                if value.contains(ACCOUNT_ID) || value.contains(REGION) {
                    *value = moved(value).into();
                }
            }
            f.account_id = account.id.as_str().into();
            f.region = region.into();
        }
    }

    /// The account a member resource (a certificate, a secret, a user pool) named `key` lives in,
    /// as the administrator reads it through the member role: the same for the same seed and key.
    pub fn owner_of(&self, seed: u64, key: &str) -> &DemoAccount {
        let salt = key.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let mut rng = DemoRng::stream(seed, "owner", salt);
        let account = match rng.below(3) {
            0 => 0,
            _ => rng.below(self.accounts.len() as u64) as usize,
        };
        &self.accounts[account]
    }

    /// `arn` moved into the account that owns it (its region stays: member roles read each
    /// account in the region of the context).
    pub fn owned_arn(&self, seed: u64, arn: &str) -> String {
        if self.accounts.len() == 1 {
            return arn.to_string();
        }
        arn.replace(ACCOUNT_ID, &self.owner_of(seed, arn).id)
    }

    /// Every account's name.
    pub fn names(&self) -> crate::model::AccountNames {
        self.accounts.iter().map(|a| (a.id.clone(), a.name.clone())).collect()
    }

    /// The account's name, where it is one of this organisation's.
    pub fn account_name(&self, id: &str) -> Option<&str> {
        self.accounts.iter().find(|a| a.id == id).map(|a| a.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_and_regions_are_stable_and_bounded() {
        let org = DemoOrganisation::new(500, 99);
        assert_eq!(org.accounts.len(), 500);
        assert_eq!(org.regions.len(), MAX_REGIONS);
        assert_eq!(org.accounts[0].id, ACCOUNT_ID);
        assert_eq!(org.accounts[1].name, "shop-payments");
        assert_eq!(org.accounts[499].name, "shop-member-499");
        let mut ids: Vec<_> = org.accounts.iter().map(|a| a.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 500, "account ids are distinct");
        assert!(ids.iter().all(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())));
        assert!(DemoOrganisation::new(0, 0).is_single());
        assert_eq!(org.place(7, 42), org.place(7, 42));
    }
}
