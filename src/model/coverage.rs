//! Which accounts a context's findings and compliance cover: Security Hub and GuardDuty are run from
//! a delegated administrator, and a console connected to a member account sees that account only.
//! Asked of AWS at connect (GetAdministratorAccount, ListMembers), never assumed.

use serde::{Deserialize, Serialize};

/// What Security Hub and GuardDuty say of the connected account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub security_hub: Administration,
    pub guardduty: Administration,
}

/// One service's word on the account: administrator, member or neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Administration {
    /// It administers `members` associated member accounts: their findings come here too.
    Administrator { members: usize },
    /// It is a member of `administrator`'s: the organisation's findings are there, this
    /// account's alone here.
    Member { administrator: String },
    /// Neither: its findings are its own.
    Alone,
    /// The service could not be asked (not enabled here, not allowed): why.
    Unknown { why: String },
}

impl Administration {
    /// "administrator of 41 members", "member of 111122223333", "this account only", "unknown: ...".
    pub fn describe(&self) -> String {
        match self {
            Self::Administrator { members: 1 } => "administrator of 1 member".into(),
            Self::Administrator { members } => format!("administrator of {members} members"),
            Self::Member { administrator } => format!("member of {administrator}"),
            Self::Alone => "this account only".into(),
            Self::Unknown { why } => format!("unknown ({why})"),
        }
    }

    /// The accounts whose records this service brings here: the members and the account itself.
    pub fn accounts(&self) -> Option<usize> {
        match self {
            Self::Administrator { members } => Some(members + 1),
            Self::Member { .. } | Self::Alone => Some(1),
            Self::Unknown { .. } => None,
        }
    }
}

impl Coverage {
    /// "Security Hub: administrator of 41 members · GuardDuty: member of 111122223333".
    pub fn describe(&self) -> String {
        format!("Security Hub: {} · GuardDuty: {}", self.security_hub.describe(), self.guardduty.describe())
    }

    /// What the user must know: connected to a member account, the organisation's findings and
    /// scores are in the administrator's console, not here.
    pub fn warning(&self) -> Option<String> {
        let members: Vec<String> = [("Security Hub", &self.security_hub), ("GuardDuty", &self.guardduty)]
            .into_iter()
            .filter_map(|(name, a)| match a {
                Administration::Member { administrator } => {
                    Some(format!("{name} is administered from {administrator}"))
                }
                _ => None,
            })
            .collect();
        (!members.is_empty()).then(|| {
            format!(
                "{}: findings and compliance here are this account's only; connect as the administrator for the organisation's",
                members.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_account_is_warned_and_an_administrator_counts_its_members() {
        let admin = Coverage {
            security_hub: Administration::Administrator { members: 41 },
            guardduty: Administration::Administrator { members: 1 },
        };
        assert_eq!(
            admin.describe(),
            "Security Hub: administrator of 41 members · GuardDuty: administrator of 1 member"
        );
        assert_eq!(admin.warning(), None);
        assert_eq!(admin.security_hub.accounts(), Some(42));
        let member = Coverage {
            security_hub: Administration::Member { administrator: "111122223333".into() },
            guardduty: Administration::Unknown { why: "no detector in this region".into() },
        };
        let warning = member.warning().unwrap();
        assert!(warning.starts_with("Security Hub is administered from 111122223333:"), "{warning}");
        assert_eq!(member.guardduty.accounts(), None);
    }
}
