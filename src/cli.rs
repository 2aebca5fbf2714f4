//! Command-line interface. Bad flags get clap's error and exit code 2.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "vigil", version, about = "A terminal security-operations console for AWS", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Use the embedded demo account instead of AWS.
    #[arg(long, global = true)]
    pub demo: bool,
    /// AWS profile from ~/.aws/config (SSO profiles included), as in the AWS CLI. Several
    /// (comma-separated or repeated) make one context per profile and region: `:ctx` switches.
    #[arg(long = "profile", global = true, env = "AWS_PROFILE", value_name = "NAME", value_delimiter = ',')]
    pub profiles: Vec<String>,
    /// AWS region, as in the AWS CLI (default: AWS_REGION or the profile's region). Several
    /// (comma-separated or repeated) make one context per profile and region: `:ctx` switches.
    #[arg(long = "region", global = true, value_name = "REGION", value_delimiter = ',')]
    pub region_names: Vec<String>,
    /// Every region the account has enabled (Account Management ListRegions), one context each,
    /// instead of --region.
    #[arg(long, global = true, conflicts_with_all = ["region_names", "demo", "offline", "context"])]
    pub all_regions: bool,
    /// A `[contexts.NAME]` set of the config file: its profiles and regions, as if named with
    /// --profile and --region.
    #[arg(long, global = true, value_name = "NAME", conflicts_with_all = ["profiles", "region_names", "demo"])]
    pub context: Option<String>,
    /// The profile of the context in use (the first named; see [`GlobalArgs::settled`]).
    #[arg(skip)]
    pub profile: Option<String>,
    /// The region of the context in use (the first named).
    #[arg(skip)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (moto, LocalStack), as in the AWS CLI.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Seed of the demo account: the same seed gives the same account.
    #[arg(long, global = true, default_value_t = crate::source::demo::DEFAULT_SEED, value_name = "N")]
    pub seed: u64,
    /// Size of the demo account, in findings (e.g. 100000 for benchmarks).
    #[arg(long, global = true, default_value_t = crate::source::demo::DEFAULT_SCALE as u64, value_name = "N",
          value_parser = clap::value_parser!(u64).range(0..=2_000_000))]
    pub scale: u64,
    /// The demo as an organisation of N accounts (findings spread over them, as a delegated
    /// administrator sees its members').
    #[arg(long, global = true, default_value_t = 1, value_name = "N", requires = "demo",
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub accounts: u64,
    /// The demo's findings spread over M regions, aggregated into the first (us-east-1).
    #[arg(long, global = true, default_value_t = 1, value_name = "M", requires = "demo",
          value_parser = clap::value_parser!(u64).range(1..=22))]
    pub regions: u64,
    /// Open the last cached data of the account without calling AWS (read-only).
    #[arg(long, global = true, conflicts_with_all = ["demo", "endpoint_url"])]
    pub offline: bool,
    /// A wall screen: opens on the read-only war-room board (implies --read-only; Esc shows the
    /// panes, still read-only).
    #[arg(long)]
    pub war_room: bool,
    /// Open on a `[views.NAME]` view of the config: its pane, filter, sort and grouping.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// Colours the terminal shows: auto (COLORTERM, TERM and NO_COLOR decide), truecolor, 256, 16
    /// or none. A theme's colours are brought down to what the terminal has.
    #[arg(long, value_enum, default_value_t = ColorDepth::Auto, value_name = "DEPTH")]
    pub color: ColorDepth,
    /// Ring the bell, notify and run the [alerts] command for new alerts (on with --war-room).
    #[arg(long)]
    pub alerts: bool,
    /// No state-changing action at all: the keys say "read-only" instead (for war-room screens).
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Config file (default: ~/.config/vigil/config.toml).
    #[arg(long, global = true, env = "VIGIL_CONFIG", value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
    /// Theme: a built-in name (default, ansi16, mono, light, high-contrast, colour-blind), a theme
    /// in ~/.config/vigil/themes/NAME.toml, or a path to a theme .toml file.
    #[arg(long, global = true, env = "VIGIL_THEME", value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// Test drill: panic inside the event loop after this many milliseconds, to prove the terminal
    /// is restored before the panic report.
    #[arg(long, hide = true, value_name = "MS")]
    pub debug_panic_after_ms: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the data of every pane once, without a terminal UI, and exit.
    Snapshot(SnapshotArgs),
    /// Print the audit log of triage actions (who did what, when, with what result).
    Audit(AuditArgs),
    /// Check a config file, or print the default one.
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// The live feed: findings on screen seconds after AWS sees them (EventBridge to SQS).
    Live {
        #[command(subcommand)]
        action: LiveCommand,
    },
    /// History from Security Lake (or WAF logs in S3) through Athena: findings per day and
    /// severity for a resource, IP, principal, type or control; top traffic of a web ACL.
    History(HistoryArgs),
    /// Print shell completions: vigil completions bash > /etc/bash_completion.d/vigil
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): vigil man > ~/.local/share/man/man1/vigil.1
    Man,
}

#[derive(Debug, Subcommand)]
pub enum LiveCommand {
    /// Show the EventBridge rule and SQS queue this console's feed needs; --apply makes them.
    Setup {
        /// Make them (asks first, and writes the audit log).
        #[arg(long)]
        apply: bool,
        /// Do not ask (scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Remove the rule and the queue setup made (asks first, and writes the audit log).
    Teardown {
        /// Do not ask (scripts).
        #[arg(long)]
        yes: bool,
    },
}

/// `vigil history KIND VALUE` or `vigil history setup`.
#[derive(Debug, Args, Clone)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub setup: Option<HistoryCommand>,
    /// What to ask about: resource, ip, principal, type, control or waf-top.
    #[arg(value_name = "KIND", value_parser = SUBJECT, required = true)]
    pub subject: Option<crate::model::lake::Subject>,
    /// The resource ARN, IP address, principal, finding type, control id, or web ACL (name or ARN).
    #[arg(value_name = "VALUE", required = true)]
    pub value: Option<String>,
    /// How far back: 36h, 7d, 2w (default: [history] since, else 7d).
    #[arg(long, value_name = "WINDOW", value_parser = parse_window)]
    pub since: Option<crate::model::lake::Window>,
    /// DATABASE.TABLE to query, skipping discovery (default: [history] findings_table or waf_table).
    #[arg(long, value_name = "DATABASE.TABLE")]
    pub table: Option<String>,
    /// Only this account's partitions (repeatable; default: every account in the table).
    #[arg(long = "account", id = "history_accounts", value_name = "ACCOUNT")]
    pub accounts: Vec<String>,
    /// Only this region's partitions (repeatable; default: every region in the table).
    #[arg(long = "source-region", value_name = "REGION")]
    pub source_regions: Vec<String>,
    /// Print the query, its parameters and its estimate, and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Run it even when nothing estimates what it scans (the cap still stops it while it runs).
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand, Clone)]
pub enum HistoryCommand {
    /// Print the Athena table over the WAF logs a web ACL writes to S3; --apply makes it.
    Setup {
        /// The web ACL's name.
        #[arg(long, value_name = "NAME")]
        web_acl: String,
        /// Its logging bucket (aws-waf-logs-...); default: the one its logging configuration names.
        #[arg(long, value_name = "BUCKET")]
        bucket: Option<String>,
        /// With --bucket: a CloudFront web ACL (WAF writes its logs under cloudfront/, not a region).
        #[arg(long, requires = "bucket")]
        cloudfront: bool,
        /// The Glue database the table goes in.
        #[arg(long, value_name = "DATABASE", default_value = "default")]
        database: String,
        /// The first day of logs the table reads (YYYY-MM-DD; default: a year ago).
        #[arg(long, value_name = "DAY")]
        since: Option<chrono::NaiveDate>,
        /// Run the statement in Athena (asks first, and writes the audit log).
        #[arg(long)]
        apply: bool,
        /// Do not ask (scripts).
        #[arg(long)]
        yes: bool,
    },
}

fn parse_window(text: &str) -> Result<crate::model::lake::Window, String> {
    crate::model::lake::Window::parse(text)
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a config file (the one --config or VIGIL_CONFIG names, else the default one, else
    /// PATH): exit 0 when valid, 2 with file:line:column and what was expected when not.
    Check {
        /// The file to check (instead of --config or the default location).
        path: Option<std::path::PathBuf>,
    },
    /// Print a commented config with every key and its default (`config check` accepts it).
    Default,
}

impl GlobalArgs {
    /// The arguments as parsed, with the first named profile and region in use: what every
    /// single-context path (and `snapshot`) reads.
    pub fn settled(mut self) -> Self {
        // An empty AWS_PROFILE means none; an empty --region is kept, for the region check to
        // name it. A name given twice is one context.
        self.profiles.retain(|p| !p.is_empty());
        for names in [&mut self.profiles, &mut self.region_names] {
            let mut seen = std::collections::HashSet::new();
            names.retain(|n| seen.insert(n.clone()));
        }
        self.profile = self.profiles.first().cloned();
        self.region = self.region_names.first().cloned();
        self
    }

    /// Every profile with every region, in the order named: the contexts `:ctx` switches between.
    /// One, `(None, None)`, when neither is named (the credential chain decides).
    pub fn contexts(&self) -> Vec<crate::model::ContextChoice> {
        let profiles: Vec<Option<String>> =
            if self.profiles.is_empty() { vec![None] } else { self.profiles.iter().cloned().map(Some).collect() };
        let regions: Vec<Option<String>> = if self.region_names.is_empty() {
            vec![None]
        } else {
            self.region_names.iter().cloned().map(Some).collect()
        };
        profiles
            .iter()
            .flat_map(|profile| {
                regions
                    .iter()
                    .map(|region| crate::model::ContextChoice { profile: profile.clone(), region: region.clone() })
            })
            .collect()
    }

    /// The same arguments with `choice` in use.
    pub fn choosing(&self, choice: &crate::model::ContextChoice) -> Self {
        Self { profile: choice.profile.clone(), region: choice.region.clone(), ..self.clone() }
    }
}

#[derive(Debug, Args, Clone)]
pub struct AuditArgs {
    /// Only entries whose action contains this text (e.g. "RESOLVED", "rotate").
    #[arg(long, value_name = "TEXT")]
    pub action: Option<String>,
    /// Only entries with a target whose id or label contains this text.
    #[arg(long, value_name = "TEXT")]
    pub target: Option<String>,
    /// Only entries at or after this time (RFC 3339, e.g. 2026-11-25T00:00:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
}

fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("expected an RFC 3339 time such as 2026-11-25T00:00:00Z ({e})"))
}

#[derive(Debug, Args, Clone)]
pub struct SnapshotArgs {
    #[arg(long, value_enum, default_value_t = SnapshotFormat::Json)]
    pub format: SnapshotFormat,
    /// Only these panes (repeatable).
    #[arg(long = "pane", value_name = "PANE", value_parser = PANE)]
    pub panes: Vec<crate::pane::PaneId>,
    /// Include resolved, suppressed and archived findings and passing controls.
    #[arg(long)]
    pub all: bool,
    /// Show e-mail addresses and phone numbers instead of masking them.
    #[arg(long)]
    pub reveal_pii: bool,
    /// Only findings of this severity or above; exit 1 when there are any (for CI gates).
    #[arg(long, value_name = "LEVEL", value_parser = SEVERITY)]
    pub min_severity: Option<crate::model::SeverityLabel>,
    /// Only rows matching this filter, as the console's `/` filter: every word must appear in a column.
    #[arg(long, value_name = "WORDS")]
    pub filter: Option<String>,
    /// Also fold the findings into groups (`groups` in JSON; the table formats print the groups):
    /// type, resource, product, account or control.
    #[arg(long, value_name = "KEY", value_parser = GROUP_BY)]
    pub group_by: Option<crate::model::grouping::GroupBy>,
}

/// A value parser that names its values, so that `vigil completions` offers them instead of file
/// names; parsing and its error messages are the wrapped function's.
#[derive(Clone)]
struct Named<T> {
    parse: fn(&str) -> Result<T, String>,
    names: fn() -> Vec<&'static str>,
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        clap::builder::TypedValueParser::parse_ref(&self.parse, cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new((self.names)().into_iter().map(clap::builder::PossibleValue::new)))
    }
}

fn pane_names() -> Vec<&'static str> {
    crate::pane::REGISTRY.iter().map(|spec| spec.command).collect()
}

fn group_by_names() -> Vec<&'static str> {
    crate::model::grouping::GroupBy::ALL.iter().map(|g| g.name()).collect()
}

fn severity_names() -> Vec<&'static str> {
    vec!["informational", "low", "medium", "high", "critical"]
}

const PANE: Named<crate::pane::PaneId> = Named { parse: parse_pane, names: pane_names };
const GROUP_BY: Named<crate::model::grouping::GroupBy> = Named { parse: parse_group_by, names: group_by_names };
const SEVERITY: Named<crate::model::SeverityLabel> = Named { parse: parse_severity, names: severity_names };
const SUBJECT: Named<crate::model::lake::Subject> =
    Named { parse: crate::model::lake::Subject::parse, names: subject_names };

fn subject_names() -> Vec<&'static str> {
    crate::model::lake::Subject::ALL.iter().map(|s| s.name()).collect()
}

fn parse_group_by(text: &str) -> Result<crate::model::grouping::GroupBy, String> {
    crate::model::grouping::GroupBy::parse(text)
        .ok_or_else(|| format!("cannot group by '{text}': expected {}", crate::model::grouping::GroupBy::list()))
}

fn parse_severity(text: &str) -> Result<crate::model::SeverityLabel, String> {
    crate::model::SeverityLabel::parse(text)
        .ok_or_else(|| format!("unknown severity '{text}': expected informational, low, medium, high or critical"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    /// One JSON document (docs/snapshot-format.md).
    Json,
    /// One JSON object per line: a header line, then one line per record with its pane.
    Ndjson,
    /// Aligned text tables.
    Table,
    /// Markdown tables, for tickets and chat.
    Markdown,
    /// One pane as CSV (findings unless --pane names another).
    Csv,
}

fn parse_pane(text: &str) -> Result<crate::pane::PaneId, String> {
    crate::pane::PaneId::parse(text)
        .ok_or_else(|| format!("unknown pane '{text}': expected {}", crate::pane::PaneId::command_list()))
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorDepth {
    Auto,
    Truecolor,
    #[value(name = "256")]
    Ansi256,
    #[value(name = "16")]
    Ansi16,
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument of every subcommand is well defined: no id shared with a global flag (a
    /// subcommand's `accounts` beside the demo's global `--accounts` panicked at parse time), no
    /// conflict naming an argument that does not exist.
    #[test]
    fn the_command_line_is_well_defined() {
        Cli::command().debug_assert();
        for args in [
            &["vigil", "history", "resource", "arn:aws:s3:::b", "--account", "111122223333", "--since", "2w"][..],
            &["vigil", "history", "setup", "--web-acl", "shop", "--bucket", "aws-waf-logs-shop"],
            &["vigil", "snapshot", "--pane", "findings"],
            &["vigil", "live", "setup"],
            &["vigil", "audit", "--format", "json"],
        ] {
            let parsed = Cli::try_parse_from(args);
            assert!(parsed.is_ok(), "{args:?}: {parsed:?}");
        }
    }

    /// Shell completions offer the panes, groupings and severities, not the files of the directory.
    #[test]
    fn completions_name_the_values_of_pane_group_by_and_min_severity() {
        let mut out = Vec::new();
        clap_complete::generate(clap_complete::Shell::Fish, &mut Cli::command(), "vigil", &mut out);
        let fish = String::from_utf8(out).unwrap();
        // An option's completion, up to the next one (fish lists the values one per line).
        let line = |option: &str| {
            let start = fish.find(&format!("-l {option} ")).unwrap_or_else(|| panic!("{option}: {fish}"));
            let rest = &fish[start..];
            &rest[..rest.find("\ncomplete ").unwrap_or(rest.len())]
        };
        for spec in crate::pane::REGISTRY {
            assert!(line("pane").contains(spec.command), "{}", line("pane"));
        }
        assert!(line("group-by").contains("control"), "{}", line("group-by"));
        assert!(line("min-severity").contains("critical"), "{}", line("min-severity"));
        // Parsing is the named function's: its aliases and its message.
        assert_eq!(parse_pane("certs"), Ok(crate::pane::PaneId::Certificates));
        let err = Cli::try_parse_from(["vigil", "snapshot", "--pane", "nope"]).unwrap_err().to_string();
        assert!(err.contains("unknown pane 'nope': expected findings"), "{err}");
    }
}
