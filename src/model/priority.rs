//! A finding's priority and the reasons for it: what the ranking (`super::risk`) decides, kept on
//! the finding. Apart from the ranking so that a finding can hold its priority without the rules
//! that set it.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// Why a finding ranks where it does. Every reason has a fixed weight; the priority is their sum
/// (at least 0, never capped: of two findings the one with more reasons ranks higher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Reason {
    Critical,
    High,
    Medium,
    Low,
    /// Workflow NEW: nobody has looked at it.
    Untouched,
    /// Workflow NOTIFIED: someone is on it.
    Notified,
    /// First seen within the last day.
    New,
    /// Last seen within the last hour: the activity is going on.
    Active,
    /// Seen 10 times or more (GuardDuty's count).
    Recurring,
    /// Seen 100 times or more.
    Persistent,
    /// A Macie finding says the resource holds sensitive data.
    SensitiveData,
    /// The resource is reachable from outside: public bucket or snapshot, open security group,
    /// public IP, public Lambda policy, external access.
    Exposed,
    /// A GuardDuty attack sequence involves the resource.
    AttackSequence,
    /// Credentials of, or used on, the resource are compromised.
    CredentialCompromise,
    /// An exploit is known for the vulnerability (Inspector's `ExploitAvailable`).
    KnownExploit,
    /// Two products or more report the same resource.
    SeveralProducts,
    /// A PCI DSS control fails: card data is what the shop must protect.
    PciDss,
    /// The new Security Hub correlated an exposure on the resource (an exposure finding: reachable,
    /// vulnerable, sensitive data, ... as AWS worked it out from several services).
    CorrelatedExposure,
}

impl Reason {
    pub const ALL: [Reason; 18] = [
        Self::Critical,
        Self::High,
        Self::Medium,
        Self::Low,
        Self::Untouched,
        Self::Notified,
        Self::New,
        Self::Active,
        Self::Recurring,
        Self::Persistent,
        Self::SensitiveData,
        Self::Exposed,
        Self::AttackSequence,
        Self::CredentialCompromise,
        Self::KnownExploit,
        Self::SeveralProducts,
        Self::PciDss,
        Self::CorrelatedExposure,
    ];

    /// What the reason adds to the priority.
    pub fn weight(self) -> i8 {
        match self {
            Self::Critical => 40,
            Self::High => 30,
            Self::Medium => 18,
            Self::Low => 8,
            Self::Untouched => 5,
            Self::Notified => -5,
            Self::New => 10,
            Self::Active => 8,
            Self::Recurring => 5,
            Self::Persistent => 10,
            Self::SensitiveData => 15,
            Self::Exposed => 15,
            Self::AttackSequence => 20,
            Self::CredentialCompromise => 15,
            Self::KnownExploit => 15,
            Self::SeveralProducts => 8,
            Self::PciDss => 10,
            Self::CorrelatedExposure => 20,
        }
    }

    /// The name in `snapshot` JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Untouched => "untouched",
            Self::Notified => "notified",
            Self::New => "new",
            Self::Active => "active",
            Self::Recurring => "recurring",
            Self::Persistent => "persistent",
            Self::SensitiveData => "sensitive_data",
            Self::Exposed => "exposed",
            Self::AttackSequence => "attack_sequence",
            Self::CredentialCompromise => "credential_compromise",
            Self::KnownExploit => "known_exploit",
            Self::SeveralProducts => "several_products",
            Self::PciDss => "pci_dss",
            Self::CorrelatedExposure => "correlated_exposure",
        }
    }

    /// One line for the detail view.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Critical => "severity CRITICAL",
            Self::High => "severity HIGH",
            Self::Medium => "severity MEDIUM",
            Self::Low => "severity LOW",
            Self::Untouched => "workflow NEW: nobody has looked at it",
            Self::Notified => "workflow NOTIFIED: someone is on it",
            Self::New => "first seen within the last day",
            Self::Active => "last seen within the last hour: still going on",
            Self::Recurring => "seen 10 times or more",
            Self::Persistent => "seen 100 times or more",
            Self::SensitiveData => "the resource holds sensitive data (a Macie finding on it)",
            Self::Exposed => "the resource is exposed (public access, open security group, public IP)",
            Self::AttackSequence => "an attack sequence involves the resource",
            Self::CredentialCompromise => "compromised credentials involve the resource",
            Self::KnownExploit => "an exploit is known for the vulnerability",
            Self::SeveralProducts => "several products report the resource",
            Self::PciDss => "a PCI DSS control fails (card data)",
            Self::CorrelatedExposure => "AWS correlated an exposure on the resource (Security Hub exposure finding)",
        }
    }

    /// The letter of the row's marker, for the reasons that come from context (severity, state
    /// and age have their own columns).
    pub fn marker(self) -> Option<char> {
        match self {
            Self::AttackSequence => Some('A'),
            Self::CredentialCompromise => Some('C'),
            Self::Exposed => Some('X'),
            Self::SensitiveData => Some('D'),
            Self::KnownExploit => Some('K'),
            Self::PciDss => Some('P'),
            Self::CorrelatedExposure => Some('E'),
            Self::SeveralProducts => Some('M'),
            Self::Persistent | Self::Recurring => Some('R'),
            Self::Active => Some('L'),
            _ => None,
        }
    }
}

/// A finding's priority and the reasons for it: 2 bytes of score and a bit per [`Reason`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Risk {
    pub score: u8,
    reasons: u32,
}

impl Risk {
    pub fn from_reasons(reasons: impl IntoIterator<Item = Reason>) -> Self {
        Self::from_bits(reasons.into_iter().fold(0u32, |bits, r| bits | (1 << r as u8)))
    }

    pub(super) fn from_bits(reasons: u32) -> Self {
        let sum: i32 =
            Reason::ALL.iter().filter(|r| reasons & (1 << **r as u8) != 0).map(|r| i32::from(r.weight())).sum();
        // Not capped at 100: two findings with every reason would both read 100 and tie, while
        // one of them has more going on. The weights add up to less than 255.
        Self { score: sum.clamp(0, i32::from(u8::MAX)) as u8, reasons }
    }

    pub fn has(&self, reason: Reason) -> bool {
        self.reasons & (1 << reason as u8) != 0
    }

    /// The reasons, heaviest first.
    /// (On the stack: the marker of every row on screen is drawn with it.)
    pub fn reasons(&self) -> impl Iterator<Item = Reason> + '_ {
        let mut all = Reason::ALL;
        all.sort_by_key(|r| (std::cmp::Reverse(r.weight()), *r));
        all.into_iter().filter(|r| self.has(*r))
    }

    /// Up to three letters for the context reasons, heaviest first (`AXD`): the row's marker.
    pub fn marker(&self) -> String {
        let mut letters = String::new();
        for letter in self.reasons().filter_map(Reason::marker) {
            if !letters.contains(letter) && letters.len() < 3 {
                letters.push(letter);
            }
        }
        letters
    }
}

impl Serialize for Risk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Reasons<'a>(&'a Risk);
        impl Serialize for Reasons<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(None)?;
                for reason in self.0.reasons() {
                    seq.serialize_element(&ReasonOut {
                        code: reason.code(),
                        weight: reason.weight(),
                        why: reason.describe(),
                    })?;
                }
                seq.end()
            }
        }
        #[derive(Serialize)]
        struct ReasonOut {
            code: &'static str,
            weight: i8,
            why: &'static str,
        }
        let mut out = serializer.serialize_struct("Risk", 2)?;
        out.serialize_field("score", &self.score)?;
        out.serialize_field("reasons", &Reasons(self))?;
        out.end()
    }
}
