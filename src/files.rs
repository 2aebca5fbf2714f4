//! Vigil's own files on disk (log, audit log, cache): private to the user and never reached
//! through a symbolic link.
//!
//! Every directory Vigil creates is mode 0700 (each missing component, so `create_dir_all` of
//! `~/.local/share/vigil` on a fresh account leaves no 0755 `share` behind); directories that
//! already exist are left as the user made them. Files are mode 0600. A symbolic link planted at
//! one of Vigil's own paths (a file, or the directory Vigil keeps its files in) is refused with an
//! error naming the path, so another local user cannot make Vigil append to or replace a file of
//! their choosing.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// `O_NOFOLLOW` without a libc dependency: the open itself refuses a link, closing the gap
/// between the `symlink_metadata` check and the open. Elsewhere the check alone applies.
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "loongarch64",
        target_arch = "mips",
        target_arch = "mips64"
    )
))]
const O_NOFOLLOW: i32 = 0x20000;
#[cfg(all(
    target_os = "linux",
    any(target_arch = "aarch64", target_arch = "arm", target_arch = "powerpc", target_arch = "powerpc64")
))]
const O_NOFOLLOW: i32 = 0x8000;
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
const O_NOFOLLOW: i32 = 0x100;
#[cfg(not(any(
    all(
        target_os = "linux",
        any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "riscv64",
            target_arch = "s390x",
            target_arch = "loongarch64",
            target_arch = "mips",
            target_arch = "mips64",
            target_arch = "aarch64",
            target_arch = "arm",
            target_arch = "powerpc",
            target_arch = "powerpc64"
        )
    ),
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd"
)))]
const O_NOFOLLOW: i32 = 0;

/// A file of Vigil's in the user's data directory (`~/.local/share/vigil/NAME`), or the path the
/// environment variable `override_var` names (tests, and users who keep it elsewhere).
pub fn data_file(override_var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(override_var) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "vigil").map(|d| d.data_local_dir().join(name))
}

/// The error for a link where Vigil expects its own file or directory.
pub fn symlink_refused(path: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is a symbolic link; Vigil never follows a link for its own files: remove it (or point Vigil at a real path)",
        path.display()
    ))
}

/// Fails when `path` is a symbolic link; a missing path is fine.
pub fn refuse_symlink(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(symlink_refused(path)),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `dir` and any missing parents, each one Vigil creates with mode 0700; parents that
/// exist are not touched. Fails when `dir` itself is a symbolic link.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && std::fs::symlink_metadata(p).is_err())
        .map(Path::to_path_buf)
        .collect();
    for component in missing.iter().rev() {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(component) {
            Ok(()) => set_mode(component, 0o700)?,
            // Another pane (or process) made it first: fine, it is checked below like any other.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    refuse_symlink(dir)?;
    if !dir.is_dir() {
        return Err(std::io::Error::other(format!("{} exists and is not a directory", dir.display())));
    }
    Ok(())
}

/// The umask may have taken bits away from the mode asked for at creation; set it exactly.
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn no_follow(options: &mut OpenOptions, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode).custom_flags(O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = (options, mode);
}

/// Opens `path` for appending, creating it with mode 0600; a link at `path` is refused. A file
/// that exists with wider permissions is narrowed to 0600 (it is Vigil's own file).
pub fn open_private_append(path: &Path) -> std::io::Result<File> {
    refuse_symlink(path)?;
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    no_follow(&mut options, 0o600);
    let file = options.open(path).map_err(|e| refused_or(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Opens `path` for reading; a link at `path` is refused.
pub fn open_no_follow(path: &Path) -> std::io::Result<File> {
    refuse_symlink(path)?;
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options, 0o600);
    options.open(path).map_err(|e| refused_or(path, e))
}

/// `O_NOFOLLOW` on a link fails with ELOOP: say what happened instead.
fn refused_or(path: &Path, e: std::io::Error) -> std::io::Error {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => symlink_refused(path),
        _ => e,
    }
}

/// Replaces `path` with `bytes` at once: written to a temporary file of a name no other writer
/// uses (process, counter and time), created exclusively with mode 0600 (so never through a
/// link), synced, then renamed over `path`. A link at `path` is refused, not replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    refuse_symlink(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let (tmp, mut file) = loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_file_name(format!(".{name}.{}-{n}-{nanos}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        no_follow(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(file) => break (tmp, file),
            // Left over from a crash, or planted: never reuse it, take the next name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < u64::MAX => continue,
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_data());
    drop(file);
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vigil-files-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn every_created_component_is_0700_and_existing_ones_are_left_alone() {
        let base = temp("dirs");
        let leaf = base.join("a").join("b").join("c");
        create_private_dir_all(&leaf).unwrap();
        for dir in [base.join("a"), base.join("a/b"), leaf.clone()] {
            assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        }
        assert_eq!(mode(&base), 0o755, "a directory Vigil did not create keeps its mode");
        create_private_dir_all(&leaf).unwrap();
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn links_are_refused_naming_the_path() {
        let base = temp("links");
        let target = base.join("target");
        std::fs::write(&target, b"precious").unwrap();
        let link = base.join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for err in [
            open_private_append(&link).unwrap_err(),
            open_no_follow(&link).unwrap_err(),
            write_atomically(&link, b"x").unwrap_err(),
        ] {
            assert!(err.to_string().contains(&link.display().to_string()), "{err}");
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
        let dir_link = base.join("dir-link");
        std::os::unix::fs::symlink(&base, &dir_link).unwrap();
        let err = create_private_dir_all(&dir_link).unwrap_err().to_string();
        assert!(err.contains("dir-link") && err.contains("symbolic link"), "{err}");
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn appended_and_replaced_files_are_0600() {
        let base = temp("modes");
        let log = base.join("log");
        std::fs::write(&log, b"old\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        open_private_append(&log).unwrap().write_all(b"new\n").unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(std::fs::read(&log).unwrap(), b"old\nnew\n");
        let file = base.join("file");
        write_atomically(&file, b"one").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"one");
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn concurrent_replacements_never_share_a_temporary_file() {
        let base = temp("race");
        let path = base.join("last-us-east-1");
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let value = format!("{i:012}").repeat(2000);
                    for _ in 0..20 {
                        write_atomically(&path, value.as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.len(), 24000, "one writer's whole value");
        assert!(text.as_bytes().chunks(12).all(|c| c == &text.as_bytes()[..12]), "never two writers mixed");
        let left: Vec<_> = std::fs::read_dir(&base).unwrap().filter_map(Result::ok).collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        let _ = std::fs::remove_dir_all(base);
    }
}
