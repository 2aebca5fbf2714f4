//! A private tmux server driving the real binary the way a person would.
#![allow(dead_code, clippy::panic)]

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A private tmux server with one `width`x`height` window running a plain shell.
    pub fn start(name: &str, width: u16, height: u16) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            super::skip_or_fail("tmux is not installed");
            return None;
        }
        let socket = format!("vigil-e2e-{name}-{}", std::process::id());
        let t = Self { socket };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=/tmp/vigil-e2e-home bash --norc --noprofile",
        ]);
        Some(t)
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "e2e", key]);
            // An Escape the console reads together with the next key is Alt+key, as a terminal
            // sends it (a loaded machine reads late: the read-only walk lost an Escape so). A
            // person never types them a millisecond apart; a pause keeps them two keys.
            if *key == "Escape" {
                std::thread::sleep(std::time::Duration::from_millis(60));
            }
        }
    }

    /// Types literal text (no key-name lookup).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    pub fn wait_for(&self, what: &str) -> String {
        self.wait_until(what, |screen| screen.contains(what))
    }

    /// Waits until every one of `texts` is on one capture: a capture can land while tmux is still
    /// writing a frame, so what the test asserts is waited for, not read off the first sign.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&texts.join(" + "), |screen| texts.iter().all(|t| screen.contains(t)))
    }

    /// Waits until the screen satisfies `done` (named `what` in the failure).
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `what` is on screen and no load is streaming in ("so far" on a tab): rows can
    /// show while their load is still running.
    pub fn wait_for_loaded(&self, what: &str) -> String {
        self.wait_until(what, |screen| screen.contains(what) && !screen.contains(" so far"))
    }

    pub fn alternate_screen_on(&self) -> bool {
        self.run(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]).trim() == "1"
    }

    /// After the program exits, the shell's terminal must be back in cooked mode with echo.
    pub fn assert_terminal_restored(&self) {
        assert!(!self.alternate_screen_on(), "alternate screen left on:\n{}", self.screen());
        self.run(&[
            "send-keys",
            "-t",
            "e2e",
            "clear; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo STTY-DONE",
            "Enter",
        ]);
        let screen = self.wait_for("STTY-DONE\n");
        let line = screen.lines().find(|l| l.contains("icanon")).unwrap_or_default();
        assert!(
            line.contains("icanon") && !line.contains("-icanon") && !line.contains("-echo"),
            "terminal not restored: {line:?}"
        );
    }

    pub fn pid_of(&self, pattern: &str) -> String {
        let out = Command::new("pgrep").args(["-f", "--", pattern]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or_default().to_string())
            .unwrap_or_default()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
