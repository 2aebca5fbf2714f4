//! The last good data of each pane on disk, per account and region, so the console draws at once on
//! start (marked with the data's age) and can open without AWS (`--offline`).
//!
//! Files live in the cache directory (`~/.cache/vigil/` on Linux): `<account>-<region>/<pane>.json`,
//! compact JSON with a format number, written to a temporary file of its own and renamed into
//! place, mode 0600 (user pools carry e-mail addresses), in directories of mode 0700. A corrupt or
//! old-format file is ignored with a logged warning, never fatal; a symbolic link at a cache path
//! (file or directory) is refused, never followed.

use crate::files::{create_private_dir_all, open_no_follow, write_atomically};
use crate::model::{Context, PaneData, Timestamp};
use crate::pane::PaneId;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

mod findings;

use findings::StoredFindings;

/// Bumped whenever the cached shapes change; other formats are ignored. 2: findings as a table
/// of distinct texts and rows of numbers (1 was every finding as a JSON object).
pub const FORMAT: u32 = 2;

/// A cache file: the findings pane in its compact form, any other pane as its `PaneData`.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    format: u32,
    saved_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    findings: Option<StoredFindings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<PaneData>,
}

/// The format number a cache file starts with (`{"format":N,`: written first, and read before
/// anything else so a file of another format is never parsed as this one, nor scanned twice).
fn format_of(bytes: &[u8]) -> Option<u32> {
    let rest = bytes.strip_prefix(br#"{"format":"#)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if rest.get(digits) != Some(&b',') {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

impl Entry {
    fn new(saved_at: Timestamp, data: &PaneData) -> Self {
        let (findings, data) = match data {
            PaneData::Findings(list) => (Some(StoredFindings::from_findings(list)), None),
            other => (None, Some(other.clone())),
        };
        Self { format: FORMAT, saved_at, findings, data }
    }

    fn into_data(self) -> Option<PaneData> {
        match (self.findings, self.data) {
            // The priority is not stored: it depends on the time and is ranked afresh.
            (Some(findings), None) => findings.into_findings().map(|mut list| {
                crate::model::risk::rank(&mut list, chrono::Utc::now());
                PaneData::Findings(list)
            }),
            (None, Some(data)) => Some(data),
            _ => None,
        }
    }
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
        self.root.join(format!("{}-{}", file_part(account), file_part(region)))
    }

    fn pane_file(&self, account: &str, region: &str, pane: PaneId) -> PathBuf {
        self.dir(account, region).join(format!("{}.json", pane.command()))
    }

    /// Saves the data of `pane` fetched for `context`: the context the request was made for, so
    /// a result can never land in another account's files.
    pub fn save(&self, context: &Context, pane: PaneId, saved_at: Timestamp, data: &PaneData) -> std::io::Result<()> {
        let (account, region) = (context.account.as_str(), context.region.as_str());
        create_private_dir_all(&self.root)?;
        create_private_dir_all(&self.dir(account, region))?;
        let entry = serde_json::to_vec(&Entry::new(saved_at, data)).map_err(std::io::Error::other)?;
        // The head of the last save goes first: a head is only ever the head of the list saved
        // with it (`save_head` writes the new one, when the list is long enough to have one).
        match std::fs::remove_file(self.head_file(account, region, pane)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        write_atomically(&self.pane_file(account, region, pane), &entry)?;
        // Remember which account a profile and region last pointed at, for --offline, and for
        // opening on the cache before STS answers.
        write_atomically(&self.root.join(last_for_profile(context.profile.as_deref(), region)), account.as_bytes())?;
        write_atomically(&self.root.join(format!("last-{}", region_key(region))), account.as_bytes())
    }

    /// The account `profile` (`None`: the default credential chain) last showed in `region`.
    pub fn last_account_for(&self, profile: Option<&str>, region: &str) -> Option<String> {
        let bytes = read_own(&self.root, &self.root.join(last_for_profile(profile, region)))?;
        let account = String::from_utf8_lossy(&bytes).trim().to_string();
        (!account.is_empty()).then_some(account)
    }

    /// Saves the first rows of `pane` as shown (sorted, in scope), beside the whole list: a start
    /// shows them before the whole list is read. Written after [`Cache::save`], with its time.
    pub fn save_head(&self, context: &Context, saved_at: Timestamp, head: &PaneData) -> std::io::Result<()> {
        let entry = serde_json::to_vec(&Entry::new(saved_at, head)).map_err(std::io::Error::other)?;
        write_atomically(&self.head_file(&context.account, &context.region, head.pane()), &entry)
    }

    /// The head saved by [`Cache::save_head`] (a few hundred rows: read in a few milliseconds).
    pub fn load_head(&self, context: &Context, pane: PaneId) -> Option<(Timestamp, PaneData)> {
        self.load_file(self.head_file(&context.account, &context.region, pane), pane)
    }

    fn head_file(&self, account: &str, region: &str, pane: PaneId) -> PathBuf {
        self.dir(account, region).join(format!("{}.head.json", pane.command()))
    }

    /// The cached data and when it was saved; `None` when missing, corrupt or of another format.
    pub fn load(&self, context: &Context, pane: PaneId) -> Option<(Timestamp, PaneData)> {
        self.load_file(self.pane_file(&context.account, &context.region, pane), pane)
    }

    fn load_file(&self, path: PathBuf, pane: PaneId) -> Option<(Timestamp, PaneData)> {
        let bytes = read_own(&self.root, &path)?;
        let ignore = |reason: &str| {
            tracing::warn!(path = %path.display(), reason, "ignoring a cache file");
            None
        };
        match format_of(&bytes) {
            Some(FORMAT) => {}
            Some(format) => {
                tracing::warn!(path = %path.display(), format, "ignoring a cache file of another format");
                return None;
            }
            None => return ignore("corrupt: no format number at its start"),
        }
        match serde_json::from_slice::<Entry>(&bytes) {
            Ok(entry) => {
                let saved_at = entry.saved_at;
                match entry.into_data() {
                    Some(data) if data.pane() == pane => Some((saved_at, data)),
                    Some(_) => ignore("holds another pane"),
                    None => ignore("corrupt: damaged findings table"),
                }
            }
            Err(e) => ignore(&format!("corrupt: {e}")),
        }
    }

    /// The account last seen in `region`, for opening the cache without asking STS.
    pub fn last_account(&self, region: &str) -> Option<String> {
        let bytes = read_own(&self.root, &self.root.join(format!("last-{}", region_key(region))))?;
        Some(String::from_utf8_lossy(&bytes).trim().to_string())
    }
}

/// A cache file's bytes; `None` when missing, and a logged warning when it cannot be read or is
/// a link (the file, or a directory between it and the cache root, the root included).
fn read_own(root: &Path, path: &Path) -> Option<Vec<u8>> {
    let read = || -> std::io::Result<Vec<u8>> {
        for dir in path.ancestors().skip(1).take_while(|dir| dir.starts_with(root)) {
            crate::files::refuse_symlink(dir)?;
        }
        let mut bytes = Vec::new();
        open_no_follow(path)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    match read() {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "ignoring a cache file");
            None
        }
    }
}

/// `last-profile-<profile>-<region>`: profile names are free text, so anything but letters,
/// digits, `-` and `_` is spelled out as its code point (two profiles never share a file).
fn last_for_profile(profile: Option<&str>, region: &str) -> String {
    let profile = match profile {
        None => "=default-chain".to_string(),
        Some(p) => file_part(p),
    };
    format!("last-profile-{profile}-{}", region_key(region))
}

fn region_key(region: &str) -> String {
    file_part(region)
}

/// One part of a cache file's name: letters, digits and `_` as they are, every other byte as
/// `%HH` (the `-` that joins parts too), so two different (profile, region) or (account, region)
/// pairs never share a name: profile `a` in `us-gov-west-1` and `a-us` in `gov-west-1` differ.
fn file_part(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for byte in part.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;

    #[test]
    fn file_names_are_unambiguous() {
        assert_ne!(last_for_profile(Some("a"), "us-gov-west-1"), last_for_profile(Some("a-us"), "gov-west-1"));
        assert_ne!(last_for_profile(Some("a b"), "r"), last_for_profile(Some("a_b"), "r"));
        let cache = Cache::new("/c");
        assert_ne!(cache.dir("1-2", "3"), cache.dir("1", "2-3"));
        assert_eq!(file_part("prod/admin.x"), "prod%2Fadmin%2Ex", "no separator, no dot survives");
        assert_eq!(file_part("é"), "%C3%A9");
    }

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
    fn a_saved_head_loads_alone_and_as_saved() {
        let dir = std::env::temp_dir().join(format!("vigil-cache-head-{}", std::process::id()));
        let cache = Cache::new(&dir);
        let context = Context { profile: None, account: "111111111111".into(), region: "eu-west-1".into() };
        let now = chrono::Utc::now();
        let PaneData::Findings(all) = crate::source::demo::DemoSource::new(7, 40, now).generate(PaneId::Findings, now)
        else {
            panic!()
        };
        let head = PaneData::Findings(all[..5].to_vec());
        assert!(cache.load_head(&context, PaneId::Findings).is_none());
        cache.save(&context, PaneId::Findings, now, &PaneData::Findings(all.clone())).unwrap();
        cache.save_head(&context, now, &head).unwrap();
        let (_, PaneData::Findings(back)) = cache.load_head(&context, PaneId::Findings).unwrap() else { panic!() };
        assert_eq!(unranked(&back), unranked(&all[..5]));
        let (_, PaneData::Findings(whole)) = cache.load(&context, PaneId::Findings).unwrap() else { panic!() };
        assert_eq!(whole.len(), all.len(), "the whole list is its own file");
        // The next save (a short list: no head) takes the old head away with it.
        cache.save(&context, PaneId::Findings, now, &PaneData::Findings(all[..2].to_vec())).unwrap();
        assert!(cache.load_head(&context, PaneId::Findings).is_none(), "no stale head outlives its list");
        let _ = std::fs::remove_dir_all(&dir);
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

    /// The findings without their priority (ranked at load time, so not what was saved).
    fn unranked(list: &[std::sync::Arc<crate::model::Finding>]) -> Vec<crate::model::Finding> {
        list.iter().map(|f| crate::model::Finding { risk: Default::default(), ..(**f).clone() }).collect()
    }

    fn demo_findings() -> PaneData {
        let start = chrono::DateTime::from_timestamp(1_764_072_000, 123_456_789).unwrap();
        crate::source::demo::DemoSource::new(7, 300, start).generate(PaneId::Findings, start)
    }

    #[test]
    fn findings_come_back_equal_with_their_texts_shared() {
        let cache = temp();
        let ctx = context("123456789012", "us-east-1");
        let data = demo_findings();
        cache.save(&ctx, PaneId::Findings, chrono::Utc::now(), &data).unwrap();
        let (_, back) = cache.load(&ctx, PaneId::Findings).unwrap();
        let (PaneData::Findings(before), PaneData::Findings(after)) = (&data, &back) else { panic!() };
        assert_eq!(unranked(before), unranked(after));
        // The priority is not stored; it is ranked afresh on the way in.
        assert!(after.iter().all(|f| f.risk.score > 0 || f.severity == crate::model::SeverityLabel::Informational));
        assert!(after[0].region.ptr_eq(&after[after.len() - 1].region), "one copy of a repeated text");
    }

    #[test]
    fn a_findings_file_of_format_1_is_ignored_never_misread() {
        let cache = temp();
        let ctx = context("1", "r");
        cache.save(&ctx, PaneId::Findings, chrono::Utc::now(), &demo_findings()).unwrap();
        let path = cache.pane_file("1", "r", PaneId::Findings);
        // What format 1 wrote: every finding as an object under "data".
        let old = serde_json::json!({ "format": 1, "saved_at": "2026-01-01T00:00:00Z", "data": demo_findings() });
        std::fs::write(&path, serde_json::to_vec(&old).unwrap()).unwrap();
        assert!(cache.load(&ctx, PaneId::Findings).is_none());
        // A table row pointing past the table: damaged, ignored.
        let damaged = br#"{"format":2,"saved_at":"2026-01-01T00:00:00Z","findings":{"texts":["a"],"rows":[[9,null,null,"HIGH",70,[0,0,0,0,0],0,"NEW","ACTIVE",["guardduty"],1,[0,0],[[0,0],[0,0],[0,0]],null,[]]]}}"#;
        std::fs::write(&path, damaged).unwrap();
        assert!(cache.load(&ctx, PaneId::Findings).is_none());
        assert_eq!(format_of(damaged), Some(2));
        assert_eq!(format_of(br#"{"saved_at":1,"format":2}"#), None);
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn directories_the_cache_creates_are_0700_and_files_0600() {
        let base = temp().root;
        let cache = Cache::new(base.join("xdg-cache").join("vigil"));
        cache.save(&context("1", "r"), PaneId::Secrets, chrono::Utc::now(), &secrets()).unwrap();
        for dir in [base.join("xdg-cache"), base.join("xdg-cache/vigil"), base.join("xdg-cache/vigil/1-r")] {
            assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        }
        assert_eq!(mode(&cache.pane_file("1", "r", PaneId::Secrets)), 0o600);
        assert_eq!(mode(&base.join("xdg-cache/vigil/last-r")), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_refused_naming_its_path() {
        let cache = temp();
        let ctx = context("1", "r");
        let now = chrono::Utc::now();
        cache.save(&ctx, PaneId::Secrets, now, &secrets()).unwrap();
        let elsewhere = cache.root.with_extension("victim");
        std::fs::write(&elsewhere, b"precious").unwrap();
        // A link at a cache file: neither replaced nor read through.
        let file = cache.pane_file("1", "r", PaneId::Secrets);
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
        let err = cache.save(&ctx, PaneId::Secrets, now, &secrets()).unwrap_err().to_string();
        assert!(err.contains(&file.display().to_string()) && err.contains("symbolic link"), "{err}");
        assert!(cache.load(&ctx, PaneId::Secrets).is_none());
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"precious");
        // A link at the account's directory, and at the cache root.
        let victim_dir = cache.root.with_extension("victim-dir");
        std::fs::create_dir_all(&victim_dir).unwrap();
        let account_dir = cache.dir("2", "r");
        std::os::unix::fs::symlink(&victim_dir, &account_dir).unwrap();
        let err = cache.save(&context("2", "r"), PaneId::Secrets, now, &secrets()).unwrap_err().to_string();
        assert!(err.contains(&account_dir.display().to_string()) && err.contains("symbolic link"), "{err}");
        let linked_root = Cache::new(cache.root.with_extension("root-link"));
        std::os::unix::fs::symlink(&victim_dir, &linked_root.root).unwrap();
        let err = linked_root.save(&ctx, PaneId::Secrets, now, &secrets()).unwrap_err().to_string();
        assert!(err.contains(&linked_root.root.display().to_string()), "{err}");
        assert_eq!(std::fs::read_dir(&victim_dir).unwrap().count(), 0, "nothing written through a link");
        for path in [elsewhere, linked_root.root.clone()] {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_dir_all(victim_dir);
    }

    #[test]
    fn panes_saving_at_once_never_clobber_each_other() {
        let cache = temp();
        let now = chrono::Utc::now();
        let savers: Vec<_> = (0..6)
            .map(|_| {
                let cache = cache.clone();
                std::thread::spawn(move || {
                    for _ in 0..30 {
                        cache.save(&context("123456789012", "us-east-1"), PaneId::Secrets, now, &secrets())?;
                    }
                    Ok::<(), std::io::Error>(())
                })
            })
            .collect();
        for saver in savers {
            saver.join().unwrap().unwrap();
        }
        assert_eq!(cache.last_account("us-east-1").as_deref(), Some("123456789012"));
        assert!(cache.load(&context("123456789012", "us-east-1"), PaneId::Secrets).is_some());
    }
}
