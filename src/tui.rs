//! Entering and leaving the terminal's full-screen mode, and making sure we always leave it: on a
//! normal exit, on an error, on a panic (the hook restores before the report is printed) and on
//! signals (the event loop turns SIGTERM/SIGHUP/SIGINT into a normal exit).

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Restores the terminal if we changed it. Safe to call more than once and from a panic hook;
/// errors are ignored because the terminal may be gone (SSH dropped).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, Show);
    }
}

/// Restores the terminal first, then lets the default hook print the report where it can be read.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Leaves the alternate screen when dropped, whatever way the scope is left.
pub struct TerminalGuard {
    pub terminal: Term,
}

/// Raw mode, the alternate screen (blank), no cursor, bracketed paste: pasted text arrives as one
/// event, so its line breaks are never keys. Undone by [`restore`], also when it fails half-way.
fn take_screen() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, Clear(ClearType::All), Hide, EnableBracketedPaste)
        .inspect_err(|_| restore())
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        take_screen()?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| restore())?;
        Ok(Self { terminal })
    }

    /// Gives the terminal back to the shell's way of working (a command run in the foreground
    /// reads and writes it), as on exit. The guard still restores it if we never come back.
    pub fn suspend(&mut self) {
        restore();
    }

    /// Takes the full screen back after [`suspend`](Self::suspend) and redraws all of it.
    pub fn resume(&mut self) -> io::Result<()> {
        take_screen()?;
        // The screen is blank now: the next draw must write every cell, as against an empty
        // frame. (`Terminal::clear` would ask the terminal where its cursor is, and the answer
        // would go to a key reader that is not listening yet.)
        self.terminal.swap_buffers();
        Ok(())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
