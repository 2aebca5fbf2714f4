//! Start-up: parse the command line, set up logging and the panic hook, then run the console or a
//! headless command.

use chrono::Utc;
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use vigil::app::{App, RefreshPolicy};
use vigil::audit::AuditLog;
use vigil::cache::Cache;
use vigil::cli::{Cli, Command, ConfigCommand, GlobalArgs};
use vigil::config::Config;
use vigil::model::panes::findings::Action as FindingAction;
use vigil::runner::{Exit, Start, run};
use vigil::sanitize::sanitize;
use vigil::source::SourceInfo;
use vigil::source::aws::local::region_without_network;
use vigil::source::aws::organisation::{DEFAULT_ACCOUNTS_IN_FLIGHT, MemberRole};
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::demo::DemoSource;
use vigil::source::offline::OfflineSource;
use vigil::source::{Source, SourceError, SourceKind};
use vigil::ui::theme::Theme;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    cli.global = cli.global.settled();
    vigil::tui::install_panic_hook();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // The AWS SDK's deserialisers are deep: give every worker a large stack.
        .thread_stack_size(16 * 1024 * 1024)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(format_args!("cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run_command(cli)) {
        Ok(code) => code,
        Err(e) => {
            vigil::tui::restore();
            say(format_args!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Each pane's own settings (`[panes.NAME]`), commented out with an example.
fn pane_settings_section() -> String {
    let mut out = String::new();
    for spec in vigil::pane::REGISTRY.iter().filter(|s| !s.settings.is_empty()) {
        out.push_str(&format!("[panes.{}]\n", spec.config_key));
        for setting in spec.settings {
            for line in setting.help {
                out.push_str(&format!("# {line}\n"));
            }
            out.push_str(&format!("# {} = \"{}\"\n", setting.name, setting.example));
        }
        out.push('\n');
    }
    out
}

/// The config `vigil config default` prints: every key, its default, and what it does.
fn default_config() -> String {
    let refresh: String =
        vigil::pane::REGISTRY.iter().map(|s| format!("{} = {}\n", s.config_key, s.refresh.aws_seconds)).collect();
    let look_back = vigil::source::aws::delta::DEFAULT_LOOK_BACK.num_minutes();
    format!(
        r#"# Vigil's configuration, every key with its default. `vigil config check FILE` validates a file.
# Where it is read from: ~/.config/vigil/config.toml, or --config PATH, or VIGIL_CONFIG.

# No state-changing action for any profile: the action keys say "read-only" instead.
read_only = false

# A built-in theme ({themes}) or a path to a .toml theme file;
# a name also finds ~/.config/vigil/themes/NAME.toml.
theme = "default"

# Per AWS profile (its name in ~/.aws/config): read_only overrides the global one.
# [profiles.prod]
# read_only = true

# Seconds between refreshes on real accounts (at least {min_refresh}); the demo changes faster.
[refresh]
{refresh}
[findings]
# How far a delta refresh looks back for findings that reach Security Hub late ({look_min}-{look_max} minutes).
look_back_minutes = {look_back}

# The live feed (vigil live setup): findings events from this console's SQS queue, vigil-live-NAME.
[live]
enabled = true
# This console's name (default: user-machine, e.g. ana-oncall-7): one queue per console.
# name = "war-room"
# queue = "https://sqs.eu-west-1.amazonaws.com/111122223333/my-queue"
# Minutes between findings polls while the feed listens (2-60).
safety_poll_minutes = 10

# History (vigil history, :history): Athena queries over Security Lake, or over WAF logs in S3.
[history]
# The Athena workgroup queries run in, and where their results go (default: the workgroup's own).
workgroup = "primary"
# output_location = "s3://shop-athena-results/vigil/"
# Where the data lake is (its rollup region; default: the console's region).
# region = "us-east-1"
# Tables that skip discovery: DATABASE.TABLE (waf_table: the one `vigil history setup` makes).
# findings_table = "amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0"
# waf_table = "default.vigil_waf_shop_front"
# No query whose estimate is over this runs, and one that scans past it is stopped.
max_scan = "10GB"
# Athena's price in dollars per TB scanned, for the cost shown before a query runs.
price_per_tb = 5.0
# The window when none is given (h, d or w).
since = "7d"

# A saved view: a pane with its filter, sort and grouping, shown by :view sale-night or
# vigil --view sale-night. The filter is the / filter's: words and field terms (sev:crit,high,
# product:guardduty, acct:shop-data, type:*S3*, -workflow:notified).
# [views.sale-night]
# pane = "findings"
# filter = "sev:crit,high product:guardduty"
# sort = "risk"              # a column, by its title; descending = true|false overrides its direction
# group = "account"          # type, resource, product, account or control
# columns = ["risk", "sev", "title", "age"]   # the columns shown (every one when left out)
# all = false                # true shows resolved findings too

# A named set of contexts, every profile with every region: vigil --context shop
# [contexts.shop]
# profiles = ["prod", "payments"]
# regions = ["eu-west-1", "us-east-1"]

[organisation]
# The role assumed in each member account for its certificates, secrets and Cognito pools; without
# it only the administrator's own are read.
# member_role = "VigilReadOnly"
# The external id the role's trust policy asks for, if it does (only with member_role).
# external_id = "shop-2026"
# Member accounts read at once, across every pane and context ({aif_min}-{aif_max}).
accounts_in_flight = {aif}

[quotas]
# Percent of each AWS quota this console's calls may use ({q_min}-{q_max}). The quotas are per account
# and region, shared with the shop's own traffic (Cognito's with every sign-in) and with every other
# tool and console; the SDK's retries count too. 33 leaves two thirds to everything else.
percent = 33

[alerts]
# On with --alerts or --war-room; true turns them on always, false off even in the war room.
# enabled = false
# New findings at or above this ring: informational, low, medium, high or critical.
min_severity = "high"
# The terminal bell.
bell = true
# Desktop notifications through the terminal: "osc9", "osc777", "both" or "none".
notify = "osc9"
# Run for each alert, with its JSON on stdin (through sh -c, in a process group of its own: after
# 10 seconds it is stopped with everything it started). Its environment is PATH, HOME, USER,
# LOGNAME, SHELL, LANG, LC_ALL, LC_CTYPE, TZ and TMPDIR only: no AWS credentials.
# command = "curl -s -d @- https://hooks.example.com/vigil"
# Other variables the command gets (names; their values are Vigil's own).
# command_env = ["HTTPS_PROXY"]
# Alerts sent in any minute at most ({pm_min}-{pm_max}); the rest are counted and said.
per_minute = 6

{panes}
{keys}"#,
        panes = pane_settings_section(),
        q_min = vigil::config::QUOTA_PERCENTS.start(),
        q_max = vigil::config::QUOTA_PERCENTS.end(),
        keys = vigil::keymap::Keymap::default().config_section(),
        themes = vigil::ui::theme::Theme::built_in_names().join(", "),
        min_refresh = vigil::config::MIN_REFRESH_SECONDS,
        look_min = vigil::config::LOOK_BACK_MINUTES.start(),
        look_max = vigil::config::LOOK_BACK_MINUTES.end(),
        aif = vigil::source::aws::organisation::DEFAULT_ACCOUNTS_IN_FLIGHT,
        aif_min = vigil::config::ACCOUNTS_IN_FLIGHT.start(),
        aif_max = vigil::config::ACCOUNTS_IN_FLIGHT.end(),
        pm_min = vigil::config::ALERTS_PER_MINUTE.start(),
        pm_max = vigil::config::ALERTS_PER_MINUTE.end(),
    )
}

/// `vigil config check`: the file is valid (0), or what is wrong and where (2).
fn config_check(args: &GlobalArgs, path: Option<std::path::PathBuf>) -> ExitCode {
    let (path, explicit) = match path.or_else(|| args.config.clone()) {
        Some(path) => (path, true),
        None => match Config::default_path() {
            Some(path) => (path, false),
            None => {
                say("config check: no config directory on this system: name a file");
                return ExitCode::from(2);
            }
        },
    };
    if !explicit && !path.exists() {
        println!("{}: no config file (the defaults apply; `vigil config default` prints one)", path.display());
        return ExitCode::SUCCESS;
    }
    let config = match Config::load(&path, true) {
        Ok(config) => config,
        Err(e) => {
            say(format_args!("config: {e}"));
            return ExitCode::from(2);
        }
    };
    let no_flags = GlobalArgs { theme: None, ..args.clone() };
    if let Err(e) = load_theme(&no_flags, &config, Some(&path)) {
        say(e);
        return ExitCode::from(2);
    }
    for name in config.context_names() {
        if let Err(e) = context_set(&config, Some(&path), &name) {
            say(e);
            return ExitCode::from(2);
        }
    }
    println!("{}: valid", path.display());
    ExitCode::SUCCESS
}

async fn run_command(mut cli: Cli) -> anyhow::Result<ExitCode> {
    // What needs neither the config nor a terminal.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "vigil", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            page.render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Config { action: ConfigCommand::Default }) => {
            print!("{}", default_config());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Config { action: ConfigCommand::Check { path } }) => {
            return Ok(config_check(&cli.global, path.clone()));
        }
        _ => {}
    }
    let config_path = cli.global.config.clone().or_else(Config::default_path);
    let config = match config_path.as_deref().map(|p| Config::load(p, cli.global.config.is_some())) {
        Some(Err(e)) => {
            say(format_args!("config: {e}"));
            return Ok(ExitCode::from(2));
        }
        Some(Ok(config)) => config,
        None => Config::default(),
    };
    // A bad theme is bad input like a bad config: exit 2, before AWS or the terminal is touched.
    let theme = match cli.command {
        None => match load_theme(&cli.global, &config, config_path.as_deref()) {
            Ok(theme) => theme,
            Err(e) => {
                say(e);
                return Ok(ExitCode::from(2));
            }
        },
        Some(_) => Theme::default(),
    };
    if let Some(name) = cli.global.context.clone() {
        match context_set(&config, config_path.as_deref(), &name) {
            Ok((profiles, regions)) => {
                cli.global.profiles = profiles;
                cli.global.region_names = regions;
                cli.global = cli.global.settled();
            }
            Err(e) => {
                say(e);
                return Ok(ExitCode::from(2));
            }
        }
    }
    if let Some(name) = &cli.global.view
        && !config.saved_views().iter().any(|v| &v.name == name)
    {
        let file = config_path.as_deref().map(|p| p.display().to_string()).unwrap_or_else(|| "the config file".into());
        let there: Vec<&str> = config.saved_views().iter().map(|v| v.name.as_str()).collect();
        let there = if there.is_empty() { "none".to_string() } else { there.join(", ") };
        say(format_args!("--view: no [views.{name}] in {file} (views there: {there})"));
        return Ok(ExitCode::from(2));
    }
    let audit = AuditLog::default_location().unwrap_or_else(|| AuditLog::new("vigil-audit.jsonl"));
    if let Some(Command::Audit(args)) = &cli.command {
        return Ok(vigil::report::audit::print(&audit, args));
    }
    if let Some(Command::Live { action }) = &cli.command {
        if let Err(e) = check_regions(&cli.global) {
            say(e);
            return Ok(ExitCode::from(2));
        }
        return Ok(live_command(&cli.global, &config, action, &audit).await);
    }
    if let Some(Command::History(history)) = &cli.command {
        if let Err(e) = check_regions(&cli.global) {
            say(e);
            return Ok(ExitCode::from(2));
        }
        return Ok(history_command(&cli.global, &config, history, &audit).await);
    }
    // A misspelt region is bad input too: exit 2 naming where it came from, before any call.
    if let Err(e) = check_regions(&cli.global) {
        say(e);
        return Ok(ExitCode::from(2));
    }
    if cli.global.all_regions {
        match all_regions(&cli.global).await {
            Ok(regions) => {
                cli.global.region_names = regions;
                cli.global = cli.global.settled();
            }
            Err(e) => {
                say(format_args!("--all-regions: {e}"));
                return Ok(ExitCode::from(3));
            }
        }
    }
    let interactive = cli.command.is_none();
    let cache = Cache::default_location();
    // The console opens at once on the cache while AWS is asked who we are, when the profile and
    // region are known without the network; otherwise it connects first, as `snapshot` does.
    let provisional = match interactive {
        true => provisional_info(&cli.global, cache.as_ref()).await,
        false => None,
    };
    if let Some(provisional) = provisional {
        let args = cli.global.clone();
        let (settings, cache_for_connect) = (aws_settings(&config), cache.clone());
        let connect: vigil::runner::Reconnect = Box::new(move |first: bool| {
            let (args, cache, settings) = (args.clone(), cache_for_connect.clone(), settings.clone());
            Box::pin(async move { select_source(&args, first, cache.as_ref(), &settings).await })
        });
        let start = Start::Connecting { provisional: Box::new(provisional.clone()), connect };
        return console(&cli.global, &config, provisional, start, None, theme, audit, cache).await;
    }
    let (source, notice) = match select_source(&cli.global, interactive, cache.as_ref(), &aws_settings(&config)).await {
        Ok(chosen) => chosen,
        Err(e) => {
            say(e);
            return Ok(ExitCode::from(3));
        }
    };
    match cli.command {
        // Handled before the config is read.
        Some(
            Command::Audit(_)
            | Command::Live { .. }
            | Command::History(_)
            | Command::Config { .. }
            | Command::Completions { .. }
            | Command::Man,
        ) => Ok(ExitCode::SUCCESS),
        Some(Command::Snapshot(args)) => {
            if args.format == vigil::cli::SnapshotFormat::Csv && args.panes.len() > 1 {
                say("--format csv holds one table: name at most one --pane");
                return Ok(ExitCode::from(2));
            }
            // A hint about the connection (a finding aggregator in another region) goes to stderr.
            if let Some(notice) = &notice {
                say(notice);
            }
            // Several contexts are read as one, as the console's "all" view shows them.
            let contexts = cli.global.contexts();
            let source = if contexts.len() > 1 && !cli.global.demo && !cli.global.offline {
                let settings = aws_settings(&config);
                let others = futures::future::join_all(contexts[1..].iter().map(|choice| {
                    let (args, cache, settings) = (cli.global.choosing(choice), cache.clone(), settings.clone());
                    async move { (choice, select_source(&args, false, cache.as_ref(), &settings).await) }
                }))
                .await;
                let mut parts = Vec::new();
                for (choice, connected) in others {
                    match connected {
                        Ok((other, notice)) => {
                            if let Some(notice) = notice {
                                say(format_args!("{choice}: {notice}"));
                            }
                            parts.push(other);
                        }
                        Err(e) => say(format_args!("{choice} is left out: {e}")),
                    }
                }
                if parts.is_empty() {
                    source
                } else {
                    Arc::new(vigil::source::merged::MergedSource::new(source, parts)) as Arc<dyn Source>
                }
            } else {
                source
            };
            let (snapshot, data) = vigil::snapshot::collect(source.as_ref(), &args, Utc::now()).await;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            vigil::snapshot::render_to(&mut stdout, &snapshot, &data, &args)?;
            drop(stdout);
            for (pane, error) in &snapshot.errors {
                say(format_args!("{}: {error}", pane.title()));
            }
            Ok(ExitCode::from(vigil::snapshot::exit_code(&snapshot, &args)))
        }
        None => {
            let info = source.info();
            console(&cli.global, &config, info, Start::Ready(source), notice, theme, audit, cache).await
        }
    }
}

/// Runs the console on `info`'s context: a connected source, or one still connecting.
#[allow(clippy::too_many_arguments)] // Start-up wiring: each is one decision made above.
async fn console(
    args: &GlobalArgs,
    config: &Config,
    info: SourceInfo,
    start: Start,
    notice: Option<String>,
    theme: Theme,
    audit: AuditLog,
    cache: Option<Cache>,
) -> anyhow::Result<ExitCode> {
    let connecting = matches!(start, Start::Connecting { .. });
    let policy = match info.kind {
        SourceKind::Demo => RefreshPolicy::demo(),
        SourceKind::Aws => RefreshPolicy::aws().with_overrides(&config.refresh_seconds()),
    };
    let read_only = args.read_only || args.war_room || args.offline || config.read_only_for(info.profile.as_deref());
    let choices = args.contexts();
    let several = info.kind == SourceKind::Aws && !args.offline && choices.len() > 1;
    let per_context = choices
        .iter()
        .map(|c| {
            (
                c.clone(),
                args.read_only
                    || args.war_room
                    || config.read_only_for(c.profile.as_deref().or(info.profile.as_deref())),
            )
        })
        .collect();
    // The score history: the data directory's for AWS; the demo makes up its past.
    let aws = info.kind == SourceKind::Aws;
    let (history, history_notice) = match vigil::history_file::HistoryFile::default_location().filter(|_| aws) {
        Some(file) => match file.load() {
            Ok(history) => (history, None),
            Err(why) => (Default::default(), Some(why)),
        },
        None => (Default::default(), None),
    };
    let notice = match (notice, history_notice) {
        (Some(a), Some(b)) => Some(format!("{a} · {b}")),
        (a, b) => a.or(b),
    };
    let mut app = App::new(info, Utc::now(), policy)
        .with_score_history(history, aws)
        .with_board(args.war_room)
        .with_alerts(config.alert_settings(args.alerts || args.war_room))
        .with_read_only(read_only)
        .with_keymap(config.keymap())
        .with_views(config.saved_views().to_vec())
        .with_live(config.live(console_name))
        .with_history(&config.history())
        .with_notice(notice)
        .with_contexts(if several { per_context } else { Vec::new() });
    if let Some(name) = &args.view {
        app = app.opening_view(name);
    }
    if !aws {
        app = app.with_made_up_past(vigil::source::demo::compliance::history_before);
    }
    if connecting {
        app = app.connecting();
    }
    // The runner draws the last good data from this cache as soon as it is read, marked with its
    // age, while the first refresh runs.
    let cache = cache.filter(|_| !args.offline);
    let drill = args.debug_panic_after_ms.map(std::time::Duration::from_millis);
    // `:ctx` connects the other contexts when first asked, as the first one was.
    let connector: Option<vigil::runner::Connector> = several.then(|| {
        let (args, cache, settings) = (args.clone(), cache.clone(), aws_settings(config));
        Box::new(move |choice: vigil::model::ContextChoice| -> vigil::runner::Connect {
            let (args, cache, settings) = (args.choosing(&choice), cache.clone(), settings.clone());
            Box::pin(async move { select_source(&args, false, cache.as_ref(), &settings).await })
        }) as vigil::runner::Connector
    });
    match run(start, app, theme, audit, cache, drill, connector).await? {
        Exit::Quit => Ok(ExitCode::SUCCESS),
        Exit::Signal(n) => Ok(ExitCode::from(128 + n as u8)),
        Exit::NotConnected(e) => {
            say(e);
            Ok(ExitCode::from(3))
        }
    }
}

/// The context the console opens on before STS answers: the profile, the region known without the
/// network, and the account this profile last showed there (from the cache). `None` when the region
/// needs the network (instance metadata), and for the demo and `--offline`.
async fn provisional_info(args: &GlobalArgs, cache: Option<&Cache>) -> Option<SourceInfo> {
    if args.demo || args.offline {
        return None;
    }
    let profile = args.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok());
    let region = region_without_network(args.region.as_deref(), profile.as_deref()).await?;
    let account = cache.and_then(|c| c.last_account_for(profile.as_deref(), &region)).unwrap_or_else(|| "…".into());
    Some(SourceInfo {
        account_names: Default::default(),
        coverage: None,
        kind: SourceKind::Aws,
        account,
        account_name: None,
        region,
        profile,
        principal: None,
        aggregation: None,
    })
}

/// The cache of the account last seen in the region, found without asking STS.
async fn offline(args: &GlobalArgs, cache: Option<&Cache>) -> Result<Arc<dyn Source>, SourceError> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(profile) = &args.profile {
        loader = loader.profile_name(profile);
    }
    let region = match &args.region {
        Some(r) => r.clone(),
        None => loader.load().await.region().map(|r| r.to_string()).unwrap_or_default(),
    };
    let missing = |what: &str| SourceError::local(vigil::source::Service::Vigil, format!("offline: {what}"));
    let cache = cache.ok_or_else(|| missing("no cache directory on this system"))?;
    if region.is_empty() {
        return Err(missing("no AWS region: pass --region"));
    }
    let account = cache
        .last_account(&region)
        .ok_or_else(|| missing(&format!("nothing cached for {region}: open Vigil online once to fill the cache")))?;
    let info = SourceInfo {
        account_names: Default::default(),
        coverage: None,
        kind: SourceKind::Aws,
        account,
        account_name: None,
        region,
        profile: args.profile.clone(),
        principal: None,
        aggregation: None,
    };
    Ok(Arc::new(OfflineSource::new(info, cache.clone())))
}

fn demo(args: &GlobalArgs) -> Arc<dyn Source> {
    Arc::new(
        DemoSource::new(args.seed, args.scale as usize, Utc::now())
            .with_organisation(args.accounts as usize, args.regions as usize),
    )
}

/// The regions every named profile's account has enabled, each once, in the order AWS lists them.
async fn all_regions(args: &GlobalArgs) -> Result<Vec<String>, SourceError> {
    let mut regions: Vec<String> = Vec::new();
    for choice in args.contexts() {
        let options =
            AwsOptions { profile: choice.profile, endpoint_url: args.endpoint_url.clone(), ..AwsOptions::default() };
        for region in vigil::source::aws::regions::enabled(&options).await? {
            if !regions.contains(&region) {
                regions.push(region);
            }
        }
    }
    if regions.is_empty() {
        return Err(SourceError::local(vigil::source::Service::Account, "ListRegions named no enabled region"));
    }
    Ok(regions)
}

/// The console's rate budgets, shared by every context it connects, at the config's share of each
/// quota (the first call's share holds).
fn shared_budgets(share: f64) -> Arc<vigil::source::aws::budget::Budgets> {
    static SHARED: std::sync::OnceLock<Arc<vigil::source::aws::budget::Budgets>> = std::sync::OnceLock::new();
    Arc::clone(SHARED.get_or_init(|| vigil::source::aws::budget::Budgets::with_share(share)))
}

/// What the config file sets about reaching AWS, for every context.
fn aws_settings(config: &Config) -> AwsOptions {
    AwsOptions {
        look_back: config.findings_look_back(),
        // One set of rate budgets for every context: two profiles of one account share its quotas.
        budgets: Some(shared_budgets(config.quota_share().unwrap_or(vigil::source::aws::budget::DEFAULT_QUOTA_SHARE))),
        settings: config.pane_settings(),
        history: config.history(),
        member_role: config.member_role().map(|role| MemberRole {
            name: role.name,
            external_id: role.external_id,
            accounts_in_flight: role.accounts_in_flight.unwrap_or(DEFAULT_ACCOUNTS_IN_FLIGHT),
        }),
        ..AwsOptions::default()
    }
}

/// `--demo` means the demo. Otherwise AWS, through the standard credential chain; the console (not
/// `snapshot`, which scripts read) falls back to the demo when no credentials are configured at
/// all, and says so.
async fn select_source(
    args: &GlobalArgs,
    interactive: bool,
    cache: Option<&Cache>,
    settings: &AwsOptions,
) -> Result<(Arc<dyn Source>, Option<String>), SourceError> {
    if args.demo {
        return Ok((demo(args), None));
    }
    if args.offline {
        return offline(args, cache).await.map(|s| (s, Some("offline: cached data only, no AWS call is made".into())));
    }
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        ..settings.clone()
    };
    let explicit = args.profile.is_some() || args.endpoint_url.is_some();
    match AwsSource::connect(&options).await {
        Ok(source) => {
            let notice = source.notice();
            Ok((Arc::new(source), notice))
        }
        Err(SourceError::NoCredentials) if interactive && !explicit => Ok((
            demo(args),
            Some("no AWS credentials found: showing the demo account (--demo skips this check)".into()),
        )),
        Err(e) => Err(e),
    }
}

/// The profiles and regions of `--context NAME` (`[contexts.NAME]` in the config file), each region
/// checked; an error names the file, line and column.
fn context_set(config: &Config, path: Option<&Path>, name: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let file = path.map(|p| p.display().to_string()).unwrap_or_else(|| "the config file".into());
    let set = config.contexts_named(name).map_err(|names| {
        let there = if names.is_empty() { "none".to_string() } else { names.join(", ") };
        format!("--context: no [contexts.{name}] in {file} (contexts there: {there})")
    })?;
    for (region, line, column) in &set.regions {
        vigil::source::aws::names::check_region(region)
            .map_err(|e| format!("{file}:{line}:{column}: contexts.{name}.regions: {e}"))?;
    }
    Ok((set.profiles.clone(), set.regions.iter().map(|(region, _, _)| region.clone()).collect()))
}

/// `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION` (the first that is set is the one the
/// SDK would use), checked as a region name; the demo uses none.
fn check_regions(args: &GlobalArgs) -> Result<(), String> {
    if args.demo {
        return Ok(());
    }
    let named: Vec<(&str, String)> = if args.region_names.is_empty() {
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .into_iter()
            .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()).map(|v| (var, v)))
            .into_iter()
            .collect()
    } else {
        args.region_names.iter().map(|r| ("--region", r.clone())).collect()
    };
    for (origin, region) in named {
        vigil::source::aws::names::check_region(&region).map_err(|e| format!("{origin}: {e}"))?;
    }
    Ok(())
}

/// Everything Vigil says on stderr: through the sanitiser, since errors quote AWS strings, file
/// contents and paths, and a hostile one must not reach the terminal as escape sequences.
/// `vigil live setup` and `teardown`: what the feed needs, shown, and made or removed when asked
/// (confirmed unless --yes, refused in read-only mode, every attempt and result audited).
async fn live_command(
    args: &GlobalArgs,
    config: &Config,
    action: &vigil::cli::LiveCommand,
    audit: &AuditLog,
) -> ExitCode {
    use vigil::audit::{AuditRecord, AuditTarget, Phase, Verdict};
    use vigil::cli::LiveCommand;
    use vigil::model::live::SetupPlan;
    if args.demo || args.offline {
        say("live: the feed is made in an AWS account: drop --demo and --offline");
        return ExitCode::from(2);
    }
    let settings = config.live(console_name);
    let plan = SetupPlan::new(&settings);
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        ..aws_settings(config)
    };
    let source = match AwsSource::connect(&options).await {
        Ok(source) => source,
        Err(e) => {
            say(e);
            return ExitCode::from(3);
        }
    };
    let info = source.info();
    let (yes, parameters, verb, done) = match action {
        LiveCommand::Setup { apply, yes } => {
            // Line by line: sanitising strips the newlines too.
            for line in plan.describe(&info.account, &info.region).lines() {
                println!("{}", sanitize(line));
            }
            if let Some(queue) = &settings.queue {
                println!("([live] queue = {queue:?} is read instead of {}.)", plan.queue);
            }
            if !apply {
                println!(
                    "Nothing made: `vigil live setup --apply` makes it (the IAM policy it needs is in docs/iam-policies.md)."
                );
                return ExitCode::SUCCESS;
            }
            let action = FindingAction::LiveSetup { queue: plan.queue.clone(), rule: plan.rule.clone() };
            let done = format!("Done. The console listens to {} at its next start (or within 5 minutes).", plan.queue);
            (*yes, action, "Make them", done)
        }
        LiveCommand::Teardown { yes } => {
            println!(
                "Removes EventBridge rule {} and SQS queue {} (and the events in it) from account {}, region {}.",
                plan.rule, plan.queue, info.account, info.region
            );
            let action = FindingAction::LiveTeardown { queue: plan.queue.clone(), rule: plan.rule.clone() };
            let done = "Done. Consoles named this poll for findings again.".to_string();
            (*yes, action, "Remove them", done)
        }
    };
    if args.read_only || config.read_only_for(info.profile.as_deref()) {
        say("live: read-only (--read-only or the config): nothing is made or removed");
        return ExitCode::from(2);
    }
    if !yes && !confirmed(&format!("{verb} in account {} {}? [y/N] ", info.account, info.region)) {
        println!("Nothing done.");
        return ExitCode::SUCCESS;
    }
    let action = vigil::model::triage::TriageAction::Findings(parameters);
    let target = |id: &str, label: &str| AuditTarget {
        id: id.to_string(),
        label: label.to_string(),
        account: Some(info.account.clone()),
        region: Some(info.region.clone()),
        product: None,
        error: None,
        detail: None,
    };
    let targets = vec![target(&plan.rule, "EventBridge rule"), target(&plan.queue, "SQS queue")];
    let record = |phase, result, error, targets| AuditRecord {
        time: chrono::Utc::now(),
        phase,
        account: info.account.clone(),
        region: info.region.clone(),
        principal: info.principal.clone(),
        profile: info.profile.clone(),
        demo: false,
        action: action.describe(),
        parameters: action.clone(),
        targets,
        result,
        error,
    };
    // Nothing is sent when the attempt cannot be recorded.
    if let Err(e) = audit.append(&record(Phase::Attempt, None, None, targets.clone())) {
        say(format_args!("cannot write the audit log {}: {e}: nothing done", audit.path().display()));
        return ExitCode::from(1);
    }
    let steps = match action {
        vigil::model::triage::TriageAction::Findings(FindingAction::LiveSetup { .. }) => {
            vigil::source::aws::live::setup(&source, &plan).await
        }
        _ => vigil::source::aws::live::teardown(&source, &plan).await,
    };
    for step in &steps {
        match &step.result {
            Ok(done) => println!("  {}: {}", step.what, sanitize(done)),
            Err(why) => println!("  {}: FAILED: {}", step.what, sanitize(why)),
        }
    }
    let failed: Vec<&str> = steps.iter().filter_map(|s| s.result.as_ref().err().map(String::as_str)).collect();
    let verdict = if failed.is_empty() {
        Verdict::Ok
    } else if failed.len() == steps.len() {
        Verdict::Failed
    } else {
        Verdict::Partial
    };
    let error = (!failed.is_empty()).then(|| failed.join("; "));
    let detail = steps
        .iter()
        .map(|s| format!("{}: {}", s.what, s.result.as_ref().unwrap_or_else(|e| e)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut results = targets;
    results[0].detail = Some(detail);
    if let Err(e) = audit.append(&record(Phase::Result, Some(verdict), error, results)) {
        say(format_args!("cannot write the audit log {}: {e}", audit.path().display()));
        return ExitCode::from(1);
    }
    if failed.is_empty() {
        println!("{done}");
        ExitCode::SUCCESS
    } else {
        say("live: not every step succeeded (above); running the same command again repairs what is missing");
        ExitCode::from(1)
    }
}

/// `vigil history`: a question through Athena, or `setup` of the table over a web ACL's WAF logs.
async fn history_command(
    args: &GlobalArgs,
    config: &Config,
    history: &vigil::cli::HistoryArgs,
    audit: &AuditLog,
) -> ExitCode {
    let settings = config.history();
    // Bad input is said before any call.
    if history.setup.is_none()
        && let Err(why) = vigil::snapshot::history::question(history, &settings)
    {
        say(sanitize(&why));
        return ExitCode::from(2);
    }
    if args.demo || args.offline {
        say(
            "history: Athena answers in an AWS account: drop --demo and --offline (the demo console's :history shows made-up history)",
        );
        return ExitCode::from(2);
    }
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        ..aws_settings(config)
    };
    let source = match AwsSource::connect(&options).await {
        Ok(source) => source,
        Err(e) => {
            say(e);
            return ExitCode::from(3);
        }
    };
    match &history.setup {
        None => vigil::snapshot::history::run(&source, &settings, history).await,
        Some(setup) => history_setup(args, config, &settings, setup, &source, audit).await,
    }
}

/// `vigil history setup`: prints the table over a web ACL's WAF logs in S3; `--apply` runs it in
/// Athena, asked and audited as `vigil live setup` is.
async fn history_setup(
    args: &GlobalArgs,
    config: &Config,
    settings: &vigil::model::lake::HistorySettings,
    setup: &vigil::cli::HistoryCommand,
    source: &AwsSource,
    audit: &AuditLog,
) -> ExitCode {
    use vigil::audit::{AuditRecord, AuditTarget, Phase, Verdict};
    let vigil::cli::HistoryCommand::Setup { web_acl, bucket, cloudfront, database, since, apply, yes } = setup;
    let info = source.info();
    let region = settings.region.clone().unwrap_or_else(|| info.region.clone());
    // The bucket and the region folder WAF writes under: as given, else from the ACL's logging.
    let (bucket, folder) = match bucket {
        Some(bucket) => (bucket.clone(), if *cloudfront { "cloudfront".to_string() } else { region.clone() }),
        None => match vigil::source::aws::history::waf_logging_bucket(source, &region, web_acl).await {
            Ok(found) => {
                println!("-- web ACL {web_acl} logs to s3://{}/ (its logging configuration)", sanitize(&found.0));
                found
            }
            Err(why) => {
                say(format_args!("history setup: {}", sanitize(&why)));
                return ExitCode::from(3);
            }
        },
    };
    let table = match vigil::model::lake::WafTableSetup::new(database, &bucket, &info.account, &folder, web_acl) {
        Ok(table) => table,
        Err(why) => {
            say(format_args!("history setup: {}", sanitize(&why)));
            return ExitCode::from(2);
        }
    };
    let since = since.unwrap_or_else(|| (Utc::now() - chrono::Duration::days(365)).date_naive());
    let ddl = table.ddl(since);
    println!("{ddl};");
    println!();
    println!(
        "Then: vigil history waf-top {web_acl} --table {}  (or [history] waf_table = \"{}\" in the config)",
        table.table, table.table
    );
    if !apply {
        println!(
            "Nothing made: `vigil history setup ... --apply` runs it in Athena (workgroup {}).",
            settings.workgroup
        );
        return ExitCode::SUCCESS;
    }
    if args.read_only || config.read_only_for(info.profile.as_deref()) {
        say("history setup: read-only (--read-only or the config): nothing is made");
        return ExitCode::from(2);
    }
    if !yes && !confirmed(&format!("Create table {} in account {} {region}? [y/N] ", table.table, info.account)) {
        println!("Nothing done.");
        return ExitCode::SUCCESS;
    }
    let parameters = FindingAction::HistorySetup { table: table.table.to_string(), location: table.location.clone() };
    let action = vigil::model::triage::TriageAction::Findings(parameters);
    let target = AuditTarget {
        id: table.table.to_string(),
        label: "Athena table".to_string(),
        account: Some(info.account.clone()),
        region: Some(region.clone()),
        product: None,
        error: None,
        detail: None,
    };
    let record = |phase, result, error, targets| AuditRecord {
        time: Utc::now(),
        phase,
        account: info.account.clone(),
        region: region.clone(),
        principal: info.principal.clone(),
        profile: info.profile.clone(),
        demo: false,
        action: action.describe(),
        parameters: action.clone(),
        targets,
        result,
        error,
    };
    if let Err(e) = audit.append(&record(Phase::Attempt, None, None, vec![target.clone()])) {
        say(format_args!("cannot write the audit log {}: {e}: nothing done", audit.path().display()));
        return ExitCode::from(1);
    }
    // Interrupted, the attempt still gets its result in the audit log: what happened is unknown.
    let ran = tokio::select! {
        ran = vigil::source::aws::history::run_ddl(source, settings, &region, &ddl, &table.table) => ran,
        _ = tokio::signal::ctrl_c() => Err(
            "interrupted (Ctrl-C) while Athena ran it: the table may or may not have been made (running setup again says \"already exists\" if it was)".to_string()
        ),
    };
    let (verdict, error, detail) = match &ran {
        Ok(id) => (Verdict::Ok, None, format!("Athena query {id}")),
        Err(why) => (Verdict::Failed, Some(why.clone()), why.clone()),
    };
    let result = AuditTarget { detail: Some(detail), error: error.clone(), ..target };
    if let Err(e) = audit.append(&record(Phase::Result, Some(verdict), error, vec![result])) {
        say(format_args!("cannot write the audit log {}: {e}", audit.path().display()));
        return ExitCode::from(1);
    }
    match ran {
        Ok(id) => {
            println!("Done (Athena query {}).", sanitize(&id));
            ExitCode::SUCCESS
        }
        Err(why) => {
            say(format_args!("history setup: {}", sanitize(&why)));
            ExitCode::from(1)
        }
    }
}

/// This console's name for its live feed queue when the config names none: user and machine.
fn console_name() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
    let host = rustix::system::uname().nodename().to_string_lossy().into_owned();
    vigil::model::live::console_name_from(&user, &host)
}

/// Asks on the terminal; anything but y or yes is no (and so is no terminal at all).
fn confirmed(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        say("live: not asked (stdin is not a terminal): pass --yes to go ahead");
        return false;
    }
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

fn say(message: impl std::fmt::Display) {
    eprintln!("vigil: {}", sanitize(&message.to_string()));
}

/// The theme `--theme`, else the config file's `theme`, else `NO_COLOR`'s built-in asks for; an
/// error names which of them asked.
fn load_theme(args: &GlobalArgs, config: &Config, config_path: Option<&Path>) -> Result<Theme, String> {
    let (name, origin) = match (&args.theme, &config.theme) {
        (Some(name), _) => (name.as_str(), "--theme".to_string()),
        (None, Some(name)) => {
            let file = config_path.map(|p| p.display().to_string()).unwrap_or_else(|| "the config file".into());
            (name.as_str(), format!("{file}: theme = {name:?}"))
        }
        (None, None) if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
            ("mono", "NO_COLOR (built-in theme mono)".into())
        }
        (None, None) => return Ok(Theme::default().for_depth(color_depth(args.color))),
    };
    let theme = Theme::load(name).map_err(|e| format!("{origin}: {e}"))?;
    Ok(theme.for_depth(color_depth(args.color)))
}

/// The colours to draw with: the flag's, else what the environment says the terminal shows.
fn color_depth(flag: vigil::cli::ColorDepth) -> vigil::ui::theme::Depth {
    use vigil::cli::ColorDepth as Flag;
    use vigil::ui::theme::Depth;
    let var = |name: &str| std::env::var(name).ok();
    match flag {
        Flag::Auto => Depth::detect(var("NO_COLOR").as_deref(), var("COLORTERM").as_deref(), var("TERM").as_deref()),
        Flag::Truecolor => Depth::Truecolor,
        Flag::Ansi256 => Depth::Ansi256,
        Flag::Ansi16 => Depth::Ansi16,
        Flag::None => Depth::None,
    }
}

/// Logs go to a file in the data directory, never to the screen (see `vigil::logging`).
fn init_logging() {
    let Some(path) = vigil::logging::default_path() else { return };
    let spec = std::env::var("VIGIL_LOG").ok();
    if let Err(e) = vigil::logging::init(&path, spec.as_deref()) {
        say(format_args!("no log file: {e}"));
    }
}
