//! The panes, declared once: the vocabulary shared by every layer. [`for_each_pane!`] is the
//! registry, one line per pane; everything else that differs per pane is generated from it or lives
//! in the pane's own module of each layer (`src/pane/<name>.rs` for its facts, `model/panes`,
//! `view/panes`, `source/aws/panes`, `source/demo/panes`, `app/panes`, `ui/panes`,
//! `snapshot/panes`), each implementing that layer's trait. Per-pane settings are a [`PaneMap`],
//! keyed by pane and complete by construction. docs/adding-a-pane.md is the recipe.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The registry: one line per pane, `Variant module`, in tab order. `for_each_pane!(m)` expands to
/// `m! { Findings findings, ... }`; each layer generates its dispatch from it (its `match`es, its
/// pane state, its `mod` declarations), so a new pane is this line and its own modules.
#[macro_export]
macro_rules! for_each_pane {
    ($callback:ident) => {
        $callback! {
            Findings findings,
            Certificates certificates,
            Secrets secrets,
            Users users,
            Compliance compliance,
            Edge edge,
            Keys keys,
        }
    };
}

/// Declares the panes' own modules of a layer (`pub mod findings;` ...): used by each layer's
/// `panes/mod.rs`.
#[macro_export]
macro_rules! declare_pane_modules {
    ($($variant:ident $module:ident),+ $(,)?) => {
        $(pub mod $module;)+
    };
}

for_each_pane!(declare_pane_modules);

macro_rules! define_panes {
    ($($variant:ident $module:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum PaneId {
            $($variant),+
        }

        impl PaneId {
            /// Every pane, in tab order (`1`-`9`, Tab).
            pub const ALL: [PaneId; [$(PaneId::$variant),+].len()] = [$(PaneId::$variant),+];
            pub const COUNT: usize = Self::ALL.len();
        }

        /// Every pane's facts, in tab order. Its length is the number of panes.
        pub const REGISTRY: [PaneSpec; PaneId::COUNT] = [$($module::SPEC),+];
    };
}

for_each_pane!(define_panes);

/// How often a pane refreshes by itself unless the config says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshDefaults {
    /// The demo changes every few seconds: often enough to show it.
    pub demo_seconds: u32,
    /// Real accounts: API quotas matter more than seconds.
    pub aws_seconds: u32,
}

/// What a pane shows before the user widens it with its scope key (`a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeSpec {
    /// The default scope, as the title line names it ("open", "failing controls").
    pub default: &'static str,
    /// The widened scope ("all", "controls").
    pub widened: &'static str,
    /// Whether widening needs a new fetch (closed findings are not fetched by default).
    pub refetch: bool,
    /// What the scope key does, for the help overlay and the docs.
    pub help: &'static str,
}

/// Where a pane's (or a service's) data lives: in each region, or once per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Read in every region of a context; the all view shows each region's rows.
    Regional,
    /// The account's, whatever the region: read once per account, through its home region
    /// (Shield, CloudFront-scope WAF and Organizations answer in us-east-1 only); the all view
    /// shows its rows once however many regions of the account it joins.
    Global { home_region: &'static str },
}

/// Behaviour a pane may add beyond its table. Every pane says of each hook whether it uses it,
/// and why not where it does not (`tests/registry.rs` checks the declaration against what the
/// pane does), so a new pane cannot leave one out by forgetting it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    /// Alerts rung when its data arrives (the bell, notifications, the hook program).
    Alerts,
    /// Items on the expiry radar and the board's "due within 7 days".
    Due,
    /// Its records in "everything about" a record (`o`), and its records as the subject of one.
    Related,
    /// A panel on the war-room board.
    BoardPanel,
    /// Keys and `:` commands only this pane has.
    PaneKeys,
    /// State-changing actions on its records (the `x` menu beyond copying).
    Actions,
    /// Rows told the account and region of the context that read them (rows that do not say them
    /// themselves): every target names where it lives.
    PlaceInContext,
    /// Rows the all view shows once though several contexts list them.
    MergeDedupe,
}

impl Hook {
    pub const ALL: [Hook; 8] = [
        Hook::Alerts,
        Hook::Due,
        Hook::Related,
        Hook::BoardPanel,
        Hook::PaneKeys,
        Hook::Actions,
        Hook::PlaceInContext,
        Hook::MergeDedupe,
    ];
}

/// One pane's word on one [`Hook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    Uses(Hook),
    /// Left out, and why.
    Without(Hook, &'static str),
}

impl Declared {
    pub fn hook(self) -> Hook {
        match self {
            Self::Uses(hook) | Self::Without(hook, _) => hook,
        }
    }
}

/// A pane's lens: its command name (and `[keys]` name), other `:` words, key and what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LensSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub key: char,
    pub description: &'static str,
    /// The key hint's word on the bottom line.
    pub hint: &'static str,
}

/// A key only one pane has: the command it gives (`crate::command`'s name) and what it does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneKey {
    pub key: char,
    pub command: &'static str,
    /// What it does in this pane; `{name}` is another command's key in effect.
    pub description: &'static str,
    /// The key hint's word on the bottom line, if it has one.
    pub hint: Option<&'static str>,
}

/// A setting of one pane in the config (`[panes.edge] block_ip_set = "arn:..."`).
#[derive(Debug, Clone, Copy)]
pub struct PaneSetting {
    pub name: &'static str,
    /// What it does, for `vigil config default` (one line per element).
    pub help: &'static [&'static str],
    /// An example value, for `vigil config default`.
    pub example: &'static str,
    /// Whether a value is acceptable, and what was expected when it is not.
    pub check: fn(&str) -> Result<(), String>,
}

/// Settings are told apart by name (their check is code, not a fact to compare).
impl PartialEq for PaneSetting {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for PaneSetting {}

/// Everything about one pane that is a fact rather than code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneSpec {
    pub id: PaneId,
    pub title: &'static str,
    /// A short name for the tab bar.
    pub tab_label: &'static str,
    /// At most five characters: the tab bar's name when every tab must fit 80 columns.
    pub short_label: &'static str,
    /// The name used by the `:` command line, `--pane` and the cache files.
    pub command: &'static str,
    /// Other names `:` and `--pane` accept.
    pub aliases: &'static [&'static str],
    /// The pane's key in the config file (`[refresh] certificates = 900`) and in snapshot JSON.
    pub config_key: &'static str,
    pub refresh: RefreshDefaults,
    /// `None` when every record is always shown.
    pub scope: Option<ScopeSpec>,
    pub reach: Reach,
    /// Its lens: a list of its own across its records (what to fix first, the fraud lens), opened
    /// with its key or `:` command.
    pub lens: Option<LensSpec>,
    /// Keys only this pane has.
    pub keys: &'static [PaneKey],
    /// Settings it reads from the config's `[panes.<config key>]`.
    pub settings: &'static [PaneSetting],
    /// What it says of each [`Hook`].
    pub hooks: &'static [Declared],
}

impl PaneSpec {
    /// Whether the pane uses `hook`.
    pub fn uses(&self, hook: Hook) -> bool {
        self.hooks.contains(&Declared::Uses(hook))
    }
}

// The registry and the enum agree: entry `i` is the pane whose index is `i`.
const _: () = {
    let mut i = 0;
    while i < PaneId::COUNT {
        assert!(REGISTRY[i].id.index() == i && PaneId::ALL[i].index() == i);
        i += 1;
    }
};

impl PaneId {
    /// The pane's position in tab order: its place in the declaration.
    pub const fn index(self) -> usize {
        self as usize
    }

    pub fn spec(self) -> &'static PaneSpec {
        &REGISTRY[self.index()]
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    pub fn tab_label(self) -> &'static str {
        self.spec().tab_label
    }

    pub fn command(self) -> &'static str {
        self.spec().command
    }

    /// The key that shows the pane: its position in tab order, from `1` (the tenth pane on, none).
    pub fn digit(self) -> Option<char> {
        (self.index() < 9).then(|| char::from(b'1' + self.index() as u8))
    }

    /// Accepts the command name, the title, the config key and the aliases, in any case.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        REGISTRY
            .iter()
            .find(|s| {
                s.command == text
                    || s.config_key == text
                    || s.title.eq_ignore_ascii_case(&text)
                    || s.aliases.contains(&text.as_str())
            })
            .map(|s| s.id)
    }

    /// The pane named by a config key.
    pub fn from_config_key(key: &str) -> Option<Self> {
        REGISTRY.iter().find(|s| s.config_key == key).map(|s| s.id)
    }

    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::COUNT]
    }

    pub fn previous(self) -> Self {
        Self::ALL[(self.index() + Self::COUNT - 1) % Self::COUNT]
    }

    /// The command names, for messages: "findings, certs, secrets, users or compliance".
    pub fn command_list() -> String {
        let names: Vec<&str> = REGISTRY.iter().map(|s| s.command).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}

impl fmt::Display for PaneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// One value per pane, keyed by pane. Built from a function of the pane, so it always has an entry
/// for every pane: a forgotten pane cannot compile into a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneMap<T>([T; PaneId::COUNT]);

impl<T> PaneMap<T> {
    pub fn from_fn(mut value: impl FnMut(PaneId) -> T) -> Self {
        Self(PaneId::ALL.map(&mut value))
    }

    pub fn get(&self, pane: PaneId) -> &T {
        &self.0[pane.index()]
    }

    pub fn get_mut(&mut self, pane: PaneId) -> &mut T {
        &mut self.0[pane.index()]
    }

    pub fn set(&mut self, pane: PaneId, value: T) {
        self.0[pane.index()] = value;
    }

    pub fn iter(&self) -> impl Iterator<Item = (PaneId, &T)> {
        PaneId::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T> std::ops::Index<PaneId> for PaneMap<T> {
    type Output = T;
    fn index(&self, pane: PaneId) -> &T {
        self.get(pane)
    }
}

impl<T> std::ops::IndexMut<PaneId> for PaneMap<T> {
    fn index_mut(&mut self, pane: PaneId) -> &mut T {
        self.get_mut(pane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_a_pane_parses_back_to_it_and_no_name_is_shared() {
        let mut seen = std::collections::HashMap::new();
        for spec in REGISTRY {
            let names = [spec.command, spec.config_key, spec.title].into_iter().chain(spec.aliases.iter().copied());
            for name in names {
                assert_eq!(PaneId::parse(name), Some(spec.id), "{name}");
                assert_eq!(PaneId::parse(&name.to_uppercase()), Some(spec.id), "{name}");
                let owner = seen.entry(name.to_ascii_lowercase()).or_insert(spec.id);
                assert_eq!(*owner, spec.id, "{name} names two panes");
            }
            assert_eq!(PaneId::from_config_key(spec.config_key), Some(spec.id));
        }
        assert_eq!(PaneId::parse("nope"), None);
    }

    #[test]
    fn tab_order_cycles_through_every_pane() {
        let mut pane = PaneId::Findings;
        for _ in 0..PaneId::COUNT {
            assert_eq!(pane.next().previous(), pane);
            pane = pane.next();
        }
        assert_eq!(pane, PaneId::Findings);
        assert_eq!(PaneId::Compliance.digit(), Some('5'));
    }

    #[test]
    fn a_pane_map_is_keyed_by_pane() {
        let mut map = PaneMap::from_fn(|p| p.command().len());
        map[PaneId::Secrets] = 99;
        assert_eq!(map[PaneId::Secrets], 99);
        assert_eq!(map[PaneId::Certificates], 5);
        assert_eq!(map.iter().count(), PaneId::COUNT);
        let list = PaneId::command_list();
        assert!(
            list.starts_with("findings, certs, ")
                && list.ends_with(&format!(" or {}", PaneId::ALL[PaneId::COUNT - 1].command())),
            "{list}"
        );
    }
}
