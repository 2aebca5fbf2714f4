//! Start-up: parse the command line, set up logging and the panic hook, then run the console or a
//! headless command.

use anyhow::Context;
use chrono::Utc;
use clap::Parser;
use std::process::ExitCode;
use std::sync::Arc;
use vigil::app::MessageLevel;
use vigil::app::run::{Exit, run};
use vigil::app::{App, RefreshPolicy};
use vigil::audit::AuditLog;
use vigil::cli::{Cli, Command, GlobalArgs};
use vigil::config::Config;
use vigil::source::aws::{AwsOptions, AwsSource};
use vigil::source::demo::DemoSource;
use vigil::source::{Source, SourceError, SourceKind};
use vigil::ui::theme::Theme;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
            eprintln!("vigil: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run_command(cli)) {
        Ok(code) => code,
        Err(e) => {
            vigil::tui::restore();
            eprintln!("vigil: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run_command(cli: Cli) -> anyhow::Result<ExitCode> {
    let config_path = cli.global.config.clone().or_else(Config::default_path);
    let config = match config_path.as_deref().map(|p| Config::load(p, cli.global.config.is_some())) {
        Some(Err(e)) => {
            eprintln!("vigil: config: {e}");
            return Ok(ExitCode::from(2));
        }
        Some(Ok(config)) => config,
        None => Config::default(),
    };
    let audit = AuditLog::default_location().unwrap_or_else(|| AuditLog::new("vigil-audit.jsonl"));
    if let Some(Command::Audit(args)) = &cli.command {
        return Ok(vigil::audit_report::print(&audit, args));
    }
    let interactive = cli.command.is_none();
    let (source, notice) = match select_source(&cli.global, interactive).await {
        Ok(chosen) => chosen,
        Err(e) => {
            eprintln!("vigil: {e}");
            return Ok(ExitCode::from(3));
        }
    };
    match cli.command {
        Some(Command::Audit(_)) => Ok(ExitCode::SUCCESS),
        Some(Command::Snapshot(args)) => {
            if args.format == vigil::cli::SnapshotFormat::Csv && args.panes.len() > 1 {
                eprintln!("vigil: --format csv holds one table: name at most one --pane");
                return Ok(ExitCode::from(2));
            }
            let (snapshot, data) = vigil::snapshot::collect(source.as_ref(), &args, Utc::now()).await;
            let text = vigil::snapshot::render(&snapshot, &data, &args)?;
            print!("{text}");
            for (pane, error) in &snapshot.errors {
                eprintln!("vigil: {}: {error}", pane.title());
            }
            Ok(ExitCode::from(vigil::snapshot::exit_code(&snapshot, &args)))
        }
        None => {
            let theme = match cli.global.theme.as_deref().or(config.theme.as_deref()) {
                Some(name) => Theme::load(name).context("--theme")?,
                None if std::env::var_os("NO_COLOR").is_some() => Theme::load("mono").context("built-in theme")?,
                None => Theme::default(),
            };
            let policy = match source.info().kind {
                SourceKind::Demo => RefreshPolicy::demo(),
                SourceKind::Aws => RefreshPolicy::aws(),
            };
            let mut app = App::new(source.info(), Utc::now(), policy);
            app.message = notice.map(|text| (MessageLevel::Info, text));
            app.read_only = cli.global.read_only || config.read_only_for(app.info.profile.as_deref());
            let drill = cli.global.debug_panic_after_ms.map(std::time::Duration::from_millis);
            match run(source, app, theme, audit, drill).await? {
                Exit::Quit => Ok(ExitCode::SUCCESS),
                Exit::Signal(n) => Ok(ExitCode::from(128 + n as u8)),
            }
        }
    }
}

fn demo(args: &GlobalArgs) -> Arc<dyn Source> {
    Arc::new(DemoSource::new(args.seed, args.scale as usize, Utc::now()))
}

/// `--demo` means the demo. Otherwise AWS, through the standard credential chain; the console (not
/// `snapshot`, which scripts read) falls back to the demo when no credentials are configured at
/// all, and says so.
async fn select_source(args: &GlobalArgs, interactive: bool) -> Result<(Arc<dyn Source>, Option<String>), SourceError> {
    if args.demo {
        return Ok((demo(args), None));
    }
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let explicit = args.profile.is_some() || args.endpoint_url.is_some();
    match AwsSource::connect(&options).await {
        Ok(source) => Ok((Arc::new(source), None)),
        Err(SourceError::NoCredentials) if interactive && !explicit => Ok((
            demo(args),
            Some("no AWS credentials found: showing the demo account (--demo skips this check)".into()),
        )),
        Err(e) => Err(e),
    }
}

/// Logs go to a file in the data directory, never to the screen.
fn init_logging() -> Option<()> {
    let dirs = directories::ProjectDirs::from("", "", "vigil")?;
    let dir = dirs.data_local_dir();
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("vigil.log")).ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("VIGIL_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(std::sync::Mutex::new(file)).init();
    Some(())
}
