//! The last good data of each pane on disk, per account and region, so the console draws at once on
//! start (marked with the data's age) and can open without AWS (`--offline`).
//!
//! Files live in the cache directory (`~/.cache/vigil/` on Linux): `<account>-<region>/<pane>.json`,
//! compact JSON with a format number, written to a temporary file and renamed into place, mode
//! 0600 (user pools carry e-mail addresses). A corrupt or old-format file is ignored with a logged
//! warning, never fatal.

use crate::model::{Context, PaneData, Timestamp};
use crate::pane::PaneId;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped whenever the cached shapes change; other formats are ignored.
pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    format: u32,
    saved_at: Timestamp,
    data: PaneData,
}

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `VIGIL_CACHE_DIR`, else the user's cache directory.
    pub fn default_location() -> Option<Self> {
        if let Some(dir) = std::env::var_os("VIGIL_CACHE_DIR") {
            return Some(Self::new(dir));
        }
        directories::ProjectDirs::from("", "", "vigil").map(|d| Self::new(d.cache_dir()))
    }

    fn dir(&self, account: &str, region: &str) -> PathBuf {
        let safe = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
                .collect::<String>()
        };
        self.root.join(format!("{}-{}", safe(account), safe(region)))
    }

    fn pane_file(&self, account: &str, region: &str, pane: PaneId) -> PathBuf {
        self.dir(account, region).join(format!("{}.json", pane.command()))
    }

    /// Saves the data of `pane` fetched for `context`: the context the request was made for, so
    /// a result can never land in another account's files.
    pub fn save(&self, context: &Context, pane: PaneId, saved_at: Timestamp, data: &PaneData) -> std::io::Result<()> {
        let (account, region) = (context.account.as_str(), context.region.as_str());
        let dir = self.dir(account, region);
        std::fs::create_dir_all(&dir)?;
        let entry = serde_json::to_vec(&EntryRef { format: FORMAT, saved_at, data }).map_err(std::io::Error::other)?;
        write_atomically(&self.pane_file(account, region, pane), &entry)?;
        // Remember which account a profile and region last pointed at, for --offline.
        write_atomically(&self.root.join(format!("last-{}", region_key(region))), account.as_bytes())
    }

    /// The cached data and when it was saved; `None` when missing, corrupt or of another format.
    pub fn load(&self, context: &Context, pane: PaneId) -> Option<(Timestamp, PaneData)> {
        let path = self.pane_file(&context.account, &context.region, pane);
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<Entry>(&bytes) {
            Ok(entry) if entry.format == FORMAT && entry.data.pane() == pane => Some((entry.saved_at, entry.data)),
            Ok(entry) => {
                tracing::warn!(path = %path.display(), format = entry.format, "ignoring a cache file of another format");
                None
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring a corrupt cache file");
                None
            }
        }
    }

    /// The account last seen in `region`, for opening the cache without asking STS.
    pub fn last_account(&self, region: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(format!("last-{}", region_key(region))))
            .ok()
            .map(|s| s.trim().to_string())
    }
}

#[derive(Serialize)]
struct EntryRef<'a> {
    format: u32,
    saved_at: Timestamp,
    data: &'a PaneData,
}

fn region_key(region: &str) -> String {
    region.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    drop(file);
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;

    fn temp() -> Cache {
        let dir =
            std::env::temp_dir().join(format!("vigil-cache-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        Cache::new(dir)
    }

    fn secrets() -> PaneData {
        PaneData::Secrets(vec![Secret {
            name: "prod/db".into(),
            arn: "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-x".into(),
            description: None,
            rotation_enabled: false,
            rotation_lambda_arn: None,
            rotation_interval_days: None,
            rotation_schedule: None,
            created: None,
            last_rotated: None,
            next_rotation: None,
            last_accessed: None,
            last_changed: None,
            deleted_date: None,
            versions: vec![],
        }])
    }

    fn context(account: &str, region: &str) -> Context {
        Context { profile: None, account: account.into(), region: region.into() }
    }

    #[test]
    fn round_trip_per_account_and_region() {
        let cache = temp();
        let now = chrono::Utc::now();
        cache.save(&context("123456789012", "us-east-1"), PaneId::Secrets, now, &secrets()).unwrap();
        let (at, data) = cache.load(&context("123456789012", "us-east-1"), PaneId::Secrets).unwrap();
        assert_eq!(at, now);
        assert!(matches!(data, PaneData::Secrets(list) if list.len() == 1));
        assert!(cache.load(&context("123456789012", "eu-west-1"), PaneId::Secrets).is_none());
        assert!(cache.load(&context("210987654321", "us-east-1"), PaneId::Secrets).is_none());
        assert_eq!(cache.last_account("us-east-1").as_deref(), Some("123456789012"));
    }

    #[test]
    fn corrupt_and_old_format_files_are_ignored() {
        let cache = temp();
        let now = chrono::Utc::now();
        let ctx = context("1", "r");
        cache.save(&ctx, PaneId::Secrets, now, &secrets()).unwrap();
        let path = cache.pane_file("1", "r", PaneId::Secrets);
        std::fs::write(&path, b"{not json").unwrap();
        assert!(cache.load(&ctx, PaneId::Secrets).is_none());
        std::fs::write(&path, br#"{"format":0,"saved_at":"2026-01-01T00:00:00Z","data":{"pane":"secrets","data":[]}}"#)
            .unwrap();
        assert!(cache.load(&ctx, PaneId::Secrets).is_none());
    }
}
