//! The panes, declared once: the vocabulary shared by the sources, the app, the UI and the headless
//! output. Every fact about a pane that is not code of its own layer lives in its [`PaneSpec`]: the
//! names people type, the config key, the default refresh intervals and scope. Per-pane settings
//! are a [`PaneMap`], keyed by pane and complete by construction, never an array indexed by
//! position.
//!
//! Adding a pane: a variant here and its spec in [`REGISTRY`]; then one module per layer (model,
//! view, source/aws, source/demo, ui). Every other place that must change is an exhaustive `match`
//! on [`PaneId`] or `PaneData`, so the compiler points at it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares the panes once: the enum, `ALL` in tab order and `COUNT` come from one list, so none
/// can be left out of another.
macro_rules! panes {
    ($($variant:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum PaneId {
            $($variant),+
        }

        impl PaneId {
            /// Every pane, in tab order (`1`-`5`, Tab).
            pub const ALL: [PaneId; [$(PaneId::$variant),+].len()] = [$(PaneId::$variant),+];
            pub const COUNT: usize = Self::ALL.len();
        }
    };
}

panes!(Findings, Certificates, Secrets, Users, Compliance);

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

/// Everything about one pane that is a fact rather than code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneSpec {
    pub id: PaneId,
    pub title: &'static str,
    /// A short name for the tab bar.
    pub tab_label: &'static str,
    /// The name used by the `:` command line, `--pane` and the cache files.
    pub command: &'static str,
    /// Other names `:` and `--pane` accept.
    pub aliases: &'static [&'static str],
    /// The pane's key in the config file (`[refresh] certificates = 900`) and in snapshot JSON.
    pub config_key: &'static str,
    pub refresh: RefreshDefaults,
    /// `None` when every record is always shown.
    pub scope: Option<ScopeSpec>,
}

/// The registry: one entry per pane, in tab order. Its length is the number of panes, so a pane
/// without an entry does not compile.
pub const REGISTRY: [PaneSpec; PaneId::COUNT] = [
    PaneSpec {
        id: PaneId::Findings,
        title: "Findings",
        tab_label: "Findings",
        command: "findings",
        aliases: &["finding", "f"],
        config_key: "findings",
        refresh: RefreshDefaults { demo_seconds: 10, aws_seconds: 60 },
        scope: Some(ScopeSpec {
            default: "open",
            widened: "all",
            refetch: true,
            help: "show all findings / only open ones",
        }),
    },
    PaneSpec {
        id: PaneId::Certificates,
        title: "Certificates",
        tab_label: "Certs",
        command: "certs",
        aliases: &["certificates", "certificate", "cert", "acm"],
        config_key: "certificates",
        refresh: RefreshDefaults { demo_seconds: 30, aws_seconds: 900 },
        scope: None,
    },
    PaneSpec {
        id: PaneId::Secrets,
        title: "Secrets",
        tab_label: "Secrets",
        command: "secrets",
        aliases: &["secret", "sm"],
        config_key: "secrets",
        refresh: RefreshDefaults { demo_seconds: 30, aws_seconds: 300 },
        scope: None,
    },
    PaneSpec {
        id: PaneId::Users,
        title: "Users",
        tab_label: "Users",
        command: "users",
        aliases: &["user", "cognito"],
        config_key: "users",
        refresh: RefreshDefaults { demo_seconds: 15, aws_seconds: 300 },
        scope: None,
    },
    PaneSpec {
        id: PaneId::Compliance,
        title: "Compliance",
        tab_label: "Compliance",
        command: "compliance",
        aliases: &["standards", "controls"],
        config_key: "compliance",
        refresh: RefreshDefaults { demo_seconds: 60, aws_seconds: 900 },
        scope: Some(ScopeSpec {
            default: "failing controls",
            widened: "controls",
            refetch: false,
            help: "show all controls / only failing ones",
        }),
    },
];

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

    /// The key that shows the pane: its position in tab order, from `1`.
    pub fn digit(self) -> char {
        char::from(b'1' + self.index() as u8)
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
        assert_eq!(PaneId::Compliance.digit(), '5');
    }

    #[test]
    fn a_pane_map_is_keyed_by_pane() {
        let mut map = PaneMap::from_fn(|p| p.command().len());
        map[PaneId::Secrets] = 99;
        assert_eq!(map[PaneId::Secrets], 99);
        assert_eq!(map[PaneId::Certificates], 5);
        assert_eq!(map.iter().count(), PaneId::COUNT);
        assert_eq!(PaneId::command_list(), "findings, certs, secrets, users or compliance");
    }
}
