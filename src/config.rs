//! The optional config file, `~/.config/vigil/config.toml` (or `--config`). A bad file is an error
//! naming the file, line and what was expected; a missing default file is fine.
//!
//! ```toml
//! read_only = false          # for every profile
//! theme = "ansi16"
//!
//! [profiles.prod]            # per AWS profile
//! read_only = true
//!
//! [contexts.shop]            # a named set of contexts: vigil --context shop
//! profiles = ["prod", "payments"]
//! regions = ["eu-west-1", "us-east-1"]
//!
//! [organisation]             # member accounts' certificates, secrets and pools
//! member_role = "VigilReadOnly"
//! external_id = "..."        # when the role's trust policy asks for one
//! accounts_in_flight = 4
//! ```

use crate::keymap::{KeySetting, Keymap, Located};
use crate::location::line_col;
use crate::pane::{PaneId, PaneMap};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub read_only: bool,
    pub theme: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// Seconds between refreshes on real accounts, keyed by each pane's config key.
    #[serde(default)]
    refresh: BTreeMap<toml::Spanned<String>, toml::Spanned<u32>>,
    /// Settings of the Findings pane's refresh.
    #[serde(default)]
    findings: FindingsConfig,
    #[serde(default)]
    contexts: BTreeMap<String, ContextSet>,
    /// The live feed: which queue, and how often to poll while it is healthy.
    #[serde(default)]
    live: LiveConfig,
    /// History through Athena: workgroup, result location, tables, the byte cap.
    #[serde(default)]
    history: HistoryConfig,
    /// How member accounts are reached.
    #[serde(default)]
    organisation: OrganisationConfig,
    /// Bell, desktop notifications and a hook for new alerts.
    #[serde(default)]
    alerts: AlertsConfig,
    /// How much of each AWS quota this console may use.
    #[serde(default)]
    quotas: QuotasConfig,
    /// `[panes.NAME]`: a pane's own settings (`[panes.edge] block_ip_set`), checked against what
    /// each pane declares (`PaneSpec::settings`).
    #[serde(default)]
    panes: BTreeMap<toml::Spanned<String>, BTreeMap<toml::Spanned<String>, toml::Spanned<String>>>,
    /// `[keys]`: actions' keys everywhere, and `[keys.SCOPE]` tables for one place.
    #[serde(default)]
    keys: BTreeMap<toml::Spanned<String>, toml::Spanned<KeysEntry>>,
    /// `[views.NAME]`: named filters, sorts and groupings of a pane (`:view NAME`).
    #[serde(default)]
    views: BTreeMap<toml::Spanned<String>, ViewConfig>,
    /// `views` as checked.
    #[serde(skip)]
    saved_views: Vec<SavedView>,
    /// `keys` checked against the keymap, each word with where it is written.
    #[serde(skip)]
    key_settings: Vec<KeySetting>,
    /// `contexts` with the line and column of each region, worked out while the text is at hand.
    #[serde(skip)]
    context_sets: BTreeMap<String, NamedContexts>,
}

/// `[contexts.NAME]`: profiles and regions that `--context NAME` names at once (every profile with
/// every region, as `--profile a,b --region x,y`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSet {
    #[serde(default)]
    profiles: Vec<String>,
    #[serde(default)]
    regions: Vec<toml::Spanned<String>>,
}

/// A `[contexts.NAME]` set as `--context` uses it, each region with where it is written (for an
/// error naming the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedContexts {
    pub profiles: Vec<String>,
    pub regions: Vec<(String, usize, usize)>,
}

/// A value under `[keys]`: an action's key or keys, or a table of them for one scope. Written by
/// hand because serde's untagged enums lose toml's positions, which the errors need.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeysEntry {
    Key(String),
    Keys(Vec<toml::Spanned<String>>),
    Scope(BTreeMap<toml::Spanned<String>, toml::Spanned<KeysEntry>>),
}

impl<'de> Deserialize<'de> for KeysEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeysEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key (\"x\", \"ctrl-f\", \"pagedown\"), a list of keys, or a [keys.SCOPE] table")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<KeysEntry, E> {
                Ok(KeysEntry::Key(key.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeysEntry, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element()? {
                    keys.push(key);
                }
                Ok(KeysEntry::Keys(keys))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<KeysEntry, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((action, keys)) = map.next_entry()? {
                    entries.insert(action, keys);
                }
                Ok(KeysEntry::Scope(entries))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The settings of one `[keys]` entry for the keymap: a scope table's entries, or an action's keys.
fn key_settings(
    scope: Option<&toml::Spanned<String>>,
    action: &toml::Spanned<String>,
    value: &toml::Spanned<KeysEntry>,
) -> Result<Vec<KeySetting>, (usize, String)> {
    let located = |s: &toml::Spanned<String>| Located { text: s.get_ref().clone(), offset: s.span().start };
    let keys = match value.get_ref() {
        KeysEntry::Key(key) => vec![Located { text: key.clone(), offset: value.span().start }],
        KeysEntry::Keys(keys) => keys.iter().map(located).collect(),
        KeysEntry::Scope(entries) => {
            if let Some(scope) = scope {
                return Err((
                    action.span().start,
                    format!(
                        "keys.{}.{}: expected a key or a list of keys, found a table",
                        scope.get_ref(),
                        action.get_ref()
                    ),
                ));
            }
            // Checked here too: a place whose settings are all commented out is still misspelt.
            if let Err(why) = crate::keymap::Scope::from_config_name(action.get_ref()) {
                return Err((action.span().start, why));
            }
            let mut settings = Vec::new();
            for (inner, keys) in entries {
                settings.extend(key_settings(Some(action), inner, keys)?);
            }
            return Ok(settings);
        }
    };
    Ok(vec![KeySetting { scope: scope.map(located), action: located(action), keys }])
}

/// `[views.NAME]`: a pane with its filter, sort, grouping and scope.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewConfig {
    pane: toml::Spanned<String>,
    filter: Option<toml::Spanned<String>>,
    /// A column's field name (`risk`, `age`, `in-use`).
    sort: Option<toml::Spanned<String>>,
    /// The column's own first direction when not said.
    descending: Option<bool>,
    group: Option<toml::Spanned<String>>,
    /// The columns shown, by field name (`["risk", "sev", "title", "age"]`).
    columns: Option<Vec<toml::Spanned<String>>>,
    all: Option<bool>,
}

pub use crate::view::SavedView;

/// A `[views.NAME]` table checked against its pane: every field its filter names, its sort column
/// and its grouping exist there. `Err` is where and why.
fn saved_view(name: &str, view: &ViewConfig) -> Result<SavedView, (usize, String)> {
    let pane_name = view.pane.get_ref();
    let Some(pane) = PaneId::from_config_key(pane_name).or_else(|| PaneId::parse(pane_name)) else {
        let known: Vec<&str> = PaneId::ALL.iter().map(|p| p.spec().config_key).collect();
        return Err((
            view.pane.span().start,
            format!("views.{name}.pane: unknown pane {pane_name:?}, expected one of {}", known.join(", ")),
        ));
    };
    let fields = || crate::view::panes::field_names(pane).join(", ");
    let filter = view.filter.as_ref().map(|f| f.get_ref().clone()).unwrap_or_default();
    if let (Some(at), Some(unknown)) = (view.filter.as_ref(), crate::view::panes::unknown_fields(pane, &filter).first())
    {
        return Err((
            at.span().start,
            format!("views.{name}.filter: no field {unknown:?} in {pane_name}, expected one of {}", fields()),
        ));
    }
    let sort = match &view.sort {
        None => None,
        Some(column) => {
            let Some((column_index, descending_first)) = crate::view::panes::sort_column(pane, column.get_ref()) else {
                return Err((
                    column.span().start,
                    format!(
                        "views.{name}.sort: no column {:?} in {pane_name}, expected one of {}",
                        column.get_ref(),
                        crate::view::panes::column_names(pane).join(", ")
                    ),
                ));
            };
            Some(crate::view::table::SortSpec {
                column: column_index,
                descending: view.descending.unwrap_or(descending_first),
            })
        }
    };
    let group = match &view.group {
        None => None,
        Some(by) => {
            let offered = crate::view::panes::groupings(pane);
            match crate::view::GroupBy::parse(by.get_ref()) {
                Some(g) if offered.contains(&g) => Some(g),
                _ if offered.is_empty() => {
                    return Err((by.span().start, format!("views.{name}.group: {pane_name} rows are not grouped")));
                }
                _ => {
                    let names: Vec<&str> = offered.iter().map(|g| g.name()).collect();
                    return Err((
                        by.span().start,
                        format!("views.{name}.group: expected one of {}, found {:?}", names.join(", "), by.get_ref()),
                    ));
                }
            }
        }
    };
    let columns = match &view.columns {
        None => None,
        Some(names) => {
            let known = crate::view::panes::column_names(pane);
            let mut chosen = Vec::new();
            for column in names {
                match known.iter().position(|k| k == column.get_ref()) {
                    Some(i) => chosen.push(i),
                    None => {
                        return Err((
                            column.span().start,
                            format!(
                                "views.{name}.columns: no column {:?} in {pane_name}, expected some of {}",
                                column.get_ref(),
                                known.join(", ")
                            ),
                        ));
                    }
                }
            }
            chosen.sort_unstable();
            chosen.dedup();
            Some(chosen)
        }
    };
    Ok(SavedView { name: name.to_string(), pane, filter, sort, group, columns, all: view.all })
}

/// `[organisation]`: the role assumed in each member account of the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationConfig {
    member_role: Option<toml::Spanned<String>>,
    external_id: Option<toml::Spanned<String>>,
    accounts_in_flight: Option<toml::Spanned<u32>>,
}

/// The member role as the config sets it: role name (with its path), external id, accounts read
/// at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRoleSetting {
    pub name: String,
    pub external_id: Option<String>,
    pub accounts_in_flight: Option<usize>,
}

/// Member accounts read at once: at least one, and few enough to stay within STS and the services'
/// per-caller rates.
pub const ACCOUNTS_IN_FLIGHT: std::ops::RangeInclusive<u32> = 1..=32;

/// Whether `name` can be an IAM role name with an optional path: the characters IAM allows
/// (`[\w+=,.@-]`, `/` between path parts), 1 to 64 characters in the name itself.
fn check_role_name(name: &str) -> Result<(), String> {
    let trimmed = name.trim_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or_default();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c);
    if last.is_empty() || last.len() > 64 {
        return Err("a role name is 1 to 64 characters".into());
    }
    if let Some(bad) = trimmed.chars().find(|&c| c != '/' && !allowed(c)) {
        return Err(format!("'{bad}' is not allowed in a role name (letters, digits and +=,.@-_ only)"));
    }
    if trimmed.contains("//") {
        return Err("empty part in the role's path".into());
    }
    Ok(())
}

fn parse_notify(text: &str) -> Option<Notify> {
    match text {
        "none" | "off" => Some(Notify::None),
        "osc9" => Some(Notify::Osc9),
        "osc777" => Some(Notify::Osc777),
        "both" => Some(Notify::Both),
        _ => None,
    }
}

/// STS's rule for `ExternalId`: 2 to 1,224 characters of `[\w+=,.@:/-]`.
fn check_external_id(id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c);
    if !(2..=1224).contains(&id.len()) {
        return Err(format!("an external id is 2 to 1224 characters, found {}", id.len()));
    }
    match id.chars().find(|&c| !allowed(c)) {
        Some(bad) => Err(format!("'{bad}' is not allowed in an external id (letters, digits and +=,.@:/-_ only)")),
        None => Ok(()),
    }
}

/// `[quotas]`: the share of each AWS quota the console's rate budgets allow. AWS's quotas are per
/// account and region, shared with production traffic and with every other tool and console.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotasConfig {
    /// Percent of each quota's rate and burst (5-100).
    percent: Option<toml::Spanned<u32>>,
}

/// The percents `[quotas] percent` accepts.
pub const QUOTA_PERCENTS: std::ops::RangeInclusive<u32> = 5..=100;

/// `[alerts]`: what rings, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    enabled: Option<bool>,
    min_severity: Option<toml::Spanned<String>>,
    bell: Option<bool>,
    notify: Option<toml::Spanned<String>>,
    command: Option<String>,
    /// Variables the command gets beyond PATH, HOME, USER, LANG and the like.
    command_env: Option<Vec<toml::Spanned<String>>>,
    per_minute: Option<toml::Spanned<u32>>,
}

pub use crate::model::alerts::{AlertSettings, Notify};

pub const ALERTS_PER_MINUTE: std::ops::RangeInclusive<u32> = 1..=60;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// How far a delta refresh looks back for findings that reach Security Hub late.
    look_back_minutes: Option<toml::Spanned<u32>>,
}

/// `[live]`: the findings feed `vigil live setup` makes (EventBridge to an SQS queue).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveConfig {
    enabled: Option<bool>,
    /// This console's name: its queue and rule are `vigil-live-NAME`.
    name: Option<toml::Spanned<String>>,
    /// A queue made another way: its name or URL.
    queue: Option<toml::Spanned<String>>,
    /// Minutes between polls of findings while the feed is healthy (the safety net).
    safety_poll_minutes: Option<toml::Spanned<u32>>,
}

pub use crate::model::live::{LiveSettings, SAFETY_POLL_MINUTES};

/// `[history]`: Athena queries over Security Lake (or WAF logs in S3).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryConfig {
    workgroup: Option<toml::Spanned<String>>,
    output_location: Option<toml::Spanned<String>>,
    region: Option<toml::Spanned<String>>,
    findings_table: Option<toml::Spanned<String>>,
    waf_table: Option<toml::Spanned<String>>,
    /// `10GB`, `500MB`.
    max_scan: Option<toml::Spanned<String>>,
    price_per_tb: Option<toml::Spanned<f64>>,
    /// `7d`, `36h`, `2w`.
    since: Option<toml::Spanned<String>>,
}

/// The look-back's bounds: below the documented arrival latency late findings are missed; above an
/// hour each refresh re-reads more than it saves.
pub const LOOK_BACK_MINUTES: std::ops::RangeInclusive<u32> = 2..=60;

/// Below this a refresh loop would mostly spend API quota.
pub const MIN_REFRESH_SECONDS: u32 = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    pub read_only: Option<bool>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

/// An error at `span` of the file `text` read from `path`.
fn invalid(text: &str, path: &str, span: std::ops::Range<usize>, message: String) -> ConfigError {
    let (line, column) = line_col(text, span.start);
    ConfigError::Invalid { path: path.to_string(), line, column, message }
}

/// A number of the file checked against what `key` accepts: where it is and what was expected
/// (`unit` after the range: " minutes").
fn check_range(
    value: Option<&toml::Spanned<u32>>,
    range: &std::ops::RangeInclusive<u32>,
    key: &str,
    unit: &str,
) -> Result<(), (std::ops::Range<usize>, String)> {
    match value {
        Some(n) if !range.contains(n.get_ref()) => Err((
            n.span(),
            format!("{key}: expected {} to {}{unit}, found {}", range.start(), range.end(), n.get_ref()),
        )),
        _ => Ok(()),
    }
}

impl Config {
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "vigil").map(|d| d.config_dir().join("config.toml"))
    }

    pub fn parse(text: &str, path: &str) -> Result<Self, ConfigError> {
        let mut config: Self = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Invalid { path: path.to_string(), line, column, message: e.message().to_string() }
        })?;
        let at = |span: std::ops::Range<usize>, message: String| invalid(text, path, span, message);
        let in_range = |value: Option<&toml::Spanned<u32>>, range: &std::ops::RangeInclusive<u32>, key, unit| {
            check_range(value, range, key, unit).map_err(|(span, message)| at(span, message))
        };
        in_range(
            config.findings.look_back_minutes.as_ref(),
            &LOOK_BACK_MINUTES,
            "findings.look_back_minutes",
            " minutes",
        )?;
        in_range(
            config.live.safety_poll_minutes.as_ref(),
            &SAFETY_POLL_MINUTES,
            "live.safety_poll_minutes",
            " minutes",
        )?;
        if let Some(name) = &config.live.name
            && let Err(why) = crate::model::live::check_console_name(name.get_ref())
        {
            return Err(at(name.span(), format!("live.name: {why}")));
        }
        if let Some(queue) = &config.live.queue
            && let Err(why) = crate::model::live::check_queue(queue.get_ref())
        {
            return Err(at(queue.span(), format!("live.queue: {why}")));
        }
        config.history_settings().map_err(|(span, message)| at(span, message))?;
        for (key, value) in &config.refresh {
            if PaneId::from_config_key(key.get_ref()).is_none() {
                let known: Vec<&str> = PaneId::ALL.iter().map(|p| p.spec().config_key).collect();
                return Err(at(
                    key.span(),
                    format!("refresh.{}: unknown pane, expected one of {}", key.get_ref(), known.join(", ")),
                ));
            }
            if *value.get_ref() < MIN_REFRESH_SECONDS {
                return Err(at(
                    value.span(),
                    format!(
                        "refresh.{}: expected at least {MIN_REFRESH_SECONDS} seconds, found {}",
                        key.get_ref(),
                        value.get_ref()
                    ),
                ));
            }
        }
        let organisation = &config.organisation;
        if let Some(role) = &organisation.member_role
            && let Err(e) = check_role_name(role.get_ref())
        {
            return Err(at(role.span(), format!("organisation.member_role: '{}': {e}", role.get_ref())));
        }
        if let Some(id) = &organisation.external_id {
            if let Err(e) = check_external_id(id.get_ref()) {
                return Err(at(id.span(), format!("organisation.external_id: {e}")));
            }
            if organisation.member_role.is_none() {
                return Err(at(id.span(), "organisation.external_id: set member_role too (the role it is for)".into()));
            }
        }
        in_range(config.quotas.percent.as_ref(), &QUOTA_PERCENTS, "quotas.percent", " (percent of each AWS quota)")?;
        in_range(organisation.accounts_in_flight.as_ref(), &ACCOUNTS_IN_FLIGHT, "organisation.accounts_in_flight", "")?;
        for (pane, settings) in &config.panes {
            let Some(id) = PaneId::from_config_key(pane.get_ref()) else {
                let known: Vec<&str> = PaneId::ALL.iter().map(|p| p.spec().config_key).collect();
                return Err(at(
                    pane.span(),
                    format!("panes.{}: unknown pane, expected one of {}", pane.get_ref(), known.join(", ")),
                ));
            };
            for (name, value) in settings {
                let declared = id.spec().settings;
                let Some(setting) = declared.iter().find(|s| s.name == name.get_ref()) else {
                    let known: Vec<&str> = declared.iter().map(|s| s.name).collect();
                    let expected =
                        if known.is_empty() { "none: the pane has no settings".to_string() } else { known.join(", ") };
                    return Err(at(
                        name.span(),
                        format!("panes.{}.{}: unknown setting, expected {expected}", pane.get_ref(), name.get_ref()),
                    ));
                };
                if let Err(e) = (setting.check)(value.get_ref()) {
                    return Err(at(value.span(), format!("panes.{}.{}: {e}", pane.get_ref(), name.get_ref())));
                }
            }
        }
        let alerts = &config.alerts;
        if let Some(level) = &alerts.min_severity
            && crate::model::SeverityLabel::parse(level.get_ref()).is_none()
        {
            return Err(at(
                level.span(),
                format!(
                    "alerts.min_severity: expected informational, low, medium, high or critical, found {:?}",
                    level.get_ref()
                ),
            ));
        }
        if let Some(notify) = &alerts.notify
            && parse_notify(notify.get_ref()).is_none()
        {
            return Err(at(
                notify.span(),
                format!(
                    "alerts.notify: expected \"osc9\", \"osc777\", \"both\" or \"none\", found {:?}",
                    notify.get_ref()
                ),
            ));
        }
        in_range(alerts.per_minute.as_ref(), &ALERTS_PER_MINUTE, "alerts.per_minute", "")?;
        let mut settings = Vec::new();
        for (action, value) in &config.keys {
            settings
                .extend(key_settings(None, action, value).map_err(|(offset, message)| at(offset..offset, message))?);
        }
        // In the file's order, so a conflict is reported on the later of its two lines.
        settings.sort_by_key(|s| s.action.offset);
        if let Err(e) = Keymap::remapped(&settings) {
            return Err(at(e.offset..e.offset, e.message));
        }
        config.key_settings = settings;
        let mut views = Vec::new();
        for (name, view) in &config.views {
            views.push(saved_view(name.get_ref(), view).map_err(|(offset, message)| at(offset..offset, message))?);
        }
        config.saved_views = views;
        config.context_sets = config
            .contexts
            .iter()
            .map(|(name, set)| {
                let regions = set
                    .regions
                    .iter()
                    .map(|r| {
                        let (line, column) = line_col(text, r.span().start);
                        (r.get_ref().clone(), line, column)
                    })
                    .collect();
                (name.clone(), NamedContexts { profiles: set.profiles.clone(), regions })
            })
            .collect();
        Ok(config)
    }

    /// Panes' settings, (pane, name) → value, as checked.
    pub fn pane_settings(&self) -> BTreeMap<(PaneId, String), String> {
        let mut out = BTreeMap::new();
        for (pane, settings) in &self.panes {
            if let Some(id) = PaneId::from_config_key(pane.get_ref()) {
                for (name, value) in settings {
                    out.insert((id, name.get_ref().clone()), value.get_ref().clone());
                }
            }
        }
        out
    }

    /// The alert settings: off unless the file (or `--alerts`, or `--war-room`) turns them on.
    pub fn alert_settings(&self, switched_on: bool) -> AlertSettings {
        let a = &self.alerts;
        AlertSettings {
            enabled: a.enabled.unwrap_or(switched_on),
            min_severity: a
                .min_severity
                .as_ref()
                .and_then(|s| crate::model::SeverityLabel::parse(s.get_ref()))
                .unwrap_or(crate::model::SeverityLabel::High),
            bell: a.bell.unwrap_or(true),
            notify: a.notify.as_ref().and_then(|n| parse_notify(n.get_ref())).unwrap_or(Notify::Osc9),
            command: a.command.clone().filter(|c| !c.trim().is_empty()),
            command_env: a.command_env.iter().flatten().map(|v| v.get_ref().clone()).collect(),
            per_minute: a.per_minute.as_ref().map_or(6, |n| *n.get_ref() as usize),
        }
    }

    /// The keymap with the file's `[keys]` applied (checked when the file was read).
    pub fn keymap(&self) -> Keymap {
        Keymap::remapped(&self.key_settings).unwrap_or_default()
    }

    /// The `[views.NAME]` views, by name.
    pub fn saved_views(&self) -> &[SavedView] {
        &self.saved_views
    }

    /// The names of the `[contexts.NAME]` sets.
    pub fn context_names(&self) -> Vec<String> {
        self.context_sets.keys().cloned().collect()
    }

    /// The role assumed in member accounts, where the file sets one.
    pub fn member_role(&self) -> Option<MemberRoleSetting> {
        let organisation = &self.organisation;
        organisation.member_role.as_ref().map(|name| MemberRoleSetting {
            name: name.get_ref().clone(),
            external_id: organisation.external_id.as_ref().map(|id| id.get_ref().clone()),
            accounts_in_flight: organisation.accounts_in_flight.as_ref().map(|n| *n.get_ref() as usize),
        })
    }

    /// The share of each AWS quota the console's budgets allow, where `[quotas] percent` says.
    pub fn quota_share(&self) -> Option<f64> {
        self.quotas.percent.as_ref().map(|percent| f64::from(*percent.get_ref()) / 100.0)
    }

    /// The live feed's settings, defaults where the file says nothing; the console's name is
    /// `machine_name()` (see `model::live::console_name_from`) unless the file names it.
    pub fn live(&self, machine_name: impl FnOnce() -> String) -> LiveSettings {
        let mut settings = LiveSettings { name: machine_name(), ..LiveSettings::default() };
        if let Some(enabled) = self.live.enabled {
            settings.enabled = enabled;
        }
        if let Some(name) = &self.live.name {
            settings.name = name.get_ref().clone();
        }
        settings.queue = self.live.queue.as_ref().map(|q| q.get_ref().clone());
        if let Some(minutes) = &self.live.safety_poll_minutes {
            settings.safety_poll = chrono::Duration::minutes(i64::from(*minutes.get_ref()));
        }
        settings
    }

    /// The `[history]` settings, defaults where the file says nothing (checked when loaded).
    pub fn history(&self) -> crate::model::lake::HistorySettings {
        self.history_settings().unwrap_or_default()
    }

    fn history_settings(&self) -> Result<crate::model::lake::HistorySettings, (std::ops::Range<usize>, String)> {
        use crate::model::lake::{self, HistorySettings, Layout, Table, Window};
        let h = &self.history;
        let mut settings = HistorySettings::default();
        let text = |value: &toml::Spanned<String>| value.get_ref().trim().to_string();
        if let Some(workgroup) = &h.workgroup {
            let fine = !text(workgroup).is_empty()
                && text(workgroup).len() <= 128
                && text(workgroup).bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !fine {
                return Err((
                    workgroup.span(),
                    "history.workgroup: expected an Athena workgroup name (letters, digits, . _ -)".into(),
                ));
            }
            settings.workgroup = text(workgroup);
        }
        if let Some(location) = &h.output_location {
            if !text(location).starts_with("s3://") || text(location).len() <= 5 {
                return Err((location.span(), "history.output_location: expected s3://BUCKET/PREFIX/".into()));
            }
            settings.output_location = Some(text(location));
        }
        if let Some(region) = &h.region {
            lake::Scope::new([], [text(region)]).map_err(|why| (region.span(), format!("history.region: {why}")))?;
            settings.region = Some(text(region));
        }
        for (value, key, layout, slot) in [
            (&h.findings_table, "findings_table", Layout::LakeFindings, &mut settings.findings_table),
            (&h.waf_table, "waf_table", Layout::WafLogs, &mut settings.waf_table),
        ] {
            if let Some(value) = value {
                Table::parse(&text(value), layout).map_err(|why| (value.span(), format!("history.{key}: {why}")))?;
                *slot = Some(text(value));
            }
        }
        if let Some(cap) = &h.max_scan {
            settings.max_scan =
                lake::parse_bytes(cap.get_ref()).map_err(|why| (cap.span(), format!("history.max_scan: {why}")))?;
        }
        if let Some(price) = &h.price_per_tb {
            if !(price.get_ref().is_finite() && *price.get_ref() >= 0.0) {
                return Err((price.span(), "history.price_per_tb: expected dollars per TB, such as 5.0".into()));
            }
            settings.price_per_tb = *price.get_ref();
        }
        if let Some(since) = &h.since {
            settings.window =
                Window::parse(since.get_ref()).map_err(|why| (since.span(), format!("history.since: {why}")))?;
        }
        Ok(settings)
    }

    /// The delta look-back for findings, where the file sets it.
    pub fn findings_look_back(&self) -> Option<chrono::Duration> {
        self.findings.look_back_minutes.as_ref().map(|m| chrono::Duration::minutes(i64::from(*m.get_ref())))
    }

    /// Seconds between refreshes per pane where the file sets them.
    pub fn refresh_seconds(&self) -> PaneMap<Option<u32>> {
        PaneMap::from_fn(|pane| self.refresh.get(pane.spec().config_key).map(|v| *v.get_ref()))
    }

    /// Loads `path`; a missing file is an empty config only when it was not asked for by name.
    pub fn load(path: &Path, explicit: bool) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(ConfigError::Unreadable { path: path.display().to_string(), message: e.to_string() }),
        }
    }

    /// Read-only for this profile: the profile's own setting, else the global one.
    /// The `[contexts.NAME]` set; `Err` lists the names there are.
    pub fn contexts_named(&self, name: &str) -> Result<&NamedContexts, Vec<String>> {
        self.context_sets.get(name).ok_or_else(|| self.context_sets.keys().cloned().collect())
    }

    pub fn read_only_for(&self, profile: Option<&str>) -> bool {
        profile.and_then(|p| self.profiles.get(p)).and_then(|p| p.read_only).unwrap_or(self.read_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_set_names_its_profiles_and_where_its_regions_are() {
        let text = "[contexts.shop]\nprofiles = [\"prod\", \"payments\"]\nregions = [\"eu-west-1\", \"us-eest-1\"]\n";
        let config = Config::parse(text, "c.toml").unwrap();
        let set = config.contexts_named("shop").unwrap();
        assert_eq!(set.profiles, ["prod", "payments"]);
        assert_eq!(set.regions[1], ("us-eest-1".to_string(), 3, 25));
        assert_eq!(config.contexts_named("nope").unwrap_err(), ["shop"]);
        let err = Config::parse("[contexts.shop]\nprofile = [\"prod\"]\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:1: unknown field `profile`"), "{err}");
    }

    #[test]
    fn a_saved_view_is_checked_against_its_pane_with_its_line() {
        let text = "[views.sale-night]\npane = \"findings\"\nfilter = \"sev:crit,high acct:shop\"\nsort = \"age\"\ngroup = \"account\"\n";
        let config = Config::parse(text, "c.toml").unwrap();
        let view = &config.saved_views()[0];
        assert_eq!((view.name.as_str(), view.pane), ("sale-night", PaneId::Findings));
        assert_eq!(view.sort.map(|s| s.column), Some(crate::view::findings::AGE));
        assert_eq!(view.group, Some(crate::view::GroupBy::Account));
        let err = |text: &str| Config::parse(text, "c.toml").unwrap_err().to_string();
        let bad = err("[views.x]\npane = \"findings\"\nfilter = \"sevv:crit\"\n");
        assert!(
            bad.starts_with("c.toml:3:10: views.x.filter: no field \"sevv\" in findings, expected one of risk, sev"),
            "{bad}"
        );
        let bad = err("[views.x]\npane = \"certs\"\nsort = \"risk\"\n");
        assert!(
            bad.starts_with("c.toml:3:8: views.x.sort: no column \"risk\" in certs, expected one of domain"),
            "{bad}"
        );
        let bad = err("[views.x]\npane = \"nope\"\n");
        assert!(bad.starts_with("c.toml:2:8: views.x.pane: unknown pane \"nope\""), "{bad}");
        let bad = err("[views.x]\npane = \"secrets\"\ngroup = \"account\"\n");
        assert!(bad.starts_with("c.toml:3:9: views.x.group: secrets rows are not grouped"), "{bad}");
        let bad = err("[views.x]\npane = \"findings\"\ncolumns = [\"sev\", \"titel\"]\n");
        assert!(bad.starts_with("c.toml:3:19: views.x.columns: no column \"titel\" in findings"), "{bad}");
        let bad = err("[views.x]\npane = \"findings\"\nfiltre = \"x\"\n");
        assert!(bad.starts_with("c.toml:3:1: unknown field `filtre`"), "{bad}");
    }

    #[test]
    fn profiles_override_the_global_read_only() {
        let config = Config::parse("read_only = false\n[profiles.prod]\nread_only = true\n", "c.toml").unwrap();
        assert!(config.read_only_for(Some("prod")));
        assert!(!config.read_only_for(Some("dev")));
        assert!(!config.read_only_for(None));
    }

    #[test]
    fn refresh_intervals_are_checked() {
        let config = Config::parse("[refresh]\nfindings = 30\n", "c.toml").unwrap();
        assert_eq!(config.refresh_seconds()[PaneId::Findings], Some(30));
        assert_eq!(config.refresh_seconds()[PaneId::Secrets], None);
        let err = Config::parse("[refresh]\nsecrets = 2\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:11: refresh.secrets: expected at least 10 seconds"), "{err}");
        let err = Config::parse("[refresh]\nfindings = 30\ncerts = 60\n", "c.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("c.toml:3:1: refresh.certs: unknown pane, expected one of findings, certificates"),
            "{err}"
        );
    }

    #[test]
    fn the_organisation_section_is_checked_with_its_line() {
        let config = Config::parse(
            "[organisation]\nmember_role = \"security/VigilReadOnly\"\nexternal_id = \"shop-2026\"\naccounts_in_flight = 8\n",
            "c.toml",
        )
        .unwrap();
        let role = config.member_role().unwrap();
        assert_eq!(role.name, "security/VigilReadOnly");
        assert_eq!(role.external_id.as_deref(), Some("shop-2026"));
        assert_eq!(role.accounts_in_flight, Some(8));
        assert_eq!(Config::parse("", "c.toml").unwrap().member_role(), None);
        let err = |text: &str| Config::parse(text, "c.toml").unwrap_err().to_string();
        let bad = err("[organisation]\nmember_role = \"Vigil ReadOnly\"\n");
        assert!(
            bad.starts_with("c.toml:2:15: organisation.member_role: 'Vigil ReadOnly': ' ' is not allowed"),
            "{bad}"
        );
        let share = err("[quotas]\npercent = 150\n");
        assert!(share.starts_with("c.toml:2:11: quotas.percent: expected 5 to 100"), "{share}");
        assert_eq!(Config::parse("[quotas]\npercent = 50\n", "c.toml").unwrap().quota_share(), Some(0.5));
        assert_eq!(Config::default().quota_share(), None);
        let bad = err("[organisation]\nmember_role = \"R\"\naccounts_in_flight = 0\n");
        assert!(bad.starts_with("c.toml:3:22: organisation.accounts_in_flight: expected 1 to 32, found 0"), "{bad}");
        let bad = err("[organisation]\nexternal_id = \"abc\"\n");
        assert!(bad.contains("set member_role too"), "{bad}");
        let bad = err("[organisation]\nmember_role = \"R\"\nexternal_id = \"a b\"\n");
        assert!(bad.starts_with("c.toml:3:15: organisation.external_id: ' ' is not allowed"), "{bad}");
        let bad = err("[organisation]\nmember_roles = \"R\"\n");
        assert!(bad.starts_with("c.toml:2:1: unknown field `member_roles`"), "{bad}");
    }

    #[test]
    fn the_findings_look_back_is_bounded() {
        let live = Config::parse("[live]\nname = \"war-room\"\nsafety_poll_minutes = 5\n", "c.toml")
            .unwrap()
            .live(|| "ana-box".into());
        assert_eq!((live.queue_name(), live.safety_poll.num_minutes()), ("vigil-live-war-room".to_string(), 5));
        let err = Config::parse("[live]\nname = \"war room\"\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:8: live.name: expected letters, digits, - and _"), "{err}");
        let err = Config::parse("[live]\nsafety_poll_minutes = 0\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:23: live.safety_poll_minutes: expected 2 to 60 minutes"), "{err}");
        let config = Config::parse("[findings]\nlook_back_minutes = 20\n", "c.toml").unwrap();
        assert_eq!(config.findings_look_back(), Some(chrono::Duration::minutes(20)));
        let err = Config::parse("[findings]\nlook_back_minutes = 1\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:21: findings.look_back_minutes: expected 2 to 60 minutes"), "{err}");
    }

    #[test]
    fn the_keys_section_as_printed_gives_the_default_keymap_when_uncommented() {
        let section = Keymap::default().config_section();
        let uncommented: String = section
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(setting) if setting.split_once(" = [").is_some_and(|(name, _)| !name.contains(' ')) => {
                    setting.to_string()
                }
                _ => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = Config::parse(&uncommented, "keys.toml").unwrap();
        assert!(config.key_settings.len() > 50, "{}", config.key_settings.len());
        let (ours, default) = (config.keymap(), Keymap::default());
        for (a, b) in ours.bindings().iter().zip(default.bindings()) {
            assert_eq!((&a.name, &a.keys, a.scope), (&b.name, &b.keys, b.scope));
        }
    }

    #[test]
    fn key_settings_are_read_with_their_lines() {
        let text = "[keys]\nrefresh = \"f5\"\n\n[keys.detail-view]\nfirst = [\"g\", \"home\"]\n";
        let config = Config::parse(text, "k.toml").unwrap();
        let refresh = config.keymap().key_label(crate::keymap::KeyContext::Table(PaneId::Secrets), "refresh");
        assert_eq!(refresh, "F5");
        let nested = "[keys.detail-view.first]\nx = \"y\"\n";
        let err = Config::parse(nested, "k.toml").unwrap_err().to_string();
        assert!(err.starts_with("k.toml:1:19: keys.detail-view.first: expected a key or a list of keys"), "{err}");
        let misspelt = "[keys.detial]\n# first = \"g\"\n";
        let err = Config::parse(misspelt, "k.toml").unwrap_err().to_string();
        assert!(err.starts_with("k.toml:1:7: keys.detial: unknown place"), "{err}");
        let conflict = "[keys]\nradar = \"r\"\n";
        let err = Config::parse(conflict, "k.toml").unwrap_err().to_string();
        assert!(err.starts_with("k.toml:2:1: keys: \"r\" would be both"), "{err}");
    }

    #[test]
    fn errors_name_file_line_and_expectation() {
        let err = Config::parse("read_only = \"yes\"\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1:13:") && err.contains("bool"), "{err}");
        let err = Config::parse("[profiles.prod]\nreadonly = true\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:1:") && err.contains("readonly"), "{err}");
    }
}
