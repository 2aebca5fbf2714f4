//! Where the score history lives: `score-history.json` in the data directory (beside the audit
//! log), `VIGIL_HISTORY_FILE` to put it elsewhere. Written whole and atomically, 0600; a damaged
//! file is set aside (`.damaged`), never silently overwritten.

use crate::model::history::ScoreHistory;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone)]
pub struct HistoryFile {
    path: PathBuf,
}

/// One save at a time: two refreshes landing together must not write in the wrong order.
static SAVING: Mutex<()> = Mutex::new(());

impl HistoryFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn default_location() -> Option<Self> {
        crate::files::data_file("VIGIL_HISTORY_FILE", "score-history.json").map(Self::new)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The history saved, empty when there is none yet. A file that does not parse is renamed to
    /// `<name>.damaged` and the error (file, line, column) returned, so the next save starts anew
    /// without destroying it.
    pub fn load(&self) -> Result<ScoreHistory, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ScoreHistory::default()),
            Err(e) => return Err(format!("{}: cannot read the score history: {e}", self.path.display())),
        };
        serde_json::from_str::<ScoreHistory>(&text).map(|h| h.bounded(chrono::Utc::now())).map_err(|e| {
            let aside = self.path.with_extension("json.damaged");
            let kept = match std::fs::rename(&self.path, &aside) {
                Ok(()) => format!("set aside as {}", aside.display()),
                Err(why) => format!("left in place ({why})"),
            };
            format!(
                "{}:{}:{}: the score history does not parse ({e}); {kept}, a new one starts",
                self.path.display(),
                e.line(),
                e.column()
            )
        })
    }

    /// Writes `history` merged with what the file holds now: a save that lands late, or another
    /// console's, never takes samples away.
    pub fn save(&self, history: &ScoreHistory) -> std::io::Result<()> {
        let _one_at_a_time = SAVING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(dir) = self.path.parent() {
            crate::files::create_private_dir_all(dir)?;
        }
        let mut merged = history.clone();
        if let Ok(text) = std::fs::read_to_string(&self.path)
            && let Ok(on_disk) = serde_json::from_str::<ScoreHistory>(&text)
        {
            merged.merge(&on_disk.bounded(chrono::Utc::now()));
        }
        let bytes = serde_json::to_vec(&merged).map_err(std::io::Error::other)?;
        crate::files::write_atomically(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn saves_loads_and_sets_a_damaged_file_aside() {
        let dir = std::env::temp_dir().join(format!("vigil-history-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = HistoryFile::new(dir.join("sub").join("score-history.json"));
        assert_eq!(file.load(), Ok(ScoreHistory::default()), "none yet");
        let mut history = ScoreHistory::default();
        history.record("1/eu-west-1/arn", Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(), 61);
        file.save(&history).unwrap();
        assert_eq!(file.load(), Ok(history));
        std::fs::write(file.path(), "{\n  \"series\": [oops").unwrap();
        let error = file.load().unwrap_err();
        assert!(error.contains("score-history.json:2:") && error.contains("set aside"), "{error}");
        assert!(dir.join("sub").join("score-history.json.damaged").exists());
        assert_eq!(file.load(), Ok(ScoreHistory::default()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
